"""Benchmark: time to build one fiche and every fiche (--all), sequentially and with 2 jobs.

Usage: ``python benchmarks/bench_fiches.py [--formats html,pdf,svg,png,csv,json,xlsx]``
Runs the real command line in fresh processes on the embedded dataset.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "frtrade.cli", *args],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--formats", default="html,pdf,svg,png,csv,json,xlsx")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="frtrade-bench-"))
    try:
        one = run(["fiche", "36", "--out", str(out / "one"), "--format", args.formats])
        print(f"one fiche (Indre, {args.formats}), whole command: {one:.1f} s")
        seq = run(
            ["fiche", "--all", "--out", str(out / "all1"), "--format", args.formats]
        )
        count = len(list((out / "all1").iterdir()))
        print(
            f"--all ({count} fiches), 1 process: {seq:.1f} s ({seq / count:.2f} s per fiche)"
        )
        par = run(
            [
                "fiche",
                "--all",
                "--jobs",
                "2",
                "--out",
                str(out / "all2"),
                "--format",
                args.formats,
            ]
        )
        print(
            f"--all ({count} fiches), --jobs 2: {par:.1f} s ({par / count:.2f} s per fiche)"
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
