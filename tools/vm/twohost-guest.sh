#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# twohost-guest.sh ROLE: inside one guest of tools/vm/two-kernels.sh,
# bring up the NIC (10.0.9.1 client, 10.0.9.2 server), load mytcp and run
# tools/vm/twohost.py --role ROLE.
set -eu
role=$1
case $role in
client) addr=10.0.9.1 peer=10.0.9.2 peer_mac=52:54:00:0a:09:02 ;;
server) addr=10.0.9.2 peer=10.0.9.1 peer_mac=52:54:00:0a:09:01 ;;
*) echo "usage: twohost-guest.sh client|server" >&2; exit 2 ;;
esac
grep -q "^mytcp " /proc/modules || insmod "$MYTCP_KO"
modprobe virtio_net
dev=""
for d in /sys/class/net/*; do
	[ -e "$d/device" ] && dev=${d##*/} && break
done
[ -n "$dev" ] || { echo "twohost-guest: no NIC"; exit 1; }
ip link set lo up
ip addr add "$addr/24" dev "$dev"
ip link set "$dev" up
# no ARP: netem then acts on the test's segments only
ip neigh replace "$peer" lladdr "$peer_mac" dev "$dev" nud permanent
exec python3 -u tools/vm/twohost.py --role "$role"
