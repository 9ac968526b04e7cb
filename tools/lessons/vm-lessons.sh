#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-lessons.sh: run the lessons (tools/lessons/lessons.py) in a QEMU VM.
#
# Usage: tools/lessons/vm-lessons.sh [lessons.py arguments...]
#   e.g. tools/lessons/vm-lessons.sh -k time_wait
#
# Boots Debian's kernel (MYTCP_VM_KERNEL=debug: the debug kernel) with
# tools/vm/run-vm.sh and runs the lessons there, each printing its
# ladder, the states and what the programs saw.  The exit status is
# lessons.py's (0 iff every lesson turned out as it says), or
# run-vm.sh's (124 hung, 125 crashed).
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$repo"
ko=mytcp/mytcp.ko
[ -e "$ko" ] || { echo "vm-lessons: no $ko (make module)" >&2; exit 2; }
[ -x tools/mytcp/mytcp ] || { echo "vm-lessons: no tools/mytcp/mytcp (make tool)" >&2; exit 2; }
exec tools/vm/run-vm.sh --module "$ko" --timeout 900 -- \
	python3 tools/lessons/lessons.py "$@"
