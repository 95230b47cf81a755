"""练习检查器的公共部分：统一的反馈对象和几个常用的判断函数。

每个练习的检查器（见 :mod:`lessons.exercises`）都返回一个 :class:`Feedback`。
在笔记本里把它放在单元格最后一行，就会显示一行中文反馈：

- ``✅ 正确：……`` 表示答案通过；
- ``❌ 还不对：……`` 后面跟着提示，告诉你可能错在哪里；
- ``✏️ 还没有作答：……`` 表示答案仍是占位的 ``None``。
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

PASSED = "✅ 正确："
FAILED = "❌ 还不对："
TODO = "✏️ 还没有作答："


@dataclass(frozen=True)
class Feedback:
    """检查结果：``ok`` 表示是否通过，``message`` 是给学习者看的中文反馈。"""

    ok: bool
    message: str
    answered: bool = True

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if not self.answered:
            return TODO + self.message
        return (PASSED if self.ok else FAILED) + self.message

    def __repr__(self) -> str:  # 笔记本单元格最后一行显示的就是它
        return str(self)


def passed(message: str = "答案正确。") -> Feedback:
    """通过。"""
    return Feedback(True, message)


def failed(hint: str) -> Feedback:
    """没有通过，``hint`` 告诉学习者该检查什么。"""
    return Feedback(False, hint)


def not_answered(what: str = "把 None 换成你的答案，再运行这个单元格。") -> Feedback:
    """答案还是占位的 ``None``。"""
    return Feedback(False, what, answered=False)


def first_line(err: BaseException) -> str:
    """异常信息的第一行（PyTorch 的报错常常很长，第一行就说清了原因）。"""
    text = str(err).strip()
    return text.splitlines()[0] if text else ""


def error_summary(err: BaseException) -> str:
    """异常的类型加第一行信息，例如 ``RuntimeError: mat1 and mat2 shapes cannot be multiplied ...``。"""
    line = first_line(err)
    return f"{type(err).__name__}: {line}" if line else type(err).__name__


def as_number(value: Any) -> float | None:
    """把“一个数”变成 Python 浮点数；做不到时返回 ``None``（nan、inf 照样返回）。

    接受 Python 的 ``int``/``float``、``fractions.Fraction`` 等实数，NumPy 标量（如 ``np.float32``、
    ``np.int64``），只有一个元素的 NumPy 数组（含零维数组）和只有一个元素的张量。
    ``True``/``False`` 不算数。
    """
    if isinstance(value, torch.Tensor):
        if value.numel() != 1 or value.dtype == torch.bool or value.is_complex():
            return None
        return float(value.detach().to("cpu").item())
    if isinstance(value, np.ndarray):
        if value.size != 1 or value.dtype.kind not in "iuf":
            return None
        return float(value.reshape(()).item())
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return None
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return None


def as_tensor(value: Any) -> torch.Tensor | None:
    """把学习者的答案变成 CPU 上、不带梯度的张量，便于和标准答案比较；做不到时返回 ``None``。

    接受张量（任何设备、可以带梯度）、NumPy 数组与标量、Python 数字，以及由数字组成的
    列表或元组（可以嵌套，但必须是规则的矩形）。字符串、``None``、字典等返回 ``None``。
    得到的张量保持原来的数据类型（NumPy 的 float64 仍是 float64）。
    """
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu")
    if isinstance(value, (str, bytes)) or value is None:
        return None
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            return None
        return torch.from_numpy(np.array(array, copy=True))
    if isinstance(value, (bool, numbers.Real)) and not isinstance(value, (list, tuple)):
        number = as_number(value)
        if isinstance(value, bool):
            return torch.tensor(value)
        if number is None:
            return None
        return torch.tensor(value if isinstance(value, int) else number)
    if isinstance(value, (list, tuple)):
        try:
            array = np.array(value)
        except (TypeError, ValueError):
            return None
        if array.dtype.kind not in "biuf":
            return None
        return torch.from_numpy(array)
    return None


def tensor_problem(
    answer: Any,
    expected: torch.Tensor,
    *,
    name: str = "答案",
    check_dtype: bool = True,
    atol: float = 1e-6,
) -> str | None:
    """比较 ``answer`` 与 ``expected``，返回第一处问题的中文描述；完全一致时返回 ``None``。

    依次检查：是不是张量、形状、数据类型（可选）、数值。
    """
    if not isinstance(answer, torch.Tensor):
        return f"{name}应该是一个张量（torch.Tensor），现在是 {type(answer).__name__}。"
    if tuple(answer.shape) != tuple(expected.shape):
        return f"{name}的形状应为 {tuple(expected.shape)}，现在是 {tuple(answer.shape)}。"
    if check_dtype and answer.dtype != expected.dtype:
        return f"{name}的数据类型应为 {expected.dtype}，现在是 {answer.dtype}。"
    got = answer.detach().to("cpu")
    if got.dtype.is_floating_point or expected.dtype.is_floating_point:
        if not torch.allclose(got.double(), expected.double(), atol=atol, rtol=0):
            return f"{name}的形状和类型都对了，但数值不对。"
    elif not torch.equal(got, expected):
        return f"{name}的形状和类型都对了，但数值不对。"
    return None


def number_problem(answer: Any, expected: float, *, name: str = "答案", tol: float = 1e-6) -> str | None:
    """比较一个数与期望值，返回问题描述；在容差内一致时返回 ``None``。

    接受 :func:`as_number` 能识别的一切：Python 数字、NumPy 标量、只含一个元素的数组或张量。
    """
    size = answer.numel() if isinstance(answer, torch.Tensor) else getattr(answer, "size", 1)
    if isinstance(answer, (torch.Tensor, np.ndarray)) and size != 1:
        kind = "张量" if isinstance(answer, torch.Tensor) else "数组"
        return f"{name}应该是一个数，现在是形状为 {tuple(answer.shape)} 的{kind}。"
    number = as_number(answer)
    if number is None:
        return f"{name}应该是一个数，现在是 {type(answer).__name__}。"
    answer = number
    if not math.isfinite(answer):
        return f"{name}是 {answer}，不是一个有限的数：检查是否除以了零或训练发散了。"
    if abs(answer - expected) > tol:
        return f"{name}是 {answer:.6g}，与正确结果相差超过 {tol:g}。"
    return None
