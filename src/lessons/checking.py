"""练习检查器的公共部分：统一的反馈对象和几个常用的判断函数。

每个练习的检查器（见 :mod:`lessons.exercises`）都返回一个 :class:`Feedback`。
在笔记本里把它放在单元格最后一行，就会显示一行中文反馈：

- ``✅ 正确：……`` 表示答案通过；
- ``❌ 还不对：……`` 后面跟着提示，告诉你可能错在哪里；
- ``✏️ 还没有作答：……`` 表示答案仍是占位的 ``None``。
"""

from __future__ import annotations

import decimal
import functools
import math
import numbers
import re
import warnings
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


def _need_text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} 必须是字符串（给学习者看的中文说明），收到的是 {type(value).__name__}。")
    return value


def passed(message: str = "答案正确。") -> Feedback:
    """通过。"""
    return Feedback(True, _need_text(message, "message"))


def failed(hint: str) -> Feedback:
    """没有通过，``hint`` 告诉学习者该检查什么。"""
    return Feedback(False, _need_text(hint, "hint"))


def not_answered(what: str = "把 None 换成你的答案，再运行这个单元格。") -> Feedback:
    """答案还是占位的 ``None``。"""
    return Feedback(False, _need_text(what, "what"), answered=False)


#: 终端的颜色与加粗控制码，如 "\x1b[1m"
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def first_line(err: BaseException) -> str:
    """异常信息的第一行（PyTorch 的报错常常很长，第一行就说清了原因）。"""
    if not isinstance(err, BaseException):
        raise TypeError(f"err 必须是一个异常（例如 except Exception as err 中的 err），收到的是 {type(err).__name__}。")
    # 有的报错（如 torch.load 的 weights_only 提示）带终端的加粗控制码 \x1b[1m，在网页和 PDF 中没有意义
    text = _ANSI_ESCAPE.sub("", str(err)).strip()
    return text.splitlines()[0] if text else ""


def error_summary(err: BaseException) -> str:
    """异常的类型加第一行信息，例如 ``RuntimeError: mat1 and mat2 shapes cannot be multiplied ...``。"""
    line = first_line(err)
    return f"{type(err).__name__}: {line}" if line else type(err).__name__


def as_number(value: Any) -> float | None:
    """把“一个数”变成 Python 浮点数；做不到时返回 ``None``（nan、inf 照样返回）。

    接受 Python 的 ``int``/``float``、``fractions.Fraction``、``decimal.Decimal`` 等实数，NumPy 标量
    （如 ``np.float32``、``np.int64``），只有一个元素的 NumPy 数组（含零维数组）和只有一个元素的张量
    （可以带梯度、在任何设备上）。``True``/``False``、复数、字符串不算数。这个函数从不抛出异常。
    """
    if isinstance(value, torch.Tensor):
        if value.numel() != 1 or value.dtype == torch.bool or value.is_complex():
            return None
        try:
            return float(value.detach().to("cpu").item())
        except (RuntimeError, TypeError, ValueError):  # 例如 meta 设备上的张量没有数值
            return None
    if isinstance(value, np.ndarray):
        if value.size != 1 or value.dtype.kind not in "iuf":
            return None
        return float(value.reshape(()).item())
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, decimal.Decimal)):
        return None
    try:
        return float(value)
    except OverflowError:  # 例如 10**400：比任何浮点数都大
        return math.inf if value > 0 else -math.inf
    except (TypeError, ValueError, ArithmeticError):
        return None


def _plain(value: Any) -> Any:
    """把嵌套列表中的张量换成 NumPy 数组、把 Fraction/Decimal 换成浮点数，便于交给 ``np.array``。"""
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu").numpy()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (numbers.Real, decimal.Decimal)) and not isinstance(value, (int, float, np.generic)):
        return as_number(value)
    return value


def _from_numpy(array: np.ndarray) -> torch.Tensor | None:
    if array.dtype.kind not in "biuf":
        return None
    if array.dtype.kind == "f" and array.dtype.itemsize > 8:  # long double：PyTorch 没有对应的类型
        array = array.astype(np.float64)
    # 复制一份：不和学习者的数组共用存储；同时换成本机字节序，torch.from_numpy 才能接受
    return torch.from_numpy(np.array(array, dtype=array.dtype.newbyteorder("="), copy=True))


def as_tensor(value: Any) -> torch.Tensor | None:
    """把学习者的答案变成 CPU 上、不带梯度的张量，便于和标准答案比较；做不到时返回 ``None``。

    接受张量（任何设备、可以带梯度）、NumPy 数组与标量、Python 数字（包括 ``Fraction``），以及由数字
    或张量组成的列表或元组（可以嵌套，但必须是规则的矩形）。字符串、``None``、字典、生成器、
    长短不一的嵌套列表等返回 ``None``。得到的张量保持原来的数据类型（NumPy 的 float64 仍是 float64，
    Python 的浮点数列表得到 float64）。这个函数从不抛出异常。
    """
    try:
        if isinstance(value, torch.Tensor):
            return value.detach().to("cpu")
        if isinstance(value, (str, bytes)) or value is None:
            return None
        if isinstance(value, (np.ndarray, np.generic)):
            return _from_numpy(np.asarray(value))
        if isinstance(value, (bool, int)):
            return torch.tensor(value)
        if isinstance(value, (numbers.Real, decimal.Decimal)):
            number = as_number(value)
            return None if number is None else torch.tensor(number, dtype=torch.float64)
        if isinstance(value, (list, tuple)):
            return _from_numpy(np.array(_plain(value)))
    except (TypeError, ValueError, RuntimeError, OverflowError):  # 例如长短不一的列表、超出 int64 的整数
        return None
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

    依次检查：是不是张量、形状、数据类型（可选）、数值。``answer`` 是什么都可以，这个函数不会因为它抛出异常；
    ``expected``、``name``、``check_dtype``、``atol`` 由检查器给出，不合格时抛出 ``TypeError``/``ValueError``。
    """
    if not isinstance(expected, torch.Tensor):
        raise TypeError(f"expected 必须是张量（标准答案），收到的是 {type(expected).__name__}。")
    _need_text(name, "name")
    if not isinstance(check_dtype, (bool, np.bool_)):
        raise TypeError(f"check_dtype 必须是 True 或 False，收到的是 {type(check_dtype).__name__}。")
    tol = as_number(atol)
    if tol is None or not tol >= 0:  # inf 可以：只比较形状和类型
        raise ValueError(f"atol 必须是不小于 0 的数，收到的是 {atol!r}。")
    if not isinstance(answer, torch.Tensor):
        return f"{name}应该是一个张量（torch.Tensor），现在是 {type(answer).__name__}。"
    if tuple(answer.shape) != tuple(expected.shape):
        return f"{name}的形状应为 {tuple(expected.shape)}，现在是 {tuple(answer.shape)}。"
    if check_dtype and answer.dtype != expected.dtype:
        return f"{name}的数据类型应为 {expected.dtype}，现在是 {answer.dtype}。"
    try:
        got, want = answer.detach().to("cpu"), expected.detach().to("cpu")
        if got.is_complex() != want.is_complex():
            kind = "复数" if want.is_complex() else "实数"
            return f"{name}应该由{kind}组成，现在的数据类型是 {answer.dtype}。"
        if got.dtype.is_floating_point or want.dtype.is_floating_point or got.is_complex():
            wide = torch.complex128 if got.is_complex() else torch.float64
            got, want = got.to(wide), want.to(wide)
            if not torch.isfinite(got).all() and torch.isfinite(want).all():
                return f"{name}的形状和类型都对了，但数值不对：其中有 nan 或 inf。"
            same = torch.allclose(got, want, atol=tol, rtol=0, equal_nan=True)
        else:
            same = torch.equal(got.to(torch.int64), want.to(torch.int64))
    except (RuntimeError, TypeError, ValueError) as err:  # 例如稀疏张量、meta 设备上的张量
        return f"{name}无法和标准答案比较（{error_summary(err)}）：请给出普通的稠密张量。"
    if not same:
        return f"{name}的形状和类型都对了，但数值不对。"
    return None


def number_problem(answer: Any, expected: float, *, name: str = "答案", tol: float = 1e-6) -> str | None:
    """比较一个数与期望值，返回问题描述；在容差内一致时返回 ``None``。

    接受 :func:`as_number` 能识别的一切：Python 数字、NumPy 标量、只含一个元素的数组或张量。
    ``answer`` 是什么都可以，这个函数不会因为它抛出异常；``expected``、``name``、``tol`` 由检查器给出，
    不合格时抛出 ``TypeError``/``ValueError``。
    """
    want = as_number(expected)
    if want is None or not math.isfinite(want):
        raise ValueError(f"expected 必须是有限的数（标准答案），收到的是 {expected!r}。")
    _need_text(name, "name")
    limit = as_number(tol)
    if limit is None or not limit >= 0:  # inf 可以：只检查答案是不是一个有限的数
        raise ValueError(f"tol 必须是不小于 0 的数，收到的是 {tol!r}。")
    if isinstance(answer, torch.Tensor):
        count = answer.numel()
    else:
        count = answer.size if isinstance(answer, np.ndarray) else 1
    if count != 1:
        kind = "张量" if isinstance(answer, torch.Tensor) else "数组"
        return f"{name}应该是一个数，现在是形状为 {tuple(answer.shape)} 的{kind}。"
    number = as_number(answer)
    if number is None:
        return f"{name}应该是一个数，现在是 {type(answer).__name__}。"
    if not math.isfinite(number):
        return f"{name}是 {number}，不是一个有限的数：检查是否除以了零或训练发散了。"
    if abs(number - want) > limit:
        return f"{name}是 {number:.6g}，与正确结果相差超过 {limit:g}。"
    return None


class expect_error:
    """演示“故意写错”的代码：``with expect_error(RuntimeError): ...``。

    名字用小写，因为它和 ``contextlib.suppress`` 一样写在 ``with`` 后面，用起来像一个函数。

    - 代码块报出所说的错误时，打印它的类型和第一行信息（如 ``RuntimeError: ...``），然后继续运行；
      报错对象留在 ``.error`` 里，可以再检查；
    - 代码块没有报错时，抛出中文的 ``AssertionError``：课文说这里会报错，实际却没有，
      多半是 PyTorch 的版本与课程所用的不同；
    - 报出的是别的错误时，照常抛出，不吞掉。
    """

    def __init__(self, *kinds: type[BaseException]) -> None:
        if not kinds:
            raise TypeError("kinds 至少要给出一种异常类型，例如 expect_error(RuntimeError)。")
        for kind in kinds:
            if not (isinstance(kind, type) and issubclass(kind, BaseException)):
                raise TypeError(
                    f"kinds 中的每一项都必须是异常类型（例如 RuntimeError），收到的是 {kind!r}：写异常类本身，不加引号、不加括号。"
                )
        self.kinds = kinds
        self.error: BaseException | None = None

    def __enter__(self) -> expect_error:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> bool:
        if exc is None:
            names = "、".join(kind.__name__ for kind in self.kinds)
            raise AssertionError(
                f"这段代码本应报 {names}，却没有报错，与上文所说不符：PyTorch 版本可能不同。"
                "先重启内核、从头运行本课；仍然如此，说明你的 PyTorch 版本在这里的行为与课程所用的不同。"
            )
        if isinstance(exc, self.kinds):
            self.error = exc
            print(error_summary(exc))
            return True  # 预料之中的错误：不再往外抛
        return False  # 别的错误：照常抛出


def never_raises(check=None, *, what: str | None = None):
    """练习检查器的外壳：检查过程中出现任何意外，都变成一条中文反馈，而不是一段英文报错。

    学习者的答案可能是任何对象，他们的函数也可能抛出任何异常、无限递归或发出警告；
    检查器本身绝不应该把这些抛给学习者。用法::

        @never_raises
        def check_1(answer): ...

        @never_raises(what="一个张量，例如 torch.tensor([1, 2, 3])")
        def check_2(answer): ...

    ``what`` 说明 answer 应该是什么，写进反馈里。检查期间学习者代码发出的警告不显示。
    """
    if what is not None and not isinstance(what, str):
        raise TypeError(f"what 必须是说明答案形式的字符串，收到的是 {type(what).__name__}。")
    advice = f"确认 answer 是{what}" if what else "请对照题目确认答案的类型和形状"

    def decorate(function):
        if not callable(function):
            raise TypeError(f"check 必须是一个检查器函数（never_raises 用作装饰器：@never_raises），收到的是 {type(function).__name__}。")

        @functools.wraps(function)
        def wrapper(answer):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return function(answer)
            except RecursionError:
                return failed("检查时出现了无限递归（RecursionError）：你写的函数或方法在不停地调用它自己。")
            except Exception as err:  # 学习者的答案可能让任何地方出错
                return failed(f"检查时遇到了意料之外的情况（{error_summary(err)}）：{advice}，再运行这个单元格。")

        return wrapper

    return decorate if check is None else decorate(check)
