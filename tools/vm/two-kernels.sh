#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# two-kernels.sh: two QEMU guests, two independent kernels, one wire.
#
# Usage: tools/vm/two-kernels.sh
#
# Boots two guests of Debian's kernel with tools/vm/run-vm.sh, each with
# one virtio-net NIC on the same QEMU socket netdev (one listens on a free
# local TCP port, the other connects to it: no host networking, no root
# outside the sandbox), loads mytcp in both and runs tools/vm/twohost.py:
# the server on 10.0.9.2, the client on 10.0.9.1 driving transfers, lossy
# links (netem on both NICs) and closes between them.  The client's TAP
# and its "N passed, N failed" come out here as they are made, the
# server's lines after it, with a "# server: " prefix.  Exit status 0 iff both guests ended well.
set -eu
cd "$(dirname "$0")/../.."
ko=mytcp/mytcp.ko
[ -e "$ko" ] || { echo "two-kernels: no $ko (make module)" >&2; exit 2; }
# The stock kernel: the debug kernel has no virtio-net built in.
export MYTCP_VM_KERNEL=stock

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/two-kernels.XXXXXX")
server_pid=""
# shellcheck disable=SC2317  # called from the traps
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	rm -rf "$tmp"
	return 0
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

tools/vm/run-vm.sh --module "$ko" --timeout 900 \
	--nic "socket,listen=127.0.0.1:$port,mac=52:54:00:0a:09:02" -- \
	sh tools/vm/twohost-guest.sh server >"$tmp/server.log" 2>&1 &
server_pid=$!
# The client's netdev connects at start: wait for the server's to listen.
for _ in $(seq 600); do
	ss -Hltn "sport = :$port" | grep -q . && break
	if ! kill -0 "$server_pid" 2>/dev/null; then
		sed 's/^/# server: /' "$tmp/server.log"
		echo "not ok - twohost: the server guest ended early"
		echo "0 passed, 1 failed"
		exit 1
	fi
	sleep 0.1
done
rc=0
tools/vm/run-vm.sh --module "$ko" --timeout 900 \
	--nic "socket,connect=127.0.0.1:$port,mac=52:54:00:0a:09:01" -- \
	sh tools/vm/twohost-guest.sh client | tee "$tmp/client.log" || rc=$?
src=0
wait "$server_pid" || src=$?
server_pid=""
sed 's/^/# server: /' "$tmp/server.log"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/client.log" | tail -n 1 || true)
if [ -z "$summary" ]; then
	echo "not ok - twohost: the client guest ended without a summary (status $rc)"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ "$src" -ne 0 ]; then
	echo "not ok - twohost: the server guest ended with status $src"
	p=${summary%% passed*}
	f=${summary##*, }
	echo "$p passed, $((${f% failed} + 1)) failed"
	exit 1
fi
exit "$rc"
