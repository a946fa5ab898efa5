#!/usr/bin/env bash
# The main job on the bundled Saarland sample: validate, stats, plan, sweep, report.
# Called by `make demo` after the virtualenv is installed. Results go to $1 (default out/demo).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-out/demo}"
L=.venv/bin/landkarte
SAMPLE=inventory/samples/saarland
mkdir -p "$OUT"

echo "== 1. Inventar prüfen: $SAMPLE"
$L inventory validate "$SAMPLE"

echo
echo "== 2. Kennzahlen (Heterogenität, Insellösungen, Supportende)"
$L inventory stats "$SAMPLE" --at 2026-11-25
$L inventory stats "$SAMPLE" --at 2026-11-25 --json > "$OUT/stats.json"

echo
echo "== 3. Konsolidierung planen (Szenario landesweit)"
$L plan "$SAMPLE" --scenario consolidation/scenarios/landesweit.yaml --out "$OUT/plan.json"

echo
echo "== 4. Bandbreiten: Sensitivität der Annahmen und 30 Stichproben nach Datengüte"
$L plan sweep "$SAMPLE" --scenario consolidation/scenarios/landesweit.yaml --sensitivity --samples 30 \
  --out "$OUT/sweep"

echo
echo "== 5. Sitzungsunterlage für das IT-Planungsgremium (HTML, PDF, XLSX)"
$L report "$OUT/plan.json" --inventory "$SAMPLE" --sweep "$OUT/sweep/sweep.json" --out "$OUT/report"

echo
echo "Ergebnisse in $OUT/:"
echo "  stats.json                       Kennzahlen des Saarland-Beispiels (JSON)"
echo "  plan.json                        Konsolidierungsplan (landkarte plan schema: der Vertrag)"
echo "  sweep/sweep.json                 Bandbreiten: Tornado-Daten, P10/P50/P90, Wellen-Wahrscheinlichkeiten"
for f in "$OUT"/report/*; do
  printf '  %-32s %s\n' "report/$(basename "$f")" "Bericht"
done
