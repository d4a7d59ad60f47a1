"""Server-drawn charts: plain numbers for an SVG column chart that always has a data table
beside it (the table is the accessible form; the drawing is for a quick look)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: int
    y: int
    width: int
    height: int
    label_x: int


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    width: int
    height: int
    baseline: int
    maximum: int
    gridlines: list[tuple[int, int]]  # (value, y)


PLOT_HEIGHT = 160
TOP = 12
LEFT = 32
BAR = 34
GAP = 18


def column_chart(points: list[tuple[str, int]], maximum: int, steps: int = 4) -> ColumnChart:
    """Columns for `points` ((label, value) oldest first) on a 0..maximum scale."""
    baseline = TOP + PLOT_HEIGHT
    columns = []
    for i, (label, value) in enumerate(points):
        clipped = max(0, min(value, maximum))
        height = round(PLOT_HEIGHT * clipped / maximum) if maximum else 0
        x = LEFT + GAP + i * (BAR + GAP)
        columns.append(
            Column(
                label=label,
                value=value,
                x=x,
                y=baseline - height,
                width=BAR,
                height=height,
                label_x=x + BAR // 2,
            )
        )
    gridlines = [
        (round(maximum * k / steps), baseline - round(PLOT_HEIGHT * k / steps))
        for k in range(steps + 1)
    ]
    width = LEFT + GAP + max(len(points), 1) * (BAR + GAP)
    return ColumnChart(
        columns=columns,
        width=width,
        height=baseline + 34,
        baseline=baseline,
        maximum=maximum,
        gridlines=gridlines,
    )
