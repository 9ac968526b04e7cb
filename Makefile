# SPDX-License-Identifier: GPL-2.0
#
# mytcp: the module, the tool and the tests.
#   make            build mytcp/mytcp.ko against the running system's headers,
#                   the tool and mytcpize (tools/mytcpize, an LD_PRELOAD library)
#   make demo       a handshake, data and close, in a VM (installs what it needs)
#   make check      every test: KUnit in UML, then the selftests and packet cases in a VM
#   make kunit      KUnit suites in UML
#   make selftest   selftests in a QEMU VM (Debian's kernel;
#                   MYTCP_VM_KERNEL=debug for any VM target: the debug kernel)
#   make selftest-debug  selftests on the debug kernel (KASAN, lockdep, kmemleak)
#   make debug-kernel    build the debug guest kernel (once; cached)
#   make packettest packet-level conformance cases (scapy + tun) in a VM
#   make bench      mytcp and TCP side by side in one VM run
#   make fuzz       segment and syscall fuzzers, SYN flood, unload race, in a VM
#   make checkstyle checkpatch --strict on the module and tests

KVER ?= $(shell ls /lib/modules 2>/dev/null | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build
PWD := $(CURDIR)

.PHONY: all module tool mytcpize clean demo check kunit kunit-debug selftest packettest lessons two-kernels \
	bench fuzz checkstyle deps debug-kernel selftest-debug

all: module tool mytcpize

module:
	$(MAKE) -C $(KDIR) M=$(PWD) W=1 modules

tool:
	$(MAKE) -C tools/mytcp

mytcpize:
	$(MAKE) -C tools/mytcpize

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean
	$(MAKE) -C tools/mytcp clean
	$(MAKE) -C tools/mytcpize clean
	$(MAKE) -C tools/fuzz clean

deps:
	tools/deps.sh build vm

demo:
	tools/deps.sh build vm
	$(MAKE) all
	MYTCP_VM_KERNEL=stock tools/demo.sh

kunit:
	tools/kunit.sh

kunit-debug:
	tools/kunit.sh --debug

selftest:
	tools/deps.sh build vm
	$(MAKE) all
	tools/selftests/vm-selftest.sh

selftest-debug:
	tools/deps.sh build vm
	$(MAKE) all
	MYTCP_VM_KERNEL=debug tools/selftests/vm-selftest.sh

debug-kernel:
	tools/vm/debug-kernel.sh --module

check:
	tools/check.sh

checkstyle:
	tools/checkstyle.sh

packettest:
	tools/deps.sh build vm
	$(MAKE) all
	tools/packet/vm-packettest.sh

bench:
	tools/deps.sh build vm
	$(MAKE) all
	MYTCP_VM_KERNEL=stock tools/bench/vm-bench.sh

two-kernels:
	tools/deps.sh build vm
	$(MAKE) all
	tools/vm/two-kernels.sh

lessons:
	tools/deps.sh build vm
	$(MAKE) all
	MYTCP_VM_KERNEL=stock tools/lessons/vm-lessons.sh

fuzz:
	tools/deps.sh build vm
	$(MAKE) all
	tools/fuzz/vm-fuzz.sh
