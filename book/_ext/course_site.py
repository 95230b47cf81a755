"""本站的 Sphinx 扩展：把 Jupyter Book 默认生成的网站修正为离线可用的中文网站。

1. 搜索：构建时把术语表中的中文术语加入 jieba 词典，让“梯度下降”这类复合词整体进入索引；
   在浏览器里用 ``course-search.js`` 对查询做分词（按索引中已有的词做最长匹配），
   这样输入“梯度下降”和输入“梯度 下降”都能找到结果；并且按术语表的“首次出现”一列，
   把讲授这个术语的那一课排在搜索结果的前面。
2. 去掉 Thebe：它从外部网站加载脚本，而且默认配置会在每页重复声明 ``THEBE_JS_URL``，
   导致浏览器控制台报错。本课程的网站只展示运行结果，交互运行请用 Colab 或本地 JupyterLab。
3. 界面文字：book/_ext/locale 中的 booktheme 译文优先于主题自带的译文。
"""

from __future__ import annotations

import gettext
import json
import logging
import re
from pathlib import Path

from sphinx import locale

HERE = Path(__file__).resolve().parent
GLOSSARY = HERE.parent / "glossary.md"

#: 术语表表格中一行的形式：| 中文 | English | …
_ROW = re.compile(r"^\|\s*\**([\u4e00-\u9fff][^|*]*?)\**\s*\|")
_SEPARATOR = re.compile(r"^\|\s*:?-{3,}")


def glossary_terms(path: Path = GLOSSARY) -> list[str]:
    """从术语表页面的表格中读出全部中文术语。"""
    if not path.is_file():
        return []
    terms = []
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    for line, following in zip(lines, lines[1:] + [""]):
        if _SEPARATOR.match(following):  # 表头行（下一行是 |---|---|）不是术语
            continue
        m = _ROW.match(line)
        if m:
            terms.append(m.group(1).strip())
    return terms


_LESSON_LINK = re.compile(r"\]\(\.\./(notebooks/[0-9]{2}_[a-z_]+)\.ipynb\)")


def glossary_lessons(path: Path = GLOSSARY) -> dict[str, str]:
    """术语 → 讲授它的那一课（文档名，如 ``notebooks/03_autograd``），取自术语表的“首次出现”一列。"""
    if not path.is_file():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = _ROW.match(line.strip())
        link = _LESSON_LINK.search(line)
        if row and link:
            found[row.group(1).strip()] = link.group(1)
    return found


def _write_term_map(app, exception) -> None:
    """把“术语 → 课程”写进 _static/course-terms.js，供搜索结果排序使用。"""
    if exception is not None or app.builder.format != "html":
        return
    mapping = json.dumps(glossary_lessons(), ensure_ascii=False, sort_keys=True)
    target = Path(app.outdir) / "_static" / "course-terms.js"
    target.write_text(f"var COURSE_TERMS = {mapping};\n", encoding="utf-8")


def _teach_jieba(app) -> None:
    try:
        import jieba
    except ImportError:  # 没有 jieba 时 Sphinx 不会索引任何中文词，这里直接报错更清楚
        raise RuntimeError("构建中文网站需要 jieba：请运行 `pip install -r requirements.txt`。") from None
    jieba.setLogLevel(logging.WARNING)
    for term in glossary_terms():
        jieba.add_word(term, freq=20000)


def _disable_thebe(app) -> None:
    """断开 sphinx-thebe 注册的全部事件处理函数。

    Jupyter Book 1 总会加载 sphinx-thebe；它在每页注入指向外部网站的配置和脚本，
    并因重复声明 ``THEBE_JS_URL`` 在控制台报错。本站不提供网页内运行，所以整个关掉。
    """
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def _drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    """去掉 sphinx-thebe 在 setup 时登记的样式表。"""
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if files:
            context[key] = [f for f in files if "thebe" not in str(getattr(f, "filename", f) or "").lower()]


def _prefer_our_theme_strings(app) -> None:
    """让 book/_ext/locale 中的 booktheme 译文优先于 sphinx-book-theme 自带的译文。

    主题自带的 zh_CN 译文不全（如“Launch on”），个别还是繁体（“列印成 PDF”）。
    Sphinx 启动时已把 locale_dirs 中的 .po 编译成 .mo；这里把我们的译文放在最前面，
    主题自带的译文作为后备。
    """
    key = ("general", "booktheme")
    ours = gettext.translation("booktheme", localedir=str(HERE / "locale"), languages=[app.config.language])
    theirs = locale.translators.get(key)
    if theirs is not None and type(theirs) is not gettext.NullTranslations:
        ours.add_fallback(theirs)
    locale.translators[key] = ours


def _load_mathjax_by_components(app, config) -> None:
    """用 MathJax 的分组件加载代替合并好的 tex-chtml.js。

    tex-chtml.js（1.1 MB）里有 430 KB 是右键菜单（ui/menu），课程用不到；
    startup.js 只加载 _config.yml 中 mathjax3_config.loader.load 列出的组件（TeX 输入与 CHTML 输出），
    页面少下载、少解析约 40%。文件来自 sphinx-mathjax-offline，构建结束时复制到 _static/mathjax。
    """
    config.mathjax_path = "mathjax/startup.js"


#: MathJax 分组件加载时要取的文件：startup.js 会依次请求它们，提前声明可让浏览器并行下载。
MATHJAX_PRELOAD = (
    ("core.js", "script"),
    ("input/tex.js", "script"),
    ("output/chtml.js", "script"),
    ("output/chtml/fonts/tex.js", "script"),
    ("output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff", "font"),
    ("output/chtml/fonts/woff-v2/MathJax_Math-Italic.woff", "font"),
)


def _preload_mathjax(app, pagename, templatename, context, doctree) -> None:
    """在有公式的页面头部声明 MathJax 组件与常用字体的预加载，缩短公式出现的时间。"""
    if doctree is None or not app.env.get_domain("math").has_equations(pagename):
        return
    links = []
    for path, kind in MATHJAX_PRELOAD:
        href = context["pathto"](f"_static/mathjax/{path}", 1)
        extra = ' type="font/woff" crossorigin' if kind == "font" else ""
        links.append(f'<link rel="preload" as="{kind}" href="{href}"{extra} />')
    context["metatags"] = context.get("metatags", "") + "\n".join(links) + "\n"


def _compile_translations() -> None:
    """把 book/_ext/locale 中的 .po 编译成 gettext 用的 .mo（.mo 是生成文件，不进仓库）。"""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (HERE / "locale").rglob("*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)


def setup(app):
    _compile_translations()
    # 优先级高于 sphinx-mathjax-offline 在 setup 中写入的 mathjax_path
    app.connect("config-inited", _load_mathjax_by_components, priority=900)
    app.connect("builder-inited", _prefer_our_theme_strings)
    app.connect("builder-inited", _teach_jieba)
    _disable_thebe(app)
    app.connect("html-page-context", _drop_thebe_assets)
    app.connect("html-page-context", _preload_mathjax)
    app.config.html_static_path.append(str(HERE / "static"))
    app.connect("build-finished", _write_term_map)
    # 在 searchtools.js 之前加载：splitQuery 要先于它定义；Scorer.score 与摘要中的公式在 DOMContentLoaded 时处理
    app.add_js_file("course-terms.js", priority=200)
    app.add_js_file("course-search.js", priority=200)
    app.add_css_file("course.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
