"""landkarte configure — being built in this session."""


def configure() -> int:
    return 1
