"""What an import did, counted by object and outcome, with the reasons for everything left out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

KINDS = ("statements", "threads", "comments")
OUTCOMES = ("created", "updated", "unchanged", "skipped")


@dataclass
class Report:
    source: str
    file: str
    dry_run: bool = False
    kinds: tuple[str, ...] = KINDS
    counts: dict[str, Counter] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    where: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind in self.kinds:
            self.counts.setdefault(kind, Counter())

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def skip(self, kind: str, reason: str, where: str = "") -> None:
        self.counts[kind]["skipped"] += 1
        self.skipped[reason] += 1
        if where:
            examples = self.where.setdefault(reason, [])
            if len(examples) < 10:
                examples.append(where)

    def note(self, what: str, n: int = 1, where: str = "") -> None:
        self.notes[what] += n
        if where:
            examples = self.where.setdefault(what, [])
            if len(examples) < 10:
                examples.append(where)

    @property
    def changed(self) -> bool:
        return any(self.counts[kind]["created"] or self.counts[kind]["updated"] for kind in self.kinds)

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "file": self.file,
            "dry_run": self.dry_run,
            "counts": {kind: {o: self.counts[kind][o] for o in OUTCOMES} for kind in self.kinds},
            "skipped": dict(self.skipped.most_common()),
            "notes": dict(self.notes.most_common()),
            "examples": self.where,
        }

    def text(self) -> str:
        title = f"Import from {self.source}: {self.file}"
        lines = [title + (" (dry run: nothing was written)" if self.dry_run else "")]
        verb = "would be " if self.dry_run else ""
        width = max(len(kind) for kind in self.kinds) + 2
        for kind in self.kinds:
            c = self.counts[kind]
            lines.append(
                f"  {kind + ':':{width}}"
                + ", ".join(f"{c[o]} {verb if o != 'unchanged' else ''}{o}" for o in OUTCOMES)
            )
        for heading, counter in (("Skipped, by reason:", self.skipped), ("Notes:", self.notes)):
            if counter:
                lines.append(heading)
                for reason, n in counter.most_common():
                    examples = self.where.get(reason)
                    lines.append(
                        f"  {n:7}  {reason}" + (f"  (e.g. {', '.join(examples[:3])})" if examples else "")
                    )
        return "\n".join(lines)
