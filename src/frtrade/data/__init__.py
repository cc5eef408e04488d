"""Package data: the embedded FICTITIOUS DGDDI-format dataset (see frtrade.datasets)."""
