"""Exercise 1 in a real JupyterLab, as a student meets it.

A JupyterLab server is started on 127.0.0.1 (free port, random token) over a temporary
folder holding copies of the solution and of the blank exercise; chromium opens each
notebook, runs every cell through the Run menu and reads what the page shows: the
solution's check cells say "correct" and its explorer's slider redraws the figure when
moved with the keyboard; the blank exercise's first check cell gives the "not answered
yet" hint. Every request to another host is blocked and recorded, as on the website. The
server and its kernels are always stopped, even when the test process is killed (the
server asks Linux for SIGTERM when its parent dies), and nothing is written to the
repository (screenshots go to ``_build/screenshots/``). Needs chromium, like
tests/test_site_browser.py.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = [pytest.mark.browser, pytest.mark.kernel]  # chromium drives JupyterLab and its kernels

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "_build" / "screenshots"  # for people to look at, like the site's
NOTEBOOK = "ex01_power_laws.ipynb"
START_TIMEOUT = 60  # seconds for the server to answer
RUN_TIMEOUT_MS = 120_000  # for every cell of a notebook to run
TIMEOUT_MS = 30_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _check_cells(path: Path) -> int:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return sum("check" in cell.get("metadata", {}).get("tags", []) for cell in cells)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent(parent: int) -> None:
    """Run in the server's process before it starts: SIGTERM it when the test process dies
    (SIGTERM, SIGKILL or a crash), so that it never outlives the test; the fixture's
    finaliser only runs when Python exits normally."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        os._exit(ctypes.get_errno() or 1)
    if os.getppid() != parent:  # the test process died before the prctl call
        os._exit(1)


def _api(base: str, token: str, path: str, method: str = "GET") -> bytes:
    request = urllib.request.Request(
        f"{base}{path}", method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A JupyterLab server over copies of exercise 1; yields (base URL, token)."""
    folder = tmp_path_factory.mktemp("lab")
    for kind in ("solutions", "exercises"):
        (folder / kind).mkdir()
        shutil.copy(ROOT / kind / NOTEBOOK, folder / kind / NOTEBOOK)
    # no "get notified about Jupyter news?" toast over the notebook
    news = folder / ".config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    token, port = secrets.token_hex(16), _free_port()
    base = f"http://127.0.0.1:{port}/"
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [
        str(jupyter), "lab", "--no-browser", f"--ServerApp.token={token}", "--ServerApp.ip=127.0.0.1",
        f"--port={port}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={folder}",
        # nothing asks the network: no news, no update check
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    # the server's settings, workspaces and runtime files stay in the temporary folder
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(folder / ".config"),
        "JUPYTER_RUNTIME_DIR": str(folder / ".runtime"),
        "IPYTHONDIR": str(folder / ".ipython"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    log = open(folder / "server.log", "w")  # noqa: SIM115 (closed in the finaliser)
    preexec = functools.partial(_die_with_parent, os.getpid()) if sys.platform == "linux" else None
    server = subprocess.Popen(
        command,
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=preexec,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail("JupyterLab exited:\n" + (folder / "server.log").read_text()[-3000:])
            try:
                _api(base, token, "api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT} s")
                time.sleep(0.25)
        yield base, token
    finally:
        try:  # stops the kernels, then the server
            _api(base, token, "api/shutdown", method="POST")
            server.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
        log.close()


@pytest.fixture
def open_notebook(lab: tuple[str, str], offline_context):
    """Open a notebook of the lab folder in JupyterLab and run all its cells from the Run menu.

    Returns the page, the uncaught page errors and the requests to other hosts (blocked)."""
    base, token = lab
    contexts = []

    def open_and_run(path: str):
        context, elsewhere = offline_context(urlsplit(base).netloc, viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}lab/tree/{path}?reset&token={token}")
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
        page.locator("#jp-main-statusbar", has_text="| Idle").wait_for()
        page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        return page, errors, elsewhere

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield open_and_run
    for context in contexts:
        context.close()


# true once the explorer's image has not changed for a second
_IMAGE_SETTLED = """() => {
  const image = document.querySelector('.widget-output img');
  if (!image) return false;
  if (window.__lastSrc !== image.src) {
    window.__lastSrc = image.src;
    window.__since = performance.now();
    return false;
  }
  return performance.now() - window.__since > 1000;
}"""


_OUTPUTS = "document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output')"
# an exception or anything on stderr: Run All stops at a failing cell, so nothing more will come
_ERROR_OUTPUT = '[data-mime-type="application/vnd.jupyter.stderr"]'
_VERDICTS_OR_ERROR = f"""n => {{
  const outputs = Array.from({_OUTPUTS});
  const correct = outputs.flatMap(o => o.innerText.split('\\n'))
    .filter(line => /^✔ Question \\d+: correct$/.test(line.trim()));
  return correct.length >= n
    || outputs.some(o => o.matches('{_ERROR_OUTPUT}') || o.querySelector('{_ERROR_OUTPUT}') !== null);
}}"""


def _outputs(page) -> list[str]:
    return page.locator(".jp-NotebookPanel .jp-OutputArea-output").all_inner_texts()


def _wait(page, script: str, arg: object, what: str) -> None:
    """Wait up to RUN_TIMEOUT_MS for `script` to be true; on time-out, fail with the outputs."""
    try:
        page.wait_for_function(script, arg=arg, timeout=RUN_TIMEOUT_MS, polling=250)
    except PlaywrightTimeoutError:
        pytest.fail(f"no {what} within {RUN_TIMEOUT_MS} ms; outputs: {_outputs(page)}", pytrace=False)


def test_solution_passes_its_checks_and_its_explorer_responds(open_notebook) -> None:
    page, errors, elsewhere = open_notebook(f"solutions/{NOTEBOOK}")
    checks = _check_cells(ROOT / "solutions" / NOTEBOOK)
    assert checks > 0
    _wait(page, _VERDICTS_OR_ERROR, checks, f"{checks} verdicts or error")
    outputs = _outputs(page)
    verdicts = [line.strip() for text in outputs for line in text.splitlines() if "✔" in line]
    assert verdicts == [f"✔ Question {k}: correct" for k in range(1, checks + 1)], outputs
    assert page.locator(f".jp-NotebookPanel {_ERROR_OUTPUT}").count() == 0, outputs

    handle = page.locator(".widget-slider .noUi-handle").first
    image = page.locator(".widget-output img").first
    image.wait_for()
    assert image.get_attribute("alt").startswith("Plot of L (nats/token) against N (parameters). α = ")
    before = image.get_attribute("src")
    handle.focus()
    for _ in range(5):
        handle.press("ArrowRight")
    page.wait_for_function(
        "before => { const i = document.querySelector('.widget-output img'); return i && i.src !== before; }",
        arg=before,
    )
    page.wait_for_function(_IMAGE_SETTLED, polling=200)  # the last key press is drawn
    page.locator(".widget-output").first.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "jupyterlab--solution-explorer-moved.png")
    assert errors == []
    assert elsewhere == [], "requests to other hosts"


def test_blank_exercise_asks_for_an_answer(open_notebook) -> None:
    page, errors, elsewhere = open_notebook(f"exercises/{NOTEBOOK}")
    _wait(page, f"() => Array.from({_OUTPUTS}).some(o => o.matches('{_ERROR_OUTPUT}'))", None, "error")
    hint = page.locator(f".jp-NotebookPanel .jp-OutputArea-output{_ERROR_OUTPUT}").first
    assert "Question 1: not answered yet" in hint.inner_text(), _outputs(page)
    hint.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "jupyterlab--exercise-hint.png")
    assert errors == []
    assert elsewhere == [], "requests to other hosts"
