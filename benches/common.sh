# Shared by the benchmark scripts (sourced, not run, as `. "$(dirname "$0")/common.sh"`):
# strict mode and the repository's top as the working directory; then a pinned environment,
# a release build in $T, and the synthetic commons in $repo, built once by
# `tribune synth ARGS…`.
#   bench_setup WORKDIR "what is built" SYNTH-ARGS…
# For the old/new comparisons (compare.sh and governance.sh, whose WORKDIR paired.py reads):
#   bench_env                    the pinned environment alone;
#   bench_slugs REPO WORKDIR     the first 100 articles of REPO's trunk to WORKDIR/slugs;
#   bench_prep WORKDIR OLD NEW   WORKDIR/in (articles of c001 to contribute) and
#                                WORKDIR/prep.sh (the steps run before a timed run).
set -euo pipefail
cd "$(dirname "$0")/.."

# The two builds compared: bench_builds SCRIPT "$@" sets old_bin and new_bin from the first
# two arguments (usage and exit 2 without them).
bench_builds() {
  local script=$1; shift
  if [ $# -lt 2 ]; then echo "usage: bash benches/$script OLD_BIN NEW_BIN [WORKDIR]" >&2; exit 2; fi
  old_bin=$(realpath "$1")
  new_bin=$(realpath "$2")
}

bench_env() {
  export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C TZ=UTC
  export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org
  export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org
}

# A measurement on a busy machine measures the machine: waits (at most two minutes) for the
# one-minute load average to fall under 1.
bench_quiet() {
  for _ in $(seq 24); do
    awk '{ exit !($1 < 1.0) }' /proc/loadavg && return
    sleep 5
  done
  echo "(the machine stayed busy: load $(cut -d' ' -f1-3 /proc/loadavg))"
}

bench_setup() {
  local work=$1 what=$2
  shift 2
  bench_env
  cargo build --release --quiet
  T=$PWD/target/release/tribune
  mkdir -p "$work"
  repo=$work/commons
  if [ ! -f "$repo/HEAD" ]; then
    echo "== building the synthetic commons ($what)"
    /usr/bin/time -f "synth: %e s wall, %M KiB peak" "$T" synth "$repo" "$@"
  fi
}

# The first 100 articles of the trunk, read with git, so that no binary touches the commons.
bench_slugs() {
  git -C "$1" ls-tree -r --name-only main articles/ \
    | awk -F/ 'NF == 5 && $5 == "index.md" && n < 100 { print $4; n++ }' > "$2/slugs"
}

# The steps that set up a fresh state, run by hyperfine --prepare and paired.py (outside the
# timing) as `bash WORKDIR/prep.sh STEP B`, B old or new, on the copy WORKDIR/B:
#   restore B: B's copy and hub back to pristine (from WORKDIR/B.0 and WORKDIR/hub.git);
#   rate100 B: 100 new ratings with `rate --batch` (WORKDIR/batch±1.jsonl) by B's binary;
#   next B:    the next unused article of c001 to WORKDIR/next-B.md, for `contribute`.
bench_prep() {
  local work=$1 old_bin=$2 new_bin=$3 i
  mkdir -p "$work/in"
  for i in $(seq 1 100); do
    printf '+++\ntitle = "Comparison article %s"\nauthors = ["Bench"]\ncontingent = "c001"\ndate = 2026-11-21\nlicense = "CC0-1.0"\n+++\nA short body for comparison article %s.\n' "$i" "$i" > "$work/in/a$i.md"
  done
  cat > "$work/prep.sh" <<EOF
set -euo pipefail
b=\$2; bin=$old_bin; [ "\$b" = new ] && bin=$new_bin
case \$1 in
  restore) rm -rf "$work/\$b" "$work/hub-\$b.git"; cp -a "$work/\$b.0" "$work/\$b"; cp -a "$work/hub.git" "$work/hub-\$b.git" ;;
  rate100) n=\$(( \$(cat "$work/r-\$b" 2>/dev/null || echo 0) + 1 )); echo \$n > "$work/r-\$b"
           "\$bin" -C "$work/\$b" rate --batch "$work/batch\$(( n % 2 ? 1 : -1 )).jsonl" >/dev/null ;;
  next)    n=\$(( \$(cat "$work/n-\$b" 2>/dev/null || echo 0) + 1 )); echo \$n > "$work/n-\$b"
           # Past the 100 written above (paired.py runs it as often as it likes), one more.
           [ -f "$work/in/a\$n.md" ] || sed "s/article 1\\b/article \$n/g" "$work/in/a1.md" > "$work/in/a\$n.md"
           cp "$work/in/a\$n.md" "$work/next-\$b.md" ;;
esac
EOF
}
