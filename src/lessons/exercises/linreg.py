"""第 4 课“线性回归”的练习检查器。

- :func:`check_1`：用原文的五个点，手算 w = 1.5、b = 0.5 时的均方误差（一个数）；
- :func:`check_2`：函数 ``gd_step(w, b, x, y, lr)`` 完成一步梯度下降：原地更新 w、b，清零梯度，
  返回更新之前的损失（清零写在开头或结尾都可以：检查器连续调用多次，与 ``torch.optim.SGD`` 比较）；
- :func:`check_3`：拟合一条斜率为负的直线，报告 ``(w, b)``，与闭式解相差不超过 0.01。

每道练习是表 ``EXERCISES`` 中的一项（见 :class:`lessons.checking.Exercise`）：正确结果怎样算、怎样比较、
常见错误及其提示。检查器接受答案的各种等价写法（Python 数、NumPy 标量和数组、张量、列表），
对任何输入都只返回中文反馈，不会抛出异常。
"""

from __future__ import annotations

import inspect
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from ..checking import (
    Case,
    Exercise,
    Mistake,
    as_number,
    as_tensor,
    error_summary,
    number_problem,
    numbered,
)
from ..data import document_line, noisy_line

#: 练习 1 用的参数。
EX1_W, EX1_B = 1.5, 0.5

#: 练习 2 检查时用的学习率、起点和连续调用的次数。
EX2_LR = 0.01
EX2_START = (0.5, -0.5)
EX2_STEPS = 50

#: 练习 3 的数据：noisy_line(**EX3_DATA)。
EX3_DATA = {"n": 80, "w": -1.5, "b": 2.0, "noise": 0.3, "seed": 1}
#: 练习 3 允许的误差。
EX3_TOL = 0.01


def _scalar(answer: Any) -> float | None:
    """一个数：Python 数、NumPy 标量、只有一个元素的数组、张量或列表；否则返回 ``None``。"""
    number = as_number(answer)
    if number is not None:
        return number
    if isinstance(answer, (list, tuple)):
        tensor = as_tensor(answer)
        if tensor is not None and tensor.numel() == 1 and tensor.dtype != torch.bool:
            return float(tensor.reshape(()).item())
    return None


@dataclass(frozen=True)
class _Scalar:
    """比较方式：答案是一个数（也接受只有一个元素的列表），与正确值相差不超过 ``tol``；不对时补上 ``advice``。"""

    name: str
    tol: float
    advice: str

    def problem(self, got: Any, want: float) -> str | None:
        value = _scalar(got)
        if value is None:
            shape = f"，形状为 {tuple(got.shape)}" if hasattr(got, "shape") else ""
            return f"{self.name}应该是一个数（或只有一个元素的张量），现在是 {type(got).__name__}{shape}。{self.advice}"
        problem = number_problem(value, want, name=self.name, tol=self.tol)
        return problem + self.advice if problem else None


def _near(value: float, tol: float = 1e-4) -> Callable[[Any], bool]:
    """常见错误的判断：答案是一个有限的数，并且与 ``value`` 相差小于 ``tol``。"""
    return lambda answer: abs(_scalar(answer) - value) < tol  # 不是数时抛出 TypeError：不算这种错误


# ---------------------------------------------------------------- 练习 1


def expected_1() -> float:
    """练习 1 的正确答案：w = 1.5、b = 0.5 时，原文五个点上的均方误差。"""
    x, y = document_line()
    return ((EX1_W * x + EX1_B - y) ** 2).mean().item()


def _residual_1() -> torch.Tensor:
    x, y = document_line()
    return EX1_W * x + EX1_B - y


def _broadcast_1() -> float:
    """预测 (5, 1) 与目标 (5,) 广播成 (5, 5) 以后的“均方误差”。"""
    x, y = document_line()
    return ((EX1_W * x + EX1_B) - y.reshape(-1)).pow(2).mean().item()


_EXERCISE_1 = Exercise(
    brief="w = 1.5、b = 0.5 时，原文五个点上的均方误差（一个数，或只有一个元素的张量、数组、列表）。",
    expected=expected_1,
    compare=_Scalar("均方误差", 1e-4, "先算预测值 1.5 * x + 0.5，再算 (预测值 - y) 的平方的平均值。"),
    mistakes=(
        Mistake(_near((_residual_1() ** 2).sum().item()), "这是平方误差的总和：均方误差还要除以样本数 n = 5。"),
        Mistake(_near((_residual_1() ** 2).mean().sqrt().item()), "这是均方根误差（开了平方根）：均方误差不需要开方。"),
        Mistake(_near(_residual_1().abs().mean().item()), "这是平均绝对误差：均方误差要把每个误差先平方，再取平均。"),
        Mistake(
            _near((0.5 * _residual_1() ** 2).mean().item()),
            lambda a: f"{_scalar(a):g} 是把每个样本的损失写成 ½(ŷ − y)² 的结果；nn.MSELoss 和本课的均方误差前面没有 ½。",
        ),
        Mistake(
            _near(_broadcast_1()),
            "这个数可能有两种来历：一是形状不同的预测和目标被广播了，检查两者是否都是 (5, 1)；"
            "二是把 w 和 b 写反了，预测值是 w * x + b，斜率 w = 1.5 乘 x，截距 b = 0.5 单独相加。",
        ),
    ),
    success=lambda a: f"均方误差是 {expected_1():g}：五个误差 0、-0.5、-1、-1.5、-2 的平方的平均值。",
)

# ---------------------------------------------------------------- 练习 2


def _fresh_parameters() -> tuple[torch.Tensor, torch.Tensor]:
    """练习 2 的起点：两个需要梯度、``.grad`` 还是 ``None`` 的标量张量。"""
    w = torch.tensor(EX2_START[0], requires_grad=True)
    b = torch.tensor(EX2_START[1], requires_grad=True)
    return w, b


def _sgd_step(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """标准答案用 ``torch.optim.SGD`` 算：一步梯度下降，返回更新前的损失。"""
    optimizer = torch.optim.SGD([w, b], lr=lr)
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(w * x + b, y)
    loss.backward()
    optimizer.step()
    return loss.item()


def _reference_steps(steps: int) -> tuple[torch.Tensor, torch.Tensor, float]:
    """从起点用 ``torch.optim.SGD`` 走 ``steps`` 步：返回此时的 w、b 和第一步更新之前的损失。"""
    x, y = document_line()
    w, b = _fresh_parameters()
    first_loss = _sgd_step(w, b, x, y, EX2_LR)
    for _ in range(steps - 1):
        _sgd_step(w, b, x, y, EX2_LR)
    return w.detach(), b.detach(), first_loss


@dataclass(frozen=True)
class _FreshStart(Case):
    """练习 2 的输入：每次调用都给出新的 w、b（需要梯度的叶子节点，``.grad`` 还是 ``None``）和原文的数据。

    父类的 :meth:`Case.copies` 会用 ``clone()`` 复制张量，复制出的 w、b 不再是叶子节点，所以这里每次重新创建。
    """

    def copies(self) -> tuple:
        x, y = document_line()
        return (*_fresh_parameters(), x, y, EX2_LR)


def _ex2_cases() -> list[Case]:
    x, y = document_line()
    return [_FreshStart((torch.tensor(EX2_START[0]), torch.tensor(EX2_START[1]), x, y, EX2_LR))]


def _grad_is_clear(t: torch.Tensor) -> bool:
    return t.grad is None or bool((t.grad == 0).all())


def _one_number(t: Any) -> bool:
    return isinstance(t, torch.Tensor) and t.numel() == 1


def _unchanged(w: torch.Tensor, b: torch.Tensor) -> bool:
    """调用之后 w、b 仍在起点。"""
    return w.item() == EX2_START[0] and b.item() == EX2_START[1]


def _same(param: torch.Tensor, reference: torch.Tensor, tol: float) -> bool:
    """学习者的参数与标准答案的参数在容差内相等（nan、inf 不算相等）。"""
    if not _one_number(param):
        return False
    value = param.detach().double().item()
    return math.isfinite(value) and math.isclose(value, reference.item(), abs_tol=tol)


_NO_GRAD_HINT = "对需要梯度的叶子节点做原地更新时出错了：把 w -= lr * w.grad 这样的更新写在 with torch.no_grad(): 里面。"


def _none_grad_hint(err: Exception, w: torch.Tensor, b: torch.Tensor, *rest: Any) -> str | None:
    """``w.grad`` 是 ``None`` 时报的 AttributeError：从传进来的 w、b 有没有梯度，判断是哪一种写法。"""
    if not isinstance(err, AttributeError):
        return None
    if w.grad is not None or b.grad is not None:
        return (
            "报错时的 w.grad 是 None，可传进来的 w 已经有梯度了：多半是写了 w = w - lr * w.grad，"
            "名字 w 改指向了一个没有梯度的新张量。改成在 with torch.no_grad(): 里原地更新 w -= lr * w.grad。"
        )
    return (
        "第一次调用时 w.grad 还是 None（还没有做过反向传播），所以不能调用 w.grad.zero_()。"
        "把清零移到更新之后，或者在开头写 w.grad = None（也可以先判断 if w.grad is not None）。"
    )


_EX2_ERROR_HINTS = (
    ("leaf Variable", _NO_GRAD_HINT),
    ("in-place", _NO_GRAD_HINT),
    ("NoneType", _none_grad_hint),
    ("positional argument", "gd_step 应该接受五个参数 (w, b, x, y, lr)。"),
)


def _error_text(err: Exception, w: torch.Tensor, b: torch.Tensor, when: str) -> str:
    """学习者的 gd_step 报错时的反馈（与表中 ``error_hints`` 的提示相同）。"""
    message = f"{when}出错：{error_summary(err).rstrip('.。')}。"
    for text, hint in _EX2_ERROR_HINTS:
        if text in str(err):
            extra = hint(err, w, b) if callable(hint) else hint
            if extra:
                return message + "提示：" + extra
    return message


def _unchanged_hint(got: Any, w: torch.Tensor, b: torch.Tensor, *rest: Any) -> str:
    """调用 gd_step 之后 w、b 都没有变化：从它们的 ``.grad`` 推断原因。"""
    grads = (w.grad, b.grad)
    if all(g is not None and bool((g == 0).all()) for g in grads):
        return (
            "w、b 没有变化，梯度却已经是 0：清零发生在 backward() 和更新之间，更新用的是清零后的梯度（第 6.3 节）。"
            "把清零移到更新之后，或 backward() 之前。"
        )
    if all(g is None for g in grads):
        return (
            "w、b 没有变化，w.grad 和 b.grad 也都是 None：检查是否调用了 loss.backward()；"
            "如果在 backward() 和更新之间调用了 optimizer.zero_grad()（默认把梯度设为 None），"
            "更新时就没有梯度可用了，把它移到 backward() 之前。"
        )
    return (
        "调用之后 w 和 b 没有变化：要原地更新传进来的张量（w -= lr * w.grad），"
        "写成 w = w - lr * w.grad 只会在函数里创建一个新张量。"
    )


def _wrong_step(got: Any, w: torch.Tensor, b: torch.Tensor, *rest: Any) -> bool:
    w_ref, b_ref, _ = _reference_steps(1)
    return not (_same(w, w_ref, 1e-5) and _same(b, b_ref, 1e-5))


def _broadcast_step(got: Any, w: torch.Tensor, b: torch.Tensor, *rest: Any) -> bool:
    """一步之后的 w、b 与“目标被展平成 (n,)、损失广播成 (n, n)”时的一步相同。"""
    x, y = document_line()
    w_ref, b_ref = _fresh_parameters()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch 对形状不同的目标给出的 target size 警告
        loss = nn.functional.mse_loss(w_ref * x + b_ref, y.reshape(-1))
    loss.backward()
    with torch.no_grad():
        w_ref -= EX2_LR * w_ref.grad
        b_ref -= EX2_LR * b_ref.grad
    return _same(w, w_ref.detach(), 1e-5) and _same(b, b_ref.detach(), 1e-5)


def _wrong_step_hint(got: Any, w: torch.Tensor, b: torch.Tensor, *rest: Any) -> str:
    w_ref, b_ref, _ = _reference_steps(1)
    return (
        f"一步之后 w、b 应为 {w_ref.item():.5f}、{b_ref.item():.5f}，现在是 {w.item():.5f}、{b.item():.5f}："
        "检查损失是不是均方误差（平方的平均值），更新是不是 参数 -= lr * 梯度。"
    )


def _keeps_working(gd_step: Callable[..., Any]) -> str | None:
    """连续调用多次：每一步都要用新的梯度（清零可以在开头，也可以在结尾），结果与 SGD 一致。"""
    x, y = document_line()
    w, b = _fresh_parameters()
    try:
        gd_step(w, b, x, y, EX2_LR)  # 第一步前面已经检查过，这里记下调用之后梯度是否留着
        grads_left = not (_grad_is_clear(w) and _grad_is_clear(b))
        for _ in range(EX2_STEPS):
            gd_step(w, b, x, y, EX2_LR)
    except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
        return _error_text(err, w, b, "连续调用 gd_step 时")
    w_ref, b_ref, _ = _reference_steps(EX2_STEPS + 1)
    if _same(w, w_ref, 1e-4) and _same(b, b_ref, 1e-4):
        return None
    if grads_left:
        return (
            "第一步是对的，但梯度没有清零，连续调用时新梯度累加到了旧梯度上，结果越来越偏。"
            "在更新之后调用 w.grad.zero_() 和 b.grad.zero_()（或在 backward() 之前把梯度清零）。"
        )
    return "第一步是对的，但连续调用多次之后结果偏了：检查每一步是否都重新计算了损失和梯度。"


def _data_note(gd_step: Callable[..., Any]) -> str:
    """答案的源代码用了 ``.data`` 时，附上一句提醒；读不到源代码时返回空字符串。"""
    try:
        source = inspect.getsource(gd_step)
    except (OSError, TypeError):
        return ""
    if not re.search(r"\.data\b", source):
        return ""
    return (
        "另外，.data 上的原地修改不会被自动求导的检查发现，出错时梯度会悄悄算错，"
        "PyTorch 不推荐这样写；更新参数请写在 with torch.no_grad(): 里。"
    )


def _step_success(gd_step: Callable[..., Any]) -> str:
    """通过时的一句话：在每一步开头清零的写法另外说明一句；用了 ``.data`` 时附上提醒。"""
    x, y = document_line()
    w, b = _fresh_parameters()
    try:
        gd_step(w, b, x, y, EX2_LR)  # 前面的检查已经连续调用过多次，这里只看调用之后梯度是否留着
        zeroed_first = not (_grad_is_clear(w) and _grad_is_clear(b))
    except Exception:  # 前面都通过了，这里出错只影响措辞
        zeroed_first = False
    note = _data_note(gd_step)
    if zeroed_first:
        return (
            "你在每一步开头清零梯度（和 optimizer.zero_grad() 的位置相同），连续调用的结果都正确。"
            "训练循环的全部要素都有了：前向传播、反向传播、更新参数、清零梯度。" + note
        )
    return "这一步包含了训练循环的全部要素：前向传播、反向传播、更新参数、清零梯度。" + note


_EXERCISE_2 = Exercise(
    brief="函数 gd_step(w, b, x, y, lr) 完成一步梯度下降：原地更新 w、b，清零梯度（开头或结尾都可以），"
    "返回更新之前的损失。",
    function="gd_step",
    arguments=("w", "b", "x", "y", "lr"),
    cases=_ex2_cases,
    keeps_input=False,  # 本来就要原地更新 w、b
    not_function=lambda a: f"答案应该是一个函数（用 def gd_step(w, b, x, y, lr): 定义），现在是 {type(a).__name__}。",
    # 返回 None 而 w、b 已经变了：不是存根，是忘了 return，照常检查（比较返回值时提示返回更新之前的损失）
    stub=lambda w, b, *rest: _one_number(w) and _one_number(b) and _unchanged(w, b),
    error_hints=_EX2_ERROR_HINTS,
    expected=lambda *args: _reference_steps(1)[2],
    compare=_Scalar("返回值（更新前的损失）", 1e-4, "函数应返回更新之前算出的损失，例如 loss.item()。"),
    mistakes=(
        Mistake(
            lambda got, w, b, *rest: not (_one_number(w) and _one_number(b)),
            "调用之后 w 或 b 不再是只有一个元素的张量：只更新它们的数值，不要改变形状。",
        ),
        Mistake(lambda got, w, b, *rest: _unchanged(w, b), _unchanged_hint),
        Mistake(
            lambda got, w, b, *rest: not (w.requires_grad and b.requires_grad and w.is_leaf and b.is_leaf),
            "更新之后 w 或 b 不再是需要梯度的叶子节点：更新要写在 with torch.no_grad(): 里面。",
        ),
        Mistake(
            _broadcast_step,
            "一步之后的 w、b 正是预测 (5, 1) 与目标 (5,) 广播成 (5, 5) 以后的结果：计算损失时不要用 "
            "y.reshape(-1) 或 y.flatten()，预测和目标的形状都要是 (5, 1)。",
        ),
        Mistake(_wrong_step, _wrong_step_hint),
    ),
    whole=(_keeps_working,),
    success=_step_success,
)

# ---------------------------------------------------------------- 练习 3


def exercise_3_data() -> tuple[torch.Tensor, torch.Tensor]:
    """练习 3 的数据：直线 y = -1.5x + 2 加上噪声，80 个点。"""
    return noisy_line(**EX3_DATA)


def expected_3() -> tuple[float, float]:
    """练习 3 的最优 ``(w, b)``：用最小二乘（闭式解）求出。"""
    x, y = exercise_3_data()
    design = torch.cat([x, torch.ones_like(x)], dim=1)
    w, b = torch.linalg.lstsq(design, y).solution.reshape(-1).tolist()
    return w, b


def _two_numbers(answer: Any) -> tuple[float | None, float | None] | None:
    """把 ``(w, b)`` 形式的答案变成两个数；不是“两个东西”时返回 ``None``。

    接受元组、列表、有两个元素的张量或 NumPy 数组（例如 ``np.polyfit(x, y, 1)`` 的结果）。
    元素本身不是数时，对应的位置是 ``None``。
    """
    if isinstance(answer, (torch.Tensor, np.ndarray)):
        tensor = as_tensor(answer)
        if tensor is None or tensor.numel() != 2:
            return None
        items: list[Any] = list(tensor.reshape(-1))
    elif isinstance(answer, (tuple, list)) and len(answer) == 2:
        items = list(answer)
    else:
        return None
    first, second = (_scalar(item) for item in items)
    return first, second


@dataclass(frozen=True)
class _Pair:
    """比较方式：答案是两个数 ``(w, b)``，各自与最优解相差不超过 ``tol``。"""

    tol: float

    def problem(self, got: Any, want: tuple[float, float]) -> str | None:
        pair = _two_numbers(got)
        if pair is None:
            return "答案应该是两个数组成的元组 (w, b)，例如 (model.weight.item(), model.bias.item())。"
        w, b = pair
        if w is None or b is None:
            return "元组里的两个元素都应该是数：用 .item() 把只有一个元素的张量变成 Python 数。"
        if not (math.isfinite(w) and math.isfinite(b)):
            return "结果里有 nan 或 inf：训练发散了，把学习率调小一些。"
        w_best, b_best = want
        if abs(w - w_best) > self.tol or abs(b - b_best) > self.tol:
            return (
                f"w = {w:.4f}、b = {b:.4f} 离最优解还差得比较多（允许误差 {self.tol}）："
                "模型可能还没有收敛，试着增加迭代周期或适当调大学习率，并确认每一步都清零了梯度。"
                "如果用了 fit 的 batch_size（小批量），学习率不变时参数会在最优解附近跳动：去掉 batch_size，或者减小学习率。"
            )
        return None


def _swapped(answer: Any) -> bool:
    w, b = _two_numbers(answer)  # 不是两个数时抛出异常：不算这种错误
    w_best, b_best = expected_3()
    return abs(w - b_best) < EX3_TOL and abs(b - w_best) < EX3_TOL


def _broadcast_fit(answer: Any) -> bool:
    """预测 (n, 1) 与目标 (n,) 广播成 (n, n) 以后，损失的最优解是 w = 0、b = y 的平均值。"""
    w, b = _two_numbers(answer)
    _, y = exercise_3_data()
    return abs(w) < 0.05 and abs(b - y.mean().item()) < 0.1


def _generating_line(answer: Any) -> bool:
    w, b = _two_numbers(answer)
    return abs(w - EX3_DATA["w"]) < 1e-9 and abs(b - EX3_DATA["b"]) < 1e-9


_EXERCISE_3 = Exercise(
    brief="拟合 exercise_3_data() 得到的 (w, b)：两个数（有两个元素的张量或数组也可以），与闭式解相差不超过 0.01。",
    expected=expected_3,
    compare=_Pair(EX3_TOL),
    mistakes=(
        Mistake(
            lambda a: isinstance(a, nn.Module),
            "答案应是两个数 (w, b)，而不是模型本身：写成 (model.weight.item(), model.bias.item())。",
        ),
        Mistake(_swapped, "两个数的顺序反了：要写成 (w, b)，斜率在前、截距在后。"),
        Mistake(
            _broadcast_fit,
            "w 几乎是 0、b 接近 y 的平均值：这是预测 (n, 1) 和目标 (n,) 广播成 (n, n) 以后的最优解"
            "（PyTorch 会给出 target size 的警告）。计算损失时，预测和目标的形状要相同，都保持 (n, 1)："
            "不要用 y.flatten()、y.reshape(-1) 或 .squeeze() 改变其中一个。",
        ),
        Mistake(
            _generating_line,
            "这是生成数据时用的直线 (-1.5, 2.0)，不是拟合结果：因为有噪声，最优的 w、b 和它略有不同，请训练模型求出来。",
        ),
    ),
    success=lambda a: "w ≈ {:.3f}，b ≈ {:.3f}，和闭式解一致（误差小于 {}）。".format(*expected_3(), EX3_TOL),
)

#: 本课的练习，按顺序：第 N 项就是“练习 N”
EXERCISES = (_EXERCISE_1, _EXERCISE_2, _EXERCISE_3)
check_1, check_2, check_3 = numbered(EXERCISES)
