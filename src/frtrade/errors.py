"""Exceptions and warnings raised by frtrade.

Every error about an input file says *where* the problem is: the file (and the
zip member), the line number (1-based, as an editor shows it), the field name
and the offending value, so that a user can open the file and fix it.
"""

from __future__ import annotations

__all__ = [
    "DataFormatError",
    "DataQualityWarning",
    "FrtradeError",
    "MissingDataError",
    "MissingGlyphWarning",
    "OutputError",
    "UnknownCodeWarning",
    "UnknownTerritoryError",
    "YearNotAvailableError",
]


class FrtradeError(Exception):
    """Base class of every exception raised on purpose by frtrade."""


class DataFormatError(FrtradeError, ValueError):
    """An input file does not follow the DGDDI format.

    Parameters
    ----------
    problem
        What is wrong, in one sentence.
    file
        The file (for a zip member: ``archive.zip!member.txt``).
    line
        1-based line number in the file, when one line is at fault.
    field
        Name of the DGDDI field at fault (e.g. ``"Trimestre"``).
    value
        The offending value, as read.

    Examples
    --------
    >>> err = DataFormatError(
    ...     "quarter outside 1-4",
    ...     file="Region_2024_Export.txt",
    ...     line=12,
    ...     field="Trimestre",
    ...     value="5",
    ... )
    >>> print(err)
    Region_2024_Export.txt, line 12, field 'Trimestre', value '5': quarter outside 1-4
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        value: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        super().__init__(self._format())

    def _format(self) -> str:
        where: list[str] = []
        if self.file is not None:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            where.append(f"value {shown!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.problem}" if prefix else self.problem

    def __reduce__(self) -> tuple[object, ...]:  # keeps keyword state when pickled
        return (
            _rebuild_data_format_error,
            (self.problem, self.file, self.line, self.field, self.value),
        )


def _rebuild_data_format_error(
    problem: str,
    file: str | None,
    line: int | None,
    field: str | None,
    value: str | None,
) -> DataFormatError:
    return DataFormatError(problem, file=file, line=line, field=field, value=value)


class UnknownTerritoryError(FrtradeError, LookupError):
    """A territory code or name matches no département, région or group.

    Parameters
    ----------
    query
        What the user asked for.
    suggestions
        Close matches, best first (may be empty).
    """

    def __init__(self, query: str, suggestions: list[str] | None = None) -> None:
        self.query = query
        self.suggestions = list(suggestions or [])
        message = f"unknown territory {query!r}"
        if self.suggestions:
            message += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class UnknownCodeWarning(UserWarning):
    """Rows carry codes absent from the reference tables; they are kept."""


class YearNotAvailableError(FrtradeError, ValueError):
    """The year asked for is not in the data.

    Parameters
    ----------
    year
        The year asked for.
    available
        The years the data hold, ascending.

    Examples
    --------
    >>> print(YearNotAvailableError(2023, [2024]))
    année 2023 absente des données (années présentes : 2024)
    """

    def __init__(self, year: int, available: list[int]) -> None:
        self.year = year
        self.available = sorted(available)
        present = ", ".join(str(y) for y in self.available) or "aucune"
        super().__init__(
            f"année {year} absente des données (années présentes : {present})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.year, self.available))


class MissingDataError(FrtradeError, LookupError):
    """The data hold nothing for what was asked (a flow, a territory, a year).

    The message says what is missing, in French, as the user will read it.

    Examples
    --------
    >>> print(MissingDataError("aucune importation pour l'Indre en 2024"))
    aucune importation pour l'Indre en 2024
    """


class OutputError(FrtradeError, OSError):
    """An output cannot be written (folder is a file, not writable, disk full...).

    Examples
    --------
    >>> print(OutputError("fiches/ : dossier non accessible en écriture"))
    fiches/ : dossier non accessible en écriture
    """


class MissingGlyphWarning(UserWarning):
    """A chart's text holds characters that its font, Liberation Sans, cannot draw.

    In frtrade's render processes the charts are drawn from the font held in
    memory, with no other font to fall back on: such a character shows as an
    empty box. The warning names each character and its code point.
    """


class DataQualityWarning(UserWarning):
    """Rows were kept but something about them deserves attention.

    Duplicated keys (summed), région codes that contradict
    ``Departement_region.txt``, negative values accepted on request: each
    warning names the file, the line and the values.
    """
