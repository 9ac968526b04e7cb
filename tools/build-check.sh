#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the module with W=1, the tool and mytcpize (both -Wall -Wextra
# -Werror); any compiler warning fails.
set -u
cd "$(dirname "$0")/.." || exit 1
pass=0
fail=0
log=$(mktemp)
if make -s module >"$log" 2>&1 && ! grep -q 'warning:' "$log" &&
   [ -f mytcp/mytcp.ko ]; then
	echo "ok 1 - module builds with W=1, no warnings"
	pass=$((pass + 1))
else
	cat "$log"
	echo "not ok 1 - module builds with W=1, no warnings"
	fail=$((fail + 1))
fi
if make -s tool >"$log" 2>&1 && ! grep -q 'warning:' "$log"; then
	echo "ok 2 - tools/mytcp builds, no warnings"
	pass=$((pass + 1))
else
	cat "$log"
	echo "not ok 2 - tools/mytcp builds, no warnings"
	fail=$((fail + 1))
fi
if make -s -C tools/mytcpize clean >/dev/null 2>&1 &&
   make -s mytcpize >"$log" 2>&1 && ! grep -q 'warning:' "$log" &&
   [ -f tools/mytcpize/libmytcpize.so ]; then
	echo "ok 3 - tools/mytcpize builds, no warnings"
	pass=$((pass + 1))
else
	cat "$log"
	echo "not ok 3 - tools/mytcpize builds, no warnings"
	fail=$((fail + 1))
fi
rm -f "$log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
