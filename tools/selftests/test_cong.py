#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Congestion control as a program and an administrator see it.

The socket option (TCP_CONGESTION, which is MYTCP_CONGESTION) and the
namespace's default (net.mytcp.congestion_control, for TCP
net.ipv4.tcp_congestion_control) behave as TCP's do.  For mytcp: CUBIC
loaded from its own module (mytcp/mytcp_cubic.ko), picked per socket or
per namespace, inherited by accepted connections, carrying data over a
lossy link, and its module pinned while a socket or a namespace uses it."""

import errno
import os
import socket

import lib
from lib import test

CUBIC_KO = "mytcp_cubic.ko"


def cc_name(s):
    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION,
                        16).rstrip(b"\0").decode()


def default_path():
    if lib.PROTO == lib.IPPROTO_MYTCP:
        return os.path.join(lib.MYTCP_SYSCTL, "congestion_control")
    return "/proc/sys/net/ipv4/tcp_congestion_control"


def available(netns=None):
    if lib.PROTO == lib.IPPROTO_MYTCP:
        path = os.path.join(lib.MYTCP_SYSCTL, "available_congestion_control")
    else:
        path = "/proc/sys/net/ipv4/tcp_available_congestion_control"
    return lib.read_sysctl(path, netns).split()


def cubic_loaded():
    with open("/proc/modules") as f:
        return any(line.split()[0] == "mytcp_cubic" for line in f)


def load_cubic():
    """insmod mytcp_cubic.ko (built beside $MYTCP_KO) unless it is loaded."""
    if cubic_loaded():
        return
    ko = os.path.join(os.path.dirname(lib.module_path() or ""), CUBIC_KO)
    rc, out = lib.run_cmd("insmod", ko)
    assert rc == 0, "insmod %s: %s" % (ko, out)


def unload_cubic():
    """rmmod mytcp_cubic: (status, message)."""
    return lib.run_cmd("rmmod", "mytcp_cubic")


@test()
def default_is_a_registered_name():
    """A new socket runs the namespace's default, which is listed as
    available; for mytcp, a new namespace starts with newreno."""
    a, _ = lib.netpair()
    s = lib.sock(a)
    name = cc_name(s)
    assert name == lib.read_sysctl(default_path(), a), name
    assert name in available(a), (name, available(a))
    if lib.PROTO == lib.IPPROTO_MYTCP:
        assert name == "newreno", name
    s.close()


@test()
def unknown_name_is_enoent():
    """TCP_CONGESTION with a name nobody registered: ENOENT, and the socket
    keeps its algorithm; the sysctl refuses it with ENOENT too."""
    a, _ = lib.netpair()
    s = lib.sock(a)
    before = cc_name(s)
    lib.expect_errno(errno.ENOENT, s.setsockopt, socket.IPPROTO_TCP,
                     socket.TCP_CONGESTION, b"nosuch")
    assert cc_name(s) == before
    s.close()
    old = lib.read_sysctl(default_path(), a)
    lib.expect_errno(errno.ENOENT, lib.write_sysctl, default_path(),
                     "nosuch", a)
    assert lib.read_sysctl(default_path(), a) == old


@test()
def name_without_nul_and_short_buffer():
    """The name need not be NUL-terminated; a short buffer gets the
    name's first bytes, as from TCP."""
    a, _ = lib.netpair()
    s = lib.sock(a)
    name = cc_name(s)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, name.encode())
    assert cc_name(s) == name
    got = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 3)
    assert got == name.encode()[:3], got
    s.close()


@test(only="mytcp", timeout=90)
def cubic_module_carries_data():
    """With mytcp_cubic loaded, "cubic" is available; a client that picks
    it and a listener that picks it (its child inherits it) move 2 MiB
    each way over 1% loss and 10 ms delay, byte-exact."""
    load_cubic()
    a, b = lib.netpair()
    assert "cubic" in available(a), available(a)
    lst, port = lib.listener(b)
    lst.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")
    c = lib.sock(a)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")
    with lib.netem_both("loss 1% delay 10ms"):
        lib.bconnect(c, (lib.ADDR_B, port))
        s, _ = lst.accept()
        lib.track(s)
        assert cc_name(c) == "cubic" and cc_name(s) == "cubic", \
            (cc_name(c), cc_name(s))
        data = lib.payload(2 << 20, 7)
        back = lib.payload(2 << 20, 8)
        def send_all(sock, what):
            sock.sendall(what)
            sock.shutdown(socket.SHUT_WR)
        join_c = lib.in_thread(send_all, c, data)
        join_s = lib.in_thread(send_all, s, back)
        got_s = lib.recv_all(s)
        got_c = lib.recv_all(c)
        join_c(60)
        join_s(60)
    assert lib.sha256(got_s) == lib.sha256(data), "server got %d bytes" % len(got_s)
    assert lib.sha256(got_c) == lib.sha256(back), "client got %d bytes" % len(got_c)
    for x in (c, s, lst):
        x.close()


@test(only="mytcp", timeout=60)
def default_per_namespace_and_module_pinned():
    """net.mytcp.congestion_control=cubic in A: A's new sockets run cubic,
    B's still newreno.  While a socket or A's default uses cubic, rmmod
    mytcp_cubic fails; once neither does, it succeeds."""
    load_cubic()
    a, b = lib.netpair()
    with lib.mytcp_sysctl("congestion_control", "cubic", a):
        sa, sb = lib.sock(a), lib.sock(b)
        assert cc_name(sa) == "cubic" and cc_name(sb) == "newreno", \
            (cc_name(sa), cc_name(sb))
        rc, out = unload_cubic()
        assert rc != 0, "rmmod succeeded with a socket and a default on it"
        sa.close()
        sb.close()
        lib.settle((a, b))
        rc, out = unload_cubic()
        assert rc != 0, "rmmod succeeded while A's default is cubic"
    rc, out = unload_cubic()
    assert rc == 0, "rmmod mytcp_cubic with no user: %s" % out
    assert "cubic" not in available(a), available(a)
    # and the socket option now knows no cubic
    s = lib.sock(a)
    lib.expect_errno(errno.ENOENT, s.setsockopt, socket.IPPROTO_TCP,
                     socket.TCP_CONGESTION, b"cubic")
    s.close()


if __name__ == "__main__":
    lib.main()
