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
