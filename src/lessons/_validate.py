"""检查辅助函数收到的参数，出错时用中文说明：哪个参数、收到了什么、怎样改。

这个模块只给 ``lessons`` 包内部使用。每个函数检查一个参数，合格时返回整理好的值
（例如把 ``np.int64(3)`` 变成 Python 的 ``3``），不合格时抛出 ``TypeError``（类型不对）
或 ``ValueError``（类型对了，取值不对）。
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from .checking import as_number, error_summary

#: 随机种子的取值范围：与 ``numpy.random.seed`` 相同，是 0 到 2**32 - 1。
SEED_LIMIT = 2**32


def describe(value: Any) -> str:
    """错误信息里对“收到的值”的简短描述，例如 ``str 类型的 '3'``、``形状为 (5,) 的 torch.int64 张量``。"""
    if isinstance(value, torch.Tensor):
        return f"形状为 {tuple(value.shape)} 的 {value.dtype} 张量"
    if isinstance(value, np.ndarray):
        return f"形状为 {value.shape} 的 {value.dtype} NumPy 数组"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} 类型的 {text}"


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low} 到 {high} 之间"
    if low is not None:
        return f"不小于 {low}"
    return f"不大于 {high}"


def integer(value: Any, name: str, *, low: int | None = None, high: int | None = None, example: str = "") -> int:
    """整数参数（接受 NumPy 整数，不接受 ``True``/``False`` 和浮点数）。``low``/``high`` 含端点。"""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        hint = f"，例如 {example}" if example else ""
        raise TypeError(f"{name} 必须是整数{hint}；收到的是 {describe(value)}。")
    number = int(value)
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            where = f" {low} 到 {high} 之间的整数"
        else:
            where = f"不小于 {low} 的整数" if low is not None else f"不大于 {high} 的整数"
        raise ValueError(f"{name} 必须是{where}，收到的是 {number}：请换一个范围内的值。")
    return number


def seed(value: Any, name: str = "seed") -> int:
    """随机种子：0 到 2**32 - 1 之间的整数。"""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"随机种子 {name} 必须是整数，例如 {name}=0；收到的是 {describe(value)}。")
    number = int(value)
    if not 0 <= number < SEED_LIMIT:
        raise ValueError(f"随机种子 {name} 必须在 0 到 2**32 - 1 之间，收到的是 {number}：请换一个非负的较小整数，例如 0。")
    return number


def real(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    strict: bool = False,
    example: str = "",
) -> float:
    """有限的实数（接受 Python 和 NumPy 的数、``Fraction``、只有一个元素的张量或数组）。

    ``low``/``high`` 给出范围；``strict=True`` 时不含端点；``example`` 是错误信息里的正确写法。
    """
    number = as_number(value)
    if number is None:
        raise TypeError(f"{name} 必须是一个数，例如 {example or name + '=0.5'}；收到的是 {describe(value)}。")
    if not math.isfinite(number):
        raise ValueError(f"{name} 必须是有限的数，收到的是 {number}：nan 和 inf 会让结果全部变成 nan，请换一个普通的数。")
    too_low = low is not None and (number <= low if strict else number < low)
    too_high = high is not None and (number >= high if strict else number > high)
    if too_low or too_high:
        where = _range_text(low, high) + ("（不含端点）" if strict else "")
        where = "在 " + where if low is not None and high is not None else where
        raise ValueError(f"{name} 必须{where}，收到的是 {number:g}：请换一个范围内的值。")
    return number


def flag(value: Any, name: str) -> bool:
    """开关参数：只接受 ``True``/``False``（包括 NumPy 的布尔值）。"""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} 必须是 True 或 False，收到的是 {describe(value)}。")
    return bool(value)


def text(value: Any, name: str) -> str:
    """字符串参数（标题、标签等）。"""
    if not isinstance(value, str):
        raise TypeError(f"{name} 必须是字符串，例如 {name}=\"损失\"；收到的是 {describe(value)}。")
    return value


def interval(value: Any, name: str) -> tuple[float, float]:
    """区间 ``(下界, 上界)``：两个有限的数，且下界 < 上界。"""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} 必须是两个数组成的元组 (下界, 上界)，例如 {name}=(-3, 3)；收到的是 {describe(value)}。")
    low = real(value[0], f"{name} 的下界", example=f"{name}=(-3, 3)")
    high = real(value[1], f"{name} 的上界", example=f"{name}=(-3, 3)")
    if not low < high:
        raise ValueError(f"{name} 必须满足 下界 < 上界，收到的是 ({low:g}, {high:g})：请交换两个数或把区间拉开。")
    return low, high


def tensor(
    value: Any,
    name: str,
    *,
    floating: bool = False,
    finite: bool = True,
    nonempty: bool = True,
) -> torch.Tensor:
    """张量参数：至少一维；``nonempty`` 时第一维（样本数）不为 0；``floating`` 时必须是浮点数类型；
    ``finite`` 时（对浮点数）不能含 nan 或 inf。"""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} 必须是张量（torch.Tensor），收到的是 {describe(value)}：可以用 torch.tensor(...) 转换。")
    if value.ndim == 0:
        raise ValueError(
            f"{name} 的第一维是样本数，不能是零维张量（收到的是 {value!r}）：用 {name}.reshape(1, -1) 变成一个样本。"
        )
    if nonempty and len(value) == 0:
        raise ValueError(f"{name} 是空的（形状 {tuple(value.shape)}，没有样本）：请检查数据是否切分或筛选掉了全部样本。")
    if value.is_complex() or value.dtype == torch.bool or (floating and not value.dtype.is_floating_point):
        need = "浮点数" if floating else "实数"
        fix = f"用 {name}.float() 转换" if floating else "换成整数或浮点数张量"
        raise TypeError(f"{name} 的数据类型必须是{need}，收到的是 {value.dtype}：{fix}。")
    if finite and value.dtype.is_floating_point:
        bad = ~torch.isfinite(value.detach())
        if bad.any():
            raise ValueError(
                f"{name} 含有 {int(bad.sum())} 个 nan 或 inf（形状 {tuple(value.shape)}）：请检查数据是怎样算出来的。"
            )
    return value


def _plain(value: Any, name: str) -> Any:
    """把张量（包括带梯度的零维张量）换成 NumPy 数组，列表和元组逐项处理。"""
    if isinstance(value, torch.Tensor):
        array = value.detach().to("cpu")
        if array.is_complex() or array.dtype == torch.bool:
            raise TypeError(f"{name} 必须由实数组成，收到的是 {describe(value)}。")
        return array.double().numpy()
    if isinstance(value, (list, tuple)):
        return [_plain(v, name) for v in value]
    return value


def numbers_array(value: Any, name: str) -> np.ndarray:
    """把张量、NumPy 数组、数字列表（元素也可以是零维张量，包括带梯度的）变成 float64 的 NumPy 数组。"""
    if isinstance(value, (str, bytes, Mapping)) or value is None:
        raise TypeError(f"{name} 必须是数字的列表、NumPy 数组或张量，收到的是 {describe(value)}。")
    if not isinstance(value, (torch.Tensor, np.ndarray, list, tuple)):
        try:
            value = list(value)  # 例如 range 或生成器
        except TypeError:
            raise TypeError(f"{name} 必须是数字的列表、NumPy 数组或张量，收到的是 {describe(value)}。") from None
    try:
        array = np.asarray(_plain(value, name))
    except ValueError:
        raise ValueError(f"{name} 的各行长度不一致，排不成规则的数组：请检查每个元素的长度。") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} 必须全部由数字组成（不能有字符串、None 或布尔值），收到的是 {describe(value)}。")
    return array.astype(np.float64)


def axes(value: Any, name: str = "ax"):
    """matplotlib 的坐标轴（``plt.subplots()`` 返回的 ``ax``）或 ``None``。"""
    from matplotlib.axes import Axes

    if value is not None and not isinstance(value, Axes):
        raise TypeError(
            f"{name} 必须是 matplotlib 的坐标轴（例如 fig, ax = plt.subplots() 中的 ax）或 None，"
            f"收到的是 {describe(value)}。"
        )
    return value


def function(value: Any, name: str, example: str) -> Any:
    """可以调用的对象（函数、lambda、模型）。"""
    if not callable(value):
        raise TypeError(f"{name} 必须是可以调用的函数或模型，例如 {example}；收到的是 {describe(value)}。")
    return value


def call(f, args: tuple, name: str, hint: str) -> Any:
    """调用学习者传入的函数；出错时用中文说明是哪个函数出错，并保留原来的错误信息。"""
    try:
        return f(*args)
    except (RuntimeError, ValueError, TypeError, IndexError) as err:
        raise ValueError(f"调用 {name} 时出错（{error_summary(err)}）：{hint}") from err
