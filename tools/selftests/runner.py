# SPDX-License-Identifier: GPL-2.0
"""TAP runner for the mytcp selftests (use run.sh).

Runs every tools/selftests/test_*.py once per protocol and family as a child
process: over IPv4, then over IPv6 (tests named "...[v6]"), unless the
file names its own (FAMILIES = ("v4",)) or --family asks for one.
--runs names the runs instead (tcp-v4,mytcp-v6: make check splits them
between two kernels), and --once runs a file once per protocol, in the
first family of those runs that it supports.
A child reports "@@ start NAME TIMEOUT" and "@@ ok|fail|skip NAME REASON"
lines on stdout; anything else it prints becomes a TAP comment.  A test that
does not finish within its timeout plus a grace period (the in-process
SIGALRM did not help: a stuck system call, a hung child) has its process
killed: it is reported "not ok ... # killed" and the file resumes after it.

Output: TAP ("ok N - name [proto]", "not ok N - name [proto] # reason"),
the plan, and a last line "N passed, N failed" (skips count as passed).
Exit status 0 only if nothing failed.
"""

import argparse
import glob
import os
import re
import select
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GRACE = 20          # s beyond a test's own timeout before its process is killed
START_LIMIT = 60    # s for a child to start its first test
# the debug kernel's slowdown (lib.SLOWDOWN; test timeouts come scaled)
START_LIMIT *= max(1, int(os.environ.get("MYTCP_VM_SLOWDOWN", "1") or "1"))


class Runner:
    def __init__(self):
        self.n = 0
        self.passed = 0
        self.failed = 0
        self.slow = []

    def emit(self, line):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def result(self, kind, name, proto, reason):
        self.n += 1
        label = "%s [%s]" % (name, proto)
        if kind == "ok":
            self.passed += 1
            self.emit("ok %d - %s" % (self.n, label))
            try:
                secs = float(reason)
            except ValueError:
                secs = 0.0
            if secs >= 5:
                self.slow.append((secs, label))
        elif kind == "skip":
            self.passed += 1
            self.emit("ok %d - %s # SKIP %s" % (self.n, label, reason))
        else:
            self.failed += 1
            self.emit("not ok %d - %s # %s" % (self.n, label, reason or "failed"))

    def run_file(self, path, proto, flt, family="v4"):
        """Run one test file for one protocol and family, restarting it
        after a kill."""
        if not runs_in(path, family):
            return
        if flt and not might_match(path, flt, family):
            return      # spare a python3 start-up (seconds under TCG)
        after = ""
        done = set()
        while True:
            cmd = [sys.executable, "-u", path, "--proto", proto,
                   "--family", family]
            if flt:
                cmd += ["--filter", flt]
            if after:
                cmd += ["--after", after]
            resume = self.run_child(cmd, proto)
            if not resume or resume in done:
                return
            done.add(resume)
            after = resume

    def run_child(self, cmd, proto):
        """Run a child; returns the test to resume after if it was killed."""
        env = dict(os.environ, SELFTEST_FAMILY=cmd[cmd.index("--family") + 1])
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             cwd=HERE, start_new_session=True, env=env)
        current = None
        deadline = time.monotonic() + START_LIMIT
        buf = b""
        eof = False
        while not eof:
            left = deadline - time.monotonic()
            r, _, _ = select.select([p.stdout], [], [], max(left, 0))
            if not r:
                what = current or "(startup)"
                self.emit("# %s: no result after its timeout: killing the test process" % what)
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                if current:
                    self.result("fail", current, proto, "killed: hung beyond its timeout")
                    return current
                self.result("fail", os.path.basename(cmd[2]), proto, "test process hung at startup")
                return None
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                eof = True
            buf += chunk
            while b"\n" in buf or (eof and buf):
                if b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                else:
                    line, buf = buf, b""
                text = line.decode("utf-8", "replace").rstrip()
                if text.startswith("@@ "):
                    parts = text.split(" ", 3) + ["", ""]
                    kind, name, reason = parts[1], parts[2], parts[3]
                    if kind == "start":
                        current = name
                        try:
                            t = int(reason)
                        except ValueError:
                            t = 60
                        deadline = time.monotonic() + t + GRACE
                    else:
                        self.result(kind, name, proto, reason)
                        current = None
                        deadline = time.monotonic() + START_LIMIT
                elif text.startswith("#"):
                    self.emit(text)
                elif text:
                    self.emit("# " + text)
        rc = p.wait()
        if current:
            self.result("fail", current, proto, "test process died (exit %d)" % rc)
            return current
        if rc != 0:
            self.result("fail", os.path.basename(cmd[2]), proto,
                        "test process exited %d outside any test" % rc)
        return None


def runs_in(path, family):
    """Whether the file runs over family: over both unless it names its
    own, as FAMILIES = ("v4",)."""
    with open(path) as f:
        m = re.search(r"^FAMILIES\s*=\s*(.*)$", f.read(), re.M)
    return not m or family in m.group(1)


def might_match(path, flt, family="v4"):
    """Whether FILTER can select a test of the file (by its source text)."""
    stem = os.path.basename(path)[len("test_"):-len(".py")]
    suffix = "[v6]" if family == "v6" else ""
    with open(path) as f:
        names = re.findall(r"^@test\b.*\n(?:@.*\n)*def (\w+)", f.read(), re.M)
    return not names or any(re.search(flt, "%s.%s%s" % (stem, n, suffix))
                            for n in names)


def cleanup_netns():
    """Remove namespaces left by killed test processes."""
    try:
        names = os.listdir("/run/netns")
    except FileNotFoundError:
        return
    for n in names:
        if n.startswith("st") and n[2:3].isdigit():
            subprocess.run(["ip", "netns", "del", n], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--proto", choices=("mytcp", "tcp", "both"), default="both")
    ap.add_argument("--family", choices=("v4", "v6", "both"), default="both")
    ap.add_argument("--tcp-v4-only", action="store_true",
                    help="TCP, the reference, over IPv4 only (make check's "
                         "budget); mytcp still over both families")
    ap.add_argument("--runs", type=lambda s: s.split(","), default=None,
                    metavar="PROTO-FAMILY,...",
                    help="these runs, in this order, instead of --proto and "
                         "--family (e.g. tcp-v4,mytcp-v6)")
    ap.add_argument("--once", action="store_true",
                    help="each file once per protocol: in the first family "
                         "of the runs that it runs in (make check's debug "
                         "kernel: every mytcp file, IPv6-only ones included)")
    ap.add_argument("filter", nargs="?", default="",
                    help="regex matched against FILE.TEST (e.g. 'bind|connect')")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("run.sh: must run as root (in the VM: tools/vm/run-vm.sh)")
    # TCP first: it proves the tests; a mytcp crash cannot hide that
    if args.runs:
        runs = []
        for spec in args.runs:
            proto, _, family = spec.partition("-")
            if proto not in ("tcp", "mytcp") or family not in ("v4", "v6"):
                ap.error("--runs: '%s' is not PROTO-FAMILY (tcp|mytcp)-(v4|v6)" % spec)
            runs.append((proto, family))
    else:
        protos = ["tcp", "mytcp"] if args.proto == "both" else [args.proto]
        families = ["v4", "v6"] if args.family == "both" else [args.family]
        runs = [(p, f) for p in protos for f in families
                if not (args.tcp_v4_only and p == "tcp" and f == "v6")]
    files = sorted(glob.glob(os.path.join(HERE, "test_*.py")))
    r = Runner()
    t0 = time.monotonic()
    done = set()
    tp, last = time.monotonic(), None
    for proto, family in runs:
        if last and proto != last:
            r.emit("# proto %s: %.1f s" % (last, time.monotonic() - tp))
            tp = time.monotonic()
        last = proto
        for path in files:
            if not runs_in(path, family) or (args.once and (proto, path) in done):
                continue
            done.add((proto, path))
            tf = time.monotonic()
            r.run_file(path, proto, args.filter, family)
            cleanup_netns()
            r.emit("# %s [%s %s]: %.1f s" % (os.path.basename(path), proto, family,
                                             time.monotonic() - tf))
    if last:
        r.emit("# proto %s: %.1f s" % (last, time.monotonic() - tp))
    for secs, label in sorted(r.slow, reverse=True):
        r.emit("# slow: %s %.1f s" % (label, secs))
    r.emit("# total %.1f s" % (time.monotonic() - t0))
    r.emit("1..%d" % r.n)
    r.emit("%d passed, %d failed" % (r.passed, r.failed))
    sys.exit(1 if r.failed or r.n == 0 else 0)


if __name__ == "__main__":
    main()
