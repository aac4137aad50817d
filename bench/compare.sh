#!/usr/bin/env bash
# Whole-process comparison of valuesmith with the tools users would otherwise run, on the
# same files in the same run: yamllint (validate), yamlpath's yaml-diff (diff), a ruamel.yaml
# script and the npm `yaml` Document API (one-value set), plus issue 14's cases (a catalog,
# the generated migration, 100k-item diffs, 1,000 files on one and two threads). Prints ONE
# table: wall and CPU time (median of RUNS runs after a warm-up, runs alternating between the
# commands of a case), peak memory, the ratios and the targets; then the edit churn table. The peers are installed into a temporary folder that is removed afterwards.
#
#   bench/compare.sh            # RUNS=7 by default
#   RUNS=11 bench/compare.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$root/../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building valuesmith (release)..." >&2
(cd "$root" && cargo build --release --quiet -p valuesmith-cli)

echo "installing the peers into $work..." >&2
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet yamllint yamlpath ruamel.yaml
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund yaml@2 >/dev/null)

echo "writing the generated inputs (crates/valuesmith/benches/inputs)..." >&2
(cd "$root" && cargo run --release --quiet -p valuesmith --example bench_inputs -- "$work/gen")
# The no-catalog baselines sit outside gen/: catalog discovery looks in every parent folder,
# and gen/releases.yml (the generated catalog) would be found from gen/plain/.
mkdir -p "$work/plain"
cp "$work/gen/values-bench-1.0.0.yml" "$root/examples/cluedin/values-dev-2024-12-02.yml" "$work/plain/"

# ESM imports resolve from the script's folder, so the peer scripts sit beside node_modules.
cp "$root"/bench/peers/* "$work/"

"$work/venv/bin/python" "$root/bench/compare.py" \
  --valuesmith "$root/target/release/valuesmith" \
  --venv "$work/venv" \
  --node-modules "$work/node_modules" \
  --peers "$work" \
  --corpus "$corpus" \
  --runs "${RUNS:-7}" \
  --generated "$work/gen" \
  --repo "$root"
