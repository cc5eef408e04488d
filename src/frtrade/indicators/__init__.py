"""Pure, schema-checked indicators: the numbers behind every fiche.

The package is split by concern (private modules) behind this façade:

- ``_core``: one-year tables of the fiche (totals, shares, partners,
  products, Sankey links), :func:`all_territories`, :func:`headline_facts`;
- ``_coverage``: which flows and quarters the data hold (:func:`data_coverage`);
- ``_long``: the long table grouped by (territory, year) every indicator reads;
- ``_registry``: the indicator registry (add an indicator in one place);
- ``_measures``: evolution, contributions, exposure, dependence,
  concentration, specialisation, ranks;
- ``_sentences``: French sentences for the fiche.
"""

from __future__ import annotations

from frtrade.indicators._core import (
    OTHER,
    OTHER_COUNTRIES,
    OTHER_PRODUCTS,
    ProductLevel,
    TerritoryTables,
    all_territories,
    available_years,
    partners,
    products,
    region_key,
    sankey_links,
    shares,
    territory_key,
    territory_tables,
    top_n_with_other,
    totals,
)
from frtrade.indicators._coverage import (
    Coverage,
    check_quarters_filter,
    data_coverage,
    period_label,
    period_phrase,
    quarters_phrase,
    shares_basis,
)
from frtrade.indicators._facts import FACTS_SCHEMA_VERSION, headline_facts
from frtrade.indicators._long import trade_long
from frtrade.indicators._measures import EU_ACCESSIONS, RANK_METRICS, eu_members
from frtrade.indicators._registry import (
    INDICATORS,
    Indicator,
    IndicatorContext,
    compute_indicators,
    register_indicator,
    same_quarters_as,
)
from frtrade.indicators._sentences import (
    concentration_sentence,
    evolution_sentence,
    exposure_sentence,
    specialisation_sentence,
)

__all__ = [
    "EU_ACCESSIONS",
    "FACTS_SCHEMA_VERSION",
    "INDICATORS",
    "OTHER",
    "OTHER_COUNTRIES",
    "OTHER_PRODUCTS",
    "RANK_METRICS",
    "Coverage",
    "Indicator",
    "IndicatorContext",
    "ProductLevel",
    "TerritoryTables",
    "all_territories",
    "available_years",
    "check_quarters_filter",
    "compute_indicators",
    "concentration_sentence",
    "data_coverage",
    "eu_members",
    "evolution_sentence",
    "exposure_sentence",
    "headline_facts",
    "partners",
    "period_label",
    "period_phrase",
    "products",
    "quarters_phrase",
    "region_key",
    "register_indicator",
    "same_quarters_as",
    "sankey_links",
    "shares",
    "shares_basis",
    "specialisation_sentence",
    "territory_key",
    "territory_tables",
    "top_n_with_other",
    "totals",
    "trade_long",
]
