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

Policies (the docs page "Ce que frtrade fait des fichiers imparfaits"
shows the exact messages)
--------------------------------------------------------------------------
- **One copy of the data.** Data members are identified by the SHA-256 of
  their decompressed bytes: the same bytes reached twice (a file given
  twice, a zip beside its extracted member, a member duplicated inside a zip)
  are read once; the report lists the skipped copy (``skipped_copies``, a
  :class:`Finding` of kind ``skipped_copy``).
- **Overlaps.** Two *different* members holding rows of the same flow, year
  and quarter raise :class:`~frtrade.errors.DataFormatError` naming both;
  ``overlap="latest"`` keeps, for the overlapping quarters, the member of the
  most recent publication (see :func:`load_dgddi`).
- **Negative values** raise by default; ``negative="keep"`` keeps them with a
  :class:`~frtrade.errors.DataQualityWarning`.
- **Duplicated keys** (same flow, year, quarter, département, CPF4 and
  country in one member) are summed into the first row, with a warning
  naming both lines; ``duplicates="error"`` refuses them.
- **Région codes** contradicting ``Departement_region.txt`` and **unknown
  codes** are kept, located (file and line) and announced by warnings.
- Every other malformed value raises :class:`~frtrade.errors.DataFormatError`
  with file and line; numbers are integers (or decimals) written plainly,
  below 2^53 so that they are held exactly.
- Zip members larger than ``max_member_bytes`` or inflating more than
  ``max_ratio`` times are refused before being read; so are encrypted
  members, unsupported compressions and non-regular files (FIFOs, devices).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import html
import io
import json
import re
import stat
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from frtrade import _load_cache, reference
from frtrade.errors import (
    DataFormatError,
    DataQualityWarning,
    FrtradeError,
    UnknownCodeWarning,
)
from frtrade.labels import (
    CleanedLabel,
    cap_label,
    current_labels,
    read_departement_region_file,
    read_label_file,
)
from frtrade.schemas import CODE_COLUMNS, FLOWS, TradeFlows

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    import pyarrow as pa

__all__ = [
    "DGDDI_FIELDS",
    "FINDING_KINDS",
    "MAX_COMPRESSION_RATIO",
    "MAX_MEMBER_BYTES",
    "DGDDIData",
    "Finding",
    "Labels",
    "LoadReport",
    "clear_cache",
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
#: Largest decompressed size of a zip member frtrade reads by default (2 GiB;
#: a real annual file of one flow is about 130 MB). Override with
#: ``load_dgddi(..., max_member_bytes=...)``.
MAX_MEMBER_BYTES = 2 * 1024**3
#: Largest compression ratio (decompressed / compressed size) accepted by
#: default for a zip member; real DGDDI members compress 4 to 10 times, a
#: "zip bomb" thousands of times. Override with ``max_ratio=...``.
MAX_COMPRESSION_RATIO = 100.0
#: The kinds of :class:`Finding`.
FINDING_KINDS = (
    "duplicate_key",
    "region_mismatch",
    "negative_value",
    "unknown_code",
    "skipped_copy",
    "label_cleaned",
)
#: Findings kept per kind in a report (the counts cover all of them).
_EXAMPLES = 20
_EXACT_LIMIT = 2**53

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
_PUBLICATION = re.compile(r"^((?:19|20)\d\d)(0[1-9]|1[0-2])[_-]")
_LABEL_MEMBERS = {
    "a129": re.compile(r"^libelle_a129.*\.txt$", re.IGNORECASE),
    "cpf4": re.compile(r"^libelle_cpf4.*\.txt$", re.IGNORECASE),
    "country": re.compile(r"^libelle_pays.*\.txt$", re.IGNORECASE),
    "departement": re.compile(r"^departement_region.*\.txt$", re.IGNORECASE),
}
_FORMATS: dict[str, re.Pattern[str]] = {
    "departement": re.compile(r"[0-9A-Z]{2,3}"),
    "region": re.compile(r"[0-9A-Z]{2}"),
    "a129": re.compile(r"[A-Z][0-9]{2}[A-Z]"),
    "cpf4": re.compile(r"[0-9]{4}"),
    "country": re.compile(r"[A-Z0-9]{2}"),
}
_BLANKS = " \t"
_INTEGER = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"-?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")
_NUMBER_ARROW = r"^[ \t]*-?([0-9]+([.,][0-9]*)?|[.,][0-9]+)[ \t]*$"
_KEY = ("flow", "year", "quarter", "departement", "cpf4", "country")
_KEY_FIELDS = (
    "Flux",
    "Année",
    "Trimestre",
    "Code département",
    "Code CPF4",
    "Code Pays",
)
_YEARS = (1900, 2100)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Finding:
    """One thing a load noticed about the rows it kept, with its location.

    Attributes
    ----------
    kind
        One of :data:`FINDING_KINDS`.
    file
        The file (``archive.zip!member.txt`` for a zip member).
    line
        1-based line number, or ``None`` for a whole-file finding.
    field
        The DGDDI field concerned (e.g. ``"Valeur"``), or ``None``.
    values
        The values concerned, by name (e.g. ``{"Valeur": "-10"}``).
    message
        A French sentence, as the command line prints it.

    Examples
    --------
    >>> f = Finding("negative_value", "a.txt", 3, "Valeur", {"Valeur": "-5"}, "…")
    >>> f.to_dict()["line"]
    3
    """

    kind: str
    file: str
    line: int | None
    field: str | None
    values: Mapping[str, str]
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as JSON-ready types.

        Returns
        -------
        dict
            ``kind``, ``file``, ``line``, ``field``, ``values``, ``message``.

        Examples
        --------
        >>> Finding(
        ...     "unknown_code",
        ...     "a.txt",
        ...     1,
        ...     "Code Pays",
        ...     {"Code Pays": "ZZ"},
        ...     "code inconnu",
        ... ).to_dict()["values"]
        {'Code Pays': 'ZZ'}
        """
        return {
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "values": dict(self.values),
            "message": self.message,
        }


_KIND_FR = {
    "skipped_copy": ("copie identique ignorée", "copies identiques ignorées"),
    "duplicate_key": (
        "ligne répétant une clé (valeurs additionnées)",
        "lignes répétant une clé (valeurs additionnées)",
    ),
    "negative_value": (
        "valeur négative conservée",
        "valeurs négatives conservées",
    ),
    "region_mismatch": (
        "ligne dont le code région contredit Departement_region.txt",
        "lignes dont le code région contredit Departement_region.txt",
    ),
    "unknown_code": ("code inconnu conservé", "codes inconnus conservés"),
    "label_cleaned": (
        "libellé nettoyé de caractères de contrôle",
        "libellés nettoyés de caractères de contrôle",
    ),
}


def _fr_int(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


@dataclass
class LoadReport:
    """What a load read, kept and noticed.

    Attributes
    ----------
    files
        Data files read (``archive.zip!member`` for zip members), skipped
        copies excluded.
    rows_read, rows_kept
        Data lines parsed, and rows in the returned table (rows of other
        years are left out when ``year=`` is given, duplicated keys are
        summed into one row).
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
        Rows with a negative value (kept only with ``negative="keep"``).
    duplicate_keys
        Rows whose key repeated an earlier row's (summed into it).
    rows_other_years
        Rows left out because of ``year=``.
    fictitious
        True when a file declares itself fictitious (frtrade's embedded
        dataset): every output must then say so.
    label_files
        Label files found beside the data and used.
    findings
        Located findings (:class:`Finding`), the first
        20 of each kind; ``finding_counts`` holds the full counts.
    finding_counts
        Number of findings per kind (all of them).
    skipped_copies
        ``(skipped source, source it duplicates)`` for every copy of data
        read once.
    superseded
        With ``overlap="latest"``: ``{"file", "by", "flow", "year",
        "quarters"}`` for every part of an older publication replaced.
    content_hashes
        SHA-256 of the decompressed bytes of each data member read.
    cache_hits, cache_misses
        Data members found in, or added to, the on-disk cache
        (``cache=True``); both empty without cache.

    Examples
    --------
    >>> LoadReport(rows_read=3).summary_fr()
    ''
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
    findings: list[Finding] = field(default_factory=list)
    finding_counts: dict[str, int] = field(default_factory=dict)
    skipped_copies: list[tuple[str, str]] = field(default_factory=list)
    superseded: list[dict[str, Any]] = field(default_factory=list)
    content_hashes: dict[str, str] = field(default_factory=dict)
    cache_hits: list[str] = field(default_factory=list)
    cache_misses: list[str] = field(default_factory=list)

    def _add(self, finding: Finding) -> None:
        n = self.finding_counts.get(finding.kind, 0)
        self.finding_counts[finding.kind] = n + 1
        if n < _EXAMPLES:
            self.findings.append(finding)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready types.

        Returns
        -------
        dict
            Same fields as the attributes (year keys as strings); findings
            as a list of dicts (see :meth:`Finding.to_dict`).

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
            "findings": [f.to_dict() for f in self.findings],
            "finding_counts": dict(self.finding_counts),
            "skipped_copies": [list(p) for p in self.skipped_copies],
            "superseded": [dict(s) for s in self.superseded],
            "content_hashes": dict(self.content_hashes),
            "cache_hits": list(self.cache_hits),
            "cache_misses": list(self.cache_misses),
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
            ("rows repeating an earlier key (summed)", self.duplicate_keys),
            ("rows of other years left out", self.rows_other_years),
            ("identical copies skipped", len(self.skipped_copies)),
            ("labels cleaned of control characters",
             self.finding_counts.get("label_cleaned", 0)),
        ):  # fmt: skip
            if count:
                lines.append(f"{count:,} {label}")
        for part in self.superseded:
            lines.append(
                f"{part['file']}: {part['flow']} {part['year']} quarters "
                f"{part['quarters']} replaced by {part['by']}"
            )
        if self.fictitious:
            lines.append("FICTITIOUS DATA (données fictives): not DGDDI figures")
        return "\n".join(lines)

    def summary_fr(self) -> str:
        """Summarise the findings in one French paragraph (for the CLI's stderr).

        Returns
        -------
        str
            ``""`` when the load noticed nothing; otherwise sentences such as
            ``"Données : 1 copie identique ignorée (…) ; 2 lignes répétant une
            clé (valeurs additionnées), première : Region_2024_Export.txt,
            ligne 7."``

        Examples
        --------
        >>> r = LoadReport()
        >>> r.skipped_copies.append(
        ...     ("b/Region_2024_Export.txt", "a.zip!R/Region_2024_Export.txt")
        ... )
        >>> r._add(
        ...     Finding(
        ...         "skipped_copy",
        ...         "b/Region_2024_Export.txt",
        ...         None,
        ...         None,
        ...         {},
        ...         "copie identique de a.zip!R/Region_2024_Export.txt, ignorée",
        ...     )
        ... )
        >>> print(r.summary_fr())
        Données : 1 copie identique ignorée (b/Region_2024_Export.txt = a.zip!R/Region_2024_Export.txt).
        """  # noqa: E501
        parts: list[str] = []
        for kind in FINDING_KINDS_ORDER:
            count = self.finding_counts.get(kind, 0)
            if not count:
                continue
            singular, plural = _KIND_FR[kind]
            text = f"{_fr_int(count)} {singular if count == 1 else plural}"
            if kind == "skipped_copy":
                shown = [f"{a} = {b}" for a, b in self.skipped_copies[:3]]
                more = len(self.skipped_copies) - len(shown)
                text += (
                    " ("
                    + " ; ".join(shown)
                    + (f" ; et {more} autres" if more > 0 else "")
                    + ")"
                )
            else:
                first = next((f for f in self.findings if f.kind == kind), None)
                if first is not None:
                    text += ", premier cas : " + _where_fr(first)
                    shown_values = dict(first.values)
                    if shown_values:
                        text += (
                            " ("
                            + ", ".join(f"{k} {v}" for k, v in shown_values.items())
                            + ")"
                        )
            parts.append(text)
        for part in self.superseded:
            flux = "exportations" if part["flow"] == "export" else "importations"
            quarters = ", ".join(str(q) for q in part["quarters"])
            word = "trimestre" if len(part["quarters"]) == 1 else "trimestres"
            parts.append(
                f"{flux} {part['year']} ({word} {quarters}) de {part['file']} "
                f"remplacées par la publication plus récente {part['by']}"
            )
        if not parts:
            return ""
        return "Données : " + " ; ".join(parts) + "."

    def _repr_html_(self) -> str:
        rows = [
            ("Fichiers lus", "<br>".join(html.escape(f) for f in self.files)),
            ("Lignes lues / gardées", f"{_fr_int(self.rows_read)} / {_fr_int(self.rows_kept)}"),
            ("Années", ", ".join(
                f"{y} (T{', T'.join(str(q) for q in self.quarters.get(y, []))})"
                for y in self.years)),
        ]  # fmt: skip
        if self.skipped_copies:
            rows.append(
                (
                    "Copies ignorées",
                    "<br>".join(
                        f"{html.escape(a)} = {html.escape(b)}"
                        for a, b in self.skipped_copies
                    ),
                )
            )
        head = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{v}</td></tr>"
            for k, v in rows
        )
        findings = "".join(
            "<tr>"
            + "".join(
                f"<td style='text-align:left'>{html.escape(str(x))}</td>"
                for x in (
                    f.kind,
                    f.file,
                    "" if f.line is None else f.line,
                    f.field or "",
                    f.message,
                )
            )
            + "</tr>"
            for f in self.findings
        )
        counts = ", ".join(
            f"{html.escape(k)} : {_fr_int(v)}" for k, v in self.finding_counts.items()
        )
        fict = (
            "<p><strong>Données fictives</strong> : ce ne sont pas des chiffres DGDDI.</p>"
            if self.fictitious
            else ""
        )
        table = (
            "<table><thead><tr><th>type</th><th>fichier</th><th>ligne</th>"
            f"<th>champ</th><th>constat</th></tr></thead><tbody>{findings}</tbody></table>"
            if findings
            else "<p>Aucune anomalie relevée.</p>"
        )
        return (
            "<div class='frtrade-load-report'><strong>Rapport de chargement frtrade</strong>"
            f"<table>{head}</table>{fict}"
            + (f"<p>Constats : {counts}</p>" if counts else "")
            + table
            + "</div>"
        )


FINDING_KINDS_ORDER = (
    "skipped_copy",
    "negative_value",
    "duplicate_key",
    "region_mismatch",
    "unknown_code",
    "label_cleaned",
)


def _visible(text: str) -> str:
    """``text`` with every non-printable character shown as an escape."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def _where_fr(finding: Finding) -> str:
    where = finding.file
    if finding.line is not None:
        where += f", ligne {finding.line}"
    return where


@dataclass(frozen=True)
class Labels:
    """Labels of codes: the shipped reference, overridden by the data's own files.

    Display labels (``countries``, ``products``, ``departements``) are capped
    at :data:`~frtrade.labels.LABEL_MAX_CHARS` characters for drawing; the
    full texts stay in ``products_official`` and ``countries_official``.
    Every label read from a file is cleaned of control characters.

    Attributes
    ----------
    countries, products, departements
        ``code -> French display name``; ``products`` holds A129 (short labels)
        and CPF4 codes.
    products_official
        ``code -> official DGDDI label`` for A129 and CPF4.
    countries_official
        ``code -> full label`` read from the data's ``Libelle_PAYS`` file.
    tables
        The label files read, as ``(kind, table)`` (see
        :func:`~frtrade.labels.read_label_file`), kept to give the labels
        valid in another year (:meth:`for_year`).
    """

    countries: dict[str, str]
    products: dict[str, str]
    products_official: dict[str, str]
    departements: dict[str, str]
    countries_official: dict[str, str] = field(default_factory=dict)
    tables: tuple[tuple[str, pd.DataFrame], ...] = field(default=(), compare=False)

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

    def for_year(self, year: int) -> Labels:
        """Labels valid in December of ``year`` (DGDDI reuses some codes).

        ``XS`` was Saba until May 2005 and is Serbia since: with several
        years loaded, ask the labels of the year you show.

        Parameters
        ----------
        year
            The year of the data shown.

        Returns
        -------
        Labels
            The shipped labels overridden by the data's label files, each
            code taking the label valid at ``year``-12.

        Examples
        --------
        >>> t = pd.DataFrame(
        ...     {
        ...         "code": ["XS", "XS"],
        ...         "label": ["Saba", "Serbie"],
        ...         "valid_from": [190001, 200506],
        ...         "valid_to": [200505, 999912],
        ...     }
        ... )
        >>> lab = Labels.shipped().with_table("country", t, period=202412)
        >>> lab.countries["XS"], lab.for_year(2004).countries["XS"]
        ('Serbie', 'Saba')
        """
        labels = Labels.shipped()
        for kind, table in self.tables:
            labels = labels.with_table(kind, table, period=year * 100 + 12)
        return labels

    def with_table(self, kind: str, table: pd.DataFrame, *, period: int) -> Labels:
        """Return labels overridden by a label table read from the data.

        Parameters
        ----------
        kind
            ``"country"``, ``"a129"`` or ``"cpf4"``.
        table
            Output of :func:`~frtrade.labels.read_label_file`.
        period
            ``AAAAMM`` at which validity periods are read.

        Returns
        -------
        Labels
            A new object remembering ``table`` (see :meth:`for_year`).

        Examples
        --------
        >>> t = pd.DataFrame(
        ...     {
        ...         "code": ["ZZ"],
        ...         "label": ["Zedland"],
        ...         "valid_from": [190001],
        ...         "valid_to": [999912],
        ...     }
        ... )
        >>> Labels.shipped().with_table("country", t, period=202412).countries["ZZ"]
        'Zedland'
        """
        new = self.updated(kind, current_labels(table, period=period))
        return Labels(
            new.countries,
            new.products,
            new.products_official,
            new.departements,
            new.countries_official,
            (*self.tables, (kind, table)),
        )

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
                    **{
                        k: cap_label(v)
                        for k, v in official.items()
                        if k not in self.departements
                    },
                },
                self.countries_official,
                self.tables,
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
            full = dict(self.countries_official)
            for code, label in official.items():
                full[code] = label
                if shipped_official.get(code) != label:
                    merged[code] = cap_label(label)
            return Labels(
                merged,
                self.products,
                self.products_official,
                self.departements,
                full,
                self.tables,
            )
        products = dict(self.products)
        products_official = dict(self.products_official)
        for code, label in official.items():
            if products_official.get(code) != label:
                products[code] = cap_label(label)
            products_official[code] = label
        return Labels(
            self.countries,
            products,
            products_official,
            self.departements,
            self.countries_official,
            self.tables,
        )


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
        Labels of every code (the data's own label files win), valid in the
        latest year loaded (see :meth:`Labels.for_year`).
    """

    flows: pd.DataFrame
    report: LoadReport
    labels: Labels


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class _Limits:
    max_member_bytes: int
    max_ratio: float


# What opening or reading a zip member or a file may raise: every one becomes a
# DataFormatError naming the source.
_READ_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    zlib.error,
    RuntimeError,
    NotImplementedError,
    ValueError,
)


@dataclass(frozen=True)
class _Member:
    name: str  # for messages: "archive.zip!dir/member.txt" or the path
    basename: str
    path: Path  # the file on disk (the zip for a member)
    info: zipfile.ZipInfo | None = None
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

    @property
    def size(self) -> int:
        if self.info is not None:
            return self.info.file_size
        return self.path.stat().st_size

    def check(self, limits: _Limits) -> None:
        """Refuse a zip member we should not inflate, before reading it."""
        info = self.info
        if info is None:
            return
        if info.flag_bits & 0x1:
            raise DataFormatError(
                "encrypted zip member: frtrade reads only unencrypted zips",
                file=self.name,
            )
        supported = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
        for method, module in (
            (zipfile.ZIP_BZIP2, "bz2"),
            (zipfile.ZIP_LZMA, "lzma"),
        ):
            with contextlib.suppress(ImportError):
                __import__(module)
                supported.add(method)
        if info.compress_type not in supported:
            raise DataFormatError(
                f"unsupported zip compression method {info.compress_type} "
                "(use deflate, as DGDDI does)",
                file=self.name,
            )
        if info.file_size > limits.max_member_bytes:
            raise DataFormatError(
                f"zip member inflates to {info.file_size:,} bytes, more than the "
                f"limit of {limits.max_member_bytes:,} "
                "(raise it with max_member_bytes=...)",
                file=self.name,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1 << 20 and ratio > limits.max_ratio:
            raise DataFormatError(
                f"zip member compressed {ratio:,.0f} times, more than the limit of "
                f"{limits.max_ratio:,.0f} (a zip bomb? raise it with max_ratio=...)",
                file=self.name,
            )

    @contextlib.contextmanager
    def stream(self) -> Iterator[IO[bytes]]:
        with contextlib.ExitStack() as stack:
            try:
                if self.info is None:
                    raw: IO[bytes] = stack.enter_context(self.path.open("rb"))
                else:
                    archive = stack.enter_context(zipfile.ZipFile(self.path))
                    raw = stack.enter_context(archive.open(self.info))
            except _READ_ERRORS as exc:
                raise DataFormatError(
                    f"corrupt or unreadable file ({type(exc).__name__}: {exc})",
                    file=self.name,
                ) from None
            yield raw

    def read(self, limits: _Limits) -> bytes:
        self.check(limits)
        with self.stream() as raw:
            try:
                data: bytes = raw.read(limits.max_member_bytes + 1)
            except _READ_ERRORS as exc:
                raise DataFormatError(
                    f"corrupt zip member ({type(exc).__name__}: {exc})",
                    file=self.name,
                ) from None
        if len(data) > limits.max_member_bytes and self.info is not None:
            raise DataFormatError(
                f"zip member larger than the limit of {limits.max_member_bytes:,} bytes",
                file=self.name,
            )
        return data

    def signature(self) -> str:
        """A cheap fingerprint of the file (and member) for the cache index."""
        st = self.path.stat()
        parts = [str(self.path.resolve()), str(st.st_size), str(st.st_mtime_ns)]
        if self.info is not None:
            parts += [self.info.filename, str(self.info.CRC), str(self.info.file_size)]
        return "|".join(parts)

    def publication(self) -> int | None:
        """``AAAAMM`` publication month from a DGDDI file name, if any."""
        names = [self.path.name, *(p.name for p in self.path.parents)]
        if self.info is not None:
            names = [self.basename, *self.info.filename.split("/"), *names]
        for name in names:
            match = _PUBLICATION.match(name)
            if match:
                return int(match.group(1) + match.group(2))
        return None


def _regular(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise DataFormatError(f"cannot read ({exc.strerror})", file=str(path)) from None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise DataFormatError(
            "not a regular file (a pipe, a device...): give a DGDDI zip, a .txt "
            "data file or a folder",
            file=str(path),
        )


def _open_zip(path: Path) -> list[_Member]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        zlib.error,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise DataFormatError(
            f"not a readable zip archive ({exc})", file=str(path)
        ) from None
    return [
        _Member(
            f"{path}!{info.filename}",
            info.filename.rsplit("/", 1)[-1],
            path,
            info,
        )
        for info in infos
        if not info.is_dir()
    ]


def _expand(source: str | Path, *, explicit: bool = True) -> list[_Member]:
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"no such file or directory: {path}")
    _regular(path)
    if path.is_dir():
        members: list[_Member] = []
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue
            if child.is_dir() or child.suffix.lower() in {".zip", ".txt"}:
                members.extend(_expand(child, explicit=False))
        return members
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return _open_zip(path)
    return [_Member(str(path), path.name, path, None, explicit=explicit)]


def _flow_hint(basename: str) -> str | None:
    lower = basename.lower()
    if "export" in lower or re.search(r"cpf4payse\.txt$", lower):
        return "export"
    if "import" in lower or re.search(r"cpf4paysi\.txt$", lower):
        return "import"
    return None


# --------------------------------------------------------------------------- parsing


class _Tap:
    """A read-only stream that hashes and counts what passes through it."""

    def __init__(self, raw: IO[bytes], limit: int, name: str) -> None:
        self._raw = raw
        self._limit = limit
        self._name = name
        self.digest = hashlib.sha256()
        self.size = 0
        self.cr = 0
        self.crlf = 0
        self.lf = 0
        self.last = b""
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if not data:
            return data
        self.digest.update(data)
        self.size += len(data)
        if self.size > self._limit:
            raise DataFormatError(
                f"larger than the limit of {self._limit:,} bytes "
                "(raise it with max_member_bytes=...)",
                file=self._name,
            )
        self.lf += data.count(b"\n")
        if b"\r" in data or self.last == b"\r":
            self.cr += data.count(b"\r")
            self.crlf += data.count(b"\r\n") + (
                self.last == b"\r" and data[:1] == b"\n"
            )
        self.last = data[-1:]
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self.size

    def close(self) -> None:
        self.closed = True

    def lines(self) -> int:
        return self.lf + (self.size > 0 and self.last != b"\n")


def _csv_options() -> tuple[Any, Any, Any]:
    import pyarrow as pa
    from pyarrow import csv

    code = pa.dictionary(pa.int32(), pa.string())
    number = pa.string()  # pyarrow's integer parser takes "0x10": check the text
    return (
        csv.ReadOptions(column_names=list(_RAW), block_size=1 << 22),
        csv.ParseOptions(
            delimiter=";",
            quote_char=False,
            double_quote=False,
            escape_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
        ),
        csv.ConvertOptions(
            column_types={
                "flux": code,
                "quarter": pa.int8(),
                "year": pa.int16(),
                **dict.fromkeys(CODE_COLUMNS, code),
                "value_eur": number,
                "mass_kg": number,
            },
            null_values=[],
            true_values=[],
            false_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _arrow_read(data: IO[bytes] | bytes) -> pa.Table:
    from pyarrow import csv

    read, parse, convert = _csv_options()
    return csv.read_csv(
        io.BytesIO(data) if isinstance(data, bytes) else data,
        read_options=read,
        parse_options=parse,
        convert_options=convert,
    )


def _number_column(column: pa.ChunkedArray | pa.Array, name: str) -> pa.Array:
    """A text column of numbers as float64; ValueError on a malformed number."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pool = pa.system_memory_pool()  # freed memory goes back to the OS
    plain = pc.ascii_is_decimal(column, memory_pool=pool)  # digits only: common
    if not pc.all(plain).as_py():
        rest = pc.filter(column, pc.invert(plain))
        if not pc.all(pc.match_substring_regex(rest, _NUMBER_ARROW)).as_py():
            raise ValueError(f"malformed number in {name}")
        column = pc.replace_substring(pc.utf8_trim(column, _BLANKS), ",", ".")
    return pc.cast(column, pa.float64(), memory_pool=pool)


def _arrow_stream(source: IO[bytes]) -> pd.DataFrame:
    """Parse a data member batch by batch into compact pandas columns.

    Holding one small Arrow batch at a time (instead of the whole Arrow
    table, then its pandas copy) keeps the peak memory near the size of the
    final table.
    """
    from pandas.api.types import union_categoricals
    from pyarrow import csv

    read, parse, convert = _csv_options()
    import pyarrow as pa

    # The system allocator gives the freed batches back to the OS; pyarrow's
    # default pool would keep them, doubling the peak memory of a large file.
    reader = csv.open_csv(
        source,
        read_options=read,
        parse_options=parse,
        convert_options=convert,
        memory_pool=pa.system_memory_pool(),
    )
    parts: dict[str, list[Any]] = {c: [] for c in _RAW}
    for count, batch in enumerate(reader, start=1):
        if count % 8 == 0:
            _release_memory()
        for index, name in enumerate(_RAW):
            column = batch.column(index)
            if name in {"value_eur", "mass_kg"}:
                parts[name].append(_number_column(column, name).to_numpy())
            elif name in {"quarter", "year"}:
                parts[name].append(column.to_numpy())
            else:
                parts[name].append(
                    pd.Categorical.from_codes(
                        column.indices.to_numpy(),
                        categories=column.dictionary.to_pylist(),
                    )
                )
        del batch
    if not parts["year"]:
        raise ValueError("empty data file")
    out: dict[str, Any] = {}
    for name in _RAW:
        chunks = parts.pop(name)
        if isinstance(chunks[0], pd.Categorical):
            out[name] = chunks[0] if len(chunks) == 1 else union_categoricals(chunks)
        else:
            out[name] = chunks[0] if len(chunks) == 1 else np.concatenate(chunks)
        del chunks
    frame = pd.DataFrame(out, copy=False)
    del out
    _release_memory()
    return frame


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """The C library's ``malloc_trim`` (glibc), or None elsewhere."""
    import ctypes
    import ctypes.util

    try:
        name = ctypes.util.find_library("c")
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return cast("Callable[[int], int]", trim)


def _release_memory() -> None:
    """Give the memory freed by parsed batches back to the operating system.

    pyarrow's reader threads free their batches into per-thread malloc arenas
    that glibc keeps; without trimming them, the peak memory of one large file
    is about twice the size of its final table plus its text.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Turn the parsed table into pandas; raise ValueError on a malformed number."""
    for name in ("value_eur", "mass_kg"):
        index = table.schema.get_field_index(name)
        column = _number_column(table.column(index), name)
        table = table.set_column(index, name, column)
    frame: pd.DataFrame = table.to_pandas(split_blocks=True, self_destruct=True)
    return frame


@dataclass
class _Parsed:
    member: _Member
    frame: pd.DataFrame
    digest: str
    lines: np.ndarray[Any, np.dtype[np.int64]] | None = None  # row -> line, if not i+1


def _hash_only(member: _Member, limits: _Limits) -> str:
    member.check(limits)
    with member.stream() as raw:
        tap = _Tap(raw, limits.max_member_bytes, member.name)
        try:
            while tap.read(1 << 22):
                pass
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            zlib.error,
            RuntimeError,
            NotImplementedError,
            ValueError,
        ) as exc:
            raise DataFormatError(
                f"corrupt zip member ({type(exc).__name__}: {exc})", file=member.name
            ) from None
    return tap.digest.hexdigest()


def _parse_member(member: _Member, limits: _Limits) -> _Parsed:
    """Parse a data member: stream it through pyarrow; on any trouble, diagnose."""
    member.check(limits)
    frame: pd.DataFrame | None = None
    digest = ""
    with member.stream() as raw:
        tap = _Tap(raw, limits.max_member_bytes, member.name)
        try:
            frame = _arrow_stream(tap)  # type: ignore[arg-type]
        except FrtradeError:
            raise
        except Exception:  # pyarrow raises several types; a malformed number
            frame = None
        if frame is not None and (tap.cr != tap.crlf or len(frame) != tap.lines()):
            frame = None  # a lone CR or a skipped line: locate it
        if frame is not None:
            digest = tap.digest.hexdigest()
    if frame is None or _needs_diagnosis(frame):
        frame = None
        data = member.read(limits)
        digest = hashlib.sha256(data).hexdigest()
        frame = _parse_slow_path(data, member.name)
    return _Parsed(member, frame, digest)


def _parse_slow_path(data: bytes, source: str) -> pd.DataFrame:
    if not data.strip():
        raise DataFormatError("empty data file (no data line)", file=source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    _diagnose(data, source=source)  # raises on the first faulty line
    try:  # every line is well-formed
        frame = _arrow_to_pandas(_arrow_read(data))
    except Exception as exc:
        raise DataFormatError(
            f"unreadable data file ({type(exc).__name__}: {exc})", file=source
        ) from None
    if _needs_diagnosis(frame):
        raise DataFormatError("invalid values (see the DGDDI format)", file=source)
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
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataFormatError(
                "bytes that are not UTF-8 in a data line",
                file=source,
                line=number,
                value=repr(raw_line[max(0, exc.start - 10) : exc.end + 10]),
            ) from None
        if not line.strip():
            raise DataFormatError(
                "blank line (DGDDI data files have none: a damaged or "
                "concatenated file?)",
                file=source,
                line=number,
                value=line,
            )
        fields = line.split(";")
        for index, text in enumerate(fields):
            if "\r" in text:
                raise DataFormatError(
                    "carriage return (CR) inside a line",
                    file=source,
                    line=number,
                    field=DGDDI_FIELDS[index] if index < len(DGDDI_FIELDS) else None,
                    value=text,
                )
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
    q = quarter.strip(_BLANKS)
    if not _INTEGER.fullmatch(q) or not 1 <= int(q) <= 4:
        raise DataFormatError(
            "quarter outside 1-4",
            file=source,
            line=line,
            field="Trimestre",
            value=quarter,
        )
    y = year.strip(_BLANKS)
    if not (_INTEGER.fullmatch(y) and len(y.lstrip("0")) == 4):
        raise DataFormatError(
            "year must have 4 digits", file=source, line=line, field="Année", value=year
        )
    if not _YEARS[0] <= int(y) <= _YEARS[1]:
        raise DataFormatError(
            f"year outside {_YEARS[0]}-{_YEARS[1]}",
            file=source,
            line=line,
            field="Année",
            value=year,
        )
    for name, text in zip(CODE_COLUMNS, (dep, reg, a129, cpf4, country), strict=True):
        if not _FORMATS[name].fullmatch(text):
            raise DataFormatError(
                f"malformed code (expected {_FORMATS[name].pattern})",
                file=source,
                line=line,
                field=DGDDI_FIELDS[3 + CODE_COLUMNS.index(name)],
                value=text,
            )
    for name, text in (("Valeur", value), ("Masse", mass)):
        number = text.strip(_BLANKS)
        if not _NUMBER.fullmatch(number):
            problem = (
                "exponent notation is not accepted (DGDDI writes plain numbers)"
                if re.fullmatch(r"-?[0-9.,]+[eE][+-]?[0-9]+", number)
                else "not a number"
            )
            raise DataFormatError(
                problem, file=source, line=line, field=name, value=text
            )
        whole = number.lstrip("-").replace(",", ".").split(".")[0] or "0"
        if int(whole) >= _EXACT_LIMIT:
            raise DataFormatError(
                "number too large to be held exactly (2^53 or more)",
                file=source,
                line=line,
                field=name,
                value=text,
            )


def _needs_diagnosis(frame: pd.DataFrame) -> bool:
    """Cheap vectorised checks; any failure sends the file to :func:`_diagnose`."""
    if len(frame) == 0:
        return True
    quarter = frame["quarter"].to_numpy()
    year = frame["year"].to_numpy()
    checks = [
        set(frame["flux"].cat.categories) <= set(_FLOW_CODES),
        quarter.min() >= 1 and quarter.max() <= 4,
        year.min() >= _YEARS[0] and year.max() <= _YEARS[1],
        *(
            all(_FORMATS[name].fullmatch(v) for v in frame[name].cat.categories)
            for name in CODE_COLUMNS
        ),
        *(
            bool((np.abs(frame[name].to_numpy()) < _EXACT_LIMIT).all())
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
        },
        copy=False,  # the parsed frame is dropped: no second copy of the rows
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if len(frames) == 1:
        return frames[0]  # every frame has a fresh RangeIndex (see _keep_rows)
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


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _line_of(parsed: _Parsed, row: int) -> int:
    return int(parsed.lines[row]) if parsed.lines is not None else row + 1


def _keep_rows(parsed: _Parsed, keep: np.ndarray[Any, np.dtype[np.bool_]]) -> None:
    if keep.all():
        return
    rows = np.flatnonzero(keep)
    parsed.lines = (
        parsed.lines[rows] if parsed.lines is not None else rows.astype(np.int64) + 1
    )
    parsed.frame = parsed.frame.iloc[rows].reset_index(drop=True)


def _distinct(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``np.unique(values)`` of a column with few distinct values: hashed, not sorted."""
    return np.sort(pd.unique(values))


def _coverage(frame: pd.DataFrame) -> set[tuple[str, int, int]]:
    flow = frame["flow"].cat.codes.to_numpy().astype(np.int64)
    key = flow * 100_000 + frame["year"].to_numpy().astype(np.int64) * 10
    key += frame["quarter"].to_numpy()
    return {
        (FLOWS[int(k) // 100_000], int(k) % 100_000 // 10, int(k) % 10)
        for k in _distinct(key)
    }


def _overlaps(parsed: list[_Parsed], policy: str, report: LoadReport) -> None:
    """Refuse, or resolve with ``policy="latest"``, members covering the same quarters."""
    covers = [_coverage(p.frame) for p in parsed]
    drop: list[set[tuple[str, int, int]]] = [set() for _ in parsed]
    for i in range(len(parsed)):
        for j in range(i):
            common = covers[i] & covers[j]
            if not common:
                continue
            flows = sorted({f for f, _, _ in common})
            text = "; ".join(
                f"{f} {y} quarter(s) "
                + ", ".join(
                    str(q) for ff, yy, q in sorted(common) if ff == f and yy == y
                )
                for f in flows
                for y in sorted({yy for ff, yy, _ in common if ff == f})
            )
            if policy != "latest":
                raise DataFormatError(
                    f"two different data files cover the same rows ({text}): "
                    f"{parsed[j].member.name} and {parsed[i].member.name}; give only "
                    "one of them, or pass overlap='latest' (command line: "
                    "--overlap latest) to keep the most recent publication",
                    file=parsed[i].member.name,
                )
            i_is_newer = _newer(parsed[i], parsed[j], covers[i], covers[j])
            if i_is_newer is None:
                raise DataFormatError(
                    f"two different data files cover the same rows ({text}) and "
                    "nothing tells which one is the more recent publication "
                    "(neither an AAAAMM_ file-name prefix nor a later period): "
                    f"{parsed[j].member.name} and {parsed[i].member.name}",
                    file=parsed[i].member.name,
                )
            newer, older = (i, j) if i_is_newer else (j, i)
            drop[older] |= common
            for f in flows:
                for y in sorted({yy for ff, yy, _ in common if ff == f}):
                    report.superseded.append(
                        {
                            "file": parsed[older].member.name,
                            "by": parsed[newer].member.name,
                            "flow": f,
                            "year": y,
                            "quarters": sorted(
                                q for ff, yy, q in common if ff == f and yy == y
                            ),
                        }
                    )
    for p, gone in zip(parsed, drop, strict=True):
        if gone:
            frame = p.frame
            flow = frame["flow"].astype(str).to_numpy()
            year = frame["year"].to_numpy()
            quarter = frame["quarter"].to_numpy()
            hit = np.zeros(len(frame), dtype=bool)
            for f, y, q in gone:
                hit |= (flow == f) & (year == y) & (quarter == q)
            _keep_rows(p, ~hit)
    for part in report.superseded:
        warnings.warn(
            f"{part['file']}: {part['flow']} {part['year']} quarter(s) "
            f"{part['quarters']} replaced by the more recent publication {part['by']}",
            DataQualityWarning,
            stacklevel=4,
        )


def _newer(
    a: _Parsed,
    b: _Parsed,
    cover_a: set[tuple[str, int, int]],
    cover_b: set[tuple[str, int, int]],
) -> bool | None:
    """True when ``a`` is the more recent publication, False for ``b``, None if unknown."""
    pub_a, pub_b = a.member.publication(), b.member.publication()
    if pub_a is not None and pub_b is not None and pub_a != pub_b:
        return pub_a > pub_b
    last_a = max((y, q) for _, y, q in cover_a)
    last_b = max((y, q) for _, y, q in cover_b)
    if last_a != last_b:
        return last_a > last_b
    return None


def _composite_key(frame: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.int64]] | None:
    key = np.zeros(len(frame), dtype=np.int64)
    span = 1
    for column in _KEY:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.int64)
            size = len(series.cat.categories) + 1
        else:
            values = series.to_numpy().astype(np.int64)
            codes = values - values.min()
            size = int(codes.max()) + 1
        span *= size
        if span >= 1 << 62:
            return None
        key = key * size + codes
    return key


def _row_values(
    frame: pd.DataFrame, row: int, columns: Sequence[str]
) -> dict[str, str]:
    names = dict(zip(_KEY, _KEY_FIELDS, strict=True)) | {
        "region": "Code région",
        "a129": "Code A129",
        "value_eur": "Valeur",
        "mass_kg": "Masse",
    }
    out: dict[str, str] = {}
    for column in columns:
        value = frame[column].iloc[row]
        if column == "flow":
            value = "E" if value == "export" else "I"
        elif column in {"value_eur", "mass_kg"}:
            value = _number_text(float(value))
        out[names[column]] = str(value)
    return out


def _negatives(parsed: _Parsed, policy: str, report: LoadReport) -> None:
    frame = parsed.frame
    value = frame["value_eur"].to_numpy()
    mass = frame["mass_kg"].to_numpy()
    bad = (value < 0) | (mass < 0)
    if not bad.any():
        return
    rows = np.flatnonzero(bad)
    first = int(rows[0])
    column = "value_eur" if value[first] < 0 else "mass_kg"
    name = "Valeur" if column == "value_eur" else "Masse"
    if policy != "keep":
        raise DataFormatError(
            f"negative value ({len(rows):,} line(s) in this file; DGDDI values "
            "are never negative): pass negative='keep' (command line: "
            "--negative keep) to keep them",
            file=parsed.member.name,
            line=_line_of(parsed, first),
            field=name,
            value=_number_text(float(frame[column].iloc[first])),
        )
    report.negative_values += len(rows)
    for row in rows[:_EXAMPLES]:
        r = int(row)
        col = "value_eur" if value[r] < 0 else "mass_kg"
        shown = _row_values(frame, r, [col])
        report._add(
            Finding(
                "negative_value",
                parsed.member.name,
                _line_of(parsed, r),
                "Valeur" if col == "value_eur" else "Masse",
                shown,
                "valeur négative conservée ("
                + ", ".join(f"{k} {v}" for k, v in shown.items())
                + ")",
            )
        )
    report.finding_counts["negative_value"] += len(rows) - min(len(rows), _EXAMPLES)
    warnings.warn(
        f"{len(rows):,} negative value(s) kept on request; first: "
        f"{parsed.member.name}, line {_line_of(parsed, first)}, field {name!r}, "
        f"value {_number_text(float(frame[column].iloc[first]))}",
        DataQualityWarning,
        stacklevel=4,
    )


def _duplicates(parsed: _Parsed, policy: str, report: LoadReport) -> None:
    frame = parsed.frame
    if len(frame) < 2:
        return
    key = _composite_key(frame)
    if key is None:  # too many distinct codes for one integer: let pandas hash
        key = (
            pd.MultiIndex.from_frame(frame[list(_KEY)]).factorize()[0].astype(np.int64)
        )
    probe = np.sort(key)  # cheaper than argsort when, as usual, no key repeats
    if not (probe[1:] == probe[:-1]).any():
        return
    del probe
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    repeat = sorted_key[1:] == sorted_key[:-1]
    starts = np.flatnonzero(np.r_[True, ~repeat])
    group_first = np.repeat(order[starts], np.diff(np.r_[starts, len(order)]))
    dup_pos = np.flatnonzero(np.r_[False, repeat])  # positions in `order`
    dup_rows = order[dup_pos]
    first_rows = group_first[dup_pos]
    by_line = np.argsort(dup_rows, kind="stable")
    dup_rows, first_rows = dup_rows[by_line], first_rows[by_line]
    line_a, line_b = (
        _line_of(parsed, int(first_rows[0])),
        _line_of(parsed, int(dup_rows[0])),
    )
    key_text = ";".join(_row_values(frame, int(dup_rows[0]), _KEY).values())
    if policy == "error":
        raise DataFormatError(
            f"{len(dup_rows):,} line(s) repeat the key (flow, year, quarter, "
            f"département, CPF4, country) of an earlier line; first: key {key_text} "
            f"on lines {line_a} and {line_b}",
            file=parsed.member.name,
            line=line_b,
        )
    for a, b in zip(first_rows[:_EXAMPLES], dup_rows[:_EXAMPLES], strict=True):
        values = _row_values(frame, int(b), _KEY)
        la, lb = _line_of(parsed, int(a)), _line_of(parsed, int(b))
        values["lignes"] = f"{la} et {lb}"
        report._add(
            Finding(
                "duplicate_key",
                parsed.member.name,
                lb,
                None,
                values,
                f"la ligne {lb} répète la clé {';'.join(list(values.values())[:6])} "
                f"de la ligne {la} : valeurs additionnées",
            )
        )
    extra = len(dup_rows) - min(len(dup_rows), _EXAMPLES)
    report.finding_counts["duplicate_key"] += extra
    report.duplicate_keys += len(dup_rows)
    warnings.warn(
        f"{len(dup_rows):,} line(s) repeat an earlier key and are summed into it; "
        f"first: {parsed.member.name}, key {key_text} on lines {line_a} and {line_b}",
        DataQualityWarning,
        stacklevel=4,
    )
    sums_value = np.add.reduceat(frame["value_eur"].to_numpy()[order], starts)
    sums_mass = np.add.reduceat(frame["mass_kg"].to_numpy()[order], starts)
    value = frame["value_eur"].to_numpy().copy()
    mass = frame["mass_kg"].to_numpy().copy()
    value[order[starts]] = sums_value
    mass[order[starts]] = sums_mass
    frame = frame.assign(value_eur=value, mass_kg=mass)
    keep = np.ones(len(frame), dtype=bool)
    keep[dup_rows] = False
    parsed.frame = frame
    _keep_rows(parsed, keep)


def _region_mismatches(
    parsed: _Parsed, expected: dict[str, str], report: LoadReport
) -> None:
    frame = parsed.frame
    deps = frame["departement"].cat
    regs = frame["region"].cat
    reg_index = {c: i for i, c in enumerate(regs.categories)}
    want = np.array(
        [
            reg_index.get(expected[d], -2) if d in expected else -3
            for d in deps.categories
        ]
        + [-3],
        dtype=np.int64,
    )
    dep_codes = deps.codes.to_numpy().astype(np.int64)
    wanted = want[dep_codes]
    bad = (wanted != -3) & (wanted != regs.codes.to_numpy())
    if not bad.any():
        return
    rows = np.flatnonzero(bad)
    report.region_mismatches += len(rows)
    for row in rows[:_EXAMPLES]:
        r = int(row)
        dep = str(frame["departement"].iloc[r])
        reg = str(frame["region"].iloc[r])
        report._add(
            Finding(
                "region_mismatch",
                parsed.member.name,
                _line_of(parsed, r),
                "Code région",
                {"Code département": dep, "Code région": reg, "attendu": expected[dep]},
                f"le département {dep} porte le code région {reg} ; "
                f"Departement_region.txt indique {expected[dep]} (code de la ligne conservé)",
            )
        )
    report.finding_counts["region_mismatch"] += len(rows) - min(len(rows), _EXAMPLES)
    first = int(rows[0])
    dep = str(frame["departement"].iloc[first])
    warnings.warn(
        f"{len(rows):,} line(s) carry a région code that contradicts "
        f"Departement_region.txt (kept); first: {parsed.member.name}, line "
        f"{_line_of(parsed, first)}: département {dep}, région "
        f"{frame['region'].iloc[first]} instead of {expected[dep]}",
        DataQualityWarning,
        stacklevel=4,
    )


def _unknown_codes(
    parsed: _Parsed,
    known: dict[str, set[str]],
    report: LoadReport,
    first_seen: dict[tuple[str, str], bool],
) -> None:
    frame = parsed.frame
    for column, known_set in known.items():
        series = frame[column]
        unknown = [
            (i, c) for i, c in enumerate(series.cat.categories) if c not in known_set
        ]
        if not unknown:
            continue
        codes = series.cat.codes.to_numpy()
        counts = np.bincount(codes[codes >= 0], minlength=len(series.cat.categories))
        found = report.unknown_codes.setdefault(column, {})
        name = DGDDI_FIELDS[3 + CODE_COLUMNS.index(column)]
        for i, code in unknown:
            if counts[i] == 0:
                continue
            found[code] = found.get(code, 0) + int(counts[i])
            if (column, code) in first_seen:
                continue
            first_seen[column, code] = True
            row = int(np.argmax(codes == i))
            line = _line_of(parsed, row)
            report._add(
                Finding(
                    "unknown_code",
                    parsed.member.name,
                    line,
                    name,
                    {name: code},
                    f"code {code!r} inconnu ({name}), première occurrence ligne "
                    f"{line} ; lignes conservées",
                )
            )


def load_dgddi(
    *sources: str | Path,
    year: int | None = None,
    flows: Sequence[Literal["export", "import"]] | None = None,
    duplicates: Literal["sum", "keep", "error"] = "sum",
    negative: Literal["error", "keep"] = "error",
    overlap: Literal["error", "latest"] = "error",
    max_member_bytes: int = MAX_MEMBER_BYTES,
    max_ratio: float = MAX_COMPRESSION_RATIO,
    cache: bool | str | Path = False,
) -> DGDDIData:
    """Load DGDDI regional files with their report and labels.

    Parameters
    ----------
    *sources
        Annual zips (``..._regional_2024_export.zip``), "dernière publication"
        zips, their ``.txt`` data members, or directories holding them (read
        recursively, hidden entries skipped). Data members are found by
        pattern (``Region*_*.txt``, ``REGIONAL_CPF4PAYS[EI].txt``), label
        files likewise. Several years load into one table.
    year
        Keep only this year (the rows of other years are counted in the
        report). By default every year is kept.
    flows
        Keep only these flows (default: both).
    duplicates
        ``"sum"`` (default; ``"keep"`` is an alias): lines repeating the key
        (flow, year, quarter, département, CPF4, country) of an earlier line
        of the same file are summed into it (value and mass), with a
        :class:`~frtrade.errors.DataQualityWarning` naming the key and both
        lines; ``"error"`` raises :class:`~frtrade.errors.DataFormatError`.
    negative
        ``"error"`` (default) refuses a negative Valeur or Masse (DGDDI
        publishes none); ``"keep"`` keeps them with a warning.
    overlap
        ``"error"`` (default) refuses two *different* data members holding
        rows of the same flow, year and quarter (two publications of one
        year, an annual file and a five-quarter file). ``"latest"`` keeps, for
        those quarters only, the rows of the more recent publication: dated
        by the ``AAAAMM_`` prefix DGDDI puts in its file names
        (``202502_regional_2024_export.zip``, looked up in the member's,
        the zip's and the folders' names); when either has no such date, or
        both the same, the member whose data reach the later quarter wins;
        a tie is refused.
    max_member_bytes, max_ratio
        A zip member larger than ``max_member_bytes`` once inflated, or
        compressed more than ``max_ratio`` times (members above 1 MiB), is
        refused before being read (see :data:`MAX_MEMBER_BYTES`,
        :data:`MAX_COMPRESSION_RATIO`).
    cache
        ``False`` (default) parses every file; ``True`` keeps the parsed rows
        of each data member in the user cache folder (parquet, keyed by the
        SHA-256 of the member's bytes and frtrade's version; see
        :func:`clear_cache`), a path uses that folder. A second load of the
        same files then skips parsing; every policy still runs. The final
        table of a call is kept too, with its report and warnings, keyed by
        every member's hash and name, the options and frtrade's version: the
        same call again is one columnar read, and the table, which frtrade
        validated before storing it, is checked by its structure and the
        exact sums of its columns instead of a second validation; the same
        report and warnings come back. Hits and misses are listed in
        ``report.cache_hits`` / ``report.cache_misses``; a corrupt or stale
        cache file is rebuilt, never trusted.

    Returns
    -------
    DGDDIData
        ``flows`` (validated :class:`~frtrade.schemas.TradeFlows`), ``report``
        (with located :class:`Finding` objects) and ``labels`` (valid in the
        latest year loaded).

    Raises
    ------
    DataFormatError
        On any malformed input: the message names file (and zip member),
        line, field and value.
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
    if duplicates not in {"sum", "keep", "error"}:
        raise ValueError(f"duplicates must be 'sum' or 'error', got {duplicates!r}")
    if negative not in {"error", "keep"}:
        raise ValueError(f"negative must be 'error' or 'keep', got {negative!r}")
    if overlap not in {"error", "latest"}:
        raise ValueError(f"overlap must be 'error' or 'latest', got {overlap!r}")
    if flows is not None:
        unknown_flows = set(flows) - set(FLOWS)
        if unknown_flows:
            raise ValueError(
                f"flows must be among {FLOWS}, got {sorted(unknown_flows)}"
            )
    limits = _Limits(int(max_member_bytes), float(max_ratio))
    members = [m for s in sources for m in _expand(s)]
    data_members = [m for m in members if m.is_data()]
    if not data_members:
        names = ", ".join(str(s) for s in sources)
        raise DataFormatError(
            "no DGDDI data member found (expected Region_YYYY_Export.txt, "
            "Regional_YYYY_Import.txt or REGIONAL_CPF4PAYS[EI].txt)",
            file=names,
        )
    store = _open_cache(cache)
    options = {
        "year": year,
        "flows": None if flows is None else list(flows),
        "duplicates": "error" if duplicates == "error" else "sum",
        "negative": negative,
        "overlap": overlap,
        "limits": [limits.max_member_bytes, limits.max_ratio],
    }
    key = None if store is None else _whole_key(store, members, options)
    if store is not None and key is not None:
        hit = _whole_hit(store, key, members, data_members, limits)
        if hit is not None:
            return hit
    # Warnings are recorded, then replayed once the load is done (or fails),
    # so that a whole-load cache hit can replay exactly the same ones.
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data, label_year = _assemble(
                members,
                data_members,
                store,
                limits,
                year=year,
                flows=flows,
                duplicates=duplicates,
                negative=negative,
                overlap=overlap,
            )
    finally:
        _replay([(w.category, str(w.message)) for w in caught])
        if store is not None:
            store.flush()  # the members' files, written while parsing went on
    if store is not None:
        _whole_store(store, members, options, data, label_year, caught)
    return data


def _assemble(  # noqa: PLR0912, PLR0915  one pass over the policies, in order
    members: list[_Member],
    data_members: list[_Member],
    store: _load_cache.Cache | None,
    limits: _Limits,
    *,
    year: int | None,
    flows: Sequence[str] | None,
    duplicates: str,
    negative: str,
    overlap: str,
) -> tuple[DGDDIData, int | None]:
    """Parse, check and merge the data members (the body of load_dgddi)."""
    report = LoadReport()
    report.fictitious = any(_FICTITIOUS_MEMBER.search(m.basename) for m in members)
    label_tables = _read_label_tables(members, report, limits)

    parsed: list[_Parsed] = []
    seen: dict[str, str] = {}
    sizes: set[int] = set()
    for member in data_members:
        size = member.size
        p: _Parsed | None = None
        if store is not None:
            p = _from_cache(store, member, limits, report)
        elif size in sizes:  # maybe a copy: hash before parsing
            digest = _hash_only(member, limits)
            if digest in seen:
                _skip(report, member.name, seen[digest])
                continue
        if p is not None and p.digest in seen:
            _skip(report, member.name, seen[p.digest])
            continue
        if p is None:
            p = _parse_one(member, limits)
            if store is not None and p.digest not in seen:
                store.write(p.digest, p.frame)
                store.remember(member.signature(), p.digest)
        if p.digest in seen:
            _skip(report, member.name, seen[p.digest])
            continue
        seen[p.digest] = member.name
        sizes.add(size)
        report.content_hashes[member.name] = p.digest
        report.files.append(member.name)
        report.rows_read += len(p.frame)
        parsed.append(p)

    _overlaps(parsed, overlap, report)

    all_years = sorted(
        {int(y) for p in parsed for y in _distinct(p.frame["year"].to_numpy())}
    )
    label_year = all_years[-1] if all_years else None
    labels = _labels_for(label_tables, label_year)
    expected = _expected_regions(label_tables)
    known = {
        "departement": set(labels.departements),
        "region": set(reference.regions()["dgddi_code"]),
        "a129": set(labels.products_official),
        "cpf4": set(labels.products_official),
        "country": set(labels.countries),
    }
    report.unknown_codes = {c: {} for c in known}
    for kind in ("negative_value", "duplicate_key", "region_mismatch"):
        report.finding_counts.setdefault(kind, 0)
    first_seen: dict[tuple[str, str], bool] = {}
    for p in parsed:
        frame = p.frame
        if year is not None:
            keep = frame["year"].to_numpy() == year
            report.rows_other_years += int((~keep).sum())
            _keep_rows(p, keep)
        if flows is not None:
            _keep_rows(p, p.frame["flow"].isin(list(flows)).to_numpy())
        _negatives(p, negative, report)
        _region_mismatches(p, expected, report)
        _unknown_codes(p, known, report, first_seen)
        _duplicates(p, "error" if duplicates == "error" else "sum", report)
    report.finding_counts = {k: v for k, v in report.finding_counts.items() if v}
    report.unknown_codes = {
        c: dict(sorted(v.items())) for c, v in report.unknown_codes.items()
    }
    table = _concat([p.frame for p in parsed])
    parsed.clear()
    _fill_report(report, table)
    _warn_unknown(report)
    try:
        table = TradeFlows.validate(table)
    except Exception as exc:
        raise DataFormatError(
            f"the loaded table breaks the TradeFlows schema ({exc})",
            file=", ".join(report.files),
        ) from None
    return DGDDIData(table, report, labels), label_year


_WARNING_KINDS: dict[str, type[Warning]] = {
    c.__name__: c
    for c in (
        DataQualityWarning,
        UnknownCodeWarning,
        UserWarning,
        RuntimeWarning,
        FutureWarning,
        DeprecationWarning,
    )
}


def _replay(caught: Sequence[tuple[type[Warning], str]]) -> None:
    """Emit recorded warnings again, attributed to load_dgddi's caller."""
    for category, message in caught:
        warnings.warn(message, category, stacklevel=3)


def _whole_key(
    store: _load_cache.Cache, members: list[_Member], options: dict[str, Any]
) -> str | None:
    """The key of a whole load, or None when a data member was never hashed.

    Data members count by their content hash, found through the index of
    file signatures (no re-hashing); label and other members by their
    signature (path, size, modification time, zip CRC).
    """
    entries: list[list[Any]] = []
    for member in members:
        signature = member.signature()
        entry: list[Any] = [member.name, member.basename, member.explicit]
        if member.is_data():
            digest = store.digest_for(signature)
            if digest is None:
                return None
            entry.append(digest)
        else:
            entry.append(signature)
        entries.append(entry)
    return store.load_key({"options": options, "members": entries})


def _report_to_json(report: LoadReport) -> dict[str, Any]:
    out = report.to_dict()
    out["findings"] = [f.to_dict() for f in report.findings]
    out["quarters"] = [[y, list(q)] for y, q in report.quarters.items()]
    return out


def _report_from_json(data: dict[str, Any]) -> LoadReport:
    names = {f.name for f in dataclasses.fields(LoadReport)}
    values = {k: v for k, v in data.items() if k in names}
    values["quarters"] = {int(y): [int(q) for q in qs] for y, qs in data["quarters"]}
    values["findings"] = [Finding(**f) for f in data["findings"]]
    values["skipped_copies"] = [(str(a), str(b)) for a, b in data["skipped_copies"]]
    return LoadReport(**values)


def _whole_store(  # noqa: PLR0917
    store: _load_cache.Cache,
    members: list[_Member],
    options: dict[str, Any],
    data: DGDDIData,
    label_year: int | None,
    caught: list[warnings.WarningMessage],
) -> None:
    """Keep a whole load for the next identical call (only when lossless)."""
    key = _whole_key(store, members, options)
    if key is None:
        return
    recorded = []
    for w in caught:
        if _WARNING_KINDS.get(w.category.__name__) is not w.category:
            return  # a warning we could not replay faithfully: no whole cache
        recorded.append([w.category.__name__, str(w.message)])
    try:
        report = json.loads(json.dumps(_report_to_json(data.report)))
        if _report_from_json(report) != data.report:
            return
    except (TypeError, ValueError):
        return
    payload = {"report": report, "warnings": recorded, "label_year": label_year}
    store.write_load(key, data.flows, payload)


def _whole_hit(
    store: _load_cache.Cache,
    key: str,
    members: list[_Member],
    data_members: list[_Member],
    limits: _Limits,
) -> DGDDIData | None:
    """A whole load from the cache (the table frtrade validated before storing)."""
    got = store.read_load(key)
    if got is None:
        return None
    frame, payload = got
    try:
        report = _report_from_json(payload["report"])  # type: ignore[arg-type]
        label_year = payload["label_year"]
        recorded = [
            (_WARNING_KINDS[str(kind)], str(message))
            for kind, message in payload["warnings"]  # type: ignore[attr-defined]
        ]
        if label_year is not None and not isinstance(label_year, int):
            raise TypeError("label_year")
    except (KeyError, TypeError, ValueError):
        return None
    report.cache_hits = [m.name for m in data_members]
    report.cache_misses = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # replayed below, as recorded
        label_tables = _read_label_tables(members, LoadReport(), limits)
    labels = _labels_for(label_tables, label_year)
    _replay(recorded)
    return DGDDIData(frame, report, labels)


def _open_cache(cache: bool | str | Path) -> _load_cache.Cache | None:  # noqa: FBT001
    if cache is False or cache is None:
        return None
    root = _load_cache.default_dir() if cache is True else Path(cache)
    return _load_cache.Cache(root)


def _from_cache(
    store: _load_cache.Cache, member: _Member, limits: _Limits, report: LoadReport
) -> _Parsed | None:
    """The member's rows from the cache (None on a miss, counted in the report)."""
    signature = member.signature()
    digest = store.digest_for(signature)
    frame = store.read(digest) if digest else None
    if frame is None:
        digest = _hash_only(member, limits)  # a new path for known bytes?
        frame = store.read(digest)
        if frame is not None:
            store.remember(signature, digest)
    if frame is None:
        report.cache_misses.append(member.name)
        return None
    _check_flow_hint(member, frame)
    report.cache_hits.append(member.name)
    return _Parsed(member, frame, str(digest))


def clear_cache(path: str | Path | None = None) -> Path:
    """Delete frtrade's on-disk cache of parsed data files.

    Parameters
    ----------
    path
        The cache folder given as ``cache=`` to :func:`load_dgddi`; by
        default the user cache folder (``$FRTRADE_CACHE_DIR``, else the
        platform's user cache directory, e.g. ``~/.cache/frtrade``).

    Returns
    -------
    pathlib.Path
        The folder removed.

    Examples
    --------
    >>> import tempfile
    >>> clear_cache(tempfile.mkdtemp()).exists()
    False
    """
    return _load_cache.clear(None if path is None else Path(path))


def _skip(report: LoadReport, name: str, kept: str) -> None:
    report.skipped_copies.append((name, kept))
    report._add(
        Finding(
            "skipped_copy",
            name,
            None,
            None,
            {"copie de": kept},
            f"contenu identique à {kept} : lu une seule fois",
        )
    )
    warnings.warn(
        f"{name} has the same content as {kept}: read once",
        DataQualityWarning,
        stacklevel=3,
    )


def _parse_one(member: _Member, limits: _Limits) -> _Parsed:
    try:
        p = _parse_member(member, limits)
    except FrtradeError:
        raise
    except MemoryError:
        raise
    except Exception as exc:
        raise DataFormatError(
            f"unreadable data file ({type(exc).__name__}: {exc})", file=member.name
        ) from None
    p.frame = _to_canonical(p.frame)
    _check_flow_hint(member, p.frame)
    return p


def _check_flow_hint(member: _Member, frame: pd.DataFrame) -> None:
    hint = _flow_hint(member.basename)
    if hint is not None:
        other = "import" if hint == "export" else "export"
        wrong = frame["flow"].cat.codes.to_numpy() == FLOWS.index(other)
        if wrong.any():
            row = int(np.argmax(wrong))
            raise DataFormatError(
                f"file named as {hint} holds {other} rows: a file of the wrong kind?",
                file=member.name,
                line=row + 1,
                field="Flux",
                value="I" if hint == "export" else "E",
            )


def _read_label_tables(
    members: list[_Member], report: LoadReport, limits: _Limits
) -> list[tuple[str, pd.DataFrame]]:
    """The label files found beside the data, read and cleaned."""
    tables: list[tuple[str, pd.DataFrame]] = []
    seen: set[str] = set()
    for member in members:
        for kind, pattern in _LABEL_MEMBERS.items():
            if not pattern.match(member.basename):
                continue
            data = member.read(limits)
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            cleaned: list[CleanedLabel] = []
            if kind == "departement":
                table = read_departement_region_file(
                    data, name=member.name, cleaned=cleaned
                )
            else:
                table = read_label_file(data, name=member.name, cleaned=cleaned)
            for line, code, raw in cleaned:
                report._add(
                    Finding(
                        "label_cleaned",
                        member.name,
                        line,
                        "Libellé",
                        {"code": code, "libellé lu": _visible(raw)},
                        f"libellé du code {code} nettoyé de caractères de contrôle",
                    )
                )
            if cleaned:
                warnings.warn(
                    f"{len(cleaned)} label(s) cleaned of control characters; first: "
                    f"{member.name}, line {cleaned[0][0]}, code {cleaned[0][1]}",
                    DataQualityWarning,
                    stacklevel=4,
                )
            tables.append((kind, table))
            report.label_files.append(member.name)
    return tables


def _labels_for(tables: list[tuple[str, pd.DataFrame]], year: int | None) -> Labels:
    period = 999912 if year is None else year * 100 + 12
    labels = Labels.shipped()
    for kind, table in tables:
        if kind == "departement":
            labels = labels.updated(
                kind,
                dict(
                    zip(table["departement"], table["departement_label"], strict=False)
                ),
            )
        else:
            labels = labels.with_table(kind, table, period=period)
    return labels


def _expected_regions(tables: list[tuple[str, pd.DataFrame]]) -> dict[str, str]:
    deps = reference.departements()
    expected = dict(zip(deps["code"], deps["region_dgddi"], strict=True))
    for kind, table in tables:
        if kind == "departement":
            expected.update(
                zip(table["departement"], table["region_dgddi"], strict=False)
            )
    return expected


def _fill_report(report: LoadReport, table: pd.DataFrame) -> None:
    report.rows_kept = len(table)
    counts = table["flow"].value_counts()
    report.rows_by_flow = {f: int(counts.get(f, 0)) for f in FLOWS}
    years = _distinct(table["year"].to_numpy())
    report.years = [int(y) for y in years]
    key = table["year"].to_numpy().astype(np.int64) * 10 + table["quarter"].to_numpy()
    pairs = _distinct(key)
    report.quarters = {
        y: sorted(int(k) % 10 for k in pairs if int(k) // 10 == y) for y in report.years
    }


def _warn_unknown(report: LoadReport) -> None:
    parts = [
        f"{column}: "
        + ", ".join(f"{c!r} ({n} rows)" for c, n in list(codes.items())[:10])
        for column, codes in report.unknown_codes.items()
        if codes
    ]
    if parts:
        first = [f for f in report.findings if f.kind == "unknown_code"][:3]
        where = "; ".join(f"{f.file}, line {f.line}: {dict(f.values)}" for f in first)
        warnings.warn(
            "unknown codes, rows kept (see the load report): "
            + "; ".join(parts)
            + (f"; first lines: {where}" if where else ""),
            UnknownCodeWarning,
            stacklevel=3,
        )


def read_dgddi(
    *sources: str | Path,
    year: int | None = None,
    flows: Sequence[Literal["export", "import"]] | None = None,
    duplicates: Literal["sum", "keep", "error"] = "sum",
    negative: Literal["error", "keep"] = "error",
    overlap: Literal["error", "latest"] = "error",
    max_member_bytes: int = MAX_MEMBER_BYTES,
    max_ratio: float = MAX_COMPRESSION_RATIO,
    cache: bool | str | Path = False,
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
    duplicates, negative, overlap, max_member_bytes, max_ratio, cache
        Policies, limits and cache, as in :func:`load_dgddi`.

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
    return load_dgddi(
        *sources,
        year=year,
        flows=flows,
        duplicates=duplicates,
        negative=negative,
        overlap=overlap,
        max_member_bytes=max_member_bytes,
        max_ratio=max_ratio,
        cache=cache,
    ).flows


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
