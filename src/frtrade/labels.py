r"""Readers for DGDDI label (nomenclature) files.

DGDDI ships ``Libelle_A129.txt``, ``Libelle_CPF4*.txt``, ``Libelle_PAYS.txt``
and ``Departement_region.txt`` beside its data files. Their encodings, line
endings and quoting vary from one file and one vintage to the next (see the
format notes in the documentation): this module reads all of them the same way.

- bytes are decoded as UTF-8 (a byte-order mark is removed) and, when that
  fails, as Windows-1252; bytes undefined in both raise
  :class:`~frtrade.errors.DataFormatError`;
- CRLF and LF line endings are both accepted;
- fields are split on ``;`` with a ``"``-aware reader, so a quoted label may
  contain ``;``; in older files DGDDI replaced such ``;`` by ``|``, which is
  turned back into ``;``;
- codes stay strings (``NA`` is Namibia; ``0111`` keeps its zero);
- control characters (``\\x07``, ``\\x1b``, bidirectional overrides...) are
  removed from labels by :func:`clean_label`, so that no byte of a label file
  can disturb a chart renderer or a terminal; readers can be given a list that
  collects the lines so cleaned. Labels longer than :data:`LABEL_MAX_CHARS`
  are shortened for drawing by :func:`cap_label` (the full text stays in the
  official labels).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from frtrade.errors import DataFormatError

__all__ = [
    "LABEL_MAX_CHARS",
    "cap_label",
    "clean_label",
    "current_labels",
    "decode_dgddi_text",
    "read_departement_region_file",
    "read_label_file",
]

_PERIOD = re.compile(r"^\d{4}(0[1-9]|1[0-2])$")
_LABEL_COLUMNS = ["code", "label", "valid_from", "valid_to"]

#: Longest label drawn in a chart, in characters; longer ones are cut at a
#: word boundary and end with "…" (see :func:`cap_label`). The longest real
#: DGDDI label (a CPF4 class) has 155 characters; A129 labels stay under 80.
LABEL_MAX_CHARS = 160

#: A line of a label file whose label was cleaned: (line, code, raw label).
CleanedLabel = tuple[int, str, str]


def clean_label(text: str) -> str:
    r"""Remove control and invisible formatting characters from a label.

    Unicode categories ``Cc`` (control: ``\x00``–``\x1f``, ``\x7f``–``\x9f``),
    ``Cf`` (format: zero-width spaces, bidirectional overrides...), ``Cs``
    and ``Co`` are dropped; tabs and line breaks become a space; runs of
    spaces are collapsed and the ends stripped.

    Parameters
    ----------
    text
        A label as read.

    Returns
    -------
    str
        The label, safe to draw.

    Examples
    --------
    >>> clean_label("Chine\x07")
    'Chine'
    >>> clean_label("Etats\u202e-Unis\tdu Nord")
    'Etats-Unis du Nord'
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char in "\t\n\r\x0b\x0c\x85\u2028\u2029":
            out.append(" ")
        elif unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co"}:
            out.append(char)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def cap_label(text: str, max_chars: int = LABEL_MAX_CHARS) -> str:
    """Shorten a label for drawing: at most ``max_chars`` characters.

    The text is cut at the last space before the limit (or at the limit when
    there is none) and ends with "…".

    Parameters
    ----------
    text
        The full label.
    max_chars
        Longest result, ``"…"`` included (at least 2).

    Returns
    -------
    str
        ``text`` itself when short enough.

    Examples
    --------
    >>> cap_label("Produits pharmaceutiques", 14)
    'Produits…'
    >>> cap_label("Chine")
    'Chine'
    """
    if len(text) <= max_chars:
        return text
    cut = text[: max(1, max_chars - 1)]
    space = cut.rfind(" ")
    if space > max_chars // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def decode_dgddi_text(data: bytes, *, source: str) -> str:
    r"""Decode the bytes of a DGDDI text file.

    Parameters
    ----------
    data
        Raw bytes.
    source
        File name used in error messages.

    Returns
    -------
    str
        The text, without byte-order mark.

    Raises
    ------
    DataFormatError
        When the bytes are neither UTF-8 nor Windows-1252.

    Examples
    --------
    >>> decode_dgddi_text(b"\xef\xbb\xbfA01Z;Produits", source="x.txt")
    'A01Z;Produits'
    >>> decode_dgddi_text("C10A;Cœur".encode("cp1252"), source="x.txt")
    'C10A;Cœur'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataFormatError(
            "bytes that are neither UTF-8 nor Windows-1252",
            file=source,
            line=line,
            value=repr(data[exc.start : exc.end]),
        ) from None


def _rows(text: str, *, source: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    out: list[tuple[int, list[str]]] = []
    for fields in reader:
        line = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        # Older national label files carry trailing empty fields: drop them.
        while len(fields) > 4 and fields[-1] == "":
            fields.pop()
        out.append((line, [f.strip() for f in fields]))
    if not out:
        raise DataFormatError("empty label file", file=source)
    return out


def _read_source(source: str | Path | bytes, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, name or "<bytes>"
    path = Path(source)
    return path.read_bytes(), name or str(path)


def read_label_file(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    cleaned: list[CleanedLabel] | None = None,
) -> pd.DataFrame:
    r"""Read a DGDDI label file (``Code;Libellé;Début;Fin``).

    Parameters
    ----------
    source
        A path, or the raw bytes of the file (e.g. a zip member).
    name
        Name used in error messages (defaults to the path).
    cleaned
        When given, ``(line, code, raw label)`` is appended for every label
        from which :func:`clean_label` removed characters.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``label`` (str, cleaned) and ``valid_from``, ``valid_to``
        (int, ``AAAAMM``), one row per line of the file, duplicated codes
        with different validity periods included.

    Raises
    ------
    DataFormatError
        Wrong field count, malformed validity period, empty code, empty file,
        undecodable bytes.

    Examples
    --------
    >>> raw = b'C26E;"Appareils de mesure ; horlogerie";200901;999912\r\n'
    >>> read_label_file(raw).to_dict("records")
    [{'code': 'C26E', 'label': 'Appareils de mesure ; horlogerie', 'valid_from': 200901, 'valid_to': 999912}]
    """  # noqa: E501
    data, label = _read_source(source, name)
    text = decode_dgddi_text(data, source=label)
    records: list[tuple[str, str, int, int]] = []
    for line, fields in _rows(text, source=label):
        if len(fields) != 4:
            raise DataFormatError(
                f"{len(fields)} fields, expected 4 (Code;Libellé;Début;Fin)",
                file=label,
                line=line,
                value=";".join(fields),
            )
        code, text_label, start, end = fields
        if not code:
            raise DataFormatError("empty code", file=label, line=line, field="Code")
        for field_name, period in (("Début", start), ("Fin", end)):
            if not _PERIOD.match(period):
                raise DataFormatError(
                    "validity must be AAAAMM",
                    file=label,
                    line=line,
                    field=field_name,
                    value=period,
                )
        clean = clean_label(text_label)
        if clean != text_label and cleaned is not None:
            cleaned.append((line, code, text_label))
        records.append((code, clean.replace("|", ";"), int(start), int(end)))
    return pd.DataFrame.from_records(records, columns=_LABEL_COLUMNS)


def current_labels(table: pd.DataFrame, *, period: int = 999912) -> dict[str, str]:
    """Map each code to its label valid at ``period`` (``AAAAMM``).

    DGDDI reuses some codes (``XS`` was Saba until 2005-05, Serbia since): a
    join must first keep the label valid at the date of the data.

    Parameters
    ----------
    table
        Output of :func:`read_label_file`.
    period
        Month as ``AAAAMM``; the default keeps the labels still valid.

    Returns
    -------
    dict[str, str]
        ``code -> label``. For a code with no period covering ``period``, the
        most recent label is kept, so that no code is ever left unlabelled.

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
    >>> current_labels(t, period=202412)
    {'XS': 'Serbie'}
    >>> current_labels(t, period=199001)
    {'XS': 'Saba'}
    """
    ordered = table.assign(
        _covers=(table["valid_from"] <= period) & (table["valid_to"] >= period)
    ).sort_values(["code", "_covers", "valid_to"], kind="mergesort")
    last = ordered.drop_duplicates("code", keep="last")
    return dict(zip(last["code"], last["label"], strict=True))


def read_departement_region_file(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    cleaned: list[CleanedLabel] | None = None,
) -> pd.DataFrame:
    r"""Read DGDDI's ``Departement_region.txt``.

    Parameters
    ----------
    source
        A path, or the raw bytes of the file.
    name
        Name used in error messages.
    cleaned
        When given, ``(line, code, raw label)`` is appended for every label
        cleaned by :func:`clean_label`.

    Returns
    -------
    pandas.DataFrame
        Columns ``departement``, ``departement_label``, ``region_dgddi``,
        ``region_label`` (all str).

    Raises
    ------
    DataFormatError
        When a line does not have 4 fields.

    Examples
    --------
    >>> read_departement_region_file(b"36;Indre;04;Centre-Val de Loire\r\n").iloc[0][
    ...     "region_dgddi"
    ... ]
    '04'
    """
    data, label = _read_source(source, name)
    text = decode_dgddi_text(data, source=label)
    records: list[list[str]] = []
    for line, fields in _rows(text, source=label):
        if len(fields) != 4:
            raise DataFormatError(
                f"{len(fields)} fields, expected 4 "
                "(Code département;Libellé;Code région DGDDI;Libellé région)",
                file=label,
                line=line,
                value=";".join(fields),
            )
        fixed = [fields[0], clean_label(fields[1]), fields[2], clean_label(fields[3])]
        if fixed != fields and cleaned is not None:
            cleaned.append((line, fields[0], ";".join(fields[1::2])))
        records.append(fixed)
    return pd.DataFrame.from_records(
        records,
        columns=["departement", "departement_label", "region_dgddi", "region_label"],
    )
