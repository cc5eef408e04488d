"""Every fiche of a data set in one run: shared tables, shared charts, failures recorded."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from frtrade.dgddi import Labels, LoadReport
from frtrade.territories import Territory

from ._fiche import FICHE_FORMATS, ChartCache, build_fiche

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    import pandas as pd

    from frtrade.charts import Palette
    from frtrade.indicators import TerritoryTables

    from ._fiche import Fiche
    from ._overrides import FicheOverrides

FAILURES_FILE = "failures.json"


@dataclass(frozen=True)
class BatchResult:
    """Outcome of one fiche in :func:`write_all_fiches`.

    ``skipped`` is True when ``resume=True`` found the folder already complete.
    """

    slug: str
    ok: bool
    seconds: float
    error: str = ""
    skipped: bool = False


def territory_from_slug(slug: str) -> Territory:
    """The territory of a slug (``departement-36``, ``region-24``, ``groupe-18-36``, ``france``).

    An alias of :meth:`Territory.from_slug`.

    Parameters
    ----------
    slug
        As in :attr:`Territory.slug`.

    Returns
    -------
    Territory
        The territory.

    Raises
    ------
    UnknownTerritoryError
        For a code absent from the reference tables.

    Examples
    --------
    >>> territory_from_slug("groupe-18-36").departements
    ('18', '36')
    """
    return Territory.from_slug(slug)


_MARKERS = {
    "html": "fiche.html",
    "pdf": "fiche.pdf",
    "json": "facts.json",
    "svg": "graphiques",
    "png": "graphiques",
    "csv": "tableaux",
    "xlsx": "fiche.xlsx",
}


RUN_STAMP = ".frtrade-run.json"


def _run_key(
    flows: pd.DataFrame, report: LoadReport | None, settings: dict[str, Any]
) -> dict[str, Any]:
    """What makes two batches write the same fiches: data, year, options, version.

    ``resume`` only keeps a folder written with the same key, so a rerun on
    other data, another year or other options never keeps a stale fiche.
    """
    import hashlib

    import pandas as pd

    from frtrade import __version__

    if report is not None and report.content_hashes:
        data = sorted(report.content_hashes.values())
    else:  # a table built in memory: hash its rows
        digest = hashlib.sha256(
            pd.util.hash_pandas_object(flows, index=False).to_numpy().tobytes()
        )
        data = [digest.hexdigest()]
    return {"version": __version__, "data": data, **settings}


def _complete(folder: Path, formats: Sequence[str], key: dict[str, Any]) -> bool:
    """A folder moved into place by a run of the same key that wrote every format."""
    if not folder.is_dir():
        return False
    try:
        stamp = json.loads((folder / RUN_STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if stamp != json.loads(json.dumps(key)):
        return False
    for fmt in formats:
        marker = folder / _MARKERS.get(fmt, "")
        if fmt in ("svg", "png", "csv"):
            if not any(marker.glob(f"*.{fmt}")):
                return False
        elif fmt in _MARKERS and not marker.exists():
            return False
    return True


_BATCH: dict[str, Any] = {}


def _build(slug: str) -> Fiche:
    """The fiche of ``slug`` with the batch's data, tables and options."""
    return build_fiche(
        _BATCH["flows"],
        territory_from_slug(slug),
        year=_BATCH["year"],
        report=_BATCH["report"],
        labels=_BATCH["labels"],
        colors=_BATCH["colors"],
        tables=_BATCH["tables"],
        n=_BATCH["n"],
        level=_BATCH["level"],
        overrides=_BATCH["overrides"],
        partner=_BATCH["partner"],
        quarters_filter=_BATCH.get("quarters_filter"),
    )


def _one(slug: str) -> BatchResult:
    start = time.perf_counter()
    try:
        fiche = _build(slug)
        fiche.write(
            Path(_BATCH["out"]) / slug,
            formats=_BATCH["formats"],
            renderer=_BATCH["cache"],
            csv_dialect=_BATCH["csv_dialect"],
            jobs=_BATCH["render_jobs"],
        )
        # written after the folder is in place: a run stopped before it is redone
        (Path(_BATCH["out"]) / slug / RUN_STAMP).write_text(
            json.dumps(_BATCH["run_key"]), encoding="utf-8"
        )
    except Exception as exc:  # a batch goes on past a failure and reports it
        return BatchResult(
            slug, ok=False, seconds=time.perf_counter() - start, error=repr(exc)
        )
    return BatchResult(slug, ok=True, seconds=time.perf_counter() - start)


def _comparison_pictures(task: tuple[str, str]) -> int:
    """Render the comparison Sankeys of ``which`` as the fiche of ``slug`` shows them.

    The pictures go to the batch's shared folder, where every worker's cache
    finds them (:class:`ChartCache` ``folder``); returns how many.
    """
    slug, which = task
    from ._write import WriteContext, variant_formats

    fiche = _build(slug)
    cache = ChartCache()
    context = WriteContext(_BATCH["formats"], _BATCH["csv_dialect"], cache)
    doc = variant_formats(context.formats, "doc")
    files = variant_formats(context.formats, "file")
    for panel in fiche.sankeys:
        if panel.territory.slug != which:
            continue
        for fmt in doc:
            context.picture(fiche, panel.key, fmt)
        for fmt in files:
            context.picture(fiche, panel.key, fmt, standalone=True)
    folder = _BATCH["cache"].folder
    return cache.save(folder) if folder is not None else 0


def _comparison_tasks(slugs: list[str]) -> list[tuple[str, str]]:
    """France, then one département per région (its fiche shows the région's Sankeys).

    France first: every fiche shows it, and the first fiches are written
    while the last régions are still drawn.
    """
    tasks: dict[str, str] = {}
    others = [s for s in slugs if s != "france"]
    if others:
        tasks["france"] = others[0]
    for slug in slugs:
        if not slug.startswith("departement-"):
            continue
        try:
            parent = territory_from_slug(slug).parent()
        except Exception:  # an unknown code fails later, in its own fiche
            continue
        if parent is not None:
            tasks.setdefault(parent.slug, slug)
    return [(slug, which) for which, slug in tasks.items()]


def _init_worker(batch: dict[str, Any] | None = None) -> None:
    """Set a worker up: the built-in font from memory, the batch when spawned, GC frozen.

    A spawned worker receives the batch here (pickled once per worker, not per
    fiche); a forked one has inherited it.
    """
    import gc

    from frtrade import _vega

    _vega.use_builtin_font()
    if batch is not None:
        _BATCH.update(batch)
    # the inherited or received batch lives as long as the worker: kept out of
    # the garbage collector's scans (a full scan of it cost ~1 % of a fiche)
    gc.freeze()


def _parallel(todo: list[str], jobs: int) -> Iterator[BatchResult]:
    """Write the fiches of ``todo`` over ``jobs`` processes sharing ``_BATCH``.

    Workers are forked (they inherit the tables for free) unless this process
    has already used the chart renderer, whose threads make a fork unsafe:
    then they are spawned and receive the batch once each.
    """
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor, wait

    from frtrade.render import pool_started

    def pool() -> ProcessPoolExecutor:
        if "vl_convert" not in sys.modules and not pool_started():
            return ProcessPoolExecutor(
                jobs,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_init_worker,
            )
        return ProcessPoolExecutor(
            jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(dict(_BATCH),),
        )

    import shutil
    import tempfile

    tasks = []
    if {"html", "pdf", "svg", "png"} & set(_BATCH["formats"]) and todo:
        tasks = _comparison_tasks(todo)
    # région and France Sankeys: drawn ahead for the whole batch, first, by the
    # same workers; the pictures go through a folder, not through the parent
    folder = tempfile.mkdtemp(prefix="frtrade-charts-")
    _BATCH["cache"].folder = Path(folder)
    try:
        with pool() as workers:
            drawn = [workers.submit(_comparison_pictures, task) for task in tasks]
            yield from workers.map(_one, todo)
            # drawing them ahead only saves time: a Sankey that failed here is
            # drawn again by each fiche showing it, which records its own failure
            wait(drawn)
    finally:
        _BATCH["cache"].folder = None
        shutil.rmtree(folder, ignore_errors=True)


def _locate_rows(tables: TerritoryTables) -> None:
    """Index each table's rows by territory once, before the workers fork."""
    for name in tables.names():
        tables.table(name, "france")


def _record_failures(out: Path, results: list[BatchResult]) -> None:
    path = out / FAILURES_FILE
    failed = [{"slug": r.slug, "error": r.error} for r in results if not r.ok]
    if not failed:
        path.unlink(missing_ok=True)
        return
    tmp = out / f".{FAILURES_FILE}.{os.getpid()}"
    tmp.write_text(
        json.dumps({"failed": failed}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    tmp.replace(path)


def write_all_fiches(
    flows: pd.DataFrame,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = FICHE_FORMATS,
    year: int | None = None,
    report: LoadReport | None = None,
    labels: Labels | None = None,
    colors: Palette | Literal["default", "colorblind"] = "default",
    jobs: int = 1,
    progress: Callable[[BatchResult, int, int], None] | None = None,
    resume: bool = False,
    n: int = 10,
    level: Literal["a129", "a38", "a17", "cpf4"] = "a129",
    overrides: FicheOverrides | None = None,
    csv_dialect: Literal["standard", "excel-fr"] = "standard",
    partner: str = "US",
    quarters_filter: Sequence[int] | None = None,
) -> list[BatchResult]:
    """Write the fiche of every département, région and France present in the data.

    The indicator tables are computed once (:func:`~frtrade.indicators.all_territories`)
    and rendered charts are reused (the région and France Sankeys repeat);
    with ``jobs > 1`` the fiches are spread over processes. Each fiche is
    written atomically (see :meth:`Fiche.write`). A failing fiche does not
    stop the batch: it is reported in the result and listed in
    ``out_dir/failures.json`` (removed when a later run has no failure).
    Finally ``out_dir/index.html`` lists every fiche of the folder (see
    :func:`~frtrade.outputs.write_index`).

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    out_dir
        Folder receiving one sub-folder per territory (its slug).
    formats
        As in :meth:`Fiche.write`.
    year, report, labels, colors, n, level, overrides, partner, quarters_filter
        As in :func:`build_fiche`.
    jobs
        Processes to use.
    progress
        Called with each :class:`BatchResult` and the counts done/total.
    resume
        Skip the territories whose folder is already complete (every
        requested format present), e.g. after an interrupted run.
    csv_dialect
        As in :meth:`Fiche.write`.

    Returns
    -------
    list[BatchResult]
        One result per territory, in order.

    Raises
    ------
    ValueError
        When ``quarters_filter`` is set and the rows hold another quarter
        (see :func:`~frtrade.indicators.check_quarters_filter`), before any
        fiche is written.

    Examples
    --------
    >>> import tempfile
    >>> from frtrade.testing import tiny_trade_flows
    >>> results = write_all_fiches(
    ...     tiny_trade_flows(), tempfile.mkdtemp(), formats=["json"]
    ... )
    >>> [(r.slug, r.ok) for r in results]  # doctest: +NORMALIZE_WHITESPACE
    [('departement-18', True), ('departement-36', True), ('departement-75', True),
     ('region-11', True), ('region-24', True), ('france', True)]
    """
    from frtrade.indicators import all_territories, check_quarters_filter
    from frtrade.outputs import write_index

    # before the batch: every fiche would fail on it, each recorded as a failure
    check_quarters_filter(flows, quarters_filter)
    labels = labels or Labels.shipped()
    out = Path(out_dir)
    tables = all_territories(
        flows, year=year, labels=labels, n=n, level=level, indicators=True,
        partner=partner,
    )  # fmt: skip
    _locate_rows(tables)
    slugs = sorted(
        set(tables.totals["territory"]),
        key=lambda s: (s == "france", s.startswith("region-"), s),
    )
    out.mkdir(parents=True, exist_ok=True)
    run_key = _run_key(
        flows,
        report,
        {
            "year": int(tables.totals["year"].max()) if len(tables.totals) else year,
            "formats": sorted(formats),
            "colors": colors if isinstance(colors, str) else repr(colors),
            "n": n,
            "level": level,
            "partner": partner,
            "csv_dialect": csv_dialect,
            "overrides": repr(overrides),
            **(
                {}
                if quarters_filter is None
                else {"quarters_filter": sorted(set(quarters_filter))}
            ),
        },
    )
    results: list[BatchResult] = []
    todo = []
    for slug in slugs:
        if resume and _complete(out / slug, formats, run_key):
            results.append(BatchResult(slug, ok=True, seconds=0.0, skipped=True))
            if progress is not None:
                progress(results[-1], len(results), len(slugs))
        else:
            todo.append(slug)
    pool = None
    if jobs <= 1 and {"html", "pdf", "svg", "png"} & set(formats) and todo:
        from frtrade.render import render_pool

        pool = render_pool()  # one process here: the charts drawn beside it
    _BATCH.update(
        flows=flows, year=year, report=report, labels=labels, colors=colors,
        tables=tables, out=str(out), formats=tuple(formats),
        cache=ChartCache(pool, formats),
        n=n, level=level, overrides=overrides, csv_dialect=csv_dialect,
        partner=partner, run_key=run_key,
        quarters_filter=None if quarters_filter is None else tuple(quarters_filter),
        # one process per fiche with --jobs N; alone, the render pool helps
        render_jobs=None if jobs <= 1 else 1,
    )  # fmt: skip
    try:
        if jobs <= 1:
            for slug in todo:
                results.append(_one(slug))
                if progress is not None:
                    progress(results[-1], len(results), len(slugs))
        else:
            for result in _parallel(todo, jobs):
                results.append(result)
                if progress is not None:
                    progress(result, len(results), len(slugs))
    finally:
        _BATCH.clear()
        _record_failures(out, results)
    write_index(out)
    order = {slug: i for i, slug in enumerate(slugs)}
    return sorted(results, key=lambda r: order[r.slug])
