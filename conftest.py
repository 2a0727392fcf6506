"""Root hooks for pytest: notebook cells are marked ``kernel``.

nbval collects the cells of the notebooks in chapters/ and solutions/, and each runs in a
Jupyter kernel: marked ``kernel``, ``-m "not kernel"`` leaves them out. This file is at
the root because tests/conftest.py does not apply to items collected outside tests/.
The other markers are set in the test files (they are described in pyproject.toml).
"""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every item collected from a notebook (an nbval cell) ``kernel``."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.kernel)
