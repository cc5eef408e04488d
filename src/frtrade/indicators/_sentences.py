"""French sentences on the issue 11 facts, in the publication's style."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from frtrade.formatting import format_meur, format_number, format_share
from frtrade.indicators._coverage import quarters_phrase

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "concentration_sentence",
    "evolution_sentence",
    "exposure_sentence",
    "specialisation_sentence",
]

Flow = Literal["export", "import"]

_FLOW_NOUN = {"export": "Les exportations", "import": "Les importations"}
_FLOW_LOWER = {"export": "exportations", "import": "importations"}

# Country names with their French article (the most frequent partners).
_WITH_ARTICLE = {
    "DE": "l'Allemagne",
    "US": "les États-Unis",
    "CN": "la Chine",
    "IT": "l'Italie",
    "BE": "la Belgique",
    "ES": "l'Espagne",
    "GB": "le Royaume-Uni",
    "NL": "les Pays-Bas",
    "CH": "la Suisse",
    "PL": "la Pologne",
    "JP": "le Japon",
    "SE": "la Suède",
    "AT": "l'Autriche",
    "PT": "le Portugal",
    "TR": "la Turquie",
    "IE": "l'Irlande",
    "KR": "la Corée du Sud",
    "IN": "l'Inde",
    "CZ": "la République tchèque",
    "DZ": "l'Algérie",
    "MA": "le Maroc",
    "TN": "la Tunisie",
    "CA": "le Canada",
    "BR": "le Brésil",
    "MX": "le Mexique",
    "NO": "la Norvège",
    "DK": "le Danemark",
    "FI": "la Finlande",
    "RO": "la Roumanie",
    "HU": "la Hongrie",
    "GR": "la Grèce",
    "SA": "l'Arabie saoudite",
    "AE": "les Émirats arabes unis",
    "VN": "le Viêt Nam",
    "RU": "la Russie",
    "LU": "le Luxembourg",
    "SK": "la Slovaquie",
    "TW": "Taïwan",
    "SG": "Singapour",
    "HK": "Hong Kong",
    "IL": "Israël",
    "AU": "l'Australie",
}
# "aux États-Unis", "en Chine", "au Japon": the partner after "vers".
_TO = {"US": "vers les États-Unis", "CN": "vers la Chine"}


def _partner(code: str, label: str) -> str:
    return _WITH_ARTICLE.get(code, label)


def _points(value: float) -> str:
    number = format_number(abs(value), 1)
    return f"{number} point" + ("s" if abs(value) >= 2 else "")


def evolution_sentence(facts: Mapping[str, Any], flow: Flow = "export") -> str | None:
    """One sentence on the change of a flow and its main partner contribution.

    Parameters
    ----------
    facts
        :func:`~frtrade.headline_facts` output.
    flow
        ``"export"`` or ``"import"``.

    Returns
    -------
    str or None
        ``"Les exportations ont progressé de 4,2 % en 2024 ; l'Allemagne y a
        contribué pour 1,8 point."``; for a year in progress (``quarters`` in
        the flow's block), ``"Les exportations des trimestres 1 à 3 de 2024
        ont progressé de 4,2 % par rapport aux mêmes trimestres de 2023 ; …"``;
        ``None`` when one year only is loaded or the change is unknown.

    Examples
    --------
    >>> facts = {
    ...     "year": 2024,
    ...     "evolution": {
    ...         "export": {
    ...             "change_pct": 0.042,
    ...             "contributions": {
    ...                 "partners": [
    ...                     {
    ...                         "code": "DE",
    ...                         "label": "Allemagne",
    ...                         "change_eur": 9.0,
    ...                         "contribution_pp": 1.8,
    ...                     }
    ...                 ]
    ...             },
    ...         }
    ...     },
    ... }
    >>> print(evolution_sentence(facts))
    Les exportations ont progressé de 4,2\u202f% en 2024 ; l'Allemagne y a contribué pour 1,8 point.
    >>> facts["evolution"]["export"]["quarters"] = [1, 2, 3]
    >>> print(evolution_sentence(facts))  # doctest: +NORMALIZE_WHITESPACE
    Les exportations des trimestres 1 à 3 de 2024 ont progressé de 4,2\u202f% par rapport
    aux mêmes trimestres de 2023 ; l'Allemagne y a contribué pour 1,8 point.
    """
    block = facts.get("evolution", {}).get(flow)
    if not block or block.get("change_pct") is None:
        return None
    pct = float(block["change_pct"])
    year = facts["year"]
    subject, when = _FLOW_NOUN[flow], f"en {year}"
    if block.get("quarters"):  # a year in progress, compared on its quarters only
        one = len(block["quarters"]) == 1
        subject += (
            f" {'du' if one else 'des'} {quarters_phrase(block['quarters'])} de {year}"
        )
        same = "au même trimestre" if one else "aux mêmes trimestres"
        when = f"par rapport {same} de {int(year) - 1}"
    if abs(pct) < 0.0005:
        return f"{subject} sont stables {when}."
    verb = "ont progressé" if pct > 0 else "ont reculé"
    sentence = f"{subject} {verb} de {format_share(abs(pct))} {when}"
    same_sign = [
        p
        for p in block.get("contributions", {}).get("partners", [])
        if p["code"] != "AUTRES"
        and p.get("contribution_pp") is not None
        and (p["contribution_pp"] > 0) == (pct > 0)
    ]
    if not same_sign:
        return sentence + "."
    top = max(same_sign, key=lambda p: abs(p["contribution_pp"]))
    who = _partner(top["code"], top["label"])
    verb = "ont" if who.startswith("les ") else "a"
    points = _points(top["contribution_pp"])
    return f"{sentence} ; {who} y {verb} contribué pour {points}."


def exposure_sentence(facts: Mapping[str, Any], flow: Flow = "export") -> str | None:
    """One sentence on the exposure of a flow to the facts' partner.

    Parameters
    ----------
    facts
        :func:`~frtrade.headline_facts` output.
    flow
        ``"export"`` or ``"import"``.

    Returns
    -------
    str or None
        ``"12,3 % des exportations (157,0 M€) vont vers les États-Unis ;
        premier produit : produits pharmaceutiques (45,0 %)."`` (the share is
        that of the product in the flow with the partner); ``None`` when the
        flow is unavailable.

    Examples
    --------
    >>> facts = {
    ...     "exposure": {
    ...         "partner": "US",
    ...         "export": {
    ...             "value_eur": 157e6,
    ...             "share": 0.123,
    ...             "products": [
    ...                 {
    ...                     "code": "C21Z",
    ...                     "label": "Produits pharmaceutiques",
    ...                     "share_of_partner": 0.45,
    ...                 }
    ...             ],
    ...         },
    ...     }
    ... }
    >>> print(exposure_sentence(facts))
    12,3\u202f% des exportations (157,0\u202fM€) vont vers les États-Unis ; premier produit : produits pharmaceutiques (45,0\u202f%).
    """  # noqa: E501
    exposure = facts.get("exposure", {})
    block = exposure.get(flow)
    if not block or block.get("share") is None:
        return None
    code = str(exposure.get("partner", "US"))
    where = _TO.get(code, "vers " + _partner(code, code))
    if flow == "import":
        # "de Chine", "d'Allemagne" (feminine names lose their article after
        # "de"), "du Japon", "des États-Unis"
        where = "de" + where.removeprefix("vers")
        where = where.replace("de les ", "des ").replace("de le ", "du ")
        where = where.replace("de la ", "de ").replace("de l'", "d'")
    verb = "vont" if flow == "export" else "viennent"
    sentence = (
        f"{format_share(block['share'])} des {_FLOW_LOWER[flow]} "
        f"({format_meur(block['value_eur'])}) {verb} {where}"
    )
    products = block.get("products") or []
    if not products:
        return sentence + "."
    top = products[0]
    return (
        f"{sentence} ; premier produit : {str(top['label']).lower()} "
        f"({format_share(top['share_of_partner'])})."
    )


def concentration_sentence(
    facts: Mapping[str, Any], flow: Flow = "export"
) -> str | None:
    """One sentence on the concentration of a flow's partners (HHI reading).

    Parameters
    ----------
    facts
        :func:`~frtrade.headline_facts` output.
    flow
        ``"export"`` or ``"import"``.

    Returns
    -------
    str or None
        The HHI with its usual reading (below 1 500 low, 1 500–2 500
        moderate, above 2 500 high) and ``n80_partners``.

    Examples
    --------
    >>> facts = {
    ...     "concentration": {
    ...         "export": {
    ...             "hhi_partners": 1234.5,
    ...             "hhi_products": 900.0,
    ...             "n80_partners": 9,
    ...         }
    ...     }
    ... }
    >>> print(concentration_sentence(facts))
    Les exportations sont peu concentrées par pays (indice de Herfindahl-Hirschman : 1\u202f234) : 9 pays en font 80\u202f%.
    """  # noqa: E501
    block = facts.get("concentration", {}).get(flow)
    if not block or block.get("hhi_partners") is None:
        return None
    hhi = float(block["hhi_partners"])
    reading = (
        "peu concentrées"
        if hhi < 1500
        else "moyennement concentrées"
        if hhi <= 2500
        else "très concentrées"
    )
    n80 = block.get("n80_partners")
    tail = "" if n80 is None else f" : {n80} pays en font {format_share(0.8, 0)}"
    return (
        f"{_FLOW_NOUN[flow]} sont {reading} par pays (indice de "
        f"Herfindahl-Hirschman : {format_number(hhi, 0)}){tail}."
    )


def specialisation_sentence(
    facts: Mapping[str, Any], flow: Flow = "export", *, min_share: float = 0.01
) -> str | None:
    """One sentence on the product in which the territory is most specialised.

    Parameters
    ----------
    facts
        :func:`~frtrade.headline_facts` output.
    flow
        ``"export"`` or ``"import"``.
    min_share
        Products below this share of the flow are not named (tiny products
        have erratic quotients).

    Returns
    -------
    str or None
        ``"Les produits pharmaceutiques pèsent 3,1 fois plus dans les
        exportations du territoire que dans celles de la France (12,0 %
        contre 3,9 %)."``

    Examples
    --------
    >>> facts = {
    ...     "specialisation": {
    ...         "export": [
    ...             {
    ...                 "code": "C21Z",
    ...                 "label": "Produits pharmaceutiques",
    ...                 "lq": 3.08,
    ...                 "share": 0.12,
    ...                 "share_france": 0.039,
    ...             }
    ...         ]
    ...     }
    ... }
    >>> print(specialisation_sentence(facts))
    Produits pharmaceutiques : 3,1 fois plus de poids dans les exportations du territoire que dans celles de la France (12,0\u202f% contre 3,9\u202f%).
    """  # noqa: E501
    rows = [
        r
        for r in facts.get("specialisation", {}).get(flow, [])
        if r.get("share") is not None and r["share"] >= min_share
    ]
    if not rows:
        return None
    top = max(rows, key=lambda r: (r["lq"], r["share"]))
    return (
        f"{top['label']} : {format_number(top['lq'], 1)} fois plus de poids dans "
        f"les {_FLOW_LOWER[flow]} du territoire que dans celles de la France "
        f"({format_share(top['share'])} contre {format_share(top['share_france'])})."
    )
