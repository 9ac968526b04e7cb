#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Observability: /proc/net/mytcp, /proc/net/mytcp_stat, the tracepoints and
the tool's ss, stat and trace commands, over a scripted exchange.

The exchange (run once, shared by the tests that read it): server in A
(10.0.1.1:5000, ``mytcp serve --hold``), client in B (``mytcp connect
--data hello --expect-echo --hold``), TIME_WAIT shortened to 4 s with
net.mytcp.time_wait_ms.  While it runs, the rows of /proc/net/mytcp and the
output of ``mytcp ss`` are sampled in each phase (LISTEN, ESTABLISHED,
FIN_WAIT2/CLOSE_WAIT, TIME_WAIT), ``mytcp trace`` draws it, a tracing
instance of the test's own records the raw events and tshark captures the
segments on the veth.  Then a connect to a closed port is refused."""

import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

import lib
from lib import test

# IPv4 only: not a socket-API file (runner.py reads this)
FAMILIES = ("v4",)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, "tools", "mytcp", "mytcp")
TRACEFS = "/sys/kernel/tracing"
EVENTS = ("mytcp_state", "mytcp_segment_out", "mytcp_segment_in",
          "mytcp_retransmit", "mytcp_drop")
PORT = 5000             # the exchange
CLOSED_PORT = 5001      # nobody listens: refused
RTX_PORT = 5002         # the retransmission test
TW_MS = 4000
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
FLAG_BITS = {"FIN": FIN, "SYN": SYN, "RST": RST, "PSH": PSH, "ACK": ACK,
             "URG": 0x20, "ECE": 0x40, "CWR": 0x80}


# ------------------------------------------------------------------ helpers

def need_tool():
    if not os.access(TOOL, os.X_OK):
        raise AssertionError("%s not built (make tool)" % TOOL)


def in_ns(netns, args):
    return (["ip", "netns", "exec", netns.name] if netns else []) + list(args)


def tool(netns, *args, timeout=60):
    """Run the tool in netns; returns (returncode, stdout, stderr)."""
    r = subprocess.run(in_ns(netns, [TOOL] + list(args)), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=timeout)
    return r.returncode, r.stdout, r.stderr


def tool_bg(netns, args, out):
    """Start the tool in netns, stdout and stderr to the file out."""
    f = open(out, "w")
    try:
        return subprocess.Popen(in_ns(netns, [TOOL] + list(args)), stdout=f,
                                stderr=subprocess.STDOUT)
    finally:
        f.close()


def wait_file(path, proc=None, timeout=30, what=None):
    def ready():
        if proc is not None and proc.poll() is not None:
            raise AssertionError("%s exited %s before it was ready" % (
                what or path, proc.returncode))
        return os.path.exists(path)
    lib.wait_for(ready, timeout, what or path)


def finish(proc, timeout=30, what="process"):
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("%s did not end within %d s" % (what, timeout)) from None


def proc_lines(netns):
    with lib.ns(netns):
        with open("/proc/thread-self/net/mytcp") as f:
            return f.read().splitlines()[1:]


def read_stat(netns):
    with lib.ns(netns):
        with open("/proc/thread-self/net/mytcp_stat") as f:
            return {k: int(v) for k, v in (ln.split() for ln in f if ln.strip())}


def parse_flags(s):
    bits = 0
    for name in s.split("|"):
        bits |= FLAG_BITS.get(name, 0)
    return bits


class RawTrace:
    """The mytcp events in a tracing instance of the test's own."""

    def __init__(self, tag):
        self.dir = os.path.join(TRACEFS, "instances", "observe-%d-%s" % (os.getpid(), tag))

    def start(self):
        if not os.path.exists(os.path.join(TRACEFS, "events", "mytcp")):
            raise AssertionError("no %s/events/mytcp" % TRACEFS)
        os.mkdir(self.dir)
        with open(os.path.join(self.dir, "events", "mytcp", "enable"), "w") as f:
            f.write("1")

    def stop(self):
        """Returns [(event, args)] in order."""
        with open(os.path.join(self.dir, "events", "mytcp", "enable"), "w") as f:
            f.write("0")
        with open(os.path.join(self.dir, "trace")) as f:
            text = f.read()
        os.rmdir(self.dir)
        out = []
        for line in text.splitlines():
            m = re.search(r": (mytcp_\w+): (.*)$", line)
            if m:
                out.append((m.group(1), m.group(2)))
        return out


# ------------------------------------------------ the ladder of mytcp trace

ROW = re.compile(r"^\[(\d+)\]\s+(\d+\.\d+) (.{11}) \|(.*)\|(?: (\S+))?$")


def parse_ladder(text, conn):
    """Rows of connection conn: dicts with t, cstate, sstate, and arrow
    (dir "c2s"/"s2c", flags, seq, ack, len, in_only) or note (side, text)."""
    rows = []
    header = footer = None
    for line in text.splitlines():
        if not line.startswith("[%d]" % conn):
            continue
        m = ROW.match(line)
        if not m:
            if "client" in line and "server" in line and header is None:
                header = line
            elif " after " in line:
                footer = line
            continue
        row = {"t": float(m.group(2)), "cstate": m.group(3).strip(),
               "sstate": m.group(5) or "", "arrow": None, "note": None}
        mid = m.group(4)
        if mid.startswith("--"):
            row["arrow"] = arrow("c2s", mid[2:].rstrip(">").rstrip("-"))
        elif mid.startswith("<--"):
            row["arrow"] = arrow("s2c", mid[3:].rstrip("-"))
        elif mid.strip().startswith("* "):
            row["note"] = ("client", mid.strip()[2:])
        elif mid.strip().endswith(" *"):
            row["note"] = ("server", mid.strip()[:-2])
        elif mid.strip():
            raise AssertionError("unreadable ladder line: %r" % line)
        rows.append(row)
    return header, rows, footer


def arrow(direction, label):
    toks = label.split()
    a = {"dir": direction, "flags": parse_flags(toks[0]), "fl": toks[0],
         "seq": None, "ack": None, "len": 0, "in_only": "(in)" in toks}
    for t in toks[1:]:
        if "=" in t:
            k, v = t.split("=", 1)
            a[k] = int(v)
    return a


def arrows(rows):
    return [r["arrow"] for r in rows if r["arrow"]]


def states_of(rows, key):
    return [r[key] for r in rows if r[key]]


# ------------------------------------------------------------ the exchange

_exchange = None


def exchange():
    """Run the scripted exchange once; later calls return its record."""
    global _exchange
    if isinstance(_exchange, str):
        raise AssertionError("the exchange failed earlier: " + _exchange)
    if _exchange is None:
        try:
            _exchange = run_exchange()
        except BaseException as e:
            _exchange = "%s: %s" % (type(e).__name__, e)
            raise
    return _exchange


def start_tshark(netns, dev, out, err):
    if not shutil.which("tshark"):
        return None
    fo, fe = open(out, "w"), open(err, "w")
    p = subprocess.Popen(in_ns(netns, [
        "tshark", "-i", dev, "-l", "-n", "-a", "duration:300",
        "-d", "ip.proto==253,tcp", "-f", "ip proto 253", "-T", "fields",
        "-e", "ip.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e", "tcp.dstport",
        "-e", "tcp.flags", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.len"]),
        stdout=fo, stderr=fe)
    fo.close()
    fe.close()

    def capturing():
        if p.poll() is not None:
            with open(err) as f:
                raise AssertionError("tshark exited: " + f.read().strip())
        with open(err) as f:
            return "Capturing on" in f.read()
    lib.wait_for(capturing, 60, "tshark to start capturing")
    return p


def run_exchange():
    need_tool()
    a, b = lib.netpair()            # server in A, client in B
    for n in (a, b):
        lib.write_sysctl(os.path.join(lib.MYTCP_SYSCTL, "time_wait_ms"), TW_MS, n)
    tmp = tempfile.mkdtemp(prefix="observe.")
    ex = {"tmp": tmp, "a": a, "b": b, "seen": {"A": set(), "B": set()},
          "rows": {}, "ss": {}, "timeline": [], "t0": time.monotonic()}
    ex["stat0"] = {"A": read_stat(a), "B": read_stat(b)}
    raw = RawTrace("ex")
    raw.start()
    try:
        ex["tshark_proc"] = start_tshark(a, "va", tmp + "/tshark.out", tmp + "/tshark.err")
        trace = tool_bg(None, ["trace", "--port", str(PORT), "--count-connections", "1",
                               "--duration", "90", "--svg", tmp + "/ladder.svg",
                               "--ready-file", tmp + "/trace.ready"], tmp + "/trace.out")
        wait_file(tmp + "/trace.ready", trace, what="mytcp trace")
        serve = tool_bg(a, ["serve", "--port", str(PORT), "--count", "1", "--hold", "5000",
                            "--ready-file", tmp + "/serve.ready"], tmp + "/serve.out")
        wait_file(tmp + "/serve.ready", serve, what="mytcp serve")
        sample(ex, "listen")
        client = tool_bg(b, ["connect", "--addr", lib.ADDR_A, "--port", str(PORT),
                             "--data", "hello", "--expect-echo", "--hold", "5000"],
                         tmp + "/client.out")
        phase(ex, "established", "ESTABLISHED", "ESTABLISHED")
        phase(ex, "closing", "CLOSE_WAIT", "FIN_WAIT2")
        phase(ex, "time_wait", None, "TIME_WAIT")
        phase(ex, "gone", None, None, timeout=TW_MS / 1000 + 10)
        ex["client_rc"] = finish(client, what="mytcp connect")
        ex["serve_rc"] = finish(serve, what="mytcp serve")
        ex["trace_rc"] = finish(trace, 30, what="mytcp trace")
        ex["refused"] = tool(b, "connect", "--addr", lib.ADDR_A, "--port", str(CLOSED_PORT),
                             "--data", "x")
        ex["stat1"] = {"A": read_stat(a), "B": read_stat(b)}
    finally:
        ex["raw"] = raw.stop()
        p = ex.get("tshark_proc")
        if p:
            time.sleep(0.5)
            p.send_signal(signal.SIGINT)
            finish(p, 30, "tshark")
        for name in ("client", "serve", "trace"):
            try:
                with open("%s/%s.out" % (tmp, name)) as f:
                    ex[name + "_out"] = f.read()
            except OSError:
                ex[name + "_out"] = ""
        lib.diag("\n".join(ex["timeline"]))
        lib.diag(ex["trace_out"])
        if "trace_rc" not in ex:
            lib.diag("client:\n%s\nserver:\n%s" % (ex["client_out"], ex["serve_out"]))
    return ex


def conn_rows(netns):
    """Rows of /proc/net/mytcp about the exchange's port, as split fields."""
    out = []
    for line in proc_lines(netns):
        f = line.split()
        lport, rport = int(f[1].split(":")[1], 16), int(f[2].split(":")[1], 16)
        if PORT in (lport, rport):
            out.append(f)
    return out


# the `mytcp ss` runs of each phase: (namespace, options)
SS_RUNS = {
    "listen": [("A", ()), ("A", ("-l",))],
    "established": [("A", ()), ("B", ()), ("A", ("-l",))],
    "closing": [("A", ()), ("B", ())],
    "time_wait": [("B", ("-a",)), ("B", ())],
    "gone": [],
}


def sample(ex, name):
    """Record the rows and `mytcp ss` of both namespaces for a phase."""
    t0 = time.monotonic()
    ex["rows"][name] = {"A": conn_rows(ex["a"]), "B": conn_rows(ex["b"])}
    ex["ss"][name] = {}
    procs = [(side, opts, subprocess.Popen(
        in_ns(ex[side.lower()], [TOOL, "ss"] + list(opts)), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)) for side, opts in SS_RUNS[name]]
    for side, opts, p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, "mytcp ss %s: exit %d: %s" % (" ".join(opts), p.returncode, err)
        ex["ss"][name][(side,) + opts] = out
    ex["timeline"].append("%s: sampled in %.2f s" % (name, time.monotonic() - t0))


def connection_states(netns):
    """States of the rows of the exchange's connection (not the listener)."""
    return sorted(lib.STATE_NAMES[int(f[3], 16)] for f in conn_rows(netns)
                  if int(f[3], 16) != lib.LISTEN)


def phase(ex, name, want_a, want_b, timeout=15):
    """Wait until A's and B's connection rows are in the given states."""
    want = ({"A": [want_a] if want_a else [], "B": [want_b] if want_b else []})
    got = {}

    def check():
        for side, n in (("A", ex["a"]), ("B", ex["b"])):
            got[side] = connection_states(n)
            ex["seen"][side].update(got[side])
        return got == want
    try:
        lib.wait_for(check, timeout, name)
        ex["timeline"].append("%s: at %.2f s" % (name, time.monotonic() - ex["t0"]))
    except AssertionError:
        raise AssertionError("phase %s: rows in A %s, in B %s; wanted %s" % (
            name, got.get("A"), got.get("B"), want)) from None
    sample(ex, name)


# --------------------------------------------------------------- the tests

@test(timeout=150, only="mytcp")
def proc_rows_follow_the_exchange():
    """/proc/net/mytcp shows LISTEN, ESTABLISHED, FIN_WAIT2/CLOSE_WAIT, TIME_WAIT, then nothing."""
    ex = exchange()
    assert ex["client_rc"] == 0 and ex["serve_rc"] == 0, \
        "client exit %s, server exit %s:\n%s\n%s" % (
            ex["client_rc"], ex["serve_rc"], ex["client_out"], ex["serve_out"])
    assert "ESTABLISHED" in ex["seen"]["A"] and "ESTABLISHED" in ex["seen"]["B"]
    assert "CLOSE_WAIT" in ex["seen"]["A"] and "FIN_WAIT2" in ex["seen"]["B"]
    assert "TIME_WAIT" in ex["seen"]["B"]
    listen = [f for f in ex["rows"]["listen"]["A"] if int(f[3], 16) == lib.LISTEN]
    assert len(listen) == 1, "no single LISTEN row: %s" % ex["rows"]["listen"]["A"]
    assert listen[0][1] == "00000000:%04X" % PORT and listen[0][2] == "00000000:0000", listen[0]
    est = ex["rows"]["established"]
    srv = [f for f in est["A"] if int(f[3], 16) == lib.ESTABLISHED][0]
    cli = est["B"][0]
    # the two ends name each other: local of one is the remote of the other
    assert srv[1] == cli[2] and srv[2] == cli[1], "tuples differ: %s / %s" % (srv, cli)
    assert len(srv) >= 14 and int(srv[12]) > 0 and int(srv[13]) > 0, \
        "no rto_ms and cwnd columns: %s" % srv
    tw = ex["rows"]["time_wait"]["B"][0]
    tr, when = tw[5].split(":")
    assert int(tr, 16) == 3, "TIME_WAIT row's timer is %s, not 3: %s" % (tr, tw)
    assert 0 < int(when, 16) * 10 <= TW_MS + 100, "TIME_WAIT time left %s" % when
    assert ex["rows"]["gone"] == {"A": [], "B": []} or \
        all(int(f[3], 16) == lib.LISTEN for f in ex["rows"]["gone"]["A"] + ex["rows"]["gone"]["B"])


@test(timeout=150, only="mytcp")
def ss_shows_each_phase():
    """mytcp ss prints the states like ss -tan; -a adds LISTEN and TIME-WAIT, -l is LISTEN only."""
    ex = exchange()
    ss = ex["ss"]
    cport = int(ex["rows"]["established"]["B"][0][1].split(":")[1], 16)
    srv, cli = "%s:%d" % (lib.ADDR_A, PORT), "%s:%d" % (lib.ADDR_B, cport)

    def has(text, state, local, peer, extra=""):
        return re.search(r"^%s\s+\d+\s+\d+\s+%s\s+%s(?=\s|$).*%s" % (
            re.escape(state), re.escape(local), re.escape(peer), re.escape(extra)),
            text, re.M)

    assert ss["listen"][("A", "-l")].splitlines()[0].split()[:3] == ["State", "Recv-Q", "Send-Q"]
    assert has(ss["listen"][("A", "-l")], "LISTEN", "0.0.0.0:%d" % PORT, "0.0.0.0:*")
    assert not has(ss["listen"][("A",)], "LISTEN", "0.0.0.0:%d" % PORT, "0.0.0.0:*"), \
        "LISTEN shown without -a"
    assert has(ss["established"][("A",)], "ESTAB", srv, cli), ss["established"][("A",)]
    assert has(ss["established"][("B",)], "ESTAB", cli, srv), ss["established"][("B",)]
    assert not has(ss["established"][("A", "-l")], "ESTAB", srv, cli), "-l shows ESTAB"
    assert has(ss["closing"][("A",)], "CLOSE-WAIT", srv, cli), ss["closing"][("A",)]
    assert has(ss["closing"][("B",)], "FIN-WAIT-2", cli, srv), ss["closing"][("B",)]
    assert has(ss["time_wait"][("B", "-a")], "TIME-WAIT", cli, srv, "timer:(timewait,"), \
        ss["time_wait"][("B", "-a")]
    assert not has(ss["time_wait"][("B",)], "TIME-WAIT", cli, srv), "TIME-WAIT shown without -a"


@test(timeout=150, only="mytcp")
def stat_counters_move():
    """ActiveOpens, PassiveOpens, TimeWaits, DropNoSocket and the segment counts change as expected."""
    ex = exchange()
    rc, out, err = ex["refused"]
    assert rc == 2, "connect to a closed port: exit %d, not 2 (refused): %s" % (rc, err)
    d = {side: {k: ex["stat1"][side][k] - ex["stat0"][side].get(k, 0)
                for k in ex["stat1"][side]} for side in ("A", "B")}
    lib.diag("A: %s" % {k: v for k, v in d["A"].items() if v})
    lib.diag("B: %s" % {k: v for k, v in d["B"].items() if v})
    want = {("B", "ActiveOpens"): 2, ("A", "PassiveOpens"): 1, ("B", "TimeWaits"): 1,
            ("A", "DropNoSocket"): 1, ("B", "AttemptFails"): 1, ("A", "OutRsts"): 1,
            ("A", "ActiveOpens"): 0, ("B", "PassiveOpens"): 0, ("A", "TimeWaits"): 0}
    bad = ["%s %s %+d (want %+d)" % (s, k, d[s][k], v) for (s, k), v in want.items()
           if d[s][k] != v]
    assert not bad, "; ".join(bad)
    # over the veth every segment one end sent, the other received
    assert d["B"]["OutSegs"] >= 6 and d["A"]["InSegs"] == d["B"]["OutSegs"], \
        "A received %d of the %d segments B sent" % (d["A"]["InSegs"], d["B"]["OutSegs"])
    assert d["A"]["OutSegs"] >= 5 and d["B"]["InSegs"] == d["A"]["OutSegs"], \
        "B received %d of the %d segments A sent" % (d["B"]["InSegs"], d["A"]["OutSegs"])


@test(timeout=150, only="mytcp")
def tracepoints_fire():
    """mytcp_state, mytcp_segment_out/_in and mytcp_drop fire with the exchange's tuples."""
    ex = exchange()
    raw = ex["raw"]
    fired = {e for e, _ in raw}
    for e in ("mytcp_state", "mytcp_segment_out", "mytcp_segment_in", "mytcp_drop"):
        assert e in fired, "%s never fired; got %s" % (e, sorted(fired))
    cport = int(ex["rows"]["established"]["B"][0][1].split(":")[1], 16)
    cli, srv = "%s:%d" % (lib.ADDR_B, cport), "%s:%d" % (lib.ADDR_A, PORT)
    states = [a.split(" ", 3)[3] for e, a in raw if e == "mytcp_state"
              and a.split()[1] == cli]
    assert states == ["CLOSE -> SYN_SENT", "SYN_SENT -> ESTABLISHED",
                      "ESTABLISHED -> FIN_WAIT1", "FIN_WAIT1 -> FIN_WAIT2",
                      "FIN_WAIT2 -> TIME_WAIT", "TIME_WAIT -> CLOSE"], states
    states = [a.split(" ", 3)[3] for e, a in raw if e == "mytcp_state"
              and a.split()[1] == srv and a.split()[2] == cli]
    assert states == ["LISTEN -> SYN_RECV", "SYN_RECV -> ESTABLISHED",
                      "ESTABLISHED -> CLOSE_WAIT", "CLOSE_WAIT -> LAST_ACK",
                      "LAST_ACK -> CLOSE"], states
    outs = [a for e, a in raw if e == "mytcp_segment_out" and cli in a.split()[1:3]]
    ins = [a for e, a in raw if e == "mytcp_segment_in" and cli in a.split()[1:3]]
    # same namespaces' kernel: every segment sent is received, same fields
    strip = [a.split(" ", 1)[1] for a in outs]
    assert sorted(strip) == sorted(a.split(" ", 1)[1] for a in ins), \
        "segment_in events differ from segment_out:\n%s\n%s" % (outs, ins)
    drops = [a for e, a in raw if e == "mytcp_drop"]
    assert any(a.endswith("%s:%d reason=DropNoSocket" % (lib.ADDR_A, CLOSED_PORT))
               for a in drops), drops


@test(timeout=150, only="mytcp")
def trace_ladder_structure():
    """mytcp trace draws the exchange: SYN, SYN|ACK, ACK, the data, FIN|ACK, ACK, FIN|ACK, ACK, with the states."""
    ex = exchange()
    assert ex["trace_rc"] == 0, "mytcp trace exit %d:\n%s" % (ex["trace_rc"], ex["trace_out"])
    header, rows, footer = parse_ladder(ex["trace_out"], 1)
    cport = int(ex["rows"]["established"]["B"][0][1].split(":")[1], 16)
    assert header and "client %s:%d" % (lib.ADDR_B, cport) in header and \
        "server %s:%d" % (lib.ADDR_A, PORT) in header, "header: %r" % header
    assert footer and "closed after" in footer, "footer: %r" % footer
    assert "[2]" not in ex["trace_out"], "more than one connection drawn"
    arr = arrows(rows)
    seq = [(x["dir"], x["fl"]) for x in arr]
    assert seq[:3] == [("c2s", "SYN"), ("s2c", "SYN|ACK"), ("c2s", "ACK")], seq
    assert seq[-4:] == [("c2s", "FIN|ACK"), ("s2c", "ACK"), ("s2c", "FIN|ACK"),
                        ("c2s", "ACK")], seq
    data = [x for x in arr[3:-4]]
    assert all(x["flags"] & ACK and not x["flags"] & (SYN | FIN | RST) for x in data), seq
    assert [x["len"] for x in data if x["dir"] == "c2s" and x["len"]] == [5], seq
    assert [x["len"] for x in data if x["dir"] == "s2c" and x["len"]] == [5], seq
    assert not any(x["in_only"] for x in arr), "arrows drawn from segment_in"
    # the numbers hang together
    syn, synack, ack = arr[:3]
    assert synack["ack"] == (syn["seq"] + 1) % 2**32 and ack["seq"] == synack["ack"]
    assert ack["ack"] == (synack["seq"] + 1) % 2**32
    fin_c, ack_s, fin_s, ack_c = arr[-4:]
    assert ack_s["ack"] == (fin_c["seq"] + 1) % 2**32 and ack_c["ack"] == (fin_s["seq"] + 1) % 2**32
    assert fin_c["seq"] == (syn["seq"] + 1 + 5) % 2**32, "client FIN after 5 bytes"
    # each end's states, in order, and where they sit
    assert states_of(rows, "cstate") == ["SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
                                         "TIME_WAIT", "CLOSE"], states_of(rows, "cstate")
    assert states_of(rows, "sstate") == ["SYN_RECV", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK",
                                         "CLOSE"], states_of(rows, "sstate")
    idx = {id(r["arrow"]): i for i, r in enumerate(rows) if r["arrow"]}
    at = [idx[id(x)] for x in arr]
    pos = {}
    for i, r in enumerate(rows):
        for key in ("cstate", "sstate"):
            if r[key]:
                pos[(key, r[key])] = i
    assert pos[("cstate", "SYN_SENT")] <= at[0] < pos[("sstate", "SYN_RECV")] <= at[1]
    assert at[1] < pos[("cstate", "ESTABLISHED")] <= at[2] < pos[("sstate", "ESTABLISHED")]
    assert pos[("cstate", "FIN_WAIT1")] <= at[-4] < pos[("sstate", "CLOSE_WAIT")] <= at[-3]
    assert at[-3] < pos[("cstate", "FIN_WAIT2")] < at[-2]
    assert pos[("sstate", "LAST_ACK")] <= at[-2] < pos[("cstate", "TIME_WAIT")]
    assert at[-1] < pos[("sstate", "CLOSE")] and at[-1] < pos[("cstate", "CLOSE")]
    # TIME_WAIT lasted about time_wait_ms
    tw = rows[pos[("cstate", "CLOSE")]]["t"] - rows[pos[("cstate", "TIME_WAIT")]]["t"]
    assert TW_MS / 1000 - 0.05 < tw < TW_MS / 1000 + 2, "TIME_WAIT lasted %.3f s" % tw
    # aligned: every row's lifelines in the same columns
    lines = [ln for ln in ex["trace_out"].splitlines() if ROW.match(ln)]
    assert len({ln.index("|") for ln in lines}) == 1 and \
        len({ln.rindex("|") for ln in lines}) == 1, "lifelines not aligned"


@test(timeout=150, only="mytcp")
def trace_svg():
    """--svg writes the same ladder as an SVG of lines and text."""
    ex = exchange()
    root = ET.parse(ex["tmp"] + "/ladder.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == ns + "svg", root.tag
    texts = [t.text or "" for t in root.iter(ns + "text")]
    lines = list(root.iter(ns + "line"))
    _, rows, _ = parse_ladder(ex["trace_out"], 1)
    arr = arrows(rows)
    # two lifelines and one line per arrow
    assert len(lines) == 2 + len(arr), "%d lines for %d arrows" % (len(lines), len(arr))
    labels = [t for t in texts if re.match(r"^[A-Z|]+ seq=", t)]
    assert [t.split()[0] for t in labels] == [x["fl"] for x in arr], labels
    for st in ("SYN_SENT", "SYN_RECV", "TIME_WAIT", "LAST_ACK"):
        assert st in texts, "no %s in the SVG" % st


@test(timeout=150, only="mytcp")
def tshark_agrees_with_trace():
    """tshark, decoding protocol 253 as TCP, sees the flags, seq and ack the trace drew."""
    ex = exchange()
    if not ex.get("tshark_proc"):
        raise lib.Skip("no tshark")
    with open(ex["tmp"] + "/tshark.out") as f:
        cap = [ln.split("\t") for ln in f.read().splitlines() if ln.strip()]
    cport = int(ex["rows"]["established"]["B"][0][1].split(":")[1], 16)
    wire = {"c2s": [], "s2c": []}
    for src, sport, dst, dport, flags, seq, ack, ln in cap:
        if {int(sport), int(dport)} != {cport, PORT}:
            continue
        d = "c2s" if int(sport) == cport else "s2c"
        wire[d].append((int(flags, 16) & 0xff, int(seq), int(ack) if int(flags, 16) & ACK else None,
                        int(ln or 0)))
    _, rows, _ = parse_ladder(ex["trace_out"], 1)
    drawn = {"c2s": [], "s2c": []}
    for x in arrows(rows):
        drawn[x["dir"]].append((x["flags"], x["seq"], x["ack"], x["len"]))
    for d in ("c2s", "s2c"):
        assert wire[d] == drawn[d], "%s: tshark %s\ntrace %s" % (d, wire[d], drawn[d])
    assert len(wire["c2s"]) >= 5 and len(wire["s2c"]) >= 4


@test(timeout=120, only="mytcp")
def trace_retransmit_and_drop():
    """A lost SYN shows as a retransmit (timeout) note and a second SYN; a refused SYN as a drop and a RST."""
    need_tool()
    a, b = lib.netpair()
    for n in (a, b):
        lib.write_sysctl(os.path.join(lib.MYTCP_SYSCTL, "time_wait_ms"), 200, n)
    tmp = tempfile.mkdtemp(prefix="observe-rtx.")
    before = read_stat(b)
    raw = RawTrace("rtx")
    raw.start()
    try:
        trace = tool_bg(None, ["trace", "--port", str(RTX_PORT), "--count-connections", "2",
                               "--duration", "60", "--ready-file", tmp + "/trace.ready"],
                        tmp + "/trace.out")
        wait_file(tmp + "/trace.ready", trace, what="mytcp trace")
        serve = tool_bg(a, ["serve", "--port", str(RTX_PORT), "--count", "1",
                            "--ready-file", tmp + "/serve.ready"], tmp + "/serve.out")
        wait_file(tmp + "/serve.ready", serve, what="mytcp serve")
        # exactly the first SYN is lost (a policer at A: no race between
        # the end of an impairment and the SYN's 1 s timer, which a busy
        # machine lost, with three SYNs in the ladder)
        with lib.drop_first(a, lib.SYN, lib.SYN | lib.ACK) as dropped:
            client = tool_bg(b, ["connect", "--addr", lib.ADDR_A, "--port", str(RTX_PORT),
                                 "--data", "x", "--expect-echo"], tmp + "/client.out")
            assert finish(client, 30, "mytcp connect") == 0
            assert dropped()["drops"] == 1, "the filter dropped %d SYNs, wanted 1" % \
                dropped()["drops"]
        assert finish(serve, 30, "mytcp serve") == 0
        rc, _, err = tool(b, "connect", "--addr", lib.ADDR_A, "--port", str(RTX_PORT), "--data", "x")
        assert rc == 2, "second connect: exit %d, not refused: %s" % (rc, err)
        assert finish(trace, 30, "mytcp trace") == 0
    finally:
        events = raw.stop()
    with open(tmp + "/trace.out") as f:
        out = f.read()
    lib.diag(out)
    rtx = [a for e, a in events if e == "mytcp_retransmit"]
    assert rtx, "no mytcp_retransmit event"
    # the SYN went again because its timer ran out (a probe is only for a
    # closed window of a synchronized connection)
    why = re.search(r"why=(\w+)", rtx[0]).group(1)
    assert why == "timeout", rtx
    assert read_stat(b)["RetransSegs"] > before.get("RetransSegs", 0)
    _, rows, footer = parse_ladder(out, 1)
    arr = arrows(rows)
    assert [x["fl"] for x in arr[:3]] == ["SYN", "SYN", "SYN|ACK"], [x["fl"] for x in arr]
    assert arr[0]["seq"] == arr[1]["seq"], "the retransmitted SYN has another seq"
    notes = [(i, r["note"]) for i, r in enumerate(rows) if r["note"]]
    assert notes and notes[0][1][0] == "client" and \
        re.match(r"retransmit \(timeout\) seq=%d len=0 rto=\d+ms$" % arr[0]["seq"],
                 notes[0][1][1]), notes
    assert "1 retransmission," in footer, footer
    _, rows, footer = parse_ladder(out, 2)
    seq = [(r["arrow"]["dir"], r["arrow"]["fl"]) if r["arrow"] else r["note"]
           for r in rows if r["arrow"] or r["note"]]
    assert seq == [("c2s", "SYN"), ("server", "drop: DropNoSocket"), ("s2c", "RST|ACK")], seq
    assert states_of(rows, "cstate") == ["SYN_SENT", "CLOSE"] and not states_of(rows, "sstate")
    assert footer and "closed after" in footer and "1 drop" in footer, footer


def mac_of(netns, dev):
    out = lib.ip("-n", netns.name, "-o", "link", "show", dev).stdout
    return re.search(r"link/ether ([0-9a-f:]+)", out).group(1)


@test(timeout=90, only="mytcp")
def half_open_syn_recv():
    """A lost SYN,ACK leaves a SYN_RECV row (tr 1) that ss shows as SYN-RECV; the listener sends the SYN,ACK again."""
    need_tool()
    a, b = lib.netpair()
    # no ARP through the lossy link: the neighbours are known
    lib.ip("-n", b.name, "neigh", "replace", lib.ADDR_A, "lladdr", mac_of(a, "va"),
           "dev", "vb", "nud", "permanent")
    lib.ip("-n", a.name, "neigh", "replace", lib.ADDR_B, "lladdr", mac_of(b, "vb"),
           "dev", "va", "nud", "permanent")
    lst, port = lib.listener(a)
    before = read_stat(a)
    raw = RawTrace("synrecv")
    raw.start()
    try:
        with lib.netem(a, "loss 100%"):
            c = lib.sock(b)
            c.setblocking(False)
            try:
                c.connect((lib.ADDR_A, port))
            except BlockingIOError:
                pass
            rows = lib.wait_for(lambda: [ln.split() for ln in proc_lines(a)
                                         if int(ln.split()[3], 16) == lib.SYN_RECV], 10,
                                "a SYN_RECV row")
            rc, out, err = tool(a, "ss", "-a")
            # past the first SYN,ACK's timeout (1 s): sent again
            lib.wait_for(lambda: read_stat(a)["RetransSegs"] > before.get("RetransSegs", 0),
                         10, "RetransSegs in A")
        lib.wait_poll(c, select.POLLOUT, 20)
    finally:
        events = raw.stop()
    f = rows[0]
    assert f[1] == "0101000A:%04X" % port and f[2].startswith("0201000A:"), f
    assert f[5].startswith("01:"), "SYN_RECV row's timer is not 1 (retransmission): %s" % f
    assert rc == 0 and re.search(r"^SYN-RECV\s+0\s+0\s+%s:%d\s+%s:\d+\s+timer:\(on," % (
        re.escape(lib.ADDR_A), port, re.escape(lib.ADDR_B)), out, re.M), out
    synacks = [x for e, x in events if e == "mytcp_segment_out" and "flags=SYN|ACK" in x]
    assert len(synacks) >= 2, "the SYN,ACK was not sent again: %s" % synacks
    traced = [x for e, x in events if e == "mytcp_retransmit"
              and x.split()[1] == "%s:%d" % (lib.ADDR_A, port)]
    assert traced, "the listener's SYN,ACK retransmission fired no mytcp_retransmit"
    # Both ends time out after 1 s: the listener's own timer (why=timeout)
    # or the client's SYN again (why=syn, RFC 9293 3.10.7.4) may come first.
    why = re.search(r"why=(\S+)", traced[0])
    assert why and why.group(1) in ("timeout", "syn"), traced[0]


def connection_states_port(netns, port):
    return [lib.STATE_NAMES.get(int(ln.split()[3], 16)) for ln in proc_lines(netns)
            if int(ln.split()[2].split(":")[1], 16) == port]


def enable_state():
    st = {}
    for e in EVENTS:
        with open(os.path.join(TRACEFS, "events", "mytcp", e, "enable")) as f:
            st[e] = f.read().strip()
    with open(os.path.join(TRACEFS, "tracing_on")) as f:
        st["tracing_on"] = f.read().strip()
    return st


def set_enable(st):
    for e, v in st.items():
        path = os.path.join(TRACEFS, "tracing_on") if e == "tracing_on" else \
            os.path.join(TRACEFS, "events", "mytcp", e, "enable")
        with open(path, "w") as f:
            f.write(v.rstrip("*"))


@test(timeout=90, only="mytcp")
def trace_restores_events():
    """mytcp trace leaves the events' enable state as it found it, in an instance or with --global."""
    need_tool()
    orig = enable_state()
    mixed = {e: "1" if e == "mytcp_drop" else "0" for e in EVENTS}
    mixed["tracing_on"] = "0"
    tmp = tempfile.mkdtemp(prefix="observe-en.")
    try:
        set_enable(mixed)
        # a private instance: the top level is never touched
        p = tool_bg(None, ["trace", "--duration", "3", "--ready-file", tmp + "/r1"], tmp + "/o1")
        wait_file(tmp + "/r1", p, what="mytcp trace")
        inst = [d for d in os.listdir(os.path.join(TRACEFS, "instances"))
                if d == "mytcp-trace-%d" % p.pid]
        assert inst, "no instances/mytcp-trace-%d while tracing" % p.pid
        with open(os.path.join(TRACEFS, "instances", inst[0], "events", "mytcp",
                               "mytcp_state", "enable")) as f:
            assert f.read().strip() == "1", "mytcp_state not enabled in the instance"
        assert enable_state() == mixed, "top level changed while tracing in an instance"
        assert finish(p, 30, "mytcp trace") == 0
        assert not os.path.exists(os.path.join(TRACEFS, "instances", inst[0])), "instance left behind"
        assert enable_state() == mixed, "after: %s, before: %s" % (enable_state(), mixed)
        # --global: enabled while it runs, put back afterwards
        p = tool_bg(None, ["trace", "--global", "--duration", "3", "--ready-file", tmp + "/r2"],
                    tmp + "/o2")
        wait_file(tmp + "/r2", p, what="mytcp trace --global")
        during = enable_state()
        assert all(during[e] == "1" for e in EVENTS) and during["tracing_on"] == "1", during
        assert finish(p, 30, "mytcp trace --global") == 0
        assert enable_state() == mixed, "after --global: %s, before: %s" % (enable_state(), mixed)
        # SIGINT ends it the same way
        p = tool_bg(None, ["trace", "--ready-file", tmp + "/r3"], tmp + "/o3")
        wait_file(tmp + "/r3", p, what="mytcp trace")
        p.send_signal(signal.SIGINT)
        assert finish(p, 30, "mytcp trace after SIGINT") == 0
        assert not os.path.exists(os.path.join(TRACEFS, "instances", "mytcp-trace-%d" % p.pid))
        assert enable_state() == mixed, "after SIGINT: %s" % enable_state()
        # an unmounted tracefs is mounted for the run and unmounted after
        mnt = os.path.join(tmp, "tracefs")
        os.mkdir(mnt)
        rc, out, err = tool(None, "trace", "--tracefs", mnt, "--duration", "1")
        assert rc == 0, "trace --tracefs %s: exit %d: %s" % (mnt, rc, err)
        assert "0 connections traced" in out, out
        assert not os.path.ismount(mnt), "tracefs left mounted on " + mnt
    finally:
        set_enable(orig)


@test(timeout=60, only="mytcp")
def stat_delta():
    """mytcp stat prints every counter; --delta shows a refused connect as ActiveOpens +1."""
    need_tool()
    a, b = lib.netpair()
    rc, out, err = tool(b, "stat")
    assert rc == 0, err
    names = [ln.split()[0] for ln in out.splitlines()]
    for n in ("ActiveOpens", "PassiveOpens", "TimeWaits", "DropNoSocket", "RetransSegs"):
        assert n in names, "%s missing from mytcp stat" % n
    assert all(re.match(r"^\S+ +\d+$", ln) for ln in out.splitlines()), out
    rc, out, err = tool(b, "stat", "DropNoSocket", "activeopens")
    assert rc == 0 and [ln.split()[0] for ln in out.splitlines()] == ["ActiveOpens", "DropNoSocket"], out
    p = subprocess.Popen(in_ns(b, [TOOL, "stat", "--delta", "4", "--count", "1", "--nonzero"]),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    rc, _, err = tool(b, "connect", "--addr", lib.ADDR_A, "--port", str(CLOSED_PORT), "--data", "x")
    assert rc == 2, "connect to a closed port: exit %d: %s" % (rc, err)
    out, err = p.communicate(timeout=20)
    assert p.returncode == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("-- interval 1: 4.000 s"), out
    got = dict(ln.split() for ln in lines[1:])
    assert got.get("ActiveOpens") == "+1" and got.get("AttemptFails") == "+1", out
    assert "PassiveOpens" not in got, "--nonzero printed an unchanged counter: " + out


@test(timeout=60)
def curr_estab_gauge():
    """CurrEstab counts connections in ESTABLISHED or CLOSE_WAIT now: up with each handshake, still counted in CLOSE_WAIT, down once closed."""
    a, b = lib.netpair()

    def estab():
        return lib.counters(a)["CurrEstab"]
    base = estab()
    pairs = [lib.connected(a, b)[:2] for _ in range(3)]
    assert estab() == base + 3, "CurrEstab %d after 3 connects, was %d" % (estab(), base)
    for _, s in pairs:
        s.close()
    ports = [c.getsockname()[1] for c, _ in pairs]
    lib.wait_for(lambda: all(lib.states(a, lport=p) == [lib.CLOSE_WAIT] for p in ports),
                 10, "A's ends in CLOSE_WAIT")
    assert estab() == base + 3, "CurrEstab %d with 3 in CLOSE_WAIT, was %d" % (estab(), base)
    for c, _ in pairs:
        c.close()
    lib.wait_for(lambda: estab() == base, 10, "CurrEstab back to %d" % base)


@test(timeout=60)
def ss_rows_and_queues():
    """mytcp ss lists the listener and an ESTAB row whose Recv-Q holds the unread bytes (tcp: same as ss -tan)."""
    need_tool()
    a, b = lib.netpair()
    c, s, lst = lib.connected(b, a)
    port = lst.getsockname()[1]
    cport = c.getsockname()[1]
    c.sendall(b"x" * 100)
    lib.wait_for(lambda: any(r["rx_queue"] == 100 for r in lib.proc_rows(a)
                             if r["local"][1] == port and r["remote"][1] == cport),
                 10, "100 bytes queued")
    rc, out, err = tool(a, "ss", "-a", "--proto", lib.PROTO_NAME)
    assert rc == 0, err
    rows = [ln.split() for ln in out.splitlines()[1:]]
    assert any(r[0] == "LISTEN" and r[3:5] == ["0.0.0.0:%d" % port, "0.0.0.0:*"]
               for r in rows), out
    est = [r for r in rows if r[0] == "ESTAB"]
    assert [r[1:5] for r in est] == [["100", "0", "%s:%d" % (lib.ADDR_A, port),
                                      "%s:%d" % (lib.ADDR_B, cport)]], out
    if lib.PROTO_NAME != "tcp" or not shutil.which("ss"):
        return
    # the same as iproute2's ss, but for a LISTEN row's Send-Q (the backlog
    # through netlink, 0 in /proc/net/tcp)
    r = subprocess.run(in_ns(a, ["ss", "-tan"]), stdout=subprocess.PIPE, text=True, timeout=30)
    theirs = sorted((f[0], f[1], f[3], f[4]) for f in
                    (ln.split() for ln in r.stdout.splitlines()[1:]) if f)
    rc, out, _ = tool(a, "ss", "-a", "--proto", "tcp")
    ours = sorted((f[0], f[1], f[3], f[4]) for f in
                  (ln.split() for ln in out.splitlines()[1:]) if f)
    assert ours == theirs, "mytcp ss %s\nss -tan %s" % (ours, theirs)


if __name__ == "__main__":
    lib.main()
