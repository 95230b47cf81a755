"""第 3 课“自动求导”练习检查器的单元测试。"""

from __future__ import annotations

import torch

from lessons.exercises import autograd as ex

# ---------------------------------------------------------------- 参考答案（与笔记本 <details> 中的代码相同）


def reference_answer_1() -> float:
    x1 = torch.tensor(2.0, requires_grad=True)
    f1 = x1**3 - 3 * x1
    f1.backward()
    return x1.grad.item()  # 3·2² − 3 = 9


def reference_answer_2() -> torch.Tensor:
    x2 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y2 = x2 * x2.sum()
    v2 = torch.tensor([1.0, 0.0, -1.0])
    y2.backward(gradient=v2)
    return x2.grad  # tensor([ 4., -2., -8.])


def numeric_grad(f, x, h=1e-5):
    """用中心差分求 f 在 x 处的梯度。"""
    grad = torch.zeros_like(x)
    for i in range(len(x)):
        step = torch.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def descend(lr, steps):
    """从 (0, 0) 出发做 steps 步梯度下降，返回最终的 w。"""
    w = torch.zeros(2, requires_grad=True)
    for _ in range(steps):
        w.grad = None  # 清零梯度
        loss = (w[0] - 1) ** 2 + 2 * (w[1] + 2) ** 2
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w.detach()


# ---------------------------------------------------------------- 练习 1


def test_check_1_not_answered():
    assert ex.check_1(None).answered is False


def test_check_1_reference_passes():
    assert ex.check_1(reference_answer_1())
    x1 = torch.tensor(2.0, requires_grad=True)
    (x1**3 - 3 * x1).backward()
    assert ex.check_1(x1.grad)  # 直接交张量也可以


def test_check_1_function_value_instead_of_derivative():
    feedback = ex.check_1(2.0)
    assert not feedback and "函数值" in feedback.message


def test_check_1_forgot_linear_term():
    feedback = ex.check_1(12.0)
    assert not feedback and "−3x" in feedback.message


def test_check_1_accumulated_twice():
    feedback = ex.check_1(torch.tensor(18.0))
    assert not feedback and "累加" in feedback.message


def test_check_1_wrong_type():
    feedback = ex.check_1("9")
    assert not feedback and "应该是一个数" in feedback.message


# ---------------------------------------------------------------- 练习 2


def test_check_2_not_answered():
    assert ex.check_2(None).answered is False


def test_check_2_reference_passes():
    assert ex.check_2(reference_answer_2())


def test_check_2_all_ones_vector():
    feedback = ex.check_2(torch.tensor([12.0, 12.0, 12.0]))
    assert not feedback and "gradient=v" in feedback.message


def test_check_2_only_diagonal():
    feedback = ex.check_2(torch.tensor([6.0, 0.0, -6.0]))
    assert not feedback and "对角线" in feedback.message


def test_check_2_list_and_wrong_shape():
    assert "列表" in ex.check_2([4.0, -2.0, -8.0]).message
    assert "形状" in ex.check_2(torch.zeros(2, 3)).message


# ---------------------------------------------------------------- 练习 3


def test_check_3_not_answered():
    assert ex.check_3(None).answered is False
    assert ex.check_3(lambda f, x, h=1e-5: None).answered is False


def test_check_3_reference_passes():
    assert ex.check_3(numeric_grad)


def test_check_3_forward_difference():
    def forward(f, x, h=1e-5):
        grad = torch.zeros_like(x)
        for i in range(len(x)):
            step = torch.zeros_like(x)
            step[i] = h
            grad[i] = (f(x + step) - f(x)) / h
        return grad

    feedback = ex.check_3(forward)
    assert not feedback and "中心差分" in feedback.message


def test_check_3_modifies_input():
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
    assert not feedback and "改动了传入的 x" in feedback.message


def test_check_3_exception_is_reported():
    def broken(f, x, h=1e-5):
        raise ValueError("坏了")

    feedback = ex.check_3(broken)
    assert not feedback and "ValueError" in feedback.message


def test_check_3_not_callable():
    feedback = ex.check_3(42)
    assert not feedback and "函数" in feedback.message


# ---------------------------------------------------------------- 练习 4


def test_check_4_not_answered():
    assert ex.check_4(None).answered is False
    assert ex.check_4(lambda lr, steps: None).answered is False


def test_check_4_reference_passes():
    assert ex.check_4(descend)


def test_check_4_forgot_zero_grad():
    def no_zero(lr, steps):
        w = torch.zeros(2, requires_grad=True)
        for _ in range(steps):
            loss = (w[0] - 1) ** 2 + 2 * (w[1] + 2) ** 2
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
        return w.detach()

    feedback = ex.check_4(no_zero)
    assert not feedback and "清零" in feedback.message


def test_check_4_in_place_without_no_grad():
    def no_no_grad(lr, steps):
        w = torch.zeros(2, requires_grad=True)
        for _ in range(steps):
            w.grad = None
            loss = (w[0] - 1) ** 2 + 2 * (w[1] + 2) ** 2
            loss.backward()
            w -= lr * w.grad
        return w

    feedback = ex.check_4(no_no_grad)
    assert not feedback and "torch.no_grad()" in feedback.message


def test_check_4_wrong_sign():
    def ascend(lr, steps):
        w = torch.zeros(2, requires_grad=True)
        for _ in range(steps):
            w.grad = None
            loss = (w[0] - 1) ** 2 + 2 * (w[1] + 2) ** 2
            loss.backward()
            with torch.no_grad():
                w += lr * w.grad
        return w.detach()

    feedback = ex.check_4(ascend)
    assert not feedback and "数值不对" in feedback.message


def test_check_4_returns_list():
    feedback = ex.check_4(lambda lr, steps: descend(lr, steps).tolist())
    assert not feedback and "张量" in feedback.message
