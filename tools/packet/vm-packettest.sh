#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-packettest.sh: run the packet-level conformance cases in a QEMU VM.
#
# Usage: tools/packet/vm-packettest.sh [run.py arguments...]
#   e.g. tools/packet/vm-packettest.sh -k timewait -v
#
# Boots Debian's kernel with tools/vm/run-vm.sh, loads mytcp/mytcp.ko in the
# guest (never on this host) and runs tools/packet/run.py there.  Its TAP
# output comes through as it is made; the exit status is run.py's (0 iff
# every case passed), or run-vm.sh's 124/125 for a hung or crashed guest.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$repo"
ko=mytcp/mytcp.ko
[ -e "$ko" ] || { echo "vm-packettest: no $ko (make module)" >&2; exit 2; }

# shellcheck disable=SC2016  # $MYTCP_KO is expanded in the guest
exec tools/vm/run-vm.sh --module "$ko" --timeout 900 -- \
	sh -c 'grep -q "^mytcp " /proc/modules || insmod "$MYTCP_KO" || exit 1
exec python3 tools/packet/run.py "$@"' vm-packettest "$@"
