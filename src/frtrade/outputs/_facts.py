"""Headline figures read from a ``facts.json`` dict (schema 1 or 2)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from frtrade.indicators import OTHER, shares_basis
from frtrade.indicators import period_label as coverage_period_label

if TYPE_CHECKING:
    from collections.abc import Mapping

#: French word for each territory level.
LEVEL_FR = {
    "departement": "Département",
    "region": "Région",
    "france": "France",
    "group": "Groupe de départements",
}

Kind = Literal["text", "eur", "share"]

#: What a missing figure says (never 0).
NOT_AVAILABLE = "non disponible"


@dataclass(frozen=True)
class KeyFigure:
    """One line of the "Chiffres clés": a label, a value and how to show it."""

    key: str
    label: str
    value: str | float | None
    kind: Kind


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _on(block: Mapping[str, Any]) -> str:
    """`` (trimestres 1 et 2)`` after a share label when the shares cover fewer quarters."""
    basis = shares_basis(block)
    return f" ({basis})" if basis else ""


def period_label(facts: Mapping[str, Any]) -> str:
    """The French period of the facts (``"2024"``, ``"2024, trimestres 1 à 3"``)."""
    data = facts.get("data") or {}
    label = data.get("period_label")
    if isinstance(label, str) and label:
        return label
    quarters = tuple(int(q) for q in facts.get("quarters") or [])
    return coverage_period_label(facts.get("year"), quarters)  # type: ignore[arg-type]


def _top(rows: list[dict[str, Any]], column: str) -> str | None:
    best: tuple[float, str] | None = None
    for row in rows:
        value = _number(row.get(column))
        if row.get("code") == OTHER or value is None or value <= 0:
            continue
        if best is None or value > best[0]:
            best = (value, str(row.get("name") or row.get("code")))
    return None if best is None else best[1]


def key_figures(facts: Mapping[str, Any]) -> list[KeyFigure]:
    """The headline figures of a fiche, in display order.

    ``None`` stays ``None`` (shown as "non disponible", never 0).
    """
    territory = facts.get("territory") or {}
    export = facts.get("export") or {}
    imports = facts.get("import") or {}
    products = facts.get("products") or {}
    partners = list(facts.get("partners") or [])
    name = str(territory.get("name", ""))
    code = territory.get("code")
    level = str(territory.get("level", ""))
    return [
        KeyFigure("territory", "Territoire", name, "text"),
        KeyFigure("code", "Code", None if code is None else str(code), "text"),
        KeyFigure("level", "Niveau", LEVEL_FR.get(level, level), "text"),
        KeyFigure("period", "Période", period_label(facts), "text"),
        KeyFigure(
            "export", "Exportations (FAB, €)", _number(export.get("total_eur")), "eur"
        ),
        KeyFigure(
            "import", "Importations (CAF, €)", _number(imports.get("total_eur")), "eur"
        ),
        KeyFigure(
            "balance", "Solde commercial (€)", _number(facts.get("balance_eur")), "eur"
        ),
        KeyFigure(
            "coverage",
            "Taux de couverture",
            _number(facts.get("coverage_rate")),
            "share",
        ),
        KeyFigure(
            "export_share_region",
            f"Part des exportations de la région{_on(export)}",
            _number(export.get("share_of_region")),
            "share",
        ),
        KeyFigure(
            "export_share_france",
            f"Part des exportations de la France{_on(export)}",
            _number(export.get("share_of_france")),
            "share",
        ),
        KeyFigure(
            "import_share_region",
            f"Part des importations de la région{_on(imports)}",
            _number(imports.get("share_of_region")),
            "share",
        ),
        KeyFigure(
            "import_share_france",
            f"Part des importations de la France{_on(imports)}",
            _number(imports.get("share_of_france")),
            "share",
        ),
        KeyFigure("client", "Premier client", _top(partners, "export_eur"), "text"),
        KeyFigure(
            "supplier", "Premier fournisseur", _top(partners, "import_eur"), "text"
        ),
        KeyFigure(
            "export_product",
            "Premier produit exporté",
            _top(list(products.get("export") or []), "value_eur"),
            "text",
        ),
        KeyFigure(
            "import_product",
            "Premier produit importé",
            _top(list(products.get("import") or []), "value_eur"),
            "text",
        ),
    ]


def is_fictitious(facts: Mapping[str, Any]) -> bool:
    """True when the facts say their data are fictitious."""
    return bool((facts.get("data") or {}).get("fictitious"))
