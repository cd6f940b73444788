"""The README's architecture tree and the packages' docstrings describe the code as it is."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "companion"


def _tree_in_readme() -> set[str]:
    """The names listed directly under `src/companion/` in the README's Architecture block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Architecture", 1)[1].split("```", 2)[1]
    names: set[str] = set()
    for line in block.splitlines():
        match = re.match(r"^  (\S.*?)(?:\s{2,}|$)", line)
        if match:
            names.update(name.strip() for name in match.group(1).split(","))
    return names


def _tree_in_code() -> set[str]:
    packages = {f"{p.name}/" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    modules = {p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    return packages | modules


def test_the_readme_tree_lists_every_package_and_module_of_src_companion():
    assert _tree_in_readme() == _tree_in_code()


def test_every_package_says_what_it_is_for():
    for init in PACKAGE.rglob("__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring, f"{init.relative_to(ROOT)} has no docstring"
