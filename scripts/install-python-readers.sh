#!/usr/bin/env bash
# Python with pandas and pyarrow, for the test that runs docs/examples/read_results.py
# (tests/readers.rs). Makes a virtual environment in target/python-readers from PyPI and prints
# the path of its python. Exit status 3: Python or PyPI is not available here; the test is
# then skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/python-readers
python="$venv/bin/python"
if [[ -x $python ]] && "$python" -c "import pandas, pyarrow" 2>/dev/null; then
    echo "$PWD/$python"
    exit 0
fi
if ! command -v python3 >/dev/null; then
    echo "install-python-readers: no python3 here" >&2
    exit 3
fi
log="${TMPDIR:-/tmp}/caseload-python-readers.log"
if ! python3 -m venv "$venv" >"$log" 2>&1 \
    || ! "$python" -m pip install --quiet pandas pyarrow >>"$log" 2>&1; then
    echo "install-python-readers: could not install pandas and pyarrow (see $log)" >&2
    exit 3
fi
echo "$PWD/$python"
