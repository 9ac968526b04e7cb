#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw tshark's decoding of mytcp segments as a two-column ladder.

Reads lines of tab-separated fields from tshark -T fields (time, src,
dst, flags as a hex number, raw seq, raw ack, payload length, window) and
prints each segment as an arrow between the client (left) and the server
(right), with the sequence numbers as they are on the wire.
"""
import argparse
import sys

FLAGS = [(0x02, "SYN"), (0x10, "ACK"), (0x01, "FIN"), (0x04, "RST"),
         (0x08, "PSH")]


def flag_names(bits):
    return ",".join(name for bit, name in FLAGS if bits & bit) or "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--client", required=True, help="client IPv4 address")
    args = ap.parse_args()
    print("  time   client%-53sserver" % "")
    isn = {}
    for line in sys.stdin:
        f = line.rstrip("\n").split("\t")
        if len(f) < 8 or not f[3]:
            continue
        t, src, _dst, flags, seq, ack, length, win = f[:8]
        bits = int(flags, 16)
        text = "%s seq=%s" % (flag_names(bits), seq)
        if bits & 0x10:
            text += " ack=%s" % ack
        text += " len=%s win=%s" % (length or 0, win)
        side = "client" if src == args.client else "server"
        other = "server" if side == "client" else "client"
        note = ""
        if bits & 0x02:
            isn[side] = int(seq)
            note = "ISN(%s)" % side
            if bits & 0x10 and other in isn and int(ack) == isn[other] + 1:
                note += ", ack = ISN(%s)+1" % other
        elif bits & 0x01:
            note = "FIN takes one sequence number"
        elif int(length or 0):
            note = "%s bytes of data" % length
        if side == "client":
            arrow = "--%s-->" % text.ljust(53, "-")
        else:
            arrow = "<--%s--" % text.rjust(53, "-")
        print("%6.3f  |%s|  %s" % (float(t), arrow, note), flush=True)


if __name__ == "__main__":
    main()
