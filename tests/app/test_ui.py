"""Helpers of kamiplan/app/ui.py that need no page."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from kamiplan.app import ui


def test_a_text_over_two_paragraphs_stays_one_html_block():
    """A blank line inside st.markdown's HTML ends the HTML block: the rest was shown as Markdown."""
    block = ui.html_block('<div class="kp-hero">第1段落\n\n第2段落\n \n\t\n第3段落</div>')
    assert block == '<div class="kp-hero">第1段落\n第2段落\n第3段落</div>'


@given(st.text(alphabet=st.sampled_from(list("あ亜a \n\t\r<&>")), max_size=40))
def test_no_blank_line_and_the_same_text_for_a_reader(text):
    block = ui.html_block(f"<p>{html.escape(text)}</p>")
    lines = re.split(r"\r\n|\r|\n", block)  # Markdown's line ends
    assert all(line.strip(" \t") for line in lines)
    # HTML shows any run of whitespace as one space: what a reader sees is unchanged.
    assert re.sub(r"\s+", " ", block) == re.sub(r"\s+", " ", f"<p>{html.escape(text)}</p>")


def test_the_edit_caption_says_five_year_total_once(indicators):
    caption = ui.indicator_caption(indicators.loc["2-1-K1"].to_dict())
    assert caption.count("か年合計") == 1 and "目標値: 6 件 (5 か年合計) ・ 累計で表示 ・ 高いほど良い" in caption


def test_the_plans_words_sort_by_their_numbers():
    """目標値(R11) and 基準値 are the plan's words (「2,020人」, 「女 83.6 歳」): they sort by the numbers of the
    export's twin columns (none: last), 評価 in the plan's order; the twins themselves are not shown."""
    import pandas as pd

    from kamiplan.app import ui

    frame = pd.DataFrame(
        {
            "指標名": ["人口", "平均自立期間(女)", "満足度"],
            "評価": ["△ やや遅れ", "◎ 達成", "− 評価不能"],
            "目標値(R11)": ["2,020人", "女 83.6 歳", "全道平均以上"],
            "目標値(数値)": [2020.0, 83.6, None],
        }
    )
    html = ui.static_table_html(frame)
    assert "目標値(数値)" not in html
    assert '<td data-v="2020.0">2,020人</td>' in html and '<td data-v="83.6">女 83.6 歳</td>' in html
    assert '<td data-v="">全道平均以上</td>' in html  # no number: sorted last
    assert '<td data-v="2.0">△ やや遅れ</td>' in html and '<td data-v="0.0">◎ 達成</td>' in html
