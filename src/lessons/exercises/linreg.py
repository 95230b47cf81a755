"""第 4 课“线性回归”的练习检查器。

- :func:`check_1`：用原文的五个点，手算 w = 1.5、b = 0.5 时的均方误差；
- :func:`check_2`：写出一步梯度下降的函数 ``gd_step(w, b, x, y, lr)``；
- :func:`check_3`：拟合一条斜率为负的直线，报告 ``(w, b)``。

检查器接受答案的各种等价写法（Python 数、NumPy 标量和数组、张量、列表），
对任何输入都只返回中文反馈，不会抛出异常。
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from ..checking import (
    Feedback,
    as_number,
    as_tensor,
    error_summary,
    failed,
    never_raises,
    not_answered,
    number_problem,
    passed,
)
from ..data import document_line, noisy_line

#: 练习 1 用的参数。
EX1_W, EX1_B = 1.5, 0.5

#: 练习 2 检查时用的学习率、起点和连续调用的次数。
EX2_LR = 0.01
EX2_START = (0.5, -0.5)
EX2_STEPS = 50

#: 练习 3 的数据：noisy_line(**EX3_DATA)。
EX3_DATA = {"n": 80, "w": -1.5, "b": 2.0, "noise": 0.3, "seed": 1}
#: 练习 3 允许的误差。
EX3_TOL = 0.01




def _scalar(answer: Any) -> float | None:
    """一个数：Python 数、NumPy 标量、只有一个元素的数组、张量或列表；否则返回 ``None``。"""
    number = as_number(answer)
    if number is not None:
        return number
    if isinstance(answer, (list, tuple)):
        tensor = as_tensor(answer)
        if tensor is not None and tensor.numel() == 1 and tensor.dtype != torch.bool:
            return float(tensor.reshape(()).item())
    return None


# ---------------------------------------------------------------- 练习 1


def expected_1() -> float:
    """练习 1 的正确答案：w = 1.5、b = 0.5 时，原文五个点上的均方误差。"""
    x, y = document_line()
    return ((EX1_W * x + EX1_B - y) ** 2).mean().item()


@never_raises
def check_1(answer: Any) -> Feedback:
    """练习 1：w = 1.5、b = 0.5 时，原文五个点上的均方误差（一个数）。"""
    if answer is None:
        return not_answered()
    x, y = document_line()
    residual = EX1_W * x + EX1_B - y
    value = _scalar(answer)
    if value is None:
        return failed(
            f"均方误差应该是一个数（或只有一个元素的张量），现在是 {type(answer).__name__}"
            + (f"，形状为 {tuple(answer.shape)}" if hasattr(answer, "shape") else "")
            + "。先算预测值 1.5 * x + 0.5，再算 (预测值 - y) 的平方的平均值。"
        )
    if math.isfinite(value):
        if abs(value - (residual**2).sum().item()) < 1e-4:
            return failed("这是平方误差的总和：均方误差还要除以样本数 n = 5。")
        if abs(value - (residual**2).mean().sqrt().item()) < 1e-4:
            return failed("这是均方根误差（开了平方根）：均方误差不需要开方。")
        if abs(value - residual.abs().mean().item()) < 1e-4:
            return failed("这是平均绝对误差：均方误差要把每个误差先平方，再取平均。")
        if abs(value - (0.5 * residual**2).mean().item()) < 1e-4:
            return failed(
                f"{value:g} 是把每个样本的损失写成 ½(ŷ − y)² 的结果；"
                "nn.MSELoss 和本课的均方误差前面没有 ½。"
            )
        if abs(value - ((EX1_W * x + EX1_B) - y.reshape(-1)).pow(2).mean().item()) < 1e-4:
            return failed("形状不同的预测和目标被广播了：检查两者是否都是 (5, 1)。")
    problem = number_problem(value, expected_1(), name="均方误差", tol=1e-4)
    if problem:
        return failed(problem + "先算预测值 1.5 * x + 0.5，再算 (预测值 - y) 的平方的平均值。")
    return passed(f"均方误差是 {expected_1():g}：五个误差 0、-0.5、-1、-1.5、-2 的平方的平均值。")


# ---------------------------------------------------------------- 练习 2


def _fresh_parameters() -> tuple[torch.Tensor, torch.Tensor]:
    """练习 2 的起点：两个需要梯度、``.grad`` 还是 ``None`` 的标量张量。"""
    w = torch.tensor(EX2_START[0], requires_grad=True)
    b = torch.tensor(EX2_START[1], requires_grad=True)
    return w, b


def _sgd_step(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """标准答案用 ``torch.optim.SGD`` 算：一步梯度下降，返回更新前的损失。"""
    optimizer = torch.optim.SGD([w, b], lr=lr)
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(w * x + b, y)
    loss.backward()
    optimizer.step()
    return loss.item()


def _grad_is_clear(t: torch.Tensor) -> bool:
    return t.grad is None or bool((t.grad == 0).all())


def _same(param: torch.Tensor, reference: torch.Tensor, tol: float) -> bool:
    """学习者的参数与标准答案的参数在容差内相等（nan、inf 不算相等）。"""
    if not isinstance(param, torch.Tensor) or param.numel() != 1:
        return False
    value = param.detach().double().item()
    return math.isfinite(value) and math.isclose(value, reference.item(), abs_tol=tol)


def _call_hint(err: Exception, when: str, params: tuple[torch.Tensor, torch.Tensor]) -> Feedback:
    """学习者的 gd_step 抛出了异常：尽量给出有针对性的提示。

    ``params`` 是传给 gd_step 的 ``(w, b)``：从它们的 ``.grad`` 可以看出出错时走到了哪一步。
    """
    message = error_summary(err)
    if isinstance(err, RuntimeError) and ("leaf Variable" in message or "in-place" in message):
        return failed(
            "对需要梯度的叶子节点做原地更新时出错了：把 w -= lr * w.grad 这样的更新写在 "
            f"with torch.no_grad(): 里面。（原始错误：{message}）"
        )
    if isinstance(err, AttributeError) and "NoneType" in message:
        if any(p.grad is not None for p in params):
            return failed(
                "报错时的 w.grad 是 None，可传进来的 w 已经有梯度了：多半是写了 w = w - lr * w.grad，"
                "名字 w 改指向了一个没有梯度的新张量。改成在 with torch.no_grad(): 里原地更新 w -= lr * w.grad。"
                f"（原始错误：{message}）"
            )
        return failed(
            "第一次调用时 w.grad 还是 None（还没有做过反向传播），所以不能调用 w.grad.zero_()。"
            "把清零移到更新之后，或者在开头写 w.grad = None（也可以先判断 if w.grad is not None）。"
            f"（原始错误：{message}）"
        )
    if isinstance(err, TypeError) and "positional argument" in message:
        return failed(f"gd_step 应该接受五个参数 (w, b, x, y, lr)。（原始错误：{message}）")
    return failed(f"{when}出错：{message}")


def _unchanged_hint(w: torch.Tensor, b: torch.Tensor) -> Feedback:
    """调用 gd_step 之后 w、b 都没有变化：从它们的 ``.grad`` 推断原因。"""
    grads = (w.grad, b.grad)
    if all(g is not None and bool((g == 0).all()) for g in grads):
        return failed(
            "w、b 没有变化，梯度却已经是 0：清零发生在 backward() 和更新之间，更新用的是清零后的梯度（第 6.3 节）。"
            "把清零移到更新之后，或 backward() 之前。"
        )
    if all(g is None for g in grads):
        return failed(
            "w、b 没有变化，w.grad 和 b.grad 也都是 None：检查是否调用了 loss.backward()；"
            "如果在 backward() 和更新之间调用了 optimizer.zero_grad()（默认把梯度设为 None），"
            "更新时就没有梯度可用了，把它移到 backward() 之前。"
        )
    return failed(
        "调用之后 w 和 b 没有变化：要原地更新传进来的张量（w -= lr * w.grad），"
        "写成 w = w - lr * w.grad 只会在函数里创建一个新张量。"
    )


def _data_note(gd_step: Callable[..., Any]) -> str:
    """答案的源代码用了 ``.data`` 时，附上一句提醒；读不到源代码时返回空字符串。"""
    try:
        source = inspect.getsource(gd_step)
    except (OSError, TypeError):
        return ""
    if not re.search(r"\.data\b", source):
        return ""
    return (
        "另外，.data 上的原地修改不会被自动求导的检查发现，出错时梯度会悄悄算错，"
        "PyTorch 不推荐这样写；更新参数请写在 with torch.no_grad(): 里。"
    )


@never_raises
def check_2(gd_step: Callable[..., Any] | None) -> Feedback:
    """练习 2：函数 ``gd_step(w, b, x, y, lr)`` 原地更新 w、b，清零梯度，返回更新前的损失。

    在计算梯度之前清零（和 ``optimizer.zero_grad()`` 的位置相同）或在更新之后清零都算对：
    检查器连续调用多次，看结果是否与 ``torch.optim.SGD`` 一致。
    """
    if gd_step is None:
        return not_answered()
    if not callable(gd_step):
        return failed(f"答案应该是一个函数（用 def gd_step(w, b, x, y, lr): 定义），现在是 {type(gd_step).__name__}。")
    x, y = document_line()
    lr = EX2_LR
    w, b = _fresh_parameters()
    w_ref, b_ref = _fresh_parameters()
    try:
        result = gd_step(w, b, x, y, lr)
    except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
        return _call_hint(err, "运行 gd_step 时", (w, b))
    if not (isinstance(w, torch.Tensor) and isinstance(b, torch.Tensor) and w.numel() == 1 and b.numel() == 1):
        return failed("调用之后 w 或 b 不再是只有一个元素的张量：只更新它们的数值，不要改变形状。")
    unchanged = w.item() == EX2_START[0] and b.item() == EX2_START[1]
    if result is None and unchanged:
        return not_answered("在 gd_step 里写出一步梯度下降，再运行这个单元格。")
    expected_loss = _sgd_step(w_ref, b_ref, x, y, lr)
    if unchanged:
        return _unchanged_hint(w, b)
    if not (w.requires_grad and b.requires_grad and w.is_leaf and b.is_leaf):
        return failed("更新之后 w 或 b 不再是需要梯度的叶子节点：更新要写在 with torch.no_grad(): 里面。")
    if not (_same(w, w_ref, 1e-5) and _same(b, b_ref, 1e-5)):
        return failed(
            f"一步之后 w、b 应为 {w_ref.item():.5f}、{b_ref.item():.5f}，现在是 {w.item():.5f}、{b.item():.5f}："
            "检查损失是不是均方误差（平方的平均值），更新是不是 参数 -= lr * 梯度。"
        )
    returned = _scalar(result)
    problem = number_problem(result if returned is None else returned, expected_loss, name="返回值（更新前的损失）", tol=1e-4)
    if problem:
        return failed(problem + "函数应返回更新之前算出的损失，例如 loss.item()。")
    grads_left = not (_grad_is_clear(w) and _grad_is_clear(b))
    # 连续调用多次：每一步都要用新的梯度（清零可以在开头，也可以在结尾）
    try:
        for _ in range(EX2_STEPS):
            gd_step(w, b, x, y, lr)
            _sgd_step(w_ref, b_ref, x, y, lr)
    except Exception as err:
        return _call_hint(err, "连续调用 gd_step 时", (w, b))
    if not (_same(w, w_ref, 1e-4) and _same(b, b_ref, 1e-4)):
        if grads_left:
            return failed(
                "第一步是对的，但梯度没有清零，连续调用时新梯度累加到了旧梯度上，结果越来越偏。"
                "在更新之后调用 w.grad.zero_() 和 b.grad.zero_()（或在 backward() 之前把梯度清零）。"
            )
        return failed("第一步是对的，但连续调用多次之后结果偏了：检查每一步是否都重新计算了损失和梯度。")
    note = _data_note(gd_step)
    if grads_left:
        return passed(
            "你在每一步开头清零梯度（和 optimizer.zero_grad() 的位置相同），连续调用的结果都正确。"
            "训练循环的全部要素都有了：前向传播、反向传播、更新参数、清零梯度。" + note
        )
    return passed("这一步包含了训练循环的全部要素：前向传播、反向传播、更新参数、清零梯度。" + note)


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


def _two_numbers(answer: Any) -> tuple[float | None, float | None] | None:
    """把 ``(w, b)`` 形式的答案变成两个数；不是“两个东西”时返回 ``None``。

    接受元组、列表、有两个元素的张量或 NumPy 数组（例如 ``np.polyfit(x, y, 1)`` 的结果）。
    元素本身不是数时，对应的位置是 ``None``。
    """
    if isinstance(answer, (torch.Tensor, np.ndarray)):
        tensor = as_tensor(answer)
        if tensor is None or tensor.numel() != 2:
            return None
        items: list[Any] = list(tensor.reshape(-1))
    elif isinstance(answer, (tuple, list)) and len(answer) == 2:
        items = list(answer)
    else:
        return None
    first, second = (_scalar(item) for item in items)
    return first, second


@never_raises
def check_3(answer: Any) -> Feedback:
    """练习 3：拟合 ``exercise_3_data()`` 得到的 ``(w, b)``，两个数组成的元组。"""
    if answer is None:
        return not_answered()
    if isinstance(answer, nn.Module):
        return failed("答案应是两个数 (w, b)，而不是模型本身：写成 (model.weight.item(), model.bias.item())。")
    pair = _two_numbers(answer)
    if pair is None:
        return failed("答案应该是两个数组成的元组 (w, b)，例如 (model.weight.item(), model.bias.item())。")
    w, b = pair
    if w is None or b is None:
        return failed("元组里的两个元素都应该是数：用 .item() 把只有一个元素的张量变成 Python 数。")
    if not (math.isfinite(w) and math.isfinite(b)):
        return failed("结果里有 nan 或 inf：训练发散了，把学习率调小一些。")
    w_best, b_best = expected_3()
    tol = EX3_TOL
    if abs(w - b_best) < tol and abs(b - w_best) < tol:
        return failed("两个数的顺序反了：要写成 (w, b)，斜率在前、截距在后。")
    if abs(w - EX3_DATA["w"]) < 1e-9 and abs(b - EX3_DATA["b"]) < 1e-9:
        return failed("这是生成数据时用的直线 (-1.5, 2.0)，不是拟合结果：因为有噪声，最优的 w、b 和它略有不同，请训练模型求出来。")
    if abs(w - w_best) > tol or abs(b - b_best) > tol:
        return failed(
            f"w = {w:.4f}、b = {b:.4f} 离最优解还差得比较多（允许误差 {tol}）："
            "模型可能还没有收敛，试着增加迭代周期或适当调大学习率，并确认每一步都清零了梯度。"
            "如果用了 fit 的 batch_size（小批量），学习率不变时参数会在最优解附近跳动：去掉 batch_size，或者减小学习率。"
        )
    return passed(f"w ≈ {w_best:.3f}，b ≈ {b_best:.3f}，和闭式解一致（误差小于 {tol}）。")
