"""Messages whose wording depends on where kamiplan runs."""

from __future__ import annotations

from kamiplan import labels


def test_a_missing_font_says_what_to_install_on_windows_and_elsewhere():
    windows = labels.font_missing("Noto Sans CJK JP", "KAMIPLAN_FONT_DIR", "win32")
    linux = labels.font_missing("Noto Sans CJK JP", "KAMIPLAN_FONT_DIR", "linux")
    for text in (windows, linux):
        assert text.startswith("グラフの画像に使う日本語フォント「Noto Sans CJK JP」が見つかりません。")
        assert "KAMIPLAN_FONT_DIR" in text
    assert "すべてのユーザーに対してインストール" in windows and "apt-get" not in windows
    assert "Noto Sans JP" in windows  # the Google Fonts family of a similar name does not do
    assert "sudo apt-get install fonts-noto-cjk" in linux


def test_the_kind_is_said_once_beside_the_plans_target():
    """The plan writes 「6 件 (5 か年合計)」; the kind label said 5か年合計 again (「… ・ 5か年合計(累計で表示)」)."""
    assert labels.kind_beside("cumulative", "6 件 (5 か年合計)") == "累計で表示"
    assert labels.kind_beside("cumulative", "20件 (5か年合計)") == "累計で表示"
    assert labels.kind_beside("cumulative", "5種類 (５ か年合計)") == "累計で表示"  # full-width digits too
    assert labels.kind_beside("cumulative", "6件") == "5か年合計(累計で表示)"  # the target does not say it
    assert labels.kind_beside("level", "2,020人 (令和11年4月1日)") == "水準"
    assert labels.kind_beside("relative", "全道平均以上") == "全道平均との差"


def test_year_note_says_why_the_default_is_not_the_latest_year_with_data():
    """A few early values in later years (invented counts): the sidebar says how few, and where the rest are."""
    from kamiplan.model.dashboard import DefaultYear

    early = DefaultYear(2025, {2025: 42, 2026: 3, 2027: 1, 2028: 0, 2029: 0}, 46)
    assert labels.year_note(2025, early) == (
        "R8(2026)年度の実績は、まだ46指標のうち3指標だけです(R9(2027)年度は1指標)。"
        "そのため評価年度は、42指標の実績がある R7(2025)年度にしています(上で選べます)。"
    )
    assert labels.year_note(2025, early, labels.YEAR_CHOOSE_CLI).endswith("(ほかの年度は --year で選べます)。")
    # A year chosen with few or no actuals: how many, that the others are 評価不能, which year has most.
    assert labels.year_note(2026, early) == (
        "R8(2026)年度の実績は、46指標のうち3指標だけです。実績のない指標は「− 評価不能」になります。"
        "多くの指標の実績があるのは R7(2025)年度です。"
    )
    assert labels.year_note(2028, early).startswith("R10(2028)年度の実績は、まだありません。")
    # Nothing to say: the latest year with data is the default; a chosen year with most of its actuals; no data.
    complete = DefaultYear(2026, {2025: 46, 2026: 40, 2027: 0, 2028: 0, 2029: 0}, 46)
    assert labels.year_note(2026, complete) == labels.year_note(2025, complete) == ""
    assert labels.year_note(2025, DefaultYear(2025, dict.fromkeys(range(2025, 2030), 0), 46)) == ""
