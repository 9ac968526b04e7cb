#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-mytcpize.sh: mytcpize and its library on this machine, without the
# module (make -C tools/mytcpize check).  The machine's kernel has no
# protocol 253, which is what is tested here: other sockets untouched, the
# conversion attempted and failing as the kernel fails, the fallback, the
# AF_INET6 rule, the wrapper's options.  What a program does over a real
# mytcp is in tools/selftests/test_mytcpize.py, in the VM.
# TAP; the last line is "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd -P)
mz=$here/mytcpize
n=0
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
		pass=$((pass + 1))
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$tmp/out" "$tmp/err" 2>/dev/null
		fail=$((fail + 1))
	fi
}

# py CODE: python3 -c CODE under mytcpize run $MZ_OPTS; out and err kept
py() {
	# shellcheck disable=SC2086  # MZ_OPTS is a list of words
	"$mz" run ${MZ_OPTS:-} python3 -c "$1" >"$tmp/out" 2>"$tmp/err"
}

if python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)' 2>/dev/null; then
	echo "1..0 # SKIP this kernel has protocol 253: the test wants a machine without mytcp"
	echo "0 passed, 0 failed"
	exit 0
fi

[ -f "$here/libmytcpize.so" ] || { echo "not ok 1 - libmytcpize.so not built (make)"; echo "0 passed, 1 failed"; exit 1; }

# ---------------------------------------------------------------- wrapper
"$mz" --help >"$tmp/out" 2>"$tmp/err" && grep -q '^Usage: mytcpize run' "$tmp/out"
ok $? "--help prints the usage and exits 0"

"$mz" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'Usage' "$tmp/err"
ok $? "no command: usage on stderr, exit 2"

"$mz" frobnicate >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "unknown command" "$tmp/err"
ok $? "an unknown command exits 2"

"$mz" run >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "no program" "$tmp/err"
ok $? "run without a program exits 2"

"$mz" run -x true >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "unknown option" "$tmp/err"
ok $? "run with an unknown option exits 2"

"$mz" run sh -c 'exit 7' >"$tmp/out" 2>"$tmp/err"
ok $(($? != 7)) "the program's exit status is mytcpize's"

"$mz" run /nonexistent/prog >"$tmp/out" 2>"$tmp/err"
ok $(($? != 127)) "a program that does not exist: exit 127, as a shell"

# shellcheck disable=SC2016  # expanded by the inner shell
"$mz" run sh -c 'echo "$LD_PRELOAD"' >"$tmp/out" 2>"$tmp/err" &&
	[ "$(cat "$tmp/out")" = "$here/libmytcpize.so" ]
ok $? "LD_PRELOAD names the library beside the script, by its absolute path"

# shellcheck disable=SC2016
LD_PRELOAD=libc.so.6 "$mz" run sh -c 'echo "$LD_PRELOAD"' >"$tmp/out" 2>"$tmp/err" &&
	[ "$(cat "$tmp/out")" = "$here/libmytcpize.so libc.so.6" ]
ok $? "an LD_PRELOAD already set is kept, after the library"

ln -s "$mz" "$tmp/mytcpize-link"
(cd / && "$tmp/mytcpize-link" lib) >"$tmp/out" 2>"$tmp/err" &&
	[ "$(cat "$tmp/out")" = "$here/libmytcpize.so" ]
ok $? "through a symbolic link elsewhere, the library beside the real script"

cp "$mz" "$tmp/mytcpize-copy"
(cd / && "$tmp/mytcpize-copy" lib) >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "not found" "$tmp/err"
ok $? "a copy with no library beside it fails, exit 2"

make -s -C "$here" install DESTDIR="$tmp/dest" PREFIX=/opt/mz >"$tmp/out" 2>"$tmp/err" &&
	(PATH=$tmp/dest/opt/mz/bin:$PATH && cd / && mytcpize lib) >"$tmp/out" 2>>"$tmp/err" &&
	[ "$(cat "$tmp/out")" = "$tmp/dest/opt/mz/lib/mytcpize/libmytcpize.so" ]
ok $? "installed (make install), found through PATH: the library in ../lib/mytcpize"

MYTCPIZE_LIB=/nonexistent "$mz" run true >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "MYTCPIZE_LIB" "$tmp/err"
ok $? "MYTCPIZE_LIB naming no file is an error"

# ------------------------------------------------------- sockets left alone
py '
import socket, os
S = socket.socket
checks = [
    (socket.AF_INET, socket.SOCK_DGRAM, 0, 17),
    (socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP, 17),
    (socket.AF_INET6, socket.SOCK_DGRAM, 0, 17),
    (socket.AF_UNIX, socket.SOCK_STREAM, 0, 0),
    (socket.AF_UNIX, socket.SOCK_DGRAM, 0, 0),
    (socket.AF_UNIX, socket.SOCK_SEQPACKET, 0, 0),
    (socket.AF_NETLINK, socket.SOCK_RAW, 0, 0),
]
if os.geteuid() == 0:
    checks.append((socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP, 6))
    checks.append((socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP, 1))
for f, t, p, want in checks:
    s = S(f, t, p)
    got = s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL)
    assert got == want, (f, t, p, got)
    s.close()
a, b = socket.socketpair()
a.send(b"x"); assert b.recv(1) == b"x"
u = S(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0)); u.sendto(b"dgram", u.getsockname())
assert u.recv(10) == b"dgram"
print("fine")
' && grep -qx fine "$tmp/out" && [ ! -s "$tmp/err" ]
ok $? "UDP, unix, netlink and raw sockets are left alone, silently"

MZ_OPTS=-d py '
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0x10)
assert u.getsockopt(socket.IPPROTO_IP, socket.IP_TOS) == 0x10
' && [ ! -s "$tmp/err" ]
ok $? "a UDP socket's options are left alone, even with -d"

# ------------------------------------------------- AF_INET TCP, no module
py '
import socket, errno
for t in (socket.SOCK_STREAM, socket.SOCK_STREAM | socket.SOCK_NONBLOCK,
          socket.SOCK_STREAM | socket.SOCK_CLOEXEC):
    for p in (0, socket.IPPROTO_TCP):
        try:
            socket.socket(socket.AF_INET, t, p)
        except OSError as e:
            assert e.errno == errno.EPROTONOSUPPORT, e
        else:
            raise AssertionError("a TCP socket was made: %d %d" % (t, p))
' && [ "$(grep -c 'is the mytcp module loaded' "$tmp/err")" -eq 1 ]
ok $? "without the module, socket(AF_INET, SOCK_STREAM, 0|6) fails EPROTONOSUPPORT, one warning"

MZ_OPTS=-d py '
import socket
for t in (socket.SOCK_STREAM, socket.SOCK_STREAM | socket.SOCK_NONBLOCK | socket.SOCK_CLOEXEC):
    try:
        socket.socket(socket.AF_INET, t, 0)
    except OSError:
        pass
'
[ "$(grep -c 'socket(AF_INET, SOCK_STREAM.*, 253): Protocol not supported' "$tmp/err")" -eq 2 ] &&
	grep -q 'SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 253' "$tmp/err"
ok $? "-d reports each attempt, with the type's flag bits"

MZ_OPTS=--fallback py '
import socket, fcntl, os
lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
assert lst.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL) == 6
lst.bind(("127.0.0.1", 0)); lst.listen(1)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK | socket.SOCK_CLOEXEC)
assert fcntl.fcntl(c.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK
assert fcntl.fcntl(c.fileno(), fcntl.F_GETFD) & fcntl.FD_CLOEXEC
c.setblocking(True)
c.connect(lst.getsockname())
s, _ = lst.accept()
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
assert c.getsockopt(socket.IPPROTO_TCP, socket.TCP_CORK) == 1
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 0)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
assert c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
assert c.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)[0] == 1
c.sendall(b"over tcp")
assert s.recv(100) == b"over tcp"
print("fine")
' && grep -qx fine "$tmp/out" && [ "$(grep -c 'falling back to TCP' "$tmp/err")" -eq 1 ]
ok $? "--fallback: TCP sockets with their flags, TCP's own options, one warning"

MYTCPIZE_FALLBACK=1 py '
import socket
socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
' && grep -q 'falling back' "$tmp/err"
ok $? "MYTCPIZE_FALLBACK=1 is the same as --fallback"

MYTCPIZE_DEBUG=0 py '
import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
except OSError:
    pass
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
except OSError:
    pass
' && [ "$(wc -l <"$tmp/err")" -eq 1 ]
ok $? "MYTCPIZE_DEBUG=0 is no debugging: the warning once only"

# ---------------------------------------------------------------- AF_INET6
if python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_STREAM)' 2>/dev/null; then
	MZ_OPTS=-d py '
import socket
for i in range(3):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 0)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL) == 6
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
    assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CORK) == 1
print("fine")
' && grep -qx fine "$tmp/out" &&
		[ "$(grep -c 'AF_INET6, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 253): Protocol not supported' "$tmp/err")" -eq 1 ] &&
		[ "$(grep -c 'stays TCP (no AF_INET6 mytcp here)' "$tmp/err")" -eq 2 ]
	ok $? "AF_INET6 is tried once, then stays TCP with TCP's options, no --fallback needed"
else
	n=$((n + 1))
	pass=$((pass + 1))
	echo "ok $n - AF_INET6 stays TCP # SKIP no IPv6 here"
fi

# ------------------------------------------------------- a real C program
if command -v curl >/dev/null; then
	echo hello >"$tmp/file"
	"$mz" run curl -s "file://$tmp/file" >"$tmp/out" 2>"$tmp/err" &&
		grep -qx hello "$tmp/out"
	ok $? "curl runs under mytcpize (a file:// URL opens no TCP socket)"
fi

echo "1..$n"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
