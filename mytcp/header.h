/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mytcp segment header is TCP's (RFC 9293 section 3.1), byte for byte,
 * carried in IP protocol 253.  struct tcphdr describes it.
 */
#ifndef _MYTCP_HEADER_H
#define _MYTCP_HEADER_H

#include <linux/types.h>
#include <linux/tcp.h>
#include <net/tcp.h>	/* TCPHDR_* flag bits: the wire format is TCP's */

struct sk_buff;

#define MYTCP_HDR_MIN		20	/* data offset 5 */
#define MYTCP_HDR_MAX		60	/* data offset 15 */
#define MYTCP_DEFAULT_MSS	536	/* RFC 9293 section 3.7.1 */
/* an MSS below this is never used, whatever the peer or an ICMP says (as
 * TCP's net.ipv4.tcp_min_snd_mss): a peer cannot force tiny segments
 */
#define MYTCP_MIN_SND_MSS	48
#define MYTCP_MAX_WSCALE	14	/* RFC 7323 section 2.3 */

/* Option kinds, RFC 9293 section 3.2 and RFC 7323 */
#define MYTCP_OPT_EOL		0
#define MYTCP_OPT_NOP		1
#define MYTCP_OPT_MSS		2
#define MYTCP_OPT_WSCALE	3
#define MYTCP_OPT_SACK_PERM	4
#define MYTCP_OPT_SACK		5
#define MYTCP_OPT_TIMESTAMP	8

/**
 * struct mytcp_opts - the options of one segment, parsed
 * @mss: MSS option value, 0 when absent (only meaningful on a SYN)
 * @wscale: window scale shift, clamped to 14 (RFC 7323 section 2.3)
 * @wscale_ok: a window scale option was present
 * @sack_ok: SACK-permitted was present
 * @ts_ok: a timestamps option was present
 * @tsval: TSval of the timestamps option
 * @tsecr: TSecr of the timestamps option
 */
struct mytcp_opts {
	u16 mss;
	u8 wscale;
	bool wscale_ok;
	bool sack_ok;
	bool ts_ok;
	u32 tsval;
	u32 tsecr;
};

/**
 * enum mytcp_hdr_verdict - result of checking a segment's header
 * @MYTCP_HDR_OK: the header is well formed
 * @MYTCP_HDR_SHORT: shorter than 20 bytes or than its data offset says
 * @MYTCP_HDR_BAD_DOFF: data offset below 5
 * @MYTCP_HDR_BAD_FLAGS: a flag combination no correct sender makes
 *	(SYN with RST, SYN with FIN)
 * @MYTCP_HDR_BAD_OPTIONS: an option runs past the header or has length < 2
 */
enum mytcp_hdr_verdict {
	MYTCP_HDR_OK,
	MYTCP_HDR_SHORT,
	MYTCP_HDR_BAD_DOFF,
	MYTCP_HDR_BAD_FLAGS,
	MYTCP_HDR_BAD_OPTIONS,
};

enum mytcp_hdr_verdict mytcp_check_header(const struct tcphdr *th,
					  unsigned int len);
bool mytcp_ack_missing(u8 flags);
int mytcp_parse_options(const u8 *p, unsigned int len, bool syn,
			struct mytcp_opts *opts);
unsigned int mytcp_syn_options_len(const struct mytcp_opts *opts);
unsigned int mytcp_write_syn_options(u8 *p, const struct mytcp_opts *opts);
__sum16 mytcp_checksum(const struct sk_buff *skb, unsigned int len,
		       __be32 saddr, __be32 daddr);
__sum16 mytcp_checksum6(const struct sk_buff *skb, unsigned int len,
			const struct in6_addr *saddr,
			const struct in6_addr *daddr);
__sum16 mytcp_checksum_any(const struct sk_buff *skb, unsigned int len,
			   const struct in6_addr *saddr,
			   const struct in6_addr *daddr);
__sum16 mytcp_csum_seed(const struct in6_addr *saddr,
			const struct in6_addr *daddr, unsigned int len);
bool mytcp_rcv_csum_ok(struct sk_buff *skb, const struct in6_addr *saddr,
		       const struct in6_addr *daddr);
u32 mytcp_seg_len(const struct tcphdr *th, unsigned int payload);

/**
 * mytcp_peer_mss - the MSS to send with, from the peer's MSS option
 * @opt_mss: the option's value, 0 if the SYN had none
 *
 * RFC 9293 section 3.7.1: without the option, 536.  An MSS of 1 would make
 * one segment, and one skb, per octet of a transfer: a peer asking for so
 * little is attacking the sender's memory, not describing a path (every
 * IPv4 path carries 68 octets).  Below MYTCP_MIN_SND_MSS it is raised to
 * that, as TCP has done since CVE-2019-11479 (tcp_min_snd_mss).
 *
 * Return: the MSS to use, before the clamp to our own.
 */
static inline u16 mytcp_peer_mss(u16 opt_mss)
{
	if (!opt_mss)
		return MYTCP_DEFAULT_MSS;
	return max_t(u16, opt_mss, MYTCP_MIN_SND_MSS);
}

#endif /* _MYTCP_HEADER_H */
