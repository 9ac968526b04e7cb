#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Loading and unloading the mytcp module (skipped for tcp, built in).

The tests run in order and leave the module loaded.  run-vm.sh points
kernel.modprobe at a wrapper that insmods $MYTCP_KO for mytcp's alias, so
socket() can autoload it."""

import errno
import socket
import subprocess
import time

import lib
from lib import test

# IPv4 only: not a socket-API file (runner.py reads this)
FAMILIES = ("v4",)

ALIAS = "net-pf-2-proto-253-type-1"


def unload():
    """rmmod mytcp if loaded; it must succeed (no sockets are open)."""
    if lib.module_loaded():
        rc, out = lib.rmmod()
        assert rc == 0, "rmmod with no sockets open failed: %s" % out
    assert not lib.module_loaded(), "still in /proc/modules after rmmod"


def load():
    if not lib.module_loaded():
        lib.insmod()


def smoke(netns=None):
    """A connection over loopback in netns carries a few bytes."""
    lst, port = lib.listener(netns, "127.0.0.1")
    c = lib.sock(netns)
    lib.bconnect(c, ("127.0.0.1", port))
    lst.settimeout(10)
    s, _ = lst.accept()
    lib.track(s)
    c.sendall(b"ping")
    assert lib.recv_exact(s, 4) == b"ping"
    return c, s, lst


def refcount():
    with open("/proc/modules") as f:
        for line in f:
            p = line.split()
            if p[0] == "mytcp":
                return int(p[2])
    return None


@test(only="mytcp")
def load_unload():
    """insmod lists mytcp in /proc/modules with /proc/net/mytcp; rmmod removes both."""
    unload()
    lib.insmod()
    assert lib.module_loaded(), "insmod succeeded but mytcp is not in /proc/modules"
    with open("/proc/net/mytcp") as f:
        header = f.readline().split()
    assert header[:4] == ["sl", "local_address", "rem_address", "st"], header
    unload()
    with open("/proc/net/protocols") as f:
        protos = f.read()
    assert "mytcp" not in protos.lower().split(), "proto still registered after rmmod"
    lib.insmod()


@test(only="mytcp")
def alias():
    """modinfo shows the alias socket() asks for: net-pf-2-proto-253-type-1."""
    r = subprocess.run(["modinfo", "-F", "alias", lib.module_path()],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    aliases = r.stdout.split()
    assert ALIAS in aliases, "aliases are %s: the kernel requests %s (SOCK_STREAM must be " \
        "spelled 1 in MODULE_ALIAS_NET_PF_PROTO_TYPE)" % (aliases, ALIAS)


@test(only="mytcp")
def load_twice():
    """A second insmod fails with EEXIST and leaves the loaded module working."""
    load()
    rc, out = lib.run_cmd("insmod", lib.module_path())
    assert rc != 0, "second insmod succeeded"
    assert "exists" in out, "second insmod: %s (expected File exists)" % out
    assert lib.module_loaded()
    smoke()


@test(only="mytcp")
def autoload():
    """After rmmod, socket(AF_INET, SOCK_STREAM, 253) loads the module again."""
    unload()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, lib.IPPROTO_MYTCP)
    lib.track(s)
    assert lib.module_loaded(), "socket() succeeded but the module is not loaded"
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL) == lib.IPPROTO_MYTCP
    s.close()


@test(only="mytcp")
def rmmod_busy_socket():
    """rmmod with an open socket fails ("in use"); the socket still works after."""
    load()
    s = lib.sock()
    assert refcount() >= 1, "an open socket does not pin the module"
    rc, out = lib.rmmod()
    assert rc != 0, "rmmod succeeded with a socket open"
    assert "in use" in out or "busy" in out.lower(), "rmmod: %s" % out
    assert lib.module_loaded()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    c = lib.sock()
    lib.bconnect(c, s.getsockname())
    c.close()
    s.close()
    unload()
    load()


@test(only="mytcp", timeout=120)
def rmmod_busy_connections():
    """rmmod fails while connections and a listener with a queued child exist."""
    load()
    c, srv, lst = smoke()
    extra = lib.sock()
    lib.bconnect(extra, lst.getsockname())    # left in the accept queue
    rc, out = lib.rmmod()
    assert rc != 0, "rmmod succeeded with connections open"
    srv.sendall(b"pong")
    assert lib.recv_exact(c, 4) == b"pong", "connection broken by the failed rmmod"
    for x in (c, srv, extra, lst):
        x.close()
    lib.wait_for(lambda: lib.rmmod()[0] == 0, 80,
                 "the module to become unloadable once every socket is closed")
    load()


@test(only="mytcp", timeout=150)
def rmmod_with_time_wait():
    """rmmod with TIME_WAIT entries either is refused or cleans up: no crash."""
    load()
    for _ in range(20):
        c, s, lst = smoke()
        c.close()          # the client closes first: TIME_WAIT on its side
        assert s.recv(1) == b""
        s.close()
        lst.close()
    lib.wait_for(lambda: any(r["st"] == lib.TIME_WAIT for r in lib.proc_rows()), 10,
                 "TIME_WAIT rows in /proc/net/mytcp")
    rc, out = lib.rmmod()
    if rc == 0:
        lib.diag("rmmod with TIME_WAIT entries succeeded (entries destroyed)")
    else:
        # the other valid design: entries pin the module until they expire
        lib.diag("rmmod with TIME_WAIT entries refused: %s" % out)
        lib.wait_for(lambda: lib.rmmod()[0] == 0, 80, "rmmod once TIME_WAIT expired")
    lib.insmod()
    smoke()


@test(only="mytcp", timeout=150)
def netns_exit_with_sockets():
    """Deleting a namespace with mytcp connections and TIME_WAIT is safe and prompt.

    Its TIME_WAIT entries must go with the namespace (not pin it, nor the
    module, until they expire): rmmod succeeds within 30 s."""
    load()
    n = lib.new_netns("x")
    try:
        c, s, lst = smoke(n)
        c2, s2, lst2 = smoke(n)
        c.close()
        assert s.recv(1) == b""
        s.close()                # c's side now in TIME_WAIT
        for x in (c2, s2, lst, lst2):
            x.close()
    finally:
        lib.del_netns(n)
    # the namespace goes away asynchronously (cleanup_net); rmmod until it works
    t0 = time.monotonic()
    last = []

    def unloaded():
        rc, out = lib.rmmod()
        last[:] = [out]
        return rc == 0
    try:
        lib.wait_for(unloaded, 100, "rmmod after the netns was deleted")
    except AssertionError as e:
        raise AssertionError("%s; rmmod: %s; refcount %s" % (
            e, last[0] if last else "", refcount())) from None
    dt = time.monotonic() - t0
    lib.diag("rmmod succeeded %.1f s after the namespace was deleted" % dt)
    lib.insmod()
    smoke()
    assert dt < 30, "the module stayed in use %.0f s after its last namespace went " \
        "(rmmod: %s): do TIME_WAIT entries pin the netns or the module?" % (dt, last[0] if last else "")


@test(only="mytcp")
def protocol_253_is_mytcp():
    """With the module loaded, protocol 253 sockets report SO_PROTOCOL 253."""
    load()
    s = lib.sock()
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL) == 253
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM
    lib.expect_errno((errno.EPROTONOSUPPORT, errno.ESOCKTNOSUPPORT),
                     socket.socket, socket.AF_INET, socket.SOCK_DGRAM, 253)


if __name__ == "__main__":
    lib.main()
