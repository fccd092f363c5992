"""htmlparts.table: the summary tables of the dashboard and the offline outputs (escaped, sortable)."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.outputs import htmlparts
from tests.app.conftest import read_table_html

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
numbers = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))


@given(st.lists(st.tuples(texts, numbers), min_size=1, max_size=8))
def test_every_cell_comes_back_as_written(rows):
    """Texts typed by people (「<script>」, 「&」, quotes) are escaped and read back unchanged; numbers as
    shown (thousands separators, 「—」 when missing), with their value as the sort key."""
    frame = pd.DataFrame(rows, columns=["指標名", "実績"]).astype({"実績": "float64"})
    html = htmlparts.table(frame, sortable=True)
    assert "<script" not in html.lower() or "&lt;script" in html.lower()
    back = read_table_html(html)
    assert back["指標名"].tolist() == [t.strip() for t in frame["指標名"]]
    for shown, value in zip(back["実績"], frame["実績"], strict=True):
        if math.isnan(value):
            assert shown == "—"
        else:
            assert float(shown.replace(",", "")) == float(f"{value:,.10g}".replace(",", ""))


def test_sortable_headings_and_keys():
    frame = pd.DataFrame({"指標名": ["A", "B"], "評価": ["△ やや遅れ", "◎ 達成"], "実績": [1234.5, None]})
    html = htmlparts.table(frame, sort_keys={"評価": [2.0, 0.0]}, sortable=True)
    assert '<th scope="col" data-sort="key"><button type="button">評価</button></th>' in html
    assert '<th scope="col" class="num"><button type="button">実績</button></th>' in html
    assert '<td data-v="2.0">△ やや遅れ</td>' in html and '<td class="num" data-v="1234.5">1,234.5</td>' in html
    assert '<td class="num">—</td>' in html  # no key: sorted last
    assert ">-0<" not in htmlparts.table(pd.DataFrame({"見込み": [-0.0]}))  # a computed −0.0 is 0
    plain = htmlparts.table(frame)  # the report and the snapshot: no buttons, no keys
    assert "<button" not in plain and "data-v" not in plain


def test_a_total_row_is_the_footer_that_sorting_leaves_last():
    """事業の実施状況(大綱別) ends with 「計」: it was sorted among the 大綱 (first, when sorted by 区分)."""
    frame = pd.DataFrame({"区分": ["大綱1", "大綱2", "計"], "事業の数": [60, 40, 100]})
    html = htmlparts.table(frame, sortable=True, footer=1)
    body, foot = html.split("<tfoot>")
    assert "計" not in body and foot.startswith("<tr><td>計</td>") and foot.endswith("</tfoot></table>")
    assert read_table_html(html)["区分"].tolist() == ["大綱1", "大綱2", "計"]
