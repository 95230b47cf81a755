"""第 4 课“线性回归”的练习检查器。

- :func:`check_1`：用原文的五个点，手算 w = 1.5、b = 0.5 时的均方误差；
- :func:`check_2`：写出一步梯度下降的函数 ``gd_step(w, b, x, y, lr)``；
- :func:`check_3`：拟合一条斜率为负的直线，报告 ``(w, b)``。
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from ..checking import (
    Feedback,
    as_number,
    error_summary,
    failed,
    not_answered,
    number_problem,
    passed,
)
from ..data import document_line, noisy_line

#: 练习 1 用的参数。
EX1_W, EX1_B = 1.5, 0.5

#: 练习 3 的数据：noisy_line(**EX3_DATA)。
EX3_DATA = {"n": 80, "w": -1.5, "b": 2.0, "noise": 0.3, "seed": 1}




# ---------------------------------------------------------------- 练习 1


def expected_1() -> float:
    """练习 1 的正确答案：w = 1.5、b = 0.5 时，原文五个点上的均方误差。"""
    x, y = document_line()
    return ((EX1_W * x + EX1_B - y) ** 2).mean().item()


def check_1(answer: Any) -> Feedback:
    """练习 1：w = 1.5、b = 0.5 时，原文五个点上的均方误差（一个数）。"""
    if answer is None:
        return not_answered()
    x, y = document_line()
    residual = EX1_W * x + EX1_B - y
    value = as_number(answer)
    if value is not None and math.isfinite(value):
        if abs(value - (residual**2).sum().item()) < 1e-4:
            return failed("这是平方误差的总和：均方误差还要除以样本数 n = 5。")
        if abs(value - (residual**2).mean().sqrt().item()) < 1e-4:
            return failed("这是均方根误差（开了平方根）：均方误差不需要开方。")
        if abs(value - residual.abs().mean().item()) < 1e-4:
            return failed("这是平均绝对误差：均方误差要把每个误差先平方，再取平均。")
    problem = number_problem(answer, expected_1(), name="均方误差", tol=1e-4)
    if problem:
        return failed(problem + "先算预测值 1.5 * x + 0.5，再算 (预测值 - y) 的平方的平均值。")
    return passed(f"均方误差是 {expected_1():g}：五个误差 0、-0.5、-1、-1.5、-2 的平方的平均值。")


# ---------------------------------------------------------------- 练习 2


def _fresh_parameters() -> tuple[torch.Tensor, torch.Tensor]:
    w = torch.tensor(0.5, requires_grad=True)
    b = torch.tensor(-0.5, requires_grad=True)
    return w, b


def reference_step(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """练习 2 的参考实现：一步梯度下降，返回更新前的损失。"""
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    return loss.item()


def _grad_is_clear(t: torch.Tensor) -> bool:
    return t.grad is None or bool((t.grad == 0).all())


def check_2(gd_step: Callable[..., Any] | None) -> Feedback:
    """练习 2：函数 ``gd_step(w, b, x, y, lr)`` 原地更新 w、b，清零梯度，返回更新前的损失。"""
    if gd_step is None:
        return not_answered()
    if not callable(gd_step):
        return failed(f"答案应该是一个函数（用 def gd_step(w, b, x, y, lr): 定义），现在是 {type(gd_step).__name__}。")
    x, y = document_line()
    lr = 0.01
    w, b = _fresh_parameters()
    w_ref, b_ref = _fresh_parameters()
    try:
        result = gd_step(w, b, x, y, lr)
    except RuntimeError as err:
        message = error_summary(err)
        if "leaf Variable" in message or "in-place" in message:
            return failed(
                "对需要梯度的叶子节点做原地更新时出错了：把 w -= lr * w.grad 这样的更新写在 "
                f"with torch.no_grad(): 里面。（原始错误：{message}）"
            )
        return failed(f"运行 gd_step 时出错：RuntimeError: {message}")
    except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
        return failed(f"运行 gd_step 时出错：{type(err).__name__}: {err}")
    unchanged = w.item() == 0.5 and b.item() == -0.5
    if result is None and unchanged:
        return not_answered("在 gd_step 里写出一步梯度下降，再运行这个单元格。")
    expected_loss = reference_step(w_ref, b_ref, x, y, lr)
    if unchanged:
        return failed(
            "调用之后 w 和 b 没有变化：要原地更新传进来的张量（w -= lr * w.grad），"
            "写成 w = w - lr * w.grad 只会在函数里创建一个新张量。"
        )
    if not (w.requires_grad and b.requires_grad and w.is_leaf and b.is_leaf):
        return failed("更新之后 w 或 b 不再是需要梯度的叶子节点：更新要写在 with torch.no_grad(): 里面。")
    if not (math.isclose(w.item(), w_ref.item(), abs_tol=1e-5) and math.isclose(b.item(), b_ref.item(), abs_tol=1e-5)):
        return failed(
            f"一步之后 w、b 应为 {w_ref.item():.5f}、{b_ref.item():.5f}，现在是 {w.item():.5f}、{b.item():.5f}："
            "检查损失是不是均方误差（平方的平均值），更新是不是 参数 -= lr * 梯度。"
        )
    if not (_grad_is_clear(w) and _grad_is_clear(b)):
        return failed("参数更新对了，但梯度没有清零：下一步的梯度会累加上去。更新之后调用 w.grad.zero_() 和 b.grad.zero_()。")
    problem = number_problem(result, expected_loss, name="返回值（更新前的损失）", tol=1e-4)
    if problem:
        return failed(problem + "函数应返回更新之前算出的损失，例如 loss.item()。")
    # 连续走 50 步，确认多次调用时也正确（例如梯度没有累加）
    try:
        for _ in range(50):
            gd_step(w, b, x, y, lr)
            reference_step(w_ref, b_ref, x, y, lr)
    except Exception as err:
        return failed(f"连续调用 gd_step 时出错：{type(err).__name__}: {err}")
    if not (math.isclose(w.item(), w_ref.item(), abs_tol=1e-4) and math.isclose(b.item(), b_ref.item(), abs_tol=1e-4)):
        return failed("第一步是对的，但连续调用多次之后结果偏了：检查每一步是否都清零了梯度。")
    return passed("这一步包含了训练循环的全部要素：前向传播、反向传播、在 no_grad 中更新、清零梯度。")


# ---------------------------------------------------------------- 练习 3


def exercise_3_data() -> tuple[torch.Tensor, torch.Tensor]:
    """练习 3 的数据：直线 y = -1.5x + 2 加上噪声，80 个点。"""
    return noisy_line(**EX3_DATA)


def expected_3() -> tuple[float, float]:
    """练习 3 的最优 ``(w, b)``：用最小二乘（闭式解）求出。"""
    x, y = exercise_3_data()
    design = torch.cat([x, torch.ones_like(x)], dim=1)
    w, b = torch.linalg.lstsq(design, y).solution.reshape(-1).tolist()
    return w, b


def check_3(answer: Any) -> Feedback:
    """练习 3：拟合 ``exercise_3_data()`` 得到的 ``(w, b)``，两个数组成的元组。"""
    if answer is None:
        return not_answered()
    if isinstance(answer, torch.Tensor) and answer.numel() == 2:
        answer = tuple(answer.reshape(-1).tolist())
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return failed("答案应该是两个数组成的元组 (w, b)，例如 (model.weight.item(), model.bias.item())。")
    w, b = (as_number(v) for v in answer)
    if w is None or b is None:
        return failed("元组里的两个元素都应该是数：用 .item() 把只有一个元素的张量变成 Python 数。")
    if not (math.isfinite(w) and math.isfinite(b)):
        return failed("结果里有 nan 或 inf：训练发散了，把学习率调小一些。")
    w_best, b_best = expected_3()
    tol = 0.01
    if abs(w - b_best) < tol and abs(b - w_best) < tol:
        return failed("两个数的顺序反了：要写成 (w, b)，斜率在前、截距在后。")
    if abs(w - EX3_DATA["w"]) < 1e-9 and abs(b - EX3_DATA["b"]) < 1e-9:
        return failed("这是生成数据时用的直线 (-1.5, 2.0)，不是拟合结果：因为有噪声，最优的 w、b 和它略有不同，请训练模型求出来。")
    if abs(w - w_best) > tol or abs(b - b_best) > tol:
        return failed(
            f"w = {w:.4f}、b = {b:.4f} 离最优解还差得比较多（允许误差 {tol}）："
            "模型可能还没有收敛，试着增加迭代周期或适当调大学习率，并确认每一步都清零了梯度。"
        )
    return passed(f"w ≈ {w_best:.3f}，b ≈ {b_best:.3f}，和闭式解一致（误差小于 {tol}）。")
