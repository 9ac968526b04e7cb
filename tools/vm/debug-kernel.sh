#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: build (once) the debug guest kernel, and mytcp.ko for it.
#
# Usage: tools/vm/debug-kernel.sh [--module] [--rebuild] [--options]
#
# The kernel is Debian's linux-source-6.1, unpacked into
#   ${XDG_CACHE_HOME:-$HOME/.cache}/mytcp/debug-kernel/<version>/
# (a copy of its own: kunit.sh's tree links net/mytcp into itself) and built
# in build-<sha of tools/vm/debug.config's options>/ from "make allnoconfig"
# plus that fragment: KASAN, lockdep, KFENCE, kmemleak, debug objects, and
# everything run-vm.sh and the tests need built in.  A finished build has a
# .done stamp and is not touched again; --rebuild runs make over it anyway.
#
# Prints, as shell assignments (eval-able):
#   DEBUG_KERNEL=.../bzImage   DEBUG_BUILD=.../build-SHA   DEBUG_KVER=6.1.x-mytcp-debug
# and with --module also DEBUG_MODULE=.../mytcp.ko: the module built against
# that tree from a copy of this checkout's sources (out-of-tree builds write
# objects next to the sources; the copy keeps mytcp/mytcp.ko the stock
# kernel's).  --options prints the one-line list of the debug options.
# Progress goes to stderr, make's output to build-SHA/build.log.
set -euo pipefail

want_module=0
rebuild=0
options_only=0
for a in "$@"; do
	case $a in
	--module) want_module=1 ;;
	--rebuild) rebuild=1 ;;
	--options) options_only=1 ;;
	-h|--help) sed -n '4,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "debug-kernel.sh: unknown argument: $a" >&2; exit 2 ;;
	esac
done

say() { echo "debug-kernel: $*" >&2; }
die() { say "$*"; exit 1; }

script_dir=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$script_dir/../.." && pwd -P)
frag=$script_dir/debug.config
[ -f "$frag" ] || die "$frag is missing"

# The fragment's settings: CONFIG_X=v lines and "# CONFIG_X is not set".
settings() {
	grep -E '^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$' "$frag"
}

# The debug options this kernel is for, as check.sh prints them.
options_line() {
	local cfg=$1 o names=""
	for o in KASAN PROVE_LOCKING DEBUG_OBJECTS_TIMERS KFENCE DEBUG_KMEMLEAK DEBUG_ATOMIC_SLEEP; do
		grep -qx "CONFIG_$o=y" "$cfg" || continue
		case $o in
		KASAN) if grep -qx CONFIG_KASAN_INLINE=y "$cfg"; then o="KASAN generic inline"; else o="KASAN generic outline"; fi ;;
		DEBUG_KMEMLEAK) o=KMEMLEAK ;;
		esac
		names="${names:+$names, }$o"
	done
	echo "$names"
}

"$repo/tools/deps.sh" debugkernel >&2

pkg=linux-source-6.1
tarball=/usr/src/$pkg.tar.xz
[ -f "$tarball" ] || die "$tarball is missing (apt-get install $pkg)"
ver=$(dpkg-query -W -f='${Version}' $pkg)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mytcp/debug-kernel/$ver
tree=$cache/$pkg
mkdir -p "$cache"

# ---- the source tree, unpacked once -------------------------------------
if [ ! -e "$cache/.unpacked" ]; then
	(
		flock 9
		if [ ! -e "$cache/.unpacked" ]; then
			say "unpacking $tarball into $cache"
			rm -rf "$tree" "$cache"/unpack.*
			tmp=$(mktemp -d "$cache/unpack.XXXXXX")
			tar -C "$tmp" -xf "$tarball"
			mv "$tmp/$pkg" "$tree"
			rmdir "$tmp"
			touch "$cache/.unpacked"
		fi
	) 9>"$cache/.lock"
fi

# ---- the build directory, named by the options alone ----------------------
sha=$(settings | sha256sum | cut -c1-16)
build=$cache/build-$sha
mkdir -p "$build"

if [ "$options_only" = 1 ]; then
	[ -f "$build/.config" ] || die "not configured yet: run $0 first"
	options_line "$build/.config"
	exit 0
fi

# One build at a time per build directory (runs of make check in two
# worktrees may race here).
exec 8>"$build/.lock"
if ! flock -n 8; then
	say "waiting for another build in $build"
	flock 8
fi

log=$build/build.log
if [ ! -e "$build/.done" ] || [ "$rebuild" = 1 ]; then
	start=$(date +%s)
	if [ ! -f "$build/.config" ]; then
		say "configuring $build (allnoconfig + $frag)"
		make -s -C "$tree" O="$build" KCONFIG_ALLCONFIG="$frag" allnoconfig >"$log" 2>&1 ||
			{ tail -n 30 "$log" >&2; die "allnoconfig failed (log: $log)"; }
		# Every setting must have survived: an unmet dependency or a
		# misspelt name is silently dropped by kconfig otherwise.
		bad=0
		while IFS= read -r l; do
			case $l in
			"# "*)
				s=${l#\# }; s=${s%% *}
				if grep -q "^$s=" "$build/.config"; then
					say "config: wanted '$l', got '$(grep "^$s=" "$build/.config")'"
					bad=1
				fi ;;
			*)
				if ! grep -qxF -- "$l" "$build/.config"; then
					s=${l%%=*}
					say "config: wanted '$l', got '$(grep -E "^(# )?${s}[= ]" "$build/.config" || echo unset)'"
					bad=1
				fi ;;
			esac
		done < <(settings)
		if [ "$bad" = 1 ]; then
			mv "$build/.config" "$build/.config.rejected"
			die "$frag does not apply to $ver (see above)"
		fi
	fi
	say "building $build (nice -n 10, -j$(nproc); log: $log)"
	if ! nice -n 10 make -C "$tree" O="$build" -j"$(nproc)" all >>"$log" 2>&1; then
		grep -E 'error|Error' "$log" | head -n 20 >&2 || true
		die "kernel build failed (log: $log)"
	fi
	touch "$build/.done"
	say "kernel built in $(($(date +%s) - start)) s"
fi
[ -f "$build/arch/x86/boot/bzImage" ] || die "no bzImage in $build"
kver=$(cat "$build/include/config/kernel.release")

echo "DEBUG_KERNEL=$build/arch/x86/boot/bzImage"
echo "DEBUG_BUILD=$build"
echo "DEBUG_KVER=$kver"

[ "$want_module" = 1 ] || exit 0

# ---- mytcp.ko for this kernel, from a copy of the sources -----------------
# One copy per checkout (named by its path), files copied only when their
# contents differ: make then sees them as new and rebuilds what they feed.
msrc=$build/mytcp-src/$(printf '%s' "$repo" | sha256sum | cut -c1-12)
mkdir -p "$msrc"
exec 7>"$msrc/.lock"
flock 7
(
	cd "$repo"
	find Kbuild mytcp include -type f \( -name '*.[ch]' -o -name Kbuild -o -name Kconfig \) \
		! -name '*.mod.c' | LC_ALL=C sort
) >"$msrc/.files.new"
while IFS= read -r f; do
	mkdir -p "$msrc/$(dirname "$f")"
	cmp -s "$repo/$f" "$msrc/$f" || cp "$repo/$f" "$msrc/$f"
done <"$msrc/.files.new"
# Sources gone from the checkout go from the copy too (with their objects).
if [ -f "$msrc/.files" ]; then
	comm -23 "$msrc/.files" "$msrc/.files.new" | while IFS= read -r f; do
		rm -f "$msrc/$f" "$msrc/${f%.c}.o"
	done
fi
mv "$msrc/.files.new" "$msrc/.files"
mlog=$msrc/build.log
if ! nice -n 10 make -C "$build" M="$msrc" W=1 modules >"$mlog" 2>&1; then
	cat "$mlog" >&2
	die "mytcp.ko did not build against $build"
fi
if grep -E 'warning:|WARNING:' "$mlog" >&2; then
	die "mytcp.ko built with warnings against $build (log: $mlog)"
fi
echo "DEBUG_MODULE=$msrc/mytcp/mytcp.ko"
