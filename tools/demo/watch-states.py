#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print every state change of the connections to or from one port.

Run inside a network namespace: reads /proc/net/mytcp (the layout of
/proc/net/tcp) every few milliseconds and prints a line when a connection
appears, changes state, or disappears (CLOSED).  Ends when the connections
it saw are all gone, or after --timeout seconds.
"""
import argparse
import socket
import struct
import sys
import time

STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
          5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
          9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING"}


def addr(hexaddr):
    ip, port = hexaddr.split(":")
    return "%s:%d" % (socket.inet_ntoa(struct.pack("<I", int(ip, 16))),
                      int(port, 16))


def snapshot(path, port):
    rows = {}
    with open(path) as f:
        next(f)
        for line in f:
            col = line.split()
            local, remote, st = col[1], col[2], int(col[3], 16)
            if st == 10:
                continue        # the listener is not a connection
            if int(local.split(":")[1], 16) != port and \
               int(remote.split(":")[1], 16) != port:
                continue
            rows[(addr(local), addr(remote))] = st
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--proc", default="/proc/net/mytcp")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--ready-file")
    ap.add_argument("--t0", type=float,
                    help="CLOCK_MONOTONIC origin shared by all watchers")
    args = ap.parse_args()

    t0 = args.t0 if args.t0 is not None else time.monotonic()
    seen, last = False, {}
    if args.ready_file:
        open(args.ready_file, "w").close()
    start = time.monotonic()
    while time.monotonic() - start < args.timeout:
        now = snapshot(args.proc, args.port)
        for key, st in now.items():
            if last.get(key) != st:
                print("%7.3f  %-6s %s -> %s  %s" % (
                    time.monotonic() - t0, args.name, key[0], key[1],
                    STATES.get(st, st)), flush=True)
        for key in last:
            if key not in now:
                print("%7.3f  %-6s %s -> %s  CLOSED" % (
                    time.monotonic() - t0, args.name, key[0], key[1]),
                    flush=True)
        seen = seen or bool(now)
        last = now
        if seen and not now:
            return 0
        time.sleep(0.005)
    print("%s: timed out with %d connection(s) left" % (args.name, len(last)),
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
