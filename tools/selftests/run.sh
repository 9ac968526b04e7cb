#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: the mytcp selftests, as TAP.  Run inside the VM (as root):
#   tools/vm/run-vm.sh --module mytcp/mytcp.ko -- tools/selftests/run.sh --proto both
#
# Usage: run.sh [--proto mytcp|tcp|both] [--family v4|v6|both] [FILTER]
#   FILTER  a regex matched against FILE.TEST, e.g. "transfer" or "bind\.ephemeral"
# Every tools/selftests/test_*.py runs once per protocol and family (unless
# it names its FAMILIES); test names carry [mytcp] or [tcp], and [v6] for
# the IPv6 run.  The last line is "N passed, N failed"; exit 0 only if
# nothing failed.  mytcp tests need MYTCP_KO=path/to/mytcp.ko (run-vm.sh
# --module sets it); without it they report "not ok ... # module not built".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 -u "$here/runner.py" "$@"
