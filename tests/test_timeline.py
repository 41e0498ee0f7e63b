"""The agreement timeline SVG, read back with lxml: what is drawn where, and what is said."""
from datetime import date, timedelta

import pytest
from lxml import etree
from markupsafe import Markup, escape

from authoring.render.timeline import Mark, TimelineData, estimate_text_width, timeline_svg

NS = {"s": "http://www.w3.org/2000/svg"}
START, END, TODAY = date(2027, 1, 1), date(2028, 12, 31), date(2027, 5, 4)


def make_data(marks=(), start=START, end=END, renewal=(date(2028, 10, 1), END), on=TODAY, **labels):
    """Timeline data dated `on`; keyword `labels` are the page's words (today="Dziś")."""
    return TimelineData(start, end, tuple(marks), renewal, on, labels)


def parse(svg):
    return etree.fromstring(str(svg).encode())


def one(root, xpath):
    found = root.xpath(xpath, namespaces=NS)
    assert len(found) == 1, (xpath, len(found))
    return found[0]


def axis_ends(root):
    axis = one(root, "//s:line[@class='axis']")
    return float(axis.get("x1")), float(axis.get("x2"))


def symbol_x(group):
    symbol = group.xpath("s:path[contains(@class, 'symbol')]", namespaces=NS)[0]
    return float(symbol.get("transform").removeprefix("translate(").split()[0])


def marks_by_day(root):
    return {g.get("data-day"): g for g in root.xpath("//s:g[contains(@class, 'mark ')]", namespaces=NS)}


def text_box(text, x_pad=0.0):
    """(left, right) of a text, by the module's own width estimate."""
    w = estimate_text_width(text.text, float(text.get("font-size")))
    left = float(text.get("x")) - {"start": 0, "middle": w / 2}[text.get("text-anchor")]
    return left - x_pad, left + w + x_pad


def label_boxes(root):
    """(left, top, right, bottom) of each mark's label and date, as the layout estimated them."""
    boxes = []
    for group in root.xpath("//s:g[contains(@class, 'mark ')]", namespaces=NS):
        label = one(group, "s:text[@class='mark-label']")
        day = one(group, "s:text[@class='mark-date']")
        left = min(text_box(label)[0], text_box(day)[0])
        right = max(text_box(label)[1], text_box(day)[1])
        boxes.append((left, float(label.get("y")) - 12, right, float(day.get("y")) + 3))
    return boxes


def overlapping(boxes):
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def height(root):
    return float(root.get("viewBox").split()[3])


EXAMPLE = (
    Mark(date(2027, 2, 1), "Kick-off", "milestone"),
    Mark(date(2027, 3, 31), "Q1 review", "review"),
    Mark(date(2027, 6, 30), "Q2 review", "review"),
    Mark(date(2027, 7, 1), "Discovery report", "milestone"),
    Mark(date(2027, 9, 30), "Q3 review", "review"),
    Mark(date(2027, 12, 31), "Q4 review", "review"),
    Mark(date(2028, 6, 30), "Go-live", "milestone"),
)


def test_title_desc_and_accessibility_attributes():
    root = parse(timeline_svg(make_data(EXAMPLE)))
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 960 ")
    title, desc = one(root, "/s:svg/s:title"), one(root, "/s:svg/s:desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Agreement timeline"
    assert desc.text == ("Term 2027-01-01 – 2028-12-31; 3 milestones, 4 reviews; "
                         "Renewal window 2028-10-01 – 2028-12-31; Today 2027-05-04; "
                         "next: Q2 review 2027-06-30")


def test_desc_uses_singular_and_the_page_language():
    data = make_data([Mark(date(2027, 2, 1), "Start", "payment")], renewal=None,
                     term="Okres", today="Dziś", payment_one="płatność", next="następne")
    assert one(parse(timeline_svg(data)), "/s:svg/s:desc").text == (
        "Okres 2027-01-01 – 2028-12-31; 1 płatność; Dziś 2027-05-04")


def test_a_symbol_per_mark_with_its_kind_and_past_or_upcoming():
    marks = [Mark(TODAY - timedelta(days=1), "Yesterday", "payment"),
             Mark(TODAY, "Today's review", "review"),
             Mark(TODAY + timedelta(days=1), "Tomorrow", "amendment"),
             Mark(date(2027, 1, 10), "Signed", "signature"),
             Mark(date(2027, 8, 1), "Beta", "milestone")]
    groups = marks_by_day(parse(timeline_svg(make_data(marks))))
    expected = {"2027-05-03": ("payment", "past"), "2027-05-04": ("review", "upcoming"),
                "2027-05-05": ("amendment", "upcoming"), "2027-01-10": ("signature", "past"),
                "2027-08-01": ("milestone", "upcoming")}
    assert set(groups) == set(expected)
    for day, (kind, when) in expected.items():
        symbol = groups[day].xpath("s:path[contains(@class, 'symbol')]", namespaces=NS)
        assert len(symbol) == 1
        assert symbol[0].get("class").split() == ["symbol", kind, when]
        # filled when past, hollow when upcoming: readable without colour
        assert (symbol[0].get("fill") == symbol[0].get("stroke")) == (when == "past")
    shapes = {groups[day].xpath("s:path[contains(@class, 'symbol')]/@d", namespaces=NS)[0]
              for day in expected}
    assert len(shapes) == 5


def test_marks_lie_on_the_axis_in_date_order():
    marks = list(reversed(EXAMPLE)) + [Mark(START, "Effective", "signature"), Mark(END, "Ends", "milestone")]
    root = parse(timeline_svg(make_data(marks)))
    left, right = axis_ends(root)
    groups = marks_by_day(root)
    xs = [symbol_x(groups[day]) for day in sorted(groups)]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(left <= x <= right for x in xs)
    assert xs[0] == pytest.approx(left) and xs[-1] == pytest.approx(right)


def test_a_mark_outside_the_term_is_clamped_to_the_edge_with_an_arrow():
    root = parse(timeline_svg(make_data([Mark(date(2026, 12, 10), "Signed", "signature"),
                                         Mark(date(2027, 2, 1), "Kick-off", "milestone")])))
    left, _ = axis_ends(root)
    signed, kickoff = marks_by_day(root)["2026-12-10"], marks_by_day(root)["2027-02-01"]
    assert "clamped" in signed.get("class").split() and symbol_x(signed) == pytest.approx(left)
    assert signed.xpath("s:path[@class='arrow']", namespaces=NS)
    assert one(signed, "s:text[@class='mark-date']").text == "2026-12-10"
    assert "clamped" not in kickoff.get("class").split()
    assert not kickoff.xpath("s:path[@class='arrow']", namespaces=NS)
    assert root.xpath("//s:g[@class='legend-item arrow']", namespaces=NS)


def test_today_line_sits_at_its_fraction_of_the_term():
    root = parse(timeline_svg(make_data(EXAMPLE)))
    left, right = axis_ends(root)
    today = one(root, "//s:line[@class='today']")
    fraction = (TODAY - START).days / (END - START).days
    assert float(today.get("x1")) == float(today.get("x2"))
    assert abs(float(today.get("x1")) - (left + fraction * (right - left))) <= 1


def test_today_outside_the_axis_draws_no_line_but_is_still_stated():
    root = parse(timeline_svg(make_data(EXAMPLE, on=date(2030, 1, 1))))
    assert not root.xpath("//s:line[@class='today']", namespaces=NS)
    assert "Today 2030-01-01" in one(root, "/s:svg/s:desc").text


def test_renewal_band_spans_its_dates():
    root = parse(timeline_svg(make_data(EXAMPLE, renewal=(date(2028, 7, 1), date(2028, 9, 30)))))
    left, right = axis_ends(root)
    band = one(root, "//s:rect[@class='renewal-window']")
    x = lambda day: left + (day - START).days / (END - START).days * (right - left)  # noqa: E731
    assert float(band.get("x")) == pytest.approx(x(date(2028, 7, 1)), abs=0.01)
    assert float(band.get("x")) + float(band.get("width")) == pytest.approx(x(date(2028, 9, 30)), abs=0.02)
    assert band.get("fill").startswith("url(#") and band.get("stroke-dasharray")   # prints without colour


@pytest.mark.parametrize("start,end", [(date(2027, 3, 1), date(2027, 3, 31)), (START, END)],
                         ids=["axis-of-that-month", "two-year-axis"])
def test_labels_of_thirty_marks_within_a_month_do_not_overlap(start, end):
    kinds = ("milestone", "payment", "review", "amendment", "signature")
    marks = [Mark(date(2027, 3, 1) + timedelta(days=i), f"{kinds[i % 5].title()} number {i + 1}", kinds[i % 5])
             for i in range(30)]
    root = parse(timeline_svg(make_data(marks, start=start, end=end)))
    boxes = label_boxes(root)
    assert len(boxes) == 30
    assert overlapping(boxes) == []
    assert all(0 <= b[0] and b[2] <= 960 for b in boxes)
    single = parse(timeline_svg(make_data(marks[:1], start=start, end=end)))
    assert height(root) > height(single) + 2 * 30           # it grew rows to make room


def test_labels_sit_over_their_marks():
    marks = [Mark(date(2027, 3, 1) + timedelta(days=i), f"Weekly check {i}", "review") for i in range(12)]
    root = parse(timeline_svg(make_data(marks)))
    for group in root.xpath("//s:g[contains(@class, 'mark ')]", namespaces=NS):
        label = one(group, "s:text[@class='mark-label']")
        date_text = one(group, "s:text[@class='mark-date']")
        left = min(text_box(label)[0], text_box(date_text)[0])
        right = max(text_box(label)[1], text_box(date_text)[1])
        assert left <= symbol_x(group) <= right


def test_user_text_is_escaped():
    nasty = '<script>alert(1)</script>&"'
    svg = str(timeline_svg(make_data([Mark(date(2027, 6, 1), nasty, "milestone")], today='<b>&"')))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in svg
    root = parse(svg)
    assert one(root, "//s:text[@class='mark-label']").text == nasty
    assert one(root, "//s:text[@class='today-label']").text == '<b>&"'


def test_characters_xml_forbids_are_dropped_not_fatal():
    root = parse(timeline_svg(make_data([Mark(date(2027, 6, 1), "Bell\x07 and\x00 null\n line", "review")])))
    assert one(root, "//s:text[@class='mark-label']").text == "Bell and null line"


def test_result_is_markup_that_jinja_will_not_escape_again():
    svg = timeline_svg(make_data(EXAMPLE))
    assert isinstance(svg, Markup) and escape(svg) == svg


def test_a_hebrew_label_runs_right_to_left():
    marks = [Mark(date(2027, 6, 1), "אבן דרך: השקה", "milestone"), Mark(date(2027, 9, 1), "Przegląd", "review"),
             Mark(date(2027, 10, 1), "2. סקירה", "review")]
    root = parse(timeline_svg(make_data(marks)))
    groups = marks_by_day(root)
    direction = lambda day: one(groups[day], "s:text[@class='mark-label']").get("direction")  # noqa: E731
    assert direction("2027-06-01") == "rtl" and direction("2027-10-01") == "rtl"
    assert direction("2027-09-01") == "ltr"     # stated, so an RTL page does not flip it
    assert one(groups["2027-06-01"], "s:text[@class='mark-label']").get("unicode-bidi") == "embed"
    assert root.get("direction") == "ltr"       # the axis itself runs left to right


@pytest.mark.parametrize("width", [960, 480])
@pytest.mark.parametrize("start,end", [(date(2027, 3, 1), date(2027, 3, 31)),
                                       (date(2027, 3, 15), date(2027, 4, 14)),
                                       (date(2027, 1, 1), date(2027, 12, 31)),
                                       (date(2027, 1, 1), date(2036, 12, 31)),
                                       (date(2027, 2, 1), date(2030, 1, 31))],
                         ids=["1-month", "month-across", "1-year", "10-years", "3-years"])
def test_tick_labels_never_overlap(start, end, width):
    root = parse(timeline_svg(make_data(start=start, end=end, renewal=None), width=width))
    ticks = sorted(text_box(t) for t in root.xpath("//s:text[contains(@class, 'tick-label')]", namespaces=NS))
    assert len(ticks) >= 2
    assert all(a[1] <= b[0] for a, b in zip(ticks, ticks[1:])), ticks
    assert ticks[0][0] >= 0 and ticks[-1][1] <= width


def test_tick_labels_name_months():
    root = parse(timeline_svg(make_data(start=date(2027, 1, 1), end=date(2027, 12, 31))))
    labels = [t.text for t in root.xpath("//s:text[@class='tick-label']", namespaces=NS)]
    assert labels[0] == "2027-01" and "2027-04" in labels
    assert all(len(text) == 7 and text[4] == "-" for text in labels)


def test_without_an_end_the_axis_spans_the_known_dates_padded():
    root = parse(timeline_svg(make_data(EXAMPLE, end=None, renewal=None)))
    left, right = axis_ends(root)
    groups = marks_by_day(root)
    assert not root.xpath("//s:g[contains(@class, 'clamped')]", namespaces=NS)
    assert symbol_x(groups["2027-02-01"]) > left
    assert left < symbol_x(groups["2028-06-30"]) < right      # padded beyond the last mark
    assert "open" in one(root, "//s:rect[contains(@class, 'term')]").get("class")
    assert one(root, "/s:svg/s:desc").text.startswith("Term 2027-01-01 – …;")


@pytest.mark.parametrize("start,end", [(date(2027, 6, 1), date(2027, 6, 1)), (date(2028, 1, 1), date(2027, 1, 1))],
                         ids=["one-day", "ends-before-it-starts"])
def test_a_degenerate_term_still_shows_every_date(start, end):
    marks = [Mark(date(2027, 3, 1), "Early", "payment"), Mark(date(2028, 3, 1), "Late", "review")]
    root = parse(timeline_svg(make_data(marks, start=start, end=end, renewal=None)))
    left, right = axis_ends(root)
    assert not root.xpath("//s:g[contains(@class, 'clamped')]", namespaces=NS)
    assert all(left < symbol_x(g) < right for g in marks_by_day(root).values())
    groups = marks_by_day(root)
    early, late = symbol_x(groups["2027-03-01"]), symbol_x(groups["2028-03-01"])
    x = lambda day: early + (day - date(2027, 3, 1)).days * (late - early) / 366  # noqa: E731
    term = one(root, "//s:rect[contains(@class, 'term')]")
    bar = float(term.get("x")), float(term.get("x")) + float(term.get("width"))
    assert bar[0] == pytest.approx(x(min(start, end)), abs=0.05)
    assert bar[1] == pytest.approx(max(x(max(start, end)), bar[0] + 1), abs=0.05)


def test_no_dates_at_all_gives_a_short_note():
    root = parse(timeline_svg(TimelineData(None, None, (), None, TODAY)))
    assert one(root, "//s:text[@class='no-dates']").text == "No dates yet"
    assert one(root, "/s:svg/s:desc").text == "No dates yet; Today 2027-05-04"
    assert height(root) < 80
    assert not root.xpath("//s:g[contains(@class, 'mark')] | //s:line[@class='today']", namespaces=NS)


def test_words_come_from_the_page_language():
    root = parse(timeline_svg(make_data(EXAMPLE, today="Dziś", milestone="Kamień milowy",
                                        renewal_window="Okno odnowienia")))
    assert one(root, "//s:text[@class='today-label']").text == "Dziś"
    legend = [t.text for t in root.xpath("//s:g[@class='legend']//s:text", namespaces=NS)]
    assert "Kamień milowy" in legend and "Okno odnowienia 2028-10-01 – 2028-12-31" in legend


def test_legend_items_do_not_overlap_even_when_narrow():
    root = parse(timeline_svg(make_data(EXAMPLE + (Mark(date(2026, 1, 1), "Old", "payment"),)), width=400))
    items = root.xpath("//s:g[@class='legend']//s:text", namespaces=NS)
    boxes = [(*text_box(t, x_pad=2)[:1], float(t.get("y")) - 10, text_box(t, x_pad=2)[1], float(t.get("y")) + 3)
             for t in items]
    assert overlapping(boxes) == []
    assert all(0 <= b[0] and b[2] <= 400 for b in boxes)


def test_output_is_deterministic():
    marks = EXAMPLE + (Mark(date(2027, 3, 31), "Q1 invoice", "payment"), Mark(date(2027, 3, 31), "Z", "payment"))
    first = str(timeline_svg(make_data(marks)))
    assert first == str(timeline_svg(make_data(tuple(reversed(marks)))))
    assert first == str(timeline_svg(make_data(marks)))
