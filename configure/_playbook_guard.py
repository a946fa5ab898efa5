"""ansible-playbook that ends with the ``landkarte configure`` process that started it.

:func:`configure.runner.run_playbook` runs this file (by path, with the venv's Python) instead of
the ``ansible-playbook`` script. Ctrl-C and SIGTERM are handled by the parent, which ends the
whole tree; a SIGKILL cannot be handled, and ansible-playbook runs in a session of its own
(ansible-runner starts it on a pseudo-terminal), so without this it would run on. Here the
kernel's parent-death signal (``prctl(PR_SET_PDEATHSIG, SIGKILL)``) is set for ansible-playbook
and again in every worker it forks from its main thread, so the whole Ansible process tree dies
with its parent. Processes a worker starts with ``exec`` (its ``ssh``) are not Python and end
when their connection ends (``ConnectTimeout``/``ControlPersist`` bound that).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)
_from_main_thread = False


def _die_with_parent() -> None:
    if _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def _before_fork() -> None:
    global _from_main_thread
    # the signal fires when the forking *thread* ends: only forks from the main thread (which lives as
    # long as ansible-playbook) may carry it, or a worker forked from a short-lived thread would die early
    _from_main_thread = threading.current_thread() is threading.main_thread()


def _after_fork_in_child() -> None:
    if _from_main_thread:
        _die_with_parent()


def main() -> int:
    parent = int(os.environ.get("LANDKARTE_CONFIGURE_PID", "0"))
    _die_with_parent()
    if parent and os.getppid() != parent:  # the parent died before the signal was armed
        return 137
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
    from ansible.cli.playbook import main as ansible_playbook

    sys.argv[0] = "ansible-playbook"
    return ansible_playbook()


if __name__ == "__main__":
    sys.exit(main())
