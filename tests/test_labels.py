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
