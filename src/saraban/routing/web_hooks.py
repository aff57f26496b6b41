"""Placeholder; replaced below."""


def register() -> None:
    pass
