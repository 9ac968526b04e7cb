# SPDX-License-Identifier: GPL-2.0
"""Helpers shared by the mytcp selftests (run inside the VM, as root).

A test file defines small functions decorated with @test and ends with
``lib.main()``.  The same file runs once per protocol: ``--proto mytcp``
(IPPROTO 253, the module under test) or ``--proto tcp`` (the kernel's TCP,
which proves the test itself is right).  runner.py starts the files and
turns what they report into TAP.

Networking: one pair of network namespaces per test process, joined by a
veth pair, A = 10.0.1.1/24 and B = 10.0.1.2/24, and fd00:1::1/64 and
fd00:1::2/64.

Family: a file runs once per protocol and, unless it sets FAMILIES =
("v4",), once more per family: ``--family v6`` makes sock() AF_INET6 and
ADDR_A, ADDR_B, ANY, LOOPBACK IPv6 addresses, proc_rows() read tcp6/mytcp6,
the tc helpers match IPv6 headers, and each test's name end in "[v6]".  A
test that only means something over IPv4 says so (@test(v4only=True)).  Sockets are created inside
a namespace by switching the calling thread with setns(2) (``with ns(A):``);
a socket stays in the namespace it was created in, so one process and one
thread can drive both ends of a connection.
"""

import argparse
import contextlib
import ctypes
import errno
import hashlib
import json
import os
import random
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback

IPPROTO_MYTCP = 253
PROTOS = {"mytcp": IPPROTO_MYTCP, "tcp": socket.IPPROTO_TCP}

# set by main() from --proto (or $SELFTEST_PROTO)
PROTO_NAME = os.environ.get("SELFTEST_PROTO", "tcp")
# How much slower than the stock kernel this guest runs (tools/vm/run-vm.sh:
# 4 on the debug kernel, KASAN and lockdep under TCG).  Scales each test's
# timeout and the patience of wait_for/wait_poll/settle, never what a test
# measures.
SLOWDOWN = max(1, int(os.environ.get("MYTCP_VM_SLOWDOWN", "1") or "1"))
PROTO = PROTOS.get(PROTO_NAME, socket.IPPROTO_TCP)

# set by main() from --family (or $SELFTEST_FAMILY)
FAMILY = os.environ.get("SELFTEST_FAMILY", "v4")
V6 = FAMILY == "v6"
AF = socket.AF_INET6 if V6 else socket.AF_INET
ADDR4_A, ADDR4_B = "10.0.1.1", "10.0.1.2"
ADDR6_A, ADDR6_B = "fd00:1::1", "fd00:1::2"
ADDR_A = ADDR6_A if V6 else ADDR4_A
ADDR_B = ADDR6_B if V6 else ADDR4_B
ANY = "::" if V6 else "0.0.0.0"
LOOPBACK = "::1" if V6 else "127.0.0.1"
# length of the network header the tc helpers count offsets from
NET_HDR = 40 if V6 else 20
MAC_A = "02:00:0a:00:01:01"
MAC_B = "02:00:0a:00:01:02"

# TCP_* state numbers, as /proc/net/tcp prints them (in hex)
ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, \
    CLOSE_WAIT, LAST_ACK, LISTEN, CLOSING = range(1, 12)
STATE_NAMES = {
    1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
    5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
    9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
}

# header flags (RFC 9293 section 3.1), for tc filters on the flags byte
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

MYTCP_SYSCTL = "/proc/sys/net/mytcp"
CLONE_NEWNET = 0x40000000

_libc = ctypes.CDLL(None, use_errno=True)


class Skip(Exception):
    """Raised by a test that does not apply: reported as ``ok ... # SKIP``."""


class TestTimeout(Exception):
    """Raised in the test by SIGALRM when its time is up."""


# ---------------------------------------------------------------- namespaces

class Netns:
    """A named network namespace (``ip netns add``) and an fd on it."""

    def __init__(self, name, addr):
        self.name = name
        self.addr = addr
        self.fd = None

    def open(self):
        self.fd = os.open("/run/netns/" + self.name, os.O_RDONLY | os.O_CLOEXEC)

    def __repr__(self):
        return "netns %s (%s)" % (self.name, self.addr)


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "setns: " + os.strerror(e))


@contextlib.contextmanager
def ns(netns):
    """Run the block with the calling thread inside netns (None: stay)."""
    if netns is None:
        yield
        return
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    try:
        _setns(netns.fd)
        try:
            yield
        finally:
            _setns(home)
    finally:
        os.close(home)


def ip(*args, check=True):
    """Run ip(8); raise with its stderr on failure."""
    r = subprocess.run(("ip",) + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=30)
    if check and r.returncode != 0:
        raise RuntimeError("ip %s: %s" % (" ".join(args), r.stderr.strip()))
    return r


def ip_batch(cmds, netns=None):
    """Run several ip(8) commands in one process (-batch -)."""
    args = ["ip"] + (["-n", netns.name] if netns else []) + ["-batch", "-"]
    r = subprocess.run(args, input="\n".join(cmds) + "\n", text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=30)
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), r.stderr.strip()))


_pair = None


def netpair():
    """The process's namespace pair (A, B), created on first use.

    A has 10.0.1.1/24 on veth "va", B has 10.0.1.2/24 on "vb"; lo is up in
    both.  Removed at exit."""
    global _pair
    if _pair:
        return _pair
    tag = "st%d" % os.getpid()
    a, b = Netns(tag + "a", ADDR_A), Netns(tag + "b", ADDR_B)
    ip_batch(["netns add " + a.name, "netns add " + b.name])
    # fixed MACs and permanent neighbour entries: no ARP, so netem delay or
    # loss on a link affects only the segments of the test
    ip_batch(["link add va address %s netns %s type veth peer name vb address %s netns %s"
              % (MAC_A, a.name, MAC_B, b.name)])
    # both families, whatever the run's: nodad, so the IPv6 ones work now
    ip_batch(["link set lo up", "addr add %s/24 dev va" % ADDR4_A,
              "addr add %s/64 dev va nodad" % ADDR6_A, "link set va up",
              "neigh replace %s lladdr %s dev va nud permanent" % (ADDR4_B, MAC_B),
              "neigh replace %s lladdr %s dev va nud permanent" % (ADDR6_B, MAC_B)], a)
    ip_batch(["link set lo up", "addr add %s/24 dev vb" % ADDR4_B,
              "addr add %s/64 dev vb nodad" % ADDR6_B, "link set vb up",
              "neigh replace %s lladdr %s dev vb nud permanent" % (ADDR4_A, MAC_A),
              "neigh replace %s lladdr %s dev vb nud permanent" % (ADDR6_A, MAC_A)], b)
    a.open()
    b.open()
    _pair = (a, b)
    return _pair


SETTLE_S = 10


def settle(netnss, timeout=SETTLE_S):
    """Wait, at most timeout s, until the closed connections in netnss are
    done closing: no rows left but TIME_WAIT.  Deleting one end's namespace
    while the other still waits for the ACK of its FIN would leave that end
    retransmitting into a link that is gone, for minutes (and, for mytcp,
    holding the module).  Returns the rows still closing."""
    deadline = time.monotonic() + timeout * SLOWDOWN
    while True:
        left = [(n.name, STATE_NAMES.get(r["st"], r["st"]))
                for n in netnss for r in proc_rows(n) if r["st"] != TIME_WAIT]
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.05)


def _del_namespaces(all_ns, hosts):
    """Let the hosts' connections settle, then delete every namespace."""
    left = settle(hosts)
    if left:
        diag("still closing when the namespaces went: %s" % left)
    for n in all_ns:
        if n.fd is not None:
            os.close(n.fd)
        ip("netns", "del", n.name, check=False)


def del_netpair():
    global _pair
    if not _pair:
        return
    _del_namespaces(_pair, _pair)
    _pair = None


# the routed path: A - R - B, two /24s, R forwarding between them
PATH_A = "10.0.1.1"
PATH_RA = "10.0.1.254"
PATH_RB = "10.0.2.254"
PATH_B = "10.0.2.2"
# and over IPv6: fd00:2:1::/64 between A and R, fd00:2:2::/64 beyond
PATH6_A = "fd00:2:1::1"
PATH6_RA = "fd00:2:1::fe"
PATH6_RB = "fd00:2:2::fe"
PATH6_B = "fd00:2:2::2"
_routed = None
_routed_saved = {}
ERROR_COST = "/proc/sys/net/ipv4/route/error_cost"


def routed_path(mtu=1280):
    """The process's routed path (A, R, B), created on first use.

    A (10.0.1.1 on "pa") and B (10.0.2.2 on "pb") are two hosts with a
    default route through the router R (10.0.1.254 on "ra", 10.0.2.254 on
    "rb"; ip_forward=1).  Every device keeps the MTU of 1500, so each host
    announces an MSS of 1460; what is narrow is the path through R: R
    forwards at most @mtu bytes towards either host (a route MTU on R, as a
    tunnel or a narrower link beyond R would impose).  A datagram bigger
    than that with DF set is dropped by R with an ICMP "fragmentation
    needed" that names @mtu (RFC 1191); one without DF is fragmented.
    The same over IPv6 (PATH6_*): an IPv6 datagram bigger than @mtu is
    dropped by R with an ICMPv6 Packet Too Big (RFC 8201); IPv6 routers
    never fragment.
    Were the narrow MTU on the devices of the R-B link instead, B would
    announce the smaller MSS in its SYN and the path would never carry a
    segment too big for it.  Removed at exit."""
    global _routed
    if _routed:
        return _routed
    tag = "st%d" % os.getpid()
    a, r, b = (Netns(tag + "pa", PATH_A), Netns(tag + "pr", PATH_RA),
               Netns(tag + "pb", PATH_B))
    ip_batch(["netns add " + n.name for n in (a, r, b)])
    ip_batch(["link add pa netns %s type veth peer name ra netns %s"
              % (a.name, r.name),
              "link add pb netns %s type veth peer name rb netns %s"
              % (b.name, r.name)])
    ip_batch(["link set lo up", "addr add %s/24 dev pa" % PATH_A,
              "addr add %s/64 dev pa nodad" % PATH6_A,
              "link set pa up", "route add default via %s" % PATH_RA,
              "route add ::/0 via %s" % PATH6_RA], a)
    ip_batch(["link set lo up", "addr add %s/24 dev pb" % PATH_B,
              "addr add %s/64 dev pb nodad" % PATH6_B,
              "link set pb up", "route add default via %s" % PATH_RB,
              "route add ::/0 via %s" % PATH6_RB], b)
    ip_batch(["link set lo up", "addr add %s/24 dev ra" % PATH_RA,
              "addr add %s/24 dev rb" % PATH_RB,
              "addr add %s/64 dev ra nodad" % PATH6_RA,
              "addr add %s/64 dev rb nodad" % PATH6_RB, "link set ra up",
              "link set rb up",
              "route add %s/32 dev ra mtu %d" % (PATH_A, mtu),
              "route add %s/32 dev rb mtu %d" % (PATH_B, mtu),
              "route add %s/128 dev ra mtu %d" % (PATH6_A, mtu),
              "route add %s/128 dev rb mtu %d" % (PATH6_B, mtu)], r)
    for n in (a, r, b):
        n.open()
    write_sysctl("/proc/sys/net/ipv4/ip_forward", 1, r)
    write_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", 1, r)
    write_sysctl("/proc/sys/net/ipv6/icmp/ratelimit", 0, r)
    # R answers every packet it cannot forward: no ICMP rate limits (the
    # one of "unreachable" routes, route/error_cost, is global)
    write_sysctl("/proc/sys/net/ipv4/icmp_ratelimit", 0, r)
    _routed_saved["error_cost"] = read_sysctl(ERROR_COST)
    write_sysctl(ERROR_COST, 0)
    _routed = (a, r, b)
    return _routed


def forget_pmtu(netnss):
    """Flush the route caches of netnss, and with them the path MTUs learnt
    from ICMP (route/flush also drops the exceptions) and ICMPv6."""
    for n in netnss:
        write_sysctl("/proc/sys/net/ipv4/route/flush", 1, n)
        # IPv6's route/flush keeps unexpired exceptions: delete them
        ip("-n", n.name, "-6", "route", "flush", "cache")


def del_routed_path():
    global _routed
    if not _routed:
        return
    _del_namespaces(_routed, (_routed[0], _routed[2]))
    if "error_cost" in _routed_saved:
        write_sysctl(ERROR_COST, _routed_saved.pop("error_cost"))
    _routed = None


def new_netns(name):
    """An extra namespace with lo up (the caller deletes it)."""
    n = Netns("st%d%s" % (os.getpid(), name), LOOPBACK)
    ip_batch(["netns add " + n.name])
    ip_batch(["link set lo up"], n)
    n.open()
    return n


def del_netns(n):
    if n.fd is not None:
        os.close(n.fd)
        n.fd = None
    ip("netns", "del", n.name, check=False)


def link_of(netns):
    """The veth device name of a pair namespace."""
    return "va" if netns.addr == ADDR_A else "vb"


@contextlib.contextmanager
def netem(netns, spec):
    """Add a netem qdisc (e.g. "loss 100%") on netns's veth for the block."""
    dev = link_of(netns)
    r = subprocess.run(["tc", "-n", netns.name, "qdisc", "add", "dev", dev,
                        "root", "netem"] + spec.split(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=30)
    if r.returncode != 0:
        raise RuntimeError("tc netem %s: %s" % (spec, r.stderr.strip()))
    try:
        yield
    finally:
        subprocess.run(["tc", "-n", netns.name, "qdisc", "del", "dev", dev,
                        "root"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30)


@contextlib.contextmanager
def netem_both(spec):
    """netem with the same spec on both ends of the pair's veth for the block."""
    a, b = netpair()
    with netem(a, spec), netem(b, spec):
        yield


def tc(netns, *args, check=True):
    """Run tc(8) in netns; raise with its stderr on failure."""
    r = subprocess.run(("tc", "-n", netns.name) + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=30)
    if check and r.returncode != 0:
        raise RuntimeError("tc %s: %s" % (" ".join(args), r.stderr.strip()))
    return r


_filter_pref = [100]


@contextlib.contextmanager
def tc_filter(netns, match, action, direction="egress"):
    """A u32 filter with one action on netns's veth, for the block.

    direction: "egress" (what netns sends) or "ingress" (what it receives:
    a drop there is a loss the sender cannot see, as on a real link; on
    egress the sending stack is told of it).  match: u32 selectors, e.g.
    "match ip protocol 253 0xff"; "at N" counts from the IP header.
    action: e.g. "ok" or "drop".  Yields a function returning the action's
    statistics, a dict with "packets" (all it saw) and "drops"."""
    dev = link_of(netns)
    if "clsact" not in tc(netns, "qdisc", "show", "dev", dev).stdout:
        tc(netns, "qdisc", "add", "dev", dev, "clsact")
    _filter_pref[0] += 1
    pref = str(_filter_pref[0])
    tc(netns, "filter", "add", "dev", dev, direction, "protocol",
       "ipv6" if V6 else "ip", "pref", pref, "u32", *match.split(), "action",
       *action.split())

    def stats():
        out = tc(netns, "-s", "-j", "filter", "show", "dev", dev, direction,
                 "pref", pref).stdout
        for f in json.loads(out):
            for act in f.get("options", {}).get("actions", []):
                st = act.get("stats", {})
                return {"packets": st.get("packets", 0), "drops": st.get("drops", 0)}
        raise AssertionError("tc filter pref %s on %s: no action statistics" % (pref, dev))
    try:
        yield stats
    finally:
        tc(netns, "filter", "del", "dev", dev, direction, "pref", pref, check=False)


def proto_match():
    """The u32 selector of the protocol under test, for the run's family."""
    return "match %s protocol %d 0xff" % ("ip6" if V6 else "ip", PROTO)


def flags_match(flags, mask):
    """u32 selectors: the protocol, and its flags byte & mask == flags (the
    flags byte is the 14th of our header, after an option-less IP one)."""
    return "%s match u8 0x%02x 0x%02x at %d" % (proto_match(), flags, mask,
                                                NET_HDR + 13)


def drop_first(netns, flags, mask, size=None):
    """Drop the first segment arriving at netns whose flags byte & mask == flags.

    Segments of the protocol under test only (IPv4 without options: the
    flags byte is at offset 33 of the IP header), dropped on netns's
    ingress.  A policer does it in the kernel, with no race against a
    retransmission: its bucket of `size` bytes holds one segment of up to
    that length (the default, 64, one without data: 40 to 60 bytes there,
    mytcp or TCP), which conforms and is dropped; the bucket refills at
    1 byte/s, so a like segment that follows within the next minute exceeds
    what is left and passes.  `size` must be under twice the length of the
    segments to be dropped.  Over IPv6 every segment is 20 bytes longer, and
    so is the default.  Context manager; yields the statistics function of
    tc_filter()."""
    if size is None:
        size = 64 + NET_HDR - 20
    return tc_filter(
        netns, flags_match(flags, mask),
        "police rate 8bit burst %d conform-exceed ok/drop" % size, "ingress")


# a full-size segment on a 1500-byte link is 1024 to 2047 bytes long: the
# IP total length (offset 2) & 0xfc00 == 0x0400; over IPv6 its payload
# length (offset 4)
FULL_SIZE_MATCH = "match u16 0x0400 0xfc00 at %d" % (4 if V6 else 2)
MTU = 1500


def no_tx_offload(netns):
    """Turn off checksum offload (and so GSO) on netns's veth.

    With it on, TCP hands veth segments whose checksum is still to be
    computed (CHECKSUM_PARTIAL) and the receiver trusts them unchecked, so
    a segment changed on the way would be taken as good.  Off, every
    segment carries its real checksum and the receiver verifies it."""
    run = subprocess.run(["ip", "netns", "exec", netns.name, "ethtool", "-K",
                          link_of(netns), "tx", "off"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=30)
    if run.returncode != 0:
        raise RuntimeError("ethtool -K tx off: %s" % run.stderr.strip())


@contextlib.contextmanager
def corrupt_first(netns, count):
    """Change one payload byte of the first `count` full-size segments that
    arrive at netns (ingress), so that their checksum fails.

    One filter per segment, each with a policer as in drop_first(): its
    bucket holds one segment of MTU bytes and refills at 10 bytes/s (one
    more conforms only after 150 s; tc keeps the bucket as a time in a u32,
    so a slower rate would overflow it).  A segment that conforms goes on
    (pipe) to a pedit that inverts the byte at offset 100 of the IP packet,
    which is payload under any header (at most 20 + 60 bytes); one that
    exceeds goes on (continue) to the next filter, and past the last one
    unchanged.  Inverting one byte changes the one's-complement sum by 0xff
    or 0xff00, never by a multiple of 0xffff, so the checksum always
    catches it.  The sender must not offload checksums (no_tx_offload()).
    Yields a function returning the segments the filters changed."""
    with contextlib.ExitStack() as stack:
        # the burst is a bit over one segment and under two
        picked = [stack.enter_context(tc_filter(
            netns, "%s %s" % (proto_match(), FULL_SIZE_MATCH),
            "police rate 80bit burst %d conform-exceed continue/pipe "
            "action pedit munge offset 100 u8 invert" % (MTU + 100), "ingress"))
            for _ in range(count)]
        yield lambda: sum(min(st()["packets"], 1) for st in picked)


def count_segments(netns, sport, dport):
    """Count the segments from port sport to dport that netns sends.

    Context manager; yields the statistics function of tc_filter()."""
    ipf = "ip6" if V6 else "ip"
    return tc_filter(netns, "%s match %s sport %d 0xffff match %s dport %d 0xffff"
                     % (proto_match(), ipf, sport, ipf, dport), "ok")


# ------------------------------------------------------------------- sockets

_open_socks = []


def track(s):
    """Close s when the current test ends (whatever happens)."""
    _open_socks.append(s)
    return s


def close_all():
    while _open_socks:
        s = _open_socks.pop()
        with contextlib.suppress(OSError):
            s.close()


def sock(netns=None, proto=None, reuse=False):
    """A new SOCK_STREAM socket of the protocol under test, in netns."""
    with ns(netns):
        s = socket.socket(AF, socket.SOCK_STREAM,
                          PROTO if proto is None else proto)
    track(s)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s


def addrport(host, port):
    """host:port as the kernel prints it (%pISpc): [v6]:port for IPv6."""
    return ("[%s]:%d" if ":" in host else "%s:%d") % (host, port)


def sockname(s):
    """getsockname() as (host, port), in either family."""
    return s.getsockname()[:2]


def peername(s):
    """getpeername() as (host, port), in either family."""
    return s.getpeername()[:2]


def listener(netns=None, addr=None, port=0, backlog=128, reuse=False):
    """A listening socket; returns (socket, port)."""
    s = sock(netns, reuse=reuse)
    s.bind((ANY if addr is None else addr, port))
    s.listen(backlog)
    return s, s.getsockname()[1]


def bconnect(s, addr, timeout=10):
    """A real blocking connect(2), bounded by SO_SNDTIMEO.

    (Python's settimeout() makes the fd non-blocking and connects through
    EINPROGRESS and poll: a different kernel path, and it leaves the socket
    in SS_CONNECTING, so a later connect() behaves differently.)"""
    s.setblocking(True)
    set_timeval(s, socket.SO_SNDTIMEO, timeout)
    try:
        s.connect(addr)
    finally:
        set_timeval(s, socket.SO_SNDTIMEO, 0)


def connected(client_ns=None, server_ns=None, server_addr=None, timeout=10):
    """A connected pair: returns (client, server side, listener).

    Defaults: client in A, server in B (the veth pair).  All three sockets
    are blocking, with no timeout."""
    if client_ns is None and server_ns is None:
        client_ns, server_ns = netpair()
    if server_addr is None:
        server_addr = server_ns.addr if server_ns else LOOPBACK
    lst, port = listener(server_ns)
    c = sock(client_ns)
    bconnect(c, (server_addr, port), timeout)
    lst.settimeout(timeout)
    s, _ = lst.accept()
    track(s)
    s.settimeout(None)
    lst.settimeout(None)
    return c, s, lst


def expect_errno(codes, fn, *args, **kw):
    """Call fn and assert it fails with one of the errno codes."""
    if isinstance(codes, int):
        codes = (codes,)
    try:
        r = fn(*args, **kw)
    except OSError as e:
        if e.errno not in codes:
            raise AssertionError("%s: expected %s, got %s" % (
                getattr(fn, "__name__", fn), "/".join(errno.errorcode[c] for c in codes),
                errno.errorcode.get(e.errno, e.errno))) from None
        return e
    raise AssertionError("%s: expected %s, but it returned %r" % (
        getattr(fn, "__name__", fn),
        "/".join(errno.errorcode[c] for c in codes), r))


def pollev(s, events, timeout):
    """poll(2) on one socket: the revents (0 on timeout); timeout in s."""
    p = select.poll()
    p.register(s, events)
    r = p.poll(timeout * 1000)
    return r[0][1] if r else 0


def wait_poll(s, want, timeout=5.0, events=None):
    """Wait until poll reports all bits of want on s; return revents."""
    deadline = time.monotonic() + timeout * SLOWDOWN
    while True:
        left = deadline - time.monotonic()
        rev = pollev(s, want if events is None else events, max(left, 0))
        if rev & want == want:
            return rev
        if left <= 0:
            raise AssertionError("poll: wanted %s, got %s after %.1f s" % (
                pollbits(want), pollbits(rev), timeout))
        if rev:
            # level-triggered bits we did not want (e.g. POLLOUT): do not spin
            time.sleep(0.01)


def pollbits(v):
    names = [n for n in ("POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP",
                         "POLLNVAL", "POLLRDHUP", "POLLRDNORM", "POLLWRNORM")
             if v & getattr(select, n, 0)]
    return "|".join(names) or "0"


def wait_for(pred, timeout=5.0, what="condition", interval=0.01):
    """Poll pred() until it returns a true value (returned) or time is up."""
    deadline = time.monotonic() + timeout * SLOWDOWN
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(interval)
        interval = min(interval * 1.5, 0.1)


def recv_exact(s, n):
    """Receive exactly n bytes (raise on EOF)."""
    buf = bytearray()
    while len(buf) < n:
        d = s.recv(min(n - len(buf), 1 << 20))
        if not d:
            raise AssertionError("EOF after %d of %d bytes" % (len(buf), n))
        buf += d
    return bytes(buf)


def recv_all(s, limit=1 << 30):
    """Receive until EOF; returns the bytes."""
    buf = bytearray()
    while True:
        d = s.recv(1 << 20)
        if not d:
            return bytes(buf)
        buf += d
        assert len(buf) <= limit, "more than %d bytes" % limit


def payload(n, seed=0):
    """n pseudo-random bytes, reproducible from seed."""
    return random.Random(seed).randbytes(n)


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def set_timeval(s, opt, seconds):
    usec = int(round(seconds * 1e6))
    s.setsockopt(socket.SOL_SOCKET, opt, struct.pack("@ll", usec // 1000000, usec % 1000000))


def accept4(lst, flags):
    """accept4(2) with explicit flags: returns the raw fd."""
    fd = _libc.accept4(lst.fileno(), None, None, flags)
    if fd < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return fd


def _send_all_then_eof(s, data):
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)


def transfer(src, dst, n, seed, timeout):
    """Send n bytes from src to dst, then EOF; check them, return seconds."""
    data = payload(n, seed)
    src.settimeout(timeout)
    dst.settimeout(timeout)
    t = time.monotonic()
    join = in_thread(_send_all_then_eof, src, data)
    got = bytearray()
    try:
        while True:
            d = dst.recv(64 * 1024)
            if not d:
                break
            got += d
    except socket.timeout:
        raise AssertionError("stalled: %d of %d bytes arrived in %d s"
                             % (len(got), n, timeout)) from None
    join(timeout)
    assert len(got) == n, "received %d bytes, sent %d" % (len(got), n)
    assert sha256(got) == sha256(data), "the bytes differ"
    return time.monotonic() - t


def in_thread(fn, *args):
    """Start fn(*args) in a daemon thread; returns a join() -> result."""
    box = {}

    def run():
        try:
            box["r"] = fn(*args)
        except BaseException as e:  # reported by join()
            box["e"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()

    def join(timeout=30):
        t.join(timeout)
        if t.is_alive():
            raise AssertionError("thread %s still running after %s s" % (fn.__name__, timeout))
        if "e" in box:
            raise box["e"]
        return box.get("r")
    return join


# ------------------------------------------------------- /proc/net/{tcp,mytcp}

def proc_net_file():
    return ("mytcp" if PROTO == IPPROTO_MYTCP else "tcp") + ("6" if V6 else "")


def _hexaddr(h):
    """An address column: 8 hex digits for IPv4, 32 for IPv6 (four words,
    each in the machine's byte order)."""
    a, p = h.split(":")
    if len(a) == 8:
        return socket.inet_ntoa(struct.pack("<I", int(a, 16))), int(p, 16)
    raw = b"".join(struct.pack("<I", int(a[i:i + 8], 16)) for i in range(0, 32, 8))
    return socket.inet_ntop(socket.AF_INET6, raw), int(p, 16)


def proc_rows(netns=None):
    """Rows of /proc/net/tcp (or mytcp) as seen from netns.

    Each row: dict(local=(ip, port), remote=(ip, port), st, tx_queue, rx_queue)."""
    path = "/proc/thread-self/net/" + proc_net_file()
    with ns(netns):
        with open(path) as f:
            lines = f.read().splitlines()
    rows = []
    for line in lines[1:]:
        f = line.split()
        if len(f) < 5:
            continue
        tx, rx = f[4].split(":")
        rows.append({"local": _hexaddr(f[1]), "remote": _hexaddr(f[2]),
                     "st": int(f[3], 16), "tx_queue": int(tx, 16),
                     "rx_queue": int(rx, 16)})
    return rows


def states(netns, lport=None, rport=None):
    """The states of the rows matching the local/remote ports (sorted)."""
    return sorted(r["st"] for r in proc_rows(netns)
                  if (lport is None or r["local"][1] == lport)
                  and (rport is None or r["remote"][1] == rport))


def state_names(sts):
    return [STATE_NAMES.get(s, str(s)) for s in sts]


def wait_state(netns, lport, rport, want, timeout=10.0):
    """Wait until the connection lport->rport is in state want (None: gone)."""
    last = []

    def check():
        last[:] = states(netns, lport, rport)
        return last == ([] if want is None else [want])
    try:
        wait_for(check, timeout, "state")
    except AssertionError:
        raise AssertionError("%s: connection :%d -> :%d is %s, wanted %s" % (
            netns.name if netns else "root ns", lport, rport,
            state_names(last) or "gone",
            STATE_NAMES.get(want, "gone"))) from None


# ----------------------------------------------------------------- sysctls

def read_sysctl(path, netns=None):
    with ns(netns):
        with open(path) as f:
            return f.read().strip()


def write_sysctl(path, value, netns=None):
    with ns(netns):
        with open(path, "w") as f:
            f.write(str(value))


def port_range(netns=None):
    lo, hi = read_sysctl("/proc/sys/net/ipv4/ip_local_port_range", netns).split()
    return int(lo), int(hi)


@contextlib.contextmanager
def mytcp_sysctl(name, value, netns=None):
    """Set net.mytcp.NAME in netns for the block; Skip if it does not exist."""
    path = os.path.join(MYTCP_SYSCTL, name)
    with ns(netns):
        exists = os.path.exists(path)
    if not exists:
        raise Skip("no %s" % path)
    with sysctl(path, value, netns):
        yield


@contextlib.contextmanager
def sysctl(path, value, netns=None):
    """Set the sysctl file path in netns for the block, then restore it."""
    old = read_sysctl(path, netns)
    write_sysctl(path, value, netns)
    try:
        yield
    finally:
        write_sysctl(path, old, netns)


def counters(netns=None):
    """The protocol's counters in netns, as a dict name -> int.

    mytcp: /proc/net/mytcp_stat.  tcp: the Tcp: line of /proc/net/snmp and
    the TcpExt: line of /proc/net/netstat (InCsumErrors, RetransSegs,
    TCPWinProbe...)."""
    out = {}
    with ns(netns):
        if PROTO == IPPROTO_MYTCP:
            with open("/proc/thread-self/net/mytcp_stat") as f:
                for line in f:
                    k, v = line.split()
                    out[k] = int(v)
            return out
        for name in ("snmp", "netstat"):
            with open("/proc/thread-self/net/" + name) as f:
                lines = f.read().splitlines()
            for keys, vals in zip(lines[0::2], lines[1::2]):
                if keys.split()[0] in ("Tcp:", "TcpExt:"):
                    out.update(zip(keys.split()[1:], map(int, vals.split()[1:])))
    return out


# ------------------------------------------------------------------ module

def module_loaded():
    with open("/proc/modules") as f:
        return any(line.split()[0] == "mytcp" for line in f)


def module_path():
    """$MYTCP_KO if it names an existing file, else None."""
    ko = os.environ.get("MYTCP_KO", "")
    return ko if ko and os.path.isfile(ko) else None


def run_cmd(*args):
    """Run a command; returns (returncode, stdout+stderr)."""
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=60)
    return r.returncode, r.stdout.strip()


def insmod():
    ko = module_path()
    if not ko:
        raise AssertionError("module not built")
    rc, out = run_cmd("insmod", ko)
    if rc != 0:
        raise AssertionError("insmod %s: %s" % (ko, out))


def rmmod():
    """rmmod mytcp; returns (returncode, message)."""
    return run_cmd("rmmod", "mytcp")


def ensure_module():
    """For mytcp: insmod $MYTCP_KO unless it is loaded.  Nothing for tcp."""
    if PROTO != IPPROTO_MYTCP or module_loaded():
        return
    insmod()


# ------------------------------------------------------------- test driver

class Test:
    def __init__(self, fn, timeout, only, v4only):
        self.fn = fn
        self.name = fn.__name__
        self.timeout = timeout
        self.only = only
        self.v4only = v4only


TESTS = []


def test(timeout=30, only=None, v4only=False):
    """Register a test function; only="mytcp" skips it for other protocols;
    v4only: an IPv4 matter (its IPv6 run has no such test)."""
    def deco(fn):
        assert fn.__doc__, "%s needs a docstring saying what it checks" % fn.__name__
        TESTS.append(Test(fn, timeout, only, v4only))
        return fn
    return deco


def _report(kind, name, reason=""):
    # one line per event, read by runner.py
    sys.stdout.write("@@ %s %s %s\n" % (kind, name, reason.replace("\n", " ")))
    sys.stdout.flush()


def diag(msg):
    """A diagnostic line (TAP comment) for the current test."""
    for line in str(msg).splitlines():
        sys.stdout.write("# %s\n" % line)
    sys.stdout.flush()


def _on_alarm(signum, frame):
    raise TestTimeout()


def main():
    """Run the registered tests of the calling file (see runner.py)."""
    global PROTO_NAME, PROTO
    ap = argparse.ArgumentParser()
    ap.add_argument("--proto", choices=sorted(PROTOS), default=PROTO_NAME)
    ap.add_argument("--family", choices=("v4", "v6"), default=FAMILY,
                    help="must agree with $SELFTEST_FAMILY (read at import)")
    ap.add_argument("--filter", default="")
    ap.add_argument("--after", default="", help="resume after this test")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    PROTO_NAME, PROTO = args.proto, PROTOS[args.proto]
    os.environ["SELFTEST_PROTO"] = PROTO_NAME
    if args.family != FAMILY:
        sys.exit("--family %s: set SELFTEST_FAMILY=%s too (runner.py does)"
                 % (args.family, args.family))
    suffix = "[v6]" if V6 else ""

    stem = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    stem = stem[5:] if stem.startswith("test_") else stem
    tests = [t for t in TESTS if not (V6 and t.v4only)
             and (not args.filter
                  or re.search(args.filter, "%s.%s%s" % (stem, t.name, suffix)))]
    if args.after:
        names = ["%s.%s%s" % (stem, t.name, suffix) for t in tests]
        if args.after not in names:
            sys.exit("--after %s: no such test" % args.after)
        tests = tests[names.index(args.after) + 1:]
    if args.list:
        for t in tests:
            print("%s.%s%s" % (stem, t.name, suffix))
        return

    setup_error = None
    if PROTO == IPPROTO_MYTCP and any(t.only is None or t.only == "mytcp" for t in tests):
        if not module_path():
            setup_error = "module not built"
        elif stem != "module":
            try:
                ensure_module()
            except AssertionError as e:
                setup_error = str(e)

    signal.signal(signal.SIGALRM, _on_alarm)
    try:
        for t in tests:
            name = "%s.%s%s" % (stem, t.name, suffix)
            _report("start", name, str(t.timeout * SLOWDOWN))
            if t.only and t.only != PROTO_NAME:
                _report("skip", name, "only for %s" % t.only)
                continue
            if setup_error:
                _report("fail", name, setup_error)
                continue
            start = time.monotonic()
            signal.alarm(t.timeout * SLOWDOWN)
            try:
                t.fn()
                signal.alarm(0)
                _report("ok", name, "%.2f" % (time.monotonic() - start))
            except Skip as e:
                signal.alarm(0)
                _report("skip", name, str(e))
            except TestTimeout:
                _report("fail", name, "timeout after %d s" % t.timeout)
            except AssertionError as e:
                signal.alarm(0)
                _report("fail", name, str(e) or "assertion failed")
                diag(traceback.format_exc().rstrip())
            except Exception as e:  # noqa: BLE001 - any error fails the test
                signal.alarm(0)
                _report("fail", name, "%s: %s" % (type(e).__name__, e))
                diag(traceback.format_exc().rstrip())
            finally:
                signal.alarm(0)
                close_all()
    finally:
        del_netpair()
        del_routed_path()
