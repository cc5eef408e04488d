"""Data side of the command line: loading, year and quarter choice, coverage."""

# ruff: noqa: T201  (a command line prints)

from __future__ import annotations

import contextlib
import re
import sys
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from frtrade.cli import _progress
from frtrade.errors import (
    DataQualityWarning,
    MissingDataError,
    UnknownCodeWarning,
    YearNotAvailableError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    import pandas as pd

    from frtrade.dgddi import DGDDIData
    from frtrade.territories import Territory

FLOW_NOUNS = {"export": "exportation", "import": "importation"}


class UsageError(Exception):
    """A wrong use of the command line (exit 2), with a French message."""


def parse_quarters(text: str) -> tuple[int, ...]:
    """Read ``1-3``, ``4``, ``1,3`` or ``1-2,4`` into sorted quarters.

    Raises :class:`UsageError` (French message) for anything else.
    """
    quarters: set[int] = set()
    for raw in text.split(","):
        part = raw.strip()
        match = re.fullmatch(r"([1-4])(?:\s*-\s*([1-4]))?", part)
        if match is None:
            raise UsageError(
                f"--quarters : « {part or text} » n'est pas un trimestre ni un "
                "intervalle de trimestres (exemples : 1-3, 4, 1,3)"
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise UsageError(
                f"--quarters : intervalle « {part} » à l'envers (écrire {last}-{first})"
            )
        quarters.update(range(first, last + 1))
    return tuple(sorted(quarters))


def _the(phrase: str) -> str:
    """« le trimestre 3 », « les trimestres 1 et 2 »."""
    return ("les " if phrase.startswith("trimestres") else "le ") + phrase


def quarters_text(quarters: Sequence[int]) -> str:
    """French wording of a set of quarters: ``trimestres 1 à 3``, ``trimestre 4``."""
    from frtrade.indicators import quarters_phrase

    # the fiche's wording: « trimestres 1 et 2 », « trimestres 1 à 3 »
    return quarters_phrase(quarters) if quarters else "aucun trimestre"


@dataclass
class Loaded:
    """What a command works on: the data, the chosen year and the messages."""

    data: DGDDIData
    year: int
    flows: pd.DataFrame
    quarters: tuple[int, ...] | None = None
    messages: list[str] = field(default_factory=list)


def _accepts(function: Callable[..., object], name: str) -> bool:
    import inspect

    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return False


def load(
    paths: Sequence[Path] | None,
    *,
    year: int | None,
    quarters: tuple[int, ...] | None = None,
    options: Mapping[str, object] | None = None,
) -> Loaded:
    """Load the files (or the embedded dataset), choose the year, filter quarters.

    ``options`` are passed to :func:`frtrade.load_dgddi` (``overlap``,
    ``negative``, ``duplicates``, ``cache``); see :func:`load_options`.
    """
    from frtrade.datasets import load_fictitious_dataset
    from frtrade.dgddi import load_dgddi

    caught: list[warnings.WarningMessage] = []
    if not paths:
        data = load_fictitious_dataset(cache=bool((options or {}).get("cache", False)))
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data = _load_files(load_dgddi, paths, dict(options or {}))
    messages = _report_messages(data, caught)
    present = sorted(int(y) for y in data.report.years)
    if not present:
        raise MissingDataError("les fichiers ne contiennent aucune ligne de données")
    chosen = max(present) if year is None else year
    if chosen not in present:
        raise YearNotAvailableError(chosen, present)
    flows = data.flows
    if quarters is not None:
        keep = flows["quarter"].isin(list(quarters)).to_numpy()
        in_year = flows["year"].to_numpy() == chosen
        if not (keep & in_year).any():
            have = sorted({int(q) for q in flows.loc[in_year, "quarter"]})
            raise MissingDataError(
                f"aucune donnée pour {_the(quarters_text(quarters))} de {chosen} "
                f"(présents : {quarters_text(have)})"
            )
        flows = flows.loc[keep].reset_index(drop=True)
    return Loaded(data, chosen, flows, quarters, messages)


def load_options(args: object) -> dict[str, object]:
    """The loader options of the command line (``--overlap``, ``--no-cache``...)."""
    return {
        "overlap": getattr(args, "overlap", "error"),
        "negative": getattr(args, "negative", "error"),
        "duplicates": getattr(args, "duplicates", "sum"),
        "cache": not getattr(args, "no_cache", False),
    }


def _load_files(
    load_dgddi: Callable[..., DGDDIData],
    paths: Sequence[Path],
    options: dict[str, object],
) -> DGDDIData:
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += path.stat().st_size if path.is_file() else 0
    if _accepts(load_dgddi, "progress"):
        with _progress.bar(
            size or None, "Lecture des données", unit="o", unit_scale=True
        ) as progress:

            def advance(done: int, total: int) -> None:
                progress.total = total
                progress.n = done
                progress.refresh()

            result: DGDDIData = load_dgddi(*paths, progress=advance, **options)
            return result
    _progress.status(
        f"Lecture de {len(paths)} source(s) ({size / 1e6:.0f} Mo), merci de patienter…"
    )
    try:
        result = load_dgddi(*paths, **options)
    finally:
        _progress.clear_status()
    return result


def _report_messages(
    data: DGDDIData, caught: Sequence[warnings.WarningMessage]
) -> list[str]:
    """French lines about the load: findings summary, skipped copies, warnings."""
    report = data.report
    lines: list[str] = []
    summary_fr = getattr(report, "summary_fr", None)
    summary = str(summary_fr()).strip() if callable(summary_fr) else ""
    if summary:
        lines.extend(line for line in summary.splitlines() if line.strip())
    for pair in getattr(report, "skipped_copies", None) or []:
        skipped, kept = (str(p) for p in pair)
        if skipped not in summary:
            lines.append(f"copie ignorée : {skipped} (mêmes données que {kept})")
    quality = (DataQualityWarning, UnknownCodeWarning)
    for warning in caught:
        if summary and issubclass(warning.category, quality):
            continue  # already in the findings summary
        lines.append(f"attention : {' '.join(str(warning.message).split())}")
    return lines


def print_messages(messages: Sequence[str]) -> None:
    """Each message on its own ``frtrade : ...`` line of stderr."""
    for message in messages:
        print(f"frtrade : {message}", file=sys.stderr)


@dataclass(frozen=True)
class CoverageView:
    """The coverage of a territory for a year, C2's when available."""

    available: dict[str, bool]
    quarters: dict[str, list[int]]
    period_label: str
    notes: list[str]
    complete: bool


def coverage(
    flows: pd.DataFrame,
    territory: Territory,
    year: int,
    facts: dict[str, Any],
    quarters_filter: Sequence[int] | None = None,
) -> CoverageView:
    """Coverage from ``facts["data"]`` (C2), else :func:`~frtrade.indicators.data_coverage`'s."""
    block = facts.get("data", {})
    if isinstance(block.get("coverage"), dict) and "period_label" in block:
        cov = block["coverage"]
        return CoverageView(
            available={f: bool(cov.get(f, {}).get("available")) for f in FLOW_NOUNS},
            quarters={
                f: [int(q) for q in cov.get(f, {}).get("quarters", [])]
                for f in FLOW_NOUNS
            },
            period_label=str(block["period_label"]),
            notes=[str(n) for n in block.get("notes", [])],
            complete=bool(block.get("complete", False)),
        )
    from frtrade.indicators import data_coverage

    found = data_coverage(flows, territory, year=year, quarters_filter=quarters_filter)
    return CoverageView(
        available=dict(found.available),
        quarters={f: list(found.quarters[f]) for f in FLOW_NOUNS},
        period_label=found.period_label,
        notes=list(found.notes),
        complete=found.complete,
    )


def honest_facts(facts: dict[str, Any], view: CoverageView) -> dict[str, Any]:
    """Facts where an unavailable flow is ``None``, never 0 (C2, for older engines)."""
    data = facts.setdefault("data", {})
    if "coverage" in data and "period_label" in data:
        return facts  # the indicator engine already follows C2
    for flow, ok in view.available.items():
        if not ok:
            facts[flow] = {
                "total_eur": None,
                "share_of_region": None,
                "share_of_france": None,
            }
    if not all(view.available.values()):
        facts["balance_eur"] = None
        facts["coverage_rate"] = None
    data["coverage"] = {
        f: {"available": view.available[f], "quarters": view.quarters[f]}
        for f in FLOW_NOUNS
    }
    data["complete"] = view.complete
    data["period_label"] = view.period_label
    data["notes"] = list(view.notes)
    return facts
