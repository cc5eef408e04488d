"""Read and write the regional foreign-trade files published by DGDDI.

DGDDI (French customs) publishes, per flow and year, a zip such as
``202502_regional_2024_export.zip`` holding ``Regional-2024-export/
Region_2024_Export.txt`` and label files; the "dernière publication" zip
holds ``REGIONAL_CPF4PAYSE.txt`` / ``REGIONAL_CPF4PAYSI.txt`` (last five
quarters). Every data file has the same ten ``;``-separated fields and no
header::

    Flux;Trimestre;Année;Code département;Code région;Code A129;Code CPF4;Code Pays;Valeur;Masse
    I;3;2018;01;18;A01Z;0111;AR;52;11

:func:`read_dgddi` turns any mix of such zips, data members or directories
into one validated :class:`~frtrade.schemas.TradeFlows` table;
:func:`load_dgddi` also returns a :class:`LoadReport` and the labels found in
the zips. Files are parsed with pyarrow; on any problem a slower line-by-line
pass finds the first faulty line and raises
:class:`~frtrade.errors.DataFormatError` naming the file, line, field and
value.

Policies
--------
- Unknown département, région or country codes are **kept**, counted in the
  report and announced with an :class:`~frtrade.errors.UnknownCodeWarning`.
- Negative values are **kept** (DGDDI publishes net corrections); the report
  counts them.
- Duplicated keys (same flow, year, quarter, département, CPF4 and country)
  are **kept**: every aggregate sums them, so no euro is lost; the report
  counts them. Pass ``duplicates="error"`` to refuse them.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from frtrade import reference
from frtrade.errors import DataFormatError, UnknownCodeWarning
from frtrade.labels import current_labels, read_departement_region_file, read_label_file
from frtrade.schemas import CODE_COLUMNS, FLOWS, TradeFlows

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

__all__ = [
    "DGDDI_FIELDS",
    "DGDDIData",
    "Labels",
    "LoadReport",
    "format_dgddi_lines",
    "load_dgddi",
    "read_dgddi",
    "write_dgddi",
]

#: The ten fields of a DGDDI regional data line, in file order.
DGDDI_FIELDS = (
    "Flux",
    "Trimestre",
    "Année",
    "Code département",
    "Code région",
    "Code A129",
    "Code CPF4",
    "Code Pays",
    "Valeur",
    "Masse",
)
_RAW = (
    "flux",
    "quarter",
    "year",
    "departement",
    "region",
    "a129",
    "cpf4",
    "country",
    "value_eur",
    "mass_kg",
)
_FLOW_CODES = {"E": "export", "I": "import"}
_DATA_MEMBER = re.compile(r"^region(al)?[_-].*\.txt$", re.IGNORECASE)
_FICTITIOUS_MEMBER = re.compile(r"donn[ée]es[_-]?fictives", re.IGNORECASE)
_LABEL_MEMBERS = {
    "a129": re.compile(r"^libelle_a129.*\.txt$", re.IGNORECASE),
    "cpf4": re.compile(r"^libelle_cpf4.*\.txt$", re.IGNORECASE),
    "country": re.compile(r"^libelle_pays.*\.txt$", re.IGNORECASE),
    "departement": re.compile(r"^departement_region.*\.txt$", re.IGNORECASE),
}
_FORMATS: dict[str, re.Pattern[str]] = {
    "departement": re.compile(r"^[0-9A-Z]{2,3}$"),
    "region": re.compile(r"^[0-9A-Z]{2}$"),
    "a129": re.compile(r"^[A-Z]\d{2}[A-Z]$"),
    "cpf4": re.compile(r"^\d{4}$"),
    "country": re.compile(r"^[A-Z0-9]{2}$"),
}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_KEY = ("flow", "year", "quarter", "departement", "cpf4", "country")


# --------------------------------------------------------------------------- results


@dataclass
class LoadReport:
    """What a load read, kept and noticed.

    Attributes
    ----------
    files
        Data files read (``archive.zip!member`` for zip members).
    rows_read, rows_kept
        Data lines parsed, and rows in the returned table (rows of other
        years are left out when ``year=`` is given, and counted as such).
    rows_by_flow
        Rows kept per flow.
    years, quarters
        Years present, and the quarters present in each year.
    unknown_codes
        For ``departement``, ``region``, ``a129``, ``cpf4`` and ``country``:
        codes absent from the reference tables, with their row counts. The
        rows are kept.
    region_mismatches
        Rows whose région code differs from the reference région of their
        département (the row's own code is kept).
    negative_values
        Rows with a negative value (kept).
    duplicate_keys
        Rows whose key repeats an earlier row's (kept; aggregates sum them).
    rows_other_years
        Rows left out because of ``year=``.
    fictitious
        True when a file declares itself fictitious (frtrade's embedded
        dataset): every output must then say so.
    label_files
        Label files found beside the data and used.
    """

    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_kept: int = 0
    rows_by_flow: dict[str, int] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    quarters: dict[int, list[int]] = field(default_factory=dict)
    unknown_codes: dict[str, dict[str, int]] = field(default_factory=dict)
    region_mismatches: int = 0
    negative_values: int = 0
    duplicate_keys: int = 0
    rows_other_years: int = 0
    fictitious: bool = False
    label_files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready types.

        Returns
        -------
        dict
            Same fields as the attributes (year keys as strings).

        Examples
        --------
        >>> LoadReport(rows_read=3).to_dict()["rows_read"]
        3
        """
        return {
            "files": list(self.files),
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_by_flow": dict(self.rows_by_flow),
            "years": list(self.years),
            "quarters": {str(k): list(v) for k, v in self.quarters.items()},
            "unknown_codes": {k: dict(v) for k, v in self.unknown_codes.items()},
            "region_mismatches": self.region_mismatches,
            "negative_values": self.negative_values,
            "duplicate_keys": self.duplicate_keys,
            "rows_other_years": self.rows_other_years,
            "fictitious": self.fictitious,
            "label_files": list(self.label_files),
        }

    def summary(self) -> str:
        """Describe the load in a few English lines.

        Returns
        -------
        str
            Human-readable summary.

        Examples
        --------
        >>> print(LoadReport(rows_read=2, rows_kept=2, years=[2024]).summary())
        read 2 rows from 0 file(s), kept 2; years: 2024
        """
        lines = [
            f"read {self.rows_read:,} rows from {len(self.files)} file(s), "
            f"kept {self.rows_kept:,}; years: " + ", ".join(str(y) for y in self.years)
        ]
        for column, codes in self.unknown_codes.items():
            if codes:
                shown = ", ".join(
                    f"{c} ({n} rows)" for c, n in list(codes.items())[:10]
                )
                lines.append(f"unknown {column} codes kept: {shown}")
        for label, count in (
            (
                "rows with a région code differing from the reference",
                self.region_mismatches,
            ),
            ("rows with a negative value (kept)", self.negative_values),
            ("rows repeating an earlier key (kept)", self.duplicate_keys),
            ("rows of other years left out", self.rows_other_years),
        ):
            if count:
                lines.append(f"{count:,} {label}")
        if self.fictitious:
            lines.append("FICTITIOUS DATA (données fictives): not DGDDI figures")
        return "\n".join(lines)


@dataclass(frozen=True)
class Labels:
    """Labels of codes: the shipped reference, overridden by the data's own files.

    Attributes
    ----------
    countries, products, departements
        ``code -> French display name``; ``products`` holds A129 (short labels)
        and CPF4 codes.
    products_official
        ``code -> official DGDDI label`` for A129 and CPF4.
    """

    countries: dict[str, str]
    products: dict[str, str]
    products_official: dict[str, str]
    departements: dict[str, str]

    @classmethod
    def shipped(cls) -> Labels:
        """Labels from frtrade's reference tables (one shared, read-only object).

        Returns
        -------
        Labels
            The shipped labels; treat their dicts as read-only.

        Examples
        --------
        >>> Labels.shipped().countries["DE"]
        'Allemagne'
        """
        return _shipped_labels()

    def updated(self, kind: str, official: dict[str, str]) -> Labels:
        """Return labels where a data file's own labels win over the shipped ones.

        A shipped display name (e.g. "États-Unis" for DGDDI's "Etats-Unis")
        is kept only while the data's official label is the one it was made
        for; a code whose meaning changed takes the data's label.

        Parameters
        ----------
        kind
            ``"country"``, ``"a129"``, ``"cpf4"`` or ``"departement"``.
        official
            ``code -> label`` read from the data's label file.

        Returns
        -------
        Labels
            A new object.

        Examples
        --------
        >>> lab = Labels.shipped().updated(
        ...     "country", {"US": "Etats-Unis", "ZZ": "Zedland"}
        ... )
        >>> lab.countries["US"], lab.countries["ZZ"]
        ('États-Unis', 'Zedland')
        """
        if kind == "departement":
            return Labels(
                self.countries,
                self.products,
                self.products_official,
                {
                    **self.departements,
                    **{k: v for k, v in official.items() if k not in self.departements},
                },
            )
        if kind == "country":
            shipped_official = dict(
                zip(
                    reference.countries()["code"],
                    reference.countries()["label"],
                    strict=False,
                )
            )
            merged = dict(self.countries)
            for code, label in official.items():
                if shipped_official.get(code) != label:
                    merged[code] = label
            return Labels(
                merged, self.products, self.products_official, self.departements
            )
        products = dict(self.products)
        products_official = dict(self.products_official)
        for code, label in official.items():
            if products_official.get(code) != label:
                products[code] = label
            products_official[code] = label
        return Labels(self.countries, products, products_official, self.departements)


@cache
def _shipped_labels() -> Labels:
    a129 = reference.product_names("a129")
    cpf4 = reference.product_names("cpf4")
    return Labels(
        countries=reference.country_names(),
        products={**cpf4, **a129},
        products_official={**cpf4, **reference.product_names("a129", short=False)},
        departements=dict(
            zip(
                reference.departements()["code"],
                reference.departements()["name"],
                strict=True,
            )
        ),
    )


@dataclass(frozen=True)
class DGDDIData:
    """A loaded table with its report and labels (see :func:`load_dgddi`).

    Attributes
    ----------
    flows
        The validated :class:`~frtrade.schemas.TradeFlows` table.
    report
        What was read, kept and noticed.
    labels
        Labels of every code (the data's own label files win).
    """

    flows: pd.DataFrame
    report: LoadReport
    labels: Labels


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class _Member:
    name: str  # for messages: "archive.zip!dir/member.txt" or the path
    basename: str
    read: Callable[[], bytes]
    open: Callable[[], IO[bytes]]
    explicit: bool = False  # a .txt file named by the caller

    def is_data(self) -> bool:
        if _DATA_MEMBER.match(self.basename):
            return True
        is_label = any(p.match(self.basename) for p in _LABEL_MEMBERS.values())
        return (
            self.explicit
            and not is_label
            and not _FICTITIOUS_MEMBER.search(self.basename)
        )


def _open_zip(path: Path) -> list[_Member]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise DataFormatError(
            f"not a readable zip archive ({exc})", file=str(path)
        ) from None

    def reader(info: zipfile.ZipInfo) -> Callable[[], bytes]:
        def read() -> bytes:
            try:
                with zipfile.ZipFile(path) as zf:
                    return zf.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                raise DataFormatError(
                    f"corrupt zip member {info.filename!r} ({exc})", file=str(path)
                ) from None

        return read

    def opener(info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
        def open_member() -> IO[bytes]:
            return zipfile.ZipFile(path).open(info)

        return open_member

    return [
        _Member(
            f"{path}!{info.filename}",
            info.filename.rsplit("/", 1)[-1],
            reader(info),
            opener(info),
        )
        for info in infos
        if not info.is_dir()
    ]


def _expand(source: str | Path, *, explicit: bool = True) -> list[_Member]:
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"no such file or directory: {path}")
    if path.is_dir():
        members: list[_Member] = []
        for child in sorted(path.iterdir()):
            if child.suffix.lower() == ".zip" or child.suffix.lower() == ".txt":
                members.extend(_expand(child, explicit=False))
        return members
    if zipfile.is_zipfile(path) or path.suffix.lower() == ".zip":
        return _open_zip(path)
    return [
        _Member(
            str(path),
            path.name,
            path.read_bytes,
            lambda: path.open("rb"),
            explicit=explicit,
        )
    ]


def _flow_hint(basename: str) -> str | None:
    lower = basename.lower()
    if "export" in lower or re.search(r"cpf4payse\.txt$", lower):
        return "export"
    if "import" in lower or re.search(r"cpf4paysi\.txt$", lower):
        return "import"
    return None


# --------------------------------------------------------------------------- parsing


def _parse_fast(data: bytes | IO[bytes], *, decimal_comma: bool) -> pd.DataFrame:
    import pyarrow as pa
    from pyarrow import csv

    code = pa.dictionary(pa.int32(), pa.string())
    number = pa.string() if decimal_comma else pa.float64()
    table = csv.read_csv(
        io.BytesIO(data) if isinstance(data, bytes) else data,
        read_options=csv.ReadOptions(column_names=list(_RAW), block_size=1 << 24),
        parse_options=csv.ParseOptions(delimiter=";", quote_char=False),
        convert_options=csv.ConvertOptions(
            column_types={
                "flux": code,
                "quarter": pa.int8(),
                "year": pa.int16(),
                **dict.fromkeys(CODE_COLUMNS, code),
                "value_eur": number,
                "mass_kg": number,
            },
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if decimal_comma:
        import pyarrow.compute as pc

        for name in ("value_eur", "mass_kg"):
            column = table.column(name)
            fixed = pc.cast(pc.replace_substring(column, ",", "."), pa.float64())
            table = table.set_column(table.schema.get_field_index(name), name, fixed)
    frame: pd.DataFrame = table.to_pandas(split_blocks=True, self_destruct=True)
    return frame


def _diagnose(data: bytes, *, source: str) -> None:
    """Raise a precise DataFormatError for the first faulty line, if any."""
    lines = data.split(b"\n")
    ends_with_newline = data.endswith(b"\n")
    if ends_with_newline:
        lines = lines[:-1]
    last = len(lines)
    for number, raw in enumerate(lines, start=1):
        raw_line = raw.removesuffix(b"\r")
        if not raw_line.strip():
            continue
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataFormatError(
                "bytes that are not UTF-8 in a data line",
                file=source,
                line=number,
                value=repr(raw_line[max(0, exc.start - 10) : exc.end + 10]),
            ) from None
        fields = line.split(";")
        if len(fields) != len(DGDDI_FIELDS):
            truncated = number == last and not ends_with_newline and len(fields) < 10
            raise DataFormatError(
                f"{len(fields)} fields, expected {len(DGDDI_FIELDS)}"
                + (" (the last line looks truncated)" if truncated else ""),
                file=source,
                line=number,
                value=line,
            )
        _check_fields(fields, source=source, line=number)


def _check_fields(fields: Sequence[str], *, source: str, line: int) -> None:
    flux, quarter, year, dep, reg, a129, cpf4, country, value, mass = fields
    if flux not in _FLOW_CODES:
        header = any(
            f.strip().lower() in {"flux", "flow", "trimestre"} for f in fields[:3]
        )
        raise DataFormatError(
            "header line: DGDDI data files have none"
            if header
            else "unknown flow code (expected E or I)",
            file=source,
            line=line,
            field="Flux",
            value=flux,
        )
    if not quarter.isdigit() or not 1 <= int(quarter) <= 4:
        raise DataFormatError(
            "quarter outside 1-4",
            file=source,
            line=line,
            field="Trimestre",
            value=quarter,
        )
    if not (len(year) == 4 and year.isdigit()):
        raise DataFormatError(
            "year must have 4 digits", file=source, line=line, field="Année", value=year
        )
    for name, text in zip(CODE_COLUMNS, (dep, reg, a129, cpf4, country), strict=True):
        if not _FORMATS[name].match(text):
            raise DataFormatError(
                f"malformed code (expected {_FORMATS[name].pattern})",
                file=source,
                line=line,
                field=DGDDI_FIELDS[3 + CODE_COLUMNS.index(name)],
                value=text,
            )
    for name, text in (("Valeur", value), ("Masse", mass)):
        if not _NUMBER.match(text.strip()):
            raise DataFormatError(
                "not a number", file=source, line=line, field=name, value=text
            )


def _parse_member(member: _Member) -> tuple[pd.DataFrame, int]:
    """Parse a data member: stream it through pyarrow; on any trouble, diagnose."""
    try:
        with member.open() as stream:
            frame = _parse_fast(stream, decimal_comma=False)
    except Exception:  # pyarrow raises several types: find the faulty line
        frame = _parse_slow_path(member)
    if len(frame) == 0:
        raise DataFormatError("empty data file (no data line)", file=member.name)
    if _needs_diagnosis(frame):
        _diagnose(member.read(), source=member.name)
        raise DataFormatError("invalid values (see the DGDDI format)", file=member.name)
    return frame, len(frame)


def _parse_slow_path(member: _Member) -> pd.DataFrame:
    data = member.read()
    if not data.strip():
        raise DataFormatError("empty data file", file=member.name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    _diagnose(data, source=member.name)  # raises on the first faulty line
    try:  # every line is well-formed: values use a decimal comma
        return _parse_fast(data, decimal_comma=True)
    except Exception as exc:
        raise DataFormatError(
            f"unreadable data file ({exc})", file=member.name
        ) from None


def _needs_diagnosis(frame: pd.DataFrame) -> bool:
    """Cheap vectorised checks; any failure sends the file to :func:`_diagnose`."""
    if len(frame) == 0:
        return True
    quarter = frame["quarter"].to_numpy()
    checks = [
        set(frame["flux"].cat.categories) <= set(_FLOW_CODES),
        quarter.min() >= 1 and quarter.max() <= 4,
        frame["year"].to_numpy().min() >= 1000,
        *(
            all(_FORMATS[name].match(v) for v in frame[name].cat.categories)
            for name in CODE_COLUMNS
        ),
        *(
            np.isfinite(frame[name].to_numpy()).all()
            for name in ("value_eur", "mass_kg")
        ),
    ]
    return not all(checks)


# --------------------------------------------------------------------------- assembly


def _to_canonical(frame: pd.DataFrame) -> pd.DataFrame:
    flux = frame["flux"]
    flow = pd.Categorical(
        flux.cat.rename_categories([_FLOW_CODES[c] for c in flux.cat.categories]),
        categories=list(FLOWS),
    )
    return pd.DataFrame(
        {
            "flow": flow,
            "year": frame["year"].astype("int16"),
            "quarter": frame["quarter"].astype("int8"),
            **{c: frame[c] for c in CODE_COLUMNS},
            "value_eur": frame["value_eur"].astype("float64"),
            "mass_kg": frame["mass_kg"].astype("float64"),
        }
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if len(frames) == 1:
        return frames[0]  # already a fresh frame with a RangeIndex
    from pandas.api.types import union_categoricals

    out = pd.DataFrame(
        {
            c: (
                union_categoricals([f[c] for f in frames], sort_categories=True)
                if c in CODE_COLUMNS
                else pd.concat([f[c] for f in frames], ignore_index=True)
            )
            for c in frames[0].columns
        }
    )
    out["flow"] = pd.Categorical(out["flow"], categories=list(FLOWS))
    return out


def _count_unknown(
    flows: pd.DataFrame, column: str, known: Iterable[str]
) -> dict[str, int]:
    series = flows[column]
    known_set = set(known)
    unknown = [c for c in series.cat.categories if c not in known_set]
    if not unknown:
        return {}
    counts = series.value_counts(sort=False)
    return {c: int(counts[c]) for c in sorted(unknown) if counts[c] > 0}


def _count_duplicates(flows: pd.DataFrame) -> int:
    """Rows whose key (flow, year, quarter, département, CPF4, country) repeats."""
    if len(flows) < 2:
        return 0
    key = np.zeros(len(flows), dtype=np.int64)
    for column in _KEY:
        series = flows[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.int64)
            size = len(series.cat.categories) + 1
        else:
            values = series.to_numpy().astype(np.int64)
            codes = values - values.min()
            size = int(codes.max()) + 1
        key = key * size + codes
    key.sort()  # in place: less memory than a hash table over millions of keys
    return int(np.count_nonzero(key[1:] == key[:-1]))


def _region_mismatches(flows: pd.DataFrame) -> int:
    deps = reference.departements()
    expected = dict(zip(deps["code"], deps["region_dgddi"], strict=True))
    pairs = (
        flows.groupby(["departement", "region"], observed=True)
        .size()
        .reset_index(name="n")
    )
    wrong = [
        expected.get(str(dep), str(reg)) != str(reg)
        for dep, reg in zip(pairs["departement"], pairs["region"], strict=True)
    ]
    return int(pairs.loc[wrong, "n"].sum())


def load_dgddi(
    *sources: str | Path,
    year: int | None = None,
    flows: Sequence[Literal["export", "import"]] | None = None,
    duplicates: Literal["keep", "error"] = "keep",
) -> DGDDIData:
    """Load DGDDI regional files with their report and labels.

    Parameters
    ----------
    *sources
        Annual zips (``..._regional_2024_export.zip``), "dernière publication"
        zips, their ``.txt`` data members, or directories holding them.
        Data members are found by pattern (``Region*_*.txt``,
        ``REGIONAL_CPF4PAYS[EI].txt``), label files likewise.
    year
        Keep only this year (the rows of other years are counted in the
        report). By default every year is kept.
    flows
        Keep only these flows (default: both).
    duplicates
        ``"keep"`` (default) keeps repeated keys and counts them;
        ``"error"`` raises :class:`~frtrade.errors.DataFormatError`.

    Returns
    -------
    DGDDIData
        ``flows`` (validated :class:`~frtrade.schemas.TradeFlows`), ``report``
        and ``labels``.

    Raises
    ------
    DataFormatError
        On any malformed input: the message names file, line, field and
        value.
    FileNotFoundError
        When a source does not exist.

    Examples
    --------
    >>> from frtrade.datasets import fictitious_dataset_paths
    >>> data = load_dgddi(*fictitious_dataset_paths())
    >>> data.report.years, data.report.fictitious
    ([2024], True)
    """
    if not sources:
        raise ValueError("load_dgddi needs at least one file, zip or directory")
    members = [m for s in sources for m in _expand(s)]
    data_members = [m for m in members if m.is_data()]
    if not data_members:
        names = ", ".join(str(s) for s in sources)
        raise DataFormatError(
            "no DGDDI data member found (expected Region_YYYY_Export.txt, "
            "Regional_YYYY_Import.txt or REGIONAL_CPF4PAYS[EI].txt)",
            file=names,
        )
    report = LoadReport()
    report.fictitious = any(_FICTITIOUS_MEMBER.search(m.basename) for m in members)

    frames: list[pd.DataFrame] = []
    for member in data_members:
        raw, n = _parse_member(member)
        report.files.append(member.name)
        report.rows_read += n
        frame = _to_canonical(raw)
        del raw  # keep one copy of the rows alive at a time
        hint = _flow_hint(member.basename)
        if hint is not None and (frame["flow"] != hint).any():
            other = "import" if hint == "export" else "export"
            raise DataFormatError(
                f"file named as {hint} holds {other} rows: a file of the wrong kind?",
                file=member.name,
                field="Flux",
                value="I" if hint == "export" else "E",
            )
        frames.append(frame)

    table = _concat(frames)
    frames.clear()
    if year is not None:
        keep = table["year"].to_numpy() == year
        report.rows_other_years = int((~keep).sum())
        table = table.loc[keep].reset_index(drop=True)
    if flows is not None:
        unknown_flows = set(flows) - set(FLOWS)
        if unknown_flows:
            raise ValueError(
                f"flows must be among {FLOWS}, got {sorted(unknown_flows)}"
            )
        table = table.loc[table["flow"].isin(list(flows)).to_numpy()].reset_index(
            drop=True
        )

    labels = _read_labels(members, report)
    _fill_report(report, table, labels)
    if duplicates == "error" and report.duplicate_keys:
        raise DataFormatError(
            f"{report.duplicate_keys} rows repeat the key (flow, year, quarter, "
            "département, CPF4, country) of an earlier row",
            file=", ".join(report.files),
        )
    _warn_unknown(report)
    return DGDDIData(TradeFlows.validate(table), report, labels)


def _read_labels(members: list[_Member], report: LoadReport) -> Labels:
    """Shipped labels, overridden by the label files found beside the data."""
    labels = Labels.shipped()
    for member in members:
        for kind, pattern in _LABEL_MEMBERS.items():
            if not pattern.match(member.basename):
                continue
            if kind == "departement":
                deps = read_departement_region_file(member.read(), name=member.name)
                official = dict(
                    zip(deps["departement"], deps["departement_label"], strict=False)
                )
            else:
                official = current_labels(
                    read_label_file(member.read(), name=member.name)
                )
            labels = labels.updated(kind, official)
            report.label_files.append(member.name)
    return labels


def _fill_report(report: LoadReport, table: pd.DataFrame, labels: Labels) -> None:
    report.rows_kept = len(table)
    counts = table["flow"].value_counts()
    report.rows_by_flow = {f: int(counts.get(f, 0)) for f in FLOWS}
    years = np.unique(table["year"].to_numpy())
    report.years = [int(y) for y in years]
    pairs = table.groupby(["year", "quarter"], observed=True).size().index
    report.quarters = {
        int(y): sorted(int(q) for yy, q in pairs if yy == y) for y in report.years
    }
    known_products = set(labels.products_official)
    report.unknown_codes = {
        "departement": _count_unknown(table, "departement", labels.departements),
        "region": _count_unknown(table, "region", reference.regions()["dgddi_code"]),
        "a129": _count_unknown(table, "a129", known_products),
        "cpf4": _count_unknown(table, "cpf4", known_products),
        "country": _count_unknown(table, "country", labels.countries),
    }
    report.region_mismatches = _region_mismatches(table)
    report.negative_values = int((table["value_eur"].to_numpy() < 0).sum())
    report.duplicate_keys = _count_duplicates(table)


def _warn_unknown(report: LoadReport) -> None:
    parts = [
        f"{column}: "
        + ", ".join(f"{c!r} ({n} rows)" for c, n in list(codes.items())[:10])
        for column, codes in report.unknown_codes.items()
        if codes
    ]
    if parts:
        warnings.warn(
            "unknown codes, rows kept (see the load report): " + "; ".join(parts),
            UnknownCodeWarning,
            stacklevel=3,
        )


def read_dgddi(
    *sources: str | Path,
    year: int | None = None,
    flows: Sequence[Literal["export", "import"]] | None = None,
    duplicates: Literal["keep", "error"] = "keep",
) -> pd.DataFrame:
    r"""Read DGDDI regional files into one canonical trade table.

    The obvious entry point: ``read_dgddi("..._2024_export.zip",
    "..._2024_import.zip")``. Use :func:`load_dgddi` to get the load report and
    the labels as well.

    Parameters
    ----------
    *sources
        Zips, ``.txt`` data members or directories (see :func:`load_dgddi`).
    year
        Keep only this year.
    flows
        Keep only these flows.
    duplicates
        ``"keep"`` or ``"error"`` (see :func:`load_dgddi`).

    Returns
    -------
    pandas.DataFrame
        Validated :class:`~frtrade.schemas.TradeFlows`: ``flow``, ``year``,
        ``quarter``, ``departement``, ``region``, ``a129``, ``cpf4``,
        ``country``, ``value_eur``, ``mass_kg``.

    Raises
    ------
    DataFormatError
        On malformed input (file, line, field and value are named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "Region_2018_Import.txt"
    >>> _ = path.write_text("I;3;2018;01;18;A01Z;0111;AR;52;11\n")
    >>> read_dgddi(path)[["flow", "departement", "cpf4", "country", "value_eur"]]
         flow departement  cpf4 country  value_eur
    0  import          01  0111      AR       52.0
    """
    return load_dgddi(*sources, year=year, flows=flows, duplicates=duplicates).flows


# --------------------------------------------------------------------------- writing


def _format_number(values: np.ndarray[Any, np.dtype[np.float64]]) -> list[str]:
    out: list[str] = []
    for v in values.tolist():
        out.append(str(int(v)) if float(v).is_integer() else repr(float(v)))
    return out


def format_dgddi_lines(flows: pd.DataFrame) -> str:
    r"""Format a TradeFlows table as the text of a DGDDI data file.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.

    Returns
    -------
    str
        ``;``-separated lines, no header, ``\n`` endings; integral values
        without decimals (as DGDDI writes them).

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> print(format_dgddi_lines(tiny_trade_flows().head(1)), end="")
    E;1;2024;36;04;C21Z;2120;US;600;10
    """
    flux = flows["flow"].map({"export": "E", "import": "I"}).astype(str)
    columns = [
        flux.tolist(),
        flows["quarter"].astype(int).astype(str).tolist(),
        flows["year"].astype(int).astype(str).tolist(),
        *[flows[c].astype(str).tolist() for c in CODE_COLUMNS],
        _format_number(flows["value_eur"].to_numpy(dtype=np.float64)),
        _format_number(flows["mass_kg"].to_numpy(dtype=np.float64)),
    ]
    return "".join(";".join(row) + "\n" for row in zip(*columns, strict=True))


def write_dgddi(
    flows: pd.DataFrame,
    path: str | Path,
    *,
    member: str | None = None,
    extra_members: dict[str, bytes] | None = None,
) -> Path:
    """Write a TradeFlows table in DGDDI's format (a ``.txt`` or a ``.zip``).

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    path
        Target file; a ``.zip`` suffix writes an archive.
    member
        Name of the data member inside the zip (default
        ``Regional-{year}-{flow}/Region_{year}_{Flow}.txt`` from the data).
    extra_members
        Other members to store in the zip (e.g. label files).

    Returns
    -------
    pathlib.Path
        The written path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from frtrade.testing import tiny_trade_flows
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "Region_2024_Export.txt"
    >>> flows = tiny_trade_flows()
    >>> exports = flows[flows.flow == "export"]
    >>> back = read_dgddi(write_dgddi(exports, out))
    >>> bool(back.value_eur.sum() == exports.value_eur.sum())
    True
    """
    target = Path(path)
    text = format_dgddi_lines(flows).encode("utf-8")
    if target.suffix.lower() != ".zip":
        target.write_bytes(text)
        return target
    if member is None:
        years = sorted({int(y) for y in flows["year"].unique()})
        kinds = sorted({str(f) for f in flows["flow"].unique()})
        year_part = str(years[0]) if len(years) == 1 else "multi"
        flow_part = kinds[0] if len(kinds) == 1 else "all"
        member = f"Regional-{year_part}-{flow_part}/Region_{year_part}_{flow_part.capitalize()}.txt"
    with zipfile.ZipFile(
        target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9
    ) as zf:
        info = zipfile.ZipInfo(member, date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, text)
        for name, payload in (extra_members or {}).items():
            extra = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            extra.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(extra, payload)
    return target
