"""An agreement's timeline as a server-rendered `<svg>`: term, renewal window, today, and marks.

`timeline_svg(TimelineData(...))` returns `Markup` to put in a template as is. No JavaScript and
no stylesheet needed: every element carries a CSS class (for the site's styles to refine) and
inline presentation attributes in print-friendly colours. Kinds differ by shape and past/upcoming
by filled/hollow, the renewal band is hatched and dashed, so a black-and-white print still reads.

Top to bottom: mark labels in rows (row 0 nearest the axis, rows added while labels would
overlap), the marks' symbols (stacked in up to four lanes when they would touch), the term bar
with the renewal band and the today line, month/quarter/year ticks, the "Today" label, a legend.

Decisions:
- The axis runs from `start` to `end`. When either is missing, that side is the earliest/latest
  known date (start, end, marks, renewal window; not today) padded by 5 % of the span, at least
  a week. With no dates at all the result is a short "No dates yet" SVG.
- A mark outside the axis (a signature before the effective date, say) is clamped to the nearest
  edge with an arrow pointing outwards (class "clamped"); its label keeps its true date and the
  legend explains the arrow. Nothing is dropped.
- A mark dated today is "upcoming". Today outside the axis gets no line, only its legend entry.
- The words (legend, "Today", the description's counts by the language's plural rules) are
  gettext messages in the current language; the reviews page renders the timeline inside
  `in_language(agreement language)`, so they speak the agreement's language. `labels`
  overrides single words.
- Time runs left to right in every language; each text gets its own `direction` from its first
  strong character, so a Hebrew label reads right to left inside a left-to-right chart.
- Text widths are estimated, not measured (the server has no font): generously, on DejaVu Sans
  metrics, the widest of the fonts named. Labels are centred (`text-anchor="middle"`), which
  means the same in both directions, so an estimated box holds for RTL text too.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from lxml import etree
from markupsafe import Markup

from ..document.direction import text_direction

KINDS = ("milestone", "payment", "review", "amendment", "signature")

def default_labels() -> dict[str, str]:
    """The timeline's words in the current language (render inside `in_language`)."""
    return {
        "title": _("Agreement timeline"),
        "no_dates": _("No dates yet"),
        "today": pgettext("timeline", "Today"),
        "renewal_window": pgettext("timeline", "Renewal window"),
        "past": pgettext("timeline", "Past"),
        "upcoming": pgettext("timeline", "Upcoming"),
        "outside": _("Outside the term, shown at its edge"),
        "next": pgettext("timeline: the next date to come", "next"),
        # legend words
        "milestone": pgettext("timeline", "Milestone"), "payment": pgettext("timeline", "Payment"),
        "review": pgettext("timeline", "Review"), "amendment": pgettext("timeline", "Amendment"),
        "signature": pgettext("timeline", "Signature"), "other": pgettext("timeline", "Other"),
    }


def _count(kind: str, n: int) -> str:
    """'1 milestone', '5 milestones' by the language's plural rules (Polish: 2 kamienie, 5 kamieni)."""
    counts = {
        "milestone": lambda: ngettext("%(num)d milestone", "%(num)d milestones", n),
        "payment": lambda: ngettext("%(num)d payment", "%(num)d payments", n),
        "review": lambda: ngettext("%(num)d review", "%(num)d reviews", n),
        "amendment": lambda: ngettext("%(num)d amendment", "%(num)d amendments", n),
        "signature": lambda: ngettext("%(num)d signature", "%(num)d signatures", n),
        "other": lambda: ngettext("%(num)d other date", "%(num)d other dates", n),
    }
    return counts[kind]()


# Symbols drawn around (0, 0); the shape alone tells the kind.
SHAPES = {
    "milestone": "M0 -7.5L7.5 0L0 7.5L-7.5 0Z",
    "payment": "M-6.5 0A6.5 6.5 0 1 0 6.5 0A6.5 6.5 0 1 0 -6.5 0Z",
    "review": "M-5.75 -5.75H5.75V5.75H-5.75Z",
    "amendment": "M0 -7.5L7 5.5H-7Z",
    "signature": "M0 -8L1.94 -2.68L7.61 -2.47L3.15 1.02L4.7 6.47L0 3.3L-4.7 6.47L-3.15 1.02"
                 "L-7.61 -2.47L-1.94 -2.68Z",
    "other": "M-2 -7H2V-2H7V2H2V7H-2V2H-7V-2H-2Z",
}
COLOURS = {"milestone": "#1f3a93", "payment": "#1b5e20", "review": "#5b1a8a",
           "amendment": "#7a3e00", "signature": "#111111", "other": "#444444"}
INK, MUTED, TODAY_INK, TERM_FILL = "#222222", "#555555", "#a3001b", "#e4eaf3"
FONT = "'DejaVu Sans', 'Noto Sans', 'Segoe UI', Arial, sans-serif"

MARGIN_X = 56          # room for edge tick labels and the arrows of clamped marks
EDGE = 6               # labels stay this far inside the canvas
LABEL_FONT, DATE_FONT, TICK_FONT, DAY_TICK_FONT, LEGEND_FONT = 12, 10, 11, 10, 11
ROW_H, ROW_GAP, BOX_PAD = 30, 8, 3
LANE_H, LANE_GAP, MAX_LANES = 15, 15, 4
TICK_GAP = 10
LABEL_CHARS = 40       # longer labels are cut (less on narrow charts); the full text is a tooltip
MONTH_STEPS = (1, 3, 6, 12, 24, 60, 120, 240, 600, 1200)
DAY_SETS = ((8, 15, 22), (15,))

SVG_NS = "http://www.w3.org/2000/svg"
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Mark:
    day: date
    label: str
    kind: str   # one of KINDS; anything else is drawn as "other"


@dataclass(frozen=True)
class TimelineData:
    start: date | None
    end: date | None
    marks: tuple[Mark, ...]
    renewal_window: tuple[date, date] | None
    today: date
    labels: dict[str, str] = field(default_factory=dict)   # keys of default_labels(), to override its words


def estimate_text_width(text: str, font_size: float, bold: bool = False) -> float:
    """A generous width of `text` in px (DejaVu Sans advances, rounded up), for layout."""
    em = 0.0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            em += 1.0
        elif char in "mwMW@%—":
            em += 1.0
        elif char in " .,:;'!|()[]{}iljftrI-":
            em += 0.42
        elif char.isupper():
            em += 0.76
        else:
            em += 0.64
    return em * font_size * (1.1 if bold else 1.0)


def timeline_svg(data: TimelineData, width: int = 960, language: str | None = None) -> Markup:
    """The timeline of `data` as an `<svg>` element, `width` user units wide and scaling to fit.

    `language` (e.g. the agreement's, "pl") is the language of its words, stated as `lang`
    on the element so a page in another language tells readers and tools which it is.
    """
    if width < 320:
        raise ValueError("a timeline needs a width of at least 320")
    labels = {**default_labels(), **{k: _clean(v) for k, v in data.labels.items()}}
    # ids depend on the content only, so equal timelines render equal and differ from others
    canonical = (data.start, data.end, sorted((m.day, m.kind, m.label) for m in data.marks),
                 data.renewal_window, data.today, sorted(data.labels.items()), width)
    uid = "tl-" + hashlib.sha1(repr(canonical).encode()).hexdigest()[:10]
    axis = _axis_for(data, width)
    svg = _no_dates_svg(data, labels, width, uid) if axis is None else _Drawing(data, labels, axis, width, uid).svg()
    if language:
        svg.set("lang", language)
    return _markup(svg)


@dataclass(frozen=True)
class _Axis:
    lo: date
    hi: date
    left: float
    right: float

    def x(self, day: date) -> float:
        day = min(max(day, self.lo), self.hi)
        return self.left + (day - self.lo).days / (self.hi - self.lo).days * (self.right - self.left)


@dataclass(frozen=True)
class _Placed:
    mark: Mark
    kind: str       # the kind as drawn: one of KINDS or "other"
    text: str       # the label as shown: cleaned, shortened
    x: float
    side: int       # -1 before the axis, 1 after it, 0 on it
    lane: int
    row: int
    left: float     # the label box, as estimated
    box_w: float


def _axis_for(data: TimelineData, width: int) -> _Axis | None:
    known = [d for d in (data.start, data.end) if d is not None]
    known += [m.day for m in data.marks] + list(data.renewal_window or ())
    if not known:
        return None
    lo, hi = data.start, data.end
    if lo is not None and hi is not None and hi <= lo:
        lo = hi = None      # a term ending before it starts: show every date rather than guess
    pad = max(timedelta(days=7), (max(known) - min(known)) * 5 // 100)
    lo = min(known) - pad if lo is None else lo
    hi = max(known) + pad if hi is None else hi
    return _Axis(lo, hi, MARGIN_X, width - MARGIN_X)


def _clean(text: str) -> str:
    """User text made safe to serialise: no characters XML forbids, whitespace collapsed."""
    return " ".join(_NOT_XML.sub("", text).split())


def _shown(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _el(parent, tag: str, text: str | None = None, **attrs):
    """A child `<tag>` of `parent`; `class_` → class, `font_size` → font-size, numbers rounded."""
    el = etree.SubElement(parent, f"{{{SVG_NS}}}{tag}")
    for key, value in attrs.items():
        el.set(key.rstrip("_").replace("_", "-"), value if isinstance(value, str) else _num(value))
    if text is not None:
        el.text = text
    return el


def _text(parent, text: str, x: float, y: float, size: float, cls: str, anchor: str = "middle", **attrs):
    """Text with its own direction and a white halo, so lines behind it stay readable."""
    return _el(parent, "text", text, class_=cls, x=x, y=y, font_size=size, text_anchor=anchor,
               direction=text_direction(text), unicode_bidi="embed", fill=attrs.pop("fill", INK),
               stroke="#ffffff", stroke_width="3", stroke_linejoin="round", paint_order="stroke",
               **attrs)


def _root(width: int, height: float, uid: str, title: str, desc: str):
    svg = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS})
    for key, value in (("class", "timeline"), ("role", "img"),
                       ("aria-labelledby", f"{uid}-title {uid}-desc"),
                       ("viewBox", f"0 0 {width} {_num(height)}"), ("width", "100%"),
                       ("font-family", FONT), ("direction", "ltr")):
        svg.set(key, value)
    _el(svg, "title", title, id=f"{uid}-title")
    _el(svg, "desc", desc, id=f"{uid}-desc")
    _el(svg, "rect", class_="background", x=0, y=0, width=width, height=height, fill="#ffffff")
    return svg


def _markup(svg) -> Markup:
    return Markup(etree.tostring(svg, encoding="unicode"))


def _no_dates_svg(data: TimelineData, labels: dict[str, str], width: int, uid: str) -> Markup:
    svg = _root(width, 48, uid, labels["title"],
                f"{labels['no_dates']}; {labels['today']} {data.today.isoformat()}")
    _el(svg, "line", class_="axis empty", x1=MARGIN_X, y1=30, x2=width - MARGIN_X, y2=30,
        stroke=MUTED, stroke_width="1", stroke_dasharray="4 4")
    _text(svg, labels["no_dates"], width / 2, 24, LABEL_FONT, "no-dates", fill=MUTED)
    return svg


def _kind(mark: Mark) -> str:
    return mark.kind if mark.kind in KINDS else "other"


def _place(marks: tuple[Mark, ...], axis: _Axis, width: int, labels: dict[str, str]) -> list[_Placed]:
    """Lanes for symbols and rows for labels, greedily in date order: the first that has room."""
    rank = {kind: i for i, kind in enumerate(KINDS)}
    ordered = sorted(marks, key=lambda m: (m.day, rank.get(m.kind, len(KINDS)), m.label, m.kind))
    lane_ends: list[float] = []
    row_ends: list[float] = []
    placed = []
    for mark in ordered:
        kind = _kind(mark)
        x = axis.x(mark.day)
        side = -1 if mark.day < axis.lo else 1 if mark.day > axis.hi else 0
        lane = next((i for i, end in enumerate(lane_ends) if x - end >= LANE_GAP), None)
        if lane is None and len(lane_ends) < MAX_LANES:
            lane = len(lane_ends)
            lane_ends.append(x)
        elif lane is None:   # a dense cluster: overlap in the lane that ends furthest left
            lane = min(range(MAX_LANES), key=lambda i: lane_ends[i])
        lane_ends[lane] = x
        text = _shown(_clean(mark.label), max(16, min(LABEL_CHARS, width // 24))) or labels[kind]
        box_w = max(estimate_text_width(text, LABEL_FONT),
                    estimate_text_width(mark.day.isoformat(), DATE_FONT)) + 2 * BOX_PAD
        centred = min(max(x - box_w / 2, EDGE), width - EDGE - box_w)
        row, left = len(row_ends), centred
        for i, end in enumerate(row_ends):
            # shift right of the row's last label, as long as the box still sits over its mark
            candidate = max(centred, end + ROW_GAP)
            if candidate <= x - BOX_PAD and candidate + box_w <= width - EDGE:
                row, left = i, candidate
                break
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = left + box_w
        placed.append(_Placed(mark, kind, text, x, side, lane, row, left, box_w))
    return placed


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _month_ticks(axis: _Axis, step: int) -> list[date]:
    first = axis.lo.year * 12 + axis.lo.month - 1 + (axis.lo.day > 1)
    first += -first % step
    last = axis.hi.year * 12 + axis.hi.month - 1
    return [_month(i) for i in range(first, last + 1, step)]


def _fits(ticks: list[tuple[float, str, float]]) -> bool:
    """Whether centred labels at (x, text, font size) keep TICK_GAP apart."""
    ticks = sorted(ticks)
    widths = [estimate_text_width(text, size) for _x, text, size in ticks]
    return all(b[0] - a[0] >= (wa + wb) / 2 + TICK_GAP
               for a, b, wa, wb in zip(ticks, ticks[1:], widths, widths[1:]))


def _ticks(axis: _Axis) -> tuple[list[tuple[float, str, float]], list[float]]:
    """Labelled ticks (x, label, font size) and unlabelled minor tick positions."""
    for step in MONTH_STEPS:
        major = [(axis.x(d), f"{d.year:04d}-{d.month:02d}", TICK_FONT) for d in _month_ticks(axis, step)]
        if _fits(major):
            break
    else:
        return [], []
    per_month = (axis.right - axis.left) / (axis.hi - axis.lo).days * 28
    finer = [s for s in MONTH_STEPS if s < step and step % s == 0 and s * per_month >= 6]
    minor = [axis.x(d) for d in _month_ticks(axis, finer[0])] if finer else []
    if step == 1:
        for days in DAY_SETS:
            extra = [(axis.x(axis.lo + timedelta(n)), (axis.lo + timedelta(n)).isoformat(), DAY_TICK_FONT)
                     for n in range((axis.hi - axis.lo).days + 1)
                     if (axis.lo + timedelta(n)).day in days]
            if extra and _fits(major + extra):
                major = sorted(major + extra)
                break
    return major, [x for x in minor if all(abs(x - t[0]) > 0.5 for t in major)]


class _Drawing:
    """One timeline being drawn: the layout is worked out first, then the layers in paint order."""

    def __init__(self, data: TimelineData, labels: dict[str, str], axis: _Axis, width: int, uid: str):
        self.data, self.labels, self.axis, self.width, self.uid = data, labels, axis, width, uid
        self.placed = _place(data.marks, axis, width, labels)
        self.rows = max((p.row + 1 for p in self.placed), default=0)
        lanes = max((p.lane + 1 for p in self.placed), default=1)
        self.rows_top = 12
        self.axis_y = self.rows_top + self.rows * ROW_H + 10 + max(14, (lanes - 1) * LANE_H + 9)
        self.legend_y = self.axis_y + 68

    def row_top(self, row: int) -> float:
        """The top of label row `row`; row 0 is the one nearest the axis."""
        return self.rows_top + (self.rows - 1 - row) * ROW_H

    def svg(self):
        legend = self.legend_items()
        height = self.legend_y + self.legend_rows(legend) * 22 + 4
        svg = _root(self.width, height, self.uid, self.labels["title"], self.description())
        self.defs(svg)
        self.term(svg)
        self.ticks(svg)
        self.leaders(svg)
        self.today(svg)
        self.marks(svg)
        self.legend(svg, legend)
        return svg

    def description(self) -> str:
        data, labels = self.data, self.labels
        parts = []
        if data.start or data.end:
            parts.append(self.term_text(data.start.isoformat() if data.start else "…",
                                        data.end.isoformat() if data.end else "…"))
        counts = [(kind, sum(_kind(m) == kind for m in data.marks)) for kind in (*KINDS, "other")]
        words = [self.count(kind, n) for kind, n in counts if n]
        if words:
            parts.append(", ".join(words))
        if data.renewal_window:
            opens, ends = data.renewal_window
            parts.append(f"{labels['renewal_window']} {opens.isoformat()} – {ends.isoformat()}")
        parts.append(f"{labels['today']} {data.today.isoformat()}")
        upcoming = [p for p in self.placed if p.mark.day >= data.today]
        if upcoming:
            parts.append(f"{labels['next']}: {upcoming[0].text} {upcoming[0].mark.day.isoformat()}")
        return "; ".join(parts)

    def term_text(self, start: str, end: str) -> str:
        """'Term 2027-01-01 – 2028-12-31' (a "term" word in the data wins over the catalogue's sentence)."""
        word = self.labels.get("term")
        return f"{word} {start} – {end}" if word else _("Term %(start)s – %(end)s", start=start, end=end)

    def count(self, kind: str, n: int) -> str:
        """'3 milestones'; words given in the data ("payment_one", "payments") win over the catalogue's."""
        word = self.labels.get(kind + "_one") if n == 1 else self.labels.get(kind + "s")
        return f"{n} {word}" if word else _count(kind, n)

    def defs(self, svg) -> None:
        defs = _el(svg, "defs")
        hatch = _el(defs, "pattern", id=f"{self.uid}-hatch", width=6, height=6,
                    patternUnits="userSpaceOnUse", patternTransform="rotate(45)")
        _el(hatch, "rect", width=6, height=6, fill="#ffffff", fill_opacity="0.55")
        _el(hatch, "line", x1=0, y1=0, x2=0, y2=6, stroke=INK, stroke_width="1.6")

    def term(self, svg) -> None:
        axis, data, y = self.axis, self.data, self.axis_y
        if data.start or data.end:
            x1, x2 = sorted((axis.x(data.start or axis.lo), axis.x(data.end or axis.hi)))
            open_ends = " open" if not (data.start and data.end) else ""
            _el(svg, "rect", class_="term" + open_ends, x=x1, y=y - 8, width=max(x2 - x1, 1), height=16,
                fill=TERM_FILL, stroke="#2c3e50", stroke_width="1",
                **({"stroke_dasharray": "4 3"} if open_ends else {}))
        if data.renewal_window:
            opens, ends = sorted(data.renewal_window)
            x1, x2 = axis.x(opens), axis.x(ends)
            if x2 > x1:
                _el(svg, "rect", class_="renewal-window", x=x1, y=y - 12, width=x2 - x1, height=24,
                    fill=f"url(#{self.uid}-hatch)", stroke=INK, stroke_width="1.2",
                    stroke_dasharray="5 3")
        _el(svg, "line", class_="axis", x1=axis.left, y1=y, x2=axis.right, y2=y,
            stroke="#2c3e50", stroke_width="1")

    def ticks(self, svg) -> None:
        major, minor = _ticks(self.axis)
        group = _el(svg, "g", class_="ticks", stroke=MUTED)
        y = self.axis_y
        for x in minor:
            _el(group, "line", class_="tick minor", x1=x, y1=y + 8, x2=x, y2=y + 12, stroke_width="1")
        for x, _label, size in major:
            _el(group, "line", class_="tick", x1=x, y1=y + 8, x2=x, y2=y + 16 - (size < TICK_FONT) * 3,
                stroke_width="1")
        texts = _el(svg, "g", class_="tick-labels")
        for x, text, size in major:
            day = size < TICK_FONT
            _text(texts, text, x, y + 29, size, "tick-label day" if day else "tick-label",
                  fill=MUTED if day else INK)

    def leaders(self, svg) -> None:
        # drawn upwards from the symbol with a dash period dividing LANE_H, so the leaders of
        # marks stacked on one day coincide instead of merging into a solid line
        group = _el(svg, "g", class_="leaders", stroke=MUTED, stroke_width="0.8",
                    stroke_dasharray="2 3")
        for p in self.placed:
            _el(group, "line", class_="leader", x1=p.x, y1=self.axis_y - p.lane * LANE_H - 8, x2=p.x,
                y2=self.row_top(p.row) + ROW_H - 4)

    def today(self, svg) -> None:
        axis, today = self.axis, self.data.today
        if not axis.lo <= today <= axis.hi:
            return
        x, y = axis.x(today), self.axis_y
        _el(svg, "line", class_="today", x1=x, y1=y - 16, x2=x, y2=y + 38, stroke=TODAY_INK,
            stroke_width="2")
        text = self.labels["today"]
        half = estimate_text_width(text, TICK_FONT, bold=True) / 2
        _text(svg, text, min(max(x, half + EDGE), self.width - half - EDGE), y + 50, TICK_FONT,
              "today-label", fill=TODAY_INK, font_weight="bold")

    def marks(self, svg) -> None:
        group = _el(svg, "g", class_="marks")
        for p in self.placed:
            when = "past" if p.mark.day < self.data.today else "upcoming"
            day = p.mark.day.isoformat()
            mark = _el(group, "g", class_=f"mark {p.kind} {when}" + (" clamped" if p.side else ""),
                       data_day=day)
            _el(mark, "title", f"{_clean(p.mark.label) or self.labels[p.kind]} — {day} ({self.labels[p.kind]})")
            y = self.axis_y - p.lane * LANE_H
            if p.side:
                tip = p.x + 15 * p.side
                _el(mark, "path", class_="arrow", fill=INK,
                    d=f"M{_num(p.x + 9 * p.side)} {_num(y - 4.5)}L{_num(tip)} {_num(y)}"
                      f"L{_num(p.x + 9 * p.side)} {_num(y + 4.5)}Z")
            self.symbol(mark, p.kind, when, p.x, y)
            top = self.row_top(p.row)
            centre = p.left + p.box_w / 2
            _text(mark, p.text, centre, top + 12, LABEL_FONT, "mark-label")
            _text(mark, day, centre, top + 24, DATE_FONT, "mark-date", fill=MUTED)

    @staticmethod
    def symbol(parent, kind: str, when: str, x: float, y: float, colour: str | None = None) -> None:
        colour = colour or COLOURS[kind]
        _el(parent, "path", class_=f"symbol {kind} {when}", d=SHAPES[kind],
            transform=f"translate({_num(x)} {_num(y)})",
            fill=colour if when == "past" else "#ffffff", stroke=colour, stroke_width="1.8")

    def legend_items(self) -> list[tuple[tuple, str]]:
        data, labels = self.data, self.labels
        kinds = [k for k in (*KINDS, "other") if any(p.kind == k for p in self.placed)]
        items: list[tuple[tuple, str]] = [(("symbol", k, "upcoming"), labels[k]) for k in kinds]
        if kinds:
            items += [(("symbol", kinds[0], "past", INK), labels["past"]),
                      (("symbol", kinds[0], "upcoming", INK), labels["upcoming"])]
        if data.start or data.end:
            items.append((("term",), self.term_text(str(data.start or "…"), str(data.end or "…"))))
        if data.renewal_window:
            opens, ends = data.renewal_window
            items.append((("renewal",), f"{labels['renewal_window']} {opens} – {ends}"))
        items.append((("today",), f"{labels['today']} {data.today}"))
        if any(p.side for p in self.placed):
            items.append((("arrow",), labels["outside"]))
        return items

    def legend_layout(self, items) -> list[tuple[float, int, float]]:
        """(x, row, text width) for each legend item, wrapping at the right margin."""
        x, row, out = float(MARGIN_X), 0, []
        for _swatch, text in items:
            w = estimate_text_width(text, LEGEND_FONT)
            if x > MARGIN_X and x + 24 + w > self.width - EDGE:
                x, row = float(MARGIN_X), row + 1
            out.append((x, row, w))
            x += 24 + w + 18
        return out

    def legend_rows(self, items) -> int:
        return max(row for _x, row, _width in self.legend_layout(items)) + 1

    def legend(self, svg, items) -> None:
        group = _el(svg, "g", class_="legend")
        for (swatch, text), (x, row, w) in zip(items, self.legend_layout(items)):
            item = _el(group, "g", class_="legend-item " + swatch[0])
            y = self.legend_y + row * 22
            if swatch[0] == "symbol":
                self.symbol(item, swatch[1], swatch[2], x + 9, y, *swatch[3:])
            elif swatch[0] == "term":
                _el(item, "rect", x=x, y=y - 6, width=18, height=12, fill=TERM_FILL, stroke="#2c3e50",
                    stroke_width="1")
            elif swatch[0] == "renewal":
                _el(item, "rect", x=x, y=y - 7, width=18, height=14, fill=f"url(#{self.uid}-hatch)",
                    stroke=INK, stroke_width="1.2", stroke_dasharray="5 3")
            elif swatch[0] == "today":
                _el(item, "line", x1=x + 9, y1=y - 8, x2=x + 9, y2=y + 8, stroke=TODAY_INK,
                    stroke_width="2")
            else:
                _el(item, "path", fill=INK, d=f"M{_num(x + 4)} {_num(y - 5)}L{_num(x + 14)} {_num(y)}"
                                            f"L{_num(x + 4)} {_num(y + 5)}Z")
            if text_direction(text) == "ltr":
                _text(item, text, x + 24, y + 4, LEGEND_FONT, "legend-label", anchor="start")
            else:   # "start" would mean the right end, and not every renderer agrees: centre it
                _text(item, text, x + 24 + w / 2, y + 4, LEGEND_FONT, "legend-label")
