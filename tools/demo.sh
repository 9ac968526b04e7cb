#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: a real handshake, data and the four-way close in a VM.
set -eu
cd "$(dirname "$0")/.."
exec tools/vm/run-vm.sh --module mytcp/mytcp.ko --timeout 300 -- \
	sh tools/demo/guest.sh
