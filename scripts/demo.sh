#!/usr/bin/env bash
# The main job: analyse a bundled CAPE report with the reference's harness parameters and show the summary.
set -euo pipefail
bin=${1:-build/al-cape}
here=$(cd "$(dirname "$0")/.." && pwd)
sample=$here/tests/data/samples-synthetic/http-web-traffic/Report/reports/lite.json
echo "== al-cape report $sample"
"$bin" report "$sample" --params "$here/tests/data/samples/harness-params.yaml"
