#!/usr/bin/env python3
"""Paired, interleaved timings of two builds on the copies `benches/compare.sh` made.

hyperfine runs all of one command's runs, then all of the other's, so a change in the
machine's load between the two skews the ratio (on a shared 2-core machine it did, by up to
50%). This runs old, new, old, new… and compares medians.

    python3 benches/paired.py OLD_BIN NEW_BIN [WORKDIR] [RUNS]

WORKDIR is compare.sh's (default /tmp/tribune-bench-compare), after it has run once.

Each build works on its own copy, and two copies of one repository can differ in where they
sit on disk: `contribute` creates files, and one copy was 1.8x slower than the other for
both builds alike. Swap the builds' copies (or run each build on both) before trusting a
difference in a command that writes many files.
"""
import os
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


def prepare(op, b):
    if op == "sync-push-100-ratings":
        subprocess.run(["bash", f"{work}/prep.sh", "rate100", b], env=env, check=True, capture_output=True)
    if op == "contribute":
        subprocess.run(["bash", f"{work}/prep.sh", "next", b], env=env, check=True, capture_output=True)


def command(op, b):
    d = f"{work}/{b}"
    return {
        "vote": ["vote", "synthetic-statement", "yes", "--as", "v00000", "--key", f"{d}/tribune/synth-voter-key"],
        "rate": ["rate", slug, "--score", "1", "--as", "r0050"],
        "contribute": ["contribute", f"{work}/next-{b}.md"],
        "sync-push-100-ratings": ["sync"],
        "sync-nothing-to-do": ["sync"],
    }[op], d


print(f"{'operation':<24}{'old median':>12}{'new median':>12}{'new/old':>9}")
for op in ["vote", "rate", "contribute", "sync-push-100-ratings", "sync-nothing-to-do"]:
    times = {"old": [], "new": []}
    for _ in range(runs if not op.startswith("sync") else max(5, runs // 3)):
        for b in ("old", "new"):
            prepare(op, b)
            args, d = command(op, b)
            t = time.perf_counter()
            r = subprocess.run([bins[b], "-C", d, *args], env=env, capture_output=True)
            times[b].append(time.perf_counter() - t)
            if r.returncode != 0:
                sys.exit(f"{b} {op} failed: {r.stderr.decode()}")
    o, n = statistics.median(times["old"]), statistics.median(times["new"])
    flag = "  SLOWER >10%" if n / o > 1.10 else ""
    print(f"{op:<24}{o:>12.4f}{n:>12.4f}{n / o:>9.2f}{flag}")
print("load:", open("/proc/loadavg").read().split()[:3])
