#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The mytcp attack suite: fuzzers, SYN flood, unload race.  TAP.

Usage (inside the VM, as root; tools/fuzz/vm-fuzz.sh boots one):
  python3 tools/fuzz/run.py [--seed S] [--segments N] [--syscall-seconds T]
                            [--syns N] [--unload-iterations N] [-k NAME]

1. segfuzz: tools/fuzz/segfuzz sends --segments mutated and random
   segments at sockets in every state while other connections keep
   transferring byte-exact; then the module must accept a new connection,
   the drop counters must have moved, and dmesg must be clean.
2. sysfuzz: tools/fuzz/sysfuzz.py, threads making random socket calls for
   --syscall-seconds; then every call returned, and rmmod succeeds.
3. synflood: --syns SYNs from spoofed sources at a listener with backlog 4,
   with SYN cookies on (real clients must still connect, slab growth must
   stay under 4 MiB) and off (drops counted, memory bounded too).
4. unload_race: rmmod and insmod while processes in several namespaces open
   and close connections, --unload-iterations times.

The kernel runs with panic_on_warn=1 and oops=panic (tools/vm/run-vm.sh):
a WARN, BUG or oops ends the VM, and vm-fuzz.sh reports it.  dmesg is also
checked after each test for what does not panic (lockdep splats, hung
tasks, refcount or list corruption reports, slab leaks at rmmod).  The last
line is "N passed, N failed"; exit status 0 iff nothing failed.
"""

import argparse
import ctypes
import errno
import os
import re
import signal
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "selftests"))
import lib                                          # noqa: E402

SEGFUZZ = os.path.join(HERE, "segfuzz")
NS_A, NS_B = "fuzza", "fuzzb"
BAD_DMESG = re.compile(r"WARNING:|BUG[: ]|Oops|general protection|KASAN|UBSAN|"
                       r"refcount_t|list_(add|del) corruption|INFO: task .* blocked|"
                       r"rcu.*stall|soft lockup|hard LOCKUP|Call Trace|"
                       r"still has objects|leak", re.I)
SLAB_LIMIT_KB = 4096

ARGS = None
TESTS = []
_mark = [0]


class Skip(Exception):
    pass


def test(timeout):
    def deco(fn):
        TESTS.append((fn, timeout))
        return fn
    return deco


def diag(msg):
    for line in str(msg).splitlines():
        print("# " + line, flush=True)


# ---------------------------------------------------------------- helpers

def run(cmd, timeout):
    """Run cmd; returns (returncode, output), diag'ing the output."""
    t = time.monotonic()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=timeout)
        rc, out = r.returncode, r.stdout
    except subprocess.TimeoutExpired as e:
        rc, out = 124, (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        out += "\n(timed out after %d s)" % timeout
    diag("$ %s  [%.1f s, exit %d]" % (" ".join(str(c) for c in cmd), time.monotonic() - t, rc))
    diag(out.rstrip())
    return rc, out


def kv(out):
    d = {}
    for line in out.splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            d[k.strip()] = v.strip()
    return d


def num(d, k):
    assert k in d, "no %s in the output" % k
    return float(d[k].split("/")[0])


def setup_pair():
    """A (10.0.1.1) and B (10.0.1.2) on a veth pair.  B routes everything
    else via A (which does not forward), and sends 10.0.1.99 to a MAC that
    nobody has: a connect there stays in SYN_SENT."""
    teardown_pair()
    lib.ip_batch(["netns add " + NS_A, "netns add " + NS_B])
    lib.ip_batch(["link add va address %s netns %s type veth peer name vb address %s netns %s"
                  % (lib.MAC_A, NS_A, lib.MAC_B, NS_B)])
    a, b = lib.Netns(NS_A, lib.ADDR_A), lib.Netns(NS_B, lib.ADDR_B)
    lib.ip_batch(["link set lo up", "addr add 10.0.1.1/24 dev va", "link set va up",
                  "neigh replace 10.0.1.2 lladdr %s dev va nud permanent" % lib.MAC_B], a)
    lib.ip_batch(["link set lo up", "addr add 10.0.1.2/24 dev vb", "link set vb up",
                  "neigh replace 10.0.1.1 lladdr %s dev vb nud permanent" % lib.MAC_A,
                  "neigh replace 10.0.1.99 lladdr 02:00:0a:00:01:63 dev vb nud permanent",
                  "route add default via 10.0.1.1"], b)
    for n in (a, b):
        n.open()
        for conf in ("all", "default", "va" if n is a else "vb"):
            lib.write_sysctl("/proc/sys/net/ipv4/conf/%s/rp_filter" % conf, 0, n)
    return a, b


def teardown_pair():
    for n in (NS_A, NS_B):
        subprocess.run(["ip", "netns", "del", n], stderr=subprocess.DEVNULL)


def stats(netns):
    with lib.ns(netns):
        with open("/proc/thread-self/net/mytcp_stat") as f:
            return {k: int(v) for k, v in (line.split() for line in f)}


def delta(before, after):
    return {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}


def mark_dmesg():
    _mark[0] += 1
    with open("/dev/kmsg", "w") as f:
        f.write("fuzz-run: mark %d\n" % _mark[0])


def check_dmesg():
    """Kernel messages since the last mark: fail on anything alarming."""
    out = subprocess.run(["dmesg"], stdout=subprocess.PIPE, text=True).stdout
    lines = out.splitlines()
    tag = "fuzz-run: mark %d" % _mark[0]
    start = max((i for i, line in enumerate(lines) if tag in line), default=0)
    new = lines[start + 1:]
    bad = [line for line in new if BAD_DMESG.search(line)]
    mytcp = [line for line in new if "mytcp" in line.lower()]
    if mytcp:
        diag("kernel messages about mytcp:\n" + "\n".join(mytcp[:20]))
    assert not bad, "dmesg: " + " | ".join(bad[:8])


def loaded():
    return lib.module_loaded()


def insmod():
    rc, out = lib.run_cmd("insmod", os.environ["MYTCP_KO"])
    assert rc == 0 or "File exists" in out, "insmod: " + out


def rmmod_until(timeout):
    """rmmod, retried while the module is busy; returns (ok, tries, last)."""
    deadline = time.monotonic() + timeout
    tries = 0
    while True:
        tries += 1
        rc, out = lib.rmmod()
        if rc == 0 or not loaded():
            return True, tries, out
        if time.monotonic() > deadline:
            return False, tries, out
        time.sleep(0.05)


_libc = ctypes.CDLL(None, use_errno=True)
SYS_DELETE_MODULE, SYS_FINIT_MODULE = 176, 313     # x86_64


def delete_module():
    """rmmod without the exec (fast enough to race): 0 or an errno."""
    r = _libc.syscall(SYS_DELETE_MODULE, b"mytcp", os.O_NONBLOCK)
    return 0 if r == 0 else ctypes.get_errno()


def finit_module():
    """insmod without the exec: 0 or an errno (EEXIST: already loaded)."""
    fd = os.open(os.environ["MYTCP_KO"], os.O_RDONLY | os.O_CLOEXEC)
    try:
        r = _libc.syscall(SYS_FINIT_MODULE, fd, b"", 0)
        return 0 if r == 0 else ctypes.get_errno()
    finally:
        os.close(fd)


def refcount():
    """mytcp's use count in /proc/modules (each socket pins it), or None."""
    with open("/proc/modules") as f:
        for line in f:
            p = line.split()
            if p[0] == "mytcp":
                return int(p[2])
    return None


def proc_rows_all(netns):
    with lib.ns(netns):
        with open("/proc/thread-self/net/mytcp") as f:
            return f.read().splitlines()[1:]


# ------------------------------------------------------------------ tests

@test(timeout=60)
def setup():
    """The VM panics on WARN; the module loads; the namespaces exist."""
    with open("/proc/sys/kernel/panic_on_warn") as f:
        v = f.read().strip()
    if v != "1":
        with open("/proc/sys/kernel/panic_on_warn", "w") as f:
            f.write("1")
    diag("kernel.panic_on_warn=1 (was %s), seed %d" % (v, ARGS.seed))
    if not loaded():
        insmod()
    assert os.access(SEGFUZZ, os.X_OK), "no %s (make -C tools/fuzz)" % SEGFUZZ
    setup_pair()


@test(timeout=1800)
def segfuzz():
    """segfuzz: N segments at sockets in every state; transfers byte-exact;
    a new connection works after; no kernel complaint."""
    a, b = setup_pair()
    before = stats(b)
    rc, out = run([SEGFUZZ, "fuzz", "--ns-a", NS_A, "--ns-b", NS_B,
                   "--seed", str(ARGS.seed), "--count", str(ARGS.segments)],
                  timeout=1700)
    d = kv(out)
    moved = delta(before, stats(b))
    diag("counters in B that moved: " + " ".join("%s=%d" % kv_ for kv_ in sorted(moved.items())))
    RESULTS["segfuzz"] = d
    assert rc == 0, "segfuzz exited %d" % rc
    assert num(d, "segments") >= ARGS.segments, "only %s segments" % d.get("segments")
    diag("%s segments in %s s: %s segments/s" % (d["segments"], d["seconds"], d["rate"]))
    assert d.get("xfer_ok") == "1", "a transfer beside the fuzzing was not byte-exact or stalled"
    assert d.get("new_connection_ok") == "1", "no new connection after the fuzzing"
    unreached = [k for k in d if k.startswith("state_") and d[k].startswith("0/")]
    assert not unreached, "states never reached: %s" % unreached
    for c in ("InCsumErrors", "DropBadDataOffset", "DropBadOptions", "DropBadFlags",
              "ChallengeAcks", "DropNoSocket"):
        assert moved.get(c, 0) > 0, "%s did not move" % c
    check_dmesg()
    no_socket_left(a, b, 60)


def no_socket_left(a, b, timeout):
    """Every fd is closed: within timeout s every socket must be gone (only
    TIME_WAIT entries, which do not pin the module, may stay)."""
    t0 = time.monotonic()
    while refcount() and time.monotonic() - t0 < timeout:
        time.sleep(0.2)
    n = refcount()
    if n:
        left = [r for r in proc_rows_all(a) + proc_rows_all(b) if r.split()[3] != "06"]
        diag("rows other than TIME_WAIT:\n" + "\n".join(left[:30]))
    assert not n, "mytcp still in use (%d) %d s after every fd was closed" % (n, timeout)
    diag("no socket left %.1f s after the last fd was closed" % (time.monotonic() - t0))


@test(timeout=600)
def sysfuzz():
    """sysfuzz: threads of random socket calls; every call returns within its
    bounds; all fds closed, the namespaces go, rmmod succeeds."""
    a, b = setup_pair()
    rc, out = run([sys.executable, os.path.join(HERE, "sysfuzz.py"), "--ns-a", NS_A,
                   "--ns-b", NS_B, "--seed", str(ARGS.seed),
                   "--seconds", str(ARGS.syscall_seconds), "--threads", "4"],
                  timeout=ARGS.syscall_seconds + 120)
    d = kv(out)
    RESULTS["sysfuzz"] = d
    assert rc == 0, "sysfuzz exited %d (%s)" % (rc, d.get("hung") or d.get("crash") or "")
    assert num(d, "calls") > 100, "only %s calls" % d.get("calls")
    # orphans still closing get time; then show what is left
    left = []
    for _ in range(300):
        left = [r for r in proc_rows_all(a) + proc_rows_all(b) if r.split()[3] != "06"]
        if not left:
            break
        time.sleep(0.1)
    if left:
        diag("rows other than TIME_WAIT 30 s after the fuzzer exited:\n" + "\n".join(left[:20]))
    teardown_pair()
    ok, tries, msg = rmmod_until(60)
    assert ok, "rmmod still fails after %d tries in 60 s, use count %s: %s" % (
        tries, refcount(), msg)
    diag("rmmod succeeded after %d tries" % tries)
    insmod()
    check_dmesg()


def flood(cookies, count, label):
    a, b = setup_pair()
    lib.write_sysctl("/proc/sys/net/mytcp/syncookies", cookies, b)
    # without cookies a real client cannot get in while the queue is full
    every = max(count // 50, 1) if cookies else 0
    rc, out = run([SEGFUZZ, "flood", "--ns-a", NS_A, "--ns-b", NS_B, "--seed", str(ARGS.seed),
                   "--count", str(count), "--backlog", "4", "--legit-every",
                   str(every)], timeout=600)
    d = kv(out)
    RESULTS[label] = d
    assert rc == 0, "segfuzz flood exited %d" % rc
    grow = num(d, "slab_after_kb") - num(d, "slab_before_kb")
    diag("%s SYNs at %s/s; slab %+d kB (unreclaimable %+d kB); %s SYN_RECV rows; "
         "legit clients %s ok, %s failed (max %s ms)" % (
             d["syns"], d["rate"], grow,
             num(d, "sunreclaim_after_kb") - num(d, "sunreclaim_before_kb"),
             d["syn_recv_rows"], d["legit_ok"], d["legit_failed"], d["legit_max_ms"]))
    assert num(d, "syns") >= count * 0.99, "only %s SYNs sent" % d["syns"]
    assert grow < SLAB_LIMIT_KB, "slab grew by %d kB (limit %d)" % (grow, SLAB_LIMIT_KB)
    assert num(d, "syn_recv_rows") <= 256, "%s half-open rows" % d["syn_recv_rows"]
    return d


@test(timeout=700)
def synflood_cookies():
    """SYN flood with syncookies=1: memory bounded, SYN cookies sent and
    accepted, every real client connects during the flood."""
    d = flood(1, ARGS.syns, "synflood")
    assert num(d, "delta_SyncookiesSent") > ARGS.syns / 2, "SyncookiesSent did not move enough"
    assert num(d, "legit_ok") >= 1 and num(d, "legit_failed") == 0, \
        "real clients failed during the flood"
    assert num(d, "delta_SyncookiesRecv") > 0, "no client came back with a cookie"
    check_dmesg()


@test(timeout=400)
def synflood_nocookies():
    """SYN flood with syncookies=0: the SYN queue stays bounded, the excess is
    dropped and counted (DropSynQueueFull), memory bounded."""
    d = flood(0, max(ARGS.syns // 5, 1000), "synflood_nocookies")
    assert num(d, "delta_DropSynQueueFull") > 0, "DropSynQueueFull did not move"
    assert num(d, "delta_SyncookiesSent") == 0, "cookies sent with syncookies=0"
    check_dmesg()


@test(timeout=900)
def unload_race():
    """rmmod/insmod while connections open and close in 3 namespaces (and one
    namespace comes and goes each time): no oops; afterwards the module
    loads and works."""
    teardown_pair()
    names = ["fuzzc%d" % i for i in range(3)]
    for n in names:
        subprocess.run(["ip", "netns", "del", n], stderr=subprocess.DEVNULL)
        lib.ip_batch(["netns add " + n])
        lib.ip_batch(["link set lo up"], lib.Netns(n, ""))
    if not loaded():
        insmod()
    n = refcount()
    assert n == 0, "mytcp is pinned (use count %d) before the race: leaked by an " \
        "earlier test" % n
    # at least --unload-iterations tries; more, up to three times as many,
    # until rmmod has won once: on a loaded machine the churn can hold the
    # module through every 5 s window of the first few
    iters = ARGS.unload_iterations
    max_iters = 3 * iters
    secs = 8 * max_iters + 20
    procs = [subprocess.Popen([SEGFUZZ, "churn", "--ns", n, "--seconds", str(secs),
                               "--seed", str(ARGS.seed + i)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for i, n in enumerate(names)]
    won = 0
    tries_total = 0
    busy = {}
    t0 = time.monotonic()
    try:
        i = 0
        while i < iters or (not won and i < max_iters):
            extra = "fuzzx%d" % i
            i += 1
            lib.ip_batch(["netns add " + extra])
            # rmmod retried as fast as it returns, for up to 5 s
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                e = delete_module()
                tries_total += 1
                if e == 0:
                    won += 1
                    break
                if e == errno.ENOENT:       # autoload raced us: it is gone
                    break
                busy[errno.errorcode.get(e, e)] = busy.get(errno.errorcode.get(e, e), 0) + 1
            subprocess.run(["ip", "netns", "del", extra])
            e = finit_module()
            assert e in (0, errno.EEXIST, errno.EBUSY), "insmod: " + os.strerror(e)
    finally:
        for p in procs:
            p.terminate()
        outs = [p.communicate(timeout=60)[0] for p in procs]
    dt = time.monotonic() - t0
    total = {}
    for o in outs:
        for k, v in kv(o).items():
            total[k] = total.get(k, 0) + int(v)
    diag("%d iterations in %.1f s: rmmod won %d times in %d tries (refused: %s); churn: %s" % (
        i, dt, won, tries_total, busy,
        " ".join("%s=%d" % x for x in sorted(total.items()))))
    RESULTS["unload"] = dict(total, iterations=i, rmmod_won=won, seconds=round(dt, 1))
    for n in names:
        subprocess.run(["ip", "netns", "del", n])
    assert total.get("cycles", 0) > 0, "no connection cycle completed"
    assert won > 0, "rmmod never won against the churn: the race was not run"
    assert total.get("broken", 0) == 0, "%d cycles broke with both sockets open" % total["broken"]
    ok, tries, msg = rmmod_until(60)
    assert ok, "final rmmod failed: " + msg
    insmod()
    check_dmesg()


@test(timeout=120)
def after_all():
    """After everything: a fresh connection carries data; dmesg clean."""
    a, b = setup_pair()
    lst, port = lib.listener(b)
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    lst.settimeout(10)
    s, _ = lst.accept()
    data = lib.payload(1 << 20, ARGS.seed)
    join = lib.in_thread(c.sendall, data)
    got = lib.recv_exact(s, len(data))
    join()
    assert got == data, "1 MiB not byte-exact"
    lib.close_all()
    s.close()
    teardown_pair()
    check_dmesg()


RESULTS = {}


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "1")))
    ap.add_argument("--segments", type=int, default=1000000)
    ap.add_argument("--syscall-seconds", type=int, default=90)
    ap.add_argument("--syns", type=int, default=50000)
    ap.add_argument("--unload-iterations", type=int, default=20)
    ap.add_argument("-k", action="append", default=[], help="run tests whose name contains this")
    ARGS = ap.parse_args()
    if os.geteuid() != 0 or os.environ.get("MYTCP_VM") != "1":
        sys.exit("run.py: runs in the VM only (tools/fuzz/vm-fuzz.sh)")
    lib.PROTO_NAME, lib.PROTO = "mytcp", lib.IPPROTO_MYTCP
    diag("seed %d, %d segments, %d s of syscalls, %d SYNs, %d unload iterations" % (
        ARGS.seed, ARGS.segments, ARGS.syscall_seconds, ARGS.syns, ARGS.unload_iterations))

    def on_alarm(signum, frame):
        raise TimeoutError("test timed out")
    signal.signal(signal.SIGALRM, on_alarm)
    n = passed = failed = 0
    t_all = time.monotonic()
    for fn, timeout in TESTS:
        if ARGS.k and fn.__name__ != "setup" and not any(k in fn.__name__ for k in ARGS.k):
            continue
        n += 1
        t = time.monotonic()
        mark_dmesg()
        signal.alarm(timeout)
        try:
            fn()
            signal.alarm(0)
            passed += 1
            print("ok %d - %s  (%.1f s)" % (n, fn.__name__, time.monotonic() - t), flush=True)
        except Exception as e:  # noqa: BLE001 - any error fails the test
            signal.alarm(0)
            failed += 1
            diag(traceback.format_exc().rstrip())
            print("not ok %d - %s # %s" % (n, fn.__name__, str(e).replace("\n", " ")),
                  flush=True)
        finally:
            lib.close_all()
    teardown_pair()
    diag("total %.1f s" % (time.monotonic() - t_all))
    print("1..%d" % n)
    print("%d passed, %d failed" % (passed, failed), flush=True)
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
