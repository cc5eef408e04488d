"""Territories: a département, a région, France, or a custom group of départements.

A :class:`Territory` is an immutable value that knows which rows of a
:class:`~frtrade.schemas.TradeFlows` table belong to it and which région is its
parent. Resolve one from what a user types::

    Territory.resolve("36")  # Indre
    Territory.resolve("Indre")
    Territory.region("24")  # INSEE code: Centre-Val de Loire
    Territory.region("04", scheme="dgddi")
    Territory.resolve("Centre-Val de Loire")
    Territory.france()
    Territory.group(["18", "36"], name="Territoire d'industrie Berry")

Rules
-----
- France is **every row** of the data, whatever its département code (Monaco
  ``99``, DROM ``9A``–``9E`` and unknown codes included).
- A DGDDI région selects the rows whose own région code is that région
  (DGDDI files carry it on every line); Monaco counts in Provence-Alpes-Côte
  d'Azur, the five DROM form DGDDI's région ``24``.
- An INSEE DROM région (``01`` Guadeloupe … ``06`` Mayotte) is its single
  département.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

import numpy as np

from frtrade import reference
from frtrade.errors import UnknownTerritoryError

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

__all__ = ["Level", "RegionInfo", "Territory"]

Level = Literal["departement", "region", "france", "group"]


@dataclass(frozen=True)
class RegionInfo:
    """Identity of a région: DGDDI code, INSEE code and name.

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
    for char in "-'’_":
        bare = bare.replace(char, " ")
    return " ".join(bare.lower().split())


@cache
def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return reference.departements(), reference.regions()


def _region_info(dgddi_code: str) -> RegionInfo:
    regions = _tables()[1].set_index("dgddi_code")
    row = regions.loc[dgddi_code]
    return RegionInfo(dgddi_code, str(row["insee_code"]), str(row["name"]))


@dataclass(frozen=True)
class Territory:
    """A territory whose trade can be measured.

    Attributes
    ----------
    level
        ``"departement"``, ``"region"``, ``"france"`` or ``"group"``.
    code
        DGDDI département code, DGDDI région code, ``"FR"``, or a group code
        (the sorted département codes joined by ``+``).
    name
        French display name.
    departements
        DGDDI codes of the départements it covers (empty for France and for
        a DGDDI région, which select rows by their région code).
    region_dgddi
        For a DGDDI région: its code (rows are selected on it).
    parent_region
        The région a share "of its région" refers to (``None`` for a région,
        France, or a group spanning several régions).
    """

    level: Level
    code: str
    name: str
    departements: tuple[str, ...] = ()
    region_dgddi: str | None = None
    parent_region: RegionInfo | None = None

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
            accents and case ignored).

        Returns
        -------
        Territory
            The département.

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
        >>> Territory.departement("2A").name
        'Corse'
        """
        deps = _tables()[0]
        text = query.strip()
        code = _departement_code(text, deps)
        if code is None:
            raise UnknownTerritoryError(query, _suggest(text, deps, _tables()[1]))
        row = deps.set_index("code").loc[code]
        region = str(row["region_dgddi"])
        return cls(
            "departement",
            code,
            str(row["name"]),
            departements=(code,),
            parent_region=_region_info(region),
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
            (``"Centre-Val de Loire"``, accents and case ignored).
        scheme
            Which coding a numeric code is in. The two overlap (``24`` is
            Centre-Val de Loire for INSEE, the DROM for DGDDI), hence no guess.

        Returns
        -------
        Territory
            The région.

        Raises
        ------
        UnknownTerritoryError
            With close matches as suggestions.

        Examples
        --------
        >>> Territory.region("24").name
        'Centre-Val de Loire'
        >>> Territory.region("04", scheme="dgddi").name
        'Centre-Val de Loire'
        >>> Territory.region("24", scheme="dgddi").name
        "Départements d'outre-mer"
        >>> Territory.region("04").name  # INSEE 04 is La Réunion
        'La Réunion'
        """
        deps, regions = _tables()
        text = query.strip()
        folded = _fold(text)
        column = "insee_code" if scheme == "insee" else "dgddi_code"
        match = regions[regions[column] == text.zfill(2)] if text.isdigit() else None
        if match is None or match.empty:
            match = regions[
                (regions["name"].map(_fold) == folded)
                | (regions["dgddi_label"].map(_fold) == folded)
            ]
        if not match.empty:
            dgddi = str(match.iloc[0]["dgddi_code"])
            return cls("region", dgddi, str(match.iloc[0]["name"]), region_dgddi=dgddi)
        if scheme == "insee" and text.isdigit():
            drom = deps[deps["insee_region"] == text.zfill(2)]
            if len(drom) == 1:
                code = str(drom.iloc[0]["code"])
                return cls(
                    "region",
                    f"R{text.zfill(2)}",
                    str(drom.iloc[0]["name"]),
                    departements=(code,),
                )
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
        members = sorted({cls.departement(d).code for d in departements})
        if not members:
            raise ValueError("a group needs at least one département")
        deps = _tables()[0].set_index("code")
        regions = {str(deps.loc[m, "region_dgddi"]) for m in members}
        parent = _region_info(regions.pop()) if len(regions) == 1 else None
        label = name or " + ".join(str(deps.loc[m, "name"]) for m in members)
        return cls(
            "group", "+".join(members), label, tuple(members), parent_region=parent
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
        >>> Territory.resolve("Centre-Val de Loire").level
        'region'
        >>> Territory.resolve("Indre").code
        '36'
        """
        text = query.strip()
        if _fold(text) in {"france", "fr", "france entiere"}:
            return cls.france()
        deps, regions = _tables()
        if _departement_code(text, deps) is not None:
            return cls.departement(text)
        folded = _fold(text)
        if (regions["name"].map(_fold) == folded).any() or (
            regions["dgddi_label"].map(_fold) == folded
        ).any():
            return cls.region(text)
        raise UnknownTerritoryError(query, _suggest(text, deps, regions))

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
        >>> Territory.resolve("36").parent().name
        'Centre-Val de Loire'
        """
        if self.parent_region is None:
            return None
        code = self.parent_region.dgddi_code
        return Territory("region", code, self.parent_region.name, region_dgddi=code)

    def to_dict(self) -> dict[str, object]:
        """Describe the territory with plain types (for JSON).

        Returns
        -------
        dict
            ``level``, ``code``, ``name``, ``departements`` and ``region``
            (``{"code": INSEE, "dgddi_code", "name"}`` or ``None``).

        Examples
        --------
        >>> Territory.resolve("36").to_dict()["region"]
        {'code': '24', 'dgddi_code': '04', 'name': 'Centre-Val de Loire'}
        """
        region = self.parent_region
        return {
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "departements": list(self.departements),
            "region": None
            if region is None
            else {
                "code": region.insee_code,
                "dgddi_code": region.dgddi_code,
                "name": region.name,
            },
        }

    @property
    def slug(self) -> str:
        """A file-name-safe identifier (``departement-36``, ``region-04``, ``france``).

        Examples
        --------
        >>> Territory.group(["18", "36"]).slug
        'groupe-18-36'
        """
        if self.level == "france":
            return "france"
        if self.level == "group":
            return "groupe-" + "-".join(self.departements)
        return f"{self.level}-{self.code}"


def _departement_code(text: str, deps: pd.DataFrame) -> str | None:
    codes = set(deps["code"])
    upper = text.upper()
    if upper in codes:
        return upper
    if upper.isdigit() and len(upper) == 1 and upper.zfill(2) in codes:
        return upper.zfill(2)
    if upper in {"2A", "2B"}:
        return "20"
    insee = deps[deps["insee_code"] == upper]
    if len(insee) == 1:
        return str(insee.iloc[0]["code"])
    folded = _fold(text)
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
