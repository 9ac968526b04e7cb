#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-fuzz.sh: the attack suite (tools/fuzz/run.py) in a QEMU VM.
#
# Usage: tools/fuzz/vm-fuzz.sh [--quick] [run.py arguments...]
#   (no option)  make fuzz: 5 000 000 segments, 120 s of random syscalls,
#                50 000 SYNs, 20 unload/reload rounds; a random seed
#                unless FUZZ_SEED or --seed gives one
#   --quick      the make-check size: 1 000 000 segments (100 000 on the
#                debug kernel), 30 s of syscalls, 50 000 SYNs, 5 rounds;
#                seed 1 unless given
#   e.g. tools/fuzz/vm-fuzz.sh --quick --seed 7 -k segfuzz
#
# Builds tools/fuzz/segfuzz, boots Debian's kernel with tools/vm/run-vm.sh
# (panic_on_warn=1 oops=panic; MYTCP_VM_KERNEL=debug: the debug kernel) and runs run.py there with mytcp/mytcp.ko
# (never loaded on this host).  TAP comes through as it is made; the exit
# status is run.py's, or run-vm.sh's (124 hung, 125 crashed or WARN).  When
# the guest dies before run.py's summary, a "not ok" for the run and a final
# "N passed, N failed" that counts it are added.  The seed is printed first:
# rerun with --seed S to repeat a run's choices.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$repo"
. tools/vm/no-summary.sh
ko=mytcp/mytcp.ko
[ -e "$ko" ] || { echo "vm-fuzz: no $ko (make module)" >&2; exit 2; }
make -s -C tools/fuzz >&2 || { echo "vm-fuzz: cannot build tools/fuzz/segfuzz" >&2; exit 2; }

timeout=2400
if [ "${1:-}" = "--quick" ]; then
	shift
	seed=${FUZZ_SEED:-1}
	segments=1000000
	# The debug kernel takes segments 15 to 20 times slower (KASAN and
	# kmemleak record a stack per allocation): 1 000 000 took 717 s there.
	[ "${MYTCP_VM_KERNEL:-stock}" = debug ] && segments=100000
	set -- --segments "$segments" --syscall-seconds 30 --syns 50000 \
		--unload-iterations 5 "$@"
	timeout=600
else
	seed=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
	set -- --segments 5000000 --syscall-seconds 120 --syns 50000 \
		--unload-iterations 20 "$@"
fi
# a --seed among the arguments wins (the last one counts)
set -- --seed "$seed" "$@"
echo "# vm-fuzz: seed $seed (FUZZ_SEED=$seed repeats this run's choices)"

work=$(mktemp -d "${TMPDIR:-/tmp}/vm-fuzz.XXXXXX")
set +e
tools/vm/run-vm.sh --module "$ko" --timeout "$timeout" --out "$work" -- \
	python3 -u tools/fuzz/run.py "$@"
rc=$?
set -e

log=$work/output.log
if [ "$rc" -eq 3 ]; then
	vm_kernel_report vm-fuzz "$log" "reports in $work/kernel-reports.log" || rc=$?
	exit "$rc"
fi
if ! tail -n 1 "$log" 2>/dev/null | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
	vm_no_summary vm-fuzz "$log" "$rc" "files in $work" || rc=$?
	exit "$rc"
fi
if [ "$rc" -eq 0 ]; then
	rm -rf "$work"
else
	echo "# vm-fuzz: console, dmesg and output kept in $work" >&2
fi
exit "$rc"
