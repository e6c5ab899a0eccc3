#!/usr/bin/env bash
# The project's whole check, as CI runs it: engine, install, build, lint, unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/engine.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
npm run lint
# one node:test run over unit and end-to-end files: its closing summary counts them all
node --import tsx --test --test-concurrency=1 --test-reporter=spec test/unit/index.ts test/e2e/*.test.ts
