"""The domain, plain mode and the argument parser never import textual.

Checked in a fresh interpreter, so nothing another test imported can hide an import.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    import studyvpc.content.model
    import studyvpc.content.loader
    import studyvpc.content.library
    import studyvpc.study.quiz
    import studyvpc.content.lint
    import studyvpc.content.textutil
    import studyvpc.ui.cli.plain
    from studyvpc.ui.cli.main import build_parser

    build_parser()
    heavy = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    print("textual modules:", heavy)
    assert "textual" not in sys.modules, heavy
""")


def test_domain_plain_and_cli_parser_do_not_import_textual():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "textual modules: []" in proc.stdout


def test_the_check_would_see_textual():
    """The same check, with textual imported on purpose, fails: the test can tell."""
    proc = subprocess.run([sys.executable, "-c", SCRIPT.replace("import sys\n", "import sys\nimport textual\n", 1)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "AssertionError" in proc.stderr
