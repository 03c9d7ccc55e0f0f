#!/usr/bin/env bash
# Re-vendors the web app's JavaScript libraries from the npm registry into
# internal/web/static/vendor, at the versions pinned below, and rewrites the
# VERSIONS note there. Run it from anywhere; it needs npm and tar.
#
# To upgrade: change a version here, run the script, read the library's
# changelog, check the pages (go test ./internal/web/ and a look in a
# browser), and commit the script, the files and VERSIONS together.
set -euo pipefail

HTMX_VERSION=2.0.11   # htmx.org; 2.x on purpose: 4.x changes attribute inheritance and events
UPLOT_VERSION=1.6.32  # uplot

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/internal/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "htmx.org@$HTMX_VERSION" "uplot@$UPLOT_VERSION" >/dev/null
mkdir htmx uplot
tar -xzf "htmx.org-$HTMX_VERSION.tgz" -C htmx
tar -xzf "uplot-$UPLOT_VERSION.tgz" -C uplot

mkdir -p "$dest"
install -m 0644 htmx/package/dist/htmx.min.js "$dest/htmx.min.js"
install -m 0644 htmx/package/LICENSE "$dest/htmx.LICENSE"
install -m 0644 uplot/package/dist/uPlot.iife.min.js "$dest/uPlot.iife.min.js"
install -m 0644 uplot/package/dist/uPlot.min.css "$dest/uPlot.min.css"
install -m 0644 uplot/package/LICENSE "$dest/uPlot.LICENSE"

sha() { sha256sum "$1" | cut -d' ' -f1; }
cat >"$dest/VERSIONS" <<NOTE
Vendored by scripts/vendor-web.sh from the npm registry; do not edit these files by hand.

htmx.org $HTMX_VERSION (BSD Zero Clause License, htmx.LICENSE)
  htmx.min.js        sha256 $(sha "$dest/htmx.min.js")
uplot $UPLOT_VERSION (MIT License, uPlot.LICENSE)
  uPlot.iife.min.js  sha256 $(sha "$dest/uPlot.iife.min.js")
  uPlot.min.css      sha256 $(sha "$dest/uPlot.min.css")
NOTE
echo "vendored htmx.org $HTMX_VERSION and uplot $UPLOT_VERSION into ${dest#"$root"/}"
