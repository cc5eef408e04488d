"""The argument parser: English option names, French help and errors."""

# ruff: noqa: T201  (a command line prints)

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import NoReturn

EXIT_USAGE = 2

LEVELS = ("a129", "a38", "a17", "cpf4")

EPILOG = (
    "Codes de sortie : 0 succès, 1 échec d'une partie d'un lot (--all), "
    "2 mauvais usage, 3 territoire inconnu, 4 fichier ou données invalides "
    "(année absente, dossier de sortie impossible…), 130 interruption (Ctrl-C)."
)

# argparse's own (English) messages, in French.
_TRANSLATIONS: list[tuple[str, str]] = [
    (r"the following arguments are required: (.*)", r"arguments obligatoires : \1"),
    (r"argument (\S+): invalid int value: '(.*)'", r"\1 : « \2 » n'est pas un entier"),
    (
        r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.*)\)",
        r"\1 : « \2 » n'est pas un choix possible (choix : \3)",
    ),
    (r"argument (\S+): expected one argument", r"\1 attend une valeur"),
    (
        r"argument (\S+): expected at least one argument",
        r"\1 attend au moins une valeur",
    ),
    (r"unrecognized arguments: (.*)", r"arguments non reconnus : \1"),
    (
        r"argument (\S+): ignored explicit argument '(.*)'",
        r"\1 : valeur « \2 » en trop",
    ),
]


def french(message: str) -> str:
    """Translate an argparse message into French (unchanged when unknown)."""
    for pattern, replacement in _TRANSLATIONS:
        match = re.fullmatch(pattern, message)
        if match:
            values = [g.replace("'", "") for g in match.groups()]
            out = replacement
            for i, value in enumerate(values, start=1):
                out = out.replace(f"\\{i}", value)
            return out
    return message


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one French line on stderr (exit 2)."""

    def error(self, message: str) -> NoReturn:
        """Print one French line and exit with code 2."""
        print(
            f"frtrade : erreur d'usage : {french(message)} (aide : {self.prog} --help)",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_USAGE)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: object,
        groups: object,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(
            usage,
            actions,  # type: ignore[arg-type]
            groups,  # type: ignore[arg-type]
            "utilisation : " if prefix is None else prefix,
        )


def _new(
    parent: argparse._SubParsersAction[Parser] | None, name: str, **kw: str
) -> Parser:
    options = {"formatter_class": _Formatter, "add_help": False, "epilog": EPILOG}
    parser = (
        Parser(prog="frtrade", **options, **kw)  # type: ignore[arg-type]
        if parent is None
        else parent.add_parser(name, **options, **kw)  # type: ignore[arg-type]
    )
    parser._positionals.title = "arguments"
    parser._optionals.title = "options"
    parser.add_argument(
        "-h", "--help", action="help", help="afficher cette aide et quitter"
    )
    return parser


def _add_territory(parser: Parser) -> None:
    where = parser.add_argument_group(
        "territoire (un seul)",
        "un département (code ou nom), une région, la France ou un groupe",
    )
    where.add_argument(
        "territory",
        nargs="?",
        metavar="TERRITOIRE",
        help="code ou nom de département (36, 9D, 974, 2A, Indre), ou nom de "
        "région, ou «\u00a0France\u00a0»",
    )
    where.add_argument(
        "--region",
        metavar="RÉGION",
        help="région\u00a0: code INSEE (24) ou nom («\u00a0Centre-Val de Loire\u00a0», "
        "«\u00a0La Réunion\u00a0», «\u00a0PACA\u00a0»)",
    )
    where.add_argument(
        "--region-scheme",
        choices=["insee", "dgddi"],
        default="insee",
        help="codification d'un code de --region (défaut\u00a0: insee ; dgddi\u00a0: "
        "codes des fichiers de la DGDDI, 04 = Centre-Val de Loire)",
    )
    where.add_argument("--france", action="store_true", help="la France entière")
    where.add_argument(
        "--departements",
        metavar="CODES",
        help="groupe de départements séparés par des virgules (18,36)",
    )
    where.add_argument("--name", metavar="NOM", help="nom affiché d'un groupe")


def _add_load_options(data: argparse._ArgumentGroup) -> None:
    """How the loader treats imperfect files (see frtrade.load_dgddi)."""
    data.add_argument(
        "--overlap",
        choices=("error", "latest"),
        default="error",
        help="deux publications différentes couvrent les mêmes trimestres\u00a0: "
        "refuser (error, défaut) ou garder la plus récente (latest)",
    )
    data.add_argument(
        "--negative",
        choices=("error", "keep"),
        default="error",
        help="valeurs négatives\u00a0: refuser (error, défaut) ou garder avec un "
        "avertissement (keep)",
    )
    data.add_argument(
        "--duplicates",
        choices=("sum", "error"),
        default="sum",
        help="clés répétées\u00a0: additionner avec un avertissement (sum, défaut) ou "
        "refuser (error)",
    )
    data.add_argument(
        "--no-cache",
        action="store_true",
        help="relire les fichiers sans passer par le cache (dossier de cache\u00a0: "
        "$FRTRADE_CACHE_DIR, sinon le cache utilisateur)",
    )


def _add_data(parser: Parser, *, year: bool = True) -> None:
    data = parser.add_argument_group("données")
    data.add_argument(
        "--data",
        nargs="+",
        type=Path,
        metavar="CHEMIN",
        help="zips DGDDI, fichiers .txt ou dossiers (défaut\u00a0: le jeu de données "
        "FICTIVES intégré). Placez le territoire avant --data, ou après «\u00a0--\u00a0»",
    )
    _add_load_options(data)
    if year:
        data.add_argument(
            "--year",
            type=int,
            metavar="ANNÉE",
            help="année à utiliser (défaut\u00a0: la plus récente des données)",
        )


def _add_indicators(parser: Parser, *, top_default: int) -> None:
    options = parser.add_argument_group("indicateurs")
    options.add_argument(
        "--top",
        type=int,
        metavar="N",
        help=f"nombre de partenaires et de produits détaillés (défaut\u00a0: {top_default})",
    )
    options.add_argument(
        "--level",
        choices=LEVELS,
        help="nomenclature des produits\u00a0: a129 (défaut), a38, a17 ou cpf4",
    )
    options.add_argument(
        "--partner",
        metavar="PAYS",
        type=str.upper,
        help="partenaire de l'exposition (code pays DGDDI\u00a0; défaut\u00a0: US)",
    )
    options.add_argument(
        "--quarters",
        metavar="TRIMESTRES",
        help="ne garder que ces trimestres, avant tout calcul\u00a0: 1-3, 4, 1,3",
    )


def build_parser() -> Parser:
    """The ``frtrade`` parser (cheap: imports nothing heavy)."""
    parser = _new(
        None,
        "frtrade",
        description="Indicateurs clés du commerce extérieur d'un territoire à partir "
        "des données régionales de la DGDDI (douanes).",
    )
    from frtrade import __version__

    parser.add_argument(
        "--version",
        action="version",
        version=f"frtrade {__version__}",
        help="afficher la version et quitter",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMANDE", title="commandes"
    )

    summary = _new(
        commands,
        "summary",
        help="chiffres clés d'un territoire, en français",
        description="Chiffres clés d'un territoire\u00a0: exportations, importations, "
        "solde, taux de couverture, principaux partenaires et produits.",
    )
    _add_territory(summary)
    _add_data(summary)
    _add_indicators(summary, top_default=5)

    fiche = _new(
        commands,
        "fiche",
        help="écrire la fiche d'un territoire (HTML, PDF, graphiques, tableaux, JSON)",
        description="Écrire la fiche d'un territoire dans --out/<identifiant>/ "
        "(departement-36, region-24, france, groupe-18-36).",
    )
    _add_territory(fiche)
    _add_data(fiche)
    _add_indicators(fiche, top_default=10)
    batch = fiche.add_argument_group("lot et sorties")
    batch.add_argument(
        "--all",
        action="store_true",
        help="toutes les fiches\u00a0: chaque département, région et la France des données",
    )
    batch.add_argument(
        "--resume",
        action="store_true",
        help="avec --all\u00a0: ne pas refaire les fiches déjà complètes dans --out",
    )
    batch.add_argument(
        "--out",
        type=Path,
        default=Path("fiches"),
        metavar="DOSSIER",
        help="dossier de sortie (défaut\u00a0: ./fiches)",
    )
    batch.add_argument(
        "--format",
        metavar="FORMATS",
        help="formats séparés par des virgules parmi html, pdf, svg, png, csv, "
        "json… (défaut\u00a0: tous)",
    )
    batch.add_argument(
        "--overrides",
        type=Path,
        metavar="FICHIER",
        help="textes propres (TOML ou JSON)\u00a0: introduction, contacts, logo, pied "
        "de page (voir frtrade.fiche.load_overrides)",
    )
    batch.add_argument(
        "--csv-dialect",
        choices=["standard", "excel-fr"],
        help="CSV standard (défaut) ou pour Excel en français («\u00a0;\u00a0», virgule "
        "décimale, UTF-8 avec BOM)",
    )
    batch.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="processus pour --all (défaut\u00a0: 1)",
    )
    batch.add_argument(
        "--palette",
        choices=["default", "colorblind"],
        default="default",
        help="couleurs des graphiques (colorblind\u00a0: lisibles par les daltoniens)",
    )
    batch.add_argument(
        "--territoires-industrie",
        metavar="NOMS",
        help="Territoires d'industrie à citer sur la fiche, séparés par «\u00a0;\u00a0»",
    )

    facts = _new(
        commands,
        "facts",
        help="les chiffres de la fiche en JSON sur la sortie standard",
        description="Les chiffres de la fiche (facts.json) en JSON sur la sortie "
        "standard ; les remarques sur les données vont sur la sortie d'erreur.",
    )
    _add_territory(facts)
    _add_data(facts)
    _add_indicators(facts, top_default=10)
    facts.add_argument(
        "--indent", type=int, default=2, metavar="N", help="indentation du JSON"
    )

    territories = _new(
        commands,
        "territories",
        help="lister les territoires connus (codes, noms, régions)",
        description="Les territoires que frtrade connaît\u00a0: départements (codes "
        "DGDDI), régions (codes INSEE), la France. Filtrables.",
    )
    territories.add_argument(
        "search",
        nargs="?",
        metavar="TEXTE",
        help="ne garder que les noms ou codes contenant ce texte (accents et "
        "casse ignorés)",
    )
    territories.add_argument(
        "--kind",
        choices=["departement", "region", "france"],
        help="ne garder que ce type de territoire",
    )
    territories.add_argument(
        "--region",
        metavar="RÉGION",
        help="ne garder que cette région et ses départements (code INSEE ou nom)",
    )
    territories.add_argument(
        "--region-scheme",
        choices=["insee", "dgddi"],
        default="insee",
        help="codification d'un code de --region (défaut\u00a0: insee)",
    )
    territories.add_argument("--json", action="store_true", help="sortie en JSON")

    info = _new(
        commands,
        "info",
        help="décrire un ensemble de fichiers DGDDI",
        description="Ce que contiennent des fichiers DGDDI\u00a0: flux, années, "
        "trimestres, lignes, totaux par flux et par année, constats du chargement.",
    )
    info.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FICHIER",
        help="zips DGDDI, fichiers .txt ou dossiers",
    )
    info.add_argument("--json", action="store_true", help="sortie en JSON")
    _add_load_options(info.add_argument_group("données"))
    return parser
