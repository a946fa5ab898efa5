"""Landkarte: command-line interface package."""

from importlib.metadata import version

__version__ = version("landkarte")
