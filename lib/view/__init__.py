"""How the course shows numbers: the house plot style (``plotting``) and counts in words (``formatting``).

Notebooks import the modules: ``from lib.view import plotting`` or
``from lib.view.formatting import count``.
"""
