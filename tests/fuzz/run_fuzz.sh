#!/usr/bin/env bash
# Fuzz pkcs12kit.loads with atheris for MINUTES minutes (default 30), seeded from tests/vectors,
# the RFC 9579 vectors, cryptography_vectors and freshly generated files (tests/fuzz/seeds.py).
#
#   tests/fuzz/run_fuzz.sh [MINUTES] [WORKDIR]
#
# libFuzzer stops at the first crash; this loop restarts it (keeping the grown corpus) until the
# time is used up, so one run can collect several findings. Findings land in WORKDIR/artifacts
# (crash-*, timeout-*, oom-*, slow-unit-*); each run's log in WORKDIR/logs. Summarise with
#   python tests/fuzz/report.py WORKDIR
# FUZZ_STRICT=1 also fails on exceptions that loads only converts in its safety net (see
# fuzz_loads.check): inside the contract, but a missing check in some layer.
set -euo pipefail
MINUTES=${1:-30}
WORK=${2:-/tmp/pkcs12kit-fuzz}
PY=${PYTHON:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK/corpus" "$WORK/seeds" "$WORK/artifacts" "$WORK/logs"
"$PY" "$HERE/seeds.py" "$WORK/seeds"

deadline=$(( $(date +%s) + MINUTES * 60 ))
run=$(find "$WORK/logs" -name 'run-*.log' | wc -l)  # continue numbering across invocations
while :; do
  left=$(( deadline - $(date +%s) ))
  [ "$left" -le 5 ] && break
  run=$((run + 1))
  log="$WORK/logs/run-$run.log"
  echo "run $run: ${left}s left, log $log"
  set +e
  "$PY" "$HERE/fuzz_loads.py" "$WORK/corpus" "$WORK/seeds" \
    -max_total_time="$left" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -print_final_stats=1 -report_slow_units=1 -artifact_prefix="$WORK/artifacts/" \
    >"$log" 2>&1
  status=$?
  set -e
  echo "run $run exited $status"
  grep -E "stat::|Done [0-9]+ runs|ERROR: libFuzzer|==ERROR|Test unit written" "$log" | tail -12 || true
done
