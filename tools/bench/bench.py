#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench.py: mytcp and the kernel's TCP side by side, in one run.

Usage (as root, in a VM with mytcp loaded; tools/bench/vm-bench.sh does it):
    bench.py [--json FILE] [--reps N] [--duration S] [--netem-duration S]
             [--cpu N] [--rows NAME,...] [--quick] [--flows PATH]
    bench.py --table FILE          print the table of a --json FILE

Every row runs the same Python code for both protocols, the only difference
being the third argument of socket(): IPPROTO_MYTCP (253) or IPPROTO_TCP.
The runs alternate mytcp, tcp, mytcp, tcp... and each figure is the median.
Clients and servers are long-lived helper processes (one client worker and
one server per namespace), all pinned to one CPU (--cpu): under QEMU TCG a
wakeup sent to an idle vCPU waits until the host runs that vCPU's thread
again, and on a busy host two processes on different vCPUs ping-pong up to
a hundred times slower than on the same one.

Rows:
  loopback     bulk throughput, client -> server over 127.0.0.1
  veth         bulk throughput over a veth pair between two namespaces
  veth-netem   the same over a second veth pair with netem on both ends:
               10 ms delay each way (20 ms RTT), 1% loss each way; each
               protocol's default congestion control (mytcp: newreno,
               Debian's TCP: cubic)
  veth-netem-cubic  the same, both senders on CUBIC (TCP_CONGESTION
               "cubic"; mytcp's from mytcp_cubic.ko)
  rr           1-byte request/response ping-pong, TCP_NODELAY both ends,
               over loopback
  crr          connect, 1-byte request, 1-byte response, close, over loopback
  loss0.1-rtt20, loss1-rtt20, loss0.1-rtt100, loss1-rtt100
               bulk over veth + netem, 0.1% or 1% loss each way, 20 or
               100 ms RTT, GSO off, SO_SNDBUF = SO_RCVBUF = 512 KiB on both
               ends, long enough runs to leave slow start
  bidir        both ends send and read at once on one connection, clean
               veth (the figure: both directions together)
  bidir-netem  the same over the 20 ms, 1% loss link
  flows64      64 flows of one protocol through a 20 Mbit/s netem
               bottleneck (20 ms RTT): total rate; Jain's index per run
  flows-mixed  32 mytcp + 32 TCP flows at once through that bottleneck:
               each protocol's rate (ratio 1.0 = an even split), Jain's
               index over all 64
The last four run tools/bench/flows (flows.c, --flows PATH) as their data
path, not Python.  For every run the guest's CPU time (all CPUs, from
/proc/stat: user, system, irq and softirq) per MB moved is recorded, and
mytcp's retransmissions split by cause from its mytcp_retransmit
tracepoint (fast or timeout: /proc/net/mytcp_stat has no such split).

This only measures: a run that fails or hangs gives no figure and a note, it
never fails the bench.  Every socket has a timeout, every process runs under
timeout(1), and the orchestrator waits for nothing without a deadline.
"""

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

import fairness

IPPROTO_MYTCP = 253
MYTCP_INFO = 200
PROTOS = (("mytcp", IPPROTO_MYTCP), ("tcp", socket.IPPROTO_TCP))

SEND_CHUNK = 256 << 10          # bytes per sendall(): the deadline is
                                # checked between two, so not too large
RECV_CHUNK = 1 << 20            # bytes per recv_into()
MAX_FAILS = 2                   # failed runs before a row gives up a protocol
SOCK_TIMEOUT = 10.0             # seconds, on every socket
PORTS = {"bulk": 5001, "rr": 5002, "crr": 5003, "bulkbuf": 5004}
FLOWS_PORT = 5005               # tools/bench/flows server, both protocols
# the long-RTT rows: the same fixed buffers for both protocols (the kernel
# doubles the value), so neither is limited by its autotuning or lack of it
BENCH_BUF = 512 << 10
FLOWS = 64                      # flows in flows64 (half each in flows-mixed)

NETEM = "delay 10ms loss 1% limit 10000"
BOTTLENECK = "delay 10ms rate 20mbit limit 1000"
# veth pairs between namespaces A and B: device prefix, third octet of
# 10.77.X.0/24, netem on A's end, netem on B's end (None: no qdisc).
# Every pair with netem has GSO off (see Net.up).
LINKS = (
    ("mbc", 1, None, None),
    ("mbl", 2, NETEM, NETEM),
    ("mb3", 3, "delay 10ms loss 0.1% limit 10000",
     "delay 10ms loss 0.1% limit 10000"),
    ("mb4", 4, "delay 50ms loss 0.1% limit 10000",
     "delay 50ms loss 0.1% limit 10000"),
    ("mb5", 5, "delay 50ms loss 1% limit 10000",
     "delay 50ms loss 1% limit 10000"),
    # the bottleneck: A (the senders) to B at 20 Mbit/s, a 1000-packet
    # queue; ACKs back without a rate limit
    ("mbf", 6, BOTTLENECK, "delay 10ms limit 1000"),
)


def peer(x):
    return "10.77.%d.2" % x


NET_CLEAN = ("10.77.1.1", peer(1))
NET_LOSSY = ("10.77.2.1", peer(2))

# name, kind, where the client runs ("lo": root namespace, "ns": namespace
# A), server address, unit, description, and options: cc (the sender's
# TCP_CONGESTION), dur (seconds, or "short"/"netem" for --duration and
# --netem-duration), reps (default --reps), buf (BENCH_BUF on both ends),
# spec (flows: what to open, "P" is the protocol of the run)
def row(name, kind, where, host, unit, desc, **kw):
    r = {"name": name, "kind": kind, "where": where, "host": host,
         "unit": unit, "desc": desc, "cc": None, "dur": "short",
         "reps": None, "buf": False, "spec": None}
    r.update(kw)
    return r


ROWS = (
    row("loopback", "bulk", "lo", "127.0.0.1", "Mbit/s",
        "bulk throughput, loopback"),
    row("veth", "bulk", "ns", NET_CLEAN[1], "Mbit/s",
        "bulk throughput, veth between namespaces"),
    row("veth-netem", "bulk", "ns", NET_LOSSY[1], "Mbit/s",
        "bulk throughput, veth + netem 20 ms RTT, 1% loss", dur="netem"),
    row("veth-netem-cubic", "bulk", "ns", NET_LOSSY[1], "Mbit/s",
        "the same, both senders on CUBIC", cc="cubic", dur="netem"),
    row("rr", "rr", "lo", "127.0.0.1", "trans/s",
        "1-byte request/response, TCP_NODELAY, loopback"),
    row("crr", "crr", "lo", "127.0.0.1", "conn/s",
        "connect/request/response/close, loopback"),
    # long enough to leave slow start and see several loss epochs: at
    # 0.1% and 100 ms a Reno window of ~40 segments loses one packet
    # every ~25 round trips, 2.5 s
    row("loss0.1-rtt20", "bulk", "ns", peer(3), "Mbit/s",
        "bulk, netem 20 ms RTT, 0.1% loss, 512 KiB buffers",
        dur=6, reps=3, buf=True),
    row("loss1-rtt20", "bulk", "ns", peer(2), "Mbit/s",
        "bulk, netem 20 ms RTT, 1% loss, 512 KiB buffers",
        dur=6, reps=3, buf=True),
    row("loss0.1-rtt100", "bulk", "ns", peer(4), "Mbit/s",
        "bulk, netem 100 ms RTT, 0.1% loss, 512 KiB buffers",
        dur=10, reps=3, buf=True),
    row("loss1-rtt100", "bulk", "ns", peer(5), "Mbit/s",
        "bulk, netem 100 ms RTT, 1% loss, 512 KiB buffers",
        dur=10, reps=3, buf=True),
    row("bidir", "bidir", "ns", peer(1), "Mbit/s",
        "both directions at once on one connection, veth (sum)",
        dur=3, reps=3, spec="P:1"),
    row("bidir-netem", "bidir", "ns", peer(2), "Mbit/s",
        "both directions at once, netem 20 ms RTT, 1% loss (sum)",
        dur=6, reps=3, spec="P:1"),
    row("flows64", "flows", "ns", peer(6), "Mbit/s",
        "64 flows of one protocol, 20 Mbit/s bottleneck, 20 ms RTT",
        dur=8, reps=2, spec="P:%d" % FLOWS),
    row("flows-mixed", "mixed", "ns", peer(6), "Mbit/s",
        "32 mytcp + 32 TCP flows at once through that bottleneck",
        dur=8, reps=2, spec="%d:%d,%d:%d" % (
            IPPROTO_MYTCP, FLOWS // 2, socket.IPPROTO_TCP, FLOWS // 2)),
)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------ socket info

def sock_info(s, proto):
    """Sender-side counters: retransmits, cwnd (bytes), srtt (us), mss."""
    try:
        if proto == IPPROTO_MYTCP:
            b = s.getsockopt(IPPROTO_MYTCP, MYTCP_INFO, 80)
            v = struct.unpack_from("=16I", b)
            return {"retrans": v[14], "cwnd": v[12], "srtt_us": v[10],
                    "mss": v[1]}
        b = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        mss, = struct.unpack_from("=I", b, 16)
        rtt, = struct.unpack_from("=I", b, 68)
        cwnd, = struct.unpack_from("=I", b, 80)
        retrans, = struct.unpack_from("=I", b, 100)
        return {"retrans": retrans, "cwnd": cwnd * mss, "srtt_us": rtt,
                "mss": mss}
    except OSError as e:
        return {"error": str(e)}


def set_bufs(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BENCH_BUF)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, BENCH_BUF)


def new_socket(proto):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    s.settimeout(SOCK_TIMEOUT)
    return s


# ------------------------------------------------------------------ server

def serve_bulk(conn, proto):
    buf = bytearray(RECV_CHUNK)
    total = 0
    while True:
        n = conn.recv_into(buf)
        if not n:
            break
        total += n
    conn.sendall(struct.pack("!Q", total))


def serve_rr(conn, proto):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        d = conn.recv(64)
        if not d:
            break
        conn.sendall(d)


def handle(conn, proto, fn, name):
    try:
        with conn:
            conn.settimeout(SOCK_TIMEOUT)
            fn(conn, proto)
    except OSError as e:
        log("server %s/%s: %s" % (name, proto, e))


def listener(proto, kind):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if kind == "bulkbuf":
        # before listen(): the window scale is chosen at the handshake
        set_bufs(ls)
    ls.bind(("0.0.0.0", PORTS[kind]))
    ls.listen(128)
    return ls


def accept_loop(ls, proto, kind):
    while True:
        try:
            conn, _ = ls.accept()
        except OSError as e:
            log("server accept %s/%s: %s" % (kind, proto, e))
            time.sleep(0.1)
            continue
        if kind == "crr":
            # inline: a thread per connection would cost more than the
            # connection itself; the socket timeout bounds a stuck one
            try:
                with conn:
                    conn.settimeout(SOCK_TIMEOUT)
                    d = conn.recv(1)
                    if d:
                        conn.sendall(d)
                        conn.recv(1)    # the client's FIN
            except OSError as e:
                log("server crr/%s: %s" % (proto, e))
            continue
        fn = serve_bulk if kind.startswith("bulk") else serve_rr
        threading.Thread(target=handle, args=(conn, proto, fn, kind),
                         daemon=True).start()


def run_server():
    """Listen on every (protocol, kind); say "ready"; serve until stdin
    closes."""
    socks = [(listener(p, k), p, k) for _, p in PROTOS for k in PORTS]
    for ls, p, k in socks:
        threading.Thread(target=accept_loop, args=(ls, p, k),
                         daemon=True).start()
    print("ready %d" % os.getpid(), flush=True)
    sys.stdin.read()


# ------------------------------------------------------------------ client

def client_bulk(proto, host, duration, cc=None, buf=False):
    with new_socket(proto) as s:
        if cc:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION,
                         cc.encode())
        if buf:
            set_bufs(s)
        return bulk(s, proto, host, duration,
                    PORTS["bulkbuf" if buf else "bulk"])


def bulk(s, proto, host, duration, port):
    s.connect((host, port))
    data = memoryview(bytes(SEND_CHUNK))
    sent = 0
    t0 = time.monotonic()
    end = t0 + duration
    while time.monotonic() < end:
        s.sendall(data)
        sent += SEND_CHUNK
    t_send = time.monotonic()
    s.shutdown(socket.SHUT_WR)
    # the server answers with what it received once it has read our FIN:
    # the time runs until every byte has arrived, not just been queued
    s.settimeout(SOCK_TIMEOUT + duration)
    reply = b""
    while len(reply) < 8:
        d = s.recv(8 - len(reply))
        if not d:
            raise OSError("server closed without its byte count")
        reply += d
    t1 = time.monotonic()
    got, = struct.unpack("!Q", reply)
    info = sock_info(s, proto)
    r = {"value": got * 8 / (t1 - t0) / 1e6, "bytes_sent": sent,
         "bytes_received": got, "seconds": t1 - t0,
         "drain_seconds": t1 - t_send}
    r.update(info)
    if got != sent:
        r["note"] = "server received %d of %d bytes" % (got, sent)
    return r


def client_rr(proto, host, duration):
    with new_socket(proto) as s:
        return rr(s, proto, host, duration)


def rr(s, proto, host, duration):
    s.connect((host, PORTS["rr"]))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    send, recv, mono = s.send, s.recv, time.monotonic
    n = 0
    t0 = mono()
    end = t0 + duration
    t = t0
    while t < end:
        for _ in range(32):
            send(b"x")
            if not recv(1):
                raise OSError("server closed")
        n += 32
        t = mono()
    info = sock_info(s, proto)
    r = {"value": n / (t - t0), "transactions": n, "seconds": t - t0}
    r.update(info)
    return r


def client_crr(proto, host, duration):
    addr = (host, PORTS["crr"])
    mono = time.monotonic
    n = 0
    t0 = mono()
    end = t0 + duration
    t = t0
    while t < end:
        with new_socket(proto) as s:
            s.connect(addr)
            s.send(b"x")
            if not s.recv(1):
                raise OSError("server closed before answering")
        n += 1
        t = mono()
    return {"value": n / (t - t0), "connections": n, "seconds": t - t0}


CLIENTS = {"bulk": client_bulk, "rr": client_rr, "crr": client_crr}


def run_client(kind, proto, host, duration, cc=None, buf=False):
    c0 = os.times()
    try:
        if kind == "bulk":
            r = client_bulk(proto, host, duration, cc, buf)
        else:
            r = CLIENTS[kind](proto, host, duration)
    except OSError as e:
        r = {"value": None, "error": "%s: %s" % (type(e).__name__, e)}
    c1 = os.times()
    r["cpu_user"] = c1.user - c0.user
    r["cpu_sys"] = c1.system - c0.system
    return r


def run_worker():
    """Run the clients asked for on stdin, one JSON line each, answer each
    with a JSON line; until stdin closes."""
    print("ready %d" % os.getpid(), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        if req["kind"] == "pipe":
            r = pipe_pingpong(req["duration"], req["cross"])
        elif req["kind"] in ("bidir", "flows", "mixed"):
            r = run_flows(req)
        else:
            r = run_client(req["kind"], req["proto"], req["host"],
                           req["duration"], req.get("cc"), req.get("buf"))
        print(json.dumps(r), flush=True)


def run_flows(req):
    """Run the C client (flows.c) with @req's spec, summarise its flows."""
    spec = req["spec"].replace("P", str(req["proto"]))
    cmd = [req["bin"], "client", req["host"], str(FLOWS_PORT),
           str(req["duration"]), "bidir" if req["kind"] == "bidir" else "sink",
           spec]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=req["duration"] * 2 + 60)
        j = json.loads(p.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired) as e:
        return {"value": None, "error": "flows: %s: %s" % (
            type(e).__name__, e)}
    return flows_summary(j)


def flows_summary(j):
    """The figures of one flows.c run: total rate, per-protocol rates, Jain's
    index over all flows and per protocol, shares.  A failed flow counts
    with what it moved (usually 0): it is part of the unfairness.

    Bidir: every byte of both directions, over the time until the last
    arrived.  Sink (the flow rows): what each flow had acknowledged at
    the deadline, over the sending time: while all flows compete.  The
    queues drained after it (mytcp's default send buffer is larger than
    TCP's autotuned one) would otherwise count as one protocol's share
    gained once the other's flows had finished."""
    bidir = j["mode"] == "bidir"
    secs = j["seconds"] if bidir else j["window"]
    names = {p: n for n, p in PROTOS}
    per = {}
    moved = 0
    errors = [f["error"] for f in j["flows"] if "error" in f]
    for f in j["flows"]:
        moved += f["delivered"] + f["received"]
        if bidir:
            b = f["delivered"] + f["received"]
            rate = b * 8 / f["seconds"] / 1e6 if f["seconds"] > 0 else 0.0
        else:
            # less the 8-octet header (and SYN, FIN)
            b = max(f["acked_by_deadline"] - 10, 0)
            rate = b * 8 / secs / 1e6
        per.setdefault(names.get(f["proto"], str(f["proto"])), []).append(
            (rate, b, f["retrans"]))
    counted = sum(x[1] for v in per.values() for x in v)
    r = {"bytes_moved": moved, "seconds": j["seconds"], "window": secs,
         "flows": len(j["flows"]),
         "cpu_user": j["cpu_user"], "cpu_sys": j["cpu_sys"],
         "value": counted * 8 / secs / 1e6 if secs > 0 and counted else None,
         "jain": fairness.jain([x[0] for v in per.values() for x in v]),
         "retrans": sum(x[2] for v in per.values() for x in v),
         "by_proto": {n: {"mbit": sum(x[1] for x in v) * 8 / secs / 1e6
                          if secs > 0 else None,
                          "jain": fairness.jain([x[0] for x in v]),
                          "flows": len(v)} for n, v in per.items()},
         "share": fairness.shares({n: [x[1] for x in v]
                                   for n, v in per.items()})}
    if j["mode"] == "bidir":
        r["up_bytes"] = sum(f["delivered"] for f in j["flows"])
        r["down_bytes"] = sum(f["received"] for f in j["flows"])
    if errors:
        r["note"] = "%d of %d flows failed (%s)" % (len(errors),
                                                    len(j["flows"]),
                                                    errors[0])
        if r["value"] is None:
            r["error"] = r.pop("note")
    return r


def pipe_pingpong(duration, cross):
    """1-byte ping-pong between two processes over pipes: the ceiling of the
    rr row, no network stack involved.  @cross: the two on different CPUs."""
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(w1)
            os.close(r2)
            if cross:
                mine = os.sched_getaffinity(0)
                other = set(range(os.cpu_count())) - mine
                os.sched_setaffinity(0, {min(other or mine)})
            while True:
                d = os.read(r1, 1)
                if not d:
                    break
                os.write(w2, d)
        finally:
            os._exit(0)
    os.close(r1)
    os.close(w2)
    n = 0
    t0 = time.monotonic()
    end = t0 + duration
    t = t0
    while t < end:
        for _ in range(32):
            os.write(w1, b"x")
            os.read(r2, 1)
        n += 32
        t = time.monotonic()
    os.close(w1)
    os.close(r2)
    os.waitpid(pid, 0)
    return {"value": n / (t - t0)}


# ------------------------------------------------------------ orchestrator

def sh(*cmd, check=True):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=30)
    if check and p.returncode:
        raise RuntimeError("%s: %s" % (" ".join(cmd), p.stdout.strip()))
    return p


class Net:
    """Namespaces A and B and the veth pairs of LINKS between them."""

    def __init__(self):
        tag = str(os.getpid())
        self.a = "mbench-a-" + tag
        self.b = "mbench-b-" + tag

    def up(self):
        for ns in (self.a, self.b):
            sh("ip", "netns", "add", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        for dev, x, qa, qb in LINKS:
            ipa, ipb = "10.77.%d.1" % x, peer(x)
            sh("ip", "link", "add", dev + "0", "netns", self.a, "type",
               "veth", "peer", "name", dev + "1", "netns", self.b)
            sh("ip", "-n", self.a, "addr", "add", ipa + "/24", "dev",
               dev + "0")
            sh("ip", "-n", self.b, "addr", "add", ipb + "/24", "dev",
               dev + "1")
            for ns, d, q in ((self.a, dev + "0", qa), (self.b, dev + "1", qb)):
                sh("ip", "-n", ns, "link", "set", d, "up")
                if not q:
                    continue
                # netem drops (and rate-limits) whole skbs: without GSO,
                # 1% is 1% of wire packets for both protocols (TCP would
                # otherwise lose 64 KiB bursts at once), and the
                # bottleneck queues packets, not 64 KiB trains
                sh("ip", "-n", ns, "link", "set", d, "gso_max_segs", "1")
                sh("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", d,
                   "root", "netem", *q.split())

    def down(self):
        for ns in (self.a, self.b):
            sh("ip", "netns", "del", ns, check=False)


class Runner:
    """The helper processes, all under timeout(1), in their namespaces:
    a server and a client worker per side, started once.  A worker that
    does not answer in time is killed and started again."""

    def __init__(self, budget):
        self.budget = budget
        self.procs = []
        self.workers = {}

    def start(self, ns, mode, argv=None):
        """Start a helper: this script in @mode, or the program @argv."""
        pre = ["ip", "netns", "exec", ns] if ns else []
        cmd = pre + ["timeout", "-k", "5", str(int(self.budget))] + (
            argv or [sys.executable, "-S", os.path.abspath(__file__), mode])
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True,
                             start_new_session=True)
        self.procs.append(p)
        line = read_line(p.stdout, 60).split()
        if len(line) != 2 or line[0] != "ready":
            raise RuntimeError("%s in %s did not start (%r)"
                               % (mode, ns or "the root namespace", line))
        p.helper_pid = int(line[1])
        return p

    def worker(self, ns):
        p = self.workers.get(ns)
        if p is None or p.poll() is not None:
            p = self.workers[ns] = self.start(ns, "--worker")
        return p

    def run(self, ns, req):
        """Send @req to the worker in @ns, return its answer."""
        limit = req["duration"] * 2 + SOCK_TIMEOUT * 2 + 15
        p = self.worker(ns)
        try:
            p.stdin.write(json.dumps(req) + "\n")
            p.stdin.flush()
            line = read_line(p.stdout, limit)
        except OSError as e:
            line = ""
            err = str(e)
        else:
            err = "no answer in %d s" % limit
        try:
            return json.loads(line)
        except ValueError:
            self.kill(p)
            self.workers.pop(ns, None)
            return {"value": None, "error": "worker: " + err}

    @staticmethod
    def kill(p):
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        p.wait()

    def stop(self):
        for p in self.procs:
            try:
                p.stdin.close()
            except OSError:
                pass
        for p in self.procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                self.kill(p)


def read_line(f, timeout):
    """readline() with a deadline, from a helper thread."""
    out = []
    t = threading.Thread(target=lambda: out.append(f.readline()),
                         daemon=True)
    t.start()
    t.join(timeout)
    return out[0] if out else ""


def counters(pid):
    """mytcp's and TCP's segment counters in the namespace of @pid."""
    c = {}
    try:
        with open("/proc/%d/net/mytcp_stat" % pid) as f:
            for line in f:
                k, v = line.split()
                c["mytcp." + k] = int(v)
        with open("/proc/%d/net/snmp" % pid) as f:
            tcp = [line.split()[1:] for line in f if line.startswith("Tcp:")]
        for k, v in zip(*tcp):
            if k in ("InSegs", "OutSegs", "RetransSegs", "InErrs", "OutRsts",
                     "AttemptFails", "EstabResets"):
                c["tcp." + k] = int(v)
        with open("/proc/%d/net/netstat" % pid) as f:
            ext = [line.split()[1:] for line in f
                   if line.startswith("TcpExt:")]
        for k, v in zip(*ext):
            if k in TCP_EXT:
                c["tcp." + k] = int(v)
    except (OSError, ValueError):
        pass
    return c


# TCP's loss-recovery counters (TcpExt in /proc/net/netstat)
TCP_EXT = ("TCPTimeouts", "TCPFastRetrans", "TCPLossProbes",
           "TCPSlowStartRetrans", "TCPLostRetransmit", "TCPSackRecovery",
           "TCPRenoRecovery")


def proc_stat():
    """CPU time of the whole guest, all CPUs, in seconds: busy (user, nice,
    system, irq, softirq) and softirq alone, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:8]]
    except (OSError, ValueError):
        return 0.0, 0.0
    hz = os.sysconf("SC_CLK_TCK")
    return (v[0] + v[1] + v[2] + v[5] + v[6]) / hz, v[6] / hz


class Trace:
    """mytcp's retransmissions by cause, from its mytcp_retransmit
    tracepoint in a tracefs instance of our own ("fast": three duplicate
    ACKs; "timeout": the retransmission timer, and the go-back-N resends
    after it).  /proc/net/mytcp_stat counts RetransSegs only."""

    ROOT = "/sys/kernel/tracing/instances/mytcp-bench-%d" % os.getpid()

    def __init__(self):
        self.ok = False
        try:
            os.mkdir(self.ROOT)
            self._write("buffer_size_kb", "4096")
            self._write("events/mytcp/mytcp_retransmit/enable", "1")
            self.ok = True
        except OSError as e:
            log("bench: no mytcp_retransmit tracepoint (%s): no split of "
                "retransmissions by cause" % e)

    def _write(self, name, v):
        with open(os.path.join(self.ROOT, name), "w") as f:
            f.write(v)

    def clear(self):
        if self.ok:
            self._write("trace", "")

    def counts(self):
        """{"mytcp.trace.fast": n, "mytcp.trace.timeout": n} since clear()."""
        c = {}
        if not self.ok:
            return c
        with open(os.path.join(self.ROOT, "trace")) as f:
            for line in f:
                i = line.find(" why=")
                if i < 0 or "mytcp_retransmit" not in line:
                    continue
                why = line[i + 5:].split(None, 1)[0]
                c["mytcp.trace." + why] = c.get("mytcp.trace." + why, 0) + 1
        return c

    def close(self):
        if not self.ok:
            return
        try:
            self._write("events/mytcp/mytcp_retransmit/enable", "0")
            os.rmdir(self.ROOT)
        except OSError:
            pass


def read_first(path):
    try:
        with open(path) as f:
            return f.readline().strip()
    except OSError:
        return None


def softnet():
    """Packets the per-CPU input backlogs dropped (netdev_max_backlog
    exceeded) and squeezed, summed over the CPUs: veth delivers through
    them."""
    c = {"softnet.dropped": 0, "softnet.time_squeeze": 0}
    try:
        with open("/proc/net/softnet_stat") as f:
            for line in f:
                v = line.split()
                c["softnet.dropped"] += int(v[1], 16)
                c["softnet.time_squeeze"] += int(v[2], 16)
    except (OSError, ValueError, IndexError):
        pass
    return c


def cpu_ticks(pid):
    """utime + stime of @pid, in seconds."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            v = f.read().rsplit(")", 1)[1].split()
        hz = os.sysconf("SC_CLK_TCK")
        return int(v[11]) / hz, int(v[12]) / hz
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0


def median(xs):
    xs = sorted(xs)
    if not xs:
        return None
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


def fmt(v):
    if v is None:
        return "n/a"
    if v >= 100:
        return "%.0f" % v
    return "%.1f" % v if v >= 10 else "%.2f" % v


def fmtn(v):
    """A count (a median may end in .5)."""
    return "n/a" if v is None else "%g" % v


def fmt2(v):
    return "n/a" if v is None else "%.2f" % v


def table(res):
    lines = ["%-16s %10s %10s  %-8s %6s  %s" % (
        "row", "mytcp", "tcp", "unit", "ratio", "pairs: median (min-max)")]
    notes = []
    for row in res["rows"]:
        ratio = row["ratio"]
        pairs = row.get("pair_ratios") or []
        lines.append("%-16s %10s %10s  %-8s %6s  %s" % (
            row["row"], fmt(row["mytcp"]), fmt(row["tcp"]), row["unit"],
            "n/a" if ratio is None else "%.2f" % ratio,
            "%.2f (%.2f-%.2f)" % (median(pairs), min(pairs), max(pairs))
            if pairs else "n/a"))
        for name, _ in PROTOS:
            for i, r in enumerate(row["runs"][name]):
                why = r.get("error") or r.get("note")
                if why and not (row.get("kind") == "mixed" and name == "tcp"):
                    notes.append("%s, %s run %d: %s" % (row["row"], name,
                                                        i + 1, why))
    reps = sorted({len(r["runs"]["mytcp"]) for r in res["rows"]})
    lines.append("median of %s runs each, alternating mytcp/tcp; ratio = "
                 "mytcp/tcp of the medians, higher is better" % (
                     "/".join(str(n) for n in reps) or res["reps"]))
    lines.append("pairs: each mytcp run over the tcp run right after it; "
                 "their spread is the noise (flows-mixed: both in one run)")
    cal = res.get("calibration", {})
    if cal:
        lines.append("pipe ping-pong between two processes (no network): "
                     "%s/s on one CPU, %s/s across CPUs" % (
                         fmt(cal.get("pipe_same_cpu")),
                         fmt(cal.get("pipe_any_cpu"))))
    cpu_rows = [r for r in res["rows"] if r.get("cpu_ms_per_mb")]
    if cpu_rows:
        lines.append("")
        lines.append("guest CPU per MB moved, ms (all CPUs: user, system, "
                     "irq, softirq; median; lower is better)")
        lines.append("%-16s %8s %8s %6s   %s" % (
            "row", "mytcp", "tcp", "m/t", "softirq part: mytcp tcp"))
        for r in cpu_rows:
            c, s = r["cpu_ms_per_mb"], r.get("softirq_part", {})
            lines.append("%-16s %8s %8s %6s   %s %s" % (
                r["row"], fmt(c.get("mytcp")), fmt(c.get("tcp")),
                fmt2(c["mytcp"] / c["tcp"]) if c.get("mytcp") and
                c.get("tcp") else "n/a",
                fmt2(s.get("mytcp")), fmt2(s.get("tcp"))))
    loss_rows = [r for r in res["rows"] if r.get("loss")]
    if loss_rows:
        lines.append("")
        lines.append("retransmissions per run, median (both ends): mytcp "
                     "RetransSegs, of them fast / by timeout (tracepoint); "
                     "TCP RetransSegs, TCPFastRetrans, TCPTimeouts, "
                     "TCPLossProbes")
        lines.append("%-16s %22s   %s" % ("row", "mytcp: retr fast tmo",
                                          "tcp: retr fast tmo tlp"))
        for r in loss_rows:
            m, t = r["loss"].get("mytcp", {}), r["loss"].get("tcp", {})
            lines.append("%-16s %10s %5s %5s   %9s %5s %4s %4s" % (
                r["row"], fmtn(m.get("RetransSegs")), fmtn(m.get("fast")),
                fmtn(m.get("timeout")), fmtn(t.get("RetransSegs")),
                fmtn(t.get("TCPFastRetrans")), fmtn(t.get("TCPTimeouts")),
                fmtn(t.get("TCPLossProbes"))))
    fair = [r for r in res["rows"] if r.get("fairness")]
    if fair:
        lines.append("")
        lines.append("fairness: Jain's index over the flows (1.0: all equal; "
                     "1/n: one flow has it all), median of the runs")
        for r in fair:
            f = r["fairness"]
            if r.get("kind") == "mixed":
                lines.append("%-16s all %d: %s; mytcp's %s, tcp's %s; "
                             "mytcp's share of the bytes %s" % (
                                 r["row"], FLOWS, fmt2(f.get("all")),
                                 fmt2(f.get("mytcp")), fmt2(f.get("tcp")),
                                 fmt2(f.get("share_mytcp"))))
            else:
                lines.append("%-16s mytcp %s, tcp %s" % (
                    r["row"], fmt2(f.get("mytcp")), fmt2(f.get("tcp"))))
    if notes:
        lines.append("notes:")
        lines += ["  " + n for n in notes]
    return "\n".join(lines)


def user_share(runs):
    """Of the CPU time client and server used, the part in user space (the
    Python code) rather than the kernel: how much Python costs."""
    user = sum(r.get("cpu_user", 0) + r.get("server_cpu_user", 0)
               for r in runs)
    total = user + sum(r.get("cpu_sys", 0) + r.get("server_cpu_sys", 0)
                       for r in runs)
    return user / total if total else None


def delta(before, after):
    return {k: after[k] - before.get(k, 0) for k in after
            if after[k] != before.get(k, 0)}


def loss_counts(r):
    """A run's retransmission counters, both ends summed."""
    c = {}
    for side, d in r.get("counters", {}).items():
        if side == "softnet":
            continue
        for k, v in d.items():
            c[k] = c.get(k, 0) + v
    return {"mytcp": {"RetransSegs": c.get("mytcp.RetransSegs", 0),
                      "fast": c.get("mytcp.trace.fast", 0),
                      "timeout": c.get("mytcp.trace.timeout", 0)},
            "tcp": {k: c.get("tcp." + k, 0) for k in
                    ("RetransSegs", "TCPFastRetrans", "TCPTimeouts",
                     "TCPLossProbes")}}


def summarise(row, runs, kind):
    """Medians of the side figures: CPU per MB, retransmissions, Jain."""
    ok = {n: [r for r in runs[n] if r["value"] is not None] for n, _ in PROTOS}
    if kind != "rr" and kind != "crr":
        row["cpu_ms_per_mb"] = {n: median([r["cpu_ms_per_mb"] for r in ok[n]
                                           if r.get("cpu_ms_per_mb")])
                                for n, _ in PROTOS}
        row["softirq_part"] = {n: median([r["guest_softirq"] / r["guest_cpu"]
                                          for r in ok[n]
                                          if r.get("guest_cpu")])
                               for n, _ in PROTOS}
        if kind == "mixed":
            # one run for both: its CPU is not either protocol's
            row.pop("cpu_ms_per_mb")
            row.pop("softirq_part")
    row["loss"] = {}
    for n, _ in PROTOS:
        lc = [loss_counts(r)[n] for r in ok[n]]
        if lc:
            row["loss"][n] = {k: median([x[k] for x in lc]) for k in lc[0]}
    if kind == "flows":
        row["fairness"] = {n: median([r["jain"] for r in ok[n]
                                      if r.get("jain") is not None])
                           for n, _ in PROTOS}
    elif kind == "mixed":
        rs = ok["mytcp"]
        row["fairness"] = {
            "all": median([r["jain"] for r in rs if r.get("jain")]),
            "share_mytcp": median([r["share"]["mytcp"] for r in rs
                                   if r["share"].get("mytcp") is not None])}
        for n, _ in PROTOS:
            row["fairness"][n] = median([r["by_proto"][n]["jain"] for r in rs
                                         if n in r["by_proto"] and
                                         r["by_proto"][n]["jain"]])


def row_duration(r, args):
    d = r["dur"]
    if d == "short":
        d = args.duration
    elif d == "netem":
        d = args.netem_duration
    if args.quick:
        d = min(d, 1.0 if r["dur"] == "short" else 3.0)
    return d


def row_reps(r, args):
    if args.quick:
        return 1
    return args.reps or r["reps"] or 7


def set_sysctl(path, value):
    """Write @value to /proc/sys/@path; return what was there."""
    with open("/proc/sys/" + path) as f:
        old = f.read().strip()
    with open("/proc/sys/" + path, "w") as f:
        f.write(str(value))
    return old


def orchestrate(args):
    rows = [r for r in ROWS if not args.rows or r["name"] in args.rows]
    unknown = set(args.rows or ()) - {r["name"] for r in ROWS}
    if unknown:
        sys.exit("bench: no row %s" % ", ".join(sorted(unknown)))
    for name, p in PROTOS:
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM, p).close()
        except OSError as e:
            sys.exit("bench: cannot open a %s socket (%s): is the module "
                     "loaded?" % (name, e))
    durs = {r["name"]: row_duration(r, args) for r in rows}
    reps = {r["name"]: row_reps(r, args) for r in rows}
    budget = sum(durs[n] * reps[n] * 2 * 3 for n in durs) + 300
    flows_bin = args.flows and os.path.abspath(args.flows)
    if flows_bin and not os.access(flows_bin, os.X_OK):
        log("bench: no flows helper at %s: its rows are n/a" % flows_bin)
        flows_bin = None
    cpu = None if args.cpu < 0 else args.cpu
    if cpu is not None:
        # every helper inherits it
        os.sched_setaffinity(0, {cpu})
    net = Net()
    run = Runner(budget)
    trace = Trace()
    res = {"reps": args.reps or 7, "cpu": cpu, "rows": [], "netem": NETEM,
           "links": LINKS, "buf": BENCH_BUF, "quick": args.quick,
           "uname": " ".join(os.uname()), "nproc": os.cpu_count(),
           "lscpu": sh("lscpu", check=False).stdout.splitlines()[:12],
           "clocksource": read_first(
               "/sys/devices/system/clocksource/clocksource0/"
               "current_clocksource")}
    t_start = time.monotonic()
    saved = {}
    try:
        # SO_SNDBUF/SO_RCVBUF above these are cut to them (global sysctls)
        for k in ("net/core/rmem_max", "net/core/wmem_max"):
            saved[k] = set_sysctl(k, max(int(read_first("/proc/sys/" + k)),
                                         BENCH_BUF))
        net.up()
        # the ceiling of rr: how fast two processes can wake each other
        res["calibration"] = {
            "pipe_same_cpu": run.run(None, {"kind": "pipe", "cross": False,
                                            "duration": 1})["value"],
            "pipe_any_cpu": run.run(None, {"kind": "pipe", "cross": True,
                                           "duration": 1})["value"]}
        log("pipe ping-pong: %s/s on one CPU, %s/s across CPUs" % (
            fmt(res["calibration"]["pipe_same_cpu"]),
            fmt(res["calibration"]["pipe_any_cpu"])))
        servers = {None: run.start(None, "--server"),
                   net.a: run.start(net.b, "--server")}
        cservers = {}
        if flows_bin and any(r["spec"] for r in rows):
            cservers[net.a] = run.start(net.b, None, [flows_bin, "server",
                                                      str(FLOWS_PORT)])
        for rw in rows:
            name, kind, unit = rw["name"], rw["kind"], rw["unit"]
            ns = net.a if rw["where"] == "ns" else None
            cdata = bool(rw["spec"])
            srv = (cservers if cdata else servers).get(ns)
            runs = {n: [] for n, _ in PROTOS}
            protos = PROTOS if kind != "mixed" else (("mixed", None),)
            for rep in range(reps[name]):
                for pname, proto in protos:
                    if cdata and not srv:
                        r = {"value": None, "error": "no flows helper "
                             "(bench.py --flows PATH)"}
                        for n, _ in PROTOS if kind == "mixed" else (
                                (pname, proto),):
                            runs[n].append(dict(r))
                        continue
                    fails = sum(r["value"] is None
                                for r in runs["mytcp" if kind == "mixed"
                                              else pname])
                    if fails >= MAX_FAILS:
                        r = {"value": None, "error":
                             "skipped after %d failed runs" % fails}
                        for n, _ in PROTOS if kind == "mixed" else (
                                (pname, proto),):
                            runs[n].append(dict(r))
                        continue
                    # counters on each side: in the namespace of the
                    # client worker and of the server
                    sides = {"client": run.worker(ns).helper_pid,
                             "server": srv.helper_pid}
                    if not ns:
                        del sides["server"]
                    c0 = {s: counters(pid) for s, pid in sides.items()}
                    c0["softnet"] = softnet()
                    trace.clear()
                    s0 = cpu_ticks(srv.helper_pid)
                    g0 = proc_stat()
                    r = run.run(ns, {"kind": kind, "proto": proto,
                                     "host": rw["host"],
                                     "duration": durs[name],
                                     "cc": rw["cc"], "buf": rw["buf"],
                                     "spec": rw["spec"], "bin": flows_bin})
                    g1 = proc_stat()
                    s1 = cpu_ticks(srv.helper_pid)
                    r["server_cpu_user"] = s1[0] - s0[0]
                    r["server_cpu_sys"] = s1[1] - s0[1]
                    r["guest_cpu"] = g1[0] - g0[0]
                    r["guest_softirq"] = g1[1] - g0[1]
                    moved = r.get("bytes_moved", r.get("bytes_received"))
                    if moved:
                        r["cpu_ms_per_mb"] = r["guest_cpu"] * 1e3 / (
                            moved / 1e6)
                    r["counters"] = {s: delta(c0[s], counters(pid))
                                     for s, pid in sides.items()}
                    r["counters"]["softnet"] = delta(c0["softnet"],
                                                     softnet())
                    tc = trace.counts()
                    if tc:
                        r["counters"].setdefault("client", {}).update(tc)
                    if kind == "mixed":
                        # one run, both protocols: each its own figure
                        for n, _ in PROTOS:
                            rp = dict(r)
                            bp = r.get("by_proto", {}).get(n)
                            rp["value"] = bp and bp["mbit"]
                            runs[n].append(rp)
                        v = "%s + %s" % (fmt(runs["mytcp"][-1]["value"]),
                                         fmt(runs["tcp"][-1]["value"]))
                        ok = r["value"] is not None
                    else:
                        runs[pname].append(r)
                        v = fmt(r["value"])
                        ok = r["value"] is not None
                    log("%-14s %-5s run %d/%d: %s %s%s" % (
                        name, pname, rep + 1, reps[name], v, unit,
                        "" if ok else "  (%s)" % r.get("error")))
            med = {n: median([r["value"] for r in runs[n]
                              if r["value"] is not None]) for n, _ in PROTOS}
            ratio = (med["mytcp"] / med["tcp"]
                     if med["mytcp"] is not None and med["tcp"] else None)
            pairs = [m["value"] / t["value"]
                     for m, t in zip(runs["mytcp"], runs["tcp"])
                     if m["value"] is not None and t["value"]]
            row = {"row": name, "kind": kind, "description": rw["desc"],
                   "unit": unit, "duration": durs[name],
                   "reps": reps[name], "buf": rw["buf"] and BENCH_BUF,
                   "mytcp": med["mytcp"], "tcp": med["tcp"],
                   "ratio": ratio, "pair_ratios": pairs,
                   "user_share": {n: user_share(runs[n])
                                  for n, _ in PROTOS},
                   "runs": runs}
            summarise(row, runs, kind)
            res["rows"].append(row)
    finally:
        run.stop()
        net.down()
        trace.close()
        for k, v in saved.items():
            set_sysctl(k, v)
    res["seconds"] = time.monotonic() - t_start
    print(table(res), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)
            f.write("\n")
    log("bench: %.0f s" % res["seconds"])


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "--server":
        run_server()
        return
    if mode == "--worker":
        run_worker()
        return
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", metavar="FILE", help="write the results here")
    ap.add_argument("--reps", type=int,
                    help="runs per protocol and row (default: 7, and 2-3 "
                    "for the long rows)")
    ap.add_argument("--duration", type=float, default=1.5,
                    help="seconds per run of the short rows (default 1.5)")
    ap.add_argument("--netem-duration", type=float, default=3.0,
                    help="seconds per veth-netem run (default 3)")
    ap.add_argument("--quick", action="store_true",
                    help="a smoke run: 1 run per protocol and row, at most "
                    "1 s (3 s on the long rows)")
    ap.add_argument("--flows", metavar="PATH",
                    default=os.path.join(os.path.dirname(
                        os.path.abspath(__file__)), "flows"),
                    help="the flows.c helper for the flow and bidir rows "
                    "(default: flows beside this script)")
    ap.add_argument("--cpu", type=int, default=1,
                    help="pin every client and server to this CPU "
                    "(default 1; -1: no pinning)")
    ap.add_argument("--rows", type=lambda s: s.split(","),
                    help="only these rows (comma-separated): " +
                    ",".join(r["name"] for r in ROWS))
    ap.add_argument("--table", metavar="FILE",
                    help="print the table of a --json FILE and exit")
    args = ap.parse_args()
    if args.table:
        with open(args.table) as f:
            print(table(json.load(f)))
        return
    orchestrate(args)


if __name__ == "__main__":
    main()
