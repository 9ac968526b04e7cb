#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh: install the Debian packages a task needs, and only those missing.
#
# Usage: tools/deps.sh GROUP...   (groups: build kunit vm debugkernel; "all" = every group)
#   build  the module against Debian's kernel headers
#   kunit  KUnit in UML (kunit.py on linux-source-6.1)
#   vm     the selftests: QEMU, busybox initramfs, Debian's kernel, test tools,
#          and the unmodified programs test_mytcpize.py runs under mytcpize
#   debugkernel  the debug guest kernel (tools/vm/debug-kernel.sh): a kernel
#          build from linux-source-6.1 (objtool needs libelf, the x86 build
#          libssl for its certificate tools; no BTF, so no dwarves)
#
# Idempotent and quiet when nothing is missing.  Runs apt-get as root (or via
# sudo when not root and sudo exists); apt-get update runs once, only if
# something has to be installed.
set -eu

pkgs_build="make gcc libc6-dev linux-headers-amd64 libelf-dev kmod"
# kunit.py ARCH=um builds a UML kernel: compiler, kbuild's flex/bison/bc,
# libc headers to link the UML binary, xz to unpack linux-source-6.1
pkgs_kunit="make gcc libc6-dev linux-source-6.1 python3 bc flex bison xz-utils"
pkgs_debugkernel="make gcc libc6-dev linux-source-6.1 bc flex bison libelf-dev libssl-dev xz-utils cpio kmod"
pkgs_vm="qemu-system-x86 busybox-static cpio linux-image-amd64 iproute2 python3 python3-scapy tshark ethtool kmod procps xz-utils coreutils util-linux iperf3 nginx-light curl wrk redis-server socat openssh-server openssh-client"

usage() {
	echo "usage: $0 {build|kunit|vm|debugkernel|all}..." >&2
	exit 2
}

[ $# -gt 0 ] || usage
want=""
for g in "$@"; do
	case $g in
	build) want="$want $pkgs_build" ;;
	kunit) want="$want $pkgs_kunit" ;;
	vm) want="$want $pkgs_vm" ;;
	debugkernel) want="$want $pkgs_debugkernel" ;;
	all) want="$want $pkgs_build $pkgs_kunit $pkgs_vm $pkgs_debugkernel" ;;
	*) usage ;;
	esac
done

missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $status in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1; then
	as_root="sudo"
else
	echo "deps.sh: need root (or sudo) to install:$missing" >&2
	exit 1
fi

echo "deps.sh: installing:$missing" >&2
# nginx-light, redis-server and openssh-server come with services whose postinst starts them
# on this machine: the tests start their own, in the VM.  Unless the machine
# already has a policy, a temporary policy-rc.d (exit 101: "not allowed")
# keeps invoke-rc.d from starting them, so a busy port 80 or 6379 (or no
# init system, as in a container) cannot fail the install either.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# tools/deps.sh: no service starts during its install\nexit 101\n' |
		$as_root tee "$policy" >/dev/null
	$as_root chmod 755 "$policy"
	trap '$as_root rm -f "$policy"' EXIT
fi
# shellcheck disable=SC2086  # word splitting of the package list is wanted
$as_root apt-get update -qq >&2
# shellcheck disable=SC2086
$as_root env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends $missing >&2
