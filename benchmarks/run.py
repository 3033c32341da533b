"""Benchmarks: `python benchmarks/run.py [NAME ...] [--scale county|stress]` prints `name: value unit` lines."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

CACHE = Path(os.environ.get("KEJIJU_BENCH_CACHE", Path(tempfile.gettempdir()) / "kejiju-bench-cache"))


class Context:
    """What a benchmark group gets: the scale, the synthetic files, a scratch folder."""

    def __init__(self, scale: str, tmp: Path, engine: str = "file"):
        self.scale = scale
        self.tmp = tmp
        self.engine = engine  # "postgresql": the server figures run, each on a cluster of its own

    def data_file(self) -> Path:
        """The cached synthetic main data file at this run's scale (county or stress)."""
        import synthetic

        return synthetic.cached_file(CACHE, self.scale)

    def county_file(self) -> Path:
        """The cached county-scale file, whatever the run's scale."""
        import synthetic

        return synthetic.cached_file(CACHE, "county")

    def stress_file(self) -> Path:
        """The cached stress-scale file (500,000 patents), whatever the run's scale."""
        import synthetic

        return synthetic.cached_file(CACHE, "stress")


def discover() -> tuple[dict[str, Callable], dict[str, str]]:
    """All groups and figure names of benchmarks/bench_*.py, in file order."""
    groups: dict[str, Callable] = {}
    figures: dict[str, str] = {}
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        groups.update(module.GROUPS)
        figures.update(module.FIGURES)
    return groups, figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="性能基准")
    parser.add_argument("names", nargs="*", metavar="NAME", help="figure names (default: all)")
    parser.add_argument("--scale", choices=("county", "stress"), default="county")
    parser.add_argument("--engine", choices=("file", "postgresql"), default="file")
    args = parser.parse_args(argv)
    groups, figures = discover()
    unknown = [n for n in args.names if n not in figures]
    if unknown:
        parser.error("unknown figure(s): " + ", ".join(unknown) + "; known: " + ", ".join(figures))
    wanted = args.names or list(figures)
    order = list(dict.fromkeys(figures[n] for n in wanted))
    failed = False
    with tempfile.TemporaryDirectory(prefix="kejiju-bench-") as tmp:
        ctx = Context(args.scale, Path(tmp), args.engine)
        for group in order:
            try:
                results = groups[group](ctx)
            except Exception:  # noqa: BLE001 - report the failing group, run the others
                traceback.print_exc()
                failed = True
                continue
            for name in wanted:
                if figures[name] == group and name in results:
                    value, unit = results[name]
                    print(f"{name}: {value:.3f} {unit}".rstrip(), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
