"""Sphinx extension: keep each page script once.

With Jupyter Book 1.0.4 (Sphinx 7.4, sphinx-book-theme 1.3, myst-nb 1.4) some scripts are
registered twice per page: sphinx-togglebutton's and sphinx-thebe's body scripts and
myst-nb's ipywidgets scripts. The duplicates raise a console error on every page
("Identifier 'THEBE_JS_URL' has already been declared") and render every saved widget
twice. This handler keeps the last entry for each (filename, body).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _script_key(script: Any) -> tuple[str, str]:
    # an inline script's filename is None or "" depending on which extension added it
    filename = getattr(script, "filename", script) or ""
    body = getattr(script, "attributes", {}).get("body", "")
    return str(filename), str(body)


def keep_last_of_each_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Drop all but the last copy of every script in the page's ``script_files``."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, str]] = set()
    kept = []
    for script in reversed(scripts):
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = list(reversed(kept))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", keep_last_of_each_script, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
