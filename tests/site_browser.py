"""Helpers for the study site's browser tests: Debian's Chromium driven by Playwright.

Playwright cannot download its own browsers here, so it drives the system Chromium
(``/usr/bin/chromium``, or ``DRILLBOOK_CHROMIUM``); ``.ci/run`` installs it when missing.
Without a browser the tests skip, saying so.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    """The Chromium to drive, or a skip naming what is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[dev]')")
    wanted = os.environ.get("DRILLBOOK_CHROMIUM") or "/usr/bin/chromium"
    found = wanted if os.access(wanted, os.X_OK) else shutil.which("chromium")
    if not found:
        pytest.skip(f"no Chromium at {wanted} (apt-get install chromium; .ci/run installs it "
                    "where it can)")
    return found


def site_url(site: Path, route: str = "") -> str:
    return (site / "index.html").resolve().as_uri() + route


class Page:
    """A page of the site with what it logged: console errors, page errors, requests."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.confirm = False  # answer window.confirm() with OK (alerts are errors)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        if dialog.type == "confirm" and self.confirm:
            dialog.accept()
        else:
            self.errors.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

    def open(self, site: Path, route: str = "") -> "Page":
        self.page.goto(site_url(site, route))
        self.page.wait_for_selector("html[data-ready]")
        return self

    def follow(self, action: Callable[[], object]) -> None:
        """Do what changes the address (a click on a link, Back) and wait until the site has
        shown the new route. The site routes on "hashchange", a task the browser queues after
        the click returns, so reading the page straight after would read the old view. A
        listener added now runs after the site's own, so when it fires the route is shown."""
        self.page.evaluate("""() => { window.__routed = new Promise(done =>
            window.addEventListener('hashchange', () => done(), { once: true })); }""")
        action()
        self.page.evaluate("() => window.__routed")

    def go(self, route: str) -> None:
        """Go to a route of the site as a typed address would, once it is shown."""
        if self.page.evaluate("() => location.hash") == route:
            return
        self.follow(lambda: self.page.evaluate("route => { location.hash = route; }", route))

    def visible_problems(self) -> list[str]:
        """Ids of the problems the browse view lists (contents or search results)."""
        return self.page.evaluate("""() => {
            const results = document.getElementById('search-results');
            const root = results.hidden ? document.getElementById('contents') : results;
            return Array.from(root.querySelectorAll('.problem-item'))
              .filter(li => li.offsetParent !== null).map(li => li.dataset.problem); }""")

    def storage(self) -> dict:
        return self.page.evaluate("() => Object.fromEntries(Object.keys(localStorage)"
                                  ".map(k => [k, JSON.parse(localStorage.getItem(k))]))")
