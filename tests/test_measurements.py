"""Service-level measurements read from a spreadsheet's CSV export: all or nothing, every error listed."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authoring.reviews.measurements import MAX_BYTES, MAX_ROWS, Measurement, MeasurementsInvalid, read_measurements

LEVELS = ["P1", "P2", "Dostępność usługi", "זמינות השירות"]
HEADER = "service_level,target,achieved,unit,period\n"


def errors_of(raw: bytes, levels=LEVELS) -> list[tuple[int, str, str]]:
    with pytest.raises(MeasurementsInvalid) as caught:
        read_measurements(raw, levels)
    return caught.value.errors


def test_reads_rows_and_computes_met():
    raw = (HEADER + "P1,99.5,99.7,percent,2027-Q1\n"
                    "P1,99.5,99.4,percent,2027-Q2\n"
                    "P2,4,4,hours,2027-Q1\n"
                    "P2,30,45,minutes,2027-Q1\n").encode()
    assert read_measurements(raw, LEVELS) == [
        Measurement("P1", Decimal("99.5"), Decimal("99.7"), "percent", True, "2027-Q1"),
        Measurement("P1", Decimal("99.5"), Decimal("99.4"), "percent", False, "2027-Q2"),
        Measurement("P2", Decimal("4"), Decimal("4"), "hours", True, "2027-Q1"),
        Measurement("P2", Decimal("30"), Decimal("45"), "minutes", False, "2027-Q1"),
    ]


def test_percent_equal_to_target_is_met_and_less_time_is_met():
    raw = (HEADER + "P1,99.5,99.5,percent,Q1\nP2,4,3.5,hours,Q1\n").encode()
    assert [m.met for m in read_measurements(raw, LEVELS)] == [True, True]


def test_semicolons_decimal_commas_bom_crlf_and_any_column_order():
    raw = "\ufeffPeriod;Unit;Achieved;Target;Service Level\r\n2027-Q1;percent;99,7;99,5;P1\r\n".encode()
    [m] = read_measurements(raw, LEVELS)
    assert (m.service_level, m.target, m.achieved, m.unit, m.period) == (
        "P1", Decimal("99.5"), Decimal("99.7"), "percent", "2027-Q1")
    assert type(m.target) is Decimal


def test_quoted_decimal_comma_in_a_comma_separated_file():
    [m] = read_measurements((HEADER + 'P1,"99,5","99,9",percent,2027-Q1\n').encode(), LEVELS)
    assert m.target == Decimal("99.5") and m.achieved == Decimal("99.9")


def test_polish_and_hebrew_service_levels():
    raw = (HEADER + "Dostępność usługi,99.9,99.95,percent,2027-Q1\n"
                    "זמינות השירות,2,1.5,hours,2027-Q1\n").encode()
    assert [m.service_level for m in read_measurements(raw, LEVELS)] == ["Dostępność usługi", "זמינות השירות"]


def test_decomposed_accents_and_letter_case_match_the_agreements_spelling():
    decomposed = "Dostępność usługi".replace("ę", "e\u0328")
    raw = (HEADER + f"{decomposed},99,99.5,percent,Q1\np1,99,99.5,percent,Q1\n").encode()
    assert [m.service_level for m in read_measurements(raw, LEVELS)] == ["Dostępność usługi", "P1"]


def test_blank_rows_are_skipped_but_lines_are_still_counted():
    raw = (HEADER + "P1,99,99.5,percent,Q1\n\n,,,,\nP9,1,1,hours,Q1\n").encode()
    assert errors_of(raw) == [(5, "service_level", "'P9' is not a service level of this agreement "
                                                   "(expected P1, P2, Dostępność usługi, זמינות השירות)")]


def test_every_error_is_reported_with_spreadsheet_lines():
    raw = (HEADER + "P1,99.5,99.7,percent,2027-Q1\n"
                    "P1,99.5,n/a,percent,2027-Q1\n"
                    "P7,-1,1e3,weeks,\n"
                    'P2,4,"two\nhours",hours,Q1\n'
                    "P1,101,NaN,percent,Q1\n"
                    "P2,4,Infinity,hours,Q1\n").encode()
    errors = errors_of(raw)
    assert errors == [
        (3, "achieved", "'n/a' is not a number"),
        (4, "service_level", "'P7' is not a service level of this agreement "
                             "(expected P1, P2, Dostępność usługi, זמינות השירות)"),
        (4, "unit", "'weeks' is not one of percent, hours, minutes"),
        (4, "target", "'-1' is negative; it must be 0 or more"),
        (4, "achieved", "'1e3' is not a number"),
        (4, "period", "is missing"),
        (5, "achieved", "'two\\nhours' is not a number"),
        (6, "target", "'101' is more than 100 percent"),
        (6, "achieved", "'NaN' is not a number"),
        (7, "achieved", "'Infinity' is not a number"),
    ]


def test_str_lists_every_error():
    with pytest.raises(MeasurementsInvalid) as caught:
        read_measurements((HEADER + "P1,99,99,percent,Q1\nP1,99,n/a,percent,Q1\nP1,99,x,percent,Q1\n").encode(), LEVELS)
    assert str(caught.value) == "line 3, achieved: 'n/a' is not a number\nline 4, achieved: 'x' is not a number"
    assert caught.value.messages == ["line 3, achieved: 'n/a' is not a number", "line 4, achieved: 'x' is not a number"]


def test_whole_file_messages_have_no_line():
    with pytest.raises(MeasurementsInvalid) as caught:
        read_measurements(b"", LEVELS)
    assert caught.value.messages == ["the file is empty"] and str(caught.value) == "the file is empty"


def test_numbers_with_thousands_separators_or_two_decimal_marks_are_refused():
    raw = (HEADER + "P2,\"1,000.5\",1,hours,Q1\nP2,1.2.3,1,hours,Q1\n").encode()
    assert [e[:2] for e in errors_of(raw)] == [(2, "target"), (3, "target")]


def test_extra_columns_are_named():
    raw = "service_level,target,achieved,unit,period,Notes,owner\nP1,1,1,percent,Q1,x,y\n".encode()
    assert errors_of(raw) == [(1, "", "unexpected columns 'Notes', 'owner'; "
                                      "the columns are service_level, target, achieved, unit, period")]


def test_missing_and_repeated_columns():
    raw = "service_level,target,Target,unit\nP1,1,1,percent\n".encode()
    assert errors_of(raw) == [(1, "target", "appears more than once"),
                              (1, "", "missing columns achieved, period")]


def test_trailing_empty_columns_from_a_spreadsheet_are_ignored_but_an_unnamed_one_is_not():
    raw = "service_level;target;achieved;unit;period;;\nP1;99;99,5;percent;Q1;;\n".encode()
    assert [m.service_level for m in read_measurements(raw, LEVELS)] == ["P1"]
    raw = "service_level,,target,achieved,unit,period\nP1,x,99,99.5,percent,Q1\n".encode()
    assert errors_of(raw) == [(1, "", "column 2 has no name")]


def test_values_beyond_the_header_and_short_rows():
    raw = (HEADER + "P1,1,1,percent,Q1,surplus\nP1,1,1,percent\nP1,1,1,percent,Q1,,\n").encode()
    assert errors_of(raw) == [(2, "", "has 6 values but the header names 5 columns"), (3, "period", "is missing")]


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "the file is empty"),
    (b" \r\n\r\n", "the file is empty"),
    (HEADER.encode(), "the file has a header but no rows of measurements"),
    ((HEADER + ",,,,\n\n").encode(), "the file has a header but no rows of measurements"),
    (b"x" * (MAX_BYTES + 1), "the file is larger than 1,000,000 bytes"),
])
def test_whole_file_problems_are_one_clear_error(raw, message):
    assert errors_of(raw) == [(0, "", message)]


def test_not_utf8_names_the_line():
    raw = HEADER.encode() + "P1,99,99,percent,Łódź\n".encode("cp1250")
    assert errors_of(raw) == [(2, "", 'the file is not UTF-8 text; save it as "CSV UTF-8"')]


def test_utf16_is_refused():
    assert errors_of((HEADER + "P1,99,99,percent,Q1\n").encode("utf-16"))[0][2].startswith("the file is not UTF-8")


def test_too_many_rows_is_one_error_even_when_rows_are_bad():
    rows = "P1,99,n/a,percent,Q1\n" * (MAX_ROWS + 1)
    assert errors_of((HEADER + rows).encode()) == [
        (MAX_ROWS + 2, "", "the file has more than 5,000 rows of measurements")]


def test_exactly_max_rows_is_accepted():
    rows = "P1,99,99.9,percent,Q1\n" * MAX_ROWS
    assert len(read_measurements((HEADER + rows).encode(), LEVELS)) == MAX_ROWS


def test_an_unclosed_quote_is_reported_on_its_line():
    raw = (HEADER + "P1,99,99,percent,Q1\nP1,\"99,99,percent,Q1\n").encode()
    [(line, column, message)] = errors_of(raw)
    assert (line, column) == (3, "") and "quotes" in message


def test_long_values_are_shortened_in_messages():
    raw = (HEADER + f"P1,99,{'9x' * 5000},percent,Q1\n").encode()
    [(_, _, message)] = errors_of(raw)
    assert len(message) < 100


cells = st.one_of(
    st.sampled_from(["P1", "P2", "P9", "זמינות השירות", "99,5", "99.5", "-1", "1e3", "NaN", "", "percent",
                     "hours", "minutes", "weeks", "2027-Q1", '"', "\n", ";", ","]),
    st.text(max_size=8),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_property_any_bytes_give_measurements_or_measurements_invalid(raw):
    try:
        result = read_measurements(raw, LEVELS)
    except MeasurementsInvalid as error:
        assert error.errors and str(error)
    else:
        assert result and all(isinstance(m, Measurement) for m in result)


@given(rows=st.lists(st.lists(cells, min_size=0, max_size=7), max_size=6), separator=st.sampled_from([",", ";"]))
def test_property_csv_like_input_gives_measurements_or_measurements_invalid(rows, separator):
    header = separator.join(["service_level", "target", "achieved", "unit", "period"])
    raw = (header + "\n" + "\n".join(separator.join(row) for row in rows)).encode()
    try:
        result = read_measurements(raw, LEVELS)
    except MeasurementsInvalid as error:
        assert all(line >= 0 for line, _, _ in error.errors)
    else:
        for m in result:
            assert m.met == (m.achieved >= m.target if m.unit == "percent" else m.achieved <= m.target)
