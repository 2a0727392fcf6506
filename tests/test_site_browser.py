"""Every page of the website in a real browser: Debian's chromium, driven by Playwright.

The built site (the ``site`` fixture, tests/conftest.py) is served on 127.0.0.1 and every
page of the table of contents, plus index.html, is opened once with every request to
another host blocked and recorded. Each test then reads that visit: console errors,
failed requests, requests to other hosts, maths typeset by MathJax, images loaded with
alt text that says something (not a file name), headings in order, internal links and
anchors that exist (and no file: link), one saved widget per explorer in the source,
rendered, the download button and the "open it in JupyterLab" note, solution toggles that
open (exercise pages) and an axe-core accessibility scan. Every wait in a visit has a time
limit. A full-page screenshot of each page is saved under ``_build/screenshots/`` for
people to look at.

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
from sitechecks import has_alt_text

pytestmark = pytest.mark.browser  # chromium, and the built book

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "_build" / "screenshots"
TIMEOUT_MS = 30_000

ANIMATION_TIMEOUT_MS = 10_000  # for the solutions' fade-in to end
AXE_TIMEOUT_MS = 60_000

# Accessibility violations that come from third-party markup we cannot change by
# configuration, each limited to the elements it concerns: (axe rule, CSS selector, reason).
AXE_EXCLUSIONS = [
    (
        "aria-input-field-name",
        ".widget-slider .noUi-handle",
        "the ipywidgets 8 slider (noUiSlider) gives its handle role=slider but no accessible name; "
        "its visible description label is not linked to it (upstream ipywidgets markup)",
    ),
]
# axe-core fetches style sheets itself and resolves theme.css's @import against the page,
# not the sheet: a 404 for /basic.css during the scan, which no reader's browser requests.
AXE_STRAY_REQUEST = "/basic.css"


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
    headings: list[list] = field(default_factory=list)
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
    request: pytest.FixtureRequest, visits: dict[str, Visit | str], server: str, site: Path, offline_context
) -> Visit:
    page = request.node.callspec.params["page"]
    if page not in visits:
        try:
            visits[page] = _visit(offline_context, server, site, page)
        except (Exception, pytest.fail.Exception) as error:
            visits[page] = f"the visit of {page} failed: {error}"  # once: not again for each test
    if isinstance(visits[page], str):
        pytest.fail(visits[page], pytrace=False)
    return visits[page]


_WIDGET_VIEWS = 'script[type="application/vnd.jupyter.widget-view+json"]'
_WIDGETS_RENDERED = f"""() => Array.from(document.querySelectorAll('{_WIDGET_VIEWS}')).filter(
    s => s.previousElementSibling && s.previousElementSibling.classList.contains('widget-subarea')
         && s.previousElementSibling.childElementCount > 0).length"""
_DOM_FACTS = """() => ({
  maths: {
    elements: document.querySelectorAll('.math').length,
    typeset: Array.from(document.querySelectorAll('.math'))
      .filter(m => m.querySelector('mjx-container')).length,
    errors: document.querySelectorAll('mjx-merror').length,
  },
  images: Array.from(document.images).map(i => ({
    src: i.getAttribute('src').slice(0, 80), alt: i.getAttribute('alt'), complete: i.complete,
    width: i.naturalWidth,
  })),
  // as a screen reader lists them: not the theme's print-only copy of the title (display: none)
  headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    .filter(h => h.checkVisibility())
    .map(h => [Number(h.tagName[1]), h.textContent.replace(/#$/, '').trim().slice(0, 60)]),
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


def _settled(promise: str, timeout_ms: int) -> str:
    """A script for page.evaluate: true once the JavaScript `promise` settles, false after
    `timeout_ms` (page.evaluate itself would wait for ever)."""
    return f"""() => Promise.race([
  Promise.resolve({promise}).then(() => true, () => true),
  new Promise(resolve => setTimeout(() => resolve(false), {timeout_ms})),
])"""


_MATHJAX_DONE = _settled("window.MathJax && MathJax.startup ? MathJax.startup.promise : null", TIMEOUT_MS)
# the solutions fade in: the scan must see their final colours, not a frame of the animation;
# an endlessly repeating animation (a spinner, say) never finishes and is not waited for
_ANIMATIONS_DONE = _settled(
    "Promise.all(document.getAnimations()"
    ".filter(a => !a.effect || a.effect.getComputedTiming().iterations !== Infinity)"
    ".map(a => a.finished.catch(() => null)))",
    ANIMATION_TIMEOUT_MS,
)
_AXE_RUN = f"""() => Promise.race([
  axe.run(document, {{resultTypes: ['violations']}}),
  new Promise(resolve => setTimeout(() => resolve(null), {AXE_TIMEOUT_MS})),
])"""


def _visit(offline_context, server: str, site: Path, page_name: str) -> Visit:
    if not (site / page_name).is_file():
        pytest.fail(f"{page_name} is in _toc.yml but the build did not write it", pytrace=False)
    host = urlsplit(server).netloc
    result = Visit(url=server + page_name)
    context, result.other_hosts = offline_context(host, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    scanning = [False]  # during the accessibility scan, see AXE_STRAY_REQUEST

    def record(records: list[str], condition: bool, text: str, url: str | None) -> None:
        stray = scanning[0] and url is not None and urlsplit(url).path == AXE_STRAY_REQUEST
        if condition and not stray:
            records.append(text)

    page = context.new_page()
    page.on(
        "console",
        lambda m: record(
            result.console_errors,
            m.type == "error",
            f"{m.text} ({m.location.get('url')})",
            m.location.get("url"),
        ),
    )
    page.on("pageerror", lambda error: record(result.console_errors, True, f"uncaught: {error}", None))
    page.on(
        "requestfailed",
        lambda r: record(
            result.failed_requests, urlsplit(r.url).netloc == host, f"{r.url}: {r.failure}", r.url
        ),
    )
    page.on(
        "response", lambda r: record(result.failed_requests, r.status >= 400, f"{r.url}: {r.status}", r.url)
    )
    try:
        page.goto(result.url, wait_until="load")
        redirect = _REFRESH.search((site / page_name).read_text("utf-8"))
        if redirect:  # index.html only forwards to the landing page
            page.wait_for_url(urljoin(result.url, redirect.group(1)))
            page.wait_for_load_state("load")
            result.url = page.url
        if not page.evaluate(_MATHJAX_DONE):
            pytest.fail(f"MathJax did not finish within {TIMEOUT_MS} ms", pytrace=False)
        views = page.locator(_WIDGET_VIEWS).count()
        if views:  # a widget that does not render fails test_every_explorer_is_saved_and_renders
            with contextlib.suppress(PlaywrightTimeoutError):
                page.wait_for_function(f"() => ({_WIDGETS_RENDERED})() === {views}", timeout=10_000)
        page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
        page.wait_for_load_state("networkidle")
        result.widgets = {"saved": views, "rendered": page.evaluate(_WIDGETS_RENDERED)}
        for key, value in page.evaluate(_DOM_FACTS).items():
            setattr(result, key, value)
        page.screenshot(
            path=SCREENSHOTS / (page_name.replace("/", "--").removesuffix(".html") + ".png"), full_page=True
        )
        if page_name in EXERCISES:
            result.toggles = _open_every_toggle(page)
            if not page.evaluate(_ANIMATIONS_DONE):
                pytest.fail(f"animations still running after {ANIMATION_TIMEOUT_MS} ms", pytrace=False)
        page.wait_for_load_state("networkidle")
        scanning[0] = True
        result.violations = _serious_violations(page)
        page.wait_for_load_state("networkidle")  # the scan's own requests are recorded too
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

    page.evaluate(Axe().axe_script)  # defines window.axe
    response = page.evaluate(_AXE_RUN)
    if response is None:
        pytest.fail(f"the accessibility scan took more than {AXE_TIMEOUT_MS} ms", pytrace=False)
    found = []
    for violation in response["violations"]:
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


def test_waits_end_even_when_the_page_never_settles(browser) -> None:
    page = browser.new_page()
    try:
        page.set_content(
            "<style>@keyframes turn { to { transform: rotate(1turn); } }</style>"
            '<div style="animation: turn 1s linear infinite">spinner</div>'
            '<div style="animation: turn 0.2s linear 1">fade-in</div>'
        )
        assert page.evaluate(_ANIMATIONS_DONE), "an endless animation was waited for"
        assert page.evaluate(_settled("new Promise(() => {})", 100)) is False
    finally:
        page.close()


def test_the_table_of_contents_lists_exercises() -> None:
    # the exercise-page tests below are parametrised by EXERCISES: empty, they would not run
    assert EXERCISES, "no solutions/ page in _toc.yml"


@pytest.mark.parametrize("page", PAGES)
def test_no_console_errors(visit: Visit, page: str) -> None:
    assert visit.console_errors == []


@pytest.mark.parametrize("page", PAGES)
def test_no_failed_requests(visit: Visit, page: str) -> None:
    assert visit.failed_requests == []


@pytest.mark.parametrize("page", PAGES)
def test_no_request_leaves_the_site(visit: Visit, page: str) -> None:
    assert visit.other_hosts == []


def _source(page: str, cell_type: str) -> str:
    """The text of the page's source: its cells of `cell_type` for a notebook; for a
    Markdown page, all of it as "markdown" and nothing as "code"."""
    stem = ROOT / ("chapters/intro" if page == "index.html" else page.removesuffix(".html"))
    if stem.with_suffix(".ipynb").exists():
        notebook = json.loads(stem.with_suffix(".ipynb").read_text("utf-8"))
        return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == cell_type)
    return stem.with_suffix(".md").read_text("utf-8") if cell_type == "markdown" else ""


def _source_has_maths(page: str) -> bool:
    return re.search(r"\$[^$\n]+\$|\{math\}", _source(page, "markdown")) is not None


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
    no_alt = [image["src"] for image in visit.images if not has_alt_text(image)]
    assert no_alt == [], "images without alt text (docutils uses the file name when a figure has none)"


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(visit: Visit, site: Path, page: str) -> None:
    base = urlsplit(visit.url)
    broken = []
    for link in visit.links:
        url = urlsplit(link)
        if url.scheme == "file":  # a path on the author's machine
            broken.append(link)
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
def test_every_explorer_is_saved_and_renders(visit: Visit, page: str) -> None:
    # each explorer call in the source's code (`widgets.lnd_explorer(...)`) is one saved view
    explorers = len(re.findall(r"_explorer\(", _source(page, "code")))
    assert visit.widgets["saved"] == explorers, f"{explorers} explorers in the source"
    assert visit.widgets["rendered"] == visit.widgets["saved"]


@pytest.mark.parametrize("page", PAGES)
def test_headings_are_in_order(visit: Visit, page: str) -> None:
    levels = [level for level, _ in visit.headings]
    assert levels.count(1) == 1, f"one h1 per page: {visit.headings}"
    skips = [
        (before, after)
        for before, after in zip(visit.headings, visit.headings[1:], strict=False)
        if after[0] > before[0] + 1
    ]
    assert skips == [], "a heading skips a level going down"


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
