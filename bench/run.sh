#!/usr/bin/env bash
# Benchmark: lsu-lint versus xmllint (schema validation only) on the same synthetic data.
#   - one large 2D file (≥ 50 MB, schema 10.0)
#   - 1,000 small 2D files (schema 10.0)
# Measures wall time, throughput and peak memory with /usr/bin/time -v. Not run by the tests.
#
# Usage: bench/run.sh            (from anywhere; data goes to target/bench-data/)
# Environment: TARGET_MB (default 50), MANY (default 1000), MANY_ELEVES (default 8),
#              LSU_XSD (path of the official 10.0 XSD; default: ../shared/reference/xsd/…).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET_MB="${TARGET_MB:-50}"
MANY="${MANY:-1000}"
MANY_ELEVES="${MANY_ELEVES:-8}"
DATA="$ROOT/target/bench-data"

# The official XSD is a test oracle kept beside the repository, never inside it.
XSD="${LSU_XSD:-}"
if [[ -z "$XSD" ]]; then
  dir="$ROOT"
  while [[ "$dir" != "/" ]]; do
    dir="$(dirname "$dir")"
    if [[ -f "$dir/shared/reference/xsd/2d-10.0/import-complet-strict.xsd" ]]; then
      XSD="$dir/shared/reference/xsd/2d-10.0/import-complet-strict.xsd"
      break
    fi
  done
fi
if [[ -z "$XSD" || ! -f "$XSD" ]]; then
  echo "XSD 10.0 officiel introuvable : définir LSU_XSD" >&2
  exit 2
fi

if ! command -v xmllint >/dev/null 2>&1; then
  echo "xmllint absent : installation de libxml2-utils…" >&2
  apt-get install -y libxml2-utils >/dev/null || { apt-get update >/dev/null && apt-get install -y libxml2-utils >/dev/null; }
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "/usr/bin/time absent : installation de time…" >&2
  apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

echo "== compilation (release)"
cargo build --release --bin lsu-lint --bin lsu-gen
BIN="$ROOT/target/release"

echo "== génération des données dans $DATA"
rm -rf "$DATA"
mkdir -p "$DATA"
"$BIN/lsu-gen" --degree 2d --seed 50 --target-mb "$TARGET_MB" --out "$DATA/large"
"$BIN/lsu-gen" --degree 2d --seed 1000 --eleves "$MANY_ELEVES" --many "$MANY" --out "$DATA/many"

LARGE="$DATA/large/lsu.xml"
large_bytes=$(stat -c %s "$LARGE")
many_bytes=$(cat "$DATA"/many/*.xml | wc -c)

# run LABEL BYTES CMD… → appends "label|wall s|MB/s|peak RSS MB|exit" to $DATA/results
run() {
  local label="$1" bytes="$2"
  shift 2
  local log="$DATA/time-$(echo "$label" | tr -c 'a-zA-Z0-9' '_').log"
  local status=0
  /usr/bin/time -v -o "$log" "$@" >"$log.out" 2>"$log.err" || status=$?
  local wall rss secs
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  # h:mm:ss or m:ss.cc → seconds
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  awk -v l="$label" -v s="$secs" -v b="$bytes" -v r="$rss" -v x="$status" \
    'BEGIN { mbs = (s > 0) ? b/1e6/s : 0; printf "%s|%.2f|%.1f|%.1f|%d\n", l, s, mbs, r/1024, x }' >>"$DATA/results"
}

: >"$DATA/results"
echo "== mesures"
run "lsu-lint, 1 fichier de $((large_bytes / 1000000)) Mo" "$large_bytes" \
  "$BIN/lsu-lint" check --today 2026-01-15 --format concise "$LARGE"
run "xmllint --schema, 1 fichier de $((large_bytes / 1000000)) Mo" "$large_bytes" \
  xmllint --noout --schema "$XSD" "$LARGE"
run "lsu-lint, $MANY petits fichiers" "$many_bytes" \
  "$BIN/lsu-lint" check --today 2026-01-15 --format concise "$DATA/many"
run "xmllint --schema, $MANY petits fichiers" "$many_bytes" \
  xmllint --noout --schema "$XSD" "$DATA"/many/*.xml

echo
printf '%-45s %10s %10s %14s %6s\n' "commande" "durée (s)" "Mo/s" "mémoire max (Mo)" "code"
printf '%-45s %10s %10s %14s %6s\n' "--------" "---------" "----" "----------------" "----"
while IFS='|' read -r label secs mbs rss status; do
  printf '%-45s %10s %10s %14s %6s\n' "$label" "$secs" "$mbs" "$rss" "$status"
done <"$DATA/results"
echo
echo "Données : $LARGE ($large_bytes octets), $DATA/many ($MANY fichiers, $many_bytes octets)."
echo "Journaux : $DATA/time-*.log (sortie des commandes : *.log.out / *.log.err)."
