"""Read the HTML of the built pages. The ``site`` fixture (tests/conftest.py) builds the book
from scratch with warnings as errors; tests/test_site_browser.py opens the same pages in a
real browser.

The site must work offline: no script, style sheet or image may come
from another host, and maths is rendered by the MathJax copy shipped in _static/.
"""

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitechecks import has_alt_text

pytestmark = pytest.mark.browser  # every test here needs the built book


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes)
        if tag in ("script", "img") and attributes.get("src"):
            self.assets.append(str(attributes["src"]))
        if tag == "link" and attributes.get("rel") in ("stylesheet", "preload"):
            self.assets.append(str(attributes.get("href")))


def _pages(site: Path) -> list[Path]:
    return sorted(p for folder in ("chapters", "solutions") for p in (site / folder).glob("*.html"))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return page


def test_the_book_builds_with_no_warning(book_build):
    if os.environ.get("BOOK_HTML"):
        pytest.skip("BOOK_HTML names an existing build: this session built nothing")
    _, error = book_build
    assert error is None, f"book build failed:\n{error}"


def test_the_book_builds_every_page_of_the_table_of_contents(site):
    assert (site / "index.html").exists()
    names = {p.stem for p in _pages(site)}
    assert {"intro", "ch01_power_laws", "ex01_power_laws", "bibliography"} <= names


def test_no_page_loads_anything_from_another_host(site):
    remote = {
        f"{page.relative_to(site)}: {asset}"
        for page in _pages(site)
        for asset in _parse(page).assets
        if asset.startswith(("http:", "https:", "//"))
    }
    assert not remote, f"pages need the network: {sorted(remote)}"


def test_maths_is_rendered_by_the_bundled_mathjax(site):
    page = (site / "chapters" / "ch01_power_laws.html").read_text("utf-8")
    assert "_static/mathjax/tex-chtml.js" in page
    assert (site / "_static" / "mathjax" / "tex-chtml.js").stat().st_size > 100_000
    assert "\\(" in page or "\\[" in page, "the chapter should contain maths"


def test_every_figure_has_alt_text(site):
    missing = [
        f"{page.relative_to(site)}: {image.get('src')} (alt {image.get('alt')!r})"
        for page in _pages(site)
        for image in _parse(page).images
        if not has_alt_text(image)
    ]
    assert not missing, f"images without alt text: {missing}"


def test_chapter_one_has_figures(site):
    assert len(_parse(site / "chapters" / "ch01_power_laws.html").images) >= 3


def test_solutions_hide_behind_a_toggle(site):
    page = (site / "solutions" / "ex01_power_laws.html").read_text("utf-8")
    assert page.count("hide above-input") >= 5
    assert page.count("✔ Question") == 5, "every check cell of the solution should print its verdict"


def test_the_bibliography_lists_the_papers(site):
    page = (site / "chapters" / "bibliography.html").read_text("utf-8")
    for author in ("Kaplan", "Hoffmann", "Besiroglu"):
        assert author in page
