"""Fixtures shared by the test files: the book, built once per test session, and chromium.

``make test`` runs files in parallel (pytest-xdist, ``--dist loadfile``), and the book is
needed by more than one file. The first worker to ask builds it, holding a file lock in
the session's shared temporary folder; the others wait and reuse that build (or its
error). Without xdist the session builds it in its own temporary folder.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
INSTALL_HINT = (
    f"chromium not found at {CHROMIUM}: the browser tests drive Debian's chromium. Install it with "
    "`sudo apt-get install -y chromium` (.ci/run does this in CI), or set CHROMIUM=/path/to/chromium "
    "(on Ubuntu, where apt only offers chromium as a snap, a Chromium or Google Chrome binary)."
)
# seconds; a cold build of the whole book takes about a minute. Less than the per-test
# --timeout (pyproject.toml), which also counts the wait of the tests that need the book.
_BUILD_TIMEOUT = 720


def _build_book(out: Path) -> str | None:
    """Build the book from scratch into `out`; the tail of the log on failure, else None."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    try:
        result = subprocess.run(
            [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
            timeout=_BUILD_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return f"the build took more than {_BUILD_TIMEOUT} s"
    return None if result.returncode == 0 else (result.stdout + result.stderr)[-6000:]


@pytest.fixture(scope="session")
def book_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str | None]:
    """The book built from scratch with warnings as errors (``--keep-going``): the folder of the
    website (``.../_build/html``) and the tail of the build log if the build failed, else None.

    The build goes to a fresh folder, so no execution cache can hide a page broken by a
    change to lib. ``BOOK_HTML=path/to/_build/html`` tests an existing build instead (after
    ``make book``, say, to rerun the browser tests quickly); then nothing was built, which
    tests/test_book.py reports as a skip, and CI (``CI=true``) refuses it.
    """
    if os.environ.get("BOOK_HTML"):
        if os.environ.get("CI") == "true":
            pytest.fail("BOOK_HTML is refused under CI=true: CI tests a book it builds itself", pytrace=False)
        return Path(os.environ["BOOK_HTML"]).resolve(), None
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "book"
    failure = shared / "book-build-failed.log"
    with open(shared / "book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.exists() and not failure.exists():
            error = _build_book(out)
            if error is not None:
                failure.write_text(error, "utf-8")
    return out / "_build" / "html", failure.read_text("utf-8") if failure.exists() else None


@pytest.fixture(scope="session")
def site(book_build: tuple[Path, str | None]) -> Path:
    """The folder of the built website. A build with warnings still gives its pages to test
    (tests/test_book.py fails on the warnings); a build that wrote no site fails here."""
    html, error = book_build
    if not (html / "index.html").is_file():
        pytest.fail(f"the book build wrote no site:\n{error}", pytrace=False)
    return html


@pytest.fixture(scope="module")
def browser():
    """Chromium driven by Playwright; fails (never skips) with how to install it when missing.

    Playwright does not download a browser here: it drives Debian's chromium. A skip would
    let ``make test`` pass on a machine where the pages were never opened.
    """
    if not CHROMIUM.exists():
        pytest.fail(INSTALL_HINT, pytrace=False)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], timeout=30_000
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def offline_context(browser):
    """A factory of browser contexts that reach one host only.

    ``offline_context(host, **options)`` opens a context (``options`` go to
    ``browser.new_context``) in which every request to a host other than `host`
    ("127.0.0.1:8000") is blocked and its URL recorded; it returns the context and that
    record, which a test asserts empty. The contexts are closed after the module.
    """
    contexts = []

    def new(host: str, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        elsewhere: list[str] = []

        def route(route) -> None:
            url = route.request.url
            if urlsplit(url).netloc == host or url.startswith("data:"):
                route.continue_()
            else:
                elsewhere.append(url)
                route.abort()

        context.route("**/*", route)
        return context, elsewhere

    yield new
    for context in contexts:
        context.close()
