"""第 3 课“自动求导”的练习检查器。

- 练习 1：用自动求导求 f(x) = x³ − 3x 在 x = 2 处的导数；
- 练习 2：用 ``backward(gradient=v)`` 求一个向量-雅可比积；
- 练习 3：自己写中心差分，数值地求梯度；
- 练习 4：用自动求导手写梯度下降，别忘了清零梯度。
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from ..checking import (
    Feedback,
    failed,
    first_line,
    not_answered,
    number_problem,
    passed,
    tensor_problem,
)

# ---------------------------------------------------------------- 练习 1


def check_1(answer: Any) -> Feedback:
    """练习 1：f(x) = x³ − 3x 在 x = 2 处的导数，正确值是 3·2² − 3 = 9。"""
    if answer is None:
        return not_answered()
    if isinstance(answer, torch.Tensor) and answer.numel() == 1:
        answer = answer.detach().item()
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        if abs(answer - 2.0) < 1e-4:
            return failed("2 是函数值 f(2) = 8 − 6，不是导数：调用 backward() 之后看 x.grad。")
        if abs(answer - 12.0) < 1e-4:
            return failed("12 只是 x³ 这一项的导数 3x²：−3x 这一项的导数 −3 也要算进去。")
        if abs(answer - 18.0) < 1e-4:
            return failed("18 正好是正确答案的两倍：backward() 调用了两次，梯度累加了。先把 x.grad 清零再求一次。")
    problem = number_problem(answer, 9.0, tol=1e-4)
    if problem:
        return failed(problem + "提示：导数是 f'(x) = 3x² − 3。")
    return passed("f'(2) = 3·2² − 3 = 9，和手算的结果一致。")


# ---------------------------------------------------------------- 练习 2


def exercise_2_reference() -> torch.Tensor:
    """练习 2 的正确结果：y = x · sum(x)，x = [1, 2, 3]，v = [1, 0, −1] 时的 vᵀJ。"""
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x.sum()
    y.backward(gradient=torch.tensor([1.0, 0.0, -1.0]))
    return x.grad.detach().clone()


def check_2(answer: Any) -> Feedback:
    """练习 2：向量-雅可比积 vᵀJ，正确值是 [4, −2, −8]。"""
    if answer is None:
        return not_answered()
    if isinstance(answer, (list, tuple)):
        return failed("这是 Python 的列表：答案应该是张量，例如 x.grad。")
    expected = exercise_2_reference()
    if isinstance(answer, torch.Tensor) and tuple(answer.shape) == (3,) and answer.dtype.is_floating_point:
        got = answer.detach().to("cpu").float()
        if torch.allclose(got, torch.tensor([12.0, 12.0, 12.0])):
            return failed("这是 v 全为 1 时的结果（相当于 y.sum().backward()）：把 gradient=v 传给 backward。")
        if torch.allclose(got, torch.tensor([6.0, 0.0, -6.0])):
            return failed("只算了雅可比矩阵的对角线：每个 y_i 都通过 sum(x) 依赖所有的 x_j，别漏掉这部分。")
        if torch.allclose(got, 2 * expected):
            return failed("结果是正确答案的两倍：backward 调用了两次，梯度累加了。重新创建 x 再算一次。")
    problem = tensor_problem(answer, expected, name="vᵀJ", check_dtype=False, atol=1e-5)
    if problem:
        return failed(problem)
    return passed("vᵀJ = [4, −2, −8]。backward(gradient=v) 不必算出整个雅可比矩阵就能得到它。")


# ---------------------------------------------------------------- 练习 3


def numeric_grad_reference(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, h: float = 1e-5) -> torch.Tensor:
    """练习 3 的参考答案：对一维张量 x 的每个分量做中心差分。"""
    grad = torch.zeros_like(x)
    for i in range(len(x)):
        step = torch.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def _forward_difference(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, h: float) -> torch.Tensor:
    grad = torch.zeros_like(x)
    for i in range(len(x)):
        step = torch.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x)) / h
    return grad


def _autograd_grad(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    leaf = x.detach().clone().requires_grad_(True)
    f(leaf).backward()
    return leaf.grad.detach()


def _test_functions() -> list[tuple[str, Callable[[torch.Tensor], torch.Tensor], torch.Tensor]]:
    return [
        ("f(x) = sum(x³)", lambda x: (x**3).sum(), torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)),
        (
            "f(x) = x₀·sin(x₁) + x₁²",
            lambda x: x[0] * torch.sin(x[1]) + x[1] ** 2,
            torch.tensor([0.5, -1.2], dtype=torch.float64),
        ),
    ]


def check_3(numeric_grad: Any) -> Feedback:
    """练习 3：learner 写的 ``numeric_grad(f, x)`` 应给出与自动求导一致（误差小于 1e-6）的梯度。"""
    if numeric_grad is None:
        return not_answered("把 numeric_grad 写完（不要再返回 None），再运行这个单元格。")
    if not callable(numeric_grad):
        return failed(f"答案应该是一个函数 numeric_grad(f, x)，现在是 {type(numeric_grad).__name__}。")
    for label, f, x in _test_functions():
        original = x.clone()
        try:
            got = numeric_grad(f, x)
        except Exception as err:  # 把学习者代码中的任何异常都转成中文提示
            return failed(f"对 {label} 调用 numeric_grad 时出错：{type(err).__name__}: {err}")
        if got is None:
            return not_answered("numeric_grad 还在返回 None：把求出的梯度张量 return 出来。")
        if not torch.equal(x, original):
            return failed("numeric_grad 改动了传入的 x：先 clone() 一份再加减 h，或者用 x + step 生成新张量。")
        if isinstance(got, (list, tuple)):
            return failed("numeric_grad 返回了 Python 列表：请返回与 x 形状相同的张量。")
        expected = _autograd_grad(f, x)
        if (
            isinstance(got, torch.Tensor)
            and got.shape == x.shape
            and not torch.allclose(got.detach().double(), expected, atol=1e-6, rtol=0)
            and torch.allclose(got.detach().double(), _forward_difference(f, x, 1e-5), atol=1e-4, rtol=0)
        ):
            return failed(
                "看起来用的是前向差分 (f(x+h) − f(x)) / h，误差约为 h 的量级：改用中心差分 "
                "(f(x+h) − f(x−h)) / (2h)，误差约为 h² 的量级。"
            )
        problem = tensor_problem(got, expected, name=f"对 {label} 求出的梯度", check_dtype=False, atol=1e-6)
        if problem:
            return failed(problem + "提示：每次只让一个分量 x[i] 变化 ±h。")
    return passed("中心差分求出的梯度与自动求导的结果一致（误差小于 1e-6）。")


# ---------------------------------------------------------------- 练习 4

def exercise_4_loss(w: torch.Tensor) -> torch.Tensor:
    """练习 4 的目标函数 f(w) = (w₀ − 1)² + 2·(w₁ + 2)²，最小值点是 (1, −2)。"""
    return (w[0] - 1) ** 2 + 2 * (w[1] + 2) ** 2


def descend_reference(lr: float, steps: int) -> torch.Tensor:
    """练习 4 的参考答案：从 (0, 0) 出发做 ``steps`` 步梯度下降，返回最终的 w。"""
    w = torch.zeros(2, requires_grad=True)
    for _ in range(steps):
        w.grad = None
        exercise_4_loss(w).backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w.detach()


def _descend_without_zeroing(lr: float, steps: int) -> torch.Tensor:
    w = torch.zeros(2, requires_grad=True)
    for _ in range(steps):
        exercise_4_loss(w).backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w.detach()


def check_4(descend: Any) -> Feedback:
    """练习 4：``descend(lr, steps)`` 应与参考答案给出相同的 w（检查两组 lr 和 steps）。"""
    if descend is None:
        return not_answered("把 descend 写完（不要再返回 None），再运行这个单元格。")
    if not callable(descend):
        return failed(f"答案应该是一个函数 descend(lr, steps)，现在是 {type(descend).__name__}。")
    for lr, steps in ((0.1, 30), (0.05, 50)):
        try:
            got = descend(lr, steps)
        except RuntimeError as err:
            first = first_line(err)
            if "leaf Variable" in first:
                return failed(
                    "对需要梯度的叶子节点做了原地更新：把 w -= lr * w.grad 放进 with torch.no_grad(): 里。"
                )
            return failed(f"调用 descend({lr}, {steps}) 时出错：RuntimeError: {first}")
        except Exception as err:  # 把学习者代码中的任何异常都转成中文提示
            return failed(f"调用 descend({lr}, {steps}) 时出错：{type(err).__name__}: {err}")
        if got is None:
            return not_answered("descend 还在返回 None：把最终的 w 返回出来。")
        expected = descend_reference(lr, steps)
        if isinstance(got, torch.Tensor) and got.shape == expected.shape:
            if torch.allclose(got.detach().to("cpu").float(), _descend_without_zeroing(lr, steps), atol=1e-4):
                return failed("w 在来回摆动，没有收敛：每一步 backward() 之前要把 w.grad 清零（w.grad = None）。")
        problem = tensor_problem(got, expected, name=f"descend({lr}, {steps}) 返回的 w", check_dtype=False, atol=1e-4)
        if problem:
            return failed(problem + "提示：从 w = (0, 0) 出发，每一步都是 w ← w − lr·∇f(w)。")
    return passed("两组学习率下的结果都与参考答案一致，w 正在收敛到最小值点 (1, −2)。")
