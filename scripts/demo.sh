#!/usr/bin/env bash
# The main job on the bundled Saarland sample: validate, stats, plan, report.
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
# Stand: heute. Ein frischer Plan beginnt mit dem nächsten Quartal und plant nichts in der Vergangenheit.
TODAY="$(date +%F)"
echo "== 3. Konsolidierung planen (Szenarien landesweit und egosaar-austritt, Stand $TODAY)"
$L plan "$SAMPLE" --scenario consolidation/scenarios/landesweit.yaml --out "$OUT/plan.json" --as-of "$TODAY"
$L plan "$SAMPLE" --scenario consolidation/scenarios/egosaar-austritt.yaml --out "$OUT/plan-austritt.json" \
  --as-of "$TODAY"

echo
echo "== 4. Sitzungsunterlage für das IT-Planungsgremium (HTML, PDF, XLSX) mit Beschlussvorlage"
$L report "$OUT/plan.json" --inventory "$SAMPLE" --out "$OUT/report" --compare "$OUT/plan-austritt.json" \
  --as-of "$TODAY"

echo
echo "Ergebnisse in $OUT/:"
echo "  stats.json                       Kennzahlen des Saarland-Beispiels (JSON)"
echo "  plan.json                        Konsolidierungsplan (landkarte plan schema: der Vertrag)"
echo "  plan-austritt.json               Option ohne die austretenden Gemeinden"
for f in "$OUT"/report/*; do
  printf '  %-32s %s\n' "report/$(basename "$f")" "Bericht"
done
echo
echo "Beschlussvorlage (erste Seiten des PDF, erstes Kapitel des HTML, erstes Blatt der XLSX):"
echo "  $OUT/report/landkarte-landesweit.pdf"
