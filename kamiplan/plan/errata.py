"""Errata: slips of the PDF-to-text conversion, corrected at build time without editing the plan.

``data/source/plan.txt`` stays a byte-for-byte copy of the converted document. Where the conversion
got a character wrong (带 U+5E26, simplified Chinese, printed in the plan as 帯 in 帯状疱疹), a row of
``data/source/errata.csv`` says so::

    line,wrong,right,why
    345,带,帯,PDF からの変換で …

An erratum replaces every occurrence of ``wrong`` on its line (1-based, as in the build's messages).
The build refuses an erratum that no longer fits the document — ``wrong`` is gone from its line (the
plan was revised, or the slip fixed at the source), the line is outside the file — so a correction is
never applied blindly to a revised plan. No file means no errata.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from kamiplan.errors import InputError, Problem, fail

COLUMNS = ("line", "wrong", "right", "why")
_SHOWN_LINE = 80  # characters of the current plan line quoted in a refusal


@dataclass(frozen=True)
class Erratum:
    """One row of ``errata.csv``: on plan line ``line``, ``wrong`` is to read ``right`` (because ``why``)."""

    row: int  # line of errata.csv, for messages
    line: int
    wrong: str
    right: str
    why: str


def read_errata(path: Path) -> list[Erratum]:
    """Read and check ``errata.csv`` on its own (whether each erratum fits the plan is :func:`apply_errata`'s).

    Parameters
    ----------
    path : Path
        ``errata.csv`` (UTF-8, with or without BOM; columns ``line``, ``wrong``, ``right``, ``why``).
        ``wrong`` and ``right`` are taken exactly as written (spaces included).

    Returns
    -------
    list of Erratum
        In file order; empty when the file does not exist. Raises :class:`InputError` listing every
        problem found (malformed rows, unknown or missing columns, a line number that is not a number,
        an empty ``wrong``, ``wrong`` equal to ``right``, a line break inside a correction, no reason).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail("訂正表が UTF-8 ではありません", path, raw[: exc.start].count(b"\n") + 1) from None
    # strict: an unclosed quote is an error with its line number, not a field that swallows the rest.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    rows: list[Erratum] = []
    seen: dict[tuple[int, str], int] = {}

    def problem(line: int, message: str, column: str = "", value: str = "") -> None:
        problems.append(Problem(message=message, path=str(path), line=line, column=column, value=value))

    try:
        header = next(reader, None)
        if header is None:
            raise fail(f"見出し行がありません(必要な列: {','.join(COLUMNS)})", path, 1)
        header = [h.strip() for h in header]
        missing = [c for c in COLUMNS if c not in header]
        unknown = [c or "(空欄)" for c in header if c not in COLUMNS]
        if missing or unknown or len(header) != len(COLUMNS):
            msg = []
            if missing:
                msg.append("必要な列がありません: " + "、".join(missing))
            if unknown:
                msg.append("不明な列があります: " + "、".join(unknown))
            if not msg:
                msg.append("同じ列が2回あります")
            raise fail("。".join(msg) + f"(列は {','.join(COLUMNS)} の4つです)", path, 1)
        for cells in reader:
            row = reader.line_num
            if not cells or cells == [""]:
                continue  # a blank line
            if len(cells) != len(COLUMNS):
                problem(row, f"列の数が{len(cells)}です。見出し行と同じ{len(COLUMNS)}列でなければなりません")
                continue
            r = dict(zip(header, cells, strict=True))
            ok = True
            number = r["line"].strip()
            if not (number.isascii() and number.isdigit() and int(number) >= 1):
                problem(row, "計画書の行番号は 1 以上の整数で書きます", "line", r["line"])
                ok = False
            if not r["wrong"]:
                problem(row, "訂正前の文字列が空です", "wrong")
                ok = False
            elif r["wrong"] == r["right"]:
                problem(row, "訂正前と訂正後が同じです", "right", r["right"])
                ok = False
            for col in ("wrong", "right"):
                if "\n" in r[col] or "\r" in r[col]:
                    problem(row, "改行は書けません(訂正は1行の中で行います)", col, r[col])
                    ok = False
            if not r["why"].strip():
                problem(row, "訂正の理由が空です", "why")
                ok = False
            if not ok:
                continue
            key = (int(number), r["wrong"])
            if key in seen:
                problem(row, f"同じ訂正が{seen[key]}行目にもあります", "wrong", r["wrong"])
                continue
            seen[key] = row
            rows.append(Erratum(row=row, line=int(number), wrong=r["wrong"], right=r["right"], why=r["why"].strip()))
    except csv.Error as exc:
        problem(reader.line_num, f"CSV の形式が正しくありません({exc})")
    if problems:
        raise InputError(problems)
    return rows


def apply_errata(text: str, errata: list[Erratum], errata_path: str | Path, plan_path: str | Path) -> str:
    """The plan text with every erratum applied; refused if one no longer fits the document.

    Parameters
    ----------
    text : str
        The plan document as read (line breaks ``\\n``, ``\\r\\n`` or ``\\r``; they are returned as ``\\n``,
        the form :func:`kamiplan.plan.parser.parse_plan_text` numbers lines in).
    errata : list of Erratum
        From :func:`read_errata`, applied in file order; two errata on one line apply one after the other.
    errata_path, plan_path : str or Path
        Named in messages.

    Returns
    -------
    str
        A new string; ``text`` is not modified. Raises :class:`InputError` naming ``errata.csv``, its line
        and the plan line when an erratum's line is outside the document or its ``wrong`` text does not
        occur on that line (with what was expected and what the line holds now).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    count = len(lines) - 1 if lines[-1] == "" else len(lines)  # a final line break ends the last line
    plan_name = Path(plan_path).name
    problems: list[Problem] = []
    for e in errata:
        if e.line > count:
            problems.append(
                Problem(
                    f"計画書 {plan_name} は{count}行までです。{e.line}行目はありません"
                    f"(「{e.wrong}」を「{e.right}」に直す訂正)。訂正表のこの行を見直してください",
                    str(errata_path),
                    e.row,
                    "line",
                    str(e.line),
                )
            )
            continue
        current = lines[e.line - 1]
        if e.wrong not in current:
            shown = current if len(current) <= _SHOWN_LINE else current[:_SHOWN_LINE] + "…"
            problems.append(
                Problem(
                    f"計画書 {plan_name} の{e.line}行目に訂正前の「{e.wrong}」がありません"
                    f"(「{e.wrong}」を「{e.right}」に直す訂正)。この行は今「{shown}」です。"
                    "計画書が改訂されたか、すでに直っています。訂正表のこの行を直すか削除してください",
                    str(errata_path),
                    e.row,
                    "wrong",
                    e.wrong,
                )
            )
            continue
        lines[e.line - 1] = current.replace(e.wrong, e.right)
    if problems:
        raise InputError(problems)
    return "\n".join(lines)
