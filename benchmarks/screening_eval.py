"""Evaluate the built-in crisis-language screener on the project's labelled set.

Run it with ``python benchmarks/screening_eval.py``. It prints recall on
positives (flagged at concern or urgent), recall on direct statements, recall
per category, the false-positive rate on negatives, and how the ambiguous
sentences were read, then exits non-zero if a target is missed:

- recall on positives >= 0.95, with no direct statement missed;
- false-positive rate on negatives <= 0.15.

The labelled sentences (``benchmarks/data/screening.tsv``) were written for this
project. They are short and clear-cut on purpose; real messages are messier,
so these figures describe the patterns, not the world.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rejection_toolkit import PatternScreener, Tier

DATA = Path(__file__).parent / "data" / "screening.tsv"
HELD_OUT = Path(__file__).parent / "data" / "screening-held-out.tsv"
RECALL_TARGET = 0.95
FALSE_POSITIVE_TARGET = 0.15


@dataclass
class Report:
    positives: int = 0
    caught: int = 0
    direct: int = 0
    direct_caught: int = 0
    negatives: int = 0
    false_positives: int = 0
    per_category: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    ambiguous: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    flagged_negatives: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.positives

    @property
    def direct_recall(self) -> float:
        return self.direct_caught / self.direct

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.negatives

    @property
    def meets_targets(self) -> bool:
        return (
            self.recall >= RECALL_TARGET
            and self.direct_caught == self.direct
            and self.false_positive_rate <= FALSE_POSITIVE_TARGET
        )


def evaluate(path: Path = DATA) -> Report:
    screener = PatternScreener()
    report = Report()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        label, category, kind, text = line.split("\t")
        result = screener.screen(text)
        flagged = result.tier > Tier.NONE
        if label == "positive":
            report.positives += 1
            report.caught += flagged
            report.per_category[category][0] += 1
            report.per_category[category][1] += flagged
            if kind == "direct":
                report.direct += 1
                report.direct_caught += flagged
            if not flagged:
                report.missed.append(f"{category} ({kind}): {text}")
        elif label == "negative":
            report.negatives += 1
            report.false_positives += flagged
            if flagged:
                report.flagged_negatives.append(f"{result.tier.label}: {text}")
        else:
            report.ambiguous[result.tier.label] += 1
    return report


def main() -> int:
    report = evaluate()
    print("development set (the patterns were tuned on it, so this is an upper bound)")
    print(
        f"positives: {report.positives}, negatives: {report.negatives}, "
        f"ambiguous: {sum(report.ambiguous.values())}"
    )
    print(f"recall on positives:        {report.recall:.3f}  (target >= {RECALL_TARGET})")
    print(
        f"recall on direct statements: {report.direct_recall:.3f}  "
        f"({report.direct_caught}/{report.direct}; target: none missed)"
    )
    print(
        f"false-positive rate:        {report.false_positive_rate:.3f}  "
        f"(target <= {FALSE_POSITIVE_TARGET})"
    )
    print("recall per category:")
    for category, (total, caught) in sorted(report.per_category.items()):
        print(f"  {category:22} {caught / total:.3f}  ({caught}/{total})")
    print(
        "ambiguous sentences read as: "
        + ", ".join(f"{tier} {n}" for tier, n in sorted(report.ambiguous.items()))
    )
    for text in report.missed:
        print(f"  missed   {text}")
    for text in report.flagged_negatives:
        print(f"  flagged  {text}")
    held = evaluate(HELD_OUT)
    print()
    print("held-out set (never used to change the patterns: the fairer estimate)")
    print(f"positives: {held.positives}, negatives: {held.negatives}")
    print(f"recall on positives:        {held.recall:.3f}")
    print(
        f"recall on direct statements: {held.direct_recall:.3f}  "
        f"({held.direct_caught}/{held.direct})"
    )
    print(f"false-positive rate:        {held.false_positive_rate:.3f}")
    for text in held.missed:
        print(f"  missed   {text}")
    for text in held.flagged_negatives:
        print(f"  flagged  {text}")
    print()
    print("targets met (on the development set)" if report.meets_targets else "TARGETS MISSED")
    return 0 if report.meets_targets else 1


if __name__ == "__main__":
    sys.exit(main())
