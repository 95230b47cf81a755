"""第 4 课（线性回归）练习检查器的单元测试。

参考答案只有一份：笔记本里 ``<details>`` 中的代码。这里把它从孪生文件中读出来运行，
交给检查器，期望得到 ✅；其余测试只写“换一种写法的正确答案”和错误答案。
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import stable_id
from lesson_cells import lesson_imports, lesson_solutions
from torch import nn, optim

from lessons.checking import Feedback
from lessons.data import document_line
from lessons.exercises import linreg as ex
from lessons.training import fit

TWIN = Path(__file__).resolve().parents[1] / "notebooks" / "04_linear_regression.py"


SOLUTIONS = lesson_solutions(TWIN)


def test_lesson_has_three_exercises_with_solutions():
    assert sorted(SOLUTIONS) == [1, 2, 3]


@pytest.mark.parametrize("number", sorted(SOLUTIONS))
def test_placeholder_is_not_answered_and_details_solution_passes(number):
    cell, solution, name = SOLUTIONS[number]
    check = getattr(ex, f"check_{number}")
    placeholder = lesson_imports(TWIN)
    exec(cell.rsplit("\nex.check_", 1)[0], placeholder)  # noqa: S102 - 答案单元格，不含最后的检查
    feedback = check(placeholder[name])
    assert isinstance(feedback, Feedback) and feedback.answered is False, feedback
    namespace = lesson_imports(TWIN)
    exec(solution, namespace)  # noqa: S102 - 笔记本中的参考答案
    feedback = check(namespace[name])
    assert feedback, f"练习 {number} 的参考答案没有通过检查：{feedback}"




# ---------------------------------------------------------------- 任何输入都不抛出异常


class Weird:
    """一个什么都不像的对象：取长度、转成数都会出错。"""

    def __len__(self):
        raise RuntimeError("boom")

    def __float__(self):
        raise RuntimeError("boom")


BAD_INPUTS = [
    float("nan"),
    float("inf"),
    -float("inf"),
    "1.5",
    b"1.5",
    [],
    [1, 2, 3],
    {"w": 1},
    torch.ones(2, 2),
    torch.tensor([]),
    torch.tensor(True),
    torch.tensor(1 + 2j),
    torch.tensor(1.0, requires_grad=True),
    np.array(["a", "b"]),
    (i for i in range(2)),
    Weird(),
    object(),
    nn.Linear(1, 1),
]


@pytest.mark.parametrize("check", [ex.check_1, ex.check_2, ex.check_3], ids=["check_1", "check_2", "check_3"])
@pytest.mark.parametrize("answer", BAD_INPUTS, ids=stable_id)
def test_checkers_never_raise(check, answer):
    feedback = check(answer)
    assert isinstance(feedback, Feedback)
    assert not feedback
    assert re.search(r"[\u4e00-\u9fff]", feedback.message)


# ---------------------------------------------------------------- 练习 1


@pytest.mark.parametrize(
    "answer",
    [
        1.5,
        3 / 2,
        Fraction(3, 2),
        np.float32(1.5),
        np.float64(1.5),
        np.array(1.5),
        np.array([1.5]),
        [1.5],
        torch.tensor(1.5),
        torch.tensor([1.5], dtype=torch.float64),
        torch.tensor(1.5, requires_grad=True) * 1,
    ],
    ids=stable_id,
)
def test_check_1_accepts_every_form_of_the_right_number(answer):
    feedback = ex.check_1(answer)
    assert feedback, feedback.message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (7.5, "总和"),
        (np.float32(7.5), "总和"),
        (math.sqrt(1.5), "均方根误差"),
        (1.0, "平均绝对误差"),
        (0.75, "½(ŷ − y)²"),  # 《动手学深度学习》的写法：每个样本的损失前面有 ½
        (13.5, "被广播了"),  # 预测 (5, 1) 与目标 (5,) 广播成 (5, 5)
        (2.0, "相差超过"),
        ("1.5", "应该是一个数"),
        (torch.tensor([1.5, 1.5]), "形状为 (2,)"),
        (float("nan"), "不是一个有限的数"),
    ],
)
def test_check_1_wrong_answers_get_hints(answer, hint):
    fb = ex.check_1(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


# ---------------------------------------------------------------- 练习 2


def correct_step(w, b, x, y, lr):
    """与笔记本第 5 节相同的顺序：更新之后清零。"""
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    return loss.item()


def test_check_2_stub_is_not_answered():
    def stub(w, b, x, y, lr):
        return None

    assert ex.check_2(None).answered is False
    assert ex.check_2(stub).answered is False


def test_check_2_zeroing_at_the_start_is_accepted():
    """和 optimizer.zero_grad() 一样在每一步开头清零：调用之后 .grad 不为零，但结果完全正确。"""

    def zero_first(w, b, x, y, lr):
        w.grad = None
        b.grad = None
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        return loss.item()

    fb = ex.check_2(zero_first)
    assert fb, fb.message
    assert "开头清零" in fb.message
    assert "没有清零" not in fb.message


def test_check_2_zeroing_at_the_start_with_an_if_is_accepted():
    def zero_if_present(w, b, x, y, lr):
        for p in (w, b):
            if p.grad is not None:
                p.grad.zero_()
        loss = nn.functional.mse_loss(w * x + b, y)
        loss.backward()
        with torch.no_grad():
            for p in (w, b):
                p -= lr * p.grad
        return loss.item()

    fb = ex.check_2(zero_if_present)
    assert fb, fb.message


def test_check_2_optimizer_style_solution_passes():
    def with_optimizer(w, b, x, y, lr):
        opt = optim.SGD([w, b], lr=lr)
        opt.zero_grad()
        loss = nn.functional.mse_loss(w * x + b, y)
        loss.backward()
        opt.step()
        return loss  # 返回张量（还带着梯度）也可以

    fb = ex.check_2(with_optimizer)
    assert fb, fb.message


@pytest.mark.parametrize(
    "convert",
    [
        lambda loss: np.float32(loss.item()),
        lambda loss: loss.detach().numpy(),  # 零维数组
        lambda loss: np.array([loss.item()]),
        lambda loss: loss.detach().double(),
        lambda loss: [loss.item()],
    ],
    ids=["np.float32", "0-d array", "1-element array", "float64 tensor", "list"],
)
def test_check_2_accepts_any_form_of_the_returned_loss(convert):
    def step(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).mean()
        correct_step(w, b, x, y, lr)
        return convert(loss)

    fb = ex.check_2(step)
    assert fb, fb.message


def test_check_2_zero_grad_on_none_at_the_start_gets_a_specific_hint():
    def zero_none(w, b, x, y, lr):
        w.grad.zero_()  # 第一次调用时 w.grad 还是 None
        b.grad.zero_()
        return correct_step(w, b, x, y, lr)

    fb = ex.check_2(zero_none)
    assert not fb and fb.answered
    assert "w.grad 还是 None" in fb.message


def test_check_1_hint_values_are_what_the_mistakes_give():
    """0.75 和 13.5 真的是这两种错误算出来的数。"""
    x, y = document_line()
    y_hat = 1.5 * x + 0.5
    assert (0.5 * (y_hat - y) ** 2).mean().item() == pytest.approx(0.75)
    with pytest.warns(UserWarning, match="target size"):
        broadcast = nn.MSELoss()(y_hat, y.reshape(-1)).item()
    assert broadcast == pytest.approx(13.5)


def test_check_2_rebinding_inside_no_grad_then_zeroing():
    """w = w - lr * w.grad 写在 no_grad 里，之后 w.grad.zero_()：新的 w 没有梯度，报 AttributeError。"""

    def rebind_then_zero(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w = w - lr * w.grad
            b = b - lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        return loss.item()

    fb = ex.check_2(rebind_then_zero)
    assert not fb and fb.answered
    assert "传进来的 w 已经有梯度" in fb.message and "w -= lr * w.grad" in fb.message, fb.message
    assert "还没有做过反向传播" not in fb.message


def test_check_2_zeroing_between_backward_and_update():
    def zero_too_early(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        w.grad.zero_()
        b.grad.zero_()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        return loss.item()

    fb = ex.check_2(zero_too_early)
    assert not fb and fb.answered
    assert "清零发生在 backward() 和更新之间" in fb.message, fb.message
    assert "w = w - lr" not in fb.message


def test_check_2_optimizer_zero_grad_between_backward_and_step():
    def zero_grad_too_early(w, b, x, y, lr):
        opt = optim.SGD([w, b], lr=lr)
        loss = nn.functional.mse_loss(w * x + b, y)
        loss.backward()
        opt.zero_grad()  # 默认把 .grad 设为 None，step() 就跳过了这两个参数
        opt.step()
        return loss.item()

    fb = ex.check_2(zero_grad_too_early)
    assert not fb and fb.answered
    assert "都是 None" in fb.message and "backward() 之前" in fb.message, fb.message


def test_check_2_praise_is_neutral_and_data_gets_a_note():
    fb = ex.check_2(correct_step)
    assert fb and "no_grad 中更新" not in fb.message and ".data" not in fb.message, fb.message

    def with_data(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        w.data -= lr * w.grad
        b.data -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        return loss.item()

    fb = ex.check_2(with_data)
    assert fb, fb.message
    assert "no_grad 中更新" not in fb.message
    assert ".data" in fb.message and "with torch.no_grad()" in fb.message, fb.message


def test_check_2_missing_no_grad():
    def no_no_grad(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        w -= lr * w.grad
        b -= lr * b.grad
        return loss.item()

    fb = ex.check_2(no_no_grad)
    assert not fb and fb.answered
    assert "torch.no_grad()" in fb.message


def test_check_2_rebinding_instead_of_in_place():
    def rebinding(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        w = w - lr * w.grad
        b = b - lr * b.grad
        return loss.item()

    fb = ex.check_2(rebinding)
    assert not fb
    assert "没有变化" in fb.message


def test_check_2_missing_zero_grad():
    def no_zero(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        return loss.item()

    fb = ex.check_2(no_zero)
    assert not fb
    assert "没有清零" in fb.message


def test_check_2_zeroing_only_w():
    def half_zero(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        return loss.item()

    fb = ex.check_2(half_zero)
    assert not fb
    assert "没有清零" in fb.message


def test_check_2_sum_instead_of_mean():
    def summed(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        return loss.item()

    fb = ex.check_2(summed)
    assert not fb
    assert "平方的平均值" in fb.message


def test_check_2_returns_loss_after_the_update():
    def late_loss(w, b, x, y, lr):
        correct_step(w, b, x, y, lr)
        return ((w * x + b - y) ** 2).mean().item()

    fb = ex.check_2(late_loss)
    assert not fb
    assert "更新之前" in fb.message


def test_check_2_no_return_value():
    def no_return(w, b, x, y, lr):
        correct_step(w, b, x, y, lr)

    fb = ex.check_2(no_return)
    assert not fb and fb.answered
    assert "返回更新之前" in fb.message


@pytest.mark.parametrize("error", [ValueError("oops"), KeyError("k"), ZeroDivisionError()])
def test_check_2_learner_exception_becomes_hint(error):
    def broken(w, b, x, y, lr):
        raise error

    fb = ex.check_2(broken)
    assert not fb
    assert type(error).__name__ in fb.message
    assert "出错" in fb.message


def test_check_2_wrong_signature():
    def three_args(w, b, lr):
        return 0.0

    fb = ex.check_2(three_args)
    assert not fb and "五个参数" in fb.message


def test_check_2_fails_on_the_later_calls_only():
    calls = []

    def breaks_later(w, b, x, y, lr):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("second call")
        return correct_step(w, b, x, y, lr)

    fb = ex.check_2(breaks_later)
    assert not fb and "连续调用" in fb.message


def test_check_2_not_a_function():
    fb = ex.check_2(3)
    assert not fb
    assert "应该是一个函数" in fb.message


# ---------------------------------------------------------------- 练习 3


def test_check_3_accepts_every_form_of_the_right_pair():
    w, b = ex.expected_3()
    x3, y3 = ex.exercise_3_data()
    polyfit = np.polyfit(x3.numpy().ravel(), y3.numpy().ravel(), 1)  # 次数从高到低：[w, b]
    forms = [
        (w, b),
        [w, b],
        (np.float32(w), np.float32(b)),
        (np.array(w), np.array(b)),  # 零维数组
        polyfit,
        np.array([w, b], dtype=np.float32),
        torch.tensor([w, b]),
        torch.tensor([[w], [b]], dtype=torch.float64),
        (torch.tensor([w]), torch.tensor(b)),
        (torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)),
        (Fraction(w), Fraction(b)),
    ]
    for answer in forms:
        fb = ex.check_3(answer)
        assert fb, f"{answer!r}: {fb.message}"


def test_check_3_float64_model_passes():
    x3, y3 = ex.exercise_3_data()
    x3, y3 = x3.double(), y3.double()
    torch.manual_seed(0)
    model = nn.Linear(1, 1).double()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    for _ in range(200):
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x3), y3).backward()
        optimizer.step()
    assert ex.check_3((model.weight.item(), model.bias.item()))
    assert ex.check_3(torch.cat([model.weight.reshape(-1), model.bias]))


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ((-1.5, 2.0), "生成数据时用的直线"),
        ((2.0303, -1.4574), "顺序反了"),
        ((-1.0, 1.5), "还没有收敛"),
        ((float("nan"), 1.0), "发散"),
        (np.array([np.inf, 1.0]), "发散"),
        (-1.5, "元组"),
        (np.array([1.0, 2.0, 3.0]), "元组"),
        (("a", "b"), "都应该是数"),
        ((None, 1.0), "都应该是数"),
        (nn.Linear(1, 1), "模型本身"),
    ],
)
def test_check_3_wrong_answers_get_hints(answer, hint):
    fb = ex.check_3(answer)
    assert not fb and fb.answered
    assert hint in fb.message


def test_check_3_minibatch_answer_gets_the_batch_size_hint():
    """fit 的 batch_size=8、学习率 0.1：参数在最优解附近跳动，差得超过 0.01；提示要说到小批量。"""
    x3, y3 = ex.exercise_3_data()
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    fit(model, x3, y3, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), epochs=200, batch_size=8)
    fb = ex.check_3((model.weight.item(), model.bias.item()))
    assert not fb and fb.answered
    assert "batch_size" in fb.message and "减小学习率" in fb.message, fb.message


def test_document_line_is_what_exercise_1_uses():
    x, y = document_line()
    assert ex.expected_1() == pytest.approx(((1.5 * x + 0.5 - y) ** 2).mean().item())


# ---------------------------------------------------------------- 表驱动：编号与提示的措辞


def test_checkers_come_from_the_exercise_table():
    assert len(ex.EXERCISES) == len(SOLUTIONS)
    for number, check in enumerate((ex.check_1, ex.check_2, ex.check_3), start=1):
        assert check.__name__ == f"check_{number}"
        assert check.__doc__.startswith(f"练习 {number}：")


def test_check_2_not_a_function_says_how_to_define_it():
    fb = ex.check_2(3)
    assert "def gd_step(w, b, x, y, lr)" in fb.message and "现在是 int" in fb.message
    assert "赋给 answer" not in fb.message  # 笔记本把函数直接交给检查器，没有 answer 这个变量


def test_check_2_no_return_after_a_correct_update_is_answered_not_a_stub():
    """w、b 已经更新、只是忘了 return：这不是“还没作答”，提示要说返回更新之前的损失。"""

    def no_return(w, b, x, y, lr):
        correct_step(w, b, x, y, lr)

    fb = ex.check_2(no_return)
    assert fb.answered and not fb
    assert "NoneType" in fb.message and "loss.item()" in fb.message, fb.message


def test_check_2_none_gradient_in_arithmetic_gets_no_zero_hint():
    """把梯度设成 None 以后再用它更新：TypeError（不是 .zero_() 的 AttributeError），不给“不能调用 zero_()”的提示。"""

    def none_then_update(w, b, x, y, lr):
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        w.grad = None
        b.grad = None
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        return loss.item()

    fb = ex.check_2(none_then_update)
    assert fb.answered and not fb
    assert "TypeError" in fb.message and "zero_()" not in fb.message, fb.message


def test_check_2_later_calls_get_the_same_specific_hints():
    """第一次调用正常、之后才出错时，同样给出针对性的提示，并说明是连续调用时出的错。"""
    calls = []

    def rebinds_later(w, b, x, y, lr):
        calls.append(1)
        if len(calls) == 1:
            return correct_step(w, b, x, y, lr)
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w = w - lr * w.grad
        w.grad.zero_()
        return loss.item()

    fb = ex.check_2(rebinds_later)
    assert not fb and "连续调用" in fb.message and "传进来的 w 已经有梯度" in fb.message, fb.message


# ---------------------------------------------------------------- 形状不同的预测和目标被广播（本课讲的错误）


def test_check_1_swapped_w_and_b_gives_the_broadcast_value_and_the_hint_names_both():
    """w、b 写反（0.5 * x + 1.5）的均方误差也是 13.5，和广播成 (5, 5) 的结果相同：提示说出两种可能。"""
    x, y = document_line()
    answer = ((0.5 * x + 1.5 - y) ** 2).mean()
    assert answer.item() == pytest.approx(13.5)
    fb = ex.check_1(answer)
    assert fb.answered and not fb
    assert "被广播了" in fb.message and "写反了" in fb.message, fb.message


def test_check_2_flattened_target_gets_the_broadcast_hint():
    def flattened(w, b, x, y, lr):
        loss = ((w * x + b - y.reshape(-1)) ** 2).mean()  # (5, 1) 减 (5,)：广播成 (5, 5)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad, b.grad = None, None
        return loss.item()

    fb = ex.check_2(flattened)
    assert fb.answered and not fb
    assert "广播" in fb.message and "(5, 1)" in fb.message, fb.message


@pytest.mark.filterwarnings("ignore:Using a target size:UserWarning")
def test_check_3_flattened_target_gets_the_broadcast_hint():
    """目标展平成 (n,) 时损失被广播，训练得到 w ≈ 0、b ≈ y 的平均值：提示说出广播，而不是“还没有收敛”。"""
    x3, y3 = ex.exercise_3_data()
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    for _ in range(300):
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x3), y3.flatten()).backward()
        optimizer.step()
    assert abs(model.weight.item()) < 1e-3
    fb = ex.check_3((model.weight.item(), model.bias.item()))
    assert fb.answered and not fb
    assert "广播" in fb.message and "还没有收敛" not in fb.message, fb.message
