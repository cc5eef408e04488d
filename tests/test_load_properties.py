"""Issue 9 property: mutate valid DGDDI files; the loader either names the fault
(file, and the line for a line fault) or returns exactly the totals of the lines.

The reference reader below is written independently of frtrade, from the
rules of the docs page "Ce que frtrade fait des fichiers imparfaits".
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from typing import TYPE_CHECKING

from hypothesis import given
from hypothesis import strategies as st

from frtrade.dgddi import load_dgddi
from frtrade.errors import DataFormatError, FrtradeError

if TYPE_CHECKING:
    from pathlib import Path

# --------------------------------------------------------------------------- reference

CODES = (
    re.compile(r"[0-9A-Z]{2,3}"),
    re.compile(r"[0-9A-Z]{2}"),
    re.compile(r"[A-Z][0-9]{2}[A-Z]"),
    re.compile(r"[0-9]{4}"),
    re.compile(r"[A-Z0-9]{2}"),
)
NUMBER = re.compile(r"-?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")
DIGITS = re.compile(r"[0-9]+")


class BadLineError(Exception):
    def __init__(self, line: int | None) -> None:
        self.line = line


def reference_totals(data: bytes) -> dict[str, float]:
    """Totals per flow of a DGDDI data file, or raise BadLineError(line)."""
    if not data.strip():
        raise BadLineError(None)
    data = data.removeprefix(b"\xef\xbb\xbf")
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    rows = []
    for number, raw in enumerate(lines, start=1):
        try:
            text = raw.removesuffix(b"\r").decode("utf-8")
        except UnicodeDecodeError:
            raise BadLineError(number) from None
        fields = text.split(";")
        if not text.strip() or "\r" in text or len(fields) != 10:
            raise BadLineError(number)
        flux, quarter, year, *codes, value, mass = fields
        q, y = quarter.strip(" \t"), year.strip(" \t")
        ok = (
            flux in ("E", "I")
            and DIGITS.fullmatch(q) is not None
            and 1 <= int(q) <= 4
            and DIGITS.fullmatch(y) is not None
            and len(y.lstrip("0")) == 4
            and 1900 <= int(y) <= 2100
            and all(p.fullmatch(c) for p, c in zip(CODES, codes, strict=True))
        )
        numbers = []
        for text_number in (value, mass):
            n = text_number.strip(" \t")
            if not NUMBER.fullmatch(n):
                ok = False
                break
            as_float = float(n.replace(",", "."))
            if (
                abs(as_float) >= 2**53
                or int((n.lstrip("-").replace(",", ".").split(".")[0]) or 0) >= 2**53
            ):
                ok = False
                break
            numbers.append(as_float)
        if not ok:
            raise BadLineError(number)
        rows.append((number, flux, numbers[0], numbers[1]))
    for number, _, value, mass in rows:
        if value < 0 or mass < 0:
            raise BadLineError(number)
    totals: dict[str, list[float]] = {}
    for _, flux, value, _mass in rows:
        totals.setdefault("export" if flux == "E" else "import", []).append(value)
    return {k: math.fsum(v) for k, v in totals.items()}


# --------------------------------------------------------------------------- strategies

DEPS = (("36", "04"), ("75", "03"), ("9D", "24"), ("20", "22"), ("X1", "04"))
PRODUCTS = (("C21Z", "2120"), ("A01Z", "0111"), ("C29A", "2910"))
COUNTRIES = ("DE", "US", "NA", "CN", "ZZ")

row = st.builds(
    lambda flux, q, y, dep, prod, cty, v, m: ";".join(
        [flux, str(q), str(y), *dep, *prod, cty, str(v), str(m)]
    ),
    st.sampled_from("EI"),
    st.integers(1, 4),
    st.sampled_from((2023, 2024)),
    st.sampled_from(DEPS),
    st.sampled_from(PRODUCTS),
    st.sampled_from(COUNTRIES),
    st.integers(0, 10**9),
    st.integers(0, 10**6),
)

TRICKY = (
    "", " ", "-5", "-0", "1e3", "1E+2", "10,5", "10.5", ",5", "5.", " 7", "7\t", "+5",
    "０", "١", "2101", "20240", "02024", "0024", "1899", "01", "5", "0", "NA", "na",
    "E", "I", "X", "\r", "1\r0", '"10"', "9007199254740991", "9007199254740992",
    "99999999999999999999", "inf", "nan", "-", "0x10", "C21Z", "2120", "é", "\x07",
)  # fmt: skip


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[bytes, str]:
    lines = draw(st.lists(row, min_size=1, max_size=8))
    ops = draw(
        st.lists(
            st.sampled_from(
                ["field", "field", "field", "dup_line", "del_line", "blank",
                 "byte", "insert_byte", "truncate", "crlf", "bom", "cp1252",
                 "utf16", "lone_cr", "no_final_newline"]
            ),
            max_size=3,
        )
    )  # fmt: skip
    end = "\n"
    prefix = b""
    encoding = "utf-8"
    tail_cut = None
    for op in ops:
        if op == "field" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            fields = lines[i].split(";")
            j = draw(st.integers(0, len(fields) - 1))
            fields[j] = draw(st.sampled_from(TRICKY))
            lines[i] = ";".join(fields)
        elif op == "dup_line" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif op == "del_line" and len(lines) > 1:
            lines.pop(draw(st.integers(0, len(lines) - 1)))
        elif op == "blank":
            lines.insert(
                draw(st.integers(0, len(lines))), draw(st.sampled_from(["", " "]))
            )
        elif op == "crlf":
            end = "\r\n"
        elif op == "lone_cr" and len(lines) > 1:
            i = draw(st.integers(0, len(lines) - 2))
            lines[i : i + 2] = [lines[i] + "\r" + lines[i + 1]]
        elif op == "bom":
            prefix = b"\xef\xbb\xbf"
        elif op == "cp1252":
            encoding = "cp1252"
            lines.append(lines[-1].replace("DE", "Dé") if lines else "é")
        elif op == "utf16":
            encoding = "utf-16"
        elif op == "no_final_newline":
            tail_cut = len(end)
        elif op == "truncate":
            tail_cut = draw(st.integers(1, 12))
    data = prefix + "".join(line + end for line in lines).encode(encoding, "replace")
    if tail_cut:
        data = data[:-tail_cut]
    for op in ops:
        if op == "byte" and data:
            i = draw(st.integers(0, len(data) - 1))
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1 :]
        elif op == "insert_byte":
            i = draw(st.integers(0, len(data)))
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i:]
    container = draw(
        st.sampled_from(["txt", "zip", "zip-stored", "zip-damaged", "zip-twice"])
    )
    return data, container


def write_source(folder: Path, data: bytes, container: str, draw_pos: int) -> Path:
    if container == "txt":
        path = folder / "Region_2024_mixed.txt"
        path.write_bytes(data)
        return path
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if container == "zip-stored" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", compression=method) as zf:
        zf.writestr("Regional-2024/Region_2024_mixed.txt", data)
        if container == "zip-twice":
            zf.writestr("copy/Region_2024_mixed.txt", data)
    payload = bytearray(buffer.getvalue())
    if container == "zip-damaged":
        i = draw_pos % len(payload)
        payload[i] ^= 0xFF
    path = folder / "x_regional_2024.zip"
    path.write_bytes(bytes(payload))
    return path


@given(case=mutated_file(), pos=st.integers(0, 10**6))
def test_mutated_files_fail_loudly_or_sum_exactly(tmp_path_factory, case, pos):
    data, container = case
    folder = tmp_path_factory.mktemp("mut")
    source = write_source(folder, data, container, pos)
    try:
        expected: dict[str, float] | BadLineError = reference_totals(data)
    except BadLineError as bad:
        expected = bad
    error: FrtradeError | None = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loaded = load_dgddi(source)
    except FrtradeError as exc:
        error = exc
    if error is not None:
        assert isinstance(error, DataFormatError)
        assert error.file
        assert str(folder) in error.file
        if container == "zip-damaged":
            return  # a damaged zip may fail anywhere: the file is enough
        assert isinstance(expected, BadLineError), f"refused a valid file: {error}"
        assert error.line == expected.line, (str(error), expected.line)
        return
    assert not isinstance(expected, BadLineError), (
        f"accepted a file bad at line {expected.line}"
    )
    got = loaded.flows.groupby("flow", observed=True).value_eur.sum().to_dict()
    got = {k: v for k, v in got.items() if k in expected or v}
    assert got.keys() == expected.keys()
    for flow, total in expected.items():
        assert math.isclose(got[flow], total, rel_tol=1e-12, abs_tol=1e-9)
    if container == "zip-twice":
        assert len(loaded.report.skipped_copies) == 1
