"""第 1 课“张量”的练习检查器。

- :func:`check_1`：创建一个形状为 ``(3, 4)``、类型为 ``torch.float32`` 的张量；
- :func:`check_2`：函数 ``center_rows(x)``，让矩阵的每一行减去该行的均值（广播与 ``keepdim``）；
- :func:`check_3`：函数 ``columns_flat(m)``，按列展开矩阵，结果要有自己的存储（视图与复制）。
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from ..checking import Feedback, error_summary, failed, not_answered, passed, tensor_problem

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


def check_1(answer: Any) -> Feedback:
    """练习 1：包含 0 到 11 的 ``float32`` 张量，形状 ``(3, 4)``，按行依次排列。"""
    if answer is None:
        return not_answered()
    if isinstance(answer, (list, tuple)):
        return failed("这是 Python 的列表，不是张量：用 torch.arange 直接创建张量。")
    expected = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    if isinstance(answer, torch.Tensor):
        if answer.numel() == 12 and tuple(answer.shape) != (3, 4):
            if tuple(answer.shape) == (4, 3):
                return failed("形状反了：(3, 4) 表示 3 行 4 列，现在是 4 行 3 列。")
            return failed(f"元素个数对了，但形状是 {tuple(answer.shape)}：用 .reshape(3, 4) 改成 3 行 4 列。")
        if tuple(answer.shape) == (3, 4):
            got = answer.detach().to("cpu")
            if torch.equal(got.double(), expected.double() + 1):
                return failed("数值从 1 开始了：torch.arange(12) 从 0 开始、不包含终点 12，正好是 0 到 11。")
            if torch.equal(got.double(), expected.double()) and answer.dtype != torch.float32:
                return failed(
                    f"数值和形状都对了，但数据类型是 {answer.dtype}：加上 dtype=torch.float32，"
                    "或者在末尾调用 .float()。"
                )
    problem = tensor_problem(answer, expected)
    if problem:
        return failed(problem)
    return passed("这是一个 3 行 4 列的 float32 张量，正是模型最常用的数据类型。")


def _center_rows_reference(x: torch.Tensor) -> torch.Tensor:
    return x - x.mean(dim=1, keepdim=True)


def check_2(answer: Any) -> Feedback:
    """练习 2：函数 ``center_rows(x)`` 返回 ``x`` 的每一行减去该行均值后的新张量。"""
    if answer is None:
        return not_answered()
    if not callable(answer):
        return failed("answer 应该是一个函数：把你写好的函数名（不带括号）赋给 answer，例如 answer = center_rows。")
    g = torch.Generator().manual_seed(1)
    # 一个非方阵和一个方阵：方阵能暴露“忘了 keepdim 却没有报错”的情况
    for x in (torch.randn(3, 4, generator=g), torch.randn(3, 3, generator=g)):
        x_in = x.clone()
        result, error = _call(answer, x_in)
        if error:
            if "must match the size" in error:
                error += (
                    "。提示：x.mean(dim=1) 的形状是 (3,)，不能和 (3, 4) 广播；"
                    "加上 keepdim=True 得到形状 (3, 1) 的均值。"
                )
            return failed(error)
        if result is None:
            return not_answered(_STUB_HINT)
        if not torch.equal(x_in, x):
            return failed("你的函数改动了传入的 x（原地操作，如 -= 或 sub_）：请返回一个新张量，不要修改输入。")
        if isinstance(result, torch.Tensor) and tuple(result.shape) == tuple(x.shape):
            got = result.detach().to("cpu").double()
            wrong = {
                "减去的是全部元素的均值：要按行求均值，写 x.mean(dim=1, keepdim=True)。": x - x.mean(),
                "减去的是每一列的均值（dim=0）：每一行的均值要沿着列的方向求，用 dim=1。": x
                - x.mean(dim=0, keepdim=True),
            }
            if x.shape[0] == x.shape[1]:
                wrong[
                    "对 3×3 的方阵结果错位了：x.mean(dim=1) 的形状是 (3,)，广播时被当成一行，"
                    "减到了每一列上。加上 keepdim=True，让均值的形状是 (3, 1)。"
                ] = x - x.mean(dim=1)
            for hint, value in wrong.items():
                if torch.allclose(got, value.double(), atol=1e-5):
                    return failed(hint)
        problem = tensor_problem(result, _center_rows_reference(x), name="函数的返回值", atol=1e-5)
        if problem:
            return failed(f"输入形状为 {tuple(x.shape)} 时，{problem}")
    return passed("keepdim=True 让每行的均值保持形状 (n, 1)，广播后正好减到同一行的每个元素上。")


def _columns_flat_reference(m: torch.Tensor) -> torch.Tensor:
    return m.T.reshape(-1).clone()


def check_3(answer: Any) -> Feedback:
    """练习 3：函数 ``columns_flat(m)`` 按列展开矩阵 ``m``，结果有自己的存储，且不修改 ``m``。"""
    if answer is None:
        return not_answered()
    if not callable(answer):
        return failed("answer 应该是一个函数：把你写好的函数名（不带括号）赋给 answer，例如 answer = columns_flat。")
    # (3, 1) 的矩阵转置后仍是连续的：reshape、flatten、contiguous 都不会复制
    for m in (torch.arange(6.0).reshape(2, 3), torch.arange(3.0).reshape(3, 1)):
        m_in = m.clone()
        result, error = _call(answer, m_in)
        if error:
            if "view size is not compatible" in error:
                error += (
                    "。提示：m.T 不是连续的，不能直接 view；改用 reshape(-1)，"
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
            is_row_order = result.shape == row_order.shape and torch.equal(
                result.detach().to("cpu").double(), row_order.double()
            )
            if is_row_order and min(m.shape) > 1:  # 只有一行或一列时，两种顺序相同
                return failed(
                    "这是按行展开的顺序（0, 1, 2, …）：要按列展开，先用 m.T 转置，再展平。"
                )
        problem = tensor_problem(result, _columns_flat_reference(m), name="函数的返回值")
        if problem:
            return failed(f"输入形状为 {tuple(m.shape)} 时，{problem}")
        if result.device == m_in.device and _same_storage(result, m_in):
            return failed(
                f"输入形状为 {tuple(m.shape)} 时，结果与 m 共享存储，修改结果会改动 m。"
                "对 (3, 1) 这样的矩阵，m.T 本身就是连续的，reshape、flatten 和 contiguous "
                "都直接返回视图、不复制。最后加上 .clone()，确保得到独立的副本。"
            )
    return passed("转置得到按列的顺序，reshape 负责展平，clone 保证结果与 m 互不影响。")
