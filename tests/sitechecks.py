"""Checks shared by the tests of the built website (tests/test_book.py reads its HTML,
tests/test_site_browser.py opens it in chromium)."""

import re

# docutils writes the image's path as its alt when a figure has none: a file name is no alt text
_IMAGE_FILE = re.compile(r"\.(png|jpe?g|gif|svg|webp|bmp)$", re.IGNORECASE)
_MIN_ALT_WORDS = 3


def has_alt_text(image: dict[str, str | None]) -> bool:
    """Whether an image (its ``src`` and ``alt`` attributes) has alt text that says something:
    at least three words, neither its own source nor a file name."""
    alt = " ".join((image.get("alt") or "").split())
    return alt != image.get("src") and not _IMAGE_FILE.search(alt) and len(alt.split()) >= _MIN_ALT_WORDS
