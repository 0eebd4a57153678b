#!/usr/bin/env bash
# Load test of `lsu-lint serve` on the loopback (release build), bounded in count and time:
#   1. 200 checks of a 5 MB export, 8 in flight            → all must succeed;
#   2. 16 simultaneous uploads of a 60 MB export            → at least --max-jobs succeed, the rest 503;
#   3. one request of 10,000 tiny files                     → a 4xx;
# then the service's peak memory (VmHWM) must stay under the documented bound, and its memory
# after the load is reported. Not run by the tests (tests/it/service_ops.rs runs a small version).
#
# The bound (docs/deploy.md): 32 MiB + --max-inflight-bytes + 7 × --max-jobs × --max-upload
# (the budget holds the bodies; a running check or fix works in up to 8 times its file's size,
# the file itself included).
#
# Usage: bench/load.sh          Environment: JOBS (default: cores), CHECKS (200), IN_FLIGHT (8),
#                               BURST (16), MANY (10000), PORT (18080)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${JOBS:-$(nproc)}"
CHECKS="${CHECKS:-200}"
IN_FLIGHT="${IN_FLIGHT:-8}"
BURST="${BURST:-16}"
MANY="${MANY:-10000}"
PORT="${PORT:-18080}"
MAX_UPLOAD=$((64 << 20))
MAX_INFLIGHT=$((256 << 20))
BOUND_MIB=$((32 + MAX_INFLIGHT / 1048576 + 7 * JOBS * MAX_UPLOAD / 1048576))
DATA="$ROOT/target/bench-data"

echo "== compilation (release)"
cargo build --release --bin lsu-lint --bin lsu-gen --example load
BIN="$ROOT/target/release"

echo "== données (synthétiques) dans $DATA"
mkdir -p "$DATA"
[[ -f "$DATA/m5/lsu.xml" ]] || "$BIN/lsu-gen" --degree 2d --seed 5 --target-mb 5 --out "$DATA/m5" >/dev/null
[[ -f "$DATA/m60/lsu.xml" ]] || "$BIN/lsu-gen" --degree 2d --seed 60 --target-mb 60 --out "$DATA/m60" >/dev/null

echo "== service : --max-jobs $JOBS, --max-upload $MAX_UPLOAD, --max-inflight-bytes $MAX_INFLIGHT ; borne $BOUND_MIB Mio"
"$BIN/lsu-lint" serve --listen "127.0.0.1:$PORT" --max-jobs "$JOBS" \
  --max-upload "$MAX_UPLOAD" --max-inflight-bytes "$MAX_INFLIGHT" 2>"$DATA/serve.log" &
SERVER=$!
trap 'kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

status=0
timeout 1800 "$BIN/examples/load" "127.0.0.1:$PORT" "$SERVER" \
  "$DATA/m5/lsu.xml" "$DATA/m60/lsu.xml" "$JOBS" "$BOUND_MIB" \
  "$CHECKS" "$IN_FLIGHT" "$BURST" "$MANY" || status=$?

echo "== métriques du service (extrait)"
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^lsu_lint_(rejections_total|files_checked_total|http_requests_total)' || true
exit "$status"
