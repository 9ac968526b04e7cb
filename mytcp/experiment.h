/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp: experiments for the lessons (Documentation/lessons.md).  Each
 * turns off one rule of RFC 9293 for one socket, to show in a real kernel
 * what the rule prevents.  Two gates, both closed by default: the
 * namespace allows a bit in net.mytcp.experiments, and a socket opts in
 * with the MYTCP_EXPERIMENTS socket option.  A bit acts only while both
 * are set, so clearing the sysctl ends every experiment in the namespace.
 */
#ifndef _MYTCP_EXPERIMENT_H
#define _MYTCP_EXPERIMENT_H

#include <net/sock.h>

int mytcp_experiments_check(unsigned int allowed, int want);
int mytcp_set_experiments(struct sock *sk, int want);
bool mytcp_experiment(const struct sock *sk, unsigned int bit);

#endif /* _MYTCP_EXPERIMENT_H */
