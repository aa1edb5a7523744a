"""Placeholder until its owner writes it (see ARCHITECTURE.md)."""


def add_arguments(parser) -> None:
    pass


def main(settings, args) -> int:
    raise NotImplementedError
