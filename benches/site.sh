#!/usr/bin/env bash
# The public site (issue 13): `tribune site build` of the bench commons (100,000 articles,
# 100 editions x 1,000 rewrites, 1,000,000 ratings by 1,000 raters), beside Hugo building the
# same 100,000 articles exported as Hugo content (each trunk article's index.md, whose TOML
# front matter Hugo reads as it is, as a page bundle). Targets: the full site no slower than
# `hugo --quiet`, peak memory <= 2 GiB; after one contribution, the rebuild <= 1 s.
# Rerun with:  bash benches/site.sh [WORKDIR] [SOURCE]
#   SOURCE: the bench commons (default /tmp/tribune-bench-cold/a100000, which cold.sh
#   builds); it is copied to WORKDIR once and never written to.
# Needs hugo (apt-get install -y hugo), GNU time (/usr/bin/time) and about 3 GB of disk.
# Do not run it while a cargo build runs: on 2 cores the build takes one of them.
. "$(dirname "$0")/common.sh"
work=${1:-/tmp/site-bench-work}
source=${2:-/tmp/tribune-bench-cold/a100000}
bench_env
cargo build --release --quiet
T=$PWD/target/release/tribune
command -v hugo >/dev/null || { echo "hugo is missing: apt-get install -y hugo" >&2; exit 1; }
mkdir -p "$work"
repo=$work/commons
if [ ! -f "$repo/HEAD" ]; then
  echo "== copying $source to $repo"
  cp -a "$source" "$repo"
fi
echo "tribune: $(git rev-parse --short HEAD), $(hugo version | cut -d' ' -f1-2), load at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "articles on the trunk: $(git -C "$repo" ls-tree -r --name-only main articles | grep -c '/index.md$')"

# Hugo: the trunk's articles as content/ (page bundles), a minimal theme of the same pages a
# reader gets from tribune: one page per article, the front page paged by 50, an RSS feed.
hsite=$work/hugo
if [ ! -d "$hsite/content/articles" ]; then
  echo "== exporting the trunk's articles as Hugo content"
  mkdir -p "$hsite/content" "$hsite/layouts/_default"
  git -C "$repo" archive main articles | tar -x -C "$hsite/content"
  cat > "$hsite/config.toml" <<'TOML'
baseURL = "https://news.example.org/"
title = "Bench commons"
disableKinds = ["taxonomy", "term"]
paginate = 50
TOML
  cat > "$hsite/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<meta name="description" content="{{ .Summary | plainify | truncate 160 }}">
<link rel="canonical" href="{{ .Permalink }}"></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
  cat > "$hsite/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>By {{ delimit (.Params.authors | default (slice)) ", " }} · {{ .Params.contingent }} · {{ .Date.Format "2 January 2006" }}</p>
{{ .Content }}</article>{{ end }}
HTML
  cat > "$hsite/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ol>
{{ range (.Paginate .RegularPagesRecursive).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.contingent }}</li>
{{ end }}</ol>{{ template "_internal/pagination.html" . }}{{ end }}
HTML
  cp "$hsite/layouts/_default/list.html" "$hsite/layouts/index.html"
fi
echo "== hugo --quiet (100,000 pages)"
rm -rf "$hsite/public" "$hsite/resources"
/usr/bin/time -f "hugo: %e s wall, %U s user, %S s sys, %M KiB peak" hugo --quiet -s "$hsite" 2>&1 | tail -3
echo "   load: $(cut -d' ' -f1-3 /proc/loadavg)"

out=$work/public
echo "== tribune site build, full (derived index warm, as after any list)"
rm -rf "$out"
"$T" -C "$repo" list --limit 1 >/dev/null
/usr/bin/time -f "site build (full): %e s wall, %U s user, %S s sys, %M KiB peak" \
  "$T" -C "$repo" site build "$out" --base-url https://news.example.org/ 2>&1 | tail -2
echo "   load: $(cut -d' ' -f1-3 /proc/loadavg); files: $(find "$out" -type f | wc -l), $(du -sh "$out" | cut -f1)"

echo "== after one contribution"
printf '+++\ntitle = "Bench: one more article"\nauthors = ["Bench"]\ncontingent = "c001"\ndate = 2026-11-26\nlicense = "CC0-1.0"\n+++\nOne more.\n' >"$work/one.md"
"$T" -C "$repo" contribute "$work/one.md" --slug "bench-one-more-$(date +%s%N)" >/dev/null
/usr/bin/time -f "site build (incremental): %e s wall, %M KiB peak" \
  "$T" -C "$repo" site build "$out" --base-url https://news.example.org/ 2>&1 | tail -2
echo "== nothing changed"
/usr/bin/time -f "site build (no change): %e s wall, %M KiB peak" \
  "$T" -C "$repo" site build "$out" --base-url https://news.example.org/ 2>&1 | tail -2
