"""Which repairs the damaged seed note more: studyvpc's mojibake module or ftfy?

    pip install ftfy && python benchmarks/mojibake_vs_ftfy.py

The seed arrived as UTF-8 Korean decoded as Windows-1254 and saved again, some bytes lost on
the way (tests/fixtures/shared/seed/README.md). Each damaged line is repaired by each tool and
compared with the clean note, character by character (``difflib`` matching blocks). The
Markdown reader uses whichever repairs more (`studyvpc.content.markdown.source`), so ftfy is
not a dependency; this script keeps the measurement reproducible.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "shared" / "seed"
sys.path.insert(0, str(ROOT / "src"))

from studyvpc.content.mojibake import find_garbled  # noqa: E402


def mojibake_module(line: str) -> str:
    out, pos = [], 0
    for g in find_garbled(line):
        out += [line[pos: g.index], g.meant]
        pos = g.index + len(g.garbled)
    return "".join(out) + line[pos:]


def score(fix, damaged: list[str], clean: list[str]) -> tuple[int, int, int, int]:
    exact = right = total = lost = 0
    for bad, good in zip(damaged, clean):
        fixed = fix(bad)
        exact += fixed == good
        blocks = difflib.SequenceMatcher(None, fixed, good, autojunk=False).get_matching_blocks()
        right += sum(b.size for b in blocks)
        total += len(good)
        lost += fixed.count("\ufffd")
    return exact, right, total, lost


def main() -> int:
    original = (SEED / "lambda-vpc-s3-security.original.md").read_text(encoding="utf-8").split("\n")
    clean = (SEED / "lambda-vpc-s3-security.md").read_text(encoding="utf-8").split("\n")
    pairs = [(a, b) for a, b in zip(original, clean) if a != b]
    damaged, good = [a for a, _ in pairs], [b for _, b in pairs]
    fixers = [("as it arrived", lambda s: s), ("studyvpc mojibake", mojibake_module)]
    try:
        import ftfy
    except ImportError:
        print("ftfy is not installed: pip install ftfy", file=sys.stderr)
    else:
        fixers += [(f"ftfy {ftfy.__version__} fix_text", ftfy.fix_text)]
    print(f"{len(pairs)} damaged lines")
    for name, fix in fixers:
        exact, right, total, lost = score(fix, damaged, good)
        print(f"{name:24} lines exact {exact:3}/{len(pairs)}   characters right {right}/{total} "
              f"({100 * right / total:.1f}%)   shown as \ufffd: {lost}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
