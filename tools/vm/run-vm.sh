#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh: boot Debian's kernel under QEMU and run one command in it.
#
# Usage: tools/vm/run-vm.sh [--module PATH.ko] [--timeout SEC] [--out DIR]
#                           [--mem SIZE] [--debug-kernel] [--nic NETDEV,mac=MAC]
#                           -- GUEST_COMMAND...
#
# The guest's userspace is the host's root filesystem, read-only over 9p, so
# every host path (the repo, python3, ip, tshark...) is there at the same
# place.  /tmp, /run and /var/tmp are fresh tmpfs in the guest; the --out DIR
# is a second, writable 9p share mounted at the same path as on the host.
# The command runs with cwd = repo root; its output (stdout and stderr) is
# streamed here and kept in DIR/output.log, the console in DIR/console.log,
# the guest's dmesg in DIR/dmesg.log.
#
# --module PATH.ko: the guest's module autoloader (kernel.modprobe) is pointed
# at a wrapper that insmods PATH.ko for mytcp's alias and runs the real
# modprobe for everything else; MYTCP_KO=PATH.ko is exported to the command.
# Nothing is loaded up front: the command decides.
#
# Exit status: the command's, 124 if the guest did not finish within
# --timeout seconds (wall clock, enforced here), 125 if it never reported a
# status (panic, WARN with panic_on_warn, crash of the guest init), 3 if
# the debug kernel reported a bug (below), 2 on a usage error.
# --nic NETDEV,mac=MAC gives the guest one virtio-net NIC on the QEMU
# netdev NETDEV (e.g. socket,listen=127.0.0.1:PORT or socket,connect=...:
# two guests on one wire, tools/vm/two-kernels.sh) with that MAC address;
# without it the guest has no NIC.  The guest loads virtio_net itself.
# KVER=... selects the kernel (default: newest /boot/vmlinuz-*).
#
# --debug-kernel (or MYTCP_VM_KERNEL=debug in the environment) boots the
# debug kernel of tools/vm/debug-kernel.sh instead (KASAN, lockdep, KFENCE,
# kmemleak, debug objects; built if needed), with everything the runner
# needs built in.  A --module that is this checkout's mytcp/mytcp.ko (the
# stock kernel's build) is replaced by the same sources built against the
# debug tree; any other path is used as given.  The guest boots without
# panic_on_warn, so the command runs to its end; then the guest runs a
# kmemleak scan (DIR/kmemleak.log), and this script scans the console and
# dmesg for KASAN, lockdep, WARN, BUG, ODEBUG, KFENCE and kmemleak reports:
# any one makes the exit status 3, with the reports in DIR/kernel-reports.log
# (DIR is kept).  --timeout is multiplied by MYTCP_VM_SLOWDOWN (default 4
# with the debug kernel, 1 otherwise), which the command also sees.
set -eu

# Modules needed to mount the host root over virtio 9p, in load order
VM_MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"
# no_timer_check: the boot-time check that the timer interrupt ticks waits
# a few ticks of busy loop; a TCG guest starved of host CPU misses them and
# panics with "IO-APIC + timer doesn't work" (seen here with the host fully
# loaded).  The check is for broken chipsets, which QEMU's is not.
CMDLINE="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic no_timer_check quiet"
TAIL_LINES=80

usage() {
	sed -n '4,6p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

die() {
	echo "run-vm: $*" >&2
	exit 2
}

# quote STRING: STRING as one single-quoted word for any POSIX sh
quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

module=""
timeout_s=600
out=""
mem=1G
nic=""
debug=0
case ${MYTCP_VM_KERNEL:-stock} in
debug) debug=1 ;;
stock|'') ;;
*) die "MYTCP_VM_KERNEL must be stock or debug, not '$MYTCP_VM_KERNEL'" ;;
esac
while [ $# -gt 0 ]; do
	case $1 in
	--debug-kernel) debug=1; shift ;;
	--module) [ $# -ge 2 ] || usage; module=$2; shift 2 ;;
	--module=*) module=${1#*=}; shift ;;
	--timeout) [ $# -ge 2 ] || usage; timeout_s=$2; shift 2 ;;
	--timeout=*) timeout_s=${1#*=}; shift ;;
	--out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--out=*) out=${1#*=}; shift ;;
	--mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
	--mem=*) mem=${1#*=}; shift ;;
	--nic) [ $# -ge 2 ] || usage; nic=$2; shift 2 ;;
	--nic=*) nic=${1#*=}; shift ;;
	--) shift; break ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
done
[ $# -gt 0 ] || usage
nic_args=(-nic none)
if [ -n "$nic" ]; then
	case $nic in
	*,mac=*) ;;
	*) die "--nic wants NETDEV,mac=MAC, got '$nic'" ;;
	esac
	nic_args=(-netdev "${nic%,mac=*},id=wire"
		  -device "virtio-net-pci,netdev=wire,romfile=,mac=${nic##*,mac=}")
fi
case $timeout_s in '' | *[!0-9]*) die "--timeout wants whole seconds, got '$timeout_s'" ;; esac

script_dir=$(cd "$(dirname "$0")" && pwd -P)
repo=$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || (cd "$script_dir/../.." && pwd -P))

slowdown=${MYTCP_VM_SLOWDOWN:-}
if [ "$debug" = 1 ]; then
	# Built once, then a no-op: bzImage, build dir, release (and the module).
	stock_ko=$repo/mytcp/mytcp.ko
	if [ -n "$module" ] && [ "$(realpath -m "$module")" = "$stock_ko" ]; then
		dk=$("$script_dir/debug-kernel.sh" --module) || die "no debug kernel (tools/vm/debug-kernel.sh failed)"
	else
		dk=$("$script_dir/debug-kernel.sh") || die "no debug kernel (tools/vm/debug-kernel.sh failed)"
	fi
	eval "$dk"
	KVER=$DEBUG_KVER
	kernel=$DEBUG_KERNEL
	[ -n "${DEBUG_MODULE:-}" ] && module=$DEBUG_MODULE
	# Built in: the initramfs's module list is empty and its /init loads
	# nothing.  (/init itself is the stock one, byte for byte, so the stock
	# kernel's cached initramfs, shared by every checkout, keeps its key.)
	VM_MODULES=""
	# No panic_on_warn: the command runs to its end, the scan below fails
	# the run.  A bigger log buffer keeps every report for dmesg.log.
	CMDLINE="console=ttyS0 panic=-1 oops=panic no_timer_check log_buf_len=8M quiet"
	slowdown=${slowdown:-4}
fi
slowdown=${slowdown:-1}
case $slowdown in '' | *[!0-9]* | 0) die "MYTCP_VM_SLOWDOWN wants a whole number >= 1, got '$slowdown'" ;; esac
timeout_s=$((timeout_s * slowdown))

if [ "$debug" = 1 ]; then
	:
elif [ -z "${KVER:-}" ]; then
	newest=$(find /boot -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
	[ -n "$newest" ] || die "no /boot/vmlinuz-* (apt-get install linux-image-amd64, or tools/deps.sh vm)"
	KVER=$newest
fi
if [ "$debug" = 0 ]; then
	kernel=/boot/vmlinuz-$KVER
	moddir=/lib/modules/$KVER
	[ -d "$moddir" ] || die "no $moddir for kernel $KVER"
fi
[ -r "$kernel" ] || die "cannot read $kernel"
command -v qemu-system-x86_64 >/dev/null || die "no qemu-system-x86_64 (tools/deps.sh vm)"
busybox=/bin/busybox	# busybox-static's: the initramfs has no libc
[ -x "$busybox" ] || die "no $busybox (apt-get install busybox-static)"

if [ -n "$module" ]; then
	[ -e "$module" ] || echo "run-vm: warning: module $module does not exist (yet)" >&2
	module=$(realpath -m "$module")
fi

own_out=0
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/run-vm.XXXXXX")
	own_out=1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd -P)
ctl=$out/.run-vm
rm -rf "$ctl"
mkdir -p "$ctl"
rm -f "$out/console.log" "$out/output.log" "$out/dmesg.log" "$out/kmemleak.log" \
	"$out/kernel-reports.log"

# ---------------------------------------------------------------- initramfs
# Its /init mounts the host root over 9p and switch_roots into it; the init
# that runs there (PID 1 for the rest of the boot) is $ctl/runner, written
# fresh for every run, so the cached initramfs depends only on the kernel.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mytcp/vm/$KVER

init_script() {
	cat <<'EOF'
#!/bin/busybox sh
# initramfs /init, generated by tools/vm/run-vm.sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec 0<>/dev/console 1>&0 2>&0
fail() {
	echo "run-vm init: $*"
	echo o >/proc/sysrq-trigger
	while :; do sleep 60; done
}
for m in $(cat /modules.list); do
	insmod "/modules/$m.ko" || fail "insmod $m failed"
done
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose hostroot /newroot ||
	fail "cannot mount the host root over 9p"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /out ||
	fail "cannot mount the out share"
[ -r /out/.run-vm/config ] || fail "no /out/.run-vm/config"
. /out/.run-vm/config
# Host paths under the tmpfs mounts (/tmp, /run, /var/tmp) stay visible:
# bind them aside first, put them back over the tmpfs afterwards.
mkdir -p /keep
: >/keep.list
i=0
oldifs=$IFS
IFS='
'
for p in $KEEP; do
	case $p in /tmp/*|/run/*|/var/tmp/*) ;; *) continue ;; esac
	[ -d "/newroot$p" ] || continue
	i=$((i + 1))
	mkdir -p "/keep/$i"
	mount --bind "/newroot$p" "/keep/$i" && echo "$i $p" >>/keep.list
done
IFS=$oldifs
for d in tmp run var/tmp; do
	mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "/newroot/$d" || fail "tmpfs on /$d"
done
while read -r i p; do
	mkdir -p "/newroot$p"
	mount --move "/keep/$i" "/newroot$p" || fail "cannot keep $p visible"
done </keep.list
mkdir -p "/newroot$OUT" 2>/dev/null
mount --move /out "/newroot$OUT" || fail "cannot place the out share at $OUT"
for d in proc sys dev; do
	mount --move "/$d" "/newroot/$d" || fail "cannot move /$d"
done
exec switch_root /newroot /bin/sh "$OUT/.run-vm/runner"
EOF
}

build_initramfs() {
	local stage mod f m
	stage=$(mktemp -d "$cache/stage.XXXXXX")
	mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/newroot" \
		"$stage/out" "$stage/modules"
	cp "$busybox" "$stage/bin/busybox"
	init_script >"$stage/init"
	chmod 755 "$stage/init"
	echo "$VM_MODULES" >"$stage/modules.list"
	for m in $VM_MODULES; do
		mod=$(modinfo -k "$KVER" -n "$m" 2>/dev/null || true)
		if [ -z "$mod" ] || [ ! -e "$mod" ]; then
			mod=$(find "$moddir/kernel" \( -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" -o -name "$m.ko.gz" \) | head -n 1)
		fi
		[ -n "$mod" ] || { rm -rf "$stage"; die "module $m not found under $moddir"; }
		f=$stage/modules/$m.ko
		case $mod in
		*.ko.xz) xz -dc "$mod" >"$f" ;;
		*.ko.zst) zstd -dcq "$mod" >"$f" ;;
		*.ko.gz) gzip -dc "$mod" >"$f" ;;
		*) cp "$mod" "$f" ;;
		esac
	done
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$1.tmp"
	mv "$1.tmp" "$1"
	rm -rf "$stage"
}

mkdir -p "$cache"
key=$({ init_script; echo "$VM_MODULES"; sha256sum "$busybox"; } | sha256sum | cut -c1-16)
initrd=$cache/initramfs-$key.cpio
if [ ! -s "$initrd" ]; then
	(
		flock 9
		if [ ! -s "$initrd" ]; then
			find "$cache" -maxdepth 1 -name 'initramfs-*.cpio' ! -name "initramfs-$key.cpio" -delete
			build_initramfs "$initrd"
		fi
	) 9>"$cache/.lock"
fi

# ---------------------------------------------------------- guest-side files
{
	echo "OUT=$(quote "$out")"
	echo "REPO=$(quote "$repo")"
	echo "KVER=$(quote "$KVER")"
	echo "MYTCP_KO=$(quote "$module")"
	echo "DEBUG=$debug"
	echo "MYTCP_VM_SLOWDOWN=$slowdown"
	keep=$repo
	[ -n "$module" ] && keep="$keep
$(dirname "$module")"
	echo "KEEP=$(quote "$keep")"
} >"$ctl/config"

{
	printf 'exec'
	for a in "$@"; do printf ' %s' "$(quote "$a")"; done
	printf '\n'
} >"$ctl/cmd"

# kernel.modprobe: mytcp from the given .ko, everything else as usual
cat >"$ctl/modprobe" <<EOF
#!/bin/sh
for a in "\$@"; do
	case \$a in
	net-pf-2-proto-253-type-1|net-pf-2-proto-253|mytcp)
		exec /sbin/insmod $(quote "$module") ;;
	esac
done
exec /sbin/modprobe "\$@"
EOF
chmod 755 "$ctl/modprobe"

# PID 1 after switch_root.  It must never exit (the kernel would panic):
# it runs the command in a child, records the status, powers off.
cat >"$ctl/runner" <<'EOF'
#!/bin/sh
# guest PID 1, generated by tools/vm/run-vm.sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8 TERM=dumb
ctl=$0
ctl=${ctl%/runner}
. "$ctl/config"
halt_now() {
	sync
	echo o >/proc/sysrq-trigger
	poweroff -f 2>/dev/null
	while :; do sleep 60; done
}
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /dev/shm 2>/dev/null
mount -t tmpfs tmpfs /sys/fs/cgroup 2>/dev/null || true
mount -t bpf bpf /sys/fs/bpf 2>/dev/null || true
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
# warnings and worse on the console, so a WARN before the panic shows
echo "5 4 1 7" >/proc/sys/kernel/printk
hostname mytcp-vm 2>/dev/null
ip link set lo up 2>/dev/null
if [ "$(uname -r)" != "$KVER" ] || { [ "$DEBUG" = 0 ] && [ ! -d "/lib/modules/$(uname -r)" ]; }; then
	echo "run-vm: guest runs $(uname -r) but the host has /lib/modules/$KVER" >"$OUT/output.log"
	echo 125 >"$ctl/status"
	halt_now
fi
if [ -n "$MYTCP_KO" ]; then
	echo "$ctl/modprobe" >/proc/sys/kernel/modprobe
	export MYTCP_KO
fi
export MYTCP_VM=1 MYTCP_VM_OUT="$OUT" MYTCP_VM_SLOWDOWN
(cd "$REPO" && exec sh "$ctl/cmd") </dev/null >"$OUT/output.log" 2>&1
rc=$?
if [ "$DEBUG" = 1 ] && [ -w /sys/kernel/debug/kmemleak ]; then
	# Two scans: an object is reported only once it has been seen
	# unreferenced by a scan and is older than 5 s.
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$OUT/kmemleak.log" 2>&1
fi
dmesg >"$OUT/dmesg.log" 2>/dev/null
echo "$rc" >"$ctl/status.tmp" && mv "$ctl/status.tmp" "$ctl/status"
halt_now
EOF

# ----------------------------------------------------------------- run qemu
console=$out/console.log
: >"$out/output.log"
qemu_pid=""
tail_pid=""
# shellcheck disable=SC2317  # called from the traps
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

timeout -k 10 "$timeout_s" qemu-system-x86_64 \
	-machine q35 -cpu max -smp 2 -m "$mem" \
	-nographic -no-reboot -monitor none -serial "file:$console" \
	-kernel "$kernel" -initrd "$initrd" -append "$CMDLINE" \
	"${nic_args[@]}" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$out,mount_tag=out,security_model=none,multidevs=remap" \
	</dev/null >"$ctl/qemu.log" 2>&1 &
qemu_pid=$!
# Stream the command's output while it runs; tail exits after qemu does,
# having read what was left.
tail -n +1 -s 0.5 -f --pid="$qemu_pid" "$out/output.log" &
tail_pid=$!
set +e
wait "$qemu_pid"
qrc=$?
set -e
qemu_pid=""
wait "$tail_pid" 2>/dev/null || true
tail_pid=""

console_tail() {
	echo "run-vm: ---- last $TAIL_LINES lines of $console ----" >&2
	tail -n "$TAIL_LINES" "$console" 2>/dev/null | tr -d '\r' >&2 || true
	if [ -s "$ctl/qemu.log" ]; then
		echo "run-vm: ---- qemu ----" >&2
		tail -n 20 "$ctl/qemu.log" >&2
	fi
	echo "run-vm: ---- end (files in $out) ----" >&2
}

# kernel_reports: the debug kernel's reports, from dmesg (or the console
# when the guest died before writing dmesg) and the kmemleak scan, into
# $out/kernel-reports.log; false if there are none.
report_re='BUG: |WARNING: |ODEBUG: |KFENCE: |INFO: trying to register non-static key|kmemleak: [0-9]+ new suspected memory leak|Kernel panic|Oops'
kernel_reports() {
	local log=$out/kernel-reports.log src=$out/dmesg.log
	[ -s "$src" ] || src=$console
	: >"$log"
	if grep -Eaq "$report_re" "$src" 2>/dev/null; then
		{
			echo "== $src"
			# each report from its first line on, at most 60 lines
			tr -d '\r' <"$src" | grep -Ea -A59 "$report_re"
		} >>"$log"
	fi
	if grep -aq 'unreferenced object' "$out/kmemleak.log" 2>/dev/null; then
		{
			echo "== $out/kmemleak.log"
			head -n 200 "$out/kmemleak.log"
		} >>"$log"
	fi
	[ -s "$log" ]
}

# A debug kernel's report wins over the command's status: it is the reason
# for this kernel.  The first lines of the first report, and where the rest is.
debug_verdict() {
	[ "$debug" = 1 ] || return 0
	kernel_reports || return 0
	echo "run-vm: the debug kernel reported a bug:" >&2
	grep -Eam 8 "$report_re|unreferenced object" "$out/kernel-reports.log" | sed 's/^/run-vm:   /' >&2
	echo "run-vm: ---- first report ----" >&2
	sed -n '2,31p' "$out/kernel-reports.log" >&2
	echo "run-vm: ---- end (all reports in $out/kernel-reports.log) ----" >&2
	exit 3
}

if [ "$qrc" -eq 137 ] || [ "$qrc" -eq 124 ]; then
	echo "run-vm: guest hung after $timeout_s s" >&2
	console_tail
	debug_verdict
	exit 124
fi
if [ ! -s "$ctl/status" ]; then
	echo "run-vm: the guest never reported an exit status (panic or crash; qemu exit $qrc)" >&2
	console_tail
	debug_verdict
	exit 125
fi
rc=$(cat "$ctl/status")
case $rc in '' | *[!0-9]*) rc=125 ;; esac
debug_verdict
if [ "$rc" -ne 0 ]; then
	echo "run-vm: guest command exited with status $rc" >&2
	console_tail
elif [ "$own_out" -eq 1 ]; then
	rm -rf "$out"
fi
exit "$rc"
