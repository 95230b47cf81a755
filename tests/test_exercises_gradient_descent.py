"""“梯度下降”一课练习检查器的单元测试。"""

import math

import pytest
import torch

from lessons.exercises import gradient_descent as ex

# ---------- 参考答案（与笔记本中 <details> 里的代码相同） ----------


def reference_gd_momentum(grad_fn, theta0, lr, beta, steps):
    """从 theta0 出发做 steps 步带动量的梯度下降，返回最后的 θ。"""
    theta = theta0.clone()  # 复制一份，不改动传入的 theta0
    v = torch.zeros_like(theta)
    for _ in range(steps):
        v = beta * v + grad_fn(theta)
        theta = theta - lr * v
    return theta


# ---------- 没有作答 ----------


@pytest.mark.parametrize("check", [ex.check_1, ex.check_2, ex.check_3, ex.check_4])
def test_none_is_not_answered(check):
    feedback = check(None)
    assert feedback.answered is False
    assert not feedback


def test_stub_function_returning_none_is_not_answered():
    def stub(grad_fn, theta0, lr, beta, steps):
        return None

    feedback = ex.check_4(stub)
    assert feedback.answered is False
    assert "返回 None" in feedback.message


# ---------- 参考答案通过 ----------


def test_reference_answers_pass():
    assert ex.check_1(2 - 0.1 * 2**3)
    assert ex.check_2(3 * math.ceil(1000 / 64))
    assert ex.check_3(2 / 10)
    assert ex.check_4(reference_gd_momentum)


def test_equivalent_answers_pass():
    assert ex.check_1(torch.tensor(1.2))
    assert ex.check_2(48.0)
    assert ex.check_3(0.1999)  # 二分查找得到的近似值

    def other_convention(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            v = beta * v - lr * grad_fn(theta)
            theta = theta + v
        return theta

    assert ex.check_4(other_convention)


# ---------- 典型的错误答案 ----------


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (2.8, "方向反了"),
        (1.6, "J(2) = 4"),
        (0.8, "移动的距离"),
        (-1.2, "4θ³"),
        (1.0, "先求导数"),
        ("1.2", "应该是一个数"),
    ],
)
def test_check_1_hints(answer, hint):
    feedback = ex.check_1(answer)
    assert feedback.answered and not feedback
    assert hint in feedback.message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (46.875, "必须是整数"),
        (45, "drop_last"),
        (16, "3 个迭代周期"),
        (3, "批量梯度下降"),
        (100, "向上取整"),
    ],
)
def test_check_2_hints(answer, hint):
    feedback = ex.check_2(answer)
    assert feedback.answered and not feedback
    assert hint in feedback.message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (0.4, "J'' = 10"),
        (0.1, "一步就到最低点"),
        (1.0, "(θ − 3)²"),
        (0.15, "还可以再大"),
        (0.3, "不收敛"),
        (-0.2, "必须大于 0"),
        (float("nan"), "不是一个有限的数"),
        ([0.2], "应该是一个数"),
    ],
)
def test_check_3_hints(answer, hint):
    feedback = ex.check_3(answer)
    assert feedback.answered and not feedback
    assert hint in feedback.message


def test_check_4_not_a_function():
    feedback = ex.check_4(0.5)
    assert not feedback and "应该是一个函数" in feedback.message


def test_check_4_reports_exception():
    def broken(grad_fn, theta0, lr, beta, steps):
        return theta0 + undefined_name  # noqa: F821

    feedback = ex.check_4(broken)
    assert not feedback
    assert "运行你的函数时出错：NameError" in feedback.message


def test_check_4_without_momentum():
    def plain(grad_fn, theta0, lr, beta, steps):
        theta = theta0.clone()
        for _ in range(steps):
            theta = theta - lr * grad_fn(theta)
        return theta

    feedback = ex.check_4(plain)
    assert not feedback and "速度 v 没有起作用" in feedback.message


def test_check_4_ema_convention():
    def ema(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            v = beta * v + (1 - beta) * grad_fn(theta)
            theta = theta - lr * v
        return theta

    feedback = ex.check_4(ema)
    assert not feedback and "(1 − β)" in feedback.message


def test_check_4_off_by_one():
    def one_more(grad_fn, theta0, lr, beta, steps):
        return reference_gd_momentum(grad_fn, theta0, lr, beta, steps + 1)

    feedback = ex.check_4(one_more)
    assert not feedback and "相当于做了 31 步" in feedback.message


def test_check_4_wrong_order():
    def theta_first(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            theta = theta - lr * v  # 先用旧的 v 更新 θ，顺序错了
            v = beta * v + grad_fn(theta)
        return theta

    feedback = ex.check_4(theta_first)
    assert not feedback and "先更新 v" in feedback.message


def test_check_4_modifies_input():
    def in_place(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0, torch.zeros_like(theta0)
        for _ in range(steps):
            v = beta * v + grad_fn(theta)
            theta -= lr * v  # 原地修改了调用者的张量
        return theta

    feedback = ex.check_4(in_place)
    assert not feedback and "theta0.clone()" in feedback.message


def test_check_4_wrong_type():
    def as_list(grad_fn, theta0, lr, beta, steps):
        return reference_gd_momentum(grad_fn, theta0, lr, beta, steps).tolist()

    feedback = ex.check_4(as_list)
    assert not feedback and "应该是一个张量" in feedback.message


def test_check_4_other_wrong_update():
    def beta_twice(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            v = beta * v + grad_fn(theta)
            theta = theta - lr * beta * v  # 多乘了一个 beta
        return theta

    feedback = ex.check_4(beta_twice)
    assert not feedback and "torch.optim.SGD(momentum=beta) 不一致" in feedback.message
