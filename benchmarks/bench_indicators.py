"""Benchmark: indicator tables for every territory on a 3.5-million-row-per-flow year.

Usage: ``python benchmarks/bench_indicators.py`` (creates the files if needed).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import frtrade

HERE = Path(__file__).parent
DATA = HERE / "data"


def main() -> None:
    files = [DATA / f"BENCH_regional_2024_{flow}.zip" for flow in ("export", "import")]
    if not all(f.exists() for f in files):
        subprocess.run([sys.executable, str(HERE / "make_large_file.py")], check=True)
    flows = frtrade.read_dgddi(*files)
    print(f"{len(flows):,} rows")
    for label, call in (
        (
            "all_territories (every département, région, France)",
            lambda: frtrade.all_territories(flows),
        ),
        (
            "headline_facts, one département",
            lambda: frtrade.headline_facts(flows, frtrade.Territory.resolve("36")),
        ),
        (
            "headline_facts, France",
            lambda: frtrade.headline_facts(flows, frtrade.Territory.france()),
        ),
    ):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        print(f"{label}: " + ", ".join(f"{t:.2f}" for t in times) + " s (3 runs)")


if __name__ == "__main__":
    main()
