#!/usr/bin/env bash
# Renders an exported page and the demo's public site in headless Chromium (run by .ci/run;
# the cargo tests check the HTML's well-formedness themselves and need no browser). Builds
# the demo, exports one article as HTML, and checks the DOM Chromium builds and that it
# prints a PDF; then builds the demo's site and checks the DOM of its front page, an article
# page (title, rival version) and an approved statement (verified badge, signature), with a
# screenshot of each (kept in SHOTS=DIR when given).
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

# The public site: the DOM Chromium builds of three pages, and a screenshot of each.
"$T" -C "$work/demo" site build "$work/site" --base-url https://news.example.org/ >/dev/null
shots=${SHOTS:-$work/shots}
mkdir -p "$shots"
dom_of() { "$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$work/site/$1" 2>/dev/null; }
shot() {
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1400 \
    --screenshot="$shots/$2.png" "file://$work/site/$1" >/dev/null 2>&1
  head -c 8 "$shots/$2.png" | grep -q 'PNG' || { echo "no screenshot of $1" >&2; exit 1; }
}
need() { grep -q -- "$2" <<<"$1" || { echo "$3" >&2; exit 1; }; }
front=$(dom_of index.html)
need "$front" 'Newest articles' "no heading on the site's front page"
need "$front" "$slug/index.html" "the front page does not link the article"
page=$(dom_of "articles/$slug/index.html")
need "$page" '<h1>Tenants at 400 Willowmere begin rent strike over repairs</h1>' "no title on the article page"
need "$page" 'Rival versions (' "no rival versions on the article page"
need "$page" '<del>' "no word diff on the article page"
statement=$(dom_of statements/solidarity-with-the-tenants-of-400-willowmere/index.html)
need "$statement" 'class="verified"' "no verified badge on the approved statement"
need "$statement" '<p class="signature">Mass Organization XYZ</p>' "no signature on the approved statement"
if grep -q '<script' <<<"$front$page$statement"; then echo "a script in the site's DOM" >&2; exit 1; fi
shot index.html front
shot "articles/$slug/index.html" article
shot statements/solidarity-with-the-tenants-of-400-willowmere/index.html statement
echo "Chromium rendered the demo's site: front page, article and verified statement (screenshots: $shots)."
