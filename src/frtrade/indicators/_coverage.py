"""Which flows and quarters the data hold for a territory and a year (contract C2)."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from frtrade.formatting import join_fr
from frtrade.indicators._core import _year
from frtrade.schemas import FLOWS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    import pandas as pd

    from frtrade.territories import Territory

__all__ = ["Coverage", "data_coverage", "period_label"]

_FLOW_FR = {"export": "d'exportation", "import": "d'importation"}


def quarters_phrase(quarters: Iterable[int]) -> str:
    """Quarters in French, as the fiche writes them.

    Parameters
    ----------
    quarters
        One or more quarters (any order).

    Returns
    -------
    str
        ``"trimestre 2"``, ``"trimestres 1 et 2"``, ``"trimestres 1 à 3"``,
        ``"trimestres 1, 3 et 4"``.

    Examples
    --------
    >>> quarters_phrase([2, 1]), quarters_phrase((1, 2, 3)), quarters_phrase([4])
    ('trimestres 1 et 2', 'trimestres 1 à 3', 'trimestre 4')
    """
    return _quarters_fr(tuple(sorted(set(quarters))))


def _quarters_fr(quarters: tuple[int, ...]) -> str:
    if len(quarters) == 1:
        return f"trimestre {quarters[0]}"
    if len(quarters) > 2 and list(quarters) == list(
        range(quarters[0], quarters[-1] + 1)
    ):
        return f"trimestres {quarters[0]} à {quarters[-1]}"
    return "trimestres " + join_fr([str(q) for q in quarters])


def period_label(year: int, quarters: tuple[int, ...]) -> str:
    """The French label of a period: a full year or some of its quarters.

    Parameters
    ----------
    year
        The year.
    quarters
        Quarters present (any order; empty or all four = the whole year).

    Returns
    -------
    str
        ``"2024"``, ``"2024, trimestres 1 à 3"``, ``"2024, trimestre 1"``,
        ``"2024, trimestres 1, 3 et 4"``.

    Examples
    --------
    >>> period_label(2024, (1, 2, 3)), period_label(2024, (2,))
    ('2024, trimestres 1 à 3', '2024, trimestre 2')
    """
    qs = tuple(sorted(set(quarters)))
    if not qs or qs == (1, 2, 3, 4):
        return str(year)
    return f"{year}, {_quarters_fr(qs)}"


def shares_basis(block: Mapping[str, Any]) -> str:
    """The quarters a flow's shares are computed on, when they are not the région's.

    Parameters
    ----------
    block
        A flow block of :func:`~frtrade.indicators.headline_facts`.

    Returns
    -------
    str
        ``"trimestres 1 et 2"`` when the block has ``shares_quarters`` (the
        région or France has data for more quarters than the territory, so the
        shares compare the territory's quarters only), else ``""``.

    Examples
    --------
    >>> shares_basis({"share_of_region": 1.0, "shares_quarters": [1, 2]})
    'trimestres 1 et 2'
    >>> shares_basis({"share_of_region": 0.5})
    ''
    """
    quarters = block.get("shares_quarters")
    if not quarters:
        return ""
    return quarters_phrase(int(q) for q in quarters)


@dataclass(frozen=True)
class Coverage:
    """What the data hold for one territory and one year.

    Attributes
    ----------
    year
        The year (the latest of the data unless chosen).
    quarters
        Flow -> quarters with rows for this territory (ascending).
    available
        Flow -> whether the territory has any row of that flow in the year.
    complete
        Both flows available, with four quarters each.
    period_label
        French period: ``"2024"``, ``"2024, trimestres 1 à 3"``…
    notes
        French sentences to print beside the figures (empty when complete).
    quarters_filter
        The quarters the caller kept (e.g. the command line's ``--quarters``),
        else ``None``: the notes then speak of those quarters, not the year.
    """

    year: int
    quarters: dict[str, tuple[int, ...]] = field(default_factory=dict)
    available: dict[str, bool] = field(default_factory=dict)
    complete: bool = False
    period_label: str = ""
    notes: tuple[str, ...] = ()
    quarters_filter: tuple[int, ...] | None = None

    @property
    def balanced(self) -> bool:
        """Whether a balance can be drawn: both flows held, in the same quarters.

        Exports of quarters 1 to 3 less imports of quarters 1 and 2 would be
        a number of no period: the balance, the coverage rate and each
        partner's balance are then unknown (``None`` in the facts), and a
        note says why.

        Examples
        --------
        >>> both = {"export": True, "import": True}
        >>> Coverage(2024, {"export": (1, 2, 3), "import": (1, 2)}, both).balanced
        False
        >>> Coverage(2024, {"export": (1, 2), "import": (1, 2)}, both).balanced
        True
        """
        return (
            all(self.available.get(f, False) for f in FLOWS)
            and len({self.quarters.get(f, ()) for f in FLOWS}) == 1
        )

    def _repr_html_(self) -> str:
        """A small French table for Jupyter."""
        return _coverage_html(self)

    def to_dict(self) -> dict[str, object]:
        """The ``facts["data"]`` keys of this coverage (JSON-ready).

        Returns
        -------
        dict
            ``coverage`` (flow -> ``available``, ``quarters``), ``complete``,
            ``period_label``, ``notes``, ``balanced`` (see :attr:`balanced`),
            and ``quarters_filter`` when set.

        Examples
        --------
        >>> c = Coverage(
        ...     2024,
        ...     {"export": (1,), "import": ()},
        ...     {"export": True, "import": False},
        ...     False,
        ...     "2024, trimestre 1",
        ... )
        >>> c.to_dict()["coverage"]["import"]
        {'available': False, 'quarters': []}
        """
        out: dict[str, object] = {
            "coverage": {
                flow: {
                    "available": bool(self.available.get(flow, False)),
                    "quarters": list(self.quarters.get(flow, ())),
                }
                for flow in FLOWS
            },
            "complete": self.complete,
            "period_label": self.period_label,
            "notes": list(self.notes),
            "balanced": self.balanced,
        }
        if self.quarters_filter is not None:
            out["quarters_filter"] = list(self.quarters_filter)
        return out


def _coverage_html(coverage: Coverage) -> str:
    from html import escape

    names = {"export": "Exportations", "import": "Importations"}
    rows = "".join(
        f"<tr><td>{names[flow]}</td>"
        f"<td>{'oui' if coverage.available.get(flow) else 'non'}</td>"
        f"<td>{escape(', '.join(str(q) for q in coverage.quarters.get(flow, ())) or '—')}"
        "</td></tr>"
        for flow in FLOWS
    )
    notes = "".join(f"<li>{escape(n)}</li>" for n in coverage.notes)
    state = "complètes" if coverage.complete else "incomplètes"
    return (
        f"<div><strong>Données {escape(coverage.period_label)}</strong> ({state})"
        "<table><thead><tr><th>Flux</th><th>Disponible</th><th>Trimestres</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
        + (f"<ul>{notes}</ul>" if notes else "")
        + "</div>"
    )


def data_coverage(
    flows: pd.DataFrame,
    territory: Territory,
    *,
    year: int | None = None,
    quarters_filter: Sequence[int] | None = None,
) -> Coverage:
    """Which flows and quarters the data hold for a territory in a year.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    territory
        The territory.
    year
        The year (default: the latest year of the data).
    quarters_filter
        The quarters ``flows`` were restricted to by the caller (the command
        line's ``--quarters``): a missing flow is then missing « au trimestre
        3 de 2024 », not in the whole year, and a flow is partial only when
        it lacks some of these quarters.

    Returns
    -------
    Coverage
        Quarters and availability per flow, completeness, the French period
        label and notes. A flow with no row is *unavailable*: its figures are
        unknown, never zero.

    Raises
    ------
    YearNotAvailableError
        When ``year`` is not in the data.
    ValueError
        When ``quarters_filter`` is set and the rows hold another quarter
        (see :func:`~frtrade.indicators.check_quarters_filter`).

    Examples
    --------
    >>> from frtrade.territories import Territory
    >>> from frtrade.testing import tiny_trade_flows
    >>> flows = tiny_trade_flows()
    >>> c = data_coverage(flows[flows.flow == "export"], Territory.resolve("36"))
    >>> c.available, c.period_label
    ({'export': True, 'import': False}, '2024, trimestres 1 et 2')
    >>> c.notes[-1]
    "Aucune donnée d'importation pour l'Indre en 2024."
    >>> "<strong>Données 2024, trimestres 1 et 2</strong>" in c._repr_html_()
    True

    Rows kept for quarter 3 only, where Indre exports nothing:

    >>> q3 = flows[(flows.quarter == 3)]
    >>> c = data_coverage(q3, Territory.resolve("36"), quarters_filter=[3])
    >>> c.period_label, c.notes[0]
    ('2024, trimestre 3', "Aucune donnée d'exportation pour l'Indre au trimestre 3 de 2024.")
    """
    y = _year(flows, year)
    check_quarters_filter(flows, quarters_filter)
    keep = territory.mask(flows) & (flows["year"].to_numpy() == y)
    sub = flows.loc[keep, ["flow", "quarter"]]
    pairs = sub.groupby(["flow", "quarter"], observed=True).size().index
    quarters: dict[str, tuple[int, ...]] = {
        flow: tuple(sorted(int(q) for f, q in pairs if str(f) == flow))
        for flow in FLOWS
    }
    available = {flow: bool(quarters[flow]) for flow in FLOWS}
    complete = all(quarters[f] == (1, 2, 3, 4) for f in FLOWS)
    union = tuple(sorted({q for f in FLOWS for q in quarters[f]}))
    kept = (
        (1, 2, 3, 4) if quarters_filter is None else tuple(sorted(set(quarters_filter)))
    )
    notes: list[str] = []
    for flow in FLOWS:
        if not available[flow]:
            notes.append(
                f"Aucune donnée {_FLOW_FR[flow]} pour {territory.name_with_article} "
                f"{period_phrase(y, kept)}."
            )
        elif quarters[flow] != kept:
            notes.append(
                f"Données {_FLOW_FR[flow]} limitées {_in(quarters[flow])} de {y}."
            )
    if all(available.values()) and quarters["export"] != quarters["import"]:
        notes.append(
            "Solde commercial et taux de couverture non calculés : les exportations "
            f"couvrent {_the_quarters(quarters['export'])} de {y}, les importations "
            f"{_the_quarters(quarters['import'])}."
        )
    return Coverage(
        year=y,
        quarters=quarters,
        available=available,
        complete=complete,
        period_label=period_label(y, union or kept),
        notes=tuple(notes),
        quarters_filter=None if quarters_filter is None else kept,
    )


def check_quarters_filter(
    flows: pd.DataFrame, quarters_filter: Sequence[int] | None
) -> None:
    """Check that ``flows`` hold only the quarters ``quarters_filter`` names.

    A fiche built with ``quarters_filter`` says its figures are those of these
    quarters (« au trimestre 3 de 2024 »): rows of another quarter would be
    counted under a false period, so they are an error, not a note.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    quarters_filter
        The quarters the rows were restricted to (``None``: no filter,
        nothing to check).

    Raises
    ------
    ValueError
        When ``quarters_filter`` is empty or names anything but the integers
        1 to 4, or when ``flows`` hold rows of another quarter.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> flows = tiny_trade_flows()
    >>> check_quarters_filter(flows[flows.quarter == 3], [3])
    >>> check_quarters_filter(flows, [3])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: quarters_filter=[3] but the rows hold quarters 1, 2, 4 too: keep only ...
    """
    import pandas as pd

    if quarters_filter is None:
        return
    given = list(quarters_filter)
    integers = all(
        not isinstance(q, bool) and isinstance(q, numbers.Integral) for q in given
    )
    kept = sorted({int(q) for q in given}) if integers else []
    if not kept or not set(kept) <= {1, 2, 3, 4}:
        raise ValueError(f"quarters_filter must name quarters 1 to 4, got {given}")
    present = {int(q) for q in pd.unique(flows["quarter"].to_numpy())}
    others = sorted(present - set(kept))
    if others:
        raise ValueError(
            f"quarters_filter={kept} but the rows hold {_quarters_en(others)} too: "
            f"keep only the rows of {_quarters_en(kept)} "
            f'(flows[flows["quarter"].isin({kept})]) or drop quarters_filter'
        )


def _quarters_en(quarters: list[int]) -> str:
    """« quarter 3 », « quarters 1, 2 » (for error messages)."""
    word = "quarters" if len(quarters) > 1 else "quarter"
    return f"{word} {', '.join(map(str, quarters))}"


def period_phrase(year: int, quarters: Iterable[int] | None = None) -> str:
    """« en 2024 », or « au trimestre 3 de 2024 » for some of its quarters.

    Parameters
    ----------
    year
        The year.
    quarters
        The quarters kept (``None`` or all four: the whole year).

    Returns
    -------
    str
        The phrase, to end « Aucune donnée … pour l'Indre ».

    Examples
    --------
    >>> period_phrase(2024), period_phrase(2024, [3]), period_phrase(2024, (1, 2))
    ('en 2024', 'au trimestre 3 de 2024', 'aux trimestres 1 et 2 de 2024')
    """
    kept = (1, 2, 3, 4) if quarters is None else tuple(sorted(set(quarters)))
    return f"en {year}" if kept == (1, 2, 3, 4) else f"{_in(kept)} de {year}"


def _in(quarters: tuple[int, ...]) -> str:
    """« au trimestre 3 », « aux trimestres 1 et 2 »."""
    return f"{'au' if len(quarters) == 1 else 'aux'} {_quarters_fr(quarters)}"


def _the_quarters(quarters: tuple[int, ...]) -> str:
    """« le trimestre 3 », « les trimestres 1 et 2 »."""
    return f"{'le' if len(quarters) == 1 else 'les'} {_quarters_fr(quarters)}"
