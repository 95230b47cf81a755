"""“梯度下降”一课的练习检查器。

- :func:`check_1`：手算一步梯度下降；
- :func:`check_2`：小批量训练中参数更新的次数；
- :func:`check_3`：一维二次函数上梯度下降的临界学习率；
- :func:`check_4`：实现带动量的梯度下降（与 ``torch.optim.SGD(momentum=...)`` 的约定相同）；
- :func:`check_5`：线性回归的海森矩阵与学习率的临界值 2 / λ_max（学习率必须小于它）。

检查器接受答案的各种等价写法（Python 数、NumPy 标量、只有一个元素的数组或张量、``Fraction``），
对任何输入都只返回中文反馈，不会抛出异常。
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from ..checking import (
    Feedback,
    as_number,
    error_summary,
    failed,
    never_raises,
    not_answered,
    number_problem,
    passed,
    tensor_problem,
)

#: 练习 3：J(θ) = 5(θ − 1)² + 3 的临界学习率是 2 / J'' = 2 / 10。
EX3_CRITICAL = 0.2
#: 练习 5 的输入数据：x = 0, 1, 2, 3, 4（形状 (5, 1)）。
EX5_X = (0.0, 1.0, 2.0, 3.0, 4.0)

#: 临界学习率的答案允许比精确值小一点（例如二分查找得到的近似值），但不能更大：
#: 比临界值大的学习率会发散。上侧只留出单精度浮点数的舍入误差。
BELOW_TOL = 5e-4
ABOVE_TOL = 1e-6




def _number(answer: Any) -> float | None:
    """一个数：Python 数、NumPy 标量、只有一个元素的数组、张量或列表；否则返回 ``None``。"""
    number = as_number(answer)
    if number is None and isinstance(answer, (list, tuple)) and len(answer) == 1:
        number = as_number(answer[0])
    return number


def _problem(answer: Any, expected: float, tol: float) -> str | None:
    """与 :func:`lessons.checking.number_problem` 相同，但也接受只有一个元素的列表。"""
    number = _number(answer)
    return number_problem(answer if number is None else number, expected, tol=tol)


def _finite_number(answer: Any, name: str = "答案") -> tuple[float | None, str | None]:
    """答案是有限的数时返回 ``(数, None)``，否则返回 ``(None, 问题描述)``。"""
    number = _number(answer)
    problem = number_problem(answer if number is None else number, 0.0, name=name, tol=float("inf"))
    return (None, problem) if problem else (number, None)


def _close(answer: Any, value: float, tol: float = 1e-4) -> bool:
    """``answer`` 是一个数（或单元素张量、列表），并且与 ``value`` 相差不超过 ``tol``。"""
    return _problem(answer, value, tol) is None


@never_raises
def check_1(answer: Any) -> Feedback:
    """练习 1：J(θ) = θ⁴/4，θ = 2，α = 0.1，一步梯度下降之后的 θ（应为 1.2）。"""
    if answer is None:
        return not_answered()
    problem = _problem(answer, 1.2, tol=1e-4)
    if problem is None:
        return passed("J'(θ) = θ³，J'(2) = 8，所以 θ ← 2 − 0.1 × 8 = 1.2。")
    if _close(answer, 2.8):
        return failed("方向反了：梯度下降是减去 α·J'(θ)，沿负梯度方向走，不是加上。")
    if _close(answer, 1.6):
        return failed("你用的是 J(2) = 4，应该用导数 J'(θ) = θ³ 在 θ = 2 处的值。")
    if _close(answer, 0.8):
        return failed("0.8 是这一步移动的距离 α·J'(θ)；新的 θ 是旧的 θ 减去它。")
    if _close(answer, -1.2):
        return failed("导数多乘了 4：θ⁴/4 的导数是 θ³，不是 4θ³。")
    return failed(problem + "先求导数 J'(θ)，再代入 θ ← θ − α·J'(θ)。")


@never_raises
def check_2(answer: Any) -> Feedback:
    """练习 2：1000 个样本、batch_size=64、3 个迭代周期的参数更新次数（应为 48）。"""
    if answer is None:
        return not_answered()
    problem = _problem(answer, 48, tol=1e-9)
    if problem is None:
        return passed("每个迭代周期 ⌈1000/64⌉ = 16 个小批量（最后一个只有 40 个样本），3 个迭代周期共 48 次更新。")
    if _close(answer, 46.875, tol=1e-3):
        return failed("更新次数必须是整数：最后那个不满 64 个样本的小批量也算一次更新。")
    if _close(answer, 45, tol=1e-9):
        return failed("最后一个只有 40 个样本的小批量也会被取出来：DataLoader 的 drop_last 默认为 False。")
    if _close(answer, 16, tol=1e-9):
        return failed("16 是一个迭代周期的更新次数，题目问的是 3 个迭代周期一共多少次。")
    if _close(answer, 3, tol=1e-9):
        return failed("每个迭代周期只更新一次的是批量梯度下降；这里每次只取 64 个样本。")
    return failed(problem + "先算每个迭代周期有几个小批量（向上取整），再乘以迭代周期数。")


def _critical_problem(value: float, critical: float) -> str | None:
    """临界学习率的答案 ``value`` 与精确值 ``critical`` 比较：可以略小（近似值），不能更大。"""
    if critical - BELOW_TOL <= value <= critical + ABOVE_TOL:
        return None
    if value > critical:
        return (
            f"α = {value:g} 比临界值大：这时最陡方向上每一步的因子的绝对值大于 1，梯度下降发散。"
            "临界值是让这个绝对值恰好等于 1 的学习率。"
        )
    if value <= 0:
        return "学习率必须大于 0：α ≤ 0 时参数不动，或者朝着损失变大的方向走。"
    return f"α = {value:g} 确实能收敛，但它还不是临界值：学习率还可以再大一些。"


@never_raises
def check_3(answer: Any) -> Feedback:
    """练习 3：J(θ) = 5(θ − 1)² + 3 上梯度下降的临界学习率（应为 0.2）。

    略小于 0.2 的近似值（二分查找的结果）算对；大于 0.2 的学习率会发散，不算对。
    """
    if answer is None:
        return not_answered()
    value, problem = _finite_number(answer)
    if value is None:
        return failed(f"{problem}每一步 θ − 1 会乘以 1 − α·J''，收敛要求它的绝对值小于 1。")
    if _critical_problem(value, EX3_CRITICAL) is None:
        return passed("J'' = 10，每一步把 θ − 1 乘以 1 − 10α；|1 − 10α| < 1 要求 0 < α < 0.2。")
    if abs(value - 0.4) < 1e-3:
        return failed("5 不是二阶导数：J'(θ) = 10(θ − 1)，所以 J'' = 10，而不是 5。")
    if abs(value - 0.1) < 1e-3:
        return failed(
            "α = 0.1 时 1 − 10α = 0，一步就到最低点，这是收敛最快的学习率；"
            "题目问的是 |1 − 10α| < 1 成立时学习率的上限，即临界值。"
        )
    if abs(value - 1.0) < 1e-3:
        return failed("1 是第 3 节 J(θ) = (θ − 3)² 的结果；这里的二阶导数不同，上限是 2 / J''。")
    if value > EX3_CRITICAL:
        return failed(f"α = {value:g} 时 |1 − 10α| = {abs(1 - 10 * value):.4g} > 1，距离每一步都在变大，梯度下降发散。")
    return failed(_critical_problem(value, EX3_CRITICAL) or "")


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


@never_raises
def check_4(answer: Any) -> Feedback:
    """练习 4：带动量的梯度下降 ``gd_momentum(grad_fn, theta0, lr, beta, steps)``。"""
    if answer is None:
        return not_answered()
    if not callable(answer):
        return failed(f"answer 应该是一个函数（把 gd_momentum 本身传进来），现在是 {type(answer).__name__}。")
    for scales, start, lr, beta, steps in _CASES:
        grad_fn = _quadratic_grad(scales)
        theta0 = start.clone()
        try:
            result = answer(grad_fn, theta0, lr, beta, steps)
        except Exception as err:  # 学习者的代码可能抛出任何异常
            return failed(f"运行你的函数时出错：{error_summary(err)}")
        if result is None:
            return not_answered("你的函数还返回 None：把函数体写完，返回最后的 θ。")
        if not torch.equal(theta0, start):
            return failed("函数改动了传入的 theta0（原地操作）：开头先用 theta = theta0.clone() 复制一份。")
        expected = _momentum_reference(grad_fn, start, lr, beta, steps)
        problem = tensor_problem(result, expected, name="返回值", check_dtype=False, atol=1e-4)
        if problem is None:
            continue
        if not isinstance(result, torch.Tensor) or result.shape != expected.shape:
            return failed(problem)
        got = result.detach().to("cpu").to(expected.dtype)
        plain = _momentum_reference(grad_fn, start, lr, 0.0, steps)
        if torch.allclose(got, plain, atol=1e-4):
            return failed("结果和不带动量的梯度下降一样：速度 v 没有起作用，检查 v 是否在循环之间保留、是否乘了 beta。")
        if torch.allclose(got, _momentum_ema(grad_fn, start, lr, beta, steps), atol=1e-4):
            return failed("PyTorch 的约定是 v ← βv + ∇J(θ)，梯度前面没有 (1 − β) 这个因子。")
        for other in (steps - 1, steps + 1):
            if torch.allclose(got, _momentum_reference(grad_fn, start, lr, beta, other), atol=1e-4):
                return failed(
                    f"结果相当于做了 {other} 步，而不是 steps = {steps} 步：检查循环的次数，"
                    "以及每一步是否先更新 v、再用新的 v 更新 θ。"
                )
        return failed(
            f"在 lr={lr}、beta={beta}、steps={steps} 时结果与 torch.optim.SGD(momentum=beta) 不一致："
            "每一步先更新 v ← βv + ∇J(θ)，再更新 θ ← θ − αv。"
        )
    return passed("与 torch.optim.SGD(..., momentum=beta) 的结果一致。")



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


@never_raises
def check_5(answer: Any) -> Feedback:
    """练习 5：x = 0, 1, 2, 3, 4 上线性回归（均方误差）梯度下降的临界学习率 2 / λ_max。

    学习率必须小于这个临界值才能收敛；与练习 3 一样，略小于它的近似值算对，更大的不算对。
    """
    if answer is None:
        return not_answered()
    value, problem = _finite_number(answer)
    if value is None:
        return failed(f"{problem}先求海森矩阵 H 的最大特征值 λ_max，答案是 2 / λ_max。")
    critical = expected_5()
    hessian = hessian_5()
    small, large = torch.linalg.eigvalsh(hessian).tolist()
    if _critical_problem(value, critical) is None:
        return passed(
            f"H = [[{hessian[0, 0]:g}, {hessian[0, 1]:g}], [{hessian[1, 0]:g}, {hessian[1, 1]:g}]]，"
            f"特征值约为 {large:.3f} 和 {small:.3f}，学习率必须小于临界值 2 / {large:.3f} ≈ {critical:.4f}。"
        )
    hints = [
        (2 / hessian[0, 0].item(), "这是只看 w 方向的二阶偏导数得到的 2 / H[0, 0]：H 不是对角矩阵，最陡的方向是"
         "最大特征值的特征向量，而不是 w 轴；λ_max 比 H[0, 0] 大，这个学习率会让梯度下降发散。"),
        (2 / hessian[1, 1].item(), "这是只看 b 方向的 2 / H[1, 1]：上限由最陡的方向决定，要用最大特征值。"),
        (2 / small, "用了最小的特征值：上限由最陡的方向（最大特征值）决定。"),
        (1 / large, "上限是 2 / λ_max，不是 1 / λ_max（那是最陡方向上一步到位的学习率）。"),
        (large, "这是最大特征值本身，学习率的上限是 2 / λ_max。"),
        (4 / large, "海森矩阵是 (2/n)·XᵀX：检查是否漏了因子 2（或者多除了 2）。"),
        (2 / (len(EX5_X) * large), "均方误差是平方误差的平均值：H 要除以 n，不是对平方误差求和得到的 2·XᵀX。"),
    ]
    for wrong, hint in hints:
        if abs(value - wrong) < 1e-3:
            return failed(hint)
    return failed(
        (_critical_problem(value, critical) or "")
        + "海森矩阵是 H = (2/n)·XᵀX，X 的每一行是 [x_i, 1]；用 torch.linalg.eigvalsh(H) 求特征值。"
    )
