"""The cp932 look-alike table, checked entry by entry, and an encoding that never raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.outputs.cp932 import LOOKALIKES, REPLACEMENT, encode_cp932, lookalike, survives, to_cp932_text

PAIRS = sorted(LOOKALIKES.items())


@pytest.mark.parametrize(("char", "replacement"), PAIRS, ids=[f"U+{ord(c):04X}" for c, _ in PAIRS])
def test_every_entry_is_a_real_fix(char, replacement):
    """The original does not come back from cp932; its look-alike does, one character for one."""
    assert not survives(char)
    assert survives(replacement) and len(replacement) == 1
    assert replacement != REPLACEMENT  # 〓 is for characters without a look-alike, not a table entry
    data, replaced = encode_cp932(f"前{char}後")
    assert data.decode("cp932") == f"前{replacement}後"
    assert replaced == {(char, replacement): 1}


@pytest.mark.parametrize(
    ("char", "replacement"),
    [
        ("\u2014", "\u2015"),  # — → ―
        ("\u2212", "\uff0d"),  # − → －
        ("\u301c", "\uff5e"),  # 〜 → ～
        ("\u2016", "\u2225"),  # ‖ → ∥
        ("\u00a2", "\uffe0"),  # ¢ → ￠
        ("\u00a3", "\uffe1"),  # £ → ￡
        ("\u00ac", "\uffe2"),  # ¬ → ￢
        ("\u2013", "\uff0d"),  # – → －
        ("\u2012", "\uff0d"),  # ‒ → －
        ("\u00b7", "\u30fb"),  # · → ・
        ("\u2022", "\u30fb"),  # • → ・
        ("\u00a0", " "),  # no-break space → space
        ("\u5e26", "\u5e2f"),  # 带 → 帯
        ("\u207b", "\uff0d"),  # ⁻ → －
        ("\u00a5", "\uffe5"),  # ¥ → ￥
        ("\u00b2", "2"),  # ² → 2 (km²)
        ("\u3099", "\u309b"),  # combining dakuten → ゛
        ("\u525d", "\u5265"),  # 剝 → 剥
        ("\U00020bb7", "\u5409"),  # 𠮷 → 吉
    ],
)
def test_required_lookalikes(char, replacement):
    assert LOOKALIKES[char] == replacement


def test_table_covers_every_character_python_encodes_only_one_way():
    """− (U+2212) and five more encode, but come back as another character: the table names each."""
    one_way = {}
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        try:
            back = ch.encode("cp932").decode("cp932")
        except UnicodeEncodeError:
            continue
        if back != ch:
            one_way[ch] = back
    assert one_way and {ch: LOOKALIKES.get(ch) for ch in one_way} == one_way


@pytest.mark.parametrize(
    "char",
    ["≒", "～", "－", "―", "∥", "①", "⑳", "髙", "﨑", "㈱", "№", "℡", "〝", "〟", "…", "‐", "・", "ｱ", "\u3000", "〓"],
)
def test_characters_cp932_holds_are_kept(char):
    assert survives(char) and lookalike(char) == char
    assert to_cp932_text(f"a{char}b") == (f"a{char}b", {})


@pytest.mark.parametrize("char", ["🙂", "㋿", "㉑", "™", "©", "é", "\u200b", "\ud800"])
def test_no_lookalike_becomes_geta(char):
    text, replaced = to_cp932_text(f"x{char}y{char}")
    assert text == f"x{REPLACEMENT}y{REPLACEMENT}"
    assert replaced == {(char, REPLACEMENT): 2}


def test_counts_in_order_of_first_appearance():
    text, replaced = to_cp932_text("—带🙂带—带")
    assert text == "―帯〓帯―帯"
    assert list(replaced.items()) == [(("—", "―"), 2), (("带", "帯"), 3), (("🙂", "〓"), 1)]


def test_plain_japanese_is_returned_unchanged():
    text = "上砂川町 総合計画 進捗管理 ①髙橋 ～ －17人"
    assert to_cp932_text(text)[0] is text
    assert encode_cp932(text) == (text.encode("cp932"), {})


INTERESTING = st.one_of(st.characters(), st.sampled_from(sorted(LOOKALIKES)), st.sampled_from("—🙂带〜−\u00a0"))


@given(st.text(INTERESTING) | st.text())
def test_encoding_never_raises_and_keeps_what_cp932_holds(text):
    data, replaced = encode_cp932(text)
    back = data.decode("cp932")
    assert len(back) == len(text)
    for before, after in zip(text, back, strict=True):
        if survives(before):
            assert after == before
        else:
            assert after == LOOKALIKES.get(before, REPLACEMENT)
    assert sum(replaced.values()) == sum(1 for ch in text if not survives(ch))
