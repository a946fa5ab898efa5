"""Landkarte: command-line interface package."""

from importlib.metadata import version

__version__ = version("landkarte")


def run() -> None:
    """The ``landkarte`` program: Ctrl-C is handled from the first moment, then the CLI runs."""
    from common.interrupt import install_at_start

    install_at_start()
    from landkarte.cli import main

    main()
