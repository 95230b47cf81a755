"""“梯度下降”一课的练习检查器。

- :func:`check_1`：手算一步梯度下降（J(θ) = θ⁴/4，θ = 2，α = 0.1）；
- :func:`check_2`：小批量训练中参数更新的次数；
- :func:`check_3`：一维二次函数上梯度下降的临界学习率（略小于它的近似值也算对，比它大的不算）；
- :func:`check_4`：函数 ``gd_momentum(grad_fn, theta0, lr, beta, steps)``，带动量的梯度下降
  （与 ``torch.optim.SGD(momentum=...)`` 的约定相同，不改动 ``theta0``）；
- :func:`check_5`：线性回归的海森矩阵与学习率的临界值 2 / λ_max（学习率必须小于它）。

每道练习是表 ``EXERCISES`` 中的一项（见 :class:`lessons.checking.Exercise`）：正确结果怎样算、怎样比较、
常见错误及其提示。检查器接受答案的各种等价写法（Python 数、NumPy 标量、只有一个元素的数组、张量或列表、
``Fraction``），对任何输入都只返回中文反馈，不会抛出异常。
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ..checking import Case, Exercise, Mistake, Tensor, as_number, number_problem, numbered

#: 练习 3：J(θ) = 5(θ − 1)² + 3 的临界学习率是 2 / J'' = 2 / 10。
EX3_CRITICAL = 0.2
#: 练习 5 的输入数据：x = 0, 1, 2, 3, 4（形状 (5, 1)）。
EX5_X = (0.0, 1.0, 2.0, 3.0, 4.0)

#: 临界学习率的答案允许比精确值小一点（例如二分查找得到的近似值），但不能更大：
#: 比临界值大的学习率会发散。上侧只留出用 float32 计算时的舍入误差：相对误差 2 × float32 的机器精度
#: （约 2.4e-7，在 0.2 之上约 5e-8）；0.2000005 这样的数已经比临界值大，不算对。
BELOW_TOL = 5e-4
ABOVE_RTOL = 2 * torch.finfo(torch.float32).eps
#: 比临界值小、但差不到这么多的答案，可能来自判断“收敛”的条件太严的二分查找：临界值附近收敛极慢，
#: “几步之内误差很小”的判断会把临界值估小（例如 1000 步、容差 1e-3 时得到 0.19931）。这时提示补上原因。
SLOW_BAND = 0.02

#: 精度比 float32 低的浮点类型（有效数字只有约 3 位）
_LOW_PRECISION = (torch.float16, torch.bfloat16)


def _number(answer: Any) -> float | None:
    """一个数：Python 数、NumPy 标量、只有一个元素的数组、张量或列表；否则返回 ``None``。"""
    number = as_number(answer)
    if number is None and isinstance(answer, (list, tuple)) and len(answer) == 1:
        number = as_number(answer[0])
    return number


def _finite(answer: Any) -> float:
    """答案对应的有限的数；不是有限的数时抛出 ``ValueError``（在常见错误的判断里就是“不是这种错误”）。"""
    number = _number(answer)
    if number is None or not math.isfinite(number):
        raise ValueError("答案不是有限的数")
    return number


def _float_dtype(answer: Any) -> torch.dtype | None:
    """答案的浮点数据类型（张量、NumPy 标量或数组，也看只有一个元素的列表里的那一项）；Python 数等返回 ``None``。"""
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        answer = answer[0]
    if isinstance(answer, (np.ndarray, np.generic)) and answer.dtype.kind == "f":
        return {2: torch.float16, 4: torch.float32}.get(answer.dtype.itemsize)  # float64 及更长的：舍入误差可以忽略
    if isinstance(answer, torch.Tensor) and answer.dtype.is_floating_point:
        return answer.dtype
    return None


def _tolerance(answer: Any, want: float, tol: float) -> float:
    """容差随答案的数据类型放宽：float16、bfloat16 存不下 1.2 这样的数，舍入误差约为 eps × |want|。"""
    dtype = _float_dtype(answer)
    return tol + (torch.finfo(dtype).eps * abs(want) if dtype is not None else 0.0)


def _near(value: float, tol: float = 1e-4) -> Callable[[Any], bool]:
    """常见错误的判断：答案是一个有限的数，并且与 ``value`` 相差不超过 ``tol``（按答案的数据类型放宽）。"""
    return lambda answer: abs(_finite(answer) - value) <= _tolerance(answer, value, tol)


@dataclass(frozen=True)
class _Number:
    """比较方式：答案是一个数（也接受只有一个元素的列表），与正确值相差不超过 ``tol``；不对时补上 ``advice``。

    答案是 float16、bfloat16 这样的低精度浮点数时，容差按它的舍入误差放宽（见 :func:`_tolerance`）。
    """

    tol: float
    advice: str

    def problem(self, got: Any, want: float) -> str | None:
        number = _number(got)
        tol = _tolerance(got, want, self.tol)
        problem = number_problem(got if number is None else number, want, tol=tol)
        return problem + self.advice if problem else None


def _too_large(value: float, critical: float) -> bool:
    """学习率 ``value`` 比临界值 ``critical`` 大，超出了 float32 计算的舍入误差（见 ``ABOVE_RTOL``）。"""
    return value > critical * (1 + ABOVE_RTOL)


def _beyond(value: float, limit: float) -> str:
    """写出 ``value``：通常 6 位有效数字；只比 ``limit`` 大（或小）一点的数多写几位，使写出的数仍在 ``limit``
    的同一侧，并且舍入误差不到它与 ``limit`` 之差的十分之一。

    例如临界值是 0.2 时，0.2000001 不能写成 0.2，否则提示读起来像是“0.2 比临界值大”。
    学习者写的 0.20000005 这样不太长的数照原样写出。
    """
    text = f"{value:.6g}"
    if float(text) == value:
        return text
    if len(repr(value)) <= 12:
        return repr(value)
    gap = abs(value - limit)
    for digits in range(6, 18):
        text = f"{value:.{digits}g}"
        printed = float(text)
        same_side = printed > limit if value > limit else printed < limit
        if same_side and abs(printed - value) <= gap / 10:
            return text
    return repr(value)


def _overshoot_note(answer: Any, value: float, critical: float) -> str:
    """只比临界值大一点时的补充说明：近似值向上舍入了、二分查找取错了一端，或低精度的数据类型把临界值舍入大了。"""
    dtype = _float_dtype(answer)
    if dtype in _LOW_PRECISION:
        return (
            f"答案的数据类型是 {dtype}，只有约 3 位有效数字，舍入以后可能比临界值大："
            "用 Python 的数或 float32 表示学习率。"
        )
    if value - critical < BELOW_TOL:
        return "它只比临界值大一点：近似值要取能收敛的那一侧，即向下舍入；用二分查找时，返回区间的下端，而不是上端。"
    return ""


def _critical_problem(value: float, critical: float, answer: Any = None, bisection: str = "") -> str | None:
    """临界学习率的答案 ``value`` 与精确值 ``critical`` 比较：可以略小（近似值），不能更大。

    ``value`` 比临界值小、但差不到 ``SLOW_BAND`` 时，提示末尾补上 ``bisection``：二分查找为什么会把临界值估小。
    """
    if critical - BELOW_TOL <= value and not _too_large(value, critical):
        return None
    if value > critical:
        return (
            f"α = {_beyond(value, critical)} 比临界值大：这时最陡方向上每一步的因子的绝对值大于 1，梯度下降发散。"
            "临界值是让这个绝对值恰好等于 1 的学习率。" + _overshoot_note(answer, value, critical)
        )
    if value <= 0:
        return "学习率必须大于 0：α ≤ 0 时参数不动，或者朝着损失变大的方向走。"
    message = f"α = {value:g} 确实能收敛，但它还不是临界值：学习率还可以再大一些。"
    return message + bisection if critical - SLOW_BAND < value else message


@dataclass(frozen=True)
class _Critical:
    """比较方式：临界学习率。答案不是有限的数时补上 ``unreadable``，其余不对的情况补上 ``advice``；
    答案比临界值小一点时，先补上 ``bisection``（见 :func:`_critical_problem`）。"""

    unreadable: str
    advice: str = ""
    bisection: str = ""

    def problem(self, got: Any, want: float) -> str | None:
        number = _number(got)
        problem = number_problem(got if number is None else number, 0.0, tol=math.inf)  # 只看是不是有限的数
        if problem:
            return problem + self.unreadable
        problem = _critical_problem(number, want, got, self.bisection)
        return problem + self.advice if problem else None


def _minus(value: float, limit: float) -> str:
    """用数学的减号 −（U+2212）写负数，与提示中的公式一致；写出的数与 ``limit`` 的大小关系不变（见 :func:`_beyond`）。"""
    return _beyond(value, limit).replace("-", "−")


# ---------------------------------------------------------------- 练习 1

_EXERCISE_1 = Exercise(
    brief="J(θ) = θ⁴/4，θ = 2，α = 0.1，一步梯度下降之后的 θ（一个数）。",
    expected=lambda: 1.2,
    compare=_Number(1e-4, "先求导数 J'(θ)，再代入 θ ← θ − α·J'(θ)。"),
    mistakes=(
        Mistake(_near(2.8), "方向反了：梯度下降是减去 α·J'(θ)，沿负梯度方向走，不是加上。"),
        Mistake(_near(1.6), "你用的是 J(2) = 4，应该用导数 J'(θ) = θ³ 在 θ = 2 处的值。"),
        Mistake(
            _near(0.8),
            "0.8 可能有两种来历：一是算出了这一步移动的距离 α·J'(θ)，新的 θ 还要用旧的 θ 减去它；"
            "二是把导数算成了 3θ²，而 θ⁴/4 的导数是 θ³。",
        ),
        Mistake(_near(-1.2), "导数多乘了 4：θ⁴/4 的导数是 θ³，不是 4θ³。"),
    ),
    success="J'(θ) = θ³，J'(2) = 8，所以 θ ← 2 − 0.1 × 8 = 1.2。",
)

# ---------------------------------------------------------------- 练习 2

_EXERCISE_2 = Exercise(
    brief="1000 个样本、batch_size=64、3 个迭代周期的参数更新次数（一个整数）。",
    expected=lambda: 48,
    compare=_Number(1e-9, "先算每个迭代周期有几个小批量（向上取整），再乘以迭代周期数。"),
    mistakes=(
        Mistake(_near(46.875, 1e-3), "更新次数必须是整数：最后那个不满 64 个样本的小批量也算一次更新。"),
        Mistake(_near(45, 1e-9), "最后一个只有 40 个样本的小批量也会被取出来：DataLoader 的 drop_last 默认为 False。"),
        Mistake(_near(16, 1e-9), "16 是一个迭代周期的更新次数，题目问的是 3 个迭代周期一共多少次。"),
        Mistake(_near(3, 1e-9), "每个迭代周期只更新一次的是批量梯度下降；这里每次只取 64 个样本。"),
    ),
    success="每个迭代周期 ⌈1000/64⌉ = 16 个小批量（最后一个只有 40 个样本），3 个迭代周期共 48 次更新。",
)

# ---------------------------------------------------------------- 练习 3


def _diverges_3(answer: Any) -> bool:
    return _too_large(_finite(answer), EX3_CRITICAL)


def _diverges_3_hint(answer: Any) -> str:
    value = _finite(answer)
    # 0.2 之上一点点的答案（如 0.2000001）写出来是 −1.000001，不会被舍入成 −1
    return (
        f"α = {_beyond(value, EX3_CRITICAL)} 时 1 − 10α = {_minus(1 - 10 * value, -1.0)}，绝对值大于 1，"
        "距离每一步都在变大，梯度下降发散。" + _overshoot_note(answer, value, EX3_CRITICAL)
    )


_EXERCISE_3 = Exercise(
    brief="J(θ) = 5(θ − 1)² + 3 上梯度下降的临界学习率（0.2；略小于它、误差不超过 0.0005 的近似值也算对，"
    "比它大的学习率会发散，不算对）。",
    expected=lambda: EX3_CRITICAL,
    compare=_Critical(
        "每一步 θ − 1 会乘以 1 − α·J''，收敛要求它的绝对值小于 1。",
        bisection="如果这是二分查找的结果：临界值附近每一步的因子 1 − 10α 接近 −1，收敛极慢，"
        "“N 步之内误差很小”这样的判断会把临界值估小。改为判断离最低点的距离是否在变小，"
        "例如 N 步之后的 |θ_N − 1| 是否小于起点的 |θ_0 − 1|；或者直接用公式 2 / J''。",
    ),
    mistakes=(
        Mistake(_near(0.4, 1e-3), "5 不是二阶导数：J'(θ) = 10(θ − 1)，所以 J'' = 10，而不是 5。"),
        Mistake(
            _near(0.1, 1e-3),
            "α = 0.1 时 1 − 10α = 0，一步就到最低点，这是收敛最快的学习率；"
            "题目问的是 |1 − 10α| < 1 成立时学习率的上限，即临界值。",
        ),
        Mistake(_near(1.0, 1e-3), "1 是第 3 节 J(θ) = (θ − 3)² 的结果；这里的二阶导数不同，上限是 2 / J''。"),
        Mistake(_diverges_3, _diverges_3_hint),
    ),
    success="J'' = 10，每一步把 θ − 1 乘以 1 − 10α；|1 − 10α| < 1 要求 0 < α < 0.2。",
)

# ---------------------------------------------------------------- 练习 4


def _momentum_reference(grad_fn, theta0: torch.Tensor, lr: float, beta: float, steps: int) -> torch.Tensor:
    """用 torch.optim.SGD(momentum=beta) 算出标准答案。"""
    theta = theta0.clone().requires_grad_(True)
    optimizer = torch.optim.SGD([theta], lr=lr, momentum=beta)
    for _ in range(steps):
        optimizer.zero_grad()
        theta.grad = grad_fn(theta.detach())
        optimizer.step()
    return theta.detach()


def _momentum_ema(grad_fn, theta0: torch.Tensor, lr: float, beta: float, steps: int) -> torch.Tensor:
    """常见的错误写法：v ← βv + (1 − β)·g。"""
    theta, v = theta0.clone(), torch.zeros_like(theta0)
    for _ in range(steps):
        v = beta * v + (1 - beta) * grad_fn(theta)
        theta = theta - lr * v
    return theta


def _quadratic_grad(scales: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    """J(θ) = ½ Σ scales·θ² 的梯度。"""
    return lambda theta: scales * theta


_CASES = (
    (torch.tensor([1.0, 50.0]), torch.tensor([-4.0, 1.5]), 0.02, 0.9, 30),
    (torch.tensor([2.0, 3.0, 0.5]), torch.tensor([1.0, -1.0, 2.0]), 0.1, 0.5, 12),
)


def _ex4_cases() -> list[Case]:
    return [
        Case((_quadratic_grad(scales), start.clone(), lr, beta, steps), f"在 lr={lr}、beta={beta}、steps={steps} 时")
        for scales, start, lr, beta, steps in _CASES
    ]


def _same_as(got: torch.Tensor, reference: torch.Tensor) -> bool:
    """``got`` 与 ``reference`` 形状相同、数值在容差内相等（与标准答案的比较用同样的容差）。"""
    value = got.detach().to("cpu").double()
    return value.shape == reference.shape and torch.allclose(value, reference.double(), atol=1e-4, rtol=1e-5)


def _like_steps(change: int) -> Mistake:
    """常见错误：结果相当于多做或少做了一步。"""
    return Mistake(
        lambda got, grad_fn, theta0, lr, beta, steps: _same_as(
            got, _momentum_reference(grad_fn, theta0, lr, beta, steps + change)
        ),
        lambda got, grad_fn, theta0, lr, beta, steps: f"结果相当于做了 {steps + change} 步，而不是 steps = {steps} 步："
        "检查循环的次数，以及每一步是否先更新 v、再用新的 v 更新 θ。",
    )


def _swapped_lr_beta(got: Any, grad_fn, theta0: torch.Tensor, lr: float, beta: float, steps: int) -> bool:
    """常见错误：lr 和 beta 用反了（v ← αv + g，θ ← θ − βv）。结果发散时 nan、inf 的位置也要相同。"""
    value = got.detach().to("cpu").double()
    reference = _momentum_reference(grad_fn, theta0, beta, lr, steps).double()
    return value.shape == reference.shape and torch.allclose(value, reference, atol=1e-4, rtol=1e-5, equal_nan=True)


def _not_finite(got: Any, *args: Any) -> bool:
    return not bool(torch.isfinite(got.detach().to("cpu")).all())


_EXERCISE_4 = Exercise(
    brief="函数 gd_momentum(grad_fn, theta0, lr, beta, steps) 做 steps 步带动量的梯度下降，返回最后的 θ"
    "（与 torch.optim.SGD(momentum=beta) 的约定相同：v ← βv + ∇J(θ)，θ ← θ − αv；不改动 theta0）。",
    function="gd_momentum",
    arguments=("grad_fn", "theta0", "lr", "beta", "steps"),
    input_hint="开头先用 theta = theta0.clone() 复制一份。",
    not_function=lambda a: f"answer 应该是一个函数（把 gd_momentum 本身传进来），现在是 {type(a).__name__}。",
    cases=_ex4_cases,
    expected=_momentum_reference,
    compare=Tensor(
        atol=1e-4,
        rtol=1e-5,
        name="返回值",
        wrong="结果与 torch.optim.SGD(momentum=beta) 不一致：每一步先更新 v ← βv + ∇J(θ)，再更新 θ ← θ − αv。",
    ),
    mistakes=(
        Mistake(
            lambda got, grad_fn, theta0, lr, beta, steps: _same_as(
                got, _momentum_reference(grad_fn, theta0, lr, 0.0, steps)
            ),
            "结果和不带动量的梯度下降一样：速度 v 没有起作用，检查 v 是否在循环之间保留、是否乘了 beta。",
        ),
        Mistake(
            lambda got, grad_fn, theta0, lr, beta, steps: _same_as(
                got, _momentum_ema(grad_fn, theta0, lr, beta, steps)
            ),
            "PyTorch 的约定是 v ← βv + ∇J(θ)，梯度前面没有 (1 − β) 这个因子。",
        ),
        _like_steps(-1),
        _like_steps(+1),
        Mistake(
            _swapped_lr_beta,
            "lr 和 beta 用反了：速度是 v ← βv + ∇J(θ)（beta 乘旧的速度），参数是 θ ← θ − αv（lr 乘速度）。",
        ),
        Mistake(
            _not_finite,
            "θ 发散成了 nan 或 inf：检查更新是不是 θ ← θ − αv（乘了 lr、用减号），lr 和 beta 有没有用反，"
            "以及 v ← βv + ∇J(θ) 里 beta 乘的是旧的速度 v。",
        ),
    ),
    success="与 torch.optim.SGD(..., momentum=beta) 的结果一致。",
)

# ---------------------------------------------------------------- 练习 5


def exercise_5_x() -> torch.Tensor:
    """练习 5 的输入 x = 0, 1, 2, 3, 4，形状 (5, 1)。"""
    return torch.tensor(EX5_X).reshape(-1, 1)


def hessian_5() -> torch.Tensor:
    """练习 5：模型 ŷ = w·x + b、均方误差损失对 (w, b) 的海森矩阵 (2/n)·XᵀX（与 y 无关）。"""
    x = exercise_5_x().double()
    design = torch.cat([x, torch.ones_like(x)], dim=1)
    return 2 / len(x) * design.T @ design


def expected_5() -> float:
    """练习 5 的正确答案：2 / λ_max。"""
    return 2 / torch.linalg.eigvalsh(hessian_5()).max().item()


def _eigenvalues_5() -> tuple[float, float]:
    """海森矩阵的两个特征值 (λ_min, λ_max)。"""
    small, large = torch.linalg.eigvalsh(hessian_5()).tolist()
    return small, large


def _ex5_success(answer: Any) -> str:
    h = hessian_5()
    large = _eigenvalues_5()[1]
    return (
        f"H = [[{h[0, 0]:g}, {h[0, 1]:g}], [{h[1, 0]:g}, {h[1, 1]:g}]]，"
        f"特征值约为 {large:.3f} 和 {_eigenvalues_5()[0]:.3f}，学习率必须小于临界值 2 / {large:.3f} ≈ {expected_5():.4f}。"
    )


def _near_5(value: Callable[[], float]) -> Callable[[Any], bool]:
    """练习 5 的常见错误：答案与 ``value()`` 相差小于 0.001（``value`` 用到海森矩阵，检查时才计算）。"""
    return lambda answer: abs(_finite(answer) - value()) < 1e-3


_EXERCISE_5 = Exercise(
    brief="x = 0, 1, 2, 3, 4 上线性回归（均方误差）梯度下降的临界学习率 2 / λ_max（学习率必须小于它；"
    "与练习 3 一样，略小于它的近似值算对，更大的不算对）。",
    expected=expected_5,
    compare=_Critical(
        "先求海森矩阵 H 的最大特征值 λ_max，答案是 2 / λ_max。",
        "海森矩阵是 H = (2/n)·XᵀX，X 的每一行是 [x_i, 1]；用 torch.linalg.eigvalsh(H) 求特征值。",
        bisection="如果这是二分查找的结果：临界值附近最陡方向上每一步的因子接近 −1，收敛极慢，"
        "“N 步之内误差很小”这样的判断会把临界值估小。参数不止一个时，“N 步之后离最低点比起点近”也不可靠："
        "平缓方向上的误差很快变小，会掩盖最陡方向上缓慢的发散，把临界值估大。所以这里直接用公式 2 / λ_max。",
    ),
    mistakes=(
        Mistake(
            _near_5(lambda: 2 / hessian_5()[0, 0].item()),
            "这是只看 w 方向的二阶偏导数得到的 2 / H[0, 0]：H 不是对角矩阵，最陡的方向是"
            "最大特征值的特征向量，而不是 w 轴；λ_max 比 H[0, 0] 大，这个学习率会让梯度下降发散。",
        ),
        Mistake(
            _near_5(lambda: 2 / hessian_5()[1, 1].item()),
            "这是只看 b 方向的 2 / H[1, 1]：上限由最陡的方向决定，要用最大特征值。",
        ),
        Mistake(_near_5(lambda: 2 / _eigenvalues_5()[0]), "用了最小的特征值：上限由最陡的方向（最大特征值）决定。"),
        Mistake(
            _near_5(lambda: 1 / _eigenvalues_5()[1]),
            "上限是 2 / λ_max，不是 1 / λ_max（那是最陡方向上一步到位的学习率）。",
        ),
        Mistake(_near_5(lambda: _eigenvalues_5()[1]), "这是最大特征值本身，学习率的上限是 2 / λ_max。"),
        Mistake(
            _near_5(lambda: 4 / _eigenvalues_5()[1]), "海森矩阵是 (2/n)·XᵀX：检查是否漏了因子 2（或者多除了 2）。"
        ),
        Mistake(
            _near_5(lambda: 2 / (len(EX5_X) * _eigenvalues_5()[1])),
            "均方误差是平方误差的平均值：H 要除以 n，不是对平方误差求和得到的 2·XᵀX。",
        ),
    ),
    success=_ex5_success,
)

#: 本课的练习，按顺序：第 N 项就是“练习 N”
EXERCISES = (_EXERCISE_1, _EXERCISE_2, _EXERCISE_3, _EXERCISE_4, _EXERCISE_5)
check_1, check_2, check_3, check_4, check_5 = numbered(EXERCISES)
