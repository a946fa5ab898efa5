"""Pulumi program entry (``main: stacks/`` in Pulumi.yaml)."""

from stacks.program import main

main()
