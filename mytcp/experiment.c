// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the gates of the lesson experiments (experiment.h).  Nothing here
 * changes the protocol; listen.c and timewait.c ask mytcp_experiment() at
 * the one point where each experiment departs from RFC 9293.
 */
#include "experiment.h"
#include "protocol.h"

/**
 * mytcp_experiments_check - may a socket opt into these experiments?
 * @allowed: the namespace's net.mytcp.experiments
 * @want: the MYTCP_EXP_* bits asked for; 0 opts out of all
 *
 * Pure, for KUnit.
 *
 * Return: 0; -EINVAL for a bit no experiment has; -EPERM for one the
 * namespace does not allow.
 */
int mytcp_experiments_check(unsigned int allowed, int want)
{
	if (want & ~MYTCP_EXP_ALL)
		return -EINVAL;
	if (want & ~allowed)
		return -EPERM;
	return 0;
}

/**
 * mytcp_set_experiments - setsockopt(MYTCP_EXPERIMENTS)
 * @sk: the socket, locked
 * @want: the MYTCP_EXP_* bits; they replace the socket's
 *
 * A listener's bits pass to the connections it accepts.
 *
 * Return: 0 or mytcp_experiments_check()'s error.
 */
int mytcp_set_experiments(struct sock *sk, int want)
{
	unsigned int allowed = READ_ONCE(mytcp_pernet(sock_net(sk))->experiments);
	int err;

	err = mytcp_experiments_check(allowed, want);
	if (!err)
		mytcp_sk(sk)->experiments = want;
	return err;
}

/**
 * mytcp_experiment - is this experiment on for this socket now?
 * @sk: the socket
 * @bit: one MYTCP_EXP_* bit
 *
 * Return: true only if the socket opted in and its namespace still allows it.
 */
bool mytcp_experiment(const struct sock *sk, unsigned int bit)
{
	return (mytcp_sk(sk)->experiments & bit) &&
	       (READ_ONCE(mytcp_pernet(sock_net(sk))->experiments) & bit);
}
