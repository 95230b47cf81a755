"""第 2 课“运算符重载”的练习检查器。

- :func:`check_1`：预测 ``//`` 与 ``%`` 在负数上的结果；
- :func:`check_2`：把一个用运算符写的表达式改写成只用 torch 函数的形式；
- :func:`check_3`：用广播和 ``torch.linalg.vector_norm`` 求每个点到另一个点的距离；
- :func:`check_4`：给课上的 ``Value`` 类加上 ``__sub__``、``__rsub__`` 和 ``__pow__``（选读）。

检查器从不抛出异常：答案的形式不对、答案自己的代码出错，都会变成一条中文反馈。
"""

from __future__ import annotations

import ast
import inspect
import math
import textwrap
from collections.abc import Callable
from typing import Any

import torch

from ..checking import (
    Feedback,
    as_tensor,
    error_summary,
    failed,
    never_raises,
    not_answered,
    passed,
    tensor_problem,
)

# ---------------------------------------------------------------- 练习 1

#: 练习 1 的被除数与除数。
DIVIDENDS = (-7, -6, 5, 7)
DIVISOR = 3


def _int_list(values: Any, what: str) -> tuple[list[int] | None, str | None]:
    """把列表、元组、张量或 NumPy 数组转成整数列表。

    返回 ``(列表, None)``；转换不了时返回 ``(None, 中文原因)``。接受 NumPy 整数和整数值的浮点数。
    """
    tensor = as_tensor(values)
    if tensor is None:
        return None, f"{what}应该是整数列表（也可以是整数张量或 NumPy 数组），例如 [1, 2, 3, 4]，现在是 {type(values).__name__}。"
    if tensor.dtype == torch.bool:
        return None, f"{what}里是 True/False：应该是整数，例如 [1, 2, 3, 4]。"
    if tensor.dim() != 1:
        return None, f"{what}应该是一维的整数列表，现在的形状是 {tuple(tensor.shape)}。"
    if tensor.dtype.is_floating_point:
        if not torch.isfinite(tensor).all():
            return None, f"{what}里有 nan 或 inf，不是整数：`//` 和 `%` 作用在整数张量上，结果都是整数。"
        if not torch.equal(tensor, tensor.round()):
            return None, f"{what}里有小数：`//` 和 `%` 作用在整数上，结果都是整数。"
    return [int(v) for v in tensor.tolist()], None


def _two_parts(answer: Any) -> list[Any] | None:
    """answer 应由两部分组成：两个列表的元组，或第一维为 2 的张量/数组。"""
    if isinstance(answer, (tuple, list)):
        return list(answer)
    tensor = as_tensor(answer) if not isinstance(answer, (int, float, str)) else None
    if tensor is not None and tensor.dim() == 2 and tensor.shape[0] == 2:
        return [tensor[0], tensor[1]]
    return None


@never_raises
def check_1(answer: Any) -> Feedback:
    """练习 1：``answer = (商, 余数)``，分别是 ``a // 3`` 与 ``a % 3`` 的结果，a = [-7, -6, 5, 7]。"""
    if answer is None:
        return not_answered()
    parts = _two_parts(answer)
    if parts is not None and len(parts) != 2:
        return failed(f"answer 应该正好由两部分组成：(商的列表, 余数的列表)，现在有 {len(parts)} 部分。")
    if parts is None:
        return failed(
            "answer 应该是两个列表组成的元组：(商的列表, 余数的列表)，例如 ([1, 2, 3, 4], [0, 1, 2, 0])，"
            f"现在是 {type(answer).__name__}。"
        )
    quotient, problem = _int_list(parts[0], "商")
    if problem:
        return failed(problem)
    remainder, problem = _int_list(parts[1], "余数")
    if problem:
        return failed(problem)
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
    return passed("`//` 向下取整，`%` 的余数与除数同号，两者满足 a == (a // b) * b + a % b。")


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


def _is_signed_number(node: ast.AST) -> bool:
    """``-1``、``+2.5`` 这样带正负号的数字字面量：语法上是一元运算，其实只是一个数。"""
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, (ast.USub, ast.UAdd))
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) in (int, float)
    )


def operators_used(fn: Callable[..., Any]) -> list[str] | None:
    """返回函数源代码中用到的张量运算符（按出现顺序、不重复）；拿不到源代码时返回 ``None``。

    ``dim=-1`` 里的 ``-1`` 这样带正负号的数字字面量不算运算符；``-b`` 这样对变量取负算。
    """
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None
    found: list[str] = []
    for node in ast.walk(tree):
        if _is_signed_number(node):
            continue  # dim=-1 这样的负数字面量不是对张量用的运算符
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
    """练习 2 的测试输入：一组落在边界上的 (x, w, b)，再加两组随机的。

    第一组的数都是二进制下能精确表示的小数，``x @ w + b`` 恰好取到 1 和 -1，
    平方后恰好等于 1：``>``（torch.gt）和 ``>=``（torch.ge）在这些位置给出不同的结果。
    """
    w = torch.tensor([1.0, 0.5, -1.0])
    b = torch.tensor(0.5)
    x = torch.tensor(
        [
            [0.5, 0.0, 0.0],  # x @ w + b = 1     → 平方恰好是 1
            [-1.5, 0.0, 0.0],  # -1              → 平方恰好是 1
            [1.0, 1.0, 1.0],  # 1                 → 平方恰好是 1
            [2.0, 0.0, 0.0],  # 2.5              → 6.25
            [0.0, 0.0, 0.0],  # 0.5              → 0.25
            [0.0, -4.0, 0.0],  # -1.5            → 2.25
        ]
    )
    cases = [(x, w, b)]
    gen = torch.Generator().manual_seed(6)
    for rows in (4, 6):
        cases.append((torch.randn(rows, 3, generator=gen), torch.randn(3, generator=gen), torch.tensor(0.5)))
    return cases


def reference_2(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """练习 2 的原始表达式（题目本身，用运算符写成）：``(x @ w + b) ** 2 > 1``。"""
    return (x @ w + b) ** 2 > 1


def _known_mistake_2(result: torch.Tensor, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> str | None:
    """与几种常见错误写法的结果对照，返回对应的提示；都不像时返回 ``None``。"""
    inner = x @ w + b
    mistakes = [
        (inner**2 >= 1, "在 (x @ w + b) ** 2 恰好等于 1 的位置结果不同：`>` 是严格大于，对应 torch.gt；torch.ge 是 `>=`。"),
        (inner**2 < 1, "比较的方向反了：`>` 对应 torch.gt（greater than），torch.lt 是 `<`。"),
        (inner**2 <= 1, "比较的方向反了：`>` 对应 torch.gt（greater than），torch.le 是 `<=`。"),
        (inner * 2 > 1, "`** 2` 是平方，对应 torch.pow(..., 2) 或 torch.square，不是乘以 2。"),
        (x @ w + b**2 > 1, "注意优先级：`**` 比 `+` 先算，但原式里括号让 (x @ w + b) 整体平方。"),
    ]
    for wrong, hint in mistakes:
        if torch.equal(result, wrong):
            return hint
    return None


@never_raises
def check_2(answer: Any) -> Feedback:
    """练习 2：``answer`` 是函数 ``f(x, w, b)``，只用 torch 函数算出 ``(x @ w + b) ** 2 > 1``。"""
    if answer is None:
        return not_answered("把函数里的 return None 换成你的代码，再运行这个单元格。")
    if not callable(answer):
        return failed(f"answer 应该是一个函数（def ...），现在是 {type(answer).__name__}。")
    for x, w, b in _exercise_2_inputs():
        try:
            result = answer(x.clone(), w.clone(), b.clone())
        except Exception as err:  # 学习者的代码可能抛出任何异常
            if isinstance(err, TypeError) and "positional argument" in str(err):
                return failed(f"函数应该接受三个参数 (x, w, b)：{error_summary(err)}")
            if isinstance(err, RuntimeError) and ("size mismatch" in str(err) or "shape" in str(err)):
                return failed(
                    f"形状对不上（{error_summary(err)}）：x 的形状是 (行数, 3)，w 的形状是 (3,)，"
                    "矩阵-向量积要写成 torch.matmul(x, w)，x 在左边。"
                )
            return failed(f"调用你的函数时出错：{error_summary(err)}")
        if result is None:
            return not_answered("函数还返回 None：把 return None 换成你的代码。")
        expected = reference_2(x, w, b)
        if isinstance(result, torch.Tensor):
            got = result.detach().to("cpu")
            if tuple(got.shape) == tuple(x.shape):
                return failed(
                    f"结果的形状是 {tuple(got.shape)}，和 x 一样：x 与 w 之间是矩阵乘法 @，"
                    "对应 torch.matmul，而不是逐元素乘法 torch.mul。"
                )
            if tuple(got.shape) == tuple(expected.shape) and got.dtype != torch.bool:
                return failed("返回值应该是布尔张量（torch.bool）：最后一步是和 1 比较，对应 torch.gt。")
            if got.dtype == torch.bool and tuple(got.shape) == tuple(expected.shape) and not torch.equal(got, expected):
                hint = _known_mistake_2(got, x, w, b)
                if hint:
                    return failed(hint)
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


def _exercise_3_inputs() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """练习 3 的测试输入：一组距离恰好是整数的平面点，再加一组随机的三维点。"""
    X = torch.tensor([[1.0, 1.0], [4.0, 5.0], [1.0, -2.0], [-2.0, 5.0]])
    p = torch.tensor([1.0, 1.0])  # 各行到 p 的距离：0、5、3、5
    gen = torch.Generator().manual_seed(3)
    return [(X, p), (torch.randn(5, 3, generator=gen), torch.randn(3, generator=gen))]


def exercise_3_expected(X: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
    """练习 3 的正确结果：按定义逐行算 sqrt(sum((X[i] - p)²))。"""
    return torch.stack([((row - p) ** 2).sum().sqrt() for row in X])


def _known_mistake_3(got: torch.Tensor, X: torch.Tensor, p: torch.Tensor) -> str | None:
    diff = X - p
    if got.dim() == 0:
        return (
            "结果只有一个数：没有给 dim 时，vector_norm 把所有元素当作一个长向量。"
            "加上 dim=1，让范数沿每一行计算。"
        )
    if tuple(got.shape) == (X.shape[0], 1):
        return f"结果的形状是 {tuple(got.shape)}，多了一维：题目要一维张量，每行一个数（可以用 dim=1，或 .squeeze(1)）。"
    if tuple(got.shape) == (X.shape[1],) and X.shape[0] != X.shape[1]:
        return "结果的长度等于列数而不是行数：dim=0 沿列计算；要每行一个距离，用 dim=1。"
    if tuple(got.shape) != (X.shape[0],):
        return None
    mistakes = [
        ((diff**2).sum(dim=1), "这是距离的平方：还要开平方根（L2 范数是平方和的平方根）。"),
        (diff.abs().sum(dim=1), "这是 L1 范数（绝对值之和）：距离用的是 L2 范数，即 ord=2（默认值）。"),
        (torch.linalg.vector_norm(X, dim=1), "这是每一行自身的范数：先算 X - p，再求范数。"),
        (
            torch.linalg.vector_norm(X, dim=1) - torch.linalg.vector_norm(p),
            "两个范数之差不是距离：先算差向量 X - p，再对它求范数。",
        ),
    ]
    for wrong, hint in mistakes:
        if torch.allclose(got, wrong, atol=1e-5, rtol=0):
            return hint
    return None


@never_raises
def check_3(answer: Any) -> Feedback:
    """练习 3：``answer`` 是函数 ``distances(X, p)``，返回 X 每一行到点 p 的 L2 距离（一维张量）。

    结果接受任何浮点类型的张量，也接受 NumPy 数组或列表；会检查函数没有改动传入的 X 和 p。
    """
    if answer is None:
        return not_answered("把函数里的 return None 换成你的代码，再运行这个单元格。")
    if not callable(answer):
        return failed(f"answer 应该是一个函数（def distances(X, p): ...），现在是 {type(answer).__name__}。")
    for X, p in _exercise_3_inputs():
        X_in, p_in = X.clone(), p.clone()
        try:
            result = answer(X_in, p_in)
        except Exception as err:  # 学习者的代码可能抛出任何异常
            if isinstance(err, RuntimeError) and "floating point" in str(err):
                return failed(f"范数只对浮点数定义：{error_summary(err)}")
            return failed(f"调用 distances(X, p) 时出错：{error_summary(err)}")
        if result is None:
            return not_answered("函数还返回 None：把 return None 换成你的代码。")
        if not (torch.equal(X_in, X) and torch.equal(p_in, p)):
            return failed("函数改动了传入的 X 或 p（比如写了 X -= p）：用 X - p 生成新张量，不要原地修改参数。")
        got = as_tensor(result)
        if got is None or got.dtype == torch.bool or got.is_complex():
            return failed(f"返回值应该是一维的浮点张量，每行一个距离，现在是 {type(result).__name__}。")
        got = got.to(torch.float64)
        expected = exercise_3_expected(X.double(), p.double())
        if not torch.isfinite(got).all():
            return failed("结果里有 nan 或 inf：检查计算过程。")
        hint = _known_mistake_3(got, X.double(), p.double())
        if hint and not (got.shape == expected.shape and torch.allclose(got, expected, atol=1e-5, rtol=0)):
            return failed(hint)
        if tuple(got.shape) != tuple(expected.shape):
            return failed(f"结果的形状应为 {tuple(expected.shape)}（X 有几行就有几个距离），现在是 {tuple(got.shape)}。")
        if not torch.allclose(got, expected, atol=1e-5, rtol=0):
            return failed("形状对了，但数值不对：距离是差向量 X[i] - p 的 L2 范数。")
    return passed("torch.linalg.vector_norm(X - p, dim=1)：广播让每行减去 p，dim=1 让范数沿每一行计算。")


# ---------------------------------------------------------------- 练习 4

_TYPE_SELF_HINT = (
    "用 type(self)(...) 创建结果（不要写死 Value(...)）：结果是子类，后面的运算才能继续用上你的新方法。"
)


def _close(a: Any, b: float) -> bool:
    try:
        return math.isclose(float(a), b, rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError, OverflowError):
        return False


def _torch_reference(x0: float, y0: float) -> tuple[float, float, float]:
    """用 torch.autograd 计算 g = (x * y - 1) ** 3 + 2 - x 的值和两个偏导数。"""
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(y0, dtype=torch.float64, requires_grad=True)
    g = (x * y - 1) ** 3 + 2 - x
    g.backward()
    return g.item(), x.grad.item(), y.grad.item()


def _explain_error(err: BaseException, what: str, method: str, cls: type) -> str:
    """把计算 ``what`` 时出现的异常解释成中文提示；``cls`` 是学习者的类。"""
    text = str(err)
    if isinstance(err, RecursionError):
        return (
            f"计算 {what} 时出现了无限递归（RecursionError）：{method} 又触发了它自己。"
            "常见原因是在 __rsub__ 里直接写 other - self（other 还是普通的数，Python 会再次调用 __rsub__）："
            "先用 self._lift(other) 把 other 包装成 Value，再做减法。"
        )
    if isinstance(err, TypeError) and "unsupported operand" in text:
        if "'Value'" in text and cls.__name__ != "Value":
            return f"计算 {what} 时，某一步的结果是 Value 而不是你的子类，它没有新方法：{_TYPE_SELF_HINT}"
        return f"计算 {what} 报错：类里还没有 {method} 方法（{error_summary(err)}）。"
    if isinstance(err, TypeError) and "float() argument" in text:
        return (
            f"计算 {what} 时出错：把一个 Value 又传给了 Value(...)（{error_summary(err)}）。"
            "传进来的 other 可能已经是 Value：右操作数是重写了反射方法的子类时，Python 会先调用它的反射方法，"
            "把左边的 Value 作为 other 传进来。用 self._lift(other) 包装，它只包装普通的数；"
            "创建结果时不要写死 Value(...)，用 type(self)(...)。"
        )
    if isinstance(err, AttributeError) and "backward" in text:
        return "对象还没有 backward 方法：先运行第 8.1 节里定义 backward、并执行 Value.backward = backward 的单元格。"
    return f"计算 {what} 时出错：{error_summary(err)}"


def _wrong_type(result: Any, cls: type, what: str) -> str | None:
    if type(result) is cls:
        return None
    return f"{what} 的结果是 {type(result).__name__}，不是你的类 {cls.__name__}。{_TYPE_SELF_HINT}"


@never_raises
def check_4(answer: Any) -> Feedback:
    """练习 4（选读）：``answer`` 是继承自 ``Value`` 的类，实现了 ``__sub__``、``__rsub__`` 和 ``__pow__``。

    检查器只用到课上 ``Value`` 的接口：``cls(数)`` 创建叶子，``.data`` 是数值，
    ``.grad`` 是梯度，``.backward()`` 从这个值开始反向传播。每一步运算的结果都必须是
    ``answer`` 这个类本身（用 ``type(self)(...)`` 创建）。
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
    except Exception as err:
        return failed(_explain_error(err, "x - y", "__sub__", cls))
    problem = _wrong_type(d, cls, "x - y")
    if problem:
        return failed(problem)
    try:
        if not _close(d.data, 2.0):
            return failed(f"x = 3、y = 1 时 x - y 应为 2，你的结果是 {d.data}。")
        d.backward()
    except Exception as err:
        return failed(_explain_error(err, "x - y 的反向传播", "backward", cls))
    if not (_close(x.grad, 1.0) and _close(y.grad, -1.0)):
        return failed(
            f"对 d = x - y 反向传播后应有 x.grad = 1、y.grad = -1，你得到 {x.grad} 和 {y.grad}："
            "减法对第二个操作数的局部导数是 -1。"
        )

    # 第 2 步：x ** 3
    try:
        x = cls(3.0)
        p = x**3
    except Exception as err:
        return failed(_explain_error(err, "x ** 3", "__pow__", cls))
    problem = _wrong_type(p, cls, "x ** 3")
    if problem:
        return failed(problem)
    try:
        if not _close(p.data, 27.0):
            return failed(f"x = 3 时 x ** 3 应为 27，你的结果是 {p.data}。")
        p.backward()
    except Exception as err:
        return failed(_explain_error(err, "x ** 3 的反向传播", "backward", cls))
    if not _close(x.grad, 27.0):
        return failed(f"x = 3 时 x ** 3 对 x 的导数应为 27，你得到 {x.grad}：x ** n 的导数是 n * x ** (n - 1)。")

    # 第 3 步：5 - x 需要反射运算符
    try:
        x = cls(3.0)
        r = 5 - x
    except Exception as err:
        if isinstance(err, TypeError) and "unsupported operand" in str(err) and "'int'" in str(err):
            return failed("5 - x 报错：左边是普通的数，Python 会去找右边的反射运算符 __rsub__，请实现它。")
        return failed(_explain_error(err, "5 - x", "__rsub__", cls))
    problem = _wrong_type(r, cls, "5 - x")
    if problem:
        return failed(problem)
    try:
        if _close(r.data, -2.0):
            return failed("5 - x 算成了 x - 5：__rsub__(self, other) 要计算的是 other - self。")
        if not _close(r.data, 2.0):
            return failed(f"x = 3 时 5 - x 应为 2，你的结果是 {r.data}。")
        r.backward()
    except Exception as err:
        return failed(_explain_error(err, "5 - x 的反向传播", "backward", cls))
    if not _close(x.grad, -1.0):
        return failed(f"5 - x 对 x 的导数应为 -1，你得到 {x.grad}。")

    # 第 4 步：一个组合表达式，与 torch.autograd 对比
    x0, y0 = 1.5, -2.0
    value, gx, gy = _torch_reference(x0, y0)
    try:
        x, y = cls(x0), cls(y0)
        g = (x * y - 1) ** 3 + 2 - x
    except Exception as err:
        return failed(_explain_error(err, "g = (x * y - 1) ** 3 + 2 - x", "某个运算符", cls))
    problem = _wrong_type(g, cls, "g = (x * y - 1) ** 3 + 2 - x")
    if problem:
        return failed(problem)
    try:
        g.backward()
    except Exception as err:
        return failed(_explain_error(err, "g 的反向传播", "backward", cls))
    if not (_close(g.data, value) and _close(x.grad, gx) and _close(y.grad, gy)):
        return failed(
            f"组合表达式 g = (x * y - 1) ** 3 + 2 - x 与 torch.autograd 不一致："
            f"应有 g = {value:g}、∂g/∂x = {gx:g}、∂g/∂y = {gy:g}，"
            f"你得到 {g.data}、{x.grad}、{y.grad}。"
        )
    return passed(
        f"减法、反射减法和乘方都对了；g = (x * y - 1) ** 3 + 2 - x 的梯度与 torch.autograd 一致"
        f"（∂g/∂x = {gx:g}，∂g/∂y = {gy:g}）。"
    )
