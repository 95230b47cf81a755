"""自测题（lessons.quiz）：数据格式、每个错误选项的解析、算得出来的答案、确定且离线的 HTML。

浏览器中的作答行为（选错显示解析、填空的误差、键盘操作、axe-core）见 tests/test_quiz_browser.py。
"""

from __future__ import annotations

import copy
import io
import json
import math
import re
import sys
import warnings
from contextlib import redirect_stdout
from fnmatch import fnmatch
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from conftest import NOTEBOOKS, ROOT, course_toc
from torch import nn, optim

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10：用 pip 自带的 tomli
    from pip._vendor import tomli as tomllib

import lessons
from lessons import quiz

LESSONS = course_toc.lesson_names()
QUIZ_DIR = ROOT / "src" / "lessons" / "quizzes"


def questions(lesson: str) -> list[dict]:
    return quiz.load(lesson)["questions"]


# ---------------------------------------------------------------- 每一课都有题，数据合格


def test_every_lesson_in_the_toc_has_a_quiz_and_no_other_quiz_exists():
    assert quiz.available() == sorted(LESSONS), (
        f"_toc.yml 中的课与 src/lessons/quizzes/ 中的题目文件不一致：课 {LESSONS}，题目 {quiz.available()}"
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_quiz_data_is_valid(lesson):
    data = quiz.load(lesson)  # 不合格时抛出 ValueError，说明是哪一题
    assert quiz.MIN_QUESTIONS <= len(data["questions"]) <= quiz.MAX_QUESTIONS
    kinds = {q["type"] for q in data["questions"]}
    assert len(kinds) >= 2, f"{lesson} 的自测题只有一种题型 {kinds}：请混合单选、多选和填空"


def test_the_course_uses_all_three_kinds_of_question():
    kinds = {q["type"] for lesson in LESSONS for q in questions(lesson)}
    assert kinds == set(quiz.KINDS)


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_wrong_answer_has_its_own_explanation(lesson):
    for number, question in enumerate(questions(lesson), start=1):
        if question["type"] == "number":
            texts = [m["explanation"] for m in question.get("mistakes", [])] + [question["hint"], question["explanation"]]
        else:
            texts = [option["explanation"] for option in question["options"]]
        assert all(text.strip() for text in texts), f"{lesson} 第 {number} 题有空的解析"
        assert len(set(texts)) == len(texts), f"{lesson} 第 {number} 题有两个选项用了同一段解析：每个选项要说明自己错在哪里"
        for text in texts:
            assert text.strip() not in {"错误", "错误。", "不对", "不对。"}, f"{lesson} 第 {number} 题的解析只说了“错误”"


@pytest.mark.parametrize("lesson", LESSONS)
def test_texts_use_chinese_punctuation_and_no_math_delimiters(lesson):
    data = quiz.load(lesson)
    texts = [data["title"]]
    for question in data["questions"]:
        texts += [question["question"], question.get("explanation", ""), question.get("hint", "")]
        texts += [m["explanation"] for m in question.get("mistakes", [])]
        texts += [o["explanation"] for o in question.get("options", [])]
    for text in filter(None, texts):
        prose = re.sub(r"`[^`]*`", "", text)  # 代码里的半角标点是对的
        assert "$" not in prose and "\\(" not in prose, f"{lesson}：题目里不要用 $…$ 公式（Colab 不排版）：{text}"
        assert not re.search(r"[\u4e00-\u9fff][,;:?!]|[,;:?!][\u4e00-\u9fff]", prose), f"{lesson}：中文句子里用了半角标点：{text}"
        assert "`" not in prose, f"{lesson}：反引号没有成对：{text}"


# ---------------------------------------------------------------- 算得出来的答案由 PyTorch 核对


def raises(fn, error: type[BaseException] | tuple = Exception) -> bool:
    """``fn()`` 是否抛出 ``error``（其他异常照常抛出，说明题目的核对代码写错了）。"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn()
        except error:
            return True
    return False


def warns(fn, category: type[Warning] = Warning) -> bool:
    """``fn()`` 是否发出 ``category`` 类的警告。"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return any(issubclass(w.category, category) for w in caught)


def shares(a: torch.Tensor, b: torch.Tensor) -> bool:
    """两个张量是否使用同一块存储（与第 01 课的 shares_storage 相同）。"""
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


def namespace(question: dict) -> dict:
    """执行题目的 setup（没有时执行 code），返回核对表达式所用的名字空间。"""
    names = {
        "torch": torch, "nn": nn, "F": F, "optim": optim, "math": math, "lessons": lessons,
        "warnings": warnings, "raises": raises, "warns": warns, "shares": shares,
    }
    source = question.get("setup", question.get("code"))
    torch.manual_seed(0)
    threads = torch.get_num_threads()
    try:
        if source:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(source, "<题目的 setup>", "exec"), names)  # noqa: S102 - 题目数据随包发布，由我们自己编写
    finally:
        torch.set_num_threads(threads)
    return names


def evaluate(expression: str, names: dict):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return eval(compile(expression, "<题目的 verify>", "eval"), names)  # noqa: S307 - 同上


def verified_items(lesson: str):
    """(题号, 题目) 中带有 verify 的那些。"""
    for number, question in enumerate(questions(lesson), start=1):
        has_verify = "verify" in question or any("verify" in o for o in question.get("options", []))
        if has_verify:
            yield number, question


@pytest.mark.parametrize("lesson", LESSONS)
def test_computed_answers_match_pytorch(lesson):
    for number, question in verified_items(lesson):
        names = namespace(question)
        where = f"{lesson} 第 {number} 题"
        if question["type"] == "number":
            value = float(evaluate(question["verify"], names))
            tolerance = question.get("tolerance", 0) + 1e-9 * max(1.0, abs(question["answer"]))
            assert abs(value - question["answer"]) <= tolerance, f"{where}：PyTorch 算出 {value}，题目的答案是 {question['answer']}"
            for mistake in question.get("mistakes", []):
                assert abs(value - mistake["value"]) > question.get("tolerance", 0), f"{where}：错误答案 {mistake['value']} 与算出的值相同"
            continue
        for j, option in enumerate(question["options"]):
            if "verify" in option:
                result = evaluate(option["verify"], names)
                assert isinstance(result, bool), f"{where} 选项 {quiz.LETTERS[j]}：verify 应得到 True 或 False，得到的是 {result!r}"
                assert result == option["correct"], (
                    f"{where} 选项 {quiz.LETTERS[j]}（{option['text']}）：PyTorch 核对的结果是 {result}，"
                    f"题目中标的是 {'正确' if option['correct'] else '错误'}"
                )


def test_number_questions_of_the_torch_lessons_are_all_computed():
    """第 01 课起，填空题的答案都是算出来的数：每一道都要有 verify。"""
    missing = [
        f"{lesson} 第 {number} 题"
        for lesson in LESSONS[1:]
        for number, question in enumerate(questions(lesson), start=1)
        if question["type"] == "number" and "verify" not in question
    ]
    assert missing == []


def test_a_good_share_of_answers_is_checked_by_pytorch():
    checks = 0
    for lesson in LESSONS:
        for _, question in verified_items(lesson):
            checks += 1 if question["type"] == "number" else sum("verify" in o for o in question["options"])
    assert checks >= 60, f"只有 {checks} 个答案由 PyTorch 核对"


def test_verify_helpers_tell_errors_and_warnings_apart():
    assert raises(lambda: torch.ones(2, 3) @ torch.ones(2, 3), RuntimeError)
    assert not raises(lambda: torch.ones(2) + 1)
    with pytest.raises(ZeroDivisionError):  # 意料之外的异常不能被当作“报错了”
        raises(lambda: 1 / 0, RuntimeError)
    assert warns(lambda: nn.MSELoss()(torch.zeros(5, 1), torch.zeros(5)), UserWarning)
    base = torch.arange(6.0)
    assert shares(base[2:], base) and not shares(base.clone(), base)


def test_a_wrong_stored_answer_is_caught(monkeypatch):
    """核对真的在比较：把一个正确选项标成错误，测试就失败。"""
    data = copy.deepcopy(quiz.load("01_tensor"))
    data["questions"][0]["options"][0]["correct"] = False
    data["questions"][0]["options"][1]["correct"] = True
    monkeypatch.setattr(quiz, "load", lambda lesson: data)
    with pytest.raises(AssertionError, match="PyTorch 核对的结果"):
        test_computed_answers_match_pytorch("01_tensor")


# ---------------------------------------------------------------- 数据格式的检查会拒绝什么


def _broken(change) -> dict:
    data = copy.deepcopy(quiz.load("03_autograd"))
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"].pop() and d["questions"].pop() and d["questions"].pop() and d["questions"].pop(), "3 到 6"),
        (lambda d: d["questions"][1].update(type="choice"), "第 2 题：type"),
        (lambda d: d["questions"][2]["options"][1].update(explanation=""), "第 3 题 选项 B：explanation"),
        (lambda d: d["questions"][2]["options"][1].pop("explanation"), "第 3 题 选项 B：explanation"),
        (lambda d: d["questions"][2]["options"][1].update(correct=True), "恰好有 1 个正确选项"),
        (lambda d: [o.update(correct=True) for o in d["questions"][1]["options"]], "至少要有 1 个正确选项和 1 个错误选项"),
        (lambda d: d["questions"][0].update(answer="16"), "第 1 题：answer 必须是有限的数"),
        (lambda d: d["questions"][0].update(tolerance=-1), "tolerance 不能是负数"),
        (lambda d: d["questions"][0]["mistakes"][0].update(value=16), "会被判为正确"),
        (lambda d: d["questions"][0].pop("hint"), "第 1 题：hint"),
        (lambda d: d["questions"][3].update(question="求 $w$ 的梯度"), "公式"),
        (lambda d: d["questions"][3].update(explaination="拼错的键"), "不认识的键"),
        (lambda d: d.update(lesson="04_linear_regression"), "lesson 应是 '03_autograd'"),
    ],
)
def test_validate_names_the_question_and_the_problem(change, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        quiz.validate(_broken(change), "03_autograd")


@pytest.mark.parametrize(("bad", "error"), [(1, TypeError), (None, TypeError), ("1_tensor", ValueError), ("01_tensor.ipynb", ValueError)])
def test_show_rejects_an_unknown_lesson_in_chinese(bad, error):
    with pytest.raises(error, match="01_tensor") as info:
        quiz.show(bad)
    assert "lesson" in str(info.value)


# ---------------------------------------------------------------- HTML：确定、离线、中文界面、可以访问


@pytest.mark.parametrize("lesson", LESSONS)
def test_html_is_deterministic_and_makes_no_external_request(lesson):
    first, second = quiz.render(lesson).to_html(), quiz.render(lesson).to_html()
    assert first == second, "同一份数据两次生成的 HTML 不同：nbval 无法比较保存的输出"
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", first, re.I), "自测题的 HTML 里有网址"
    assert not re.search(r"\b(src|href)\s*=", first, re.I), "自测题的 HTML 引用了外部文件"
    assert not re.search(r"\b(fetch|XMLHttpRequest|import\s*\()", first), "自测题的脚本会发出请求"


@pytest.mark.parametrize("lesson", LESSONS)
def test_html_structure_is_labelled_and_chinese(lesson):
    html = quiz.render(lesson).to_html()
    data = quiz.load(lesson)
    assert html.count("<fieldset") == html.count("<legend>") == len(data["questions"])
    options = sum(len(q.get("options", [])) for q in data["questions"])
    numbers = sum(q["type"] == "number" for q in data["questions"])
    assert html.count('<label class="lq-option">') == options
    assert html.count('class="lq-input"') == numbers
    # 每个输入框都在 label 里：选项的 label 包着 input，填空的 label 包着 input
    assert len(re.findall(r"<label[^>]*><input", html)) == options
    assert len(re.findall(r"<label>你的答案（一个数）：<input", html)) == numbers
    assert html.count('role="status"') == len(data["questions"])
    assert html.count('<div class="lq-actions"></div>') == len(data["questions"])  # 按钮由脚本放进去
    assert '"检查答案"' in html
    for english in ("Correct", "Incorrect", "Try again", "Submit", "Check", "Answer"):
        assert english not in html, f"界面里有英文 {english!r}"
    assert 'lang="zh-CN"' in html and "mathjax_ignore" in html
    assert "@media print" in html and "prefers-color-scheme: dark" in html


def test_code_and_inline_code_are_escaped():
    fake = copy.deepcopy(quiz.load("02_operator_overloading"))
    fake["questions"][0]["question"] = "`a < b` 与 <b>粗体</b>"
    html = quiz.Quiz("02_operator_overloading", quiz.validate(fake, "02_operator_overloading")).to_html()
    assert "<code>a &lt; b</code> 与 &lt;b&gt;粗体&lt;/b&gt;" in html


@pytest.mark.parametrize("lesson", LESSONS)
def test_plain_text_lists_every_question_and_the_answers_at_the_end(lesson):
    data = quiz.load(lesson)
    text = quiz.render(lesson).to_text()
    body, answers = text.split("\n答案\n")
    for number, question in enumerate(data["questions"], start=1):
        assert f"第 {number} 题（" in body
        if question["type"] == "number":
            assert f"第 {number} 题：{quiz.format_number(question['answer'])}" in answers
        else:
            right = "、".join(quiz.LETTERS[j] for j, o in enumerate(question["options"]) if o["correct"])
            assert f"第 {number} 题：{right}。" in answers
            assert all(f"  {quiz.LETTERS[j]}. " in body for j in range(len(question["options"])))


def test_format_number_is_short_and_exact():
    assert [quiz.format_number(v) for v in (16, 16.0, -4, 0.6, 1.4612, 1e-6, 33.71875)] == [
        "16", "16", "-4", "0.6", "1.4612", "1e-06", "33.71875"
    ]
    with pytest.raises(TypeError, match="value 必须是一个数"):
        quiz.format_number("16")
    with pytest.raises(ValueError, match="有限的数"):
        quiz.format_number(float("nan"))


def test_show_displays_html_and_plain_text(monkeypatch):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", shown.append)
    assert quiz.show("01_tensor") is None
    (obj,) = shown
    bundle = obj._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert bundle["text/html"] == quiz.render("01_tensor").to_html()


def test_show_without_ipython_prints_the_plain_text(monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython.display", None)
    out = io.StringIO()
    with redirect_stdout(out):
        quiz.show("00_getting_started")
    assert out.getvalue().startswith("自测题：开始之前：环境检查")


def test_standalone_page_is_a_complete_chinese_document():
    page = quiz.standalone_html("05_gradient_descent")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert '<meta name="color-scheme" content="light dark">' in page and "<main>" in page


# ---------------------------------------------------------------- 打包：Colab 中 pip install 之后也有题目


def test_quiz_files_are_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["lessons"]
    files = sorted(p.relative_to(ROOT / "src" / "lessons").as_posix() for p in QUIZ_DIR.iterdir() if p.is_file())
    assert {Path(f).suffix for f in files} == {".json", ".js", ".css"}
    unpackaged = [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)]
    assert unpackaged == [], f"pyproject.toml 的 package-data 没有包含 {unpackaged}：pip install 之后会缺少这些文件"


def test_quiz_files_are_valid_json_written_as_utf8():
    for path in QUIZ_DIR.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert json.loads(text)["lesson"] == path.stem
        assert "\\u" not in text, f"{path.name} 里的中文被转义成了 \\uXXXX，不便审阅"


# ---------------------------------------------------------------- 笔记本中的自测题单元格


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lesson_shows_its_own_quiz(lesson):
    """课程中调用 quiz.show 时，显示的必须是这一课自己的题目（还没有加入自测题的课跳过这一检查）。"""
    source = (NOTEBOOKS / f"{lesson}.py").read_text(encoding="utf-8")
    calls = re.findall(r"quiz\.show\(\s*['\"]([^'\"]+)['\"]\s*\)", source)
    assert all(call == lesson for call in calls), f"{lesson} 显示了别的课的自测题：{calls}"
