#!/usr/bin/env bash
# Renders an exported page in headless Chromium (run by .ci/run; the cargo tests check the
# HTML's well-formedness themselves and need no browser). Builds the demo, exports one
# article as HTML, and checks the DOM Chromium builds and that it prints a PDF.
# Run with:  bash tests/chromium-check.sh   (needs chromium-headless-shell or chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
browser=""
for b in chromium-headless-shell chromium chromium-browser; do
  if command -v "$b" >/dev/null; then browser=$b; break; fi
done
[ -n "$browser" ] || { echo "no Chromium: apt-get install chromium-headless-shell" >&2; exit 1; }
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet
T=$PWD/target/debug/tribune
"$T" demo "$work/demo" >/dev/null
slug=tenants-at-400-willowmere-begin-rent-strike-over-repairs
"$T" -C "$work/demo" export "$slug@rfc" --as rfc --format html -o "$work/page.html" >/dev/null
dom=$("$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$work/page.html" 2>/dev/null)
grep -q '<h1>Tenants at 400 Willowmere begin rent strike over repairs</h1>' <<<"$dom" || { echo "no title in the DOM" >&2; exit 1; }
grep -q 'contingent of Mass Organization XYZ' <<<"$dom" || { echo "no signature line in the DOM" >&2; exit 1; }
"$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$work/page.pdf" "file://$work/page.html" 2>/dev/null
head -c 4 "$work/page.pdf" | grep -q '%PDF' || { echo "Chromium printed no PDF" >&2; exit 1; }
echo "Chromium rendered the exported page and printed it ($(wc -c <"$work/page.pdf") bytes of PDF)."
# The demo's newsletter: tribune prints it to PDF itself, through the same browser.
"$T" -C "$work/demo" edition export shop-floor 1 --format html -o "$work/news.html" 2>/dev/null
dom=$("$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$work/news.html" 2>/dev/null)
grep -q '<h1>Shop Floor News</h1>' <<<"$dom" || { echo "no masthead in the newsletter's DOM" >&2; exit 1; }
grep -q 'The Rank-and-File Caucus contingent of Mass Organization XYZ' <<<"$dom" || { echo "no signature in the newsletter's DOM" >&2; exit 1; }
"$T" -C "$work/demo" edition export shop-floor 1 --format pdf -o "$work/news.pdf" 2>/dev/null
head -c 4 "$work/news.pdf" | grep -q '%PDF' || { echo "tribune printed no newsletter PDF" >&2; exit 1; }
echo "Chromium rendered the demo's newsletter and tribune printed it ($(wc -c <"$work/news.pdf") bytes of PDF)."
