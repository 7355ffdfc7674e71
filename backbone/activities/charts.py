"""The alignment matrices as heat maps: each cell shaded by how many activities it counts,
the count written in it. The counts are the lengths of `selectors.Alignment`'s cells, the
same lists the matrices with the activities named are drawn from."""

from __future__ import annotations

from dataclasses import dataclass

from backbone.charts import level

#: Shades of "heat-<n>" (activities.css), 1 the fewest activities to 4 the most; 0 is none.
LEVELS = {1: "#5a7896", 2: "#2a5d8a", 3: "#163e63", 4: "#0b2540"}


@dataclass(frozen=True)
class Cell:
    count: int
    level: int  # 0 (none) to 4

    @property
    def css(self) -> str:
        return f"heat-{self.level}" if self.level else "empty"


@dataclass(frozen=True)
class HeatRow:
    label: object  # a partner or a place, as the matrix's row
    depth: int
    cells: list[Cell]

    @property
    def indent(self) -> str:
        return "\u2003" * self.depth


@dataclass(frozen=True)
class HeatMap:
    rows: list[HeatRow]
    most: int

    @property
    def keys(self) -> list[tuple[int, str]]:
        """The legend: each shade with the counts it stands for."""
        found = {}
        for n in range(1, self.most + 1):
            found.setdefault(level(n, self.most), []).append(n)
        return [
            (shade, str(ns[0]) if len(ns) == 1 else f"{ns[0]}–{ns[-1]}")
            for shade, ns in sorted(found.items())
        ]


def heat_map(rows) -> HeatMap | None:
    """`rows` (`selectors.Row`) shaded on one scale, the busiest cell darkest; None when no
    cell counts an activity."""
    counts = [[len(cell) for cell in row.cells] for row in rows]
    most = max((n for row in counts for n in row), default=0)
    if not most:
        return None
    return HeatMap(
        rows=[
            HeatRow(
                label=row.label,
                depth=row.depth,
                cells=[Cell(count=n, level=level(n, most)) for n in row_counts],
            )
            for row, row_counts in zip(rows, counts, strict=True)
        ],
        most=most,
    )
