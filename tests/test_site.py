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
    for english in ("Search this book", "Toggle primary sidebar", "Launch on", "列印", "Color mode", "Link to this heading"):
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


def test_math_uses_the_local_mathjax(site):
    pages_with_math = [p for p in all_pages(site) if "window.MathJax" in p.read_text(encoding="utf-8")]
    assert pages_with_math, "没有任何页面加载 MathJax"
    for page in pages_with_math:
        scripts = [u for u in parse(page).scripts if "mathjax" in u.lower()]
        assert scripts and all(u.split("?")[0].endswith("_static/mathjax/startup.js") for u in scripts), scripts
    for component in ("startup.js", "core.js", "input/tex.js", "output/chtml.js", "output/chtml/fonts/tex.js"):
        assert (site / "_static/mathjax" / component).is_file(), component
    assert (site / "_static/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff").is_file()


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


def test_fontawesome_override_differs_from_the_theme_only_by_the_icon_script():
    """book/_templates/static/webpack-macros.html 覆盖主题模板，只去掉 fontawesome.js。

    主题升级后模板若有变化，这里会失败，提醒同步覆盖文件。
    """
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/webpack-macros.html"
    ours = (ROOT / "book/_templates/static/webpack-macros.html").read_text(encoding="utf-8")
    expected = [
        line
        for line in theme.read_text(encoding="utf-8").splitlines()
        if "fontawesome.js" not in line and "So that users can add custom icons" not in line
    ]
    body = ours.split("-#}\n", 1)[1]
    assert body.splitlines() == expected


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
