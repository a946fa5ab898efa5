"""The Pulumi stacks of Landkarte: the shared secure infrastructure an approved plan calls for.

``stacks/__main__.py`` is the Pulumi program (``main: stacks/`` in ``Pulumi.yaml``). It reads a
plan JSON (:func:`plan.io.read_plan`) and declares, through component resources of one
shape, the Proxmox VE resources per data centre, an isolated segment and identity/secret
resources per tenant, a PKI, and backups and monitoring hooks. ``stacks/policies/`` is the
policy pack that guards it. See ``docs/stacks.md``.
"""
