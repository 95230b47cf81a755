"""构建好的网站（_build/html）的静态检查：语言、中文搜索索引、离线资源、Colab 与下载按钮。"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, lesson_notebooks

sys.path.insert(0, str(ROOT / "tools"))
import set_repository  # noqa: E402

LESSON_PAGES = [f"notebooks/{p.stem}.html" for p in lesson_notebooks()]
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


class Resources(HTMLParser):
    """收集页面加载的资源（脚本、样式、图片、字体等）和全部链接。"""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.scripts: list[str] = []
        self.links: list[tuple[str, dict]] = []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and a.get("src"):
            self.loaded.append(a["src"])
            if tag == "script":
                self.scripts.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.loaded.append(a["href"])
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], a))


def parse(path: Path) -> Resources:
    parser = Resources()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def test_every_toc_page_was_built(site):
    for page in LESSON_PAGES + ["book/preface.html", "search.html", "index.html"]:
        assert (site / page).is_file(), f"网站缺少页面 {page}"


def test_pages_declare_simplified_chinese(site):
    for page in all_pages(site):
        if page.name == "index.html" and page.parent == site:
            continue  # 根目录的 index.html 只是跳转到前言的重定向页
        assert parse(page).html_lang == "zh-CN", f"{page.relative_to(site)} 没有声明 lang=zh-CN"


def test_theme_strings_are_chinese(site):
    html = (site / LESSON_PAGES[1]).read_text(encoding="utf-8")
    assert 'placeholder="搜索本课程……"' in html
    assert 'alt="Colab 图标"' in html, "启动按钮上 Colab 图标的替代文字应是中文"
    for english in ("Search this book", "Toggle primary sidebar", "Launch on", "列印", "Color mode", "Link to this heading", "Colab logo"):
        assert english not in html, f"页面里还有未翻译的界面文字：{english}"


def test_no_page_loads_anything_from_another_host(site):
    offenders = []
    for page in all_pages(site):
        for url in parse(page).loaded:
            if EXTERNAL.match(url):
                offenders.append(f"{page.relative_to(site)}: {url}")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text(encoding="utf-8", errors="ignore")):
            offenders.append(f"{css.relative_to(site)}: {url}")
    assert offenders == [], "这些资源来自其他网站：\n" + "\n".join(offenders)


def test_every_local_resource_exists(site):
    missing = []
    for page in all_pages(site):
        for url in parse(page).loaded:
            if EXTERNAL.match(url) or url.startswith(("data:", "#")):
                continue
            target = (page.parent / url.split("?")[0].split("#")[0]).resolve()
            if not target.exists():
                missing.append(f"{page.relative_to(site)}: {url}")
    assert missing == [], "页面引用了不存在的本地文件：\n" + "\n".join(missing)


def test_thebe_is_gone(site):
    for page in all_pages(site):
        html = page.read_text(encoding="utf-8")
        assert "THEBE_JS_URL" not in html and "thebe" not in html.lower().replace("thebe-", ""), page.name


def test_math_is_typeset_when_the_site_is_built(site):
    """公式在构建时排版（book/_ext/course_math.py）：页面里是 MathJax 的 HTML，不加载 MathJax 脚本。"""
    math_pages = 0
    used: set[str] = set()
    for page in all_pages(site):
        html = page.read_text(encoding="utf-8")
        name = page.relative_to(site)
        assert "window.MathJax" not in html and not [u for u in parse(page).scripts if "mathjax" in u.lower()], (
            f"{name} 仍在加载 MathJax"
        )
        formulas = re.findall(r'<(span|div) class="math notranslate nohighlight"[^>]*>', html)
        if not formulas:
            continue
        math_pages += 1
        assert html.count("<mjx-container") >= len(formulas), f"{name} 有没排版的公式"
        assert len(re.findall(r'class="math notranslate nohighlight" data-tex="', html)) == len(formulas), (
            f"{name} 有公式缺少 data-tex（搜索摘要要用它）"
        )
        assert "mjx-merror" not in html, f"{name} 有排版出错的公式"
        assert any(u.split("?")[0].endswith("_static/course-math.css") for u in parse(page).loaded), (
            f"{name} 有公式，却没有加载 course-math.css"
        )
        used |= set(re.findall(r'<mjx-c class="([^"]+)"', html))
    assert math_pages >= 5, f"只有 {math_pages} 个页面含有公式"
    css = (site / "_static" / "course-math.css").read_text(encoding="utf-8")
    # 每个字符都要有一条 CSS 规则（字符由 ::before 的 content 画出，没有规则就是空白）
    missing = []
    for classes in sorted(used):
        char, *variant = classes.split()
        selector = f"mjx-c.{char}" + "".join(f".{v}" for v in variant)
        if f"{selector}::before" not in css and f".{char}" not in css:
            missing.append(classes)
    assert missing == [], f"course-math.css 缺少这些字符的规则：{missing[:10]}"
    fonts = re.findall(r'url\("?([^")]+\.woff)"?\)', css)
    assert fonts, "course-math.css 没有声明 MathJax 的字体"
    for font in fonts:
        assert (site / "_static" / font).is_file(), f"course-math.css 引用的字体不存在：{font}"
    assert not list((site / "_static" / "mathjax").rglob("*.js")), "网站里还留着用不到的 MathJax 脚本"


def test_build_time_math_matches_the_browser_and_reports_tex_errors():
    """构建时的 MathJax 与浏览器里原来的配置排出相同的结果；TeX 写错时报错，而不是排成红字。"""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import course_math
    import yaml

    options = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]["mathjax3_config"]
    mathjax = course_math.MathJax(options)
    try:
        html = mathjax.typeset(r"\boldsymbol{x}^\top w + \|x\|^2", display=False)
        assert html.startswith('<mjx-container class="MathJax" jax="CHTML">')
        assert 'class="mjx-c2016"' in html  # \| 是 U+2016，与浏览器里的 input/tex 相同
        assert "mjx-b mjx-i" in html  # \boldsymbol 由 autoload 的扩展处理
        assert 'display="true"' in mathjax.typeset(r"\frac{\partial L}{\partial b}", display=True)
        for bad, message in [(r"\frac{a", "Missing close brace"), (r"\foo x", "Undefined control sequence")]:
            with pytest.raises(course_math.MathJaxError, match=re.escape(message)):
                mathjax.typeset(bad, display=False)
        css = mathjax.stylesheet()
        assert "mjx-c.mjx-c2016::before" in css and "mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff" in css
    finally:
        mathjax.close()


def test_head_scripts_do_not_block_rendering(site):
    """页面头部的外部脚本都带 defer（搜索页除外，见 book/_ext/course_offline.py），译文紧跟 doctools.js。"""
    for page in all_pages(site):
        if page.name == "search.html" or (page.name == "index.html" and page.parent == site):
            continue
        html = page.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        name = page.relative_to(site)
        blocking = [
            tag for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head) if not re.search(r"\b(defer|async)\b", tag)
        ]
        assert blocking == [], f"{name} 头部有阻塞渲染的脚本：{blocking}"
        assert "documentation_options.js" not in head and "const DOCUMENTATION_OPTIONS" in head, name
        # 内联脚本用到 DOCUMENTATION_OPTIONS 之前，它已经定义好了
        assert head.index("const DOCUMENTATION_OPTIONS") < head.index("DOCUMENTATION_OPTIONS.pagename"), name
        scripts = re.findall(r'<script\b[^>]*\bsrc="([^"?]+)', head)
        names = [Path(src).name for src in scripts]
        assert names.index("translations.js") == names.index("doctools.js") + 1, f"{name}：{names}"


def test_animation_frames_are_separate_image_files(site):
    """动画的各帧是 _images/ 中的图片文件，页面里不再有几百 KB 的 base64 帧（book/_ext/course_offline.py）。"""
    frames_seen = 0
    for page in all_pages(site):
        html = page.read_text(encoding="utf-8")
        inline = re.findall(r"data:image/[a-z+]+;base64,(?:[A-Za-z0-9+/=]|\\\n){2000,}", html)
        assert inline == [], f"{page.relative_to(site)} 里还有内嵌的大图（{len(inline)} 处）"
        for url in re.findall(r'frames\[\d+\] = "([^"]+)"', html):
            frames_seen += 1
            assert (page.parent / url).resolve().is_file(), f"{page.relative_to(site)} 的动画帧不存在：{url}"
    assert frames_seen >= 10, f"只找到 {frames_seen} 个动画帧：检查没有真正运行"


def test_lesson_figures_are_lazy_sized_and_described(site):
    """课程页面上笔记本输出的图：延迟加载、写明与文件一致的宽高，替代文字用中文说明图里画了什么。

    宽高与延迟加载由 book/_ext/course_offline.py 在构建时加上；替代文字来自单元格元数据
    ``mystnb.image.alt``（孪生文件里写在 ``# %%`` 那一行）。
    """
    import imagesize

    figures = 0
    for name in LESSON_PAGES:
        html = (site / name).read_text(encoding="utf-8")
        for tag in re.findall(r"<img\s[^>]*>", html):
            attrs = dict(re.findall(r'\s([a-z-]+)="([^"]*)"', tag))
            if "_images/" not in attrs.get("src", ""):
                continue
            figures += 1
            where = f"{name} 的 {attrs['src']}"
            assert attrs.get("loading") == "lazy" and attrs.get("decoding") == "async", f"{where} 不是延迟加载：{tag[:120]}"
            size = imagesize.get(str((site / name).parent / attrs["src"]))
            assert (int(attrs.get("width", 0)), int(attrs.get("height", 0))) == size, f"{where} 写的宽高与文件 {size} 不同"
            alt = attrs.get("alt", "")
            assert re.search(r"[\u4e00-\u9fff]", alt) and not re.search(r"\.(png|jpe?g|gif|svg)$|_images/|\$", alt), (
                f"{where} 的替代文字没有说明图的内容：{alt!r}（在孪生文件的 # %% 行写 mystnb={{\"image\": {{\"alt\": \"……\"}}}}）"
            )
    assert figures >= 20, f"课程页面上只找到 {figures} 张笔记本输出的图：检查没有真正运行"


def test_long_pages_skip_rendering_offscreen_cells(site):
    """屏幕外的代码单元格与块级公式用 content-visibility: auto（只对屏幕，打印时全部排版）。"""
    css = re.sub(r"/\*.*?\*/", "", (site / "_static" / "course.css").read_text(encoding="utf-8"), flags=re.S)
    screen = re.search(r"@media screen\s*\{(.*?)\n\}", css, re.S)
    assert screen and "content-visibility: auto" in screen.group(1) and "div.cell" in screen.group(1), (
        "course.css 中没有只对屏幕生效的 content-visibility 规则"
    )
    assert css.count("content-visibility") == css[screen.start():screen.end()].count("content-visibility"), (
        "content-visibility 只应写在 @media screen 中：打印整本书时每个单元格都要排版"
    )


def test_theme_decides_tab_stops_lazily(site):
    """主题脚本里判断可滚动区域 Tab 停靠点的代码换成了 course-tabstops.js 中的函数（book/_ext/course_offline.py）。"""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import course_offline

    code = (site / "_static" / course_offline.THEME_SCRIPT).read_text(encoding="utf-8")
    assert course_offline.THEME_TAB_STOP not in code, "主题脚本仍在 load 时读每个代码块的 scrollWidth"
    assert code.count(course_offline.COURSE_TAB_STOP) == 1
    assert code.startswith(course_offline.TAB_STOPS_SCRIPT.read_text(encoding="utf-8")), "主题脚本开头没有 courseTabStop 的定义"


def _css_rules(css: str):
    return re.findall(r"([^{}]+)\{([^{}]*)\}", css)


def test_icon_fonts_have_every_icon_the_site_uses(site):
    """裁剪后的 Font Awesome 字体里有网站用到的每个图标（book/_ext/course_icons.py）。

    用到的图标：页面 HTML 中的 fa-* 类名、页面加载的脚本里写的 fa-* 类名、样式表中直接写出的图标字符。
    """
    import pydata_sphinx_theme
    from fontTools.ttLib import TTFont

    theme_css = (
        Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css"
    ).read_text(encoding="utf-8")
    icon_names = {
        m.group(1)
        for selectors, body in _css_rules(theme_css)
        if body.strip().startswith("content:")
        for s in selectors.split(",")
        if (m := re.fullmatch(r"\.(fa-[a-z0-9-]+)::?before", s.strip()))
    }
    built_css = (site / "_static/styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    code_points = {}
    for selectors, body in _css_rules(built_css):
        content = re.fullmatch(r'\s*content:\s*"(\\[0-9a-f]+\s?|[^"])"\s*;?\s*', body)
        for s in selectors.split(","):
            m = re.fullmatch(r"\.(fa-[a-z0-9-]+)::?before", s.strip())
            if m and content:
                value = content.group(1).strip()
                code_points[m.group(1)] = int(value[1:], 16) if value.startswith("\\") else ord(value)
    fonts = {}
    for body in re.findall(r"@font-face\{([^}]*)\}", built_css):
        family = re.search(r"font-family:([^;]+)", body).group(1)
        weight = re.search(r"font-weight:(\d+)", body).group(1)
        url = re.search(r"url\(([^)]+)\)", body).group(1).strip("'\"")
        path = (site / "_static/styles" / url).resolve()
        assert path.is_file(), f"@font-face 引用的字体不存在：{url}"
        fonts["brands" if "Brands" in family else ("solid" if weight == "900" else "regular")] = TTFont(path).getBestCmap()
    assert fonts["solid"] and len(fonts["solid"]) < 200, "fa-solid 字体没有裁剪"

    uses: set[tuple[str, str]] = set()
    for page in site.rglob("*.html"):
        if "_static" in page.relative_to(site).parts:
            continue
        for value in re.findall(r'class="([^"]*)"', page.read_text(encoding="utf-8")):
            classes = value.split()
            style = "brands" if {"fa-brands", "fab"} & set(classes) else "regular" if {"fa-regular", "far"} & set(classes) else "solid"
            uses |= {(name, style) for name in classes if name in icon_names}
    for script in (site / "_static").rglob("*.js"):
        if script.name != "fontawesome.js":
            text = script.read_text(encoding="utf-8", errors="ignore")
            uses |= {(name, "solid") for name in re.findall(r"fa-[a-z0-9-]+", text) if name in icon_names}
    assert ("fa-github", "brands") in uses and ("fa-moon", "solid") in uses, uses
    missing = [f"{name}（{style}）" for name, style in sorted(uses) if code_points.get(name) not in fonts[style]]
    assert missing == [], f"这些图标在裁剪后的字体里没有字形：{missing}"
    # 样式表直接写出的图标字符（提示框、上一页/下一页的箭头、“本页目录”的箭头）
    direct = set()
    for css in (site / "_static").rglob("*.css"):
        if "mathjax" in css.parts or css.name == "course-math.css":
            continue
        for selectors, body in _css_rules(css.read_text(encoding="utf-8", errors="ignore")):
            if re.fullmatch(r"\s*content:[^;]*;?\s*", body) and all(
                re.fullmatch(r"\.fa-[a-z0-9-]+::?before", s.strip()) for s in selectors.split(",")
            ):
                continue
            for value in re.findall(r'"((?:[^"\\]|\\.)*)"', body):
                value = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m.group(1), 16)), value)
                direct |= {ord(ch) for ch in value if 0xE000 <= ord(ch) < 0xF900}
    assert 0xF105 in direct and 0xF107 in direct, sorted(map(hex, direct))
    lost = [hex(cp) for cp in sorted(direct) if not any(cp in cmap for cmap in fonts.values())]
    assert lost == [], f"样式表直接用到的这些图标字符不在裁剪后的字体里：{lost}"


def test_search_index_contains_chinese_body_words(site):
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    terms = index["terms"]
    for word in ("张量", "梯度", "广播", "学习率", "激活函数", "梯度下降", "自动求导", "多层感知机", "叶子节点", "反向传播"):
        assert word in terms, f"搜索索引里没有“{word}”"


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_lesson_page_buttons(site, page):
    url, branch = set_repository.repository()
    parser = parse(site / page)
    hrefs = [h for h, _ in parser.links]
    stem = Path(page).stem
    colab = [h for h in hrefs if h.startswith("https://colab.research.google.com/")]
    repo_path = url.removeprefix("https://github.com/")
    assert colab == [f"https://colab.research.google.com/github/{repo_path}/blob/{branch}/notebooks/{stem}.ipynb"]
    downloads = [h for h in hrefs if h.endswith(f"{stem}.ipynb") and "_sources" in h]
    assert downloads, "缺少下载 .ipynb 的按钮"
    assert (site / "notebooks" / downloads[0]).resolve().is_file()
    assert url in hrefs, "缺少仓库按钮"


def test_search_knows_which_lesson_teaches_each_term(site):
    text = (site / "_static" / "course-terms.js").read_text(encoding="utf-8")
    terms = json.loads(text.removeprefix("var COURSE_TERMS = ").rstrip().rstrip(";"))
    assert len(terms) >= 40
    assert terms["反向传播"] == "notebooks/03_autograd"
    assert terms["广播"] == "notebooks/01_tensor"
    for lesson in set(terms.values()):
        assert (site / f"{lesson}.html").is_file(), f"术语表指向了不存在的课程 {lesson}"


def test_webpack_macros_override_differs_from_the_theme_only_where_intended():
    """book/_templates/static/webpack-macros.html 覆盖主题模板：去掉 fontawesome.js、直接链接 basic.css、
    不预加载页面末尾的两个脚本（说明见该文件开头）。

    主题升级后模板若有变化，这里会失败，提醒同步覆盖文件。
    """
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/webpack-macros.html"
    ours = (ROOT / "book/_templates/static/webpack-macros.html").read_text(encoding="utf-8")
    expected = []
    for line in theme.read_text(encoding="utf-8").splitlines():
        if "fontawesome.js" in line or "So that users can add custom icons" in line:
            continue
        if 'rel="preload"' in line or "Pre-loaded scripts" in line:
            continue
        if "_static/styles/theme.css" in line:
            line = line[: line.index("{{")] + "{{ pathto('_static/basic.css', 1) }}\" rel=\"stylesheet\" />"
        expected.append(line)
    body = ours.split("-#}\n", 1)[1]
    assert body.splitlines() == expected
    # theme.css 只有一行 @import basic.css：直接链接 basic.css 才与原来等价
    theme_css = theme.parent / "styles/theme.css"
    rules = [line for line in theme_css.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("/*")]
    assert rules == ['@import "../basic.css";'], rules


def test_pages_do_not_load_the_icon_script(site):
    for page in all_pages(site):
        assert not [u for u in parse(page).loaded if "fontawesome.js" in u], page.name


def test_only_the_search_page_loads_the_search_index(site):
    """搜索脚本和约 120 KB 的搜索索引只在搜索页加载（本站没有“边输入边搜索”）。"""
    search = parse(site / "search.html").scripts
    for needed in ("searchtools.js", "searchindex.js", "course-search.js", "course-terms.js"):
        assert any(needed in src for src in search), f"搜索页缺少 {needed}"
    for page in all_pages(site):
        if page.name in ("search.html", "index.html"):
            continue
        loaded = [src for src in parse(page).scripts if any(n in src for n in ("searchtools.js", "searchindex.js", "course-search.js"))]
        assert loaded == [], f"{page.relative_to(site)} 加载了只有搜索页需要的脚本：{loaded}"


def test_every_content_page_has_a_description_from_its_text(site):
    """每个内容页都有 meta description，取自导读或第一段正文，不含“导读：”前缀。"""
    for page in all_pages(site):
        if page.name in ("search.html", "index.html", "genindex.html"):
            continue
        m = re.search(r'<meta name="description" content="([^"]+)"', page.read_text(encoding="utf-8"))
        assert m, f"{page.relative_to(site)} 没有 meta description"
        text = m.group(1)
        assert 10 <= len(text) <= 120 and not text.startswith("导读") and re.search(r"[\u4e00-\u9fff]", text), (
            f"{page.relative_to(site)} 的 description 不合适：{text}"
        )


def test_every_lesson_page_states_the_versions_its_outputs_came_from(site):
    """每课标题下写明运行结果由哪个 Python、PyTorch 得到（取自笔记本元数据），以及课程验证过的版本。"""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import course_pages

    verified_python, verified_torch = course_pages.verified_versions(ROOT)
    for page in LESSON_PAGES:
        notebook = ROOT / page.replace(".html", ".ipynb")
        outputs = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get("course_outputs")
        assert outputs, f"{notebook.name} 没有记录运行版本：用 tools/refresh.py 重新运行它"
        assert outputs["torch"].split("+")[0] == verified_torch, (
            f"{notebook.name} 的输出由 PyTorch {outputs['torch']} 得到，不是课程验证的 {verified_torch}"
        )
        assert outputs["python"].rsplit(".", 1)[0] == verified_python, f"{notebook.name} 的 Python 版本 {outputs['python']}"
        html = (site / page).read_text(encoding="utf-8")
        expected = course_pages.stamp_text(outputs, (verified_python, verified_torch))
        stamps = re.findall(r'<p class="course-stamp">([^<]*)</p>', html)
        assert stamps == [expected], f"{page} 的“验证于”一行应为“{expected}”，现在是 {stamps}"
