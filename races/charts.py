"""Charts drawn on the server as SVG: no script, no external file, and readable without colour
(every line has its own dash pattern and marker shape, and a label at its end).

The site's CSP forbids inline `style` attributes: only SVG presentation attributes and classes
(coloured in static/css/site.css) are used. Every text is escaped here.
"""

import itertools
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe

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


def _e(value):
    return escape(str(value), quote=True)


def _fmt(value):
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


def marker(shape, x, y, size=4):
    """A marker of `shape` centred on (x, y), as SVG."""
    s = size
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}"/>'
    if shape == "square":
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s}" height="{2 * s}"/>'
    if shape == "cross":
        return (
            f'<path d="M{x - s:.1f} {y - s:.1f}L{x + s:.1f} {y + s:.1f}'
            f'M{x - s:.1f} {y + s:.1f}L{x + s:.1f} {y - s:.1f}" fill="none"/>'
        )
    corners = {
        "triangle": [(0, -s - 1), (s + 1, s), (-s - 1, s)],
        "triangle-down": [(0, s + 1), (s + 1, -s), (-s - 1, -s)],
        "diamond": [(0, -s - 1), (s + 1, 0), (0, s + 1), (-s - 1, 0)],
    }[shape]
    path = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in corners)
    return f'<polygon points="{path}"/>'


def style(index):
    return DASHES[index % len(DASHES)], MARKERS[index % len(MARKERS)]


def swatch(index):
    """A short sample of the n-th line's style (for a legend), as SVG."""
    dash, shape = style(index)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return mark_safe(
        f'<svg class="chart-swatch s{index % len(DASHES)}" width="36" height="12" '
        f'aria-hidden="true" focusable="false"><line x1="2" y1="6" x2="34" y2="6"'
        f"{dash_attr}/>{marker(shape, 18, 6, 3)}</svg>"
    )


def progression_chart(lines, rounds, title, description, round_label="R%s"):
    """Points after each round, one line per entry of `lines` (best first). `rounds` are the
    round numbers of the x axis."""
    if not lines or not rounds:
        return ""
    top = max((Decimal(total) for line in lines for _n, total in line.points), default=0)
    top = max(top, Decimal(1))
    step = nice_step(top)
    y_max = ((top + step - 1) // step) * step
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(len(rounds) - 1, 1)
    x_of = {n: LEFT + (i * slot if len(rounds) > 1 else inner_w / 2) for i, n in enumerate(rounds)}

    def y_of(value):
        return TOP + inner_h - float(Decimal(value) / y_max) * inner_h

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{_e(title[0])} {_e(description[0])}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_e(title[0])}">{_e(title[1])}</title>',
        f'<desc id="{_e(description[0])}">{_e(description[1])}</desc>',
        '<g class="axis">',
    ]
    value = Decimal(0)
    while value <= y_max:
        y = y_of(value)
        out.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(value)}</text>'
        )
        value += step
    for n in rounds:
        out.append(
            f'<text x="{x_of[n]:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{_e(round_label % n)}</text>"
        )
    out.append("</g>")
    ends = []
    for index, line in enumerate(lines):
        dash, shape = style(index)
        coords = [(x_of[n], y_of(total)) for n, total in line.points if n in x_of]
        if not coords:
            continue
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        out.append(f'<g class="line s{index % len(DASHES)}">')
        out.append(f'<polyline points="{path}" fill="none"{dash_attr}/>')
        out.extend(marker(shape, x, y) for x, y in coords)
        out.append("</g>")
        ends.append([coords[-1][1], coords[-1][0], line.label, index])
    # Labels at the lines' ends, moved apart where they would overlap.
    ends.sort()
    for previous, current in itertools.pairwise(ends):
        current[0] = max(current[0], previous[0] + 12)
    for y, x, label, index in ends:
        out.append(
            f'<text class="end s{index % len(DASHES)}" x="{x + 8:.1f}" y="{y + 4:.1f}">'
            f"{_e(label)}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))


def nice_step(top):
    """A round step for about five grid lines up to `top`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return Decimal(step)
    return Decimal(10 ** len(str(int(top))) // 10)
