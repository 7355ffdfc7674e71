"""The PDF: it opens, it holds every section and the figures the page prints, it is A4 with
the initiative's name on every page and page numbers, and it fetches nothing from outside."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from backbone.reports.pdf import LocalFetcher, Refused
from backbone.reports.selectors import SECTIONS

from .conftest import pdf_pages_as_pictures, pdf_text, report_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def staff_pdf(quarter, as_role):
    response = as_role("staff").get(report_url(quarter.shared_with_funders, "pdf/"))
    assert response.status_code == 200
    return response


def test_pdf_is_an_attachment_named_after_initiative_and_period(staff_pdf):
    assert staff_pdf["Content-Type"] == "application/pdf"
    assert staff_pdf["Content-Disposition"] == (
        'attachment; filename="riverton-report-2026-04-01-2026-06-30.pdf"'
    )
    assert staff_pdf.content.startswith(b"%PDF-")


def test_pdf_holds_every_section_heading_in_order(staff_pdf):
    text = pdf_text(staff_pdf.content)
    places = [text.find(f"{n}. {heading}") for n, (_, heading) in enumerate(SECTIONS, start=1)]
    assert -1 not in places, places
    assert places == sorted(places)


def test_pdf_prints_the_figures_of_the_page(quarter, as_role, staff_pdf):
    page = as_role("staff").get(report_url(quarter.shared_with_funders)).text
    latest = re.findall(r'<td class="latest"><strong>([^<]+)</strong>', page)
    hours = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">([\d,.]+)</td>', page)
    secured = re.search(r"Secured for 2026: <strong>([^<]+)</strong>", page).group(1)
    secured = " ".join(secured.split())  # the page binds currency and figure with a no-break space
    assert sorted(latest) == ["147", "15.3%", "69.1%"]
    assert ("Guide vision and strategy", "8.5") in hours
    text = pdf_text(staff_pdf.content)
    for value in latest:
        assert value in text
    for role, value in hours:
        assert f"{role} {value}" in text
    assert f"Secured for 2026: {secured}" in text


def test_pdf_writes_money_grouped_after_its_currency(staff_pdf):
    text = pdf_text(staff_pdf.content)
    assert "of USD 250,000 needed" in text
    assert not re.search(r"\d{4,}\.\d\d", text)  # no "250000.00" anywhere


def test_pdf_pages_are_a4_with_name_in_header_and_numbers_in_footer(staff_pdf):
    reader = PdfReader(BytesIO(staff_pdf.content))
    count = len(reader.pages)
    assert count >= 2
    for n, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
        text = " ".join(page.extract_text().split())
        assert f"Page {n} of {count}" in text
        assert "Riverton Cradle to Career" in text


def test_pdf_pages_drawn_as_pictures(staff_pdf):
    """PDFium draws every page; the pictures land in test-artifacts/ to be looked at."""
    pictures = pdf_pages_as_pictures(staff_pdf.content, "report-staff")
    assert len(pictures) == len(PdfReader(BytesIO(staff_pdf.content)).pages)
    assert all(p.stat().st_size > 5000 for p in pictures)


def test_fetcher_serves_static_files_from_disk_and_refuses_the_rest():
    fetcher = LocalFetcher()
    css = fetcher.fetch("https://report.invalid/static/reports/print.css")
    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    for url in (
        "https://example.org/static/reports/print.css",
        "http://report.invalid/static/reports/print.css",
        "https://report.invalid/media/logos/x.png",
        "https://report.invalid/static/../settings.py",
        "https://report.invalid/static/reports/missing.css",
        "file:///etc/passwd",
        "ftp://example.org/x",
    ):
        with pytest.raises(Refused):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_a_link_to_elsewhere_in_the_print_template_fetches_nothing(monkeypatch):
    from weasyprint import HTML

    asked = []
    original = LocalFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(LocalFetcher, "fetch", spy)
    html = '<link rel="stylesheet" href="https://example.org/x.css"><img src="http://example.org/a.png"><p>Hi</p>'
    pdf = HTML(string=html, base_url="https://report.invalid/", url_fetcher=LocalFetcher())
    assert pdf.write_pdf().startswith(b"%PDF-")
    assert set(asked) == {"https://example.org/x.css", "http://example.org/a.png"}
