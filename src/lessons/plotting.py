"""课程中反复出现的几种图。每个函数都接受可选的 ``ax``，方便把几张图并排放在一起。"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import torch


def apply_web_style() -> None:
    """网页友好的默认样式：适中的尺寸和分辨率，让图清晰又不占太多流量。"""
    matplotlib.rcParams.update(
        {
            "figure.figsize": (6.0, 3.6),
            "figure.dpi": 90,
            "savefig.dpi": 90,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _numpy(values) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        return values.detach().to("cpu").numpy()
    return np.asarray(values)


def plot_losses(
    losses: Sequence[float] | Mapping[str, Sequence[float]],
    ax=None,
    title: str = "损失曲线",
    log_scale: bool = False,
    xlabel: str = "迭代周期",
):
    """画损失曲线。``losses`` 可以是一条曲线（列表），也可以是 ``{名字: 列表}`` 的多条曲线。

    横轴默认是迭代周期；按参数更新次数记录损失时，传入 ``xlabel="参数更新次数"``。
    """
    ax = _axes(ax)
    curves = losses if isinstance(losses, Mapping) else {"损失": losses}
    if not curves:
        raise ValueError("没有可画的损失曲线：losses 是空的。")
    for name, values in curves.items():
        values = _numpy(values)
        if values.ndim != 1 or len(values) == 0:
            raise ValueError(f"损失曲线 {name!r} 必须是非空的一维序列，现在的形状是 {values.shape}。")
        ax.plot(np.arange(1, len(values) + 1), values, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("损失")
    ax.set_title(title)
    if log_scale:
        ax.set_yscale("log")
    if isinstance(losses, Mapping):
        ax.legend()
    return ax


def plot_fit(
    x,
    y,
    predict: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ax=None,
    title: str = "数据与拟合结果",
    label: str = "模型预测",
):
    """画散点数据 ``(x, y)``，并画出 ``predict`` 给出的拟合曲线（如果提供）。"""
    ax = _axes(ax)
    xs, ys = _numpy(x).reshape(-1), _numpy(y).reshape(-1)
    if len(xs) != len(ys):
        raise ValueError(f"x 和 y 的点数必须相同：x 有 {len(xs)} 个，y 有 {len(ys)} 个。")
    ax.scatter(xs, ys, s=16, alpha=0.7, label="数据")
    if predict is not None:
        grid = torch.linspace(float(xs.min()), float(xs.max()), 200).reshape(-1, 1)
        with torch.no_grad():
            pred = predict(grid)
        ax.plot(grid.reshape(-1).numpy(), _numpy(pred).reshape(-1), color="C3", linewidth=2, label=label)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_decision_boundary(
    predict: Callable[[torch.Tensor], torch.Tensor],
    x,
    y,
    ax=None,
    title: str = "决策边界",
    resolution: int = 200,
):
    """画二维二分类数据和模型的决策边界。

    ``predict`` 接受形状 ``(m, 2)`` 的张量，返回每个点属于类别 1 的 logit（大于 0 判为类别 1）。
    """
    ax = _axes(ax)
    pts, labels = _numpy(x), _numpy(y).reshape(-1)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"x 的形状必须是 (n, 2)，现在是 {pts.shape}。")
    pad = 0.5
    (x0, y0), (x1, y1) = pts.min(axis=0) - pad, pts.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = torch.tensor(np.stack([gx.ravel(), gy.ravel()], axis=1), dtype=torch.float32)
    with torch.no_grad():
        logits = _numpy(predict(grid)).reshape(gx.shape)
    ax.contourf(gx, gy, (logits > 0).astype(float), levels=[-0.5, 0.5, 1.5], colors=["C0", "C1"], alpha=0.2)
    ax.contour(gx, gy, logits, levels=[0.0], colors="k", linewidths=1)
    for cls, color in ((0, "C0"), (1, "C1")):
        mask = labels == cls
        ax.scatter(pts[mask, 0], pts[mask, 1], s=14, color=color, label=f"类别 {cls}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    ax.legend(loc="upper right")
    return ax


def plot_contours_with_path(
    f: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    path=None,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax=None,
    title: str = "损失函数的等高线",
    levels: int = 20,
):
    """画二元函数 ``f(a, b)`` 的等高线，并画出参数的移动路径 ``path``（形状 ``(k, 2)``，可选）。"""
    ax = _axes(ax)
    a, b = torch.meshgrid(torch.linspace(*xlim, 150), torch.linspace(*ylim, 150), indexing="xy")
    with torch.no_grad():
        z = f(a, b)
    ax.contour(a.numpy(), b.numpy(), _numpy(z), levels=levels, cmap="viridis", linewidths=0.8)
    if path is not None:
        pts = _numpy(path)
        if pts.ndim != 2 or pts.shape[1] != 2:
            raise ValueError(f"path 的形状必须是 (k, 2)，现在是 {pts.shape}。")
        ax.plot(pts[:, 0], pts[:, 1], "o-", color="C3", markersize=3, linewidth=1.2, label="参数的路径")
        ax.plot(pts[0, 0], pts[0, 1], "s", color="k", markersize=6, label="起点")
        ax.legend(loc="upper right")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_title(title)
    return ax
