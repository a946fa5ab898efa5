#!/usr/bin/env bash
# Install the system packages and real components the integration tests use.
# Each part lives in scripts/setup.d/NN-name.sh and is idempotent; they run in order.
# Without root (a laptop) nothing is installed: the integration tests then skip with a reason.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "setup-system: not root — skipping system packages; integration tests will skip (CI runs them)."
  exit 0
fi
if [ -z "${LANDKARTE_SKIP_APT_UPDATE:-}" ] && [ ! -f /tmp/.landkarte-apt-updated ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && touch /tmp/.landkarte-apt-updated
fi
for part in scripts/setup.d/*.sh; do
  [ -e "$part" ] || continue
  echo "setup-system: $(basename "$part")"
  bash "$part"
done
