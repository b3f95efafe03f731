"""The repository's copy of ../shared/ (seed note, hostile strings) is the team's current one."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.shared import SHARED_COPY

TEAM_SHARED = Path(__file__).resolve().parents[3] / "shared"
COPIED = sorted(p.relative_to(SHARED_COPY) for p in SHARED_COPY.rglob("*") if p.is_file())


def test_the_copy_holds_the_inputs_the_tests_use():
    assert {str(p) for p in COPIED} >= {
        "seed/lambda-vpc-s3-security.md",
        "seed/lambda-vpc-s3-security.original.md",
        "fixtures/hostile-strings.json",
    }


@pytest.mark.skipif(not TEAM_SHARED.is_dir(), reason="../shared is not beside this checkout")
@pytest.mark.parametrize("relative", COPIED, ids=str)
def test_copy_matches_the_team_shared_folder(relative):
    assert (SHARED_COPY / relative).read_bytes() == (TEAM_SHARED / relative).read_bytes(), (
        f"tests/fixtures/shared/{relative} differs from ../shared/{relative}: copy it again")
