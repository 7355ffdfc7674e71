"""The `backbone` command: `demo`, `serve`, and every Django management command."""

from __future__ import annotations

import argparse
import os
import secrets
import sys

DEFAULT_ADDR = "127.0.0.1:8000"
HELP_WORDS = ("help", "--help", "-h")
WILDCARD_HOSTS = ("", "0.0.0.0", "[::]")
SUMMARIES = {
    "demo": "Build the demo initiative and serve it with Django's development server.",
    "serve": "Migrate, load frameworks and questionnaires, collect static files, run gunicorn.",
}


def site_url_for(addr: str) -> str | None:
    """The address to visit for a server bound to `addr` ("HOST:PORT", "PORT" or "HOST").

    A wildcard host is no address to visit, so links then name this machine; a Unix socket
    has no web address at all (None): links need BACKBONE_SITE_URL.
    """
    if addr.startswith(("unix:", "fd://")):
        return None
    if addr.isdigit():
        host, port = "", addr
    elif addr.endswith("]") or ":" not in addr:
        host, port = addr, "8000"
    else:
        host, _, port = addr.rpartition(":")
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def use_served_address(addr: str, environ=os.environ) -> None:
    """Printed and e-mailed links name the address served, unless BACKBONE_SITE_URL names
    another (the public address of a reverse proxy). Runs before the settings load."""
    url = site_url_for(addr)
    if not environ.get("BACKBONE_SITE_URL") and url:
        environ["BACKBONE_SITE_URL"] = url


def positive_int(value: str) -> int:
    """A count of workers or threads, from the command line or the environment."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return number


def demo_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backbone demo",
        description=SUMMARIES["demo"] + " It runs in development mode (BACKBONE_DEBUG=1).",
    )
    parser.add_argument("--addr", default=DEFAULT_ADDR, help=f"HOST:PORT (default {DEFAULT_ADDR})")
    parser.add_argument("--no-serve", action="store_true", help="Build the demo only.")
    return parser


def serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backbone serve",
        description=SUMMARIES["serve"] + " Put a TLS reverse proxy in front of it.",
    )
    parser.add_argument("--addr", default=DEFAULT_ADDR, help=f"HOST:PORT (default {DEFAULT_ADDR})")
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=os.environ.get("BACKBONE_WEB_WORKERS", "2"),
        help="worker processes (default: BACKBONE_WEB_WORKERS or 2)",
    )
    parser.add_argument(
        "--threads",
        type=positive_int,
        default=os.environ.get("BACKBONE_WEB_THREADS", "4"),
        help="threads in each worker (default: BACKBONE_WEB_THREADS or 4)",
    )
    parser.add_argument(
        "--dev",
        action="store_true",
        help="Django's development server instead, in development mode (BACKBONE_DEBUG=1).",
    )
    return parser


PARSERS = {"demo": demo_parser, "serve": serve_parser}


def _settings_problem() -> str | None:
    """Why the settings do not load (a missing secret key), in one line; None when they do."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backbone.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading one setting loads them all)
    except ImproperlyConfigured as exc:
        return str(exc)
    return None


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backbone.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["backbone", *argv])


def _gunicorn(addr: str, workers: int, threads: int) -> None:
    """Serve `backbone.wsgi:application` with gunicorn until it is stopped (SIGTERM, Ctrl-C).

    In this process rather than exec'ing the `gunicorn` script: the same interpreter and
    packages serve as migrated, whatever PATH holds, and the options pass as values rather
    than a command line. The application loads once here before the workers fork (a broken
    configuration fails at once, not in every worker); the database connections that the
    migration opened are closed first, so no worker inherits them.
    """
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": [addr],
        "workers": workers,
        "threads": threads,
        "preload_app": True,
        "accesslog": "-",
        "proc_name": "backbone",
        # gunicorn ≥ 25.1 opens a control socket in ~/.gunicorn by default; a second server
        # on the same machine would take it over, and Backbone does not use it.
        "control_socket_disable": True,
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self):
            from backbone.wsgi import application

            return application

    connections.close_all()
    Server().run()


def _prepare() -> None:
    """Bring the database up to this version with the shipped frameworks and questionnaires,
    and the translation catalogues compiled."""
    _django(["compilemessages", "-v", "0"])
    _django(["migrate", "--no-input", "-v", "0"])
    _django(["load_frameworks"])
    _django(["load_questionnaires"])


def _demo(argv: list[str]) -> int:
    """A demo on plain http, with the development server's tracebacks."""
    args = demo_parser().parse_args(argv)
    os.environ.setdefault("BACKBONE_DEBUG", "1")
    use_served_address(args.addr)
    _prepare()
    _django(["load_demo"])
    if not args.no_serve:
        _django(["runserver", "--noreload", args.addr])
    return 0


def _serve(argv: list[str]) -> int:
    """Bring the database and the collected files up to this version, then serve."""
    args = serve_parser().parse_args(argv)
    if args.dev:
        os.environ.setdefault("BACKBONE_DEBUG", "1")
    unnamed = not os.environ.get("BACKBONE_SITE_URL")
    use_served_address(args.addr)
    if problem := _settings_problem():
        print(problem, file=sys.stderr)
        return 1
    if unnamed and not args.dev:
        print(
            "BACKBONE_SITE_URL is not set: e-mailed links will name "
            f"{os.environ.get('BACKBONE_SITE_URL', 'no address')}, not the public address.",
            file=sys.stderr,
        )
    _prepare()
    if args.dev:
        _django(["runserver", "--noreload", args.addr])
    else:
        _django(["collectstatic", "--no-input", "-v", "0"])
        _gunicorn(args.addr, args.workers, args.threads)
    return 0


COMMANDS = {"demo": _demo, "serve": _serve}


def _wants_help(argv: list[str]) -> bool:
    """Help must answer before any setting is read: it comes first on a new machine."""
    return not argv or argv[0] in HELP_WORDS or "--help" in argv or "-h" in argv


def _help(argv: list[str]) -> int:
    """Help for Backbone's commands, then Django's.

    Listing the commands loads the settings but never uses the secret key: on a machine not
    yet configured, a throwaway key lets help list every command rather than fail.
    """
    from django.conf import settings

    if not settings.configured and not os.environ.get("BACKBONE_SECRET_KEY"):
        os.environ["BACKBONE_SECRET_KEY"] = secrets.token_urlsafe(50)
    topics = [arg for arg in argv if arg not in HELP_WORDS]
    if topics and topics[0] in PARSERS:
        PARSERS[topics[0]]().print_help()
        return 0
    if argv and argv[0] not in HELP_WORDS:  # `backbone migrate --help`
        _django(argv)
        return 0
    if "--commands" in topics:
        print(*PARSERS, sep="\n")
    elif not topics:
        _print_backbone_commands()
    _django(["help", *topics])
    return 0


def _print_backbone_commands() -> None:
    """Ours first: they are how a volunteer starts Backbone."""
    print("Usage: backbone <command> [options]")
    print()
    print("[backbone]")
    for name, summary in SUMMARIES.items():
        print(f"    {name:<8}{summary}")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        argv = argv[1:]
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    if _wants_help(argv):
        return _help(argv)
    if problem := _settings_problem():
        print(problem, file=sys.stderr)
        return 1
    _django(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
