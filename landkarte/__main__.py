"""``python -m landkarte``: the CLI."""

from landkarte import run

run()
