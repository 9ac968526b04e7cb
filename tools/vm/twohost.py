#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Two kernels on one wire: transfer, loss and close between two guests.

Runs in each of the two QEMU guests of tools/vm/two-kernels.sh, joined by
one virtio-net link (a QEMU socket netdev): --role server on 10.0.9.2,
--role client on 10.0.9.1.  The client drives: over a kernel-TCP control
connection (port 7000) it asks the server for one exchange at a time
(sink, source, both ways, a close), runs its own end over mytcp (port
7001), and compares.  Loss and delay are netem on each guest's NIC, so
both directions of the wire are bad.  The client prints TAP and the
closing "N passed, N failed"; each test has a time limit.

Unlike the selftests, nothing here shares a kernel: the two stacks are
independent, their clocks and timers too.
"""

import argparse
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "selftests"))
import lib                                          # noqa: E402

CLIENT, SERVER = "10.0.9.1", "10.0.9.2"
CONTROL_PORT, TEST_PORT = 7000, 7001
MiB = 1 << 20
TIME_WAIT, CLOSE_WAIT = 6, 8        # /proc/net/mytcp "st"


def dev():
    """The guest's one Ethernet NIC."""
    for name in sorted(os.listdir("/sys/class/net")):
        if name != "lo" and os.path.exists("/sys/class/net/%s/device" % name):
            return name
    raise RuntimeError("no NIC in this guest")


def netem(spec):
    """netem on our NIC (spec "" removes it)."""
    if spec:
        cmd = ["tc", "qdisc", "replace", "dev", dev(), "root", "netem"] + spec.split()
    else:
        cmd = ["tc", "qdisc", "del", "dev", dev(), "root"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    if spec and r.returncode:
        raise RuntimeError("tc: " + r.stderr.strip())


def mysock():
    return socket.socket(socket.AF_INET, socket.SOCK_STREAM, lib.IPPROTO_MYTCP)


def recv_all_sha(s):
    h, n = hashlib.sha256(), 0
    while True:
        b = s.recv(1 << 16)
        if not b:
            return n, h.hexdigest()
        h.update(b)
        n += len(b)


def watch_states(port, stop):
    """The states the connection on local port @port passes through."""
    seen = []
    while not stop.is_set():
        for st in lib.states(None, port):
            name = lib.STATE_NAMES.get(st, str(st))
            if not seen or seen[-1] != name:
                seen.append(name)
        time.sleep(0.005)
    return seen


class Watcher:
    """watch_states() in a thread, for the block."""

    def __init__(self, port):
        self.stop = threading.Event()
        self.result = []
        self.t = threading.Thread(target=lambda: self.result.extend(
            watch_states(port, self.stop)), daemon=True)

    def __enter__(self):
        self.t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.t.join(10)


# ------------------------------------------------------------------ server

def serve_one(lst, req):
    """One exchange on the mytcp listener, as the client asked."""
    mode = req["mode"]
    s, peer = lst.accept()
    port = s.getsockname()[1]
    try:
        if mode == "sink":
            n, sha = recv_all_sha(s)
            return {"n": n, "sha": sha}
        if mode == "source":
            s.sendall(lib.payload(req["n"], req["seed"]))
            s.shutdown(socket.SHUT_WR)
            return {"rest": len(s.recv(1))}
        if mode == "both":
            t = threading.Thread(target=lambda: (
                s.sendall(lib.payload(req["n"], req["seed"])),
                s.shutdown(socket.SHUT_WR)))
            t.start()
            n, sha = recv_all_sha(s)
            t.join(120)
            return {"n": n, "sha": sha}
        if mode == "close_passive":
            with Watcher(port) as w:
                got = s.recv(10)           # the client's FIN: EOF
                lib.wait_state(None, port, peer[1], CLOSE_WAIT, 10)
                s.close()
                s = None
                lib.wait_state(None, port, peer[1], None, 30)
            return {"eof": got == b"", "states": w.result}
        if mode == "close_active":
            s.close()
            s = None
            lib.wait_state(None, port, peer[1], TIME_WAIT, 30)
            return {"time_wait": True}
        if mode == "expect_reset":
            try:
                s.recv(10)
                err = "no error"
            except ConnectionResetError:
                err = "ECONNRESET"
            return {"err": err}
        return {"error": "unknown mode %s" % mode}
    finally:
        if s is not None:
            s.close()


def server():
    lst = mysock()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((SERVER, TEST_PORT))
    lst.listen(16)
    ctl_l = socket.socket()
    ctl_l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ctl_l.bind((SERVER, CONTROL_PORT))
    ctl_l.listen(1)
    print("server: listening on %s, control :%d, mytcp :%d"
          % (dev(), CONTROL_PORT, TEST_PORT), flush=True)
    ctl, _ = ctl_l.accept()
    f = ctl.makefile("rw")
    for line in f:
        req = json.loads(line)
        if req["cmd"] == "quit":
            break
        try:
            if req["cmd"] == "netem":
                netem(req["spec"])
                res = {"ok": True}
            else:
                res = serve_one(lst, req)
        except Exception as e:              # noqa: BLE001 - sent back
            res = {"error": "%s: %s" % (type(e).__name__, e)}
        f.write(json.dumps(res) + "\n")
        f.flush()
    print("server: done", flush=True)
    return 0


# ------------------------------------------------------------------ client

class Control:
    def __init__(self):
        deadline = time.monotonic() + 120
        while True:
            try:
                self.s = socket.create_connection((SERVER, CONTROL_PORT), 5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)     # the other guest is still booting
        self.s.settimeout(None)
        self.f = self.s.makefile("rw")

    def ask(self, **req):
        self.f.write(json.dumps(req) + "\n")
        self.f.flush()
        return json.loads(self.f.readline())


def connect():
    s = mysock()
    lib.bconnect(s, (SERVER, TEST_PORT), 30)
    return s


def serve(ctl, mode, **kw):
    """Ask the server for one exchange of @mode and connect to it: the
    socket, and a function that waits for the server's report."""
    def ask():
        return ctl.ask(cmd="serve", mode=mode, **kw)
    join = lib.in_thread(ask)
    return connect(), lambda: join(300) or {}


TESTS = []


def test(timeout=120):
    def register(fn):
        TESTS.append((fn, timeout))
        return fn
    return register


def sink(ctl, n, seed):
    """n bytes client -> server, checked by SHA-256 at the server."""
    s, reply = serve(ctl, "sink")
    data = lib.payload(n, seed)
    s.sendall(data)
    s.close()
    got = reply()
    assert got.get("n") == n and got.get("sha") == lib.sha256(data), got


def source(ctl, n, seed):
    """n bytes server -> client."""
    s, reply = serve(ctl, "source", n=n, seed=seed)
    got = lib.recv_all(s)
    s.close()
    r = reply()
    assert "error" not in r, r
    assert len(got) == n and got == lib.payload(n, seed), \
        "received %d of %d bytes, or different ones" % (len(got), n)


def both(ctl, n, seed):
    """n bytes each way at once."""
    s, reply = serve(ctl, "both", n=n, seed=seed + 1)
    data = lib.payload(n, seed)
    w = threading.Thread(target=lambda: (s.sendall(data),
                                         s.shutdown(socket.SHUT_WR)))
    w.start()
    got = lib.recv_all(s)
    w.join(300)
    s.close()
    r = reply()
    assert got == lib.payload(n, seed + 1), "client received %d bytes, wrong" % len(got)
    assert r.get("n") == n and r.get("sha") == lib.sha256(data), r


@test()
def transfer_client_to_server():
    """4 MiB from one kernel to the other, byte-exact."""
    sink(CTL, 4 * MiB, 1)


@test()
def transfer_server_to_client():
    """4 MiB the other way."""
    source(CTL, 4 * MiB, 2)


@test()
def transfer_both_ways():
    """2 MiB each way at once."""
    both(CTL, 2 * MiB, 3)


@test()
def transfer_sequential_connections():
    """20 connections one after the other, 16 KiB each."""
    for i in range(20):
        sink(CTL, 16 << 10, 100 + i)


def lossy(spec, fn, *args):
    assert CTL.ask(cmd="netem", spec=spec).get("ok")
    netem(spec)
    try:
        fn(CTL, *args)
    finally:
        netem("")
        CTL.ask(cmd="netem", spec="")


@test(timeout=240)
def lossy_5pct_both_ways():
    """5% loss on both NICs: 1 MiB each way at once, byte-exact."""
    lossy("loss 5%", both, MiB, 10)


@test(timeout=240)
def lossy_delay_reorder_duplicate():
    """10 ms +-5 ms delay, 10% reordered, 2% duplicated, both NICs: 1 MiB
    each way, one after the other."""
    spec = "delay 10ms 5ms reorder 90% 50% duplicate 2%"
    lossy(spec, sink, MiB, 20)
    lossy(spec, source, MiB, 21)


@test(timeout=240)
def lossy_corrupt():
    """1% of frames corrupted on both NICs: what the checksum catches is
    retransmitted, and 1 MiB arrives byte-exact."""
    lossy("corrupt 1%", both, MiB, 30)


@test()
def close_client_first():
    """The client closes first: it passes FIN_WAIT1, FIN_WAIT2 and holds
    TIME_WAIT; the server passes CLOSE_WAIT and LAST_ACK.  A 100 ms delay
    on the client's NIC holds FIN_WAIT1 and LAST_ACK long enough for a
    poll of /proc/net/mytcp every 5 ms to see them."""
    s, reply = serve(CTL, "close_passive")
    port = s.getsockname()[1]
    netem("delay 100ms")
    try:
        with Watcher(port) as w:
            s.shutdown(socket.SHUT_WR)
            assert s.recv(10) == b"", "no EOF from the server"
            lib.wait_state(None, port, TEST_PORT, TIME_WAIT, 30)
    finally:
        netem("")
    s.close()
    r = reply()
    assert r.get("eof"), r
    for st in ("FIN_WAIT1", "FIN_WAIT2"):
        assert st in w.result, "client states %s" % w.result
    assert "LAST_ACK" in r.get("states", []), "server states %s" % r


@test()
def close_server_first():
    """The server closes first: TIME_WAIT is the server's; the client
    reads EOF in CLOSE_WAIT and its close ends the connection (the
    states the runs wait for are the ones that last)."""
    s, reply = serve(CTL, "close_active")
    port = s.getsockname()[1]
    assert s.recv(10) == b"", "no EOF"
    lib.wait_state(None, port, TEST_PORT, CLOSE_WAIT, 10)
    s.close()
    lib.wait_state(None, port, TEST_PORT, None, 30)
    r = reply()
    assert r.get("time_wait"), "the server did not reach TIME_WAIT: %s" % r


@test()
def close_abort_resets_peer():
    """SO_LINGER 0 then close(): a RST, and the other kernel's program
    sees ECONNRESET."""
    s, reply = serve(CTL, "expect_reset")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
    s.close()
    r = reply()
    assert r.get("err") == "ECONNRESET", r


def on_alarm(signum, frame):
    raise TimeoutError("time limit")


def client():
    global CTL
    CTL = Control()
    print("TAP version 13\n1..%d" % len(TESTS), flush=True)
    passed = failed = 0
    signal.signal(signal.SIGALRM, on_alarm)
    for i, (fn, timeout) in enumerate(TESTS, 1):
        start = time.monotonic()
        signal.alarm(timeout * lib.SLOWDOWN)
        try:
            fn()
            signal.alarm(0)
            passed += 1
            print("ok %d - twohost.%s # %.1f s" % (i, fn.__name__,
                                                   time.monotonic() - start),
                  flush=True)
        except Exception as e:              # noqa: BLE001 - reported
            signal.alarm(0)
            failed += 1
            print("not ok %d - twohost.%s # %s: %s" % (
                i, fn.__name__, type(e).__name__, e), flush=True)
            if isinstance(e, TimeoutError):
                break       # the control connection is out of step now
    try:
        CTL.ask(cmd="quit")
    except (OSError, ValueError):
        pass
    for k, v in sorted(lib.counters(None).items()):
        if v and k in ("InSegs", "OutSegs", "RetransSegs", "InCsumErrors",
                       "TimeWaits", "ActiveOpens", "EstabResets"):
            print("# client %s %d" % (k, v))
    not_run = len(TESTS) - passed - failed
    print("%d passed, %d failed" % (passed, failed + not_run), flush=True)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--role", choices=("client", "server"), required=True)
    args = ap.parse_args()
    lib.PROTO_NAME, lib.PROTO = "mytcp", lib.IPPROTO_MYTCP
    return server() if args.role == "server" else client()


if __name__ == "__main__":
    sys.exit(main())
