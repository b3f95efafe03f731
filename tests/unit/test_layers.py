"""The layers of docs/architecture.md, held against the code.

- Imports point down only: content < study < progress < interop < ui (``studyvpc.locations``
  and the package root sit below everything). Read from the source with ``ast``, so an import
  inside a function or under TYPE_CHECKING counts as much as one at the top.
- Nothing below ``ui`` imports Textual or Rich: each core module is imported alone in a fresh
  process and ``sys.modules`` is checked, so nothing another module imported can hide it. One
  interpreter imports the third-party packages the core uses (none may bring in Textual or
  Rich: then every module is checked in its own interpreter instead), and forks a child per
  module; the children import nothing from studyvpc before their own module.
"""

from __future__ import annotations

import ast
import json
import os
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

FORKED = """
import importlib, json, os, sys

def ui():
    return sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))

modules, preload = sys.argv[1].split(","), sys.argv[2].split(",")
for name in preload:
    try:
        importlib.import_module(name)
    except Exception:
        pass
if ui() or any(m.split(".")[0] == "studyvpc" for m in sys.modules):
    sys.exit(2)  # a preloaded package brings them in: check each module in its own interpreter
out = {}
for module in modules:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            importlib.import_module(module)
            shown = ui()[:5]
        except BaseException as e:
            shown = [f"error: {e!r}"]
        os.write(write, json.dumps(shown).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        out[module] = json.loads(f.read() or b'["child died"]')
    os.waitpid(pid, 0)
print(json.dumps(out))
"""


def third_party(root: Path) -> list[str]:
    """The top-level packages the core imports from outside studyvpc (Textual and Rich left
    out), read with ``ast``."""
    names: set[str] = set()
    for path in root.joinpath("studyvpc").rglob("*.py"):
        if module_name(path, root) not in CORE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return sorted(names - {"studyvpc", "textual", "rich", "__future__"})


def fresh(module: str) -> list[str] | None:
    """What ``module`` pulls in of Textual and Rich, imported in its own interpreter."""
    proc = subprocess.run([sys.executable, "-c", CHECK, module], capture_output=True, text=True,
                          timeout=60)
    return [] if proc.returncode == 0 else [proc.stdout.strip(), proc.stderr[-500:]]


@pytest.fixture(scope="module")
def pulled_in() -> dict[str, list[str]]:
    """For every core module (and ``rich.text``, to show the check sees Rich): the Textual and
    Rich modules it brings in, imported alone."""
    modules = [*CORE, "rich.text"]
    if hasattr(os, "fork"):
        proc = subprocess.run([sys.executable, "-c", FORKED, ",".join(modules),
                               ",".join(third_party(SRC))], capture_output=True, text=True,
                              timeout=120)
        if proc.returncode == 0:
            return json.loads(proc.stdout)
        assert proc.returncode == 2, proc.stderr[-500:]
    return {module: fresh(module) for module in modules}


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_neither_textual_nor_rich(module, pulled_in):
    assert pulled_in[module] == [], f"{module} pulls in {pulled_in[module]}"


def test_the_fresh_interpreter_check_sees_rich(pulled_in):
    assert any(m.startswith("rich") for m in pulled_in["rich.text"])
    assert fresh("rich.text")  # and so does the one-interpreter-per-module fallback


def test_the_preloaded_packages_are_the_cores_own():
    assert {"yaml", "msgspec"} <= set(third_party(SRC))
    assert not {"studyvpc", "textual", "rich"} & set(third_party(SRC))


def test_there_are_core_modules_to_check():
    assert {"studyvpc.content.model", "studyvpc.study.quiz", "studyvpc.progress.service",
            "studyvpc.interop.progress_json"} <= set(CORE)
