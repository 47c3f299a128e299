#!/usr/bin/env bash
# Benchmark of channels and editions (issue 13): on a copy of a 100,000-article commons, a
# channel of 20 picks spread over the whole commons, its edition, and `edition export` of
# those 20 articles (texts and attachments from the channel's tree, credits from the
# commons) as HTML, Markdown and (with headless Chromium) PDF; the target is 1 s.
# Rerun with:  bash benches/channels.sh COMMONS [WORKDIR]
#   COMMONS: a commons of 100,000 articles (benches/foundation.sh or cold.sh makes one); it
#   is copied, never written to.
# Needs hyperfine (apt-get install hyperfine), GNU time (/usr/bin/time) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:?give a commons of 100,000 articles to copy}
work=${2:-/tmp/tribune-bench-channels}
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C TZ=UTC
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org
cargo build --release --quiet
T=$PWD/target/release/tribune
rm -rf "$work" && mkdir -p "$work" && cp -a "$src" "$work/c"
repo=$work/c
owner=$("$T" -C "$repo" roster --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["contingents"][0]["id"])')
"$T" -C "$repo" list --json | python3 -c '
import json, random, sys
a = json.load(sys.stdin); random.seed(13)
print("\n".join(x["slug"] for x in random.sample(a, 20)))' > "$work/slugs"
"$T" -C "$repo" channel add bench --as "$owner" --title "Bench news" >/dev/null
echo "== channel pick, 20 times (one process each)"
/usr/bin/time -f "20 picks: %e s" bash -c "while read -r s; do '$T' -C '$repo' channel pick bench \"\$s\" >/dev/null; done < '$work/slugs'"
echo "== edition new of the 20 picks"
/usr/bin/time -f "edition new: %e s" "$T" -C "$repo" edition new bench --title "Twenty" >/dev/null
echo "== edition export bench 1 (20 articles)"
hyperfine -N -w 2 -r 20 "$T -C $repo edition export bench 1 --format html -o $work/n.html" | grep -E "Time|Range"
hyperfine -N -w 2 -r 20 "$T -C $repo edition export bench 1 --format md -o $work/n.md" | grep -E "Time|Range"
/usr/bin/time -f "export html peak memory: %M KiB" "$T" -C "$repo" edition export bench 1 -o "$work/n.html" 2>&1 | grep memory
if "$T" -C "$repo" edition export bench 1 --format pdf -o "$work/n.pdf" 2>/dev/null; then
  hyperfine -N -w 1 -r 5 "$T -C $repo edition export bench 1 --format pdf -o $work/n.pdf" | grep -E "Time|Range"
else
  echo "(no headless Chromium: no PDF timed)"
fi
echo "== the hub's check of what a channel pins (tribune hook pre-receive, as git runs it)"
# The channel's ref created: every pin looked for on the trunk and the editions (all at a tip);
# then a forged tip naming one pick, and then every pick, with another article's slug (each
# looked for through every branch's history before it is refused).
tip=$(git -C "$repo" rev-parse "refs/tribune/channels/$owner/bench")
zero=0000000000000000000000000000000000000000
forge() {
  rm -rf "$work/wt" && git -C "$repo" worktree prune
  git -C "$repo" worktree add -q --detach "$work/wt" "$tip"
  python3 - "$work/wt/picks.toml" "$1" <<'PY'
import sys
path, count = sys.argv[1], int(sys.argv[2])
text = open(path).read()
parts = text.split('slug = "')
text = parts[0] + "".join(('slug = "forged-' if i <= count else 'slug = "') + p for i, p in enumerate(parts[1:], 1))
open(path, "w").write(text)
PY
  git -C "$work/wt" commit -q -a -m forged
  git -C "$work/wt" rev-parse HEAD
  git -C "$repo" worktree remove --force "$work/wt"
}
one=$(forge 1)
all=$(forge 20)
judge() { (cd "$repo" && echo "$1" | "$T" hook pre-receive >/dev/null 2>&1) || true; }
export -f judge; export T repo
hyperfine -N -w 1 -r 10 "bash -c 'judge \"$zero $tip refs/tribune/channels/$owner/bench\"'" | grep -E "Time|Range"
hyperfine -N -w 1 -r 10 "bash -c 'judge \"$tip $one refs/tribune/channels/$owner/bench\"'" | grep -E "Time|Range"
hyperfine -N -w 1 -r 5 "bash -c 'judge \"$tip $all refs/tribune/channels/$owner/bench\"'" | grep -E "Time|Range"
said=$(cd "$repo" && echo "$tip $one refs/tribune/channels/$owner/bench" | "$T" hook pre-receive 2>&1 || true)
echo "the forged tip refused: $(grep -c "is no version of that article" <<<"$said") pin named"
