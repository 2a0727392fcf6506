"""How long each page of the book took to execute in a build, from the build's jupyter-cache.

``jupyter-book build`` records every executed notebook in ``_build/.jupyter_cache``; this
prints those times, slowest first, and exits 1 when a page took longer than the limit
(30 s by default) or failed to execute, so that a page that waits for a timeout cannot
hide inside a slow build.

Usage: python tests/bench/page_times.py [BUILD_DIR] [--limit SECONDS]
(BUILD_DIR is the folder holding ``.jupyter_cache``; default ``_build``.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 30.0


def page_times(build: Path) -> tuple[dict[str, float], list[str]]:
    """Seconds of the latest execution of each page, and the pages whose last execution failed."""
    cache_dir = build / ".jupyter_cache"
    if not (cache_dir / "global.db").is_file():
        raise SystemExit(f"no jupyter-cache in {build}: build the book first (make book)")
    cache = get_cache(cache_dir)
    times: dict[str, float] = {}
    for record in sorted(cache.list_cache_records(), key=lambda record: record.created):
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is not None:
            times[_name(record.uri)] = float(seconds)
    failed = [_name(project.uri) for project in cache.list_project_records() if project.traceback]
    for name in failed:
        times.pop(name, None)
    return times, failed


def _name(uri: str) -> str:
    path = Path(uri)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def report(build: Path, limit: float = LIMIT) -> int:
    """Print every page's time; return 1 if one is over `limit` s or failed, else 0."""
    times, failed = page_times(build)
    if not times and not failed:
        raise SystemExit(f"the jupyter-cache in {build} records no executed page")
    width = max(len(name) for name in [*times, *failed])
    for name, seconds in sorted(times.items(), key=lambda item: -item[1]):
        flag = f"   OVER THE {limit:g} s LIMIT" if seconds > limit else ""
        print(f"{name:<{width}}  {seconds:6.1f} s{flag}")
    for name in failed:
        print(f"{name:<{width}}  FAILED to execute")
    slow = [name for name, seconds in times.items() if seconds > limit]
    print(f"{len(times)} pages executed in {sum(times.values()):.1f} s; slowest {max(times.values()):.1f} s")
    if slow or failed:
        print(
            f"error: {len(slow)} page(s) took over {limit:g} s and {len(failed)} failed: "
            "a page that waits for a timeout, or work that belongs in lib's tests",
            file=sys.stderr,
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", nargs="?", type=Path, default=ROOT / "_build")
    parser.add_argument("--limit", type=float, default=LIMIT, help="seconds a page may take (default 30)")
    args = parser.parse_args(argv)
    return report(args.build, args.limit)


if __name__ == "__main__":
    sys.exit(main())
