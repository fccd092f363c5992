"""Chart images: PNG pixels show Japanese text, SVG keeps text and fonts, a missing font is refused."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
import vl_convert as vlc
from PIL import Image

from kamiplan.errors import InputError
from kamiplan.model.trajectory import build
from kamiplan.outputs import charts, images
from kamiplan.records.actuals_store import Cell

TITLE_BOX = (0, 0, 300, 20)  # CSS px: the chart title 「人口」 at 15 px, top left


def population(indicators, year=2026):
    cells = {2025: Cell(2380.0, "テスト用の架空データ", "テスト"), 2026: Cell(2250.0)}
    return build(indicators.loc["0-V1"].to_dict(), cells, year, 2025)


def dark_pixels(png: bytes, box: tuple[int, int, int, int], scale: float) -> int:
    image = Image.open(io.BytesIO(png)).convert("L")
    region = image.crop(tuple(int(v * scale) for v in box))
    return sum(region.histogram()[:100])  # grey levels 0–99


@pytest.fixture
def font_cache():
    images._check_font.cache_clear()
    yield
    images._check_font.cache_clear()


def test_png_has_dark_japanese_text_in_the_title_area(indicators):
    traj = population(indicators)
    png = images.chart_png(traj)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg_width = int(ET.fromstring(images.chart_svg(traj)).get("width"))
    assert Image.open(io.BytesIO(png)).width == int(svg_width * images.PNG_SCALE)
    assert dark_pixels(png, TITLE_BOX, images.PNG_SCALE) > 300
    # The same chart with a font the machine lacks: vl-convert draws no text at all, so the box is blank.
    # (This is why the font is checked first, and it shows the pixel check above can fail.)
    blank = vlc.vegalite_to_png(images.with_font(images.chart_spec(traj), "KamiplanNoSuchFont"), scale=2)
    assert dark_pixels(blank, TITLE_BOX, 2) == 0


def test_svg_keeps_text_the_font_stack_and_no_external_reference(indicators):
    svg = images.chart_svg(population(indicators))
    root = ET.fromstring(svg)  # well-formed
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "人口" in texts and "△ やや遅れ(R8(2026))" in texts
    assert "'Noto Sans CJK JP'" in svg and "'Yu Gothic'" in svg  # other computers use their Japanese font
    assert "href=" not in svg.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")


def test_a_missing_font_is_refused_in_japanese(indicators, font_cache):
    spec = images.chart_spec(population(indicators))
    with pytest.raises(InputError) as err:
        images.spec_to_png(spec, font="KamiplanNoSuchFont")
    text = str(err.value)
    assert "日本語フォント「KamiplanNoSuchFont」が見つかりません" in text and "fonts-noto-cjk" in text
    with pytest.raises(InputError):
        images.spec_to_svg(spec, font="KamiplanNoSuchFont")
    assert images.font_problem() == ""  # the real font is installed (scripts/setup.sh --browser)


def test_font_folder_setting_must_exist(monkeypatch, tmp_path, font_cache):
    monkeypatch.setenv(images.ENV_FONT_DIR, str(tmp_path / "none"))
    assert "KAMIPLAN_FONT_DIR のフォルダ" in images.font_problem()
    with pytest.raises(InputError):
        images.require_font()


def test_with_font_names_one_font_everywhere_and_leaves_the_spec_alone(indicators):
    spec = images.chart_spec(population(indicators))
    before = repr(spec)
    out = images.with_font(spec, "Noto Sans CJK JP")
    assert repr(spec) == before

    def fonts(node: dict) -> list[str]:
        found = []
        for key, value in node.items():
            if isinstance(value, dict):
                found += fonts(value)
            elif key in images.FONT_KEYS:
                found.append(value)
        return found

    assert len(fonts(spec["config"])) >= 6 and set(fonts(spec["config"])) == {charts.FONT_STACK}
    assert set(fonts(out["config"])) == {"Noto Sans CJK JP"}  # no CSS stack: vl-convert needs one family


def test_image_has_a_fixed_width(indicators):
    spec = images.chart_spec(population(indicators), width=500)
    assert spec["width"] == 500 and spec["height"] == images.IMAGE_HEIGHT


def test_image_filename(indicators):
    assert images.image_filename(population(indicators), "png") == "人口_R8(2026)年度.png"
    odd = population(indicators)
    odd.indicator["label"] = 'a/b\\c:d*e?"f"<g>|h i\tj' + "長" * 200
    name = images.image_filename(odd, "svg")
    assert name.startswith("abcdefghij長") and name.endswith("_R8(2026)年度.svg")
    assert not set('/\\:*?"<>| \t') & set(name)
    assert len(name) < 120


def test_history_part_renders_below_at_the_same_width(indicators):
    """テスト用の架空データ: a census 1995–2020. The image grows downwards; the plan part keeps its width."""
    census = {y: Cell(6000.0 - (y - 1995) * 130, "", "国勢調査(架空)", f"{y}-10-01") for y in range(1995, 2021, 5)}
    plain = population(indicators)
    traj = build(plain.indicator, {**census, 2025: Cell(2380.0), 2026: Cell(2250.0)}, 2026, 2025)
    with_history, without = (Image.open(io.BytesIO(images.chart_png(t))) for t in (traj, plain))
    assert with_history.width == without.width and with_history.height > without.height
    root = ET.fromstring(images.chart_svg(traj))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "これまでの推移(参考)" in texts and "計画期間" in texts
    lines = {t.text for t in root.iter("{http://www.w3.org/2000/svg}tspan")}  # a year label's two lines
    assert {"H7", "(1995)", "H12", "(2000)", "H27", "(2015)", "R2", "(2020)", "R7", "(2025)"} <= lines
    assert not {"1995", "2000", "2015"} & set(texts)  # in the plan's style, as the plan years above


def test_a_missing_font_gives_windows_advice_on_windows(monkeypatch, font_cache):
    monkeypatch.setattr(images.sys, "platform", "win32")
    text = images.font_problem("KamiplanNoSuchFont")
    assert "Windows では" in text and "apt-get" not in text


def test_the_server_finds_the_drawing_setup_in_a_child_with_the_same_answer(monkeypatch, tmp_path, font_cache):
    """The dashboard's server asks a child process whether and how charts are drawn (vl-convert stays out of
    the server): the child's answer is this process's, for the installed font, a missing one and a missing
    font folder; and when no child can start, the answer is found here."""
    here = images.drawing_setup()
    assert here[0] == "" and here[1] == images.render_context()
    assert images.drawing_setup_in_child() == here
    missing = images.drawing_setup_in_child("KamiplanNoSuchFont")
    assert missing == images.drawing_setup("KamiplanNoSuchFont")
    assert "日本語フォント「KamiplanNoSuchFont」が見つかりません" in missing[0] and missing[1] == ""
    monkeypatch.setenv(images.ENV_FONT_DIR, str(tmp_path / "none"))
    images._check_font.cache_clear()
    no_folder = images.drawing_setup_in_child()
    assert "KAMIPLAN_FONT_DIR のフォルダ" in no_folder[0] and no_folder == images.drawing_setup()
    monkeypatch.delenv(images.ENV_FONT_DIR)
    monkeypatch.setattr(images.sys, "executable", str(tmp_path / "no-python"))
    assert images.drawing_setup_in_child() == here
