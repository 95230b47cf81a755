"""练习检查器的公共部分：统一的反馈对象和几个常用的判断函数。

每个练习的检查器（见 :mod:`lessons.exercises`）都返回一个 :class:`Feedback`。
在笔记本里把它放在单元格最后一行，就会显示一行中文反馈：

- ``✅ 正确：……`` 表示答案通过；
- ``❌ 还不对：……`` 后面跟着提示，告诉你可能错在哪里；
- ``✏️ 还没有作答：……`` 表示答案仍是占位的 ``None``。
"""

from __future__ import annotations

import ast
import decimal
import functools
import inspect
import math
import numbers
import random
import re
import textwrap
import warnings
from collections.abc import Callable
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


# ====================================================================== 表驱动的练习
#
# 每道练习写成一个 :class:`Exercise`：答案是什么（一个值还是一个函数）、用哪些输入去试、
# 正确结果怎么算、怎样比较（:class:`Number`、:class:`Tensor`……）、常见错误的判断和提示
# （:class:`Mistake`）。检查的流程只写一次，在 :meth:`Exercise.check` 中：
#
# 1. 答案是占位的 ``None`` → ✏️；
# 2. 函数题：先判断 ``before``（答案本身的常见错误）；答案不是函数 → 提示怎样赋值；对每组输入调用它
#    （出错时说明错误，并按 ``error_hints`` 补充针对性的提示；返回 ``None`` 说明还是存根（``stub`` 可以另作判断）；
#    改动了输入 → 提示不要原地修改）；
# 3. 依次判断 ``mistakes``：命中哪一种常见错误，就给出那一种的提示；
# 4. 用 ``compare`` 与正确结果比较，给出第一处不同（类型、形状、数据类型、数值）；
# 5. 数值对了以后再判断 ``after``（例如“结果与输入共享存储”）；都通过 → ✅ 和 ``success``。
#
# 每课的模块把练习按顺序放进元组 ``EXERCISES``，``check_1``、``check_2``……由 :func:`numbered`
# 按元组中的位置生成：练习的编号只有这一个来源，测试再核对笔记本中的“练习 N”调用的正是 ``check_N``。
#
# 这些类在创建时检查自己的参数（写检查器时传错了，立刻得到中文的 TypeError/ValueError，而不是等到
# 学习者作答时才出现一条莫名其妙的反馈）。


def _need_function(value: Any, name: str, example: str, *, optional: bool = False) -> None:
    """``value`` 必须是可以调用的函数（``optional`` 时也可以是 ``None``）。"""
    if value is None and optional:
        return
    if not callable(value):
        also = "或 None" if optional else ""
        raise TypeError(f"{name} 必须是函数{also}，例如 {example}；收到的是 {type(value).__name__}。")


def _need_hint(value: Any, name: str, *, optional: bool = False) -> None:
    """``value`` 必须是给学习者看的一句话，或由答案生成这句话的函数（``optional`` 时也可以是 ``None``）。"""
    if value is None and optional:
        return
    if not (isinstance(value, str) or callable(value)):
        raise TypeError(
            f"{name} 必须是字符串（给学习者看的中文说明）或生成这句话的函数，收到的是 {type(value).__name__}。"
        )


def _need_tuple(value: Any, name: str, ok: Any, what: str, example: str) -> None:
    """``value`` 必须是元组，每一项都让 ``ok(项)`` 为真；``what`` 说明每一项应该是什么。"""
    if not isinstance(value, tuple):
        raise TypeError(f"{name} 必须是元组，例如 {example}；收到的是 {type(value).__name__}（列表请改写成元组）。")
    for index, item in enumerate(value):
        if not ok(item):
            raise TypeError(f"{name}[{index}] 必须是{what}，收到的是 {item!r:.60}。")


def _need_flag(value: Any, name: str) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} 必须是 True 或 False，收到的是 {type(value).__name__}。")


def _need_tolerance(value: Any, name: str) -> None:
    """容差：不小于 0 的数（inf 可以，表示不比较数值）。"""
    number = as_number(value)
    if number is None or not number >= 0:
        raise ValueError(f"{name} 必须是不小于 0 的数（容差），收到的是 {value!r}。")


def _is_pair(item: Any) -> bool:
    """``(英文片段, 提示)``：一个二元组，第一项是非空字符串。"""
    return isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) and bool(item[0])


@dataclass(frozen=True)
class Case:
    """函数题的一组输入。``label`` 写进数值不对时的提示，例如“输入形状为 (3, 3) 时”。"""

    args: tuple = ()
    label: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.args, tuple):
            raise TypeError(
                f"args 必须是元组（依次是传给学习者函数的参数），例如 Case((x,), \"输入形状为 (3,) 时\")；"
                f"收到的是 {type(self.args).__name__}。"
            )
        _need_text(self.label, "label")

    def copies(self) -> tuple:
        """交给学习者函数的输入：张量都复制一份，原件留着核对“有没有被改动”。"""
        return tuple(a.clone() if isinstance(a, torch.Tensor) else a for a in self.args)


@dataclass(frozen=True)
class Mistake:
    """一种常见错误：``when(got, *args)`` 为真时，给出 ``hint``（字符串，或由 ``got, *args`` 生成字符串的函数）。

    ``got`` 是答案（值题）或函数的返回值（函数题），``args`` 是这一组输入。判断时出现的任何异常都当作
    “不是这种错误”：判断函数可以放心地假设 ``got`` 的形式，不必层层检查。
    ``todo=True`` 表示命中时答案还没写完（例如类里的方法还在返回 ``None``）：给出 ✏️ 而不是 ❌。
    """

    when: Any
    hint: Any
    todo: bool = False

    def __post_init__(self) -> None:
        _need_function(self.when, "when", "lambda answer: answer == 2.8（判断是不是这种错误）")
        _need_hint(self.hint, "hint")
        _need_flag(self.todo, "todo")

    def matches(self, got: Any, args: tuple) -> bool:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return bool(self.when(got, *args))
        except Exception:  # 判断不了，就不是这种错误
            return False

    def text(self, got: Any, args: tuple) -> str:
        return self.hint(got, *args) if callable(self.hint) else self.hint

    def feedback(self, got: Any, args: tuple) -> Feedback:
        """命中时的反馈：❌ 加提示；``todo`` 时是 ✏️ 加提示。"""
        return Feedback(False, _need_text(self.text(got, args), "hint"), answered=not self.todo)


@dataclass(frozen=True)
class Number:
    """答案是一个数：接受 :func:`as_number` 能识别的一切写法，与正确值相差不超过 ``tol``。"""

    tol: float = 1e-6
    name: str = "答案"

    def __post_init__(self) -> None:
        _need_tolerance(self.tol, "tol")
        _need_text(self.name, "name")

    def problem(self, got: Any, want: Any) -> str | None:
        return number_problem(got, want, name=self.name, tol=self.tol)


def _close_enough(got: torch.Tensor, want: torch.Tensor, atol: float, rtol: float) -> bool:
    """在容差内相等。容差随答案的数据类型放宽：float16 的舍入误差比 float64 大得多。"""
    g, w = got.double(), want.double()
    if got.dtype.is_floating_point:
        scale = float(w.abs().max()) if w.numel() else 0.0
        atol = atol + 8 * torch.finfo(got.dtype).eps * scale
    return bool(torch.allclose(g, w, atol=atol, rtol=rtol))


@dataclass(frozen=True)
class Tensor:
    """答案是一个张量（或题目允许时，能变成张量的数组、列表）。

    ``dtype``：``None`` 表示任何实数类型都可以；``"float"`` 表示任何浮点类型；``"integer"`` 表示任何整数
    类型；具体的 ``torch.dtype`` 表示题目规定了类型。``arrays=True`` 时 NumPy 数组、列表也算对。
    ``atol`` 是容差的下限，答案是低精度的浮点类型时自动放宽。``wrong`` 是形状、类型都对而数值不对时的提示
    （也可以是由答案生成提示的函数）。
    """

    dtype: Any = None
    atol: float = 1e-6
    rtol: float = 0.0
    arrays: bool = False
    name: str = "答案"
    wrong: Any = ""

    def __post_init__(self) -> None:
        named = isinstance(self.dtype, str) and self.dtype in ("float", "integer")
        if not (self.dtype is None or isinstance(self.dtype, torch.dtype) or named):
            raise TypeError(
                f"dtype 必须是 None、\"float\"、\"integer\" 或具体的 torch.dtype（如 torch.float32），收到的是 {self.dtype!r}。"
            )
        _need_tolerance(self.atol, "atol")
        _need_tolerance(self.rtol, "rtol")
        _need_flag(self.arrays, "arrays")
        _need_text(self.name, "name")
        _need_hint(self.wrong, "wrong")

    def problem(self, got: Any, want: torch.Tensor) -> str | None:
        name = self.name
        if not isinstance(got, torch.Tensor):
            if self.arrays and as_tensor(got) is not None:
                got = as_tensor(got)
            else:
                return _not_a_tensor_hint(got, name)
        if tuple(got.shape) != tuple(want.shape):
            return f"{name}的形状应为 {tuple(want.shape)}，现在是 {tuple(got.shape)}。"
        if got.is_complex() or got.dtype == torch.bool and self.dtype != torch.bool:
            return f"{name}的数据类型是 {got.dtype}，应该是实数。"
        if isinstance(self.dtype, torch.dtype) and got.dtype != self.dtype:
            return f"{name}的数据类型应为 {self.dtype}，现在是 {got.dtype}。"
        if self.dtype == "float" and not got.dtype.is_floating_point:
            return f"{name}的数据类型是 {got.dtype}，不是浮点数：计算过程中不要把结果转成整数。"
        if self.dtype == "integer" and got.dtype.is_floating_point:
            return f"{name}应该由整数组成，现在的数据类型是 {got.dtype}。"
        try:
            value = got.detach().to("cpu")
        except (RuntimeError, TypeError, ValueError) as err:  # 例如 meta 设备上的张量
            return f"{name}无法和标准答案比较（{error_summary(err)}）：请给出普通的稠密张量。"
        if value.dtype.is_floating_point and not torch.isfinite(value).all():
            return f"{name}中有 nan 或 inf：检查是不是除以了零，或者用了没有赋值的张量（如 torch.empty）。"
        if not _close_enough(value, want.detach().to("cpu"), self.atol, self.rtol):
            if callable(self.wrong):
                return self.wrong(got)
            return self.wrong or f"{name}的形状和类型都对了，但数值不对。"
        return None


def _not_a_tensor_hint(value: Any, name: str) -> str:
    """``value`` 不是张量时，针对列表、NumPy 数组等常见情况的中文提示。"""
    if isinstance(value, (list, tuple)):
        kind = "列表" if isinstance(value, list) else "元组"
        return f"{name}是 Python 的{kind}，不是张量：题目要的是张量。"
    if isinstance(value, np.ndarray):
        return f"{name}是 NumPy 数组，不是张量：用 torch 的函数计算，或用 torch.from_numpy 转换。"
    if isinstance(value, np.generic):
        return f"{name}是 NumPy 的一个数（{type(value).__name__}），不是张量：题目要的是张量。"
    return f"{name}应该是一个张量（torch.Tensor），现在是 {type(value).__name__}。"


STUB_HINT = "函数还在返回 None，把 return None 换成你的代码，再运行这个单元格。"


def _none_returned(function: Any) -> Feedback:
    """学习者的函数返回了 ``None``：是还没作答（仍是 ``return None`` 的存根），还是忘了 ``return``？

    读得到函数的源代码时（笔记本单元格里定义的函数也读得到）按源代码判断：有 ``return None`` 的是存根；
    一个 ``return`` 都没有的是忘了写 ``return``；其余是 ``return`` 后面的表达式得到了 ``None``。读不到时当作存根。
    """
    try:
        source = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, ValueError):
        return not_answered(STUB_HINT)
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not functions:  # lambda 等：看不出来，当作存根
        return not_answered(STUB_HINT)
    returns = [node for node in ast.walk(functions[0]) if isinstance(node, ast.Return)]
    if any(isinstance(r.value, ast.Constant) and r.value.value is None for r in returns):
        return not_answered(STUB_HINT)
    if not returns:
        return failed("函数没有 return 语句，所以返回的是 None：在函数最后用 return 把结果交出来，再运行这个单元格。")
    return failed(
        "函数返回了 None：检查 return 后面的表达式，例如列表的 append、sort 和 print 都返回 None；"
        "没有走到任何 return 时函数也返回 None。"
    )


@dataclass(frozen=True)
class Exercise:
    """一道练习的全部检查规则（见本节开头的流程）。

    - ``brief``：一句话说明题目，写进模块说明；
    - ``expected``：正确结果。值题是不带参数的函数；函数题是与学习者的函数同样调用的参考实现；
    - ``compare``：比较方式（:class:`Number`、:class:`Tensor`，或任何有 ``problem(got, want)`` 方法的对象）；
    - ``function``：答案的函数名（如 ``"center_rows"``）；为 ``None`` 时是值题；
    - ``cases``：函数题的输入，一个返回 :class:`Case` 序列的函数（每次检查都重新生成，互不影响）；
    - ``mistakes``、``after``：比较之前、之后判断的常见错误；
    - ``error_hints``：学习者的函数报错、且错误信息中含有某段英文时，补在后面的中文提示；
    - ``keeps_input``：函数不许改动输入（默认）；``arguments`` 是参数的名字，写进“改动了输入”的提示；
    - ``input_hint``：改动了输入时，补在提示后面的一句话（例如“开头先用 x.clone() 复制一份”）；
    - ``not_function``：答案不是函数时的提示（字符串，或由答案生成提示的函数）；不给出时提示把函数名赋给
      ``answer``。笔记本把函数直接交给检查器（如 ``ex.check_2(gd_step)``）时，用它说明该怎样定义；
    - ``stub``：函数返回 ``None`` 时，判断是不是还没作答的 ``stub(*args)``（``args`` 是调用之后的输入）；
      不给出时返回 ``None`` 就是没作答。为假时照常检查（例如函数已经原地更新了参数，只是忘了 return）；
    - ``error_hints`` 中的提示也可以是函数 ``hint(err, *args)``（``args`` 是调用之后的输入），返回提示或
      ``None``（不适用，继续看下一项）：同一种英文报错要按输入的状态给出不同提示时用；
    - ``across``：所有输入都通过以后，比较各组输入得到的结果（例如“同一个种子给出同样的数”），每一项是
      ``problem(results)`` 函数，``results`` 是按 ``cases`` 顺序排列的返回值，返回提示或 ``None``；
    - ``whole``：最后对答案整体的检查（例如把模型再用在别的数据上），每一项是 ``problem(answer)`` 函数；
    - ``success``：通过时的一句话，说明这道题的要点（也可以是由答案生成这句话的函数）；
    - ``before``：函数题在调用之前对答案本身判断的常见错误（:class:`Mistake`，``when(answer)``），
      例如交来的是模型而不是训练模型的函数；
    - ``warning_hints``：学习者的函数在调用时发出的警告中含有某段英文、而答案没有通过时，补在提示后面的
      中文说明（警告本身照样不显示）；
    - ``summary``：函数题通过时，由各组输入的结果 ``summary(results)`` 生成、放在 ``success`` 前面的一句话
      （例如训练好的模型的测试准确率）。

    检查前后，Python、NumPy 和 PyTorch（CPU）的全局随机数状态不变：检查器不影响笔记本里其余的随机数。
    """

    brief: str
    expected: Any
    compare: Any
    success: Any
    function: str | None = None
    cases: Any = None
    mistakes: tuple[Mistake, ...] = ()
    after: tuple[Mistake, ...] = ()
    error_hints: tuple[tuple[str, Any], ...] = ()
    keeps_input: bool = True
    arguments: tuple[str, ...] = ()
    input_hint: str = ""
    not_function: Any = None
    stub: Any = None
    across: tuple[Any, ...] = ()
    whole: tuple[Any, ...] = ()
    before: tuple[Mistake, ...] = ()
    warning_hints: tuple[tuple[str, str], ...] = ()
    summary: Any = None

    def __post_init__(self) -> None:
        """创建时检查每个参数，传错时抛出中文的 ``TypeError``/``ValueError``。"""
        if not (isinstance(self.brief, str) and self.brief.strip()):
            raise TypeError(f"brief 必须是一句说明题目的非空字符串，收到的是 {self.brief!r}。")
        _need_function(self.expected, "expected", "expected=lambda: 1.2（值题）或参考实现（函数题）")
        if not callable(getattr(self.compare, "problem", None)):
            raise TypeError(
                "compare 必须是比较方式，即有 problem(got, want) 方法的对象，例如 Number(tol=1e-6) 或 Tensor()；"
                f"收到的是 {type(self.compare).__name__}。"
            )
        _need_hint(self.success, "success")
        if self.function is not None and not (isinstance(self.function, str) and self.function.isidentifier()):
            raise TypeError(
                f"function 必须是 None（值题）或答案函数的名字（如 \"center_rows\"），收到的是 {self.function!r}。"
            )
        _need_function(self.cases, "cases", "cases=lambda: [Case((x,))]", optional=True)
        for name in ("mistakes", "after", "before"):
            _need_tuple(
                getattr(self, name), name, lambda item: isinstance(item, Mistake), "一个 Mistake", f"{name}=(Mistake(...),)"
            )
        for name, hint_kinds in (("error_hints", (str, Callable)), ("warning_hints", str)):
            _need_tuple(
                getattr(self, name),
                name,
                lambda item, kinds=hint_kinds: _is_pair(item) and isinstance(item[1], kinds),
                "一个 (英文片段, 提示) 二元组",
                f"{name}=((\"NoneType\", \"提示\"),)",
            )
        _need_flag(self.keeps_input, "keeps_input")
        _need_tuple(self.arguments, "arguments", lambda item: isinstance(item, str), "参数名（字符串）", "(\"x\", \"w\")")
        _need_text(self.input_hint, "input_hint")
        _need_hint(self.not_function, "not_function", optional=True)
        _need_function(self.stub, "stub", "stub=lambda w, b, *rest: ...", optional=True)
        for name in ("across", "whole"):
            _need_tuple(getattr(self, name), name, callable, "一个函数", f"{name}=(检查函数,)")
        _need_function(self.summary, "summary", "summary=lambda results: ...", optional=True)

    def check(self, answer: Any) -> Feedback:
        """检查学习者的答案，返回一行中文反馈；从不抛出异常。"""
        return never_raises(self._isolated)(answer)

    def _isolated(self, answer: Any) -> Feedback:
        python_state, numpy_state = random.getstate(), np.random.get_state()
        try:
            with torch.random.fork_rng():  # CPU 与 GPU 的生成器都恢复：学习者的函数可能设定了所有设备的种子
                return self._check(answer)
        finally:
            random.setstate(python_state)
            np.random.set_state(numpy_state)

    def _success(self, answer: Any, results: list | None = None) -> Feedback:
        text = self.success(answer) if callable(self.success) else self.success
        if self.summary is not None and results is not None:
            text = self.summary(results) + text
        return passed(text)

    def _warned(self, feedback: Feedback, heard: list[str]) -> Feedback:
        """没有通过时，按 ``warning_hints`` 补上学习者的函数发出过的警告的说明。"""
        extra = [hint for text, hint in self.warning_hints if any(text in message for message in heard)]
        if feedback.ok or not feedback.answered or not extra:
            return feedback
        return failed(feedback.message + extra[0])

    def _check(self, answer: Any) -> Feedback:
        if answer is None:
            return not_answered()
        if self.function is None:
            verdict = self._judge(answer, (), "")
            return verdict if not verdict.ok else self._success(answer)
        for mistake in self.before:
            if mistake.matches(answer, ()):
                return mistake.feedback(answer, ())
        if not callable(answer):
            if self.not_function is not None:
                return failed(self.not_function(answer) if callable(self.not_function) else self.not_function)
            return failed(
                f"answer 应该是一个函数：把你写好的函数名（不带括号）赋给 answer，例如 answer = {self.function}。"
            )
        cases = tuple(self.cases()) if self.cases else (Case(),)
        results = []
        heard: list[str] = []  # 学习者的函数发出的警告（只在有 warning_hints 时记录）
        for case in cases:
            args = case.copies()
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("default" if self.warning_hints else "ignore")
                    got = answer(*args)
                heard += [str(w.message) for w in caught]
            except RecursionError:
                raise
            except Exception as err:  # 学习者的代码可能抛出任何异常
                return failed(self._error_hint(err, case, args))
            if got is None and self._is_stub(args):
                return _none_returned(answer)
            changed = [
                i for i, (a, b) in enumerate(zip(args, case.args)) if isinstance(a, torch.Tensor) and not torch.equal(a, b)
            ]
            if self.keeps_input and changed:
                names = self.arguments
                which = names[changed[0]] if changed[0] < len(names) else "参数"
                return failed(
                    f"你的函数改动了传入的 {which}（原地操作，如 -= 或 sub_）：请返回一个新的结果，不要修改输入。"
                    + self.input_hint
                )
            verdict = self._judge(got, args, case.label)  # 与原件相等；判断“共享存储”时要用交给函数的那一份
            if not verdict.ok:
                return self._warned(verdict, heard)
            results.append(got)
        for problem in self.across:
            hint = problem(results)
            if hint:
                return self._warned(failed(hint), heard)
        for problem in self.whole:
            hint = problem(answer)
            if hint:
                return self._warned(failed(hint), heard)
        return self._success(answer, results)

    def _is_stub(self, args: tuple) -> bool:
        """函数返回了 ``None``：是不是还没作答（见 ``stub``；判断时出错就当作没作答）。"""
        if self.stub is None:
            return True
        try:
            return bool(self.stub(*args))
        except Exception:
            return True

    def _error_hint(self, err: Exception, case: Case, args: tuple = ()) -> str:
        """学习者的函数报错时的反馈：在哪一组输入上、什么错误，认得的错误再加一句提示。"""
        if all(isinstance(a, (numbers.Number, str)) for a in case.args):
            where = f"调用 {self.function}({', '.join(repr(a) for a in case.args)}) 时出错"
        else:
            where = f"{case.label}，调用你的函数出错" if case.label else "调用你的函数时出错"
        message = f"{where}：{error_summary(err).rstrip('.。')}。"
        extra = [hint(err, *args) if callable(hint) else hint for text, hint in self.error_hints if text in str(err)]
        extra = [hint for hint in extra if hint]
        return message + ("提示：" + extra[0] if extra else "")

    def _judge(self, got: Any, args: tuple, label: str) -> Feedback:
        for mistake in self.mistakes:
            if mistake.matches(got, args):
                return mistake.feedback(got, args)
        want = self.expected(*args)
        problem = self.compare.problem(got, want)
        if problem:
            return failed(f"{label}，{problem}" if label else problem)
        for mistake in self.after:
            if mistake.matches(got, args):
                return mistake.feedback(got, args)
        return passed("")


def numbered(exercises: tuple[Exercise, ...]) -> tuple:
    """按元组中的位置生成 ``check_1``、``check_2``……：练习的编号只有一个来源。"""
    if not isinstance(exercises, tuple) or not all(isinstance(e, Exercise) for e in exercises):
        raise TypeError("exercises 必须是由 Exercise 组成的元组，按练习的顺序排列。")
    checks = []
    for number, exercise in enumerate(exercises, start=1):

        def check(answer: Any, _exercise: Exercise = exercise) -> Feedback:
            return _exercise.check(answer)

        check.__name__ = check.__qualname__ = f"check_{number}"
        check.__doc__ = f"练习 {number}：{exercise.brief}"
        checks.append(check)
    return tuple(checks)
