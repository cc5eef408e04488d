"""The commands. Heavy libraries (pandas, altair, vl-convert) are imported here, late."""

# ruff: noqa: T201  (a command line prints)

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frtrade.cli import _data, _progress
from frtrade.cli._data import FLOW_NOUNS, UsageError
from frtrade.errors import OutputError

if TYPE_CHECKING:
    import argparse

    from frtrade.fiche import BatchResult
    from frtrade.territories import Territory

EXIT_FAILURE = 1

_FLOW_TITLES = {"export": "Exportations", "import": "Importations"}


def _indicator_options(args: argparse.Namespace) -> dict[str, Any]:
    """``n`` / ``level`` as given by the user (absent ones are not passed)."""
    options: dict[str, Any] = {}
    if getattr(args, "top", None) is not None:
        if args.top < 1:
            raise UsageError(f"--top : {args.top} doit être un entier positif (≥ 1)")
        options["n"] = args.top
    if getattr(args, "level", None) is not None:
        options["level"] = args.level
    if getattr(args, "partner", None) is not None:
        from frtrade.reference import country_names

        if args.partner not in country_names():
            raise UsageError(
                f"--partner : code pays inconnu « {args.partner} » (ex. : US, CN, DE)"
            )
        options["partner"] = args.partner
    return options


def _quarters(args: argparse.Namespace) -> tuple[int, ...] | None:
    text = getattr(args, "quarters", None)
    return None if text is None else _data.parse_quarters(text)


def load_for(args: argparse.Namespace) -> _data.Loaded:
    """Load the data of a summary/facts/fiche command and print its messages."""
    quarters = _quarters(args)
    loaded = _data.load(
        args.data, year=args.year, quarters=quarters, options=_data.load_options(args)
    )
    _data.print_messages(loaded.messages)
    return loaded


def _facts(
    loaded: _data.Loaded, territory: Territory, args: argparse.Namespace
) -> tuple[dict[str, Any], _data.CoverageView]:
    from frtrade.indicators import headline_facts

    data = loaded.data
    facts = headline_facts(
        loaded.flows,
        territory,
        year=loaded.year,
        report=data.report,
        labels=data.labels,
        quarters_filter=loaded.quarters,
        **_indicator_options(args),
    )
    view = _data.coverage(
        loaded.flows, territory, loaded.year, facts, quarters_filter=loaded.quarters
    )
    facts = _data.honest_facts(facts, view)  # data.quarters_filter: headline_facts
    return facts, view


def _notes(view: _data.CoverageView) -> None:
    for note in view.notes:
        print(f"frtrade : {note}", file=sys.stderr)


# --------------------------------------------------------------------------- summary


def _other_years(loaded: _data.Loaded, territory: Territory, flow: str) -> str:
    """The other years holding rows of ``flow`` for the territory (``"2023"``)."""
    flows = loaded.flows
    mask = territory.mask(flows) & (flows["flow"] == flow).to_numpy()
    years = sorted({int(y) for y in flows.loc[mask, "year"]} - {loaded.year})
    return ", ".join(str(y) for y in years)


def run_summary(args: argparse.Namespace, territory: Territory) -> int:
    """``frtrade summary``: the headline figures in French."""
    from frtrade.datasets import FICTITIOUS_NOTICE
    from frtrade.formatting import format_meur, format_share, format_signed_meur
    from frtrade.indicators import OTHER, period_phrase, shares_basis

    loaded = load_for(args)
    facts, view = _facts(loaded, territory, args)
    _notes(view)
    unavailable = "non disponible"
    parent = territory.parent_region
    lines = [f"{territory.name} – commerce extérieur, données {view.period_label}"]
    if loaded.data.report.fictitious:
        lines.append(FICTITIOUS_NOTICE)
    for flow, title in _FLOW_TITLES.items():
        block = facts[flow]
        if not view.available[flow] or block.get("total_eur") is None:
            other = _other_years(loaded, territory, flow)
            elsewhere = f" ; présentes pour {other}" if other else ""
            lines.append(
                f"{title} : {unavailable} (aucune donnée d'{FLOW_NOUNS[flow]} "
                f"pour ce territoire {period_phrase(loaded.year, loaded.quarters)}"
                f"{elsewhere})"
            )
            continue
        parts = [f"{title} : {format_meur(block['total_eur'])}"]
        if parent is not None and block.get("share_of_region") is not None:
            parts.append(
                f"{format_share(block['share_of_region'])} de la région {parent.name}"
            )
        if block.get("share_of_france") is not None:
            parts.append(f"{format_share(block['share_of_france'], 2)} de la France")
        basis = shares_basis(block)
        if basis and len(parts) > 1:
            parts[-1] += f" (parts calculées sur la même période : {basis})"
        lines.append(", ".join(parts))
    balance = facts.get("balance_eur")
    rate = facts.get("coverage_rate")
    lines.append(
        "Solde : "
        + (unavailable if balance is None else f"{format_signed_meur(balance)} M€")
    )
    lines.append(
        "Taux de couverture : " + (unavailable if rate is None else format_share(rate))
    )
    n = args.top or 5
    partners = [p["name"] for p in facts.get("partners", []) if p["code"] != OTHER]
    if partners:
        lines.append("Principaux partenaires : " + ", ".join(partners[:n]))
    for flow, adjective in (("export", "exportés"), ("import", "importés")):
        products = [
            p["name"]
            for p in facts.get("products", {}).get(flow, [])
            if p["code"] != OTHER
        ]
        if products:
            lines.append(
                f"Principaux produits {adjective} : " + " · ".join(products[:n])
            )
    print("\n".join(lines))
    return 0


# --------------------------------------------------------------------------- facts


def run_facts(args: argparse.Namespace, territory: Territory) -> int:
    """``frtrade facts``: the fiche's numbers as JSON on stdout."""
    loaded = load_for(args)
    facts, view = _facts(loaded, territory, args)
    _notes(view)
    if not view.complete and all(view.available.values()):
        print(f"frtrade : données partielles : {view.period_label}", file=sys.stderr)
    print(json.dumps(facts, ensure_ascii=False, indent=args.indent or None))
    return 0


# --------------------------------------------------------------------------- fiche


def check_out_dir(out: Path) -> None:
    """Fail once, up front, when ``--out`` cannot receive fiches (exit 4)."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} : c'est un fichier, pas un dossier")
    existing = out
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"--out {out} : {existing} n'est pas un dossier")
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".frtrade-probe-", dir=out)
        os.close(handle)
        Path(probe).unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(
            f"--out {out} : impossible d'écrire dans ce dossier ({reason})"
        ) from exc


def _formats(args: argparse.Namespace) -> list[str]:
    from frtrade.fiche import FICHE_FORMATS

    if args.format is None:
        return list(FICHE_FORMATS)
    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FICHE_FORMATS))
    if unknown or not formats:
        raise UsageError(
            f"--format : format inconnu {', '.join(unknown) or '(vide)'} ; "
            f"formats possibles : {', '.join(FICHE_FORMATS)}"
        )
    return list(dict.fromkeys(formats))


def _write_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"csv_dialect": args.csv_dialect or "standard"}


def _build_options(args: argparse.Namespace) -> dict[str, Any]:
    """``build_fiche`` / ``write_all_fiches`` options: --top, --level, --overrides."""
    options = _indicator_options(args)
    if getattr(args, "overrides", None) is not None:
        from frtrade.fiche import load_overrides

        options["overrides"] = load_overrides(args.overrides)
    return options


def run_fiche(args: argparse.Namespace, territory: Territory) -> int:
    """``frtrade fiche TERRITOIRE``: one fiche."""
    from frtrade.datasets import FICTITIOUS_NOTICE
    from frtrade.fiche import build_fiche

    if args.resume:
        raise UsageError("--resume ne s'emploie qu'avec --all")
    formats = _formats(args)
    write_options = _write_options(args)
    options = _build_options(args)
    check_out_dir(args.out)
    renderer = None
    if {"html", "pdf", "svg", "png"} & set(formats):
        from frtrade.fiche import ChartCache
        from frtrade.render import render_pool

        pool = render_pool()  # render processes start now: ready when the charts are
        renderer = ChartCache(pool, formats) if pool is not None else None
    loaded = load_for(args)
    names = [
        t.strip() for t in (args.territoires_industrie or "").split(";") if t.strip()
    ]
    view = _data.coverage(
        loaded.flows, territory, loaded.year, {}, quarters_filter=loaded.quarters
    )
    _notes(view)
    fiche = build_fiche(
        loaded.flows,
        territory,
        year=loaded.year,
        report=loaded.data.report,
        labels=loaded.data.labels,
        territoires_industrie=names,
        colors=args.palette,
        renderer=renderer,  # the comparison Sankeys start while the rest is computed
        quarters_filter=loaded.quarters,
        **options,
    )
    folder = args.out / territory.slug
    written = fiche.write(folder, formats=formats, renderer=renderer, **write_options)
    print(f"Fiche {territory.name} (données {view.period_label}) écrite dans {folder}/")
    for fmt in formats:
        paths = written.get(fmt, [])
        shown = ", ".join(p.name for p in paths[:3])
        more = f" (+{len(paths) - 3})" if len(paths) > 3 else ""
        print(f"  {fmt} : {shown}{more}")
    if loaded.data.report.fictitious:
        print(FICTITIOUS_NOTICE)
    return 0


def run_fiche_all(args: argparse.Namespace) -> int:
    """``frtrade fiche --all``: every fiche, with a progress bar."""
    import time

    from frtrade import fiche as fiche_module
    from frtrade.datasets import FICTITIOUS_NOTICE

    if any([args.territory, args.region, args.france, args.departements]):
        raise UsageError("--all écrit tous les territoires : n'en nommez aucun")
    formats = _formats(args)
    write_options = _write_options(args)
    options = _build_options(args)
    check_out_dir(args.out)
    loaded = load_for(args)
    start = time.perf_counter()
    progress_bar = _progress.bar(None, "Fiches")
    failures: list[BatchResult] = []
    results: list[BatchResult] = []

    def progress(result: BatchResult, done: int, total: int) -> None:
        if progress_bar.total != total:
            progress_bar.total = total
        progress_bar.set_postfix_str(result.slug, refresh=False)
        progress_bar.update(1)
        results.append(result)
        if not result.ok:
            failures.append(result)
            progress_bar.write(f"frtrade : échec de {result.slug} : {result.error}")

    with progress_bar:
        fiche_module.write_all_fiches(
            loaded.flows,
            args.out,
            formats=formats,
            year=loaded.year,
            report=loaded.data.report,
            labels=loaded.data.labels,
            colors=args.palette,
            jobs=max(1, args.jobs),
            progress=progress,
            resume=args.resume,
            quarters_filter=loaded.quarters,
            **options,
            **write_options,
        )
    took = time.perf_counter() - start
    skipped = sum(1 for r in results if r.skipped)
    done = len(results) - len(failures) - skipped
    line = f"{done} fiches écrites dans {args.out}/ en {took:.1f} s"
    if skipped:
        line += f" ({skipped} fiches déjà complètes conservées)"
    print(line)
    if loaded.data.report.fictitious:
        print(FICTITIOUS_NOTICE)
    if failures:
        print(f"frtrade : {len(failures)} fiche(s) en échec :", file=sys.stderr)
        for r in failures:
            print(f"frtrade :   {r.slug} : {r.error}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


# --------------------------------------------------------------------------- territories


def _in_region(territory: Territory, region: Territory) -> bool:
    if territory.level != "departement":
        return False
    if region.departements:  # a DROM région: its single département
        return territory.code in region.departements
    return territory.parent() == region


def run_territories(args: argparse.Namespace) -> int:
    """``frtrade territories``: the territories frtrade knows."""
    from frtrade.territories import Territory, _fold

    every = Territory.catalogue()
    if args.kind is not None:
        every = [t for t in every if t.level == args.kind]
    if args.region is not None:
        region = Territory.region(args.region, scheme=args.region_scheme)
        every = [t for t in every if t == region or _in_region(t, region)]
    if args.search:
        needle = _fold(args.search)
        every = [
            t
            for t in every
            if needle in _fold(t.name) or needle == _fold(t.code) or needle in t.slug
        ]
    if args.json:
        rows = [{**t.to_dict(), "slug": t.slug} for t in every]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not every:
        print("frtrade : aucun territoire ne correspond", file=sys.stderr)
        return 0
    table = [("TYPE", "CODE", "NOM", "RÉGION", "IDENTIFIANT")]
    for t in every:
        parent = t.parent_region
        where = "" if parent is None else f"{parent.insee_code or 'DOM'} {parent.name}"
        if t.level == "region" and t.region_dgddi:
            where = f"(code DGDDI {t.region_dgddi})"
        table.append((t.kind_fr, t.code, t.name, where, t.slug))
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row in table:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[4]]))
    return 0


# --------------------------------------------------------------------------- info


def _int(value: object) -> str:
    return f"{int(str(value)):,}".replace(",", "\u202f")


def run_info(args: argparse.Namespace) -> int:
    """``frtrade info FILES``: what a set of DGDDI files holds."""
    from frtrade.formatting import format_meur

    loaded = _data.load(args.files, year=None, options=_data.load_options(args))
    report = loaded.data.report
    flows = loaded.data.flows
    blocks: list[dict[str, Any]] = []
    for (flow, year), part in flows.groupby(["flow", "year"], observed=True):
        blocks.append(
            {
                "flow": str(flow),
                "year": int(str(year)),
                "quarters": sorted({int(q) for q in part["quarter"]}),
                "rows": len(part),
                "total_eur": float(part["value_eur"].sum()),
            }
        )
    findings = report.to_dict().get("findings", [])
    if args.json:
        out = {
            "files": list(report.files),
            "label_files": list(report.label_files),
            "fictitious": bool(report.fictitious),
            "rows": int(report.rows_kept),
            "years": [int(y) for y in report.years],
            "by_flow_and_year": blocks,
            "messages": loaded.messages,
            "findings": json.loads(json.dumps(findings, default=str)),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    _data.print_messages(loaded.messages)
    print(f"Fichiers de données ({len(report.files)}) :")
    for name in report.files:
        print(f"  {name}")
    if report.label_files:
        print(f"Fichiers de libellés ({len(report.label_files)}) :")
        for name in report.label_files:
            print(f"  {name}")
    if report.fictitious:
        print("Données FICTIVES (jeu de démonstration de frtrade)")
    years = ", ".join(str(y) for y in report.years)
    print(f"Lignes : {_int(report.rows_kept)} ; années : {years}")
    for flow, noun in FLOW_NOUNS.items():
        mine = [b for b in blocks if b["flow"] == flow]
        if not mine:
            print(f"{noun.capitalize()}s : aucune donnée")
        for b in mine:
            print(
                f"{noun.capitalize()}s {b['year']} : "
                f"{_data.quarters_text(b['quarters'])}, {_int(b['rows'])} lignes, "
                f"{format_meur(b['total_eur'])}"
            )
    return 0
