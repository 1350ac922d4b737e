#!/usr/bin/env bash
# Debian's Chromium, for the tests that open caseload's reports in a real browser
# (tests/report_browser.rs). Installs the `chromium` package if /usr/bin/chromium is missing
# (root only). Exit status 3: Chromium cannot be installed here; the tests are then skipped.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "install-chromium: Chromium is not installed and installing it needs root" >&2
    exit 3
fi
log="${TMPDIR:-/tmp}/caseload-chromium-apt.log"
export DEBIAN_FRONTEND=noninteractive
echo "install-chromium: installing Debian's chromium package" >&2
if ! apt-get install -y -q chromium >"$log" 2>&1; then
    apt-get update -q >>"$log" 2>&1 || true
    if ! apt-get install -y -q chromium >>"$log" 2>&1; then
        echo "install-chromium: could not install chromium (see $log)" >&2
        exit 3
    fi
fi
/usr/bin/chromium --version >&2
