#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-scale.sh: 10 000 connections and 100 000 TIME_WAIT entries, mytcp and TCP, in one VM run.
#
# Usage: tools/bench/vm-scale.sh [--json FILE] [--mem SIZE] [-- SCALE.PY ARGS...]
#
# Builds tools/bench/scale.c on the host, boots the VM (tools/vm/run-vm.sh,
# 2 GiB by default), insmods mytcp/mytcp.ko in the guest and runs
# tools/bench/scale.py there; prints its table (memory per connection and
# per TIME_WAIT entry from the slab counters, ping-pong round trips with
# and without them, the max_tw_buckets check).  Exits nonzero if the run
# did not complete or a mytcp check failed.  Takes about 10 minutes under
# TCG: not part of make check (make scale runs it).
set -eu

usage() {
	sed -n '6p' "$0" | sed 's/^# //' >&2
	exit 2
}

json=""
mem=2G
while [ $# -gt 0 ]; do
	case $1 in
	--json) [ $# -ge 2 ] || usage; json=$2; shift 2 ;;
	--mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
ko=$repo/mytcp/mytcp.ko
[ -e "$ko" ] || { echo "vm-scale: no $ko (make module)" >&2; exit 2; }

out=$(mktemp -d "${TMPDIR:-/tmp}/mytcp-scale.XXXXXX")
keep=0
trap '[ "$keep" -eq 1 ] || rm -rf "$out"' EXIT
cp -p "$ko" "$out/mytcp.ko"
gcc -O2 -Wall -Wextra -Werror -o "$out/scale" "$here/scale.c"

# shellcheck disable=SC2016  # expanded in the guest, not here
guest='insmod "$MYTCP_KO" || exit 3
timeout -k 10 1500 python3 tools/bench/scale.py "$MYTCP_VM_OUT/scale" \
	--json "$MYTCP_VM_OUT/scale.json" "$@" >"$MYTCP_VM_OUT/table.txt"'

start=$(date +%s)
set +e
"$repo/tools/vm/run-vm.sh" --module "$out/mytcp.ko" --mem "$mem" \
	--timeout 1600 --out "$out" -- sh -c "$guest" sh "$@"
rc=$?
set -e
if [ -s "$out/dmesg.log" ]; then
	grep -E 'mytcp|WARNING|BUG|Oops|Call Trace|stall|lockup' "$out/dmesg.log" |
		grep -vE 'out-of-tree module taints|registered on IP protocol' |
		head -n 20 || true
fi
if [ ! -s "$out/table.txt" ]; then
	keep=1
	echo "vm-scale: the run did not complete (status $rc); files in $out" >&2
	exit $((rc ? rc : 1))
fi
echo
cat "$out/table.txt"
echo "wall clock, VM boot included: $(($(date +%s) - start)) s; host load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "$json" ] || cp "$out/scale.json" "$json"
exit "$rc"
