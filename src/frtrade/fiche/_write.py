"""Writing a fiche: a registry of writers, a staging folder, an atomic swap."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from frtrade.errors import OutputError
from frtrade.outputs import write_csv, write_xlsx

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from pathlib import Path

    import pandas as pd

    from frtrade.render import RenderPool

    from ._fiche import ChartCache, Fiche

__all__ = [
    "PERIOD_COLUMN",
    "WriteContext",
    "Writer",
    "register_writer",
    "registered_formats",
    "variant_formats",
]

CsvDialect = Literal["standard", "excel-fr"]
_PICTURE_FORMATS = frozenset({"html", "pdf", "svg", "png"})


@dataclass
class WriteContext:
    """What a writer gets besides the fiche and the staging folder.

    Attributes
    ----------
    formats
        Every format of this run (a writer may skip work another does).
    csv_dialect
        ``"standard"`` or ``"excel-fr"``.
    renderer
        Cache of charts shared by a batch (région and France Sankeys).
    pool
        Processes rendering the charts in parallel (see :meth:`prefetch`).
    """

    formats: tuple[str, ...]
    csv_dialect: CsvDialect = "standard"
    renderer: ChartCache | None = None
    pool: RenderPool | None = None
    _own: ChartCache = field(init=False, repr=False)
    _charts: dict[str, _Prepared] = field(default_factory=dict, repr=False)
    _titles: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _tables: dict[str, pd.DataFrame] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        from ._fiche import ChartCache

        # the fiche's own charts, by the same mechanism as the shared ones
        self._own = ChartCache(self.pool, self.formats)

    def prefetch(self, fiche: Fiche) -> None:
        """Hand every chart this run needs to the pool, before any writer asks.

        The specs are built here, one after the other, while the pool's
        processes render the ones already handed over; :meth:`picture` then
        collects the results. Each chart goes as one task for both its
        variants (the fiche's and the file's, with its title: one Vega run,
        see :func:`~frtrade.render.render_titled`). Without a pool, nothing
        happens (each chart is rendered when first asked).

        Parameters
        ----------
        fiche
            The fiche being written.

        Examples
        --------
        >>> from frtrade.fiche import build_fiche
        >>> from frtrade.render import RenderPool
        >>> from frtrade.territories import Territory
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> with RenderPool(1) as pool:
        ...     context = WriteContext(("svg",), pool=pool)
        ...     context.prefetch(fiche)
        ...     context.picture(fiche, "produits", "svg")[:4]
        b'<svg'
        """
        if self.pool is None:
            return
        for stem in fiche.stems():
            cache, keys = self._cache(fiche, stem)
            # the shared cache renders its charts once (in its pool, if any)
            cache.prefetch_titled(
                keys,
                lambda stem=stem: self._prepared(fiche, stem),  # type: ignore[misc]
                self._title(fiche, stem),
                self._wanted("file"),
                self._wanted("doc"),
            )

    def _cache(self, fiche: Fiche, stem: str) -> tuple[ChartCache, tuple[str, str]]:
        """Where a chart is kept, and its keys there (titled, untitled).

        The région and France Sankeys go to the shared cache of a batch;
        the fiche's own charts to this write's cache.
        """
        titled, untitled = fiche.shared_key(stem, "file"), fiche.shared_key(stem, "doc")
        if self.renderer is not None and titled is not None and untitled is not None:
            return self.renderer, (titled, untitled)
        return self._own, (f"{stem}:file", f"{stem}:doc")

    def _prepared(self, fiche: Fiche, stem: str) -> _Prepared:
        """The fiche's chart (untitled), built once.

        The file variant is this chart with its standalone title
        (:meth:`Fiche.standalone_title`).
        """
        if stem not in self._charts:
            self._charts[stem] = _Prepared(fiche._drawn_chart(stem))
        return self._charts[stem]

    def _title(self, fiche: Fiche, stem: str) -> dict[str, Any]:
        """The chart file's title (:meth:`Fiche.standalone_title`), built once."""
        if stem not in self._titles:
            self._titles[stem] = fiche.standalone_title(stem)
        return self._titles[stem]

    def tables(self, fiche: Fiche) -> dict[str, pd.DataFrame]:
        """The fiche's tables with their period (:func:`dated_tables`), made once per run.

        Parameters
        ----------
        fiche
            The fiche being written (one per context).

        Returns
        -------
        dict[str, pandas.DataFrame]
            The tables, by file stem; the same object at every call.

        Examples
        --------
        >>> from frtrade.fiche import build_fiche
        >>> from frtrade.territories import Territory
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> context = WriteContext(("csv", "xlsx"))
        >>> context.tables(fiche) is context.tables(fiche)
        True
        """
        if self._tables is None:
            self._tables = dated_tables(fiche)
        return self._tables

    def _wanted(self, variant: str) -> list[str]:
        """Formats a chart variant is needed in during this run."""
        return variant_formats(self.formats, variant)

    def picture(
        self, fiche: Fiche, stem: str, fmt: str, *, standalone: bool = False
    ) -> bytes:
        """A chart of the fiche rendered in ``fmt`` (each chart built and rendered once per run).

        Parameters
        ----------
        fiche
            The fiche.
        stem
            Chart stem (see :meth:`Fiche.stems`).
        fmt
            ``svg``, ``png`` or ``pdf``.
        standalone
            The variant with title and subtitle (for the chart files).

        Returns
        -------
        bytes
            The rendered chart.

        Examples
        --------
        >>> from frtrade.fiche import build_fiche
        >>> from frtrade.territories import Territory
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> context = WriteContext(("svg",))
        >>> context.picture(fiche, "produits", "svg")[:4]
        b'<svg'
        """
        cache, keys = self._cache(fiche, stem)
        return cache.render_titled(
            keys,
            lambda: self._prepared(fiche, stem),
            self._title(fiche, stem),
            fmt,
            standalone=standalone,
            titled_formats=self._wanted("file"),
            untitled_formats=self._wanted("doc"),
        )


def as_bytes(rendered: Mapping[str, bytes | str]) -> dict[str, bytes]:
    """Rendered files as bytes (SVG and HTML come back as text)."""
    return {
        fmt: data.encode("utf-8") if isinstance(data, str) else data
        for fmt, data in rendered.items()
    }


def variant_formats(formats: Sequence[str], variant: str) -> list[str]:
    """The formats a chart variant is rendered in when a fiche is written in ``formats``.

    ``"doc"`` (the chart inside the fiche): SVG, for the HTML page and for the
    PDF (typst draws the SVG itself); ``"file"`` (the chart files): SVG and PNG.

    Parameters
    ----------
    formats
        The fiche's formats.
    variant
        ``"doc"`` or ``"file"``.

    Returns
    -------
    list[str]
        Chart formats (empty when the variant is not needed).

    Examples
    --------
    >>> variant_formats(("html", "pdf", "png", "json"), "doc")
    ['svg']
    >>> variant_formats(("pdf",), "doc")
    ['svg']
    >>> variant_formats(("html", "pdf", "png", "json"), "file")
    ['png']
    """
    if variant == "doc":
        return ["svg"] if {"html", "pdf"} & set(formats) else []
    return [f for f in ("svg", "png") if f in formats]


class _Prepared:
    """A chart whose Vega-Lite dict is computed once, whatever the formats rendered."""

    def __init__(self, chart: object, spec: dict[str, object] | None = None) -> None:
        self._chart = chart
        self._spec = spec

    def to_dict(self, **kwargs: object) -> dict[str, object]:
        if self._spec is None:
            import altair as alt

            from frtrade.charts._common import sharing_layers, unchecked

            # Altair's to_dict re-combines the layers (copies them again)
            with (
                alt.data_transformers.disable_max_rows(),
                unchecked(),
                sharing_layers(),
            ):
                self._spec = self._chart.to_dict(**kwargs)  # type: ignore[attr-defined]
        return dict(self._spec)  # the renderer replaces "config" only

    def retitled(self, title: dict[str, object]) -> _Prepared:
        """The same chart with another top-level title (no second Altair build)."""
        spec = self.to_dict(validate=False)
        spec["title"] = title
        return _Prepared(None, spec)


Writer: TypeAlias = "Callable[[Fiche, Path, WriteContext], list[Path]]"
"""``writer(fiche, staging_folder, context) -> list[Path]``."""
_WRITERS: dict[str, Callable[[Fiche, Path, WriteContext], list[Path]]] = {}


def register_writer(
    fmt: str, writer: Callable[[Fiche, Path, WriteContext], list[Path]]
) -> None:
    """Register (or replace) the writer of an output format.

    A writer writes its files into the staging folder it is given and
    returns their paths; :meth:`Fiche.write` moves the whole folder into
    place once every writer has finished.

    Parameters
    ----------
    fmt
        Format name, as given to ``Fiche.write(formats=...)`` and ``--format``.
    writer
        ``writer(fiche, staging_folder, context) -> list[Path]``.

    Examples
    --------
    >>> def write_txt(fiche, folder, context):
    ...     path = folder / "resume.txt"
    ...     _ = path.write_text(fiche.subtitle, encoding="utf-8")
    ...     return [path]
    >>> register_writer("txt", write_txt)
    >>> "txt" in registered_formats()
    True
    """
    _WRITERS[fmt] = writer


def registered_formats() -> tuple[str, ...]:
    """Formats that have a writer, in registration order.

    Returns
    -------
    tuple[str, ...]
        E.g. ``("html", "pdf", "svg", "png", "csv", "json", "xlsx")``.

    Examples
    --------
    >>> registered_formats()[:2]
    ('html', 'pdf')
    """
    return tuple(_WRITERS)


# ------------------------------------------------------------------ the writers


def _write_html(fiche: Fiche, folder: Path, context: WriteContext) -> list[Path]:
    from ._html import render_html

    svgs = {
        stem: context.picture(fiche, stem, "svg").decode("utf-8")
        for stem in fiche.stems()
    }
    path = folder / "fiche.html"
    path.write_text(render_html(fiche.document(), svgs), encoding="utf-8")
    return [path]


def _write_pdf(fiche: Fiche, folder: Path, context: WriteContext) -> list[Path]:
    from ._typst import render_pdf

    svgs = {stem: context.picture(fiche, stem, "svg") for stem in fiche.stems()}
    path = folder / "fiche.pdf"
    path.write_bytes(render_pdf(fiche.document(), svgs))
    return [path]


def _pictures(fmt: str) -> Callable[[Fiche, Path, WriteContext], list[Path]]:
    def write(fiche: Fiche, folder: Path, context: WriteContext) -> list[Path]:
        (folder / "graphiques").mkdir(exist_ok=True)
        out = []
        for stem in fiche.stems():
            path = folder / "graphiques" / f"{stem}.{fmt}"
            path.write_bytes(context.picture(fiche, stem, fmt, standalone=True))
            out.append(path)
        return out

    return write


#: Column added to every CSV table of a fiche made from the fictitious dataset.
FICTITIOUS_COLUMN = "donnees_fictives"
#: Column added to every table (CSV and Excel) of a fiche whose data do not
#: cover whole years: the period of each row, in French.
PERIOD_COLUMN = "periode"


def dated_tables(fiche: Fiche) -> dict[str, pd.DataFrame]:
    """The fiche's tables, each row with its period when some data miss quarters.

    A table is often shared alone: with the quarters 1 to 3 of 2024 only, a
    row reading « 2024 » would pass for the whole year. When any table of the
    fiche covers part of a year (its territory's flow, a compared région's or
    France's, or an evolution compared on the same quarters of each year),
    every table gets a last column ``periode`` (« 2024, trimestres 1 à 3 »);
    whole years: the tables as they are.

    Parameters
    ----------
    fiche
        The fiche.

    Returns
    -------
    dict[str, pandas.DataFrame]
        As :meth:`Fiche.tables`, with ``periode`` when needed.

    Examples
    --------
    >>> from frtrade.fiche import build_fiche
    >>> from frtrade.territories import Territory
    >>> from frtrade.testing import tiny_trade_flows
    >>> flows = tiny_trade_flows()
    >>> fiche = build_fiche(flows[flows.quarter <= 3], Territory.france())
    >>> table = dated_tables(fiche)["produits"]
    >>> sorted(set(zip(table["flow"], table["periode"])))
    [('export', '2024, trimestres 1 à 3'), ('import', '2024, trimestres 1 et 2')]
    >>> "periode" in dated_tables(build_fiche(flows, Territory.france()))["produits"]
    True
    """
    from frtrade.indicators import period_label, quarters_phrase

    from ._texts import typo

    tables = fiche.tables()
    year = fiche.year
    coverage = fiche.facts.get("data", {}).get("coverage", {})
    of_flow = {
        flow: period_label(year, tuple(coverage.get(flow, {}).get("quarters") or ()))
        if coverage.get(flow, {}).get("available", True)
        else "non disponible"
        for flow in ("export", "import")
    }
    panels = {panel.key: panel.period or fiche.period for panel in fiche.sankeys}
    whole = str(year)

    def evolution_periods(table: pd.DataFrame) -> list[str]:
        if "quarters" not in table.columns:
            return [str(y) for y in table["year"]]
        return [
            f"{y}, {quarters_phrase(int(q) for q in str(qs).split(','))}"
            if isinstance(qs, str) and qs
            else str(y)
            for y, qs in zip(table["year"], table["quarters"], strict=True)
        ]

    periods: dict[str, list[str]] = {}
    for stem, table in tables.items():
        if stem in panels:
            periods[stem] = [panels[stem]] * len(table)
        elif stem == "evolution":
            periods[stem] = evolution_periods(table)
        elif "flow" in table.columns:
            periods[stem] = [of_flow.get(str(f), whole) for f in table["flow"]]
        else:  # both flows on each row (partenaires)
            both = (
                of_flow["export"]
                if of_flow["export"] == of_flow["import"]
                else typo(
                    f"exportations : {of_flow['export']} ; "
                    f"importations : {of_flow['import']}"
                )
            )
            periods[stem] = [both] * len(table)
    partial = any(
        p != str(y)
        for stem, table in tables.items()
        for p, y in zip(
            periods[stem],
            table["year"] if "year" in table.columns else [year] * len(table),
            strict=True,
        )
    )
    if not partial:
        return tables
    return {
        stem: table.assign(**{PERIOD_COLUMN: periods[stem]})
        for stem, table in tables.items()
    }


def _write_csv(fiche: Fiche, folder: Path, context: WriteContext) -> list[Path]:
    """The fiche's tables as CSV; a fictitious fiche's say so on every row.

    A CSV file is often shared alone, without the fiche's notice: the tables
    of the embedded fictitious dataset carry a last column
    ``donnees_fictives`` worth ``oui`` (real data: no such column), and the
    tables of data missing some quarters a column ``periode`` (see
    :func:`dated_tables`).
    """
    (folder / "tableaux").mkdir(exist_ok=True)
    return [
        write_csv(
            table.assign(**{FICTITIOUS_COLUMN: "oui"}) if fiche.fictitious else table,
            folder / "tableaux" / f"{stem}.csv",
            dialect=context.csv_dialect,
        )
        for stem, table in context.tables(fiche).items()
    ]


def _write_xlsx(fiche: Fiche, folder: Path, context: WriteContext) -> list[Path]:
    return [
        write_xlsx(
            context.tables(fiche),
            fiche.facts,
            folder / "fiche.xlsx",
            fictitious=fiche.fictitious,
        )
    ]


def _write_json(fiche: Fiche, folder: Path, context: WriteContext) -> list[Path]:
    path = folder / "facts.json"
    path.write_text(
        json.dumps(fiche.facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return [path]


register_writer("html", _write_html)
register_writer("pdf", _write_pdf)
register_writer("svg", _pictures("svg"))
register_writer("png", _pictures("png"))
register_writer("csv", _write_csv)
register_writer("json", _write_json)
register_writer("xlsx", _write_xlsx)


# ---------------------------------------------------------------- staging, swap


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def folder_lock(target: Path) -> Iterator[None]:
    """Hold ``.<name>.lock`` beside ``target`` (a dead run's lock is taken over)."""
    lock = target.parent / f".{target.name}.lock"
    for _attempt in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(lock.read_text() or "0")
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                raise OutputError(
                    f"{target} : une autre exécution de frtrade (processus {pid}) écrit déjà "
                    "ce dossier"
                ) from None
            lock.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(str(os.getpid()))
        break
    else:  # pragma: no cover - lost a race twice
        raise OutputError(f"{target} : dossier verrouillé ({lock})")
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _swap(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` (two renames; the old folder is then removed)."""
    old: Path | None = None
    if target.exists():
        old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
        target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)  # put the previous complete folder back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_fiche(
    fiche: Fiche,
    target: Path,
    *,
    formats: Sequence[str],
    renderer: ChartCache | None,
    csv_dialect: CsvDialect,
    jobs: int | None = None,
) -> dict[str, list[Path]]:
    """Stage every format of ``fiche`` beside ``target``, then swap it into place.

    ``jobs``: processes rendering the charts; None uses the process's shared
    :func:`~frtrade.render.render_pool` (none on one core), 1 renders here.
    """
    unknown = [f for f in formats if f not in _WRITERS]
    if unknown:
        raise ValueError(
            f"unknown formats {sorted(unknown)}; use {registered_formats()}"
        )
    if csv_dialect not in ("standard", "excel-fr"):
        raise ValueError(
            f"unknown csv_dialect {csv_dialect!r}; use 'standard' or 'excel-fr'"
        )
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target} : existe déjà et n'est pas un dossier")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{target.parent} : dossier impossible à créer ({exc.strerror})"
        ) from exc
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    pictures = bool(_PICTURE_FORMATS & set(formats)) and fiche.stems()
    own_pool: RenderPool | None = None
    pool: RenderPool | None = None
    if pictures and jobs is None:
        from frtrade.render import render_pool

        pool = render_pool()
    elif pictures and jobs is not None and jobs > 1:
        from frtrade.render import RenderPool

        pool = own_pool = RenderPool(jobs)
    context = WriteContext(tuple(formats), csv_dialect, renderer, pool)
    try:
        return _stage_and_swap(fiche, target, formats, context)
    finally:
        if own_pool is not None:
            own_pool.close()


def _stage_and_swap(
    fiche: Fiche, target: Path, formats: Sequence[str], context: WriteContext
) -> dict[str, list[Path]]:
    staging = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    written: dict[str, list[Path]] = {}
    try:
        with folder_lock(target):
            staging.mkdir()
            context.prefetch(fiche)
            # tables first: they are written while the pool renders the charts
            for fmt in sorted(formats, key=lambda f: f in _PICTURE_FORMATS):
                paths = _WRITERS[fmt](fiche, staging, context)
                written[fmt] = [target / p.relative_to(staging) for p in paths]
            _swap(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OutputError):
            raise
        reason = (
            "disque plein" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        )
        raise OutputError(f"{target} : écriture impossible ({reason})") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {fmt: written[fmt] for fmt in formats}
