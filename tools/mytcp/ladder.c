// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp tool: the ladder diagram of `mytcp trace`, on the terminal and as
 * SVG.  A ladder has the client's lifeline on the left, the server's on
 * the right, one segment per arrow and each end's states beside its line:
 *
 *  [1]             client 10.0.1.2:43603       server 10.0.1.1:5000
 *  [1]    0.000000 SYN_SENT    |--SYN seq=4164026743 --------->|
 *  [1]    0.000050             |<--SYN|ACK seq=... ack=... ----| SYN_RECV
 *  [1]    0.000080 ESTABLISHED |--ACK seq=... ack=... -------->|
 *  [1]    0.000090             |                               | ESTABLISHED
 *
 * Columns: "[id]" (5), time in seconds (10), the client's state (11), the
 * lifeline "|", LADDER_MID characters of arrow, "|", the server's state.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "mytcp.h"
#include "ladder.h"

#define STATE_W		11	/* "ESTABLISHED" */
#define TIME_W		10
#define PREFIX_W	5	/* "[id] " */

static const struct {
	unsigned int bit;
	const char *name;
} flag_names[] = {
	{ 0x01, "FIN" }, { 0x02, "SYN" }, { 0x04, "RST" }, { 0x08, "PSH" },
	{ 0x10, "ACK" }, { 0x20, "URG" }, { 0x40, "ECE" }, { 0x80, "CWR" },
};

const char *fmt_endpoint(const struct endpoint *e, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(e->family, e->addr, ip, sizeof(ip));
	/* as the tracepoints print them: [fd00::1]:80 for IPv6 */
	if (e->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ip, e->port);
	else
		snprintf(buf, len, "%s:%u", ip, e->port);
	return buf;
}

const char *fmt_flags(unsigned int flags, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(flag_names) && n < len; i++)
		if (flags & flag_names[i].bit)
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
				      flag_names[i].name);
	if (!n)
		snprintf(buf, len, "none");
	return buf;
}

static void prefix(const struct conn *c)
{
	char id[16];

	snprintf(id, sizeof(id), "[%d]", c->id);
	printf("%-*s", PREFIX_W, id);
}

void ladder_header(const struct conn *c)
{
	char a[32], b[32], cl[48];

	fmt_endpoint(&c->end[CLIENT], a, sizeof(a));
	fmt_endpoint(&c->end[SERVER], b, sizeof(b));
	snprintf(cl, sizeof(cl), "client %s", a);
	prefix(c);
	/* client above its state column, server from its lifeline on */
	printf("%*s%-*s server %s%s\n", TIME_W + 1, "",
	       STATE_W + 2 + LADDER_MID - 1, cl, b,
	       c->midway ? "  (traced from mid-connection)" : "");
}

/* The middle of a row: an arrow, a note, or blanks */
static void middle(const struct row *r, char *mid, size_t size)
{
	char text[160];
	int n, w = LADDER_MID;

	if (r->arrow) {
		if (r->side == CLIENT) {
			n = snprintf(text, sizeof(text), "--%s ", r->text);
			while (n < w - 1 && n < (int)sizeof(text) - 2)
				text[n++] = '-';
			text[n++] = '>';
			text[n] = '\0';
		} else {
			n = snprintf(text, sizeof(text), "<--%s ", r->text);
			while (n < w && n < (int)sizeof(text) - 1)
				text[n++] = '-';
			text[n] = '\0';
		}
		snprintf(mid, size, "%s", text);
	} else if (r->note) {
		snprintf(text, sizeof(text), r->side == CLIENT ? " * %s" :
			 "%s * ", r->text);
		snprintf(mid, size, r->side == CLIENT ? "%-*s" : "%*s", w, text);
	} else {
		snprintf(mid, size, "%*s", w, "");
	}
}

void ladder_row(const struct conn *c, const struct row *r)
{
	char mid[200];

	middle(r, mid, sizeof(mid));
	prefix(c);
	printf("%*.6f %-*s |%s|%s%s\n", TIME_W, r->t, STATE_W,
	       r->state[CLIENT], mid, r->state[SERVER][0] ? " " : "",
	       r->state[SERVER]);
}

void ladder_footer(const struct conn *c)
{
	prefix(c);
	printf("%s\n", c->end_note);
}

void ladder_global(double t, const char *text)
{
	printf("%-*s%*.6f %s\n", PREFIX_W, "[-]", TIME_W, t, text);
}

/* ---- SVG ---- */

#define SVG_W		1000
#define SVG_XL		300	/* client lifeline */
#define SVG_XR		800	/* server lifeline */
#define SVG_ROW		26
#define SVG_HEAD	56
#define SVG_FOOT	40

/* text with &, < and > escaped */
static void svg_text(FILE *f, int x, int y, const char *anchor,
		     const char *attrs, const char *text)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\"%s%s>", x, y,
		anchor, attrs[0] ? " " : "", attrs);
	for (; *text; text++) {
		switch (*text) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		default:
			fputc(*text, f);
		}
	}
	fputs("</text>\n", f);
}

static const char *arrow_colour(unsigned int flags)
{
	if (flags & 0x04)
		return "#c00000";	/* RST */
	if (flags & 0x02)
		return "#007000";	/* SYN */
	if (flags & 0x01)
		return "#0000b0";	/* FIN */
	return "#000000";
}

static void svg_row(FILE *f, const struct row *r, int y)
{
	char t[32];
	int x1, x2, dir;

	snprintf(t, sizeof(t), "%.6f", r->t);
	svg_text(f, 10, y + 18, "start", "fill=\"#707070\"", t);
	if (r->state[CLIENT][0])
		svg_text(f, SVG_XL - 8, y + 18, "end", "font-weight=\"bold\"",
			 r->state[CLIENT]);
	if (r->state[SERVER][0])
		svg_text(f, SVG_XR + 8, y + 18, "start", "font-weight=\"bold\"",
			 r->state[SERVER]);
	if (r->arrow) {
		x1 = r->side == CLIENT ? SVG_XL : SVG_XR;
		x2 = r->side == CLIENT ? SVG_XR : SVG_XL;
		dir = r->side == CLIENT ? 1 : -1;
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"%s\" stroke-width=\"1.5\"%s/>\n", x1, y + 14,
			x2 - 2 * dir, y + 22, arrow_colour(r->flags),
			r->in_only ? " stroke-dasharray=\"5,3\"" : "");
		fprintf(f, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>\n",
			x2, y + 22, x2 - 10 * dir, y + 17, x2 - 10 * dir, y + 25,
			arrow_colour(r->flags));
		svg_text(f, (SVG_XL + SVG_XR) / 2, y + 11, "middle", "", r->text);
	} else if (r->note) {
		if (r->side == CLIENT)
			svg_text(f, SVG_XL + 10, y + 16, "start",
				 "fill=\"#c00000\"", r->text);
		else
			svg_text(f, SVG_XR - 10, y + 16, "end",
				 "fill=\"#c00000\"", r->text);
	}
}

int ladder_svg(const char *path, const struct conn *list)
{
	const struct conn *c;
	char a[32], b[32], title[96];
	int h = 20, y, top;
	size_t i;
	FILE *f;

	for (c = list; c; c = c->next)
		h += SVG_HEAD + (int)c->nrows * SVG_ROW + SVG_FOOT;
	if (!list)
		h += 40;
	f = fopen(path, "w");
	if (!f)
		return syserr("open %s", path);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\" "
		"font-size=\"12\">\n"
		"<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
		SVG_W, h, SVG_W, h, SVG_W, h);
	y = 20;
	if (!list)
		svg_text(f, 20, y + 14, "start", "", "no mytcp connection traced");
	for (c = list; c; c = c->next) {
		fmt_endpoint(&c->end[CLIENT], a, sizeof(a));
		fmt_endpoint(&c->end[SERVER], b, sizeof(b));
		snprintf(title, sizeof(title), "connection %d %s", c->id,
			 c->midway ? "(traced from mid-connection)" : "");
		svg_text(f, 10, y + 14, "start", "font-weight=\"bold\"", title);
		snprintf(title, sizeof(title), "client %s", a);
		svg_text(f, SVG_XL, y + 34, "middle", "font-weight=\"bold\"",
			 title);
		snprintf(title, sizeof(title), "server %s", b);
		svg_text(f, SVG_XR, y + 34, "middle", "font-weight=\"bold\"",
			 title);
		top = y + SVG_HEAD - 16;
		y += SVG_HEAD;
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#909090\" stroke-width=\"2\"/>\n"
			"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#909090\" stroke-width=\"2\"/>\n",
			SVG_XL, top, SVG_XL, y + (int)c->nrows * SVG_ROW + 4,
			SVG_XR, top, SVG_XR, y + (int)c->nrows * SVG_ROW + 4);
		for (i = 0; i < c->nrows; i++, y += SVG_ROW)
			svg_row(f, &c->rows[i], y);
		svg_text(f, 10, y + 24, "start", "fill=\"#404040\"",
			 c->end_note);
		y += SVG_FOOT;
	}
	fputs("</svg>\n", f);
	if (fclose(f) != 0)
		return syserr("write %s", path);
	return RC_OK;
}
