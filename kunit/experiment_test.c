// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of experiment.c: a socket may opt into a lesson experiment
 * only for a bit its namespace allows (EPERM otherwise), never for a bit
 * that names no experiment (EINVAL), and may always opt out.
 */
#include <kunit/test.h>

#include <uapi/linux/mytcp.h>
#include "experiment.h"

static void experiments_closed_by_default(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(0, MYTCP_EXP_TWO_WAY_OPEN),
			-EPERM);
	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(0, MYTCP_EXP_NO_TIME_WAIT),
			-EPERM);
	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(0, 0), 0);
}

static void experiments_only_allowed_bits(struct kunit *test)
{
	unsigned int allowed = MYTCP_EXP_NO_TIME_WAIT;

	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(allowed,
						      MYTCP_EXP_NO_TIME_WAIT), 0);
	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(allowed,
						      MYTCP_EXP_TWO_WAY_OPEN),
			-EPERM);
	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(allowed, MYTCP_EXP_ALL),
			-EPERM);
	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(MYTCP_EXP_ALL,
						      MYTCP_EXP_ALL), 0);
}

static void experiments_unknown_bits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(MYTCP_EXP_ALL, 1 << 7),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(MYTCP_EXP_ALL, -1),
			-EINVAL);
	/* an unknown bit is EINVAL even where the namespace allows nothing */
	KUNIT_EXPECT_EQ(test, mytcp_experiments_check(0, 1 << 7), -EINVAL);
}

static struct kunit_case experiment_test_cases[] = {
	KUNIT_CASE(experiments_closed_by_default),
	KUNIT_CASE(experiments_only_allowed_bits),
	KUNIT_CASE(experiments_unknown_bits),
	{}
};

static struct kunit_suite experiment_test_suite = {
	.name = "mytcp_experiment",
	.test_cases = experiment_test_cases,
};

kunit_test_suite(experiment_test_suite);
