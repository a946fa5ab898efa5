"""Actuals: what really happened (Soll/Ist), recorded in a ``progress/`` folder of YAML beside the inventory.

A peer of :mod:`inventory`: the planner re-plans from it (``landkarte plan --actuals``), the funding
claims and the report's Soll/Ist section read it. :mod:`actuals.models` holds the strict models,
:mod:`actuals.load` reads a folder with every error at once (``file:line:column key: message``).
"""
