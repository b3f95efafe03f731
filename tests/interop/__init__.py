"""Tests of the interop layer: exports to Anki and CSV (a package, so that module names do not
clash with other test folders)."""
