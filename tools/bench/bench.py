#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench.py: mytcp and the kernel's TCP side by side, in one run.

Usage (as root, in a VM with mytcp loaded; tools/bench/vm-bench.sh does it):
    bench.py [--json FILE] [--reps N] [--duration S] [--netem-duration S]
             [--cpu N] [--rows NAME,...]
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

IPPROTO_MYTCP = 253
MYTCP_INFO = 200
PROTOS = (("mytcp", IPPROTO_MYTCP), ("tcp", socket.IPPROTO_TCP))

SEND_CHUNK = 256 << 10          # bytes per sendall(): the deadline is
                                # checked between two, so not too large
RECV_CHUNK = 1 << 20            # bytes per recv_into()
MAX_FAILS = 2                   # failed runs before a row gives up a protocol
SOCK_TIMEOUT = 10.0             # seconds, on every socket
PORTS = {"bulk": 5001, "rr": 5002, "crr": 5003}

NET_CLEAN = ("10.77.1.1", "10.77.1.2")
NET_LOSSY = ("10.77.2.1", "10.77.2.2")
NETEM = "delay 10ms loss 1% limit 10000"

# name, kind, where the client runs ("lo": root namespace, "ns": namespace
# A), server address, unit, description[, the sender's TCP_CONGESTION]
ROWS = (
    ("loopback", "bulk", "lo", "127.0.0.1", "Mbit/s",
     "bulk throughput, loopback"),
    ("veth", "bulk", "ns", NET_CLEAN[1], "Mbit/s",
     "bulk throughput, veth between namespaces"),
    ("veth-netem", "bulk", "ns", NET_LOSSY[1], "Mbit/s",
     "bulk throughput, veth + netem 20 ms RTT, 1% loss"),
    ("veth-netem-cubic", "bulk", "ns", NET_LOSSY[1], "Mbit/s",
     "the same, both senders on CUBIC", "cubic"),
    ("rr", "rr", "lo", "127.0.0.1", "trans/s",
     "1-byte request/response, TCP_NODELAY, loopback"),
    ("crr", "crr", "lo", "127.0.0.1", "conn/s",
     "connect/request/response/close, loopback"),
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
        fn = serve_bulk if kind == "bulk" else serve_rr
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

def client_bulk(proto, host, duration, cc=None):
    with new_socket(proto) as s:
        if cc:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION,
                         cc.encode())
        return bulk(s, proto, host, duration)


def bulk(s, proto, host, duration):
    s.connect((host, PORTS["bulk"]))
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


def run_client(kind, proto, host, duration, cc=None):
    c0 = os.times()
    try:
        if cc:
            r = CLIENTS[kind](proto, host, duration, cc)
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
        else:
            r = run_client(req["kind"], req["proto"], req["host"],
                           req["duration"], req.get("cc"))
        print(json.dumps(r), flush=True)


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
    """Namespaces A and B, a clean and a lossy veth pair between them."""

    def __init__(self):
        tag = str(os.getpid())
        self.a = "mbench-a-" + tag
        self.b = "mbench-b-" + tag

    def up(self):
        for ns in (self.a, self.b):
            sh("ip", "netns", "add", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        for dev, (ipa, ipb) in (("mbc", NET_CLEAN), ("mbl", NET_LOSSY)):
            sh("ip", "link", "add", dev + "0", "netns", self.a, "type",
               "veth", "peer", "name", dev + "1", "netns", self.b)
            sh("ip", "-n", self.a, "addr", "add", ipa + "/24", "dev",
               dev + "0")
            sh("ip", "-n", self.b, "addr", "add", ipb + "/24", "dev",
               dev + "1")
            for ns, d in ((self.a, dev + "0"), (self.b, dev + "1")):
                sh("ip", "-n", ns, "link", "set", d, "up")
        # netem drops whole skbs: without GSO, 1% is 1% of wire packets for
        # both protocols (TCP would otherwise lose 64 KiB bursts at once)
        for ns, d in ((self.a, "mbl0"), (self.b, "mbl1")):
            sh("ip", "-n", ns, "link", "set", d, "gso_max_segs", "1")
            sh("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", d,
               "root", "netem", *NETEM.split())

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

    def start(self, ns, mode):
        pre = ["ip", "netns", "exec", ns] if ns else []
        cmd = pre + ["timeout", "-k", "5", str(int(self.budget)),
                     sys.executable, "-S", os.path.abspath(__file__), mode]
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
    except (OSError, ValueError):
        pass
    return c


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
                if why:
                    notes.append("%s, %s run %d: %s" % (row["row"], name,
                                                        i + 1, why))
    lines.append("median of %d runs each, alternating mytcp/tcp; ratio = "
                 "mytcp/tcp of the medians, higher is better" % res["reps"])
    lines.append("pairs: each mytcp run over the tcp run right after it; "
                 "their spread is the noise")
    cal = res.get("calibration", {})
    if cal:
        lines.append("pipe ping-pong between two processes (no network): "
                     "%s/s on one CPU, %s/s across CPUs" % (
                         fmt(cal.get("pipe_same_cpu")),
                         fmt(cal.get("pipe_any_cpu"))))
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


def orchestrate(args):
    rows = [r for r in ROWS if not args.rows or r[0] in args.rows]
    for name, p in PROTOS:
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM, p).close()
        except OSError as e:
            sys.exit("bench: cannot open a %s socket (%s): is the module "
                     "loaded?" % (name, e))
    durs = {r[0]: (args.netem_duration if r[0].startswith("veth-netem")
                   else args.duration) for r in rows}
    budget = sum(durs.values()) * 2 * args.reps * 3 + 300
    cpu = None if args.cpu < 0 else args.cpu
    if cpu is not None:
        # every helper inherits it
        os.sched_setaffinity(0, {cpu})
    net = Net()
    run = Runner(budget)
    res = {"reps": args.reps, "cpu": cpu, "rows": [], "netem": NETEM,
           "uname": " ".join(os.uname()), "nproc": os.cpu_count(),
           "lscpu": sh("lscpu", check=False).stdout.splitlines()[:12],
           "clocksource": read_first(
               "/sys/devices/system/clocksource/clocksource0/"
               "current_clocksource")}
    t_start = time.monotonic()
    try:
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
        for name, kind, where, host, unit, desc, *cc in rows:
            ns = net.a if where == "ns" else None
            srv = servers[ns].helper_pid
            runs = {n: [] for n, _ in PROTOS}
            for rep in range(args.reps):
                for pname, proto in PROTOS:
                    fails = sum(r["value"] is None for r in runs[pname])
                    if fails >= MAX_FAILS:
                        runs[pname].append({"value": None, "error":
                                            "skipped after %d failed runs"
                                            % fails})
                        continue
                    # counters on each side: in the namespace of the
                    # client worker and of the server
                    sides = {"client": run.worker(ns).helper_pid,
                             "server": srv}
                    if not ns:
                        del sides["server"]
                    c0 = {s: counters(pid) for s, pid in sides.items()}
                    c0["softnet"] = softnet()
                    s0 = cpu_ticks(srv)
                    r = run.run(ns, {"kind": kind, "proto": proto,
                                     "host": host, "duration": durs[name],
                                     "cc": cc[0] if cc else None})
                    s1 = cpu_ticks(srv)
                    r["server_cpu_user"] = s1[0] - s0[0]
                    r["server_cpu_sys"] = s1[1] - s0[1]
                    r["counters"] = {s: delta(c0[s], counters(pid))
                                     for s, pid in sides.items()}
                    r["counters"]["softnet"] = delta(c0["softnet"],
                                                     softnet())
                    runs[pname].append(r)
                    v = r["value"]
                    log("%-11s %-5s run %d/%d: %s %s%s" % (
                        name, pname, rep + 1, args.reps, fmt(v), unit,
                        "" if v is not None else "  (%s)" % r.get("error")))
            med = {n: median([r["value"] for r in runs[n]
                              if r["value"] is not None]) for n, _ in PROTOS}
            ratio = (med["mytcp"] / med["tcp"]
                     if med["mytcp"] is not None and med["tcp"] else None)
            pairs = [m["value"] / t["value"]
                     for m, t in zip(runs["mytcp"], runs["tcp"])
                     if m["value"] is not None and t["value"]]
            res["rows"].append({"row": name, "description": desc,
                                "unit": unit, "duration": durs[name],
                                "mytcp": med["mytcp"], "tcp": med["tcp"],
                                "ratio": ratio, "pair_ratios": pairs,
                                "user_share": {n: user_share(runs[n])
                                               for n, _ in PROTOS},
                                "runs": runs})
    finally:
        run.stop()
        net.down()
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
    ap.add_argument("--reps", type=int, default=7,
                    help="runs per protocol and row (default 7)")
    ap.add_argument("--duration", type=float, default=1.5,
                    help="seconds per run (default 1.5)")
    ap.add_argument("--netem-duration", type=float, default=3.0,
                    help="seconds per veth-netem run (default 3)")
    ap.add_argument("--cpu", type=int, default=1,
                    help="pin every client and server to this CPU "
                    "(default 1; -1: no pinning)")
    ap.add_argument("--rows", type=lambda s: s.split(","),
                    help="only these rows (comma-separated): " +
                    ",".join(r[0] for r in ROWS))
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
