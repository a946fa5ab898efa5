"""Configure the shared Basis-IT hosts of a plan with Ansible and record BSI evidence.

The flow is plan → inventory (:mod:`configure.inventory`) → ansible-runner
(:mod:`configure.runner`) → evidence (:mod:`configure.evidence`). The playbooks live in
the top-level ``playbooks/`` folder; every task names its BSI IT-Grundschutz module as a
``bsi_<id>`` tag (:mod:`configure.bsi`).
"""

from configure.bsi import claimed_modules, load_bsi_modules, task_index
from configure.evidence import build_evidence, control_result, write_evidence
from configure.inventory import InventoryOptions, build_inventory
from configure.oscal import Control, controls_failed_per_data_centre, load_controls
from configure.runner import PLAYBOOK_DIR, RunResult, run_playbook

__all__ = [
    "PLAYBOOK_DIR",
    "Control",
    "InventoryOptions",
    "RunResult",
    "build_evidence",
    "build_inventory",
    "claimed_modules",
    "control_result",
    "controls_failed_per_data_centre",
    "load_bsi_modules",
    "load_controls",
    "run_playbook",
    "task_index",
    "write_evidence",
]
