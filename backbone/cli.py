"""The `backbone` command: `demo`, `serve`, and every Django management command."""

from __future__ import annotations

import argparse
import os
import sys


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backbone.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["backbone", *argv])


def _demo(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="backbone demo", description="Build the demo initiative and serve it."
    )
    parser.add_argument("--addr", default="127.0.0.1:8000")
    parser.add_argument("--no-serve", action="store_true", help="Build the demo only.")
    args = parser.parse_args(argv)
    os.environ.setdefault("BACKBONE_DEBUG", "1")
    _django(["migrate", "--no-input", "-v", "0"])
    _django(["load_frameworks"])
    _django(["load_questionnaires"])
    _django(["load_demo"])
    if not args.no_serve:
        _django(["runserver", "--noreload", args.addr])


def _serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="backbone serve", description="Serve Backbone.")
    parser.add_argument("--addr", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    _django(["migrate", "--no-input", "-v", "0"])
    _django(["load_frameworks"])
    _django(["load_questionnaires"])
    _django(["runserver", "--noreload", args.addr])


COMMANDS = {"demo": _demo, "serve": _serve}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        argv = argv[1:]
    if argv and argv[0] in COMMANDS:
        COMMANDS[argv[0]](argv[1:])
    else:
        _django(argv or ["help"])
    return 0
