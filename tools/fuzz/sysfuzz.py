#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Syscall-sequence fuzzer for mytcp sockets (run in the VM, as root).

Usage: sysfuzz.py --ns-a NS --ns-b NS [--seed S] [--seconds T] [--threads N]

N threads share a table of 32 socket slots and, until T seconds have
passed, each picks a random call and random arguments: socket (in A or B),
bind, listen, connect (also AF_UNSPEC), accept, send/sendmsg/recv with
random flags and sizes, shutdown, close, dup, setsockopt/getsockopt (known
options with extreme values, unknown option numbers with random bytes at
SOL_MYTCP and IPPROTO_TCP), poll, ioctl and O_NONBLOCK toggles, on blocking
and non-blocking sockets.  Every blocking call is bounded: each socket gets
SO_RCVTIMEO/SO_SNDTIMEO of at most 0.5 s, and the fuzzer never sets them to
0 (infinite) nor SO_LINGER beyond 1 s.

Each thread's sequence of choices is fixed by --seed; how the threads
interleave is not.  Prints key=value lines (calls, errors by errno, and
any call still blocked after the deadline) and exits 1 if a thread hung or
the fuzzer itself raised something other than OSError.
"""

import argparse
import ctypes
import errno
import fcntl
import os
import random
import select
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "selftests"))
import lib                                          # noqa: E402

PROTO = 253
SOL_MYTCP = 253
NSLOTS = 32
PORTS = [0] + list(range(20000, 20006))
ADDRS = ["0.0.0.0", "10.0.1.1", "10.0.1.2", "127.0.0.1", "10.0.1.77",
         "255.255.255.255", "224.0.0.1"]
SIOCINQ, SIOCOUTQ = 0x541B, 0x5411
MSG = {"OOB": socket.MSG_OOB, "PEEK": socket.MSG_PEEK,
       "DONTWAIT": socket.MSG_DONTWAIT, "WAITALL": socket.MSG_WAITALL,
       "TRUNC": socket.MSG_TRUNC, "MORE": 0x8000, "EOR": socket.MSG_EOR,
       "CONFIRM": 0x800, "ERRQUEUE": 0x2000}
_libc = ctypes.CDLL(None, use_errno=True)


def flags(rng, names):
    f = 0
    for n in names:
        if rng.random() < 0.15:
            f |= MSG[n]
    return f


def timeval(seconds):
    usec = int(seconds * 1e6)
    return struct.pack("@ll", usec // 1000000, usec % 1000000)


class Fuzzer:
    def __init__(self, nss, seed, deadline):
        self.nss = nss
        self.seed = seed
        self.deadline = deadline
        self.slots = [None] * NSLOTS
        self.lock = threading.Lock()
        self.calls = {}
        self.errors = {}
        self.current = {}       # thread -> (call, args, start)
        self.crashes = []

    # ---- slots

    def put(self, rng, s):
        i = rng.randrange(NSLOTS)
        with self.lock:
            old, self.slots[i] = self.slots[i], s
        if old is not None:
            old.close()

    def get(self, rng):
        return self.slots[rng.randrange(NSLOTS)]

    def new_socket(self, rng):
        with lib.ns(rng.choice(self.nss)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, PROTO)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                     timeval(rng.choice((0.01, 0.1, 0.5))))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                     timeval(rng.choice((0.01, 0.1, 0.5))))
        if rng.random() < 0.3:
            os.set_blocking(s.fileno(), False)
        return s

    # ---- calls: each takes (rng, s) and may raise OSError

    def c_socket(self, rng, s):
        self.put(rng, self.new_socket(rng))

    def c_bind(self, rng, s):
        s.bind((rng.choice(ADDRS[:5]), rng.choice(PORTS)))

    def c_listen(self, rng, s):
        s.listen(rng.choice((-1, 0, 1, 4, 128, 2 ** 31 - 1)))

    def c_connect(self, rng, s):
        if rng.random() < 0.1:
            sa = struct.pack("@H14x", socket.AF_UNSPEC)  # disconnect
            if _libc.connect(s.fileno(), sa, len(sa)) < 0:
                e = ctypes.get_errno()
                raise OSError(e, os.strerror(e))
            return
        r = s.connect_ex((rng.choice(ADDRS), rng.choice(PORTS[1:] + [9])))
        if r:
            raise OSError(r, os.strerror(r))

    def c_accept(self, rng, s):
        c, _ = s.accept()
        self.put(rng, c)

    def c_send(self, rng, s):
        n = rng.choice((0, 1, 100, 1460, 65536, 1 << 20))
        s.send(b"x" * n, flags(rng, ("OOB", "DONTWAIT", "MORE", "EOR", "CONFIRM"))
               | socket.MSG_NOSIGNAL)

    def c_sendmsg(self, rng, s):
        bufs = [os.urandom(rng.choice((0, 1, 7, 3000))) for _ in range(rng.randint(0, 5))]
        s.sendmsg(bufs, [], flags(rng, ("DONTWAIT", "MORE", "OOB")) | socket.MSG_NOSIGNAL)

    def c_recv(self, rng, s):
        s.recv(rng.choice((0, 1, 4096, 1 << 20)),
               flags(rng, ("OOB", "PEEK", "DONTWAIT", "WAITALL", "TRUNC", "ERRQUEUE")))

    def c_recv_into(self, rng, s):
        buf = bytearray(rng.choice((1, 10, 9000)))
        s.recv_into(buf, rng.choice((0, 1, len(buf))), flags(rng, ("PEEK", "DONTWAIT")))

    def c_shutdown(self, rng, s):
        s.shutdown(rng.choice((0, 1, 2, 2, 3)))

    def c_close(self, rng, s):
        i = rng.randrange(NSLOTS)
        with self.lock:
            old, self.slots[i] = self.slots[i], None
        if old is not None:
            old.close()

    def c_dup(self, rng, s):
        self.put(rng, s.dup())

    def c_setsockopt(self, rng, s):
        x = rng.randrange(12)
        if x == 0:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", rng.randint(0, 1), rng.choice((0, 1))))
        elif x == 1:
            s.setsockopt(socket.SOL_SOCKET, rng.choice((socket.SO_RCVBUF, socket.SO_SNDBUF)),
                         rng.choice((0, 1, 256, 4096, 1 << 20, 2 ** 31 - 1, -1)))
        elif x == 2:
            s.setsockopt(socket.SOL_SOCKET, rng.choice((
                socket.SO_REUSEADDR, socket.SO_KEEPALIVE, socket.SO_OOBINLINE,
                socket.SO_RCVLOWAT, socket.SO_REUSEPORT)), rng.choice((0, 1, 1 << 30, -1)))
        elif x == 3:
            s.setsockopt(socket.SOL_SOCKET, rng.choice((socket.SO_RCVTIMEO, socket.SO_SNDTIMEO)),
                         timeval(rng.choice((0.001, 0.05, 0.5))))
        elif x in (4, 5, 6):
            s.setsockopt(rng.choice((SOL_MYTCP, socket.IPPROTO_TCP)),
                         rng.choice((1, 2, 4, 5, 6, 200)),
                         rng.choice((0, 1, -1, 2 ** 31 - 1, 88, 65535, 1 << 20)))
        elif x in (7, 8):
            opt = os.urandom(rng.choice((0, 1, 3, 4, 8, 64, 200)))
            s.setsockopt(rng.choice((SOL_MYTCP, socket.IPPROTO_TCP)), rng.randrange(-2, 300), opt)
        elif x == 9:
            s.setsockopt(socket.IPPROTO_IP, rng.choice((socket.IP_TOS, socket.IP_TTL)),
                         rng.choice((0, 1, 255, -1)))
        else:
            opt = os.urandom(rng.choice((0, 4, 8)))
            s.setsockopt(SOL_MYTCP, rng.choice((1, 2, 4, 5, 6, 200)), opt)

    def c_getsockopt(self, rng, s):
        level = rng.choice((SOL_MYTCP, socket.IPPROTO_TCP, socket.SOL_SOCKET, socket.IPPROTO_IP))
        opt = rng.choice((1, 2, 4, 5, 6, 200, rng.randrange(-2, 300)))
        s.getsockopt(level, opt, rng.choice((0, 1, 4, 8, 64, 128, 200)))

    def c_poll(self, rng, s):
        p = select.poll()
        for _ in range(rng.randint(1, 4)):
            o = self.get(rng)
            if o is not None and o.fileno() >= 0:
                p.register(o.fileno(), rng.choice((select.POLLIN, select.POLLOUT,
                                                   select.POLLIN | select.POLLOUT | select.POLLPRI)))
        p.poll(rng.choice((0, 10, 50)))

    def c_ioctl(self, rng, s):
        fcntl.ioctl(s.fileno(), rng.choice((SIOCINQ, SIOCOUTQ)), b"\0" * 4)

    def c_nonblock(self, rng, s):
        os.set_blocking(s.fileno(), rng.random() < 0.5)

    def c_names(self, rng, s):
        s.getsockname()
        s.getpeername()

    CALLS = ["socket"] * 6 + ["bind"] * 4 + ["listen"] * 4 + ["connect"] * 6 + \
        ["accept"] * 4 + ["send"] * 5 + ["sendmsg"] * 2 + ["recv"] * 5 + \
        ["recv_into"] * 2 + ["shutdown"] * 3 + ["close"] * 4 + ["dup"] + \
        ["setsockopt"] * 5 + ["getsockopt"] * 3 + ["poll"] * 2 + \
        ["ioctl"] + ["nonblock"] * 2 + ["names"]

    def thread(self, tid):
        rng = random.Random(self.seed * 1000 + tid)
        me = threading.current_thread()
        while time.monotonic() < self.deadline:
            name = rng.choice(self.CALLS)
            s = self.get(rng)
            if s is None and name != "socket" and name != "close":
                name = "socket"
            self.current[me] = (name, time.monotonic())
            try:
                getattr(self, "c_" + name)(rng, s)
                key = name
            except OSError as e:
                key = "%s:%s" % (name, errno.errorcode.get(e.errno, e.errno))
            except (ValueError, OverflowError) as e:   # python refused the args
                key = "%s:py-%s" % (name, type(e).__name__)
            except Exception as e:  # noqa: BLE001 - reported, fails the run
                self.crashes.append("%s: %s: %s" % (name, type(e).__name__, e))
                key = name + ":crash"
            self.current.pop(me, None)
            with self.lock:
                self.calls[key] = self.calls.get(key, 0) + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ns-a", required=True)
    ap.add_argument("--ns-b", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--calls", default="", help="only these calls (comma separated; "
                    "socket and close are always in)")
    args = ap.parse_args()
    if args.calls:
        keep = set(args.calls.split(",")) | {"socket", "close"}
        Fuzzer.CALLS = [c for c in Fuzzer.CALLS if c in keep]
    nss = []
    for n in (args.ns_a, args.ns_b):
        ns = lib.Netns(n, "")
        ns.open()
        nss.append(ns)
    t0 = time.monotonic()
    f = Fuzzer(nss, args.seed, t0 + args.seconds)
    threads = [threading.Thread(target=f.thread, args=(i,), daemon=True)
               for i in range(args.threads)]
    for t in threads:
        t.start()
    hung = []
    for t in threads:
        t.join(max(f.deadline - time.monotonic(), 0) + 10)
        if t.is_alive():
            name, start = f.current.get(t, ("?", t0))
            hung.append("%s blocked for %.1f s" % (name, time.monotonic() - start))
    total = sum(f.calls.values())
    print("seed=%d" % args.seed)
    print("calls=%d" % total)
    print("seconds=%.1f" % (time.monotonic() - t0))
    print("rate=%.0f" % (total / max(time.monotonic() - t0, 0.001)))
    ok = sum(v for k, v in f.calls.items() if ":" not in k)
    print("calls_ok=%d" % ok)
    top = sorted(f.calls.items(), key=lambda kv: -kv[1])[:25]
    print("top=%s" % " ".join("%s=%d" % kv for kv in top))
    for h in hung:
        print("hung=%s" % h)
    for c in f.crashes[:10]:
        print("crash=%s" % c)
    if not hung:
        for s in f.slots:
            if s is not None:
                s.close()
    sys.stdout.flush()
    # a hung thread holds a socket: exit without waiting for it
    os._exit(1 if hung or f.crashes else 0)


if __name__ == "__main__":
    main()
