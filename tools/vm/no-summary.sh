# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the scripts that run a suite in the VM (vm-selftest.sh,
# vm-packettest.sh, vm-fuzz.sh).  When the guest hung, crashed or ended
# without the suite's closing "N passed, N failed", vm_no_summary says so
# in TAP: a "not ok" for the VM run, counted after the cases that did
# report, then the closing line, so that make check always finds one.
#
#   vm_no_summary NAME LOG RC [NOTE] || rc=$?
#
# NAME names the "not ok" line, LOG is the run's output, RC the status of
# run-vm.sh (124: timeout, 125: crash), NOTE is added to the line (where
# the files were kept).  Returns the exit status to use, never 0.

vm_no_summary() {
	_name=$1 _log=$2 _rc=$3 _note=${4:-}
	_passed=$(grep -c '^ok ' "$_log" 2>/dev/null || true)
	_failed=$(grep -c '^not ok ' "$_log" 2>/dev/null || true)
	_passed=${_passed:-0}
	_failed=${_failed:-0}
	case $_rc in
	124) _why="the VM hung (timeout)" ;;
	125) _why="the VM crashed (panic, oops or WARN) or never reported" ;;
	0) _why="the run printed no summary"; _rc=1 ;;
	*) _why="the run ended without its summary line (status $_rc)" ;;
	esac
	echo "not ok $((_passed + _failed + 1)) - $_name # $_why${_note:+; $_note}"
	echo "$_passed passed, $((_failed + 1)) failed"
	return "$_rc"
}

# vm_kernel_report NAME LOG [NOTE] || rc=$?
#
# For run-vm.sh's status 3: the debug kernel reported a bug (KASAN, lockdep,
# WARN, BUG, ODEBUG, KFENCE, kmemleak), whatever the cases said.  A "not ok"
# for it after the cases, then the closing line again with it counted (the
# suite's own if it printed one, else counted from the TAP lines).  Returns 3.
vm_kernel_report() {
	_name=$1 _log=$2 _note=${3:-}
	_sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$_log" 2>/dev/null | tail -n 1)
	if [ -n "$_sum" ]; then
		_passed=${_sum%% *}
		_failed=$(echo "$_sum" | sed -E 's/.* ([0-9]+) failed$/\1/')
	else
		_passed=$(grep -c '^ok ' "$_log" 2>/dev/null || true)
		_failed=$(grep -c '^not ok ' "$_log" 2>/dev/null || true)
		_passed=${_passed:-0}
		_failed=${_failed:-0}
	fi
	echo "not ok $((_passed + _failed + 1)) - $_name # the debug kernel reported a bug (KASAN, lockdep, WARN, kmemleak...)${_note:+; $_note}"
	echo "$_passed passed, $((_failed + 1)) failed"
	return 3
}
