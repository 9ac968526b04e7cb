#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-selftest.sh: run the selftests in a QEMU VM, from the host.
#
# Usage: tools/selftests/vm-selftest.sh [RUN.SH ARGS...]
#   default arguments: --proto both   (e.g. "--proto tcp bind" to narrow)
#
# Boots Debian's kernel (MYTCP_VM_KERNEL=debug: the debug kernel, where a
# KASAN/lockdep/WARN/kmemleak report fails the run) with tools/vm/run-vm.sh, mytcp/mytcp.ko available to
# the tests (built or not: without it the mytcp tests report "not ok ...
# # module not built"), and passes the TAP output through.  The exit status
# is the run's.  If the guest hangs or crashes before the runner's last line,
# a "not ok" for the VM and a final "N passed, N failed" are added here, so
# the summary line is always there.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$repo"
[ $# -gt 0 ] || set -- --proto both

"$repo/tools/deps.sh" vm
. "$repo/tools/vm/no-summary.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/vm-selftest.XXXXXX")
set +e
"$repo/tools/vm/run-vm.sh" --module mytcp/mytcp.ko --timeout 1500 --out "$work" \
	-- tools/selftests/run.sh "$@"
rc=$?
set -e

log=$work/output.log
if [ "$rc" -eq 3 ]; then
	vm_kernel_report vm-selftest "$log" "reports in $work/kernel-reports.log" || rc=$?
	exit "$rc"
fi
if ! grep -Eq '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null; then
	vm_no_summary vm-selftest "$log" "$rc" "files in $work" || rc=$?
	exit "$rc"
fi
if [ "$rc" -eq 0 ]; then
	rm -rf "$work"
else
	echo "# vm-selftest: console, dmesg and output kept in $work" >&2
fi
exit "$rc"
