#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-packettest.sh: run the packet-level conformance cases in a QEMU VM.
#
# Usage: tools/packet/vm-packettest.sh [run.py arguments...]
#   e.g. tools/packet/vm-packettest.sh -k timewait -v
#
# Boots Debian's kernel (MYTCP_VM_KERNEL=debug: the debug kernel) with
# tools/vm/run-vm.sh, loads mytcp/mytcp.ko in the
# guest (never on this host) and runs tools/packet/run.py there.  Its TAP
# output comes through as it is made; the exit status is run.py's (0 iff
# every case passed), or run-vm.sh's (124 hung, 125 crashed or WARN).  When
# the guest dies (or WARNs) before or after run.py's summary, a "not ok" line
# for the run and a final "N passed, N failed" that counts it are added, so a
# caller reading the last line (tools/check.sh) never mistakes a crash for
# success; with failed cases run.py's summary is repeated as the last line.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$repo"
. tools/vm/no-summary.sh
ko=mytcp/mytcp.ko
[ -e "$ko" ] || { echo "vm-packettest: no $ko (make module)" >&2; exit 2; }

log=$(mktemp "${TMPDIR:-/tmp}/vm-packettest.XXXXXX")
trap 'rm -f "$log" "$log.rc"' EXIT

# shellcheck disable=SC2016  # $MYTCP_KO is expanded in the guest
{
	rc=0
	tools/vm/run-vm.sh --module "$ko" --timeout 900 -- \
		sh -c 'grep -q "^mytcp " /proc/modules || insmod "$MYTCP_KO" || exit 1
exec python3 tools/packet/run.py "$@"' vm-packettest "$@" || rc=$?
	echo "$rc" >"$log.rc"
} | tee "$log"
rc=$(cat "$log.rc")

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
if [ "$rc" -eq 3 ]; then
	# the debug kernel's report (run-vm.sh said where it is)
	vm_kernel_report vm-packettest "$log" || rc=$?
elif [ -n "$summary" ] && [ "$rc" -le 1 ]; then
	# run.py's own verdict.  run-vm.sh reports a failed guest command on
	# stderr after it: say it again, so that it is the last line.
	[ "$rc" -eq 0 ] || echo "$summary"
else
	vm_no_summary vm-packettest "$log" "$rc" || rc=$?
fi
exit "$rc"
