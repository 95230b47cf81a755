"""课程用到的小数据集：玩具数据由代码生成；第 7 课的手写数字随 scikit-learn 一起安装。都不需要下载，传入相同的种子得到相同的数据。"""

from __future__ import annotations

import math

import torch

from . import _validate

#: 玩具数据集最多的样本数：再多就不是“玩具”了，还可能耗尽内存。
MAX_SAMPLES = 1_000_000


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(_validate.seed(seed))


def _check_count(n: int, minimum: int) -> int:
    return _validate.integer(n, "样本数 n", low=minimum, high=MAX_SAMPLES, example="n=100")


def _check_noise(noise: float) -> float:
    return _validate.real(noise, "噪声标准差 noise", low=0)


def _check_range(x_range: tuple[float, float]) -> tuple[float, float]:
    return _validate.interval(x_range, "x_range")


def _finite(x: torch.Tensor, y: torch.Tensor, names: str) -> tuple[torch.Tensor, torch.Tensor]:
    """参数都是有限的数，生成的数据仍可能超出 float32 的范围（约 ±3.4e38）而变成 inf 或 nan。"""
    if not (torch.isfinite(x).all() and torch.isfinite(y).all()):
        raise ValueError(f"生成的数据超出了 float32 能表示的范围（约 ±3.4e38），出现了 inf 或 nan：请把 {names} 调小。")
    return x, y


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
    n = _check_count(n, 2)
    noise = _check_noise(noise)
    w, b = _validate.real(w, "w"), _validate.real(b, "b")
    low, high = _check_range(x_range)
    g = _generator(seed)
    x = low + (high - low) * torch.rand(n, 1, generator=g)
    y = w * x + b + noise * torch.randn(n, 1, generator=g)
    return _finite(x, y, "w、b、noise 或 x_range")


def xor() -> tuple[torch.Tensor, torch.Tensor]:
    """异或（XOR）的四个点：输入形状 ``(4, 2)``，标签形状 ``(4, 1)``，取值 0 或 1。"""
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    return x, y


def sine(
    n: int = 200, noise: float = 0.1, x_range: tuple[float, float] = (-math.pi, math.pi), seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """带噪声的正弦曲线 y = sin(x) + 噪声，``x`` 从小到大排好，形状均为 ``(n, 1)``。"""
    n = _check_count(n, 2)
    noise = _check_noise(noise)
    low, high = _check_range(x_range)
    g = _generator(seed)
    x = torch.linspace(low, high, n).reshape(n, 1)
    y = torch.sin(x) + noise * torch.randn(n, 1, generator=g)
    return _finite(x, y, "noise 或 x_range")


def two_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """两个交错的半月形，二分类玩具数据。

    返回 ``x``（形状 ``(n, 2)``）和标签 ``y``（形状 ``(n,)``，``torch.long``，取值 0 或 1）。
    """
    n = _check_count(n, 2)
    noise = _check_noise(noise)
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
    _finite(x, y, "noise")
    return x[order], y[order]


def train_test_split(
    x: torch.Tensor, y: torch.Tensor, test_fraction: float = 0.25, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """随机打乱后切成训练集和测试集，返回 ``x_train, x_test, y_train, y_test``。"""
    _validate.tensor(x, "x", finite=False)
    _validate.tensor(y, "y", finite=False)
    if len(x) != len(y):
        raise ValueError(f"x 和 y 的样本数必须相同：x 有 {len(x)} 个，y 有 {len(y)} 个。")
    test_fraction = _validate.real(test_fraction, "test_fraction", low=0, high=1, strict=True)
    n_test = round(len(x) * test_fraction)
    if n_test == 0 or n_test == len(x):
        raise ValueError(f"{len(x)} 个样本按 test_fraction={test_fraction} 切分后，有一边是空的：请调整比例。")
    order = torch.randperm(len(x), generator=_generator(seed))
    test, train = order[:n_test], order[n_test:]
    return x[train], x[test], y[train], y[test]


# ---------------------------------------------------------------- 第 7 课：手写数字

#: ``load_digits`` 读出的全部图片和标签（第一次调用 :func:`digits` 时读入，之后直接复用）。
_DIGITS_CACHE: tuple[torch.Tensor, torch.Tensor] | None = None


def _load_digits() -> tuple[torch.Tensor, torch.Tensor]:
    """读入 scikit-learn 自带的手写数字：``(1797, 64)`` 的 ``float32`` 像素和 ``(1797,)`` 的 ``long`` 标签。"""
    global _DIGITS_CACHE
    if _DIGITS_CACHE is None:
        try:
            from sklearn.datasets import load_digits
        except ImportError as err:  # pragma: no cover - scikit-learn 是 lessons 的依赖
            raise ImportError(
                "读取手写数字需要 scikit-learn：请运行 pip install scikit-learn（Colab 已预装）。"
            ) from err
        bunch = load_digits()  # 数据文件随 scikit-learn 一起安装，不访问网络
        images = torch.tensor(bunch.data, dtype=torch.float32)
        labels = torch.tensor(bunch.target, dtype=torch.long)
        _DIGITS_CACHE = (images, labels)
    return _DIGITS_CACHE


def digits(
    seed: int = 0, val_fraction: float = 0.2, test_fraction: float = 0.2
) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """scikit-learn 自带的 1797 张 8×8 手写数字，切成训练集、验证集和测试集。

    数据文件随 scikit-learn 一起安装在本机，不需要下载。返回
    ``(x_train, y_train), (x_val, y_val), (x_test, y_test)``：

    - ``x``：形状 ``(n, 64)`` 的 ``torch.float32``，每行是一张图片按行展开的 64 个像素，
      取值为 0 到 16 的整数（原始像素，没有标准化）；``x.reshape(-1, 8, 8)`` 变回图片；
    - ``y``：形状 ``(n,)`` 的 ``torch.long``，取值 0 到 9。

    切分是**分层**的：每个数字的样本各自随机打乱，再按比例切开（这个数字的验证集取
    ``round(个数 × val_fraction)`` 个，测试集取 ``round(个数 × test_fraction)`` 个，其余归训练集），
    所以每个数字在三个集合里都有，所占比例也和全体数据几乎相同。切好后每个集合再打乱一次，
    同一个数字的样本不会连成一段。种子相同，切分就完全相同。

    这里不做标准化：标准化只能用训练集的均值和标准差，第 7 课会讲为什么。
    """
    generator = _generator(seed)
    val_fraction = _validate.real(val_fraction, "val_fraction", low=0, high=1, strict=True, example="val_fraction=0.2")
    test_fraction = _validate.real(test_fraction, "test_fraction", low=0, high=1, strict=True, example="test_fraction=0.2")
    if val_fraction + test_fraction >= 1:
        raise ValueError(
            f"val_fraction + test_fraction 必须小于 1，训练集才有样本；收到的是 {val_fraction} + {test_fraction}。"
        )
    images, labels = _load_digits()
    parts: dict[str, list[torch.Tensor]] = {"train": [], "val": [], "test": []}
    for digit in range(10):
        members = torch.nonzero(labels == digit).reshape(-1)
        members = members[torch.randperm(len(members), generator=generator)]
        n_val = round(len(members) * val_fraction)
        n_test = round(len(members) * test_fraction)
        if min(n_val, n_test, len(members) - n_val - n_test) < 1:
            raise ValueError(
                f"数字 {digit} 有 {len(members)} 个样本，按 val_fraction={val_fraction}、"
                f"test_fraction={test_fraction} 切分后有一个集合分不到样本：请调整比例。"
            )
        parts["val"].append(members[:n_val])
        parts["test"].append(members[n_val : n_val + n_test])
        parts["train"].append(members[n_val + n_test :])
    result = []
    for name in ("train", "val", "test"):
        index = torch.cat(parts[name])
        index = index[torch.randperm(len(index), generator=generator)]
        result.append((images[index], labels[index]))  # 按下标取出，得到新的张量，不与缓存共用存储
    return result[0], result[1], result[2]
