"""Small pieces of static HTML shared by the printable report and the offline snapshot.

Every text goes through :func:`esc`: notes and sources are typed by people and may contain ``<script>``.
The 事業の実施状況 parts (the year's project records rolled up) are here too: the report and the snapshot
print the same tables, and the app's 発表モード and ``slides.html`` the same slide body.
"""

from __future__ import annotations

import html
import json
import math
from typing import TYPE_CHECKING

import pandas as pd

from kamiplan import labels
from kamiplan.labels import grade_text
from kamiplan.model import dashboard, project_rollup
from kamiplan.model.narrative import number
from kamiplan.model.trajectory import Trajectory
from kamiplan.plan.periods import year_label

if TYPE_CHECKING:
    from kamiplan.outputs.plan_view import PlanView
    from kamiplan.outputs.slides import ProjectSummary

FONT_CSS = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', 'Meiryo', sans-serif"


def missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def esc(value) -> str:
    """Text for HTML (element content and quoted attributes); empty for missing values."""
    return "" if missing(value) else html.escape(str(value), quote=True)


def fmt(value, unit: str = "") -> str:
    """A number as people write it (``2,020人``, ``▲17人``, ``1.335``), or ``—`` when there is none.

    Small values keep three decimals: a rate going from 1.32 to 1.35 moves in the third.
    """
    if missing(value) or not math.isfinite(float(value)):
        return "—"
    value = float(value)
    if abs(value) >= 10:
        return number(value, unit)
    text = f"{abs(value):,.3f}".rstrip("0").rstrip(".")
    sign = "▲" if value < 0 and text != "0" else ""
    return f"{sign}{text}{unit}"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric_column(values: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return True
    present = [v for v in values if not missing(v)]
    return bool(present) and all(_is_number(v) for v in present)


def pct(value) -> str:
    """``52.0%``, ``−20.0%``: a minus sign, not ▲ — beside the grade 「△ やや遅れ」 a ▲ read as a grade mark."""
    if missing(value) or not math.isfinite(float(value)):
        return "—"
    text = f"{abs(float(value)):,.1f}%"
    return f"−{text}" if float(value) < 0 and text != "0.0%" else text


def grade_html(grade: str, within_band: bool = False) -> str:
    """The grade as symbol and word (never colour alone), with a class for its colour."""
    return f'<span class="grade grade-{esc(grade)}">{esc(grade_text(grade, within_band))}</span>'


def table(
    frame: pd.DataFrame,
    caption: str = "",
    cls: str = "data",
    sort_keys: dict[str, list] | None = None,
    sortable: bool = False,
    footer: int = 0,
) -> str:
    """A frame as an HTML table (numbers right-aligned, missing values as ``—``).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as shown (its column names are the headings).
    caption : str
        The table's caption (none when empty).
    cls : str
        The table's class.
    sort_keys : dict, optional
        ``{column: values}``: what a column sorts by when it is not its text (the 評価 column sorts in the
        plan's order of grades, not in the order of its symbols); one number per row (NaN: last), written as
        ``data-v``, and the heading says so (``data-sort="key"``).
    sortable : bool
        Headings as buttons (the dashboard's script sorts by the column clicked; no script, no sorting). A
        numeric cell then carries its number as ``data-v`` (``1,234`` sorts as 1234, ``—`` last).
    footer : int
        How many last rows are totals (「計」): written in ``<tfoot>``, where sorting leaves them.
    """
    numeric = {c for c in frame.columns if _numeric_column(frame[c])}
    sort_keys = sort_keys or {}

    def heading(col) -> str:
        cls_attr = ' class="num"' if col in numeric else ' data-sort="key"' if col in sort_keys else ""
        label = f'<button type="button">{esc(col)}</button>' if sortable else esc(col)
        return f'<th scope="col"{cls_attr}>{label}</th>'

    head = "".join(heading(c) for c in frame.columns)
    rows = []
    for i, record in enumerate(frame.itertuples(index=False)):
        cells = []
        for col, value in zip(frame.columns, record, strict=True):
            key = sort_keys[col][i] if col in sort_keys else None
            if col in numeric:
                # + 0.0: a computed −0.0 (a projection of no change) is written 0, not 「-0」
                text = "—" if missing(value) else f"{value + 0.0:,.10g}" if isinstance(value, float) else str(value)
                if key is None and sortable and not missing(value):
                    key = value
                data = f' data-v="{esc(key)}"' if key is not None else ""
                cells.append(f'<td class="num"{data}>{esc(text)}</td>')
            else:
                data = f' data-v="{esc(key)}"' if key is not None else ""
                cells.append(f"<td{data}>{esc(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    body, foot = (rows[:-footer], rows[-footer:]) if footer else (rows, [])
    tail = f"<tfoot>{''.join(foot)}</tfoot>" if foot else ""
    return f'<table class="{esc(cls)}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>{tail}</table>'


def rollup_table(frame: pd.DataFrame, caption: str = "") -> str:
    """The grade roll-up (区分 × ◎○△×−) as a table."""
    return table(frame, caption, cls="data rollup")


def trajectory_table(traj: Trajectory) -> str:
    """The chart's table equivalent (what 「表で見る」 shows in the dashboard)."""
    return table(traj.table(), cls="data traj")


def spec_json(spec: dict) -> str:
    """JSON safe inside ``<script type="application/json">`` (no ``</script>`` can close it early)."""
    text = json.dumps(spec, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def document(title: str, body: str, css: str, head: str = "", lang: str = "ja") -> str:
    """A complete HTML document (UTF-8, no external resource)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>\n{css}\n</style>\n{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# -- 事業の実施状況: the year's project records, rolled up (counts and sums only, no score) -----------------
def amount(value) -> str:
    """千円 as people write it: ``12,345`` (``12,345.5`` when entered so), ``—`` when nothing was entered."""
    if missing(value) or not math.isfinite(float(value)):
        return "—"
    return f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.1f}"


def amount_cell(total, count: int) -> str:
    """A sum with how many amounts it adds up: ``12,345(88件)``, or ``—``."""
    return "—" if not count else f"{amount(total)}({int(count)}件)"


def amount_sentence(row) -> str:
    """「予算額の合計 12,345千円(88件の合計)・決算額の合計 …」 of one roll-up row."""
    out = []
    for name, what in (("budget", labels.PROJECT_BUDGET), ("spent", labels.PROJECT_SPENT)):
        count = int(row[f"{name}_count"])
        if count:
            out.append(labels.PROJECT_AMOUNT_SUM.format(what=what, total=amount(row[name]), count=count))
        else:
            out.append(labels.PROJECT_AMOUNT_NONE.format(what=what))
    return "・".join(out)


def project_grade_frame(row) -> pd.DataFrame:
    """One roll-up row as a one-row table of 評価: A 計画どおり以上 … 未評価, 計."""
    long = project_rollup.grade_counts_long(row)
    counts = {label: [int(n)] for label, n in zip(long["label"], long["count"], strict=True)}
    return pd.DataFrame({"": ["件数"], **counts, "計": [int(long["count"].sum())]})


def project_status_frame(row) -> pd.DataFrame:
    """One roll-up row as a one-row table of 実施状況: 実施 … 廃止, 未入力, 計."""
    long = project_rollup.status_counts_long(row)
    counts = {word: [int(n)] for word, n in zip(long["status"], long["count"], strict=True)}
    return pd.DataFrame({"": ["件数"], **counts, "計": [int(long["count"].sum())]})


def project_rollup_frame(rollup: pd.DataFrame, names: list[str], total) -> pd.DataFrame:
    """The compact roll-up (one row per group, then 計) with Japanese headers.

    Parameters
    ----------
    rollup : DataFrame
        :func:`kamiplan.model.project_rollup.rollup`'s rows.
    names : list of str
        The 区分 of each row (「大綱1 …」, 「(1) …」).
    total : mapping
        :func:`kamiplan.model.project_rollup.counts` of all the rows together (the 計 row).
    """
    cols = labels.PROJECT_ROLLUP_COLUMNS
    rows = []
    for name, r in zip([*names, "計"], [*rollup.to_dict("records"), total], strict=True):
        row = {cols["group"]: name, cols["projects"]: int(r["projects"]), cols["entered"]: int(r["entered"])}
        row |= {g: int(r[f"grade_{g}"]) for g in labels.PROJECT_GRADES}
        row[cols["grade_none"]] = int(r["grade_none"])
        row[cols["budget"]] = amount_cell(r["budget"], r["budget_count"])
        row[cols["spent"]] = amount_cell(r["spent"], r["spent_count"])
        row[cols["new"]] = int(r["new"])
        row[cols["new_started"]] = int(r["new_started"])
        rows.append(row)
    return pd.DataFrame(rows)


def _place(policy: int, measure: int) -> str:
    """「(2)③」: where a row is within its 大綱 (the part is the 大綱's)."""
    return f"({policy}){chr(0x2460 + measure - 1)}"


def new_projects_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The 新規 rows (再掲 left out) with 実施状況 and 評価 in words (「未入力」「未評価」 when blank)."""
    new = project_rollup.new_projects(table)
    return pd.DataFrame(
        {
            "事業ID": new["action_id"].astype(str).tolist(),
            "位置": [_place(int(b), int(c)) for b, c in zip(new["policy"], new["measure"], strict=True)],
            "事業名": new["name"].astype(str).tolist(),
            "実施状況": [str(s) or labels.PROJECT_NOT_ENTERED for s in new["status"]],
            "評価": [
                f"{g} {labels.PROJECT_GRADES[g]}" if g in labels.PROJECT_GRADES else labels.PROJECT_NOT_GRADED
                for g in new["grade"]
            ],
        }
    )


def project_overview(view: PlanView) -> str:
    """The per-大綱 project roll-up (cover of the report, overview of the snapshot); '' without project table.

    A table captioned like the indicators' roll-up beside it, or one sentence when nothing was entered.
    """
    if view.projects is None:
        return ""
    year = year_label(view.year)
    if not view.has_project_records:
        return (
            f'<p class="note-box projects-none"><strong>{esc(labels.PROJECT_PART_TITLE)}</strong> '
            f"{esc(labels.PROJECT_NONE_YET.format(year=year))}</p>"
        )
    rollup = view.project_rollup(("pillar",))
    names = [dashboard.group_label(int(p), 0, view.pillars, view.policies) for p in rollup["pillar"]]
    total = project_rollup.counts(view.projects[~view.projects["is_repeat"].astype(bool)])
    frame = project_rollup_frame(rollup, names, total)
    caption = f"{labels.PROJECT_PART_TITLE}(大綱ごと・{year}年度)"
    return (
        f'<div class="table-wrap">{table(frame, caption, cls="data rollup projects")}</div>'
        f'<p class="small">{esc(labels.PROJECT_GRADE_LEGEND)}。予算額・決算額は千円、かっこ内は合計した件数。'
        f"{esc(labels.PROJECT_COUNT_RULE)}</p>"
    )


def project_part(view: PlanView, pillar: int, heading: str = "h3") -> str:
    """「事業の実施状況」 of one 大綱: counts by 評価 and 実施状況, 予算・決算, 新規, and per 基本計画.

    Returns '' when the view has no project table (the caller did not read the records); a plain sentence
    when nothing was entered for the year, or for this 大綱 — never a table of zeros.
    """
    if view.projects is None:
        return ""
    year = year_label(view.year)
    anchor = f"projects-{pillar}"
    title = (
        f'<{heading} class="projects-title" id="{anchor}">{esc(labels.PROJECT_PART_TITLE)}({esc(year)}年度)</{heading}>'
    )
    if not view.has_project_records:
        return f'<section class="projects">{title}<p class="note-box">{esc(labels.PROJECT_NONE_YET.format(year=year))}</p></section>'
    part = view.projects_of(pillar)
    own = part[~part["is_repeat"].astype(bool)]
    row = project_rollup.counts(own)
    if not row["entered"]:
        note = labels.PROJECT_NONE_IN_PILLAR.format(year=year, n=row["projects"])
        return f'<section class="projects">{title}<p class="note-box">{esc(note)}</p></section>'
    rollup = view.project_rollup(("pillar", "policy"), pillar=pillar)
    names = view.pillar_policies(pillar).set_index("policy")["name"]
    policy_names = [f"({int(q)}) {names.loc[int(q)]}" for q in rollup["policy"]]
    new = new_projects_frame(part)
    new_heading = labels.PROJECT_NEW_HEADING.format(n=row["new"], started=row["new_started"])
    parts = [
        '<section class="projects">',
        title,
        f"<p>{esc(labels.PROJECT_ENTERED.format(n=row['projects'], entered=row['entered']))}。"
        f"{esc(amount_sentence(row))}。</p>",
        f'<div class="table-wrap">{table(project_grade_frame(row), "評価", cls="data rollup")}</div>',
        f'<div class="table-wrap">{table(project_status_frame(row), "実施状況", cls="data rollup")}</div>',
        f'<div class="table-wrap">{table(new, new_heading, cls="data new-projects")}</div>'
        if len(new)
        else f"<p>{esc(labels.PROJECT_NEW_NONE)}</p>",
        f'<div class="table-wrap">{table(project_rollup_frame(rollup, policy_names, row), "基本計画ごと", cls="data rollup projects")}</div>',
        f'<p class="small">{esc(labels.PROJECT_GRADE_LEGEND)}。予算額・決算額は千円、かっこ内は合計した件数。'
        f"{esc(labels.PROJECT_COUNT_RULE)}</p>",
        "</section>",
    ]
    return "".join(parts)


def project_slide(summary: ProjectSummary) -> str:
    """The body of a 「事業の実施状況」 slide: tiles of 評価 (letter, words, count) and the 新規 list.

    Shared by ``slides.html`` and the app's 発表モード; each sizes it with its own CSS.
    """
    tiles = []
    for grade, n in summary.grades:
        word = labels.PROJECT_GRADES.get(grade, labels.PROJECT_NOT_GRADED)
        letter = grade or "—"
        tiles.append(
            f'<div class="ptile pgrade-{esc(grade or "none")}"><span class="letter" aria-hidden="true">{esc(letter)}</span>'
            f'<span class="word">{esc(word)}</span><span class="n">{int(n)}件</span></div>'
        )
    items = [
        f'<li><span class="status">{esc(status)}</span><span class="name">{esc(name)}</span></li>'
        for name, status in summary.new
    ]
    if summary.more:
        items.append(f'<li class="more">{esc(labels.PROJECT_MORE.format(n=summary.more))}</li>')
    if summary.new_total:
        heading = labels.PROJECT_NEW_HEADING.format(n=summary.new_total, started=summary.new_started)
        new = f'{_phead(heading)}<ul class="plist">{"".join(items)}</ul>'
    else:
        new = _phead(labels.PROJECT_NEW_NONE)
    return (
        f'<div class="pslide"><div class="pgrades">{_phead(f"評価(事業 {summary.projects}件)")}{"".join(tiles)}</div>'
        f'<div class="pnew">{new}</div></div>'
    )


def _phead(text: str) -> str:
    # Not <h3>: Streamlit's Markdown gives headings anchor links and its own sizes.
    return f'<p class="phead" role="heading" aria-level="3">{esc(text)}</p>'
