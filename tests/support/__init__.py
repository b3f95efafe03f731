"""Helpers shared by the test folders (``cli``, ``tui``, ``unit``): one copy, not one per file.

Importable as ``support`` because pytest (default "prepend" import mode) puts ``tests/`` on
``sys.path`` when it loads ``tests/conftest.py``, as it does for every test run; the per-folder
helpers (``tui/progress_support.py``, ``tui/shell_support.py``) are found the same way. Plain
modules rather than conftest fixtures: most of what is shared is constants and functions, and
an explicit import shows where a name comes from.
"""
