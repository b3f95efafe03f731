"""The benchmark's "one note edited" start edits one note, differently each time, so each
start is a miss that reads that file only (nothing here is timed)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import edited  # noqa: E402
import synth  # noqa: E402

from studyvpc.content import loader  # noqa: E402
from studyvpc.content.cache import load_library_cached  # noqa: E402


def test_each_edit_changes_one_note_and_the_start_reads_it_alone(tmp_path, monkeypatch):
    lib = synth.realistic_library(tmp_path / "lib", 200)
    cache = tmp_path / "cache"
    load_library_cached([lib], cache)
    read: list[str] = []
    real = loader.read_one
    monkeypatch.setattr(loader, "read_one", lambda path: read.append(path.name) or real(path))
    titles = set()
    for n in range(3):
        before = {p: p.read_bytes() for p in lib.rglob("*.yaml")}
        edited.edit_one(lib, n)
        changed = [p.name for p, data in before.items() if p.read_bytes() != data]
        read.clear()
        result = load_library_cached([lib], cache)
        assert not result.from_cache and result.ok
        assert read == changed and len(changed) == 1
        titles.add(result.library.get_note(Path(changed[0]).stem).title)
    assert len(titles) == 3
