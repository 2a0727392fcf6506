"""Sphinx extension: an exercise page offers the blank exercise for download.

An exercise page is built from ``solutions/exNN_*.ipynb``, so the theme's download button
offers that notebook, answers included. This copies the student copy,
``exercises/exNN_*.ipynb`` (generated from the solution by ``lib.course.exercisegen``), into the site
and lists it first in the same menu, with the solution labelled as such.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def add_blank_exercise(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Add the blank exercise of a ``solutions/`` page to its download menu."""
    folder, _, name = pagename.partition("/")
    blank = Path(app.srcdir) / "exercises" / f"{name}.ipynb"
    if folder != "solutions" or not blank.is_file():
        return
    target = Path(app.outdir) / "_downloads" / "exercises" / blank.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(blank, target)
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        for button in group["buttons"]:
            if button.get("label") == "download-source-button":
                button["text"] = ".ipynb with solutions"
        group["buttons"].insert(
            0,
            {
                "type": "link",
                "url": f"{context['pathto']('_downloads', 1)}/exercises/{blank.name}",
                "text": ".ipynb exercise",
                "tooltip": "Download the exercise, without its solutions",
                "icon": "fas fa-file",
                "label": "download-exercise-button",
            },
        )


def setup(app: Sphinx) -> dict[str, Any]:
    # after sphinx-book-theme's add_header_buttons (priority 501) has built the menu
    app.connect("html-page-context", add_blank_exercise, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
