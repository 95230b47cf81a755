"""第 3 课“自动求导”练习检查器的单元测试。

参考答案只有一份：笔记本 <details> 里的代码。这里从孪生文件 notebooks/03_autograd.py 中取出它们，
运行后交给检查器；本文件只另写错误答案和各种奇怪的输入。
"""

from __future__ import annotations

import ast
import functools
import linecache
import math
import re
from fractions import Fraction
from pathlib import Path

import jupytext
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lesson_cells import lesson_solutions

from lessons.checking import Feedback
from lessons.exercises import autograd as ex

TWIN = Path(__file__).resolve().parents[1] / "notebooks" / "03_autograd.py"
CHECKERS = {1: ex.check_1, 2: ex.check_2, 3: ex.check_3, 4: ex.check_4}


# ---------------------------------------------------------------- 从笔记本里取参考答案


@functools.lru_cache(maxsize=1)
def notebook_cells() -> tuple:
    return tuple(jupytext.read(TWIN).cells)


@functools.lru_cache(maxsize=1)
def details_solutions() -> dict[int, str]:
    """{练习编号: <details> 里的参考答案代码}（读法与其他课的测试相同，见 lesson_cells.py）。"""
    return {n: solution for n, (_, solution, _) in lesson_solutions(TWIN).items()}


def checked_expression(n: int) -> str:
    """练习 n 的代码单元格里交给 ex.check_n(...) 的那个表达式。"""
    for cell in notebook_cells():
        if cell.cell_type == "code" and f"ex.check_{n}(" in cell.source:
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Call) and ast.unparse(node.func) == f"ex.check_{n}":
                    return ast.unparse(node.args[0])
    raise AssertionError(f"笔记本里找不到 ex.check_{n}(...)")


def solution_answer(n: int, solution: str | None = None):
    namespace: dict = {}
    exec("import torch", namespace)
    exec(solution if solution is not None else details_solutions()[n], namespace)
    return eval(checked_expression(n), namespace)


def test_every_exercise_has_a_solution_and_a_checker():
    assert sorted(details_solutions()) == sorted(CHECKERS) == [1, 2, 3, 4]


@pytest.mark.parametrize("n", sorted(CHECKERS))
def test_details_solution_passes_its_checker(n):
    feedback = CHECKERS[n](solution_answer(n))
    assert feedback.ok, feedback.message


@pytest.mark.parametrize("n", sorted(CHECKERS))
def test_placeholder_is_not_answered(n):
    namespace: dict = {}
    exec("import torch", namespace)
    for cell in notebook_cells():
        if cell.cell_type == "code" and f"ex.check_{n}(" in cell.source:
            exec(cell.source.replace(f"ex.check_{n}(", "(lambda answer: answer)("), namespace)
    feedback = CHECKERS[n](eval(checked_expression(n), namespace))
    assert feedback.answered is False and not feedback.ok


def test_a_broken_published_solution_is_caught():
    """删掉参考答案里的 w.grad = None，学习者照抄就会得到 ❌：测试必须发现这一点。"""
    broken = details_solutions()[4].replace("w.grad = None  # 清零梯度", "pass")
    assert broken != details_solutions()[4]
    assert not ex.check_4(solution_answer(4, broken)).ok


# ---------------------------------------------------------------- 答案是 None：占位还是写了答案


def run_like_a_cell(source: str, n: int) -> Feedback:
    """像 IPython 内核那样运行一个单元格：源代码登记在 linecache 里，最后一行是 ex.check_n(...)。"""
    filename = f"/tmp/ipykernel_0/{abs(hash(source))}.py"
    source = source.rstrip() + "\n"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    try:
        tree = ast.parse(source)
        last = tree.body.pop()
        namespace: dict = {"torch": torch, "ex": ex}
        exec(compile(ast.Module(body=tree.body, type_ignores=[]), filename, "exec"), namespace)
        return eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
    finally:
        del linecache.cache[filename]


@pytest.mark.parametrize("n", [1, 2])
def test_notebook_placeholder_cell_gets_the_plain_not_answered_message(n):
    """笔记本里的占位单元格（answer = None）原样运行：只说“还没有作答”，与笔记本里保存的输出一致。"""
    cell = next(c.source for c in notebook_cells() if c.cell_type == "code" and f"ex.check_{n}(" in c.source)
    feedback = run_like_a_cell(cell, n)
    assert feedback.answered is False and str(feedback) == "✏️ 还没有作答：把 None 换成你的答案，再运行这个单元格。"


@pytest.mark.parametrize(
    ("n", "cell", "words"),
    [
        (1, "x1 = torch.tensor(2.0, requires_grad=True)\nf1 = x1**3 - 3 * x1\nanswer = x1.grad\nex.check_1(answer)",
         "先调用 f1.backward()"),
        (1, "x1 = torch.tensor(2.0, requires_grad=True)\nf1 = x1**3 - 3 * x1\nf1.backward()\nanswer = f1.grad\nex.check_1(answer)",
         "f1 不是叶子节点"),
        (1, "answer = print(9)\nex.check_1(answer)", "print(...)"),
        (2, "x2 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny2 = x2 * x2.sum()\n"
            "y2.backward(gradient=torch.tensor([1.0, 0.0, -1.0]))\nanswer = y2.grad\nex.check_2(answer)",
         "y2 不是叶子节点"),
        (2, "x2 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny2 = x2 * x2.sum()\nanswer = x2.grad\nex.check_2(answer)",
         "先调用 y2.backward(gradient=v2)"),
    ],
    ids=["no-backward", "non-leaf-f1", "print", "non-leaf-y2", "x2-before-backward"],
)
def test_an_answer_that_evaluates_to_none_is_not_called_unanswered(n, cell, words, recwarn):
    """学习者写了 answer = x1.grad，它却是 None：这不是“还没有作答”，要说出为什么是 None。"""
    feedback = run_like_a_cell(cell, n)
    assert feedback.answered and not feedback.ok
    assert words in feedback.message and "得到的是 None" in feedback.message, feedback.message


def test_an_answer_that_evaluates_to_none_in_a_plain_function():
    """在普通的 .py 文件里调用检查器也读得到源代码。"""
    x1 = torch.tensor(2.0, requires_grad=True)
    answer = x1.grad
    feedback = ex.check_1(answer)
    assert feedback.answered and not feedback.ok and "x1.grad 要在调用 f1.backward() 之后才有值" in feedback.message
    answer = None
    assert str(ex.check_1(answer)) == "✏️ 还没有作答：把 None 换成你的答案，再运行这个单元格。"


@pytest.mark.parametrize("n", [1, 2])
def test_none_from_an_unknown_source_is_not_answered_and_names_both_causes(n):
    """读不到源代码时（例如交互式解释器），仍是 ✏️，并说明写了 .grad 却得到 None 的两种常见原因。"""
    feedback = eval(f"ex.check_{n}(None)", {"ex": ex})  # eval 的代码没有源文件可读
    assert feedback.answered is False and "把 None 换成你的答案" in feedback.message
    assert "之后才有值" in feedback.message and "不是叶子节点" in feedback.message


# ---------------------------------------------------------------- 练习 1


@pytest.mark.parametrize(
    "answer",
    [9, 9.0, np.float32(9.0), np.float64(9.0), np.int64(9), np.array(9.0), np.array([9.0]), [9.0],
     Fraction(9), torch.tensor(9.0), torch.tensor(9.0, requires_grad=True), torch.tensor([9], dtype=torch.int32),
     torch.tensor(9.0, dtype=torch.float64)],
    ids=lambda a: type(a).__name__,
)
def test_check_1_accepts_every_form_of_nine(answer):
    assert ex.check_1(answer).ok


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (2.0, "函数值"),
        (12.0, "−3x"),
        (-3.0, "3x²"),
        (torch.tensor(18.0), "累加"),
        (10.0, "3x² − 3"),
        ("9", "应该是一个数"),
        (torch.ones(2), "2 个数"),
        (math.nan, "不是一个有限的数"),
        (math.inf, "不是一个有限的数"),
    ],
)
def test_check_1_wrong_answers_get_hints(answer, words):
    feedback = ex.check_1(answer)
    assert not feedback.ok and words in feedback.message


# ---------------------------------------------------------------- 练习 2


def test_check_2_expected_value_matches_autograd():
    x = torch.tensor(ex.X2, requires_grad=True)
    (x * x.sum()).backward(gradient=torch.tensor(ex.V2))
    assert torch.equal(x.grad.double(), ex.exercise_2_expected())


@pytest.mark.parametrize(
    "answer",
    [torch.tensor([4.0, -2.0, -8.0]), torch.tensor([4, -2, -8]), [4, -2, -8], np.array([4.0, -2.0, -8.0], dtype=np.float32),
     torch.tensor([4.0, -2.0, -8.0], dtype=torch.float64, requires_grad=True)],
    ids=["float32", "int64", "list", "numpy", "float64-requires-grad"],
)
def test_check_2_accepts_every_form(answer):
    assert ex.check_2(answer).ok


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (torch.tensor([12.0, 12.0, 12.0]), "gradient=v"),
        (torch.tensor([6.0, 0.0, -6.0]), "当成了常数"),
        (torch.tensor([8.0, -4.0, -16.0]), "两倍"),
        (torch.zeros(2, 3), "形状"),
        (torch.tensor([math.nan, 0.0, 0.0]), "nan"),
        ("[4, -2, -8]", "张量"),
        (torch.tensor([4.0, -2.0, -7.0]), "数值不对"),
    ],
)
def test_check_2_wrong_answers_get_hints(answer, words):
    feedback = ex.check_2(answer)
    assert not feedback.ok and words in feedback.message


@pytest.mark.parametrize(
    "constant_sum",
    [lambda x: x.sum().item(), lambda x: x.sum().detach()],
    ids=["item", "detach"],
)
def test_check_2_sum_treated_as_constant_gets_hint(constant_sum):
    x = torch.tensor(ex.X2, requires_grad=True)
    (x * constant_sum(x)).backward(gradient=torch.tensor(ex.V2))
    feedback = ex.check_2(x.grad)
    assert not feedback.ok and "当成了常数" in feedback.message and "x 1ᵀ" in feedback.message


def test_check_2_jacobian_times_v_is_named_too():
    """J v 恰好等于“把 sum(x) 当常数”的结果（这里 1ᵀv = 0）：提示要说出两种可能。"""
    x = torch.tensor(ex.X2)
    jacobian = torch.autograd.functional.jacobian(lambda t: t * t.sum(), x)
    feedback = ex.check_2(jacobian @ torch.tensor(ex.V2))
    assert not feedback.ok and "当成了常数" in feedback.message and "J v" in feedback.message


@pytest.mark.parametrize("wrong", [[-4.0, 2.0, 8.0], [1.0, 0.0, -1.0], [4.0, -2.0, -7.0]])
def test_check_2_wrong_values_do_not_give_away_the_answer(wrong):
    feedback = ex.check_2(torch.tensor(wrong))
    assert not feedback.ok and "数值不对" in feedback.message
    assert not re.search(r"4(\.0*)?, -2(\.0*)?, -8", feedback.message), feedback.message


# ---------------------------------------------------------------- 练习 3


def _central(f, x, h=1e-5):
    grad = torch.zeros_like(x)
    for i in range(len(x)):
        step = torch.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def _forward(f, x, h=1e-5):
    grad = torch.zeros_like(x)
    for i in range(len(x)):
        step = torch.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x)) / h
    return grad


@pytest.mark.parametrize(
    "answer",
    [
        lambda f, x, h=1e-5: _central(f, x, h).tolist(),
        lambda f, x, h=1e-5: _central(f, x, h).numpy(),
        lambda f, x, h=1e-5: torch.stack([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in torch.eye(len(x), dtype=x.dtype)]),
    ],
    ids=["list", "numpy", "eye"],
)
def test_check_3_accepts_other_central_differences(answer):
    assert ex.check_3(answer).ok


def test_check_3_rejects_forward_difference():
    feedback = ex.check_3(_forward)
    assert not feedback.ok and "中心差分" in feedback.message


def test_check_3_rejects_forward_difference_with_tiny_h():
    feedback = ex.check_3(lambda f, x, h=1e-7: _forward(f, x, h))
    assert not feedback.ok and "前向差分" in feedback.message


def _with_autograd_grad(f, x, h=1e-5):
    leaf = x.detach().clone().requires_grad_(True)
    return torch.autograd.grad(f(leaf), leaf)[0]


def _with_backward(f, x, h=1e-5):
    leaf = x.detach().clone().requires_grad_(True)
    f(leaf).backward()
    return leaf.grad


@pytest.mark.parametrize("autograd_answer", [_with_autograd_grad, _with_backward])
def test_check_3_rejects_the_autograd_gradient(autograd_answer):
    feedback = ex.check_3(autograd_answer)
    assert not feedback.ok and "返回的是自动求导" in feedback.message


@pytest.mark.parametrize(
    "transform",
    [torch.func.grad, torch.func.jacrev, torch.func.jacfwd],
    ids=["grad", "jacrev", "jacfwd"],
)
def test_check_3_rejects_torch_func_without_an_english_error(transform):
    """torch.func 的变换也要得到“返回的是自动求导”的提示，而不是关于检查器内部函数的英文报错。"""
    feedback = ex.check_3(lambda f, x, h=1e-5: transform(f)(x))
    assert not feedback.ok and "返回的是自动求导" in feedback.message, feedback.message


def _central_of_float32_f(f, x, h=1e-5):
    """中心差分，但 f 在 float32 下计算：差商被舍入到 float32 的格点上。"""
    grad = torch.zeros_like(x)
    for i in range(len(x)):
        step = torch.zeros_like(x)
        step[i] = h
        grad[i] = (f((x + step).float()) - f((x - step).float())) / (2 * h)
    return grad


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (_central_of_float32_f, "f 像是在 float32 下计算的"),
        (lambda f, x, h=1e-5: _central(f, x, h) * 2, "分母是 2h"),
        (lambda f, x, h=1e-5: -_central(f, x, h), "符号反了"),
    ],
    ids=["f-in-float32", "divides-by-h", "sign"],
)
def test_check_3_specific_mistakes_get_specific_hints(answer, words):
    feedback = ex.check_3(answer)
    assert not feedback.ok and words in feedback.message, feedback.message


def test_check_3_float32_evaluation_hint_does_not_catch_other_mistakes():
    for answer in (_forward, lambda f, x, h=1e-5: _forward(f, x, 1e-3), _central_with_float32_steps):
        feedback = ex.check_3(answer)
        assert not feedback.ok and "float32 下计算" not in feedback.message, feedback.message


def test_check_3_rejects_ignoring_h():
    feedback = ex.check_3(lambda f, x, h=1e-5: _central(f, x, 1e-5))
    assert not feedback.ok and "和 h 无关" in feedback.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda f, x: _central(f, x), "参数 h"),
        (lambda f, x, h=1e-5: _central(f, x.float(), h), "float64"),
        (lambda f, x, h=1e-5: _central(f, x, h)[:1], "形状"),
        (lambda f, x, h=1e-5: _central(f, x, h) * math.nan, "nan"),
        (lambda f, x, h=1e-5: "梯度", "张量"),
        (lambda f, x, h=1e-5: x.backward(), "backward()"),
        (lambda f, x, h=1e-5: 1 / 0, "ZeroDivisionError"),
        (lambda f, x, h=1e-5: x.add_(h), "改动了传入的 x"),
    ],
    ids=["no-h", "float32", "shape", "nan", "string", "backward-on-x", "raises", "in-place"],
)
def test_check_3_wrong_answers_get_hints(answer, words):
    feedback = ex.check_3(answer)
    assert not feedback.ok and words in feedback.message


def _central_into_float32(f, x, h=1e-5):
    """中心差分本身在 float64 下算，结果却存进了 torch.zeros(len(x))（默认 float32）。"""
    grad = torch.zeros(len(x))
    for i in range(len(x)):
        step = torch.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


@pytest.mark.parametrize(
    "answer",
    [
        _central_into_float32,
        lambda f, x, h=1e-5: _central(f, x, h).numpy().astype(np.float32),
        lambda f, x, h=1e-5: _central(f, x, h).to(torch.bfloat16),
    ],
    ids=["zeros-float32", "numpy-float32", "bfloat16"],
)
def test_check_3_low_precision_result_gets_a_clear_hint(answer):
    """结果存成低精度类型时，反馈要说出原因和改法，而不是列出两组看起来相同的数。"""
    feedback = ex.check_3(answer)
    assert not feedback.ok
    assert "float64" in feedback.message and "zeros_like" in feedback.message


def _central_with_float32_steps(f, x, h=1e-5):
    """中心差分，步长向量却用 torch.zeros(len(x)) 创建（默认 float32）：h 存进去就被舍入了。"""
    grad = torch.zeros_like(x)
    for i in range(len(x)):
        step = torch.zeros(len(x))
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


@pytest.mark.parametrize(
    "answer",
    [
        _central_with_float32_steps,
        lambda f, x, h=1e-5: torch.stack([(f(x + e) - f(x - e)) / (2 * h) for e in torch.eye(len(x)) * h]),
        lambda f, x, h=1e-5: torch.stack([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in torch.eye(len(x))]),
    ],
    ids=["zeros-steps", "eye-times-h", "h-times-eye"],
)
def test_check_3_float32_step_vector_gets_its_own_hint(answer):
    """步长向量是 float32 时，结果不是前向差分：提示要说出 h 被舍入成了什么、怎么改。"""
    feedback = ex.check_3(answer)
    assert not feedback.ok
    assert "步长向量是 float32" in feedback.message and "9.99999974738e-06" in feedback.message
    assert "zeros_like" in feedback.message and "前向差分" not in feedback.message


def test_check_3_float32_step_hint_does_not_catch_forward_difference():
    """前向差分（float64 的步长向量）仍然得到前向差分的提示。"""
    for h in (1e-5, 1e-7):
        feedback = ex.check_3(lambda f, x, h=h: _forward(f, x, h))
        assert not feedback.ok and "步长向量是 float32" not in feedback.message


def test_check_3_h_mismatch_shows_enough_digits():
    """步长用错时，反馈里的两组数要写到能看出差别的位数。"""
    feedback = ex.check_3(lambda f, x, h=1e-5: _central(f, x, h) + (h - 1e-5) * 1e-4)
    assert not feedback.ok and "3x² + h²" in feedback.message
    expected_part, got_part = feedback.message.split("你得到")
    assert "12.0001," in expected_part and "12.000101," in got_part


def test_check_3_passes_h_by_name():
    """题目说“用参数 h 作为步长”：检查器按名字传 h，只能按名字传的 h 也可以。"""

    def keyword_only(f, x, *, h=1e-5):
        return _central(f, x, h)

    def other_name(f, x, step=1e-5):
        return _central(f, x, step)

    assert ex.check_3(keyword_only).ok
    feedback = ex.check_3(other_name)
    assert not feedback.ok and "参数 h" in feedback.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda f, x, h=1e-5: None if h > 1e-3 else _central(f, x, h), "返回了 None"),
        (lambda f, x, h=1e-5: 1 / 0 if h > 1e-3 else _central(f, x, h), "传入 h=0.01 时，调用 numeric_grad 出错"),
        (lambda f, x, h=1e-5: _central(f, x, h).float() if h > 1e-3 else _central(f, x, h), "zeros_like"),
        (lambda f, x, h=1e-5: x.add_(1) if h > 1e-3 else _central(f, x, h), "改动了传入的 x"),
        (lambda f, x, h=1e-5: _forward(f, x, h) if h > 1e-3 else _central(f, x, h), "前向差分"),
    ],
    ids=["none", "raises", "float32", "in-place", "forward"],
)
def test_check_3_large_h_call_gets_the_same_care(answer, words):
    """传入较大 h 的那一次调用，出错、返回 None、改动 x 时也得到中文提示。"""
    feedback = ex.check_3(answer)
    assert not feedback.ok and words in feedback.message


def test_check_3_in_place_steps_are_reported():
    def in_place(f, x, h=1e-5):
        grad = torch.zeros_like(x)
        for i in range(len(x)):
            x[i] += h
            up = f(x)
            x[i] -= 2 * h
            down = f(x)
            grad[i] = (up - down) / (2 * h)
        return grad

    feedback = ex.check_3(in_place)
    assert not feedback.ok and "改动了传入的 x" in feedback.message


# ---------------------------------------------------------------- 练习 4


def test_check_4_expected_values_follow_gradient_descent():
    for lr, steps in ((0.1, 30), (0.05, 50)):
        w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        for _ in range(steps):
            w.grad = None
            ex.exercise_4_loss(w).backward()
            with torch.no_grad():
                w -= lr * w.grad
        assert torch.allclose(w.detach(), ex.exercise_4_expected(lr, steps), atol=1e-12)


def _sgd(lr, steps):
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        ex.exercise_4_loss(w).backward()
        optimizer.step()
    return w


def _zero_after_step(lr, steps):
    w = torch.zeros(2, requires_grad=True)
    for _ in range(steps):
        ex.exercise_4_loss(w).backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
    return w


@pytest.mark.parametrize(
    "answer",
    [_sgd, _zero_after_step, lambda lr, steps: _sgd(lr, steps).tolist(), lambda lr, steps: _sgd(lr, steps).detach().numpy()],
    ids=["sgd-float64", "zero-after-step", "list", "numpy"],
)
def test_check_4_accepts_other_correct_loops(answer):
    assert ex.check_4(answer).ok


def _loop(update: str, zero: bool = True, zero_line: str = "        w.grad = None\n"):
    """按 update 写法生成一个 descend 函数（每步开头执行 zero_line；zero=False 时不清零梯度）。"""
    source = (
        "def descend(lr, steps):\n"
        "    w = torch.zeros(2, requires_grad=True)\n"
        "    for _ in range(steps):\n"
        + (zero_line if zero else "")
        + "        loss = (w[0] - 1) ** 2 + 2 * (w[1] + 2) ** 2\n"
        "        loss.backward()\n"
        + update
        + "    return w\n"
    )
    namespace: dict = {"torch": torch}
    exec(source, namespace)
    return namespace["descend"]


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (_loop("        with torch.no_grad():\n            w -= lr * w.grad\n", zero=False), "清零"),
        (_loop("        w -= lr * w.grad\n"), "torch.no_grad()"),
        (_loop("        with torch.no_grad():\n            w = w - lr * w.grad\n"), "不需要梯度的新张量"),
        (_loop("        w = w - lr * w.grad\n"), "非叶子"),
        (_loop("        with torch.no_grad():\n            w += lr * w.grad\n"), "数值不对"),
        (_loop("        with torch.no_grad():\n            w -= lr * w.grad\n", zero_line="        w.grad.zero_()\n"),
         "放在更新参数之后"),
        (lambda lr, steps: torch.zeros(3), "形状"),
        (lambda lr, steps: "w", "张量"),
        (lambda lr, steps: torch.tensor([math.nan, 0.0]), "nan"),
        (lambda lr: None, "descend(0.1, 1)"),  # 第一组参数只走一步
        (42, "函数"),
    ],
    ids=["no-zero", "no-no_grad", "rebind-in-no_grad", "rebind-outside", "ascent", "zero_-first",
         "shape", "string", "nan",
         "signature", "not-callable"],
)
def test_check_4_wrong_answers_get_hints(answer, words):
    feedback = ex.check_4(answer)
    assert not feedback.ok and words in feedback.message


def _without_requires_grad(lr, steps):
    w = torch.zeros(2)
    for _ in range(steps):
        w.grad = None
        ex.exercise_4_loss(w).backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w


def _reference_loop(lr, steps):
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    for _ in range(steps):
        w.grad = None
        ex.exercise_4_loss(w).backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w.detach()


def test_check_4_shows_no_warnings(recwarn):
    ex.check_4(_loop("        w = w - lr * w.grad\n"))  # 读取非叶子节点的 .grad 会发出警告
    assert len(recwarn) == 0


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        # 在 torch.no_grad() 里算损失：第一步就出错，原因不是“w 被换成了新张量”
        (_loop("        with torch.no_grad():\n            loss = (w[0] - 1) ** 2 + 2 * (w[1] + 2) ** 2\n"
               "            loss.backward()\n            w -= lr * w.grad\n"), "算损失（前向传播）要放在 torch.no_grad() 外面"),
        (_without_requires_grad, "requires_grad=True"),
        (_loop("        w.grad = None\n        with torch.no_grad():\n            w -= lr * w.grad\n", zero=False),
         "第一步更新时 w.grad 就是 None"),
        (_loop("        w.grad.zero_()\n        with torch.no_grad():\n            w -= lr * w.grad\n", zero=False),
         "出发点 (0, 0)"),
        (lambda lr, steps: _reference_loop(lr, steps + 1), "多走了一步"),
        (lambda lr, steps: _reference_loop(lr, max(steps - 1, 1)), "少走了一步"),
        (lambda lr, steps: _reference_loop(lr, 1), "只相当于走了一步"),
    ],
    ids=["loss-in-no_grad", "no-requires_grad", "grad-none-before-update", "zero_-before-update",
         "one-step-too-many", "one-step-too-few", "w-created-in-the-loop"],
)
def test_check_4_first_step_and_step_count_mistakes_get_their_own_hints(answer, words):
    feedback = ex.check_4(answer)
    assert not feedback.ok and words in feedback.message, feedback.message



def test_function_exercises_explain_how_to_pass_the_function():
    """笔记本写 ex.check_3(numeric_grad)：交给检查器的不是函数时，提示交函数本身。"""
    assert "numeric_grad 本身" in ex.check_3(torch.zeros(3)).message
    assert "descend 本身" in ex.check_4(torch.zeros(2)).message


def test_exercises_table_gives_the_check_functions():
    assert len(ex.EXERCISES) == len(CHECKERS)
    for n, check in CHECKERS.items():
        assert check.__name__ == f"check_{n}" and check.__doc__.startswith(f"练习 {n}：")


# ---------------------------------------------------------------- 检查器从不抛出异常


def _raises(*args):
    raise ValueError("学习者代码里的错误")


def _generator():
    yield 1


def _recursive(*args):
    return _recursive(*args)


STRANGE_ANSWERS = [
    None,
    math.nan,
    math.inf,
    "字符串",
    b"bytes",
    Fraction(1, 3),
    np.float32(2.5),
    np.array([[1.0, 2.0]]),
    torch.tensor(1.0, requires_grad=True),
    torch.zeros(2, 3, 4),
    torch.tensor([True, False, True]),
    torch.tensor([1 + 2j, 3j, 0j]),
    [],
    [[1, 2], [3]],
    {"a": 1},
    _generator(),
    _raises,
    _recursive,
    lambda: None,
    lambda *args, **kwargs: torch.tensor(math.nan),
    lambda *args, **kwargs: torch.ones(3, requires_grad=True),
    lambda *args, **kwargs: _generator(),
    type("Weird", (), {}),
    object(),
]


@pytest.mark.parametrize("n", sorted(CHECKERS))
@pytest.mark.parametrize("answer", STRANGE_ANSWERS, ids=lambda a: type(a).__name__)
def test_checkers_never_raise(n, answer):
    feedback = CHECKERS[n](answer)
    assert isinstance(feedback, Feedback)
    assert re.search(r"[\u4e00-\u9fff]", feedback.message), "反馈应该是中文"
    if answer is not None:
        assert not feedback.ok


# ---------------------------------------------------------------- 基于性质的测试：随机答案从不让检查器出错

QUICK = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
NUMBERS = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True), st.fractions())


@QUICK
@given(NUMBERS)
def test_check_1_random_numbers_get_feedback_and_only_nine_passes(number):
    feedback = ex.check_1(number)
    assert isinstance(feedback, Feedback) and re.search(r"[\u4e00-\u9fff]", feedback.message)
    assert feedback.ok == (abs(float(number) - 9.0) <= 1e-4)


@QUICK
@given(st.lists(NUMBERS, min_size=0, max_size=5))
def test_check_2_random_lists_get_feedback_and_never_accept_wrong_values(values):
    feedback = ex.check_2(values)
    assert isinstance(feedback, Feedback) and re.search(r"[\u4e00-\u9fff]", feedback.message)
    if feedback.ok:
        assert np.allclose([float(v) for v in values], [4.0, -2.0, -8.0], atol=1e-5)
