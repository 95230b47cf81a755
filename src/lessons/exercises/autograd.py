"""第 3 课“自动求导”的练习检查器。

- 练习 1：用自动求导求 f(x) = x³ − 3x 在 x = 2 处的导数；
- 练习 2：用 ``backward(gradient=v)`` 求一个向量-雅可比积；
- 练习 3：自己写中心差分，数值地求梯度；
- 练习 4：用自动求导手写梯度下降，别忘了清零梯度。

检查器从不抛出异常：答案的形式不对、答案自己的代码出错，都会变成一条中文反馈。
期望的结果都由公式直接算出（见各检查器的说明），不依赖参考答案的代码。
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from ..checking import (
    Feedback,
    as_number,
    as_tensor,
    error_summary,
    failed,
    first_line,
    never_raises,
    not_answered,
    passed,
)


def _as_float_tensor(value: Any) -> torch.Tensor | None:
    """把答案变成 CPU 上的 float64 张量（张量、NumPy 数组、列表都可以）；做不到时返回 ``None``。"""
    tensor = as_tensor(value)
    if tensor is None or tensor.dtype == torch.bool or tensor.is_complex():
        return None
    return tensor.to(torch.float64)


def _vector_problem(answer: Any, expected: torch.Tensor, name: str, atol: float) -> str | None:
    """比较一个向量答案与期望值，返回中文的问题描述；一致时返回 ``None``。"""
    got = _as_float_tensor(answer)
    if got is None:
        return f"{name}应该是张量（也可以是 NumPy 数组或数字列表），现在是 {type(answer).__name__}。"
    if tuple(got.shape) != tuple(expected.shape):
        return f"{name}的形状应为 {tuple(expected.shape)}，现在是 {tuple(got.shape)}。"
    if not torch.isfinite(got).all():
        return f"{name}里有 nan 或 inf：检查是否除以了零，或者数值越算越大。"
    if not torch.allclose(got, expected.to(torch.float64), atol=atol, rtol=0):
        return f"{name}的形状对了，但数值不对：应为 {_show(expected)}，现在是 {_show(got)}。"
    return None


def _show(tensor: torch.Tensor, digits: int = 6) -> str:
    """把张量写成 ``[a, b, c]``，每个数保留 ``digits`` 位有效数字。"""
    return "[" + ", ".join(f"{v:.{digits}g}" for v in tensor.reshape(-1).tolist()) + "]"


# ---------------------------------------------------------------- 练习 1


@never_raises
def check_1(answer: Any) -> Feedback:
    """练习 1：f(x) = x³ − 3x 在 x = 2 处的导数，正确值是 3·2² − 3 = 9。

    接受 Python 数、NumPy 标量、只含一个数的张量（可以带梯度）、数组或列表。
    """
    if answer is None:
        return not_answered()
    number = as_number(answer)
    if number is None:
        tensor = as_tensor(answer)
        if tensor is not None and tensor.numel() == 1 and tensor.dtype != torch.bool:
            number = float(tensor.reshape(()).item())
        elif tensor is not None and tensor.numel() != 1:
            return failed(f"答案应该是一个数，现在有 {tensor.numel()} 个数（形状 {tuple(tensor.shape)}）。")
        else:
            return failed(f"答案应该是一个数（例如 x1.grad 或 x1.grad.item()），现在是 {type(answer).__name__}。")
    if not math.isfinite(number):
        return failed(f"答案是 {number}，不是一个有限的数：检查 f1 的写法。")
    hints = {
        2.0: "2 是函数值 f(2) = 8 − 6，不是导数：调用 backward() 之后看 x1.grad。",
        12.0: "12 只是 x³ 这一项的导数 3x²：−3x 这一项的导数 −3 也要算进去。",
        18.0: "18 正好是正确答案的两倍：backward() 调用了两次，梯度累加了。重新创建 x1 再算一次。",
        -3.0: "−3 只是 −3x 这一项的导数：x³ 这一项的导数 3x² 也要算进去。",
    }
    for wrong, hint in hints.items():
        if abs(number - wrong) < 1e-4:
            return failed(hint)
    if abs(number - 9.0) > 1e-4:
        return failed(f"答案是 {number:.6g}，不对。提示：导数是 f'(x) = 3x² − 3，在 x = 2 处求值。")
    return passed("f'(2) = 3·2² − 3 = 9，和手算的结果一致。")


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


@never_raises
def check_2(answer: Any) -> Feedback:
    """练习 2：向量-雅可比积 vᵀJ，正确值是 [4, −2, −8]。接受张量、NumPy 数组或数字列表。"""
    if answer is None:
        return not_answered()
    expected = exercise_2_expected()
    got = _as_float_tensor(answer)
    if got is not None and tuple(got.shape) == (3,) and torch.isfinite(got).all():
        x, v = torch.tensor(X2, dtype=torch.float64), torch.tensor(V2, dtype=torch.float64)
        mistakes = [
            # v 全为 1：(1ᵀJ)_j = sum(x) + sum(x) = 12
            (torch.full((3,), 2 * x.sum().item(), dtype=torch.float64),
             "这是 v 全为 1 时的结果（相当于 y2.sum().backward()）：把 gradient=v2 传给 backward。"),
            # 把 sum(x) 当常数：J 只剩 sum(x)·I，vᵀJ = sum(x)·v = [6, 0, −6]
            (x.sum() * v,
             "把 sum(x) 当成了常数（例如写了 x2.sum().item() 或 .detach()）：每个 y_i 还通过 sum(x) 依赖所有的 x_j，"
             "雅可比矩阵是 J = sum(x)·I + x 1ᵀ，别漏掉 x 1ᵀ 这部分。"),
            (2 * expected, "结果是正确答案的两倍：backward 调用了两次，梯度累加了。重新创建 x2 再算一次。"),
        ]
        for wrong, hint in mistakes:
            if torch.allclose(got, wrong.to(torch.float64), atol=1e-5, rtol=0):
                return failed(hint)
    problem = _vector_problem(answer, expected, "vᵀJ ", atol=1e-5)
    if problem:
        return failed(problem)
    return passed("vᵀJ = [4, −2, −8]。backward(gradient=v) 不必算出整个雅可比矩阵就能得到它。")


# ---------------------------------------------------------------- 练习 3


class _CubeWithWrongBackward(torch.autograd.Function):
    """前向传播算 sum(x³)，反向传播却故意返回错误的梯度（全是 −123）。

    有限差分只调用函数、从不调用反向传播，所以不受影响；如果答案返回的是这个错误的梯度，
    说明它用了自动求导，而不是有限差分。
    """

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)
        return (x**3).sum()

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        return torch.full_like(x, -123.0) * grad_output


def _cube(x: torch.Tensor) -> torch.Tensor:
    return (x**3).sum()


def _cube_with_wrong_backward(x: torch.Tensor) -> torch.Tensor:
    return _CubeWithWrongBackward.apply(x)


def _sin_mix(x: torch.Tensor) -> torch.Tensor:
    return x[0] * torch.sin(x[1]) + x[1] ** 2


def _exercise_3_cases() -> list[tuple[str, Callable[[torch.Tensor], torch.Tensor], torch.Tensor, torch.Tensor]]:
    """(名字, 函数, 输入点, 解析梯度)。解析梯度由手算的公式得出。"""
    a = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    b = torch.tensor([0.5, -1.2], dtype=torch.float64)
    grad_b = torch.stack([torch.sin(b[1]), b[0] * torch.cos(b[1]) + 2 * b[1]])
    return [
        ("f(x) = sum(x³)", _cube, a, 3 * a**2),
        ("f(x) = x₀·sin(x₁) + x₁²", _sin_mix, b, grad_b),
    ]


#: 练习 3 的默认步长 h = 1e-5 存进 float32 张量后的值（约 9.99999974738e-06）。
_H = 1e-5
_H_IN_FLOAT32 = float(torch.tensor(_H, dtype=torch.float32))


def _looks_like_float32_step(got: torch.Tensor, expected: torch.Tensor) -> bool:
    """结果是否恰好是“步长向量为 float32”时的中心差分。

    步长向量用 ``torch.zeros(len(x))`` 或 ``torch.eye(n)`` 创建时是 float32，h 存进去变成
    ``_H_IN_FLOAT32``；x ± step 仍是 float64，除数却仍是 2h，于是每个分量都乘上了
    ``_H_IN_FLOAT32 / h``（约 1 − 2.5e-8）。中心差分本身在 float64 下的误差约 1e-10，远小于 1e-9。
    """
    return torch.allclose(got, expected * (_H_IN_FLOAT32 / _H), atol=1e-9, rtol=0)


#: 达不到练习 3 精度要求的浮点类型（x 是 float64，结果也应是 float64）。
_LOW_PRECISION = (torch.float32, torch.float16, torch.bfloat16)


def _call_numeric_grad(numeric_grad: Callable[..., Any], f: Callable, x: torch.Tensor, label: str, **kwargs: Any):
    """调用学习者的 numeric_grad；返回 (结果, None) 或 (None, 中文反馈)。"""
    original = x.clone()
    try:
        got = numeric_grad(f, x, **kwargs)
    except TypeError as err:
        if "unexpected keyword argument 'h'" in str(err):
            return None, failed("numeric_grad 应该有参数 h（def numeric_grad(f, x, h=1e-5)），并用它作为步长。")
        return None, failed(f"对 {label} 调用 numeric_grad 时出错：{error_summary(err)}")
    except RuntimeError as err:
        if "does not require grad" in str(err):
            return None, failed(
                "numeric_grad 里调用了 backward()，但传入的 x 不需要梯度。本练习不用自动求导："
                "只调用 f 计算函数值，用 (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h) 近似每个偏导数。"
            )
        return None, failed(f"对 {label} 调用 numeric_grad 时出错：{error_summary(err)}")
    except Exception as err:  # 把学习者代码中的任何异常都转成中文提示
        return None, failed(f"对 {label} 调用 numeric_grad 时出错：{error_summary(err)}")
    if not torch.equal(x, original):
        return None, failed("numeric_grad 改动了传入的 x：先 clone() 一份再加减 h，或者用 x + step 生成新张量。")
    if got is None:
        return None, not_answered("numeric_grad 还在返回 None：把求出的梯度张量 return 出来。")
    raw = as_tensor(got)
    if raw is not None and raw.dtype in _LOW_PRECISION:
        return None, failed(
            f"numeric_grad 返回的结果是 {raw.dtype}，而 x 是 float64：低精度的浮点数只有几位有效数字，"
            "差商存进去时就被舍入了，达不到 1e-7 的精度。常见原因是用 torch.zeros(len(x)) 创建结果，"
            "它默认是 float32；改用 torch.zeros_like(x)，结果就和 x 一样是 float64（计算过程也不要转成 float32）。"
        )
    return got, None


@never_raises
def check_3(numeric_grad: Any) -> Feedback:
    """练习 3：``numeric_grad(f, x, h)`` 应该用中心差分求梯度，结果和 x 一样是 float64。

    检查三件事（每次调用后还会检查结果不是 float32 等低精度类型，并且没有改动 x）：

    1. 默认步长下，两个函数的结果与解析梯度相差小于 1e-7（中心差分在 float64、h = 1e-5 时
       误差约 1e-10；前向差分的误差约为 h 的量级，即使 h = 1e-7 也超过这个容差）；
    2. 对一个“反向传播故意算错”的函数，结果仍然正确：有限差分只调用函数本身；
    3. 结果随 h 按中心差分的规律变化：对 sum(x³)，中心差分恰好等于 3x² + h²。
    """
    if numeric_grad is None:
        return not_answered("把 numeric_grad 写完（不要再返回 None），再运行这个单元格。")
    if not callable(numeric_grad):
        return failed(f"答案应该是一个函数 numeric_grad(f, x)，现在是 {type(numeric_grad).__name__}。")

    # 第 1 步：用了自动求导吗？
    cube_point = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    got, feedback = _call_numeric_grad(numeric_grad, _cube_with_wrong_backward, cube_point.clone(), "f(x) = sum(x³)")
    if feedback is not None:
        return feedback
    got_tensor = _as_float_tensor(got)
    if got_tensor is not None and got_tensor.shape == cube_point.shape:
        if torch.allclose(got_tensor, torch.full_like(cube_point, -123.0)):
            return failed(
                "numeric_grad 返回的是自动求导（backward 或 torch.autograd.grad）的结果，而不是有限差分："
                "只调用 f 计算函数值，用 (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h) 近似每个偏导数。"
            )

    # 第 2 步：默认步长下的精度
    for label, f, x, expected in _exercise_3_cases():
        got, feedback = _call_numeric_grad(numeric_grad, f, x.clone(), label)
        if feedback is not None:
            return feedback
        got_tensor = _as_float_tensor(got)
        if got_tensor is not None and got_tensor.shape == x.shape and torch.isfinite(got_tensor).all():
            error = (got_tensor - expected).abs().max().item()
            if 1e-7 < error < 1e-2 and _looks_like_float32_step(got_tensor, expected):
                return failed(
                    f"对 {label} 的结果接近但不够准（最大误差 {error:.1e}），而且每个分量都恰好乘上了同一个略小于 1 的比例："
                    "步长向量是 float32（torch.zeros(len(x)) 与 torch.eye(n) 默认是 float32），"
                    f"h = {_H:g} 存进去变成了 {_H_IN_FLOAT32:.12g}，除数却仍是 2h。"
                    "用 torch.zeros_like(x)（或 torch.eye(len(x), dtype=x.dtype)）创建步长向量，它就和 x 一样是 float64。"
                )
            if 1e-7 < error < 1e-2:
                return failed(
                    f"对 {label} 的结果接近但不够准（最大误差 {error:.1e}）：像是前向差分 "
                    "(f(x+h) − f(x)) / h，误差约为 h 的量级。改用中心差分 "
                    "(f(x+h) − f(x−h)) / (2h)，误差约为 h² 的量级。"
                )
        problem = _vector_problem(got, expected, f"对 {label} 求出的梯度", atol=1e-7)
        if problem:
            return failed(problem + "提示：每次只让一个分量 x[i] 变化 ±h。")

    # 第 3 步：结果应按中心差分的规律依赖 h
    h = 0.01
    got, feedback = _call_numeric_grad(numeric_grad, _cube, cube_point.clone(), "f(x) = sum(x³)", h=h)
    if feedback is not None:
        return feedback
    got_tensor = _as_float_tensor(got)
    central = 3 * cube_point**2 + h**2
    if got_tensor is None or got_tensor.shape != cube_point.shape:
        return failed(f"传入 h={h} 时，返回值不是形状为 {tuple(cube_point.shape)} 的张量。")
    if not torch.allclose(got_tensor, central, atol=1e-9, rtol=0):
        forward = 3 * cube_point**2 + 3 * cube_point * h + h**2
        if torch.allclose(got_tensor, forward, atol=1e-9, rtol=0):
            return failed(
                f"传入 h={h} 时，结果与前向差分 (f(x+h) − f(x)) / h 一致：改用中心差分 (f(x+h) − f(x−h)) / (2h)。"
            )
        if torch.allclose(got_tensor, 3 * cube_point**2, atol=1e-9, rtol=0):
            return failed(
                f"传入 h={h} 时，结果仍是精确的导数 3x²，和 h 无关：有限差分的结果应随 h 变化"
                f"（对 x³，中心差分恰好是 3x² + h²）。请用参数 h 作为步长，不要用自动求导或手算公式。"
            )
        return failed(
            f"传入 h={h} 时结果不对：对 sum(x³)，中心差分应恰好等于 3x² + h² = {_show(central, 10)}，"
            f"你得到 {_show(got_tensor, 10)}。请用参数 h 作为步长。"
        )
    return passed("中心差分求出的梯度与解析梯度一致（误差小于 1e-7），并且正确地使用了步长 h。")


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


def _descend_error_hint(err: BaseException, lr: float, steps: int) -> str:
    text = first_line(err)
    if isinstance(err, RuntimeError) and "leaf Variable" in text:
        return "对需要梯度的叶子节点做了原地更新：把 w -= lr * w.grad 放进 with torch.no_grad(): 里。"
    if isinstance(err, RuntimeError) and "does not require grad" in text:
        return (
            "第二步的 backward() 找不到需要梯度的张量：在 torch.no_grad() 里写 w = w - lr * w.grad，"
            "得到的是一个不需要梯度的新张量，原来的叶子 w 被替换掉了。改用原地更新 w -= lr * w.grad"
            "（仍然放在 torch.no_grad() 里），w 就一直是同一个需要梯度的叶子节点。"
        )
    if isinstance(err, AttributeError) and "zero_" in text:
        return (
            "w.grad 还是 None：第一次 backward() 之前张量还没有梯度，w.grad.zero_() 会报 AttributeError。"
            "在每一步开头写 w.grad = None；或者把 w.grad.zero_() 放在更新参数之后。"
        )
    if isinstance(err, TypeError) and "NoneType" in text:
        return (
            "w.grad 是 None：如果在 torch.no_grad() 之外写了 w = w - lr * w.grad，w 就变成了由运算得到的"
            "非叶子节点，backward() 不会填充它的 .grad。改用 with torch.no_grad(): w -= lr * w.grad。"
            "也可能是把 w.grad = None 放在了 backward() 和更新之间。"
        )
    return f"调用 descend({lr}, {steps}) 时出错：{error_summary(err)}"


@never_raises
def check_4(descend: Any) -> Feedback:
    """练习 4：``descend(lr, steps)`` 应给出 (0, 0) 出发、``steps`` 步梯度下降后的 w（检查两组参数）。"""
    if descend is None:
        return not_answered("把 descend 写完（不要再返回 None），再运行这个单元格。")
    if not callable(descend):
        return failed(f"答案应该是一个函数 descend(lr, steps)，现在是 {type(descend).__name__}。")
    for lr, steps in ((0.1, 30), (0.05, 50)):
        try:
            got = descend(lr, steps)
        except Exception as err:  # 把学习者代码中的任何异常都转成中文提示
            return failed(_descend_error_hint(err, lr, steps))
        if got is None:
            return not_answered("descend 还在返回 None：把最终的 w 返回出来。")
        got_tensor = _as_float_tensor(got)
        if got_tensor is not None and got_tensor.shape == (2,) and torch.isfinite(got_tensor).all():
            if torch.allclose(got_tensor, exercise_4_expected(lr, steps, zero_grad=False), atol=1e-4, rtol=0):
                return failed("w 在来回摆动，没有收敛：每一步 backward() 之前要把 w.grad 清零（w.grad = None）。")
        problem = _vector_problem(got, exercise_4_expected(lr, steps), f"descend({lr}, {steps}) 返回的 w ", atol=1e-4)
        if problem:
            return failed(problem + "提示：从 w = (0, 0) 出发，每一步都是 w ← w − lr·∇F(w)。")
    return passed("两组学习率下的结果都正确，w 正在收敛到最小值点 (1, −2)。")
