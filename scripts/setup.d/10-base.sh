#!/usr/bin/env bash
# Base packages: Chromium (HTML report tests), poppler-utils (pdftotext for PDF tests).
set -euo pipefail
need=()
for pkg in chromium poppler-utils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
