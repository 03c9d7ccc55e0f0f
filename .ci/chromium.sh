#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests
# (browsertests/), installing it with apt-get when /usr/bin/chromium is
# missing (that needs root), and prints the environment the tests read:
#   eval "$(.ci/chromium.sh)"
# Everything but the exports goes to stderr. The tests also read
# PARLEY_BROWSER_OUT (where the screenshots go; default
# browsertests/testdata/out) and PARLEY_BIN (a parley binary to serve with;
# default: built from this checkout).
set -euo pipefail

chromium="${PARLEY_CHROMIUM:-/usr/bin/chromium}"

if [[ ! -x "$chromium" ]]; then
	if [[ "$chromium" != /usr/bin/chromium ]]; then
		echo "PARLEY_CHROMIUM=$chromium is not an executable file" >&2
		exit 1
	fi
	if [[ "$(id -u)" -ne 0 ]]; then
		echo "$chromium is missing and installing it needs root: sudo apt-get install chromium" >&2
		exit 1
	fi
	echo "installing chromium with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update >&2
	apt-get install -y chromium >&2 # with its recommends: the fonts the pages are drawn with
fi

echo "using $("$chromium" --version 2>/dev/null)" >&2
echo "export PARLEY_CHROMIUM=$chromium"
