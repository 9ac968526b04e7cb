/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp: the rules for ICMP errors and path MTU, as pure functions of
 * numbers (ground floor: no sockets, so KUnit calls them directly).
 * icmp.c applies them to connections.
 */
#ifndef _MYTCP_ICMP_H
#define _MYTCP_ICMP_H

#include <linux/errno.h>
#include <linux/icmp.h>
#include <linux/minmax.h>
#include <linux/types.h>

#include "header.h"
#include "seq.h"

/* RFC 791: every host must take a datagram of 68 octets unfragmented */
#define MYTCP_MIN_PMTU		68
/* IP and mytcp headers without options: what an MTU holds beyond the MSS */
#define MYTCP_IP_HDRS_LEN	40

/**
 * enum mytcp_icmp_action - what an ICMP error asks of a connection
 * @MYTCP_ICMP_IGNORE: nothing (source quench, redirect, unknown codes)
 * @MYTCP_ICMP_FRAG_NEEDED: "fragmentation needed and DF set": path MTU
 * @MYTCP_ICMP_ERROR: an error with an errno (hard or soft by the state)
 */
enum mytcp_icmp_action {
	MYTCP_ICMP_IGNORE,
	MYTCP_ICMP_FRAG_NEEDED,
	MYTCP_ICMP_ERROR,
};

/*
 * RFC 5927 section 4.1: an ICMP error quotes the sequence number of the
 * segment that caused it, and that segment must be one we sent and the
 * peer has not acknowledged: SND.UNA =< SEG.SEQ =< SND.MAX (the highest
 * SND.NXT, which a retransmission timeout does not move back; an ACK
 * carries SND.MAX itself).  Anything else is forged or stale.
 */
static inline bool mytcp_icmp_seq_ok(u32 snd_una, u32 snd_max, u32 seq)
{
	return !mytcp_seq_before(seq, snd_una) && !mytcp_seq_after(seq, snd_max);
}

/*
 * The MSS a path MTU allows (RFC 1191 section 3: the MTU less the IP and
 * transport headers).  The MTU is taken as at least 68 (RFC 791), the MSS
 * as at least MYTCP_MIN_SND_MSS and at most 65535 (the option's field).
 */
static inline u16 mytcp_mss_for_mtu(u32 mtu)
{
	mtu = max_t(u32, mtu, MYTCP_MIN_PMTU);
	return clamp_t(u32, mtu - MYTCP_IP_HDRS_LEN, MYTCP_MIN_SND_MSS,
		       U16_MAX);
}

/* RFC 8200 section 5: every IPv6 link carries 1280 octets */
#define MYTCP_MIN_PMTU6		1280
/* IPv6 and mytcp headers without options or extension headers */
#define MYTCP_IP6_HDRS_LEN	60

/*
 * The MSS that fits an IPv6 path MTU: what is left of it after the IPv6
 * header (40) and ours (20).  A PMTU below 1280 is taken as 1280 (RFC
 * 8201 section 4: no estimate goes below the minimum link MTU).
 */
static inline u16 mytcp_mss6_for_mtu(u32 mtu)
{
	mtu = max_t(u32, mtu, MYTCP_MIN_PMTU6);
	return min_t(u32, mtu - MYTCP_IP6_HDRS_LEN, U16_MAX);
}

/*
 * What an ICMP error means, and its errno, as Linux's TCP reads it (RFC
 * 1122 section 4.2.3.9 lists the destination unreachable codes): a code
 * beyond the known ones, source quench (RFC 6633) and redirect are
 * ignored; time exceeded is EHOSTUNREACH, a parameter problem EPROTO.
 */
static inline enum mytcp_icmp_action
mytcp_icmp_classify(u8 type, u8 code, int *err)
{
	static const int unreach_errno[NR_ICMP_UNREACH + 1] = {
		[ICMP_NET_UNREACH]	= ENETUNREACH,
		[ICMP_HOST_UNREACH]	= EHOSTUNREACH,
		[ICMP_PROT_UNREACH]	= ENOPROTOOPT,
		[ICMP_PORT_UNREACH]	= ECONNREFUSED,
		[ICMP_FRAG_NEEDED]	= EMSGSIZE,
		[ICMP_SR_FAILED]	= EOPNOTSUPP,
		[ICMP_NET_UNKNOWN]	= ENETUNREACH,
		[ICMP_HOST_UNKNOWN]	= EHOSTDOWN,
		[ICMP_HOST_ISOLATED]	= ENONET,
		[ICMP_NET_ANO]		= ENETUNREACH,
		[ICMP_HOST_ANO]		= EHOSTUNREACH,
		[ICMP_NET_UNR_TOS]	= ENETUNREACH,
		[ICMP_HOST_UNR_TOS]	= EHOSTUNREACH,
		[ICMP_PKT_FILTERED]	= EHOSTUNREACH,
		[ICMP_PREC_VIOLATION]	= EHOSTUNREACH,
		[ICMP_PREC_CUTOFF]	= EHOSTUNREACH,
	};

	*err = 0;
	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH)
			return MYTCP_ICMP_IGNORE;
		if (code == ICMP_FRAG_NEEDED)
			return MYTCP_ICMP_FRAG_NEEDED;
		*err = unreach_errno[code];
		return MYTCP_ICMP_ERROR;
	case ICMP_TIME_EXCEEDED:
		*err = EHOSTUNREACH;
		return MYTCP_ICMP_ERROR;
	case ICMP_PARAMETERPROB:
		*err = EPROTO;
		return MYTCP_ICMP_ERROR;
	default:
		return MYTCP_ICMP_IGNORE;
	}
}

#endif /* _MYTCP_ICMP_H */
