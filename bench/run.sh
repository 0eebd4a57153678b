#!/usr/bin/env bash
# Benchmark: lsu-lint against xmllint's schema validation on the same synthetic data, printed as
# one Markdown table (time = median wall time of interleaved runs, peak = maximum resident set
# size, both from /usr/bin/time). Not run by the tests; README shows its last output.
#
#   - a collège of ELEVES pupils (default 5,000, ~50 MB) with its reference data and settings:
#     xmllint --noout --schema, xmllint --stream --schema, check alone, full check, fix;
#   - a collège of BIG_ELEVES pupils (default 20,000, ~200 MB): xmllint, check alone and the full
#     check, once;
#   - MANY small exports (default 200 of MANY_ELEVES = 50 pupils): check on 1 and 2 threads.
#
# Usage: bench/run.sh            (from anywhere; data goes to target/bench-data/)
# Environment: ELEVES, BIG_ELEVES (0 skips the big file), MANY, MANY_ELEVES, RUNS (default 3),
#              LSU_XSD (the official 10.0 XSD; default: ../shared/reference/xsd/…).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ELEVES="${ELEVES:-5000}"
BIG_ELEVES="${BIG_ELEVES:-20000}"
MANY="${MANY:-200}"
MANY_ELEVES="${MANY_ELEVES:-50}"
RUNS="${RUNS:-3}"
SEED=5
DATA="$ROOT/target/bench-data"
TODAY=2026-01-15

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
need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "$1 absent : installation de $2…" >&2
    apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
  fi
}
need xmllint libxml2-utils
[[ -x /usr/bin/time ]] || need /usr/bin/time time

echo "== compilation (release)" >&2
cargo build --release --quiet --bin lsu-lint --bin lsu-gen
BIN="$ROOT/target/release"

echo "== génération des données dans $DATA" >&2
rm -rf "$DATA"
mkdir -p "$DATA"
"$BIN/lsu-gen" --degree 2d --seed "$SEED" --eleves "$ELEVES" --out "$DATA/college" >&2
if [[ "$BIG_ELEVES" != 0 ]]; then
  "$BIN/lsu-gen" --degree 2d --seed "$SEED" --eleves "$BIG_ELEVES" --out "$DATA/big" >&2
fi
"$BIN/lsu-gen" --degree 2d --seed "$SEED" --eleves "$MANY_ELEVES" --many "$MANY" --out "$DATA/many" >&2

FILE="$DATA/college/lsu.xml"
CONFIG="$DATA/college/lsu-lint.toml"
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# one CMD… → "seconds kib" of one run (the command's exit code is ignored: findings give 1).
one() {
  local log
  log="$(mktemp)"
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>&1 || true
  tail -1 "$log"
  rm -f "$log"
}

# Interleaved runs of several commands, RUNS times: KEY=CMD… pairs given as functions.
declare -A T M
measure() {
  local runs="$1"
  shift
  local r key out
  for ((r = 0; r < runs; r++)); do
    for key in "$@"; do
      out="$("cmd_$key")"
      T[$key]+="${out% *} "
      M[$key]+="${out#* } "
    done
  done
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
secs() { echo "${T[$1]}" | median; }
mib() { echo "${M[$1]}" | median | awk '{ printf "%.0f", $1 / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
times_file() { awk -v m="$1" -v f="$2" 'BEGIN { printf "%.2f", m * 1048576 / (f * 1e6) }'; }

cmd_xmllint() { one xmllint --noout --schema "$XSD" "$FILE"; }
cmd_stream() { one xmllint --stream --noout --schema "$XSD" "$FILE"; }
cmd_alone() { one "$BIN/lsu-lint" check --today "$TODAY" --format concise "$FILE"; }
cmd_full() { one "$BIN/lsu-lint" check --today "$TODAY" --format concise --config "$CONFIG" "$FILE"; }
cmd_fix() { one "$BIN/lsu-lint" fix --today "$TODAY" --config "$CONFIG" "$FILE" -o "$DATA/fixed.xml"; }
cmd_big_xmllint() { one xmllint --noout --schema "$XSD" "$DATA/big/lsu.xml"; }
cmd_big_alone() { one "$BIN/lsu-lint" check --today "$TODAY" --format concise "$DATA/big/lsu.xml"; }
cmd_big_full() { one "$BIN/lsu-lint" check --today "$TODAY" --format concise --config "$DATA/big/lsu-lint.toml" "$DATA/big/lsu.xml"; }
cmd_many1() { RAYON_NUM_THREADS=1 one "$BIN/lsu-lint" check --today "$TODAY" --format concise "$DATA/many"; }
cmd_many2() { RAYON_NUM_THREADS=2 one "$BIN/lsu-lint" check --today "$TODAY" --format concise "$DATA/many"; }

echo "== mesures ($RUNS passes entrelacées)" >&2
measure "$RUNS" xmllint stream alone full fix many1 many2
if [[ "$BIG_ELEVES" != 0 ]]; then
  measure 1 big_xmllint big_alone big_full
fi

size="$(mb "$FILE")"
x="$(secs xmllint)"
row() { # label key [file MB]
  local s m
  s="$(secs "$2")"
  m="$(mib "$2")"
  printf '| %s | %s s | %s | %s MiB (%s× le fichier) |\n' "$1" "$s" "$(ratio "$s" "${4:-$x}")" "$m" "$(times_file "$m" "${3:-$size}")"
}
echo
echo "Collège généré : \`lsu-gen --degree 2d --seed $SEED --eleves $ELEVES\` ($size Mo, avec Siècle, Nomenclature, STS, Communs et paramètres) ; machine : $(nproc) cœurs, charge moyenne $(cut -d' ' -f1 /proc/loadavg) à la fin ; médianes de $RUNS passes entrelacées."
echo
echo "| commande | durée | rapport à xmllint --schema | mémoire max |"
echo "|---|---|---|---|"
row "\`xmllint --noout --schema\` (schéma seul)" xmllint
row "\`xmllint --stream --schema\`" stream
row "\`lsu-lint check\`, fichier seul" alone
row "\`lsu-lint check --config …\` (vérification complète)" full
row "\`lsu-lint fix --config …\`" fix
if [[ "$BIG_ELEVES" != 0 ]]; then
  big="$(mb "$DATA/big/lsu.xml")"
  bx="$(secs big_xmllint)"
  row "fichier de $big Mo (\`--eleves $BIG_ELEVES\`), \`xmllint --noout --schema\`" big_xmllint "$big" "$bx"
  row "fichier de $big Mo, \`lsu-lint check\` fichier seul" big_alone "$big" "$bx"
  row "fichier de $big Mo, \`lsu-lint check --config …\` (vérification complète)" big_full "$big" "$bx"
fi
m1="$(secs many1)"
m2="$(secs many2)"
echo
echo "$MANY exports de $MANY_ELEVES élèves (\`lsu-gen --seed $SEED --eleves $MANY_ELEVES --many $MANY\`) : 1 thread $m1 s, 2 threads $m2 s, accélération $(ratio "$m1" "$m2")× ; \`fix\` : $(ratio "$(secs fix)" "$(secs full)")× la durée de la vérification complète."
