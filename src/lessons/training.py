"""一个通用的小训练循环。

第 4 课先手写训练循环，弄清楚每一步在做什么；之后的课程用 :func:`fit` 省去重复代码。
它做的事情和手写的循环完全一样：

    for 每个迭代周期:
        for 每个小批量 (xb, yb):
            optimizer.zero_grad()          # 1. 清空上一步留下的梯度
            loss = loss_fn(model(xb), yb)  # 2. 前向传播并计算损失
            loss.backward()                # 3. 反向传播，求梯度
            optimizer.step()               # 4. 沿负梯度方向更新参数
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _check_inputs(model, x, y, optimizer, epochs, batch_size) -> None:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model 必须是 nn.Module（例如 nn.Linear(1, 1)），收到的是 {type(model).__name__}。")
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            "optimizer 必须是 torch.optim 中的优化器，例如 torch.optim.SGD(model.parameters(), lr=0.01)；"
            f"收到的是 {type(optimizer).__name__}。"
        )
    if not isinstance(x, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise TypeError("x 和 y 都必须是张量：可以用 torch.tensor(...) 转换。")
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(
            f"x 和 y 的第一维是样本数，必须相同：x 的形状是 {tuple(x.shape)}，y 的形状是 {tuple(y.shape)}。"
        )
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs（迭代周期数）必须是正整数，收到的是 {epochs!r}。")
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise ValueError(f"batch_size 必须是正整数或 None（None 表示每步用全部样本），收到的是 {batch_size!r}。")


def fit(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    loss_fn: LossFn,
    optimizer: torch.optim.Optimizer,
    epochs: int,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int = 0,
    device: torch.device | str | None = None,
) -> list[float]:
    """训练 ``model``，返回每个迭代周期的平均损失（Python 浮点数列表）。

    - ``batch_size=None``：每一步使用全部样本（批量梯度下降）；
    - ``batch_size=k``：每一步用 ``k`` 个样本（小批量随机梯度下降），``shuffle`` 决定是否每个周期打乱顺序，
      打乱顺序由 ``seed`` 控制，可以复现；
    - ``device``：在哪个设备上训练；不传时使用模型参数所在的设备。
    """
    _check_inputs(model, x, y, optimizer, epochs, batch_size)
    if device is None:
        first = next(model.parameters(), None)
        device = first.device if first is not None else torch.device("cpu")
    model.to(device)
    x, y = x.to(device), y.to(device)
    n = len(x)
    step = n if batch_size is None else batch_size
    order_gen = torch.Generator().manual_seed(seed)

    history: list[float] = []
    model.train()
    for _ in range(epochs):
        order = torch.randperm(n, generator=order_gen) if shuffle and step < n else torch.arange(n)
        total = 0.0
        for start in range(0, n, step):
            idx = order[start : start + step].to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        history.append(total / n)
    return history


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """分类准确率（0 到 1 之间）。

    - 模型输出一列（形状 ``(n, 1)`` 或 ``(n,)``）时，把它当作 logit，大于 0 判为类别 1；
    - 输出多列时，取最大的那一列作为预测类别。
    """
    device = next(model.parameters()).device
    out = model(x.to(device)).cpu()
    target = y.cpu().reshape(-1)
    if out.ndim == 1 or out.shape[1] == 1:
        pred = (out.reshape(-1) > 0).to(target.dtype)
    else:
        pred = out.argmax(dim=1).to(target.dtype)
    if len(pred) != len(target):
        raise ValueError(f"预测有 {len(pred)} 个，标签有 {len(target)} 个：x 和 y 的样本数必须相同。")
    return (pred == target).float().mean().item()
