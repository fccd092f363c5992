"""A table file as staff have it → rows of cells, each row with the line number a person sees.

One reader for every import (actuals now, project records later):

- **CSV** as Excel and other programs write it: UTF-8 with or without BOM, cp932 (Excel in Japan),
  UTF-16 with BOM (Excel's 「Unicode テキスト」); comma- or tab-separated. Decoding is strict
  (BOM → that encoding, else UTF-8, else cp932 — never a guess by a detector, which reads Japanese
  wrong). Parsing is strict too (``csv.reader(strict=True)``): a quote opened and never closed, or
  text after a closing quote, refuses the file naming the line where the quoted field began. A cell
  may span lines (Alt+Enter in Excel) but never swallow what looks like other rows of the table.
  Measured here (2026-11): pandas' C parser says "EOF inside string starting at row 1" (a data-row
  index); DuckDB's ``read_csv`` auto-detection read the same file without error, keeping the quote
  as text; only ``csv`` with our own line tracking names the file's line.
- **Excel** ``.xlsx``/``.xlsm`` (openpyxl, with defusedxml against XML bombs): the first sheet unless
  a sheet is named; merged cells give their value to every cell they cover (a merged 「実績値」 header
  over year columns); numbers stay numbers and date cells stay dates; a cell formatted as a
  percentage holds the fraction (0.915 for 91.5 %), so it is read as the text ``91.5%``; a formula
  whose result Excel never saved is refused rather than read as blank.
- ``.xls`` (Excel 97–2003) and password-protected books are refused with what to do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from kamiplan.errors import InputError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 40 * 1024 * 1024  # a 2 MB book that inflates beyond this is a zip bomb
MAX_ROWS = 20_000
MAX_COLUMNS = 200

CSV = "csv"
XLSX = "xlsx"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCODING_LABELS = {
    "utf-8-sig": "UTF-8(BOM付き)",
    "utf-8": "UTF-8",
    "cp932": "Shift_JIS(cp932)",
    "utf-16": "UTF-16(Unicode テキスト)",
}

Value = str | float | int | dt.datetime | dt.date | None


@dataclass(frozen=True)
class Row:
    """One record of the file: its first line (CSV) or row number (Excel), and its cells."""

    line: int
    cells: tuple[Value, ...]
    last_line: int = 0  # the last line of a CSV record whose cell spans lines (else equal to line)

    def cell(self, index: int) -> Value:
        return self.cells[index] if 0 <= index < len(self.cells) else None

    def is_blank(self) -> bool:
        return all(is_empty(c) for c in self.cells)


@dataclass(frozen=True)
class Grid:
    """The rows of one table file (one sheet of a book)."""

    rows: tuple[Row, ...]
    kind: str  # CSV or XLSX
    filename: str = ""
    encoding: str = ""  # CSV only
    delimiter: str = ","  # CSV only
    sheet: str = ""  # Excel only
    sheets: tuple[str, ...] = ()  # Excel only: every worksheet name, in order (hidden ones included)
    merged_copies: frozenset[tuple[int, int]] = frozenset()  # (line, column index) given a merged cell's value
    hidden_rows: tuple[int, ...] = ()  # Excel rows hidden in the sheet (read all the same; the preview says so)
    hidden_columns: tuple[int, ...] = ()  # 0-based indexes of hidden Excel columns

    @property
    def source_label(self) -> str:
        """How the file was read, for the preview (``Shift_JIS(cp932)・カンマ区切り`` / ``シート「集計」``)."""
        if self.kind == XLSX:
            others = [n for n in self.sheets if n != self.sheet]
            more = f"(ほかのシート: {'、'.join(f'「{n}」' for n in others)})" if others else ""
            return f"Excel ブック・シート「{self.sheet}」{more}"
        sep = "タブ区切り" if self.delimiter == "\t" else "カンマ区切り"
        return f"CSV・{ENCODING_LABELS.get(self.encoding, self.encoding)}・{sep}"


def is_empty(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Value) -> str:
    """A cell as a person would read it (numbers without a trailing .0, dates as 2025-03-31)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def column_letter(index: int) -> str:
    """0 → A, 26 → AA (Excel's column names, shown for .xlsx files)."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


# -- reading ------------------------------------------------------------------------------------------
def read_grid(data: bytes, filename: str = "", sheet: str | None = None) -> Grid:
    """Read a CSV/TSV or Excel file into rows.

    Parameters
    ----------
    data : bytes
        The file content (at most 2 MB).
    filename : str
        Used in messages, and to tell ``.xlsx`` from CSV when the content does not say.
    sheet : str, optional
        The Excel sheet to read (default: the first one). Ignored for CSV.

    Returns
    -------
    Grid
        Every record, blank ones included (the caller lists what it skips).

    Raises
    ------
    InputError
        Empty, too large, binary or undecodable files; unbalanced quotes; unreadable books; a sheet
        that does not exist — each with the line and what to do, in Japanese.
    """
    if not data.strip():
        raise InputError([Problem("ファイルが空です", filename)])
    if len(data) > MAX_BYTES:
        raise InputError(
            [
                Problem(
                    f"ファイルが大きすぎます({len(data):,} バイト)。上限は {MAX_BYTES // 1024 // 1024} MB です",
                    filename,
                )
            ]
        )
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            [
                Problem(
                    "Excel 97-2003 形式(.xls)か、パスワード付きの Excel ブックは読めません。"
                    "Excel で開き、パスワードを外して「Excel ブック(.xlsx)」か「CSV」で保存し直してください",
                    filename,
                )
            ]
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, filename, sheet)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise InputError([Problem("Excel ブック(.xlsx)として読めません。Excel で開いて保存し直してください", filename)])
    text, encoding = decode(data, filename)
    return _read_csv(text, encoding, filename)


def decode(data: bytes, filename: str = "") -> tuple[str, str]:
    """Decode text bytes: a BOM decides (UTF-8, UTF-16), else strict UTF-8, else strict cp932.

    Raises :class:`InputError` for binary data or bytes that are neither (with the first bad line).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError([Problem("UTF-16 として読めない文字があります", filename)]) from None
    if b"\x00" in data:
        raise InputError(
            [
                Problem(
                    "CSV でも Excel ブック(.xlsx)でもないファイルです。Excel なら「CSV」か「Excel ブック」で保存し直してください",
                    filename,
                )
            ]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                [
                    Problem(
                        "UTF-8 の印(BOM)があるのに、UTF-8 として読めない文字があります(Shift_JIS の行が混ざっています)。"
                        "Excel で開き、「CSV UTF-8(コンマ区切り)」で保存し直してください",
                        filename,
                        line,
                    )
                ]
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([Problem("文字コードが UTF-8 でも Shift_JIS(cp932)でもありません", filename, line)]) from None
    _refuse_mixed(data, filename)
    return text, "cp932"


def _refuse_mixed(data: bytes, filename: str) -> None:
    """Lines appended in UTF-8 to a Shift_JIS file decode as cp932 without error, as 蝗ｽ蜍｢…: refuse them."""
    first_sjis = first_utf8 = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_sjis = first_sjis or number
        else:
            first_utf8 = first_utf8 or number
        if first_sjis and first_utf8:
            raise InputError(
                [
                    Problem(
                        f"Shift_JIS の行({first_sjis}行目など)と UTF-8 の行({first_utf8}行目など)が混ざっています。"
                        "このままでは文字化けして記録されるため、受け付けません。Excel で開いて保存し直してください",
                        filename,
                        max(first_sjis, first_utf8),
                    )
                ]
            )


def _delimiter(lines: list[str]) -> str:
    """Tab when the first lines hold more tabs than commas (Excel's テキスト(タブ区切り)), else comma."""
    head = lines[:30]
    tabs = sum(line.count("\t") for line in head)
    commas = sum(line.count(",") for line in head)
    return "\t" if tabs > commas else ","


def _quote_opened_at(lines: list[str], first: int, delimiter: str) -> int:
    """The line (1-based) where the quoted field still open at the end of ``lines`` began.

    Follows the CSV states (field start, unquoted, quoted, quote inside quoted), so a doubled quote
    inside a quoted field is an escaped quote, not a close and a new open.
    """
    start, unquoted, quoted, quote_in_quoted = range(4)
    state, opened = start, first
    for offset, line in enumerate(lines):
        for ch in line:
            end_of_field = ch == delimiter or ch in "\r\n"
            if state == start:
                if ch == '"':
                    state, opened = quoted, first + offset
                elif not end_of_field:
                    state = unquoted
            elif state == unquoted:
                if end_of_field:
                    state = start
            elif state == quoted:
                if ch == '"':
                    state = quote_in_quoted
            elif ch == '"':
                state = quoted  # "" inside a quoted field
            else:
                state = start if end_of_field else unquoted
    return opened


def _read_csv(text: str, encoding: str, filename: str) -> Grid:
    physical = text.splitlines(keepends=True)
    delimiter = _delimiter(physical)
    consumed: list[str] = []

    def feed() -> Iterator[str]:
        for line in physical:
            consumed.append(line)
            yield line

    reader = csv.reader(feed(), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    filled = 0
    while True:
        start = reader.line_num + 1
        mark = len(consumed)
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError([_quote_problem(str(exc), consumed[mark:], start, filename, delimiter)]) from None
        last = reader.line_num
        cells = [c.replace("\ufeff", "") for c in cells]  # a BOM inside the file (two files joined)
        if any(c.strip() for c in cells):
            filled += 1
            if filled > MAX_ROWS:
                raise InputError([Problem(f"行が多すぎます({MAX_ROWS:,}行まで)", filename, start)])
        if len(cells) > MAX_COLUMNS:
            raise InputError([Problem(f"列が多すぎます({len(cells)}列。{MAX_COLUMNS}列まで)", filename, start)])
        if last > start:
            _check_multiline(cells, start, last, filename, delimiter)
        rows.append(Row(line=start, cells=tuple(cells), last_line=last))
    while rows and rows[-1].is_blank():
        rows.pop()
    if not rows:
        raise InputError([Problem("ファイルが空です", filename)])
    return Grid(rows=tuple(rows), kind=CSV, filename=filename, encoding=encoding, delimiter=delimiter)


def _typographic_hint(text: str) -> str:
    if any(q in text for q in "“”„‟＂"):
        return '(「”」「“」や全角の「＂」では閉じられません。半角の「"」で閉じてください)'
    return ""


def _quote_problem(error: str, lines: list[str], start: int, filename: str, delimiter: str) -> Problem:
    if "end of data" in error or "EOF" in error:
        opened = _quote_opened_at(lines, start, delimiter)
        return Problem(
            'この行で「"」で始まる値が、ファイルの終わりまで閉じられていません。'
            f"このままでは後の行がその値に取り込まれてしまうため、受け付けません"
            f'{_typographic_hint("".join(lines))}。値の中で「"」を使うときは「""」と2つ重ねます',
            filename,
            opened,
        )
    sep = "タブ" if delimiter == "\t" else "カンマ(,)"
    return Problem(
        f'「"」で囲まれた値の後に、{sep}以外の文字が続いています{_typographic_hint("".join(lines))}。'
        '値の中で「"」を使うときは、値全体を「"」で囲み、中の「"」を「""」と2つ重ねます',
        filename,
        start + max(len(lines) - 1, 0),
    )


def _looks_like_a_row(line: str, delimiter: str) -> bool:
    """A line of another table row (``人口,R8,2340,確定値``): a year and a number among three or more fields.

    A note written over two lines (Alt+Enter) with commas in it (「転入増(子育て世帯,単身者)」) is not.
    """
    from kamiplan.reading.when import parse_when

    fields = [f.strip().strip('"') for f in line.split(delimiter)]
    if len(fields) < 3:
        return False
    has_year = any(parse_when(f) is not None for f in fields[1:])
    has_number = any(re.fullmatch(r"[▲△+\-−]?[\d,]+(?:\.\d+)?\D{0,3}", f) for f in fields[1:])
    return has_year and has_number


def _check_multiline(cells: list[str], start: int, last: int, filename: str, delimiter: str) -> None:
    """A cell spanning lines is fine (Alt+Enter in Excel) unless its lines look like table rows."""
    for cell in cells:
        if "\n" not in cell and "\r" not in cell:
            continue
        continuation = cell.splitlines()[1:]
        if any(_looks_like_a_row(line, delimiter) for line in continuation):
            raise InputError(
                [
                    Problem(
                        f'{start}行目で「"」で始まる値が{last}行目まで続き、その中に表の行のような内容があります。'
                        f"引用符の閉じ忘れで、行が1つの値にまとめられています{_typographic_hint(cell)}。"
                        '閉じの「"」を確かめてください',
                        filename,
                        start,
                    )
                ]
            )


# -- Excel ------------------------------------------------------------------------------------------
def _percent_text(value: float) -> str:
    return f"{round(value * 100, 10):.15g}%"


def is_percent_format(number_format: str) -> bool:
    """Whether an Excel number format shows the value × 100 with a % (``0.0%``), not a literal % (``0.0"%"``, ``0\\%``)."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "")
    return "%" in bare


def _worksheets(book) -> list:
    """The sheets that hold cells (chart sheets have none), in order."""
    return [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]


# A cell formula element <f>, <f t="shared" …/>, <x:f> — not <formula1> of a dropdown (data validation),
# which made every book with dropdowns (the project template) load twice.
_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s>/]")


def _read_xlsx(data: bytes, filename: str, sheet: str | None) -> Grid:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = Problem("Excel ブック(.xlsx)として読めません。Excel で開いて保存し直してください", filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            if inflated > MAX_XLSX_UNCOMPRESSED:
                raise InputError([Problem("Excel ブックの中身が大きすぎます(展開すると 40 MB を超えます)", filename)])
            has_formulas = any(
                _FORMULA_ELEMENT.search(archive.read(info))
                for info in archive.infolist()
                if info.filename.startswith("xl/worksheets/")
            )
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        raise InputError([unreadable]) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, AttributeError):
        # AttributeError: openpyxl 3.1.5 on a chart sheet without a drawing (seen with hand-made books)
        raise InputError([unreadable]) from None
    sheets = _worksheets(book)
    names = tuple(ws.title for ws in sheets)
    if not sheets:
        raise InputError([Problem("表のシートがありません(グラフのシートだけです)", filename)])
    if sheet is None:
        # The first sheet a person sees: a hidden 作業用 sheet before it is not what was sent.
        ws = next((w for w in sheets if w.sheet_state == "visible"), sheets[0])
    elif sheet in names:
        ws = book[sheet]
    else:
        listed = "、".join(f"「{n}」" for n in names)
        kind = "グラフのシートで、表がありません" if sheet in book.sheetnames else "がありません"
        raise InputError([Problem(f"シート「{sheet}」{kind}。このブックのシート: {listed}", filename)])

    formulas: dict[tuple[int, int], str] = {}
    if has_formulas:
        try:
            raw = openpyxl.load_workbook(io.BytesIO(data), data_only=False)[ws.title]
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, AttributeError):
            raise InputError([unreadable]) from None
        for row in raw.iter_rows():
            for c in row:
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=")):
                    formulas[(c.row, c.column)] = str(c.value)

    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                merged[(r, col)] = (rng.min_row, rng.min_col)

    problems: list[Problem] = []
    rows: list[Row] = []
    copies: set[tuple[int, int]] = set()
    for excel_row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        cells: list[Value] = []
        for c in excel_row:
            anchor = merged.get((c.row, c.column))
            source = ws.cell(*anchor) if anchor and anchor != (c.row, c.column) else c
            if source is not c:
                copies.add((c.row, c.column - 1))
            value = source.value
            if value is None and (source.row, source.column) in formulas:
                problems.append(
                    Problem(
                        f"数式({formulas[(source.row, source.column)]})の計算結果がブックに保存されていません。"
                        "Excel で開いて保存し直してください",
                        filename,
                        source.row,
                        f"{column_letter(source.column - 1)}列",
                    )
                )
            if isinstance(value, bool):
                value = "TRUE" if value else "FALSE"
            elif isinstance(value, (int, float)) and is_percent_format(source.number_format):
                value = _percent_text(float(value))
            elif isinstance(value, dt.time):
                value = value.isoformat()
            elif isinstance(value, str):
                value = value.replace("\ufeff", "").strip() or None
            cells.append(value)
        while cells and is_empty(cells[-1]):
            cells.pop()
        rows.append(Row(line=excel_row[0].row if excel_row else len(rows) + 1, cells=tuple(cells)))
    # Formatting alone (a font set down to row 25,000) makes Excel's used range long: not rows of data.
    while rows and rows[-1].is_blank():
        rows.pop()
    if sum(not r.is_blank() for r in rows) > MAX_ROWS:
        raise InputError([Problem(f"行が多すぎます({MAX_ROWS:,}行まで)", filename)])
    if max((len(r.cells) for r in rows), default=0) > MAX_COLUMNS:
        raise InputError([Problem(f"列が多すぎます({MAX_COLUMNS}列まで)", filename)])
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError([Problem(f"シート「{ws.title}」は空です", filename)])
    hidden_rows = tuple(
        r
        for r, dim in ws.row_dimensions.items()
        if dim.hidden and any(row.line == r and not row.is_blank() for row in rows)
    )
    hidden_columns = tuple(
        sorted(i for letter, dim in ws.column_dimensions.items() if dim.hidden for i in range(dim.min - 1, dim.max))
    )
    return Grid(
        rows=tuple(rows),
        kind=XLSX,
        filename=filename,
        sheet=ws.title,
        sheets=names,
        merged_copies=frozenset(copies),
        hidden_rows=hidden_rows,
        hidden_columns=hidden_columns,
    )


def book_sheets(data: bytes) -> tuple[str, ...]:
    """The sheet names of an Excel book, in order; ``()`` for anything else (the reader says why later)."""
    if not data.startswith(_ZIP_MAGIC) or len(data) > MAX_BYTES:
        return ()
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:
        return ()
    try:
        return tuple(book.sheetnames)
    finally:
        book.close()


# Spreadsheet cells that look like formulas (CSV/Excel injection): written with a leading ' by every
# export, read back without it by every import, so that export → import is lossless.
_FORMULA_START = re.compile(r"^[=+\-@＝＋－＠\t\r]")


def formula_safe(text: str) -> str:
    """Neutralise a text cell for spreadsheets: a leading ``'`` before a formula-looking start.

    Text that already starts with ``'`` before such a start (``'@``) gets one more, so that
    :func:`unescape_formula` gives it back exactly.
    """
    if isinstance(text, str) and _FORMULA_START.match(text.lstrip("'")):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """Inverse of :func:`formula_safe`, so that export → import is lossless."""
    if isinstance(text, str) and text.startswith("'") and _FORMULA_START.match(text.lstrip("'")):
        return text[1:]
    return text
