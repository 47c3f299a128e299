#!/usr/bin/env python3
"""Paired, interleaved timings of two builds on the copies `benches/compare.sh` made.

hyperfine runs all of one command's runs, then all of the other's, so a change in the
machine's load between the two skews the ratio (on a shared 2-core machine it did, by up to
50%). This runs old, new, old, new… and compares medians of the wall time (and of the CPU
time, user + system, which the load sways less).

    python3 benches/paired.py OLD_BIN NEW_BIN [WORKDIR] [RUNS] [OPERATION…]

WORKDIR is compare.sh's (default /tmp/tribune-bench-compare), after it has run once, or
governance.sh's (which runs this itself, on vote, tally and contribute). RUNS (default 25) is
for the quick commands; the cold builds and syncs run a third as often (at least 5).
OPERATIONs (default: all) are names from the table it prints. A file WORKDIR/extra-OP-B
(B old or new), when there is one, holds more arguments for B's runs of OP, one a line:
governance.sh signs the new build's `contribute` with `--key` that way.

Each build works on its own copy, and two copies of one repository can differ in where they
sit on disk: `contribute` creates files, and one copy was 1.8x slower than the other for
both builds alike. Swap the builds' copies (or run each build on both) before trusting a
difference in a command that writes many files.
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

old, new = sys.argv[1], sys.argv[2]
work = sys.argv[3] if len(sys.argv) > 3 else "/tmp/tribune-bench-compare"
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 25
env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", LC_ALL="C", TZ="UTC",
           GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
           GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org")
bins = {"old": old, "new": new}
slug = open(f"{work}/slugs").read().split()[0]
# The rated article of `ratings` (governance.sh's commons has no ratings: the first slug).
rated = open(f"{work}/rated").read().strip() if os.path.exists(f"{work}/rated") else slug

# Operation → the arguments after `-C COPY`; the ones named in COLD start without the
# derived index (deleted before each run, outside the timing).
COMMANDS = {
    "list-cold": ["list", "--limit", "50"],
    "list-warm": ["list", "--limit", "50"],
    "list-filter-cold": ["list", "--filter", "twenty", "--limit", "50"],
    "list-filter-warm": ["list", "--filter", "twenty", "--limit", "50"],
    "show": ["show", slug],
    "log": ["log", slug],
    "versions": ["versions", "long-article"],
    "diff": ["diff", "long-article", "trunk", "c000"],
    "ratings": ["ratings", rated],
    "tally": ["tally", "synthetic-statement"],
    "statements": ["statements"],
    "vote": ["vote", "synthetic-statement", "yes", "--as", "v00000", "--key", "{copy}/tribune/synth-voter-key"],
    "rate": ["rate", slug, "--score", "1", "--as", "r0050"],
    "contribute": ["contribute", f"{work}/next-{{b}}.md"],
    "sync-push-100-ratings": ["sync"],
    "sync-nothing-to-do": ["sync"],
}
COLD = {"list-cold", "list-filter-cold"}
SLOW = COLD | {"sync-push-100-ratings", "sync-nothing-to-do"}
ops = sys.argv[5:] or list(COMMANDS)
unknown = [op for op in ops if op not in COMMANDS]
if unknown:
    sys.exit(f"unknown operation(s): {', '.join(unknown)}; known: {', '.join(COMMANDS)}")


def prepare(op, b):
    if op in COLD:
        shutil.rmtree(f"{work}/{b}/tribune/index", ignore_errors=True)
    if op == "sync-push-100-ratings":
        subprocess.run(["bash", f"{work}/prep.sh", "rate100", b], env=env, check=True, capture_output=True)
    if op == "contribute":
        subprocess.run(["bash", f"{work}/prep.sh", "next", b], env=env, check=True, capture_output=True)


def run(op, b):
    """One timed run: (wall seconds, CPU seconds of the child)."""
    d = f"{work}/{b}"
    extra = f"{work}/extra-{op}-{b}"
    more = open(extra).read().splitlines() if os.path.exists(extra) else []
    args = [a.replace("{copy}", d).replace("{b}", b) for a in COMMANDS[op] + more]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run([bins[b], "-C", d, *args], env=env, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"{b} {op} failed: {r.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


print(f"load at start: {' '.join(open('/proc/loadavg').read().split()[:3])} on {os.cpu_count()} cores")
print(f"{'operation':<24}{'runs':>5}{'old median':>12}{'new median':>12}{'new/old':>9}"
      f"{'old cpu':>10}{'new cpu':>10}{'cpu n/o':>9}")
for op in ops:
    # One run of each first, not timed: a warm operation finds the index as it will be.
    for b in ("old", "new"):
        prepare(op, b)
        run(op, b)
    times = {"old": [], "new": []}
    cpus = {"old": [], "new": []}
    n = max(5, runs // 3) if op in SLOW else runs
    for _ in range(n):
        for b in ("old", "new"):
            prepare(op, b)
            wall, cpu = run(op, b)
            times[b].append(wall)
            cpus[b].append(cpu)
    o, w = statistics.median(times["old"]), statistics.median(times["new"])
    oc, wc = statistics.median(cpus["old"]), statistics.median(cpus["new"])
    flag = "  SLOWER >10%" if w / o > 1.10 else ""
    print(f"{op:<24}{n:>5}{o:>12.4f}{w:>12.4f}{w / o:>9.2f}{oc:>10.4f}{wc:>10.4f}{wc / max(oc, 1e-6):>9.2f}{flag}",
          flush=True)
print(f"load at end: {' '.join(open('/proc/loadavg').read().split()[:3])}")
