"""第 4 课（线性回归）练习检查器的单元测试。"""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn, optim

from lessons.data import document_line, noisy_line
from lessons.exercises import linreg as ex

# ---------------------------------------------------------------- 练习 1


def test_check_1_not_answered():
    fb = ex.check_1(None)
    assert fb.answered is False
    assert not fb


def test_check_1_reference_solution_passes():
    x, y = document_line()
    answer = ((1.5 * x + 0.5 - y) ** 2).mean()
    fb = ex.check_1(answer)
    assert fb, fb.message
    assert ex.check_1(1.5)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (7.5, "总和"),
        (math.sqrt(1.5), "均方根误差"),
        (1.0, "平均绝对误差"),
        (2.0, "相差超过"),
        ("1.5", "应该是一个数"),
        (torch.tensor([1.5, 1.5]), "应该是一个数"),
    ],
)
def test_check_1_wrong_answers_get_hints(answer, hint):
    fb = ex.check_1(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


# ---------------------------------------------------------------- 练习 2


def gd_step(w, b, x, y, lr):
    """参考答案（与笔记本中 <details> 里的代码相同）。"""
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    return loss.item()


def test_check_2_not_answered():
    assert ex.check_2(None).answered is False

    def stub(w, b, x, y, lr):
        return None

    assert ex.check_2(stub).answered is False


def test_check_2_reference_solution_passes():
    fb = ex.check_2(gd_step)
    assert fb, fb.message


def test_check_2_optimizer_style_solution_passes():
    def with_optimizer(w, b, x, y, lr):
        opt = optim.SGD([w, b], lr=lr)
        opt.zero_grad()
        loss = nn.functional.mse_loss(w * x + b, y)
        loss.backward()
        opt.step()
        opt.zero_grad()
        return loss

    fb = ex.check_2(with_optimizer)
    assert fb, fb.message


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


def test_check_2_no_return_value():
    def no_return(w, b, x, y, lr):
        gd_step(w, b, x, y, lr)

    fb = ex.check_2(no_return)
    assert not fb and fb.answered
    assert "返回更新之前" in fb.message


def test_check_2_learner_exception_becomes_hint():
    def broken(w, b, x, y, lr):
        raise ValueError("oops")

    fb = ex.check_2(broken)
    assert not fb
    assert "ValueError" in fb.message


def test_check_2_not_a_function():
    fb = ex.check_2(3)
    assert not fb
    assert "应该是一个函数" in fb.message


# ---------------------------------------------------------------- 练习 3


def reference_answer_3():
    """参考答案（与笔记本中 <details> 里的代码相同）。"""
    x3, y3 = noisy_line(n=80, w=-1.5, b=2.0, noise=0.3, seed=1)
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.MSELoss()
    for _ in range(200):
        optimizer.zero_grad()
        loss = loss_fn(model(x3), y3)
        loss.backward()
        optimizer.step()
    return (model.weight.item(), model.bias.item())


def test_check_3_not_answered():
    assert ex.check_3(None).answered is False


def test_check_3_reference_solution_passes():
    fb = ex.check_3(reference_answer_3())
    assert fb, fb.message


def test_check_3_accepts_tensors():
    w, b = ex.expected_3()
    assert ex.check_3((torch.tensor([w]), torch.tensor(b)))
    assert ex.check_3(torch.tensor([w, b]))


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ((-1.5, 2.0), "生成数据时用的直线"),
        ((2.0303, -1.4574), "顺序反了"),
        ((-1.0, 1.5), "还没有收敛"),
        ((float("nan"), 1.0), "发散"),
        (-1.5, "元组"),
        (("a", "b"), "都应该是数"),
    ],
)
def test_check_3_wrong_answers_get_hints(answer, hint):
    fb = ex.check_3(answer)
    assert not fb and fb.answered
    assert hint in fb.message
