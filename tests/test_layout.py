"""The layout of lib as lib/__init__.py describes it: every module listed, every __all__ true, layers kept."""

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import lib

LIB = Path(lib.__file__).parent
TOP_LEVEL = sorted(info.name for info in pkgutil.iter_modules([str(LIB)]) if not info.name.startswith("_"))
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages([str(LIB)], prefix="lib.")
    if not info.name.endswith("__main__")
)
MATHS, PRESENTATION, TOOLING = (set(names) for names in lib.LAYERS.values())


def test_the_module_map_lists_every_module_and_subpackage_once():
    assert sorted(lib.__all__) == TOP_LEVEL
    assert len(set(lib.__all__)) == len(lib.__all__)
    for name in TOP_LEVEL:
        assert f"``{name}``" in lib.__doc__, f"lib/__init__.py's docstring does not describe {name}"


def test_the_layers_are_maths_presentation_and_tooling_and_share_no_module():
    assert list(lib.LAYERS) == ["maths", "presentation", "tooling"]
    assert len(MATHS) + len(PRESENTATION) + len(TOOLING) == len(TOP_LEVEL)


@pytest.mark.parametrize("name", MODULES)
def test_every_name_in_all_exists(name):
    module = importlib.import_module(name)
    missing = [item for item in getattr(module, "__all__", []) if not hasattr(module, item)]
    assert not missing, f"{name}.__all__ names what it does not define: {missing}"


def _imported_lib_packages(path: Path) -> set[str]:
    """The top-level lib modules `path` imports (``from lib.view import ...`` gives ``view``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "lib":
            parts = node.module.split(".")
            names = [parts[1]] if len(parts) > 1 else [alias.name for alias in node.names]
            found.update(names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("lib."))
    return found - {"_validate"}


@pytest.mark.parametrize(
    ("layer", "forbidden"), [(MATHS, PRESENTATION | TOOLING), (PRESENTATION, TOOLING)], ids=["maths", "view"]
)
def test_a_layer_does_not_import_the_layers_below_it(layer, forbidden):
    offenders = []
    for path in sorted(LIB.rglob("*.py")):
        top = path.relative_to(LIB).parts[0].removesuffix(".py")
        if top in layer and (wrong := _imported_lib_packages(path) & forbidden):
            offenders.append(f"{path.relative_to(LIB)} imports {sorted(wrong)}")
    assert not offenders, offenders


@pytest.mark.slow
def test_mypy_finds_nothing_in_lib():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(LIB.parent / "_build" / ".mypy_cache")],
        capture_output=True,
        text=True,
        cwd=LIB.parent,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
