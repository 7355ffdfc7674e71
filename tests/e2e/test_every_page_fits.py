"""Every kind of page of the demo, for each role, on a 390-pixel phone and a 1366-pixel
desktop: the page never scrolls sideways (a wide data table scrolls inside its own box, which
says so), and axe-core finds no violation of any impact, `landmark-unique` included. Each role
reads in Spanish or French, which run a fifth to a third longer than English: a page that fits
in them fits in English.

Each role starts from the links of its menus (the site's, and the initiative's areas with every
page of each area), the home page, the initiative's overview, the public scorecard and its
embed, an indicator page and the funders' report, and follows every link of every page it
opens. Roles go from the least to the most privileged and each URL pattern is checked once, by
the first role that reaches it: a page the public sees as the public sees it, a page only staff
open as staff see it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import Resolver404, resolve, reverse

from backbone.accounts.models import Person
from backbone.demo.builder import PASSWORD
from backbone.reports.models import Report
from backbone.web.navigation import AREAS, navigation
from tests.browser import accessibility_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = {
    "signed out": (None, "es"),
    "community member": ("rosa.delgado@riverton.example", "es"),
    "funder": ("helen.park@riverton.example", "fr"),
    "partner steward": ("priya.natarajan@riverton.example", "fr"),
    "backbone staff": ("maya.okafor@riverton.example", "fr"),
}
PHONE, DESKTOP = 390, 1366

SITE_MENU = "() => [...document.querySelectorAll('header nav a[href]')].map(a => a.pathname)"
# Links to follow: the site's own pages, not files, the API, the admin or signing out.
PAGE_LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter(a => a.origin === location.origin && !a.hasAttribute('download'))
  .map(a => a.pathname + a.search)"""
NOT_PAGES = ("/static/", "/api/", "/admin/", "/accounts/logout")
WIDER_THAN_WINDOW = """() => document.documentElement.scrollWidth <= window.innerWidth ? [] :
  [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))
    .slice(0, 5)"""


def pattern(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def initiative_menu(person, initiative) -> list[str]:
    """Every area of the initiative's navigation and every page of each, for this person."""
    links = []
    for area in AREAS:
        nav = navigation(person, initiative, area.pages[0].section)
        links += [link.href for link in nav.areas + nav.pages]
    return links


def start_pages(initiative) -> list[str]:
    report = Report.objects.filter(initiative=initiative, shared_with_funders=True).first()
    return [
        reverse("web:home"),
        reverse("initiatives:overview", args=[initiative.slug]),
        reverse("dashboards:public", args=[initiative.slug]),
        reverse("dashboards:embed", args=[initiative.slug]),
        reverse("dashboards:indicator", args=[initiative.slug, "kindergarten-readiness"]),
        reverse("reports:detail", args=[initiative.slug, report.uuid]),
    ]


def check(page, where: str) -> list[str]:
    """What is wrong with the page: sideways scrolling at either width, axe violations."""
    problems = []
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 800})
        if wide := page.evaluate(WIDER_THAN_WINDOW):
            problems.append(f"{where} scrolls sideways at {width}px: {wide}")
    if found := accessibility_violations(page):
        problems.append(f"{where}: {found}")
    return problems


def is_page(context, path: str) -> bool:
    """Whether `path` answers a web page (not a file to download) for this reader."""
    if path.startswith(NOT_PAGES):
        return False
    response = context.request.get(path, max_redirects=0)
    return response.status >= 500 or (
        response.status == 200 and response.headers.get("content-type", "").startswith("text/html")
    )


def test_every_kind_of_page_fits_a_phone_and_a_desktop_and_passes_axe(demo, browser, live_server):
    start = start_pages(demo)
    checked: set[str] = set()
    problems: list[str] = []
    for role, (email, language) in ROLES.items():
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if email:
            sign_in(page, email, PASSWORD)
            Person.objects.filter(email=email).update(language=language)  # kept on the account
        else:
            page.set_extra_http_headers({"Accept-Language": language})  # the browser's
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == language, role
        person = Person.objects.get(email=email) if email else AnonymousUser()
        waiting = start + page.evaluate(SITE_MENU) + initiative_menu(person, demo)
        tried: set[str] = set()
        while waiting:
            path = waiting.pop(0)
            kind = pattern(path.split("?")[0])
            if kind is None or kind in checked or kind in tried:
                continue
            tried.add(kind)
            if not is_page(context, path):
                continue
            page.set_viewport_size({"width": PHONE, "height": 800})
            status = page.goto(path).status
            if status >= 500:
                problems.append(f"{path} ({role}) answers {status}")
            if status == 200:
                checked.add(kind)
                problems += check(page, f"{path} ({role})")
                waiting += page.evaluate(PAGE_LINKS)
        context.close()
    assert len(checked) > 60
    assert problems == []
