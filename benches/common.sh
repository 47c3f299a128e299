# Shared by the benchmark scripts (sourced, not run, as `. "$(dirname "$0")/common.sh"`):
# strict mode and the repository's top as the working directory; then a pinned environment,
# a release build in $T, and the synthetic commons in $repo, built once by
# `tribune synth ARGS…`.
#   bench_setup WORKDIR "what is built" SYNTH-ARGS…
set -euo pipefail
cd "$(dirname "$0")/.."

bench_setup() {
  local work=$1 what=$2
  shift 2
  export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C TZ=UTC
  export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org
  export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org
  cargo build --release --quiet
  T=$PWD/target/release/tribune
  mkdir -p "$work"
  repo=$work/commons
  if [ ! -f "$repo/HEAD" ]; then
    echo "== building the synthetic commons ($what)"
    /usr/bin/time -f "synth: %e s wall, %M KiB peak" "$T" synth "$repo" "$@"
  fi
}
