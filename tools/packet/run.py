#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the mytcp packet-level conformance cases and print TAP.

Usage (inside the test VM, as root; tools/packet/vm-packettest.sh boots
one):  python3 tools/packet/run.py [-k SUBSTRING]... [-v] [--list]

Every case runs in a forked child with a network namespace of its own
(harness.setup_netns), under its own time limit; the child's sockets and
tun fd go with it.  Output is TAP ("ok N - name", "not ok N - name #
reason", a trace of the segments as comments for failures), and the last
line is "N passed, N failed".  Exit status 0 iff no case failed.
"""

import argparse
import json
import os
import select
import signal
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness                                      # noqa: E402
import cases_open                                   # noqa: E402,F401
import cases_data                                   # noqa: E402,F401
import cases_close                                  # noqa: E402,F401
import cases_header                                 # noqa: E402,F401
import cases_icmp                                   # noqa: E402,F401
import cases_memory                                 # noqa: E402,F401
import cases_ack                                    # noqa: E402,F401
import cases_tstamp                                 # noqa: E402,F401


def ensure_module():
    """Load mytcp (and tun) if they are not: only inside the VM
    (MYTCP_VM=1), mytcp from the MYTCP_KO that tools/vm/run-vm.sh exports.
    Never on a host."""
    in_vm = os.environ.get("MYTCP_VM") == "1"
    if in_vm and not os.path.exists("/dev/net/tun"):
        subprocess.run(["modprobe", "tun"], check=False)
    if not os.path.exists("/dev/net/tun"):
        print("Bail out! no /dev/net/tun")
        return False
    if os.path.isdir("/proc/sys/net/mytcp"):
        return True
    ko = os.environ.get("MYTCP_KO")
    if not in_vm or not ko:
        print("Bail out! mytcp is not loaded (run tools/packet/"
              "vm-packettest.sh: the cases run in a VM)")
        return False
    res = subprocess.run(["insmod", ko], capture_output=True, text=True)
    if res.returncode and "File exists" not in res.stderr:
        print("Bail out! insmod %s: %s" % (ko, res.stderr.strip()))
        return False
    return os.path.isdir("/proc/sys/net/mytcp")


def child(case, wfd):
    """In the forked child: run @case, report a JSON line on @wfd."""
    try:
        ok, reason, log = harness.run_case(case)
    except Exception:                                # noqa: BLE001
        ok, reason = False, "error: " + traceback.format_exc().strip(
            ).splitlines()[-1]
        log = traceback.format_exc().splitlines()
    msg = json.dumps({"ok": ok, "reason": reason, "log": log[-60:]})
    os.write(wfd, msg.encode())
    os.close(wfd)
    os._exit(0)


def run_one(case):
    """Fork, run, wait up to the case's timeout: (ok, reason, log)."""
    rfd, wfd = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        child(case, wfd)
    os.close(wfd)
    # the debug kernel's slowdown (tools/vm/run-vm.sh), as for the selftests
    timeout = case.timeout * max(1, int(os.environ.get("MYTCP_VM_SLOWDOWN", "1") or "1"))
    deadline = time.monotonic() + timeout
    data = b""
    timed_out = False
    while True:
        remain = deadline - time.monotonic()
        if remain <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([rfd], [], [], remain)
        if not ready:
            continue
        chunk = os.read(rfd, 1 << 20)
        if not chunk:
            break
        data += chunk
    os.close(rfd)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return False, "timeout: no verdict within %d s" % timeout, []
    try:
        res = json.loads(data.decode())
    except ValueError:
        return False, "error: the case died (wait status %d)" % status, []
    return res["ok"], res["reason"], res["log"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", action="append", default=[],
                    help="run only cases whose name contains this")
    ap.add_argument("-v", action="store_true",
                    help="print the segment trace of passing cases too")
    ap.add_argument("--list", action="store_true",
                    help="list the cases and exit")
    args = ap.parse_args()

    cases = [c for c in harness.CASES
             if not args.k or any(k in c.name for k in args.k)]
    if args.list:
        for c in cases:
            print("%-48s %s" % (c.name, c.rfc))
        print("%d cases" % len(cases))
        return 0
    if not ensure_module():
        print("0 passed, 1 failed")
        return 1

    print("TAP version 13")
    print("1..%d" % len(cases))
    passed = failed = 0
    start = time.monotonic()
    for n, c in enumerate(cases, 1):
        t = time.monotonic()
        ok, reason, log = run_one(c)
        took = time.monotonic() - t
        if ok:
            passed += 1
            print("ok %d - %s" % (n, c.title))
        else:
            failed += 1
            print("not ok %d - %s # %s" % (n, c.title,
                                            reason.replace("\n", " ")))
        if not ok or args.v:
            doc = c.doc.splitlines()[0] if c.doc else ""
            print("#   %s (%.1f s)" % (doc, took))
            for line in log:
                print("#   " + line)
        sys.stdout.flush()
    print("# %d cases in %.0f s" % (len(cases), time.monotonic() - start))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
