#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the VM: two namespaces joined by a veth pair, a server
# and a client of tools/mytcp, tshark decoding protocol 253 as TCP, and a
# watcher of /proc/net/mytcp on each side printing every state change.
set -eu
cd "$(dirname "$0")/../.."
tool=tools/mytcp/mytcp
out=${MYTCP_VM_OUT:-/tmp}
port=5000
tw_ms=3000

insmod "$MYTCP_KO"
ip netns add server
ip netns add client
ip link add veth-s type veth peer name veth-c
ip link set veth-s netns server
ip link set veth-c netns client
ip -n server addr add 10.0.1.1/24 dev veth-s
ip -n client addr add 10.0.1.2/24 dev veth-c
for ns in server client; do
	ip -n $ns link set lo up
	ip netns exec $ns sh -c "echo $tw_ms > /proc/sys/net/mytcp/time_wait_ms"
done
ip -n server link set veth-s up
ip -n client link set veth-c up

echo "== mytcp demo: IP protocol 253, client 10.0.1.2, server 10.0.1.1:$port"
echo "== TIME_WAIT shortened to $tw_ms ms for the demo (net.mytcp.time_wait_ms; default 60000)"
echo

# tshark decodes protocol 253 with the TCP dissector: same header.
ip netns exec server tshark -i veth-s -l -n -f "ip proto 253" \
	-d ip.proto==253,tcp -o tcp.relative_sequence_numbers:FALSE \
	-T fields -e frame.time_relative -e ip.src -e ip.dst -e tcp.flags \
	-e tcp.seq_raw -e tcp.ack_raw -e tcp.len -e tcp.window_size \
	>"$out/capture.txt" 2>"$out/tshark.err" &
tshark_pid=$!
i=0
until grep -q "Capturing on" "$out/tshark.err" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || { echo "tshark did not start"; cat "$out/tshark.err"; exit 1; }
	sleep 0.1
done

# the kernel's own view: the mytcp tracepoints drawn as a ladder, live
rm -f /tmp/tr
$tool trace --port $port --count-connections 1 --duration 90 \
	--svg "$out/ladder.svg" --ready-file /tmp/tr >"$out/trace.txt" 2>&1 &
trace_pid=$!
for _ in $(seq 200); do	# up to 10 s, then go on without it
	[ -e /tmp/tr ] || ! kill -0 $trace_pid 2>/dev/null && break
	sleep 0.05
done

rm -f /tmp/w1 /tmp/w2 /tmp/ready
t0=$(python3 -c 'import time; print(time.monotonic())')
echo "== state changes, as /proc/net/mytcp shows them on each side (time in s):"
ip netns exec server python3 tools/demo/watch-states.py --port $port \
	--name server --ready-file /tmp/w1 --timeout 60 --t0 "$t0" &
w1=$!
ip netns exec client python3 tools/demo/watch-states.py --port $port \
	--name client --ready-file /tmp/w2 --timeout 60 --t0 "$t0" &
w2=$!
ip netns exec server $tool serve --port $port --mode echo --count 1 \
	--ready-file /tmp/ready &
srv=$!
while [ ! -e /tmp/ready ] || [ ! -e /tmp/w1 ] || [ ! -e /tmp/w2 ]; do
	sleep 0.05
done

ip netns exec client $tool connect --addr 10.0.1.1 --port $port \
	--data "hello, mytcp" --expect-echo --shutdown
wait $srv
echo
echo "== waiting for both ends to reach CLOSED (the client holds TIME_WAIT for 2*MSL)"
wait $w1
wait $w2
sleep 0.5	# let tshark write the last segment out
kill $tshark_pid 2>/dev/null || true
wait $tshark_pid 2>/dev/null || true

wait $trace_pid || true

echo
echo "== the connection as the kernel's mytcp tracepoints saw it (mytcp trace):"
cat "$out/trace.txt"
echo "   (also drawn as SVG: $out/ladder.svg)"
echo
echo "== the segments on the wire (tshark -d ip.proto==253,tcp), sequence numbers raw:"
python3 tools/demo/ladder.py --client 10.0.1.2 <"$out/capture.txt"
echo
echo "== counters of the client's namespace (/proc/net/mytcp_stat, non-zero):"
ip netns exec client grep -v ' 0$' /proc/net/mytcp_stat
