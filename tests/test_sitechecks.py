"""The checks of tests/sitechecks.py, without building the book."""

from sitechecks import has_alt_text


def test_alt_text_check_rejects_file_names_and_single_words() -> None:
    file_names = ("../_images/fig.png", "the loss curve.PNG", "figure one.svg")
    for alt in (None, "", "   ", *file_names, "Logo", "a plot"):
        assert not has_alt_text({"src": "../_images/fig.png", "alt": alt}), alt
        assert not has_alt_text({"src": "x", "alt": alt}), alt
    assert not has_alt_text({"src": "loss against compute", "alt": "loss against compute"})
    assert has_alt_text({"src": "../_images/fig.png", "alt": "Loss against compute, log-log axes"})
    assert has_alt_text({"src": "../_images/a.png", "alt": "Loss against parameters, log-log"})
