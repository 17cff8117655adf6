#!/usr/bin/env bash
# Runs every test suite against the local stack, in the order that keeps them from disturbing each
# other: typecheck, unit, integration, fault (restarts Kafka/QuestDB, so alone), e2e, browser (the web
# console in headless Chromium). Continues past
# a failing suite so one run shows every failure, then prints one closing line with the totals and
# exits non-zero if anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck disable=SC1091
source deploy/local/env.sh
out="$root/.run/test-results"
rm -rf "$out" && mkdir -p "$out"
failed_steps=()

step() { echo; echo "=== $1 ==="; }

# promtool (Debian package prometheus) checks the platform alert rules in the unit tests.
bash deploy/local/ensure-promtool.sh || failed_steps+=("ensure-promtool")

step "typecheck"
pnpm run -s typecheck || failed_steps+=("typecheck")

step "lint"
pnpm exec biome check --diagnostic-level=error . || failed_steps+=("lint")

# The browser suite needs Chromium and a CJK font (Debian packages; installed here when missing).
step "ensure chromium"
bash deploy/local/ensure-chromium.sh || failed_steps+=("ensure-chromium")

for project in unit integration fault e2e browser; do
  step "vitest --project $project"
  pnpm exec vitest run --project "$project" --passWithNoTests \
    --reporter=default --reporter=json --outputFile.json="$out/$project.json" || failed_steps+=("$project")
done

node -e '
  const fs = require("fs"); const dir = process.argv[1];
  let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.readdirSync(dir)) {
    const r = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
  }
  console.log("");
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$out"

if ((${#failed_steps[@]} > 0)); then
  echo "FAILED: ${failed_steps[*]}"
  exit 1
fi
echo "all suites passed"
