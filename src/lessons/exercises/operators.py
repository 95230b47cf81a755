"""第 2 课“运算符重载”的练习检查器。

- :func:`check_1`：预测 ``//`` 与 ``%`` 在负数上的结果；
- :func:`check_2`：把一个用运算符写的表达式改写成只用 torch 函数的形式；
- :func:`check_3`：给课上的 ``Value`` 类加上 ``__sub__``、``__rsub__`` 和 ``__pow__``。
"""

from __future__ import annotations

import ast
import inspect
import math
import textwrap
from collections.abc import Callable
from typing import Any

import torch

from ..checking import Feedback, error_summary, failed, not_answered, passed, tensor_problem

# ---------------------------------------------------------------- 练习 1

#: 练习 1 的被除数与除数。
DIVIDENDS = (-7, -6, 5, 7)
DIVISOR = 3


def _int_list(values: Any) -> list[int] | None:
    """把张量、列表或元组转成整数列表；转换不了（或含非整数）时返回 ``None``。"""
    if isinstance(values, torch.Tensor):
        values = values.tolist()
    if not isinstance(values, (list, tuple)):
        return None
    result = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v):
            return None
        result.append(int(v))
    return result


def check_1(answer: Any) -> Feedback:
    """练习 1：``answer = (商, 余数)``，分别是 ``a // 3`` 与 ``a % 3`` 的结果，a = [-7, -6, 5, 7]。"""
    if answer is None:
        return not_answered()
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return failed("answer 应该是两个列表组成的元组：(商的列表, 余数的列表)，例如 ([1, 2, 3, 4], [0, 1, 2, 0])。")
    quotient, remainder = (_int_list(part) for part in answer)
    if quotient is None or remainder is None:
        return failed("商和余数都应该是整数列表（也可以是整数张量），例如 [1, 2, 3, 4]。")
    n = len(DIVIDENDS)
    if len(quotient) != n or len(remainder) != n:
        return failed(f"a 有 {n} 个元素，所以商和余数的列表也应各有 {n} 个数。")
    floor_q = [a // DIVISOR for a in DIVIDENDS]
    trunc_q = [int(a / DIVISOR) for a in DIVIDENDS]
    floor_r = [a % DIVISOR for a in DIVIDENDS]
    fmod_r = [int(math.fmod(a, DIVISOR)) for a in DIVIDENDS]
    if quotient != floor_q:
        if quotient == trunc_q:
            return failed(
                "商用的是向零取整（像 C 语言或 int(-7 / 3)）。`//` 是向下取整（朝负无穷方向），"
                "对负数的结果更小一些。"
            )
        return failed("商不对：`//` 先做真正的除法，再向下取整（取不大于它的最大整数）。")
    if remainder != floor_r:
        if remainder == fmod_r:
            return failed("余数的符号跟了被除数（这是 torch.fmod 的规则）。`%` 的余数符号跟除数一致：除数是 3，余数在 0 到 2 之间。")
        return failed("商对了，余数不对：用 a == (a // b) * b + a % b 反推余数。")
    return passed("`//` 向下取整，`%` 的余数与除数同号，两者总满足 a == (a // b) * b + a % b。")


# ---------------------------------------------------------------- 练习 2

_OPERATOR_SYMBOLS: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.Invert: "~",
    ast.USub: "-（取负）",
    ast.UAdd: "+（取正）",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


def operators_used(fn: Callable[..., Any]) -> list[str] | None:
    """返回函数源代码中用到的张量运算符（按出现顺序、不重复）；拿不到源代码时返回 ``None``。"""
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None
    found: list[str] = []
    for node in ast.walk(tree):
        ops: list[ast.AST] = []
        if isinstance(node, (ast.BinOp, ast.AugAssign, ast.UnaryOp)):
            ops = [node.op]
        elif isinstance(node, ast.Compare):
            ops = list(node.ops)
        for op in ops:
            symbol = _OPERATOR_SYMBOLS.get(type(op))
            if symbol and symbol not in found:
                found.append(symbol)
    return found


def _exercise_2_inputs() -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """练习 2 的测试输入：两组固定的 (x, w, b)。"""
    gen = torch.Generator().manual_seed(6)
    cases = []
    for rows in (4, 6):
        x = torch.randn(rows, 3, generator=gen)
        w = torch.randn(3, generator=gen)
        b = torch.tensor(0.5)
        cases.append((x, w, b))
    return cases


def reference_2(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """练习 2 的原始表达式（用运算符写成）：``(x @ w + b) ** 2 > 1``。"""
    return (x @ w + b) ** 2 > 1


def check_2(answer: Any) -> Feedback:
    """练习 2：``answer`` 是函数 ``f(x, w, b)``，只用 torch 函数算出 ``(x @ w + b) ** 2 > 1``。"""
    if answer is None:
        return not_answered("把函数里的 return None 换成你的代码，再运行这个单元格。")
    if not callable(answer):
        return failed(f"answer 应该是一个函数（def ...），现在是 {type(answer).__name__}。")
    for x, w, b in _exercise_2_inputs():
        try:
            result = answer(x, w, b)
        except Exception as err:  # 学习者的代码可能抛出任何异常
            return failed(f"调用你的函数时出错：{error_summary(err)}")
        if result is None:
            return not_answered("函数还返回 None：把 return None 换成你的代码。")
        expected = reference_2(x, w, b)
        if isinstance(result, torch.Tensor):
            if tuple(result.shape) == tuple(x.shape):
                return failed(
                    f"结果的形状是 {tuple(result.shape)}，和 x 一样：x 与 w 之间是矩阵乘法 @，"
                    "对应 torch.matmul，而不是逐元素乘法 torch.mul。"
                )
            if tuple(result.shape) == tuple(expected.shape) and result.dtype != torch.bool:
                return failed("返回值应该是布尔张量（torch.bool）：最后一步是和 1 比较，对应 torch.gt。")
            same_kind = result.dtype == torch.bool and tuple(result.shape) == tuple(expected.shape)
            if same_kind and not torch.equal(result.cpu(), expected):
                if torch.equal(result.cpu(), (x @ w + b) * 2 > 1):
                    return failed("`** 2` 是平方，对应 torch.pow(..., 2) 或 torch.square，不是乘以 2。")
                if torch.equal(result.cpu(), x @ w + b**2 > 1):
                    return failed("注意优先级：`**` 比 `+` 先算，但原式里括号让 (x @ w + b) 整体平方。")
        problem = tensor_problem(result, expected, name="函数的返回值")
        if problem:
            return failed(problem)
    used = operators_used(answer)
    if used:
        return failed(
            "结果对了，但函数里还用到了运算符 " + "、".join(f"`{s}`" for s in used)
            + "：请把它们也换成对应的 torch 函数（见上面的对照表）。"
        )
    return passed("torch.gt(torch.pow(torch.add(torch.matmul(x, w), b), 2), 1) 与运算符写法完全一致。")


# ---------------------------------------------------------------- 练习 3




def _close(a: Any, b: float) -> bool:
    try:
        return math.isclose(float(a), b, rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _torch_reference(x0: float, y0: float) -> tuple[float, float, float]:
    """用 torch.autograd 计算 g = (x * y - 1) ** 3 + 2 - x 的值和两个偏导数。"""
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(y0, dtype=torch.float64, requires_grad=True)
    g = (x * y - 1) ** 3 + 2 - x
    g.backward()
    return g.item(), x.grad.item(), y.grad.item()


def check_3(answer: Any) -> Feedback:
    """练习 3：``answer`` 是继承自 ``Value`` 的类，实现了 ``__sub__``、``__rsub__`` 和 ``__pow__``。

    检查器只用到课上 ``Value`` 的接口：``cls(数)`` 创建叶子，``.data`` 是数值，
    ``.grad`` 是梯度，``.backward()`` 从这个值开始反向传播。
    """
    if answer is None:
        return not_answered()
    if not isinstance(answer, type):
        return failed(f"answer 应该是一个类（class MyValue(Value): ...），现在是 {type(answer).__name__}。")
    cls = answer

    # 第 1 步：x - y 的值与梯度
    try:
        x, y = cls(3.0), cls(1.0)
        d = x - y
    except TypeError as err:
        if "unsupported operand" in str(err):
            return failed("x - y 报错：类里还没有 __sub__ 方法。")
        return failed(f"计算 x - y 时出错：{error_summary(err)}")
    except Exception as err:
        return failed(f"计算 x - y 时出错：{error_summary(err)}")
    try:
        if not _close(d.data, 2.0):
            return failed(f"x = 3、y = 1 时 x - y 应为 2，你的结果是 {d.data}。")
        d.backward()
        if not (_close(x.grad, 1.0) and _close(y.grad, -1.0)):
            return failed(
                f"对 d = x - y 反向传播后应有 x.grad = 1、y.grad = -1，你得到 {x.grad} 和 {y.grad}："
                "减法对第二个操作数的局部导数是 -1。"
            )
    except Exception as err:
        return failed(f"对 x - y 反向传播时出错：{error_summary(err)}")

    # 第 2 步：x ** 3
    try:
        x = cls(3.0)
        p = x**3
    except TypeError as err:
        if "unsupported operand" in str(err):
            return failed("x ** 3 报错：类里还没有 __pow__ 方法，或者它的结果不是同一个类（用 type(self)(...) 创建结果）。")
        return failed(f"计算 x ** 3 时出错：{error_summary(err)}")
    except Exception as err:
        return failed(f"计算 x ** 3 时出错：{error_summary(err)}")
    try:
        if not _close(p.data, 27.0):
            return failed(f"x = 3 时 x ** 3 应为 27，你的结果是 {p.data}。")
        p.backward()
        if not _close(x.grad, 27.0):
            return failed(f"x = 3 时 x ** 3 对 x 的导数应为 27，你得到 {x.grad}：x ** n 的导数是 n * x ** (n - 1)。")
    except Exception as err:
        return failed(f"对 x ** 3 反向传播时出错：{error_summary(err)}")

    # 第 3 步：5 - x 需要反射运算符
    try:
        x = cls(3.0)
        r = 5 - x
    except TypeError as err:
        if "unsupported operand" in str(err):
            return failed("5 - x 报错：左边是普通的数，Python 会去找右边的反射运算符 __rsub__，请实现它。")
        return failed(f"计算 5 - x 时出错：{error_summary(err)}")
    except Exception as err:
        return failed(f"计算 5 - x 时出错：{error_summary(err)}")
    try:
        if _close(r.data, -2.0):
            return failed("5 - x 算成了 x - 5：__rsub__(self, other) 要计算的是 other - self。")
        if not _close(r.data, 2.0):
            return failed(f"x = 3 时 5 - x 应为 2，你的结果是 {r.data}。")
        r.backward()
        if not _close(x.grad, -1.0):
            return failed(f"5 - x 对 x 的导数应为 -1，你得到 {x.grad}。")
    except Exception as err:
        return failed(f"对 5 - x 反向传播时出错：{error_summary(err)}")

    # 第 4 步：一个组合表达式，与 torch.autograd 对比
    x0, y0 = 1.5, -2.0
    value, gx, gy = _torch_reference(x0, y0)
    try:
        x, y = cls(x0), cls(y0)
        g = (x * y - 1) ** 3 + 2 - x
        g.backward()
        ok = _close(g.data, value) and _close(x.grad, gx) and _close(y.grad, gy)
    except Exception as err:
        return failed(f"计算 g = (x * y - 1) ** 3 + 2 - x 时出错：{error_summary(err)}")
    if not ok:
        return failed(
            f"组合表达式 g = (x * y - 1) ** 3 + 2 - x 与 torch.autograd 不一致："
            f"应有 g = {value:g}、∂g/∂x = {gx:g}、∂g/∂y = {gy:g}，"
            f"你得到 {g.data}、{x.grad}、{y.grad}。"
        )
    return passed(
        f"减法、反射减法和乘方都对了；g = (x * y - 1) ** 3 + 2 - x 的梯度与 torch.autograd 一致"
        f"（∂g/∂x = {gx:g}，∂g/∂y = {gy:g}）。"
    )
