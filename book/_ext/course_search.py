"""中文搜索。

1. 分词词典：Sphinx 用 jieba 给中文正文分词（``html_search_language: zh``）。构建时从术语表
   的第一列读出全部中文术语，写成 jieba 的用户词典，并通过 Sphinx 文档中的
   ``html_search_options["dict"]`` 交给它，“梯度下降”这类复合词就整体进入索引。
2. 查询分词与排序（``static/course-search.js``）：浏览器只按空格切分查询，这里按索引中已有的词
   做最长匹配，输入“梯度下降”和“梯度 下降”都能找到结果；讲授某个术语的那一课（术语表的
   “首次出现”一列，构建时写进 ``course-terms.js``）排在前面；摘要中的公式显示为易读的文字。
3. 只在搜索页加载搜索：pydata-sphinx-theme 为“边输入边搜索”在每一页都加载 searchtools.js 和
   整个搜索索引（约 120 KB），而本站没有打开这个功能（``search_as_you_type`` 为假，搜索框提交到
   搜索页）。构建结束后从其他页面去掉这三个脚本，页面打开更快。
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
GLOSSARY = HERE.parent / "glossary.md"

#: 术语表表格中一行的形式：| 中文 | English | …
_ROW = re.compile(r"^\|\s*\**((?:[A-Za-z]+ )?[\u4e00-\u9fff][^|*]*?)\**\s*\|")  # 术语可以以一个英文词开头，如“softmax 函数”
_SEPARATOR = re.compile(r"^\|\s*:?-{3,}")
_LESSON_LINK = re.compile(r"\]\(\.\./(notebooks/[0-9]{2}_[a-z_]+)\.ipynb\)")
#: 术语在 jieba 词典中的词频：足够大，保证它不被切开
TERM_FREQUENCY = 20000
#: 只有搜索页需要的脚本（pydata-sphinx-theme 的 layout.html 在每页都写了它们）
_SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="(?:\.\./)*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>'
)


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


def _jieba_dictionary(app, config) -> None:
    """把术语表写成 jieba 的用户词典，交给 Sphinx 的中文分词。"""
    try:
        import jieba  # noqa: F401  Sphinx 的中文分词需要它
    except ImportError:  # 没有 jieba 时 Sphinx 不会索引任何中文词，这里直接报错更清楚
        raise RuntimeError("构建中文网站需要 jieba：请运行 `pip install -r requirements.txt`。") from None
    path = Path(app.doctreedir) / "course-jieba-dict.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    # jieba 的用户词典每行是“词 词频”，用空格分隔：带空格的术语（如“死亡 ReLU”）不能写进去，
    # 它的中文部分本来就是常用词，分词时不会被切错
    terms = [term for term in glossary_terms() if " " not in term]
    path.write_text("".join(f"{term} {TERM_FREQUENCY}\n" for term in terms), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}


def _search_page_scripts(app, pagename, templatename, context, doctree) -> None:
    """搜索页加载查询分词与排序脚本（要在 searchtools.js 之前：主题的搜索页模板把它放在最后）。"""
    if pagename == "search":
        app.add_js_file("course-terms.js", priority=200)
        app.add_js_file("course-search.js", priority=200)


def _finish(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    mapping = json.dumps(glossary_lessons(), ensure_ascii=False, sort_keys=True)
    (outdir / "_static" / "course-terms.js").write_text(f"var COURSE_TERMS = {mapping};\n", encoding="utf-8")
    if app.config.html_theme_options.get("search_as_you_type"):
        return
    for page in outdir.rglob("*.html"):
        if page.name == "search.html" or "_static" in page.parts:
            continue
        html = page.read_text(encoding="utf-8")
        trimmed = _SEARCH_SCRIPTS.sub("", html)
        if trimmed != html:
            page.write_text(trimmed, encoding="utf-8")


def setup(app):
    app.connect("config-inited", _jieba_dictionary)
    app.connect("html-page-context", _search_page_scripts)
    app.connect("build-finished", _finish)
    app.config.html_static_path.append(str(HERE / "static"))
    app.add_css_file("course.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
