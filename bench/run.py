#!/usr/bin/env python3
"""The redirect benchmark: workloads W0-W7 natively, under redirect (seccomp and
ptrace modes), under `strace --seccomp-bpf` (the cost of seccomp tracing alone), under
`proot -b` (the path-translating peer), under bench/floor.c's do-nothing tracer (trapping
the syscalls redirect traps for the same rules, following every child) and, for W1/W2, its
minimal rewriter. Everything reported is a ratio of times measured in the same run, in
interleaved rounds (A B C, B C A, C A B, ...), so a slow phase of a shared machine hits every cell alike;
absolute times are for scale only. Tracer and program are pinned to CPU 0 (`taskset -c 0`), so a
ptrace stop is two context switches on one CPU, the case the floor program measures.

Each cell first runs once to check its output against the native run's: a redirecting tool must
really redirect (W1's and W7's paths exist only under their alias), and a cell that fails the
check is marked, not timed. That run also yields the stop counts (`redirect --stats`), the
context switches of the whole process tree (wait4's rusage; a ptrace stop is two) and the
tracer's peak RSS (VmHWM of the top process, polled; it is the tracer under every tool, taskset
exec'ing into it). Beside wall time it reports CPU time (user + sys of the whole tree), which a
machine shared with other jobs disturbs much less.

Usage: bench/run.py --redirect BUILD/redirect --bin BUILD/bench [--quick] [--rounds N]
       [--only W1,W2] [--out FILE]. `make bench` / `make bench-quick` run it.
Standard library only."""

import argparse
import dataclasses
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclasses.dataclass
class Workload:
    key: str
    title: str
    native: list  # argv natively and under reference tools (strace, floor)
    aliased: list  # argv under redirecting tools: same work, paths through the alias
    reps: int = 1  # runs per timed sample
    ops: int = 0  # intercepted syscalls per run (stops per op); 0 = not counted
    floor: str = "seccomp"  # floor.c's mode: seccomp (redirect's set, one stop each, every
    # task) or seccomp-exit (one process, two stops per openat: W1's floor)
    minimal: bool = False  # floor.c's minimal rewriter can run it
    product: str = ""  # a file each run must create (W7's object)


@dataclasses.dataclass
class Cell:
    tool: str
    argv: list
    stats_argv: list  # the same with --stats when the tool has it
    status: str = "ok"  # or why it is not timed
    times: list = dataclasses.field(default_factory=list)  # wall seconds per run, per round
    cpu: list = dataclasses.field(default_factory=list)  # CPU seconds per run, per round
    stops: dict = dataclasses.field(default_factory=dict)
    ctx: int = -1
    rss_kb: int = -1
    slow: bool = False  # its check run took longer than the budget: timed in round 1 only
    shared: tuple = ()  # redirect --stats of the check run: (shared, left, moves), cpu_sharing.h


TOOLS = {
    "native": "native",
    "seccomp": "redirect --mode seccomp",
    "rules1k": "redirect, 1,000 more rules",
    "rules10k": "redirect, 10,000 more rules",
    "ptrace": "redirect --mode ptrace",
    "strace": "strace --seccomp-bpf",
    "proot": "proot -b",
    "floor": "floor (stops only)",
    "minimal": "minimal C rewriter",
    "trace": "redirect trace",
    "inproc": "redirect --backend inproc",
}
REDIRECTING = {"seccomp", "ptrace", "proot", "minimal", "other", "rules1k", "rules10k", "trace",
               "inproc", "other-inproc"}
# The rule-count cells run where rule count is what is measured: W2 (a stop whose path no rule
# matches: the cost must not grow with rules that cannot match it) and W0 (start-up: loading and
# compiling the rules).
MANY_RULES = {"rules1k": ("W2",), "rules10k": ("W0",)}


def workloads(bin_dir, tmp, quick, n_open=None):
    real, alias, out = f"{tmp}/real", f"{tmp}/alias", f"{tmp}/out"
    packed = f"{tmp}/packed"
    orig = f"{tmp}/orig"
    n_open = n_open or (1000 if quick else 20000)
    n_ppid = 20000 if quick else 300000
    n_exec = 30 if quick else 300
    tree = "/usr/share/doc" if quick else "/usr/share"
    heavy = 1 if quick else 5
    python = shutil.which("python3", path="/usr/bin:/bin") or "python3"
    loop = f'i=0; while [ $i -lt {n_exec} ]; do /bin/true; i=$((i+1)); done'
    imports = "import json, email, http.client, sqlite3"
    oc = f"{bin_dir}/openclose"
    gcc = ["gcc", "-O2", "-c"]
    return [
        Workload("W0", "/bin/true", ["/bin/true"], ["/bin/true"], reps=10 if quick else 20),
        Workload("W1", f"{n_open} x openat+close, rewritten", [oc, real, str(n_open)],
                 [oc, alias, str(n_open)], ops=n_open, floor="seccomp-exit", minimal=True),
        Workload("W2", f"{n_open} x openat+close, no rule matches", [oc, real, str(n_open)],
                 [oc, real, str(n_open)], ops=n_open, minimal=True),
        # ".." after the rewritten prefix: each call resolves it in the program's view first
        # (one rule lookup and one lstat of ALIAS/sub's place in the bundle).
        Workload("W1d", f"{n_open} x openat+close of ALIAS/sub/../fN, rewritten",
                 [oc, f"{real}/sub/..", str(n_open)], [oc, f"{alias}/sub/..", str(n_open)],
                 ops=n_open),
        # A bundle moved by a prefix rule (^BUNDLE(/.*)?$ -> PACKED$1, the shape --suggest
        # writes): each rewrite checks that the bundle's path has no link to follow. PACKED is
        # a directory of its own, so that W2r's working directory (REAL) is in no replacement.
        Workload("W1b", f"{n_open} x openat+close, rewritten by a prefix rule",
                 [oc, packed, str(n_open)], [oc, f"{tmp}/bundle", str(n_open)], ops=n_open),
        # The same bundle reached through an absolute link inside it (PACKED/link -> BUNDLE/):
        # the link is followed in the program's view on every call.
        Workload("W1l", f"{n_open} x openat+close through an absolute link in the bundle",
                 [oc, packed, str(n_open)], [oc, f"{tmp}/bundle/link", str(n_open)], ops=n_open),
        # Relative names: chdir first, then openat(AT_FDCWD, "fN"). W1r's directory exists with
        # other contents; only its files are rewritten, so the rules must see the resolved path.
        Workload("W1r", f"{n_open} x relative openat+close, rewritten",
                 [oc, "-r", real, str(n_open)], [oc, "-r", orig, str(n_open)], ops=n_open),
        Workload("W2r", f"{n_open} x relative openat+close, no rule matches",
                 [oc, "-r", real, str(n_open)], [oc, "-r", real, str(n_open)], ops=n_open),
        # %file covers AF_UNIX socket paths: sendmsg always stops (the filter cannot see inside
        # the msghdr), sendto with a NULL address is let through by the filter.
        Workload("W8m", f"{n_open} x sendmsg+recv, no address", [f"{bin_dir}/sendmsg", "msg", str(n_open)],
                 [f"{bin_dir}/sendmsg", "msg", str(n_open)], ops=n_open),
        Workload("W8t", f"{n_open} x send+recv (sendto, NULL address)", [f"{bin_dir}/sendmsg", "to", str(n_open)],
                 [f"{bin_dir}/sendmsg", "to", str(n_open)], ops=n_open),
        Workload("W3", f"{n_ppid} x getppid", [f"{bin_dir}/getppid", str(n_ppid)],
                 [f"{bin_dir}/getppid", str(n_ppid)], ops=n_ppid),
        Workload("W4", f"find {tree} -type f", ["find", tree, "-type", "f"],
                 ["find", tree, "-type", "f"]),
        Workload("W5", f"sh loop: {n_exec} x fork+exec /bin/true", ["/bin/sh", "-c", loop],
                 ["/bin/sh", "-c", loop]),
        Workload("W6", f"{heavy} x python3 -c '{imports}'", [python, "-c", imports],
                 [python, "-c", imports], reps=heavy),
        Workload("W7", f"{heavy} x gcc -O2 -c small.c", gcc + [f"{real}/small.c", "-o", f"{out}/small.o"],
                 gcc + [f"{alias}/small.c", "-o", f"{out}/small.o"], reps=heavy,
                 product=f"{out}/small.o"),
    ]


def make_tree(tmp):
    """REAL holds the files; ALIAS does not exist, only a rule (or proot -b) makes it work.
    ORIG exists with other contents, and a rule sends its files (not itself) to REAL."""
    os.makedirs(f"{tmp}/real/sub")
    os.makedirs(f"{tmp}/packed")
    os.symlink(f"{tmp}/bundle", f"{tmp}/packed/link")
    os.makedirs(f"{tmp}/orig")
    os.makedirs(f"{tmp}/out")
    for i in range(16):
        with open(f"{tmp}/real/f{i}", "w") as f:
            f.write("real file\n")
        with open(f"{tmp}/orig/f{i}", "w") as f:
            f.write("original file\n")
        with open(f"{tmp}/packed/f{i}", "w") as f:
            f.write("real file\n")
    shutil.copy(f"{HERE}/workloads/small.c", f"{tmp}/real/small.c")
    rules = f"{tmp}/rules.toml"
    with open(rules, "w") as f:
        f.write("# bench/run.py: every path syscall (%file) is trapped; only ALIAS/ is rewritten.\n"
                "version = 1\n\n[[rule]]\nname = \"alias-to-real\"\nsyscalls = [\"%file\"]\n"
                f"match = '^{re.escape(tmp)}/alias/(.*)$'\nreplace = '{tmp}/real/$1'\n\n"
                "[[rule]]\nname = \"orig-files-to-real\"\nsyscalls = [\"%file\"]\n"
                f"match = '^{re.escape(tmp)}/orig/(.+)$'\nreplace = '{tmp}/real/$1'\n\n"
                "[[rule]]\nname = \"bundle\"\nsyscalls = [\"%file\"]\n"
                f"match = '^{re.escape(tmp)}/bundle(/.*)?$'\nreplace = '{tmp}/packed$1'\n")
    # The same rule after N generated ones, as a generated or combined rule file would have them:
    # distinct literal prefixes, none of which the workloads' paths have.
    for n, name in ((1000, "rules1k"), (10000, "rules10k")):
        with open(f"{tmp}/{name}.toml", "w") as f:
            f.write(f"# bench/run.py: {n} generated rules that match nothing, then the alias rule.\n"
                    "version = 1\n")
            for i in range(n):
                f.write(f"\n[[rule]]\nname = \"generated-{i}\"\nsyscalls = [\"%file\"]\n"
                        f"match = '^/opt/generated/app{i}/(.*)$'\n"
                        f"replace = '/snap/generated/app{i}/$1'\n")
            with open(rules) as base:
                f.write("\n" + base.read().split("version = 1\n", 1)[1])
    return rules


TRAPPED = re.compile(r"^redirect: x86_64 syscalls trapped:(.*)$", re.M)


def trapped_nrs(redirect, rules):
    """The x86_64 syscall numbers redirect's seccomp filter traps for `rules`, as `floor trace
    seccomp --nrs` takes them ("2,4,...,257"), read from `redirect -v`'s stderr; openat alone,
    with a warning, when it does not say (then the floor is lower than it should be)."""
    r = subprocess.run([redirect, "-v", "--rules", rules, "--mode", "seccomp", "--", "/bin/true"],
                       capture_output=True, text=True)
    m = TRAPPED.search(r.stderr)
    nrs = re.findall(r"\((\d+)\)", m.group(1)) if m else []
    if not nrs:
        print(f"bench: {redirect} -v does not list the x86_64 syscalls it traps: the floor "
              "tracer traps openat only", file=sys.stderr)
        return "257"  # openat on x86_64
    return ",".join(nrs)


# Where tracer and program run: pinned to CPU 0 (a stop is two context switches on one CPU,
# what floor.c measures), unpinned (the scheduler places them: how people run it), or
# unpinned beside two CPU-bound processes (every CPU busy).
PLACEMENTS = {
    "pinned": "tracer and program pinned to CPU 0",
    "unpinned": "unpinned",
    "loaded": "unpinned, beside two CPU-bound processes",
}


class Hogs:
    """Two busy shell loops for the loaded placement, killed on exit."""

    def __init__(self, n):
        self.n, self.procs = n, []

    def __enter__(self):
        self.procs = [subprocess.Popen(["sh", "-c", "while :; do :; done"])
                      for _ in range(self.n)]
        return self

    def __exit__(self, *exc):
        for pr in self.procs:
            pr.kill()
            pr.wait()


def cells_for(w, tools, a, placement="pinned"):
    pin = ["taskset", "-c", "0"] if placement == "pinned" else []
    out = []
    for tool in tools:
        if tool == "native":
            argv = stats = pin + w.native
        elif tool in ("seccomp", "ptrace", "other", "rules1k", "rules10k"):
            if tool in MANY_RULES and w.key not in MANY_RULES[tool]:
                continue
            binary, mode = (a.other, "seccomp") if tool == "other" else (a.redirect, tool)
            rules = a.rules
            if tool in MANY_RULES:
                mode, rules = "seccomp", f"{a.tmp}/{tool}.toml"
            base = pin + [binary, "--rules", rules, "--mode", mode]
            argv, stats = base + ["--"] + w.aliased, base + ["--stats", "--"] + w.aliased
        elif tool in ("inproc", "other-inproc"):
            # No tracer: the program runs with the library; --stats is not there in-process.
            binary = a.other if tool == "other-inproc" else a.redirect
            argv = stats = pin + [binary, "--backend", "inproc", "--rules", a.rules,
                                  "--"] + w.aliased
        elif tool == "trace":
            # Every %file and exec call stopped at entry and exit, the summary to /dev/null.
            argv = stats = pin + [a.redirect, "trace", "--rules", a.rules, "--report",
                                  "/dev/null", "--"] + w.aliased
        elif tool == "strace":
            argv = stats = pin + ["strace", "-f", "--seccomp-bpf", "-e", "trace=%file", "-o",
                                  "/dev/null"] + w.native
        elif tool == "proot":
            argv = stats = pin + ["proot", "-b", f"{a.tmp}/real:{a.tmp}/alias"] + w.aliased
        elif tool == "floor":
            nrs = ["--nrs", a.nrs] if w.floor == "seccomp" else []
            argv = stats = pin + [f"{a.bin}/floor", "trace", w.floor] + nrs + ["--"] + w.native
        elif tool == "minimal":
            if not w.minimal:
                continue
            argv = stats = pin + [f"{a.bin}/floor", "trace", "rewrite", f"{a.tmp}/alias",
                                  f"{a.tmp}/real", "--"] + w.aliased
        out.append(Cell(tool, argv, stats))
    return out


# --- running -------------------------------------------------------------------------------

def peak_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def spawn(argv, stdout, stderr):
    actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
               (os.POSIX_SPAWN_OPEN, 2, stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    return os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)


def run_checked(argv, tmp):
    """One run with output captured and the top process's VmHWM polled every 2 ms. Returns
    (exit status, stdout, stderr, peak RSS in kB, context switches of the whole tree: wait4's
    rusage counts every descendant the tracer waited for, i.e. all tracees)."""
    t0 = time.perf_counter()
    pid = spawn(argv, f"{tmp}/stdout", f"{tmp}/stderr")
    rss = -1
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        rss = max(rss, peak_rss_kb(pid))
        time.sleep(0.002)
    with open(f"{tmp}/stdout", "rb") as f:
        out = f.read()
    with open(f"{tmp}/stderr", "rb") as f:
        err = f.read().decode(errors="replace")
    return (os.waitstatus_to_exitcode(status), out, err, rss, usage.ru_nvcsw + usage.ru_nivcsw,
            time.perf_counter() - t0)


STATS = re.compile(r"stops: (\d+) seccomp, (\d+) syscall entry, (\d+) syscall exit, "
                   r"(\d+) signal, (\d+) other")
RSS_STAT = re.compile(r"peak RSS:? (\d+) kB")
SHARED_STAT = re.compile(r"placement: shared the program's CPU (\d+) times \(left (\d+) times\), "
                         r"(\d+) moves")


def check(w, cells, tmp, budget):
    """Runs each cell once; marks the ones whose output differs from native's, and as slow
    those whose run took more than `budget` seconds and 4 times native's (ptrace mode on W3
    would take minutes)."""
    expected, native_wall = None, 0.0
    for c in cells:
        if w.product and os.path.exists(w.product):
            os.unlink(w.product)
        status, out, err, rss, ctx, wall = run_checked(c.stats_argv, tmp)
        c.slow = wall * w.reps > budget and wall > 4 * native_wall
        made = not w.product or os.path.exists(w.product)
        if c.tool == "native":
            if status != 0 or not made:
                sys.exit(f"bench: {w.key} fails natively (exit {status}): {err.strip()[:300]}")
            expected, native_wall = out, wall
            continue
        if status != 0 or out != expected or not made:
            why = f"exit {status}" if status != 0 else "wrong output"
            c.status = "does not redirect" if c.tool in REDIRECTING and w.aliased != w.native \
                else f"fails ({why})"
            print(f"bench: {w.key} {TOOLS[c.tool]}: {c.status}: {err.strip()[:300]}",
                  file=sys.stderr)
            continue
        c.rss_kb = rss
        if m := STATS.search(err):
            c.stops = dict(zip(("seccomp", "entry", "exit", "signal", "other"),
                               map(int, m.groups())))
        if m := SHARED_STAT.search(err):
            c.shared = tuple(map(int, m.groups()))
        if m := RSS_STAT.search(err):
            c.rss_kb = int(m.group(1))
        c.ctx = ctx


def time_runs(argv, reps):
    """Wall time and CPU time (user + sys of the whole process tree) of `reps` runs, output
    discarded, each divided by reps (seconds)."""
    cpu = 0.0
    t0 = time.perf_counter()
    for _ in range(reps):
        pid = spawn(argv, "/dev/null", "/dev/null")
        _, status, usage = os.wait4(pid, 0)
        if status != 0:
            raise RuntimeError(f"{' '.join(argv)}: wait status {status}")
        cpu += usage.ru_utime + usage.ru_stime
    return (time.perf_counter() - t0) / reps, cpu / reps


def run_cells(w, cells, tmp, rounds, quick, placement):
    """The check run, then `rounds` interleaved rounds of every cell that passed it."""
    print(f"bench: {w.key} {w.title} ({placement}): check run of {len(cells)} cells",
          file=sys.stderr)
    check(w, cells, tmp, 2.0 if quick else 6.0)
    timed = [c for c in cells if c.status == "ok"]
    for r in range(rounds):
        # The order turns each round: under load the first cell after a pause ran measurably
        # slower (the busy loops of the loaded placement had the CPUs to themselves), so a
        # fixed order favoured whichever tool came later.
        k = r % len(timed) if timed else 0
        for c in timed[k:] + timed[:k]:
            if c.slow and r > 0:
                continue
            wall, cpu = time_runs(c.argv, w.reps)
            c.times.append(wall)
            c.cpu.append(cpu)
    by = {c.tool: c for c in timed}
    line = "  ".join(f"{c.tool} {fmt_ratio(ratios(c.times, by['native'].times))}"
                     for c in timed if c.tool != "native")
    print(f"bench: {w.key} ({placement}): native "
          f"{fmt_time(statistics.median(by['native'].times))}  {line}", file=sys.stderr)
    return cells


# --- report --------------------------------------------------------------------------------

def ratios(num, den):
    return [x / y for x, y in zip(num, den)]


def fmt_ratio(rs):
    return f"{statistics.median(rs):.2f}x ({min(rs):.2f}..{max(rs):.2f})"


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.1f} s"


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")),
                         model)
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Linux {platform.release()}"


def ratio_table(results, shown, field):
    lines = ["| workload | native (median) | " + " | ".join(TOOLS[t] for t in shown) + " |",
             "|---|---:|" + "---:|" * len(shown)]
    for w, cells in results:
        by = {c.tool: c for c in cells}
        native = getattr(by["native"], field)
        row = [f"{w.key} {w.title}", fmt_time(statistics.median(native))]
        for t in shown:
            c = by.get(t)
            row.append("" if c is None else (fmt_ratio(ratios(getattr(c, field), native)) +
                                             (" †" if c.slow else "")) if c.times else c.status)
        lines.append("| " + " | ".join(row) + " |")
    return lines


def over_floor(results):
    """One line: redirect --mode seccomp's time over the floor tracer's, per workload (median
    of per-round ratios), i.e. what redirect costs beyond any tracer trapping the same
    syscalls."""
    parts = []
    for w, cells in results:
        by = {c.tool: c for c in cells}
        r, f = by.get("seccomp"), by.get("floor")
        if r and f and r.times and f.times and not r.slow and not f.slow:
            two = " (two-stop floor)" if w.floor == "seccomp-exit" else ""
            parts.append(f"{w.key} {statistics.median(ratios(r.times, f.times)):.2f}x{two}")
    return ("redirect --mode seccomp / floor tracer, wall time (median of per-round ratios): "
            + (", ".join(parts) if parts else "n/a (not both timed)") + ".")


def tables(results, tools):
    shown = [t for t in tools if t != "native"]
    lines = ratio_table(results, shown, "times")
    if any(c.slow for _, cells in results for c in cells):
        lines += ["", "† slower than the time budget of a run: timed in the first round only."]
    lines += ["", over_floor(results)]
    lines += ["", "CPU time (user + sys of the whole process tree, tracer included) as a ratio "
              "to native, same runs:", ""]
    lines += ratio_table(results, shown, "cpu")
    lines.append("")
    per_call = [(w, {c.tool: c for c in cells}) for w, cells in results
                if w.key in ("W1", "W2", "W1r", "W2r") and w.ops]
    if per_call:
        lines += ["Extra wall time per openat+close over native, from the same rounds (median "
                  "over rounds of (cell - native) / N, in us; the start-up of each tool is spread over the "
                  "N calls):", "",
                  "| tool | " + " | ".join(f"{w.key} ({'rewritten' if w.key.startswith('W1') else 'unmatched'})"
                                         for w, _ in per_call) + " |",
                  "|---|" + "---:|" * len(per_call)]
        for t in shown:
            row = []
            for w, by in per_call:
                c, n = by.get(t), by["native"]
                row.append(f"{statistics.median([(x - y) / w.ops * 1e6 for x, y in zip(c.times, n.times)]):.1f}"
                           if c and c.times else "")
            if any(row):
                lines.append(f"| {TOOLS[t]} | " + " | ".join(row) + " |")
        lines.append("")
    lines.append("Stops per intercepted syscall (redirect --stats: seccomp + entry + exit stops / "
                 "ops; a count where the workload has no ops), context switches of the whole "
                 "tree per op (a ptrace stop is two) and the tracer's peak RSS, from each cell's "
                 "check run:")
    lines.append("")
    lines.append("| workload | " + " | ".join(TOOLS[t] for t in shown) + " |")
    lines.append("|---|" + "---|" * len(shown))
    for w, cells in results:
        by = {c.tool: c for c in cells}
        row = [w.key]
        for t in shown:
            c = by.get(t)
            if c is None or c.status != "ok":
                row.append("" if c is None else c.status)
                continue
            parts = []
            if c.stops:
                syscall_stops = c.stops["seccomp"] + c.stops["entry"] + c.stops["exit"]
                parts.append(f"{syscall_stops / w.ops:.2f} stops/op" if w.ops
                             else f"{syscall_stops} stops")
            if c.ctx >= 0:
                parts.append(f"{c.ctx / w.ops:.2f} cs/op" if w.ops else f"{c.ctx} cs")
            if c.rss_kb >= 0 and t not in ("native",):
                parts.append(f"{c.rss_kb / 1024:.1f} MB")
            row.append(", ".join(parts))
        lines.append("| " + " | ".join(row) + " |")
    return lines


def targets(results):
    """The issue's targets, each with the measured value: the median of per-round ratios of
    wall times (what the target is about) and, beside it, of CPU times."""
    res = {w.key: {c.tool: c for c in cells} for w, cells in results}
    ops = {w.key: w.ops for w, _ in results}
    out = ["| target | measured (wall) | CPU time | |", "|---|---:|---:|---|"]

    def ratio(wk, t, ref, field="times"):
        c, r = res.get(wk, {}).get(t), res.get(wk, {}).get(ref)
        if not c or not r or not c.times or not r.times:
            return None
        return statistics.median(ratios(getattr(c, field), getattr(r, field)))

    def stops_per_op(wk):
        c = res.get(wk, {}).get("seccomp")
        if not c or not c.stops or not ops.get(wk):
            return None
        return (c.stops["seccomp"] + c.stops["entry"] + c.stops["exit"]) / ops[wk]

    def add(name, wall, cpu, ok, shown, floor=None):
        """`floor`: the floor tracer's own value on the same target, shown after the verdict:
        a target below it is below what any tracer can do on this machine."""
        key = name.split()[0]
        if key[:2] in ("W0", "W1", "W2", "W3", "W4", "W5", "W6", "W7") and key not in res:
            return  # not run (--only)
        mark = "n/a" if wall is None else ("" if "reference" in name else
                                           "met" if ok(wall) else "**missed**")
        cell = lambda v: "" if v is None else shown(v)
        if floor is not None:
            mark += f" (floor tracer alone: {shown(floor)})"
        out.append(f"| {name} | {cell(wall) or 'n/a'} | {cell(cpu)} | {mark} |")

    def vs(wk, ref, limit, name, with_floor=False, tool="seccomp"):
        add(name, ratio(wk, tool, ref), ratio(wk, tool, ref, "cpu"),
            lambda v: v <= limit, lambda v: f"{v:.2f}x",
            ratio(wk, "floor", ref) if with_floor else None)

    def added(wk, t, field="times"):
        """Median over rounds of (t's time - native's), in seconds: start-up + tear-down on W0."""
        c, n = res.get(wk, {}).get(t), res.get(wk, {}).get("native")
        if not c or not n or not c.times:
            return None
        return statistics.median([x - y for x, y in zip(getattr(c, field), getattr(n, field))])

    vs("W3", "native", 1.10, "W3 <= 1.10x native")
    add("W2 one stop per trapped syscall", stops_per_op("W2"), None, lambda v: v < 1.01,
        lambda v: f"{v:.3f} stops/op")
    vs("W2", "strace", 0.6, "W2 <= 0.6x strace --seccomp-bpf")
    vs("W2", "proot", 0.6, "W2 <= 0.6x proot -b")
    # One stop per rewrite on x86_64 (docs/rewrites.md); two where the stub cannot be used.
    add("W1 one stop per rewritten syscall", stops_per_op("W1"), None, lambda v: v < 1.01,
        lambda v: f"{v:.3f} stops/op")
    vs("W1", "strace", 0.9, "W1 <= 0.9x strace --seccomp-bpf")
    vs("W1", "proot", 0.9, "W1 <= 0.9x proot -b")
    vs("W1", "floor", 1.2, "W1 <= 1.2x the two-stop floor")

    def added_per_op_ratio(wk, base, t, field="times"):
        """Median over rounds of t's extra time per call on `wk` over its extra time per call
        on `base` (each against its own native run): what resolving relative names adds."""
        c, n = res.get(wk, {}).get(t), res.get(wk, {}).get("native")
        bc, bn = res.get(base, {}).get(t), res.get(base, {}).get("native")
        if not all(x and x.times for x in (c, n, bc, bn)):
            return None
        return statistics.median([((x - y) / ops[wk]) / ((bx - by) / ops[base])
                                  for x, y, bx, by in zip(getattr(c, field), getattr(n, field),
                                                          getattr(bc, field), getattr(bn, field))])

    for wk, base, limit in (("W1r", "W1", 1.15), ("W2r", "W2", 1.2)):
        add(f"{wk} added cost per call <= {limit}x {base}'s",
            added_per_op_ratio(wk, base, "seccomp"), added_per_op_ratio(wk, base, "seccomp", "cpu"),
            lambda v, limit=limit: v <= limit, lambda v: f"{v:.2f}x")
    for wk in ("W4", "W5", "W6", "W7"):
        for peer in ("strace", "proot"):
            vs(wk, peer, 0.999, f"{wk} below {TOOLS[peer]}")
    for wk in ("W5", "W6", "W7"):
        vs(wk, "native", 1.3, f"{wk} <= 1.3x native", with_floor=True)
    for wk in ("W6", "W7"):  # redirect trace: an exit stop for every path call
        vs(wk, "native", 2.5, f"{wk} trace <= 2.5x native", tool="trace")
        vs(wk, "strace", 0.999, f"{wk} trace below {TOOLS['strace']}", tool="trace")
    if added("W0", "seccomp") is not None:
        add("W0 start-up + tear-down <= 1 ms", added("W0", "seccomp"),
            added("W0", "seccomp", "cpu"), lambda v: v <= 0.001,
            lambda v: f"{v * 1000:+.2f} ms", added("W0", "floor"))
    vs("W3", "floor", 1.10, "W3 (reference: redirect / floor tracer)")
    if "W2" in res:
        add("W2 with 1,000 more rules <= 1.2x W2 with 1 rule", ratio("W2", "rules1k", "seccomp"),
            ratio("W2", "rules1k", "seccomp", "cpu"), lambda v: v <= 1.2, lambda v: f"{v:.2f}x")
    c10k = res.get("W0", {}).get("rules10k")
    if c10k and c10k.times:
        add("W0 with 10,000 rules: start-up + tear-down < 0.3 s", statistics.median(c10k.times),
            statistics.median(c10k.cpu), lambda v: v < 0.3, lambda v: f"{v:.3f} s")
    rss = [c.rss_kb for _, cells in results for c in cells
           if c.tool in ("seccomp", "ptrace") and c.rss_kb >= 0]
    add("tracer RSS <= 10 MB on every workload", max(rss) / 1024 if rss else None, None,
        lambda v: v <= 10, lambda v: f"{v:.1f} MB max")
    return out


def placement_table(by_placement, placements, loads):
    """Each redirect cell's ratio to native under every placement (each against the native
    run of its own placement, same rounds), and the placement targets: unpinned within 1.5x
    of the pinned ratio (W1, W2, W6, W7); loaded, no slower than the previous build (--other:
    median of per-round time ratios, this build / the other)."""
    def cells(pl, wk):
        return next(({c.tool: c for c in cs} for w, cs in by_placement.get(pl, []) if w.key == wk), {})

    def to_native(pl, wk, t, field="times"):
        by = cells(pl, wk)
        c, n = by.get(t), by.get("native")
        if not c or not n or not c.times or not n.times:
            return None
        return statistics.median(ratios(getattr(c, field), getattr(n, field)))

    def shown(pl, wk, t):
        v, cpu = to_native(pl, wk, t), to_native(pl, wk, t, "cpu")
        if v is None:
            return ""
        c = cells(pl, wk).get(t)
        shared = (f"; shared {c.shared[0]}x, left {c.shared[1]}x, {c.shared[2]} moves"
                  if c.shared else "")
        return f"{v:.2f}x (cpu {cpu:.2f}x{shared})"

    keys = [w.key for w, _ in by_placement[placements[0]]]
    lines = ["Load average (1 min) before and after each placement's cells, per workload: " +
             "; ".join(f"{pl} " + ", ".join(f"{a:.1f}->{b:.1f}" for a, b in loads[pl])
                       for pl in placements) + ".", "",
             "| workload | tool | " + " | ".join(placements) + " |",
             "|---|---|" + "---:|" * len(placements)]
    for wk in keys:
        for t in ("seccomp", "other"):
            vals = [shown(pl, wk, t) for pl in placements]
            if any(vals):
                lines.append(f"| {wk} | {TOOLS[t]} | " + " | ".join(vals) + " |")
    lines += ["", "Each cell: wall time ratio to the same placement's native run (median of per-round "
              "ratios), CPU time ratio beside it, and from redirect's --stats in the check run how "
              "often the tracer shared the program's CPU (engine/cpu_sharing.h).", "",
              "| target | measured | |", "|---|---:|---|"]
    if "pinned" in placements and "unpinned" in placements:
        for wk in ("W1", "W2", "W6", "W7"):
            p, u = to_native("pinned", wk, "seccomp"), to_native("unpinned", wk, "seccomp")
            if p is not None and u is not None:
                lines.append(f"| {wk} unpinned <= 1.5x its pinned ratio | {u / p:.2f}x "
                             f"({u:.2f}x against {p:.2f}x) | {'met' if u / p <= 1.5 else '**missed**'} |")
    if "loaded" in placements:
        for wk in keys:
            by = cells("loaded", wk)
            c, o = by.get("seccomp"), by.get("other")
            if c and o and c.times and o.times:
                r = statistics.median(ratios(c.times, o.times))
                rc = statistics.median(ratios(c.cpu, o.cpu))
                verdict = "met" if r <= 1.0 else "within 5% (noise here)" if r <= 1.05 else "**missed**"
                lines.append(f"| {wk} loaded, no slower than the previous build | {r:.2f}x "
                             f"(cpu {rc:.2f}x) | {verdict} |")
    return lines


# --- main ----------------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--redirect", default="build/redirect")
    p.add_argument("--bin", default="build/bench", help="where bench/CMakeLists.txt built")
    p.add_argument("--quick", action="store_true", help="small sizes, 3 rounds: about a minute")
    p.add_argument("--rounds", type=int)
    p.add_argument("--other", help="a second redirect binary (another build of it) to time "
                                   "in --mode seccomp beside the first, in the same rounds")
    p.add_argument("--ops", type=int, help="openat+close calls of W1/W2 (default 20000, 1000 "
                                           "with --quick)")
    p.add_argument("--only", help="comma-separated workload keys, e.g. W1,W2")
    p.add_argument("--tools", help="comma-separated subset of " + ",".join(TOOLS))
    p.add_argument("--placements", default="pinned",
                   help="comma-separated, run in this order: " + ", ".join(
                       f"{k} ({v})" for k, v in PLACEMENTS.items()) + "; default pinned")
    p.add_argument("--out", help="Markdown file to write (default bench/RESULTS.md; none with "
                                 "--quick)")
    a = p.parse_args()
    a.redirect, a.bin = os.path.abspath(a.redirect), os.path.abspath(a.bin)
    if a.other:
        a.other = os.path.abspath(a.other)
        TOOLS["other"] = f"{a.other} --mode seccomp"
    rounds = a.rounds or (3 if a.quick else 7)
    placements = a.placements.split(",")
    if any(pl not in PLACEMENTS for pl in placements):
        sys.exit(f"bench: --placements: choose among {', '.join(PLACEMENTS)}")
    for prog in (a.redirect, f"{a.bin}/floor", f"{a.bin}/openclose", f"{a.bin}/getppid"):
        if not os.access(prog, os.X_OK):
            sys.exit(f"bench: {prog} not built (make bench builds it)")
    if not shutil.which("taskset"):
        sys.exit("bench: taskset (util-linux) is needed to pin tracer and program")
    tools = a.tools.split(",") if a.tools else [t for t in TOOLS if t != "other" or a.other]
    if a.other and "other" not in tools:
        tools.append("other")
    if a.other and "inproc" in tools:
        # The other build's in-process backend beside this one's, round by round.
        TOOLS["other-inproc"] = f"{a.other} --backend inproc"
        tools.append("other-inproc")
    if "native" not in tools:
        tools.insert(0, "native")
    for t in ("strace", "proot"):
        if t in tools and not shutil.which(t):
            print(f"bench: {t} not installed: its column is left out", file=sys.stderr)
            tools.remove(t)

    started, load0 = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="redirect-bench-") as tmp:
        a.tmp, a.rules = tmp, make_tree(tmp)
        a.nrs = trapped_nrs(a.redirect, a.rules)
        print(f"bench: floor of this machine (floor stops) ...", file=sys.stderr)
        fl = subprocess.run(["taskset", "-c", "0", f"{a.bin}/floor", "stops",
                             "5000" if a.quick else "20000", "5" if a.quick else "7"],
                            capture_output=True, text=True, check=True).stdout
        floor = {k: float(v) for k, v in (l.split() for l in fl.splitlines())}
        chosen = [w for w in workloads(a.bin, tmp, a.quick, a.ops)
                  if not a.only or w.key in a.only.split(",")]
        by_placement = {pl: [] for pl in placements}
        loads = {}
        for w in chosen:
            for pl in placements:
                with Hogs(2 if pl == "loaded" else 0):
                    before = os.getloadavg()[0]
                    cells = run_cells(w, cells_for(w, tools, a, pl), tmp, rounds, a.quick, pl)
                    loads.setdefault(pl, []).append((before, os.getloadavg()[0]))
                by_placement[pl].append((w, cells))
        results = by_placement[placements[0]]
    load1 = os.getloadavg()[0]

    report = [
        "# redirect benchmark results",
        "",
        f"Machine: {machine()}; load average {load0:.1f} at the start, {load1:.1f} at the end.",
        f"Run: {started}, {rounds} interleaved rounds{' (--quick)' if a.quick else ''}; "
        f"{PLACEMENTS[placements[0]]}"
        + (f" (then {', '.join(PLACEMENTS[pl] for pl in placements[1:])}: see the end)"
           if len(placements) > 1 else "") + ".",
        f"Command: `{' '.join([os.path.relpath(sys.argv[0])] + sys.argv[1:])}`"
        + (f" (from `{os.environ['BENCH_MAKE']}`)" if os.environ.get("BENCH_MAKE") else ""),
        "",
        "Floor of this machine (bench/floor.c, getppid loop, extra cost per call over native "
        f"{floor['native'] / 1000:.2f} us): one seccomp stop (SECCOMP_RET_TRACE + PTRACE_CONT) "
        f"{floor['seccomp'] / 1000:.1f} us; seccomp stop + exit stop {floor['seccomp-exit'] / 1000:.1f}"
        f" us; the same with a minimal rewrite's tracer syscalls {floor['seccomp-work'] / 1000:.1f}"
        f" us; one PTRACE_SYSCALL entry+exit pair {floor['syscall-pair'] / 1000:.1f} us.",
        "",
        "Time as a ratio to native: median of the per-round ratios (min..max). `strace` and the "
        "floor run the native command (they do not redirect); the redirecting tools run it with "
        "paths through the alias. floor: bench/floor.c's tracer, a small static C program that "
        f"traps the {a.nrs.count(',') + 1} x86_64 syscalls redirect traps for these rules, "
        "follows every thread and child, and does nothing at a stop but resume: one stop per "
        "trapped syscall, so it is what any tracer of these syscalls costs, start-up included "
        "(W0); on W1 it traps openat alone and stops twice per call (the two-stop floor). "
        "minimal C rewriter: the same tracer on openat, doing only the five tracer syscalls a "
        "rewrite needs.",
        "",
    ]
    report += tables(results, tools)
    report += ["", "Targets (redirect --mode seccomp; ratios are medians of per-round "
               "ratios):", ""]
    if a.quick:
        report += ["With --quick the workloads are small, so start-up weighs much more than in "
                   "`make bench`, whose sizes the targets are for.", ""]
    report += targets(results)
    for pl in placements[1:]:
        report += ["", f"## {PLACEMENTS[pl]}", ""] + tables(by_placement[pl], tools)
    if len(placements) > 1:
        report += ["", "## Placements side by side", ""]
        report += placement_table(by_placement, placements, loads)
    text = "\n".join(report) + "\n"
    print(text)
    out = a.out or (None if a.quick else os.path.join(HERE, "RESULTS.md"))
    if out:
        with open(out, "w") as f:
            f.write(text)
        print(f"bench: written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
