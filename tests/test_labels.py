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
