"""第 3 课“自动求导”的练习检查器。

- :func:`check_1`：用自动求导求 f(x) = x³ − 3x 在 x = 2 处的导数；
- :func:`check_2`：用 ``backward(gradient=v)`` 求一个向量-雅可比积；
- :func:`check_3`：函数 ``numeric_grad(f, x, h=1e-5)``，自己写中心差分，数值地求梯度；
- :func:`check_4`：函数 ``descend(lr, steps)``，用自动求导手写梯度下降，别忘了清零梯度。

每道练习是表 ``EXERCISES`` 中的一项（见 :class:`lessons.checking.Exercise`）：正确结果怎样算、怎样比较、
常见错误及其提示。期望的结果都由公式直接算出（见各练习的说明），不依赖参考答案的代码。
检查器从不抛出异常：答案的形式不对、答案自己的代码出错，都会变成一条中文反馈。

练习 1、2 的答案是 ``None`` 时，检查器会读调用它的那段代码（见 :func:`answer_source`）：仍是占位的
``answer = None`` 才说“还没有作答”；写了 ``answer = x1.grad`` 却得到 ``None`` 时，说明它为什么是 ``None``。
"""

from __future__ import annotations

import ast
import linecache
import math
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

import numpy as np
import torch

from ..checking import (
    Case,
    Exercise,
    Feedback,
    Mistake,
    as_number,
    as_tensor,
    error_summary,
    failed,
    not_answered,
    numbered,
)


def _as_float_tensor(value: Any) -> torch.Tensor | None:
    """把答案变成 CPU 上的 float64 张量（张量、NumPy 数组、列表都可以）；做不到时返回 ``None``。"""
    tensor = as_tensor(value)
    if tensor is None or tensor.dtype == torch.bool or tensor.is_complex():
        return None
    return tensor.to(torch.float64)


def _f64(value: Any) -> torch.Tensor:
    """同 :func:`_as_float_tensor`，但做不到时抛出异常：判断常见错误时用（异常表示“不是这种错误”）。"""
    tensor = _as_float_tensor(value)
    if tensor is None:
        raise TypeError("不是实数张量")
    return tensor


def _show(tensor: torch.Tensor, digits: int = 6) -> str:
    """把张量写成 ``[a, b, c]``，每个数保留 ``digits`` 位有效数字。"""
    return "[" + ", ".join(f"{v:.{digits}g}" for v in tensor.reshape(-1).tolist()) + "]"


@dataclass(frozen=True)
class _Vector:
    """答案是一个向量：张量、NumPy 数组或数字列表都可以，先换成 float64，再在 ``atol`` 内比较。

    数值不对时写出答案的值，``show=True`` 时也写出应有的值（值题不写：那等于把答案告诉了学习者）；
    ``tip`` 补在每一条问题描述的后面。
    """

    name: str
    atol: float
    tip: str = ""
    show: bool = True

    def problem(self, got: Any, want: torch.Tensor) -> str | None:
        values = _as_float_tensor(got)
        name = self.name
        if values is None:
            problem = f"{name}应该是张量（也可以是 NumPy 数组或数字列表），现在是 {type(got).__name__}。"
        elif tuple(values.shape) != tuple(want.shape):
            problem = f"{name}的形状应为 {tuple(want.shape)}，现在是 {tuple(values.shape)}。"
        elif not torch.isfinite(values).all():
            problem = f"{name}里有 nan 或 inf：检查是否除以了零，或者数值越算越大。"
        elif not torch.allclose(values, want.to(torch.float64), atol=self.atol, rtol=0):
            should = f"应为 {_show(want)}，" if self.show else ""
            problem = f"{name}的形状对了，但数值不对：{should}现在是 {_show(values)}。"
        else:
            return None
        return problem + self.tip


def _near(got: Any, wrong: torch.Tensor, atol: float) -> bool:
    """答案与某个错误结果形状相同、都是有限的数，并且在 ``atol`` 内相等。"""
    values = _f64(got)
    return (
        values.shape == wrong.shape
        and bool(torch.isfinite(values).all())
        and torch.allclose(values, wrong.to(torch.float64), atol=atol, rtol=0)
    )


def _pass_the_function(name: str, parameters: str) -> Callable[[Any], str]:
    """函数题的答案不是函数时的提示：笔记本把函数本身交给检查器。"""

    def hint(answer: Any) -> str:
        return (
            f"检查器要的是函数 {name} 本身（def {name}({parameters}): ...）：把函数名 {name} 交给检查器，"
            f"不带括号、不带参数。现在交给它的是 {type(answer).__name__}。"
        )

    return hint


# ---------------------------------------------------------------- 答案是 None：占位，还是算出来的 None？


def _learner_frame() -> FrameType | None:
    """调用检查器的那一帧（笔记本的单元格、测试函数……）：从调用者往外，跳过 lessons 包自己的帧。"""
    frame = sys._getframe(1)
    while frame is not None and str(frame.f_globals.get("__name__", "")).partition(".")[0] == "lessons":
        frame = frame.f_back
    return frame


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """``scope`` 里的节点，不进入嵌套的函数、类和 lambda（它们的赋值不影响这里的变量）。"""
    for child in ast.iter_child_nodes(scope):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        yield child
        yield from _own_nodes(child)


def answer_source(frame: FrameType | None) -> tuple[str, str, str]:
    """读调用检查器的源代码，判断交来的 ``None`` 从哪里来，返回 ``(情形, 变量名, 表达式)``：

    - ``("placeholder", 名字, "")``：交给检查器的是 ``None`` 字面量，或一个最后被赋值为 ``None`` 的变量
      （笔记本里的占位 ``answer = None``）；
    - ``("written", 名字, 表达式)``：变量最后一次被赋值为别的表达式（例如 ``answer = x1.grad``），值却是 ``None``；
    - ``("unknown", "", "")``：读不到源代码（例如在交互式解释器里），或者看不出来。

    笔记本（IPython 内核）会把每个单元格的源代码登记在 :mod:`linecache` 里，所以在 Jupyter 和 Colab 中读得到。
    这个函数从不抛出异常。
    """
    try:
        if frame is None:
            return "unknown", "", ""
        source = "".join(linecache.getlines(frame.f_code.co_filename, frame.f_globals))
        tree = ast.parse(source)
        line = frame.f_lineno
        scope: ast.AST = tree
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno <= line <= node.end_lineno:
                if scope is tree or node.lineno > scope.lineno:
                    scope = node
        calls = [
            node
            for node in _own_nodes(scope)
            if isinstance(node, ast.Call)
            and node.lineno <= line <= node.end_lineno
            and len(node.args) == 1
            and ast.unparse(node.func).rpartition(".")[2].startswith("check")
        ]
        if len(calls) != 1:
            return "unknown", "", ""
        call, = calls
        arg = call.args[0]
        if isinstance(arg, ast.Constant) and arg.value is None:
            return "placeholder", "", ""
        if not isinstance(arg, ast.Name):
            return "unknown", "", ""
        assigned = [
            node
            for node in _own_nodes(scope)
            if isinstance(node, (ast.Assign, ast.AnnAssign))
            and any(isinstance(t, ast.Name) and t.id == arg.id for t in getattr(node, "targets", [getattr(node, "target", None)]))
            and (node.lineno, node.col_offset) < (call.lineno, call.col_offset)
            and node.value is not None
        ]
        if not assigned:
            return "unknown", "", ""
        value = max(assigned, key=lambda node: (node.lineno, node.col_offset)).value
        if isinstance(value, ast.Constant) and value.value is None:
            return "placeholder", arg.id, ""
        return "written", arg.id, ast.get_source_segment(source, value) or ast.unparse(value)
    except Exception:  # 读源代码只是为了给出更准的提示：任何意外都当作“看不出来”
        return "unknown", "", ""


def _tensor_named(frame: FrameType | None, expression: str) -> tuple[str, Any]:
    """``expression`` 形如 ``名字.grad`` 时，返回 ``(名字, 这个名字在调用者那里的值)``；否则返回 ``("", None)``。"""
    match = re.fullmatch(r"\s*([A-Za-z_]\w*)\.grad\s*", expression)
    if not match or frame is None:
        return "", None
    name = match.group(1)
    return name, frame.f_locals.get(name, frame.f_globals.get(name))


@dataclass(frozen=True)
class _GradHint:
    """值题“把 ``leaf.grad`` 赋给 answer”里，answer 得到 None 时的提示。

    ``leaf`` 是要读梯度的叶子节点，``output`` 是对它调用 backward 的结果，``call`` 是那一次调用。
    """

    leaf: str
    output: str
    call: str

    def both(self) -> str:
        """两种常见原因：还没有反向传播，或者读的是非叶子节点的梯度。"""
        return (
            f"{self.leaf}.grad 要在调用 {self.call} 之后才有值，之前是 None；"
            f"{self.output} 不是叶子节点，backward() 不会填充它的 .grad（除非事先调用 retain_grad()），"
            f"题目要的是 {self.leaf}.grad。"
        )

    def __call__(self, written: str, frame: FrameType | None) -> str:
        if not written:  # 看不出答案是怎么写的
            return "已经写了答案却仍是 None 时，检查两点：" + self.both()
        name, value = _tensor_named(frame, written)
        if not name:
            return "等号右边的表达式得到的是 None（例如 print(...) 只负责打印，返回 None）。如果它读的是梯度，检查两点：" + self.both()
        if isinstance(value, torch.Tensor) and not value.is_leaf:
            return (
                f"{name} 不是叶子节点（它由运算得到）：backward() 只把梯度存进叶子节点的 .grad"
                f"（除非事先对 {name} 调用 retain_grad()），所以 {name}.grad 是 None。题目要的是 {self.leaf}.grad。"
            )
        if isinstance(value, torch.Tensor) and not value.requires_grad:
            return f"{name} 不需要梯度（创建时没有写 requires_grad=True），backward() 不会为它算梯度，它的 .grad 一直是 None。"
        return f"{name}.grad 要在调用 {self.call} 之后才有值：先调用 {self.call}，再读 {name}.grad。"


@dataclass(frozen=True)
class _ValueExercise(Exercise):
    """值题：答案是 ``None`` 时，先看学习者是不是已经写了答案（见 :func:`answer_source`）。

    只有交来的确实是占位的 ``None`` 时才是 ✏️；写了 ``answer = x1.grad`` 而它是 ``None`` 时是 ❌ 加上
    ``none_hint`` 的说明；看不出来时仍是 ✏️，并补上 ``none_hint`` 对两种常见原因的说明。
    """

    none_hint: Any = None

    def _check(self, answer: Any) -> Feedback:
        if answer is None and self.none_hint is not None:
            frame = _learner_frame()
            kind, name, written = answer_source(frame)
            if kind == "written":
                shown = written if len(written) <= 40 else written[:37] + "..."
                return failed(f"{name} = {shown} 得到的是 None。" + self.none_hint(written, frame))
            if kind == "unknown":
                return not_answered("把 None 换成你的答案，再运行这个单元格。" + self.none_hint("", frame))
            return not_answered()
        return super()._check(answer)


# ---------------------------------------------------------------- 练习 1


def _number(answer: Any) -> float | None:
    """答案中的那一个数：数、只含一个数的张量、数组或列表；做不到时返回 ``None``。"""
    number = as_number(answer)
    if number is None:
        tensor = as_tensor(answer)
        if tensor is not None and tensor.numel() == 1 and tensor.dtype != torch.bool and not tensor.is_complex():
            number = float(tensor.reshape(()).item())
    return number


class _Derivative:
    """练习 1 的比较：答案是一个有限的数，与正确值相差不超过 1e-4。"""

    def problem(self, got: Any, want: float) -> str | None:
        number = _number(got)
        if number is None:
            tensor = as_tensor(got)
            if tensor is not None and tensor.numel() != 1:
                return f"答案应该是一个数，现在有 {tensor.numel()} 个数（形状 {tuple(tensor.shape)}）。"
            return f"答案应该是一个数（例如 x1.grad 或 x1.grad.item()），现在是 {type(got).__name__}。"
        if not math.isfinite(number):
            return f"答案是 {number}，不是一个有限的数：检查 f1 的写法。"
        if abs(number - want) > 1e-4:
            return f"答案是 {number:.6g}，不对。提示：导数是 f'(x) = 3x² − 3，在 x = 2 处求值。"
        return None


def _is(value: float) -> Callable[[Any], bool]:
    def when(answer: Any) -> bool:
        return abs(_number(answer) - value) < 1e-4

    return when


_EXERCISE_1 = _ValueExercise(
    brief="f(x) = x³ − 3x 在 x = 2 处的导数，正确值是 3·2² − 3 = 9"
    "（数、NumPy 标量、只含一个数的张量、数组或列表都可以）。",
    expected=lambda: 3 * 2.0**2 - 3,
    compare=_Derivative(),
    mistakes=(
        Mistake(_is(2.0), "2 是函数值 f(2) = 8 − 6，不是导数：调用 backward() 之后看 x1.grad。"),
        Mistake(_is(12.0), "12 只是 x³ 这一项的导数 3x²：−3x 这一项的导数 −3 也要算进去。"),
        Mistake(_is(18.0), "18 正好是正确答案的两倍：backward() 调用了两次，梯度累加了。重新创建 x1 再算一次。"),
        Mistake(_is(-3.0), "−3 只是 −3x 这一项的导数：x³ 这一项的导数 3x² 也要算进去。"),
    ),
    none_hint=_GradHint("x1", "f1", "f1.backward()"),
    success="f'(2) = 3·2² − 3 = 9，和手算的结果一致。",
)

# ---------------------------------------------------------------- 练习 2

#: 练习 2 的 x 与 v。
X2 = (1.0, 2.0, 3.0)
V2 = (1.0, 0.0, -1.0)


def exercise_2_expected() -> torch.Tensor:
    """练习 2 的正确结果，由公式直接算出：y = x · sum(x) 的雅可比矩阵是 J = sum(x)·I + x 1ᵀ，

    所以 (vᵀJ)_j = sum(x)·v_j + v·x。x = [1, 2, 3]、v = [1, 0, −1] 时是 [4, −2, −8]。
    """
    x, v = torch.tensor(X2, dtype=torch.float64), torch.tensor(V2, dtype=torch.float64)
    return x.sum() * v + v @ x


def _with_v_all_ones() -> torch.Tensor:
    """常见错误：v 全为 1（即 y2.sum().backward()），(1ᵀJ)_j = 2·sum(x) = 12。"""
    x = torch.tensor(X2, dtype=torch.float64)
    return torch.full((3,), 2 * x.sum().item(), dtype=torch.float64)


def _with_sum_as_constant() -> torch.Tensor:
    """常见错误：把 sum(x) 当常数，J 只剩 sum(x)·I，vᵀJ = sum(x)·v = [6, 0, −6]。"""
    x, v = torch.tensor(X2, dtype=torch.float64), torch.tensor(V2, dtype=torch.float64)
    return x.sum() * v


_EXERCISE_2 = _ValueExercise(
    brief="向量-雅可比积 vᵀJ，正确值是 [4, −2, −8]（张量、NumPy 数组或数字列表都可以）。",
    expected=exercise_2_expected,
    compare=_Vector(name="vᵀJ ", atol=1e-5, show=False),
    mistakes=(
        Mistake(
            lambda a: _near(a, _with_v_all_ones(), 1e-5),
            "这是 v 全为 1 时的结果（相当于 y2.sum().backward()）：把 gradient=v2 传给 backward。",
        ),
        Mistake(
            # 这里 1ᵀv = 0，所以 J v = sum(x)·v + x (1ᵀv) 恰好也等于 sum(x)·v：两种错误得到同一个结果
            lambda a: _near(a, _with_sum_as_constant(), 1e-5),
            "这个结果有两种常见来历。一是把 sum(x) 当成了常数（例如写了 x2.sum().item() 或 .detach()）："
            "每个 y_i 还通过 sum(x) 依赖所有的 x_j，雅可比矩阵是 J = sum(x)·I + x 1ᵀ，别漏掉 x 1ᵀ 这部分。"
            "二是算成了 J v（雅可比矩阵乘以向量）：题目要的是 vᵀJ，v 在左边，backward(gradient=v2) 算的就是它。",
        ),
        Mistake(
            lambda a: _near(a, 2 * exercise_2_expected(), 1e-5),
            "结果是正确答案的两倍：backward 调用了两次，梯度累加了。重新创建 x2 再算一次。",
        ),
    ),
    none_hint=_GradHint("x2", "y2", "y2.backward(gradient=v2)"),
    success="vᵀJ = [4, −2, −8]。backward(gradient=v) 不必算出整个雅可比矩阵就能得到它。",
)

# ---------------------------------------------------------------- 练习 3


class _CubeWithWrongBackward(torch.autograd.Function):
    """前向传播算 sum(x³)，反向传播（和前向模式的 jvp）却故意返回错误的梯度（全是 −123）。

    有限差分只调用函数、从不调用反向传播，所以不受影响；如果答案返回的是这个错误的梯度，
    说明它用了自动求导，而不是有限差分。``forward`` 不带 ``ctx``、另写 ``setup_context``，
    并让 PyTorch 生成 vmap 规则：这样 ``torch.func.grad``、``jacrev``、``jacfwd`` 也能用它，
    用了它们的答案同样得到 −123，而不是一条关于这个类本身的英文报错。
    """

    generate_vmap_rule = True

    @staticmethod
    def forward(x: torch.Tensor) -> torch.Tensor:
        return (x**3).sum()

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[torch.Tensor], output: torch.Tensor) -> None:
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        return torch.full_like(x, -123.0) * grad_output

    @staticmethod
    def jvp(ctx: Any, x_tangent: torch.Tensor) -> torch.Tensor:
        return (-123.0 * x_tangent).sum()


def _cube(x: torch.Tensor) -> torch.Tensor:
    return (x**3).sum()


def _cube_with_wrong_backward(x: torch.Tensor) -> torch.Tensor:
    return _CubeWithWrongBackward.apply(x)


def _sin_mix(x: torch.Tensor) -> torch.Tensor:
    return x[0] * torch.sin(x[1]) + x[1] ** 2


def _sin_mix_gradient(x: torch.Tensor) -> torch.Tensor:
    return torch.stack([torch.sin(x[1]), x[0] * torch.cos(x[1]) + 2 * x[1]])


@dataclass(frozen=True)
class _Trial:
    """练习 3 用来试 numeric_grad 的一个函数：名字、函数、输入点和手算的解析梯度。"""

    name: str
    f: Callable[[torch.Tensor], torch.Tensor]
    point: tuple[float, ...]
    gradient: Callable[[torch.Tensor], torch.Tensor]

    def x(self) -> torch.Tensor:
        return torch.tensor(self.point, dtype=torch.float64)


#: 第一个函数的反向传播故意算错：用了自动求导的答案会得到 −123，有限差分不受影响
_TRIALS = (
    _Trial("f(x) = sum(x³)", _cube_with_wrong_backward, (1.0, -2.0, 0.5), lambda x: 3 * x**2),
    _Trial("f(x) = x₀·sin(x₁) + x₁²", _sin_mix, (0.5, -1.2), _sin_mix_gradient),
)
_TRIAL_OF = {trial.f: trial for trial in _TRIALS}


def _ex3_cases() -> list[Case]:
    return [Case((trial.f, trial.x()), f"对 {trial.name} 求梯度时") for trial in _TRIALS]


#: 练习 3 的默认步长 h = 1e-5 存进 float32 张量后的值（约 9.99999974738e-06）。
_H = 1e-5
_H_IN_FLOAT32 = float(torch.tensor(_H, dtype=torch.float32))
#: 检查“结果随 h 变化”时传入的较大步长
_BIG_H = 0.01


def _looks_like_float32_step(got: torch.Tensor, expected: torch.Tensor) -> bool:
    """结果是否恰好是“步长向量为 float32”时的中心差分。

    步长向量用 ``torch.zeros(len(x))`` 或 ``torch.eye(n)`` 创建时是 float32，h 存进去变成
    ``_H_IN_FLOAT32``；x ± step 仍是 float64，除数却仍是 2h，于是每个分量都乘上了
    ``_H_IN_FLOAT32 / h``（约 1 − 2.5e-8）。中心差分本身在 float64 下的误差约 1e-10，远小于 1e-9。
    """
    return torch.allclose(got, expected * (_H_IN_FLOAT32 / _H), atol=1e-9, rtol=0)


#: 达不到练习 3 精度要求的浮点类型（x 是 float64，结果也应是 float64）。
_LOW_PRECISION = (torch.float32, torch.float16, torch.bfloat16)

_CLONE_X = "先 clone() 一份再加减 h，或者用 x + step 生成新张量。"
_CHANGED_X = "numeric_grad 改动了传入的 x：" + _CLONE_X
_NEEDS_H = "numeric_grad 应该有参数 h（def numeric_grad(f, x, h=1e-5)），并用它作为步长。"
_USES_BACKWARD = (
    "numeric_grad 里调用了 backward()，但传入的 x 不需要梯度。本练习不用自动求导："
    "只调用 f 计算函数值，用 (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h) 近似每个偏导数。"
)


def _low_precision(got: Any) -> bool:
    tensor = as_tensor(got)
    return tensor is not None and tensor.dtype in _LOW_PRECISION


def _low_precision_hint(got: Any, *args: Any) -> str:
    return (
        f"numeric_grad 返回的结果是 {as_tensor(got).dtype}，而 x 是 float64：低精度的浮点数只有几位有效数字，"
        "差商存进去时就被舍入了，达不到 1e-7 的精度。常见原因是用 torch.zeros(len(x)) 创建结果，"
        "它默认是 float32；改用 torch.zeros_like(x)，结果就和 x 一样是 float64（计算过程也不要转成 float32）。"
    )


def _error(got: Any, f: Callable, x: torch.Tensor) -> float:
    """答案与解析梯度的最大误差；答案不是形状相同、有限的实数张量时抛出异常。"""
    values, right = _f64(got), _TRIAL_OF[f].gradient(x.double())
    if values.shape != right.shape or not torch.isfinite(values).all():
        raise ValueError("无法比较")
    return (values - right).abs().max().item()


def _evaluated_in_float32(got: Any, f: Callable, x: torch.Tensor) -> bool:
    """结果误差较大，而且每个差商乘以 2h 后都恰好是 float32 舍入间隔的整数倍：f 是在 float32 下算的。

    f 的值存成 float32 时只能取间隔为 ulp 的那些数，两个相近的值相减得到 ulp 的整数倍；
    在 float64 下计算的差商几乎不可能三个分量都恰好落在这些格点上。
    """
    if _error(got, f, x) <= 1e-7:
        return False
    ulp = float(np.spacing(np.float32(abs(float(_TRIAL_OF[f].f(x.double()))))))
    steps = _f64(got) * (2 * _H) / ulp
    return bool((steps - steps.round()).abs().max() < 1e-3)


def _float32_step(got: Any, f: Callable, x: torch.Tensor) -> bool:
    return 1e-7 < _error(got, f, x) < 1e-2 and _looks_like_float32_step(_f64(got), _TRIAL_OF[f].gradient(x.double()))


def _with_h_problem(numeric_grad: Callable[..., Any]) -> str | None:
    """两个函数都通过以后：传入较大的 h，对 sum(x³) 的中心差分应恰好等于 3x² + h²。

    默认步长下，前向差分、忽略 h 或直接用公式的答案都可能碰巧足够准；换成 h = 0.01 就分得清了。
    """
    point = _TRIALS[0].x()
    x, h = point.clone(), _BIG_H
    try:
        got = numeric_grad(_cube, x, h=h)
    except Exception as err:  # 学习者的代码可能抛出任何异常
        if isinstance(err, TypeError) and "unexpected keyword argument 'h'" in str(err):
            return _NEEDS_H
        extra = "提示：" + _USES_BACKWARD if "does not require grad" in str(err) else ""
        return f"传入 h={h} 时，调用 numeric_grad 出错：{error_summary(err).rstrip('.。')}。{extra}"
    if not torch.equal(x, point):
        return _CHANGED_X
    if got is None:
        return f"传入 h={h} 时，numeric_grad 返回了 None：无论 h 是多少，都要把求出的梯度张量 return 出来。"
    if _low_precision(got):
        return _low_precision_hint(got)
    values = _as_float_tensor(got)
    if values is None or values.shape != point.shape:
        return f"传入 h={h} 时，返回值不是形状为 {tuple(point.shape)} 的张量。"
    central = 3 * point**2 + h**2
    if torch.allclose(values, central, atol=1e-9, rtol=0):
        return None
    if torch.allclose(values, 3 * point**2 + 3 * point * h + h**2, atol=1e-9, rtol=0):
        return f"传入 h={h} 时，结果与前向差分 (f(x+h) − f(x)) / h 一致：改用中心差分 (f(x+h) − f(x−h)) / (2h)。"
    if torch.allclose(values, 3 * point**2, atol=1e-9, rtol=0):
        return (
            f"传入 h={h} 时，结果仍是精确的导数 3x²，和 h 无关：有限差分的结果应随 h 变化"
            "（对 x³，中心差分恰好是 3x² + h²）。请用参数 h 作为步长，不要用自动求导或手算公式。"
        )
    return (
        f"传入 h={h} 时结果不对：对 sum(x³)，中心差分应恰好等于 3x² + h² = {_show(central, 10)}，"
        f"你得到 {_show(values, 10)}。请用参数 h 作为步长。"
    )


def _max_error_hint(kind: str) -> Callable[..., str]:
    def hint(got: Any, f: Callable, x: torch.Tensor) -> str:
        return f"对 {_TRIAL_OF[f].name} 的结果接近但不够准（最大误差 {_error(got, f, x):.1e}）{kind}"

    return hint


_EXERCISE_3 = Exercise(
    brief="函数 numeric_grad(f, x, h=1e-5) 用中心差分求梯度：与解析梯度相差小于 1e-7，结果和 x 一样是 float64，"
    "只调用 f（不用自动求导），用参数 h 作为步长，不改动 x。",
    function="numeric_grad",
    arguments=("f", "x"),
    cases=_ex3_cases,
    expected=lambda f, x: _TRIAL_OF[f].gradient(x.double()),
    compare=_Vector(name="求出的梯度", atol=1e-7, tip="提示：每次只让一个分量 x[i] 变化 ±h。"),
    input_hint=_CLONE_X,
    not_function=_pass_the_function("numeric_grad", "f, x, h=1e-5"),
    error_hints=(("does not require grad", _USES_BACKWARD),),
    mistakes=(
        Mistake(lambda got, f, x: _low_precision(got), _low_precision_hint),
        Mistake(
            lambda got, f, x: f is _cube_with_wrong_backward and _near(got, torch.full_like(x, -123.0), 1e-8),
            "numeric_grad 返回的是自动求导（backward 或 torch.autograd.grad）的结果，而不是有限差分："
            "只调用 f 计算函数值，用 (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h) 近似每个偏导数。",
        ),
        Mistake(
            lambda got, f, x: _near(got, 2 * _TRIAL_OF[f].gradient(x.double()), 1e-6),
            lambda got, f, x: f"对 {_TRIAL_OF[f].name} 的结果正好是解析梯度的两倍：中心差分的分母是 2h，不是 h。",
        ),
        Mistake(
            lambda got, f, x: _near(got, -_TRIAL_OF[f].gradient(x.double()), 1e-6),
            lambda got, f, x: f"对 {_TRIAL_OF[f].name} 的结果符号反了：中心差分是 (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h)，"
            "用 x + h·eᵢ 处的值减去 x − h·eᵢ 处的值。",
        ),
        Mistake(
            _evaluated_in_float32,
            _max_error_hint(
                "，而且每个差商都恰好落在 float32 的舍入间隔上：f 像是在 float32 下计算的（例如调用了 .float()）。"
                "float32 只有约 7 位有效数字，f(x + h·eᵢ) 与 f(x − h·eᵢ) 非常接近，相减时有效数字几乎全被抵消，"
                "再除以很小的 2h，误差就放大了。全程保持 float64，不要把 x 或 x ± h 转成 float32。"
            ),
        ),
        Mistake(
            _float32_step,
            _max_error_hint(
                "，而且每个分量都恰好乘上了同一个略小于 1 的比例："
                "步长向量是 float32（torch.zeros(len(x)) 与 torch.eye(n) 默认是 float32），"
                f"h = {_H:g} 存进去变成了 {_H_IN_FLOAT32:.12g}，除数却仍是 2h。"
                "用 torch.zeros_like(x)（或 torch.eye(len(x), dtype=x.dtype)）创建步长向量，它就和 x 一样是 float64。"
            ),
        ),
        Mistake(
            lambda got, f, x: 1e-7 < _error(got, f, x) < 1e-2,
            _max_error_hint(
                "：像是前向差分 (f(x+h) − f(x)) / h，误差约为 h 的量级。"
                "改用中心差分 (f(x+h) − f(x−h)) / (2h)，误差约为 h² 的量级。"
            ),
        ),
    ),
    whole=(_with_h_problem,),
    success="中心差分求出的梯度与解析梯度一致（误差小于 1e-7），并且正确地使用了步长 h。",
)

# ---------------------------------------------------------------- 练习 4


def exercise_4_loss(w: torch.Tensor) -> torch.Tensor:
    """练习 4 的目标函数 F(w) = (w₀ − 1)² + 2·(w₁ + 2)²，最小值点是 (1, −2)。"""
    return (w[0] - 1) ** 2 + 2 * (w[1] + 2) ** 2


def exercise_4_expected(lr: float, steps: int, zero_grad: bool = True) -> torch.Tensor:
    """从 (0, 0) 出发做 ``steps`` 步梯度下降后的 w，由公式直接算出。

    每步清零梯度时：w₀ − 1 每步乘以 (1 − 2·lr)，w₁ + 2 每步乘以 (1 − 4·lr)。
    从不清零时，第 k 步用的是前 k 步梯度之和，只能一步步递推。
    """
    w0, w1 = 0.0, 0.0
    if zero_grad:
        w0 = 1 - (1 - 2 * lr) ** steps
        w1 = -2 + 2 * (1 - 4 * lr) ** steps
        return torch.tensor([w0, w1], dtype=torch.float64)
    g0 = g1 = 0.0
    for _ in range(steps):
        g0 += 2 * (w0 - 1)
        g1 += 4 * (w1 + 2)
        w0, w1 = w0 - lr * g0, w1 - lr * g1
    return torch.tensor([w0, w1], dtype=torch.float64)


def _ex4_cases() -> list[Case]:
    # 先只走一步：出错时就知道错在第一步（例如在 torch.no_grad() 里算损失），还是第二步以后
    # （例如 w 被换成了不需要梯度的新张量）
    return [Case((lr, steps), f"调用 descend({lr}, {steps}) 时") for lr, steps in ((0.1, 1), (0.1, 30), (0.05, 50))]


def _no_grad_hint(err: BaseException, lr: float, steps: int) -> str:
    """backward() 找不到需要梯度的张量：只走一步就出错，与走到第二步才出错，原因不同。"""
    if steps == 1:
        return (
            "第一步的 backward() 就找不到需要梯度的张量：算损失（前向传播）要放在 torch.no_grad() 外面，"
            "只有更新参数那一行放进去；w 也要用 requires_grad=True 创建。"
        )
    return (
        "走一步没有问题，第二步的 backward() 却找不到需要梯度的张量：在 torch.no_grad() 里写 w = w - lr * w.grad，"
        "得到的是一个不需要梯度的新张量，原来的叶子 w 被替换掉了。改用原地更新 w -= lr * w.grad"
        "（仍然放在 torch.no_grad() 里），w 就一直是同一个需要梯度的叶子节点。"
    )


def _grad_is_none_hint(err: BaseException, lr: float, steps: int) -> str | None:
    """更新时 w.grad 是 None：第一步就如此，与第二步才如此，原因不同。"""
    if "NoneType" not in str(err):
        return None
    if steps == 1:
        return (
            "第一步更新时 w.grad 就是 None：更新参数要放在 loss.backward() 之后；"
            "w.grad = None 要放在每一步的开头（backward() 之前），不能放在 backward() 和更新之间。"
        )
    return (
        "走一步没有问题，第二步时 w.grad 是 None：如果在 torch.no_grad() 之外写了 w = w - lr * w.grad，"
        "w 就变成了由运算得到的非叶子节点，backward() 不会填充它的 .grad。改用 with torch.no_grad(): w -= lr * w.grad。"
    )


_EXERCISE_4 = Exercise(
    brief="函数 descend(lr, steps) 返回从 (0, 0) 出发、做 steps 步梯度下降（每步清零梯度）后的 w"
    "（张量、NumPy 数组或列表都可以；检查三组参数，第一组只走一步）。",
    function="descend",
    arguments=("lr", "steps"),
    not_function=_pass_the_function("descend", "lr, steps"),
    cases=_ex4_cases,
    expected=exercise_4_expected,
    compare=_Vector(name="返回的 w ", atol=1e-4, tip="提示：从 w = (0, 0) 出发，每一步都是 w ← w − lr·∇F(w)。"),
    error_hints=(
        ("positional argument", "descend 应该接受两个参数 (lr, steps)。"),
        ("leaf Variable", "对需要梯度的叶子节点做了原地更新：把 w -= lr * w.grad 放进 with torch.no_grad(): 里。"),
        ("does not require grad", _no_grad_hint),
        (
            "attribute 'zero_'",
            "w.grad 还是 None：第一次 backward() 之前张量还没有梯度，w.grad.zero_() 会报 AttributeError。"
            "在每一步开头写 w.grad = None；或者把 w.grad.zero_() 放在更新参数之后。",
        ),
        ("NoneType", _grad_is_none_hint),
    ),
    mistakes=(
        Mistake(
            # 只走一步时清不清零都一样
            lambda got, lr, steps: steps > 1 and _near(got, exercise_4_expected(lr, steps, zero_grad=False), 1e-4),
            "w 在来回摆动，没有收敛：每一步 backward() 之前要把 w.grad 清零（w.grad = None）。",
        ),
        Mistake(
            lambda got, lr, steps: _near(got, torch.zeros(2), 1e-12),
            "w 还停在出发点 (0, 0)，一步也没有动：更新时用到的梯度是 0，或者更新没有作用到返回的 w 上。"
            "常见原因是在 backward() 和更新之间清零了梯度：清零要放在 backward() 之前（w.grad = None），"
            "或者放在更新之后（w.grad.zero_()），不能放在两者之间。",
        ),
        Mistake(
            lambda got, lr, steps: steps > 1 and _near(got, exercise_4_expected(lr, 1), 1e-4),
            "结果只相当于走了一步：w = torch.zeros(2, requires_grad=True) 是不是写在了循环里面？"
            "那样每一步都从 (0, 0) 重新出发。把它放在循环之前，每一步接着上一步的 w 更新。",
        ),
        Mistake(
            lambda got, lr, steps: _near(got, exercise_4_expected(lr, steps + 1), 1e-6),
            "多走了一步：for _ in range(steps) 正好循环 steps 次。",
        ),
        Mistake(
            lambda got, lr, steps: steps > 1 and _near(got, exercise_4_expected(lr, steps - 1), 1e-6),
            "少走了一步：for _ in range(steps) 正好循环 steps 次。",
        ),
    ),
    success="三组学习率和步数下的结果都正确，w 正在收敛到最小值点 (1, −2)。",
)

#: 本课的练习，按顺序：第 N 项就是“练习 N”
EXERCISES = (_EXERCISE_1, _EXERCISE_2, _EXERCISE_3, _EXERCISE_4)
check_1, check_2, check_3, check_4 = numbered(EXERCISES)
