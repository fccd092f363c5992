"""What the dashboard pages show, computed without Streamlit: evaluations, roll-ups, tables to export."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kamiplan.labels import GRADES, KIND_LABELS, SECTION_LABELS, grade_text
from kamiplan.model.progress import evaluate_indicators
from kamiplan.model.trajectory import RECORDED_DECIMALS, Trajectory, build, plan_decimals, round_half_up
from kamiplan.plan.periods import era_year, parse_period
from kamiplan.records.actuals_store import Cell

PLAN_WIDE = "計画全体"


def series_cells(current: pd.DataFrame) -> dict[str, dict[int, Cell]]:
    """Recorded actuals by series: ``{series_id: {year: Cell}}``."""
    out: dict[str, dict[int, Cell]] = {}
    for r in current.itertuples():
        as_of = getattr(r, "as_of", "") or ""
        out.setdefault(str(r.series_id), {})[int(r.year)] = Cell(float(r.value), r.note or "", r.source or "", as_of)
    return out


@dataclass(frozen=True)
class DefaultYear:
    """The 評価年度 a page opens on (:func:`default_year`), and the counts it was chosen from.

    Attributes
    ----------
    year : int
        The default evaluation year.
    counts : dict[int, int]
        ``{plan year: indicator rows with a recorded actual for that year}``, every plan year in order
        (zeros included).
    total : int
        The plan's indicator rows (46: an indicator printed in two places counts in both, as the roll-ups do).
    """

    year: int
    counts: dict[int, int]
    total: int

    @property
    def most(self) -> int:
        """The count of the best-covered plan year (0 when nothing is recorded)."""
        return max(self.counts.values(), default=0)

    def covered(self, year: int) -> bool:
        """Whether ``year`` has actuals for at least half as many indicators as the best-covered year."""
        n = self.counts.get(year, 0)
        return n > 0 and 2 * n >= self.most

    @property
    def later(self) -> dict[int, int]:
        """``{year: count}`` of the plan years after :attr:`year` that already have some actual (figures
        arriving early), in order; empty when the default is the latest year with data."""
        return {y: n for y, n in self.counts.items() if y > self.year and n}


def default_year(current: pd.DataFrame, indicators: pd.DataFrame, start_year: int, end_year: int) -> DefaultYear:
    """The 評価年度 a page, the slides, the report and the CLI open on when nobody chose one.

    The latest plan year for which at least half as many indicators have a recorded actual as in the
    best-covered plan year; the first plan year when no plan year has any actual. Of years with equal
    counts the later one wins (two complete years: the newer).

    This follows the way a town evaluates its plan (PDCA, 効果検証): in fiscal year N the office evaluates
    the results of year N−1, and the figures of a year arrive over many months — the population of
    4月1日 in April, 決算 figures in autumn, surveys and national statistics the year after. "The latest
    year with any actual" jumped to a year where one early value stood beside 45 indicators graded
    「− 評価不能」. Counting against the best-covered year rather than against all 46 indicators means
    indicators measured only every few years (国勢調査 every 5 years, a survey every other year) never hold
    the default back, and some year with data always qualifies. The date is not used: the data say which
    year is being evaluated, whenever the office looks (and tests and snapshots do not change by the clock).

    Parameters
    ----------
    current : pandas.DataFrame
        Recorded actuals, one row per series and year: columns ``series_id``, ``year``, ``value`` (any
        number of rows, none included). Years outside the plan (history before the baseline) and missing
        values are not counted.
    indicators : pandas.DataFrame
        The plan's indicator rows, column ``series_id`` (one row per indicator; a series printed in two
        places has two rows). Actuals of a series not in it are not counted.
    start_year, end_year : int
        The plan period (2025, 2029), both included.

    Returns
    -------
    DefaultYear
        The year (always a plan year) and the per-year counts, for saying why (:func:`kamiplan.labels.year_note`).

    Raises
    ------
    ValueError
        When ``end_year`` is before ``start_year``.
    KeyError
        When a column named above is missing.
    """
    if end_year < start_year:
        raise ValueError(f"plan period {start_year}–{end_year} is empty")
    rows_of = indicators["series_id"].astype(str).value_counts().to_dict()  # 2 for a series printed twice
    counts = dict.fromkeys(range(start_year, end_year + 1), 0)
    if not current.empty:
        recorded = current.loc[current["value"].notna(), ["series_id", "year"]]
        for series_id, year in set(zip(recorded["series_id"].astype(str), recorded["year"].astype(int), strict=True)):
            if year in counts:
                counts[year] += rows_of.get(series_id, 0)
    choice = DefaultYear(start_year, counts, len(indicators))
    covered = [y for y in counts if choice.covered(y)]
    return DefaultYear(max(covered), counts, len(indicators)) if covered else choice


def evaluation_years(start_year: int, end_year: int) -> list[int]:
    return list(range(start_year, end_year + 1))


def year_param(year: int) -> str:
    """The year as a URL carries it (``?year=R7``): the town office's own short form, as ``--year R7`` of the
    commands and the plan's 「基準値(R5)」."""
    return era_year(year) or str(year)


def year_from_param(text: str | None, start_year: int, end_year: int) -> int | None:
    """The plan year a URL's ``?year=`` names (``R7``, ``r7``, ``2025``, ``令和7年度``, full-width or not); None when it
    names no year of the plan period (a typo, ``R12``, text)."""
    period = parse_period(str(text).upper()) if text is not None else None  # r7 typed by hand
    return period.year if period is not None and start_year <= period.year <= end_year else None


def evaluate(indicators: pd.DataFrame, current: pd.DataFrame, year: int, start_year: int) -> pd.DataFrame:
    """Every indicator row evaluated for ``year`` (see :func:`kamiplan.model.progress.evaluate_indicators`)."""
    frame = evaluate_indicators(indicators, current[["series_id", "year", "value"]], year, start_year)
    extra = indicators[["indicator_id", "series_id", "section", "label", "target_label", "baseline_label"]]
    return frame.merge(extra, on="indicator_id", how="left", suffixes=("", "_ind"))


def trajectories(
    indicators: pd.DataFrame, cells: dict[str, dict[int, Cell]], year: int, start_year: int
) -> list[Trajectory]:
    """One trajectory per indicator row, in document order."""
    return [build(row, cells.get(row["series_id"], {}), year, start_year) for row in indicators.to_dict("records")]


def group_label(pillar: int, policy: int, pillars: pd.DataFrame, policies: pd.DataFrame) -> str:
    if pillar == 0:
        return PLAN_WIDE
    if policy == 0:
        name = pillars.set_index("pillar").loc[pillar, "short_name"]
        return f"大綱{pillar} {name}"
    name = policies.set_index(["pillar", "policy"]).loc[(pillar, policy), "name"]
    return f"大綱{pillar}({policy}) {name}"


def grade_counts(report: pd.DataFrame, by: str, pillars: pd.DataFrame, policies: pd.DataFrame) -> pd.DataFrame:
    """How many indicator rows have each grade, per 大綱 (``by="pillar"``) or 基本計画 (``by="policy"``).

    Returns columns ``group``, ``grade``, ``count`` (every grade present, zeros included) in plan order.
    """
    keys = ["pillar"] if by == "pillar" else ["pillar", "policy"]
    rows = []
    for key, part in report.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        pillar = int(key[0])
        policy = int(key[1]) if len(key) > 1 else 0
        label = group_label(pillar, policy, pillars, policies)
        counts = part["grade"].value_counts()
        for grade in GRADES:
            rows.append({"group": label, "grade": grade, "count": int(counts.get(grade, 0))})
    return pd.DataFrame(rows, columns=["group", "grade", "count"])


def rollup_table(counts: pd.DataFrame) -> pd.DataFrame:
    """The roll-up as a table: one row per group, one column per grade, and the total."""
    wide = counts.pivot_table(index="group", columns="grade", values="count", aggfunc="sum", sort=False).reindex(
        columns=list(GRADES), fill_value=0
    )
    wide.columns = [grade_text(g) for g in GRADES]
    wide["計"] = wide.sum(axis=1)
    wide = wide.reset_index().rename(columns={"group": "区分"})
    return wide


GRADE_FILTER_OPTIONS = [grade_text(g) for g in GRADES]  # what the 評価 filter offers, in plan order


def grade_rank(text: str) -> float:
    """Where a grade's text (「◎ 達成」, 「△ やや遅れ(許容幅内)」 …) comes in the plan's order of grades
    (◎ 0, ○ 1, △ 2, × 3, − 4); NaN for any other text (an empty cell): sorted last."""
    for rank, option in enumerate(GRADE_FILTER_OPTIONS):
        if isinstance(text, str) and text[:1] == option[:1]:
            return float(rank)
    return float("nan")


def filter_report(report: pd.DataFrame, policy: int = 0, grades: list[str] | None = None) -> pd.DataFrame:
    """The evaluated indicators of one 基本計画 (0 = all) with the chosen grades (texts of
    :data:`GRADE_FILTER_OPTIONS`; none chosen = every grade)."""
    wanted = {g for g in GRADES if not grades or grade_text(g) in grades}
    keep = report["grade"].isin(wanted)
    if policy:
        keep &= report["policy"] == policy
    return report[keep]


@dataclass(frozen=True)
class PillarView:
    """What a 大綱 page shows below its filters, for one choice of 基本計画 and 評価.

    Attributes
    ----------
    shown : dict[int, tuple[str, ...]]
        ``{policy: indicator ids}``: every 基本計画 of the 大綱 (in plan order), with the ids of its
        indicators that pass the filters, in the plan's order (possibly none). A 基本計画 the filter leaves
        out is not a key.
    table : pandas.DataFrame
        :func:`indicator_table` of the indicators shown: the 指標一覧 below, and its CSV.
    """

    shown: dict[int, tuple[str, ...]]
    table: pd.DataFrame


def pillar_view(
    report: pd.DataFrame,
    indicators: pd.DataFrame,
    policies: list[int],
    policy: int = 0,
    grades: list[str] | None = None,
) -> PillarView:
    """The indicators a 大綱 page shows for its filters (:func:`filter_report`), per 基本計画.

    Parameters
    ----------
    report : pandas.DataFrame
        :func:`evaluate` of the 大綱's indicator rows (one row per indicator row of the plan).
    indicators : pandas.DataFrame
        The 大綱's indicator rows in plan order (``indicator_id``, ``policy``).
    policies : list of int
        The 大綱's 基本計画 numbers in plan order (those without indicators too).
    policy : int
        The 基本計画 chosen (0 = every one).
    grades : list of str, optional
        Texts of :data:`GRADE_FILTER_OPTIONS` (none = every grade).

    Returns
    -------
    PillarView
    """
    shown = filter_report(report, policy, grades)
    ids = set(shown["indicator_id"])
    by_policy: dict[int, list[str]] = {p: [] for p in policies if not policy or p == policy}
    for ind, pol in zip(indicators["indicator_id"], indicators["policy"], strict=True):
        if int(pol) in by_policy and ind in ids:
            by_policy[int(pol)].append(str(ind))
    return PillarView({p: tuple(v) for p, v in by_policy.items()}, indicator_table(shown))


# What people look for first comes first: at 1280×800 a table shows about six columns before it scrolls
# (issue 12: ID/区分/名前/単位/基準値 hid 実績 and 評価). ID and 区分 go last; the export keeps them all, and the
# numeric 基準値・目標値 beside their plan labels so that Excel can compute with them.
INDICATOR_TABLE_COLUMNS = {
    "label": "指標名",
    "actual": "実績",
    "grade_text": "評価",
    "target_label": "目標値(R11)",
    "expected": "計画線上の値",
    "progress_pct": "進捗率(%)",
    "achievement_pct": "達成率(%)",
    "projected": "このペースの見込み(R11)",
    "unit": "単位",
    "baseline_label": "基準値",
    "baseline_value": "基準値(数値)",
    "target_value": "目標値(数値)",
    "kind_label": "種類",
    "section_label": "区分",
    "indicator_id": "指標ID",
}
EXPORT_ONLY_COLUMNS = ("基準値(数値)", "目標値(数値)")  # on screen the plan's labels say the same


def indicator_table(report: pd.DataFrame) -> pd.DataFrame:
    """Indicators with their evaluation, Japanese headers (shown on screen and exported as is).

    A recorded actual is shown as recorded (98.5 stays 98.5 beside a plan written in whole percents);
    computed values (計画線上の値, 見込み) get one decimal more than the plan writes its baseline and target,
    so that an actual just behind its path does not look equal to it; rates one decimal. 11.4833 is not a
    figure anyone wrote.
    """
    frame = report.assign(
        section_label=[SECTION_LABELS[s] for s in report["section"]],
        kind_label=[KIND_LABELS[k] for k in report["kind"]],
        grade_text=[grade_text(g, bool(w)) for g, w in zip(report["grade"], report["within_band"], strict=True)],
    )
    if "baseline_label" not in frame:
        frame["baseline_label"] = ""
    out = frame[list(INDICATOR_TABLE_COLUMNS)].rename(columns=INDICATOR_TABLE_COLUMNS).reset_index(drop=True)
    written = frame[["baseline_value", "target_value", "baseline_label", "target_label"]]
    plan_places = [plan_decimals(row) for row in written.to_dict("records")]
    rounding = {"実績": [max(p, RECORDED_DECIMALS) for p in plan_places]}
    rounding["計画線上の値"] = rounding["このペースの見込み(R11)"] = [p + 1 for p in plan_places]
    rounding["進捗率(%)"] = rounding["達成率(%)"] = [1] * len(out)
    for col, places in rounding.items():  # 四捨五入, as the charts' hover texts (31.25 → 31.3, not 31.2)
        out[col] = pd.Series(
            [round_half_up(v, d) for v, d in zip(out[col], places, strict=True)], index=out.index, dtype="Float64"
        )
    return out


def other_places(indicators: pd.DataFrame, indicator_id: str) -> list[dict]:
    """The other rows of the same series (an indicator printed in two places)."""
    row = indicators.set_index("indicator_id").loc[indicator_id]
    others = indicators[(indicators["series_id"] == row["series_id"]) & (indicators["indicator_id"] != indicator_id)]
    return others.to_dict("records")


def shared_series(indicators: pd.DataFrame) -> dict[str, list[dict]]:
    """For every indicator row whose series is printed elsewhere too, those other rows (:func:`other_places`)."""
    shared = indicators[indicators.duplicated("series_id", keep=False)]
    return {i: other_places(shared, i) for i in shared["indicator_id"]}


ACTION_TABLE_COLUMNS = {
    "action_id": "事業ID",
    "place": "位置",
    "measure_name": "施策",
    "name": "事業名",
    "summary": "概要",
    "tag": "備考",
    "repeat_of_place": "再掲元",
}


def action_table(actions: pd.DataFrame) -> pd.DataFrame:
    """Projects with Japanese headers; a 再掲 row names where its original is (rows of :func:`queries.filter_actions`)."""
    place = [
        f"大綱{p}({q}){chr(0x2460 + m - 1)}"
        for p, q, m in zip(actions["pillar"], actions["policy"], actions["measure"], strict=True)
    ]
    repeat_place = [
        "" if rid is None or pd.isna(rid) else f"大綱{int(p)}({int(q)}){chr(0x2460 + int(m) - 1)} {rid}"
        for rid, p, q, m in zip(
            actions["repeat_of"],
            actions["repeat_pillar"],
            actions["repeat_policy"],
            actions["repeat_measure"],
            strict=True,
        )
    ]
    frame = actions.assign(place=place, repeat_of_place=repeat_place)
    return frame[list(ACTION_TABLE_COLUMNS)].rename(columns=ACTION_TABLE_COLUMNS).reset_index(drop=True)


def count_caption(actions: pd.DataFrame) -> str:
    """「196 行 ・ 事業 172 件」, saying why 再掲 and continuation rows are not counted when there are some."""
    repeats = int(actions["is_repeat"].sum())
    continued = int(actions["is_continuation"].sum())
    text = f"{len(actions)} 行 ・ 事業 {project_count(actions)} 件"
    reasons = []
    if repeats:
        reasons.append(f"再掲 {repeats} 行は元の事業に数えます")
    if continued:
        reasons.append(f"事業名が空欄の続きの行 {continued} 行はその事業に数えます")
    return text + (f"({'。'.join(reasons)})" if reasons else "")


def project_count(actions: pd.DataFrame) -> int:
    """Projects counted once: continuation rows belong to their project, 再掲 rows repeat another."""
    return int(actions.loc[~actions["is_repeat"], "project_id"].nunique())
