"""Benchmark: how much of ``fiche --all --jobs 2`` is the renderer's own work.

Usage: ``python benchmarks/bench_render_floor.py [--jobs 2] [--formats ...]``

Writes every fiche of the embedded dataset, as ``frtrade fiche --all`` does,
and counts the CPU time spent inside the renderers: vl-convert (Vega to SVG,
SVG to PDF, the HTML bundle), PDFium (the PNG from that PDF, its encoding
included) and typst (the PDF page). Each worker
adds its own calls' CPU to a counter shared across the forked processes.

The renderer's CPU divided by the number of jobs (at most the number of
cores) is a floor for the batch's wall time: no change to frtrade's Python
code can bring the batch under it without drawing fewer or different
pictures. Prints one JSON line
(``wall``, ``cpu``, ``renderer_cpu``, ``fiches``, ``floor``) for
``run_all.py`` and a sentence for a reader.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.sharedctypes import Synchronized
    from types import ModuleType

P = ParamSpec("P")
R = TypeVar("R")


def _cpu() -> float:
    """CPU of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


_INSIDE = threading.local()  # a counted call within a counted call is not counted twice


def _counted(function: Callable[P, R], total: Synchronized[float]) -> Callable[P, R]:
    """``function``, adding the CPU of each outermost call (all threads) to ``total``."""

    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        if getattr(_INSIDE, "depth", 0):
            return function(*args, **kwargs)
        _INSIDE.depth = 1
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            _INSIDE.depth = 0
            spent = time.process_time() - start
            with total.get_lock():
                total.value += spent

    return call


class _CountedModule:
    """A module whose rendering functions count their CPU (the rest passes through)."""

    _RENDERING = (
        "vegalite_to_svg",
        "vega_to_svg",
        "svg_to_png",
        "svg_to_pdf",
        "vegalite_to_html",
        "vegalite_to_png",
        "vegalite_to_pdf",
    )

    def __init__(self, module: ModuleType, total: Synchronized[float]) -> None:
        self._module = module
        for name in self._RENDERING:
            if hasattr(module, name):
                setattr(self, name, _counted(getattr(module, name), total))

    def __getattr__(self, name: str) -> object:
        return getattr(self._module, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--formats", default="html,pdf,svg,png,csv,json,xlsx")
    args = parser.parse_args()
    if args.jobs < 2:  # one job renders in frtrade's render processes, not counted here
        parser.error("--jobs must be 2 or more (the workers are counted when forked)")

    import typst

    import frtrade._vega as vega
    from frtrade.datasets import load_fictitious_dataset
    from frtrade.fiche import write_all_fiches

    # a counter in shared memory, inherited by the forked workers
    total = multiprocessing.Value("d", 0.0)
    original = vega.vl_convert
    # the workers import vl-convert themselves (the batch forks only while
    # this process has not): the wrapper is put around the module they get
    vega.vl_convert = lambda: _CountedModule(original(), total)  # type: ignore[assignment,return-value]
    typst.compile = _counted(typst.compile, total)  # type: ignore[assignment]
    # the PNGs: vl-convert's PDF of the SVG (counted once, inside) and PDFium's pixels
    vega.svg_to_png = _counted(vega.svg_to_png, total)  # type: ignore[assignment]

    out = tempfile.mkdtemp(prefix="frtrade-floor-")
    try:
        start, cpu0 = time.perf_counter(), _cpu()
        data = load_fictitious_dataset()
        results = write_all_fiches(
            data.flows,
            out,
            formats=tuple(args.formats.split(",")),
            report=data.report,
            labels=data.labels,
            jobs=args.jobs,
        )
        wall, cpu = time.perf_counter() - start, _cpu() - cpu0
    finally:
        shutil.rmtree(out, ignore_errors=True)
    failed = [r.slug for r in results if not r.ok]
    if failed:
        sys.exit(f"fiches failed: {failed}")
    renderer = total.value
    if renderer <= 0:  # spawned workers start without the counting wrappers
        sys.exit("no renderer CPU counted: the batch's workers were not forked")
    # the renderers' work spread over the jobs, at most one per core
    floor = renderer / min(args.jobs, os.cpu_count() or 1)
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "renderer_cpu": renderer,
                "fiches": len(results),
                "floor": floor,
            }
        )
    )
    print(
        f"{len(results)} fiches in {wall:.1f} s ({cpu:.1f} s CPU, {os.cpu_count()} CPUs); "
        f"renderers (vl-convert, PDFium, typst) {renderer:.1f} s CPU = {renderer / cpu:.0%} of it; "
        f"floor with {args.jobs} jobs: {floor:.1f} s, "
        f"Python and the rest: {(cpu - renderer) / len(results):.2f} s CPU per fiche",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
