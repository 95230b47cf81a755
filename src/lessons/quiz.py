"""自测题：点一下就能作答、立即看到中文解析的小题目，网站、JupyterLab 和 Colab 中都能用。

每一课的题目是一个数据文件 ``lessons/quizzes/NN_名字.json``（随 ``pip install`` 一起安装，
Colab 中也有）。在笔记本里用两行显示一课的自测题::

    from lessons import quiz
    quiz.show("01_tensor")

显示出来的是一段自带样式和脚本的 HTML：题目、选项和每个选项的解析都写在这段 HTML 里，
不从任何网址加载，也不向外部网站发请求，所以静态网站上不需要内核、不需要联网也能作答。

**为什么不用 jupyterquiz**：它是为 Jupyter 和 Jupyter Book 写的测验库，我们逐条对照了本课程的
要求（jupyterquiz 2.9.6.4 的源码），有几处不满足：

- 界面文字是写死在脚本里的英文（"Correct!"、"Incorrect -- try again."、
  "Type numeric answer here:"），没有参数可以换成中文；
- 每次运行都用随机数生成容器的 ``id``，输出不确定，nbval 无法比较保存的输出；
- 页面上的 MathJax 3 没有 ``typeset`` 方法时，它会从 cdn.jsdelivr.net 加载 MathJax；
- 多选题也用单选按钮（``radio``），用键盘无法同时选中几个选项；题目没有 ``fieldset`` 和
  ``legend`` 分组，解析不通过 ``aria-live`` 朗读；
- 没有深色模式和打印样式，打印时看不到答案；纯文本输出只有 ``<IPython.core.display.HTML object>``。

所以这里写了一个小组件，只用浏览器自带的 HTML、CSS 和 JavaScript：

- 三种题型：单选（``single``，单选按钮，选中就给出解析）、多选（``multiple``，复选框）、
  填空（``number``，填一个数，与答案相差不超过 ``tolerance`` 即算对），都有“检查答案”按钮；
- 每个选项都有自己的解析：选错时告诉你错在哪里，选对时说明为什么对；填空题对常见的错误数值
  （``mistakes``）给出专门的解析，其余错误给出提示（``hint``）；
- 题目用 ``fieldset``/``legend`` 分组，选项是带标签的原生控件，用 Tab、方向键、空格和回车就能作答，
  解析写进 ``role="status"`` 的区域，读屏软件会读出来；文字颜色随页面（浅色、深色都清楚）；
- 没有运行脚本时（例如 JupyterLab 中未受信任的输出）题目照常显示，每题下方的“答案与解析”
  可以展开；打印时隐藏按钮，展开全部答案与解析；
- 同一份数据总是生成完全相同的 HTML（nbval 可以比较）；纯文本输出（``text/plain``）
  列出全部题目，答案在最后。

题目里不写 ``$...$`` 公式：网站会排版公式，但 Colab 中的 HTML 输出不会。需要符号时用
Unicode（θ、α、²、×），代码用反引号括起来（显示为等宽字体）。

数据文件的格式见 :func:`validate`；:func:`standalone_html` 生成一个只含一课自测题的完整网页，
浏览器测试用它。
"""

from __future__ import annotations

import html
import json
import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, NoReturn

from . import _validate
from ._validate import describe

#: 题型：单选、多选、填空（填一个数）
KINDS = {"single": "单选", "multiple": "多选", "number": "填空"}
#: 每课的题目数
MIN_QUESTIONS, MAX_QUESTIONS = 3, 6
#: 选择题的选项数
MIN_OPTIONS, MAX_OPTIONS = 2, 6
LETTERS = "ABCDEF"

_TOP_KEYS = {"lesson", "title", "questions"}
_COMMON_KEYS = {"type", "question", "code", "explanation", "setup"}
_CHOICE_KEYS = _COMMON_KEYS | {"options"}
_NUMBER_KEYS = _COMMON_KEYS | {"answer", "tolerance", "mistakes", "hint", "verify"}
_OPTION_KEYS = {"text", "correct", "explanation", "verify"}
_MISTAKE_KEYS = {"value", "explanation"}
#: 题目中不允许的公式写法（Colab 的 HTML 输出不排版公式）
_MATH = re.compile(r"\$|\\\(|\\\[")
_CODE = re.compile(r"`([^`]+)`")


def _asset(name: str) -> str:
    return resources.files("lessons").joinpath("quizzes", name).read_text(encoding="utf-8")


def available() -> list[str]:
    """有自测题的课，如 ``["00_getting_started", "01_tensor", ...]``（按文件名排序）。"""
    folder = resources.files("lessons").joinpath("quizzes")
    return sorted(item.name[: -len(".json")] for item in folder.iterdir() if item.name.endswith(".json"))


# ---------------------------------------------------------------------------
# 读取与检查数据
# ---------------------------------------------------------------------------


def _fail(where: str, message: str) -> NoReturn:
    raise ValueError(f"{where}：{message}")


def _text(value: Any, where: str, key: str, *, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        _fail(where, f"{key} 必须是非空的字符串，收到的是 {describe(value)}。")
    if _MATH.search(value):
        _fail(where, f"{key} 里有 $…$ 或 \\( \\) 公式：Colab 的 HTML 输出不排版公式，请改用 Unicode 符号（如 θ、α、²）。")


def _number(value: Any, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        _fail(where, f"{key} 必须是有限的数，收到的是 {describe(value)}。")
    return float(value)


def _keys(item: Any, allowed: set[str], where: str) -> None:
    if not isinstance(item, Mapping):
        _fail(where, f"应是一个 JSON 对象（字典），收到的是 {describe(item)}。")
    unknown = sorted(set(item) - allowed)
    if unknown:
        _fail(where, f"有不认识的键 {unknown}；允许的键是 {sorted(allowed)}。")


def _validate_choice(question: Mapping, where: str) -> None:
    options = question.get("options")
    if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        _fail(where, f"options 必须是 {MIN_OPTIONS} 到 {MAX_OPTIONS} 个选项的列表，收到的是 {describe(options)}。")
    for j, option in enumerate(options):
        spot = f"{where} 选项 {LETTERS[j]}"
        _keys(option, _OPTION_KEYS, spot)
        _text(option.get("text"), spot, "text")
        _text(option.get("explanation"), spot, "explanation")
        if not isinstance(option.get("correct"), bool):
            _fail(spot, f"correct 必须是 true 或 false，收到的是 {describe(option.get('correct'))}。")
        _text(option.get("verify"), spot, "verify", required=False)
    right = sum(option["correct"] for option in options)
    if question["type"] == "single" and right != 1:
        _fail(where, f"单选题必须恰好有 1 个正确选项，现在有 {right} 个。")
    if question["type"] == "multiple" and not 1 <= right < len(options):
        _fail(where, f"多选题至少要有 1 个正确选项和 1 个错误选项，现在 {len(options)} 个选项中有 {right} 个正确。")


def _validate_number(question: Mapping, where: str) -> None:
    answer = _number(question.get("answer"), where, "answer")
    tolerance = _number(question.get("tolerance", 0), where, "tolerance")
    if tolerance < 0:
        _fail(where, f"tolerance 不能是负数，收到的是 {tolerance:g}。")
    _text(question.get("explanation"), where, "explanation")
    _text(question.get("hint"), where, "hint")
    _text(question.get("verify"), where, "verify", required=False)
    mistakes = question.get("mistakes", [])
    if not isinstance(mistakes, list):
        _fail(where, f"mistakes 必须是列表，收到的是 {describe(mistakes)}。")
    for j, mistake in enumerate(mistakes, start=1):
        spot = f"{where} 第 {j} 个 mistakes"
        _keys(mistake, _MISTAKE_KEYS, spot)
        value = _number(mistake.get("value"), spot, "value")
        _text(mistake.get("explanation"), spot, "explanation")
        if abs(value - answer) <= tolerance:
            _fail(spot, f"错误答案 {value:g} 与正确答案 {answer:g} 的差不超过 tolerance，会被判为正确。")


def validate(data: Any, lesson: str) -> dict:
    """检查一课的题目数据，合格时原样返回；不合格时抛出 ``ValueError``，说明是哪一题的哪一项。

    数据的格式（JSON）::

        {"lesson": "01_tensor", "title": "张量", "questions": [题目, ...]}   # 3 到 6 题

    每道题有 ``type``（``single``、``multiple`` 或 ``number``）、``question``（题干），可选的
    ``code``（题干下方的代码）、``explanation``（总的解析）和 ``setup``（测试用的准备代码）。

    - 选择题有 ``options``：每个选项有 ``text``、``correct``（true/false）、``explanation``（这个选项
      对或错的原因），可选的 ``verify`` 是一个 Python 表达式，测试中它的真假必须与 ``correct`` 一致；
    - 填空题有 ``answer``（数）、``tolerance``（允许的误差，默认 0）、``explanation``（答对时显示）、
      ``hint``（答错、又不是已知的错误数值时显示）、``mistakes``（常见的错误数值及各自的解析），
      可选的 ``verify`` 是一个算出答案的 Python 表达式。

    ``verify`` 表达式先执行 ``setup``（没有时执行 ``code``），由 tests/test_quiz.py 在 PyTorch 中求值：
    凡是能算出来的答案（形状、数值、数据类型、是否报错），都要用它核对。
    """
    if not isinstance(lesson, str):
        raise TypeError(f"lesson 必须是课程笔记本的名字（字符串），例如 \"01_tensor\"；收到的是 {describe(lesson)}。")
    where = f"自测题 {lesson} 的 data"
    _keys(data, _TOP_KEYS, where)
    if data.get("lesson") != lesson:
        _fail(where, f"lesson 应是 {lesson!r}（与文件名相同），收到的是 {data.get('lesson')!r}。")
    _text(data.get("title"), where, "title")
    questions = data.get("questions")
    if not isinstance(questions, list) or not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        _fail(where, f"questions 必须是 {MIN_QUESTIONS} 到 {MAX_QUESTIONS} 道题的列表，收到的是 {describe(questions)}。")
    for i, question in enumerate(questions, start=1):
        spot = f"{where} 第 {i} 题"
        if not isinstance(question, Mapping) or question.get("type") not in KINDS:
            got = question.get("type") if isinstance(question, Mapping) else question
            _fail(spot, f"type 必须是 {sorted(KINDS)} 之一，收到的是 {describe(got)}。")
        _keys(question, _NUMBER_KEYS if question["type"] == "number" else _CHOICE_KEYS, spot)
        _text(question.get("question"), spot, "question")
        for key in ("code", "setup"):
            if key in question and (not isinstance(question[key], str) or not question[key].strip()):
                _fail(spot, f"{key} 必须是非空的字符串，收到的是 {describe(question[key])}。")
        if question["type"] == "number":
            _validate_number(question, spot)
        else:
            _text(question.get("explanation"), spot, "explanation", required=False)
            _validate_choice(question, spot)
    return data


def _check_lesson(lesson: Any) -> str:
    names = available()
    if not isinstance(lesson, str):
        raise TypeError(f"lesson 必须是课程笔记本的名字（字符串），例如 \"01_tensor\"；收到的是 {describe(lesson)}。")
    if lesson not in names:
        raise ValueError(
            f"没有名为 {lesson!r} 的自测题。lesson 必须是课程笔记本的文件名（不带 .ipynb），可选的有：{'、'.join(names)}。"
        )
    return lesson


def load(lesson: str) -> dict:
    """读出并检查一课的题目数据，如 ``load("01_tensor")``。"""
    lesson = _check_lesson(lesson)
    data = json.loads(_asset(f"{lesson}.json"))
    return validate(data, lesson)


# ---------------------------------------------------------------------------
# 生成 HTML 与纯文本
# ---------------------------------------------------------------------------


def _inline(text: str) -> str:
    """转义 HTML，并把反引号括起来的部分显示成代码。"""
    return _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text, quote=False))


def _plain(text: str) -> str:
    return _CODE.sub(lambda m: m.group(1), text)


def format_number(value: float) -> str:
    """答案的写法：整数不带小数点（``16``），其他数用最短的十进制写法（``0.6``）。"""
    value = _validate.real(value, "value", example="value=0.6")
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _kind_label(question: Mapping) -> str:
    return "填空，填一个数" if question["type"] == "number" else KINDS[question["type"]]


def _legend(question: Mapping, number: int) -> str:
    code = ""
    if "code" in question:
        # 行内样式让代码在没有样式表的地方（如 JupyterLab 中未受信任的输出）也保持换行
        body = html.escape(question["code"].rstrip(), quote=False)
        code = f'<code class="lq-code" style="display: block; white-space: pre">{body}</code>'
    return (
        f'<legend><span class="lq-kind">第 {number} 题（{_kind_label(question)}）</span>'
        f'<span class="lq-text">{_inline(question["question"])}</span>{code}</legend>'
    )


def _choice_html(question: Mapping, lesson: str, number: int) -> str:
    multiple = question["type"] == "multiple"
    kind = "checkbox" if multiple else "radio"
    right = [j for j, option in enumerate(question["options"]) if option["correct"]]
    # 每个选项外面再包一层 div：没有样式表时（如 JupyterLab 中未受信任的输出）选项也各占一行
    labels = "".join(
        f'<div><label class="lq-option"><input type="{kind}" name="lq-{lesson}-{number}" value="{j}">'
        f'<span class="lq-letter">{LETTERS[j]}.</span> <span>{_inline(option["text"])}</span></label></div>'
        for j, option in enumerate(question["options"])
    )
    items = "".join(
        f'<li data-option="{j}"><strong>{LETTERS[j]}. {"正确" if option["correct"] else "错误"}。</strong>'
        f'<span class="lq-expl">{_inline(option["explanation"])}</span></li>'
        for j, option in enumerate(question["options"])
    )
    summary = ""
    if "explanation" in question:
        summary = f'<p class="lq-summary">{_inline(question["explanation"])}</p>'
    answer = "、".join(LETTERS[j] for j in right)
    return (
        f'<fieldset class="lq-question" data-kind="{question["type"]}" data-answer="{",".join(map(str, right))}">'
        f"{_legend(question, number)}"
        f'<div class="lq-options">{labels}</div>'
        f"{_actions()}"
        f'<details class="lq-answer"><summary>答案与解析</summary>'
        f'<p class="lq-solution">正确答案：{answer}</p><ul class="lq-explanations">{items}</ul>{summary}</details>'
        f"</fieldset>"
    )


def _tolerance_text(question: Mapping) -> str:
    tolerance = float(question.get("tolerance", 0))
    return f"（与它相差不超过 {format_number(tolerance)} 都算对）" if tolerance > 0 else ""


def _number_html(question: Mapping, number: int) -> str:
    tolerance = float(question.get("tolerance", 0))
    mistakes = "".join(
        f'<li data-value="{format_number(m["value"])}"><strong>填 {format_number(m["value"])}：</strong>'
        f'<span class="lq-expl">{_inline(m["explanation"])}</span></li>'
        for m in question.get("mistakes", [])
    )
    hint = f'<li data-hint=""><strong>其他错误：</strong><span class="lq-expl">{_inline(question["hint"])}</span></li>'
    return (
        f'<fieldset class="lq-question" data-kind="number" data-answer="{format_number(question["answer"])}"'
        f' data-tolerance="{format_number(tolerance)}">'
        f"{_legend(question, number)}"
        f'<div class="lq-number"><label>你的答案（一个数）：'
        f'<input type="text" class="lq-input" inputmode="decimal" autocomplete="off" spellcheck="false"></label></div>'
        f"{_actions()}"
        f'<details class="lq-answer"><summary>答案与解析</summary>'
        f'<p class="lq-solution">正确答案：{format_number(question["answer"])}{_tolerance_text(question)}</p>'
        f'<p class="lq-main"><span class="lq-expl">{_inline(question["explanation"])}</span></p>'
        f'<ul class="lq-explanations">{mistakes}{hint}</ul></details>'
        f"</fieldset>"
    )


def _actions() -> str:
    # “检查答案”按钮由脚本放进 lq-actions：没有脚本时按钮什么也做不了，干脆不出现。
    # 解析写进 role="status" 的区域，读屏软件会在内容变化时读出来
    return '<div class="lq-actions"></div><div class="lq-feedback" role="status" aria-live="polite"></div>'



@dataclass(frozen=True)
class Quiz:
    """一课的自测题。在笔记本中显示为可以作答的 HTML；没有 HTML 的地方显示为纯文本。

    创建时用 :func:`validate` 检查 ``lesson`` 和 ``data``：不合格时抛出中文的 ``TypeError``/``ValueError``。
    """

    lesson: str
    data: dict

    def __post_init__(self) -> None:
        validate(self.data, self.lesson)

    @property
    def questions(self) -> list[dict]:
        return self.data["questions"]

    def to_html(self) -> str:
        """可以作答的 HTML 片段：样式、题目、脚本都在里面，不引用任何外部文件。"""
        parts = []
        for number, question in enumerate(self.questions, start=1):
            if question["type"] == "number":
                parts.append(_number_html(question, number))
            else:
                parts.append(_choice_html(question, self.lesson, number))
        intro = (
            f'<p class="lq-intro">共 {len(self.questions)} 题。单选题选中后立即显示解析；多选题和填空题作答后点'
            "“检查答案”。每题下方的“答案与解析”也可以直接展开。</p>"
        )
        nojs = (
            '<p class="lq-nojs">（这里的题目要运行脚本才能作答：在网站上可以直接作答；'
            "在 JupyterLab 或 Colab 中，运行这个单元格后即可作答。）</p>"
        )
        return (
            f'<div class="lessons-quiz mathjax_ignore tex2jax_ignore" lang="zh-CN" data-lesson="{self.lesson}">'
            f"<style>{_asset('quiz.css')}</style>{intro}{nojs}{''.join(parts)}"
            f"<script>{_asset('quiz.js')}</script></div>"
        )

    def to_text(self) -> str:
        """纯文本版本：先列出全部题目，最后是答案。"""
        lines = [f"自测题：{self.data['title']}（共 {len(self.questions)} 题，答案在最后）", ""]
        answers = ["答案"]
        for number, question in enumerate(self.questions, start=1):
            lines.append(f"第 {number} 题（{_kind_label(question)}）{_plain(question['question'])}")
            if "code" in question:
                lines.extend("    " + line for line in question["code"].rstrip().splitlines())
            if question["type"] == "number":
                answers.append(
                    f"第 {number} 题：{format_number(question['answer'])}{_tolerance_text(question)}。"
                    f"{_plain(question['explanation'])}"
                )
            else:
                for j, option in enumerate(question["options"]):
                    lines.append(f"  {LETTERS[j]}. {_plain(option['text'])}")
                right = [j for j, option in enumerate(question["options"]) if option["correct"]]
                reasons = "".join(_plain(question["options"][j]["explanation"]) for j in right)
                answers.append(f"第 {number} 题：{'、'.join(LETTERS[j] for j in right)}。{reasons}")
            lines.append("")
        return "\n".join(lines + answers)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": self.to_html(), "text/plain": self.to_text()}

    def __repr__(self) -> str:
        return self.to_text()


def render(lesson: str) -> Quiz:
    """一课的自测题对象（不显示）；``render("01_tensor").to_html()`` 得到 HTML。"""
    return Quiz(lesson, load(lesson))


def show(lesson: str) -> None:
    """在笔记本中显示一课的自测题，如 ``show("01_tensor")``。

    ``lesson`` 是课程笔记本的文件名（不带 ``.ipynb``）。在 IPython 之外（例如普通的 Python 脚本）
    打印纯文本版本。
    """
    quiz = render(lesson)
    try:
        from IPython.display import display
    except ImportError:  # 没有 IPython：打印纯文本
        print(quiz.to_text())
        return
    display(quiz)


def standalone_html(lesson: str) -> str:
    """只含一课自测题的完整网页（浅色、深色模式都跟随系统），浏览器测试用它。"""
    quiz = render(lesson)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>自测题：{html.escape(quiz.data['title'])}</title></head>"
        f"<body><main><h1>自测题：{html.escape(quiz.data['title'])}</h1>{quiz.to_html()}</main></body></html>\n"
    )
