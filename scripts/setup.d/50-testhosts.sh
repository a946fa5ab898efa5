#!/usr/bin/env bash
# SSH target hosts for the Ansible integration tests: systemd-nspawn containers in their own
# network namespaces. Installs the tools and builds the golden Debian image once (cached).
set -euo pipefail
need=()
for pkg in debootstrap systemd-container nftables openssh-client zstd; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bash "$(dirname "$0")/../testhosts.sh" build
