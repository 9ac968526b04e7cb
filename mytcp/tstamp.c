// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: RFC 7323 timestamps (TSopt): TSval and TSecr on every segment of
 * a connection that negotiated them, PAWS (section 5) and RTTM (section 4).
 *
 * The first half is pure arithmetic (kunit/tstamp_test.c); the second is
 * what the receive and send paths call, so that input.c and output.c only
 * ask.  Negotiation itself is in the SYN paths (listen.c, input.c's
 * mytcp_rcv_synsent(), output.c), as for window scaling.
 */

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/timekeeping.h>

#include "protocol.h"
#include "tstamp.h"

/**
 * mytcp_ts_clock - a TSval: a millisecond clock plus an offset
 * @now_us: the clock, in microseconds (mytcp_clock_us())
 * @offset: the connection's offset (RFC 7323 section 5.4: random per
 *	connection, so a TSval says nothing of the host's uptime or of its
 *	other connections)
 *
 * RFC 7323 section 5.4: the clock must tick between 1 ms and 1 s; 1 ms.
 * The sum wraps modulo 2^32, as the clock itself does after 49 days.
 *
 * Return: the TSval.
 */
u32 mytcp_ts_clock(u64 now_us, u32 offset)
{
	return (u32)div_u64(now_us, USEC_PER_MSEC) + offset;
}

/**
 * mytcp_ts_before - is timestamp @a older than @b?
 * @a: a timestamp
 * @b: another
 *
 * RFC 7323 section 5.2: timestamps are compared as sequence numbers are,
 * modulo 2^32, a being older when (a - b) is negative as a signed 32-bit
 * number.
 *
 * Return: true when @a < @b in that sense.
 */
bool mytcp_ts_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/**
 * mytcp_ts_recent_valid - does TS.Recent still hold?
 * @set: TS.Recent was ever set on this connection
 * @stamp_s: when it was last set, in seconds
 * @now_s: now, in seconds, of the same clock
 *
 * RFC 7323 section 5.5: a connection idle for more than 24 days may see
 * the peer's clock wrap past half of its space, so a TS.Recent that old
 * is invalidated and the next segment is accepted whatever its TSval.
 *
 * Return: true while TS.Recent may be used for the PAWS test.
 */
bool mytcp_ts_recent_valid(bool set, u32 stamp_s, u32 now_s)
{
	return set && now_s - stamp_s <= MYTCP_PAWS_IDLE_SECS;
}

/**
 * mytcp_paws_reject - the PAWS test of RFC 7323 section 5.3, R1
 * @tsval: SEG.TSval
 * @ts_recent: TS.Recent
 * @recent_valid: mytcp_ts_recent_valid()
 *
 * "If there is a Timestamps option in the arriving segment, SEG.TSval <
 * TS.Recent, TS.Recent is valid, and the RST bit is not set, then treat
 * the arriving segment as not acceptable."  The caller checks for the
 * option and the RST.
 *
 * Return: true when the segment is an old duplicate and must be dropped.
 */
bool mytcp_paws_reject(u32 tsval, u32 ts_recent, bool recent_valid)
{
	return recent_valid && mytcp_ts_before(tsval, ts_recent);
}

/**
 * mytcp_ts_recent_update_ok - may a segment's TSval become TS.Recent?
 * @seg_seq: SEG.SEQ
 * @last_ack_sent: Last.ACK.sent (RCV.NXT when we last advertised: rcv_wup)
 * @tsval: SEG.TSval
 * @ts_recent: TS.Recent
 * @recent_valid: mytcp_ts_recent_valid()
 *
 * RFC 7323 section 4.3, (2): "If SEG.TSval >= TS.Recent and SEG.SEQ <=
 * Last.ACK.sent, then SEG.TSval is copied to TS.Recent".  So the TSval of
 * the segment that last advanced the left edge is echoed, and a delayed
 * ACK echoes the earliest unacknowledged segment: the peer's RTT then
 * includes our delay, as it should.  An invalid TS.Recent (24 days, or
 * never set) takes any TSval.
 *
 * Return: true when TS.Recent should become @tsval.
 */
bool mytcp_ts_recent_update_ok(u32 seg_seq, u32 last_ack_sent, u32 tsval,
			       u32 ts_recent, bool recent_valid)
{
	if ((s32)(seg_seq - last_ack_sent) > 0)
		return false;
	return !recent_valid || !mytcp_ts_before(tsval, ts_recent);
}

/**
 * mytcp_ts_rtt_ms - a round-trip time from an echoed TSval (RTTM)
 * @now_tsval: what our TSval clock reads now
 * @tsecr: SEG.TSecr, one of our TSvals echoed
 *
 * RFC 7323 section 4.1: RTT = now - TSecr, in our clock's units.  A TSecr
 * ahead of our clock was not one of ours (a bogus or corrupted option):
 * no measurement.
 *
 * Return: milliseconds, or -1.
 */
s64 mytcp_ts_rtt_ms(u32 now_tsval, u32 tsecr)
{
	s32 delta = (s32)(now_tsval - tsecr);

	return delta >= 0 ? delta : -1;
}

/**
 * mytcp_ts_now_s - the seconds clock of the 24-day rule
 *
 * Return: seconds since boot, as u32 (wrapping after 136 years).
 */
u32 mytcp_ts_now_s(void)
{
	return (u32)ktime_get_seconds();
}

/**
 * mytcp_ts_hdr_len - option octets every segment of a connection carries
 * @sk: the socket
 *
 * Return: MYTCP_TS_OPT_LEN when timestamps were negotiated (the MSS we
 * send shrinks by as much: RFC 7323 section 3.2 and RFC 6691), else 0.
 */
unsigned int mytcp_ts_hdr_len(const struct sock *sk)
{
	return mytcp_sk(sk)->ts_ok ? MYTCP_TS_OPT_LEN : 0;
}

/**
 * mytcp_ts_opts_set - the TSopt of a segment, from its sender's numbers
 * @opts: the options of the segment; its ts fields are set
 * @offset: the sender's TSval offset (mytcp_ts_offset())
 * @tsecr: what it echoes: TS.Recent, or 0 when there is none yet
 *
 * RFC 7323 section 3.2: TSval is our millisecond clock plus the offset.
 * One place for a socket (mytcp_ts_fill()), a request and a TIME_WAIT
 * entry.
 */
void mytcp_ts_opts_set(struct mytcp_opts *opts, u32 offset, u32 tsecr)
{
	opts->ts_ok = true;
	opts->tsval = mytcp_ts_clock(mytcp_clock_us(), offset);
	opts->tsecr = tsecr;
}

/**
 * mytcp_ts_fill - put our TSopt in a segment's options
 * @sk: the socket, locked, with timestamps offered or negotiated
 * @opts: the options of the segment; its ts fields are set
 *
 * RFC 7323 section 3.2: TSval is our clock; TSecr is TS.Recent (section
 * 4.3, (3)), or 0 on a SYN that has nothing to echo yet.
 */
void mytcp_ts_fill(struct sock *sk, struct mytcp_opts *opts)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_ts_opts_set(opts, msk->ts_offset,
			  msk->ts_recent_set ? msk->ts_recent : 0);
	WRITE_ONCE(msk->ts_last_sent, opts->tsval);
}

/**
 * mytcp_ts_set_recent - TS.Recent takes a TSval
 * @sk: the socket, locked
 * @tsval: the TSval
 */
void mytcp_ts_set_recent(struct sock *sk, u32 tsval)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	WRITE_ONCE(msk->ts_recent, tsval);
	msk->ts_recent_stamp = mytcp_ts_now_s();
	msk->ts_recent_set = 1;
}

static bool mytcp_ts_valid_now(const struct mytcp_sock *msk)
{
	return mytcp_ts_recent_valid(msk->ts_recent_set, msk->ts_recent_stamp,
				     mytcp_ts_now_s());
}

/**
 * mytcp_paws_drop - RFC 7323 section 5.3, R1: drop an old duplicate
 * @sk: the socket, locked, in a synchronized state
 * @skb: the segment, before the sequence number check
 * @seg_len: its SEG.LEN
 *
 * A segment with a TSopt whose TSval is older than a valid TS.Recent is
 * not acceptable: it is counted in PAWSEstabRejected and answered with an
 * ACK, rate-limited as for any unacceptable segment (mytcp_send_dupack()).
 * A RST is never PAWS-checked (section 5.3: a RST may be sent by a TCP
 * that lost the connection's state, and its TSval may be anything).  A
 * TSopt on a connection that did not negotiate timestamps is ignored
 * (section 3.2); a segment without one on a connection that did is
 * accepted, as Linux does (section 3.2 allows it: "SHOULD silently drop").
 *
 * Return: true when the segment was dropped (the caller frees it).
 */
bool mytcp_paws_drop(struct sock *sk, struct sk_buff *skb, u32 seg_len)
{
	const struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (!msk->ts_ok || !cb->opts.ts_ok || (cb->flags & TCPHDR_RST))
		return false;
	if (!mytcp_paws_reject(cb->opts.tsval, msk->ts_recent,
			       mytcp_ts_valid_now(msk)))
		return false;
	mytcp_drop(sock_net(sk), skb, MYTCP_MIB_PAWS_ESTAB_REJECTED);
	mytcp_send_dupack(sk, seg_len);
	return true;
}

/**
 * mytcp_ts_note_recent - RFC 7323 section 4.3: TS.Recent after a segment
 * @sk: the socket, locked
 * @skb: a segment found acceptable (sequence number and ACK checks)
 *
 * Our rcv_wup (RCV.NXT when the window was last advertised, so the ACK
 * field of our last segment) is Last.ACK.sent.  A TS.Recent invalidated by
 * the 24-day rule takes the segment's TSval whatever it is.
 */
void mytcp_ts_note_recent(struct sock *sk, const struct sk_buff *skb)
{
	const struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (!msk->ts_ok || !cb->opts.ts_ok)
		return;
	if (mytcp_ts_recent_update_ok(cb->seq, msk->rcv_wup, cb->opts.tsval,
				      msk->ts_recent, mytcp_ts_valid_now(msk)))
		mytcp_ts_set_recent(sk, cb->opts.tsval);
}

/**
 * mytcp_ts_rtt_us - an RTT measurement from the TSecr of an ACK (RTTM)
 * @sk: the socket, locked
 * @opts: the options of the ACK that acknowledged new data
 *
 * RFC 7323 section 4: TSecr names the transmission the ACK answers, so it
 * measures even where Karn's rule forbids timing a retransmitted segment.
 * The caller asks only where Karn's rule left no measurement: with a 1 ms
 * clock the result is in whole milliseconds, 0 on a loopback path.  A
 * TSecr of 0 is treated as "nothing echoed" (our SYN's TSecr, a peer that
 * does not echo), as Linux does.
 *
 * Return: microseconds, or -1 for no measurement.
 */
s64 mytcp_ts_rtt_us(const struct sock *sk, const struct mytcp_opts *opts)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	s64 ms;

	if (!msk->ts_ok || !opts || !opts->ts_ok || !opts->tsecr)
		return -1;
	ms = mytcp_ts_rtt_ms(mytcp_ts_clock(mytcp_clock_us(), msk->ts_offset),
			     opts->tsecr);
	return ms < 0 ? -1 : ms * USEC_PER_MSEC;
}
