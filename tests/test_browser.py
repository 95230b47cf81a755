"""在真实的 Chromium 中检查网站：离线、无控制台错误、公式与图片正常、中文搜索、按钮与截图。

网站由本机的 HTTP 服务器提供；发往其他主机的请求一律拦截并记为失败。
截图保存在 artifacts/screenshots/ 中。
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import site_browser
from conftest import ARTIFACTS, lesson_notebooks, skip_or_fail

pytestmark = pytest.mark.browser

# 没有 playwright 时不在模块级跳过（那样整个文件会悄悄地全部跳过）：
# 由 browser 夹具调用 require_playwright()，本机上跳过，CI 中失败。
try:
    from playwright import sync_api as playwright_api
except ImportError:
    playwright_api = None

PLAYWRIGHT_MISSING = "需要 playwright：pip install -r requirements-dev.txt"


def require_playwright():
    """返回 playwright.sync_api；没有安装时本机跳过、CI 中失败。"""
    if playwright_api is None:
        skip_or_fail(PLAYWRIGHT_MISSING)
    return playwright_api

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: 一个页面从开始加载到图片与公式全部就绪的时间上限（毫秒）
LOAD_BUDGET_MS = 120_000
#: 页面“就绪”的条件：页面加载完，所有图片已加载（或已确定失败；仍是延迟加载的图片不等）。
#: 公式在构建时已排好（book/_ext/course_math.py），页面里没有要等的 MathJax。
#: 只做跳转的页面（网站根目录的 index.html 用 <meta http-equiv="refresh"> 跳到前言）不算就绪：
#: 等浏览器跳到目标页面，检查的是目标页面（wait_for_function 在跳转后的新页面里接着等）。
PAGE_SETTLED = """() => {
    if (document.querySelector('meta[http-equiv="refresh" i]')) return false;
    if (document.readyState !== 'complete') return false;
    return [...document.images].every(img => img.complete || img.loading === 'lazy');
}"""
#: 把页面上延迟加载的图片改为立即加载；跳转页面（见 PAGE_SETTLED）上不做，等到目标页面再做
EAGER_IMAGES = """() => {
    if (document.querySelector('meta[http-equiv="refresh" i]')) return false;
    document.querySelectorAll('img[loading="lazy"]').forEach(img => { img.loading = 'eager'; });
    return true;
}"""
LESSON_PAGES = [f"notebooks/{p.stem}.html" for p in lesson_notebooks()]
#: 中文搜索：查询词 → 讲授它的那一课（应出现在前三个结果中）
SEARCHES = {
    "梯度下降": "05_gradient_descent",
    "自动求导": "03_autograd",
    "多层感知机": "06_mlp",
    "反向传播": "03_autograd",
    "学习率": "05_gradient_descent",
    "叶子节点": "03_autograd",
    "激活函数": "06_mlp",
    "广播": "01_tensor",
    "交叉熵": "07_digits",
    "验证集": "07_digits",
    "数据加载器": "07_digits",
}


def chromium_path(api) -> str:
    """要启动的 Chromium（查找顺序见 tools/site_browser.py 的 find_chromium）；没有时本机跳过、CI 中失败。"""
    path = site_browser.find_chromium(api)
    if path is None:
        skip_or_fail(site_browser.MISSING_CHROMIUM)
    return path


@pytest.fixture(scope="module")
def base_url(site):
    with site_browser.serve(site) as base:
        yield base


class PageVisit:
    """打开一个页面，记录外部请求、控制台错误和页面异常。"""

    def __init__(self, browser, url: str, viewport=(1280, 800), color_scheme="light", eager_images=True):
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, color_scheme=color_scheme
        )
        self.page = self.context.new_page()
        self.external: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("requestfailed", lambda req: self.failed.append(req.url))
        # 负载高的机器上页面加载可能很慢：给足预算，但等的是具体条件，而不是“网络空闲”
        # （另一个测试进程在运行笔记本时，networkidle 会一直等不到）。
        self.context.set_default_timeout(LOAD_BUDGET_MS)
        self.page.goto(url, wait_until="load")
        if eager_images:
            # 笔记本输出的图片是延迟加载的（滚动到附近才下载）；检查页面时要全部图片，改为立即加载
            self.page.wait_for_function(EAGER_IMAGES)
        self.page.wait_for_function(PAGE_SETTLED)

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


def site_pages(site: Path) -> list[str]:
    pages = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "_static" not in p.parts and "_sources" not in p.parts and p.name != "genindex.html"
    )
    return pages


def test_every_page_is_offline_error_free_with_math_and_images(site, base_url, browser):
    problems = []
    math_pages = 0
    for page in site_pages(site):
        visit = PageVisit(browser, base_url + page)
        try:
            if visit.external:
                problems.append(f"{page}：请求了其他主机 {visit.external[:3]}")
            if visit.errors:
                problems.append(f"{page}：控制台错误 {visit.errors[:3]}")
            if visit.failed:
                problems.append(f"{page}：加载失败 {visit.failed[:3]}")
            state = visit.page.evaluate(
                """() => ({
                    math: document.querySelectorAll('.math, div.math, span.math').length,
                    rendered: document.querySelectorAll('mjx-container').length,
                    mathErrors: document.querySelectorAll('mjx-merror').length,
                    brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
                })"""
            )
            if state["math"]:
                math_pages += 1
                if state["rendered"] < state["math"] or state["mathErrors"]:
                    problems.append(f"{page}：公式没有全部渲染 {state}")
            if state["brokenImages"]:
                problems.append(f"{page}：图片加载失败 {state['brokenImages'][:3]}")
        finally:
            visit.close()
    assert problems == [], "\n".join(problems)
    assert math_pages >= 5, f"只有 {math_pages} 个页面含有公式：公式的检查没有真正运行"


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_lesson_page_controls(base_url, browser, page):
    visit = PageVisit(browser, base_url + page)
    try:
        info = visit.page.evaluate(
            """() => ({
                colab: [...document.querySelectorAll('a[href*="colab.research.google.com"]')].map(a => a.href),
                download: [...document.querySelectorAll('a[href$=".ipynb"]')].map(a => a.getAttribute('href')),
                repo: document.querySelectorAll('a[href^="https://github.com/"]').length,
                copy: document.querySelectorAll('button.copybtn').length,
                prev: document.querySelectorAll('.prev-next-area a.left-prev').length,
                next: document.querySelectorAll('.prev-next-area a.right-next').length,
            })"""
        )
        stem = Path(page).stem
        assert info["colab"] and all(h.endswith(f"/notebooks/{stem}.ipynb") for h in info["colab"]), info
        assert any(h.endswith(f"_sources/notebooks/{stem}.ipynb") for h in info["download"]), info
        assert info["repo"] >= 1 and info["copy"] >= 1, info
        assert info["prev"] + info["next"] >= 1, info
    finally:
        visit.close()


@pytest.mark.parametrize(("query", "lesson"), SEARCHES.items())
def test_chinese_search_finds_the_lesson(base_url, browser, query, lesson):
    visit = PageVisit(browser, base_url + "search.html?q=" + quote(query))
    try:
        visit.page.wait_for_function(
            "() => document.querySelector('#search-results .search-summary')?.innerText.length > 0",
            timeout=15000,
        )
        results = visit.page.evaluate(
            "() => [...document.querySelectorAll('#search-results ul.search > li a')].map(a => a.getAttribute('href'))"
        )
        top = results[:3]
        assert any(f"{lesson}.html" in r for r in top), f"搜索“{query}”的前三个结果里没有 {lesson}：{results[:5]}"
        assert visit.errors == [] and visit.external == []
    finally:
        visit.close()


def _contrast(fg: list[float], bg: list[float]) -> float:
    def lum(rgb):
        def channel(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_text_is_readable_in_light_and_dark_mode(base_url, browser, mode):
    visit = PageVisit(browser, base_url + LESSON_PAGES[1], color_scheme=mode)
    try:
        colors = visit.page.evaluate(
            """() => {
                const parse = s => s.match(/[\\d.]+/g).map(Number);
                const p = document.querySelector('article p');
                return {
                    theme: document.documentElement.dataset.theme,
                    fg: parse(getComputedStyle(p).color),
                    bg: parse(getComputedStyle(document.body).backgroundColor),
                };
            }"""
        )
        assert colors["theme"] == mode
        assert _contrast(colors["fg"], colors["bg"]) >= 4.5, colors
    finally:
        visit.close()


@pytest.mark.parametrize(("name", "viewport"), [("desktop", (1280, 800)), ("phone", (390, 844))])
def test_lesson_page_screenshots_and_phone_layout(base_url, browser, name, viewport):
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page = LESSON_PAGES[4] if len(LESSON_PAGES) > 4 else LESSON_PAGES[-1]
    visit = PageVisit(browser, base_url + page, viewport=viewport)
    try:
        width = visit.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport[0] + 1, f"{name} 视口下页面横向溢出：内容宽 {width}px"
        target = out / f"{Path(page).stem}-{name}.png"
        visit.page.screenshot(path=str(target), full_page=False)
        assert target.stat().st_size > 10_000
    finally:
        visit.close()


def test_lesson_images_load_when_the_reader_scrolls_to_them(site, base_url, browser):
    """图片最多的一课：打开时页面下方的图片还没有下载；逐个滚动到每张图，它们都加载出来、尺寸与文件相同。"""
    page = max(LESSON_PAGES, key=lambda p: (site / p).read_text(encoding="utf-8").count('loading="lazy"'))
    visit = PageVisit(browser, base_url + page, viewport=(390, 844), eager_images=False)
    try:
        images = visit.page.locator('img[loading="lazy"]')
        count = images.count()
        assert count >= 3, f"{page} 上只有 {count} 张延迟加载的图片"
        loaded_at_start = visit.page.evaluate(
            "() => [...document.querySelectorAll('img[loading=\"lazy\"]')].filter(i => i.complete).length"
        )
        assert loaded_at_start < count, "打开页面时全部图片都已下载：延迟加载没有起作用"
        for i in range(count):
            image = images.nth(i)
            image.scroll_into_view_if_needed()
            image.evaluate("img => img.decode()")  # 下载并解码完成后兑现；加载失败时报错
            natural = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
            declared = [int(image.get_attribute("width")), int(image.get_attribute("height"))]
            assert natural == declared, f"第 {i + 1} 张图：文件尺寸 {natural}，页面写的是 {declared}"
    finally:
        visit.close()


def test_scrollable_code_gets_a_tab_stop_when_it_comes_into_view(base_url, browser):
    """手机宽度下，代码块与输出区域内容比框宽（可滚动）时能用 Tab 键到达，不可滚动时不多占一个停靠点。

    屏幕外的单元格先不排版，这个判断在单元格快要进入视口时才做（book/_ext/course-tabstops.js），
    在那之前区域先设为可到达。
    """
    visit = PageVisit(browser, base_url + LESSON_PAGES[-1], viewport=(390, 844))
    try:
        regions = visit.page.locator(".bd-article div.cell pre, .bd-article div.cell .cell_output > .output")
        count = regions.count()
        assert count >= 20, f"只找到 {count} 个代码块与输出"
        last = regions.nth(count - 1)
        assert last.evaluate("el => el.tabIndex") == 0, "页面底部还没判断过的区域应先可以用 Tab 键到达"
        scrollable = fixed = 0
        for i in range(0, count, max(1, count // 25)):
            region = regions.nth(i)
            region.scroll_into_view_if_needed()
            expected = region.evaluate("el => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight ? 0 : -1")
            visit.page.wait_for_function("([el, want]) => el.tabIndex === want", arg=[region.element_handle(), expected])
            scrollable += expected == 0
            fixed += expected == -1
        assert scrollable and fixed, f"抽查的区域里可滚动 {scrollable} 个、不可滚动 {fixed} 个：两种都要有，检查才有意义"
    finally:
        visit.close()


@pytest.mark.parametrize("query", ["偏导数", "学习率", "激活函数"])
def test_search_summaries_show_readable_math(base_url, browser, query):
    """搜索结果的摘要里不出现 TeX 源码（\\(、\\frac……），公式换成了易读的文字。"""
    visit = PageVisit(browser, base_url + "search.html?q=" + quote(query))
    try:
        visit.page.wait_for_function(
            "() => document.querySelector('#search-results .search-summary')?.innerText.length > 0"
        )
        # 摘要是逐条异步取来的：等到每条结果都有了摘要
        visit.page.wait_for_function(
            """() => [...document.querySelectorAll('#search-results ul.search > li')]
                       .every(li => li.querySelector('p.context'))"""
        )
        summaries = visit.page.evaluate(
            "() => [...document.querySelectorAll('#search-results ul.search > li p.context')].map(p => p.innerText)"
        )
        assert summaries, f"搜索“{query}”没有摘要"
        raw = [s for s in summaries if any(tex in s for tex in ("\\(", "\\[", "\\frac", "\\partial", "$$"))]
        assert raw == [], f"搜索“{query}”的摘要里有 TeX 源码：{raw[:2]}"
        assert any(ch in "".join(summaries) for ch in "∂α²ηθσ→←·"), f"摘要中的公式没有换成易读的符号：{summaries[:2]}"
        assert visit.errors == [] and visit.external == []
    finally:
        visit.close()


def test_site_has_a_favicon_and_one_search_box(base_url, browser):
    visit = PageVisit(browser, base_url + LESSON_PAGES[1])
    try:
        info = visit.page.evaluate(
            """async () => {
                const icon = document.querySelector('link[rel="icon"]');
                const ok = icon ? (await fetch(icon.href)).ok : false;
                const visible = el => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden';
                return {
                    icon: icon && icon.getAttribute('href'), ok,
                    searchFields: [...document.querySelectorAll('.search-button-field')].filter(visible).length,
                };
            }"""
        )
        assert info["icon"] and info["ok"], f"页面没有可用的网站图标：{info}"
        assert info["searchFields"] == 1, f"桌面宽度下应只有一个搜索框，现在有 {info['searchFields']} 个"
    finally:
        visit.close()


#: axe-core 规则中默认不运行、但本站也要遵守的：按钮上看得见的文字必须包含在它的无障碍名称里
AXE_OPTIONS = {"rules": {"label-content-name-mismatch": {"enabled": True}}}


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_page_has_no_serious_accessibility_violations(site, base_url, browser, mode):
    """axe-core（随 axe-playwright-python 安装，离线注入页面）在每个页面上找不到严重或致命的无障碍问题。"""
    # axe-playwright-python 在 requirements-dev.txt 中；缺少时这里报错，测试失败而不是跳过
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for page in site_pages(site):
        visit = PageVisit(browser, base_url + page, color_scheme=mode)
        try:
            # 屏幕外的单元格先不排版（content-visibility: auto）：axe 逐个滚动到元素处检查颜色时，上方的单元格
            # 刚排好版、高度改变，元素的位置在测量与取背景色之间移动，axe 会取到旁边单元格的背景。
            # 检查的是读者滚动到那里时看到的页面，所以先让全部内容排好版。
            visit.page.add_style_tag(content="* { content-visibility: visible !important; }")
            results = axe.run(visit.page, options=AXE_OPTIONS).response
            for violation in results["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    where = violation["nodes"][0]["html"][:120]
                    problems.append(f"{page}：{violation['id']}（{violation['impact']}，{len(violation['nodes'])} 处），如 {where}")
        finally:
            visit.close()
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------- 缺少工具时：本机跳过，CI 中失败


def test_missing_playwright_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "playwright_api", None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="playwright"):
        require_playwright()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="playwright"):
        require_playwright()


def test_module_still_imports_without_playwright(monkeypatch):
    """模块级的 importorskip 会让整个文件悄悄跳过：没有 playwright 时模块必须照常导入。"""
    import importlib.util

    monkeypatch.setitem(sys.modules, "playwright", None)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    spec = importlib.util.spec_from_file_location("browser_tests_without_playwright", __file__)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except pytest.skip.Exception as err:
        pytest.fail(f"没有 playwright 时整个模块被跳过了（{err}）：CI 中这些测试必须失败，而不是跳过。")
    assert module.playwright_api is None


def test_missing_chromium_skips_locally_and_fails_in_ci(monkeypatch, tmp_path):
    class FakeApi:
        """没有任何 Chromium 的 playwright：它下载的浏览器文件不存在。"""

        class _Playwright:
            class chromium:  # noqa: N801 - 模仿 playwright 的属性名
                executable_path = str(tmp_path / "no-such-chrome")

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

        def sync_playwright(self):
            return self._Playwright()

    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Chromium"):
        chromium_path(FakeApi())
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="Chromium"):
        chromium_path(FakeApi())
    monkeypatch.setenv("CHROMIUM", "/opt/chromium")
    assert chromium_path(FakeApi()) == "/opt/chromium"


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_self_check_questions_work_on_the_lesson_page(base_url, browser, page):
    """网站上的自测题（网络被拦截、没有内核）：题目都在，选错给出那个选项的解析，选对给出确认，填空在容差内算对。"""
    from lessons import quiz

    data = quiz.load(Path(page).stem)["questions"]
    visit = PageVisit(browser, base_url + page)
    try:
        boxes = visit.page.locator(".lq-question")
        assert boxes.count() == len(data), f"{page} 应有 {len(data)} 道自测题，页面上有 {boxes.count()} 道"
        assert visit.page.locator(".lq-check:visible").count() == len(data), "脚本没有运行：看不到“检查答案”按钮"
        for index, question in enumerate(data):
            box = boxes.nth(index)
            feedback = box.locator(".lq-feedback")
            if question["type"] == "number":
                box.locator(".lq-input").fill(quiz.format_number(question["answer"]))
                box.locator(".lq-check").click()
                assert feedback.get_attribute("data-state") == "right", f"{page} 第 {index + 1} 题：正确的数没有被接受"
                continue
            if question["type"] != "single":
                continue
            wrong = next(j for j, option in enumerate(question["options"]) if not option["correct"])
            box.locator(".lq-option").nth(wrong).click()
            text = re.sub(r"\s+", "", feedback.inner_text()).replace("`", "")
            assert feedback.get_attribute("data-state") == "wrong", f"{page} 第 {index + 1} 题：选错没有提示"
            assert re.sub(r"\s+", "", question["options"][wrong]["explanation"]).replace("`", "") in text
            right = next(j for j, option in enumerate(question["options"]) if option["correct"])
            box.locator(".lq-option").nth(right).click()
            assert feedback.get_attribute("data-state") == "right", f"{page} 第 {index + 1} 题：选对没有确认"
        assert visit.errors == [] and visit.external == []
    finally:
        visit.close()
