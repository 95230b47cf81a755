"""让 matplotlib 的标题、坐标轴和图例正确显示中文。

matplotlib 默认的 DejaVu Sans 字体没有汉字，中文会变成方框，并在输出里留下
``Glyph ... missing from font`` 警告。:func:`use_chinese_font` 按下面的顺序挑选字体：

1. 系统已经安装的常见中文字体（Windows 的微软雅黑、macOS 的苹方、Linux 的 Noto/文泉驿等）；
2. 否则使用随本课程依赖一起安装的思源黑体（Noto Sans SC，来自 ``pylopdf-fonts-zh-cn`` 包）。

第 2 步直接把字体文件注册给 matplotlib，不依赖 matplotlib 的字体缓存，
所以刚装完字体、缓存还是旧的时候也能正常工作。
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from . import _validate

#: 系统字体的候选名单（按优先顺序），都是包含简体中文字形的无衬线字体。
SYSTEM_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "SimHei",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)

#: 随依赖安装的字体包与其中的字体文件。
BUNDLED_FONT_PACKAGE = "pylopdf_fonts_zh_cn"
BUNDLED_FONT_FILE = "NotoSansSC-Regular.otf"


def system_cjk_fonts() -> list[str]:
    """返回 matplotlib 已知的、在候选名单中的系统中文字体名（按优先顺序）。"""
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return [name for name in SYSTEM_CJK_FONTS if name in known]


def bundled_font_path() -> Path:
    """返回随依赖安装的思源黑体文件路径；找不到时给出安装提示。"""
    try:
        path = Path(str(resources.files(BUNDLED_FONT_PACKAGE) / BUNDLED_FONT_FILE))
    except ModuleNotFoundError as err:
        raise RuntimeError(
            "系统里没有中文字体，随课程安装的字体包也不在：请运行 "
            "`pip install pylopdf-fonts-zh-cn`（或 `pip install -r requirements.txt`）后重启内核。"
        ) from err
    if not path.is_file():
        raise RuntimeError(
            f"字体包 {BUNDLED_FONT_PACKAGE} 中缺少 {BUNDLED_FONT_FILE}：请重新安装它，"
            "`pip install --force-reinstall pylopdf-fonts-zh-cn`。"
        )
    return path


def register_bundled_font() -> str:
    """把随依赖安装的思源黑体注册给 matplotlib，返回它的字体名。"""
    path = bundled_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_chinese_font(prefer_system: bool = True) -> str:
    """配置 matplotlib 使用中文字体，返回选中的字体名。

    ``prefer_system=False`` 时跳过系统字体，总是使用随依赖安装的思源黑体。
    """
    prefer_system = _validate.flag(prefer_system, "prefer_system")
    candidates = system_cjk_fonts() if prefer_system else []
    name = candidates[0] if candidates else register_bundled_font()
    # 直接列出具体字体（而不是泛称 "sans-serif"），matplotlib 才会逐字回退：
    # 中文字体缺少的字形（如下标 ₀、数学符号）由 DejaVu Sans 补上，不会出现方框和警告。
    matplotlib.rcParams["font.family"] = [name, "DejaVu Sans"]
    others = [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    matplotlib.rcParams["font.sans-serif"] = [name, *others]
    # 用普通连字符代替 Unicode 减号，避免个别中文字体缺少这个字形。
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
