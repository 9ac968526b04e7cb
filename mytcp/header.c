// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: header checks, option parsing and building, and the checksum
 * (RFC 9293 sections 3.1 and 3.2).
 */

#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <asm/unaligned.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include <uapi/linux/mytcp.h>
#include "header.h"

/**
 * mytcp_check_header - validate the fixed header of a received segment
 * @th: the header, at least 20 bytes of it readable when @len >= 20
 * @len: bytes from the start of the header to the end of the IP payload
 *
 * Return: %MYTCP_HDR_OK or the reason the segment must be dropped.
 */
enum mytcp_hdr_verdict mytcp_check_header(const struct tcphdr *th,
					  unsigned int len)
{
	if (len < MYTCP_HDR_MIN)
		return MYTCP_HDR_SHORT;
	if (th->doff < MYTCP_HDR_MIN / 4)
		return MYTCP_HDR_BAD_DOFF;
	if (len < th->doff * 4U)
		return MYTCP_HDR_SHORT;
	if (th->syn && (th->rst || th->fin))
		return MYTCP_HDR_BAD_FLAGS;
	/*
	 * A segment without ACK is well formed: with no socket it earns a RST
	 * (RFC 9293 section 3.10.7.1); a socket drops it (mytcp_ack_missing()).
	 */
	return MYTCP_HDR_OK;
}

/**
 * mytcp_ack_missing - a segment that should carry ACK does not
 * @flags: the segment's flag byte (TCPHDR_*)
 *
 * RFC 9293 section 3.10.7.4, fifth check: "if the ACK bit is off, drop the
 * segment and return"; only a SYN (which opens) and a RST go without.  A
 * connection or listener drops such a segment, but a port with no socket
 * answers it like any other (section 3.10.7.1), so this is asked after the
 * lookup, not by mytcp_check_header().
 *
 * Return: true when the segment has none of ACK, SYN and RST.
 */
bool mytcp_ack_missing(u8 flags)
{
	return !(flags & (TCPHDR_ACK | TCPHDR_SYN | TCPHDR_RST));
}

/**
 * mytcp_parse_options - parse the option bytes of a segment
 * @p: first option byte
 * @len: number of option bytes (data offset * 4 - 20)
 * @syn: the segment carries SYN; MSS, window scale and SACK-permitted are
 *	 only honoured there (RFC 9293 section 3.7.1, RFC 7323 section 2.2)
 * @opts: filled with what was found; zeroed first
 *
 * Unknown options are skipped by their length (RFC 9293 section 3.2, "a TCP
 * implementation MUST be able to receive a TCP Option in any segment" and
 * ignore those it does not implement).  An option with a length below 2 or
 * running past the header makes the whole segment malformed.
 *
 * Return: 0, or -EINVAL for a malformed option list.
 */
int mytcp_parse_options(const u8 *p, unsigned int len, bool syn,
			struct mytcp_opts *opts)
{
	const u8 *end = p + len;

	memset(opts, 0, sizeof(*opts));
	while (p < end) {
		u8 kind = p[0], olen;

		if (kind == MYTCP_OPT_EOL)
			break;
		if (kind == MYTCP_OPT_NOP) {
			p++;
			continue;
		}
		if (end - p < 2)
			return -EINVAL;
		olen = p[1];
		if (olen < 2 || olen > end - p)
			return -EINVAL;
		switch (kind) {
		case MYTCP_OPT_MSS:
			if (olen != 4)
				return -EINVAL;
			if (syn)
				opts->mss = get_unaligned_be16(p + 2);
			break;
		case MYTCP_OPT_WSCALE:
			if (olen != 3)
				return -EINVAL;
			if (syn) {
				opts->wscale_ok = true;
				/* RFC 7323 section 2.3: treat > 14 as 14 */
				opts->wscale = min_t(u8, p[2], MYTCP_MAX_WSCALE);
			}
			break;
		case MYTCP_OPT_SACK_PERM:
			if (olen != 2)
				return -EINVAL;
			if (syn)
				opts->sack_ok = true;
			break;
		case MYTCP_OPT_TIMESTAMP:
			if (olen != 10)
				return -EINVAL;
			opts->ts_ok = true;
			opts->tsval = get_unaligned_be32(p + 2);
			opts->tsecr = get_unaligned_be32(p + 6);
			break;
		default:
			break;
		}
		p += olen;
	}
	return 0;
}

/**
 * mytcp_syn_options_len - bytes of options a segment will carry
 * @opts: what to announce: the MSS if @opts->mss (a SYN's), the window
 *	scale if @opts->wscale_ok, the timestamps if @opts->ts_ok
 *
 * Return: a multiple of 4.
 */
unsigned int mytcp_syn_options_len(const struct mytcp_opts *opts)
{
	unsigned int len = 0;

	if (opts->mss)
		len += 4;			/* MSS */
	if (opts->ts_ok)
		len += 12;			/* NOP, NOP, timestamps */
	if (opts->wscale_ok)
		len += 4;			/* NOP + window scale */
	return len;
}

/**
 * mytcp_write_syn_options - write the options of a segment
 * @p: where to write; mytcp_syn_options_len() bytes of room
 * @opts: MSS to announce (none if 0), the timestamps if @opts->ts_ok and
 *	the window scale if @opts->wscale_ok
 *
 * RFC 7323 appendix A's layout: each option starts 4-aligned after NOPs
 * (the timestamps after two, so that TSval and TSecr are 32-bit aligned
 * in the header), as Linux sends them.
 *
 * Return: bytes written, a multiple of 4.
 */
unsigned int mytcp_write_syn_options(u8 *p, const struct mytcp_opts *opts)
{
	u8 *start = p;

	if (opts->mss) {
		*p++ = MYTCP_OPT_MSS;
		*p++ = 4;
		put_unaligned_be16(opts->mss, p);
		p += 2;
	}
	if (opts->ts_ok) {
		*p++ = MYTCP_OPT_NOP;
		*p++ = MYTCP_OPT_NOP;
		*p++ = MYTCP_OPT_TIMESTAMP;
		*p++ = 10;
		put_unaligned_be32(opts->tsval, p);
		put_unaligned_be32(opts->tsecr, p + 4);
		p += 8;
	}
	if (opts->wscale_ok) {
		*p++ = MYTCP_OPT_NOP;
		*p++ = MYTCP_OPT_WSCALE;
		*p++ = 3;
		*p++ = opts->wscale;
	}
	return p - start;
}

/**
 * mytcp_checksum - the segment checksum with the RFC 9293 pseudo-header
 * @skb: buffer whose data starts at the segment header
 * @len: segment length (header and payload)
 * @saddr: IPv4 source address
 * @daddr: IPv4 destination address
 *
 * The pseudo-header (RFC 9293 section 3.1) carries protocol 253, so a TCP
 * checksum of the same bytes differs.  On a segment that carries its
 * checksum the result is 0 when the checksum is right.
 *
 * Return: the folded one's complement checksum.
 */
__sum16 mytcp_checksum(const struct sk_buff *skb, unsigned int len,
		       __be32 saddr, __be32 daddr)
{
	__wsum sum = skb_checksum(skb, 0, len, 0);

	return csum_tcpudp_magic(saddr, daddr, len, IPPROTO_MYTCP, sum);
}

/**
 * mytcp_checksum6 - the segment checksum over IPv6
 * @skb: buffer whose data starts at the segment header
 * @len: segment length (header and payload)
 * @saddr: IPv6 source address
 * @daddr: IPv6 destination address
 *
 * RFC 8200 section 8.1: the upper-layer checksum covers the IPv6
 * pseudo-header (source, destination, 32-bit upper-layer length, three
 * zero octets and the next header value, 253); unlike UDP's nothing
 * else changes.
 *
 * Return: the folded one's complement checksum, 0 on a right one.
 */
__sum16 mytcp_checksum6(const struct sk_buff *skb, unsigned int len,
			const struct in6_addr *saddr,
			const struct in6_addr *daddr)
{
	__wsum sum = skb_checksum(skb, 0, len, 0);

	return csum_ipv6_magic(saddr, daddr, len, IPPROTO_MYTCP, sum);
}

/**
 * mytcp_checksum_any - the segment checksum for addresses of either family
 * @skb: buffer whose data starts at the segment header
 * @len: segment length (header and payload)
 * @saddr: source address, v4-mapped for IPv4
 * @daddr: destination address, v4-mapped for IPv4
 *
 * Return: mytcp_checksum() for IPv4 addresses, mytcp_checksum6() else.
 */
__sum16 mytcp_checksum_any(const struct sk_buff *skb, unsigned int len,
			   const struct in6_addr *saddr,
			   const struct in6_addr *daddr)
{
	if (ipv6_addr_v4mapped(saddr))
		return mytcp_checksum(skb, len, saddr->s6_addr32[3],
				      daddr->s6_addr32[3]);
	return mytcp_checksum6(skb, len, saddr, daddr);
}

/**
 * mytcp_csum_seed - the checksum field of a CHECKSUM_PARTIAL segment
 * @saddr: source address, v4-mapped for IPv4
 * @daddr: destination address, v4-mapped for IPv4
 * @len: segment length (header and payload)
 *
 * The folded sum of the pseudo-header alone (RFC 9293 section 3.1, RFC
 * 8200 section 8.1): what goes in the field when the device, or the GSO
 * code, adds the sum of the segment itself from csum_start on.
 *
 * Return: the seed, ready for the field.
 */
__sum16 mytcp_csum_seed(const struct in6_addr *saddr,
			const struct in6_addr *daddr, unsigned int len)
{
	if (ipv6_addr_v4mapped(saddr))
		return ~csum_tcpudp_magic(saddr->s6_addr32[3],
					  daddr->s6_addr32[3], len,
					  IPPROTO_MYTCP, 0);
	return ~csum_ipv6_magic(saddr, daddr, len, IPPROTO_MYTCP, 0);
}

/**
 * mytcp_rcv_csum_ok - is the checksum of an arriving segment right?
 * @skb: the segment, its data at our header, skb->len its length
 * @saddr: source address, v4-mapped for IPv4
 * @daddr: destination address, v4-mapped for IPv4
 *
 * What the stack already knows is trusted: CHECKSUM_UNNECESSARY (a device
 * verified it), CHECKSUM_PARTIAL (a local sender over lo or veth: the sum
 * was never computed, and the bytes never left memory).  With
 * CHECKSUM_COMPLETE the device's sum of the packet (skb->csum, from our
 * header on once IP has pulled its own) only needs the pseudo-header; if
 * it disagrees, the segment is summed again in software, as the device may
 * be wrong.  Else the segment is summed in software.
 *
 * Return: true when the segment may be accepted.
 */
bool mytcp_rcv_csum_ok(struct sk_buff *skb, const struct in6_addr *saddr,
		       const struct in6_addr *daddr)
{
	if (skb_csum_unnecessary(skb))
		return true;
	if (skb->ip_summed == CHECKSUM_COMPLETE &&
	    !csum_fold(csum_add(skb->csum,
				csum_unfold(mytcp_csum_seed(saddr, daddr,
							    skb->len))))) {
		skb->csum_valid = 1;
		return true;
	}
	return !mytcp_checksum_any(skb, skb->len, saddr, daddr);
}

/**
 * mytcp_seg_len - SEG.LEN of a segment (RFC 9293 section 3.4)
 * @th: its header
 * @payload: bytes of data it carries
 *
 * Return: the data length plus one for SYN and one for FIN, as each takes a
 * sequence number.
 */
u32 mytcp_seg_len(const struct tcphdr *th, unsigned int payload)
{
	return payload + th->syn + th->fin;
}
