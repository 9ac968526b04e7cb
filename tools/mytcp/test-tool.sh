#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test the mytcp tool itself over plain TCP on 127.0.0.1 (--proto tcp), so it
# runs anywhere, without the module.  One "ok N - ..." line per check, then
# "N passed, N failed"; exits nonzero on any failure.  Every process is
# bounded by timeout(1), and servers are awaited with --ready-file.
set -u
here=$(cd "$(dirname "$0")" && pwd)
make -s -C "$here" >/dev/null || exit 1
tool=$here/mytcp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
n=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
	pass=$((pass + 1))
}

not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	fail=$((fail + 1))
}

# check NAME COMMAND...: run COMMAND, report it as one test.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# start_server NAME SERVE-ARGS...: run "mytcp serve" in the background on a
# free port, wait for its ready file; sets $port and $spid, logs to NAME.srv.
start_server() {
	local name=$1
	shift
	rm -f "$tmp/$name.ready"
	timeout 120 "$tool" serve --proto tcp --addr 127.0.0.1 --port 0 \
		--ready-file "$tmp/$name.ready" "$@" >"$tmp/$name.srv" 2>&1 &
	spid=$!
	if ! timeout 10 bash -c "until [ -s '$tmp/$name.ready' ]; do
			kill -0 $spid 2>/dev/null || exit 1; sleep 0.01; done"; then
		cat "$tmp/$name.srv"
		port=0
		return 1
	fi
	port=$(cat "$tmp/$name.ready")
}

# client NAME CONNECT-ARGS...: run "mytcp connect" to $port; sets $crc and
# logs to NAME.cli.
client() {
	local name=$1
	shift
	timeout 120 "$tool" connect --proto tcp --addr 127.0.0.1 --port "$port" \
		"$@" >"$tmp/$name.cli" 2>&1
	crc=$?
}

# wait_server: wait for the background server; sets $src.
wait_server() {
	wait "$spid"
	src=$?
}

# show NAME: print both logs (on failure).
show() {
	sed "s/^/# /" "$tmp/$1.srv" "$tmp/$1.cli" 2>/dev/null
}

# echo_test NAME SIZE: echo SIZE bytes, verified by the client.
echo_test() {
	local name=$1 size=$2
	start_server "$name" --mode echo --count 1 --quiet
	client "$name" --send "$size" --seed 7 --shutdown --expect-echo --quiet
	wait_server
	if [ "$crc" -eq 0 ] && [ "$src" -eq 0 ] &&
	   grep -q "^client: echo verified: " "$tmp/$name.cli"; then
		ok "echo of $size bytes, --expect-echo"
	else
		show "$name"
		not_ok "echo of $size bytes (client $crc, server $src)"
	fi
}

# ---- usage and tables ----
check "mytcp --help exits 0" bash -c "'$tool' --help >/dev/null"
check "mytcp serve --help" bash -c "'$tool' serve --help | grep -q ready-file"
check "mytcp connect --help" bash -c "'$tool' connect --help | grep -q linger0"
check "mytcp states: 11 states, 1 ESTABLISHED ... 11 CLOSING" bash -c \
	"s=\$('$tool' states); [ \$(echo \"\$s\" | wc -l) -eq 11 ] &&
	 echo \"\$s\" | grep -qx '1 ESTABLISHED' &&
	 echo \"\$s\" | grep -qx '10 LISTEN' && echo \"\$s\" | grep -qx '11 CLOSING'"
check "unknown option exits 1" bash -c "! '$tool' connect --bogus 2>/dev/null"

# ---- echo: every step printed, then sizes ----
name=steps
start_server $name --mode echo --count 1
client $name --data "hello world" --shutdown --expect-echo
wait_server
if [ "$crc" -eq 0 ] && [ "$src" -eq 0 ] &&
   grep -q "^client: socket(AF_INET, SOCK_STREAM, 6) = " "$tmp/$name.cli" &&
   grep -q "^client: connect 127.0.0.1:$port ok$" "$tmp/$name.cli" &&
   grep -q "^client: info state=ESTABLISHED snd_mss=" "$tmp/$name.cli" &&
   grep -q "^client: sent 11 bytes$" "$tmp/$name.cli" &&
   grep -q "^client: shutdown(SHUT_WR)$" "$tmp/$name.cli" &&
   grep -q "^client: received 11 bytes$" "$tmp/$name.cli" &&
   grep -q "^client: EOF$" "$tmp/$name.cli" &&
   grep -q "^client: close$" "$tmp/$name.cli" &&
   grep -q "^server: bind 127.0.0.1:0$" "$tmp/$name.srv" &&
   grep -q "^server: listen backlog 16$" "$tmp/$name.srv" &&
   grep -q "^server: accept -> 127.0.0.1:" "$tmp/$name.srv" &&
   grep -q "^server: info state=CLOSE_WAIT " "$tmp/$name.srv" &&
   grep -q "^server: close$" "$tmp/$name.srv"; then
	ok "echo of --data: socket, connect, info, sent, shutdown, EOF, close"
else
	show $name
	not_ok "echo of --data: step lines"
fi

echo_test echo1 1
echo_test echo1m 1M
echo_test echo64m 64M

# Without --shutdown, --expect-echo reads until everything came back.
name=noshut
start_server $name --mode echo --count 1 --quiet
client $name --send 100000 --expect-echo --quiet
wait_server
if [ "$crc" -eq 0 ] && [ "$src" -eq 0 ]; then
	ok "echo without --shutdown, --expect-echo"
else
	show $name
	not_ok "echo without --shutdown (client $crc, server $src)"
fi

# --expect-echo notices a peer that does not echo.
name=noecho
start_server $name --mode discard --count 1 --quiet
client $name --send 1000 --shutdown --expect-echo --quiet
wait_server
if [ "$crc" -eq 1 ] && [ "$src" -eq 0 ] &&
   grep -q "^client: echo mismatch: sent 1000 bytes, received 0 before EOF$" \
	"$tmp/$name.cli"; then
	ok "--expect-echo against discard: mismatch, exit 1"
else
	show $name
	not_ok "--expect-echo against discard (client $crc, server $src)"
fi

# ---- sink --hash: both ends and sha256sum agree ----
name=sink
head -c 3000000 /dev/urandom >"$tmp/data"
want=$(sha256sum <"$tmp/data" | cut -d' ' -f1)
start_server $name --mode sink --hash --count 1 --quiet
client $name --stdin --hash --shutdown --quiet <"$tmp/data"
wait_server
if [ "$crc" -eq 0 ] && [ "$src" -eq 0 ] &&
   grep -qx "client: sent 3000000 bytes sha256 $want" "$tmp/$name.cli" &&
   grep -qx "server: received 3000000 bytes sha256 $want" "$tmp/$name.srv"; then
	ok "sink --hash: client, server and sha256sum agree"
else
	show $name
	echo "# sha256sum: $want"
	not_ok "sink --hash (client $crc, server $src)"
fi

name=sinkprng
start_server $name --mode sink --hash --count 1 --quiet
client $name --send 5M --seed 3 --hash --shutdown --quiet
wait_server
c=$(sed -n 's/^client: sent 5242880 bytes sha256 //p' "$tmp/$name.cli")
s=$(sed -n 's/^server: received 5242880 bytes sha256 //p' "$tmp/$name.srv")
if [ "$crc" -eq 0 ] && [ "$src" -eq 0 ] && [ -n "$c" ] && [ "$c" = "$s" ]; then
	ok "sink --hash of --send 5M: both ends agree"
else
	show $name
	not_ok "sink --hash of --send 5M (client $crc, server $src)"
fi

# SHA-256 test vectors (FIPS 180-2): "abc", the empty message, and 56 bytes
# whose padding takes a second block.
name=vectors
abc=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
empty=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
two=248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1
start_server $name --mode sink --hash --count 3 --quiet
client $name.1 --data abc --shutdown --quiet
client $name.2 --shutdown --quiet
client $name.3 --shutdown --quiet \
	--data abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq
wait_server
if [ "$src" -eq 0 ] &&
   grep -qx "server: received 3 bytes sha256 $abc" "$tmp/$name.srv" &&
   grep -qx "server: received 0 bytes sha256 $empty" "$tmp/$name.srv" &&
   grep -qx "server: received 56 bytes sha256 $two" "$tmp/$name.srv"; then
	ok "sha256 test vectors: \"abc\", empty, two blocks"
else
	show $name
	not_ok "sha256 test vectors"
fi

# ---- discard, --fork, several connections ----
name=fork
start_server $name --mode discard --count 3 --fork --quiet
client $name.1 --send 1M --shutdown --quiet
r1=$crc
client $name.2 --send 1K --shutdown --quiet
r2=$crc
client $name.3 --data x --shutdown --quiet
r3=$crc
wait_server
if [ "$r1$r2$r3" = 000 ] && [ "$src" -eq 0 ]; then
	ok "discard --fork --count 3"
else
	show $name
	not_ok "discard --fork --count 3 (clients $r1 $r2 $r3, server $src)"
fi

# ---- errors and exit codes ----
# The port of a server that has exited is closed: connect is refused.
name=refused
client $name --data x
if [ "$crc" -eq 2 ] &&
   grep -q "^client: connect 127.0.0.1:$port: Connection refused (ECONNREFUSED)$" \
	"$tmp/$name.cli"; then
	ok "connect to a closed port: exit 2, ECONNREFUSED"
else
	cat "$tmp/$name.cli"
	not_ok "connect to a closed port (exit $crc)"
fi

# --linger0: the close is abortive, the server's recv() sees the reset.
name=linger
start_server $name --mode discard --count 1
client $name --send 1000 --linger0
wait_server
if [ "$crc" -eq 0 ] && [ "$src" -eq 4 ] &&
   grep -q "^client: setsockopt(SO_LINGER, {1, 0})" "$tmp/$name.cli" &&
   grep -q "^server: recv after [0-9]* bytes: Connection reset by peer (ECONNRESET)$" \
	"$tmp/$name.srv"; then
	ok "--linger0: server sees ECONNRESET, exits 4"
else
	show $name
	not_ok "--linger0 (client $crc, server $src)"
fi

# The server dies while the client sends: its socket closes with unread
# data, so the client's send() or recv() fails with ECONNRESET or EPIPE.
name=reset
start_server $name --mode discard --count 1
timeout 120 "$tool" connect --proto tcp --addr 127.0.0.1 --port "$port" \
	--send 4G >"$tmp/$name.cli" 2>&1 &
cpid=$!
timeout 10 bash -c "until grep -q '^server: accept' '$tmp/$name.srv'; do
	sleep 0.01; done"
kill -TERM "$spid"	# timeout(1) passes the signal on to the server
wait "$spid"
wait "$cpid"
crc=$?
if [ "$crc" -eq 4 ] &&
   grep -q "^client: \(send\|recv\) after [0-9]* bytes: .* (\(ECONNRESET\|EPIPE\))$" \
	"$tmp/$name.cli"; then
	ok "peer dies while the client sends: ECONNRESET/EPIPE, exit 4"
else
	show $name
	not_ok "peer dies while the client sends (exit $crc)"
fi

# --quiet: only summaries and errors.
name=quiet
start_server $name --mode sink --count 1 --quiet
client $name --send 10 --shutdown --quiet
wait_server
if [ "$crc" -eq 0 ] && [ "$src" -eq 0 ] && [ ! -s "$tmp/$name.cli" ] &&
   [ "$(cat "$tmp/$name.srv")" = "server: received 10 bytes" ]; then
	ok "--quiet prints only the summary"
else
	show $name
	not_ok "--quiet"
fi

# --proto mytcp without the module: a clean socket() error, exit 1.
if ! grep -qw mytcp /proc/modules 2>/dev/null; then
	out=$(timeout 10 "$tool" connect --addr 127.0.0.1 --port 1 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] &&
	   echo "$out" | grep -q "^client: socket(AF_INET, SOCK_STREAM, 253): .* (E[A-Z]*)$"; then
		ok "--proto mytcp without the module: socket() error, exit 1"
	else
		echo "# $out"
		not_ok "--proto mytcp without the module (exit $rc)"
	fi
fi

# ---- ss, stat and trace on saved files (testdata/; no module needed) ----
data=$here/testdata

out=$("$tool" ss --file "$data/proc_net_mytcp.txt" -a -e 2>&1)
if [ "$(echo "$out" | sed -n 1p | awk '{print $1, $2, $3}')" = "State Recv-Q Send-Q" ] &&
   echo "$out" | grep -q "^LISTEN  *0  *16  *0\.0\.0\.0:5000  *0\.0\.0\.0:\*  *uid:0 ino:12345 rto:1000 cwnd:14480$" &&
   echo "$out" | grep -q "^ESTAB  *100  *0  *10\.0\.1\.1:5000  *10\.0\.1\.2:39723  *timer:(keepalive,1min,0) uid:1000 " &&
   echo "$out" | grep -q "^SYN-SENT  *0  *1  *10\.0\.1\.2:39724  *10\.0\.1\.1:5000  *timer:(on,1sec,2) " &&
   echo "$out" | grep -q "^TIME-WAIT  *0  *0  *10\.0\.1\.2:54723  *10\.0\.1\.1:5000  *timer:(timewait,3sec,0) "; then
	ok "ss -a -e: states, queues, addresses, timers of a saved /proc/net/mytcp"
else
	echo "$out" | sed "s/^/# /"
	not_ok "ss -a -e on a saved /proc/net/mytcp"
fi
out=$("$tool" ss --file "$data/proc_net_mytcp.txt" 2>&1)
out_l=$("$tool" ss --file "$data/proc_net_mytcp.txt" -l 2>&1)
if [ "$(echo "$out" | tail -n +2 | awk '{print $1}' | tr '\n' ' ')" = "ESTAB SYN-SENT " ] &&
   [ "$(echo "$out_l" | tail -n +2 | awk '{print $1}' | tr '\n' ' ')" = "LISTEN " ]; then
	ok "ss without -a leaves out LISTEN and TIME-WAIT; -l is LISTEN only"
else
	echo "$out $out_l" | sed "s/^/# /"
	not_ok "ss filters"
fi

# /proc/net/mytcp6: four-word addresses, shown in brackets as ss does
out=$("$tool" ss --file "$data/proc_net_mytcp6.txt" -a 2>&1)
if echo "$out" | grep -q "^LISTEN  *0  *0  *\[::\]:5000  *\[::\]:\*" &&
   echo "$out" | grep -q "^ESTAB  *0  *0  *\[fd00:1::1\]:5000  *\[fd00:1::2\]:40000 " &&
   echo "$out" | grep -q "^ESTAB  *0  *0  *\[::ffff:10\.0\.1\.1\]:5000  *\[::ffff:10\.0\.1\.2\]:40001" &&
   echo "$out" | grep -q "^TIME-WAIT  *0  *0  *\[fd00:1::2\]:40002  *\[fd00:1::1\]:5000  *timer:(timewait,3sec,0)"; then
	ok "ss -a: IPv6 and v4-mapped rows of a saved /proc/net/mytcp6"
else
	echo "$out" | sed "s/^/# /"
	not_ok "ss -a on a saved /proc/net/mytcp6"
fi

out=$("$tool" stat --file "$data/mytcp_stat.txt" --nonzero 2>&1)
if [ "$(echo "$out" | awk '{print $1 "=" $2}' | tr '\n' ' ')" = "ActiveOpens=3 TimeWaits=1 DropNoSocket=1 " ] &&
   [ "$("$tool" stat --file "$data/mytcp_stat.txt" passiveopens 2>&1 | awk '{print $1 $2}')" = "PassiveOpens0" ] &&
   ! "$tool" stat --file "$data/mytcp_stat.txt" NoSuchCounter >/dev/null 2>&1 &&
   ! "$tool" stat --count 2 >/dev/null 2>&1; then
	ok "stat: --nonzero, a NAME, an unknown NAME, --count without --delta"
else
	echo "$out" | sed "s/^/# /"
	not_ok "stat on a saved /proc/net/mytcp_stat"
fi

# the ladder of a saved trace: arrows in order, states, notes, footers
out=$("$tool" trace --input "$data/trace_pipe.txt" --svg "$tmp/ladder.svg" 2>&1)
rc=$?
arrows=$(echo "$out" | grep '^\[1\]' | sed -n 's/^.*|\(<\{0,1\}\)--\([A-Z|]*\) .*$/\1\2/p' | tr '\n' ' ')
want="SYN SYN <SYN|ACK ACK <ACK PSH|ACK <PSH|ACK ACK FIN|ACK <ACK <FIN|ACK ACK "
cstates=$(echo "$out" | grep '^\[1\]  *[0-9]' | cut -c17-27 | grep -v '^ *$' | tr -s ' \n' ' ')
sstates=$(echo "$out" | grep '^\[1\]  *[0-9]' | sed -n 's/^.*| \([A-Z_0-9]*\)$/\1/p' | tr '\n' ' ')
if [ $rc -eq 0 ] && [ "$arrows" = "$want" ] &&
   [ "$cstates" = "SYN_SENT ESTABLISHED FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE " ] &&
   [ "$sstates" = "SYN_RECV ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE " ] &&
   echo "$out" | grep -q '^\[1\]  *client 10\.0\.1\.2:58105  *server 10\.0\.1\.1:5000$' &&
   echo "$out" | grep -q '^\[1\] .*| \* retransmit (timeout) seq=3466166735 len=0 rto=2000ms  *|$' &&
   echo "$out" | grep -q '^\[1\]  closed after 2\.082228 s: 12 segments, 1 retransmission, 0 drops$' &&
   echo "$out" | grep -q '^\[2\] .*|  *drop: DropNoSocket \* |$' &&
   echo "$out" | grep -q '^\[2\] .*|<--RST|ACK seq=0 ack=697020472 -*|$' &&
   echo "$out" | grep -q '^\[3\] .*|--SYN seq=100 (in) -*>|$' &&
   echo "$out" | grep -q '^\[3\]  still open at the end: client -, server ESTABLISHED ' &&
   echo "$out" | grep -q '^-- 3 connections traced, 2 closed, 1 still open --$' &&
   [ "$(echo "$out" | grep '^\[[0-9]\]  *[0-9]' | awk '{print index($0, "|")}' | sort -u | wc -l)" -eq 1 ] &&
   grep -q '^<svg ' "$tmp/ladder.svg" && grep -q '^</svg>$' "$tmp/ladder.svg" &&
   [ "$(grep -c '<line ' "$tmp/ladder.svg")" -eq $((2 * 3 + 12 + 2 + 4)) ]; then
	ok "trace --input: ladder arrows, states, notes, alignment and SVG of a saved trace"
else
	echo "$out" | sed "s/^/# /"
	echo "# arrows: $arrows"
	echo "# client: $cstates"
	echo "# server: $sstates"
	not_ok "trace --input (exit $rc)"
fi
# a simultaneous open (RFC 9293 figure 8): both ends connect, one ladder
out=$("$tool" trace --input "$data/trace_simopen.txt" 2>&1)
arrows=$(echo "$out" | grep '^\[1\]' | sed -n 's/^.*|\(<\{0,1\}\)--\([A-Z|]*\) .*$/\1\2/p' | tr '\n' ' ')
if [ "$arrows" = "SYN <SYN <SYN|ACK SYN|ACK <ACK ACK " ] &&
   ! echo "$out" | grep -q superseded &&
   echo "$out" | grep -q '^\[1\]  still open at the end: client ESTABLISHED, server ESTABLISHED ' &&
   echo "$out" | grep -q '^-- 1 connection traced, 0 closed, 1 still open --$'; then
	ok "trace --input: a simultaneous open is one connection"
else
	echo "$out" | sed "s/^/# /"
	echo "# arrows: $arrows"
	not_ok "trace --input: simultaneous open"
fi
# the same ladder over IPv6: endpoints [addr]:port, as %pISpc prints them
out=$("$tool" trace --input "$data/trace_pipe6.txt" 2>&1)
arrows=$(echo "$out" | grep '^\[1\]' | sed -n 's/^.*|\(<\{0,1\}\)--\([A-Z|]*\) .*$/\1\2/p' | tr '\n' ' ')
if [ "$arrows" = "$want" ] &&
   echo "$out" | grep -q '^\[1\]  *client \[fd00:1::2\]:58105  *server \[fd00:1::1\]:5000$' &&
   echo "$out" | grep -q '^\[-\]  *[0-9.]* listener \[::\]:5000: CLOSE -> LISTEN$' &&
   echo "$out" | grep -q '^-- 2 connections traced, 2 closed, 0 still open --$'; then
	ok "trace --input: the ladder of an IPv6 trace"
else
	echo "$out" | sed "s/^/# /"
	echo "# arrows: $arrows"
	not_ok "trace --input over IPv6"
fi

out=$("$tool" trace --input "$data/trace_pipe.txt" --port 5001 --count-connections 1 --quiet 2>&1)
if [ "$out" = "[1]  closed after 0.001069 s: 2 segments, 0 retransmissions, 1 drop
-- 1 connection traced, 1 closed, 0 still open --" ]; then
	ok "trace --port, --count-connections, --quiet"
else
	echo "$out" | sed "s/^/# /"
	not_ok "trace --port --count-connections --quiet"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
