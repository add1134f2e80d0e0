"""Server-side SVG charts for the valuation toolkit: plain string building, no plotting library.

The same markup is shown inline in web pages, embedded in PDF reports (WeasyPrint) and converted to PNG (resvg) for
DOCX reports, so it keeps to what all three render alike:

* only SVG presentation attributes (``fill``, ``stroke``, ``font-size``, ...): no ``style`` attribute, no ``<style>``
  element (the site's Content-Security-Policy forbids inline styles), no script, no external reference;
* every piece of text escaped with ``html.escape``;
* accessible: ``role="img"`` and ``aria-labelledby`` naming a ``<title>`` and a ``<desc>`` that says the data in words;
* readable in black and white: the site's primary blue, a secondary amber and greys, with shapes, dash patterns and
  labels (not colour alone) telling series apart;
* mirrored for right-to-left languages (``rtl=True``): the layout is computed left to right and every horizontal
  coordinate is reflected, so value axes sit on the right and bars grow leftwards. The root sets ``direction="ltr"``
  so that ``text-anchor`` means the same geometric side in a browser inside a ``dir="rtl"`` page, in WeasyPrint and in
  resvg; the anchors are swapped explicitly when mirroring.

Numbers are written by the caller's ``number_format`` (default :func:`compact_number`: 1.23M, 350k, 0.05).
"""

import hashlib
import html
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = ["bars_svg", "compact_number", "histogram_svg", "matrix_svg", "radar_svg", "tornado_svg"]

NumberFormat = Callable[[float], str]

PRIMARY = "#0b4f8a"
PRIMARY_TINT = "#dbe7f3"
SECONDARY = "#b45309"
SECONDARY_TINT = "#f6d7b0"
INK = "#1b1f24"
MUTED = "#4a5360"
GRID = "#c4ccd6"
GRID_LIGHT = "#e3e8ee"
SURFACE = "#f3f6f9"
WHITE = "#ffffff"
FONT_FAMILY = "'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', system-ui, sans-serif"
# Dash patterns telling marker lines apart without colour.
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4")
# Characters XML 1.0 does not allow, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Numbers and text ----------------------------------------------------------------------------------------------


def _trim(text: str) -> str:
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def compact_number(value: float) -> str:
    """Three significant digits, with k, M, B or T for thousands and up: 1.23M, 350k, 12.5, 0.05."""
    value = float(value)
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    rounded = float(f"{value:.3g}")
    magnitude = abs(rounded)
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= threshold:
            scaled = rounded / threshold
            return _trim(f"{scaled:.{max(0, 2 - math.floor(math.log10(abs(scaled))))}f}") + suffix
    if magnitude < 1e-4:
        return f"{rounded:.2g}"
    decimals = max(0, 2 - math.floor(math.log10(magnitude)))
    return _trim(f"{rounded:.{decimals}f}")


def _esc(text: object) -> str:
    """Escaped for XML text and attribute values, characters XML cannot carry removed."""
    return html.escape(_XML_INVALID.sub("", str(text)))


def _num(value: float) -> str:
    """A coordinate: two decimals at most."""
    return _trim(f"{value:.2f}")


def _text_width(text: str, size: float) -> float:
    """An estimate, on the generous side, of the rendered width of text in a sans-serif font."""
    width = 0.0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6
    return width * size


def _fit(text: str, max_width: float, size: float) -> str:
    """Text shortened with an ellipsis to fit max_width."""
    if _text_width(text, size) <= max_width:
        return text
    while text and _text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def _number(value: Any) -> float | None:
    """value as a finite float, or None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _finite(value: Any) -> bool:
    return _number(value) is not None


def _nice_step(span: float, target: int) -> float:
    raw = span / max(target, 1)
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    base = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= multiple * base * (1 + 1e-9):
            return multiple * base
    return 10 * base


def _widen(low: float, high: float) -> tuple[float, float]:
    """A range with some width, even when all the data is one number."""
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    return low, high


def _ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round numbers inside [low, high]."""
    low, high = _widen(low, high)
    step = _nice_step(high - low, target)
    first = math.ceil(low / step - 1e-9)
    ticks = []
    index = first
    while index * step <= high + step * 1e-9:
        ticks.append(round(index * step, 12))
        index += 1
    return ticks


def _nice_domain(low: float, high: float, target: int = 5, *, integer: bool = False) -> tuple[float, float, float]:
    """[low, high] widened to round numbers, and the step between ticks."""
    low, high = _widen(low, high)
    step = _nice_step(high - low, target)
    if integer:
        step = max(1.0, float(math.ceil(step)))
    return math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step, step


def _join(items: Iterable[str]) -> str:
    return "; ".join(items)


# The canvas: left-to-right layout, mirrored on output ------------------------------------------------------------


class _Canvas:
    """Collects SVG elements laid out left to right; with rtl every x is reflected and text anchors swapped."""

    def __init__(self, width: float, height: float, rtl: bool) -> None:
        self.width = float(width)
        self.height = float(height)
        self.rtl = rtl
        self.parts: list[str] = []

    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def anchor(self, anchor: str) -> str:
        if self.rtl:
            return {"start": "end", "end": "start"}.get(anchor, anchor)
        return anchor

    @staticmethod
    def _attrs(attrs: Mapping[str, Any]) -> str:
        out = []
        for key, value in attrs.items():
            if value is None or value == "":
                continue
            name = key.rstrip("_").replace("_", "-")
            text = _num(value) if isinstance(value, float) else str(value)
            out.append(f' {name}="{_esc(text)}"')
        return "".join(out)

    def _element(self, tag: str, attrs: Mapping[str, Any], tooltip: str | None = None) -> None:
        if tooltip:
            self.parts.append(f"<{tag}{self._attrs(attrs)}><title>{_esc(tooltip)}</title></{tag}>")
        else:
            self.parts.append(f"<{tag}{self._attrs(attrs)}/>")

    def open(self, **attrs: Any) -> None:
        self.parts.append(f"<g{self._attrs(attrs)}>")

    def close(self) -> None:
        self.parts.append("</g>")

    def rect(self, x: float, y: float, w: float, h: float, *, tooltip: str | None = None, **attrs: Any) -> None:
        if w < 0:
            x, w = x + w, -w
        if h < 0:
            y, h = y + h, -h
        left = self.width - x - w if self.rtl else x
        self._element(
            "rect", {"x": float(left), "y": float(y), "width": float(w), "height": float(h), **attrs}, tooltip
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: Any) -> None:
        coords = {"x1": float(self.x(x1)), "y1": float(y1), "x2": float(self.x(x2)), "y2": float(y2)}
        self._element("line", {**coords, **attrs})

    def circle(self, cx: float, cy: float, r: float, *, tooltip: str | None = None, **attrs: Any) -> None:
        self._element("circle", {"cx": float(self.x(cx)), "cy": float(cy), "r": float(r), **attrs}, tooltip)

    def poly(self, tag: str, points: Sequence[tuple[float, float]], **attrs: Any) -> None:
        text = " ".join(f"{_num(self.x(px))},{_num(py)}" for px, py in points)
        self._element(tag, {"points": text, **attrs})

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        anchor: str = "start",
        size: float = 12,
        fill: str = INK,
        tooltip: str | None = None,
        **attrs: Any,
    ) -> None:
        if not content:
            return
        all_attrs = {
            "x": float(self.x(x)),
            "y": float(y),
            "text-anchor": self.anchor(anchor),
            "font-size": float(size),
            "fill": fill,
            **attrs,
        }
        title = f"<title>{_esc(tooltip)}</title>" if tooltip and tooltip != content else ""
        self.parts.append(f"<text{self._attrs(all_attrs)}>{title}{_esc(content)}</text>")

    def title(self, title: str) -> float:
        """The visible title at the top; returns where the chart below it starts."""
        if not title:
            return 10.0
        # bold glyphs run about a tenth wider than the regular ones _text_width estimates (Cyrillic most of all)
        self.text(12, 22, _fit(title, self.width - 24, 15 * 1.1), size=15, font_weight="bold", tooltip=title)
        return 34.0

    def no_data(self, top: float, message: str) -> None:
        self.text(self.width / 2, (top + self.height) / 2, message, anchor="middle", size=13, fill=MUTED)

    def svg(self, title: str, desc: str) -> str:
        body = "\n".join(self.parts)
        digest = hashlib.sha256(f"{title}\0{desc}\0{self.rtl}\0{body}".encode()).hexdigest()[:12]
        ident = f"chart-{digest}"
        width, height = _num(self.width), _num(self.height)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
            f'font-family="{_esc(FONT_FAMILY)}" direction="ltr">\n'
            f'<title id="{ident}-title">{_esc(title)}</title>\n'
            f'<desc id="{ident}-desc">{_esc(desc)}</desc>\n'
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="{WHITE}"/>\n'
            f"{body}\n</svg>"
        )


# 1. Histogram ---------------------------------------------------------------------------------------------------


def histogram_svg(
    edges: Sequence[float],
    counts: Sequence[int],
    *,
    markers: Mapping[str, float] | None = None,
    title: str = "",
    x_label: str = "",
    number_format: NumberFormat = compact_number,
    rtl: bool = False,
    width: int = 640,
    height: int = 320,
) -> str:
    """A value distribution: one bar per bin (``len(edges) == len(counts) + 1``), with labelled vertical lines at
    ``markers`` (e.g. P10, P50, P90). In right-to-left layout values grow leftwards and the count axis is on the
    right."""
    bin_edges = [float(edge) for edge in edges]
    bin_counts = [int(count) for count in counts]
    if bin_counts and len(bin_edges) != len(bin_counts) + 1:
        raise ValueError(f"a histogram needs one more edge than counts, got {len(bin_edges)} and {len(bin_counts)}")
    if not all(math.isfinite(edge) for edge in bin_edges):
        raise ValueError("histogram edges must be finite numbers")
    if any(count < 0 for count in bin_counts):
        raise ValueError("histogram counts cannot be negative")
    marks = [(str(name), float(value)) for name, value in (markers or {}).items() if _finite(value)]
    canvas = _Canvas(width, height, rtl)
    chart_title = title or _("Distribution of values")
    top = canvas.title(title)
    if not bin_counts:
        canvas.no_data(top, _("No data"))
        return canvas.svg(chart_title, _("No values to show."))

    total = sum(bin_counts)
    _y_bottom, y_top, y_step = _nice_domain(0, max(max(bin_counts), 1), 4, integer=True)
    y_ticks = [index * y_step for index in range(round(y_top / y_step) + 1)]
    left = max(32.0, max(_text_width(compact_number(tick), 11) for tick in y_ticks) + 16)
    px0, px1 = left, width - 18.0
    low, high = _widen(min([*bin_edges, *(value for _, value in marks)]), max([*bin_edges, *(v for _, v in marks)]))

    def sx(value: float) -> float:
        return px0 + (value - low) / (high - low) * (px1 - px0)

    # Marker labels go in rows above the plot, each on the first row where it does not overlap another.
    rows: list[list[tuple[float, float]]] = [[], [], []]
    placed: list[tuple[str, float, float, int, str]] = []
    for index, (name, value) in enumerate(sorted(marks, key=lambda mark: mark[1])):
        label = f"{name} {number_format(value)}"
        label_width = _text_width(label, 11)
        center = min(max(sx(value), px0 + label_width / 2), px1 - label_width / 2)
        span = (center - label_width / 2 - 4, center + label_width / 2 + 4)
        row = next(
            (r for r, taken in enumerate(rows) if all(span[1] <= a or span[0] >= b for a, b in taken)), len(rows) - 1
        )
        rows[row].append(span)
        placed.append((label, sx(value), center, row, DASHES[index % len(DASHES)]))
    rows_used = max((row for *_, row, _dash in placed), default=-1) + 1
    py0 = top + 8 + rows_used * 15
    py1 = height - (42.0 if x_label else 26.0)
    plot_height = max(py1 - py0, 1.0)

    def sy(count: float) -> float:
        return py1 - count / y_top * plot_height

    canvas.open(fill="none", stroke=GRID_LIGHT, stroke_width="1")
    for tick in y_ticks[1:]:
        canvas.line(px0, sy(tick), px1, sy(tick))
    canvas.close()
    canvas.open(fill=MUTED, font_size="11")
    for tick in y_ticks:
        canvas.text(px0 - 6, sy(tick) + 4, compact_number(tick), anchor="end", size=11, fill=MUTED)
    canvas.close()

    canvas.open(fill=PRIMARY, stroke=WHITE, stroke_width="0.75")
    for index, count in enumerate(bin_counts):
        x0, x1 = sorted((sx(bin_edges[index]), sx(bin_edges[index + 1])))
        if x1 - x0 < 1.5:
            x0, x1 = (x0 + x1) / 2 - 0.75, (x0 + x1) / 2 + 0.75
        tooltip = _("%(low)s to %(high)s: %(count)s") % {
            "low": number_format(bin_edges[index]),
            "high": number_format(bin_edges[index + 1]),
            "count": count,
        }
        canvas.rect(x0, sy(count), x1 - x0, py1 - sy(count), tooltip=tooltip)
    canvas.close()
    canvas.line(px0, py1, px1, py1, stroke=INK, stroke_width="1")

    target = max(2, int((px1 - px0) / 90))
    while True:
        x_ticks = [tick for tick in _ticks(low, high, target) if low <= tick <= high]
        widest = max((_text_width(number_format(tick), 11) for tick in x_ticks), default=0)
        if target <= 2 or len(x_ticks) * (widest + 12) <= px1 - px0:
            break
        target -= 1
    for tick in x_ticks:
        canvas.line(sx(tick), py1, sx(tick), py1 + 4, stroke=INK, stroke_width="1")
        label = number_format(tick)
        half = _text_width(label, 11) / 2
        anchor = "start" if sx(tick) - half < 2 else "end" if sx(tick) + half > width - 2 else "middle"
        canvas.text(sx(tick), py1 + 16, label, anchor=anchor, size=11, fill=MUTED)
    if x_label:
        canvas.text((px0 + px1) / 2, height - 8, _fit(x_label, px1 - px0, 12), anchor="middle", tooltip=x_label)

    if placed:
        canvas.open(fill="none")
        for label, x, center, row, dash in placed:
            y_label = top + 8 + row * 15 + 11
            canvas.line(x, y_label + 3, x, py1, stroke=WHITE, stroke_width="4")
            canvas.line(x, y_label + 3, x, py1, stroke=SECONDARY, stroke_width="2", stroke_dasharray=dash)
            canvas.text(center, y_label, label, anchor="middle", size=11, font_weight="bold")
        canvas.close()

    values_text = ngettext("%(count)s value", "%(count)s values", total) % {"count": total}
    bins_text = ngettext("%(count)s bin", "%(count)s bins", len(bin_counts)) % {"count": len(bin_counts)}
    desc = [
        _("Distribution of %(values)s from %(low)s to %(high)s in %(bins)s.")
        % {
            "values": values_text,
            "low": number_format(min(bin_edges)),
            "high": number_format(max(bin_edges)),
            "bins": bins_text,
        }
    ]
    if total:
        mode = max(range(len(bin_counts)), key=lambda index: bin_counts[index])
        desc.append(
            _("The most frequent range, %(low)s to %(high)s, holds %(values)s.")
            % {
                "low": number_format(bin_edges[mode]),
                "high": number_format(bin_edges[mode + 1]),
                "values": ngettext("%(count)s value", "%(count)s values", bin_counts[mode])
                % {"count": bin_counts[mode]},
            }
        )
    else:
        desc.append(_("Every bin is empty."))
    if marks:
        desc.append(
            _("Markers: %(list)s.") % {"list": _join(f"{name} {number_format(value)}" for name, value in marks)}
        )
    return canvas.svg(chart_title, " ".join(desc))


# 2. Tornado -----------------------------------------------------------------------------------------------------


def tornado_svg(
    rows: Sequence[Mapping[str, Any]],
    base_value: float,
    *,
    labels: Mapping[str, str] | None = None,
    title: str = "",
    number_format: NumberFormat = compact_number,
    rtl: bool = False,
    width: int = 640,
    height: int | None = None,
) -> str:
    """A tornado diagram of one-at-a-time sensitivity: one row per input (keys ``input``, ``low``, ``high``,
    ``value_at_low``, ``value_at_high``), largest swing first, bars from the base value to the value with the input at
    its low end (solid) and at its high end (light). Each bar end carries the resulting value and, in brackets, the
    input's value. ``height`` defaults to what the rows need."""
    if not _finite(base_value):
        raise ValueError("the tornado's base value must be a finite number")
    labels = labels or {}
    items = []
    for row in rows:
        at_low, at_high = _number(row.get("value_at_low")), _number(row.get("value_at_high"))
        swing = abs(at_high - at_low) if at_low is not None and at_high is not None else -1.0
        items.append((swing, row))
    items.sort(key=lambda item: item[0], reverse=True)
    base = float(base_value)
    row_height = 30.0
    title_space = 34.0 if title else 10.0
    header, footer = 22.0, 30.0
    canvas_height = (
        float(height) if height is not None else title_space + header + max(len(items), 1) * row_height + footer
    )
    canvas = _Canvas(width, canvas_height, rtl)
    chart_title = title or _("Sensitivity of the value")
    top = canvas.title(title)
    if not items:
        canvas.no_data(top, _("No data"))
        return canvas.svg(chart_title, _("No inputs to show."))
    row_height = max((canvas_height - top - header - footer) / len(items), 8.0)
    bar_height = min(18.0, row_height * 0.62)

    names = [str(labels.get(str(row.get("input", "")), row.get("input", ""))) for _swing, row in items]
    label_width = min(max(_text_width(name, 12) for name in names) + 12, width * 0.32)
    px0, px1 = label_width + 6, width - 10.0

    def fmt(value: Any) -> str:
        return number_format(float(value)) if _finite(value) else "–"

    def annotation(row: Mapping[str, Any], side: str) -> tuple[str, str]:
        return fmt(row.get(f"value_at_{side}")), f"({fmt(row.get(side))})"

    notes = [annotation(row, side) for _swing, row in items for side in ("low", "high")]
    pad = min(max(_text_width(value, 11) * 1.15 + _text_width(inp, 10) + 14 for value, inp in notes), (px1 - px0) * 0.3)
    values = [base] + [
        float(row[key]) for swing, row in items for key in ("value_at_low", "value_at_high") if swing >= 0
    ]
    low, high = _widen(min(values), max(values))
    inner0, inner1 = px0 + pad, px1 - pad

    def sx(value: float) -> float:
        return inner0 + (value - low) / (high - low) * (inner1 - inner0)

    y0 = top + header
    base_x = sx(base)
    base_text = _("Base value %(value)s") % {"value": number_format(base)}
    half = _text_width(base_text, 11) / 2
    canvas.text(
        min(max(base_x, px0 + half), px1 - half), y0 - 8, base_text, anchor="middle", size=11, font_weight="bold"
    )
    for index, ((swing, row), name) in enumerate(zip(items, names, strict=True)):
        center = y0 + (index + 0.5) * row_height
        if index % 2 == 0:
            canvas.rect(0, center - row_height / 2, width, row_height, fill=SURFACE)
        canvas.text(px0 - 8, center + 4, _fit(name, label_width - 8, 12), anchor="end", tooltip=name)
        if swing < 0:
            canvas.text(base_x + 6, center + 4, _("no result"), size=11, fill=MUTED)
            continue
        ends = {side: float(row[f"value_at_{side}"]) for side in ("low", "high")}
        directions = {side: (ends[side] > base) - (ends[side] < base) for side in ends}
        same_side = directions["low"] == directions["high"] != 0
        for side, fill, stroke in (("low", PRIMARY, PRIMARY), ("high", SECONDARY_TINT, SECONDARY)):
            other = "high" if side == "low" else "low"
            direction = directions[side] or -directions[other] or (-1 if side == "low" else 1)
            lane_top, lane_height = center - bar_height / 2, bar_height
            if same_side:
                lane_height = bar_height / 2
                lane_top = center - bar_height / 2 if side == "low" else center
            end = sx(ends[side])
            tooltip = _("%(input)s at %(input_value)s: %(value)s") % {
                "input": name,
                "input_value": fmt(row.get(side)),
                "value": fmt(ends[side]),
            }
            canvas.rect(
                base_x, lane_top, end - base_x, lane_height, fill=fill, stroke=stroke, stroke_width="1", tooltip=tooltip
            )
            value_text, input_text = annotation(row, side)
            baseline = lane_top + lane_height / 2 + 4
            value_width = _text_width(value_text, 11) * 1.15  # bold
            if direction > 0:
                canvas.text(end + 4, baseline, value_text, size=11, font_weight="bold")
                canvas.text(end + 8 + value_width, baseline, input_text, size=10, fill=MUTED)
            else:
                canvas.text(end - 4, baseline, value_text, anchor="end", size=11, font_weight="bold")
                canvas.text(end - 8 - value_width, baseline, input_text, anchor="end", size=10, fill=MUTED)
    y_end = y0 + len(items) * row_height
    canvas.line(base_x, y0 - 4, base_x, y_end, stroke=INK, stroke_width="1.5")

    legend_y = y_end + 20
    x = px0
    for fill, stroke, text in (
        (PRIMARY, PRIMARY, _("Input at its low value")),
        (SECONDARY_TINT, SECONDARY, _("Input at its high value")),
    ):
        canvas.rect(x, legend_y - 9, 12, 10, fill=fill, stroke=stroke, stroke_width="1")
        canvas.text(x + 16, legend_y, text, size=11)
        x += 16 + _text_width(text, 11) + 16
    canvas.text(x, legend_y, _fit(_("bar ends: value (input)"), px1 - x, 10), size=10, fill=MUTED)

    desc = [
        _("Sensitivity of the value to %(inputs)s, largest swing first; the base value is %(base)s.")
        % {
            "inputs": ngettext("%(count)s input", "%(count)s inputs", len(items)) % {"count": len(items)},
            "base": fmt(base),
        }
    ]
    for (_swing, row), name in zip(items, names, strict=True):
        desc.append(
            _("%(input)s from %(low)s to %(high)s: value from %(value_low)s to %(value_high)s.")
            % {
                "input": name,
                "low": fmt(row.get("low")),
                "high": fmt(row.get("high")),
                "value_low": fmt(row.get("value_at_low")),
                "value_high": fmt(row.get("value_at_high")),
            }
        )
    return canvas.svg(chart_title, " ".join(desc))


# 3. Vertical bars -----------------------------------------------------------------------------------------------


def bars_svg(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    number_format: NumberFormat = compact_number,
    rtl: bool = False,
    width: int = 640,
    height: int = 280,
) -> str:
    """Vertical bars, one per label (e.g. present value per year); negative values hang below the zero line. In
    right-to-left layout the first bar is on the right and the value axis too."""
    if len(labels) != len(values):
        raise ValueError(f"bars need as many labels as values, got {len(labels)} and {len(values)}")
    names = [str(label) for label in labels]
    numbers = [float(value) if _finite(value) else None for value in values]
    canvas = _Canvas(width, height, rtl)
    chart_title = title or _("Values")
    top = canvas.title(title)
    if not names:
        canvas.no_data(top, _("No data"))
        return canvas.svg(chart_title, _("No values to show."))
    present = [value for value in numbers if value is not None]
    data_low, data_high = min([0.0, *present]), max([0.0, *present])
    low, high, step = _nice_domain(data_low, data_high if data_high > data_low else 1.0, 4)
    ticks = [low + index * step for index in range(round((high - low) / step) + 1)]
    left = max(32.0, max(_text_width(number_format(tick), 11) for tick in ticks) + 16)
    px0, px1 = left, width - 12.0
    py0, py1 = top + 18, height - (40.0 if data_low < 0 else 26.0)

    def sy(value: float) -> float:
        return py1 - (value - low) / (high - low) * (py1 - py0)

    canvas.open(fill="none", stroke=GRID_LIGHT, stroke_width="1")
    for tick in ticks:
        if tick != 0:
            canvas.line(px0, sy(tick), px1, sy(tick))
    canvas.close()
    for tick in ticks:
        canvas.text(px0 - 6, sy(tick) + 4, number_format(tick), anchor="end", size=11, fill=MUTED)

    slot = (px1 - px0) / len(names)
    bar_width = min(slot * 0.7, 64.0)
    zero = sy(0.0)
    canvas.open(stroke_width="1")
    for index, (name, value) in enumerate(zip(names, numbers, strict=True)):
        center = px0 + (index + 0.5) * slot
        if value is None:
            continue
        fill, stroke = (PRIMARY, PRIMARY) if value >= 0 else (SECONDARY_TINT, SECONDARY)
        tooltip = f"{name}: {number_format(value)}"
        canvas.rect(
            center - bar_width / 2, sy(value), bar_width, zero - sy(value), fill=fill, stroke=stroke, tooltip=tooltip
        )
    canvas.close()
    canvas.line(px0, zero, px1, zero, stroke=INK, stroke_width="1")
    for index, (name, value) in enumerate(zip(names, numbers, strict=True)):
        center = px0 + (index + 0.5) * slot
        text = number_format(value) if value is not None else "–"
        if _text_width(text, 10) <= slot:
            y = (
                sy(value) - 4
                if value is not None and value >= 0
                else (sy(value) + 12 if value is not None else zero - 4)
            )
            canvas.text(center, y, text, anchor="middle", size=10, fill=INK)
        canvas.text(center, height - 10, _fit(name, slot - 4, 11), anchor="middle", size=11, fill=MUTED, tooltip=name)

    count_text = ngettext("%(count)s value", "%(count)s values", len(names)) % {"count": len(names)}
    listing = _join(
        f"{name} {number_format(value) if value is not None else _('no value')}"
        for name, value in zip(names, numbers, strict=True)
    )
    return canvas.svg(chart_title, _("%(values)s: %(list)s.") % {"values": count_text, "list": listing})


# 4. Radar -------------------------------------------------------------------------------------------------------


def radar_svg(
    axes: Sequence[str],
    values: Sequence[float | None],
    *,
    maximum: float = 5.0,
    title: str = "",
    rtl: bool = False,
    size: int = 360,
) -> str:
    """A radar (spider) profile, e.g. scorecard group scores from 1 to 5: rings at 1, 2, ... ``maximum``, axes
    clockwise from the top (anticlockwise in right-to-left layout). A None value leaves a gap in the outline and is
    said to have no score."""
    if len(axes) != len(values):
        raise ValueError(f"a radar needs as many axes as values, got {len(axes)} and {len(values)}")
    if not (_finite(maximum) and maximum > 0):
        raise ValueError("the radar's maximum must be a positive number")
    names = [str(axis) for axis in axes]
    scores = [min(max(number, 0.0), maximum) if (number := _number(value)) is not None else None for value in values]
    canvas = _Canvas(size, size, rtl)
    chart_title = title or _("Score profile")
    top = canvas.title(title)
    if not names:
        canvas.no_data(top, _("No data"))
        return canvas.svg(chart_title, _("No scores to show."))
    count = len(names)
    cx, cy = size / 2, (top + size) / 2
    radius = max(min(size / 2 - 78, (size - top) / 2 - 34), 10.0)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = value / maximum * radius
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    rings = [float(level) for level in range(1, math.floor(maximum) + 1)]
    if not rings or rings[-1] != maximum:
        rings.append(float(maximum))
    canvas.open(fill="none", stroke=GRID, stroke_width="1")
    for ring in rings:
        if count >= 3:
            canvas.poly("polygon", [point(index, ring) for index in range(count)])
        else:
            canvas.circle(cx, cy, ring / maximum * radius)
    for index in range(count):
        canvas.line(cx, cy, *point(index, maximum))
    canvas.close()
    for ring in rings:
        canvas.text(cx + 4, cy - ring / maximum * radius + 11, compact_number(ring), size=9, fill=MUTED)

    present = [index for index, score in enumerate(scores) if score is not None]
    if count >= 3 and len(present) == count:
        canvas.poly(
            "polygon",
            [point(index, score) for index, score in enumerate(scores) if score is not None],
            fill=PRIMARY,
            fill_opacity="0.18",
            stroke=PRIMARY,
            stroke_width="2.5",
            stroke_linejoin="round",
        )
    else:
        canvas.open(stroke=PRIMARY, stroke_width="2.5", stroke_linecap="round")
        for index in present:
            following = (index + 1) % count
            score, next_score = scores[index], scores[following]
            if following != index and next_score is not None and score is not None and (count > 2 or following > index):
                canvas.line(*point(index, score), *point(following, next_score))
        canvas.close()
    canvas.open(fill=PRIMARY, stroke=WHITE, stroke_width="1.5")
    for index in present:
        score = scores[index]
        assert score is not None  # noqa: S101
        canvas.circle(*point(index, score), 4.5, tooltip=f"{names[index]}: {compact_number(score)}")
    canvas.close()

    for index, name in enumerate(names):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        cos, sin = math.cos(angle), math.sin(angle)
        lx, ly = cx + (radius + 10) * cos, cy + (radius + 10) * sin
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        room = size - lx - 4 if anchor == "start" else lx - 4 if anchor == "end" else size - 8
        ly += 12 if sin > 0.25 else -14 if sin < -0.25 else -2
        canvas.text(lx, ly, _fit(name, room, 12), anchor=anchor, size=12, tooltip=name)
        score = scores[index]
        score_text = compact_number(score) if score is not None else _("no score")
        canvas.text(
            lx,
            ly + 14,
            score_text,
            anchor=anchor,
            size=11,
            fill=PRIMARY if score is not None else MUTED,
            font_weight="bold" if score is not None else None,
        )

    missing = [name for name, score in zip(names, scores, strict=True) if score is None]
    desc = [
        _("Scores out of %(maximum)s: %(list)s.")
        % {
            "maximum": compact_number(maximum),
            "list": _join(
                f"{name} {compact_number(score) if score is not None else _('no score')}"
                for name, score in zip(names, scores, strict=True)
            ),
        }
    ]
    if len(missing) == count:
        desc.append(_("No axis has a score yet."))
    elif missing:
        desc.append(_("The outline has a gap where a score is missing: %(list)s.") % {"list": _join(missing)})
    return canvas.svg(chart_title, " ".join(desc))


# 5. Opportunity/risk matrix -------------------------------------------------------------------------------------


def matrix_svg(
    points: Sequence[tuple[str, float, float]],
    *,
    x_label: str,
    y_label: str,
    quadrant_labels: Sequence[str] = (),
    title: str = "",
    low: float = 1.0,
    high: float = 5.0,
    rtl: bool = False,
    size: int = 400,
) -> str:
    """The opportunity/risk matrix: points (label, x, y) on [low, high] squared, midlines at (low + high) / 2 and
    quadrant labels in the order top-left, top-right, bottom-left, bottom-right of the left-to-right layout (low x
    on the left). Right-to-left layout mirrors the whole matrix, so each label stays with its quadrant of data."""
    if not (_finite(low) and _finite(high) and high > low):
        raise ValueError("the matrix needs low < high")
    low, high = float(low), float(high)
    mid = (low + high) / 2
    canvas = _Canvas(size, size, rtl)
    chart_title = title or _("%(x)s and %(y)s matrix") % {"x": x_label, "y": y_label}
    top = canvas.title(title)
    ticks = [tick for tick in _ticks(low, high, 4) if low <= tick <= high]
    left = max(_text_width(compact_number(tick), 11) for tick in ticks) + 16
    px0, px1 = left, size - 14.0
    py0, py1 = top + 22, size - 42.0

    def sx(value: float) -> float:
        return px0 + (min(max(value, low), high) - low) / (high - low) * (px1 - px0)

    def sy(value: float) -> float:
        return py1 - (min(max(value, low), high) - low) / (high - low) * (py1 - py0)

    canvas.rect(px0, py0, px1 - px0, py1 - py0, fill=SURFACE, stroke=GRID, stroke_width="1")
    canvas.open(fill="none", stroke=MUTED, stroke_width="1", stroke_dasharray="5 4")
    canvas.line(sx(mid), py0, sx(mid), py1)
    canvas.line(px0, sy(mid), px1, sy(mid))
    canvas.close()
    for tick in ticks:
        canvas.line(sx(tick), py1, sx(tick), py1 + 4, stroke=INK, stroke_width="1")
        canvas.text(sx(tick), py1 + 16, compact_number(tick), anchor="middle", size=11, fill=MUTED)
        canvas.line(px0 - 4, sy(tick), px0, sy(tick), stroke=INK, stroke_width="1")
        canvas.text(px0 - 7, sy(tick) + 4, compact_number(tick), anchor="end", size=11, fill=MUTED)
    canvas.text(
        (px0 + px1) / 2, size - 10, _fit(x_label, px1 - px0, 12), anchor="middle", font_weight="bold", tooltip=x_label
    )
    canvas.text(px0, py0 - 8, _fit(y_label, px1 - px0, 12), font_weight="bold", tooltip=y_label)

    quadrants = [str(label) for label in quadrant_labels][:4]
    half_width = (px1 - px0) / 2 - 12
    corners = (
        (px0 + 6, py0 + 16, "start"),
        (px1 - 6, py0 + 16, "end"),
        (px0 + 6, py1 - 8, "start"),
        (px1 - 6, py1 - 8, "end"),
    )
    taken: list[tuple[float, float, float, float]] = []
    for text, (x, y, anchor) in zip(quadrants, corners, strict=False):
        fitted_width = _text_width(_fit(text, half_width, 11), 11)
        taken.append(
            (x if anchor == "start" else x - fitted_width, y - 11, x + fitted_width if anchor == "start" else x, y + 3)
        )
        canvas.text(
            x, y, _fit(text, half_width, 11), anchor=anchor, size=11, fill=MUTED, font_style="italic", tooltip=text
        )

    placed = [(str(label), float(x), float(y)) for label, x, y in points if _finite(x) and _finite(y)]
    canvas.open(fill=PRIMARY, stroke=WHITE, stroke_width="1.5")
    for label, x, y in placed:
        canvas.circle(sx(x), sy(y), 5.5, tooltip=f"{label}: {compact_number(x)}, {compact_number(y)}")
    canvas.close()
    taken.extend((sx(x) - 6, sy(y) - 6, sx(x) + 6, sy(y) + 6) for _label, x, y in placed)
    for label, x, y in placed:
        text = _fit(label, (px1 - px0) * 0.45, 11)
        text_width = _text_width(text, 11)
        cx, cy = sx(x), sy(y)
        options = []
        for dy in (0.0, 13.0, -13.0, 26.0, -26.0, 39.0, -39.0):
            for side in (1, -1) if cx + 9 + text_width <= px1 else (-1, 1):
                x0 = cx + 9 if side > 0 else cx - 9 - text_width
                options.append((x0, cy + 4 + dy))
        for x0, baseline in options:
            box = (x0 - 2, baseline - 11, x0 + text_width + 2, baseline + 3)
            inside = px0 <= box[0] and box[2] <= px1 and py0 <= box[1] and box[3] <= py1
            if inside and all(box[2] <= a or box[0] >= c or box[3] <= b or box[1] >= d for a, b, c, d in taken):
                break
        else:
            x0, baseline = options[0]
            box = (x0 - 2, baseline - 11, x0 + text_width + 2, baseline + 3)
        taken.append(box)
        canvas.text(x0, baseline, text, size=11, tooltip=label)

    def quadrant(x: float, y: float) -> str:
        if x == mid or y == mid:
            return str(_("on a midline"))
        index = (0 if y > mid else 2) + (1 if x > mid else 0)
        if index < len(quadrants):
            return quadrants[index]
        return str(_("%(y_level)s %(y)s, %(x_level)s %(x)s")) % {
            "y_level": _("high") if y > mid else _("low"),
            "y": y_label,
            "x_level": _("high") if x > mid else _("low"),
            "x": x_label,
        }

    desc = [
        _("%(points)s placed by %(x)s and %(y)s, each from %(low)s to %(high)s.")
        % {
            "points": ngettext("%(count)s item", "%(count)s items", len(points)) % {"count": len(points)},
            "x": x_label,
            "y": y_label,
            "low": compact_number(low),
            "high": compact_number(high),
        }
    ]
    if placed:
        desc.append(
            _join(
                f"{label}: {x_label} {compact_number(x)}, {y_label} {compact_number(y)} ({quadrant(x, y)})"
                for label, x, y in placed
            )
            + "."
        )
    missing = [str(point[0]) for point in points if not (_finite(point[1]) and _finite(point[2]))]
    if missing:
        desc.append(_("Not placed, without both scores: %(list)s.") % {"list": _join(missing)})
    return canvas.svg(chart_title, " ".join(desc))


# 6. Line chart over years ---------------------------------------------------------------------------------------

# Each series: colour, dash pattern and marker shape, so that lines are told apart in black and white too.
_LINE_STYLES = ((PRIMARY, "", "circle"), (SECONDARY, "6 3", "square"), (MUTED, "2 3", "diamond"))


def line_svg(
    series: Sequence[tuple[str, Sequence[tuple[int, float | None]]]],
    *,
    title: str = "",
    y_label: str = "",
    number_format: NumberFormat = compact_number,
    rtl: bool = False,
    width: int = 640,
    height: int = 280,
) -> str:
    """A time series: one line per series (label, [(year, value), ...]), years on the horizontal axis, a legend under
    the plot when there are several lines. A year without a value (None, or absent) breaks the line rather than
    joining its neighbours; every value has a marker with its year and value as a tooltip. The value axis includes
    zero. In right-to-left layout the years run from right to left and the value axis is on the right."""
    lines: list[tuple[str, list[tuple[int, float]]]] = []
    for label, points in series:
        clean = sorted({int(year): float(value) for year, value in points if _finite(value)}.items())
        lines.append((str(label), clean))
    canvas = _Canvas(width, height, rtl)
    chart_title = title or _("Values by year")
    top = canvas.title(title)
    values = [value for _label, points in lines for _year, value in points]
    if not values:
        canvas.no_data(top, _("No data"))
        return canvas.svg(chart_title, _("No values to show."))

    years = [year for _label, points in lines for year, _value in points]
    first_year, last_year = min(years), max(years)
    low, high, step = _nice_domain(min(0.0, min(values)), max(0.0, max(values)), 4)
    y_ticks = [low + index * step for index in range(round((high - low) / step) + 1)]
    left = max(32.0, max(_text_width(number_format(tick), 11) for tick in y_ticks) + 16)
    legend = len(lines) > 1
    px0, px1 = left, width - 18.0
    py0 = top + (22.0 if y_label else 6.0)
    py1 = height - (48.0 if legend else 26.0)
    span_low, span_high = (first_year - 0.5, last_year + 0.5) if first_year == last_year else (first_year, last_year)

    def sx(year: float) -> float:
        return px0 + 8 + (year - span_low) / (span_high - span_low) * (px1 - px0 - 16)

    def sy(value: float) -> float:
        return py1 - (value - low) / (high - low) * (py1 - py0)

    if y_label:
        canvas.text(px0 - left + 12, top + 8, _fit(y_label, px1 - px0, 11), size=11, fill=MUTED, tooltip=y_label)
    canvas.open(fill="none", stroke=GRID_LIGHT, stroke_width="1")
    for tick in y_ticks:
        canvas.line(px0, sy(tick), px1, sy(tick))
    canvas.close()
    for tick in y_ticks:
        canvas.text(px0 - 6, sy(tick) + 4, number_format(tick), anchor="end", size=11, fill=MUTED)
    canvas.line(px0, sy(0.0), px1, sy(0.0), stroke=GRID, stroke_width="1")

    year_step = max(1, math.ceil(_nice_step(max(last_year - first_year, 1), max(2, int((px1 - px0) / 60)))))
    tick_year = math.ceil(first_year / year_step) * year_step
    while tick_year <= last_year:
        canvas.line(sx(tick_year), py1, sx(tick_year), py1 + 4, stroke=INK, stroke_width="1")
        canvas.text(sx(tick_year), py1 + 16, str(tick_year), anchor="middle", size=11, fill=MUTED)
        tick_year += year_step
    canvas.line(px0, py1, px1, py1, stroke=INK, stroke_width="1")

    for index, (label, points) in enumerate(lines):
        colour, dash, shape = _LINE_STYLES[index % len(_LINE_STYLES)]
        segments: list[list[tuple[float, float]]] = []
        previous: int | None = None
        for year, value in points:
            if previous is None or year - previous > 1:
                segments.append([])
            segments[-1].append((sx(year), sy(value)))
            previous = year
        for segment in segments:
            if len(segment) > 1:
                canvas.poly(
                    "polyline",
                    segment,
                    fill="none",
                    stroke=colour,
                    stroke_width="2",
                    stroke_dasharray=dash,
                    stroke_linejoin="round",
                )
        radius = 3.0 if len(points) <= 40 else 2.2
        canvas.open(fill=colour, stroke=WHITE, stroke_width="1")
        for year, value in points:
            tooltip = f"{label}, {year}: {number_format(value)}"
            if shape == "square":
                canvas.rect(sx(year) - radius, sy(value) - radius, 2 * radius, 2 * radius, tooltip=tooltip)
            elif shape == "diamond":
                x, y, r = sx(year), sy(value), radius * 1.3
                canvas.poly("polygon", [(x, y - r), (x + r, y), (x, y + r), (x - r, y)])
                canvas.circle(x, y, 0.5, tooltip=tooltip)
            else:
                canvas.circle(sx(year), sy(value), radius, tooltip=tooltip)
        canvas.close()

    if legend:
        x = px0
        room = (px1 - px0) / len(lines)
        for index, (label, _points) in enumerate(lines):
            colour, dash, _shape = _LINE_STYLES[index % len(_LINE_STYLES)]
            canvas.line(x, height - 14, x + 24, height - 14, stroke=colour, stroke_width="2", stroke_dasharray=dash)
            canvas.text(x + 30, height - 10, _fit(label, room - 36, 11), size=11, tooltip=label)
            x += room

    desc = [
        _("Values by year from %(first)s to %(last)s.") % {"first": first_year, "last": last_year},
    ]
    for label, points in lines:
        if not points:
            desc.append(_("%(series)s: no values.") % {"series": label})
            continue
        lowest = min(points, key=lambda point: point[1])
        highest = max(points, key=lambda point: point[1])
        latest = points[-1]
        desc.append(
            _(
                "%(series)s: %(values)s from %(first)s to %(last)s; lowest %(low)s (%(low_year)s), highest %(high)s "
                "(%(high_year)s), latest %(latest)s (%(latest_year)s)."
            )
            % {
                "series": label,
                "values": ngettext("%(count)s value", "%(count)s values", len(points)) % {"count": len(points)},
                "first": points[0][0],
                "last": latest[0],
                "low": number_format(lowest[1]),
                "low_year": lowest[0],
                "high": number_format(highest[1]),
                "high_year": highest[0],
                "latest": number_format(latest[1]),
                "latest_year": latest[0],
            }
        )
    return canvas.svg(chart_title, " ".join(desc))


__all__ += ["line_svg"]
