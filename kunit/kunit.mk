# SPDX-License-Identifier: GPL-2.0
#
# The KUnit suites, linked into mytcp.o when tools/kunit.sh links this
# directory into a kernel tree as net/mytcp (mytcp/Kbuild includes it).

mytcp-$(CONFIG_MYTCP_KUNIT_TEST) += seq_test.o rules_test.o state_test.o \
				  header_test.o isn_test.o conn_test.o \
				  cong_test.o window_test.o cookie_test.o \
				  timewait_test.o icmp_test.o experiment_test.o \
				  cong_ctl_test.o rmem_test.o gso_test.o \
				  rcvpolicy_test.o tstamp_test.o
mytcp_cubic-$(CONFIG_MYTCP_KUNIT_TEST) += cubic_test.o
