// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of cong_ctl.c: what mytcp_register_cong() accepts, and that
 * a name is registered once.  NewReno is registered at load, so it is
 * there when the suites run.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "cong.h"

static u32 test_ssthresh(struct mytcp_cc *cc, u32 flight)
{
	return flight / 2;
}

static void test_cong_avoid(struct mytcp_cc *cc, u32 acked)
{
	cc->cwnd += acked;
}

static void cong_check_ops(struct kunit *test)
{
	struct mytcp_cong_ops ops = {
		.name = "kunit",
		.ssthresh = test_ssthresh,
		.cong_avoid = test_cong_avoid,
	};

	KUNIT_EXPECT_EQ(test, mytcp_cong_check(&ops), 0);
	ops.cong_avoid = NULL;
	KUNIT_EXPECT_EQ(test, mytcp_cong_check(&ops), -EINVAL);
	ops.cong_avoid = test_cong_avoid;
	ops.ssthresh = NULL;
	KUNIT_EXPECT_EQ(test, mytcp_cong_check(&ops), -EINVAL);
	ops.ssthresh = test_ssthresh;
	ops.name[0] = '\0';
	KUNIT_EXPECT_EQ(test, mytcp_cong_check(&ops), -EINVAL);
	/* 16 characters leave no room for the NUL MYTCP_CONGESTION needs */
	memcpy(ops.name, "0123456789abcdef", MYTCP_CA_NAME_MAX);
	KUNIT_EXPECT_EQ(test, mytcp_cong_check(&ops), -EINVAL);
	memcpy(ops.name, "0123456789abcde", MYTCP_CA_NAME_MAX);
	KUNIT_EXPECT_EQ(test, mytcp_cong_check(&ops), 0);
}

static void cong_register_once(struct kunit *test)
{
	static struct mytcp_cong_ops a = {
		.name = "kunit-a",
		.ssthresh = test_ssthresh,
		.cong_avoid = test_cong_avoid,
	};
	static struct mytcp_cong_ops again = {
		.name = "kunit-a",
		.ssthresh = test_ssthresh,
		.cong_avoid = test_cong_avoid,
	};
	static struct mytcp_cong_ops reno = {
		.name = "newreno",
		.ssthresh = test_ssthresh,
		.cong_avoid = test_cong_avoid,
	};
	static struct mytcp_cong_ops broken = { .name = "kunit-b" };

	KUNIT_ASSERT_EQ(test, mytcp_register_cong(&a), 0);
	KUNIT_EXPECT_EQ(test, mytcp_register_cong(&again), -EEXIST);
	KUNIT_EXPECT_EQ(test, mytcp_register_cong(&reno), -EEXIST);
	KUNIT_EXPECT_EQ(test, mytcp_register_cong(&broken), -EINVAL);
	mytcp_unregister_cong(&a);
	/* gone: the name is free again */
	KUNIT_EXPECT_EQ(test, mytcp_register_cong(&again), 0);
	mytcp_unregister_cong(&again);
}

static struct kunit_case cong_ctl_test_cases[] = {
	KUNIT_CASE(cong_check_ops),
	KUNIT_CASE(cong_register_once),
	{}
};

static struct kunit_suite cong_ctl_test_suite = {
	.name = "mytcp_cong_ctl",
	.test_cases = cong_ctl_test_cases,
};

kunit_test_suite(cong_ctl_test_suite);
