"""The toolkit's SVG charts: well-formed, escaped, accessible, free of inline styles, scripts and external references,
mirrored for right-to-left languages, and robust to empty or degenerate data."""

import math
import re
import xml.etree.ElementTree as ET

import pytest
import resvg_py

from ipvalue.toolkit.charts import bars_svg, compact_number, histogram_svg, matrix_svg, radar_svg, tornado_svg

SVG = "{http://www.w3.org/2000/svg}"
EVIL = "<R&D> \"lab\" 'quote'"
SECONDARY = "#b45309"

ROWS = [
    {"input": "tax_rate", "low": 0.2, "high": 0.3, "value_at_low": 1.03e6, "value_at_high": 0.97e6},
    {"input": "royalty_rate", "low": 0.04, "high": 0.06, "value_at_low": 8e5, "value_at_high": 1.2e6},
    {"input": "growth_rate", "low": 0.03, "high": 0.07, "value_at_low": 0.95e6, "value_at_high": 1.06e6},
    {"input": "discount_rate", "low": 0.10, "high": 0.14, "value_at_low": 1.15e6, "value_at_high": 0.87e6},
]
LABELS = {"royalty_rate": "Royalty rate", "discount_rate": "Discount rate", "growth_rate": "Growth", "tax_rate": EVIL}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def texts(root: ET.Element) -> list[str]:
    """The visible text elements' content, in document order."""
    return ["".join(element.itertext()).strip() for element in root.iter(f"{SVG}text")]


def own_text(element: ET.Element) -> str:
    """A text element's content without its tooltip."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def all_charts(label: str = EVIL, *, rtl: bool = False) -> dict[str, str]:
    return {
        "histogram": histogram_svg(
            [0, 1e5, 2e5, 3e5],
            [3, 10, 4],
            markers={"P10": 5e4, label: 1.5e5},
            title=label,
            x_label=label,
            rtl=rtl,
        ),
        "tornado": tornado_svg(ROWS, 1e6, labels={**LABELS, "tax_rate": label}, title=label, rtl=rtl),
        "bars": bars_svg([label, "Year 2", "Year 3"], [-1e4, 2e4, 3e4], title=label, rtl=rtl),
        "radar": radar_svg([label, "Technology", "Market", "Finance"], [4, 3.5, None, 2], title=label, rtl=rtl),
        "matrix": matrix_svg(
            [(label, 4, 2), ("Patent B", 2, 4)],
            x_label="Opportunity",
            y_label="Risk",
            quadrant_labels=["Avoid", "Manage", "Monitor", label],
            title=label,
            rtl=rtl,
        ),
    }


CHARTS = all_charts()


def assert_valid(svg: str) -> ET.Element:
    """Well-formed, accessible and safe under the site's Content-Security-Policy."""
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width > 0 and height > 0
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    labelled_by = root.get("aria-labelledby").split()
    assert [ids[ident].tag for ident in labelled_by] == [f"{SVG}title", f"{SVG}desc"]
    assert all(ids[ident].text.strip() for ident in labelled_by)
    assert [child.tag for child in root][:2] == [f"{SVG}title", f"{SVG}desc"]
    for element in root.iter():
        assert element.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject", f"{SVG}image", f"{SVG}use")
        for name, value in element.attrib.items():
            assert name != "style" and "href" not in name and not name.startswith("on"), (element.tag, name)
            assert "url(" not in value and "javascript:" not in value, (element.tag, name, value)
    assert not re.search(r"<style\b|<script\b|\sstyle=", svg)
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    return root


@pytest.mark.parametrize("name", CHARTS)
@pytest.mark.parametrize("rtl", [False, True])
def test_every_chart_is_well_formed_safe_and_escaped(name, rtl):
    svg = all_charts(rtl=rtl)[name]
    root = assert_valid(svg)
    assert root.find(f"{SVG}title").text == EVIL
    assert "<R&D>" not in svg and "&lt;R&amp;D&gt;" in svg
    # The label reaches the picture (shortened with an ellipsis where it is too long), not only the title.
    assert any(text.startswith("<R&D>") for text in texts(root)[1:]), texts(root)


@pytest.mark.parametrize("name", CHARTS)
def test_right_to_left_mirrors_the_chart(name):
    ltr, rtl = CHARTS[name], all_charts(rtl=True)[name]
    assert ltr != rtl
    ltr_root, rtl_root = parse(ltr), parse(rtl)
    width = float(ltr_root.get("width"))
    # The visible title moves from the left edge to the right edge, anchored at its end.
    ltr_title, rtl_title = ltr_root.find(f"{SVG}text"), rtl_root.find(f"{SVG}text")
    assert (ltr_title.get("text-anchor"), rtl_title.get("text-anchor")) == ("start", "end")
    assert float(ltr_title.get("x")) == pytest.approx(width - float(rtl_title.get("x")))
    assert ltr_root.get("direction") == rtl_root.get("direction") == "ltr"


def test_the_histogram_has_one_bar_per_bin_and_a_line_per_marker():
    edges = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    svg = histogram_svg(edges, [1, 5, 9, 4, 0], markers={"P10": 1.2, "P50": 2.4, "P90": 3.9}, x_label="Value")
    root = assert_valid(svg)
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(bars) == 5
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[2] == max(heights) and heights[4] == 0
    marker_lines = [line for line in root.iter(f"{SVG}line") if line.get("stroke") == SECONDARY]
    assert len(marker_lines) == 3
    assert {"P10 1.2", "P50 2.4", "P90 3.9"} <= set(texts(root))
    desc = root.find(f"{SVG}desc").text
    assert "19 values" in desc and "5 bins" in desc and "P50 2.4" in desc and "2 to 3" in desc


def test_histogram_markers_sit_where_their_values_are():
    root = parse(histogram_svg([0, 10], [4], markers={"P50": 5}))
    bar = next(rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None)
    line = next(line for line in root.iter(f"{SVG}line") if line.get("stroke") == SECONDARY)
    assert float(line.get("x1")) == pytest.approx(float(bar.get("x")) + float(bar.get("width")) / 2, abs=0.02)
    rtl_root = parse(histogram_svg([0, 10], [4], markers={"P50": 2}, rtl=True))
    ltr_root = parse(histogram_svg([0, 10], [4], markers={"P50": 2}))
    rtl_x = next(float(line.get("x1")) for line in rtl_root.iter(f"{SVG}line") if line.get("stroke") == SECONDARY)
    ltr_x = next(float(line.get("x1")) for line in ltr_root.iter(f"{SVG}line") if line.get("stroke") == SECONDARY)
    assert ltr_x < 320 < rtl_x  # low values on the left, or on the right in right-to-left layout


@pytest.mark.parametrize(
    ("edges", "counts", "markers"),
    [
        ([0, 1], [7], None),
        ([0, 1, 2, 3], [0, 0, 0], {"P50": 1.5}),
        ([5, 5], [12], {"P50": 5}),
        ([], [], None),
        ([3], [], {"P10": 1}),
        ([0, 1e9], [1], {"P90": float("nan"), "far": 5e9}),
        ([-2e-6, -1e-6, 0], [1, 2], None),
    ],
)
def test_degenerate_histograms_do_not_crash(edges, counts, markers):
    root = assert_valid(histogram_svg(edges, counts, markers=markers))
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(bars) == len(counts)


def test_histogram_rejects_mismatched_edges():
    with pytest.raises(ValueError, match="one more edge"):
        histogram_svg([0, 1, 2], [1, 2, 3])


def test_the_tornado_orders_rows_by_swing_and_annotates_each_bar():
    root = assert_valid(tornado_svg(ROWS, 1e6, labels=LABELS))
    shown = texts(root)
    order = [shown.index(label) for label in ("Royalty rate", "Discount rate", "Growth", EVIL)]
    assert order == sorted(order)
    own = [own_text(element) for element in root.iter(f"{SVG}text")]
    # Each bar end: the resulting value and, in brackets, the input's value.
    for value, input_value in (("800k", "(0.04)"), ("1.2M", "(0.06)"), ("870k", "(0.14)"), ("1.03M", "(0.2)")):
        assert value in own and input_value in own
    desc = root.find(f"{SVG}desc").text
    assert desc.index("Royalty rate") < desc.index("Discount rate") < desc.index("Growth") < desc.index(EVIL)
    assert "Royalty rate from 0.04 to 0.06: value from 800k to 1.2M." in desc
    # Bars around the base line: the low royalty rate lowers the value (bar to the left of the base line).
    base = next(line for line in root.iter(f"{SVG}line") if line.get("stroke-width") == "1.5")
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    royalty_low = next(bar for bar in bars if bar.find(f"{SVG}title").text.startswith("Royalty rate at 0.04"))
    assert float(royalty_low.get("x")) + float(royalty_low.get("width")) == pytest.approx(float(base.get("x1")))
    rtl = parse(tornado_svg(ROWS, 1e6, labels=LABELS, rtl=True))
    rtl_bars = [rect for rect in rtl.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    rtl_low = next(bar for bar in rtl_bars if bar.find(f"{SVG}title").text.startswith("Royalty rate at 0.04"))
    rtl_base = next(line for line in rtl.iter(f"{SVG}line") if line.get("stroke-width") == "1.5")
    assert float(rtl_low.get("x")) == pytest.approx(float(rtl_base.get("x1")))  # grows rightwards: lower value


def test_tornado_uses_the_input_path_without_a_label_and_sizes_itself():
    few = parse(tornado_svg(ROWS[:1], 1e6))
    many = parse(tornado_svg(ROWS * 3, 1e6))
    assert "tax_rate" in texts(few)
    assert float(many.get("height")) > float(few.get("height"))
    assert parse(tornado_svg(ROWS, 1e6, height=500)).get("height") == "500"


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [{"input": "a", "low": 1, "high": 1, "value_at_low": 5, "value_at_high": 5}],
        [{"input": "a", "low": 1, "high": 2, "value_at_low": 7, "value_at_high": 9}],  # both above the base
        [{"input": "a", "low": 1, "high": 2, "value_at_low": float("nan"), "value_at_high": 9}],
    ],
)
def test_degenerate_tornados_do_not_crash(rows):
    assert_valid(tornado_svg(rows, 5))


def test_bars_hang_negative_values_below_the_zero_line():
    root = assert_valid(bars_svg(["2025", "2026", "2027"], [-100, 250, 400], title="Present value per year"))
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert [bar.find(f"{SVG}title").text for bar in bars] == ["2025: -100", "2026: 250", "2027: 400"]
    zero = next(line for line in root.iter(f"{SVG}line") if line.get("stroke") == "#1b1f24")
    assert float(bars[0].get("y")) == pytest.approx(float(zero.get("y1")))  # starts at zero, goes down
    assert float(bars[1].get("y")) + float(bars[1].get("height")) == pytest.approx(float(zero.get("y1")))
    assert float(bars[0].get("x")) < float(bars[2].get("x"))
    rtl = parse(bars_svg(["2025", "2026", "2027"], [-100, 250, 400], rtl=True))
    rtl_bars = [rect for rect in rtl.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert float(rtl_bars[0].get("x")) > float(rtl_bars[2].get("x"))  # first year on the right
    assert "3 values: 2025 -100; 2026 250; 2027 400." in root.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("labels", "values"),
    [([], []), (["a"], [0]), (["a", "b"], [0, 0]), (["a", "b"], [-5, -1]), (["a", "b"], [float("nan"), 3])],
)
def test_degenerate_bars_do_not_crash(labels, values):
    assert_valid(bars_svg(labels, values))


def test_bars_reject_mismatched_lengths():
    with pytest.raises(ValueError, match="as many labels"):
        bars_svg(["a"], [1, 2])


def test_the_radar_draws_rings_and_leaves_gaps_for_missing_scores():
    complete = assert_valid(radar_svg(["A", "B", "C", "D", "E"], [1, 2, 3, 4, 5]))
    rings = [polygon for polygon in complete.iter(f"{SVG}polygon") if polygon.get("fill-opacity") is None]
    assert len(rings) == 5  # one per level, 1 to 5
    assert len([polygon for polygon in complete.iter(f"{SVG}polygon") if polygon.get("fill-opacity")]) == 1
    gap = assert_valid(radar_svg(["A", "B", "C", "D", "E"], [4, None, 3, 3, 2]))
    assert not [polygon for polygon in gap.iter(f"{SVG}polygon") if polygon.get("fill-opacity")]
    assert len(list(gap.iter(f"{SVG}circle"))) == 4
    desc = gap.find(f"{SVG}desc").text
    assert "B no score" in desc and "A 4" in desc and "missing: B" in desc
    assert "no score" in texts(gap)


@pytest.mark.parametrize(
    ("axes", "values"),
    [([], []), (["A", "B", "C"], [None, None, None]), (["A"], [3]), (["A", "B"], [2, None]), (["A", "B"], [9, -1])],
)
def test_degenerate_radars_do_not_crash(axes, values):
    root = assert_valid(radar_svg(axes, values))
    if values and all(value is None for value in values):
        assert "No axis has a score yet." in root.find(f"{SVG}desc").text


def test_radar_rings_follow_the_maximum():
    root = parse(radar_svg(["A", "B", "C"], [1, 2, 3], maximum=3.5))
    assert len([polygon for polygon in root.iter(f"{SVG}polygon") if polygon.get("fill-opacity") is None]) == 4


def test_the_matrix_places_points_with_midlines_and_quadrant_labels():
    points = [("Patent A", 4.5, 1.5), ("Patent B", 1.5, 4.5), ("Mark C", 3, 3)]
    quadrants = ["Avoid", "Manage", "Monitor", "Pursue"]
    root = assert_valid(matrix_svg(points, x_label="Opportunity", y_label="Risk", quadrant_labels=quadrants))
    shown = texts(root)
    assert {"Avoid", "Manage", "Monitor", "Pursue", "Opportunity", "Risk", "Patent A", "Mark C"} <= set(shown)
    dashed = next(group for group in root.iter(f"{SVG}g") if group.get("stroke-dasharray"))
    assert len(list(dashed)) == 2  # the two midlines
    circles = {circle.find(f"{SVG}title").text: circle for circle in root.iter(f"{SVG}circle")}
    a, b = circles["Patent A: 4.5, 1.5"], circles["Patent B: 1.5, 4.5"]
    assert float(a.get("cx")) > float(b.get("cx")) and float(a.get("cy")) > float(b.get("cy"))  # right and lower
    vertical = next(line for line in dashed if line.get("x1") == line.get("x2"))
    mid_x = float(vertical.get("x1"))
    assert float(b.get("cx")) < mid_x < float(a.get("cx"))
    desc = root.find(f"{SVG}desc").text
    assert "Patent A: Opportunity 4.5, Risk 1.5 (Pursue)" in desc and "Mark C" in desc and "midline" in desc
    # Right to left: the matrix is mirrored, each quadrant label staying with its data.
    rtl = parse(matrix_svg(points, x_label="Opportunity", y_label="Risk", quadrant_labels=quadrants, rtl=True))
    rtl_circles = {circle.find(f"{SVG}title").text: circle for circle in rtl.iter(f"{SVG}circle")}
    assert float(rtl_circles["Patent A: 4.5, 1.5"].get("cx")) < float(rtl_circles["Patent B: 1.5, 4.5"].get("cx"))
    pursue = next(text for text in rtl.iter(f"{SVG}text") if "".join(text.itertext()) == "Pursue")
    assert float(pursue.get("x")) < 200


@pytest.mark.parametrize(
    "points",
    [[], [("A", 3, 3)] * 6, [("far", -10, 99), ("nan", float("nan"), 2)], [("A", 1, 1), ("B", 5, 5), ("C", 5, 1)]],
)
def test_degenerate_matrices_do_not_crash(points):
    assert_valid(matrix_svg(points, x_label="x", y_label="y", quadrant_labels=["only one"]))


def test_chart_identifiers_differ_between_charts():
    idents = {parse(svg).get("aria-labelledby") for svg in CHARTS.values()}
    assert len(idents) == len(CHARTS)


def test_number_format_is_the_callers():
    def money(value: float) -> str:
        return f"${value:,.0f}"

    svg = bars_svg(["a", "b"], [1234.0, 5678.0], number_format=money)
    assert "$1,234" in texts(parse(svg)) and "$5,678" in svg
    svg = histogram_svg([0, 1000, 2000], [1, 2], markers={"P50": 1500}, number_format=money)
    assert "P50 $1,500" in texts(parse(svg))
    svg = tornado_svg(ROWS[:1], 1e6, number_format=money)
    assert "$1,030,000" in texts(parse(svg))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (0.05, "0.05"),
        (0.123456, "0.123"),
        (3.5, "3.5"),
        (12.5, "12.5"),
        (350, "350"),
        (1234, "1.23k"),
        (350_000, "350k"),
        (999_960, "1M"),
        (1_234_567, "1.23M"),
        (1_200_000, "1.2M"),
        (-2_500_000_000, "-2.5B"),
        (7.2e12, "7.2T"),
        (1.5e15, "1500T"),
        (0.00001234, "1.2e-05"),
        (float("nan"), "–"),
        (float("inf"), "∞"),
    ],
)
def test_compact_number(value, text):
    assert compact_number(value) == text


def test_charts_render_to_png_with_resvg():
    for name, svg in {**CHARTS, **{f"{key}-rtl": value for key, value in all_charts(rtl=True).items()}}.items():
        png = bytes(resvg_py.svg_to_bytes(svg_string=svg))
        assert png.startswith(b"\x89PNG"), name


def test_control_characters_are_dropped_not_written():
    svg = bars_svg(["a\x00b\x0bc"], [1], title="t\x1f")
    assert_valid(svg)
    assert re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", svg) is None
    assert not math.isnan(float(parse(svg).get("width")))
