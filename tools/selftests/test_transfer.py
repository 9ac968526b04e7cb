#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Byte-exact transfers between two namespaces joined by veth.

Sender and receiver hash what they send and what they get; the hashes and
lengths must match.  Many sequential and many concurrent connections check
the connection tables and the handshake under load."""

import hashlib
import os
import random
import selectors
import socket
import struct

import lib
from lib import test

CHUNK = 256 * 1024


def stream(n, seed):
    """Yield n pseudo-random bytes in chunks (never all in memory)."""
    rnd = random.Random(seed)
    left = n
    while left:
        k = min(left, CHUNK)
        yield rnd.randbytes(k)
        left -= k


def send_stream(s, n, seed):
    h = hashlib.sha256()
    for chunk in stream(n, seed):
        s.sendall(chunk)
        h.update(chunk)
    s.shutdown(socket.SHUT_WR)
    return h.hexdigest()


def recv_stream(s):
    h = hashlib.sha256()
    total = 0
    buf = bytearray(CHUNK)
    while True:
        k = s.recv_into(buf)
        if not k:
            return total, h.hexdigest()
        h.update(memoryview(buf)[:k])
        total += k


def transfer(n, a_to_b=True, timeout=120):
    """Send n bytes across the veth pair and compare hashes and length."""
    a, b = lib.netpair()
    c, s, _ = lib.connected(a, b)
    src, dst = (c, s) if a_to_b else (s, c)
    src.settimeout(timeout)
    dst.settimeout(timeout)
    join = lib.in_thread(send_stream, src, n, n)
    got, digest = recv_stream(dst)
    sent = join(timeout)
    assert got == n, "received %d bytes, sent %d" % (got, n)
    assert digest == sent, "sha256 differs: sent %s received %s" % (sent, digest)


@test()
def one_byte():
    """1 byte each way arrives intact, then EOF."""
    transfer(1, True)
    transfer(1, False)


@test()
def one_kib():
    """1 KiB each way arrives intact."""
    transfer(1024, True)
    transfer(1024, False)


@test(timeout=60)
def one_mib():
    """1 MiB each way arrives intact."""
    transfer(1 << 20, True)
    transfer(1 << 20, False)


@test(timeout=240)
def sixty_four_mib_a_to_b():
    """64 MiB from A to B arrives intact (sha256)."""
    transfer(64 << 20, True, timeout=220)


@test(timeout=240)
def sixty_four_mib_b_to_a():
    """64 MiB from B to A arrives intact (sha256)."""
    transfer(64 << 20, False, timeout=220)


@test(timeout=60)
def both_directions_at_once():
    """4 MiB each way simultaneously on one connection arrives intact."""
    a, b = lib.netpair()
    c, s, _ = lib.connected(a, b)
    n = 4 << 20
    for x in (c, s):
        x.settimeout(50)
    send_c = lib.in_thread(send_stream, c, n, 1)
    send_s = lib.in_thread(send_stream, s, n, 2)
    recv_c = lib.in_thread(recv_stream, c)
    got_s, dig_s = recv_stream(s)
    got_c, dig_c = recv_c(50)
    assert (got_s, dig_s) == (n, send_c(50)), "A->B stream differs"
    assert (got_c, dig_c) == (n, send_s(50)), "B->A stream differs"


@test(timeout=300)
def sequential_connections():
    """1000 connections one after another, each echoes its own 16 bytes."""
    a, b = lib.netpair()
    lst, port = lib.listener(b, backlog=16)
    lst.settimeout(10)
    for i in range(1000):
        c = lib.sock(a)
        lib.bconnect(c, (lib.ADDR_B, port))
        s, peer = lst.accept()
        s.settimeout(10)
        msg = struct.pack("!IIQ", i, peer[1], 0x5eed ^ i)
        c.sendall(msg)
        got = lib.recv_exact(s, len(msg))
        assert got == msg, "connection %d: server got %r" % (i, got)
        s.sendall(got[::-1])
        back = lib.recv_exact(c, len(msg))
        assert back == msg[::-1], "connection %d: echo differs" % i
        c.close()
        assert s.recv(1) == b"", "connection %d: no EOF after the client closed" % i
        s.close()


@test(timeout=240)
def concurrent_connections():
    """200 connections open at once, each exchanges 4 KiB both ways intact."""
    n, size = 200, 4096
    a, b = lib.netpair()
    lst, port = lib.listener(b, backlog=256)
    lst.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(lst, selectors.EVENT_READ, ("listen", None))
    clients = {}
    for i in range(n):
        c = lib.sock(a)
        c.setblocking(False)
        err = c.connect_ex((lib.ADDR_B, port))
        assert err in (0, 115), "connect %d: %s" % (i, os.strerror(err))  # EINPROGRESS
        data = struct.pack("!I", i) + lib.payload(size - 4, i)
        st = {"out": memoryview(data), "want": data[::-1], "in": bytearray()}
        clients[c] = st
        sel.register(c, selectors.EVENT_WRITE, ("client", st))
    done = 0
    servers = 0
    while done < n:
        events = sel.select(timeout=30)
        assert events, "no progress for 30 s (%d of %d done, %d accepted)" % (done, n, servers)
        for key, mask in events:
            kind, st = key.data
            s = key.fileobj
            if kind == "listen":
                while True:
                    try:
                        conn, _ = lst.accept()
                    except BlockingIOError:
                        break
                    lib.track(conn)
                    conn.setblocking(False)
                    servers += 1
                    sel.register(conn, selectors.EVENT_READ,
                                 ("server", {"in": bytearray(), "out": None}))
            elif kind == "client" and mask & selectors.EVENT_WRITE:
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                assert err == 0, "client connect failed: %s" % os.strerror(err)
                k = s.send(st["out"])
                st["out"] = st["out"][k:]
                if not len(st["out"]):
                    sel.modify(s, selectors.EVENT_READ, key.data)
            elif kind == "client":
                d = s.recv(65536)
                assert d, "client: EOF after %d bytes" % len(st["in"])
                st["in"] += d
                if len(st["in"]) == size:
                    assert bytes(st["in"]) == st["want"], "client: echo differs"
                    sel.unregister(s)
                    s.close()
                    done += 1
            elif kind == "server" and st["out"] is None:
                d = s.recv(65536)
                if not d:
                    raise AssertionError("server: EOF after %d bytes" % len(st["in"]))
                st["in"] += d
                if len(st["in"]) == size:
                    st["out"] = memoryview(bytes(st["in"][::-1]))
                    sel.modify(s, selectors.EVENT_WRITE, key.data)
            elif kind == "server" and mask & selectors.EVENT_WRITE:
                k = s.send(st["out"])
                st["out"] = st["out"][k:]
                if not len(st["out"]):
                    sel.modify(s, selectors.EVENT_READ, key.data)
            elif kind == "server":
                d = s.recv(1)
                assert not d, "server: unexpected data after the exchange"
                sel.unregister(s)
                s.close()
    assert servers == n, "accepted %d connections, expected %d" % (servers, n)


if __name__ == "__main__":
    lib.main()
