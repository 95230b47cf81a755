"""第 1 课“张量”的练习检查器。

- :func:`check_1`：创建一个形状为 ``(3, 4)``、类型为 ``torch.float32`` 的张量；
- :func:`check_2`：函数 ``center_rows(x)``，让矩阵的每一行减去该行的均值（广播与 ``keepdim``）；
- :func:`check_3`：函数 ``columns_flat(m)``，按列展开矩阵，结果要有自己的存储（视图与复制）；
- :func:`check_4`：函数 ``predict(scores)``，返回每一行最大值所在的列号（``argmax`` 与 ``dim``）。

题目没有规定数据类型的地方，任何合理的类型都算对（例如练习 2 返回 ``float64`` 也可以）。
检查器从不抛出异常：答案本身出错、返回 ``None``、``nan``、字符串或形状不对，都得到一条中文反馈。
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..checking import (
    Feedback,
    error_summary,
    failed,
    never_raises,
    not_answered,
    passed,
    tensor_problem,
)

_STUB_HINT = "函数还在返回 None，把 return None 换成你的代码，再运行这个单元格。"




def _same_storage(a: torch.Tensor, b: torch.Tensor) -> bool:
    """两个张量是否共享同一块存储。"""
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


def _call(func: Callable[[torch.Tensor], Any], arg: torch.Tensor) -> tuple[Any, str | None]:
    """调用学习者的函数；出错时返回 ``(None, 中文说明)``，不把异常抛给学习者。"""
    try:
        return func(arg), None
    except Exception as err:  # 学习者的代码可能抛出任何异常
        return None, f"调用你的函数时出错：{error_summary(err)}"


def _not_a_tensor(value: Any, name: str) -> str | None:
    """``value`` 不是张量时，返回针对列表、NumPy 数组等常见情况的中文提示。"""
    if isinstance(value, torch.Tensor):
        return None
    if isinstance(value, (list, tuple)):
        return f"{name}是 Python 的{'列表' if isinstance(value, list) else '元组'}，不是张量：题目要的是张量。"
    if isinstance(value, np.ndarray):
        return f"{name}是 NumPy 数组，不是张量：用 torch 的函数计算，或用 torch.from_numpy 转换。"
    if isinstance(value, np.generic):
        return f"{name}是 NumPy 的一个数（{type(value).__name__}），不是张量：题目要的是张量。"
    return f"{name}应该是一个张量（torch.Tensor），现在是 {type(value).__name__}。"


def _float_problem(result: Any, expected: torch.Tensor, name: str) -> str | None:
    """比较浮点结果：任何浮点类型都可以，容差随类型的精度放宽；返回问题描述或 ``None``。"""
    problem = _not_a_tensor(result, name)
    if problem:
        return problem
    if tuple(result.shape) != tuple(expected.shape):
        return f"{name}的形状应为 {tuple(expected.shape)}，现在是 {tuple(result.shape)}。"
    if not result.dtype.is_floating_point:
        return f"{name}的数据类型是 {result.dtype}，不是浮点数：计算过程中不要把结果转成整数或布尔类型。"
    got = result.detach().to("cpu").double()
    if not torch.isfinite(got).all():
        return f"{name}中有 nan 或 inf：检查是不是除以了零，或者用了没有赋值的张量（如 torch.empty）。"
    scale = float(expected.abs().max()) if expected.numel() else 0.0
    atol = 1e-5 + 8 * torch.finfo(result.dtype).eps * scale
    if not torch.allclose(got, expected.double(), atol=atol, rtol=0):
        return f"{name}的形状对了，但数值不对。"
    return None


# ---------------------------------------------------------------- 练习 1


@never_raises
def check_1(answer: Any) -> Feedback:
    """练习 1：包含 0 到 11 的 ``float32`` 张量，形状 ``(3, 4)``，按行依次排列（题目规定了类型）。"""
    if answer is None:
        return not_answered()
    if isinstance(answer, (list, tuple)):
        return failed("这是 Python 的列表，不是张量：用 torch.arange 直接创建张量。")
    if isinstance(answer, (np.ndarray, np.generic)):
        return failed(f"这是 NumPy 的 {type(answer).__name__}，不是张量：用 torch.arange 直接创建张量。")
    expected = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    if isinstance(answer, torch.Tensor):
        if answer.dtype == torch.bool or answer.is_complex():
            return failed(f"数据类型应为 torch.float32，现在是 {answer.dtype}。")
        if answer.numel() == 12 and tuple(answer.shape) != (3, 4):
            if tuple(answer.shape) == (4, 3):
                return failed("形状反了：(3, 4) 表示 3 行 4 列，现在是 4 行 3 列。")
            return failed(f"元素个数对了，但形状是 {tuple(answer.shape)}：用 .reshape(3, 4) 改成 3 行 4 列。")
        if tuple(answer.shape) == (3, 4):
            got = answer.detach().to("cpu").double()
            if torch.equal(got, expected.double() + 1):
                return failed("数值从 1 开始了：torch.arange(12) 从 0 开始、不包含终点 12，正好是 0 到 11。")
            if torch.equal(got, expected.double()) and answer.dtype != torch.float32:
                return failed(
                    f"数值和形状都对了，但数据类型是 {answer.dtype}：题目要求 torch.float32，"
                    "加上 dtype=torch.float32，或者在末尾调用 .float()。"
                )
    problem = tensor_problem(answer, expected)
    if problem:
        return failed(problem)
    return passed("这是一个 3 行 4 列的 float32 张量，正是模型最常用的数据类型。")


# ---------------------------------------------------------------- 练习 2


def _center_rows_expected(x: torch.Tensor) -> torch.Tensor:
    """检查器自己算出的正确结果（用 float64 计算，避免精度影响比较）。"""
    x = x.double()
    return x - x.mean(dim=1, keepdim=True)


@never_raises
def check_2(answer: Any) -> Feedback:
    """练习 2：函数 ``center_rows(x)`` 返回 ``x`` 的每一行减去该行均值后的新张量。

    返回任何浮点类型都可以（``float32``、``float64``……）；不能修改传入的 ``x``。
    """
    if answer is None:
        return not_answered()
    if not callable(answer):
        return failed("answer 应该是一个函数：把你写好的函数名（不带括号）赋给 answer，例如 answer = center_rows。")
    g = torch.Generator().manual_seed(1)
    # 非方阵、方阵（能暴露“忘了 keepdim 却没有报错”）和一个 float64 矩阵
    inputs = (
        torch.randn(3, 4, generator=g),
        torch.randn(3, 3, generator=g),
        torch.randn(2, 5, generator=g, dtype=torch.float64),
    )
    for x in inputs:
        x_in = x.clone()
        result, error = _call(answer, x_in)
        if error:
            if "must match the size" in error:
                error += (
                    "。提示：x.mean(dim=1) 的形状是 (n,)，广播时与 x 的最后一维（长度 k）对齐，"
                    "n ≠ k 且两者都不是 1 时报错；加上 keepdim=True 得到形状 (n, 1) 的均值。"
                )
            return failed(error)
        if result is None:
            return not_answered(_STUB_HINT)
        if not torch.equal(x_in, x):
            return failed("你的函数改动了传入的 x（原地操作，如 -= 或 sub_）：请返回一个新张量，不要修改输入。")
        if isinstance(result, torch.Tensor) and tuple(result.shape) == tuple(x.shape) and result.dtype.is_floating_point:
            got = result.detach().to("cpu").double()
            xd = x.double()
            wrong = {
                "减去的是全部元素的均值：要按行求均值，写 x.mean(dim=1, keepdim=True)。": xd - xd.mean(),
                "减去的是每一列的均值（dim=0）：每一行的均值要沿着列的方向求，用 dim=1。": xd
                - xd.mean(dim=0, keepdim=True),
            }
            if x.shape[0] == x.shape[1]:
                wrong[
                    "对 3×3 的方阵结果错位了：x.mean(dim=1) 的形状是 (3,)，广播时被当成一行，"
                    "减到了每一列上。加上 keepdim=True，让均值的形状是 (3, 1)。"
                ] = xd - xd.mean(dim=1)
            for hint, value in wrong.items():
                if torch.allclose(got, value, atol=1e-4):
                    return failed(hint)
        problem = _float_problem(result, _center_rows_expected(x), "函数的返回值")
        if problem:
            return failed(f"输入形状为 {tuple(x.shape)}、类型为 {x.dtype} 时，{problem}")
    return passed("keepdim=True 让每行的均值保持形状 (n, 1)，广播后正好减到同一行的每个元素上。")


# ---------------------------------------------------------------- 练习 3


@never_raises
def check_3(answer: Any) -> Feedback:
    """练习 3：函数 ``columns_flat(m)`` 按列展开矩阵 ``m``，结果有自己的存储，且不修改 ``m``。

    返回任何浮点类型都可以；结果与 ``m`` 共享存储时不通过（题目要求独立的存储）。
    """
    if answer is None:
        return not_answered()
    if not callable(answer):
        return failed("answer 应该是一个函数：把你写好的函数名（不带括号）赋给 answer，例如 answer = columns_flat。")
    # 数值带 .5，转成整数就会被发现；(3, 1) 的矩阵转置后仍是连续的：reshape、flatten、contiguous 都不会复制
    for m in (torch.arange(6.0).reshape(2, 3) + 0.5, torch.arange(3.0).reshape(3, 1) + 0.5):
        m_in = m.clone()
        result, error = _call(answer, m_in)
        if error:
            if "view size is not compatible" in error:
                error += (
                    "。提示：m.T 不是连续的，不能直接 view 成一维；改用 reshape(-1)，"
                    "或者先调用 .contiguous()。"
                )
            return failed(error)
        if result is None:
            return not_answered(_STUB_HINT)
        if not torch.equal(m_in, m):
            return failed("你的函数改动了传入的 m：请不要对输入做原地操作。")
        if isinstance(result, torch.Tensor):
            if result.ndim != 1:
                return failed(
                    f"结果应该是一维张量，现在的形状是 {tuple(result.shape)}：用 reshape(-1) 把它展平。"
                )
            row_order = m.reshape(-1)
            is_row_order = (
                result.shape == row_order.shape
                and result.dtype.is_floating_point
                and torch.equal(result.detach().to("cpu").double(), row_order.double())
            )
            if is_row_order and min(m.shape) > 1:  # 只有一行或一列时，两种顺序相同
                return failed("这是按行展开的顺序（0, 1, 2, …）：要按列展开，先用 m.T 转置，再展平。")
        problem = _float_problem(result, m.T.reshape(-1), "函数的返回值")
        if problem:
            return failed(f"输入形状为 {tuple(m.shape)} 时，{problem}")
        if result.device == m_in.device and _same_storage(result, m_in):
            return failed(
                f"输入形状为 {tuple(m.shape)} 时，结果与 m 共享存储，修改结果会改动 m。"
                "对 (3, 1) 这样的矩阵，m.T 本身就是连续的，reshape、flatten 和 contiguous "
                "都直接返回视图、不复制。最后加上 .clone()，确保得到独立的副本。"
            )
    return passed("转置得到按列的顺序，reshape 负责展平，clone 保证结果与 m 互不影响。")


# ---------------------------------------------------------------- 练习 4


@never_raises
def check_4(answer: Any) -> Feedback:
    """练习 4：函数 ``predict(scores)`` 返回每一行最大值所在的列号，形状 ``(n,)`` 的整数张量。

    任何整数类型都可以（``argmax`` 给出的是 ``torch.int64``）。
    """
    if answer is None:
        return not_answered()
    if not callable(answer):
        return failed("answer 应该是一个函数：把你写好的函数名（不带括号）赋给 answer，例如 answer = predict。")
    g = torch.Generator().manual_seed(4)
    # 非方阵，以及一个方阵（dim=0 和 dim=1 得到的形状相同，只有数值能区分）
    for scores in (torch.randn(5, 3, generator=g), torch.randn(4, 4, generator=g)):
        s_in = scores.clone()
        result, error = _call(answer, s_in)
        if error:
            return failed(error)
        if result is None:
            return not_answered(_STUB_HINT)
        if not torch.equal(s_in, scores):
            return failed("你的函数改动了传入的 scores：请不要对输入做原地操作。")
        expected = scores.argmax(dim=1)
        if isinstance(result, tuple) and len(result) == 2:
            return failed(
                "返回的是 (最大值, 位置) 两个张量：scores.max(dim=1) 返回 values 和 indices，"
                "这里只要位置，写 scores.argmax(dim=1) 或 scores.max(dim=1).indices。"
            )
        problem = _not_a_tensor(result, "函数的返回值")
        if problem:
            return failed(problem)
        if result.dtype.is_floating_point or result.dtype == torch.bool or result.is_complex():
            got = result.detach().to("cpu")
            if result.dtype.is_floating_point and got.shape == expected.shape and torch.allclose(
                got.double(), scores.max(dim=1).values.double()
            ):
                return failed("返回的是每行的最大值本身，不是它的位置：用 argmax(dim=1) 得到列号。")
            return failed(f"列号应该是整数张量，现在的数据类型是 {result.dtype}：用 argmax，它返回 torch.int64。")
        got = result.detach().to("cpu").long()
        n = scores.shape[0]
        if tuple(got.shape) == (n, 1):
            return failed("形状是 (n, 1)：不要写 keepdim=True，结果应该是形状为 (n,) 的一维张量。")
        if tuple(got.shape) == ():
            return failed("只得到了一个数：不写 dim 时 argmax 在全部元素中找最大值，要写 dim=1，每行给出一个列号。")
        if tuple(got.shape) == (scores.shape[1],) and scores.shape[0] != scores.shape[1]:
            return failed(f"形状是 ({scores.shape[1]},)，每列一个结果：这是 dim=0 的结果，每一行的最大值要用 dim=1。")
        if tuple(got.shape) != (n,):
            return failed(f"函数的返回值形状应为 ({n},)，现在是 {tuple(got.shape)}。")
        if torch.equal(got, scores.argmax(dim=0)) and not torch.equal(got, expected):
            return failed("这是每一列最大值所在的行号（dim=0）：每一行的最大值要沿着列的方向找，用 dim=1。")
        if torch.equal(got, scores.argmin(dim=1)):
            return failed("这是每一行最小值的位置：要找最大值，用 argmax。")
        if not torch.equal(got, expected):
            return failed(f"输入形状为 {tuple(scores.shape)} 时，列号不对。")
    return passed("argmax(dim=1) 在每一行里找最大值，返回它所在的列号，也就是模型预测的类别。")
