"""The one name key: every look-alike pair folds, plan names stay distinct, suggestions find the name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan.reading.textkey import name_key, suggest

# (as typed or extracted, as the plan prints it): each pair must share a key.
LOOKALIKES = [
    ("20〜30代世代の移住数", "20～30代世代の移住数"),  # wave dash U+301C (Mozc, macOS) vs fullwidth tilde
    ("20~30代世代の移住数", "20～30代世代の移住数"),
    ("20∼30代世代の移住数", "20～30代世代の移住数"),  # tilde operator U+223C
    ("社会増減数(転入者数−転出者数)", "社会増減数(転入者数－転出者数)"),  # minus U+2212 (ATOK on Mac)
    ("社会増減数(転入者数-転出者数)", "社会増減数(転入者数－転出者数)"),
    ("社会増減数(転入者数‐転出者数)", "社会増減数(転入者数－転出者数)"),  # hyphen U+2010
    ("社会増減数(転入者数–転出者数)", "社会増減数(転入者数－転出者数)"),  # en dash
    ("社会増減数(転入者数—転出者数)", "社会増減数(転入者数－転出者数)"),  # em dash
    ("社会増減数(転入者数―転出者数)", "社会増減数(転入者数－転出者数)"),  # horizontal bar
    ("社会増減数(転入者数‒転出者数)", "社会増減数(転入者数－転出者数)"),  # figure dash
    ("社会増減数(転入者数ー転出者数)", "社会増減数(転入者数－転出者数)"),  # katakana ー between kanji
    ("社会増減数（転入者数－転出者数）", "社会増減数(転入者数－転出者数)"),  # full-width brackets
    ("社会増減数 (転入者数 － 転出者数)", "社会増減数(転入者数－転出者数)"),  # spaces
    ("社会増減数\u3000(転入者数－転出者数)", "社会増減数(転入者数－転出者数)"),  # ideographic space
    ("社会増減数\u00a0(転入者数－転出者数)", "社会増減数(転入者数－転出者数)"),  # no-break space
    ("社会増減数\t(転入者数－転出者数)", "社会増減数(転入者数－転出者数)"),
    ("乳幼児健診･相談受診率", "乳幼児健診・相談受診率"),  # half-width middle dot
    ("乳幼児健診·相談受診率", "乳幼児健診・相談受診率"),  # U+00B7
    ("乳幼児健診•相談受診率", "乳幼児健診・相談受診率"),  # bullet
    ("乳幼児健診∙相談受診率", "乳幼児健診・相談受診率"),
    ("乳幼児健診⋅相談受診率", "乳幼児健診・相談受診率"),
    ("合計特殊出生率(5か年平均)", "合計特殊出生率(5カ年平均)"),
    ("合計特殊出生率(5ヶ年平均)", "合計特殊出生率(5カ年平均)"),
    ("合計特殊出生率(5ヵ年平均)", "合計特殊出生率(5カ年平均)"),
    ("合計特殊出生率(５カ年平均)", "合計特殊出生率(5カ年平均)"),  # full-width digit
    ("町内に住み続けたいと感じている町民の割合", "「町内に住み続けたい」と感じている町民の割合"),
    ("『町内に住み続けたい』と感じている町民の割合", "「町内に住み続けたい」と感じている町民の割合"),
    ("“町内に住み続けたい”と感じている町民の割合", "「町内に住み続けたい」と感じている町民の割合"),
    ("｢町内に住み続けたい｣と感じている町民の割合", "「町内に住み続けたい」と感じている町民の割合"),  # half-width
    ("町公式ｲﾝｽﾀｸﾞﾗﾑのﾌｫﾛﾜｰ数", "町公式インスタグラムのフォロワー数"),  # half-width katakana
    ("介護保険２号認定率", "介護保険2号認定率"),
    ("1-3-k1", "1-3-K1"),
    ("１－３－Ｋ１", "1-3-K1"),
]


@pytest.mark.parametrize(("typed", "plan"), LOOKALIKES, ids=[t for t, _ in LOOKALIKES])
def test_lookalikes_share_a_key(typed, plan):
    assert name_key(typed) == name_key(plan)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("フォロワー数", "フォロワ-数"),  # ー after kana lengthens a vowel: it is not a dash
        ("人口", "人工"),
        ("平均自立期間(男)", "平均自立期間(女)"),
        ("0-V1", "0-V2"),
    ],
)
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_plan_text_is_never_changed_only_the_key(indicators):
    before = indicators["label"].tolist()
    for label in before:
        name_key(label)
    assert indicators["label"].tolist() == before
    assert "20～30代世代の移住数" in before  # the plan's own spelling stays


def test_every_plan_name_maps_to_its_own_series_only(indicators):
    by_key: dict[str, set[str]] = {}
    for r in indicators.itertuples():
        for text in {r.label, r.name}:
            by_key.setdefault(name_key(text), set()).add(r.series_id)
    shared = {k: v for k, v in by_key.items() if len(v) > 1}
    # 平均自立期間 is the one name the plan prints for two series (男・女): the label tells them apart.
    assert set(shared) == {name_key("平均自立期間")}
    assert len(by_key) >= 44


@given(st.text(max_size=40))
def test_key_is_idempotent(text):
    assert name_key(name_key(text)) == name_key(text)


@given(st.sampled_from([t for pair in LOOKALIKES for t in pair]), st.text(alphabet=" \u3000\t", max_size=3))
def test_key_ignores_surrounding_spaces(text, pad):
    assert name_key(pad + text + pad) == name_key(text)


def test_every_plan_name_resolves_to_itself(indicators):
    from kamiplan.records.actuals_file import IndicatorResolver

    resolver = IndicatorResolver(indicators)
    for r in indicators.itertuples():
        found, reason = resolver.resolve(r.label)
        assert found is not None, reason
        assert indicators.loc[found, "series_id"] == r.series_id
        assert resolver.resolve(r.indicator_id)[0] == r.indicator_id
        assert resolver.resolve(f"{r.label}({r.indicator_id})")[0] == r.indicator_id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("20代30代の移住者数", "20～30代世代の移住数(2-2-K2)"),
        ("観光客入込数", "観光入込客数(2-2-K1)"),
        ("人工", "人口(0-V1)"),
        ("認知症サポーター数", "認知症サポーターの延べ人数(1-3-K3)"),
        ("ふるさと納税件数", "ふるさと納税寄付件数(4-2-K2)"),
    ],
)
def test_suggestions_put_the_intended_name_first(indicators, typed, expected):
    choices = {f"{r.label}({r.indicator_id})": r.label for r in indicators.itertuples()}
    assert suggest(typed, choices)[0] == expected


def test_nothing_close_suggests_nothing(indicators):
    choices = {f"{r.label}({r.indicator_id})": r.label for r in indicators.itertuples()}
    assert suggest("xyz", choices) == [] and suggest("", choices) == []


@pytest.mark.parametrize("dash", ["—", "−", "-", "―", "－", "‐", "–", "ｰ"])
def test_a_dash_pasted_for_the_prolonged_sound_mark_matches(dash):
    """Found by a tester: 「おひさまル−ム事業」 copied from a PDF was refused as an unknown project."""
    assert name_key(f"おひさまル{dash}ム事業") == name_key("おひさまルーム事業")
    assert name_key(f"ボランティアセンタ{dash}") == name_key("ボランティアセンター")


def test_a_dash_after_kanji_or_digits_stays_a_dash():
    assert name_key("転入者数−転出者数") == name_key("転入者数ー転出者数") == name_key("転入者数-転出者数")
    assert name_key("1-1-1-01") == "1-1-1-01"
    assert name_key("ル−ム") != name_key("ル〜ム")  # a wave dash is not read as ー: meaning not certain
