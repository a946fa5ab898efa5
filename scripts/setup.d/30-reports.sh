#!/usr/bin/env bash
# Reports: the fonts the PDF (typst, WeasyPrint) and the Chromium screenshots use.
# Chromium and poppler-utils (pdftotext) come from 10-base.sh.
set -euo pipefail
need=()
for pkg in fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
