"""Parse the plan document (text converted from the PDF) into plain records.

The document is the specification: headings, prose and tab-separated tables. This module knows the
*format* of the plan (its headings and table headers), never its content: a revised plan in the same
format parses without code changes. What the document cannot say (an indicator's direction, which
rows are one series) is added later from the curated file (:mod:`kamiplan.plan.curation`).

Every refusal raises :class:`kamiplan.errors.InputError` naming the file and line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from kamiplan.errors import InputError, fail
from kamiplan.plan.periods import Period, parse_period
from kamiplan.plan.values import PlanCell, nfkc, parse_plan_cell

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Headings of the document format.
H_SYSTEM = "■施策体系"
H_PROGRESS = "■計画の進捗管理"
H_OUTCOMES = "■前期基本計画の成果目標"
H_VISION = "■将来像"
H_PERIOD = "■前期基本計画の期間"
M_OVERVIEW = "基本計画"
M_ISSUES = "現状と課題"
M_APPROACH = "取組方針"
M_TARGETS = "数値目標"
M_KPI = "重要業績評価指標(KPI)"
M_ACTIONS = "実施計画(アクションプラン)"

SECTION_VISION = "vision"
SECTION_POPULATION = "population"
SECTION_SATISFACTION = "satisfaction"
SECTION_TARGET = "target"
SECTION_KPI = "kpi"
SECTIONS = (SECTION_VISION, SECTION_POPULATION, SECTION_SATISFACTION, SECTION_TARGET, SECTION_KPI)

ACTION_HEADER = ("事業名", "概要", "備考")
INDICATOR_HEADER_FIRST = ("指標", "項目")
TAG_NEW = "新規"
TAG_EXPANDED = "拡充"
TAG_REPEAT = "再掲"
TAG_NEW_REPEAT = "新規 (再掲)"
TAGS = ("", TAG_NEW, TAG_EXPANDED, TAG_REPEAT, TAG_NEW_REPEAT)

_PILLAR_HEADING = re.compile(r"^大綱\s*(?P<n>\d+)\s*\.\s*(?P<name>.+)$")
_POLICY_HEADING = re.compile(r"^(?:-\s*)?\((?P<n>\d+)\)\s*(?P<name>.+)$")
_MEASURE_ITEM = re.compile(rf"(?P<c>[{CIRCLED}])\s*(?P<name>[^{CIRCLED}]*)")
_MEASURE_LINE = re.compile(rf"^(?:-\s*)?[{CIRCLED}]")
_TAG_RE = re.compile(r"<[^>]*>")
_YEARS_IN_PERIOD = re.compile(r"(?P<y>\d{4})\s*\(\s*令和\s*(?P<r>\d+|元)\s*\)\s*年度")
_SURVEY_DATE = re.compile(r"令和\s*(?:\d+|元)\s*年\s*\d+\s*月")
_FOOTNOTE_LINE = re.compile(r"^(?P<mark>※\s*\d+)\s*(?P<text>.+)$")


def compact(text: str) -> str:
    """Key for comparing names that differ only in spacing or full/half width ("GIGA スクール")."""
    return re.sub(r"\s+", "", nfkc(text))


def circled_number(char: str) -> int:
    """① → 1."""
    return CIRCLED.index(char) + 1


def readable(cell: str) -> str:
    """Cell text with stray HTML fragments (``<ul style=…>``) removed; the words are kept exactly."""
    text = _TAG_RE.sub(" ", cell) if "<" in cell else cell
    text = html.unescape(text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


@dataclass
class IndicatorRow:
    """One row of an indicator table, before curation."""

    line: int
    pillar: int
    policy: int
    section: str
    section_label: str
    name: str
    baseline: PlanCell
    target: PlanCell
    baseline_header: Period | None
    target_header: Period | None
    footnotes: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionRow:
    line: int
    pillar: int
    policy: int
    measure: int
    name: str
    summary: str
    tag: str
    continuation: bool


@dataclass
class PolicyRecord:
    pillar: int
    policy: int
    name: str
    line: int
    issues: list[str] = field(default_factory=list)
    approach: list[str] = field(default_factory=list)
    outline_measures: dict[int, str] = field(default_factory=dict)
    detail_measures: dict[int, str] = field(default_factory=dict)
    overview_line: int | None = None
    detail_line: int | None = None

    def measures_for(self, number: int) -> str:
        """Name of measure ``number``: as listed in the 基本計画's own section, else in the 大綱 overview."""
        return self.detail_measures.get(number) or self.outline_measures.get(number, "")


@dataclass
class PillarRecord:
    pillar: int
    name: str
    outline_name: str
    line: int
    summary: list[str] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str
    strategy_title: str
    vision: str
    vision_statement: str
    period_text: str
    start_year: int
    end_year: int
    progress_management: str
    outcomes_intro: str
    survey_note: str
    pillars: list[PillarRecord]
    policies: dict[tuple[int, int], PolicyRecord]
    indicators: list[IndicatorRow]
    actions: list[ActionRow]


@dataclass
class _Table:
    rows: list[tuple[int, list[str]]]  # (line number, cells)


class _Lines:
    """The document as numbered lines with a cursor."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.i = 0

    def __len__(self) -> int:
        return len(self.lines)

    def text(self, i: int) -> str:
        return self.lines[i].rstrip()

    def stripped(self, i: int) -> str:
        return self.lines[i].strip()

    def is_row(self, i: int) -> bool:
        return "\t" in self.lines[i]

    def lineno(self, i: int) -> int:
        return i + 1

    def find(self, heading: str, start: int = 0) -> int:
        for i in range(start, len(self.lines)):
            if self.stripped(i) == heading:
                return i
        raise fail(f"見出し「{heading}」が見つかりません。計画書の形式が想定と異なります", self.path)

    def next_nonblank(self, i: int) -> int | None:
        j = i
        while j < len(self.lines):
            if self.lines[j].strip():
                return j
            j += 1
        return None

    def read_table(self, i: int, width: int) -> tuple[_Table, int]:
        """Read a tab-separated table starting at line i; blank lines (page breaks) inside are skipped."""
        rows: list[tuple[int, list[str]]] = []
        j = i
        while j < len(self.lines):
            if not self.lines[j].strip() and "\t" not in self.lines[j]:
                nxt = self.next_nonblank(j)
                if nxt is None or not self.is_row(nxt):
                    break
                j = nxt
                continue
            if not self.is_row(j):
                break
            cells = self.lines[j].rstrip("\r\n").split("\t")
            if len(cells) != width:
                raise fail(
                    f"表の行のセル数が{len(cells)}です。この表は{width}列(タブ区切り)でなければなりません",
                    self.path,
                    self.lineno(j),
                    value=self.lines[j][:60],
                )
            rows.append((self.lineno(j), [c.strip() for c in cells]))
            j += 1
        return _Table(rows), j


def parse_plan_text(text: str, path: str = "plan.txt") -> ParsedPlan:
    """Parse the whole plan document.

    Parameters
    ----------
    text : str
        The document (UTF-8 text converted from the PDF).
    path : str
        Name used in error messages.

    Returns
    -------
    ParsedPlan
        Plain records in document order.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise fail("計画書が空です", path)
    doc = _Lines(text, path)
    return _PlanParser(doc).parse()


def read_plan_text(path: Path) -> str:
    """The plan document at ``path`` as text (UTF-8), refused with the file and line if it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail("計画書のファイルが見つかりません", path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail("計画書が UTF-8 のテキストではありません", path, line) from None


def parse_plan_file(path: Path) -> ParsedPlan:
    """Read and parse the plan document at ``path`` (UTF-8)."""
    return parse_plan_text(read_plan_text(path), str(path))


class _PlanParser:
    def __init__(self, doc: _Lines) -> None:
        self.doc = doc
        self.path = doc.path
        self.pillars: list[PillarRecord] = []
        self.policies: dict[tuple[int, int], PolicyRecord] = {}
        self.indicators: list[IndicatorRow] = []
        self.actions: list[ActionRow] = []

    # -- helpers ---------------------------------------------------------------------------------
    def _err(self, message: str, i: int | None = None, value: str = "") -> InputError:
        return fail(message, self.path, None if i is None else self.doc.lineno(i), value=value)

    def _paragraphs(self, start: int, stop: int) -> list[str]:
        return [self.doc.stripped(i) for i in range(start, stop) if self.doc.stripped(i)]

    # -- front matter ----------------------------------------------------------------------------
    def parse(self) -> ParsedPlan:
        doc = self.doc
        i_system = doc.find(H_SYSTEM)
        i_progress = doc.find(H_PROGRESS, i_system)
        i_outcomes = doc.find(H_OUTCOMES, i_progress)
        i_vision = doc.find(H_VISION)
        i_period = doc.find(H_PERIOD)

        front = self._paragraphs(0, i_vision)
        if len(front) < 2:
            raise self._err("表題(計画名と総合戦略名)が見つかりません", 0)
        title = re.sub(r"^[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.\s*", "", front[0])
        strategy_title = front[1]

        vision_lines = self._paragraphs(i_vision + 1, i_period)
        # "将来像" / <the vision> / <sentence>
        if len(vision_lines) < 2 or vision_lines[0] != "将来像":
            raise self._err("将来像が「将来像」の行に続いて書かれていません", i_vision)
        vision = vision_lines[1]
        vision_statement = "\n".join(vision_lines[2:])

        period_lines = self._paragraphs(i_period + 1, i_system)
        period_text = "\n".join(period_lines)
        years = [int(m.group("y")) for m in _YEARS_IN_PERIOD.finditer(nfkc(period_text))]
        if len(years) != 2 or years[1] <= years[0]:
            raise self._err("計画期間(例: 2025(令和7)年度 … 2029(令和11)年度)を読み取れません", i_period + 1)
        start_year, end_year = years

        self._parse_system(i_system + 1, i_progress)
        progress = "\n".join(self._paragraphs(i_progress + 1, i_outcomes))

        first_pillar = self._first_pillar_heading(i_outcomes)
        intro, survey_note = self._parse_outcomes(i_outcomes + 1, first_pillar)

        heads = [i for i in range(first_pillar, len(doc)) if _PILLAR_HEADING.match(doc.stripped(i))]
        if len(heads) != len(self.pillars):
            raise self._err(
                f"施策体系の大綱は{len(self.pillars)}個ですが、本文の大綱の見出しは{len(heads)}個です", first_pillar
            )
        for k, start in enumerate(heads):
            stop = heads[k + 1] if k + 1 < len(heads) else len(doc)
            self._parse_pillar(start, stop)

        return ParsedPlan(
            title=title,
            strategy_title=strategy_title,
            vision=vision,
            vision_statement=vision_statement,
            period_text=period_text,
            start_year=start_year,
            end_year=end_year,
            progress_management=progress,
            outcomes_intro=intro,
            survey_note=survey_note,
            pillars=self.pillars,
            policies=self.policies,
            indicators=self.indicators,
            actions=self.actions,
        )

    def _first_pillar_heading(self, start: int) -> int:
        for i in range(start, len(self.doc)):
            if _PILLAR_HEADING.match(self.doc.stripped(i)):
                return i
        raise self._err("本文に大綱の見出し(例: 大綱 1. …)がありません", start)

    def _parse_system(self, start: int, stop: int) -> None:
        """施策体系: 大綱 lines and their (n) 基本計画 lines."""
        pillar: PillarRecord | None = None
        for i in range(start, stop):
            s = self.doc.stripped(i)
            if not s:
                continue
            m = _PILLAR_HEADING.match(s)
            if m:
                n = int(m.group("n"))
                if n != len(self.pillars) + 1:
                    raise self._err(f"大綱の番号が順番どおりではありません(大綱{n})", i, s)
                pillar = PillarRecord(pillar=n, name="", outline_name=m.group("name").strip(), line=i + 1)
                self.pillars.append(pillar)
                continue
            m = _POLICY_HEADING.match(s)
            if m and pillar is not None:
                n = int(m.group("n"))
                expected = 1 + sum(1 for key in self.policies if key[0] == pillar.pillar)
                if n != expected:
                    raise self._err(f"大綱{pillar.pillar}の基本計画の番号が順番どおりではありません(({n}))", i, s)
                self.policies[(pillar.pillar, n)] = PolicyRecord(
                    pillar=pillar.pillar, policy=n, name=m.group("name").strip(), line=i + 1
                )
                continue
            raise self._err("施策体系の中で解釈できない行です", i, s)
        if not self.pillars:
            raise self._err("施策体系に大綱がありません", start)

    # -- plan-wide targets -------------------------------------------------------------------------
    def _parse_outcomes(self, start: int, stop: int) -> tuple[str, str]:
        doc = self.doc
        intro: list[str] = []
        heading: str | None = None
        heading_line = start
        blocks: list[tuple[str, int, list[_Table], list[str]]] = []
        footnotes: dict[str, str] = {}
        i = start
        while i < stop:
            s = doc.stripped(i)
            if doc.is_row(i):
                if heading is None:
                    raise self._err("成果目標の表の前に見出し(■…)がありません", i)
                table, i = doc.read_table(i, 3)
                blocks[-1][2].append(table)
                continue
            if s.startswith("■"):
                heading = s[1:].strip()
                heading_line = i
                blocks.append((heading, heading_line, [], []))
            elif s:
                fm = _FOOTNOTE_LINE.match(s)
                if fm:
                    footnotes[re.sub(r"\s+", "", fm.group("mark"))] = s
                elif heading is None:
                    intro.append(s)
                else:
                    blocks[-1][3].append(s)
            i += 1

        survey_note = ""
        for heading, hline, tables, notes in blocks:
            section = self._outcome_section(heading, hline)
            if not tables:
                continue
            survey_period: Period | None = None
            for note in notes:
                m = _SURVEY_DATE.search(note)
                if m:
                    survey_period = parse_period(m.group(0))
                    survey_note = note
            for table in tables:
                self._indicator_table(table, 0, 0, section, heading, survey_period, footnotes)
        return "\n".join(intro), survey_note

    def _outcome_section(self, heading: str, i: int) -> str:
        if heading.startswith("将来像"):
            return SECTION_VISION
        if "人口減少対策" in heading:
            return SECTION_POPULATION
        if "施策の推進" in heading:
            return SECTION_SATISFACTION
        raise self._err("成果目標の見出しが想定と異なります(将来像/人口減少対策/施策の推進)", i, heading)

    def _indicator_table(
        self,
        table: _Table,
        pillar: int,
        policy: int,
        section: str,
        section_label: str,
        fallback_baseline: Period | None = None,
        footnotes: dict[str, str] | None = None,
    ) -> list[IndicatorRow]:
        """Rows of one indicator table (header 指標/項目 | 基準値(R5) | 目標値(R11))."""
        if not table.rows:
            return []
        line, header = table.rows[0]
        if compact(header[0]) not in INDICATOR_HEADER_FIRST:
            raise fail(
                "指標の表の見出し行(指標/項目・基準値・目標値)がありません", self.path, line, value="\t".join(header)
            )
        baseline_header = _header_period(header[1])
        target_header = _header_period(header[2])
        if target_header is None:
            raise fail("目標値の見出しに年度(例: 目標値(R11))がありません", self.path, line, value=header[2])
        if baseline_header is None and fallback_baseline is not None:
            baseline_header = fallback_baseline
        rows: list[IndicatorRow] = []
        previous: str | None = None
        for line, cells in table.rows[1:]:
            name, base, target = cells
            if compact(name) in INDICATOR_HEADER_FIRST:
                continue  # header repeated after a page break
            if not name:
                if previous is None:
                    raise fail("指標名のない行が表の先頭にあります", self.path, line)
                name = previous
            baseline_cell = parse_plan_cell(base)
            target_cell = parse_plan_cell(target)
            if not base:
                raise fail("基準値のセルが空です(値がない場合は「—」と書きます)", self.path, line, "基準値")
            if not target:
                raise fail("目標値のセルが空です", self.path, line, "目標値")
            used = {
                mark: (footnotes or {}).get(mark, "")
                for mark in (*baseline_cell.footnotes, *target_cell.footnotes, *_footnotes_in(header[1]))
            }
            row = IndicatorRow(
                line=line,
                pillar=pillar,
                policy=policy,
                section=section,
                section_label=section_label,
                name=name,
                baseline=baseline_cell,
                target=target_cell,
                baseline_header=baseline_header,
                target_header=target_header,
                footnotes=used,
            )
            rows.append(row)
            self.indicators.append(row)
            previous = name
        return rows

    # -- one 大綱 ------------------------------------------------------------------------------------
    def _parse_pillar(self, start: int, stop: int) -> None:
        doc = self.doc
        m = _PILLAR_HEADING.match(doc.stripped(start))
        assert m is not None
        n = int(m.group("n"))
        if n < 1 or n > len(self.pillars) or self.pillars[n - 1].name:
            raise self._err(f"大綱{n}の見出しが施策体系と合いません(番号の重複または欠落)", start)
        pillar = self.pillars[n - 1]
        pillar.name = m.group("name").strip()
        pillar.line = start + 1

        mode = "summary"
        current_policy: int | None = None
        current_measure: int | None = None
        marker: str | None = None
        pending: list[IndicatorRow] = []  # indicator rows waiting for their 基本計画 (placed by sub-area names)
        pending_line = 0
        i = start + 1
        while i < stop:
            s = doc.stripped(i)
            if not s and not doc.is_row(i):
                i += 1
                continue
            if doc.is_row(i):
                table, i_next = doc.read_table(i, 3)
                if marker in (SECTION_TARGET, SECTION_KPI):
                    label = M_TARGETS if marker == SECTION_TARGET else M_KPI
                    rows = self._indicator_table(table, n, current_policy or 0, marker, label)
                    if current_policy is None:
                        if not pending:
                            pending_line = i
                        pending.extend(rows)
                elif marker == "actions":
                    if current_measure is None or current_policy is None:
                        raise self._err("実施計画の表の前に施策の見出し(例: ① …)がありません", i)
                    self._action_table(table, n, current_policy, current_measure)
                else:
                    raise self._err("どの見出しにも属さない表です(数値目標・KPI・実施計画の後に置きます)", i, s)
                i = i_next
                continue

            if s == M_OVERVIEW:
                j = doc.next_nonblank(i + 1)
                pm = _POLICY_HEADING.match(doc.stripped(j)) if j is not None and j < stop else None
                if pm is None or j is None:
                    raise self._err("「基本計画」の後に基本計画の見出し(例: (1)…)がありません", i)
                policy = self._policy_for_heading(n, int(pm.group("n")), pm.group("name"), j)
                if policy.overview_line is None:
                    policy.overview_line = j + 1
                    i = self._measure_list(j + 1, stop, policy.outline_measures)
                    mode = "overview"
                    marker = None
                    continue
                # A 基本計画 already listed in the overview: the label precedes its own section
                # (a page header in the PDF), so what follows is the detail heading.
                i, s = j, doc.stripped(j)

            pm = _POLICY_HEADING.match(s)
            if pm and not s.startswith("-"):
                if pending:
                    raise self._err(
                        "大綱の概要の直後にある数値目標・KPIの表が、どの基本計画のものか施策名から判断できません",
                        pending_line,
                    )
                policy = self._policy_for_heading(n, int(pm.group("n")), pm.group("name"), i)
                if policy.detail_line is not None:
                    raise self._err(f"基本計画({policy.policy})の見出しが2回あります", i, s)
                policy.detail_line = i + 1
                current_policy = policy.policy
                current_measure = None
                i = self._measure_list(i + 1, stop, policy.detail_measures)
                mode = "detail"
                marker = None
                continue

            key = compact(s)
            if key == M_ISSUES:
                self._require_policy(current_policy, i, s)
                marker = "issues"
            elif key == M_APPROACH:
                self._require_policy(current_policy, i, s)
                marker = "approach"
            elif key == M_TARGETS:
                marker = SECTION_TARGET
            elif key == compact(M_KPI):
                marker = SECTION_KPI
            elif key == compact(M_ACTIONS):
                marker = "actions"
                current_measure = None
            elif marker == "actions" and _MEASURE_LINE.match(s):
                items = _MEASURE_ITEM.findall(s)
                if len(items) != 1:
                    raise self._err("実施計画の施策の見出しは1行に1つです", i, s)
                number, name = circled_number(items[0][0]), items[0][1].strip()
                current_policy = self._resolve_measure(n, current_policy, number, name, i)
                current_measure = number
                if pending:
                    for row in pending:
                        row.policy = current_policy
                    pending = []
            elif mode == "summary":
                pillar.summary.append(s)
            elif marker == "issues" and current_policy is not None:
                self.policies[(n, current_policy)].issues.append(s)
            elif marker == "approach" and current_policy is not None:
                self.policies[(n, current_policy)].approach.append(s)
            else:
                raise self._err("この位置では解釈できない行です", i, s[:60])
            i += 1

        if pending:
            raise self._err(
                "大綱の概要の直後にある数値目標・KPIの表が、どの基本計画のものか施策名から判断できません", pending_line
            )
        for (p, _), policy in self.policies.items():
            if p == n and policy.overview_line is None and not policy.outline_measures:
                raise fail(
                    f"大綱{n}の概要に基本計画({policy.policy}){policy.name} がありません", self.path, pillar.line
                )

    def _require_policy(self, current_policy: int | None, i: int, s: str) -> None:
        if current_policy is None:
            raise self._err(f"「{s}」の前に基本計画の見出し(例: (1)…)がありません", i)

    def _policy_for_heading(self, pillar: int, number: int, name: str, i: int) -> PolicyRecord:
        policy = self.policies.get((pillar, number))
        if policy is None:
            raise self._err(f"施策体系にない基本計画です(大綱{pillar}の({number}))", i, name)
        if compact(policy.name) != compact(name):
            raise self._err(f"基本計画の名前が施策体系(「{policy.name}」)と一致しません", i, name.strip())
        return policy

    def _measure_list(self, i: int, stop: int, into: dict[int, str]) -> int:
        """Read the ①②… list that follows a 基本計画 heading (one or several per line)."""
        doc = self.doc
        while i < stop:
            s = doc.stripped(i)
            if not s:
                i += 1
                continue
            if doc.is_row(i) or not _MEASURE_LINE.match(s):
                break
            for char, name in _MEASURE_ITEM.findall(s.lstrip("- ")):
                number = circled_number(char)
                if number != len(into) + 1:
                    raise self._err(f"施策の番号が順番どおりではありません({char})", i, s)
                into[number] = name.strip()
            i += 1
        if not into:
            raise self._err("基本計画の見出しの後に施策(①②…)の一覧がありません", i)
        return i

    def _resolve_measure(self, pillar: int, current: int | None, number: int, name: str, i: int) -> int:
        """The 基本計画 an 実施計画 sub-area belongs to, found by its name (not by position)."""
        key = compact(name)
        matches = [
            pnum
            for (p, pnum), policy in sorted(self.policies.items())
            if p == pillar and key in {compact(policy.measures_for(number))}
        ]
        if current is not None:
            if current in matches:
                return current
            raise self._err(
                f"実施計画の施策「{name}」が基本計画({current})の施策の一覧にありません",
                i,
                f"{CIRCLED[number - 1]} {name}",
            )
        if len(matches) != 1:
            raise self._err(
                f"実施計画の施策「{name}」がどの基本計画のものか施策名から判断できません(候補 {len(matches)} 件)", i
            )
        return matches[0]

    def _action_table(self, table: _Table, pillar: int, policy: int, measure: int) -> None:
        rows = list(table.rows)
        measure_name = self.policies[(pillar, policy)].measures_for(measure)
        header_seen = False
        previous: ActionRow | None = None
        for line, cells in rows:
            keys = tuple(compact(c) for c in cells)
            if keys == ACTION_HEADER:
                header_seen = True
                continue
            if not header_seen:
                echo = compact(cells[0].strip().lstrip(CIRCLED))
                if echo == compact(measure_name) and not cells[1] and not cells[2]:
                    continue  # the sub-area heading repeated as a table row
                raise fail("実施計画の表に見出し行(事業名・概要・備考)がありません", self.path, line, value=cells[0])
            name, summary, tag = cells
            tag_key = compact(tag)
            tag_value = {compact(t): t for t in TAGS}.get(tag_key)
            if tag_value is None:
                raise fail(
                    "備考の値が想定外です(新規・拡充・再掲・新規 (再掲)・空欄のいずれか)", self.path, line, "備考", tag
                )
            if not summary:
                raise fail("概要のセルが空です", self.path, line, "概要")
            continuation = not name
            if continuation:
                if previous is None:
                    raise fail(
                        "事業名のない行が表の先頭にあります(前の事業の続きになりません)", self.path, line, "事業名"
                    )
                name = previous.name
            row = ActionRow(
                line=line,
                pillar=pillar,
                policy=policy,
                measure=measure,
                name=readable(name),
                summary=readable(summary),
                tag=tag_value,
                continuation=continuation,
            )
            self.actions.append(row)
            previous = row


def _header_period(cell: str) -> Period | None:
    """The period in a header cell such as 基準値(R5) or 目標値(R11)."""
    m = re.search(r"\(([^()]*)\)", nfkc(cell))
    return parse_period(m.group(1)) if m else None


def _footnotes_in(cell: str) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", f) for f in re.findall(r"※\s*\d+", nfkc(cell)))
