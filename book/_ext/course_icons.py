"""图标字体：网站只带它用到的 Font Awesome 图标。

pydata-sphinx-theme 自带完整的 Font Awesome 6：两千多个图标的字体（fa-solid-900.woff2 156 KB、
fa-brands-400.woff2 118 KB，另有 .ttf 备用）和每个图标一条 ``.fa-名字:before{content:"…"}`` 的 CSS 规则
（约占主题 CSS 的三分之一，140 KB）。本站只用到二十来个图标，而手机打开每一页都要先下载这两种字体
（CSS 中 ``font-display: block``：字体到达之前图标位置是空的）。构建结束后：

1. 收集用到的图标：构建好的 HTML 页面里的 ``fa-*`` 类名，和 ``_static`` 中页面加载的脚本里写的
   ``fa-*`` 类名（主题的脚本会插入 ``fa-xmark`` 之类的图标）；
2. 由主题 CSS 中 ``.fa-名字:before`` 规则查出这些图标的码位，再加上样式表里不经类名直接写出的
   图标码位（``--pst-icon-angle-right`` 之类的变量：提示框、上一页/下一页的箭头；sphinx-book-theme
   的“本页目录”箭头）；
3. 用 fontTools.subset 把主题自带的每种字体裁成只含这些码位，写成 ``字体名.subset.woff``
   （WOFF 用 zlib 压缩，不需要另装 brotli；二十来个图标的 WOFF 只比 WOFF2 大几百字节），
   主题 CSS 的 ``@font-face`` 改为指向它们，完整字体从网站中删去；
4. 从主题 CSS 中删去没有用到的图标规则。

裁剪总是从主题包里的原始文件出发（而不是上次构建的结果），所以增量构建、新增图标都不会丢字形。
tests/test_site.py 检查网站用到的每个图标在裁剪后的字体里都有字形。
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: 主题 CSS 与字体在网站中的位置（相对于 _static），与主题包中 static/ 下的位置相同
THEME_CSS = "styles/pydata-sphinx-theme.css"
WEBFONTS = "vendor/fontawesome/webfonts"
#: 类名：fa-xmark、fa-circle-half-stroke……（也会收到 fa-solid、fa-lg 这类不是图标的类名，查不到码位的忽略）
_CLASS_NAME = re.compile(r"(?<![\w-])fa-[a-z0-9]+(?:-[a-z0-9]+)*")
_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
#: 一条不含嵌套的 CSS 规则：选择器 { 声明 }（@media 里面的规则也能匹配到）
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ICON_SELECTOR = re.compile(r"^\.(fa-[a-z0-9-]+)::?before$")
_ICON_BODY = re.compile(r'^\s*content:\s*"((?:[^"\\]|\\.)*)"\s*;?\s*$', re.S)
_FONT_URL = re.compile(r"url\(\s*['\"]?\.\./" + re.escape(WEBFONTS) + r"/([\w.-]+)\.(?:woff2|ttf)['\"]?\s*\)\s*format\([^)]*\)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
#: Unicode 私用区：Font Awesome 的图标大多在这里
_PRIVATE_USE = range(0xE000, 0xF900)


def css_string(text: str) -> str:
    """CSS 字符串字面量的内容（去掉引号之后的部分）解码成字符：``\\f015`` → U+F015，``\\30 `` → “0”。"""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), text)


def icon_rules(css: str) -> dict[str, str]:
    """主题 CSS 中的图标规则：类名 → 图标的字符（别名各占一项）。"""
    icons = {}
    for selectors, body in _RULE.findall(css):
        names = [_ICON_SELECTOR.match(s.strip()) for s in selectors.split(",")]
        content = _ICON_BODY.match(body)
        if content and names and all(names):
            for name in names:
                icons[name.group(1)] = css_string(content.group(1))
    return icons


def used_classes(site: Path) -> set[str]:
    """网站用到的 fa-* 类名：HTML 页面的 class 属性，以及 _static 中脚本里写的类名。"""
    found: set[str] = set()
    for page in site.rglob("*.html"):
        if "_static" in page.relative_to(site).parts:
            continue  # 主题放在 _static 里的模板片段不是页面
        for value in _CLASS_ATTRIBUTE.findall(page.read_text(encoding="utf-8")):
            found.update(_CLASS_NAME.findall(value))
    for script in (site / "_static").rglob("*.js"):
        # fontawesome.js 是主题自带的完整图标库，本站的页面不加载它（book/_templates/static/webpack-macros.html）
        if script.name == "fontawesome.js" or "mathjax" in script.relative_to(site).parts:
            continue
        found.update(_CLASS_NAME.findall(script.read_text(encoding="utf-8", errors="ignore")))
    return found


def variable_icons(css: str) -> set[str]:
    """CSS 中不经类名、直接写出的图标字符（私用区的字符），如 ``--pst-icon-angle-right:"\\f105"``、``content:"\\f107"``。"""
    found = set()
    for selectors, body in _RULE.findall(css):
        names = [_ICON_SELECTOR.match(s.strip()) for s in selectors.split(",")]
        if names and all(names) and _ICON_BODY.match(body):
            continue  # 图标规则本身：只有用到的那些才算（见 used_classes）
        for double, single in _STRING.findall(body):
            found.update(ch for ch in css_string(double or single) if ord(ch) in _PRIVATE_USE)
    return found


def trim_icon_rules(css: str, keep: set[str]) -> str:
    """删去类名都不在 keep 中的图标规则。"""

    def rule(m: re.Match) -> str:
        selectors, body = m.group(1), m.group(2)
        names = [_ICON_SELECTOR.match(s.strip()) for s in selectors.split(",")]
        if names and all(names) and _ICON_BODY.match(body) and not any(n.group(1) in keep for n in names):
            return ""
        return m.group(0)

    return _RULE.sub(rule, css)


def subset_font(source: Path, characters: set[str]) -> bytes:
    """把字体裁成只含 characters 中的字符，返回 WOFF 格式的字节。"""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in characters))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def theme_static() -> Path | None:
    """pydata-sphinx-theme 包中的 static 目录（原始的 CSS 与字体）。"""
    try:
        import pydata_sphinx_theme
    except ImportError:
        return None
    path = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    return path if (path / THEME_CSS).is_file() else None


def shrink_icons(site: Path, source: Path) -> tuple[int, int]:
    """裁剪 site 中的图标字体与主题 CSS；返回（保留的图标字符数，裁剪后字体的总字节数）。"""
    static = site / "_static"
    original_css = (source / THEME_CSS).read_text(encoding="utf-8")
    icons = icon_rules(original_css)
    classes = {name for name in used_classes(site) if name in icons}
    characters = {icons[name] for name in classes} | variable_icons(original_css)
    for other in static.rglob("*.css"):  # 其他样式表也可能直接写出图标字符，如 sphinx-book-theme 的“本页目录”箭头
        if other != static / THEME_CSS and "mathjax" not in other.relative_to(static).parts:
            characters |= variable_icons(other.read_text(encoding="utf-8", errors="ignore"))
    css = trim_icon_rules(original_css, classes)

    total = 0
    fonts = sorted({m.group(1) for m in _FONT_URL.finditer(css)})
    for name in fonts:
        data = subset_font(source / WEBFONTS / f"{name}.ttf", characters)
        (static / WEBFONTS / f"{name}.subset.woff").write_bytes(data)
        total += len(data)
        for suffix in (".woff2", ".ttf"):
            (static / WEBFONTS / f"{name}{suffix}").unlink(missing_ok=True)
    # @font-face 的 src 原为 url(….woff2) format("woff2"),url(….ttf) format("truetype")：换成一个裁剪后的 WOFF
    css = re.sub(
        r"src:(?:\s*" + _FONT_URL.pattern + r"\s*,?)+",
        lambda m: f'src:url(../{WEBFONTS}/{_FONT_URL.search(m.group(0)).group(1)}.subset.woff) format("woff")',
        css,
    )
    (static / THEME_CSS).write_text(css, encoding="utf-8")
    return len(characters), total


def _finish(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    source = theme_static()
    if source is None or not (site / "_static" / THEME_CSS).is_file():
        logger.warning("没有找到 pydata-sphinx-theme 的 CSS 与图标字体，跳过图标字体的裁剪（页面仍能显示，只是加载慢些）")
        return
    count, size = shrink_icons(site, source)
    logger.info(f"图标字体裁剪为 {count} 个字符，共 {size / 1024:.1f} KB")


def setup(app):
    app.connect("build-finished", _finish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
