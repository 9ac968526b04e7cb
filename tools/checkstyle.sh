#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict (from Debian's linux-source-6.1, unpacked by
# tools/kunit.sh into the cache) on every kernel C file: one test per file.
set -u
cd "$(dirname "$0")/.." || exit 1
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mytcp
cp=$(ls -d "$cache"/kunit/*/linux-source-6.1/scripts/checkpatch.pl \
	"$cache"/src/linux-source-6.1/scripts/checkpatch.pl 2>/dev/null | head -n 1)
if [ -z "$cp" ]; then
	mkdir -p "$cache/src"
	tar -C "$cache/src" -xf /usr/src/linux-source-6.1.tar.xz \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch || exit 1
	cp=$cache/src/linux-source-6.1/scripts/checkpatch.pl
fi
pass=0
fail=0
n=0
for f in mytcp/*.[ch] kunit/*.[ch] include/uapi/linux/mytcp.h; do
	case "$f" in *.mod.c) continue ;; esac
	[ -f "$f" ] || continue
	n=$((n + 1))
	out=$(perl "$cp" --no-tree --strict --terse -f "$f" 2>&1 |
	      grep -E 'ERROR|WARNING|CHECK')
	if [ -z "$out" ]; then
		echo "ok $n - checkpatch --strict $f"
		pass=$((pass + 1))
	else
		echo "$out"
		echo "not ok $n - checkpatch --strict $f"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
