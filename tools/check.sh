#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every suite in turn, on a fresh machine too (each step
# installs what it needs).  Each suite ends with "N passed, N failed"; the
# last line here is their sum, and the exit status is 0 only if nothing
# failed and something ran.
#
#   build     the module with W=1 (a warning is a failure), and the tool
#   mytcpize  the preload library on the host, without the module
#   benchunit the bench's pure functions (Jain's index), Python unittest
#             on the host, under a second
#   style     checkpatch --strict on the module, the uapi header, the tests
#   kunit     the KUnit suites in UML (tools/kunit.sh)
#   selftest  the selftests in a QEMU VM, each for mytcp and for TCP, over
#             IPv4 and IPv6 (TCP, the reference, over IPv4 only here; make
#             selftest runs it over both)
#   packet    the packet-level conformance cases (scapy + tun) in a VM
#   fuzz      the quick fuzzers, floods and unload race in a VM
#   twokernel transfers, lossy links and closes between two VMs: two
#             independent kernels on one wire (Debian's kernel)
#
# The VM suites boot the debug kernel (tools/vm/debug-kernel.sh: KASAN,
# lockdep, KFENCE, kmemleak, debug objects), where any such report fails
# the suite; MYTCP_VM_KERNEL=stock make check boots Debian's kernel instead.
set -u
cd "$(dirname "$0")/.." || exit 1

pass=0
fail=0
summary=""

# Run a suite, show its output, add its closing "N passed, N failed".
suite() {
	local name=$1 log rc line p f
	shift
	log=$(mktemp)
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$line" ]; then
		p=0
		f=1
		echo "check: $name ended (status $rc) without a summary line"
	else
		p=$(echo "$line" | sed -E 's/^([A-Za-z]+: )?([0-9]+) passed.*/\2/')
		f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "check: $name exited with status $rc"
			f=1
		fi
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	summary="$summary$(printf '%-9s %5d passed, %d failed' "$name" "$p" "$f")\n"
}

tools/deps.sh build kunit vm debugkernel || { echo "0 passed, 1 failed"; exit 1; }

suite build tools/build-check.sh
suite mytcpize make -s -C tools/mytcpize check
suite benchunit python3 tools/bench/test_fairness.py
suite style tools/checkstyle.sh
suite kunit tools/kunit.sh
# The KUnit suites under KASAN (make kunit-debug) are left to the debug
# guest kernel's runs of the real module: a second UML build costs 11 min
# on a cold machine, which the 45-minute budget cannot spare.
# The debug guest kernel, and mytcp.ko built for it (run-vm.sh would build
# both on first use; here a failure is one line, not three).  Under TCG it
# is 2 to 4 times slower than Debian's, so the VM suites are split between
# the two kernels to keep a cold make check inside its time:
#   debug kernel: every selftest file once for mytcp (over IPv4, and the
#                 IPv6-only files over IPv6), the packet cases, the quick
#                 fuzzers: every path of the module under KASAN and lockdep;
#   Debian's:     the selftests for TCP (the reference that proves them) and
#                 for mytcp over IPv6, and the two-kernel runs.
# MYTCP_VM_KERNEL=debug or stock puts all of them on one kernel.
debug_suites=${MYTCP_VM_KERNEL:-debug}
other_suites=${MYTCP_VM_KERNEL:-stock}
if [ "$debug_suites" = debug ]; then
	echo "=== vmkernel: tools/vm/debug-kernel.sh --module"
	if dk=$(tools/vm/debug-kernel.sh --module) && eval "$dk"; then
		:
	else
		echo "check: no debug kernel: the VM suites run on Debian's kernel"
		fail=$((fail + 1))
		summary="$summary$(printf '%-9s %5d passed, %d failed' vmkernel 0 1)\n"
		debug_suites=stock
		other_suites=stock
	fi
fi
stock_kver=$(find /boot -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' |
	sed 's/^vmlinuz-//' | sort -V | tail -n 1)
if [ "$debug_suites" = debug ]; then
	echo "vm kernel: $DEBUG_KVER ($(tools/vm/debug-kernel.sh --options)):" \
		"selftest (mytcp), packet, fuzz"
	echo "vm kernel: $stock_kver (Debian's, panic_on_warn):" \
		"selftest (tcp, mytcp over IPv6), twokernel"
else
	echo "vm kernel: $stock_kver (Debian's, panic_on_warn): every VM suite"
fi
MYTCP_VM_KERNEL=$debug_suites suite selftest tools/selftests/vm-selftest.sh \
	--runs mytcp-v4,mytcp-v6 --once
MYTCP_VM_KERNEL=$other_suites suite selftest tools/selftests/vm-selftest.sh \
	--runs tcp-v4,mytcp-v6
MYTCP_VM_KERNEL=$debug_suites suite packet tools/packet/vm-packettest.sh
MYTCP_VM_KERNEL=$debug_suites suite fuzz tools/fuzz/vm-fuzz.sh --quick
suite twokernel tools/vm/two-kernels.sh

echo
printf '%b' "$summary"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
