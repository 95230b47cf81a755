"""lessons.fonts：中文标签不出方框，也不产生任何字体警告。"""

import io
import logging
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

from lessons import fonts  # noqa: E402

TEXT = "损失函数随迭代周期下降：学习率 α＝0.1，负数 -1，参数 θ₀ 与 θ₁，x² ≤ 1 → ∞"


def render_and_collect_problems(text: str) -> list[str]:
    """画一张中文图并保存为 PNG，返回期间出现的所有警告和字体日志。"""
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger = logging.getLogger("matplotlib.font_manager")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, ax = plt.subplots()
            ax.set_title(text)
            ax.set_xlabel("迭代周期")
            ax.plot([-1, 0, 1], [1, 0, 1], label="中文图例")
            ax.legend()
            fig.savefig(io.BytesIO(), format="png")
            plt.close(fig)
    finally:
        logger.removeHandler(handler)
    return [str(w.message) for w in caught] + [r for r in records if "findfont" in r or "missing" in r]


@pytest.mark.parametrize("prefer_system", [True, False], ids=["系统字体优先", "随依赖安装的字体"])
def test_chinese_text_renders_without_any_font_warning(prefer_system):
    name = fonts.use_chinese_font(prefer_system=prefer_system)
    assert name
    problems = render_and_collect_problems(TEXT)
    assert problems == [], f"渲染中文时出现了字体问题：{problems}"


@pytest.mark.parametrize("prefer_system", [True, False], ids=["系统字体优先", "随依赖安装的字体"])
def test_chosen_font_has_every_glyph(prefer_system):
    name = fonts.use_chinese_font(prefer_system=prefer_system)
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    face = FT2Font(path)
    missing = [ch for ch in TEXT if not ch.isspace() and face.get_char_index(ord(ch)) == 0 and ord(ch) > 0x2E80]
    assert missing == []


def test_bundled_font_used_when_system_has_none(monkeypatch):
    monkeypatch.setattr(fonts, "system_cjk_fonts", lambda: [])
    assert fonts.use_chinese_font() == "Noto Sans SC"
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"


def test_stale_font_cache_is_not_a_problem(monkeypatch):
    """字体缓存里没有任何中文字体（比如刚装完字体、缓存还是旧的）时，仍能直接注册字体文件。"""
    stale = [f for f in font_manager.fontManager.ttflist if f.name not in fonts.SYSTEM_CJK_FONTS + ("Noto Sans SC",)]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    name = fonts.use_chinese_font()
    assert name == "Noto Sans SC"
    assert render_and_collect_problems(TEXT) == []


def test_missing_font_package_gives_install_hint(monkeypatch):
    monkeypatch.setattr(fonts, "BUNDLED_FONT_PACKAGE", "no_such_font_package")
    with pytest.raises(RuntimeError, match="pip install pylopdf-fonts-zh-cn"):
        fonts.bundled_font_path()


def test_system_font_preferred_when_present():
    """系统有中文字体时优先使用它。CI 安装了文泉驿微米黑，所以 CI 中这一项一定会运行。"""
    import os

    available = fonts.system_cjk_fonts()
    if not available:
        if os.environ.get("CI"):
            pytest.fail("CI 应该安装了系统中文字体（fonts-wqy-microhei），但 matplotlib 没有找到任何候选字体。")
        pytest.skip("这台机器没有候选名单中的系统中文字体")
    assert fonts.use_chinese_font() == available[0]
    assert render_and_collect_problems(TEXT) == []
