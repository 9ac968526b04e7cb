# SPDX-License-Identifier: GPL-2.0
"""Packet-level conformance harness for mytcp, in the packetdrill model.

Runs inside the test VM, as root, with the mytcp module loaded.  Each case
gets a network namespace of its own with one tun device:

    192.168.253.1/24 on tun0  the local end: mytcp sockets live here
    192.168.253.2             the remote end: this script, through the tun fd

The route to 192.168.253.2 leads into tun0, and the tun fd is the only thing
behind it, so the script is the only peer: no second stack answers.
Segments are built and parsed with scapy (``bind_layers(IP, TCP,
proto=253)``: the wire format is TCP's), but the checksum is our own:
scapy 2.5 always puts protocol 6 in the TCP pseudo-header, while mytcp's
pseudo-header carries 253.  Every segment the module sends is checked
against an independent RFC 1071 sum; a wrong one fails the case at once.

Sequence numbers in cases are relative, as in packetdrill: in what the
script sends, SEQ counts from the script's ISN and ACK from the module's;
in what it expects, the other way round.  The module's ISN is learnt from
its SYN or SYN-ACK.
"""

import ctypes
import errno
import fcntl
import os
import random
import select
import socket
import struct
import subprocess
import time

from scapy.config import conf
from scapy.layers.inet import IP, TCP
from scapy.packet import Raw, bind_layers

conf.verb = 0
bind_layers(IP, TCP, proto=253)

IPPROTO_MYTCP = 253
LOCAL = "192.168.253.1"
REMOTE = "192.168.253.2"
TUN = "tun0"

# TCP_* state numbers as /proc/net/mytcp prints them (hex, "st" column)
STATES = {
    0x01: "ESTABLISHED", 0x02: "SYN_SENT", 0x03: "SYN_RECV",
    0x04: "FIN_WAIT1", 0x05: "FIN_WAIT2", 0x06: "TIME_WAIT", 0x07: "CLOSE",
    0x08: "CLOSE_WAIT", 0x09: "LAST_ACK", 0x0A: "LISTEN", 0x0B: "CLOSING",
}
CLOSED = "CLOSED"               # no row at all in /proc/net/mytcp

# Timers made short (or long) so that each case runs in about a second and
# no retransmission comes unasked: an RTO measured on a connection is at
# least rto_min_ms; one never measured is the initial 1 s (RFC 6298 2.1).
DEFAULT_SYSCTLS = {
    "time_wait_ms": 5000,
    "fin_timeout_ms": 5000,
    "syn_retries": 3,
    "synack_retries": 3,
    "retries2": 3,
    "rto_min_ms": 1500,
}

WIN = 65535                     # the window the script offers by default
MSS = 1460
EXPECT_WITHIN = 2.0             # "expect within" bound, seconds
NOTHING_FOR = 0.5               # "expect nothing" bound, seconds

SEQ_MOD = 1 << 32

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000

_libc = ctypes.CDLL(None, use_errno=True)


class CaseFailure(AssertionError):
    """The module did not behave as the RFC says: the case fails."""


def check(cond, msg):
    """Fail the case with @msg unless @cond holds."""
    if not cond:
        raise CaseFailure(msg)


def seq_after(a, b):
    """a > b in sequence-number arithmetic (RFC 9293 section 3.4)."""
    return 0 < ((a - b) % SEQ_MOD) < (1 << 31)


# ------------------------------------------------------------- checksums

def ones_complement_sum(data):
    """The RFC 1071 16-bit one's complement sum of @data, folded."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def segment_checksum(src, dst, segment, proto=IPPROTO_MYTCP):
    """Checksum of @segment (header with its checksum field zeroed, and
    data) under the RFC 9293 section 3.1 pseudo-header with @proto."""
    pseudo = (socket.inet_aton(src) + socket.inet_aton(dst) +
              struct.pack("!BBH", 0, proto, len(segment)))
    return ~ones_complement_sum(pseudo + bytes(segment)) & 0xFFFF


def checksum_ok(src, dst, segment, proto=IPPROTO_MYTCP):
    """True when @segment, checksum field included, sums to all ones."""
    pseudo = (socket.inet_aton(src) + socket.inet_aton(dst) +
              struct.pack("!BBH", 0, proto, len(segment)))
    return ones_complement_sum(pseudo + bytes(segment)) == 0xFFFF


# --------------------------------------------------------------- segments

FLAG_LETTERS = "FSRPAUEC"       # bit 0 (FIN) upwards, as scapy prints them


def flag_set(flags):
    """A set of flag letters from 'SA', 'FA', '.', ... ('.' is none)."""
    return set(flags.replace(".", ""))


def flag_str(bits):
    """Flag letters for a flag byte, SYN first as tcpdump writes them."""
    letters = "".join(l for i, l in enumerate(FLAG_LETTERS) if bits & (1 << i))
    return "".join(sorted(letters, key="SFRPAUEC".index)) or "."


class Segment:
    """A segment the module sent, parsed (scapy) and checked."""

    def __init__(self, raw):
        ip = IP(raw)
        self.raw = raw
        self.ip = ip
        self.src = ip.src
        self.dst = ip.dst
        ihl = ip.ihl * 4
        self.bytes = raw[ihl:ip.len]
        self.csum_ok = checksum_ok(ip.src, ip.dst, self.bytes)
        th = ip[TCP]
        self.sport = th.sport
        self.dport = th.dport
        self.seq = th.seq
        self.ack = th.ack
        self.bits = int(th.flags)
        self.flags = flag_str(self.bits)
        self.win = th.window
        self.doff = th.dataofs
        self.options = list(th.options)
        self.data = bytes(self.bytes[th.dataofs * 4:])
        self.time = time.monotonic()

    def has(self, letter):
        return letter in self.flags

    def option(self, name):
        """Value of option @name ('MSS', 'WScale', ...), or None."""
        for oname, oval in self.options:
            if oname == name:
                return oval
        return None


def build_segment(src, dst, sport, dport, seq, ack, flags, win=WIN, data=b"",
                  options=None, raw_options=None, doff=None, urgptr=0,
                  reserved=0, csum=None, csum_proto=IPPROTO_MYTCP,
                  truncate=None):
    """An IPv4 datagram carrying one mytcp segment, as bytes.

    @options: scapy's option list, e.g. [("MSS", 1460)].  @raw_options:
    option bytes put after the 20-byte header as they are (for malformed
    lists); the data offset then covers them (rounded up).  @doff: force the
    data offset field.  @reserved: the reserved header bits.  @csum: force
    the checksum field; by default it is computed with @csum_proto in the
    pseudo-header.  @truncate: cut the segment to that many bytes after the
    checksum is computed.
    """
    flagbits = 0
    for letter in flag_set(flags):
        flagbits |= 1 << FLAG_LETTERS.index(letter)
    tcp = TCP(sport=sport, dport=dport, seq=seq % SEQ_MOD,
              ack=ack % SEQ_MOD if "A" in flags else 0, flags=flagbits,
              window=win, urgptr=urgptr, reserved=reserved, chksum=0,
              options=options or [])
    payload = data
    if raw_options is not None:
        pad = (-len(raw_options)) % 4
        tcp.dataofs = 5 + (len(raw_options) + pad) // 4
        payload = raw_options + b"\0" * pad + data
    if doff is not None:
        tcp.dataofs = doff
    seg = bytearray(bytes(tcp / Raw(payload)) if payload else bytes(tcp))
    if csum is None:
        csum = segment_checksum(src, dst, seg, csum_proto)
    seg[16:18] = struct.pack("!H", csum)
    if truncate is not None:
        seg = seg[:truncate]
    return bytes(IP(src=src, dst=dst, proto=IPPROTO_MYTCP, ttl=64) /
                 Raw(bytes(seg)))


# --------------------------------------------------------------- namespace

def _run(cmd, stdin=None):
    res = subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                         check=False)
    if res.returncode:
        raise RuntimeError("%s: %s" % (" ".join(cmd), res.stderr.strip()))


def _write(path, value):
    with open(path, "w") as f:
        f.write(str(value))


def setup_netns():
    """Move this process into a new network namespace with tun0 in it,
    attached to a tun fd that is returned (non-blocking)."""
    if _libc.unshare(CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "unshare(CLONE_NEWNET): " + os.strerror(e))
    for name in ("all", "default"):
        try:    # no IPv6 chatter (router solicitations, MLD) on the tun
            _write("/proc/sys/net/ipv6/conf/%s/disable_ipv6" % name, 1)
        except OSError:
            pass
    # one ip(8) run: each exec costs a third of a second under emulation
    _run(["ip", "-batch", "-"], stdin="link set lo up\n"
         "tuntap add dev {tun} mode tun\n"
         "addr add {local}/24 dev {tun}\n"
         "link set {tun} up\n".format(tun=TUN, local=LOCAL))
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", TUN.encode(),
                                           IFF_TUN | IFF_NO_PI))
    return fd


# ----------------------------------------------------------------- harness

class Harness:
    """One case's world: its namespace, the tun fd, sockets, the trace."""

    def __init__(self, fd):
        self.fd = fd
        self.t0 = time.monotonic()
        self.sockets = []
        self.pending = []           # received, not yet claimed by a Conn
        self.log = []
        self.conns = []
        self.next_port = 40000 + random.randrange(0, 20000)

    # ---- trace
    def trace(self, line):
        self.log.append("%7.3f %s" % (time.monotonic() - self.t0, line))

    def describe(self, seg, conn=None):
        """One line for a segment the module sent, relative if possible."""
        conn = conn or self._owner(seg)
        seq, ack = seg.seq, seg.ack
        if conn is not None and conn.isn_mod is not None:
            seq = (seg.seq - conn.isn_mod) % SEQ_MOD
        if conn is not None:
            ack = (seg.ack - conn.isn_peer) % SEQ_MOD
        text = "%d>%d %s seq=%d" % (seg.sport, seg.dport, seg.flags, seq)
        if seg.has("A"):
            text += " ack=%d" % ack
        text += " win=%d len=%d" % (seg.win, len(seg.data))
        if seg.options:
            text += " <%s>" % ",".join(
                "%s %s" % (n, v) if v is not None else str(n)
                for n, v in seg.options)
        return text

    def _owner(self, seg):
        for c in reversed(self.conns):      # the newest incarnation first
            if c.matches(seg):
                return c
        return None

    # ---- the wire
    def inject(self, datagram, what):
        """Write one IPv4 datagram into the tun: it arrives at the module."""
        self.trace("peer  " + what)
        os.write(self.fd, datagram)

    def _read(self, deadline):
        """The next mytcp segment from the tun before @deadline, or None.
        Anything else the stack sends (not IPv4, not protocol 253) is
        ignored.  A segment with a wrong checksum fails the case."""
        while True:
            remain = deadline - time.monotonic()
            if remain <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], remain)
            if not ready:
                return None
            try:
                raw = os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            if len(raw) < 20 or raw[0] >> 4 != 4 or raw[9] != IPPROTO_MYTCP:
                continue
            seg = Segment(raw)
            owner = self._owner(seg)
            if owner is not None:
                owner.learn(seg)
            self.trace("mytcp " + self.describe(seg, owner))
            check(seg.csum_ok,
                  "the module sent a segment whose checksum is wrong for the "
                  "protocol-253 pseudo-header: %s" % self.describe(seg))
            return seg

    def next_segment(self, match, within):
        """The first segment (queued or new) for which @match is true."""
        for seg in self.pending:
            if match(seg):
                self.pending.remove(seg)
                return seg
        deadline = time.monotonic() + within
        while True:
            seg = self._read(deadline)
            if seg is None or match(seg):
                return seg
            self.pending.append(seg)

    def expect_silence(self, within=NOTHING_FOR):
        """No mytcp segment at all for @within seconds."""
        seg = self.next_segment(lambda s: True, within)
        check(seg is None, "expected no segment for %.1f s, got %s"
              % (within, self.describe(seg) if seg else ""))

    def drain(self):
        """Read what is left (its checksums are checked as well)."""
        while self._read(time.monotonic() + 0.01):
            pass

    # ---- sockets
    def socket(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MYTCP)
        self.sockets.append(s)
        return s

    def listen(self, port, backlog=8, rcvbuf=None):
        """A mytcp listener on LOCAL:@port."""
        s = self.socket()
        if rcvbuf is not None:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.bind((LOCAL, port))
        s.listen(backlog)
        return s

    def accept(self, listener, within=EXPECT_WITHIN):
        listener.settimeout(within)
        try:
            s, _ = listener.accept()
        except socket.timeout:
            raise CaseFailure("accept() returned nothing within %.1f s"
                              % within) from None
        self.sockets.append(s)
        s.settimeout(within)
        return s

    def close_all(self):
        for s in self.sockets:
            try:
                s.close()
            except OSError:
                pass
        self.sockets = []

    def port(self):
        """A fresh port for the script's end of a connection."""
        self.next_port += 1
        return self.next_port

    # ---- connections
    def conn(self, lport=None, rport=None, isn=None):
        """The script's end of a connection with the module's port @lport
        (None: learnt from the module's first segment) and our @rport."""
        c = Conn(self, lport, rport or self.port(), isn)
        self.conns.append(c)
        return c

    # ---- /proc and /proc/sys
    def sysctl(self, name, value=None):
        path = "/proc/sys/net/mytcp/" + name
        if value is not None:
            _write(path, value)
        with open(path) as f:
            return int(f.read())

    def stats(self):
        """/proc/net/mytcp_stat as a dict of counters."""
        out = {}
        with open("/proc/net/mytcp_stat") as f:
            for line in f:
                name, value = line.split()
                out[name] = int(value)
        return out

    def rows(self):
        """/proc/net/mytcp rows: (lport, raddr-hex, rport, state, txq, rxq)"""
        out = []
        with open("/proc/net/mytcp") as f:
            next(f)
            for line in f:
                p = line.split()
                laddr, lport = p[1].split(":")
                raddr, rport = p[2].split(":")
                txq, rxq = p[4].split(":")
                out.append((int(lport, 16), raddr, int(rport, 16),
                            STATES.get(int(p[3], 16), p[3]),
                            int(txq, 16), int(rxq, 16)))
        return out

    def listener_state(self, port):
        for lport, _, rport, st, _, _ in self.rows():
            if lport == port and rport == 0:
                return st
        return CLOSED


class Conn:
    """The script's end of one connection: what it sends and expects."""

    def __init__(self, h, lport, rport, isn):
        self.h = h
        self.lport = lport
        self.rport = rport
        self.isn_peer = random.randrange(SEQ_MOD) if isn is None else isn
        self.isn_mod = None

    def matches(self, seg):
        return (seg.src == LOCAL and seg.dst == REMOTE and
                seg.dport == self.rport and
                (self.lport is None or seg.sport == self.lport))

    # ---- send
    def send(self, flags, seq=0, ack=0, win=WIN, data=b"", options=None,
             **kw):
        """Inject a segment: @seq relative to our ISN, @ack to the module's
        (absolute when the module's ISN is not known yet).  Extra keywords
        go to build_segment (raw_options, doff, csum, truncate, ...)."""
        isn_mod = self.isn_mod or 0
        abs_seq = (self.isn_peer + seq) % SEQ_MOD
        abs_ack = (isn_mod + ack) % SEQ_MOD
        datagram = build_segment(REMOTE, LOCAL, self.rport, self.lport,
                                 abs_seq, abs_ack, flags, win=win, data=data,
                                 options=options, **kw)
        what = "%d>%d %s seq=%d" % (self.rport, self.lport, flags, seq)
        if "A" in flags:
            what += " ack=%d" % ack
        what += " win=%d len=%d" % (win, len(data))
        if options:
            what += " <%s>" % ",".join("%s %s" % o for o in options)
        extra = {k: v for k, v in kw.items() if v is not None}
        if extra:
            what += " %s" % extra
        self.h.inject(datagram, what)

    # ---- expect
    def rel_seq(self, seg):
        return (seg.seq - (self.isn_mod or 0)) % SEQ_MOD

    def rel_ack(self, seg):
        return (seg.ack - self.isn_peer) % SEQ_MOD

    def learn(self, seg):
        """Take the module's port and ISN from its first SYN or SYN-ACK."""
        if self.lport is None:
            self.lport = seg.sport
        if seg.has("S") and self.isn_mod is None:
            self.isn_mod = seg.seq

    def next(self, within=EXPECT_WITHIN, ignore=None):
        """The next segment of this connection within @within s, or None.
        Segments for which @ignore(self, seg) is true are passed over."""
        deadline = time.monotonic() + within
        while True:
            seg = self.h.next_segment(self.matches,
                                      max(0.0, deadline - time.monotonic()))
            if seg is None:
                return None
            self.learn(seg)
            if ignore is None or not ignore(self, seg):
                return seg
            self.h.trace("      (passed over)")

    def expect(self, flags, seq=None, ack=None, win=None, data=None,
               length=None, within=EXPECT_WITHIN, ignore=None):
        """The next segment of this connection must come within @within s
        and have exactly @flags (PSH aside, unless asked for) and the given
        relative @seq, @ack, @win, @data or data @length.  Segments for
        which @ignore(conn, seg) is true are passed over."""
        what = "%s%s%s" % (flags,
                           "" if seq is None else " seq=%d" % seq,
                           "" if ack is None else " ack=%d" % ack)
        seg = self.next(within, ignore)
        check(seg is not None, "expected %s within %.1f s, got nothing"
              % (what, within))
        got = flag_set(seg.flags)
        want = flag_set(flags)
        if "P" not in want:
            got.discard("P")
        desc = self.h.describe(seg, self)
        check(got == want, "expected %s, got %s" % (what, desc))
        if seq is not None:
            check(self.rel_seq(seg) == seq % SEQ_MOD,
                  "expected %s, got %s (wrong SEQ)" % (what, desc))
        if ack is not None:
            check(self.rel_ack(seg) == ack % SEQ_MOD,
                  "expected %s, got %s (wrong ACK)" % (what, desc))
        if win is not None:
            check(seg.win == win, "expected %s win=%d, got %s"
                  % (what, win, desc))
        if data is not None:
            check(seg.data == data, "expected %s with %r, got %s with %r"
                  % (what, data[:32], desc, seg.data[:32]))
        if length is not None:
            check(len(seg.data) == length, "expected %s len=%d, got %s"
                  % (what, length, desc))
        return seg

    def expect_nothing(self, within=NOTHING_FOR, ignore=None):
        """No segment of this connection for @within seconds (but those for
        which @ignore(conn, seg) is true)."""
        seg = self.next(within, ignore)
        check(seg is None, "expected nothing for %.1f s, got %s"
              % (within, self.h.describe(seg, self) if seg else ""))

    # ---- state
    def state(self):
        """The connection's state in /proc/net/mytcp, or CLOSED."""
        for lport, _, rport, st, _, _ in self.h.rows():
            if lport == self.lport and rport == self.rport:
                return st
        return CLOSED

    def queues(self):
        """(tx_queue, rx_queue) of the connection's /proc row."""
        for lport, _, rport, _, txq, rxq in self.h.rows():
            if lport == self.lport and rport == self.rport:
                return txq, rxq
        raise CaseFailure("no /proc/net/mytcp row for port %d" % self.lport)

    def expect_state(self, state, within=1.0):
        """The connection reaches @state within @within seconds."""
        deadline = time.monotonic() + within
        while True:
            st = self.state()
            if st == state:
                return
            if time.monotonic() > deadline:
                raise CaseFailure("expected state %s, /proc/net/mytcp says %s"
                                  % (state, st))
            time.sleep(0.02)


# -------------------------------------------------------- common openings

def opts_mss(mss=MSS):
    return [("MSS", mss)]


def passive_open(h, port=8000, options=None, win=WIN, rcvbuf=None):
    """Listener on @port, our SYN, its SYN-ACK, our ACK, accept():
    (listener, accepted socket, conn).  Both sides' next SEQ is 1."""
    ls = h.listen(port, rcvbuf=rcvbuf)
    c = h.conn(port)
    c.send("S", 0, win=win, options=opts_mss() if options is None else options)
    c.synack = c.expect("SA", seq=0, ack=1)
    c.send("A", 1, 1, win=win)
    s = h.accept(ls)
    return ls, s, c


def active_open(h, port=9000, options=None, win=WIN, sock=None):
    """connect() to REMOTE:@port (from @sock, or a new socket), its SYN,
    our SYN-ACK, its ACK: (socket, conn).  Both sides' next SEQ is 1."""
    s = sock or h.socket()
    s.setblocking(False)
    err = s.connect_ex((REMOTE, port))
    check(err == errno.EINPROGRESS, "connect() returned %s, not EINPROGRESS"
          % errno.errorcode.get(err, err))
    c = h.conn(None, port)
    c.expect("S", seq=0)
    c.send("SA", 0, 1, win=win,
           options=opts_mss() if options is None else options)
    c.expect("A", seq=1, ack=1)
    s.setblocking(True)
    s.settimeout(EXPECT_WITHIN)
    return s, c


def wait_for(pred, within=1.0, step=0.02):
    """Poll @pred until it is true or @within seconds pass."""
    deadline = time.monotonic() + within
    while not pred():
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True


def recv_exactly(s, n, within=EXPECT_WITHIN):
    """Read @n bytes from socket @s (fail when they do not come)."""
    s.settimeout(within)
    buf = b""
    while len(buf) < n:
        try:
            chunk = s.recv(n - len(buf))
        except socket.timeout:
            break
        if not chunk:
            break
        buf += chunk
    check(len(buf) == n, "recv() gave %d of %d bytes: %r" % (len(buf), n,
                                                          buf[:40]))
    return buf


def synack_again(conn, seg):
    """A retransmission of the module's SYN-ACK (an ignore= predicate for
    cases that outlast the 1 s SYN-ACK timer of a half-open connection)."""
    return (seg.flags == "SA" and conn.rel_seq(seg) == 0 and
            conn.rel_ack(seg) == 1)


def syn_again(conn, seg):
    """A retransmission of the module's SYN (an ignore= predicate for cases
    in SYN-SENT that a slow machine lets outlast the SYN's 1 s timer)."""
    return seg.flags == "S" and conn.rel_seq(seg) == 0


def nothing_delivered(c):
    """Nothing readable on the connection: its rx_queue in /proc/net/mytcp
    (RCV.NXT - copied) is 0.  Unlike a recv() attempt, this makes the
    module send nothing."""
    rxq = c.queues()[1]
    check(rxq == 0, "%d octets are readable where none should be" % rxq)


def recv_nothing(s):
    """No data readable on @s right now (EAGAIN)."""
    timeout = s.gettimeout()
    s.setblocking(False)
    try:
        data = s.recv(4096)
    except BlockingIOError:
        return
    finally:
        s.settimeout(timeout)
    check(False, "recv() returned %r where nothing should be readable"
          % data[:40])


# ------------------------------------------------------------- registry

CASES = []


class Case:
    def __init__(self, fn, rfc, timeout, sysctls):
        self.fn = fn
        self.name = fn.__name__
        self.rfc = rfc
        self.timeout = timeout
        self.sysctls = dict(DEFAULT_SYSCTLS, **(sysctls or {}))
        self.doc = (fn.__doc__ or "").strip()

    @property
    def title(self):
        return "%s [%s]" % (self.name, self.rfc)


def case(rfc, timeout=20, **sysctls):
    """Register a case function f(h); @rfc names the rule it checks
    (e.g. "RFC 9293 3.10.7.2"); keyword arguments set net.mytcp sysctls."""
    def register(fn):
        CASES.append(Case(fn, rfc, timeout, sysctls))
        return fn
    return register


def run_case(c):
    """Run one case in this (forked) process: new namespace, sysctls, the
    case, sockets closed.  Returns (ok, reason, trace lines)."""
    t = time.monotonic()
    fd = setup_netns()
    h = Harness(fd)
    h.trace("namespace and tun0 ready in %.2f s" % (time.monotonic() - t))
    for name, value in c.sysctls.items():
        h.sysctl(name, value)
    try:
        c.fn(h)
        h.close_all()
        h.drain()
        return True, "", h.log
    except CaseFailure as e:
        return False, str(e), h.log
    finally:
        h.close_all()
