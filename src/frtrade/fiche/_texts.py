"""The fiche's French texts, turned into one :class:`~._model.Document`.

Every part of the publication "Les indicateurs clés : commerce extérieur"
(ANCT/DGE) has its place, in its order; the wording adapts to the kind of
territory (département, région, France, group of départements), to the data
available (period, missing flow) and to the palette's colour words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from frtrade.charts import palette
from frtrade.datasets import FICTITIOUS_NOTICE, FICTITIOUS_SOURCE_LINE
from frtrade.formatting import (
    NNBSP,
    format_number,
    format_share,
    format_signed_meur,
    join_fr,
)
from frtrade.indicators import (
    concentration_sentence,
    evolution_sentence,
    exposure_sentence,
    period_phrase,
    quarters_phrase,
    shares_basis,
    specialisation_sentence,
)
from frtrade.indicators import period_label as coverage_period_label
from frtrade.indicators._coverage import _the_quarters as the_quarters
from frtrade.territories import Territory

from ._model import (
    Block,
    BulletList,
    Document,
    Figure,
    Heading,
    KeyFigures,
    Logo,
    Note,
    Paragraph,
    Section,
    Span,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ._fiche import Fiche

SOURCE_LINE = "Source : DGDDI – DSECE"
TITLE = "Les indicateurs clés : commerce extérieur"
UNAVAILABLE = "non disponible"

_NUMBERS = {
    1: "un", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept",
    8: "huit", 9: "neuf", 10: "dix", 11: "onze", 12: "douze", 13: "treize",
    14: "quatorze", 15: "quinze", 16: "seize", 17: "dix-sept", 18: "dix-huit",
    19: "dix-neuf", 20: "vingt",
}  # fmt: skip


def number_word(n: int) -> str:
    """French word of a small count (``10 -> "dix"``), digits beyond twenty."""
    return _NUMBERS.get(n, str(n))


def typo(text: str) -> str:
    """French typography of a text: the one helper every fiche text goes through.

    Typographic apostrophes, narrow no-break spaces (U+202F) before
    « : ; % ? ! » and inside « » quotes, and between the digit groups of
    numbers written with ordinary spaces.

    Parameters
    ----------
    text
        Plain French text.

    Returns
    -------
    str
        The same text, typographed (idempotent).

    Examples
    --------
    >>> typo("Total : 1 274,7 M€ ; l'export « autres » 4,6 %").replace("\u202f", "_")
    'Total_: 1_274,7 M€_; l’export «_autres_» 4,6_%'
    """
    out = text.replace("'", "\u2019")
    out = re.sub(r"[ \u00a0\u202f]+([:;%?!»])", NNBSP + r"\1", out)
    out = re.sub(r"«[ \u00a0\u202f]*", "«" + NNBSP, out)
    return re.sub(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))", NNBSP, out)


def _p(*parts: str | tuple[str, bool], role: str = "body") -> Paragraph:
    spans = tuple(
        Span(typo(p)) if isinstance(p, str) else Span(typo(p[0]), strong=p[1])
        for p in parts
    )
    return Paragraph(spans, role=role)  # type: ignore[arg-type]


def _meur(value_eur: float) -> str:
    return format_number(value_eur / 1e6, 1)


# --------------------------------------------------------------- territory words


class Words:
    """How the texts name a territory of a given kind."""

    def __init__(self, territory: Territory) -> None:
        level = territory.level
        self.level = level
        self.the, self.of, self.from_, self.into, self.scale = {
            "departement": (
                "le département", "du département", "depuis le département",
                "dans le département", "départementale",
            ),
            "region": (
                "la région", "de la région", "depuis la région", "dans la région",
                "régionale",
            ),
            "france": ("la France", "de la France", "depuis la France", "en France", "nationale"),
            "group": (
                "le territoire", "du territoire", "depuis le territoire",
                "dans le territoire", "du territoire",
            ),
        }[level]  # fmt: skip
        self.local = {
            "departement": "locaux",
            "region": "régionaux",
            "france": "nationaux",
            "group": "du territoire",
        }[level]

    def situation(self, noun: str) -> str:
        """``"La situation départementale des exportations"``."""
        if self.level == "group":
            return f"La situation du territoire pour les {noun}"
        return f"La situation {self.scale} des {noun}"


# --------------------------------------------------------------------- the parts


def period_label(facts: dict[str, object]) -> str:
    """The period the data cover, in French (``"2024"``, ``"2024, trimestres 1 à 3"``).

    Uses ``facts["data"]["period_label"]`` when the indicators give it, else
    derives it from ``facts["quarters"]``.

    Parameters
    ----------
    facts
        :func:`~frtrade.indicators.headline_facts` output.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> period_label({"year": 2024, "quarters": [1, 2, 3]})
    '2024, trimestres 1 à 3'
    """
    data = facts.get("data")
    if isinstance(data, dict) and data.get("period_label"):
        return str(data["period_label"])
    quarters = tuple(int(q) for q in facts.get("quarters", []) or [])  # type: ignore[attr-defined]
    return coverage_period_label(facts.get("year"), quarters)  # type: ignore[arg-type]


def _year_phrase(fiche: Fiche) -> str:
    label = fiche.period
    if label == str(fiche.year):
        return f"l'année {fiche.year}"
    rest = label.partition(", ")[2]
    return f"l'année {fiche.year} ({rest} seulement)"


def key_figure_rows(fiche: Fiche) -> list[tuple[str, str]]:
    """Key figures; a missing flow reads "non disponible", never 0."""
    f = fiche.facts
    ok = fiche.available

    def total(flow: str) -> str:
        value = f[flow].get("total_eur") if ok[flow] else None
        return f"{_meur(value)}{NNBSP}M€" if value is not None else UNAVAILABLE

    balance = f.get("balance_eur") if ok["export"] and ok["import"] else None
    coverage = f.get("coverage_rate") if ok["export"] and ok["import"] else None
    rows = [
        ("Exportations", total("export")),
        ("Importations", total("import")),
        (
            "Solde commercial",
            f"{format_signed_meur(balance)}{NNBSP}M€"
            if balance is not None
            else UNAVAILABLE,
        ),
        (
            "Taux de couverture",
            format_share(coverage) if coverage is not None else UNAVAILABLE,
        ),
    ]
    parent = fiche.territory.parent_region
    for flow, noun in (("export", "exportations"), ("import", "importations")):
        if not ok[flow]:
            continue
        basis = shares_basis(f[flow])
        on = f" ({basis})" if basis else ""  # the région has more quarters
        if parent is not None and f[flow].get("share_of_region") is not None:
            rows.append(
                (
                    f"Part des {noun} de la région{on}",
                    format_share(f[flow]["share_of_region"]),
                )
            )
        if (
            f[flow].get("share_of_france") is not None
            and fiche.territory.level != "france"
        ):
            rows.append(
                (
                    f"Part des {noun} de la France{on}",
                    format_share(f[flow]["share_of_france"], 2),
                )
            )
    return rows


def _head(fiche: Fiche) -> list[Block]:
    blocks: list[Block] = []
    o = fiche.overrides
    if o is not None and o.logo is not None:
        blocks.append(Logo(o.logo, o.logo_mime, typo(o.logo_alt)))
    if fiche.fictitious:
        blocks.append(Note(typo(FICTITIOUS_NOTICE), "fictitious"))
    for note in fiche.notes:
        blocks.append(Note(typo(note), "warning"))
    rows = tuple((typo(k), typo(v)) for k, v in key_figure_rows(fiche))
    blocks.append(Heading("Chiffres clés", 2))
    blocks.append(KeyFigures(rows))
    return blocks


_INTRO_1 = (
    "Dans le cadre du programme Territoires d'industrie, copiloté par l'ANCT et la DGE, une "
    "première série de portraits socio-économiques territoriaux a été publiée en octobre 2024, "
    "en partenariat avec l'INSEE. Ce format se prolonge aujourd'hui par des publications "
    "thématiques, en lien avec les enjeux identifiés dans vos territoires. Ce nouveau numéro est "
    "ainsi consacré au commerce extérieur, un sujet au cœur de l'actualité économique."
)
_INTRO_2 = {
    "departement": (
        "nous proposons ici un regard départemental — l'échelon le plus fin disponible —"
    ),
    "region": "nous proposons ici un regard régional",
    "france": (
        "nous proposons ici une vue d'ensemble nationale, à rapprocher des fiches régionales et "
        "départementales,"
    ),
    "group": (
        "nous proposons ici un regard sur un groupe de départements — le département étant "
        "l'échelon le plus fin disponible —"
    ),
}


def _introduction(fiche: Fiche) -> Section:
    t = fiche.territory
    o = fiche.overrides
    blocks: list[Block] = []
    if o is not None and o.introduction is not None:
        blocks += [_p(text) for text in o.introduction]
    else:
        blocks.append(_p(_INTRO_1))
        blocks.append(
            _p(
                f"Souvent analysé à l'échelle nationale, {_INTRO_2[t.level]} à travers une "
                "sélection d'indicateurs et d'infographies, fondés sur les statistiques établies "
                "par les Douanes."
            )
        )
    if t.level == "group":
        members = [Territory.departement(code) for code in t.departements]
        names = [f"{m.name} ({m.code})" for m in members]
        blocks.append(
            _p(f"Ce territoire réunit {len(names)} départements : {join_fr(names)}.")
        )
    if o is not None:
        blocks += [_p(text) for text in o.introduction_append]
    return Section("introduction", "Introduction", tuple(blocks))


def _territoires_industrie(fiche: Fiche) -> Section | None:
    if not fiche.territoires_industrie:
        return None
    title = {
        "departement": "Territoires d'industrie du département",
        "region": "Territoires d'industrie de la région",
        "group": "Territoires d'industrie du territoire",
        "france": "Territoires d'industrie",
    }[fiche.territory.level]
    items = tuple((Span(typo(name)),) for name in fiche.territoires_industrie)
    return Section("territoires-industrie", typo(title), (BulletList(items),))


def _context(fiche: Fiche) -> Section:
    t = fiche.territory
    level = fiche.product_level.upper()
    n = number_word(fiche.n)
    situate = {
        "departement": " Elle situe le territoire par rapport à sa région et à la France.",
        "region": " Elle situe la région par rapport à la France.",
        "france": "",
        "group": (
            " Elle situe le territoire par rapport à sa région et à la France."
            if len(fiche.compared_regions) == 1
            else " Elle situe le territoire par rapport à chacune des régions qu'il touche et "
            "à la France."
            if fiche.compared_regions
            else " Elle situe le territoire par rapport à la France."
        ),
    }[t.level]
    blocks: list[Block] = [
        Heading("Contexte"),
        _p(
            "Face aux profondes mutations du commerce mondial, l'ouverture des industries et la "
            "nature des flux commerciaux exposent les territoires à de nouvelles menaces comme à "
            "de nouvelles opportunités."
        ),
        _p(
            "Depuis le début de l'année 2025, la montée en puissance des menaces de surtaxes "
            "douanières émanant des États-Unis a renforcé les tensions commerciales "
            "internationales. Dans ce contexte, l'incertitude s'accroît pour les industriels, qui "
            "s'interrogent de plus en plus sur leur exposition et leur dépendance aux chaînes de "
            "valeur mondiales, tant à l'importation qu'à l'exportation. Cette situation incite les "
            "acteurs économiques à diversifier leurs partenaires, sécuriser leurs "
            "approvisionnements et saisir de nouvelles opportunités de développement, afin de "
            "mieux s'adapter à un environnement commercial en recomposition."
        ),
        _p(
            "Pourtant, la traduction territoriale de ces évolutions reste encore peu étudiée. "
            f"Cette publication, fondée sur les données douanières de {fiche.period}, propose "
            "ainsi un état des lieux par département : elle met en lumière les principales "
            "activités exportatrices et importatrices, les pays partenaires les plus importants, "
            "et permet de situer chaque territoire par rapport à la moyenne nationale."
        ),
        _p(
            "Grâce à ce nouvel éclairage, les Territoires d'industrie disposent d'un outil de "
            "lecture pour mieux comprendre leur position dans les échanges internationaux dans "
            "le contexte économique actuel."
        ),
        _p(
            "Cette fiche présente les échanges de biens du territoire avec l'étranger : montants "
            "exportés et importés, principaux pays partenaires, principales activités et flux "
            "entre produits et pays." + situate
        ),
        Heading("Précisions méthodologiques"),
        _p(
            "Les infographies présentées permettent d'avoir des ordres de grandeur des grands "
            "équilibres actuels, mais comportent certaines limites :"
        ),
        BulletList(
            tuple(
                (Span(typo(text)),)
                for text in (
                    (
                        "Les données sont établies selon le lieu de dédouanement, qui ne "
                        "reflète pas toujours le lieu de production. Par exemple, un bien "
                        "fabriqué dans un "
                        "département A peut être exporté depuis un département B. Les chiffres "
                        "dépendent ainsi des chaînes logistiques mises en place en interne par les "
                        "entreprises."
                    ),
                    (
                        "De manière similaire, la présence de grandes infrastructures de transport "
                        "peut introduire des biais. Par exemple, les zones industrialo-portuaires "
                        "concentrent les importations d'hydrocarbures, ce qui ne signifie pas que "
                        "l'usage en est fait exclusivement dans les départements correspondants."
                    ),
                    (
                        "Enfin, l'échelle infra-départementale, notamment celle des Territoires "
                        "d'industrie, n'est pas accessible à ce jour. Pour les territoires "
                        "interdépartementaux, il est recommandé de consulter les fiches des "
                        "différents départements concernés."
                    ),
                    (
                        "Source : statistiques régionales et départementales du commerce extérieur "
                        "de la Direction générale des douanes et droits indirects (DGDDI), données "
                        "brutes de collecte, hors matériel militaire."
                    ),
                    (
                        "Les exportations sont valorisées FAB (franco à bord), les "
                        "importations CAF (coût, assurance, fret)."
                    ),
                    (
                        f"Les produits sont regroupés selon la nomenclature {level} "
                        f"(CPF rév. 2.1) ; les {n} premiers sont détaillés, les autres sont "
                        "regroupés dans « Autres "
                        "produits »."
                    ),
                )
            )
        ),
        _p(
            "Les infographies reposent sur les données départementales et régionales du commerce "
            f"extérieur pour {_year_phrase(fiche)}, produites par la Direction générale des "
            "Douanes et Droits indirects et accessibles en open data."
        ),
    ]
    return Section("contexte", "Contexte et méthodologie", tuple(blocks))


def _missing(fiche: Fiche, flow: str) -> Note:
    noun = "exportation" if flow == "export" else "importation"
    return Note(
        typo(
            f"Aucune donnée d'{noun} n'est disponible pour {fiche.territory.name_with_article} "
            f"({fiche.period}) : ce graphique n'est pas tracé."
        ),
        "warning",
    )


def _unbalanced(fiche: Fiche) -> str:
    """Why the fiche shows no balance: the two flows cover different quarters."""
    held = fiche.facts["data"]["coverage"]
    export, import_ = (tuple(held[f]["quarters"]) for f in ("export", "import"))
    return (
        "La balance commerciale par pays n'est pas établie : les exportations couvrent "
        f"{the_quarters(export)} de {fiche.year}, les importations "
        f"{the_quarters(import_)}. Le graphique montre les importations et les "
        "exportations de chaque pays, sans solde."
    )


def _has_balance(fiche: Fiche) -> bool:
    """Whether the fiche has a balance (both flows, over the same quarters)."""
    return fiche.facts.get("balance_eur") is not None


def _balance(fiche: Fiche, words: Words) -> Section:
    pal = palette(fiche.colors)
    name = fiche.territory.name
    blocks: list[Block] = [
        _p(
            "Cette première infographie identifie les principaux pays concernés par des "
            f"relations commerciales avec {words.the}, en prenant en compte les principaux pays "
            "à l'import et à l'export. Cette vision d'ensemble permet d'apprécier les grands "
            f"équilibres commerciaux {words.local} vis-à-vis de l'extérieur."
        ),
        Heading(
            typo(f"Principaux pays à l'import et à l'export, {name} ({fiche.period})")
        ),
    ]
    missing = [flow for flow in ("import", "export") if not fiche.available[flow]]
    if missing:
        blocks.append(
            Note(
                typo(
                    "La balance commerciale par pays ne peut pas être établie : les "
                    + " et les ".join(
                        "importations" if f == "import" else "exportations"
                        for f in missing
                    )
                    + f" {fiche.territory.of_name} ne sont pas disponibles ({fiche.period})."
                ),
                "warning",
            )
        )
    else:
        balanced = _has_balance(fiche)
        if not balanced:
            blocks.append(Note(typo(_unbalanced(fiche)), "warning"))
        blocks.append(
            Figure(
                typo(f"Principaux pays, {name}"), "partenaires", _alt_partners(fiche)
            )
        )
        reading = (
            "Clé de lecture : pour chaque pays, figurent à gauche le montant des importations "
            "et à droite celui des exportations, en millions d'euros."
        )
        if balanced:
            reading += (
                " Le delta constitue la balance commerciale (exportations − importations), "
                f"indiquée en {pal.word('deficit')} lorsqu'elle est négative, en "
                f"{pal.word('surplus')} lorsqu'elle est positive."
            )
        blocks.append(_p(reading, role="reading"))
    return Section("balance", "Balance commerciale territoriale", tuple(blocks))


def _activities(fiche: Fiche, words: Words) -> Section:
    pal = palette(fiche.colors)
    name = fiche.territory.name
    n = number_word(fiche.n)
    blocks: list[Block] = []
    parts: list[str | tuple[str, bool]] = [
        "Le graphique suivant représente les principales activités concernées par les échanges "
        "commerciaux internationaux "
        + (
            f"à l'échelle {words.scale}"
            if words.level != "group"
            else "à l'échelle du territoire"
        )
        + ". Figurent ",
    ]
    if fiche.available["import"]:
        parts += [
            f"en {pal.word('import')} ",
            ("les biens importés", True),
            f" {words.into}",
        ]
    if fiche.available["import"] and fiche.available["export"]:
        parts.append(", ")
    if fiche.available["export"]:
        parts += [
            f"en {pal.word('export')} ",
            ("les biens exportés", True),
            f" {words.from_}",
        ]
    # no balance to read between flows of different quarters (or a missing flow)
    balance = ", ainsi que la balance globale" if _has_balance(fiche) else ""
    parts.append(
        ". L'aire des compartiments est proportionnelle à l'importance du bien concerné dans sa "
        "catégorie d'échange, ce qui permet d'identifier les principales activités concernées à "
        f"l'import et à l'export{balance}. Les {n} premiers biens sont "
        "détaillés, les autres sont regroupés dans « Autres produits »."
    )
    blocks.append(_p(*parts))
    blocks.append(
        Heading(
            typo(
                f"Principales activités à l'export et à l'import, {name} ({fiche.period})"
            )
        )
    )
    if fiche.available["import"] or fiche.available["export"]:
        blocks.append(
            Figure(
                typo(f"Principales activités, {name}"), "produits", _alt_products(fiche)
            )
        )
    for flow in ("import", "export"):
        if not fiche.available[flow]:
            blocks.append(_missing(fiche, flow))
    return Section("activites", "Principales activités", tuple(blocks))


def _flow_section(fiche: Fiche, flow: str, words: Words) -> Section:
    pal = palette(fiche.colors)
    t = fiche.territory
    n = number_word(fiche.n)
    red = pal.word("highlight")
    k = number_word(5)
    noun = "exportations" if flow == "export" else "importations"
    title = "Exportations" if flow == "export" else "Importations"
    # a Sankey shows one flow: the quarters of that flow (exports may cover more)
    periods = (p.period for p in fiche.sankeys if p.flow == flow and p.territory == t)
    period = next(periods, "") or fiche.period
    blocks: list[Block] = []
    if flow == "export":
        blocks.append(
            _p(
                "Pour aller plus loin dans l'analyse, le graphique suivant représente les flux "
                "d'exportations (quel produit est exporté vers quel pays). Sont représentés les "
                f"{n} premiers biens exportés {words.from_} ainsi que les {n} principaux pays "
                "acheteurs. La catégorie « autres » comprend les biens et les pays au-delà de ce "
                f"classement des {n} premiers. Pour faciliter la lecture, les {k} principaux flux "
                "(tel produit vers telle destination) sont représentés en ",
                (red, True),
                ".",
            )
        )
        heading = (
            f"Flux à l'export par produit et par pays, {t.name} (en valeur, {period})"
        )
        reading = _p(
            "Figurent à gauche ",
            ("les principaux biens exportés", True),
            f" {words.from_}, à droite ",
            ("les pays de destination", True),
            ".",
            role="reading",
        )
    else:
        blocks.append(
            _p(
                "De manière similaire, le graphique suivant représente les flux d'importations "
                f"(quel pays vend quel produit). Sont représentés les {n} principaux pays "
                f"vendeurs ainsi que les {n} premiers biens importés {words.into}. La catégorie "
                "« autres » comprend les pays et les biens au-delà de ce classement des "
                f"{n} premiers. Pour faciliter la lecture, les {k} principaux flux (telle origine "
                "pour tel produit) sont représentés en ",
                (red, True),
                ".",
            )
        )
        heading = (
            f"Flux à l'import par pays et par produit, {t.name} (en valeur, {period})"
        )
        reading = _p(
            "Figurent à gauche ",
            ("les principaux pays d'origine", True),
            ", à droite ",
            (f"les biens importés {words.into}", True),
            ".",
            role="reading",
        )
    blocks.append(Heading(typo(heading)))
    if not fiche.available[flow]:
        blocks.append(_missing(fiche, flow))
        return Section(title.lower(), title, tuple(blocks))
    panels = [p for p in fiche.sankeys if p.flow == flow]
    own, others = panels[0], panels[1:]
    blocks.append(Figure(typo(own.title), own.key, _alt_sankey(own)))
    blocks.append(_p(fiche.sentence(flow), role="sentence"))
    blocks.append(reading)
    if others:
        regions = [p.territory.name for p in others if p.territory.level == "region"]
        if t.level == "region":
            against = "celle du pays"
        elif len(regions) == 1 and t.level == "departement":
            against = "celle de la région et du pays"
        elif len(regions) == 1:
            against = "celle de sa région et du pays"
        elif regions:
            against = f"celles des régions qu'il touche ({join_fr(regions)}) et du pays"
        else:
            against = "celle du pays"
        blocks.append(
            _p(
                f"{words.situation(noun)} représentée ci-dessus peut être comparée à {against} :"
            )
        )
        for panel in others:
            period = panel.period or fiche.period  # its own data's quarters
            blocks.append(Heading(typo(f"{panel.title} (en valeur, {period})")))
            blocks.append(
                Figure(typo(panel.title), panel.key, _alt_sankey(panel), width=0.84)
            )
            blocks.append(_p(panel.caption, role="sentence"))
    elif t.level == "france":
        blocks.append(
            _p(
                "Les fiches régionales et départementales détaillent ces flux à une échelle "
                "plus fine."
            )
        )
    return Section(title.lower(), title, tuple(blocks))


def _practical(fiche: Fiche) -> Section:
    o = fiche.overrides
    blocks: list[Block] = [
        _p(
            "Ce document a pour objectif de dresser un état des lieux territorialisé du commerce "
            "extérieur, à destination des acteurs locaux, dans un contexte douanier en forte "
            "évolution."
        ),
        _p(
            "Si vous souhaitez en savoir plus sur les caractéristiques socio-économiques de vos "
            "Territoires d'industrie, une série de portraits a été publiée en octobre 2024. Vous "
            "pouvez les consulter à l'adresse suivante :"
        ),
        BulletList(
            ((Span(typo("Portraits socio-économiques des Territoires d'Industrie")),),)
        ),
        _p(
            "Pour en savoir plus sur le programme Territoires d'Industrie, nous vous invitons à "
            "consulter la synthèse présentée lors de la dernière Assemblée générale, le 27 mai "
            "dernier. Vous y trouverez un récapitulatif des actions en cours ainsi que les "
            "perspectives pour l'année 2025 :"
        ),
        BulletList(
            ((Span(typo("Dossier de presse de la dernière Assemblée générale")),),)
        ),
    ]
    if o is not None and o.contacts is not None:
        blocks += [_p(text) for text in o.contacts]
    else:
        blocks.append(
            _p(
                "Enfin, vous pouvez contacter le programme Territoires d'Industrie au niveau "
                "national à l'adresse territoires-industrie@anct.gouv.fr."
            )
        )
    blocks.append(_p("Pour aller plus loin :"))
    links = (
        ("Retrouvez l'actualité de l'ANCT : ", "https://anct.gouv.fr/actualites"),
        (
            "Retrouvez l'actualité de la DGE : ",
            "https://www.entreprises.gouv.fr/la-dge/actualites",
        ),
    )
    blocks.append(
        BulletList(
            tuple((Span(typo(text)), Span(url, href=url)) for text, url in links)
        )
    )
    if o is not None:
        blocks += [_p(text) for text in o.contacts_append]
    return Section("informations", "Informations pratiques", tuple(blocks))


def _file_label(name: str) -> str:
    """``/path/a.zip!dir/member.txt`` -> ``a.zip (dir/member.txt)``."""
    archive, _, member = name.partition("!")
    return archive.replace("\\", "/").rsplit("/", 1)[-1] + (
        f" ({member})" if member else ""
    )


def source_line(*, fictitious: bool) -> str:
    """« Source : DGDDI – DSECE », or the fictitious dataset's line."""
    return FICTITIOUS_SOURCE_LINE if fictitious else SOURCE_LINE


def _sources(fiche: Fiche) -> Section:
    quarters = [int(q) for q in fiche.facts.get("quarters", [])]
    which = f" ({quarters_phrase(quarters)})" if quarters else ""
    blocks: list[Block] = [
        _p(source_line(fictitious=fiche.fictitious), role="sentence"),
        _p(
            "Données départementales et régionales du commerce extérieur, DGDDI, "
            f"année {fiche.year}{which}. Exportations FAB, importations CAF. "
            "Fiche produite avec frtrade."
        ),
    ]
    if fiche.files:
        blocks.append(_p("Fichiers utilisés :"))
        blocks.append(BulletList(tuple((Span(_file_label(f)),) for f in fiche.files)))
    if fiche.fictitious:
        blocks.append(Note(typo(FICTITIOUS_NOTICE), "fictitious"))
    return Section("sources", "Sources et données", tuple(blocks))


_PARTNERS = {
    "US": ("les États-Unis", "aux États-Unis"),
    "CN": ("la Chine", "à la Chine"),
    "EU": ("l'Union européenne", "à l'Union européenne"),
}


def partner_name(code: str) -> str:
    """The partner with its article (``"les États-Unis"``), else its code."""
    return _PARTNERS.get(code, (f"le partenaire {code}", ""))[0]


def _exposure_title(code: str) -> str:
    to = _PARTNERS.get(code, ("", f"au partenaire {code}"))[1]
    return f"Exposition {to}"


def _sentences(*texts: str | None) -> list[Block]:
    return [_p(t, role="sentence") for t in texts if t]


def compared_quarters(facts: Mapping[str, Any]) -> list[int] | None:
    """The quarters an evolution compares, when its last year is in progress.

    Parameters
    ----------
    facts
        :func:`~frtrade.indicators.headline_facts` output.

    Returns
    -------
    list[int] or None
        ``None`` when every year is whole; an empty list when the flows of
        the year are compared on different quarters (each sentence then
        names its own). A flow absent from the year does not count.

    Examples
    --------
    >>> block = {"quarters": [1, 2, 3], "by_year": [{"year": 2024, "value_eur": 5.0}]}
    >>> compared_quarters({"evolution": {"export": block, "import": block}})
    [1, 2, 3]
    >>> compared_quarters({"evolution": {"export": {"by_year": []}}}) is None
    True
    """
    evolution = facts.get("evolution") or {}
    found = set()
    for flow in ("export", "import"):
        block = evolution.get(flow) or {}
        rows = block.get("by_year") or [{}]
        if block.get("quarters") or rows[-1].get("value_eur") is not None:
            found.add(tuple(block.get("quarters") or ()))  # a flow of the year
    if found <= {()}:
        return None
    return list(found.pop()) if len(found) == 1 else []


def _evolution(fiche: Fiche) -> Section | None:
    evolution = fiche.facts.get("evolution")
    if not evolution:
        return None
    years = evolution["years"]
    span = f"{years[0]}–{years[-1]}"
    # a year in progress: every year is shown and compared on its quarters only
    quarters = compared_quarters(fiche.facts)
    which, per = "", "par année"
    if quarters is not None:
        kept = quarters_phrase(quarters) if quarters else "trimestres disponibles"
        the = "le" if len(quarters) == 1 else "les"
        only = "le seul disponible" if len(quarters) == 1 else "les seuls disponibles"
        which = (
            f", sur {the} {kept} de chaque année ({only} pour "
            f"{years[-1]}{'' if quarters else ', flux par flux'})"
        )
        per = f"sur {the} {kept} de chaque année"
        span += f", {kept}"
    sentences = _sentences(
        *(evolution_sentence(fiche.facts, f) for f in ("export", "import"))
    )
    intro = (
        f"Ce graphique retrace les exportations, les importations et le solde commercial "
        f"{fiche.territory.of_name} de {years[0]} à {years[-1]}{which}, en millions d'euros"
    )
    year, before = fiche.year, fiche.year - 1
    why: list[str] = []
    for flow, word in (("export", "d'exportation"), ("import", "d'importation")):
        missing = (evolution.get(flow) or {}).get("missing_quarters")
        if missing:  # the territory lacks quarters the other years are compared on
            why.append(
                f"Aucune donnée {word} {fiche.territory.of_name} "
                f"{period_phrase(year, missing)} : la variation des "
                f"{'exportations' if flow == 'export' else 'importations'} n'est pas "
                "calculée."
            )
    if not sentences and not why:
        if before not in years:
            why.append(
                f"Aucune donnée pour {before} : aucune variation n'est calculée."
            )
        else:  # e.g. the last five quarters: 2023's 3 and 4 against 2024's 1 to 3
            why.append(
                f"Les données de {before} ne sont pas comparables à celles de {year} "
                "(trimestres ou flux manquants) : aucune variation n'est calculée."
            )
    blocks: list[Block] = []
    if sentences:
        blocks.append(
            _p(
                f"{intro} ; les phrases ci-dessous décrivent la variation entre "
                f"{before} et {year} et le pays qui y a le plus contribué."
            )
        )
        blocks += sentences
    else:
        blocks.append(_p(f"{intro}."))
    blocks += [Note(typo(text), "info") for text in why]
    blocks.append(
        Heading(typo(f"Évolution des échanges, {fiche.territory.name} ({span})"))
    )
    if "evolution" in fiche.stems():
        blocks.append(
            Figure(
                typo(f"Évolution des échanges, {fiche.territory.name}"),
                "evolution",
                typo(
                    f"Exportations, importations et solde {fiche.territory.of_name} "
                    f"{per}, {years[0]}–{years[-1]}, en millions d'euros."
                ),
                width=0.8,
            )
        )
    else:
        blocks.append(Note(typo("Aucune valeur annuelle à représenter."), "warning"))
    return Section("evolution", typo(f"Évolution {span}"), tuple(blocks))


def _exposure(fiche: Fiche) -> Section:
    code = fiche.partner
    who = partner_name(code)
    blocks: list[Block] = [
        _p(
            f"Cette partie mesure la part des échanges {fiche.territory.of_name} réalisée "
            f"avec {who}, et les produits exportés qui en dépendent le plus."
        ),
        *_sentences(*(exposure_sentence(fiche.facts, f) for f in ("export", "import"))),
        Heading(
            typo(
                f"Principaux produits exportés vers {who}, {fiche.territory.name} "
                f"({fiche.period})"
            )
        ),
    ]
    if "exposition" in fiche.stems():
        blocks.append(
            Figure(
                typo(f"Produits exportés vers {who}, {fiche.territory.name}"),
                "exposition",
                typo(
                    f"Valeur des principaux produits exportés vers {who}, en millions "
                    "d'euros, et part de chaque produit exportée vers ce pays."
                ),
            )
        )
        blocks.append(
            _p(
                "Clé de lecture : la barre donne la valeur exportée vers "
                f"{who} ; la colonne de droite, la part des exportations du produit qui "
                "y est destinée.",
                role="reading",
            )
        )
    else:
        blocks.append(
            Note(
                typo(
                    f"Aucune exportation {fiche.territory.of_name} vers {who} "
                    f"({fiche.period}) : ce graphique n'est pas tracé."
                ),
                "info",
            )
        )
    return Section("exposition", typo(_exposure_title(code)), tuple(blocks))


def _concentration(fiche: Fiche) -> Section:
    facts = fiche.facts
    blocks: list[Block] = [
        _p(
            "L'indice de Herfindahl-Hirschman mesure la concentration des échanges par pays "
            "(de 0 à 10 000 : en dessous de 1 500, peu concentrés ; au-delà de 2 500, très "
            "concentrés). Le quotient de localisation compare le poids d'un produit dans les "
            "échanges du territoire à son poids au niveau national."
        ),
        *_sentences(
            *(concentration_sentence(facts, f) for f in ("export", "import")),
            *(specialisation_sentence(facts, f) for f in ("export", "import")),
        ),
    ]
    if "position" in fiche.stems():
        rank = (facts.get("ranks") or {}).get("export_eur") or {}
        where = (
            f", {fiche.territory.name} au rang {rank['rank']} sur {rank['of']}"
            if rank.get("rank") is not None and rank.get("of") is not None
            else ""
        )
        blocks.append(
            Heading(typo(f"Exportations des départements{where} ({fiche.period})"))
        )
        blocks.append(
            Figure(
                typo(f"Position {fiche.territory.of_name} parmi les départements"),
                "position",
                typo(
                    "Exportations de chaque département ; celui "
                    f"{fiche.territory.of_name} est mis en évidence."
                ),
            )
        )
    return Section("concentration", "Concentration et spécialisation", tuple(blocks))


# ------------------------------------------------------------------ alt texts


def _alt_partners(fiche: Fiche) -> str:
    rows = fiche.partners.head(3)
    parts = [
        f"{r['name']} : exportations {_meur(r['export_eur'])} M€, importations "
        f"{_meur(r['import_eur'])} M€"
        for _, r in rows.iterrows()
        if {"name", "export_eur", "import_eur"} <= set(rows.columns)
    ]
    return typo(
        f"Principaux pays partenaires {fiche.territory.of_name}, en millions d'euros. "
        + " ; ".join(parts)
    )


def _alt_products(fiche: Fiche) -> str:
    return typo(
        f"Principales activités {fiche.territory.of_name} à l'import et à l'export : l'aire de "
        "chaque compartiment est proportionnelle à la part du produit dans son flux."
    )


def _alt_sankey(panel: object) -> str:
    from ._fiche import SankeyPanel

    assert isinstance(panel, SankeyPanel)
    noun = "exportations" if panel.flow == "export" else "importations"
    total = float(panel.links["value_eur"].sum()) if len(panel.links) else 0.0
    return typo(
        f"Diagramme des {noun} {panel.territory.of_name} par produit et par pays, total "
        f"{_meur(total)} M€ ; les cinq principaux flux sont mis en évidence."
    )


# --------------------------------------------------------------------- document


def build_document(fiche: Fiche) -> Document:
    """The fiche as one ordered document (sections and blocks).

    Parameters
    ----------
    fiche
        The fiche.

    Returns
    -------
    Document
        What the HTML page and the PDF both render.
    """
    words = Words(fiche.territory)
    sections = [
        _introduction(fiche),
        _territoires_industrie(fiche),
        _context(fiche),
        _balance(fiche, words),
        _activities(fiche, words),
        _flow_section(fiche, "export", words),
        _flow_section(fiche, "import", words),
        _evolution(fiche),
        _exposure(fiche),
        _concentration(fiche),
        _practical(fiche),
        _sources(fiche),
    ]
    o = fiche.overrides
    source = source_line(fictitious=fiche.fictitious)
    footer = (
        o.footer
        if o is not None and o.footer is not None
        else f"{TITLE} – {fiche.territory.name}, {fiche.period} – {source}"
    )
    return Document(
        title=typo(TITLE),
        subtitle=typo(fiche.subtitle),
        head=tuple(_head(fiche)),
        sections=tuple(s for s in sections if s is not None),
        footer=typo(footer),
        subject=typo(
            f"Commerce extérieur {fiche.territory.of_name} ({fiche.period}) : exportations, "
            "importations, pays partenaires et produits"
        ),
        keywords=("commerce extérieur", "DGDDI", fiche.territory.name, str(fiche.year)),
    )
