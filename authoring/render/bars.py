"""A small bar chart of shares (0 to 100 %) as a server-rendered `<svg>`, like the timeline.

`share_bars_svg(title, desc, bars)` returns `Markup`: one bar per (label, share, shown value),
a hollow dashed stub where there is no figure. The chart is an image (role="img", named by its
<title> and <desc>); the page puts the same figures in a table beside it for reading and
for assistive technology. Time runs left to right in every language, as on the timeline.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup

from lxml import etree

from .timeline import FONT, INK, MUTED, SVG_NS, _el, _markup, _text

BAR = "#2f6f4f"
HEIGHT, TOP, BOTTOM, LEFT = 120, 14, 22, 8


def share_bars_svg(title: str, desc: str, bars: Sequence[tuple[str, Decimal | None, str]], key: str = "",
                   width: int = 480) -> Markup:
    """Bars of `bars` = (label under the bar, share 0..1 or None, value written above it); `key` keeps the
    ids of two charts on one page apart."""
    uid = "bars-" + hashlib.sha256(f"{key}|{title}|{desc}|{bars}".encode()).hexdigest()[:10]
    svg = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS})
    for name, value in (("class", "bars"), ("role", "img"), ("aria-labelledby", f"{uid}-title {uid}-desc"),
                        ("viewBox", f"0 0 {width} {HEIGHT}"), ("width", str(width)), ("height", str(HEIGHT)),
                        ("font-family", FONT), ("direction", "ltr")):
        svg.set(name, value)
    _el(svg, "title", title, id=f"{uid}-title")
    _el(svg, "desc", desc, id=f"{uid}-desc")
    plot = HEIGHT - TOP - BOTTOM
    slot = (width - 2 * LEFT) / max(1, len(bars))
    _el(svg, "line", class_="axis", x1=LEFT, y1=TOP + plot, x2=width - LEFT, y2=TOP + plot, stroke=MUTED,
        stroke_width="1")
    for index, (label, share, shown) in enumerate(bars):
        x = LEFT + index * slot + slot * 0.2
        centre = LEFT + index * slot + slot / 2
        if share is None:
            _el(svg, "rect", class_="bar none", x=x, y=TOP + plot - 2, width=slot * 0.6, height=2, fill="none",
                stroke=MUTED, stroke_dasharray="2 2")
        else:
            tall = float(share) * plot
            _el(svg, "rect", class_="bar", x=x, y=TOP + plot - tall, width=slot * 0.6, height=max(tall, 1), fill=BAR)
        _text(svg, shown, centre, max(TOP + plot - (float(share or 0) * plot) - 3, 10), 10, "value", fill=INK)
        _text(svg, label, centre, HEIGHT - 6, 10, "label", fill=INK)
    return _markup(svg)

