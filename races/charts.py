"""Charts drawn on the server as SVG: no script, no external file, and readable without colour
(every line has its own dash pattern and marker shape, and a label at its end).

Here is only the geometry, as typed objects whose numbers are already written as SVG wants
them; the markup is templates/races/charts.html. The site's CSP forbids inline `style`
attributes: only SVG presentation attributes and classes (coloured in static/css/site.css).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

# Line styles: (dash pattern, marker). The n-th line of a chart takes the n-th style.
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"]
MARKERS = ["circle", "square", "triangle", "diamond", "cross", "triangle-down"]
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 40, 16, 36


@dataclass(frozen=True)
class Line:
    label: str  # at the line's end: short (a position, a number)
    name: str  # in the legend and the description
    points: tuple  # ((round number, total), …)


@dataclass(frozen=True)
class Marker:
    """A point's marker. A circle is centred on (x, y) with radius `size`; a square has its
    corner at (x, y) and sides of `size`; a cross is the path `d`; the other shapes are the
    polygon `points`."""

    shape: str
    x: str = ""
    y: str = ""
    size: str = ""
    d: str = ""
    points: str = ""


@dataclass(frozen=True)
class GridLine:
    y: str
    label_y: str
    value: str


@dataclass(frozen=True)
class Tick:
    x: str
    label: str


@dataclass(frozen=True)
class Series:
    style: int  # the CSS class's number: s0, s1, …
    points: str  # the polyline's
    dash: str  # stroke-dasharray, or ""
    markers: tuple[Marker, ...]


@dataclass(frozen=True)
class EndLabel:
    style: int
    x: str
    y: str
    label: str


@dataclass(frozen=True)
class Chart:
    title_id: str
    title: str
    description_id: str
    description: str
    grid: tuple[GridLine, ...]
    ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    ends: tuple[EndLabel, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT  # where the grid lines end
    label_x: int = LEFT - 6  # where the values of the y axis end
    tick_y: int = HEIGHT - BOTTOM + 18


@dataclass(frozen=True)
class Swatch:
    """A short sample of a line's style, for a legend."""

    style: int
    dash: str
    marker: Marker


def _fmt(value):
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


def marker(shape, x, y, size=4):
    """A marker of `shape` centred on (x, y)."""
    s = size
    if shape == "circle":
        return Marker(shape, f"{x:.1f}", f"{y:.1f}", str(s))
    if shape == "square":
        return Marker(shape, f"{x - s:.1f}", f"{y - s:.1f}", str(2 * s))
    if shape == "cross":
        left, right, top, bottom = x - s, x + s, y - s, y + s
        d = (
            f"M{left:.1f} {top:.1f}L{right:.1f} {bottom:.1f}"
            f"M{left:.1f} {bottom:.1f}L{right:.1f} {top:.1f}"
        )
        return Marker(shape, d=d)
    corners = {
        "triangle": [(0, -s - 1), (s + 1, s), (-s - 1, s)],
        "triangle-down": [(0, s + 1), (s + 1, -s), (-s - 1, -s)],
        "diamond": [(0, -s - 1), (s + 1, 0), (0, s + 1), (-s - 1, 0)],
    }[shape]
    return Marker(shape, points=" ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in corners))


def style(index):
    return DASHES[index % len(DASHES)], MARKERS[index % len(MARKERS)]


def swatch(index):
    """A short sample of the n-th line's style (for a legend)."""
    dash, shape = style(index)
    return Swatch(index % len(DASHES), dash, marker(shape, 18, 6, 3))


def progression_chart(
    lines, rounds, title, description, round_label: Callable[[int], str] = "R{}".format
):
    """Points after each round, one line per entry of `lines` (best first); None where there
    is nothing to draw. `rounds` are the round numbers of the x axis; `title` and `description`
    are (id, text) pairs."""
    if not lines or not rounds:
        return None
    top = max((Decimal(total) for line in lines for _n, total in line.points), default=0)
    top = max(top, Decimal(1))
    step = nice_step(top)
    y_max = ((top + step - 1) // step) * step
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(len(rounds) - 1, 1)
    x_of = {n: LEFT + (i * slot if len(rounds) > 1 else inner_w / 2) for i, n in enumerate(rounds)}

    def y_of(value):
        return TOP + inner_h - float(Decimal(value) / y_max) * inner_h

    grid = []
    value = Decimal(0)
    while value <= y_max:
        y = y_of(value)
        grid.append(GridLine(f"{y:.1f}", f"{y + 4:.1f}", _fmt(value)))
        value += step
    ticks = tuple(Tick(f"{x_of[n]:.1f}", round_label(n)) for n in rounds)
    series, ends = [], []
    for index, line in enumerate(lines):
        dash, shape = style(index)
        coords = [(x_of[n], y_of(total)) for n, total in line.points if n in x_of]
        if not coords:
            continue
        series.append(
            Series(
                index % len(DASHES),
                " ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
                dash,
                tuple(marker(shape, x, y) for x, y in coords),
            )
        )
        ends.append([coords[-1][1], coords[-1][0], line.label, index])
    # Labels at the lines' ends, moved apart where they would overlap.
    ends.sort()
    for previous, current in itertools.pairwise(ends):
        current[0] = max(current[0], previous[0] + 12)
    return Chart(
        title_id=title[0],
        title=title[1],
        description_id=description[0],
        description=description[1],
        grid=tuple(grid),
        ticks=ticks,
        series=tuple(series),
        ends=tuple(
            EndLabel(index % len(DASHES), f"{x + 8:.1f}", f"{y + 4:.1f}", label)
            for y, x, label, index in ends
        ),
    )


def nice_step(top):
    """A round step for about five grid lines up to `top`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return Decimal(step)
    return Decimal(10 ** len(str(int(top))) // 10)
