"""Landkarte: command-line interface package."""
__version__ = "0.1.0"
