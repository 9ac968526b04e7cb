#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The global memory pool: net.mytcp.mem for mytcp, net.ipv4.tcp_mem for TCP.

Many connections whose receivers stop reading, each with large buffers,
would together hold far more than the pool allows.  The pool's pages (the
memory column of /proc/net/protocols) must stay near its hard limit; the
senders must wait (EAGAIN) rather than fail; and once the readers drain,
every byte must arrive, in order."""

import contextlib
import hashlib
import os
import selectors
import socket
import time

import lib
from lib import test

# IPv4 only: not a socket-API file (runner.py reads this)
FAMILIES = ("v4",)

PAGE = os.sysconf("SC_PAGE_SIZE")
# low, pressure, high, in pages: 4, 8 and 16 MiB
POOL = (1024, 2048, 4096)
CONNS = 32
BUF = 1 << 20
CHUNK = 64 * 1024


def pool_path():
    if lib.PROTO == lib.IPPROTO_MYTCP:
        return "/proc/sys/net/mytcp/mem"
    return "/proc/sys/net/ipv4/tcp_mem"


def pool_pages():
    """The memory column of our protocol's line in /proc/net/protocols."""
    name = "MYTCP" if lib.PROTO == lib.IPPROTO_MYTCP else "TCP"
    with open("/proc/net/protocols") as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] == name:
                return int(fields[3])
    raise AssertionError("no %s line in /proc/net/protocols" % name)


@contextlib.contextmanager
def pool(values):
    path = pool_path()
    if not os.path.exists(path):
        raise AssertionError("no %s" % path)
    old = lib.read_sysctl(path)
    lib.write_sysctl(path, " ".join(map(str, values)))
    try:
        yield
    finally:
        lib.write_sysctl(path, old)


def stat_sum(name, nets):
    total = 0
    for n in nets:
        with lib.ns(n):
            with open("/proc/thread-self/net/mytcp_stat") as f:
                for line in f:
                    k, v = line.split()
                    if k == name:
                        total += int(v)
    return total


def fill(senders, data, quiet=0.5, limit=40.0):
    """Write to every sender until none has taken a byte for `quiet` s."""
    sent = [0] * len(senders)
    hashes = [hashlib.sha256() for _ in senders]
    last = time.monotonic()
    end = last + limit
    while time.monotonic() - last < quiet:
        if time.monotonic() > end:
            raise AssertionError("the senders never stopped after %d s" % limit)
        for i, s in enumerate(senders):
            try:
                k = s.send(data)
            except BlockingIOError:
                continue
            hashes[i].update(data[:k])
            sent[i] += k
            last = time.monotonic()
        time.sleep(0.01)
    return sent, [h.hexdigest() for h in hashes]


def drain(receivers, sent, digests, limit):
    """Read all receivers at once until EOF; check length and hash.

    At once, not one after the other: memory a reader frees goes to
    whichever segment arrives next, so a lone reader could starve."""
    sel = selectors.DefaultSelector()
    got = [hashlib.sha256() for _ in receivers]
    count = [0] * len(receivers)
    for i, r in enumerate(receivers):
        r.setblocking(False)
        sel.register(r, selectors.EVENT_READ, i)
    left = len(receivers)
    end = time.monotonic() + limit
    while left:
        if time.monotonic() > end:
            short = [i for i in range(len(receivers)) if count[i] < sent[i]]
            raise AssertionError("after %d s, connections %s still short"
                                 % (limit, short))
        for key, _ in sel.select(1.0):
            i = key.data
            try:
                d = key.fileobj.recv(1 << 20)
            except BlockingIOError:
                continue
            if d:
                got[i].update(d)
                count[i] += len(d)
                assert count[i] <= sent[i], "connection %d: too many bytes" % i
                continue
            sel.unregister(key.fileobj)
            left -= 1
            assert count[i] == sent[i], \
                "connection %d: received %d of %d bytes" % (i, count[i], sent[i])
            assert got[i].hexdigest() == digests[i], "connection %d: bytes differ" % i
    sel.close()


@test(timeout=200)
def pool_bounds_stalled_receivers():
    """32 connections with 1 MiB buffers whose receivers do not read stay
    within a 16 MiB pool; senders get EAGAIN, not errors; once the readers
    drain, every byte arrives intact and the pool empties."""
    a, b = lib.netpair()
    data = lib.payload(CHUNK, seed=7)
    with pool(POOL):
        before = pool_pages()
        lst, port = lib.listener(b, backlog=CONNS)
        pairs = []
        for _ in range(CONNS):
            c = lib.sock(a)
            for s in (c, lst):
                s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BUF)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, BUF)
            lib.bconnect(c, (b.addr, port))
            lst.settimeout(10)
            srv, _ = lst.accept()
            lib.track(srv)
            c.setblocking(False)
            pairs.append((c, srv))

        sent, digests = fill([c for c, _ in pairs], data)
        peak = pool_pages()
        total = sum(sent)
        lib.diag("queued %d KiB in all, pool %d pages (was %d), limit %d"
                 % (total // 1024, peak, before, POOL[2]))
        # without the pool, these buffers would hold up to 64 MiB
        assert total > POOL[2] * PAGE // 2, \
            "only %d bytes queued: the test never reached the pool" % total
        assert peak >= POOL[1], \
            "pool at %d pages: its accounting missed the queues" % peak
        # slack: each socket's guaranteed minimum and the per-cpu reserves
        slack = CONNS * 2 * 4096 // PAGE + 2 * 256 + 64
        assert peak <= POOL[2] + slack, \
            "pool at %d pages, over its limit %d" % (peak, POOL[2])
        if lib.PROTO == lib.IPPROTO_MYTCP:
            assert stat_sum("MemoryPressures", (a, b)) > 0, \
                "MemoryPressures did not move"

        for c, _ in pairs:
            c.shutdown(socket.SHUT_WR)
        drain([srv for _, srv in pairs], sent, digests, 120)
        for c, srv in pairs:
            srv.close()
            c.close()
        lst.close()
        lib.wait_for(lambda: pool_pages() <= before + 2 * 256 + 16, 20,
                     "the pool to empty after close")


if __name__ == "__main__":
    lib.main()
