"""The review calendar: cadences, month ends, leap years, the end date and the renewal window."""
from __future__ import annotations

import calendar
from datetime import date
from itertools import islice

import pytest
from hypothesis import given
from hypothesis import strategies as st

from authoring.reviews.schedule import CADENCE_MONTHS, add_months, next_review, renewal_window, review_dates


def first(n, iterator):
    return list(islice(iterator, n))


@pytest.mark.parametrize(("cadence", "expected"), [
    ("monthly", [date(2027, 2, 15), date(2027, 3, 15), date(2027, 4, 15)]),
    ("quarterly", [date(2027, 4, 15), date(2027, 7, 15), date(2027, 10, 15)]),
    ("semiannual", [date(2027, 7, 15), date(2028, 1, 15), date(2028, 7, 15)]),
    ("annual", [date(2028, 1, 15), date(2029, 1, 15), date(2030, 1, 15)]),
])
def test_every_cadence(cadence, expected):
    assert first(3, review_dates(date(2027, 1, 15), cadence)) == expected


def test_unknown_cadence_is_named():
    with pytest.raises(ValueError, match="'fortnightly'"):
        review_dates(date(2027, 1, 1), "fortnightly")
    with pytest.raises(ValueError, match="'weekly'"):
        next_review(date(2027, 1, 1), "weekly", date(2027, 6, 1))


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 2, 28), 1, anchor_day=31) == date(2027, 3, 31)
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)
    assert add_months(date(2027, 5, 10), 0) == date(2027, 5, 10)


def test_month_end_monthly_never_drifts():
    reviews = first(12, review_dates(date(2027, 1, 31), "monthly"))
    assert reviews[:4] == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30), date(2027, 5, 31)]
    assert reviews[-1] == date(2028, 1, 31)
    assert all(r.day == calendar.monthrange(r.year, r.month)[1] for r in reviews)


def test_no_drift_after_february_for_the_30th():
    assert first(3, review_dates(date(2027, 1, 30), "monthly")) == [
        date(2027, 2, 28), date(2027, 3, 30), date(2027, 4, 30)]


def test_august_31_semiannual_lands_on_the_last_day_of_february():
    assert first(4, review_dates(date(2027, 8, 31), "semiannual")) == [
        date(2028, 2, 29), date(2028, 8, 31), date(2029, 2, 28), date(2029, 8, 31)]


def test_leap_day_annual():
    assert first(5, review_dates(date(2028, 2, 29), "annual")) == [
        date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28), date(2032, 2, 29), date(2033, 2, 28)]


def test_end_date_cuts_off_and_is_inclusive():
    assert list(review_dates(date(2027, 1, 1), "quarterly", end=date(2028, 1, 1))) == [
        date(2027, 4, 1), date(2027, 7, 1), date(2027, 10, 1), date(2028, 1, 1)]
    assert list(review_dates(date(2027, 1, 1), "annual", end=date(2027, 12, 31))) == []


def test_review_dates_stop_at_the_last_supported_year():
    reviews = list(review_dates(date(9998, 6, 1), "quarterly"))
    assert reviews[-1] == date(9999, 12, 1)


def test_next_review_is_strictly_after():
    effective = date(2027, 1, 31)
    assert next_review(effective, "monthly", after=date(2027, 2, 28)) == date(2027, 3, 31)
    assert next_review(effective, "monthly", after=date(2027, 2, 27)) == date(2027, 2, 28)
    assert next_review(effective, "quarterly", after=date(2027, 4, 30)) == date(2027, 7, 31)
    assert next_review(effective, "monthly", after=date(2026, 6, 1)) == date(2027, 2, 28)
    assert next_review(effective, "monthly", after=effective) == date(2027, 2, 28)


def test_next_review_far_in_the_future():
    assert next_review(date(2027, 1, 31), "monthly", after=date(2527, 2, 10)) == date(2527, 2, 28)


def test_next_review_none_past_the_end():
    effective, end = date(2027, 1, 1), date(2028, 12, 31)
    assert next_review(effective, "semiannual", after=date(2028, 6, 30), end=end) == date(2028, 7, 1)
    assert next_review(effective, "semiannual", after=date(2028, 7, 1), end=end) is None
    assert next_review(effective, "annual", after=date(2030, 1, 1), end=end) is None
    assert next_review(date(9999, 6, 1), "annual", after=date(9999, 7, 1)) is None


def test_renewal_window():
    assert renewal_window(date(2028, 12, 31), 45) == (date(2028, 11, 16), date(2028, 12, 31))
    assert renewal_window(date(2028, 3, 1), None) == (date(2028, 1, 31), date(2028, 3, 1))
    assert renewal_window(date(2028, 3, 1), 0) == (date(2028, 3, 1), date(2028, 3, 1))
    with pytest.raises(ValueError):
        renewal_window(date(2028, 3, 1), -1)


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
cadences = st.sampled_from(sorted(CADENCE_MONTHS))


@given(effective=days, cadence=cadences)
def test_property_reviews_keep_the_anchor(effective, cadence):
    months = CADENCE_MONTHS[cadence]
    previous = effective
    for review in islice(review_dates(effective, cadence), 30):
        assert review > previous
        last_day = calendar.monthrange(review.year, review.month)[1]
        assert review.day == min(effective.day, last_day)
        assert (review.year - previous.year) * 12 + review.month - previous.month == months
        previous = review


@given(effective=days, cadence=cadences, after=days)
def test_property_next_review_matches_the_schedule(effective, cadence, after):
    expected = next(r for r in review_dates(effective, cadence) if r > after)
    assert next_review(effective, cadence, after) == expected
