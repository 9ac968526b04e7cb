#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Why the rules exist: live experiments in a real kernel.

Each lesson runs one scripted experiment between network namespaces of
the VM (or against a scripted peer on a tun device, where the experiment
needs sequence numbers no kernel would choose), prints what happened (the
ladder of `mytcp trace`, the states on each side, what the programs saw)
and a paragraph on the rule, and checks the outcome, so that a lesson is
also a test: tools/selftests/test_lessons.py runs the same functions.

Where a lesson shows what goes wrong WITHOUT a rule, it turns the rule off
for one socket with an experiment (Documentation/lessons.md): the
namespace allows it in net.mytcp.experiments, the socket opts in with the
MYTCP_EXPERIMENTS socket option.  Both are off by default.

Usage (in the VM, as root; `make lessons` boots one):
    python3 tools/lessons/lessons.py [-k NAME]... [--list]
"""

import argparse
import contextlib
import errno
import json
import os
import random
import select
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "selftests"))
sys.path.insert(0, os.path.join(REPO, "tools", "packet"))
import lib                                          # noqa: E402
import harness                                      # noqa: E402

TOOL = os.path.join(REPO, "tools", "mytcp", "mytcp")
SOL_MYTCP = lib.IPPROTO_MYTCP
MYTCP_EXPERIMENTS = 201
EXP_TWO_WAY_OPEN = 1 << 0
EXP_NO_TIME_WAIT = 1 << 1

# TCP_* state numbers (/proc/net/mytcp "st")
ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT = 1, 2, 3, 4, 5, 6
CLOSE_WAIT, LAST_ACK, CLOSING = 8, 9, 11

# the lessons' own timers: TIME_WAIT long enough to see, short enough to
# end inside the lesson
LESSON_SYSCTLS = {"time_wait_ms": 3000}


class LessonFailed(AssertionError):
    """The experiment did not turn out as the lesson says it must."""


class Out:
    """Where a lesson writes: to stdout as it goes (make lessons), or into
    a buffer shown only when the lesson fails (the selftest)."""

    def __init__(self, live=True):
        self.live = live
        self.lines = []

    def line(self, text=""):
        for ln in str(text).splitlines() or [""]:
            if self.live:
                sys.stdout.write(ln + "\n")
                sys.stdout.flush()
            else:
                self.lines.append(ln)

    def title(self, text):
        self.line()
        self.line("=" * 72)
        self.line(text)
        self.line("=" * 72)

    def part(self, text):
        self.line()
        self.line("--- " + text)

    def para(self, text):
        self.line()
        for p in textwrap.dedent(text).strip().split("\n\n"):
            self.line(textwrap.fill(" ".join(p.split()), 72))
            self.line()

    def check(self, cond, what):
        """Say what was checked; fail the lesson if it is not so."""
        self.line("  [%s] %s" % ("ok" if cond else "FAILED", what))
        if not cond:
            raise LessonFailed(what)


# ------------------------------------------------------------------ helpers

def slow(seconds):
    """A time limit, stretched for a slower guest (the debug kernel)."""
    return seconds * lib.SLOWDOWN


@contextlib.contextmanager
def ladder(out, port):
    """`mytcp trace --port P` for the block; its ladder is printed after."""
    fd, ready = tempfile.mkstemp(prefix="lesson-ready.")
    os.close(fd)
    os.unlink(ready)
    log = tempfile.TemporaryFile(mode="w+")
    if not os.access(TOOL, os.X_OK):
        raise LessonFailed("%s not built (make tool)" % TOOL)
    tr = subprocess.Popen([TOOL, "trace", "--port", str(port),
                           "--ready-file", ready, "--duration", "120"],
                          stdout=log, stderr=subprocess.STDOUT)
    try:
        lib.wait_for(lambda: os.path.exists(ready) or tr.poll() is not None,
                     slow(10), "mytcp trace to start")
        if tr.poll() is not None:
            log.seek(0)
            raise LessonFailed("mytcp trace ended: " + log.read())
        yield
    finally:
        time.sleep(0.2)     # the tracer reads the last events (no state to poll)
        tr.send_signal(signal.SIGINT)
        try:
            tr.wait(timeout=slow(10))
        except subprocess.TimeoutExpired:
            tr.kill()
            tr.wait()
        log.seek(0)
        out.line("  the ladder (mytcp trace --port %d):" % port)
        for ln in log.read().splitlines():
            out.line("    " + ln)
        log.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(ready)


def show_states(out, who, netns, lport, rport):
    names = lib.state_names(lib.states(netns, lport, rport)) or ["CLOSED"]
    out.line("  %-7s :%d -> :%d is %s" % (who, lport, rport, "/".join(names)))


def moved(before, after, *names):
    return {n: after.get(n, 0) - before.get(n, 0) for n in names}


@contextlib.contextmanager
def lesson_sysctls(netnss, **extra):
    """The lessons' net.mytcp sysctls in each namespace for the block."""
    with contextlib.ExitStack() as st:
        for n in netnss:
            for k, v in dict(LESSON_SYSCTLS, **extra).items():
                st.enter_context(lib.mytcp_sysctl(k, v, n))
        yield


def inject(netns, datagram):
    """Send a forged IPv4 datagram from netns (a raw socket there)."""
    with lib.ns(netns):
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    try:
        dst = socket.inet_ntoa(datagram[16:20])
        r.sendto(datagram, (dst, 0))
    finally:
        r.close()


def open_pair(lst, port, a):
    """A connection from namespace a to the listener lst (its port):
    (client, server side).  Call it inside ladder(), so the ladder starts
    with the SYN."""
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port), slow(10))
    lst.settimeout(slow(10))
    s, _ = lst.accept()
    lib.track(s)
    lst.close()
    return c, s


def opt_in(s, bits):
    s.setsockopt(SOL_MYTCP, MYTCP_EXPERIMENTS, bits)


# ------------------------------------------------------------------ registry

LESSONS = []


class Lesson:
    def __init__(self, fn, title, rfc, timeout):
        self.fn = fn
        self.name = fn.__name__
        self.title = title
        self.rfc = rfc
        self.timeout = timeout


def lesson(title, rfc, timeout=60):
    def register(fn):
        LESSONS.append(Lesson(fn, title, rfc, timeout))
        return fn
    return register


def run(les, out):
    """Run one lesson: its title, then the experiment (raises on failure)."""
    out.title("%s  (%s)" % (les.title, les.rfc))
    les.fn(out)


# --------------------------------------------------------- 1. old duplicate SYN

OLD_PORT = 40111


@lesson("Lesson 1: an old duplicate SYN, and why TCP opens in three segments",
        "RFC 9293 3.5, figure 8")
def old_duplicate_syn(out):
    out.para("""
    A SYN from an earlier incarnation of a connection can stay in the
    network and arrive long after its sender gave up.  Here 10.0.1.1 (a
    real kernel with mytcp, no program on port %d) "sends" such a SYN to
    a listener on 10.0.1.2: the script forges it, as the network would
    deliver it.  With the three-way handshake the listener only answers
    SYN,ACK and waits; the client's kernel, which never opened this
    connection, answers the SYN,ACK with a RST, and the half-open
    connection goes without the server's program ever seeing it.""" % OLD_PORT)
    a, b = lib.netpair()
    for two_way in (False, True):
        with lesson_sysctls((a, b), experiments=EXP_TWO_WAY_OPEN if two_way else 0):
            _old_syn_once(out, a, b, two_way)
    out.para("""
    Without the third segment the listener must believe every SYN: the
    server's program accepted a connection that no program on 10.0.1.1
    asked for, and learns otherwise only from the RST, if one comes (from
    a host that is down, none does).  The third segment is the client
    saying "yes, that SYN was mine": RFC 9293 section 3.5 puts it as the
    reason for the three-way handshake, "to prevent old duplicate
    connection initiations from causing confusion".""")


def _old_syn_once(out, a, b, two_way):
    out.part("two-way open (experiment MYTCP_EXP_TWO_WAY_OPEN on the listener)"
             if two_way else "the three-way handshake, as RFC 9293 has it")
    lst, port = lib.listener(b, backlog=8)
    if two_way:
        opt_in(lst, EXP_TWO_WAY_OPEN)
    ca, cb = lib.counters(a), lib.counters(b)
    syn = harness.build_segment(lib.ADDR_A, lib.ADDR_B, OLD_PORT, port,
                                random.randrange(1 << 32), 0, "S",
                                options=[("MSS", 1460)])
    with ladder(out, port):
        inject(a, syn)
        # the client's kernel answers our SYN,ACK with a RST ...
        lib.wait_for(lambda: lib.counters(a)["OutRsts"] > ca["OutRsts"],
                     slow(10), "10.0.1.1 to answer the SYN,ACK with a RST")
        # ... and the server has taken it: no half-open connection is left
        lib.wait_state(b, port, OLD_PORT, None, slow(10))
    lst.setblocking(False)
    try:
        child, peer = lst.accept()
    except BlockingIOError:
        child, peer = None, None
    mv = moved(cb, lib.counters(b), "PassiveOpens", "ExpTwoWayOpens")
    out.line("  the server's accept(): %s" % (
        "a connection from %s:%d" % peer if child else "nothing (EAGAIN)"))
    if not two_way:
        out.check(child is None, "the server's program saw no connection")
        out.check(mv["PassiveOpens"] == 0, "PassiveOpens did not move")
        lst.close()
        return
    lib.track(child)
    out.check(child is not None and peer == (lib.ADDR_A, OLD_PORT),
              "the server's program accepted a connection from %s:%d"
              % (lib.ADDR_A, OLD_PORT))
    out.check(mv["ExpTwoWayOpens"] == 1, "ExpTwoWayOpens +1")
    err = child.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    out.line("  its first look at the socket: SO_ERROR %s"
             % errno.errorcode.get(err, err))
    out.check(err == errno.ECONNRESET, "only the RST told it the connection "
              "was never wanted (ECONNRESET)")
    child.close()
    lst.close()


# ---------------------------------------------------------- 2. half-close

@lesson("Lesson 2: half-close, and why TCP closes in four segments",
        "RFC 9293 3.6")
def half_close(out):
    out.para("""
    A FIN closes one direction only.  The client sends its request and
    then shutdown(SHUT_WR): its FIN says "no more from me", nothing more.
    The server, now in CLOSE_WAIT, still has its answer to send, and
    sends it in three writes; only then does it close, and its FIN is
    the fourth segment of the close.  The client, in FIN_WAIT_2 all the
    while, reads every byte.""")
    a, b = lib.netpair()
    with lesson_sysctls((a, b)):
        lst, sport = lib.listener(b)
        parts = [b"reply part %d\n" % i for i in (1, 2, 3)]
        with ladder(out, sport):
            c, s = open_pair(lst, sport, a)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            cport = c.getsockname()[1]
            c.sendall(b"GET /\n")
            c.shutdown(socket.SHUT_WR)
            req = lib.recv_all(s)
            lib.wait_state(b, sport, cport, CLOSE_WAIT, slow(10))
            lib.wait_state(a, cport, sport, FIN_WAIT2, slow(10))
            show_states(out, "server", b, sport, cport)
            show_states(out, "client", a, cport, sport)
            for p in parts:
                s.sendall(p)
            s.close()
            got = lib.recv_all(c)
            lib.wait_state(a, cport, sport, TIME_WAIT, slow(10))
            show_states(out, "client", a, cport, sport)
        out.line("  the server read %r, then EOF" % req)
        out.line("  the client read %r after its own FIN" % got)
        out.check(req == b"GET /\n", "the server had the whole request")
        out.check(got == b"".join(parts), "the client read all three parts")
        c.close()
    out.para("""
    One FIN and one ACK per direction: four segments, because each side
    decides for itself when it has finished sending (RFC 9293 section
    3.6: "the user who CLOSEs may continue to RECEIVE until the other
    side CLOSEs").  HTTP/1.0 clients, rsh and `ssh host cmd < file` rely
    on it.""")


# ------------------------------------------------------------ 3. TIME_WAIT

@lesson("Lesson 3a: TIME_WAIT answers a retransmitted FIN",
        "RFC 9293 3.6.1, 3.10.7.4")
def time_wait_last_ack(out):
    out.para("""
    The end that closes first sends the last segment, the ACK of the
    other's FIN, and nobody acknowledges an ACK: if it is lost, the
    other end sends its FIN again.  TIME_WAIT keeps the connection's
    state for 2*MSL to answer that FIN.  Here the client closes first,
    and a tc filter drops its last ACK on the way.""")
    a, b = lib.netpair()
    for no_tw in (False, True):
        with lesson_sysctls((a, b), experiments=EXP_NO_TIME_WAIT if no_tw else 0):
            _last_ack_lost_once(out, a, b, no_tw)
    out.para("""
    Without TIME_WAIT the client forgot the connection at once; the
    server's retransmitted FIN found no socket and got a RST (RFC 9293
    section 3.10.7.1), and a server that did everything right saw its
    connection end in an error.  This is the first of the two reasons
    RFC 9293 section 3.6.1 gives for TIME_WAIT.""")


def _last_ack_lost_once(out, a, b, no_tw):
    out.part("without TIME_WAIT (experiment MYTCP_EXP_NO_TIME_WAIT on the client)"
             if no_tw else "with TIME_WAIT")
    lst, sport = lib.listener(b)
    with ladder(out, sport):
        c, s = open_pair(lst, sport, a)
        if no_tw:
            opt_in(c, EXP_NO_TIME_WAIT)
        cport = c.getsockname()[1]
        ca, cb = lib.counters(a), lib.counters(b)
        c.shutdown(socket.SHUT_WR)
        out.check(s.recv(100) == b"", "the server read EOF")
        lib.wait_state(a, cport, sport, FIN_WAIT2, slow(10))
        with lib.drop_first(b, lib.ACK, 0x3f) as dropped:
            s.shutdown(socket.SHUT_WR)          # the server's FIN: LAST_ACK
            lib.wait_state(b, sport, cport, None, slow(20))
            out.check(dropped()["drops"] == 1, "the client's last ACK was lost "
                      "(the ladder still draws it: it was sent)")
        show_states(out, "client", a, cport, sport)
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    out.line("  the server's program: SO_ERROR %s"
             % (errno.errorcode.get(err, err) if err else "0"))
    ma = moved(ca, lib.counters(a), "OutRsts", "ExpTimeWaitSkipped", "TimeWaits")
    mb = moved(cb, lib.counters(b), "RetransSegs")
    out.check(mb["RetransSegs"] >= 1, "the server sent its FIN again")
    if no_tw:
        out.check(ma["ExpTimeWaitSkipped"] == 1, "the client skipped TIME_WAIT "
                  "(ExpTimeWaitSkipped +1)")
        out.check(ma["OutRsts"] >= 1, "the FIN found no socket: RST")
        out.check(err == errno.ECONNRESET, "the server's program saw ECONNRESET")
    else:
        out.check(ma["TimeWaits"] == 1, "the client entered TIME_WAIT")
        out.check(ma["OutRsts"] == 0, "no RST")
        out.check(err == 0, "the server's program saw a clean close")
    c.close()
    s.close()


TW_PORT = 40222
PEER_PORT = 80


@lesson("Lesson 3b: TIME_WAIT keeps old duplicates out of a new incarnation",
        "RFC 9293 3.6.1, 3.4.3", timeout=90)
def time_wait_old_duplicate(out):
    out.para("""
    The second reason for TIME_WAIT: a segment of a connection can still
    be in the network when the connection has closed.  If the same
    4-tuple opens again at once, the old segment can fall inside the new
    connection's window and be taken as its data.  Here the peer is
    played by this script on a tun device, so that it can do what a host
    that rebooted may do: start the new connection with the same initial
    sequence number.  The mytcp end is the client; it closes first, so
    TIME_WAIT is its.  The peer's window is large (scaled), as on any
    fast path, so the old segment's acknowledgment number is still
    acceptable (RFC 5961 section 5.2).""")
    for no_tw in (False, True):
        _in_tun_world(out, _old_duplicate_once, no_tw)
    out.para("""
    Without TIME_WAIT the program read "OLD DATA" where the server sent
    "NEW DATA", and nothing in the protocol noticed: the bytes were in
    the window and the checksum was right.  With TIME_WAIT the 4-tuple
    stays unavailable for 2*MSL, longer than any old segment can live
    (RFC 9293 section 3.4.3 on the quiet time; 3.6.1).  Timestamps with
    PAWS (RFC 7323) are TCP's second defence; mytcp has none yet.""")


def _old_duplicate_once(out, h, no_tw):
    out.part("without TIME_WAIT (experiment MYTCP_EXP_NO_TIME_WAIT)"
             if no_tw else "with TIME_WAIT")
    for k, v in dict(LESSON_SYSCTLS, experiments=EXP_NO_TIME_WAIT if no_tw else 0).items():
        h.sysctl(k, v)
    opts = [("MSS", 1460), ("WScale", 14)]
    with ladder(out, TW_PORT):
        s = h.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((harness.LOCAL, TW_PORT))
        if no_tw:
            opt_in(s, EXP_NO_TIME_WAIT)
        s, old = harness.active_open(h, port=PEER_PORT, options=opts,
                                     sock=s)
        old.send("PA", 1, 1, data=b"OLD DATA")
        old.expect("A", seq=1, ack=9)
        first = harness.recv_exactly(s, 8)
        s.close()                               # the client's FIN
        old.expect("FA", seq=1, ack=9)
        old.send("FA", 9, 2)
        old.expect("A", seq=2, ack=10, ignore=_fin_again)
        state = old.state()
        out.line("  first connection read %r; the client is now %s"
                 % (first, state))

        s2 = h.socket()
        s2.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s2.setblocking(False)
        try:
            s2.bind((harness.LOCAL, TW_PORT))
            err = s2.connect_ex((harness.REMOTE, PEER_PORT))
        except OSError as e:
            err = e.errno
        out.line("  the program opens the same 4-tuple again: %s"
                 % errno.errorcode.get(err, err))
        if not no_tw:
            out.check(state == "TIME_WAIT", "the client holds TIME_WAIT")
            out.check(err in (errno.EADDRINUSE, errno.EADDRNOTAVAIL),
                      "TIME_WAIT keeps the 4-tuple: no new incarnation yet")
            old.send("PA", 1, 1, data=b"OLD DATA")      # the old duplicate
            old.expect("A", seq=2, ack=10)
            out.check(True, "the old duplicate met TIME_WAIT: answered "
                      "with an ACK, delivered nowhere")
            s2.close()
            return
        out.check(state == harness.CLOSED, "the client went to CLOSED at once")
        out.check(err == errno.EINPROGRESS, "a new incarnation starts at once")
        new = h.conn(None, PEER_PORT, isn=old.isn_peer)
        new.expect("S", seq=0)
        new.send("SA", 0, 1, options=opts)
        new.expect("A", seq=1, ack=1)
        # the new peer announces its scaled window (a SYN's is never
        # scaled): from here MAX.SND.WND is 1 GiB, as on a fast path
        new.send("A", 1, 1)
        new.expect_nothing()
        # the old segment, exactly as it was first sent, arrives now
        old.send("PA", 1, 1, data=b"OLD DATA")
        new.expect("A", seq=1, ack=9)
        # the new server's real first bytes, at the same sequence numbers
        new.send("PA", 1, 1, data=b"NEW DATA")
        new.expect("A", seq=1, ack=9)
        s2.setblocking(True)
        got = harness.recv_exactly(s2, 8)
        out.line("  the server sent %r; the program read %r" % (b"NEW DATA", got))
        out.check(got == b"OLD DATA", "the old duplicate became the new "
                  "connection's data")
        # a clean close, so no orphan outlives the scripted peer
        s2.close()
        new.expect("FA", seq=1, ack=9)
        new.send("FA", 9, 2)
        new.expect("A", seq=2, ack=10, ignore=_fin_again)


def _fin_again(conn, seg):
    """A retransmission of the client's FIN (seq 1, ack 9): on a slow
    kernel its RTO can expire before the peer's FIN is in."""
    return seg.flags == "FA" and conn.rel_seq(seg) == 1 and conn.rel_ack(seg) == 9


def _in_tun_world(out, fn, *args):
    """Run fn(out, harness, *args) in a child with a namespace and a tun
    of its own (the packet harness's world); its lines come back here."""
    if not os.path.exists("/dev/net/tun"):
        subprocess.run(["modprobe", "tun"], check=False)
    sys.stdout.flush()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        sub = Out(live=False)
        res = {"ok": True, "reason": ""}
        try:
            fd = harness.setup_netns()
            h = harness.Harness(fd)
            try:
                fn(sub, h, *args)
            finally:
                h.close_all()
        except Exception as e:              # noqa: BLE001 - reported below
            res = {"ok": False, "reason": "%s: %s" % (type(e).__name__, e),
                   "trace": h.log if "h" in locals() else [],
                   "tb": traceback.format_exc()}
        res["lines"] = sub.lines
        os.write(wfd, json.dumps(res).encode())
        os._exit(0)
    os.close(wfd)
    data = b""
    deadline = time.monotonic() + slow(60)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([rfd], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                raise LessonFailed("the scripted peer's experiment timed out")
            chunk = os.read(rfd, 65536)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(rfd)
        os.waitpid(pid, 0)
    res = json.loads(data or b'{"ok": false, "reason": "no result"}')
    for ln in res.get("lines", []):
        out.line(ln)
    if not res["ok"]:
        for ln in res.get("trace", []):
            out.line("  # " + ln)
        raise LessonFailed(res["reason"])


# -------------------------------------------- 4. simultaneous open and close

SIM_A, SIM_B = 40331, 40332


@lesson("Lesson 4: simultaneous open and simultaneous close",
        "RFC 9293 3.5 figure 8, 3.6 figure 13")
def simultaneous(out):
    out.para("""
    Two programs can connect() to each other at the same moment, each
    from the port the other names.  Their SYNs cross: each end, in
    SYN_SENT, receives a SYN and goes to SYN_RECEIVED, answers SYN,ACK,
    and one connection results (RFC 9293 figure 8), with no listener at
    all.  Closing at the same moment is the mirror: the FINs cross, each
    end goes from FIN_WAIT_1 to CLOSING, and both end in TIME_WAIT
    (figure 13).  A link delay of 0.3 s makes the segments cross.""")
    a, b = lib.netpair()
    with lesson_sysctls((a, b)), lib.netem_both("delay 300ms"):
        sa, sb = lib.sock(a, reuse=True), lib.sock(b, reuse=True)
        sa.bind((lib.ADDR_A, SIM_A))
        sb.bind((lib.ADDR_B, SIM_B))
        seen = {"a": set(), "b": set()}

        def watch(want_a, want_b, what):
            def both():
                seen["a"].update(lib.states(a, SIM_A, SIM_B))
                seen["b"].update(lib.states(b, SIM_B, SIM_A))
                return want_a in seen["a"] and want_b in seen["b"]
            lib.wait_for(both, slow(10), what)

        with ladder(out, SIM_A):
            sa.setblocking(False)
            sb.setblocking(False)
            ea = sa.connect_ex((lib.ADDR_B, SIM_B))
            eb = sb.connect_ex((lib.ADDR_A, SIM_A))
            out.check(ea == eb == errno.EINPROGRESS, "both connect()s started")
            watch(SYN_RECV, SYN_RECV, "both ends in SYN_RECV")
            out.check(True, "both ends went SYN_SENT -> SYN_RECV")
            for s in (sa, sb):
                lib.wait_poll(s, select.POLLOUT, slow(10))
                out.check(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0,
                          "connect() succeeded on %s" % s.getsockname()[0])
            watch(ESTABLISHED, ESTABLISHED, "both ends ESTABLISHED")
            sa.shutdown(socket.SHUT_WR)
            sb.shutdown(socket.SHUT_WR)
            watch(CLOSING, CLOSING, "both ends in CLOSING")
            out.check(True, "both ends went FIN_WAIT_1 -> CLOSING")
            watch(TIME_WAIT, TIME_WAIT, "both ends in TIME_WAIT")
            out.check(True, "and both hold TIME_WAIT")
        for who, key in (("10.0.1.1", "a"), ("10.0.1.2", "b")):
            out.line("  %s passed through %s" % (who, ", ".join(
                lib.state_names(sorted(seen[key])))))
        sa.close()
        sb.close()
    out.para("""
    Neither end was a server: the state machine, not a listen() call,
    makes the connection.  Simultaneous close is why CLOSING exists, and
    why both ends can hold TIME_WAIT at once.""")


# --------------------------------------------------------- 5. SYN flood

FLOOD = 256


@lesson("Lesson 5: a SYN flood, without and with SYN cookies",
        "RFC 4987, RFC 9293 3.10.7.2", timeout=90)
def syn_flood(out):
    out.para("""
    Each SYN a listener answers takes a place in its SYN queue until the
    handshake completes or gives up, a minute later.  %d SYNs from forged
    addresses (that will never answer) fill it; then a real client
    tries to connect.  Without SYN cookies its SYN is dropped like the
    rest (DropSynQueueFull).  With them (RFC 4987 section 3.6), the
    listener answers a SYN it has no room for with a SYN,ACK whose
    sequence number encodes the connection, keeps nothing, and rebuilds
    the connection from the client's ACK.""" % FLOOD)
    a, b = lib.netpair()
    for cookies in (0, 1):
        with lesson_sysctls((a, b), syncookies=cookies, max_syn_backlog=64):
            _flood_once(out, a, b, cookies)
    out.para("""
    The flood costs the attacker one packet per SYN and, without cookies,
    the server one queue place per SYN for a minute.  Cookies move that
    state into the network; the price is that a cookie cannot carry every
    option (mytcp's keeps the MSS in a few bits, see design.md).""")


def _flood_once(out, a, b, cookies):
    out.part("syncookies=%d" % cookies)
    lst, port = lib.listener(b, backlog=8)
    before = lib.counters(b)
    for i in range(FLOOD):
        src = "10.0.1.%d" % (100 + i % 100)
        inject(a, harness.build_segment(src, lib.ADDR_B, 20000 + i, port,
                                        random.randrange(1 << 32), 0, "S",
                                        options=[("MSS", 1460)]))
    key = "SyncookiesSent" if cookies else "DropSynQueueFull"

    def all_taken():
        # every forged SYN is either a half-open row or counted under key
        half_open = lib.states(b, port).count(SYN_RECV)
        return half_open + lib.counters(b)[key] - before[key] >= FLOOD
    lib.wait_for(all_taken, slow(30), "the listener to take the whole flood")
    mid = lib.counters(b)
    out.line("  after the flood: %d half-open, %s" % (
        lib.states(b, port).count(SYN_RECV), ", ".join(
            "%s +%d" % (k, v) for k, v in moved(
                before, mid, "SyncookiesSent", "DropSynQueueFull").items())))
    out.check(mid[key] > before[key], "the SYN queue is full")
    c = lib.sock(a)
    c.setblocking(False)
    out.check(c.connect_ex((lib.ADDR_B, port)) == errno.EINPROGRESS,
              "the real client's connect() started")
    if not cookies:
        lib.wait_for(lambda: lib.counters(b)["DropSynQueueFull"] >
                     mid["DropSynQueueFull"], slow(10), "the real SYN")
        st = lib.states(a, c.getsockname()[1], port)
        out.line("  the real client: %s" % "/".join(lib.state_names(st)))
        out.check(st == [SYN_SENT], "its SYN was dropped with the flood's: "
                  "still SYN_SENT")
    else:
        lib.wait_poll(c, select.POLLOUT, slow(10))
        out.check(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0,
                  "the real client connected")
        after = lib.counters(b)
        out.check(after["SyncookiesRecv"] > mid["SyncookiesRecv"],
                  "from a cookie (SyncookiesRecv +%d)"
                  % (after["SyncookiesRecv"] - mid["SyncookiesRecv"]))
        lst.settimeout(slow(10))
        s, _ = lst.accept()
        lib.track(s)
        c.setblocking(True)
        c.sendall(b"through the flood")
        c.shutdown(socket.SHUT_WR)
        out.check(lib.recv_all(s) == b"through the flood",
                  "and its data arrived")
        s.close()
    c.close()
    lst.close()


# ------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", action="append", default=[],
                    help="only lessons whose name contains this")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    chosen = [les for les in LESSONS
              if not args.k or any(k in les.name for k in args.k)]
    if args.list:
        for les in chosen:
            print("%s  %s" % (les.name, les.title))
        return 0
    lib.PROTO_NAME, lib.PROTO = "mytcp", lib.IPPROTO_MYTCP
    os.environ["SELFTEST_PROTO"] = "mytcp"
    lib.ensure_module()
    out = Out(live=True)
    passed = failed = 0
    results = []
    try:
        for les in chosen:
            signal.signal(signal.SIGALRM, lib._on_alarm)
            signal.alarm(slow(les.timeout))
            try:
                run(les, out)
                passed += 1
                results.append("ok %d - %s" % (passed + failed, les.name))
            except (AssertionError, lib.TestTimeout, OSError) as e:
                failed += 1
                out.line("  LESSON FAILED: %s: %s" % (type(e).__name__, e))
                results.append("not ok %d - %s # %s" % (passed + failed,
                                                        les.name, e))
            finally:
                signal.alarm(0)
                lib.close_all()
    finally:
        lib.del_netpair()
    print()
    for r in results:
        print(r)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
