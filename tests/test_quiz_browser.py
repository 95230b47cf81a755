"""自测题在真实的 Chromium 中（发往其他主机的请求一律拦截）：作答、解析、键盘操作、无障碍、深色模式和打印。

每一课的自测题由 ``lessons.quiz.standalone_html`` 写成一个独立的网页，放在临时目录里，由本机的
HTTP 服务器提供。网站上的课程页面加入自测题单元格之后，tests/test_browser.py 对每个页面的
离线、控制台错误和 axe-core 检查也会覆盖它们。
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse

import nbformat
import pytest
import requests
from conftest import course_toc
from site_browser import serve
from test_browser import (
    AXE_OPTIONS,
    LOCAL_HOSTS,
    PageVisit,
    _contrast,
)

from lessons import quiz

pytestmark = pytest.mark.browser

LESSONS = course_toc.lesson_names()
#: 同一页上放两段相同的自测题
TWICE = "02_operator_overloading"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("quiz-pages")
    for lesson in LESSONS:
        (root / f"{lesson}.html").write_text(quiz.standalone_html(lesson), encoding="utf-8")
    twice = quiz.standalone_html(TWICE).replace("</main>", quiz.render(TWICE).to_html() + "</main>")
    (root / "twice.html").write_text(twice, encoding="utf-8")
    with serve(root) as base:
        yield base


def visit(browser, base_url: str, page: str, mode: str = "light") -> PageVisit:
    opened = PageVisit(browser, base_url + page, color_scheme=mode)
    opened.page.wait_for_selector(".lessons-quiz[data-ready]")
    return opened


def squash(text: str) -> str:
    """比较文字时不看空白，也不看代码的反引号。"""
    return re.sub(r"\s+", "", text.replace("`", ""))


def feedback(page, index: int) -> tuple[str, str]:
    node = page.locator(".lq-question").nth(index).locator(".lq-feedback")
    return node.get_attribute("data-state") or "", squash(node.inner_text())


def first_question(lesson: str, kind: str) -> tuple[int, dict]:
    for index, question in enumerate(quiz.load(lesson)["questions"]):
        if question["type"] == kind:
            return index, question
    raise AssertionError(f"{lesson} 没有 {kind} 题")


def answer(page, index: int, question: dict, correct: bool) -> None:
    """用鼠标回答第 index 题（从 0 数起）：选对或选错。"""
    box = page.locator(".lq-question").nth(index)
    if question["type"] == "number":
        value = question["answer"] if correct else question["answer"] + 10 * question.get("tolerance", 0) + 1
        box.locator(".lq-input").fill(quiz.format_number(value))
    else:
        for j, option in enumerate(question["options"]):
            if option["correct"] == correct:
                box.locator(".lq-option").nth(j).click()
                if question["type"] == "single":
                    return
    box.locator(".lq-check").click()


# ---------------------------------------------------------------- 显示、离线、作答


@pytest.mark.parametrize("lesson", LESSONS)
def test_quiz_renders_offline_without_errors(browser, base_url, lesson):
    opened = visit(browser, base_url, f"{lesson}.html")
    try:
        page = opened.page
        count = len(quiz.load(lesson)["questions"])
        assert page.locator(".lq-question").count() == count
        assert page.locator(".lq-question > legend:visible").count() == count
        assert page.locator(".lq-check:visible").count() == count, "脚本运行后应显示“检查答案”按钮"
        assert page.locator(".lq-nojs").count() == 0, "脚本运行后应去掉“需要运行脚本”的说明"
        for index, question in enumerate(quiz.load(lesson)["questions"]):
            answer(page, index, question, correct=index % 2 == 0)
        assert opened.external == [] and opened.failed == [], f"请求了其他主机：{opened.external[:3]}"
        assert opened.errors == [], f"控制台错误：{opened.errors[:3]}"
    finally:
        opened.close()


def test_wrong_option_shows_its_own_explanation_and_right_one_confirms(browser, base_url):
    index, question = first_question("01_tensor", "single")
    opened = visit(browser, base_url, "01_tensor.html")
    try:
        page = opened.page
        options = page.locator(".lq-question").nth(index).locator(".lq-option")
        assert feedback(page, index) == ("", "")
        for j, option in enumerate(question["options"]):
            if option["correct"]:
                continue
            options.nth(j).click()
            state, text = feedback(page, index)
            assert state == "wrong" and text.startswith(f"✗不对（{quiz.LETTERS[j]}）"), text
            assert squash(option["explanation"]) in text, f"选错 {quiz.LETTERS[j]} 时没有显示它自己的解析：{text}"
            assert options.nth(j).get_attribute("data-state") == "wrong"
        right = next(j for j, option in enumerate(question["options"]) if option["correct"])
        options.nth(right).click()
        state, text = feedback(page, index)
        assert state == "right" and text.startswith("✓正确。"), text
        assert squash(question["options"][right]["explanation"]) in text
        assert [options.nth(j).get_attribute("data-state") for j in range(options.count())].count("wrong") == 0
        assert opened.errors == []
    finally:
        opened.close()


def test_multiple_choice_needs_every_right_option_and_no_wrong_one(browser, base_url):
    index, question = first_question("01_tensor", "multiple")
    right = [j for j, o in enumerate(question["options"]) if o["correct"]]
    wrong = [j for j, o in enumerate(question["options"]) if not o["correct"]]
    opened = visit(browser, base_url, "01_tensor.html")
    try:
        box = opened.page.locator(".lq-question").nth(index)
        box.locator(".lq-check").click()
        assert feedback(opened.page, index)[0] == "info"
        for j in right:
            box.locator(".lq-option").nth(j).click()
        box.locator(".lq-check").click()
        assert feedback(opened.page, index)[0] == "right"
        assert feedback(opened.page, index)[1].startswith("✓全部正确。")
        box.locator(".lq-option").nth(wrong[0]).click()
        box.locator(".lq-option").nth(right[0]).click()  # 取消一个正确选项
        box.locator(".lq-check").click()
        state, text = feedback(opened.page, index)
        assert state == "wrong" and "还有1个正确的选项没有选" in text, text
        assert squash(question["options"][wrong[0]]["explanation"]) in text
    finally:
        opened.close()


def test_number_within_tolerance_is_accepted_and_known_mistakes_are_explained(browser, base_url):
    index, question = first_question("05_gradient_descent", "number")
    assert question["answer"] == 0.6 and question["tolerance"] == 1e-6
    opened = visit(browser, base_url, "05_gradient_descent.html")
    try:
        box = opened.page.locator(".lq-question").nth(index)
        field = box.locator(".lq-input")

        def check(text: str) -> tuple[str, str]:
            field.fill(text)
            box.locator(".lq-check").click()
            return feedback(opened.page, index)

        for close_enough in ("0.6", "0.6000008", "0.5999992", "3/5", "０．６", " 0.60 "):
            state, text = check(close_enough)
            assert state == "right" and squash(question["explanation"]) in text, f"{close_enough!r}：{text}"
        state, text = check("0.600002")  # 超出误差
        assert state == "wrong" and squash(question["hint"]) in text
        for mistake in question["mistakes"]:
            written = quiz.format_number(mistake["value"]).replace("-", "−")  # 数学的减号也认得
            state, text = check(written)
            assert state == "wrong" and squash(mistake["explanation"]) in text, f"{written}：{text}"
        for not_a_number in ("", "abc", "1/0"):
            assert check(not_a_number)[0] == "info"
        assert opened.errors == []
    finally:
        opened.close()


def test_two_copies_of_a_quiz_on_one_page_do_not_interfere(browser, base_url):
    index, question = first_question(TWICE, "single")
    count = len(quiz.load(TWICE)["questions"])
    opened = visit(browser, base_url, "twice.html")
    try:
        page = opened.page
        assert page.locator(".lessons-quiz[data-ready]").count() == 2
        first = page.locator(".lq-question").nth(index).locator(".lq-option input")
        second = page.locator(".lq-question").nth(count + index).locator(".lq-option input")
        page.locator(".lq-question").nth(index).locator(".lq-option").nth(0).click()
        page.locator(".lq-question").nth(count + index).locator(".lq-option").nth(1).click()
        assert first.nth(0).is_checked() and second.nth(1).is_checked(), "两段自测题的单选按钮串成了一组"
        assert feedback(page, index)[1] != feedback(page, count + index)[1]
    finally:
        opened.close()


# ---------------------------------------------------------------- 键盘


def focused(page) -> str:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.closest('.lq-question');
            const index = [...document.querySelectorAll('.lq-question')].indexOf(box);
            return `${index}:${el.tagName.toLowerCase()}:${el.type || ''}:${el.value || el.textContent.trim()}`;
        }"""
    )


def test_quiz_can_be_answered_with_the_keyboard_alone(browser, base_url):
    data = quiz.load("01_tensor")["questions"]
    assert data[0]["type"] == "single" and data[0]["options"][0]["correct"]
    assert data[1]["type"] == "multiple"
    opened = visit(browser, base_url, "01_tensor.html")
    try:
        page, keys = opened.page, opened.page.keyboard
        keys.press("Tab")
        assert focused(page) == "0:input:radio:0", focused(page)
        keys.press("ArrowDown")  # 方向键选中 B（错误选项），立即显示它的解析
        state, text = feedback(page, 0)
        assert state == "wrong" and squash(data[0]["options"][1]["explanation"]) in text
        keys.press("ArrowUp")  # 回到 A（正确选项）
        assert feedback(page, 0)[0] == "right"
        keys.press("Tab")
        assert focused(page) == "0:button:button:检查答案"
        keys.press("Tab")
        assert focused(page) == "0:summary::答案与解析"
        keys.press("Enter")  # 展开答案与解析
        assert page.locator(".lq-answer").nth(0).evaluate("d => d.open")
        keys.press("Tab")
        assert focused(page) == "1:input:checkbox:0"
        for j, option in enumerate(data[1]["options"]):
            if j:
                keys.press("Tab")
            if option["correct"]:
                keys.press("Space")
        keys.press("Tab")
        assert focused(page) == "1:button:button:检查答案"
        keys.press("Enter")
        assert feedback(page, 1)[0] == "right"
    finally:
        opened.close()

    index, question = first_question("05_gradient_descent", "number")
    opened = visit(browser, base_url, "05_gradient_descent.html")
    try:
        page = opened.page
        for _ in range(10):
            page.keyboard.press("Tab")
            if focused(page).startswith(f"{index}:input:text"):
                break
        assert focused(page).startswith(f"{index}:input:text"), focused(page)
        page.keyboard.type(quiz.format_number(question["answer"]))
        page.keyboard.press("Enter")  # 在输入框里按回车就检查
        assert feedback(page, index)[0] == "right"
    finally:
        opened.close()


# ---------------------------------------------------------------- 无障碍、浅色与深色、打印


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_axe_finds_no_serious_violations_before_and_after_answering(browser, base_url, lesson, mode):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    questions = quiz.load(lesson)["questions"]
    opened = visit(browser, base_url, f"{lesson}.html", mode)
    try:
        problems = []
        for stage in ("作答前", "作答后"):
            if stage == "作答后":  # 第一题答错、第二题答对：两种颜色的提示都出现
                answer(opened.page, 0, questions[0], correct=False)
                answer(opened.page, 1, questions[1], correct=True)
            results = axe.run(opened.page, options=AXE_OPTIONS).response
            problems += [
                f"{stage}：{v['id']}（{v['impact']}），如 {v['nodes'][0]['html'][:120]}"
                for v in results["violations"]
                if v["impact"] in ("serious", "critical")
            ]
        assert problems == [], "\n".join(problems)
    finally:
        opened.close()


CONTRAST = """(selector) => {
    const parse = s => s.match(/[\\d.]+/g).map(Number);
    // 一直没有背景色时，看到的是画布（Canvas）的颜色：浅色模式是白色，深色模式是深灰
    const probe = document.createElement('div');
    probe.style.backgroundColor = 'Canvas';
    document.body.appendChild(probe);
    const canvas = parse(getComputedStyle(probe).backgroundColor);
    probe.remove();
    const background = el => {
        for (; el; el = el.parentElement) {
            const c = parse(getComputedStyle(el).backgroundColor);
            if (c.length < 4 || c[3] > 0) return c;
        }
        return canvas;
    };
    return {
        canvas,
        samples: [...document.querySelectorAll(selector)].map(el => ({
            fg: parse(getComputedStyle(el).color), bg: background(el), text: el.innerText.slice(0, 30),
        })),
    };
}"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_text_and_feedback_are_legible_in_light_and_dark_mode(browser, base_url, mode):
    questions = quiz.load("03_autograd")["questions"]
    opened = visit(browser, base_url, "03_autograd.html", mode)
    try:
        page = opened.page
        answer(page, 0, questions[0], correct=False)
        answer(page, 1, questions[1], correct=True)
        answer(page, 2, questions[2], correct=False)
        selectors = ".lq-question legend, .lq-option, .lq-feedback:not(:empty), .lq-check, .lq-answer summary"
        found = page.evaluate(CONTRAST, selectors)
        samples = found["samples"]
        assert (sum(found["canvas"][:3]) < 3 * 128) == (mode == "dark"), f"{mode} 模式下页面背景是 {found['canvas']}"
        assert len(samples) > 20
        weak = [s for s in samples if _contrast(s["fg"], s["bg"]) < 4.5]
        assert weak == [], f"{mode} 模式下对比度不足 4.5：{weak[:3]}"
        states = page.evaluate("() => [...document.querySelectorAll('.lq-feedback')].map(f => f.dataset.state)")
        assert states[:3] == ["wrong", "right", "wrong"]
    finally:
        opened.close()


def test_print_hides_the_controls_and_shows_every_answer(browser, base_url):
    lesson = "04_linear_regression"
    count = len(quiz.load(lesson)["questions"])
    opened = visit(browser, base_url, f"{lesson}.html")
    try:
        page = opened.page
        visible_answers = "() => [...document.querySelectorAll('.lq-solution')].filter(p => p.checkVisibility()).length"
        assert page.evaluate(visible_answers) == 0, "答案与解析默认应收起"
        page.emulate_media(media="print")
        assert page.evaluate(visible_answers) == count, "打印时应展开每一题的答案与解析"
        assert page.locator(".lq-check:visible, .lq-input:visible, .lq-option input:visible").count() == 0
        page.emulate_media(media="screen")
        # 打印前后的事件：脚本展开全部答案，打印完恢复
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        assert page.evaluate("() => [...document.querySelectorAll('details.lq-answer')].every(d => d.open)")
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        assert page.evaluate("() => [...document.querySelectorAll('details.lq-answer')].every(d => !d.open)")
        pdf = page.pdf(format="A4")
        assert len(pdf) > 10_000
    finally:
        opened.close()


# ---------------------------------------------------------------- 在真实的 JupyterLab 4 中运行自测题单元格


@pytest.fixture(scope="module")
def lab_notebook(tmp_path_factory):
    """在临时目录中启动 JupyterLab，里面只有一个笔记本：一课的自测题单元格（两行）。"""
    root = tmp_path_factory.mktemp("quiz-lab")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(f'from lessons import quiz\nquiz.show("{LAB_LESSON}")')]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, root / "quiz.ipynb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path_factory.mktemp("quiz-lab-runtime"))}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/api/status", headers={"Authorization": f"token {token}"}, timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"JupyterLab 没有启动：{proc.stderr.read()[-2000:]}")
        time.sleep(0.5)
    yield f"{base}/lab/tree/quiz.ipynb?token={token}"
    proc.terminate()
    proc.wait(timeout=20)


LAB_LESSON = "03_autograd"


def _local(url: str) -> bool:
    return url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL_HOSTS


@pytest.mark.slow
def test_running_the_quiz_cell_in_jupyterlab_gives_the_same_behaviour(browser, lab_notebook):
    questions = quiz.load(LAB_LESSON)["questions"]
    # 不用 PageVisit：JupyterLab 的页面会陆续加载扩展，等不到它的“就绪”条件；拦截外部请求的做法相同
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route("**/*", lambda route: route.continue_() if _local(route.request.url) else route.abort())
    try:
        page.goto(lab_notebook)
        # 等内核就绪（状态栏显示 Idle 或“空闲”），再运行单元格
        page.wait_for_function(
            "() => /\\| *(Idle|空闲)/.test(document.querySelector('#jp-main-statusbar')?.innerText || '')"
        )
        page.locator(".jp-Notebook .jp-Cell .cm-content").first.click()
        page.keyboard.press("Shift+Enter")
        page.wait_for_selector(".jp-OutputArea .lessons-quiz[data-ready]")
        boxes = page.locator(".jp-OutputArea .lq-question")
        assert boxes.count() == len(questions)
        index, question = first_question(LAB_LESSON, "single")
        wrong = next(j for j, o in enumerate(question["options"]) if not o["correct"])
        right = next(j for j, o in enumerate(question["options"]) if o["correct"])
        boxes.nth(index).locator(".lq-option").nth(wrong).click()
        state, text = feedback(page, index)
        assert state == "wrong" and squash(question["options"][wrong]["explanation"]) in text, text
        boxes.nth(index).locator(".lq-option").nth(right).click()
        assert feedback(page, index)[0] == "right"
        index, question = first_question(LAB_LESSON, "number")
        boxes.nth(index).locator(".lq-input").fill(quiz.format_number(question["answer"]))
        boxes.nth(index).locator(".lq-input").press("Enter")
        assert feedback(page, index)[0] == "right"
        assert errors == [], f"JupyterLab 页面上的脚本错误：{errors[:3]}"
    finally:
        context.close()
