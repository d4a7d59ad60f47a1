"""A person's scores over time as numbers for a server-drawn SVG (no script, no style attributes).

`trend_chart` turns check-ins into coordinates; `assessments/_trend_chart.html` draws them with
classes from site.css, as an image with a title and a description that states every score, so
a screen reader hears the same thing the chart shows.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rosc.assessments.models import Assessment, Instrument

NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def _n(value: float) -> str:
    """A coordinate for an SVG attribute (never localized)."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    label: str  # "Mar 4, 2025: 38"

    @property
    def sx(self) -> str:
        return _n(self.x)

    @property
    def sy(self) -> str:
        return _n(self.y)


@dataclass(frozen=True)
class Tick:
    at: float
    label: str

    @property
    def s(self) -> str:
        return _n(self.at)

    @property
    def text_s(self) -> str:
        """Where a y-axis label's baseline goes: a little below the tick, so it is centred."""
        return _n(self.at + 4)


@dataclass
class TrendChart:
    element_id: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    title: str
    desc: str
    compact: bool
    points: list[Point] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    cutoff_y: float | None = None
    cutoff_text: str = ""
    cutoff_text_y: float = 0.0

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.sx},{p.sy}" for p in self.points)

    @property
    def label_x(self) -> int:
        return self.left - 6

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def date_y(self) -> int:
        return self.height - self.bottom + 18

    @property
    def cutoff_s(self) -> str:
        return _n(self.cutoff_y or 0)

    @property
    def cutoff_text_s(self) -> str:
        return _n(self.cutoff_text_y)

    @property
    def cutoff_text_x(self) -> int:
        return self.left + 6


def _day(d: date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


def _y_ticks(low: int, high: int) -> list[int]:
    span = max(high - low, 1)
    step = next((s for s in NICE_STEPS if span / s <= 5), NICE_STEPS[-1])
    first = -(-low // step) * step
    ticks = list(range(first, high + 1, step))
    if low not in ticks:
        ticks.insert(0, low)
    if high not in ticks:
        ticks.append(high)
    # Drop a nice tick that would sit on top of the end it is next to.
    return [t for t in ticks if t in (low, high) or min(t - low, high - t) >= step / 2]


def trend_chart(
    instrument: Instrument, assessments: Sequence[Assessment], *, compact: bool = False
) -> TrendChart:
    """Coordinates for the person's totals, oldest on the left, with the cut-off line if any."""
    rows = sorted(assessments, key=lambda a: (a.taken_on, a.created_at))
    low, high = instrument.score_min, instrument.score_max
    if compact:
        width, height, left, right, top, bottom = 320, 120, 30, 10, 10, 22
    else:
        width, height, left, right, top, bottom = 340, 220, 30, 10, 14, 28
    plot_w = width - left - right
    plot_h = height - top - bottom

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / max(high - low, 1))

    first_day = rows[0].taken_on.toordinal() if rows else 0
    span_days = (rows[-1].taken_on.toordinal() - first_day) if rows else 0

    def x_of(day_ordinal: int) -> float:
        if span_days == 0:
            return left + plot_w / 2
        return left + plot_w * (day_ordinal - first_day) / span_days

    points = [
        Point(
            x=x_of(a.taken_on.toordinal()),
            y=y_of(a.total),
            value=a.total,
            label=f"{_day(a.taken_on)}: {a.total}",
        )
        for a in rows
    ]
    scores = "; ".join(p.label for p in points)
    title = f"{instrument.code} total score over time"
    desc = (
        f"{len(points)} check-in{'s' if len(points) != 1 else ''}, scores from {low} to {high}"
        f" (higher means more recovery capital). {scores}."
    )
    chart = TrendChart(
        element_id="checkin-chart-small" if compact else "checkin-chart",
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        title=title,
        desc=desc,
        compact=compact,
        points=points,
        y_ticks=[Tick(y_of(t), str(t)) for t in _y_ticks(low, high)],
    )
    if rows:
        chart.x_ticks = [Tick(points[0].x, _day(rows[0].taken_on))]
        if span_days > 0:
            chart.x_ticks.append(Tick(points[-1].x, _day(rows[-1].taken_on)))
    if instrument.cutoff is not None:
        chart.cutoff_y = y_of(instrument.cutoff)
        source = instrument.cutoff_source.split(",")[0].strip() if instrument.cutoff_source else ""
        if compact:
            chart.cutoff_text = f"Cut-off {instrument.cutoff}"
        else:
            chart.cutoff_text = f"Cut-off {instrument.cutoff}" + (f" ({source})" if source else "")
        # Above the line unless it would leave the plot.
        chart.cutoff_text_y = (
            chart.cutoff_y - 4 if chart.cutoff_y - 14 > top else chart.cutoff_y + 13
        )
        chart.desc += f" {chart.cutoff_text}: {instrument.cutoff_label or 'cut-off'}."
    return chart
