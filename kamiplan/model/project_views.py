"""事業の実施状況 as the pages show it: the year's records beside the plan's rows, filters, one project's
years, and the roll-up as tables and sentences. No Streamlit here (the pages place what these return).

Every frame is built from :func:`kamiplan.model.project_rollup.project_table` (a 再掲 row shows its
original's record) and the counts of :func:`kamiplan.model.project_rollup.rollup` (a 再掲 row counted
once, where its original is). Nothing is scored: counts, sums and the recorded words only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from kamiplan import labels
from kamiplan.model.project_rollup import NOT_ENTERED, NOT_GRADED, STARTED
from kamiplan.plan.periods import year_label
from kamiplan.plan.values import format_number
from kamiplan.records.project_editing import (  # the column names the edit table uses, one spelling
    COL_BUDGET,
    COL_DEPARTMENT,
    COL_DIRECTION,
    COL_GRADE,
    COL_NAME,
    COL_SPENT,
    COL_STATUS,
)
from kamiplan.records.projects import FIRST_YEAR, LAST_YEAR, PROJECTS, grade_text

YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))  # R7–R11: the years a project is evaluated

# What the filters of the 実施計画 page offer, in the order of the plan's word lists; a blank is a word too.
STATUS_OPTIONS: tuple[str, ...] = (*labels.PROJECT_STATUSES, NOT_ENTERED)
GRADE_OPTIONS: tuple[str, ...] = (*(grade_text(g) for g in labels.PROJECT_GRADES), NOT_GRADED)
DIRECTION_OPTIONS: tuple[str, ...] = (*labels.PROJECT_DIRECTIONS, NOT_ENTERED)

C = labels.PROJECT_COLUMNS
COL_YEAR = C["year"]

# The 実施計画 list: what the committee looks for first comes first (at 1280×800 about six columns show
# before the table scrolls); long texts and the plan's place after them. Exported as shown, 年度 last.
LIST_COLUMNS = {
    "name": COL_NAME,
    "status_text": COL_STATUS,
    "grade_text": COL_GRADE,
    "direction_text": COL_DIRECTION,
    "spent": COL_SPENT,
    "budget": COL_BUDGET,
    "department": COL_DEPARTMENT,
    "summary": C["summary"],
    "work": C["work"],
    "outcome": C["outcome"],
    "tag": C["tag"],
    "measure_name": "施策",
    "place": "位置",
    "repeat_of_place": "再掲元",
    "action_id": C["action_id"],
    "year_text": COL_YEAR,
}
# One 施策's projects on a 大綱 page: the four words first, then what the row is.
MEASURE_COLUMNS = {
    "name": COL_NAME,
    "link": labels.PROJECT_DETAIL_LINK,
    "status_text": COL_STATUS,
    "grade_text": COL_GRADE,
    "direction_text": COL_DIRECTION,
    "tag": C["tag"],
    "summary": C["summary"],
    "action_id": C["action_id"],
}
# One project's years.
YEAR_COLUMNS = {
    "action_id": C["action_id"],
    "year_text": COL_YEAR,
    "status_text": COL_STATUS,
    "grade_text": COL_GRADE,
    "direction_text": COL_DIRECTION,
    "budget": COL_BUDGET,
    "spent": COL_SPENT,
    "department": COL_DEPARTMENT,
    "work": C["work"],
    "outcome": C["outcome"],
}
RECORD_FIELDS = [*PROJECTS.field_names, "recorded_on", "entered"]


def place_text(pillar: int, policy: int, measure: int) -> str:
    """Where a row is in the plan: 「大綱1(2)③」."""
    return f"大綱{int(pillar)}({int(policy)}){chr(0x2460 + int(measure) - 1)}"


def record_words(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the words a reader sees: 実施状況 (or 未入力), 評価 「B 概ね計画どおり」 (or 未評価),
    今後の方向性 (or 未入力). The filters offer the same words (:data:`STATUS_OPTIONS` …)."""
    return frame.assign(
        status_text=[s or NOT_ENTERED for s in frame["status"].fillna("")],
        grade_text=[grade_text(g) or NOT_GRADED for g in frame["grade"].fillna("")],
        direction_text=[d or NOT_ENTERED for d in frame["direction"].fillna("")],
    )


def with_records(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The plan's rows (e.g. :func:`kamiplan.plan.queries.filter_actions`) with the year's record and its words.

    Parameters
    ----------
    rows : DataFrame
        実施計画 rows with ``action_id`` (any other columns are kept, in their order).
    table : DataFrame
        :func:`kamiplan.model.project_rollup.project_table` of the year (all 196 rows).

    Returns
    -------
    DataFrame
        ``rows`` in their order with the record fields, ``recorded_on``, ``entered`` and the words of
        :func:`record_words`. ``rows`` is not modified.
    """
    records = table.set_index("action_id")[RECORD_FIELDS]
    out = rows.drop(columns=[c for c in RECORD_FIELDS if c in rows.columns]).join(records, on="action_id")
    out["entered"] = out["entered"].fillna(False).astype(bool)
    return record_words(out.reset_index(drop=True))


def filter_records(
    rows: pd.DataFrame,
    statuses: Iterable[str] = (),
    grades: Iterable[str] = (),
    directions: Iterable[str] = (),
) -> pd.DataFrame:
    """The rows whose words are among the chosen ones (none chosen = no filter), in their order.

    ``statuses``, ``grades`` and ``directions`` are words of :data:`STATUS_OPTIONS`,
    :data:`GRADE_OPTIONS` and :data:`DIRECTION_OPTIONS`. A 再掲 row is judged by the record it shows
    (its original's).
    """
    keep = pd.Series(True, index=rows.index)
    for column, chosen in (("status_text", statuses), ("grade_text", grades), ("direction_text", directions)):
        chosen = list(chosen)
        if chosen:
            keep &= rows[column].isin(chosen)
    return rows[keep]


def project_list(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """The 実施計画 list of ``year`` with Japanese headers (:data:`LIST_COLUMNS`), shown and exported.

    ``rows`` come from :func:`with_records` on :func:`~kamiplan.plan.queries.filter_actions` (which adds
    the 施策 name and the 再掲 original's place). Amounts stay numbers (千円; empty when not entered).
    """
    repeat_place = [
        place_text(p, q, m) + f" {rid}" if isinstance(rid, str) and rid else ""
        for rid, p, q, m in zip(
            rows["repeat_of"].fillna(""),
            rows["repeat_pillar"].fillna(0),
            rows["repeat_policy"].fillna(0),
            rows["repeat_measure"].fillna(1),
            strict=True,
        )
    ]
    frame = rows.assign(
        place=[place_text(p, q, m) for p, q, m in zip(rows["pillar"], rows["policy"], rows["measure"], strict=True)],
        repeat_of_place=repeat_place,
        year_text=f"{year_label(year)}年度",
    )
    out = frame[list(LIST_COLUMNS)].rename(columns=LIST_COLUMNS).reset_index(drop=True)
    for column in (COL_SPENT, COL_BUDGET):
        out[column] = out[column].astype("float64")
    return out


def detail_links(rows: pd.DataFrame, page: str = "projects") -> list[str]:
    """For each row, the address of its project view: the row's own, a 再掲 row's original's (whose record it
    shows). The text after ``#`` is what the link cell says (「元の事業を表示」 on a 再掲 row)."""
    return [
        f"{page}?project={rid}#{labels.PROJECT_ORIGINAL_LINK}"
        if repeat and rid
        else f"{page}?project={aid}#{labels.PROJECT_DETAIL_LINK}"
        for aid, repeat, rid in zip(rows["action_id"], rows["is_repeat"], rows["repeat_of"].fillna(""), strict=True)
    ]


LINK_TEXT = r"#(.+)$"  # the link cell shows the text after '#' (:func:`detail_links`)


@dataclass(frozen=True)
class ProjectListing:
    """The 実施計画(事業一覧) page's list for one choice of filters.

    Attributes
    ----------
    table : pandas.DataFrame
        :func:`project_list` of the rows shown (shown and exported).
    links : tuple of str
        :func:`detail_links` of the same rows, in order.
    caption : str
        The counts above the list (:func:`kamiplan.model.dashboard.count_caption`, :func:`record_caption`),
        two lines of Markdown.
    """

    table: pd.DataFrame
    links: tuple[str, ...]
    caption: str


def project_listing(
    rows: pd.DataFrame,
    table: pd.DataFrame,
    year: int,
    statuses: Iterable[str] = (),
    grades: Iterable[str] = (),
    directions: Iterable[str] = (),
) -> ProjectListing:
    """The list of the 実施計画 rows ``rows`` (the plan's filters applied) with the year's records, filtered
    by their words (:func:`with_records`, :func:`filter_records`).

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`kamiplan.plan.queries.filter_actions` of the page's 大綱・基本計画・施策・備考・キーワード.
    table : pandas.DataFrame
        :func:`kamiplan.model.project_rollup.project_table` of ``year`` (all rows).
    year : int
        The year of the records (西暦).
    statuses, grades, directions : iterable of str
        As :func:`filter_records`.

    Returns
    -------
    ProjectListing
    """
    from kamiplan.model.dashboard import count_caption

    rows = filter_records(with_records(rows, table), statuses, grades, directions)
    return ProjectListing(
        project_list(rows, year),
        tuple(detail_links(rows)),
        f"{count_caption(rows)}  \n{record_caption(rows, year)}",
    )


def record_caption(rows: pd.DataFrame, year: int) -> str:
    """「R7(2025)年度の記録: 入力済み 160 行・未入力 26 行(再掲の 10 行は元の事業の記録を表示し、数えません)」."""
    own = rows[~rows["is_repeat"].astype(bool)]
    entered = int(own["entered"].sum())
    text = f"{year_label(year)}年度の記録: 入力済み {entered} 行・未入力 {len(own) - entered} 行"
    repeats = len(rows) - len(own)
    if repeats:
        text += f"(再掲の {repeats} 行は元の事業の記録を表示し、ここでは数えません)"
    return text


def not_entered_message(year: int, anywhere: bool = False) -> str:
    """What a page says instead of a chart of zeros when nothing is recorded for ``year``.

    ``anywhere``: some other part of the plan has records of the year (then only this part has none).
    """
    text = labels.PROJECT_NOTHING_ENTERED_HERE if anywhere else labels.PROJECT_NOTHING_ENTERED
    return text.format(year=year_label(year))


# -- one project --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProjectView:
    """One project of the plan: its own rows (the first, then its continuation rows) and where it is 再掲.

    ``asked`` is the ID in the address; ``via_repeat`` is that ID when it named a 再掲 row (the view shows
    its original, where the record is kept), else "".
    """

    asked: str
    project_id: str
    rows: pd.DataFrame
    repeats: pd.DataFrame
    via_repeat: str = ""

    @property
    def first(self) -> pd.Series:
        return self.rows.iloc[0]


def find_project(actions: pd.DataFrame, asked: str) -> ProjectView | None:
    """The project an address names (a row's 事業ID, a 再掲 row's, or a project's ID), or None.

    Parameters
    ----------
    actions : DataFrame
        The plan's 実施計画 rows (:func:`kamiplan.plan.queries.actions`).
    asked : str
        ``?project=`` of the address (spaces around it are ignored).
    """
    asked = str(asked or "").strip()
    by_id = actions.set_index("action_id", drop=False)
    via_repeat = ""
    if asked in by_id.index:
        row = by_id.loc[asked]
        if bool(row["is_repeat"]) and isinstance(row["repeat_of"], str) and row["repeat_of"] in by_id.index:
            via_repeat = asked
            row = by_id.loc[row["repeat_of"]]
        project_id = str(row["project_id"])
    elif asked and (actions["project_id"] == asked).any():
        project_id = asked
    else:
        return None
    own = actions[(actions["project_id"] == project_id) & ~actions["is_repeat"].astype(bool)].sort_values("seq")
    repeats = actions[actions["is_repeat"].astype(bool) & actions["repeat_of"].isin(own["action_id"])]
    return ProjectView(
        asked, project_id, own.reset_index(drop=True), repeats.sort_values("seq").reset_index(drop=True), via_repeat
    )


def project_years(view: ProjectView, current: pd.DataFrame, years: Sequence[int] = YEARS) -> pd.DataFrame:
    """Every year of each of the project's rows (the first row's years first), with Japanese headers.

    Parameters
    ----------
    view : ProjectView
        :func:`find_project`'s result.
    current : DataFrame
        The projects' current records of every year (``ProjectStore.current()``).
    years : sequence of int
        The years to show (R7–R11); a year without a record shows 未入力 as its 実施状況 and nothing else.

    Returns
    -------
    DataFrame
        One row per row of the project and year: :data:`YEAR_COLUMNS` (事業ID first, so that the nine rows
        of a continued project stay apart).
    """
    keyed = {(str(r["action_id"]), int(r["year"])): r for r in current.to_dict("records")} if len(current) else {}
    out = []
    for action_id in view.rows["action_id"]:
        for year in years:
            record = keyed.get((str(action_id), int(year)), {})
            row = {"action_id": action_id, "year_text": f"{year_label(year)}年度", "entered": bool(record)}
            for name, typ in PROJECTS.fields:
                value = record.get(name)
                if str(typ).startswith("double"):
                    row[name] = float("nan") if value is None or pd.isna(value) else float(value)
                else:
                    row[name] = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
            out.append(row)
    frame = record_words(pd.DataFrame(out, columns=["action_id", "year_text", "entered", *PROJECTS.field_names]))
    # A year without a record says so once (実施状況 未入力), not three times.
    frame.loc[~frame["entered"], ["grade_text", "direction_text"]] = ""
    result = frame[list(YEAR_COLUMNS)].rename(columns=YEAR_COLUMNS)
    for column in (COL_BUDGET, COL_SPENT):
        result[column] = result[column].astype("float64")
    return result


def project_facts(view: ProjectView, measures: pd.DataFrame) -> list[str]:
    """The lines under a project's name: its place and 施策, its tag (新規/拡充), how many rows, 再掲 or not."""
    first = view.first
    measure = measures.set_index(["pillar", "policy", "measure"]).loc[
        (int(first["pillar"]), int(first["policy"]), int(first["measure"])), "name"
    ]
    lines = [f"{place_text(first['pillar'], first['policy'], first['measure'])} {measure}"]
    tag = str(first["tag"] or "").strip()
    lines.append(f"備考: {tag}(計画書の実施計画の表)" if tag else "備考: なし(新規・拡充の事業ではありません)")
    if len(view.rows) > 1:
        lines.append(f"計画書ではこの事業が {len(view.rows)} 行に分かれています(続きの行はそれぞれ評価します)。")
    if view.via_repeat:
        lines.append(f"{view.via_repeat} はこの事業の再掲です。記録は元の事業({first['action_id']})にあります。")
    return lines


def project_rows_table(view: ProjectView) -> pd.DataFrame:
    """The project's rows as the plan prints them (事業ID, 概要, 備考): the first row, then its continuation rows."""
    columns = {"action_id": C["action_id"], "summary": C["summary"], "tag": C["tag"]}
    return view.rows[list(columns)].rename(columns=columns).reset_index(drop=True)


def repeat_places(view: ProjectView, measures: pd.DataFrame) -> pd.DataFrame:
    """Where the project is 再掲: ``pillar``, ``action_id``, ``label`` (「大綱3(1)① 施策名(3-1-1-02)」)."""
    names = measures.set_index(["pillar", "policy", "measure"])["name"]
    rows = [
        {
            "pillar": int(r.pillar),
            "action_id": r.action_id,
            "label": f"{place_text(r.pillar, r.policy, r.measure)} {names.loc[(r.pillar, r.policy, r.measure)]}"
            f"({r.action_id}・{r.tag})",
        }
        for r in view.repeats.itertuples()
    ]
    return pd.DataFrame(rows, columns=["pillar", "action_id", "label"])


# -- the roll-up as tables and sentences ---------------------------------------------------------------
def summary_table(summary: pd.Series | dict) -> pd.DataFrame:
    """One group's counts (a :func:`~kamiplan.model.project_rollup.rollup` row) as 区分・項目・件数: the table
    equivalent of the chart, 評価 A→D then 未評価, then 実施状況 in the plan's order then 未入力."""
    rows = [("評価", grade_text(g), summary[f"grade_{g}"]) for g in labels.PROJECT_GRADES]
    rows.append(("評価", NOT_GRADED, summary["grade_none"]))
    rows += [("実施状況", w, summary[f"status_{w}"]) for w in labels.PROJECT_STATUSES]
    rows.append(("実施状況", NOT_ENTERED, summary["status_none"]))
    return pd.DataFrame([(a, b, int(n)) for a, b, n in rows], columns=["区分", "項目", "件数"])


def _amount(summary, name: str, word: str) -> str:
    count = int(summary[f"{name}_count"])
    if not count:
        return f"{word}は入力されていません"
    return f"{word}の合計 {format_number(float(summary[name]))}千円({count}件の合計)"


def summary_notes(summary: pd.Series | dict) -> list[str]:
    """The roll-up's other facts in words: how many entered, the amounts (千円, how many summed), 新規 started.

    >>> summary_notes({"projects": 5, "entered": 4, "budget": 1200.0, "budget_count": 2, "spent": float("nan"),
    ...                "spent_count": 0, "new": 3, "new_started": 2})[3]
    '新規 3件のうち 2件が実施・一部実施・完了'
    """
    projects, entered = int(summary["projects"]), int(summary["entered"])
    lines = [f"評価する事業 {projects}件(再掲を除く)のうち {entered}件が入力済み"]
    lines.append(_amount(summary, "budget", "予算額"))
    lines.append(_amount(summary, "spent", "決算額"))
    new = int(summary["new"])
    started = "・".join(STARTED)
    lines.append(f"新規 {new}件のうち {int(summary['new_started'])}件が{started}" if new else "新規の事業はありません")
    return lines


def group_names(rollup: pd.DataFrame, pillars: pd.DataFrame, policies: pd.DataFrame | None = None) -> list[str]:
    """「大綱1 健康で…」 (or 「大綱1(2) 次代を…」 when the roll-up is per 基本計画) for each roll-up row."""
    short = pillars.set_index("pillar")["short_name"]
    if "policy" in rollup.columns and policies is not None:
        names = policies.set_index(["pillar", "policy"])["name"]
        return [f"大綱{p}({q}) {names.loc[(p, q)]}" for p, q in zip(rollup["pillar"], rollup["policy"], strict=True)]
    return [f"大綱{p} {short.loc[p]}" for p in rollup["pillar"]]


def grade_counts(rollup: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """The roll-up as (group, grade, label, count) for the stacked chart: every group × A–D and 未評価."""
    rows = []
    for name, (_, summary) in zip(groups, rollup.iterrows(), strict=True):
        for letter in labels.PROJECT_GRADES:
            rows.append(
                {"group": name, "grade": letter, "label": grade_text(letter), "count": int(summary[f"grade_{letter}"])}
            )
        rows.append({"group": name, "grade": "", "label": NOT_GRADED, "count": int(summary["grade_none"])})
    return pd.DataFrame(rows, columns=["group", "grade", "label", "count"])


def rollup_table(rollup: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """The roll-up as a table (shown and exported): one row per group and 計, 評価 then 実施状況 counts,
    the amounts (千円) with how many were summed, and 新規 started. Amounts are empty when none was entered."""
    out = pd.DataFrame({"区分": list(groups)})
    out["事業の数"] = rollup["projects"].astype(int).to_numpy()
    out["入力済み"] = rollup["entered"].astype(int).to_numpy()
    for letter in labels.PROJECT_GRADES:
        out[grade_text(letter)] = rollup[f"grade_{letter}"].astype(int).to_numpy()
    out[NOT_GRADED] = rollup["grade_none"].astype(int).to_numpy()
    for word in labels.PROJECT_STATUSES:
        out[word] = rollup[f"status_{word}"].astype(int).to_numpy()
    out[f"実施状況{NOT_ENTERED}"] = rollup["status_none"].astype(int).to_numpy()
    out[COL_BUDGET] = rollup["budget"].astype("float64").to_numpy()
    out["予算額の件数"] = rollup["budget_count"].astype(int).to_numpy()
    out[COL_SPENT] = rollup["spent"].astype("float64").to_numpy()
    out["決算額の件数"] = rollup["spent_count"].astype(int).to_numpy()
    out["新規"] = rollup["new"].astype(int).to_numpy()
    out["新規のうち実施・一部実施・完了"] = rollup["new_started"].astype(int).to_numpy()
    total: dict = {"区分": "計"}
    for column in out.columns[1:]:
        values = out[column]
        total[column] = values.sum(min_count=1) if values.dtype.kind == "f" else int(values.sum())
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def measure_tables(table: pd.DataFrame, measures: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Per 施策 of ``table``'s rows (one 基本計画 of :func:`project_table`, all years' words added), the
    heading 「① 施策名」 and its compact table (:data:`MEASURE_COLUMNS`); every 施策 of ``measures`` in order,
    a 施策 without rows with an empty table."""
    words = record_words(table)
    words["link"] = detail_links(words)
    out = []
    for m in measures.sort_values("measure").itertuples():
        part = words[words["measure"] == m.measure].sort_values("seq")
        heading = f"{chr(0x2460 + int(m.measure) - 1)} {m.name}"
        out.append((heading, part[list(MEASURE_COLUMNS)].rename(columns=MEASURE_COLUMNS).reset_index(drop=True)))
    return out
