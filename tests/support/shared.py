"""The project's shared inputs, kept in the repository so every test runs wherever CI clones it.

``tests/fixtures/shared/`` is a byte-for-byte copy of what the team keeps in ``../shared/``: the
seed note (clean and as it arrived, damaged), and the hostile strings every screen must show
literally. ``tests/unit/test_shared_copies.py`` checks the copy against ``../shared/`` when that
folder is beside the checkout, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from pathlib import Path

SHARED_COPY = Path(__file__).resolve().parents[1] / "fixtures" / "shared"
SEED_NOTE = SHARED_COPY / "seed" / "lambda-vpc-s3-security.md"
"""The seed study note, repaired to clean UTF-8."""
SEED_ORIGINAL = SHARED_COPY / "seed" / "lambda-vpc-s3-security.original.md"
"""The seed as it arrived: UTF-8 Korean decoded as Windows-1254 and re-encoded, bytes lost."""
HOSTILE_STRINGS = SHARED_COPY / "fixtures" / "hostile-strings.json"
"""Text that must render literally and never crash the app: a list of {name, text}."""
