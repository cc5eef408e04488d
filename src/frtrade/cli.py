"""The ``frtrade`` command line.

Commands
--------
``frtrade fiche 36``
    Build the fiche of a territory into ``./fiches/`` (HTML, PDF, charts,
    tables, facts.json); ``frtrade fiche --all`` builds every département,
    région and France.
``frtrade summary 36``
    The headline totals of a territory, in French.
``frtrade facts 36``
    The fiche's numbers (:func:`frtrade.headline_facts`) as JSON on stdout.

Every command takes the same territory options (a département code or name,
``--region``, ``--france``, ``--departements 18,36 --name ...``) and data
options (``--data EXPORT.zip IMPORT.zip``, ``--year``). Without ``--data``,
the embedded FICTITIOUS dataset is used and the output says so.

Exit codes
----------
0 success; 1 failure (with ``--all``: at least one fiche failed, the others
are written); 2 wrong usage; 3 unknown territory; 4 missing file or invalid
data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from frtrade.datasets import FICTITIOUS_NOTICE, load_fictitious_dataset
from frtrade.dgddi import DGDDIData, load_dgddi
from frtrade.errors import DataFormatError, UnknownTerritoryError
from frtrade.fiche import FICHE_FORMATS, BatchResult, build_fiche, write_all_fiches
from frtrade.formatting import format_meur, format_share, format_signed_meur
from frtrade.indicators import headline_facts
from frtrade.territories import Territory

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["EXIT_DATA", "EXIT_FAILURE", "EXIT_TERRITORY", "EXIT_USAGE", "main"]

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_TERRITORY = 3
EXIT_DATA = 4


def _add_common(parser: argparse.ArgumentParser) -> None:
    where = parser.add_argument_group("territory (one of)")
    where.add_argument(
        "territory",
        nargs="?",
        help="département code or name (36, 9D, 974, Indre), or a région or 'France'",
    )
    where.add_argument("--region", help="région: INSEE code (24) or name")
    where.add_argument(
        "--region-scheme",
        choices=["insee", "dgddi"],
        default="insee",
        help="coding of a numeric --region (default: insee)",
    )
    where.add_argument("--france", action="store_true", help="France as a whole")
    where.add_argument(
        "--departements", help="custom group: comma-separated départements (18,36)"
    )
    where.add_argument("--name", help="display name of a --departements group")
    data = parser.add_argument_group("data")
    data.add_argument(
        "--data",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="DGDDI zips, .txt data files or folders (default: the embedded "
        "fictitious dataset)",
    )
    data.add_argument(
        "--year", type=int, help="year to use when the files hold several"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frtrade",
        description="Indicateurs clés du commerce extérieur à partir des données "
        "régionales de la DGDDI.",
        epilog="Exit codes: 0 success, 1 failure, 2 usage, 3 unknown territory, "
        "4 missing file or invalid data.",
    )
    from frtrade import __version__

    parser.add_argument("--version", action="version", version=f"frtrade {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    summary = commands.add_parser(
        "summary", help="headline totals of a territory, in French"
    )
    _add_common(summary)
    fiche = commands.add_parser(
        "fiche", help="build the fiche of a territory (HTML, PDF, charts, tables, JSON)"
    )
    _add_common(fiche)
    fiche.add_argument(
        "--all",
        action="store_true",
        help="every département, région and France in the data",
    )
    fiche.add_argument(
        "--out",
        type=Path,
        default=Path("fiches"),
        help="output folder (default: ./fiches)",
    )
    fiche.add_argument(
        "--format",
        default=",".join(FICHE_FORMATS),
        help=f"comma-separated formats among {','.join(FICHE_FORMATS)} (default: all)",
    )
    fiche.add_argument(
        "--jobs", type=int, default=1, help="processes for --all (default: 1)"
    )
    fiche.add_argument(
        "--palette",
        choices=["default", "colorblind"],
        default="default",
        help="chart colours",
    )
    fiche.add_argument(
        "--territoires-industrie",
        metavar="NOMS",
        help="Territoires d'industrie to list on the fiche, separated by ';'",
    )
    facts = commands.add_parser("facts", help="the fiche's numbers as JSON on stdout")
    _add_common(facts)
    facts.add_argument("--indent", type=int, default=2, help="JSON indentation")
    return parser


def territory_from_args(args: argparse.Namespace) -> Territory:
    """Build the territory the options name.

    Parameters
    ----------
    args
        Parsed options (``territory``, ``region``, ``france``,
        ``departements``, ``name``).

    Returns
    -------
    Territory
        The territory.

    Raises
    ------
    UnknownTerritoryError
        For an unknown code or name.
    ValueError
        When no territory, or more than one, is given.

    Examples
    --------
    >>> ns = argparse.Namespace(
    ...     territory=None,
    ...     region=None,
    ...     region_scheme="insee",
    ...     france=False,
    ...     departements="18,36",
    ...     name="Berry",
    ... )
    >>> territory_from_args(ns).code
    '18+36'
    """
    given = [
        args.territory is not None,
        args.region is not None,
        bool(args.france),
        args.departements is not None,
    ]
    if sum(given) != 1:
        raise ValueError(
            "name exactly one territory: a département, --region, --france or "
            "--departements"
        )
    if args.france:
        return Territory.france()
    if args.region is not None:
        return Territory.region(args.region, scheme=args.region_scheme)
    if args.departements is not None:
        codes = [c for c in args.departements.split(",") if c.strip()]
        return Territory.group(codes, name=args.name)
    return Territory.resolve(args.territory)


def load_data(paths: Sequence[Path] | None, *, year: int | None) -> DGDDIData:
    """Load the user's files, or the embedded fictitious dataset.

    Parameters
    ----------
    paths
        DGDDI files, or ``None`` for the embedded dataset.
    year
        Year filter.

    Returns
    -------
    DGDDIData
        Flows, report and labels.

    Examples
    --------
    >>> load_data(None, year=None).report.fictitious
    True
    """
    if not paths:
        data = load_fictitious_dataset()
        if year is not None and year not in data.report.years:
            raise DataFormatError(
                f"year {year} is not in the embedded dataset (years: {data.report.years})"
            )
        return data
    return load_dgddi(*paths, year=year)


def _summary(data: DGDDIData, territory: Territory) -> str:
    facts = headline_facts(
        data.flows, territory, report=data.report, labels=data.labels
    )
    parent = territory.parent_region
    lines = [f"{territory.name} – commerce extérieur {facts['year']}"]
    if data.report.fictitious:
        lines.append(FICTITIOUS_NOTICE)
    for flow, noun in (("export", "Exportations"), ("import", "Importations")):
        block = facts[flow]
        parts = [f"{noun} : {format_meur(block['total_eur'])}"]
        if parent is not None and block["share_of_region"] is not None:
            parts.append(
                f"{format_share(block['share_of_region'])} de la région {parent.name}"
            )
        if block["share_of_france"] is not None:
            parts.append(f"{format_share(block['share_of_france'], 2)} de la France")
        lines.append(", ".join(parts))
    lines.append(f"Solde : {format_signed_meur(facts['balance_eur'])} M€")
    lines.append(f"Taux de couverture : {format_share(facts['coverage_rate'])}")
    lines.append(
        "Principaux partenaires : "
        + ", ".join(p["name"] for p in facts["partners"][:5])
    )
    return "\n".join(lines)


def _formats(parser: argparse.ArgumentParser, text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FICHE_FORMATS))
    if unknown or not formats:
        parser.error(
            f"unknown --format {unknown}; choose among {','.join(FICHE_FORMATS)}"
        )
    return formats


def _fiche_one(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    data: DGDDIData,
    territory: Territory,
) -> int:
    formats = _formats(parser, args.format)
    names = [
        t.strip() for t in (args.territoires_industrie or "").split(";") if t.strip()
    ]
    fiche = build_fiche(
        data.flows,
        territory,
        year=args.year,
        report=data.report,
        labels=data.labels,
        territoires_industrie=names,
        colors=args.palette,
    )
    folder = args.out / territory.slug
    written = fiche.write(folder, formats=formats)
    print(f"Fiche {territory.name} ({fiche.year}) écrite dans {folder}/")
    for fmt in formats:
        shown = ", ".join(p.name for p in written[fmt][:3])
        more = f" (+{len(written[fmt]) - 3})" if len(written[fmt]) > 3 else ""
        print(f"  {fmt}: {shown}{more}")
    if data.report.fictitious:
        print(FICTITIOUS_NOTICE)
    return 0


def _fiche_all(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    import time

    if any([args.territory, args.region, args.france, args.departements]):
        parser.error("--all builds every territory: name no territory with it")
    formats = _formats(parser, args.format)
    try:
        data = load_data(args.data, year=args.year)
    except (FileNotFoundError, DataFormatError) as exc:
        print(f"frtrade: {exc}", file=sys.stderr)
        return EXIT_DATA
    start = time.perf_counter()

    def progress(result: BatchResult, done: int, total: int) -> None:
        width = 30
        bar = "#" * (done * width // total) + "." * (width - done * width // total)
        status = "ok" if result.ok else "ÉCHEC"
        print(
            f"[{bar}] {done}/{total} {result.slug} {status} ({result.seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    results = write_all_fiches(
        data.flows,
        args.out,
        formats=formats,
        year=args.year,
        report=data.report,
        labels=data.labels,
        colors=args.palette,
        jobs=max(1, args.jobs),
        progress=progress,
    )
    failed = [r for r in results if not r.ok]
    took = time.perf_counter() - start
    print(
        f"{len(results) - len(failed)} fiches écrites dans {args.out}/ en {took:.1f} s"
    )
    if data.report.fictitious:
        print(FICTITIOUS_NOTICE)
    if failed:
        print(f"{len(failed)} fiche(s) en échec :", file=sys.stderr)
        for r in failed:
            print(f"  {r.slug}: {r.error}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code.

    Examples
    --------
    >>> main(["facts", "36", "--indent", "0"])  # doctest: +ELLIPSIS
    {...
    0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "fiche" and args.all:
        return _fiche_all(parser, args)
    try:
        territory = territory_from_args(args)
    except UnknownTerritoryError as exc:
        print(f"frtrade: {exc}", file=sys.stderr)
        return EXIT_TERRITORY
    except ValueError as exc:
        parser.error(str(exc))
    try:
        data = load_data(args.data, year=args.year)
        if args.command == "facts":
            facts = headline_facts(
                data.flows,
                territory,
                year=args.year,
                report=data.report,
                labels=data.labels,
            )
            print(json.dumps(facts, ensure_ascii=False, indent=args.indent or None))
        elif args.command == "fiche":
            return _fiche_one(parser, args, data, territory)
        else:
            print(_summary(data, territory))
    except (FileNotFoundError, DataFormatError) as exc:
        print(f"frtrade: {exc}", file=sys.stderr)
        return EXIT_DATA
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
