"""Datasette served by more than one process: the one-machine form of stateless replicas.

Datasette renders every page in one Python process, so one server uses one core however many
the machine has. The database is immutable and Datasette keeps no state between requests, so
identical processes can answer any request: uvicorn starts `--workers` of them on one socket
and the kernel hands each connection to one. Run as a script (publishing.serve_command does),
with the options of `datasette serve` that the project uses:

    python factdb/serving.py facts.db --inspect-file facts-inspect.json --metadata metadata.json \\
        --plugins-dir plugins --template-dir templates --host 127.0.0.1 --port 8001 --workers 2 \\
        --setting sql_time_limit_ms 2000
"""

from __future__ import annotations

import argparse
import asyncio.selector_events
import json
import os
import secrets
import socket
import sys
from pathlib import Path
from typing import Any

import uvicorn
from datasette.app import Datasette
from datasette.cli import Setting
from uvicorn.supervisors import Multiprocess

PROJECT = Path(__file__).resolve().parent.parent
# How the launcher hands its options to the worker processes, which uvicorn starts afresh.
OPTIONS_VARIABLE = "FACTDB_SERVING_OPTIONS"


def app() -> Any:
    """The ASGI application of one worker (a uvicorn factory), configured by the launcher."""
    _accept_one_connection_a_turn()
    options = json.loads(os.environ[OPTIONS_VARIABLE])
    datasette = Datasette(
        immutables=[options["database"]],
        inspect_data=json.loads(Path(options["inspect_file"]).read_text(encoding="utf-8")),
        metadata=json.loads(Path(options["metadata"]).read_text(encoding="utf-8")),
        plugins_dir=options["plugins_dir"],
        template_dir=options["template_dir"],
        settings=options["settings"],
        # One secret for all workers: what one signs (a CSRF token), another must accept.
        secret=options["secret"],
    )
    return datasette.app()


def _accept_one_connection_a_turn() -> None:
    """Make this worker accept one waiting connection each time round its event loop.

    asyncio accepts every connection waiting on the shared socket at once (up to the listen
    backlog): when readers connect together, the first worker to wake takes nearly all of them,
    and keep-alive connections stay where they were accepted. Twenty readers were seen split 18
    to 2, one core doing nine tenths of the work. Taking one at a time, the other worker, awake
    as well, takes the next: connections (and so the work) are shared. This wraps a private
    method of asyncio's event loop (the same in Python 3.11 to 3.13); tests/test_load.py checks
    the share.
    """
    loop_class = asyncio.selector_events.BaseSelectorEventLoop
    accept_all_waiting = loop_class._accept_connection

    def accept_one(
        self: Any,
        protocol_factory: Any,
        sock: Any,
        sslcontext: Any = None,
        server: Any = None,
        backlog: int = 100,
        *more: Any,
    ) -> None:
        accept_all_waiting(self, protocol_factory, sock, sslcontext, server, 1, *more)

    loop_class._accept_connection = accept_one  # type: ignore[method-assign]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    for option in ("--inspect-file", "--metadata", "--plugins-dir", "--template-dir"):
        parser.add_argument(option, type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    return parser


def main(argv: list[str] | None = None) -> None:
    arguments = _parser().parse_args(argv)
    # Datasette's own conversion of `--setting NAME VALUE`, so that a bad one fails here, once.
    settings = dict(Setting().convert(tuple(setting), None, None) for setting in arguments.setting)
    options = {
        "database": str(arguments.database.resolve()),
        "inspect_file": str(arguments.inspect_file.resolve()),
        "metadata": str(arguments.metadata.resolve()),
        "plugins_dir": str(arguments.plugins_dir.resolve()),
        "template_dir": str(arguments.template_dir.resolve()),
        "settings": settings,
        "secret": secrets.token_hex(32),
    }
    os.environ[OPTIONS_VARIABLE] = json.dumps(options)
    sys.path.insert(0, str(PROJECT))  # where workers, started afresh with this path, import this module
    config = _TcpConfig(
        "factdb.serving:app",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        lifespan="on",
        log_level="info",  # as `datasette serve`: where it listens, and each request
    )
    if config.workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()


class _TcpConfig(uvicorn.Config):
    """uvicorn's configuration, with a listening socket that says it is TCP.

    uvicorn binds the socket it shares between workers with protocol 0 (Kludex/uvicorn#3149),
    and asyncio sets TCP_NODELAY only on connections of a socket marked IPPROTO_TCP: without it
    every keep-alive response after the first waits about 40 ms for the client's delayed ACK.
    """

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        return socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())


if __name__ == "__main__":
    main()
