"""CLI commands registered on cockpit.cli's parser by ``add_commands`` (placeholder until filled in)."""

import argparse

Subparsers = argparse._SubParsersAction  # argparse names no public type for it


def add_commands(commands: "Subparsers[argparse.ArgumentParser]") -> None:
    del commands
