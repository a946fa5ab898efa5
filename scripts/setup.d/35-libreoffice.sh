#!/usr/bin/env bash
# LibreOffice Calc, headless (no GUI): the Erhebung tests open, re-save and edit questionnaires with the
# office suite clerks use (soffice --headless --convert-to xlsx; a UNO/Python edit script).
set -euo pipefail
need=()
for pkg in libreoffice-calc-nogui python3-uno; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
