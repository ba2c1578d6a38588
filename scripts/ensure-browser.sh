#!/usr/bin/env bash
# Makes sure a Chromium-family browser is installed for the browser tests.
# On Debian/Ubuntu as root it installs the distribution's chromium package;
# elsewhere it says how to get one (the tests skip with the same message).
set -u
if [ -n "${PARLEY_BROWSER_PATH:-}" ] && [ -x "${PARLEY_BROWSER_PATH}" ]; then exit 0; fi
for b in chromium chromium-browser google-chrome google-chrome-stable microsoft-edge; do
  if command -v "$b" >/dev/null 2>&1; then exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browser: installing chromium with apt-get (for the browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q chromium >/tmp/parley-apt.log 2>&1; then
    apt-get update -q >>/tmp/parley-apt.log 2>&1
    apt-get install -y -q chromium >>/tmp/parley-apt.log 2>&1 || { echo "ensure-browser: apt-get install chromium failed, see /tmp/parley-apt.log"; exit 1; }
  fi
  exit 0
fi
echo "ensure-browser: no Chromium found; the browser tests will be skipped. Install chromium (or Chrome/Edge), or set PARLEY_BROWSER_PATH."
