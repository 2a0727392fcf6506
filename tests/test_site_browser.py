"""Every page of the website in a real browser: Debian's chromium, driven by Playwright.

The built site (the ``site`` fixture, tests/conftest.py) is served on 127.0.0.1 and every
page of the table of contents, plus index.html, is opened once with every request to
another host blocked and recorded. Each test then reads that visit: console errors,
failed requests, requests to other hosts, maths typeset by MathJax, images loaded with
alt text, internal links and anchors that exist, saved widgets rendered, the download
button and the "open it in JupyterLab" note, solution toggles that open (exercise pages)
and an axe-core accessibility scan. A full-page screenshot of each page is saved under
``_build/screenshots/`` for people to look at.

Chromium is not downloaded by Playwright: the tests need ``/usr/bin/chromium`` (``apt-get
install -y chromium``; ``.ci/run`` installs it) or ``CHROMIUM=/path/to/chromium``. Without it
they fail, in CI and locally alike, rather than skip: ``make test`` passing must mean that
the pages were opened.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "_build" / "screenshots"
TIMEOUT_MS = 30_000

# Accessibility violations that come from third-party markup we cannot change by
# configuration, each limited to the elements it concerns: (axe rule, CSS selector, reason).
AXE_EXCLUSIONS = [
    (
        "aria-input-field-name",
        ".widget-slider .noUi-handle",
        "the ipywidgets 8 slider (noUiSlider) gives its handle role=slider but no accessible name; "
        "its visible description label is not linked to it (upstream ipywidgets markup)",
    ),
    (
        "image-alt",
        ".widget-output .jp-RenderedImage > img",
        "an explorer shows its figure as a PNG in an Output widget, which the widget manager "
        "renders with JupyterLab's image renderer: it sets no alt. Chapters show the same default "
        "state as a static figure with alt text just above the widget",
    ),
]
WIDGET_IMAGE = AXE_EXCLUSIONS[1][1]


def _toc_files(entries: list[dict]) -> Iterator[str]:
    for entry in entries:
        if "file" in entry:
            yield entry["file"]
        for key in ("parts", "chapters", "sections"):
            yield from _toc_files(entry.get(key, []))


def _pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text("utf-8"))
    return ["index.html", *(f"{name}.html" for name in [toc["root"], *_toc_files([toc])])]


PAGES = _pages()
EXERCISES = [page for page in PAGES if page.startswith("solutions/")]


@dataclass
class Visit:
    """What one visit of a page saw (see `_visit`)."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)
    maths: dict[str, int] = field(default_factory=dict)
    images: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    widgets: dict[str, int] = field(default_factory=dict)
    download_links: list[str] = field(default_factory=list)
    footer: str = ""
    toggles: list[dict] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Visit({self.url})"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 at a free port; yields its base URL."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def visits(server: str, browser) -> dict[str, Visit | str]:
    """Visits made so far, by page (or why one failed); each page is opened once per module."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return {}


@pytest.fixture
def visit(
    request: pytest.FixtureRequest, visits: dict[str, Visit | str], server: str, site: Path, browser
) -> Visit:
    page = request.node.callspec.params["page"]
    if page not in visits:
        try:
            visits[page] = _visit(browser, server, site, page)
        except (Exception, pytest.fail.Exception) as error:
            visits[page] = f"the visit of {page} failed: {error}"  # once: not again for each test
    if isinstance(visits[page], str):
        pytest.fail(visits[page], pytrace=False)
    return visits[page]


_WIDGET_VIEWS = 'script[type="application/vnd.jupyter.widget-view+json"]'
_WIDGETS_RENDERED = f"""() => Array.from(document.querySelectorAll('{_WIDGET_VIEWS}')).filter(
    s => s.previousElementSibling && s.previousElementSibling.classList.contains('widget-subarea')
         && s.previousElementSibling.childElementCount > 0).length"""
_DOM_FACTS = """(widgetImage) => ({
  maths: {
    elements: document.querySelectorAll('.math').length,
    typeset: Array.from(document.querySelectorAll('.math'))
      .filter(m => m.querySelector('mjx-container')).length,
    errors: document.querySelectorAll('mjx-merror').length,
  },
  images: Array.from(document.images).map(i => ({
    src: i.getAttribute('src').slice(0, 80), alt: i.getAttribute('alt'), complete: i.complete,
    width: i.naturalWidth, widget: i.matches(widgetImage),
  })),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  download_links: Array.from(document.querySelectorAll('.dropdown-download-buttons a[href]'))
    .map(a => a.getAttribute('href')),
  footer: (document.querySelector('.bd-footer-content') || {innerText: ''}).innerText,
})"""
_EXCLUDED = """([target, selector]) => {
  const element = document.querySelector(target);
  return element !== null && element.matches(selector);
}"""


_REFRESH = re.compile(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"', re.IGNORECASE)


def _visit(browser, server: str, site: Path, page_name: str) -> Visit:
    if not (site / page_name).is_file():
        pytest.fail(f"{page_name} is in _toc.yml but the build did not write it", pytrace=False)
    host = urlsplit(server).netloc
    result = Visit(url=server + page_name)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)

    def route(route) -> None:
        if urlsplit(route.request.url).netloc == host or route.request.url.startswith("data:"):
            route.continue_()
        else:
            result.other_hosts.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    recording = [True]  # turned off for the accessibility scan (see below)

    def record(records: list[str], condition: bool, text: str) -> None:
        if recording[0] and condition:
            records.append(text)

    page = context.new_page()
    page.on(
        "console",
        lambda m: record(result.console_errors, m.type == "error", f"{m.text} ({m.location.get('url')})"),
    )
    page.on("pageerror", lambda error: record(result.console_errors, True, f"uncaught: {error}"))
    page.on(
        "requestfailed",
        lambda r: record(result.failed_requests, urlsplit(r.url).netloc == host, f"{r.url}: {r.failure}"),
    )
    page.on("response", lambda r: record(result.failed_requests, r.status >= 400, f"{r.url}: {r.status}"))
    try:
        page.goto(result.url, wait_until="load")
        redirect = _REFRESH.search((site / page_name).read_text("utf-8"))
        if redirect:  # index.html only forwards to the landing page
            page.wait_for_url(urljoin(result.url, redirect.group(1)))
            page.wait_for_load_state("load")
            result.url = page.url
        page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
        views = page.locator(_WIDGET_VIEWS).count()
        if views:  # a widget that does not render fails test_saved_widgets_render, not the visit
            with contextlib.suppress(PlaywrightTimeoutError):
                page.wait_for_function(f"() => ({_WIDGETS_RENDERED})() === {views}", timeout=10_000)
        page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
        page.wait_for_load_state("networkidle")
        result.widgets = {"saved": views, "rendered": page.evaluate(_WIDGETS_RENDERED)}
        for key, value in page.evaluate(_DOM_FACTS, WIDGET_IMAGE).items():
            setattr(result, key, value)
        page.screenshot(
            path=SCREENSHOTS / (page_name.replace("/", "--").removesuffix(".html") + ".png"), full_page=True
        )
        if page_name in EXERCISES:
            result.toggles = _open_every_toggle(page)
            # the solutions fade in: scan their final colours, not a frame of the animation
            page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
        page.wait_for_load_state("networkidle")
        # axe-core fetches style sheets itself and resolves theme.css's @import against the
        # page, not the sheet (a 404 for /basic.css): the scan is not recorded.
        recording[0] = False
        result.violations = _serious_violations(page)
    finally:
        context.close()
    return result


def _open_every_toggle(page) -> list[dict]:
    toggles = []
    for details in page.locator("details.hide").all():
        label = details.locator("summary").inner_text().strip().splitlines()[0]
        details.locator("summary").click()
        toggles.append(
            {
                "label": label,
                "open": details.evaluate("d => d.open"),
                "code_visible": details.locator(".cell_input").first.is_visible(),
            }
        )
    return toggles


def _serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for violation in Axe().run(page).response["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        exclusions = [selector for rule, selector, _ in AXE_EXCLUSIONS if rule == violation["id"]]
        for node in violation["nodes"]:
            target = node["target"][0]
            if isinstance(target, str) and any(page.evaluate(_EXCLUDED, [target, s]) for s in exclusions):
                continue
            found.append(f"{violation['id']} ({violation['impact']}): {target}: {violation['help']}")
    return found


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


@functools.cache
def _ids(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text("utf-8"))
    return frozenset(parser.ids)


def test_every_built_page_is_visited(site: Path) -> None:
    built = {
        str(path.relative_to(site)) for path in site.glob("*/*.html") if not path.parent.name.startswith("_")
    }
    assert built and built <= set(PAGES), f"pages built but not in _toc.yml: {sorted(built - set(PAGES))}"


@pytest.mark.parametrize("page", PAGES)
def test_no_console_errors(visit: Visit, page: str) -> None:
    assert visit.console_errors == []


@pytest.mark.parametrize("page", PAGES)
def test_no_failed_requests(visit: Visit, page: str) -> None:
    assert visit.failed_requests == []


@pytest.mark.parametrize("page", PAGES)
def test_no_request_leaves_the_site(visit: Visit, page: str) -> None:
    assert visit.other_hosts == []


def _source_has_maths(page: str) -> bool:
    stem = ROOT / ("chapters/intro" if page == "index.html" else page.removesuffix(".html"))
    if stem.with_suffix(".ipynb").exists():
        notebook = json.loads(stem.with_suffix(".ipynb").read_text("utf-8"))
        text = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    else:
        text = stem.with_suffix(".md").read_text("utf-8")
    return re.search(r"\$[^$\n]+\$|\{math\}", text) is not None


@pytest.mark.parametrize("page", PAGES)
def test_maths_is_typeset_by_mathjax(visit: Visit, page: str) -> None:
    if _source_has_maths(page):
        assert visit.maths["elements"] > 0, "the source has maths but the page has none"
    assert visit.maths["typeset"] == visit.maths["elements"], "maths left as raw TeX"
    assert visit.maths["errors"] == 0, "MathJax could not typeset some maths"


@pytest.mark.parametrize("page", PAGES)
def test_images_load_and_have_alt_text(visit: Visit, page: str) -> None:
    broken = [image["src"] for image in visit.images if not (image["complete"] and image["width"] > 0)]
    assert broken == [], "images that did not load"
    no_alt = [
        image["src"] for image in visit.images if not (image["alt"] or "").strip() and not image["widget"]
    ]
    assert no_alt == [], "images without alt text"


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(visit: Visit, site: Path, page: str) -> None:
    base = urlsplit(visit.url)
    broken = []
    for link in visit.links:
        url = urlsplit(link)
        if url.scheme not in ("http", "https") or url.netloc != base.netloc:
            continue
        target = site / unquote(url.path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(link)
        elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in _ids(target):
            broken.append(link)
    assert broken == [], "links to missing files or anchors"


@pytest.mark.parametrize("page", PAGES)
def test_saved_widgets_render(visit: Visit, page: str) -> None:
    assert visit.widgets["rendered"] == visit.widgets["saved"]


@pytest.mark.parametrize("page", PAGES)
def test_page_offers_its_source_and_says_how_to_run_it(visit: Visit, page: str) -> None:
    sources = [link for link in visit.download_links if "_sources/" in link]
    assert sources, "no download button for the page's source"
    if page != "index.html" and (ROOT / page.replace(".html", ".ipynb")).exists():
        assert any(link.endswith(".ipynb") for link in sources), "no .ipynb download"
    assert "make lab" in visit.footer and "download" in visit.footer


@pytest.mark.parametrize("page", EXERCISES)
def test_exercise_pages_offer_the_blank_exercise(visit: Visit, site: Path, page: str) -> None:
    name = Path(page).with_suffix(".ipynb").name
    assert f"../_downloads/exercises/{name}" in visit.download_links
    blank = (site / "_downloads" / "exercises" / name).read_text("utf-8")
    assert "... " in blank and "BEGIN SOLUTION" not in blank


@pytest.mark.parametrize("page", EXERCISES)
def test_solutions_open_when_their_toggle_is_clicked(visit: Visit, page: str) -> None:
    assert any("solution" in toggle["label"] for toggle in visit.toggles), "no solution toggle"
    closed = [toggle for toggle in visit.toggles if not (toggle["open"] and toggle["code_visible"])]
    assert closed == []


@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violation(visit: Visit, page: str) -> None:
    assert visit.violations == []
