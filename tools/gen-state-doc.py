#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate Documentation/state-machine.md from mytcp/state.c.

    python3 tools/gen-state-doc.py > Documentation/state-machine.md
    python3 tools/gen-state-doc.py --check    # exit 1 if the file is stale

The script reads the C initializer of mytcp_next[][] (the transition table
the module consults), the state and event name arrays of mytcp/state.c and
the kernel-doc of enum mytcp_event in mytcp/state.h.  It writes a Markdown
page: the states, the events, the table (state x event) and a Graphviz dot
graph.  Python 3 standard library only; the output depends only on the two
source files, so running it twice gives the same bytes.
"""

import argparse
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
STATE_C = os.path.join(REPO, "mytcp", "state.c")
STATE_H = os.path.join(REPO, "mytcp", "state.h")
DOC = os.path.join(REPO, "Documentation", "state-machine.md")

# The kernel's TCP_* numbers (include/net/tcp_states.h).  mytcp keeps
# sk_state in them, so /proc/net/mytcp, ss and the tracepoints agree.
TCP_STATES = {
    "TCP_ESTABLISHED": 1, "TCP_SYN_SENT": 2, "TCP_SYN_RECV": 3,
    "TCP_FIN_WAIT1": 4, "TCP_FIN_WAIT2": 5, "TCP_TIME_WAIT": 6,
    "TCP_CLOSE": 7, "TCP_CLOSE_WAIT": 8, "TCP_LAST_ACK": 9,
    "TCP_LISTEN": 10, "TCP_CLOSING": 11,
}

# Rows in the order a connection meets them, not in numeric order.
ROW_ORDER = [
    "TCP_CLOSE", "TCP_LISTEN", "TCP_SYN_SENT", "TCP_SYN_RECV",
    "TCP_ESTABLISHED", "TCP_FIN_WAIT1", "TCP_FIN_WAIT2", "TCP_CLOSE_WAIT",
    "TCP_CLOSING", "TCP_LAST_ACK", "TCP_TIME_WAIT",
]

# RFC 9293 section 3.3.2 spells the states with hyphens.
RFC_NAMES = {
    "TCP_CLOSE": "CLOSED", "TCP_LISTEN": "LISTEN",
    "TCP_SYN_SENT": "SYN-SENT", "TCP_SYN_RECV": "SYN-RECEIVED",
    "TCP_ESTABLISHED": "ESTABLISHED", "TCP_FIN_WAIT1": "FIN-WAIT-1",
    "TCP_FIN_WAIT2": "FIN-WAIT-2", "TCP_CLOSE_WAIT": "CLOSE-WAIT",
    "TCP_CLOSING": "CLOSING", "TCP_LAST_ACK": "LAST-ACK",
    "TCP_TIME_WAIT": "TIME-WAIT",
}

# One line per state.  Written by hand: the C file has names, not meanings.
# The script refuses to run if state.c gains a state that has no line here.
STATE_PROSE = {
    "TCP_CLOSE":
        "No connection.  A new socket starts here; every connection ends "
        "here.  (The RFC's CLOSED is \"no TCB at all\"; a Linux socket in "
        "CLOSE still exists until it is released.)",
    "TCP_LISTEN":
        "A listener waits for SYNs.  Half-open connections are small "
        "request entries in its SYN queue, not sockets; completed ones wait "
        "in its accept queue.",
    "TCP_SYN_SENT":
        "connect() has sent our SYN and waits for the peer's SYN+ACK (or, "
        "in a simultaneous open, its SYN).",
    "TCP_SYN_RECV":
        "We have received a SYN and sent our own SYN (as SYN+ACK); we wait "
        "for the ACK of our SYN.  In mytcp a socket is in this state only "
        "after a simultaneous open; a listener's half-open connections are "
        "request entries shown as SYN_RECV rows in /proc/net/mytcp.",
    "TCP_ESTABLISHED":
        "Both SYNs are acknowledged; data flows both ways.",
    "TCP_FIN_WAIT1":
        "We closed first: our FIN is queued or sent and not yet "
        "acknowledged.  We can still receive.",
    "TCP_FIN_WAIT2":
        "Our FIN is acknowledged; we wait for the peer's FIN and can still "
        "receive data.  An orphaned socket (closed by its owner) waits only "
        "net.mytcp.fin_timeout_ms.",
    "TCP_CLOSE_WAIT":
        "The peer closed first: its FIN arrived, the reader sees end of "
        "file.  We can still send until our own user closes.",
    "TCP_CLOSING":
        "Simultaneous close: we sent our FIN and then received the peer's "
        "before our FIN was acknowledged.  We wait for that ACK.",
    "TCP_LAST_ACK":
        "The peer closed first and we have now sent our FIN too; we wait "
        "for its acknowledgment, then the connection is gone.",
    "TCP_TIME_WAIT":
        "We closed first and both FINs are acknowledged.  We wait 2*MSL "
        "(net.mytcp.time_wait_ms) to re-acknowledge a retransmitted FIN and "
        "let old segments die out.  Kept in a small entry, not the socket.",
}


def die(msg):
    sys.stderr.write("gen-state-doc: %s\n" % msg)
    sys.exit(1)


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        die("cannot read %s: %s" % (path, e))


def git_blob_id(text):
    """The id `git hash-object FILE` prints, to tell which state.c we read."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def strip_comments(src):
    src = re.sub(r"/\*.*?\*/", " ", src, flags=re.S)
    return re.sub(r"//[^\n]*", " ", src)


def braced(src, start):
    """The text between the brace at src[start] and its match."""
    if src[start] != "{":
        die("internal: no brace at offset %d" % start)
    depth = 0
    for i in range(start, len(src)):
        if src[i] == "{":
            depth += 1
        elif src[i] == "}":
            depth -= 1
            if depth == 0:
                return src[start + 1:i]
    die("unbalanced braces in state.c")
    return ""


def initializer(code, pattern, what):
    m = re.search(pattern, code)
    if not m:
        die("cannot find %s in mytcp/state.c" % what)
    return braced(code, code.index("{", m.end() - 1))


def parse_names(code, array, key_prefix):
    body = initializer(code, r"\b%s\s*\[[^\]]*\]\s*=\s*\{" % array, array)
    names = {}
    for key, val in re.findall(r"\[\s*(\w+)\s*\]\s*=\s*\"([^\"]*)\"", body):
        if key.startswith(key_prefix):
            names[key] = val
    if not names:
        die("no entries in %s" % array)
    return names


def parse_table(code):
    body = initializer(code, r"\bmytcp_next\s*\[[^\]]*\]\s*\[[^\]]*\]\s*=\s*\{",
                       "mytcp_next[][]")
    table = {}
    pos = 0
    row = re.compile(r"\[\s*(TCP_\w+)\s*\]\s*=\s*\{")
    while True:
        m = row.search(body, pos)
        if not m:
            break
        state = m.group(1)
        inner = braced(body, m.end() - 1)
        pos = m.end() - 1 + len(inner) + 2
        cells = {}
        for ev, nxt in re.findall(r"\[\s*(MYTCP_EV_\w+)\s*\]\s*=\s*(\w+)", inner):
            if ev in cells:
                die("%s: event %s given twice" % (state, ev))
            cells[ev] = nxt
        if state in table:
            die("state %s has two rows" % state)
        table[state] = cells
    if not table:
        die("mytcp_next[][] has no rows")
    return table


def parse_table_comments(raw):
    """The comment blocks inside and just before mytcp_next[][]."""
    m = re.search(r"(/\*(?:(?!\*/).)*\*/)\s*static\s+const\s+u8\s+mytcp_next",
                  raw, flags=re.S)
    notes = []
    if m:
        notes.append(m.group(1))
    t = re.search(r"static\s+const\s+u8\s+mytcp_next", raw)
    if t:
        body = braced(raw, raw.index("{", t.end()))
        notes += re.findall(r"/\*.*?\*/", body, flags=re.S)
    out = []
    for c in notes:
        lines = []
        for line in c.splitlines():
            line = line.strip()
            line = re.sub(r"^/\*+\s?", "", line)
            line = re.sub(r"\s*\*+/$", "", line)
            line = re.sub(r"^\*\s?", "", line)
            lines.append(line)
        text = " ".join(x for x in lines if x)
        out.append(re.sub(r"\s+", " ", text).strip())
    return out


def parse_events(header):
    m = re.search(r"enum\s+mytcp_event\s*\{", header)
    if not m:
        die("cannot find enum mytcp_event in mytcp/state.h")
    body = braced(header, header.index("{", m.start()))
    order = [e for e in re.findall(r"\b(MYTCP_EV_\w+)\b", strip_comments(body))
             if e != "MYTCP_EV_MAX"]
    docs = {}
    doc = re.search(r"/\*\*\s*\n\s*\*\s*enum mytcp_event.*?\*/", header, flags=re.S)
    if doc:
        current = None
        for line in doc.group(0).splitlines():
            line = re.sub(r"^\s*\*\s?", "", line).rstrip()
            mm = re.match(r"@(MYTCP_EV_\w+):\s*(.*)", line)
            if mm:
                current = mm.group(1)
                docs[current] = mm.group(2)
            elif current and line.startswith(("\t", " ")) and line.strip():
                docs[current] += " " + line.strip()
            else:
                current = None
    return order, docs


def md_escape(text):
    return text.replace("|", "\\|")


def generate():
    raw_c = read(STATE_C)
    raw_h = read(STATE_H)
    code = strip_comments(raw_c)

    state_names = parse_names(code, "mytcp_state_names", "TCP_")
    event_names = parse_names(code, "mytcp_event_names", "MYTCP_EV_")
    table = parse_table(code)
    events, event_docs = parse_events(raw_h)
    notes = parse_table_comments(raw_c)

    for s in table:
        if s not in TCP_STATES:
            die("unknown state %s in mytcp_next[][]" % s)
        for ev, nxt in table[s].items():
            if ev not in events:
                die("%s: event %s is not in enum mytcp_event" % (s, ev))
            if nxt not in TCP_STATES:
                die("%s/%s leads to unknown state %s" % (s, ev, nxt))
    for s in list(table) + [n for c in table.values() for n in c.values()]:
        if s not in STATE_PROSE:
            die("state %s has no line in STATE_PROSE: add one" % s)
        if s not in state_names:
            die("state %s has no name in mytcp_state_names[]" % s)
    for ev in events:
        if ev not in event_names:
            die("event %s has no name in mytcp_event_names[]" % ev)

    rows = [s for s in ROW_ORDER if s in table] + \
           sorted((s for s in table if s not in ROW_ORDER), key=TCP_STATES.get)
    name = state_names.get
    out = []
    w = out.append

    w("<!-- GENERATED FILE: do not edit by hand. -->")
    w("<!-- Source: mytcp/state.c (git blob %s) and mytcp/state.h. -->" %
      git_blob_id(raw_c))
    w("<!-- Regenerate: python3 tools/gen-state-doc.py > Documentation/state-machine.md -->")
    w("")
    w("# The mytcp state machine")
    w("")
    w("This page is generated by `tools/gen-state-doc.py` from the transition "
      "table `mytcp_next[][]` in `mytcp/state.c`. Do not edit it by hand: "
      "change `state.c` (or the prose in the script) and run")
    w("")
    w("```sh")
    w("python3 tools/gen-state-doc.py > Documentation/state-machine.md")
    w("python3 tools/gen-state-doc.py --check   # exits 1 when this page is stale")
    w("```")
    w("")
    w("The table is RFC 9293's state diagram (section 3.3.2) with "
      "the arcs its text adds in sections 3.10.4 and 3.10.7. Every state "
      "change the module makes through `mytcp_event()` (`mytcp/sock.c`) is "
      "looked up here, and the KUnit suite `mytcp_state` "
      "(`kunit/state_test.c`) checks every cell against an arc list written "
      "independently from the RFC. `Documentation/design.md` explains where "
      "the module sets a state without an event (entering LISTEN, a "
      "listener's new child) and how CLOSE and TIME_WAIT are reached.")
    w("")
    w("State names are the kernel's `TCP_*` names as `ss` and "
      "`/proc/net/mytcp` print them; the `st` column of `/proc/net/mytcp` "
      "shows the number in hex.")
    w("")

    w("## States")
    w("")
    w("| # | mytcp / Linux | RFC 9293 | meaning |")
    w("|---|---|---|---|")
    for s in rows:
        w("| %d | `%s` | %s | %s |" % (TCP_STATES[s], name(s), RFC_NAMES[s],
                                      md_escape(STATE_PROSE[s])))
    w("")

    w("## Events")
    w("")
    w("| event | name in tables | when |")
    w("|---|---|---|")
    for ev in events:
        w("| `%s` | %s | %s |" % (ev, event_names[ev],
                                 md_escape(event_docs.get(ev, ""))))
    w("")

    w("## Transition table")
    w("")
    w("Rows are the current state, columns the event; a cell is the next "
      "state. An empty cell (`·`) means the event has no meaning in that "
      "state: `mytcp_next_state()` returns `MYTCP_STATE_INVALID` and the "
      "state stays as it is.")
    w("")
    w("| state | " + " | ".join(event_names[e] for e in events) + " |")
    w("|---|" + "---|" * len(events))
    for s in rows:
        cells = []
        for ev in events:
            nxt = table[s].get(ev)
            cells.append(name(nxt) if nxt else "·")
        w("| **%s** | %s |" % (name(s), " | ".join(cells)))
    w("")

    w("## The same, state by state")
    w("")
    for s in rows:
        arcs = ["%s → %s" % (event_names[ev], name(table[s][ev]))
                for ev in events if ev in table[s]]
        w("- **%s**: %s." % (name(s), "; ".join(arcs) if arcs else "no events"))
    w("")

    if notes:
        w("## Notes from state.c")
        w("")
        w("The comments that accompany the table in `mytcp/state.c`:")
        w("")
        for n in notes:
            w("> " + n)
            w("")

    w("## Graph")
    w("")
    w("Arcs between the same two states are merged into one edge whose label "
      "lists the events. Render with `dot -Tsvg` (package graphviz).")
    w("")
    w("```dot")
    w("digraph mytcp_states {")
    w("\trankdir=TB;")
    w("\tnode [shape=box, fontname=\"Helvetica\"];")
    w("\tedge [fontname=\"Helvetica\", fontsize=10];")
    for s in rows:
        w("\t%s;" % name(s))
    for s in rows:
        merged = {}
        for ev in events:
            nxt = table[s].get(ev)
            if nxt:
                merged.setdefault(nxt, []).append(event_names[ev])
        for nxt in sorted(merged, key=lambda x: ROW_ORDER.index(x)
                          if x in ROW_ORDER else 99):
            w("\t%s -> %s [label=\"%s\"];" % (name(s), name(nxt),
                                            "\\n".join(merged[nxt])))
    w("}")
    w("```")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="compare with %s instead of printing; exit 1 if "
                    "they differ" % os.path.relpath(DOC, REPO))
    args = ap.parse_args()
    text = generate()
    if args.check:
        try:
            with open(DOC, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            sys.stderr.write("gen-state-doc: %s is stale; run: python3 "
                             "tools/gen-state-doc.py > %s\n" %
                             (os.path.relpath(DOC, REPO),
                              os.path.relpath(DOC, REPO)))
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
