// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp tool: stat, the counters of /proc/net/mytcp_stat ("Name value"
 * lines), or with --proto tcp the Tcp: lines of /proc/net/snmp (a line of
 * names, then a line of values), once or as changes per interval.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <uapi/linux/mytcp.h>

#include "mytcp.h"

#define MAX_COUNTERS	128

struct counters {
	int n;
	char name[MAX_COUNTERS][64];
	long long value[MAX_COUNTERS];
};

static const char stat_usage[] =
	"usage: mytcp stat [--delta SECONDS [--count N]] [--nonzero] [NAME...]\n"
	"\n"
	"Print the counters of this network namespace, /proc/net/mytcp_stat\n"
	"(or the Tcp: counters of /proc/net/snmp with --proto tcp), one\n"
	"\"Name value\" per line; with NAMEs, only those.\n"
	"\n"
	"  --delta SECONDS     every SECONDS (decimals allowed), print how much\n"
	"                      each counter changed since the last print\n"
	"  --count N           with --delta: stop after N intervals\n"
	"  --nonzero           leave out counters that are 0 (with --delta:\n"
	"                      those that did not change)\n"
	"  --file PATH         read PATH, a file in that layout\n"
	COMMON_USAGE;

enum { OPT_DELTA = OPT_CMD_BASE, OPT_COUNT, OPT_NONZERO, OPT_FILE };

static const struct option stat_options[] = {
	{ "delta", required_argument, NULL, OPT_DELTA },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "nonzero", no_argument, NULL, OPT_NONZERO },
	{ "file", required_argument, NULL, OPT_FILE },
	COMMON_OPTIONS,
};

static int add_counter(struct counters *c, const char *name, long long v)
{
	if (c->n == MAX_COUNTERS)
		return fail("more than %d counters", MAX_COUNTERS);
	snprintf(c->name[c->n], sizeof(c->name[0]), "%s", name);
	c->value[c->n++] = v;
	return RC_OK;
}

/* "Name value" lines (mytcp_stat) */
static int read_name_value(FILE *f, struct counters *c)
{
	char name[64];
	long long v;
	int rc;

	while ((rc = fscanf(f, "%63s %lld", name, &v)) == 2)
		if (add_counter(c, name, v))
			return RC_ERR;
	return rc == EOF ? RC_OK : fail("a line not \"Name value\"");
}

/* The "Tcp:" pair of lines of /proc/net/snmp */
static int read_snmp(FILE *f, struct counters *c)
{
	char *names = NULL, *line = NULL, *sn, *sv, *n, *v;
	size_t len = 0;
	int rc = RC_OK;

	while (getline(&line, &len, f) >= 0) {
		if (strncmp(line, "Tcp:", 4))
			continue;
		if (!names) {
			names = line;
			line = NULL;
			len = 0;
			continue;
		}
		n = strtok_r(names + 4, " \n", &sn);
		v = strtok_r(line + 4, " \n", &sv);
		for (; n && v && !rc; n = strtok_r(NULL, " \n", &sn),
				      v = strtok_r(NULL, " \n", &sv))
			rc = add_counter(c, n, strtoll(v, NULL, 10));
		break;
	}
	free(names);
	free(line);
	if (!rc && !c->n)
		rc = fail("no Tcp: counters");
	return rc;
}

static int read_counters(const char *path, struct counters *c)
{
	FILE *f = fopen(path, "r");
	int rc;

	c->n = 0;
	if (!f) {
		if (errno == ENOENT && opt_proto == IPPROTO_MYTCP)
			return fail("no %s: is the mytcp module loaded?", path);
		return syserr("open %s", path);
	}
	if (opt_proto == IPPROTO_MYTCP)
		rc = read_name_value(f, c);
	else
		rc = read_snmp(f, c);
	fclose(f);
	return rc;
}

static bool selected(const char *name, int nnames, char **names)
{
	int i;

	if (!nnames)
		return true;
	for (i = 0; i < nnames; i++)
		if (!strcasecmp(name, names[i]))
			return true;
	return false;
}

/* The counter called name in c, or -1 */
static int find(const struct counters *c, const char *name)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->name[i], name))
			return i;
	return -1;
}

int cmd_stat(int argc, char **argv)
{
	static struct counters cur, prev;
	uint64_t delta_ms = 0, count = 0, done = 0;
	bool nonzero = false, have_delta = false, have_count = false;
	const char *path = NULL;
	struct timespec next;
	int c, i, j, nnames;
	char **names;

	role = "stat";
	while ((c = getopt_long(argc, argv, "hq", stat_options, NULL)) != -1) {
		switch (c) {
		case OPT_DELTA:
			delta_ms = opt_ms("delta", optarg);
			have_delta = true;
			if (!delta_ms)
				return fail("--delta must be more than 0");
			break;
		case OPT_COUNT:
			count = opt_num("count", optarg, UINT64_MAX, false);
			have_count = true;
			break;
		case OPT_NONZERO:
			nonzero = true;
			break;
		case OPT_FILE:
			path = optarg;
			break;
		default:
			common_option(c, argv, stat_usage);
		}
	}
	if (have_count && !have_delta)
		return fail("--count needs --delta");
	names = argv + optind;
	nnames = argc - optind;
	if (!path)
		path = opt_proto == IPPROTO_MYTCP ? "/proc/net/mytcp_stat" :
						    "/proc/net/snmp";
	if (read_counters(path, &cur))
		return RC_ERR;
	for (i = 0; i < nnames; i++) {
		for (j = 0; j < cur.n; j++)
			if (!strcasecmp(cur.name[j], names[i]))
				break;
		if (j == cur.n)
			return fail("no counter '%s' in %s", names[i], path);
	}

	if (!have_delta) {
		for (i = 0; i < cur.n; i++)
			if (selected(cur.name[i], nnames, names) &&
			    (!nonzero || cur.value[i]))
				printf("%-24s %lld\n", cur.name[i], cur.value[i]);
		return RC_OK;
	}

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!have_count || done < count) {
		prev = cur;
		next.tv_sec += delta_ms / 1000;
		next.tv_nsec += (delta_ms % 1000) * 1000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
				       NULL) == EINTR)
			;
		if (read_counters(path, &cur))
			return RC_ERR;
		done++;
		printf("-- interval %llu: %llu.%03llu s --\n",
		       (unsigned long long)done,
		       (unsigned long long)(delta_ms / 1000),
		       (unsigned long long)(delta_ms % 1000));
		for (i = 0; i < cur.n; i++) {
			long long d;

			if (!selected(cur.name[i], nnames, names))
				continue;
			j = find(&prev, cur.name[i]);
			d = cur.value[i] - (j < 0 ? 0 : prev.value[j]);
			if (!nonzero || d)
				printf("%-24s %+lld\n", cur.name[i], d);
		}
		fflush(stdout);
	}
	return RC_OK;
}
