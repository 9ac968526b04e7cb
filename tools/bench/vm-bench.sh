#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-bench.sh: mytcp and the kernel's TCP side by side, in one QEMU VM run.
#
# Usage: tools/bench/vm-bench.sh [--json FILE] [-- BENCH.PY ARGS...]
#
# Boots the VM (tools/vm/run-vm.sh), insmods mytcp/mytcp.ko in the guest and
# runs tools/bench/bench.py there; its progress streams here, the table is
# printed at the end and, with --json FILE, the results are copied to FILE.
# The guest's kernel messages from mytcp, and any warning, are shown too.
# Exits nonzero only if the run itself did not complete (no VM, no module,
# guest crash or hang); a measurement that fails is a "n/a" and a note.
set -eu

usage() {
	sed -n '6p' "$0" | sed 's/^# //' >&2
	exit 2
}

json=""
while [ $# -gt 0 ]; do
	case $1 in
	--json) [ $# -ge 2 ] || usage; json=$2; shift 2 ;;
	--json=*) json=${1#*=}; shift ;;
	--) shift; break ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
ko=$repo/mytcp/mytcp.ko
[ -e "$ko" ] || { echo "vm-bench: no $ko (make module)" >&2; exit 2; }

out=$(mktemp -d "${TMPDIR:-/tmp}/mytcp-bench.XXXXXX")
keep=0
trap '[ "$keep" -eq 1 ] || rm -rf "$out"' EXIT

# Our own copy: a rebuild while the VM boots must not change what we load.
cp -p "$ko" "$out/mytcp.ko"
cp -p "$(dirname "$ko")/mytcp_cubic.ko" "$out/mytcp_cubic.ko"
# the C data path of the many-flow and bidirectional rows
gcc -O2 -Wall -Wextra -Werror -pthread -o "$out/flows" "$here/flows.c"
module_id="mytcp/ at $(git -C "$repo" log -1 --format=%h -- mytcp include 2>/dev/null || echo '?')"
git -C "$repo" diff --quiet HEAD -- mytcp include 2>/dev/null || module_id="$module_id (+ uncommitted changes)"
module_id="$module_id, mytcp.ko sha256 $(sha256sum "$out/mytcp.ko" | cut -c1-12)"
module_id="$module_id, built $(date -r "$out/mytcp.ko" '+%F %T')"

# shellcheck disable=SC2016  # expanded in the guest, not here
# The guest command: load the module, run the bench with its table going to
# a file in the shared directory (progress on stderr streams to us).
guest='insmod "$MYTCP_KO" || exit 3
insmod "$MYTCP_VM_OUT/mytcp_cubic.ko" || exit 3
timeout -k 10 900 python3 tools/bench/bench.py --json "$MYTCP_VM_OUT/bench.json" \
	--flows "$MYTCP_VM_OUT/flows" "$@" \
	>"$MYTCP_VM_OUT/table.txt"'

# the VM shares the host: a loaded host makes every figure noisier
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)
set +e
"$repo/tools/vm/run-vm.sh" --module "$out/mytcp.ko" --timeout 1000 --out "$out" \
	-- sh -c "$guest" sh "$@"
rc=$?
set -e
end=$(date +%s)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# what the module (or anything else) said in the guest's kernel log
if [ -s "$out/dmesg.log" ]; then
	msgs=$(grep -E 'mytcp|WARNING|BUG|Oops|Call Trace|rcu.*stall|hung_task|lockup' \
		"$out/dmesg.log" |
		grep -vE 'out-of-tree module taints|module verification failed|registered on IP protocol' ||
		true)
	if [ -n "$msgs" ]; then
		echo "vm-bench: guest kernel messages:"
		echo "$msgs" | head -n 40
	fi
fi

if [ "$rc" -ne 0 ] || [ ! -s "$out/table.txt" ]; then
	keep=1
	echo "vm-bench: the bench did not complete (status $rc); files in $out" >&2
	[ "$rc" -ne 0 ] || rc=1
	exit "$rc"
fi

echo
cat "$out/table.txt"
echo "wall clock, VM boot included: $((end - start)) s; host: $(nproc) CPUs," \
	"load average $load_before before, $load_after after"
echo "module: $module_id"
echo "guest: $(sed -n 's/.*"uname": "\([^"]*\)".*/\1/p' "$out/bench.json")," \
	"$(qemu-system-x86_64 --version | head -n 1), TCG (no KVM)"
if [ -n "$json" ]; then
	cp "$out/bench.json" "$json"
	echo "vm-bench: results in $json"
fi
