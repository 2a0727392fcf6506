"""Sphinx extension: reference lists that assistive technology can read as lists.

Sphinx 7.4 (through docutils) writes a bibliography as ``<div role="list">`` whose entries
have ``role="doc-biblioentry"``. ARIA 1.3 deprecates that role, so the list has no list
items and axe-core reports a critical ``aria-required-children`` violation on every page
with references. This handler gives the entries the ``listitem`` role instead.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def entries_as_list_items(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Replace the deprecated ``doc-biblioentry`` role in the page body by ``listitem``."""
    body = context.get("body")
    if body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", entries_as_list_items)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
