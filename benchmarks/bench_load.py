"""Benchmark: load time and peak memory of read_dgddi on a 3.5-million-row file per flow.

Usage: ``python benchmarks/bench_load.py`` (creates the files with make_large_file.py first).
Each measurement runs in a fresh process so that peak RSS is that of one load.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import frtrade
t1 = time.perf_counter()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = frtrade.load_dgddi(*sys.argv[1:])
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
flows = data.flows
print(json.dumps({
    "files": len(sys.argv) - 1,
    "rows": len(flows),
    "import_s": round(t1 - t0, 2),
    "load_s": round(t2 - t1, 2),
    "rss_before_mb": round(base / 1024),
    "peak_rss_mb": round(peak / 1024),
    "frame_mb": round(flows.memory_usage(deep=True).sum() / 1e6),
}))
"""


def main() -> None:
    export = DATA / "BENCH_regional_2024_export.zip"
    imports = DATA / "BENCH_regional_2024_import.zip"
    if not (export.exists() and imports.exists()):
        subprocess.run([sys.executable, str(HERE / "make_large_file.py")], check=True)
    for label, files in (("one flow", [export]), ("both flows", [export, imports])):
        runs = []
        for _ in range(3):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, *map(str, files)],
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(out.stdout))
        best = min(runs, key=lambda r: r["load_s"])
        loads = ", ".join(str(r["load_s"]) for r in runs)
        print(
            f"{label}: {best['rows']:,} rows; load {loads} s (3 runs); "
            f"peak RSS {best['peak_rss_mb']} MB (process before load: "
            f"{best['rss_before_mb']} MB); table {best['frame_mb']} MB in memory"
        )


if __name__ == "__main__":
    main()
