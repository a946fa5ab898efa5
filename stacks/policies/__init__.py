"""The Landkarte policy pack (pulumi-policy / CrossGuard).

:mod:`stacks.policies.rules` holds the validation functions as plain, testable functions over
:class:`~stacks.policies.rules.Resource` views; ``__main__.py`` wraps them into a ``PolicyPack``
(constructing one starts a gRPC server and blocks, so nothing else may do it).
"""
