"""Run inside a network namespace with only loopback up: a local server answers, the internet
cannot be reached. Prints the JSON of `check-links` on a file linking to both."""

import sys
import tempfile
from pathlib import Path

from companion.cli.main import main
from tests.links.server import Server

server = Server()
folder = Path(tempfile.mkdtemp())
doc = folder / "plan.md"
doc.write_text(f"- [local]({server.base}/ok)\n- [far](https://example.org/page)\n")
code = main(
    [
        "--data-dir",
        str(folder / "data"),
        "check-links",
        str(doc),
        "--format",
        "json",
        "--timeout",
        "3",
    ]
)
server.stop()
sys.exit(code)
