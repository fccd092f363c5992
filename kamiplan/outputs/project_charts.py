"""Charts of 事業の実施状況 (counts by 評価 and 実施状況): Altair specs, no Streamlit, the dashboard's theme.

Colour is never the only carrier of meaning: every bar is named on its axis (「B 概ね計画どおり」, 「未実施」)
and its count is written at its end. The colours are Okabe-Ito (distinguishable with the common
colour-vision deficiencies); a group with nothing entered is grey.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from kamiplan import labels
from kamiplan.model.project_rollup import NOT_ENTERED, NOT_GRADED, grade_counts_long, status_counts_long
from kamiplan.outputs.charts import OKABE_ITO  # also registers the dashboard's theme
from kamiplan.records.projects import grade_text

GRADE_DOMAIN = [*(grade_text(g) for g in labels.PROJECT_GRADES), NOT_GRADED]  # A→D then 未評価
STATUS_DOMAIN = [*labels.PROJECT_STATUSES, NOT_ENTERED]
# Same hues as the indicators' grades (達成 green … 遅れ vermillion): one family on every page.
GRADE_COLORS = {
    "A": OKABE_ITO["bluish_green"],
    "B": OKABE_ITO["sky_blue"],
    "C": OKABE_ITO["orange"],
    "D": OKABE_ITO["vermillion"],
    "": OKABE_ITO["grey"],
}
GRADE_RANGE = [GRADE_COLORS[g] for g in (*labels.PROJECT_GRADES, "")]
# 実施状況 has eight words: one colour and the words on the axis (eight hues would not stay apart).
STATUS_RANGE = [OKABE_ITO["blue"]] * len(labels.PROJECT_STATUSES) + [OKABE_ITO["grey"]]
COUNT_TITLE = "事業の数"


def _bars(
    frame: pd.DataFrame, title: str, domain: list[str], colours: list[str], width: int, step: int, x: alt.X
) -> alt.LayerChart:
    """Horizontal bars ``label`` × ``count`` in ``domain``'s order, each with its count written at its end."""
    # The bar's words for a screen reader and for the hover title of a chart drawn on the server.
    frame = frame.assign(
        desc=[f"{title}: {label}; {COUNT_TITLE}: {n}" for label, n in zip(frame["label"], frame["count"], strict=True)]
    )
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "label:N",
            sort=domain,
            scale=alt.Scale(domain=domain),
            axis=alt.Axis(
                title=title,
                titleAngle=0,
                titleAlign="right",
                titleBaseline="bottom",
                titleX=-6,
                titleY=-4,
                labelLimit=220,
            ),
        ),
        x=x,
    )
    bars = base.mark_bar().encode(
        description=alt.Description("desc:N"),
        color=alt.Color("label:N", scale=alt.Scale(domain=domain, range=colours), legend=None),
        tooltip=[alt.Tooltip("label:N", title=title), alt.Tooltip("count:Q", title=COUNT_TITLE)],
    )
    counts = base.mark_text(align="left", dx=4, fontSize=12).encode(text=alt.Text("count:Q", format="d"))
    return alt.layer(bars, counts).properties(width=width, height=alt.Step(step))


def count_axis(most: int, ticks: int = 5) -> alt.X:
    """The x encoding of a count: whole numbers only, from 0 to a multiple of the step at or above ``most``.

    ``tickMinStep=1`` was not enough: drawn on the server (vl-convert), a bar of 2 got ticks at 0.5 and 1.5
    written as 「1」 and 「2」 (axis 「0 1 1 2 2」 under 「事業の数」). The ticks are given: every 1, 2, 5, 10 …
    so that at most ``ticks`` + 1 are written.
    """
    step = next(b * m for m in (10**k for k in range(12)) for b in (1, 2, 5) if -(-most // (b * m)) <= ticks)
    top = max(step, -(-most // step) * step)
    values = list(range(0, top + 1, step))
    return alt.X(
        "count:Q",
        title=COUNT_TITLE,
        scale=alt.Scale(domain=[0, top], nice=False),
        axis=alt.Axis(values=values, format="d"),
    )


def status_chart(summary: pd.Series | Mapping, width: int = 300, step: int = 18) -> alt.VConcatChart:
    """One group's projects (a roll-up row): bars by 評価 (A→D, 未評価) above bars by 実施状況 (…, 未入力).

    Parameters
    ----------
    summary : Series or mapping
        A row of :func:`kamiplan.model.project_rollup.rollup` (``grade_A`` …, ``status_実施`` …).
    width : int
        Width of the bars' area in pixels (the labels come on top of it).
    step : int
        Pixels per bar.
    """
    grades = grade_counts_long(summary)[["label", "count"]]
    statuses = status_counts_long(summary).rename(columns={"status": "label"})[["label", "count"]]
    x = count_axis(int(max(grades["count"].max(), statuses["count"].max())))  # one scale for both
    top = _bars(grades, "評価", GRADE_DOMAIN, GRADE_RANGE, width, step, x)
    bottom = _bars(statuses, "実施状況", STATUS_DOMAIN, STATUS_RANGE, width, step, x)
    return (
        alt.vconcat(top, bottom, spacing=18)
        .resolve_scale(x="shared", color="independent")
        .properties(name="project_status")
    )


def grade_rollup_chart(counts: pd.DataFrame, bar_step: int = 30) -> alt.Chart:
    """Stacked bars of how many projects have each 評価, per group (大綱): the projects' twin of
    :func:`kamiplan.outputs.charts.grade_rollup_chart`.

    ``counts`` has columns ``group``, ``grade`` (A–D, "" = 未評価), ``label`` and ``count``
    (:func:`kamiplan.model.project_views.grade_counts`).
    """
    order = {g: i for i, g in enumerate((*labels.PROJECT_GRADES, ""))}
    frame = counts.assign(
        order=[order[g] for g in counts["grade"]],
        desc=[
            f"区分: {g}; 評価: {lab}; {COUNT_TITLE}: {n}"
            for g, lab, n in zip(counts["group"], counts["label"], counts["count"], strict=True)
        ],
    )
    groups = list(dict.fromkeys(frame["group"]))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            description=alt.Description("desc:N"),
            y=alt.Y("group:N", title=None, sort=groups, axis=alt.Axis(labelLimit=320)),
            x=alt.X("count:Q", title=COUNT_TITLE, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "label:N",
                title="評価",
                scale=alt.Scale(domain=GRADE_DOMAIN, range=GRADE_RANGE),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("group:N", title="区分"),
                alt.Tooltip("label:N", title="評価"),
                alt.Tooltip("count:Q", title=COUNT_TITLE),
            ],
        )
        .properties(width="container", height=alt.Step(bar_step), name="project_grade_rollup")
    )
