"""课程用到的小数据集。全部由代码生成，不需要下载；传入相同的种子得到相同的数据。"""

from __future__ import annotations

import math

import torch


def _generator(seed: int) -> torch.Generator:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed 必须是整数，收到的是 {type(seed).__name__}。")
    return torch.Generator().manual_seed(seed)


def _check_count(n: int, minimum: int = 1) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < minimum:
        raise ValueError(f"样本数 n 必须是不小于 {minimum} 的整数，收到的是 {n!r}。")


def _check_noise(noise: float) -> None:
    if noise < 0:
        raise ValueError(f"噪声标准差 noise 不能为负数，收到的是 {noise}。")


def _check_range(x_range: tuple[float, float]) -> tuple[float, float]:
    low, high = x_range
    if not low < high:
        raise ValueError(f"x_range 必须满足 下界 < 上界，收到的是 {x_range}。")
    return low, high


def document_line() -> tuple[torch.Tensor, torch.Tensor]:
    """原文线性回归例子中的五个点：y = 2x，x = 1, 2, 3, 4, 5。

    返回形状为 ``(5, 1)`` 的 ``x`` 和 ``y``：``nn.Linear(1, 1)`` 要求每个样本占一行。
    """
    x = torch.arange(1.0, 6.0).reshape(5, 1)
    return x, 2 * x


def noisy_line(
    n: int = 100,
    w: float = 2.0,
    b: float = 1.0,
    noise: float = 0.5,
    x_range: tuple[float, float] = (-3.0, 3.0),
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """在直线 y = w·x + b 上加高斯噪声，返回形状均为 ``(n, 1)`` 的 ``x`` 和 ``y``。"""
    _check_count(n, 2)
    _check_noise(noise)
    low, high = _check_range(x_range)
    g = _generator(seed)
    x = low + (high - low) * torch.rand(n, 1, generator=g)
    y = w * x + b + noise * torch.randn(n, 1, generator=g)
    return x, y


def xor() -> tuple[torch.Tensor, torch.Tensor]:
    """异或（XOR）的四个点：输入形状 ``(4, 2)``，标签形状 ``(4, 1)``，取值 0 或 1。"""
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    return x, y


def sine(
    n: int = 200, noise: float = 0.1, x_range: tuple[float, float] = (-math.pi, math.pi), seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """带噪声的正弦曲线 y = sin(x) + 噪声，``x`` 从小到大排好，形状均为 ``(n, 1)``。"""
    _check_count(n, 2)
    _check_noise(noise)
    low, high = _check_range(x_range)
    g = _generator(seed)
    x = torch.linspace(low, high, n).reshape(n, 1)
    y = torch.sin(x) + noise * torch.randn(n, 1, generator=g)
    return x, y


def two_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """两个交错的半月形，二分类玩具数据。

    返回 ``x``（形状 ``(n, 2)``）和标签 ``y``（形状 ``(n,)``，``torch.long``，取值 0 或 1）。
    """
    _check_count(n, 2)
    _check_noise(noise)
    g = _generator(seed)
    n0 = n // 2
    n1 = n - n0
    t0 = math.pi * torch.rand(n0, generator=g)
    t1 = math.pi * torch.rand(n1, generator=g)
    upper = torch.stack([torch.cos(t0), torch.sin(t0)], dim=1)
    lower = torch.stack([1 - torch.cos(t1), 0.5 - torch.sin(t1)], dim=1)
    x = torch.cat([upper, lower]) + noise * torch.randn(n, 2, generator=g)
    y = torch.cat([torch.zeros(n0, dtype=torch.long), torch.ones(n1, dtype=torch.long)])
    order = torch.randperm(n, generator=g)
    return x[order], y[order]


def train_test_split(
    x: torch.Tensor, y: torch.Tensor, test_fraction: float = 0.25, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """随机打乱后切成训练集和测试集，返回 ``x_train, x_test, y_train, y_test``。"""
    if len(x) != len(y):
        raise ValueError(f"x 和 y 的样本数必须相同：x 有 {len(x)} 个，y 有 {len(y)} 个。")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction 必须在 0 和 1 之间（不含端点），收到的是 {test_fraction}。")
    n_test = round(len(x) * test_fraction)
    if n_test == 0 or n_test == len(x):
        raise ValueError(f"{len(x)} 个样本按 test_fraction={test_fraction} 切分后，有一边是空的：请调整比例。")
    order = torch.randperm(len(x), generator=_generator(seed))
    test, train = order[:n_test], order[n_test:]
    return x[train], x[test], y[train], y[test]
