#!/bin/bash
# The no-op re-run of 10,000 one-paragraph articles (4 sentences each), timed as a user runs it: one first run,
# then three re-runs under /usr/bin/time. Usage: scripts/noop10k.sh [WORKDIR]   (default: a new temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
rm -rf "$work/c" "$work/out"
.venv/bin/python -c "import sys; from pathlib import Path; from pipeline.bench import make_corpus; \
make_corpus(Path('corpus'), Path(sys.argv[1]), 10000, sentences_per_article=4)" "$work/c"
/usr/bin/time -f "first run %e s" .venv/bin/pipeline run --corpus "$work/c" --out "$work/out" 2>&1 | tail -2
for _ in 1 2 3; do
  /usr/bin/time -f "no-op %e s" .venv/bin/pipeline run --corpus "$work/c" --out "$work/out" 2>&1 | tail -2
done
