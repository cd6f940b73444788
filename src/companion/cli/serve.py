"""`companion serve`: the same app in a browser, through textual-serve, behind a token."""

import argparse
import shlex
import sys
from pathlib import Path

ENV_TOKEN = "COMPANION_TOKEN"
LOCAL = ("127.0.0.1", "localhost", "::1")


def add_serve_parser(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the app to a browser, guarded by a token",
        description="Serve companion to a web browser (textual-serve), on 127.0.0.1 unless "
        "--host says otherwise. The URL printed carries a random token (or --token, or "
        f"${ENV_TOKEN}); without it nobody gets in.",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--token", help=f"a fixed token (default: ${ENV_TOKEN}, else random)")


def run_serve(args: argparse.Namespace, data_dir: Path) -> int:
    import asyncio
    import os
    import secrets  # here, not above: hmac and hashlib cost every other command 8 ms

    from aiohttp import web
    from textual_serve.server import Server

    from companion.cli.web_guard import Guard

    token = args.token or os.environ.get(ENV_TOKEN) or secrets.token_urlsafe(24)
    command = shlex.join([sys.executable, "-m", "companion", "--data-dir", str(data_dir)])
    origin_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    origins = {f"http://{host}:{args.port}" for host in {origin_host, "127.0.0.1", "localhost"}}
    if args.host not in LOCAL:
        print(
            f"companion: serving on {args.host}: anyone on the network who has the token can "
            "open your app and its files; there is no TLS, so the token crosses the network "
            "in clear",
            file=sys.stderr,
        )
    guard = Guard(token, origins | {f"http://{args.host}:{args.port}"})

    class GuardedServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(guard.middleware)
            for route in app.router.routes():  # no folder listings of the static assets
                resource = route.resource
                if resource is not None and hasattr(resource, "_show_index"):
                    resource._show_index = False
            return app

        async def on_startup(self, app: web.Application) -> None:
            # aiohttp binds the port after its startup: the URL is printed once it listens,
            # so whoever reads it (a test, a script) can connect at once
            app["say_url"] = asyncio.get_running_loop().create_task(self._say_when_listening())

        async def _say_when_listening(self) -> None:
            for _ in range(1000):
                try:
                    _, writer = await asyncio.open_connection(origin_host, args.port)
                except OSError:
                    await asyncio.sleep(0.01)
                    continue
                writer.close()
                break
            print(f"{self.public_url}/?token={token}", flush=True)

    server = GuardedServer(command, host=args.host, port=args.port, title="companion",
                           public_url=f"http://{origin_host}:{args.port}")  # fmt: skip
    server.serve()
    return 0
