"""The layers of docs/architecture.md, held against the code.

- Imports point down only: content < study < progress < interop < ui (``studyvpc.locations``
  and the package root sit below everything). Read from the source with ``ast``, so an import
  inside a function or under TYPE_CHECKING counts as much as one at the top.
- Nothing below ``ui`` imports Textual or Rich: each core module is imported alone in a fresh
  interpreter and ``sys.modules`` is checked, so nothing another module imported can hide it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
LAYERS = ("content", "study", "progress", "interop", "ui")
"""Lowest first; a module may import its own layer and the ones before it."""
BASE = {"studyvpc", "studyvpc.locations"}
"""Below every layer."""
ENTRY = {"studyvpc.__main__"}
"""``python -m studyvpc``: starts the command line, so it stands with ``ui``."""


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int:
    """0 for the base, then 1 + the index in LAYERS."""
    if module in BASE:
        return 0
    if module in ENTRY:
        return len(LAYERS)
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return 1 + LAYERS.index(parts[1])
    raise AssertionError(f"{module} is in no layer: put it in one (and in docs/architecture.md)")


def imported(path: Path, module: str) -> set[str]:
    """Every studyvpc module ``path`` imports (absolute or relative, at any depth)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            out.add(base)
    return {m for m in out if m == "studyvpc" or m.startswith("studyvpc.")}


def upward_imports(root: Path) -> list[str]:
    """Every import of a higher layer, as "importer (layer) -> imported (layer)"."""
    problems = []
    for path in sorted(root.joinpath("studyvpc").rglob("*.py")):
        module = module_name(path, root)
        own = layer_of(module)
        for target in sorted(imported(path, module)):
            if layer_of(target) > own:
                problems.append(f"{module} ({layer_of_name(own)}) imports {target} "
                                f"({layer_of_name(layer_of(target))})")
    return problems


def layer_of_name(n: int) -> str:
    return "base" if n == 0 else LAYERS[n - 1]


def test_no_layer_imports_a_layer_above_it():
    assert upward_imports(SRC) == []


def test_the_layer_check_sees_an_upward_import(tmp_path):
    """A lower layer importing a higher one is caught (shown on a copy of a tiny tree)."""
    pkg = tmp_path / "studyvpc"
    for folder in ("content", "ui"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "ui" / "screen.py").write_text("from studyvpc.content import model\n")
    (pkg / "content" / "model.py").write_text(
        "def f():\n    from studyvpc.ui.screen import x\n    from ..ui import screen\n")
    assert upward_imports(tmp_path) == [
        "studyvpc.content.model (content) imports studyvpc.ui (ui)",
        "studyvpc.content.model (content) imports studyvpc.ui.screen (ui)",
    ]


CORE = sorted(module_name(p, SRC) for p in SRC.joinpath("studyvpc").rglob("*.py")
              if layer_of(module_name(p, SRC)) < 1 + LAYERS.index("ui")
              and module_name(p, SRC) != "studyvpc.__main__")

CHECK = """
import importlib, sys
importlib.import_module(sys.argv[1])
ui = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(ui[:5])
sys.exit(1 if ui else 0)
"""


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_neither_textual_nor_rich(module):
    proc = subprocess.run([sys.executable, "-c", CHECK, module], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, f"{module} pulls in {proc.stdout.strip()} {proc.stderr[-500:]}"


def test_the_fresh_interpreter_check_sees_rich():
    proc = subprocess.run([sys.executable, "-c", CHECK, "rich.text"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1 and "rich" in proc.stdout


def test_there_are_core_modules_to_check():
    assert {"studyvpc.content.model", "studyvpc.study.quiz", "studyvpc.progress.service",
            "studyvpc.interop.progress_json"} <= set(CORE)
