"""The loader's fast paths give exactly what the slow ones give (benchmarks/run.py times them).

- the refused-character pre-check on the file's bytes never misses a character the regular
  expression refuses;
- the cheap plain-tree walk accepts only what the exact alias/tag check accepts;
- the loader with the cached tag resolver composes the same tags as PyYAML's own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from studyvpc import locations
from studyvpc.content import yamlnodes as yn

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import make_library  # noqa: E402


def precheck(text: str) -> bool:
    ctx = yn.FileContext("x", text)
    ctx.utf8 = text.encode("utf-8")
    return yn._may_hold_bad_characters(ctx)


def test_byte_precheck_flags_every_refused_character():
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # never in strictly decoded text
        char = chr(code)
        if yn._NON_PRINTABLE.match(char):
            assert precheck(f"id: a{char}b\n"), hex(code)
    assert not precheck("id: 게이트웨이 → endpoint — ok ✓ 🎯\n")


def test_byte_precheck_only_skips_the_search(tmp_path):
    (tmp_path / "n.yaml").write_bytes("id: n1\ntitle: T\x07\n".encode())
    from studyvpc.content.loader import load_library

    [error] = load_library([tmp_path]).errors
    assert str(error).endswith("character U+0007 (a control character) is not allowed in a "
                               "content file; remove it (escape it as \\x.. inside double "
                               "quotes if it is meant)")


@pytest.mark.parametrize("text, plain", [
    ("a: 1\nb: [x, y]\nc: {d: e}\n", True),
    ("a: &x 1\nb: *x\nc: *x\n", True),  # aliases of single values: counted, fine
    ("a: &x [1, 2]\nb: *x\n", False),  # an aliased list: left to the exact check
    ("a: &x [*x]\n", False),
    ("a: !!python/name:os.system x\n", False),
    ("<<: {a: 1}\n", False),  # the merge key's tag is not plain data
])
def test_plain_tree_walk_agrees_with_the_exact_check(text, plain):
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert yn._plain_data(node) is plain
    if plain:
        ctx = yn.FileContext("x", text)
        assert yn._check_graph_exactly(ctx, node) and not ctx.errors


def tags(node) -> list:
    out = [(type(node).__name__, node.tag, node.start_mark.line, node.start_mark.column)]
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            out += tags(child)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out += tags(key) + tags(value)
    return out


@pytest.mark.parametrize("base", ["CSafeLoader", "SafeLoader"])
def test_cached_resolver_composes_the_same_tags(base, tmp_path):
    loader = getattr(yaml, base, None)
    if loader is None:
        pytest.skip("PyYAML was built without libyaml")
    files = sorted(locations.bundled_content_dir().rglob("*.yaml"))
    files += sorted(make_library(tmp_path / "synthetic", 30).rglob("*.yaml"))
    extra = "a: [yes, No, ~, null, '', 0x1F, 1_000, .5, -.inf, 2025-08-20, '=', '<<', !!str 1]\n"
    texts = [f.read_text(encoding="utf-8") for f in files] + [extra]
    fast = yn._fast_loader(loader)
    for text in texts:
        assert tags(fast(text).get_single_node()) == tags(loader(text).get_single_node())
