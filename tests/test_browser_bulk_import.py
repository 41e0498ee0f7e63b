"""The CSV import in a real headless Chromium: from the register to the upload page by its link, a file
with bad lines is refused with a table of every problem (no WCAG 2.1 AA violation, in English and in
Hebrew), the corrected file is imported and its agreements are in the register."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from test_accessibility import _axe_source, _violations
from test_bulk_import import BAD_ROWS, HEBREW, POLISH, csv_file, good_rows

pytestmark = pytest.mark.browser


def test_upload_a_bad_file_then_a_good_one(backend, live_server, new_page, make_user, tmp_path):
    if backend != "sqlite":
        pytest.skip("the pages are the same on either database; checked once")
    axe = _axe_source()
    make_user("owner@example.com", name="Olga Owner")
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_bytes(csv_file(*(row for row, _column in BAD_ROWS)))
    good.write_bytes(csv_file(*good_rows(), bom=True))

    page = new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill("owner@example.com")
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Import agreements from CSV").click()
    assert _violations(page, axe) == []

    page.get_by_label("Your organisation").fill("Northwind IT")
    page.get_by_label("CSV file of agreements").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was imported: the file has 7 problems.")
    expect(alert.get_by_role("row")).to_have_count(1 + len(BAD_ROWS))
    expect(alert.get_by_role("row").nth(1)).to_contain_text("effective_date")
    assert _violations(page, axe) == []
    page.goto(f"{live_server}/language")
    page.get_by_label("Interface language").select_option("he")
    page.get_by_role("button", name="Save").click()
    page.goto(f"{live_server}/agreements/import")
    page.locator("#organisation").fill("Northwind IT")
    page.locator("#file").set_input_files(str(bad))
    page.get_by_role("button", name="ייבוא", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("שום דבר לא יובא")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert _violations(page, axe) == []

    page.locator("#organisation").fill("Northwind IT")
    page.locator("#file").set_input_files(str(good))
    page.get_by_role("button", name="ייבוא", exact=True).click()
    page.wait_for_url(f"{live_server}/agreements")
    expect(page.get_by_role("link", name=HEBREW)).to_be_visible()
    expect(page.get_by_role("link", name=POLISH)).to_be_visible()
    expect(page.get_by_test_id("executed-outside")).to_have_count(2)
