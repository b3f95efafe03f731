"""The benchmark's rows and the table it prints (benchmarks/run.py)."""

from __future__ import annotations

import statistics
from collections.abc import Callable

Target = tuple[str, Callable[[float, float], bool]] | None
"""What a row should reach (its words, and a test of (value, baseline)); None: no target."""


class Rows:
    def __init__(self, log: Callable[[str], None]) -> None:
        self.rows: list[dict] = []
        self.log = log

    def add(self, group: str, name: str, values: list[float], unit: str,
            base_values: list[float], base_name: str, target: Target = None,
            note: str = "") -> dict:
        value = statistics.median(values)
        base = statistics.median(base_values) if base_values else None
        met = target[1](value, base) if target else None
        row = {"group": group, "name": name, "value": round(value, 2), "unit": unit,
               "baseline": round(base, 2) if base is not None else None,
               "baseline_name": base_name,
               "ratio": round(value / base, 2) if base else None,
               "target": target[0] if target else "", "met": met, "note": note,
               "samples": [round(v, 2) for v in values],
               "baseline_samples": [round(v, 2) for v in base_values]}
        self.rows.append(row)
        self.log(f"  {group} / {name}: {value:.1f} {unit} (baseline {base}, {row['ratio']}×)")
        return row

    def missing(self, group: str, name: str, target: str, why: str) -> None:
        """A row that could not be measured in this run: shown as such, never as a number."""
        self.rows.append({"group": group, "name": name, "value": None, "unit": "",
                          "baseline": None, "baseline_name": "", "ratio": None,
                          "target": target, "met": None, "note": why, "samples": [],
                          "baseline_samples": []})
        self.log(f"  {group} / {name}: not measured ({why})")

    def find(self, group: str, name: str) -> dict | None:
        return next((r for r in self.rows if r["group"] == group and r["name"] == name), None)


def header(meta: dict) -> str:
    load = " ".join(f"{x:g}" for x in meta["load_average"])
    start = " ".join(f"{x:g}" for x in meta.get("load_average_start", ()))
    groups = ", ".join(f"{g} {s:.0f} s ({meta.get('group_cpu_s', {}).get(g, 0):.0f} s CPU)"
                       for g, s in meta.get("group_s", {}).items())
    return (f"studyvpc {meta['version']} ({meta['commit']}), Python {meta['python']}, "
            f"{meta['cpus']} CPUs, {'--quick, ' if meta['quick'] else ''}median of "
            f"{meta['runs']} run(s) at 10,000 questions (one at the other sizes, save the rows "
            f"with a target there; one where a run costs ≥ {meta.get('long_s', 5):g} s of CPU)\n"
            f"measured in {meta['measured_s']:.0f} s: {groups or 'no group'}; before that, "
            f"{meta['prepared_s']:.0f} s preparing the libraries and histories (made once and "
            "kept between runs; not counted in the measured time)\n"
            f"load average (1, 5, 15 min) at the start {start}, at the end {load} (above "
            f"{meta['cpus']}: other work shared the CPUs)")


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def table(rows: list[dict]) -> str:
    head = (f"  {'':40} {'value':>11} {'baseline':>11} {'ratio':>7}  {'target':<30} "
            f"{'met':<8} baseline is / note")
    lines = [head, "-" * len(head)]
    group = None
    order = {g: i for i, g in reversed(list(enumerate(r["group"] for r in rows)))}
    for r in sorted(rows, key=lambda r: order[r["group"]]):
        if r["group"] != group:
            group = r["group"]
            lines.append(group)
        if r["value"] is None:
            lines.append(f"  {r['name']:40} {'not measured yet':>31}  {r['target']:<30} "
                         f"{'-':<8} {r['note']}")
            continue
        met = {True: "met", False: "NOT MET", None: "-"}[r["met"]]
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else "-"
        extra = r["baseline_name"] + (f"; {r['note']}" if r["note"] else "")
        lines.append(f"  {r['name']:40} {_num(r['value'], r['unit']):>11} "
                     f"{_num(r['baseline'], r['unit']):>11} {ratio:>7}  {r['target']:<30} "
                     f"{met:<8} {extra}")
    return "\n".join(lines)
