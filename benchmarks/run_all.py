"""Every benchmark of issue 12 in one table: frtrade, its peer, the ratio, peak memory.

Usage::

    python benchmarks/run_all.py              # ~5-10 min on 2 cores
    python benchmarks/run_all.py --with-all   # also `frtrade fiche --all --jobs 2` (slow)
    python benchmarks/run_all.py --runs 5

Every measurement runs in a fresh process (``python -c ...`` or the ``frtrade``
command) so that times and peak memory are those of a new process. Each cell
shows min-max over ``--runs`` runs (default 3) of the wall time, and the CPU
time (user + system) of the fastest run in brackets; the machine may be shared,
CPU time is the steadier number. Peers that are not installed (DuckDB: the
``bench`` extra; polars) show "n/a".

Peak memory ("mem" column) is the peak resident set size of the measured
process minus its RSS right after the imports (pandas, pyarrow, frtrade), in
MiB, with, for one flow, that increase divided by the size of the flow's text
(the decompressed data member): the "× text" figure of goal 3.

Works (large = the two 3.5-million-row files of ``make_large_file.py``):

- load both flows, no cache: ``load_dgddi(export, import)`` vs ``pyarrow.csv``
  reading the same members into one Arrow table (vs polars, when installed);
- second load from cache, new process: ``load_dgddi(..., cache=DIR)`` after a
  first load vs ``pandas.read_parquet`` of the same table;
- peak memory of one flow: ``load_dgddi(export)`` vs ``pyarrow.csv``;
- load + every indicator of every territory (``bench_indicators``): frtrade vs
  DuckDB computing the same 14 tables in SQL, numbers checked equal once;
- ``frtrade fiche 36`` in every format on the embedded data;
- ``frtrade fiche --all --jobs 2`` (only with ``--with-all``), and the floor
  its renderers set: the CPU spent inside vl-convert, PDFium and typst during the same
  batch, divided by the 2 jobs (``bench_render_floor.py``; the ratio column
  is then the floor over the whole batch);
- ``import frtrade`` and ``frtrade --help`` vs ``python -c "import pandas"``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

HERE = Path(__file__).parent
DATA = HERE / "data"
FILES = [DATA / f"BENCH_regional_2024_{f}.zip" for f in ("export", "import")]
FORMATS = "html,pdf,svg,png,csv,json,xlsx"

# A child process prints {"wall", "cpu", "base_mb", "peak_mb"} for the code in WORK.
CHILD = r"""
import json, resource, sys, time
def rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
import pandas, pyarrow, pyarrow.csv, pyarrow.parquet, numpy
{imports}
base = rss_mb()
files = sys.argv[1:]
c0 = time.process_time(); t0 = time.perf_counter()
{work}
wall = time.perf_counter() - t0; cpu = time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"wall": wall, "cpu": cpu, "base_mb": base, "peak_mb": peak}}))
"""

FRTRADE_LOAD = (
    "import frtrade, frtrade.dgddi",
    "data = frtrade.load_dgddi(*files, cache=False); assert len(data.flows)",
)
FRTRADE_CACHED = (
    "import os, frtrade, frtrade.dgddi",
    (
        "data = frtrade.load_dgddi(*files, cache=os.environ['BENCH_CACHE'])\n"
        "assert data.report.cache_hits and not data.report.cache_misses"
    ),
)
FRTRADE_FILL = (
    "import os, frtrade",
    "frtrade.load_dgddi(*files, cache=os.environ['BENCH_CACHE'])",
)
PYARROW_CSV = (
    "import zipfile",
    """
from pyarrow import csv
names = ["flux","quarter","year","dep","reg","a129","cpf4","country","value","mass"]
code = pyarrow.dictionary(pyarrow.int32(), pyarrow.string())
types = dict(flux=code, dep=code, reg=code, a129=code, cpf4=code, country=code,
             quarter=pyarrow.int8(), year=pyarrow.int16(),
             value=pyarrow.float64(), mass=pyarrow.float64())
tables = []
for f in files:
    with zipfile.ZipFile(f) as z:
        (member,) = [i for i in z.infolist() if i.filename.endswith(".txt")]
        with z.open(member) as raw:
            tables.append(csv.read_csv(raw,
                read_options=csv.ReadOptions(column_names=names),
                parse_options=csv.ParseOptions(delimiter=";"),
                convert_options=csv.ConvertOptions(column_types=types)))
table = pyarrow.concat_tables(tables, promote_options="permissive")
assert table.num_rows
""",
)
POLARS_CSV = (
    "import zipfile, io, polars",
    """
names = ["flux","quarter","year","dep","reg","a129","cpf4","country","value","mass"]
frames = []
for f in files:
    with zipfile.ZipFile(f) as z:
        (member,) = [i for i in z.infolist() if i.filename.endswith(".txt")]
        frames.append(polars.read_csv(z.read(member), separator=";",
            has_header=False, new_columns=names,
            schema_overrides={n: polars.Categorical for n in
                              ["flux","dep","reg","a129","cpf4","country"]}))
frame = polars.concat(frames)
assert frame.height
""",
)
PANDAS_PARQUET = (
    "",
    "frame = pandas.read_parquet(files[0]); assert len(frame)",
)
INDICATORS = (
    "import frtrade, frtrade.dgddi",
    (
        "data = frtrade.load_dgddi(*files, cache=False)\n"
        "tables = frtrade.all_territories(data.flows, indicators=True)"
    ),
)
DUCKDB = (
    f"sys.path.insert(0, {str(HERE)!r}); import bench_indicators",
    (
        "duck = bench_indicators.duckdb_tables([__import__('pathlib').Path(f) "
        "for f in files], 2024)"
    ),
)
CHECK_EQUAL = f"""
import sys, pathlib, warnings
sys.path.insert(0, {str(HERE)!r})
import frtrade, bench_indicators
files = [pathlib.Path(f) for f in sys.argv[1:]]
warnings.simplefilter("ignore")
data = frtrade.load_dgddi(*files)
tables = frtrade.all_territories(data.flows, indicators=True)
print(bench_indicators.check_equal(tables, bench_indicators.duckdb_tables(files, 2024)))
"""


def child(code: tuple[str, str], args: list[str], env: dict[str, str]) -> dict:
    imports, work = code
    source = CHILD.format(imports=imports, work=work)
    out = subprocess.run(
        [sys.executable, "-c", source, *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def command(argv: list[str], env: dict[str, str]) -> dict:
    """Wall and CPU time of a whole command (a new process), its own peak RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        message = proc.stderr.read().decode() if proc.stderr else ""
        raise subprocess.CalledProcessError(proc.returncode, argv, stderr=message)
    if proc.stderr:
        proc.stderr.close()
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall": wall, "cpu": cpu, "base_mb": 0.0, "peak_mb": usage.ru_maxrss / 1024}


def render_floor(env: dict[str, str]) -> dict:
    """One run of ``bench_render_floor.py``: the batch and its renderers' CPU."""
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_render_floor.py")],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def repeat(measure: Callable[[], dict], runs: int) -> list[dict]:
    return [measure() for _ in range(runs)]


def cell(results: list[dict] | None) -> str:
    if not results:
        return "n/a"
    walls = [r["wall"] for r in results]
    best = min(results, key=lambda r: r["wall"])
    return f"{min(walls):.2f}–{max(walls):.2f} s ({best['cpu']:.2f} s CPU)"


def ratio(ours: list[dict] | None, theirs: list[dict] | None) -> str:
    if not ours or not theirs:
        return "n/a"
    a = [r["wall"] for r in ours]
    b = [r["wall"] for r in theirs]
    ca = min(r["cpu"] for r in ours) / max(min(r["cpu"] for r in theirs), 1e-9)
    return f"{min(a) / min(b):.2f}× (CPU {ca:.2f}×)"


def memory(results: list[dict] | None, text_mb: float | None = None) -> str:
    if not results:
        return "n/a"
    grown = [r["peak_mb"] - r["base_mb"] for r in results]
    if text_mb is None:
        if not any(r["base_mb"] for r in results):
            return f"{min(r['peak_mb'] for r in results):.0f} MiB peak"
        return f"+{min(grown):.0f}–{max(grown):.0f} MiB"
    return (
        f"+{min(grown):.0f}–{max(grown):.0f} MiB "
        f"({min(grown) / text_mb:.2f}–{max(grown) / text_mb:.2f}× text)"
    )


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--with-all", action="store_true", help="fiche --all --jobs 2")
    args = parser.parse_args()
    if not all(f.exists() for f in FILES):
        subprocess.run([sys.executable, str(HERE / "make_large_file.py")], check=True)
    runs = args.runs
    files = [str(f) for f in FILES]
    with zipfile.ZipFile(FILES[0]) as z:
        text_mb = sum(i.file_size for i in z.infolist()) / 2**20
    tmp = Path(tempfile.mkdtemp(prefix="frtrade-bench-"))
    env = dict(
        os.environ,
        BENCH_CACHE=str(tmp / "cache"),
        FRTRADE_CACHE_DIR=str(tmp / "cli-cache"),
        PYTHONWARNINGS="ignore",
    )
    frtrade_bin = str(Path(sys.executable).with_name("frtrade"))
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(
        work: str,
        ours: list[dict],
        peer_name: str,
        theirs: list[dict] | None,
        mem_ours: str,
        mem_theirs: str = "",
    ) -> None:
        peer = f"{peer_name}: {cell(theirs)}" if peer_name else ""
        mem = mem_ours + (f" / {peer_name} {mem_theirs}" if mem_theirs else "")
        rows.append((work, cell(ours), peer, ratio(ours, theirs), mem, ""))
        print(f"  done: {work}", file=sys.stderr, flush=True)

    try:
        # 1. load both flows, no cache
        ours = repeat(lambda: child(FRTRADE_LOAD, files, env), runs)
        arrow = repeat(lambda: child(PYARROW_CSV, files, env), runs)
        row(
            "load both flows (large)",
            ours,
            "pyarrow.csv",
            arrow,
            memory(ours),
            memory(arrow),
        )
        if has("polars"):
            polars = repeat(lambda: child(POLARS_CSV, files, env), runs)
            row(
                "load both flows (large)",
                ours,
                "polars",
                polars,
                memory(ours),
                memory(polars),
            )
        else:
            row("load both flows (large)", ours, "polars", None, memory(ours))

        # 2. second load from cache, new process
        child(FRTRADE_FILL, files, env)  # fills the cache (not timed)
        parquet = tmp / "table.parquet"
        subprocess.run(
            [
                sys.executable,
                "-c",
                (
                    "import sys, warnings, frtrade; warnings.simplefilter('ignore'); "
                    "frtrade.load_dgddi(*sys.argv[2:]).flows.to_parquet(sys.argv[1])"
                ),
                str(parquet),
                *files,
            ],
            check=True,
            env=env,
        )
        cached = repeat(lambda: child(FRTRADE_CACHED, files, env), runs)
        pandas_pq = repeat(lambda: child(PANDAS_PARQUET, [str(parquet)], env), runs)
        whole = repeat(
            lambda: command(
                [
                    sys.executable,
                    "-c",
                    (
                        "import os, sys, frtrade; "
                        "frtrade.load_dgddi(*sys.argv[1:], cache=os.environ['BENCH_CACHE'])"
                    ),
                    *files,
                ],
                env,
            ),
            runs,
        )
        whole_pandas = repeat(
            lambda: command(
                [
                    sys.executable,
                    "-c",
                    "import sys, pandas; pandas.read_parquet(sys.argv[1])",
                    str(parquet),
                ],
                env,
            ),
            runs,
        )
        row(
            "second load from cache, whole new process (python -c)",
            whole,
            "pandas.read_parquet",
            whole_pandas,
            memory(whole),
            memory(whole_pandas),
        )
        row(
            "second load from cache (large, both flows)",
            cached,
            "pandas.read_parquet",
            pandas_pq,
            memory(cached),
            memory(pandas_pq),
        )

        # 3. peak memory, one flow
        one = repeat(lambda: child(FRTRADE_LOAD, files[:1], env), runs)
        one_arrow = repeat(lambda: child(PYARROW_CSV, files[:1], env), runs)
        row(
            f"load one flow (large, {text_mb:.0f} MiB of text)",
            one,
            "pyarrow.csv",
            one_arrow,
            memory(one, text_mb),
            memory(one_arrow, text_mb),
        )

        # 4. load + every indicator of every territory
        ours = repeat(lambda: child(INDICATORS, files, env), runs)
        if has("duckdb"):
            duck = repeat(lambda: child(DUCKDB, files, env), runs)
            checked = subprocess.run(
                [sys.executable, "-c", CHECK_EQUAL, *files],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout.strip()
            row(
                f"load + every indicator, every territory ({checked} values equal)",
                ours,
                "DuckDB",
                duck,
                memory(ours),
                memory(duck),
            )
        else:
            row(
                "load + every indicator, every territory",
                ours,
                "DuckDB",
                None,
                memory(ours),
            )

        # 5. one fiche, every format, embedded data: the first run of a machine
        # (empty cache: the 12 zips parsed and cached) and the next ones
        one = [
            frtrade_bin,
            "fiche",
            "36",
            "--out",
            str(tmp / "one"),
            "--format",
            FORMATS,
        ]

        def first_run() -> dict:
            shutil.rmtree(tmp / "cli-cache", ignore_errors=True)
            return command(one, env)

        cold = repeat(first_run, runs)
        row(
            "frtrade fiche 36, every format, first run (empty cache)",
            cold,
            "",
            None,
            memory(cold),
        )
        command(one, env)  # the cache is written
        fiche = repeat(lambda: command(one, env), runs)
        row("frtrade fiche 36, every format (embedded)", fiche, "", None, memory(fiche))

        # 6. every fiche, 2 jobs (slow)
        if args.with_all:
            every = repeat(
                lambda: command(
                    [
                        frtrade_bin,
                        "fiche",
                        "--all",
                        "--jobs",
                        "2",
                        "--out",
                        str(tmp / "all"),
                        "--format",
                        FORMATS,
                    ],
                    env,
                ),
                runs,
            )
            row(
                "frtrade fiche --all --jobs 2 (embedded)",
                every,
                "",
                None,
                memory(every),
            )
            # the part of that batch no Python change can remove: the CPU spent
            # inside vl-convert, PDFium and typst, over the 2 jobs (bench_render_floor)
            floors = repeat(lambda: render_floor(env), runs)
            row(
                "… of which the renderers' CPU ÷ 2 jobs (the floor)",
                [{"wall": f["floor"], "cpu": f["renderer_cpu"]} for f in floors],
                "the same batch",
                [{"wall": f["wall"], "cpu": f["cpu"]} for f in floors],
                "",
            )

        # 7. start-up
        pandas_import = repeat(
            lambda: command([sys.executable, "-c", "import pandas"], env), runs
        )
        imp = repeat(
            lambda: command([sys.executable, "-c", "import frtrade"], env), runs
        )
        row("import frtrade", imp, "import pandas", pandas_import, memory(imp))
        helped = repeat(lambda: command([frtrade_bin, "--help"], env), runs)
        row("frtrade --help", helped, "import pandas", pandas_import, memory(helped))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(
        f"min–max wall time over {runs} runs (CPU of the fastest run); "
        "mem: peak RSS minus RSS after imports (whole peak for commands)"
    )
    print()
    header = ("work", "frtrade", "peer", "ratio (wall, CPU)", "peak memory")
    table = [header, *[r[:5] for r in rows]]
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    lines = [
        " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in table
    ]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    print("\n".join(f"| {line} |" for line in lines))


if __name__ == "__main__":
    main()
