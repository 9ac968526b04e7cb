#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the module with W=1, the tool and mytcpize (both -Wall -Wextra
# -Werror); any compiler warning fails.
set -u
cd "$(dirname "$0")/.." || exit 1
pass=0
fail=0
n=0
log=$(mktemp)

# step DESCRIPTION PRODUCT COMMAND...: COMMAND must succeed without a
# warning and leave PRODUCT (a file, or "" for none) behind.
step() {
	local what=$1 product=$2
	shift 2
	n=$((n + 1))
	if "$@" >"$log" 2>&1 && ! grep -q 'warning:' "$log" &&
	   { [ -z "$product" ] || [ -f "$product" ]; }; then
		echo "ok $n - $what"
		pass=$((pass + 1))
	else
		cat "$log"
		echo "not ok $n - $what"
		fail=$((fail + 1))
	fi
}

step "module builds with W=1, no warnings" mytcp/mytcp.ko make -s module
step "tools/mytcp builds, no warnings" "" make -s tool
make -s -C tools/mytcpize clean >/dev/null 2>&1
step "tools/mytcpize builds, no warnings" tools/mytcpize/libmytcpize.so \
	make -s mytcpize
rm -f "$log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
