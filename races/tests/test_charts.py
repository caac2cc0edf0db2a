"""The points chart: its geometry (races/charts.py) and its SVG (templates/races/charts.html)."""

from django.template.loader import render_to_string

from races import charts


def two_lines():
    return [
        charts.Line("1", "Collard / Jousse", ((1, "15"), (2, "30"))),
        charts.Line("4", "Belicchi / Boullion", ((1, "15"), (2, "29"))),
    ]


def chart():
    return charts.progression_chart(
        two_lines(), [1, 2], ("c-title", "LMP1 drivers"), ("c-desc", "1. Collard: R1 15")
    )


def test_there_is_no_chart_without_lines_or_rounds():
    assert charts.progression_chart([], [1], ("t", "T"), ("d", "D")) is None
    assert charts.progression_chart(two_lines(), [], ("t", "T"), ("d", "D")) is None


def test_the_y_axis_goes_up_in_round_steps_to_the_best_total():
    drawn = chart()
    assert [line.value for line in drawn.grid] == ["0", "5", "10", "15", "20", "25", "30"]
    assert drawn.grid[0].y == "244.0"  # the bottom of the plot
    assert drawn.grid[-1].y == "16.0"  # the top
    assert [tick.x for tick in drawn.ticks] == ["44.0", "600.0"]


def test_labels_at_line_ends_that_would_overlap_are_moved_apart():
    first, second = chart().ends
    assert float(second.y) - float(first.y) >= 12


def test_each_line_has_its_own_dash_and_marker():
    first, second = chart().series
    assert (first.dash, first.markers[0].shape) == ("", "circle")
    assert (second.dash, second.markers[0].shape) == ("6 3", "square")
    assert second.markers[0].size == "8"


def test_the_svg_has_a_title_a_description_no_inline_style_and_escaped_text():
    svg = render_to_string("races/charts.html#progression", {"chart": chart()})
    assert svg.startswith('<svg class="chart" viewBox="0 0 640 280" role="img"')
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">LMP1 drivers</title>' in svg
    assert '<polyline points="44.0,130.0 600.0,16.0" fill="none"/>' in svg
    assert 'stroke-dasharray="6 3"/><rect x="40.0" y="126.0" width="8" height="8"/>' in svg
    assert "style=" not in svg
    legend = [charts.Line("1", "<b>", ((1, "1"),))]
    drawn = charts.progression_chart(legend, [1], ("t", "<t>"), ("d", "D"))
    assert '<title id="t">&lt;t&gt;</title>' in render_to_string(
        "races/charts.html#progression", {"chart": drawn}
    )


def test_a_swatch_shows_the_lines_style_in_small():
    svg = render_to_string("races/charts.html#swatch", {"swatch": charts.swatch(4)})
    assert svg == (
        '<svg class="chart-swatch s4" width="36" height="12" aria-hidden="true" '
        'focusable="false"><line x1="2" y1="6" x2="34" y2="6" stroke-dasharray="1 2"/>'
        '<path d="M15.0 3.0L21.0 9.0M15.0 9.0L21.0 3.0" fill="none"/></svg>'
    )
