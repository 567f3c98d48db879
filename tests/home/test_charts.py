"""Charts render Chinese text with a CJK font and no missing glyphs."""
import io
import warnings

from matplotlib import font_manager
from PIL import Image

from home import charts


def test_a_chart_with_chinese_labels_renders_without_missing_glyphs():
    fig = charts.line_chart(
        "月度考试参考率与合格率",
        ["1月", "2月", "3月"],
        [("参考率", [88, 92, 95]), ("合格率", [76, 81, 85.5])],
        y_label="百分比",
        percent=True,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph 21442 missing from font(s) …" would raise
        png = charts.render(fig)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (800, 450)


def test_the_font_in_use_is_a_cjk_font():
    family = charts.cjk_font_family()
    path = charts.cjk_font_path()
    assert path.exists()
    font = font_manager.get_font(str(path))
    assert font.get_char_index(ord("练")) != 0 and font.get_char_index(ord("兵")) != 0
    assert family in {"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC",
                      "Source Han Sans SC", "WenQuanYi Zen Hei"}


def test_the_bundled_font_is_used_when_no_system_cjk_font_is_installed(monkeypatch):
    charts.cjk_font_path.cache_clear()

    def no_system_font(*args, **kwargs):
        raise ValueError("no such font")

    monkeypatch.setattr(font_manager, "findfont", no_system_font)
    try:
        assert charts.cjk_font_path() == charts.BUNDLED_FONT
    finally:
        charts.cjk_font_path.cache_clear()


def test_a_bar_chart_renders_svg_with_many_labels():
    labels = [f"第{i}大队" for i in range(1, 13)]
    fig = charts.bar_chart("各大队培训覆盖率", labels, list(range(60, 84, 2)), percent=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = charts.render(fig, fmt="svg")
    assert svg.startswith(b"<?xml")
