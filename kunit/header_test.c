// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of header.c: the fixed header checks (RFC 9293 section 3.1
 * and the flag rules of section 3.10.7), option parsing and building
 * (section 3.2, RFC 7323), the checksum with its pseudo-header carrying
 * protocol 253 (compared with an independent RFC 1071 sum computed here),
 * and SEG.LEN (section 3.4).
 */
#include <kunit/test.h>
#include <net/ipv6.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include <uapi/linux/mytcp.h>
#include "header.h"

/* A segment buffer, room for the largest header and some data. */
struct seg_buf {
	union {
		struct tcphdr th;
		u8 bytes[MYTCP_HDR_MAX + 64];
	};
};

static struct tcphdr *make_hdr(struct seg_buf *b, unsigned int doff,
			       u8 flags)
{
	memset(b, 0, sizeof(*b));
	b->th.source = htons(40000);
	b->th.dest = htons(80);
	b->th.seq = htonl(1);
	b->th.ack_seq = htonl(2);
	b->th.doff = doff;
	b->bytes[13] = flags;	/* RFC 9293 section 3.1: byte 13 holds them */
	b->th.window = htons(1000);
	return &b->th;
}

/* RFC 9293 section 3.1: at least 20 bytes */
static void header_short(struct kunit *test)
{
	struct seg_buf b;
	struct tcphdr *th = make_hdr(&b, 5, TCPHDR_ACK);
	unsigned int len;

	for (len = 0; len < 20; len++)
		KUNIT_EXPECT_EQ_MSG(test, mytcp_check_header(th, len),
				    MYTCP_HDR_SHORT, "len %u", len);
	KUNIT_EXPECT_EQ(test, mytcp_check_header(th, 20), MYTCP_HDR_OK);
	KUNIT_EXPECT_EQ(test, mytcp_check_header(th, 1500), MYTCP_HDR_OK);
}

/* Data offset counts 32-bit words and cannot be below 5. */
static void header_bad_doff(struct kunit *test)
{
	struct seg_buf b;
	unsigned int doff;

	for (doff = 0; doff < 5; doff++)
		KUNIT_EXPECT_EQ_MSG(test,
				    mytcp_check_header(make_hdr(&b, doff,
								TCPHDR_ACK),
						       100),
				    MYTCP_HDR_BAD_DOFF, "doff %u", doff);
}

/* The header with its options must fit in what arrived. */
static void header_doff_past_len(struct kunit *test)
{
	struct seg_buf b;
	struct tcphdr *th;
	unsigned int len;

	th = make_hdr(&b, 6, TCPHDR_ACK);
	for (len = 20; len < 24; len++)
		KUNIT_EXPECT_EQ_MSG(test, mytcp_check_header(th, len),
				    MYTCP_HDR_SHORT, "len %u", len);
	KUNIT_EXPECT_EQ(test, mytcp_check_header(th, 24), MYTCP_HDR_OK);

	th = make_hdr(&b, 15, TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, mytcp_check_header(th, 59), MYTCP_HDR_SHORT);
	KUNIT_EXPECT_EQ(test, mytcp_check_header(th, 60), MYTCP_HDR_OK);
}

/* Flag combinations no correct sender makes */
static void header_bad_flags(struct kunit *test)
{
	static const u8 bad[] = {
		TCPHDR_SYN | TCPHDR_FIN,
		TCPHDR_SYN | TCPHDR_FIN | TCPHDR_ACK,
		TCPHDR_SYN | TCPHDR_RST,
		TCPHDR_SYN | TCPHDR_RST | TCPHDR_ACK,
		TCPHDR_SYN | TCPHDR_RST | TCPHDR_FIN,
	};
	struct seg_buf b;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    mytcp_check_header(make_hdr(&b, 5, bad[i]),
						       20),
				    MYTCP_HDR_BAD_FLAGS, "flags %#x", bad[i]);
}

/*
 * RFC 9293 section 3.10.7.4, fifth check: a segment without ACK is
 * dropped by a socket, except a SYN (which opens) and a RST.  The header
 * itself is well formed: with no socket such a segment is answered by a
 * RST (section 3.10.7.1), so mytcp_check_header() lets it through and
 * mytcp_ack_missing() says it after the lookup.
 */
static void header_ack_required(struct kunit *test)
{
	static const u8 bad[] = {
		0, TCPHDR_FIN, TCPHDR_PSH, TCPHDR_URG, TCPHDR_FIN | TCPHDR_PSH,
		TCPHDR_ECE | TCPHDR_CWR | TCPHDR_PSH,
	};
	static const u8 good[] = {
		TCPHDR_SYN, TCPHDR_RST, TCPHDR_ACK, TCPHDR_SYN | TCPHDR_ACK,
		TCPHDR_RST | TCPHDR_ACK, TCPHDR_FIN | TCPHDR_ACK,
		TCPHDR_PSH | TCPHDR_ACK, TCPHDR_RST | TCPHDR_FIN,
	};
	struct seg_buf b;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    mytcp_check_header(make_hdr(&b, 5, bad[i]),
						       20),
				    MYTCP_HDR_OK, "flags %#x", bad[i]);
		KUNIT_EXPECT_TRUE_MSG(test, mytcp_ack_missing(bad[i]),
				      "flags %#x", bad[i]);
	}
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    mytcp_check_header(make_hdr(&b, 5, good[i]),
						       20),
				    MYTCP_HDR_OK, "flags %#x", good[i]);
		KUNIT_EXPECT_FALSE_MSG(test, mytcp_ack_missing(good[i]),
				       "flags %#x", good[i]);
	}
}

/* Parse @opt (@len bytes) into @o, after filling @o with junk. */
static int parse(const u8 *opt, unsigned int len, bool syn,
		 struct mytcp_opts *o)
{
	memset(o, 0xa5, sizeof(*o));
	return mytcp_parse_options(opt, len, syn, o);
}

/* RFC 9293 section 3.2: MSS, kind 2, length 4 */
static void options_mss(struct kunit *test)
{
	static const u8 opt[] = { 2, 4, 0x05, 0xb4 };
	struct mytcp_opts o;

	KUNIT_EXPECT_EQ(test, parse(opt, sizeof(opt), true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_FALSE(test, o.wscale_ok);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
	KUNIT_EXPECT_FALSE(test, o.ts_ok);
}

/* RFC 7323 section 2.3: a shift above 14 is used as 14 */
static void options_wscale(struct kunit *test)
{
	static const u8 shifts[] = { 0, 7, 14, 15, 16, 255 };
	static const u8 expect[] = { 0, 7, 14, 14, 14, 14 };
	u8 opt[] = { 1, 3, 3, 0 };
	struct mytcp_opts o;
	int i;

	for (i = 0; i < ARRAY_SIZE(shifts); i++) {
		opt[3] = shifts[i];
		KUNIT_EXPECT_EQ(test, parse(opt, sizeof(opt), true, &o), 0);
		KUNIT_EXPECT_TRUE(test, o.wscale_ok);
		KUNIT_EXPECT_EQ_MSG(test, o.wscale, expect[i], "shift %u",
				    shifts[i]);
	}
}

/* RFC 2018 section 2: SACK-permitted, kind 4, length 2 */
static void options_sack_perm(struct kunit *test)
{
	static const u8 opt[] = { 1, 1, 4, 2 };
	struct mytcp_opts o;

	KUNIT_EXPECT_EQ(test, parse(opt, sizeof(opt), true, &o), 0);
	KUNIT_EXPECT_TRUE(test, o.sack_ok);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_FALSE(test, o.wscale_ok);
}

/* RFC 7323 section 3.2: timestamps, kind 8, length 10, on any segment */
static void options_timestamps(struct kunit *test)
{
	static const u8 opt[] = { 1, 1, 8, 10, 0x01, 0x02, 0x03, 0x04,
				  0xfe, 0xdc, 0xba, 0x98 };
	struct mytcp_opts o;

	KUNIT_EXPECT_EQ(test, parse(opt, sizeof(opt), false, &o), 0);
	KUNIT_EXPECT_TRUE(test, o.ts_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 0x01020304U);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0xfedcba98U);
	KUNIT_EXPECT_EQ(test, parse(opt, sizeof(opt), true, &o), 0);
	KUNIT_EXPECT_TRUE(test, o.ts_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 0x01020304U);
}

/* A full Linux-style SYN option block, NOPs between options */
static const u8 syn_opts[] = {
	2, 4, 0xff, 0xd7,			/* MSS 65495 */
	4, 2,					/* SACK-permitted */
	8, 10, 0, 0, 0, 7, 0, 0, 0, 0,		/* TSval 7, TSecr 0 */
	1,					/* NOP */
	3, 3, 7,				/* wscale 7 */
};

static void options_syn_block(struct kunit *test)
{
	struct mytcp_opts o;

	KUNIT_EXPECT_EQ(test, parse(syn_opts, sizeof(syn_opts), true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 65495);
	KUNIT_EXPECT_TRUE(test, o.sack_ok);
	KUNIT_EXPECT_TRUE(test, o.ts_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 7U);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0U);
	KUNIT_EXPECT_TRUE(test, o.wscale_ok);
	KUNIT_EXPECT_EQ(test, o.wscale, 7);
}

/*
 * RFC 9293 section 3.7.1 and RFC 7323 section 2.2: MSS, window scale and
 * SACK-permitted mean something only on a SYN; elsewhere they are
 * ignored.  Timestamps are honoured on every segment.
 */
static void options_only_on_syn(struct kunit *test)
{
	struct mytcp_opts o;

	KUNIT_EXPECT_EQ(test, parse(syn_opts, sizeof(syn_opts), false, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
	KUNIT_EXPECT_FALSE(test, o.wscale_ok);
	KUNIT_EXPECT_EQ(test, o.wscale, 0);
	KUNIT_EXPECT_TRUE(test, o.ts_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 7U);
}

/* NOPs are skipped one byte at a time; EOL ends the list. */
static void options_nop_eol(struct kunit *test)
{
	static const u8 nops[] = { 1, 1, 1, 2, 4, 0x02, 0x18 };
	static const u8 eol[] = { 1, 0, 2, 4, 0x05, 0xb4, 0, 0 };
	static const u8 eol_then_junk[] = { 0, 2, 0, 0, 0xff };
	struct mytcp_opts o;

	KUNIT_EXPECT_EQ(test, parse(nops, sizeof(nops), true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
	/* nothing after EOL is looked at, not even malformed bytes */
	KUNIT_EXPECT_EQ(test, parse(eol, sizeof(eol), true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_EQ(test, parse(eol_then_junk, sizeof(eol_then_junk),
				    true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
}

/* An empty option list leaves every field zero (filled with junk first). */
static void options_empty(struct kunit *test)
{
	static const u8 only_nops[] = { 1, 1, 1, 1 };
	struct mytcp_opts o, zero;

	memset(&zero, 0, sizeof(zero));
	KUNIT_EXPECT_EQ(test, parse(only_nops, 0, true, &o), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&o, &zero, sizeof(o)), 0);
	KUNIT_EXPECT_EQ(test, parse(only_nops, sizeof(only_nops), true, &o), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&o, &zero, sizeof(o)), 0);
}

/* RFC 9293 section 3.2: an unknown kind is skipped by its length. */
static void options_unknown_skipped(struct kunit *test)
{
	static const u8 opt[] = { 30, 6, 0xde, 0xad, 0xbe, 0xef,
				  254, 2,
				  2, 4, 0x02, 0x18 };
	struct mytcp_opts o;

	KUNIT_EXPECT_EQ(test, parse(opt, sizeof(opt), true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
}

/* A length below 2 cannot be skipped over: the list is malformed. */
static void options_bad_length(struct kunit *test)
{
	static const u8 len0[] = { 30, 0, 1, 1 };
	static const u8 len1[] = { 30, 1, 1, 1 };
	static const u8 mss_len0[] = { 2, 0, 0, 0 };
	struct mytcp_opts o;

	KUNIT_EXPECT_EQ(test, parse(len0, sizeof(len0), true, &o), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse(len1, sizeof(len1), true, &o), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse(mss_len0, sizeof(mss_len0), true, &o),
			-EINVAL);
}

/* An option that runs past the end of the header is malformed. */
static void options_past_end(struct kunit *test)
{
	static const u8 mss_cut[] = { 1, 1, 2, 4, 0x05 };
	static const u8 unknown_long[] = { 30, 8, 0, 0 };
	static const u8 ts_cut[] = { 8, 10, 0, 0, 0, 1, 0, 0 };
	static const u8 kind_only[] = { 1, 1, 1, 30 };
	static const u8 exact[] = { 1, 1, 30, 6, 0, 0, 0, 0 };
	struct mytcp_opts o;

	KUNIT_EXPECT_EQ(test, parse(mss_cut, sizeof(mss_cut), true, &o),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, parse(unknown_long, sizeof(unknown_long), true,
				    &o), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse(ts_cut, sizeof(ts_cut), false, &o),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, parse(kind_only, sizeof(kind_only), true, &o),
			-EINVAL);
	/* the SYN block cut in its last option */
	KUNIT_EXPECT_EQ(test, parse(syn_opts, sizeof(syn_opts) - 1, true, &o),
			-EINVAL);
	/* an option ending exactly at the end of the header is fine */
	KUNIT_EXPECT_EQ(test, parse(exact, sizeof(exact), true, &o), 0);
}

/* What we write on a SYN parses back to what we meant, byte for byte. */
static void options_round_trip(struct kunit *test)
{
	static const u8 wire[] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 7 };
	struct mytcp_opts in = { .mss = 1460, .wscale = 7, .wscale_ok = true };
	struct mytcp_opts out;
	u8 buf[40];
	unsigned int n;

	memset(buf, 0xee, sizeof(buf));
	n = mytcp_write_syn_options(buf, &in);
	KUNIT_EXPECT_EQ(test, n, mytcp_syn_options_len(&in));
	KUNIT_EXPECT_EQ(test, n % 4, 0U);
	KUNIT_ASSERT_EQ(test, n, (unsigned int)sizeof(wire));
	KUNIT_EXPECT_EQ(test, memcmp(buf, wire, n), 0);
	KUNIT_EXPECT_EQ(test, buf[n], 0xee);	/* nothing written beyond */
	KUNIT_EXPECT_EQ(test, mytcp_parse_options(buf, n, true, &out), 0);
	KUNIT_EXPECT_EQ(test, out.mss, in.mss);
	KUNIT_EXPECT_TRUE(test, out.wscale_ok);
	KUNIT_EXPECT_EQ(test, out.wscale, in.wscale);
	KUNIT_EXPECT_FALSE(test, out.sack_ok);
	KUNIT_EXPECT_FALSE(test, out.ts_ok);

	/* without window scaling: the MSS alone, 4 bytes */
	in.wscale_ok = false;
	in.mss = 536;
	n = mytcp_write_syn_options(buf, &in);
	KUNIT_EXPECT_EQ(test, n, 4U);
	KUNIT_EXPECT_EQ(test, n, mytcp_syn_options_len(&in));
	KUNIT_EXPECT_EQ(test, mytcp_parse_options(buf, n, true, &out), 0);
	KUNIT_EXPECT_EQ(test, out.mss, 536);
	KUNIT_EXPECT_FALSE(test, out.wscale_ok);
}

/*
 * RFC 1071 written out: the one's complement of the one's complement sum
 * of 16-bit big-endian words, an odd last byte padded with zero; over the
 * RFC 9293 section 3.1 pseudo-header (source, destination, zero, PTCL,
 * TCP length) and the segment.  Returns the checksum in host order.
 */
static u16 rfc1071(const u8 *seg, unsigned int len, u32 saddr, u32 daddr,
		   u8 proto)
{
	u32 sum = 0;
	unsigned int i;

	sum += saddr >> 16;
	sum += saddr & 0xffff;
	sum += daddr >> 16;
	sum += daddr & 0xffff;
	sum += proto;
	sum += len;
	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)seg[i] << 8 | seg[i + 1];
	if (len & 1)
		sum += (u32)seg[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

#define SADDR	0xc0a80001	/* 192.168.0.1 */
#define DADDR	0x0a000002	/* 10.0.0.2 */

/* A segment with options and an odd-length payload, checksum zero. */
static unsigned int fill_segment(u8 *seg)
{
	static const char payload[] = "mytcp: protocol 253, odd length";
	struct tcphdr *th = (struct tcphdr *)seg;
	unsigned int len;

	memset(seg, 0, 28);
	th->source = htons(33333);
	th->dest = htons(7);
	th->seq = htonl(0xdeadbeef);
	th->ack_seq = htonl(0x01020304);
	th->doff = 7;
	th->ack = 1;
	th->psh = 1;
	th->window = htons(0xfaf0);
	seg[20] = 2;
	seg[21] = 4;
	seg[22] = 0x05;
	seg[23] = 0xb4;
	seg[24] = 1;
	seg[25] = 3;
	seg[26] = 3;
	seg[27] = 7;
	len = 28 + sizeof(payload) - 1;
	memcpy(seg + 28, payload, sizeof(payload) - 1);
	return len;
}

/* The checksum of a linear skb equals the independent sum, protocol 253. */
static void checksum_linear(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	u16 want, want_tcp;
	unsigned int len;
	__sum16 got;
	u8 *seg;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	seg = skb_put(skb, 28 + 64);
	len = fill_segment(seg);
	skb_trim(skb, len);
	KUNIT_EXPECT_EQ(test, len % 2, 1U);

	want = rfc1071(seg, len, SADDR, DADDR, IPPROTO_MYTCP);
	want_tcp = rfc1071(seg, len, SADDR, DADDR, IPPROTO_TCP);
	got = mytcp_checksum(skb, len, htonl(SADDR), htonl(DADDR));
	KUNIT_EXPECT_EQ(test, ntohs((__force __be16)got), want);
	/* the pseudo-header's protocol is 253, so TCP's sum differs */
	KUNIT_EXPECT_NE(test, want, want_tcp);
	KUNIT_EXPECT_NE(test, ntohs((__force __be16)got), want_tcp);

	/* with the checksum in place, the sum over the segment checks to 0 */
	((struct tcphdr *)seg)->check = got;
	KUNIT_EXPECT_EQ(test, rfc1071(seg, len, SADDR, DADDR, IPPROTO_MYTCP),
			0);
	KUNIT_EXPECT_EQ(test,
			(__force u16)mytcp_checksum(skb, len, htonl(SADDR),
						    htonl(DADDR)), 0);
	/* and a flipped bit is caught */
	seg[len - 1] ^= 0x10;
	KUNIT_EXPECT_NE(test,
			(__force u16)mytcp_checksum(skb, len, htonl(SADDR),
						    htonl(DADDR)), 0);
	kfree_skb(skb);
}

/* The same over an skb whose payload is in a page fragment. */
static void checksum_paged(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	u8 seg[128] __aligned(4);
	struct page *page;
	unsigned int len;
	u16 want;
	__sum16 got;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	page = alloc_page(GFP_KERNEL);
	if (!page) {
		kfree_skb(skb);
		KUNIT_FAIL(test, "no page");
		return;
	}
	len = fill_segment(seg);
	skb_put_data(skb, seg, 28);
	memcpy(page_address(page) + 100, seg + 28, len - 28);
	skb_add_rx_frag(skb, 0, page, 100, len - 28, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	KUNIT_EXPECT_TRUE(test, skb_is_nonlinear(skb));

	want = rfc1071(seg, len, SADDR, DADDR, IPPROTO_MYTCP);
	got = mytcp_checksum(skb, len, htonl(SADDR), htonl(DADDR));
	KUNIT_EXPECT_EQ(test, ntohs((__force __be16)got), want);
	kfree_skb(skb);
}

/*
 * The IPv6 checksum (RFC 8200 section 8.1): the pseudo-header is source,
 * destination, a 32-bit length, three zero octets and next header 253.
 * 0xa02b was computed outside the kernel (Python, RFC 1071 by hand) for
 * fill_segment()'s 59 octets from 2001:db8::1 to 2001:db8:0:1::2; TCP's
 * next header (6) would give 0xa122.
 */
static void checksum_ipv6(struct kunit *test)
{
	const struct in6_addr s6 = { { { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } } };
	const struct in6_addr d6 = {
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, [15] = 2 } } };
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct in6_addr s4, d4;
	unsigned int len;
	__sum16 got;
	u8 *seg;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	seg = skb_put(skb, 28 + 64);
	len = fill_segment(seg);
	skb_trim(skb, len);
	KUNIT_ASSERT_EQ(test, len, 59U);

	got = mytcp_checksum6(skb, len, &s6, &d6);
	KUNIT_EXPECT_EQ(test, ntohs((__force __be16)got), 0xa02b);
	KUNIT_EXPECT_EQ(test,
			(__force u16)mytcp_checksum_any(skb, len, &s6, &d6),
			(__force u16)got);
	/* in place, it checks to 0; another address or a flipped bit is caught */
	((struct tcphdr *)seg)->check = got;
	KUNIT_EXPECT_EQ(test, (__force u16)mytcp_checksum6(skb, len, &s6, &d6),
			0);
	KUNIT_EXPECT_NE(test, (__force u16)mytcp_checksum6(skb, len, &d6, &d6),
			0);
	seg[len - 1] ^= 0x10;
	KUNIT_EXPECT_NE(test, (__force u16)mytcp_checksum6(skb, len, &s6, &d6),
			0);
	seg[len - 1] ^= 0x10;
	((struct tcphdr *)seg)->check = 0;

	/* v4-mapped addresses take the IPv4 pseudo-header */
	ipv6_addr_set_v4mapped(htonl(SADDR), &s4);
	ipv6_addr_set_v4mapped(htonl(DADDR), &d4);
	KUNIT_EXPECT_EQ(test,
			(__force u16)mytcp_checksum_any(skb, len, &s4, &d4),
			(__force u16)mytcp_checksum(skb, len, htonl(SADDR),
						    htonl(DADDR)));
	kfree_skb(skb);
}

/* RFC 9293 section 3.4: SYN and FIN each occupy one sequence number. */
static void header_seg_len(struct kunit *test)
{
	struct seg_buf b;

	KUNIT_EXPECT_EQ(test, mytcp_seg_len(make_hdr(&b, 5, TCPHDR_SYN), 0),
			1U);
	KUNIT_EXPECT_EQ(test,
			mytcp_seg_len(make_hdr(&b, 5, TCPHDR_SYN | TCPHDR_ACK),
				      0), 1U);
	KUNIT_EXPECT_EQ(test,
			mytcp_seg_len(make_hdr(&b, 5, TCPHDR_FIN | TCPHDR_ACK),
				      10), 11U);
	KUNIT_EXPECT_EQ(test,
			mytcp_seg_len(make_hdr(&b, 5, TCPHDR_SYN | TCPHDR_FIN),
				      5), 7U);
	KUNIT_EXPECT_EQ(test, mytcp_seg_len(make_hdr(&b, 5, TCPHDR_ACK), 100),
			100U);
	KUNIT_EXPECT_EQ(test, mytcp_seg_len(make_hdr(&b, 5, TCPHDR_ACK), 0),
			0U);
	/* RST and PSH take no sequence number */
	KUNIT_EXPECT_EQ(test,
			mytcp_seg_len(make_hdr(&b, 5, TCPHDR_RST | TCPHDR_PSH |
					       TCPHDR_ACK), 3), 3U);
}

/* RFC 9293 3.7.1's default without the option, and the floor of 48. */
static void header_peer_mss(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_peer_mss(0), 536);
	KUNIT_EXPECT_EQ(test, mytcp_peer_mss(1), 48);
	KUNIT_EXPECT_EQ(test, mytcp_peer_mss(47), 48);
	KUNIT_EXPECT_EQ(test, mytcp_peer_mss(48), 48);
	KUNIT_EXPECT_EQ(test, mytcp_peer_mss(1460), 1460);
	KUNIT_EXPECT_EQ(test, mytcp_peer_mss(65535), 65535);
}

static struct kunit_case header_test_cases[] = {
	KUNIT_CASE(header_peer_mss),
	KUNIT_CASE(header_short),
	KUNIT_CASE(header_bad_doff),
	KUNIT_CASE(header_doff_past_len),
	KUNIT_CASE(header_bad_flags),
	KUNIT_CASE(header_ack_required),
	KUNIT_CASE(options_mss),
	KUNIT_CASE(options_wscale),
	KUNIT_CASE(options_sack_perm),
	KUNIT_CASE(options_timestamps),
	KUNIT_CASE(options_syn_block),
	KUNIT_CASE(options_only_on_syn),
	KUNIT_CASE(options_nop_eol),
	KUNIT_CASE(options_empty),
	KUNIT_CASE(options_unknown_skipped),
	KUNIT_CASE(options_bad_length),
	KUNIT_CASE(options_past_end),
	KUNIT_CASE(options_round_trip),
	KUNIT_CASE(checksum_linear),
	KUNIT_CASE(checksum_paged),
	KUNIT_CASE(checksum_ipv6),
	KUNIT_CASE(header_seg_len),
	{}
};

static struct kunit_suite header_test_suite = {
	.name = "mytcp_header",
	.test_cases = header_test_cases,
};

kunit_test_suite(header_test_suite);
