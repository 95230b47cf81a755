"""“梯度下降”一课的练习检查器。"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..checking import (
    Feedback,
    as_number,
    error_summary,
    failed,
    not_answered,
    number_problem,
    passed,
    tensor_problem,
)


def _close(answer, value: float, tol: float = 1e-4) -> bool:
    """``answer`` 是一个数（或单元素张量），并且与 ``value`` 相差不超过 ``tol``。"""
    return number_problem(answer, value, tol=tol) is None


def check_1(answer) -> Feedback:
    """练习 1：J(θ) = θ⁴/4，θ = 2，α = 0.1，一步梯度下降之后的 θ（应为 1.2）。"""
    if answer is None:
        return not_answered()
    problem = number_problem(answer, 1.2, tol=1e-4)
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


def check_2(answer) -> Feedback:
    """练习 2：1000 个样本、batch_size=64、3 个迭代周期的参数更新次数（应为 48）。"""
    if answer is None:
        return not_answered()
    problem = number_problem(answer, 48, tol=1e-9)
    if problem is None:
        return passed("每个迭代周期 ⌈1000/64⌉ = 16 个小批量（最后一个只有 40 个样本），3 个周期共 48 次更新。")
    if _close(answer, 46.875, tol=1e-3):
        return failed("更新次数必须是整数：最后那个不满 64 个样本的小批量也算一次更新。")
    if _close(answer, 45, tol=1e-9):
        return failed("最后一个只有 40 个样本的小批量也会被取出来：DataLoader 的 drop_last 默认为 False。")
    if _close(answer, 16, tol=1e-9):
        return failed("16 是一个迭代周期的更新次数，题目问的是 3 个迭代周期一共多少次。")
    if _close(answer, 3, tol=1e-9):
        return failed("每个周期只更新一次的是批量梯度下降；这里每次只取 64 个样本。")
    return failed(problem + "先算每个迭代周期有几个小批量（向上取整），再乘以周期数。")


def check_3(answer) -> Feedback:
    """练习 3：J(θ) = 5(θ − 1)² + 3 上梯度下降的临界学习率（应为 0.2）。"""
    if answer is None:
        return not_answered()
    problem = number_problem(answer, 0.2, tol=1e-3)
    if problem is None:
        return passed("J'' = 10，每一步把 θ − 1 乘以 1 − 10α；|1 − 10α| < 1 要求 0 < α < 0.2。")
    if _close(answer, 0.4, tol=1e-3):
        return failed("5 不是二阶导数：J'(θ) = 10(θ − 1)，所以 J'' = 10，而不是 5。")
    if _close(answer, 0.1, tol=1e-3):
        return failed(
            "α = 0.1 时 1 − 10α = 0，一步就到最低点，这是收敛最快的学习率；"
            "题目问的是让 |1 − 10α| < 1 成立的最大学习率。"
        )
    if _close(answer, 1.0, tol=1e-3):
        return failed("1 是第 3 节 J(θ) = (θ − 3)² 的结果；这里的二阶导数不同，上限是 2 / J''。")
    value = as_number(answer)
    if value is not None:
        if 0 < value < 0.2:
            return failed(f"α = {value:g} 确实能收敛，但它还不是临界值：学习率还可以再大一些。")
        if value > 0.2:
            return failed(f"α = {value:g} 时 |1 − 10α| ≥ 1，距离不会缩小，梯度下降不收敛。")
        if value <= 0:
            return failed("学习率必须大于 0：α ≤ 0 时参数不动，或者朝着损失变大的方向走。")
    return failed(problem + "每一步 θ − 1 会乘以 1 − α·J''，收敛要求它的绝对值小于 1。")


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


def check_4(answer) -> Feedback:
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
        problem = tensor_problem(result, expected, name="返回的 θ", check_dtype=False, atol=1e-4)
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

