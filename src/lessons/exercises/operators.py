"""第 2 课“运算符重载”的练习检查器。

- :func:`check_1`：预测 ``//`` 与 ``%`` 在负数上的结果，写成 ``(商的列表, 余数的列表)``；
- :func:`check_2`：函数 ``function_form(x, w, b)``，把 ``(x @ w + b) ** 2 > 1`` 改写成只用 torch 函数的形式；
- :func:`check_3`：函数 ``distances(X, p)``，用广播和范数求每个点到另一个点的距离（对任意多个坐标都适用）；
- :func:`check_4`：给课上的 ``Value`` 类加上 ``__sub__``、``__rsub__`` 和 ``__pow__``（选读）。

每道练习是表 ``EXERCISES`` 中的一项（见 :class:`lessons.checking.Exercise`）：正确结果怎样算、怎样比较、
常见错误及其提示。练习 4 检查的是一个类的行为，它的比较方式是一张“步骤表”：依次用学习者的类算几个表达式、
反向传播，再和 ``torch.autograd`` 的结果对照。
检查器从不抛出异常：答案的形式不对、答案自己的代码出错，都会变成一条中文反馈。
"""

from __future__ import annotations

import ast
import inspect
import math
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from ..checking import Case, Exercise, Mistake, Tensor, as_tensor, error_summary, numbered


def _shape(t: Any) -> tuple[int, ...]:
    return tuple(t.shape)


def _pass_the_function(name: str, parameters: str) -> Callable[[Any], str]:
    """函数题的答案不是函数时的提示：笔记本把函数本身交给检查器。"""

    def hint(answer: Any) -> str:
        return (
            f"检查器要的是函数 {name} 本身（def {name}({parameters}): ...）：把函数名 {name} 交给检查器，"
            f"不带括号、不带参数。现在交给它的是 {type(answer).__name__}。"
        )

    return hint


# ---------------------------------------------------------------- 练习 1

#: 练习 1 的被除数与除数。
DIVIDENDS = (-7, -6, 5, 7)
DIVISOR = 3

_FLOOR_Q = [a // DIVISOR for a in DIVIDENDS]
_TRUNC_Q = [int(a / DIVISOR) for a in DIVIDENDS]
_FLOOR_R = [a % DIVISOR for a in DIVIDENDS]
_FMOD_R = [int(math.fmod(a, DIVISOR)) for a in DIVIDENDS]


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


def _read_pair(answer: Any) -> tuple[tuple[list[int], list[int]] | None, str | None]:
    """把答案读成 ``(商的列表, 余数的列表)``；读不出来时返回 ``(None, 中文原因)``。"""
    parts = _two_parts(answer)
    if parts is None:
        return None, (
            "answer 应该是两个列表组成的元组：(商的列表, 余数的列表)，例如 ([1, 2, 3, 4], [0, 1, 2, 0])，"
            f"现在是 {type(answer).__name__}。"
        )
    if len(parts) != 2:
        return None, f"answer 应该正好由两部分组成：(商的列表, 余数的列表)，现在有 {len(parts)} 部分。"
    quotient, problem = _int_list(parts[0], "商")
    if problem:
        return None, problem
    remainder, problem = _int_list(parts[1], "余数")
    if problem:
        return None, problem
    n = len(DIVIDENDS)
    if len(quotient) != n or len(remainder) != n:
        return None, f"a 有 {n} 个元素，所以商和余数的列表也应各有 {n} 个数。"
    return (quotient, remainder), None


def _pair(answer: Any) -> tuple[list[int], list[int]]:
    """给常见错误的判断用：读不出来时抛出异常（:class:`Mistake` 把它当作“不是这种错误”）。"""
    pair, problem = _read_pair(answer)
    if pair is None:
        raise ValueError(problem)
    return pair


class _QuotientRemainder:
    """练习 1 的比较：先读出两个整数列表（读不出来时说明原因），再分别比较商和余数。"""

    def problem(self, got: Any, want: tuple[list[int], list[int]]) -> str | None:
        pair, problem = _read_pair(got)
        if pair is None:
            return problem
        quotient, remainder = pair
        if quotient != want[0]:
            return "商不对：`//` 先做真正的除法，再向下取整（取不大于它的最大整数）。"
        if remainder != want[1]:
            return "商对了，余数不对：用 a == (a // b) * b + a % b 反推余数。"
        return None


_EXERCISE_1 = Exercise(
    brief="answer = (商的列表, 余数的列表)：a // 3 与 a % 3 的结果，a = [-7, -6, 5, 7]"
    "（两个列表、整数张量、NumPy 数组或 2×4 的张量都可以）。",
    expected=lambda: (_FLOOR_Q, _FLOOR_R),
    compare=_QuotientRemainder(),
    mistakes=(
        Mistake(
            lambda a: _pair(a) == (_FLOOR_R, _FLOOR_Q),
            "两个列表的顺序反了：answer 是 (商的列表, 余数的列表)，先写 a // 3 的结果，再写 a % 3 的结果。",
        ),
        Mistake(
            lambda a: _pair(a)[0] == _TRUNC_Q,
            "商用的是向零取整（像 C 语言或 int(-7 / 3)）。`//` 是向下取整（朝负无穷方向），对负数的结果更小一些。",
        ),
        Mistake(
            lambda a: _pair(a) == (_FLOOR_Q, _FMOD_R),
            "余数的符号跟了被除数（这是 torch.fmod 的规则）。`%` 的余数符号跟除数一致：除数是 3，余数在 0 到 2 之间。",
        ),
    ),
    success="`//` 向下取整，`%` 的余数与除数同号，两者满足 a == (a // b) * b + a % b。",
)

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
    最后一行让几种常见的错误写法（开平方、``x @ w + b ** 2``、漏掉 b 等）在这一组输入上结果各不相同，
    提示才能说中是哪一种。
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
            [0.75, 0.0, 0.0],  # 1.25            → 1.5625
        ]
    )
    cases = [(x, w, b)]
    gen = torch.Generator().manual_seed(6)
    for rows in (4, 6):
        cases.append((torch.randn(rows, 3, generator=gen), torch.randn(3, generator=gen), torch.tensor(0.5)))
    return cases


def _ex2_cases() -> list[Case]:
    first, *others = _exercise_2_inputs()
    return [Case(first, "用第 1 组输入（其中有 (x @ w + b) ** 2 恰好等于 1 的行）时")] + [
        Case(args, f"用第 {i} 组输入（随机数）时") for i, args in enumerate(others, start=2)
    ]


def reference_2(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """练习 2 的原始表达式（题目本身，用运算符写成）：``(x @ w + b) ** 2 > 1``。"""
    return (x @ w + b) ** 2 > 1


def _same_as(wrong: Callable[..., torch.Tensor]) -> Callable[..., bool]:
    """判断“结果是布尔张量、与正确结果不同、却恰好等于某种错误写法的结果”。"""

    def when(got: torch.Tensor, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> bool:
        got = got.detach().to("cpu")
        return (
            got.dtype == torch.bool
            and not torch.equal(got, reference_2(x, w, b))
            and torch.equal(got, wrong(x, w, b))
        )

    return when


_MATMUL_HINT = (
    "x 的形状是 (行数, 3)，w 的形状是 (3,)，矩阵-向量积要写成 torch.matmul(x, w)，x 在左边。"
)


def _no_operators(function_form: Callable[..., Any]) -> str | None:
    """结果都对以后，再看函数的源代码里还有没有运算符。"""
    used = operators_used(function_form)
    if used:
        return (
            "结果对了，但函数里还用到了运算符 " + "、".join(f"`{s}`" for s in used)
            + "：请把它们也换成对应的 torch 函数（见上面的对照表）。"
        )
    return None


_EXERCISE_2 = Exercise(
    brief="函数 function_form(x, w, b) 只用 torch 函数（不出现运算符）算出 (x @ w + b) ** 2 > 1。",
    function="function_form",
    arguments=("x", "w", "b"),
    not_function=_pass_the_function("function_form", "x, w, b"),
    cases=_ex2_cases,
    expected=reference_2,
    compare=Tensor(dtype=torch.bool, name="函数的返回值"),
    error_hints=(
        ("positional argument", "函数应该接受三个参数 (x, w, b)。"),
        ("1D tensors expected", "torch.dot 只接受两个一维张量（两个向量的点积）。" + _MATMUL_HINT),
        ("size mismatch", "形状对不上：" + _MATMUL_HINT),
        ("shape", "形状对不上：" + _MATMUL_HINT),
    ),
    mistakes=(
        Mistake(
            lambda got, x, w, b: isinstance(got, torch.Tensor) and _shape(got) == _shape(x),
            lambda got, x, w, b: f"结果的形状是 {_shape(got)}，和 x 一样：x 与 w 之间是矩阵乘法 @，"
            "对应 torch.matmul，而不是逐元素乘法 torch.mul。",
        ),
        Mistake(
            lambda got, x, w, b: isinstance(got, torch.Tensor) and _shape(got) == (x.shape[0],) and got.dtype != torch.bool,
            "返回值应该是布尔张量（torch.bool）：最后一步是和 1 比较，对应 torch.gt。",
        ),
        Mistake(
            _same_as(lambda x, w, b: (x @ w + b) ** 2 >= 1),
            "在 (x @ w + b) ** 2 恰好等于 1 的位置结果不同：`>` 是严格大于，对应 torch.gt；torch.ge 是 `>=`。",
        ),
        Mistake(
            _same_as(lambda x, w, b: (x @ w + b) ** 2 < 1),
            "比较的方向反了：`>` 对应 torch.gt（greater than），torch.lt 是 `<`。",
        ),
        Mistake(
            _same_as(lambda x, w, b: (x @ w + b) ** 2 <= 1),
            "比较的方向反了：`>` 对应 torch.gt（greater than），torch.le 是 `<=`。",
        ),
        Mistake(
            _same_as(lambda x, w, b: (x @ w + b) * 2 > 1),
            "`** 2` 是平方，对应 torch.pow(..., 2) 或 torch.square，不是乘以 2。",
        ),
        Mistake(
            _same_as(lambda x, w, b: (x @ w + b) ** 0.5 > 1),
            "指数写成了 0.5，那是开平方根：`** 2` 是平方，对应 torch.pow(..., 2) 或 torch.square。",
        ),
        Mistake(
            _same_as(lambda x, w, b: x @ w + b**2 > 1),
            "注意优先级：`**` 比 `+` 先算，但原式里括号让 (x @ w + b) 整体平方。",
        ),
        Mistake(
            _same_as(lambda x, w, b: (x @ w) ** 2 + b > 1),
            "先平方、后加 b 了：原式里括号让 (x @ w + b) 整体平方，要先 torch.add，再 torch.pow。",
        ),
        Mistake(
            _same_as(lambda x, w, b: (x @ w) ** 2 > 1),
            "漏掉了 b：括号里是 x @ w + b，平方之前要用 torch.add 加上 b。",
        ),
        Mistake(
            _same_as(lambda x, w, b: (x @ w + b) ** 2 > 0),
            "比较的对象不对：原式是和 1 比较（`> 1`），torch.gt 的第二个参数是 1。",
        ),
    ),
    whole=(_no_operators,),
    success="torch.gt(torch.pow(torch.add(torch.matmul(x, w), b), 2), 1) 与运算符写法完全一致。",
)

# ---------------------------------------------------------------- 练习 3


def _exercise_3_inputs() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """练习 3 的测试输入：一组距离恰好是整数的平面点，再加一组随机的三维点。

    函数要对任意多个坐标都适用：只用了前两个坐标的答案在平面点上是对的，在三维点上就会被发现。
    """
    X = torch.tensor([[1.0, 1.0], [4.0, 5.0], [1.0, -2.0], [-2.0, 5.0]])
    p = torch.tensor([1.0, 1.0])  # 各行到 p 的距离：0、5、3、5
    gen = torch.Generator().manual_seed(3)
    return [(X, p), (torch.randn(5, 3, generator=gen), torch.randn(3, generator=gen))]


def _ex3_cases() -> list[Case]:
    return [Case((X, p), f"X 的每一行有 {X.shape[1]} 个坐标时") for X, p in _exercise_3_inputs()]


def exercise_3_expected(X: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
    """练习 3 的正确结果：按定义逐行算 sqrt(sum((X[i] - p)²))。"""
    return torch.stack([((row - p) ** 2).sum().sqrt() for row in X])


def _distances_f64(got: Any) -> torch.Tensor:
    """把返回值（张量、NumPy 数组或列表）变成 float64 张量；做不到时抛出异常（判断常见错误时用）。"""
    tensor = as_tensor(got)
    if tensor is None or tensor.dtype == torch.bool or tensor.is_complex():
        raise TypeError("不是实数张量")
    return tensor.to(torch.float64)


def _looks_like(wrong: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> Callable[..., bool]:
    """判断“每行一个数、与正确结果不同、却与某种错误写法的结果一致”。输入都先换成 float64。"""

    def when(got: Any, X: torch.Tensor, p: torch.Tensor) -> bool:
        values, X, p = _distances_f64(got), X.double(), p.double()
        right = exercise_3_expected(X, p)
        return (
            _shape(values) == _shape(right)
            and not torch.allclose(values, right, atol=1e-5, rtol=0)
            and torch.allclose(values, wrong(X, p), atol=1e-5, rtol=0)
        )

    return when


def _single_number_hint(got: Any, X: torch.Tensor, p: torch.Tensor) -> str:
    """结果只有一个数时的提示：按它等于什么，说出是哪一种写法。"""
    value = float(_distances_f64(got))
    X, p = X.double(), p.double()
    rows = exercise_3_expected(X, p)

    def near(target: float) -> bool:
        return math.isclose(value, target, rel_tol=0, abs_tol=1e-5)

    if near(float(torch.linalg.vector_norm(X - p))):
        return "结果只有一个数：没有给 dim 时，vector_norm 把所有元素当作一个长向量。加上 dim=1，让范数沿每一行计算。"
    if near(float(rows.sum())):
        return "结果只有一个数，等于各行距离之和：题目要每行一个距离（X 有几行就有几个数），不要再对距离求和。"
    if any(near(float(r)) for r in rows):
        return "结果只有一个数，是其中一行的距离：题目要每行一个距离，返回整个一维张量，不要只取其中一个（例如 [0] 或 .item()）。"
    return (
        "结果只有一个数：题目要每行一个距离（X 有几行就有几个数）。用 vector_norm 时要写 dim=1"
        "（不写 dim 时它把所有元素当作一个长向量）；也不要再对各行的距离求和、求平均或只取其中一个。"
    )


def _truncated(got: Any, X: torch.Tensor, p: torch.Tensor) -> bool:
    """结果是整数类型，数值又不对：多半是把距离转成了整数。"""
    tensor = as_tensor(got)
    right = exercise_3_expected(X.double(), p.double())
    return (
        not tensor.dtype.is_floating_point
        and tensor.dtype != torch.bool
        and not torch.allclose(tensor.double(), right, atol=1e-5, rtol=0)
    )


def _not_real(got: Any) -> bool:
    tensor = as_tensor(got)
    return tensor is None or tensor.dtype == torch.bool or tensor.is_complex()


_EXERCISE_3 = Exercise(
    brief="函数 distances(X, p) 返回 X 每一行到点 p 的 L2 距离（一维，每行一个数；对任意多个坐标都适用；"
    "任何浮点类型的张量、NumPy 数组或列表都可以；不能修改 X 和 p）。",
    function="distances",
    arguments=("X", "p"),
    input_hint="差向量写成 X - p，它是一个新张量。",
    not_function=_pass_the_function("distances", "X, p"),
    cases=_ex3_cases,
    expected=lambda X, p: exercise_3_expected(X.double(), p.double()),
    compare=Tensor(
        arrays=True,
        atol=1e-5,
        name="函数的返回值",
        wrong="形状对了，但数值不对：距离是差向量 X[i] - p 的 L2 范数。",
    ),
    error_hints=(
        ("floating point", "范数只对浮点数定义：不要把 X、p 或 X - p 转成整数类型。"),
        (
            "must match the size",
            "X 的形状是 (点的个数, 坐标个数)，p 的形状是 (坐标个数,)，X - p 直接就能让每一行减去 p。"
            "函数要对任意多个坐标都适用，不要写死坐标的个数。",
        ),
        (
            "cdist only supports",
            "torch.cdist 的两个参数都要至少是二维的：p 的形状是 (坐标个数,)，要先用 p.unsqueeze(0) 变成 "
            "(1, 坐标个数)；cdist 的结果形状是 (点的个数, 1)，还要再展平成一维。",
        ),
    ),
    mistakes=(
        Mistake(
            lambda got, X, p: _not_real(got),
            lambda got, X, p: f"返回值应该是一维的浮点张量，每行一个距离，现在是 {type(got).__name__}。",
        ),
        Mistake(lambda got, X, p: _distances_f64(got).dim() == 0, _single_number_hint),
        Mistake(
            lambda got, X, p: _shape(_distances_f64(got)) == (X.shape[0], 1),
            lambda got, X, p: f"结果的形状是 {_shape(_distances_f64(got))}，多了一维："
            "题目要一维张量，每行一个数（可以用 dim=1，或 .squeeze(1)）。",
        ),
        Mistake(
            lambda got, X, p: X.shape[0] != X.shape[1] and _shape(_distances_f64(got)) == (X.shape[1],),
            "结果的长度等于列数而不是行数：dim=0 沿列计算；要每行一个距离，用 dim=1。",
        ),
        Mistake(
            lambda got, X, p: _shape(_distances_f64(got)) != (X.shape[0],),
            lambda got, X, p: f"结果的形状应为 ({X.shape[0]},)（X 有几行就有几个距离），"
            f"现在是 {_shape(_distances_f64(got))}。",
        ),
        Mistake(
            _truncated,
            lambda got, X, p: f"结果是整数类型（{as_tensor(got).dtype}）：距离一般不是整数，转成整数时小数部分被截掉了。"
            "保留浮点数，不要调用 .int() 或 .long()。",
        ),
        Mistake(
            _looks_like(lambda X, p: ((X - p) ** 2).sum(dim=1)),
            "这是距离的平方：还要开平方根（L2 范数是平方和的平方根）。",
        ),
        Mistake(
            _looks_like(lambda X, p: (X - p).abs().sum(dim=1)),
            "这是 L1 范数（绝对值之和）：距离用的是 L2 范数，即 ord=2（默认值）。",
        ),
        Mistake(
            _looks_like(lambda X, p: torch.linalg.vector_norm(X, dim=1)),
            "这是每一行自身的范数：先算 X - p，再求范数。",
        ),
        Mistake(
            _looks_like(lambda X, p: torch.linalg.vector_norm(X, dim=1) - torch.linalg.vector_norm(p)),
            "两个范数之差不是距离：先算差向量 X - p，再对它求范数。",
        ),
        Mistake(
            # 只用了前两个坐标：平面上的点算对了，坐标更多时就错了
            _looks_like(lambda X, p: torch.linalg.vector_norm((X - p)[:, :2], dim=1)),
            lambda got, X, p: f"平面上的点（2 个坐标）算对了，但 X 的每一行有 {X.shape[1]} 个坐标时不对："
            "结果只用到了前两个坐标。函数要对任意多个坐标都适用：不要单独取出 X[:, 0]、X[:, 1]，"
            "而是对整个差向量 X - p 沿 dim=1 求范数。",
        ),
    ),
    success="torch.linalg.vector_norm(X - p, dim=1)：广播让每行减去 p，dim=1 让范数沿每一行计算，"
    "坐标有几个都适用。",
)

# ---------------------------------------------------------------- 练习 4

_TYPE_SELF_HINT = (
    "用 type(self)(...) 创建结果（不要写死 Value(...)）：结果是子类，后面的运算才能继续用上你的新方法。"
)


def _close(a: Any, b: float) -> bool:
    try:
        return math.isclose(float(a), b, rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError, OverflowError):
        return False


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
    if isinstance(err, AttributeError) and re.search(r"'(int|float)' object has no attribute 'data'", text):
        if method == "__pow__":
            return (
                f"计算 {what} 时出错（{error_summary(err)}）：x ** n 的指数 n 是普通的数，没有 .data，"
                "直接用 n 计算（例如 self.data ** n）。"
            )
        return (
            f"计算 {what} 时出错（{error_summary(err)}）：另一个操作数还是普通的数，没有 .data。"
            "先写 other = self._lift(other) 把它包装成 Value，再取 other.data。"
        )
    return f"计算 {what} 时出错：{error_summary(err)}"


@dataclass(frozen=True)
class _Step:
    """练习 4 的一步：用学习者的类创建叶子，算一个表达式，检查类型、数值，再反向传播检查梯度。

    ``build`` 对课上的 ``Value`` 和对 torch 张量都能用：正确的数值和梯度由 ``torch.autograd`` 算出。
    ``missing`` 是表达式左边是普通的数、学习者的类又缺少反射方法时的提示；``values`` 是
    ``{常见的错误结果: 提示}``；``tip`` 补在梯度不对的反馈后面。
    """

    what: str
    method: str
    names: tuple[str, ...]
    leaves: tuple[float, ...]
    build: Callable[..., Any]
    tip: str = ""
    missing: str = ""
    values: tuple[tuple[float, str], ...] = ()

    def where(self) -> str:
        return "、".join(f"{n} = {v:g}" for n, v in zip(self.names, self.leaves))

    def autograd(self) -> tuple[float, tuple[float, ...]]:
        """用 torch.autograd 算出这一步的数值和各个叶子的梯度（float64）。"""
        leaves = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in self.leaves]
        result = self.build(*leaves)
        result.backward()
        return result.item(), tuple(leaf.grad.item() for leaf in leaves)

    def problem(self, cls: type, want: tuple[float, tuple[float, ...]]) -> str | None:
        value, grads = want
        try:
            leaves = [cls(v) for v in self.leaves]
            result = self.build(*leaves)
        except Exception as err:  # 学习者的类可能在任何一步出错
            text = str(err)
            if self.missing and isinstance(err, TypeError) and "unsupported operand" in text and "'int'" in text:
                return self.missing
            return _explain_error(err, self.what, self.method, cls)
        if type(result) is not cls:
            return f"{self.what} 的结果是 {type(result).__name__}，不是你的类 {cls.__name__}。{_TYPE_SELF_HINT}"
        if any(result is leaf for leaf in leaves):
            return (
                f"{self.what} 的结果就是参与运算的 {self.names[0]} 本身：{self.method} 改动了 self 并把它返回了。"
                "要创建并返回一个新的对象：type(self)(新的数值, (self,), 运算名, 局部导数)，不要修改 self.data。"
            )
        try:
            for wrong, hint in self.values:
                if _close(result.data, wrong):
                    return hint
            if not _close(result.data, value):
                return f"{self.where()} 时 {self.what} 应为 {value:g}，你的结果是 {result.data}。"
            result.backward()
        except Exception as err:  # 学习者的 backward 可能出错
            return _explain_error(err, f"{self.what} 的反向传播", "backward", cls)
        if not all(_close(leaf.grad, g) for leaf, g in zip(leaves, grads)) and not getattr(result, "parents", True):
            return (
                f"{self.where()} 时，对 {self.what} 反向传播后梯度不对：结果没有记下父节点（parents 是空的），"
                "反向传播走不到输入。创建结果时把 (self,)（或 (self, other)）作为 parents、把局部导数作为 local_grads "
                "传进去，照课上 __mul__ 的写法。"
            )
        if not all(_close(leaf.grad, g) for leaf, g in zip(leaves, grads)):
            should = "、".join(f"{n}.grad = {g:g}" for n, g in zip(self.names, grads))
            have = "、".join(f"{n}.grad = {leaf.grad}" for n, leaf in zip(self.names, leaves))
            return f"{self.where()} 时，对 {self.what} 反向传播后应有 {should}，你得到 {have}" + (
                f"：{self.tip}" if self.tip else "。"
            )
        return None


#: 练习 4 依次检查的表达式：先各用一个新方法，最后是一个组合表达式
_STEPS = (
    _Step("x - y", "__sub__", ("x", "y"), (3.0, 1.0), lambda x, y: x - y, tip="减法对第二个操作数的局部导数是 -1。"),
    _Step("x ** 3", "__pow__", ("x",), (3.0,), lambda x: x**3, tip="x ** n 的导数是 n * x ** (n - 1)。"),
    _Step(
        "5 - x",
        "__rsub__",
        ("x",),
        (3.0,),
        lambda x: 5 - x,
        tip="other - self 对 self 的局部导数是 -1。",
        missing="5 - x 报错：左边是普通的数，Python 会去找右边的反射运算符 __rsub__，请实现它。",
        values=((-2.0, "5 - x 算成了 x - 5：__rsub__(self, other) 要计算的是 other - self。"),),
    ),
    _Step(
        "g = (x * y - 1) ** 3 + 2 - x",
        "某个运算符",
        ("x", "y"),
        (1.5, -2.0),
        lambda x, y: (x * y - 1) ** 3 + 2 - x,
        tip="组合表达式与 torch.autograd 算出的梯度不一致。",
    ),
)


class _ValueSteps:
    """练习 4 的比较：依次检查 :data:`_STEPS` 中的每一步，报告第一处问题。"""

    def problem(self, cls: type, want: tuple[tuple[float, tuple[float, ...]], ...]) -> str | None:
        for step, expected in zip(_STEPS, want):
            problem = step.problem(cls, expected)
            if problem:
                return problem
        return None


def _value_success(cls: type) -> str:
    _, (gx, gy) = _STEPS[-1].autograd()
    return (
        "减法、反射减法和乘方都对了；g = (x * y - 1) ** 3 + 2 - x 的梯度与 torch.autograd 一致"
        f"（∂g/∂x = {gx:g}，∂g/∂y = {gy:g}）。"
    )


_EXERCISE_4 = Exercise(
    brief="（选读）answer 是继承自课上 Value 的类，实现了 __sub__、__rsub__ 和 __pow__，"
    "每一步运算的结果都是这个类本身（用 type(self)(...) 创建）。",
    expected=lambda: tuple(step.autograd() for step in _STEPS),
    compare=_ValueSteps(),
    mistakes=(
        Mistake(
            lambda a: not isinstance(a, type),
            lambda a: f"answer 应该是一个类（class MyValue(Value): ...），现在是 {type(a).__name__}。",
        ),
    ),
    success=_value_success,
)

#: 本课的练习，按顺序：第 N 项就是“练习 N”
EXERCISES = (_EXERCISE_1, _EXERCISE_2, _EXERCISE_3, _EXERCISE_4)
check_1, check_2, check_3, check_4 = numbered(EXERCISES)
