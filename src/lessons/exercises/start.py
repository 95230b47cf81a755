"""“开始之前”一课的练习检查器。

- :func:`check_1`：一维的整数张量，元素依次是 1、2、3（任何整数类型都可以）。

检查器从不抛出异常：无论答案是什么，都返回一条中文反馈。
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..checking import Feedback, error_summary, failed, not_answered, passed


def _never_raises(check: Callable[[Any], Feedback]) -> Callable[[Any], Feedback]:
    """检查器的外壳：检查过程中出现任何意外，都变成一条中文反馈，而不是一段英文报错。"""

    @functools.wraps(check)
    def wrapper(answer: Any) -> Feedback:
        try:
            return check(answer)
        except Exception as err:  # 答案可能是任何对象
            return failed(
                f"检查器无法处理这个答案（{error_summary(err)}）：确认 answer 是一个张量，"
                "例如 torch.tensor([1, 2, 3])，再运行这个单元格。"
            )

    return wrapper


@_never_raises
def check_1(answer: Any) -> Feedback:
    """练习 1：一维的整数张量，元素依次是 1、2、3。

    整数类型不限（``torch.int64``、``torch.int32``……都可以）；浮点数张量、列表、NumPy 数组
    不算，并给出相应的提示。
    """
    if answer is None:
        return not_answered()
    if isinstance(answer, (list, tuple)):
        return failed("这是 Python 的列表（或元组），不是张量：用 torch.tensor([1, 2, 3]) 把它变成张量。")
    if isinstance(answer, (np.ndarray, np.generic)):
        return failed(f"这是 NumPy 的 {type(answer).__name__}，不是张量：用 torch.tensor([1, 2, 3]) 直接创建张量。")
    if not isinstance(answer, torch.Tensor):
        return failed(f"answer 应该是一个张量（torch.Tensor），现在是 {type(answer).__name__}。")
    if answer.dtype == torch.bool or answer.is_complex():
        return failed(f"这是数据类型为 {answer.dtype} 的张量：题目要的是整数 1、2、3，写 torch.tensor([1, 2, 3])。")
    if answer.ndim != 1:
        if answer.numel() == 3:
            return failed(
                f"元素个数对了，但形状是 {tuple(answer.shape)}，不是一维的：一维张量的形状是 (3,)，"
                "写 torch.tensor([1, 2, 3])（只用一层方括号）。"
            )
        return failed(f"题目要的是形状为 (3,) 的一维张量，现在的形状是 {tuple(answer.shape)}。")
    if answer.numel() != 3:
        return failed(f"应该有 3 个元素，现在有 {answer.numel()} 个。")
    got = answer.detach().to("cpu")
    values = got.double().tolist()
    if answer.dtype.is_floating_point:
        if values == [1.0, 2.0, 3.0]:
            return failed(
                f"数值对了，但这是浮点数张量（{answer.dtype}）：写成 1、2、3（不带小数点），"
                "得到的就是整数张量。"
            )
        return failed(f"这是浮点数张量，数值也不对：应该是整数 1、2、3，现在是 {got.tolist()}。")
    if values != [1.0, 2.0, 3.0]:
        if sorted(values) == [1.0, 2.0, 3.0]:
            return failed(f"元素都在，但顺序不对：应依次是 1、2、3，现在是 {got.tolist()}。")
        if values == [0.0, 1.0, 2.0]:
            return failed("从 0 开始了：torch.arange(3) 是 0、1、2；要 1、2、3，写 torch.arange(1, 4)。")
        return failed(f"形状和类型都对了，但元素应依次是 1、2、3，现在是 {got.tolist()}。")
    note = "" if answer.dtype == torch.int64 else "（不指定 dtype 时，torch.tensor 对整数用的是 torch.int64）"
    return passed(f"这是一个形状为 (3,)、数据类型为 {answer.dtype} 的一维整数张量{note}。")
