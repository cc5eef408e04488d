"""Territories: a département, a région, France, or a custom group of départements.

A :class:`Territory` is an immutable value that knows which rows of a
:class:`~frtrade.schemas.TradeFlows` table belong to it and which région is its
parent. Resolve one from what a user types::

    Territory.resolve("36")  # Indre
    Territory.resolve("Indre")
    Territory.region("24")  # INSEE code: Centre-Val de Loire
    Territory.region("La Réunion")
    Territory.region("04", scheme="dgddi")  # DGDDI code: Centre-Val de Loire
    Territory.resolve("Centre-Val de Loire")
    Territory.france()
    Territory.group(["18", "36"], name="Territoire d'industrie Berry")
    Territory.from_slug("region-24")

Rules
-----
- France is **every row** of the data, whatever its département code (Monaco
  ``99``, DROM ``9A``–``9E`` and unknown codes included).
- Everything a user sees speaks **INSEE** région codes: a région's
  :attr:`~Territory.code`, its slug (``region-24``) and its
  :meth:`~Territory.to_dict`. The DGDDI code is kept in
  :attr:`~Territory.region_dgddi` (and ``to_dict()["dgddi_code"]``), because
  the rows are selected on it: DGDDI files carry their own région code on
  every line, Monaco counts in Provence-Alpes-Côte d'Azur.
- DGDDI groups the five DROM in one région ``24`` ("Départements
  d'outre-mer"), which has no INSEE code: its code is ``"DOM"`` (slug
  ``region-DOM``). An INSEE DROM région (``01`` Guadeloupe … ``06`` Mayotte)
  is its single département.
- DGDDI publishes Corse as one département ``20``: ``2A``, ``2B``,
  "Corse-du-Sud" and "Haute-Corse" resolve to it, and the result carries a
  :attr:`~Territory.notice` saying so (the command line prints it).
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

import numpy as np

from frtrade import reference
from frtrade.errors import UnknownTerritoryError
from frtrade.formatting import join_fr

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

__all__ = ["CORSE_NOTICE", "Level", "RegionInfo", "Territory"]

Level = Literal["departement", "region", "france", "group"]

#: Code of DGDDI's région ``24`` (the five DROM together), which INSEE lacks.
DOM_CODE = "DOM"

#: Notice attached to a Corse resolved from ``2A``/``2B`` or their names.
CORSE_NOTICE = (
    "La DGDDI publie la Corse comme un seul département (20) : « {query} » "
    "désigne ici la Corse entière."
)

# Common abbreviations of région names (folded form -> INSEE code).
_REGION_ALIASES = {
    "paca": "93",
    "idf": "11",
    "aura": "84",
    "bfc": "27",
    "cvl": "24",
    "hdf": "32",
    "naq": "75",
    "occ": "76",
    "ges": "44",
    "nor": "28",
    "bre": "53",
    "pdl": "52",
}

_CORSE_NAMES = {"corse du sud", "haute corse", "2a", "2b"}


@dataclass(frozen=True)
class RegionInfo:
    """Identity of a région: DGDDI code, INSEE code and name.

    ``insee_code`` is empty for DGDDI's ``24`` "Départements d'outre-mer".

    Examples
    --------
    >>> Territory.resolve("36").parent_region
    RegionInfo(dgddi_code='04', insee_code='24', name='Centre-Val de Loire')
    """

    dgddi_code: str
    insee_code: str
    name: str


def _fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-light form for matching names."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    for char in "-'’‘_.,":
        bare = bare.replace(char, " ")
    return " ".join(bare.lower().split())


@cache
def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return reference.departements(), reference.regions()


@cache
def _region_rows() -> dict[str, dict[str, str]]:
    """DGDDI région code -> its reference row (strings)."""
    regions = _tables()[1]
    return {
        str(r["dgddi_code"]): {str(k): str(v) for k, v in r.items()}
        for r in regions.to_dict("records")
    }


@cache
def _departement_rows() -> dict[str, dict[str, str]]:
    """DGDDI département code -> its reference row (strings)."""
    deps = _tables()[0]
    return {
        str(r["code"]): {str(k): str(v) for k, v in r.items()}
        for r in deps.to_dict("records")
    }


@cache
def _drom_regions() -> dict[str, str]:
    """INSEE code of a single-département DROM région -> DGDDI département code."""
    metro = set(_tables()[1]["insee_code"])
    out: dict[str, str] = {}
    for code, row in _departement_rows().items():
        insee = row["insee_region"]
        if insee and insee not in metro:
            out[insee] = code
    return out


#: « de » before a name, by INSEE article type (TNCC, Code officiel géographique).
_OF_BY_TNCC = {
    "0": "de ",
    "1": "d'",
    "2": "du ",
    "3": "de la ",
    "4": "des ",
    "5": "de l'",
}
#: The article before a name, by INSEE article type.
_THE_BY_TNCC = {"0": "", "1": "", "2": "le ", "3": "la ", "4": "les ", "5": "l'"}


def _region_info(dgddi_code: str) -> RegionInfo:
    row = _region_rows()[dgddi_code]
    return RegionInfo(dgddi_code, row["insee_code"], row["name"])


def _region_code(dgddi_code: str) -> str:
    """The user-facing code of a DGDDI région (its INSEE code, or ``DOM``)."""
    return _region_rows()[dgddi_code]["insee_code"] or DOM_CODE


@dataclass(frozen=True)
class Territory:
    """A territory whose trade can be measured.

    Attributes
    ----------
    level
        ``"departement"``, ``"region"``, ``"france"`` or ``"group"``.
    code
        DGDDI département code (``"36"``, ``"9D"``), **INSEE** région code
        (``"24"``; ``"DOM"`` for DGDDI's overseas région), ``"FR"``, or a
        group code (the sorted département codes joined by ``+``).
    name
        French display name.
    departements
        DGDDI codes of the départements it covers (empty for France and for
        a région of DGDDI's files, which select rows by their région code).
    region_dgddi
        For a région of DGDDI's files: its DGDDI code (rows are selected on
        it; Centre-Val de Loire is ``"04"``).
    parent_region
        The région a share "of its région" refers to (``None`` for a région,
        France, or a group spanning several régions).
    notice
        A French sentence the user should read about how the query was
        understood (e.g. ``2A`` resolved to the whole of Corse), else
        ``None``. Not part of equality.
    """

    level: Level
    code: str
    name: str
    departements: tuple[str, ...] = ()
    region_dgddi: str | None = None
    parent_region: RegionInfo | None = None
    notice: str | None = field(default=None, compare=False, repr=False)

    # ------------------------------------------------------------ constructors

    @classmethod
    def france(cls) -> Territory:
        """France: every row of the data.

        Returns
        -------
        Territory
            The national territory.

        Examples
        --------
        >>> Territory.france().name
        'France'
        """
        return cls("france", "FR", "France")

    @classmethod
    def departement(cls, query: str) -> Territory:
        """A département by DGDDI code (``"36"``, ``"9D"``), INSEE code or name.

        Parameters
        ----------
        query
            Code (``"36"``, ``"6"``, ``"974"``, ``"2A"``) or name (``"Indre"``,
            accents, case, hyphens and apostrophes ignored).

        Returns
        -------
        Territory
            The département. ``2A``, ``2B``, "Corse-du-Sud" and "Haute-Corse"
            give Corse (``20``, as DGDDI publishes it) with a
            :attr:`notice`.

        Raises
        ------
        UnknownTerritoryError
            With close matches as suggestions.

        Examples
        --------
        >>> Territory.departement("indre").code
        '36'
        >>> Territory.departement("974").name
        'La Réunion'
        >>> corse = Territory.departement("2A")
        >>> corse.code, corse.name
        ('20', 'Corse')
        >>> print(corse.notice)
        La DGDDI publie la Corse comme un seul département (20) : « 2A » désigne ici la Corse entière.
        """  # noqa: E501
        deps = _tables()[0]
        text = query.strip()
        code = _departement_code(text, deps)
        if code is None:
            raise UnknownTerritoryError(query, _suggest(text, deps, _tables()[1]))
        territory = cls._departement_of(code)
        if code == "20" and _fold(text) in _CORSE_NAMES:
            return cls(
                territory.level,
                territory.code,
                territory.name,
                territory.departements,
                parent_region=territory.parent_region,
                notice=CORSE_NOTICE.format(query=text),
            )
        return territory

    @classmethod
    def _departement_of(cls, code: str) -> Territory:
        row = _departement_rows()[code]
        return cls(
            "departement",
            code,
            row["name"],
            departements=(code,),
            parent_region=_region_info(row["region_dgddi"]),
        )

    @classmethod
    def _region_of_dgddi(cls, dgddi_code: str) -> Territory:
        return cls(
            "region",
            _region_code(dgddi_code),
            _region_rows()[dgddi_code]["name"],
            region_dgddi=dgddi_code,
        )

    @classmethod
    def _drom_region(cls, insee_code: str) -> Territory:
        code = _drom_regions()[insee_code]
        return cls(
            "region",
            insee_code,
            _departement_rows()[code]["name"],
            departements=(code,),
        )

    @classmethod
    def region(
        cls, query: str, *, scheme: Literal["insee", "dgddi"] = "insee"
    ) -> Territory:
        """A région by code (INSEE by default, or DGDDI) or by name.

        Parameters
        ----------
        query
            ``"24"`` (INSEE) / ``"04"`` with ``scheme="dgddi"``, or a name
            (``"Centre-Val de Loire"``, ``"La Réunion"``, ``"Réunion"``,
            ``"provence alpes cote d azur"``: accents, case, hyphens and
            apostrophes ignored; the DGDDI spellings, the ISO 3166-2 codes
            ``FR-CVL`` and common abbreviations such as ``PACA`` too).
        scheme
            Which coding a numeric code is in. The two overlap (``24`` is
            Centre-Val de Loire for INSEE, the DROM for DGDDI), hence no guess.

        Returns
        -------
        Territory
            The région; its :attr:`code` is the INSEE code.

        Raises
        ------
        UnknownTerritoryError
            With close matches as suggestions.

        Examples
        --------
        >>> Territory.region("24").name
        'Centre-Val de Loire'
        >>> Territory.region("04", scheme="dgddi").code
        '24'
        >>> Territory.region("24", scheme="dgddi").name
        "Départements d'outre-mer"
        >>> Territory.region("04").name  # INSEE 04 is La Réunion
        'La Réunion'
        >>> Territory.region("provence alpes cote d azur").code
        '93'
        """
        text = query.strip()
        found = _region_lookup(text, scheme)
        if found is not None:
            kind, code = found
            if kind == "dgddi":
                return cls._region_of_dgddi(code)
            return cls._drom_region(code)
        deps, regions = _tables()
        raise UnknownTerritoryError(
            query, _suggest(text, deps, regions, regions_only=True)
        )

    @classmethod
    def group(
        cls, departements: Iterable[str], *, name: str | None = None
    ) -> Territory:
        """A custom group of départements (e.g. a Territoire d'industrie).

        Parameters
        ----------
        departements
            Département codes or names.
        name
            Display name (default: the départements' names joined).

        Returns
        -------
        Territory
            The group; its parent région is the common région, if any.

        Raises
        ------
        UnknownTerritoryError
            When a member is unknown.
        ValueError
            When the group is empty.

        Examples
        --------
        >>> g = Territory.group(["36", "Cher"], name="Berry")
        >>> g.code, g.departements, g.parent_region.name
        ('18+36', ('18', '36'), 'Centre-Val de Loire')
        """
        resolved = [cls.departement(d) for d in departements]
        members = sorted({t.code for t in resolved})
        if not members:
            raise ValueError("a group needs at least one département")
        rows = _departement_rows()
        regions = {rows[m]["region_dgddi"] for m in members}
        parent = _region_info(regions.pop()) if len(regions) == 1 else None
        label = name or " + ".join(rows[m]["name"] for m in members)
        notices = [t.notice for t in resolved if t.notice]
        return cls(
            "group",
            "+".join(members),
            label,
            tuple(members),
            parent_region=parent,
            notice=notices[0] if notices else None,
        )

    @classmethod
    def resolve(cls, query: str) -> Territory:
        """Resolve what a user typed: a département, a région name, or France.

        Numeric codes are read as départements (use :meth:`region` for
        région codes); names are looked up among départements, then régions.

        Parameters
        ----------
        query
            ``"36"``, ``"Indre"``, ``"Centre-Val de Loire"``, ``"France"``.

        Returns
        -------
        Territory
            The territory.

        Raises
        ------
        UnknownTerritoryError
            With close matches as suggestions.

        Examples
        --------
        >>> Territory.resolve("Centre-Val de Loire").code
        '24'
        >>> Territory.resolve("Indre").code
        '36'
        """
        text = query.strip()
        if _fold(text) in {"france", "fr", "france entiere"}:
            return cls.france()
        deps, regions = _tables()
        if _departement_code(text, deps) is not None:
            return cls.departement(text)
        if not text.isdigit() and _region_lookup(text, "insee") is not None:
            return cls.region(text)
        raise UnknownTerritoryError(query, _suggest(text, deps, regions))

    @classmethod
    def from_slug(cls, slug: str) -> Territory:
        """The territory of a slug: the exact inverse of :attr:`slug`.

        Parameters
        ----------
        slug
            ``departement-36``, ``region-24`` (INSEE), ``region-DOM``,
            ``france`` or ``groupe-18-36``.

        Returns
        -------
        Territory
            The territory (a group gets its default name: the slug does not
            carry a custom one).

        Raises
        ------
        UnknownTerritoryError
            For anything that is not exactly the slug of a territory
            (``region-4``, ``departement-indre``, an unknown code...).

        Examples
        --------
        >>> Territory.from_slug("region-24").name
        'Centre-Val de Loire'
        >>> Territory.from_slug("groupe-18-36").code
        '18+36'
        >>> t = Territory.region("La Réunion")
        >>> Territory.from_slug(t.slug) == t
        True
        """
        territory: Territory | None = None
        kind, sep, rest = slug.partition("-")
        rows = _departement_rows()
        if slug == "france":
            territory = cls.france()
        elif sep and kind == "departement" and rest in rows:
            territory = cls._departement_of(rest)
        elif sep and kind == "region":
            territory = _region_by_code(rest)
        elif sep and kind == "groupe":
            members = rest.split("-")
            if all(m in rows for m in members):
                territory = cls.group(members)
        if territory is None or territory.slug != slug:
            raise UnknownTerritoryError(slug, [])
        return territory

    @classmethod
    def catalogue(cls) -> list[Territory]:
        """Every territory frtrade knows by name: départements, régions, France.

        Returns
        -------
        list[Territory]
            Départements (reference order), then the régions (metropolitan
            and Corse by INSEE code, the five DROM régions, DGDDI's ``DOM``),
            then France.

        Examples
        --------
        >>> every = Territory.catalogue()
        >>> len(every), every[-1].name
        (121, 'France')
        >>> sum(t.level == "region" for t in every)
        19
        """
        deps = [cls._departement_of(code) for code in _departement_rows()]
        metro = sorted(
            (cls._region_of_dgddi(code) for code in _region_rows()),
            key=lambda t: (t.code == DOM_CODE, t.code),
        )
        drom = [cls._drom_region(code) for code in sorted(_drom_regions())]
        regions = [t for t in metro if t.code != DOM_CODE]
        regions += drom + [t for t in metro if t.code == DOM_CODE]
        return [*deps, *regions, cls.france()]

    # ------------------------------------------------------------ behaviour

    def mask(self, flows: pd.DataFrame) -> np.ndarray:
        """Boolean array selecting this territory's rows of a TradeFlows table.

        Parameters
        ----------
        flows
            A :class:`~frtrade.schemas.TradeFlows` table.

        Returns
        -------
        numpy.ndarray
            One boolean per row.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> int(Territory.resolve("36").mask(tiny_trade_flows()).sum())
        5
        """
        if self.level == "france":
            return np.ones(len(flows), dtype=bool)
        if self.region_dgddi is not None:
            return np.asarray(flows["region"] == self.region_dgddi, dtype=bool)
        return np.asarray(flows["departement"].isin(self.departements), dtype=bool)

    def parent(self) -> Territory | None:
        """The parent région as a territory (``None`` when there is none).

        Returns
        -------
        Territory or None
            The région a share "of its région" is computed against.

        Examples
        --------
        >>> Territory.resolve("36").parent().code
        '24'
        """
        if self.parent_region is None:
            return None
        return Territory._region_of_dgddi(self.parent_region.dgddi_code)

    def to_dict(self) -> dict[str, object]:
        """Describe the territory with plain types (for JSON).

        Returns
        -------
        dict
            ``level``, ``code`` (INSEE for a région), ``name``,
            ``departements`` and ``region`` (the parent:
            ``{"code": INSEE, "dgddi_code", "name"}`` or ``None``); a région
            also has ``dgddi_code`` (its DGDDI code, ``None`` for a DROM
            région, which DGDDI does not publish separately).

        Examples
        --------
        >>> Territory.resolve("36").to_dict()["region"]
        {'code': '24', 'dgddi_code': '04', 'name': 'Centre-Val de Loire'}
        >>> d = Territory.region("24").to_dict()
        >>> d["code"], d["dgddi_code"]
        ('24', '04')
        """
        region = self.parent_region
        out: dict[str, object] = {
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "departements": list(self.departements),
            "region": None
            if region is None
            else {
                "code": region.insee_code or DOM_CODE,
                "dgddi_code": region.dgddi_code,
                "name": region.name,
            },
        }
        if self.level == "region":
            out["dgddi_code"] = self.region_dgddi
        return out

    @property
    def slug(self) -> str:
        """A file-name-safe identifier.

        ``departement-36``, ``region-24`` (INSEE code), ``region-DOM``,
        ``france``, ``groupe-18-36``; :meth:`from_slug` reads it back.

        Examples
        --------
        >>> Territory.group(["18", "36"]).slug
        'groupe-18-36'
        >>> Territory.region("Centre-Val de Loire").slug
        'region-24'
        """
        if self.level == "france":
            return "france"
        if self.level == "group":
            return "groupe-" + "-".join(self.departements)
        return f"{self.level}-{self.code}"

    @property
    def of_name(self) -> str:
        """The name after « de », with its article: « de l'Indre », « du Cher ».

        From INSEE's article type of each département and région name
        (``tncc`` of :func:`frtrade.reference.departements`); France reads
        « de la France »; a group's own name only elides before a vowel.

        Examples
        --------
        >>> Territory.resolve("36").of_name, Territory.resolve("13").of_name
        ("de l'Indre", 'des Bouches-du-Rhône')
        >>> Territory.resolve("75").of_name, Territory.region("24").of_name
        ('de Paris', 'du Centre-Val de Loire')
        >>> Territory.france().of_name, Territory.group(["18", "36"]).of_name
        ('de la France', "du Cher et de l'Indre")
        >>> (
        ...     Territory.region("DOM").of_name,
        ...     Territory.group(["36"], name="Berry").of_name,
        ... )
        ("des départements d'outre-mer", 'de Berry')
        """
        members = self._members(_OF_BY_TNCC)
        if members is not None:
            return members
        tncc = self._tncc()
        if tncc in _OF_BY_TNCC:
            return _OF_BY_TNCC[tncc] + self._after_article()
        vowel = self.name[:1].lower() in "aeiouyéèêîïôûâ"
        return ("d'" if vowel else "de ") + self.name

    @property
    def name_with_article(self) -> str:
        """The name with its article, as after « pour »: « l'Indre », « le Cher ».

        From INSEE's article types, as :attr:`of_name`; a group's name as it is.

        Examples
        --------
        >>> Territory.resolve("36").name_with_article
        "l'Indre"
        >>> (
        ...     Territory.resolve("75").name_with_article,
        ...     Territory.france().name_with_article,
        ... )
        ('Paris', 'la France')
        >>> Territory.group(["18", "36"]).name_with_article
        "le Cher et l'Indre"
        """
        members = self._members(_THE_BY_TNCC)
        if members is not None:
            return members
        article = _THE_BY_TNCC.get(self._tncc(), "")
        return article + (self._after_article() if article else self.name)

    def _after_article(self) -> str:
        """The name as it reads after an article: « des départements d'outre-mer »."""
        if self.level == "region" and self.code == DOM_CODE:
            return self.name[:1].lower() + self.name[1:]  # a common noun, not a name
        return self.name

    def _members(self, articles: dict[str, str]) -> str | None:
        """A group under its default name, member by member with their articles.

        « du Cher et de l'Indre » rather than « de Cher + Indre »; ``None`` for
        anything else (a group named by its user keeps its name).
        """
        if self.level != "group":
            return None
        rows = _departement_rows()
        if self.name != " + ".join(rows[m]["name"] for m in self.departements):
            return None
        return join_fr(
            [
                articles.get(rows[m].get("tncc", ""), articles["0"]) + rows[m]["name"]
                for m in self.departements
            ]
        )

    def _tncc(self) -> str:
        """INSEE's article type of the name ("" for a group)."""
        if self.level == "france":
            return "3"
        if self.level == "departement":
            return _departement_rows()[self.code].get("tncc", "")
        if self.level == "region" and self.region_dgddi is not None:
            return _region_rows()[self.region_dgddi].get("tncc", "")
        return ""

    @property
    def kind_fr(self) -> str:
        """The kind of territory, in French.

        Examples
        --------
        >>> Territory.resolve("36").kind_fr
        'département'
        """
        return {
            "departement": "département",
            "region": "région",
            "france": "pays",
            "group": "groupe de départements",
        }[self.level]

    def _repr_html_(self) -> str:
        """A small table for Jupyter.

        Examples
        --------
        >>> "<th>Code</th><td>24</td>" in Territory.region("24")._repr_html_()
        True
        """
        rows: list[tuple[str, str]] = [
            ("Type", self.kind_fr),
            ("Code", self.code),
            ("Identifiant", self.slug),
        ]
        if self.level == "region":
            rows.append(("Code DGDDI", self.region_dgddi or "—"))
        if self.parent_region is not None:
            parent = self.parent_region
            code = parent.insee_code or DOM_CODE
            rows.append(("Région", f"{parent.name} ({code})"))
        if self.departements and self.level != "departement":
            rows.append(("Départements", ", ".join(self.departements)))
        if self.notice:
            rows.append(("Note", self.notice))
        body = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return (
            '<table class="frtrade-territory" style="text-align:left">'
            '<caption style="text-align:left;font-weight:bold">'
            f"{html.escape(self.name)}</caption>{body}</table>"
        )


def _region_by_code(code: str) -> Territory | None:
    """The région of a user-facing code (INSEE, or ``DOM``), else None."""
    if code == DOM_CODE:
        return Territory._region_of_dgddi(_dom_dgddi_code())
    for dgddi, row in _region_rows().items():
        if row["insee_code"] == code:
            return Territory._region_of_dgddi(dgddi)
    if code in _drom_regions():
        return Territory._drom_region(code)
    return None


def _dom_dgddi_code() -> str:
    return next(c for c, row in _region_rows().items() if not row["insee_code"])


def _region_lookup(text: str, scheme: str) -> tuple[str, str] | None:
    """("dgddi", DGDDI région code) or ("drom", INSEE code), else None."""
    if re.fullmatch(r"\d{1,2}", text):
        return _region_by_number(text.zfill(2), scheme)
    folded = _fold(text)
    if not folded:
        return None
    if folded == _fold(DOM_CODE):
        return ("dgddi", _dom_dgddi_code())
    found = _region_by_name(folded)
    if found is None and folded in _REGION_ALIASES:
        found = _region_by_number(_REGION_ALIASES[folded], "insee")
    return found


def _region_by_number(code: str, scheme: str) -> tuple[str, str] | None:
    rows = _region_rows()
    if scheme == "dgddi":
        return ("dgddi", code) if code in rows else None
    matches = [dgddi for dgddi, row in rows.items() if row["insee_code"] == code]
    if matches:
        return ("dgddi", matches[0])
    return ("drom", code) if code in _drom_regions() else None


def _region_by_name(folded: str) -> tuple[str, str] | None:
    for dgddi, row in _region_rows().items():
        iso = _fold(row["iso_3166_2"])
        names = {_fold(row["name"]), _fold(row["dgddi_label"])}
        if folded in names or (iso and folded in {iso, iso.removeprefix("fr ")}):
            return ("dgddi", dgddi)
    for insee, dep in _drom_regions().items():
        row = _departement_rows()[dep]
        if folded in {_fold(row["name"]), _fold(row["dgddi_label"])}:
            return ("drom", insee)
    return None


def _departement_code(text: str, deps: pd.DataFrame) -> str | None:
    codes = set(deps["code"])
    upper = text.upper()
    if upper in codes:
        return upper
    if upper.isdigit() and len(upper) == 1 and upper.zfill(2) in codes:
        return upper.zfill(2)
    folded = _fold(text)
    if folded in _CORSE_NAMES:
        return "20"
    insee = deps[deps["insee_code"] == upper]
    if len(insee) == 1:
        return str(insee.iloc[0]["code"])
    by_name = deps[
        (deps["name"].map(_fold) == folded) | (deps["dgddi_label"].map(_fold) == folded)
    ]
    if len(by_name) == 1:
        return str(by_name.iloc[0]["code"])
    return None


def _suggest(
    text: str, deps: pd.DataFrame, regions: pd.DataFrame, *, regions_only: bool = False
) -> list[str]:
    candidates: dict[str, str] = {}
    if not regions_only:
        for row in deps.itertuples():
            candidates[_fold(str(row.name))] = f"{row.code} {row.name}"
    for row in regions.itertuples():
        candidates[_fold(str(row.name))] = f"{row.name} (région)"
    folded = _fold(text)
    close = difflib.get_close_matches(folded, list(candidates), n=3, cutoff=0.6)
    if not close:  # a prefix or substring is a strong hint too
        close = [c for c in candidates if folded and folded in c][:3]
    return [candidates[c] for c in close]
