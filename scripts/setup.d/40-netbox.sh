#!/usr/bin/env bash
# NetBox 4.7 for the NetBox sync's integration tests: PostgreSQL + Redis from apt, NetBox from PyPI in its
# own venv, migrated once (about 4 minutes) into the template database netbox_seed. Quick when installed.
set -euo pipefail
exec bash "$(dirname "$0")/../netbox.sh" install
