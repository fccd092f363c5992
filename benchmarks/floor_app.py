"""The "floor" of the page benchmark: the least a Streamlit page with one chart of our kind can do.

One page, no navigation, no sidebar: read a small parquet file (cached), draw ONE layered Altair line
chart like kamiplan's trajectory chart (dashed path, actual line and points, target), a selectbox that
redraws it, and a CSV download of the shown rows. Run by ``benchmarks/bench_pages.py`` with
``FLOOR_DATA`` pointing at the parquet file it writes (合成データ, never the town's figures).
"""

from __future__ import annotations

import os

import altair as alt
import pandas as pd
import streamlit as st


@st.cache_data(show_spinner=False)
def load(path: str) -> pd.DataFrame:
    return pd.read_parquet(path)


frame = load(os.environ["FLOOR_DATA"])
st.title("floor(合成データ)")
names = list(dict.fromkeys(frame["indicator"]))
chosen = st.selectbox("指標", names, key="floor_indicator")
rows = frame[frame["indicator"] == chosen]
base = alt.Chart(rows).encode(x=alt.X("year:Q", title=None), y=alt.Y("value:Q", title=None))
chart = alt.layer(
    base.transform_filter(alt.datum.series == "計画線").mark_line(strokeDash=[6, 4]),
    base.transform_filter(alt.datum.series == "実績").mark_line(strokeWidth=2.5),
    base.transform_filter(alt.datum.series == "実績").mark_point(filled=True, size=80),
    base.transform_filter(alt.datum.series == "目標値").mark_point(shape="diamond", size=140, filled=True),
).properties(title=chosen, height=240)
st.altair_chart(chart, theme=None, width="stretch")
st.download_button(
    f"CSV をダウンロード({len(rows)}行)",
    rows.to_csv(index=False).encode("utf-8-sig"),
    file_name="floor.csv",
    mime="text/csv",
    on_click="ignore",
)
