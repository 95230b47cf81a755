"""整本书的 PDF（tools/build_pdf.py 生成，随网站发布在 _downloads/ 中）与网站上的“下载整本书”菜单。

- PDF 存在、大小合理，书签第一层按 _toc.yml 的顺序列出每一章，课程章节下面还有各节；
- pdftotext 能取出每一课的中文标题和导读中的一段正文，每一章的标题都在书签指向的那一页上；
- pdffonts 显示嵌入的中文字体，所有字体都已嵌入；
- 没有哪一页的文字里有未渲染的 TeX（``\\(``、``$$``），没有网站界面（搜索框、翻页链接）；
- 很长的代码行折行后完整地印了出来，动画换成了静止的一帧并附说明；
- 三页截图（一课的首页、有公式和图的一页、代码页）保存在 artifacts/screenshots/；
- 网站每一页都有下载菜单，在断网的 Chromium 中点开菜单，两个链接都能取到文件。
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ARTIFACTS, ROOT, skip_or_fail

sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import build_kit  # noqa: E402
import build_pdf  # noqa: E402
import site_browser  # noqa: E402
from course_downloads import KIT_NAME, PDF_NAME  # noqa: E402

#: PDF 大小的上限：约 210 页、两千多个不同汉字的两种字体子集、几十张图，实测约 5 MiB
MAX_BYTES = 12 * 2**20
MIN_BYTES = 1 * 2**20
#: 页面上不应出现的网站界面文字
SITE_CHROME = ["搜索本课程", "Ctrl+K", "上一页", "下一页", "显示或隐藏"]
#: 没有被 MathJax 渲染的公式会留下这些定界符（代码里的 matplotlib 标签 "$\\theta$" 不算）
RAW_TEX = [r"\(", r"\)", "$$", r"\begin{"]


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        skip_or_fail(f"需要 poppler-utils 中的 {tool}（apt-get install poppler-utils）")
    return path


@pytest.fixture(scope="module")
def pdf(site) -> Path:
    path = site / "_downloads" / build_pdf.PDF_NAME
    if not path.is_file():
        pytest.fail(f"没有找到 {path}：请运行 `python tools/build_pdf.py`（tools/setup.sh 和 tools/test.sh 会在构建网站后运行它）。")
    return path


@pytest.fixture(scope="module")
def pikepdf():
    try:
        import pikepdf
    except ImportError:
        skip_or_fail("需要 pikepdf：pip install -r requirements-dev.txt")
    return pikepdf


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    """每一页的文字（pdftotext，UTF-8）。"""
    out = subprocess.run(
        [poppler("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def squeeze(text: str) -> str:
    """去掉全部空白：pdftotext 会在折行处插入换行，比较时不看空白。"""
    return re.sub(r"\s+", "", text)


def plain(markdown: str) -> str:
    """去掉 Markdown 标记（粗体、行内代码、链接），得到页面上显示的文字。"""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return text.replace("**", "").replace("`", "")


def chapter_title(doc: str) -> str:
    """一章的标题：笔记本第一个 Markdown 单元格或 .md 页面的一级标题。"""
    path = ROOT / f"{doc}.ipynb"
    if path.is_file():
        return plain(build_kit.notebook_title(path))
    for line in (ROOT / f"{doc}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return plain(line[2:].strip())
    raise AssertionError(f"{doc} 没有一级标题")


def lesson_intro(doc: str) -> str:
    """一课导读中最长的一段连续中文（不含公式和代码），用来检查正文能被取出。"""
    nb = json.loads((ROOT / f"{doc}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "导读" in source:
            runs = re.findall(r"[\u4e00-\u9fff，、；：。“”（）]{8,}", plain(source.split("导读", 1)[1]))
            return max(runs, key=len)
    raise AssertionError(f"{doc} 没有导读")


def outline(pdf: Path, pikepdf) -> list[tuple[str, int, int]]:
    """书签的第一层：(标题, 页码, 下一层的条数)。"""
    with pikepdf.open(pdf) as doc, doc.open_outline() as tree:
        numbers = {page.obj.objgen: i + 1 for i, page in enumerate(doc.pages)}
        return [
            (item.title, numbers.get(build_pdf._destination_page(doc, item), 0), len(item.children))
            for item in tree.root
        ]


def lesson_stamp(doc: str) -> str:
    """这一课开头“验证于”一行的文字，与网站上的相同。"""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import course_pages

    outputs = json.loads((ROOT / f"{doc}.ipynb").read_text(encoding="utf-8"))["metadata"]["course_outputs"]
    return course_pages.stamp_text(outputs, course_pages.verified_versions(ROOT))


def test_pdf_exists_with_reasonable_size_and_metadata(pdf, pikepdf):
    size = pdf.stat().st_size
    assert MIN_BYTES <= size <= MAX_BYTES, f"PDF 有 {size / 2**20:.1f} MiB，应在 1～12 MiB 之间"
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) >= 60, f"PDF 只有 {len(doc.pages)} 页"
        assert str(doc.docinfo.get("/Title")) == build_pdf.book_config()["title"]
        assert str(doc.Root.get("/Lang")).lower() == "zh-cn"
        first = doc.pages[0].mediabox
        assert round(float(first[2]) / 72 * 25.4) == 210 and round(float(first[3]) / 72 * 25.4) == 297, "应为 A4"


def test_outline_lists_every_chapter_in_toc_order(pdf, pikepdf):
    entries = build_pdf.toc_entries()
    expected = [chapter_title(e["doc"]) for e in entries]
    found = outline(pdf, pikepdf)
    assert [squeeze(t) for t, _, _ in found] == [squeeze(t) for t in expected], found
    numbers = [n for _, n, _ in found]
    assert numbers[0] >= 3 and numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers
    for entry, (title, _, children) in zip(entries, found):
        if entry["doc"].startswith("notebooks/"):
            assert children >= 3, f"书签“{title}”下面只有 {children} 节"


def test_chapter_titles_and_body_text_are_real_text(pdf, pikepdf, pages):
    found = outline(pdf, pikepdf)
    everything = squeeze("".join(pages))
    for entry, (_, number, _) in zip(build_pdf.toc_entries(), found):
        title = squeeze(chapter_title(entry["doc"]))
        assert title in squeeze(pages[number - 1]), f"第 {number} 页上没有找到标题“{title}”"
        if entry["doc"].startswith("notebooks/"):
            sample = lesson_intro(entry["doc"])
            assert sample in everything, f"{entry['doc']} 的导读“{sample}”没有出现在 PDF 的文字中"
            # 每课开头的“验证于”一行（book/_ext/course_pages.py）也印在 PDF 里
            stamp = squeeze(lesson_stamp(entry["doc"]))
            assert stamp in squeeze("".join(pages[number - 1 : number + 1])), f"{entry['doc']} 开头没有“验证于”一行：{stamp}"
    # 目录页列出每一章和它的页码
    toc = squeeze(pages[1])
    for title, number, _ in found:
        assert squeeze(title) + str(number) in toc.replace(".", ""), f"目录页上没有“{title} … {number}”"


def test_fonts_are_embedded_with_a_cjk_font(pdf):
    out = subprocess.run([poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    not_embedded = [r for r in rows if r.split()[-5] != "yes"]
    assert not_embedded == [], f"有字体没有嵌入：\n{not_embedded}"
    cjk = [r for r in rows if re.search(r"SC|CJK|Han|Hei|Song|Ming|Kai|PingFang|YaHei", r.split()[0])]
    assert any("CID TrueType" in r for r in cjk), f"没有嵌入的中文 TrueType 字体：\n{out}"


def test_no_raw_tex_no_site_chrome_no_emoji_without_glyphs(pages):
    problems = []
    for number, text in enumerate(pages, start=1):
        for token in RAW_TEX + SITE_CHROME:
            if token in text:
                problems.append(f"第 {number} 页有“{token}”")
        # 彩色表情没有可嵌入的字体，印刷版应换成 ✔ ✘；表情变体选择符也应去掉
        for char in "\u2705\u274c\ufe0f":
            if char in text:
                problems.append(f"第 {number} 页有字符 U+{ord(char):04X}")
    assert problems == [], "\n".join(problems[:20])


def test_long_code_lines_are_printed_in_full(pages):
    """最长的几行代码折行后完整地出现在 PDF 中（没有在页边被截断）。"""
    lines = []
    for nb_path in build_kit.lesson_notebooks():
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                lines += [line.rstrip("\n") for line in cell["source"] if line.isascii()]
    longest = sorted(lines, key=len)[-3:]
    assert len(longest[0]) > 90, "课程里没有足够长的代码行，这项检查没有意义"
    everything = squeeze("".join(pages))
    for line in longest:
        assert squeeze(line) in everything, f"这一行代码没有完整地印出来：{line}"


def test_animation_is_replaced_by_a_still_frame_with_a_note(pages):
    animated = [
        p for p in build_kit.lesson_notebooks() if "_anim_img" in p.read_text(encoding="utf-8")
    ]
    note = squeeze(build_pdf.ANIMATION_NOTE)
    with_note = [i + 1 for i, text in enumerate(pages) if note in squeeze(text)]
    assert len(with_note) >= len(animated), f"{len(animated)} 个笔记本有动画，但只有第 {with_note} 页有说明"


def page_resources(doc, page) -> tuple[set[str], int]:
    """一页（连同其中的表单 XObject）用到的字体子类型与图片数。"""
    subtypes, images = set(), 0
    stack = [page.obj.get("/Resources")]
    while stack:
        resources = stack.pop()
        if resources is None:
            continue
        for font in (resources.get("/Font") or {}).values():
            subtypes.add(str(font.get("/Subtype")) + ":" + str(font.get("/BaseFont", "")))
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Image":
                images += 1
            elif xobject.get("/Subtype") == "/Form":
                stack.append(xobject.get("/Resources"))
    return subtypes, images


def test_screenshots_of_three_pages(pdf, pikepdf, pages):
    """保存三页的截图：一课的首页、有公式和图的一页、代码页。"""
    found = outline(pdf, pikepdf)
    entries = build_pdf.toc_entries()
    lessons = [n for e, (_, n, _) in zip(entries, found) if e["doc"].startswith("notebooks/")]
    with pikepdf.open(pdf) as doc:
        info = [page_resources(doc, page) for page in doc.pages]
    # MathJax 的公式字体在 PDF 中是 Type 3 字体；代码用 DejaVu Sans Mono
    math_and_figure = [i + 1 for i, (fonts, images) in enumerate(info) if images and any("Type3" in f for f in fonts)]
    code = [
        i + 1
        for i, (fonts, images) in enumerate(info)
        if not images and any("Mono" in f for f in fonts) and pages[i].count("\n") > 40
    ]
    assert math_and_figure and code, (math_and_figure, code)
    chosen = {
        "lesson-start": lessons[1] if len(lessons) > 1 else lessons[0],
        "math-figure": math_and_figure[len(math_and_figure) // 2],
        "code": code[len(code) // 2],
    }
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for name, number in chosen.items():
        prefix = out / f"pdf-{name}"
        subprocess.run(
            [poppler("pdftoppm"), "-png", "-r", "80", "-singlefile", "-f", str(number), "-l", str(number), str(pdf), str(prefix)],
            check=True,
        )
        target = prefix.with_suffix(".png")
        assert target.stat().st_size > 20_000, f"{target} 几乎是空白"


# ---------------------------------------------------------------------------
# 网站上的下载菜单
# ---------------------------------------------------------------------------


def test_every_page_links_the_pdf_and_the_kit(site):
    problems = []
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in html and "<body" not in html:  # index.html 只是跳转到前言
            continue
        for name in (PDF_NAME, KIT_NAME):
            hrefs = re.findall(rf'href="([^"]*_downloads/{re.escape(name)})"', html)
            if not hrefs:
                problems.append(f"{page.relative_to(site)}：没有指向 {name} 的链接")
            elif not (page.parent / hrefs[0]).resolve().is_file():
                problems.append(f"{page.relative_to(site)}：{hrefs[0]} 指向的文件不存在")
    assert len(pages) >= 10 and problems == [], "\n".join(problems[:20])


@pytest.mark.browser
def test_download_menu_works_with_the_network_blocked(site, pdf):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("需要 playwright：pip install -r requirements-dev.txt")
    kit = site / "_downloads" / build_kit.KIT_NAME
    if not kit.is_file():
        pytest.fail(f"没有找到 {kit}：请运行 `python tools/build_kit.py`")
    executable = site_browser.find_chromium()
    if executable is None:
        skip_or_fail(site_browser.MISSING_CHROMIUM)
    external: list[str] = []

    def route(r):
        if urlparse(r.request.url).hostname in {"127.0.0.1", "localhost"} or r.request.url.startswith("data:"):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    with site_browser.serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=site_browser.CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
            context.set_default_timeout(60_000)
            context.route("**/*", route)
            page = context.new_page()
            page.goto(base + "notebooks/01_tensor.html", wait_until="load")
            menu = page.locator(".dropdown-book-downloads")
            menu.locator("button.dropdown-toggle").click()
            links = menu.locator(".dropdown-menu a")
            links.first.wait_for(state="visible")
            assert links.all_inner_texts() == ["整本书（PDF）", "离线课程包（zip）"]
            # 两个链接都能从页面里取到完整的文件
            for link, path, magic in ((links.nth(0), pdf, "%PDF-"), (links.nth(1), kit, "PK")):
                got = page.evaluate(
                    """async (href) => {
                        const r = await fetch(href);
                        const bytes = new Uint8Array(await r.arrayBuffer());
                        return {ok: r.ok, size: bytes.length, head: String.fromCharCode(...bytes.slice(0, 5))};
                    }""",
                    link.get_attribute("href"),
                )
                assert got["ok"] and got["size"] == path.stat().st_size, got
                assert got["head"].startswith(magic), got
            # 点击课程包：浏览器开始下载，下载到的文件与网站上的相同
            with page.expect_download() as download_info:
                links.nth(1).click()
            download = download_info.value
            assert download.suggested_filename == build_kit.KIT_NAME
            assert Path(download.path()).stat().st_size == kit.stat().st_size
            out = ARTIFACTS / "screenshots"
            out.mkdir(parents=True, exist_ok=True)
            menu.locator("button.dropdown-toggle").click()
            links.first.wait_for(state="visible")
            page.screenshot(path=str(out / "download-menu.png"), clip={"x": 640, "y": 0, "width": 640, "height": 260})
        finally:
            browser.close()
    assert external == [], f"页面请求了其他主机：{external[:3]}"
