"""frtrade: territorial foreign-trade indicators from French customs (DGDDI) data.

Load the DGDDI regional files, compute the indicators of the "indicateurs
clés : commerce extérieur" fiche for any département, région, group of
départements or France, and draw its charts.

Examples
--------
>>> import frtrade
>>> data = frtrade.load_fictitious_dataset()  # embedded, FICTITIOUS figures
>>> indre = frtrade.Territory.resolve("Indre")
>>> facts = frtrade.headline_facts(data.flows, indre, report=data.report)
>>> round(facts["export"]["total_eur"] / 1e6, 1), facts["data"]["fictitious"]
(1274.7, True)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frtrade.datasets import (
        FICTITIOUS_NOTICE,
        fictitious_dataset_files,
        fictitious_dataset_paths,
        load_fictitious_dataset,
    )
    from frtrade.dgddi import (
        DGDDIData,
        Finding,
        Labels,
        LoadReport,
        load_dgddi,
        read_dgddi,
        write_dgddi,
    )
    from frtrade.errors import (
        DataFormatError,
        DataQualityWarning,
        FrtradeError,
        MissingDataError,
        MissingGlyphWarning,
        OutputError,
        UnknownCodeWarning,
        UnknownTerritoryError,
        YearNotAvailableError,
    )
    from frtrade.indicators import (
        OTHER,
        Coverage,
        TerritoryTables,
        all_territories,
        compute_indicators,
        data_coverage,
        headline_facts,
        partners,
        products,
        sankey_links,
        shares,
        territory_tables,
        top_n_with_other,
        totals,
    )
    from frtrade.labels import read_label_file
    from frtrade.schemas import (
        Partners,
        ProductShares,
        SankeyLinks,
        Shares,
        Totals,
        TradeFlows,
        validate_trade_flows,
    )
    from frtrade.territories import Territory

# `import frtrade` stays light (no pandas, Altair or pyarrow until a name is used):
# each public name is imported from its module on first access (PEP 562).
_LAZY: dict[str, str] = {
    "Coverage": "frtrade.indicators",
    "DGDDIData": "frtrade.dgddi",
    "DataFormatError": "frtrade.errors",
    "DataQualityWarning": "frtrade.errors",
    "FICTITIOUS_NOTICE": "frtrade.datasets",
    "Finding": "frtrade.dgddi",
    "FrtradeError": "frtrade.errors",
    "Labels": "frtrade.dgddi",
    "LoadReport": "frtrade.dgddi",
    "MissingDataError": "frtrade.errors",
    "MissingGlyphWarning": "frtrade.errors",
    "OTHER": "frtrade.indicators",
    "OutputError": "frtrade.errors",
    "Partners": "frtrade.schemas",
    "ProductShares": "frtrade.schemas",
    "SankeyLinks": "frtrade.schemas",
    "Shares": "frtrade.schemas",
    "Territory": "frtrade.territories",
    "TerritoryTables": "frtrade.indicators",
    "Totals": "frtrade.schemas",
    "TradeFlows": "frtrade.schemas",
    "UnknownCodeWarning": "frtrade.errors",
    "UnknownTerritoryError": "frtrade.errors",
    "YearNotAvailableError": "frtrade.errors",
    "all_territories": "frtrade.indicators",
    "compute_indicators": "frtrade.indicators",
    "data_coverage": "frtrade.indicators",
    "fictitious_dataset_files": "frtrade.datasets",
    "fictitious_dataset_paths": "frtrade.datasets",
    "headline_facts": "frtrade.indicators",
    "load_dgddi": "frtrade.dgddi",
    "load_fictitious_dataset": "frtrade.datasets",
    "partners": "frtrade.indicators",
    "products": "frtrade.indicators",
    "read_dgddi": "frtrade.dgddi",
    "read_label_file": "frtrade.labels",
    "sankey_links": "frtrade.indicators",
    "shares": "frtrade.indicators",
    "territory_tables": "frtrade.indicators",
    "top_n_with_other": "frtrade.indicators",
    "totals": "frtrade.indicators",
    "validate_trade_flows": "frtrade.schemas",
    "write_dgddi": "frtrade.dgddi",
}


__version__ = "0.1.0"

__all__ = [
    "FICTITIOUS_NOTICE",
    "OTHER",
    "Coverage",
    "DGDDIData",
    "DataFormatError",
    "DataQualityWarning",
    "Finding",
    "FrtradeError",
    "Labels",
    "LoadReport",
    "MissingDataError",
    "MissingGlyphWarning",
    "OutputError",
    "Partners",
    "ProductShares",
    "SankeyLinks",
    "Shares",
    "Territory",
    "TerritoryTables",
    "Totals",
    "TradeFlows",
    "UnknownCodeWarning",
    "UnknownTerritoryError",
    "YearNotAvailableError",
    "__version__",
    "all_territories",
    "compute_indicators",
    "data_coverage",
    "fictitious_dataset_files",
    "fictitious_dataset_paths",
    "headline_facts",
    "load_dgddi",
    "load_fictitious_dataset",
    "partners",
    "products",
    "read_dgddi",
    "read_label_file",
    "sankey_links",
    "shares",
    "territory_tables",
    "top_n_with_other",
    "totals",
    "validate_trade_flows",
    "write_dgddi",
]


def __getattr__(name: str) -> Any:  # noqa: ANN401  (PEP 562: any public object)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'frtrade' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
