#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""scale.py: 10 000 connections and 100 000 TIME_WAIT entries, mytcp and
TCP side by side, with the memory each takes and the lookup cost.

Usage (as root, in a VM with mytcp loaded; tools/bench/vm-scale.sh does it):
    scale.py HELPER [--conns N] [--tw N] [--tw-limit N] [--json FILE]

HELPER is the scale binary built from scale.c.  For each protocol, in a
fresh namespace over loopback:

  conns  N connected pairs, kept open.  Memory: the socket cache's object
         size (/sys/kernel/slab/NAME) and the growth of Slab in
         /proc/meminfo per pair (both sockets, their files and inodes).
         Lookup: the mean round trip of a 1-octet ping-pong on one more
         connection with and without the N there.
  tw     N + 1000 connections closed by the client first, with
         max_tw_buckets (tcp_max_tw_buckets) at N: N TIME_WAIT entries must
         stay and 1000 overflow (TWOverflow, TCPTimeWaitOverflow).  Memory
         per entry and the ping-pong as above.  TCP's TIME_WAIT lasts a
         fixed 60 s, mytcp's is set to 600 s: if TCP takes longer than a
         minute to make them, its count is what was left.

Only measures and checks: prints a table, and a "check" line per limit.
"""

import argparse
import json
import os
import subprocess
import sys
import time

PROTOS = (("mytcp", 253), ("tcp", 6))
CACHES = {"mytcp": ("MYTCP", "mytcp_tw"), "tcp": ("TCP", "tw_sock_TCP")}
EXTRA = 1000


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sh(*args, check=True):
    return subprocess.run(args, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          timeout=120).stdout


def slab_kib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("Slab:"):
                return int(line.split()[1])
    raise RuntimeError("no Slab in /proc/meminfo")


def object_size(cache):
    """(object_size, slab_size) of a cache, or (None, None)."""
    base = "/sys/kernel/slab/%s" % cache
    try:
        with open(base + "/object_size") as f:
            obj = int(f.read())
        with open(base + "/slab_size") as f:
            return obj, int(f.read())
    except OSError:
        return None, None


def in_ns(ns, path, value):
    sh("ip", "netns", "exec", ns, "sh", "-c", "echo %s > %s" % (value, path))


def ns_read(ns, path):
    return sh("ip", "netns", "exec", ns, "cat", path).strip()


def counters(ns, name):
    if name == "mytcp":
        out = {}
        for line in ns_read(ns, "/proc/net/mytcp_stat").splitlines():
            k, v = line.split()
            out[k] = int(v)
        return out
    lines = ns_read(ns, "/proc/net/netstat").splitlines()
    out = {}
    for keys, vals in zip(lines[0::2], lines[1::2]):
        out.update(zip(keys.split()[1:], map(int, vals.split()[1:])))
    return out


def tw_rows(ns, name):
    table = "/proc/net/mytcp" if name == "mytcp" else "/proc/net/tcp"
    return sum(1 for line in ns_read(ns, table).splitlines()[1:]
               if line.split()[3] == "06")


def fresh_ns(ns):
    sh("ip", "netns", "del", ns, check=False)
    sh("ip", "netns", "add", ns)
    sh("ip", "-n", ns, "link", "set", "lo", "up")


def drive(ns, helper, proto, args, at_ready):
    """Run the helper; at each "ready" line call at_ready(what, n, secs)
    and let it go on.  Returns {label: rr_us}."""
    p = subprocess.Popen(["ip", "netns", "exec", ns, "timeout", "600",
                          helper, str(proto)] + args,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True)
    rr = {}
    for line in p.stdout:
        f = line.split()
        if f[0] == "rr_us":
            rr[f[1]] = float(f[2])
        elif f[0] == "ready":
            at_ready(f[1], int(f[2]), float(f[3]))
            p.stdin.write("go\n")
            p.stdin.flush()
    if p.wait() != 0:
        raise RuntimeError("helper exited %d" % p.returncode)
    return rr


def run_conns(helper, name, proto, n):
    ns = "scale-" + name
    fresh_ns(ns)
    res = {}
    before = slab_kib()

    def at_ready(what, count, secs):
        if what == "conns":
            res["open_s"] = secs
            res["slab_kib"] = slab_kib() - before
    rr = drive(ns, helper, proto, ["conns", str(n)], at_ready)
    sh("ip", "netns", "del", ns, check=False)
    obj, slab = object_size(CACHES[name][0])
    res.update(n=n, rr=rr, sock_object=obj, sock_slab=slab,
               bytes_per_pair=res["slab_kib"] * 1024 / n)
    return res


def run_tw(helper, name, proto, n):
    ns = "scale-" + name
    fresh_ns(ns)
    if name == "mytcp":
        in_ns(ns, "/proc/sys/net/mytcp/time_wait_ms", 600000)
        in_ns(ns, "/proc/sys/net/mytcp/max_tw_buckets", n)
        over_key = "TWOverflow"
    else:
        in_ns(ns, "/proc/sys/net/ipv4/tcp_max_tw_buckets", n)
        over_key = "TCPTimeWaitOverflow"
    res = {}
    over0 = counters(ns, name).get(over_key, 0)
    before = slab_kib()

    def at_ready(what, count, secs):
        if what == "tw":
            res["open_s"] = secs
            res["slab_kib"] = slab_kib() - before
            res["entries"] = tw_rows(ns, name)
            res["overflow"] = counters(ns, name).get(over_key, 0) - over0
    rr = drive(ns, helper, proto, ["tw", str(n + EXTRA)], at_ready)
    sh("ip", "netns", "del", ns, check=False)
    obj, slab = object_size(CACHES[name][1])
    res.update(n=n, rr=rr, tw_object=obj, tw_slab=slab,
               bytes_per_entry=res["slab_kib"] * 1024 / max(res["entries"], 1))
    return res


def fmt(v, spec="%.0f"):
    return "n/a" if v is None else spec % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("helper")
    ap.add_argument("--conns", type=int, default=10000)
    ap.add_argument("--tw", type=int, default=100000)
    ap.add_argument("--json")
    args = ap.parse_args()

    buckets = open("/sys/module/mytcp/parameters/hash_buckets").read().strip()
    out = {"uname": os.uname().release, "mytcp_hash_buckets": int(buckets),
           "mem_kib": os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
           // 1024, "conns": {}, "tw": {}}
    for name, proto in PROTOS:
        log("scale: %s, %d connections" % (name, args.conns))
        t = time.monotonic()
        out["conns"][name] = run_conns(args.helper, name, proto, args.conns)
        log("scale: %s done in %.0f s" % (name, time.monotonic() - t))
    for name, proto in PROTOS:
        log("scale: %s, %d TIME_WAIT entries (+%d over the limit)"
            % (name, args.tw, EXTRA))
        t = time.monotonic()
        out["tw"][name] = run_tw(args.helper, name, proto, args.tw)
        log("scale: %s done in %.0f s" % (name, time.monotonic() - t))

    c, w = out["conns"], out["tw"]
    print("%d connections (pairs over loopback), mytcp hash %s buckets, "
          "guest RAM %d MiB" % (args.conns, buckets, out["mem_kib"] // 1024))
    print("%-34s %12s %12s" % ("", "mytcp", "tcp"))
    for label, key, spec in (
            ("time to open them, s", "open_s", "%.1f"),
            ("socket object size, bytes", "sock_object", "%.0f"),
            ("socket slab slot, bytes", "sock_slab", "%.0f"),
            ("Slab growth per pair, bytes", "bytes_per_pair", "%.0f")):
        print("%-34s %12s %12s" % (label, fmt(c["mytcp"][key], spec),
                                   fmt(c["tcp"][key], spec)))
    for label, which in (("ping-pong RTT, none open, us *", "base"),
                         ("ping-pong RTT, all open, us *", "with")):
        print("%-34s %12s %12s" % (label, fmt(c["mytcp"]["rr"].get(which),
                                              "%.1f"),
                                   fmt(c["tcp"]["rr"].get(which), "%.1f")))
    print()
    print("%d TIME_WAIT entries (limit %d, %d more closes)"
          % (args.tw, args.tw, EXTRA))
    print("%-34s %12s %12s" % ("", "mytcp", "tcp"))
    for label, key, spec in (
            ("time to make them, s", "open_s", "%.1f"),
            ("entries in /proc", "entries", "%.0f"),
            ("overflow counted", "overflow", "%.0f"),
            ("entry object size, bytes", "tw_object", "%.0f"),
            ("entry slab slot, bytes", "tw_slab", "%.0f"),
            ("Slab growth per entry, bytes", "bytes_per_entry", "%.0f")):
        print("%-34s %12s %12s" % (label, fmt(w["mytcp"][key], spec),
                                   fmt(w["tcp"][key], spec)))
    for label, which in (("ping-pong RTT, no entries, us *", "base"),
                         ("ping-pong RTT, all entries, us *", "with")):
        print("%-34s %12s %12s" % (label, fmt(w["mytcp"]["rr"].get(which),
                                              "%.1f"),
                                   fmt(w["tcp"]["rr"].get(which), "%.1f")))
    ok = True
    for name in ("mytcp", "tcp"):
        r = w[name]
        good = r["entries"] == args.tw and r["overflow"] == EXTRA
        verdict = "ok" if good else "FAIL"
        if name == "tcp" and r["open_s"] > 60:
            # TCP's 60 s TIME_WAIT ended the first ones before the last
            verdict = "n/a (made in %.0f s: the first expired)" % r["open_s"]
        elif name == "tcp":
            verdict += " (TCP, not counted)"
        else:
            ok &= good
        print("check: %s max_tw_buckets: %d entries, %d overflow: %s"
              % (name, r["entries"], r["overflow"], verdict))
    print("* best of 10 batches of 200 round trips, 1 octet each way, one "
          "thread")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
