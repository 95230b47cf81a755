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

import math
import numbers
from collections.abc import Callable

import torch
from torch import nn
from torch.nn import functional as F

from . import _validate
from .env import _parse_device

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]

#: 逐元素比较预测与目标的损失函数：两者的形状必须完全相同，否则会被悄悄广播。
_ELEMENTWISE_LOSSES = (nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss, nn.HuberLoss, nn.BCELoss, nn.BCEWithLogitsLoss)
_ELEMENTWISE_FUNCTIONS = (F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.huber_loss, F.binary_cross_entropy,
                          F.binary_cross_entropy_with_logits)


def _first_float_dtype(model: nn.Module) -> torch.dtype | None:
    for p in model.parameters():
        if p.dtype.is_floating_point:
            return p.dtype
    return None


def _check_model_and_x(model: nn.Module, x: torch.Tensor) -> None:
    """model 是 nn.Module；x 是非空、有限的浮点数张量，且与模型参数的数据类型相同。"""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model 必须是 nn.Module（例如 nn.Linear(1, 1)），收到的是 {type(model).__name__}。")
    _validate.tensor(x, "x", floating=True)
    wanted = _first_float_dtype(model)
    if wanted is not None and x.dtype != wanted:
        raise TypeError(
            f"x 的数据类型是 {x.dtype}，而模型参数是 {wanted}：两者必须相同。"
            f"用 x.to({wanted}) 转换 x（课程里通常用 x.float()），或者用 model.to(x.dtype) 转换模型。"
        )


def _check_inputs(model, x, y, loss_fn, optimizer, epochs, batch_size, shuffle, seed) -> None:
    _check_model_and_x(model, x)
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            "optimizer 必须是 torch.optim 中的优化器，例如 torch.optim.SGD(model.parameters(), lr=0.01)；"
            f"收到的是 {type(optimizer).__name__}。"
        )
    _validate.tensor(y, "y")
    if len(x) != len(y):
        raise ValueError(
            f"x 和 y 的第一维是样本数，必须相同：x 的形状是 {tuple(x.shape)}，y 的形状是 {tuple(y.shape)}。"
        )
    _validate.function(loss_fn, "loss_fn", "nn.MSELoss()")
    model_params = {id(p) for p in model.parameters()}
    trained = [p for group in optimizer.param_groups for p in group["params"]]
    if not any(id(p) in model_params for p in trained):
        raise ValueError(
            "optimizer 管理的参数都不属于 model，训练不会改变这个模型：请用这个模型的参数新建优化器，"
            "例如 torch.optim.SGD(model.parameters(), lr=0.01)（重新创建模型之后，优化器也要重新创建）。"
        )
    for group in optimizer.param_groups:
        lr = group.get("lr")
        if lr is not None:
            _validate.real(lr, "optimizer 的学习率 lr", low=0)
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral):
        raise TypeError(f"epochs（迭代周期数）必须是正整数，例如 epochs=100；收到的是 {_validate.describe(epochs)}。")
    if epochs < 1:
        raise ValueError(f"epochs（迭代周期数）必须是正整数，收到的是 {epochs!r}：至少训练 1 个迭代周期。")
    if batch_size is not None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
            raise TypeError(
                f"batch_size 必须是正整数或 None（None 表示每步用全部样本），收到的是 {_validate.describe(batch_size)}。"
            )
        if batch_size < 1:
            raise ValueError(f"batch_size 必须是正整数或 None（None 表示每步用全部样本），收到的是 {batch_size!r}。")
    _validate.flag(shuffle, "shuffle")
    _validate.seed(seed)


def _reshape_hint(shape: tuple[int, ...], as_float: bool) -> str:
    dims = ", ".join(["-1", *map(str, shape[1:])])
    return ("y.float()" if as_float else "y") + f".reshape({dims})"


def _check_prediction(pred, y: torch.Tensor, n: int, loss_fn) -> None:
    """第一批数据的预测与目标是否匹配：形状不同的预测和目标在计算损失时会被悄悄广播。"""
    if not isinstance(pred, torch.Tensor):
        raise TypeError(f"model(x) 必须返回一个张量，现在返回的是 {type(pred).__name__}：请检查模型的 forward。")
    if isinstance(loss_fn, (nn.CrossEntropyLoss, nn.NLLLoss)) or loss_fn in (F.cross_entropy, F.nll_loss):
        if pred.ndim < 2 or pred.shape[1] < 2:
            raise ValueError(
                f"loss_fn 是交叉熵，它要求模型为每个类别输出一列（至少 2 列），现在模型输出的形状是 {(n, *pred.shape[1:])}："
                "二分类可以改用 nn.BCEWithLogitsLoss()，或者把最后一层改成 nn.Linear(…, 2)。"
            )
        return
    elementwise = isinstance(loss_fn, _ELEMENTWISE_LOSSES) or loss_fn in _ELEMENTWISE_FUNCTIONS
    need_float = elementwise and not y.dtype.is_floating_point
    full_pred, full_y = (n, *pred.shape[1:]), (n, *y.shape[1:])
    if pred.shape == y.shape:
        if need_float:
            raise TypeError(f"loss_fn（{type(loss_fn).__name__}）要求 y 是浮点数，现在是 {y.dtype}：用 y.float() 转换。")
        return
    # 把样本数换成 2 来判断：广播后的元素比两者都多，说明预测和别的样本的目标配成了对
    two_pred, two_y = (2, *pred.shape[1:]), (2, *y.shape[1:])
    try:
        spread = math.prod(torch.broadcast_shapes(two_pred, two_y)) > max(math.prod(two_pred), math.prod(two_y))
    except RuntimeError:
        spread = False
    if spread or elementwise:
        if math.prod(pred.shape[1:]) == math.prod(y.shape[1:]):  # 每个样本的元素个数相同，只是排列不同
            fix = f"请把 y 变成与模型输出相同的形状，例如 {_reshape_hint(full_pred, need_float)}。"
        else:
            fix = "每个样本的预测个数与目标个数也不同：请检查模型最后一层的输出个数和 y 的列数。"
        raise ValueError(
            f"模型输出的形状是 {full_pred}，而 y 的形状是 {full_y}：形状不同，"
            f"计算损失时会被广播，得到的损失是错的（第 4 课演示过这个错误）。{fix}"
        )


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
    - ``batch_size=k``：每一步用 ``k`` 个样本（小批量随机梯度下降）；样本数不是 ``k`` 的整数倍时，
      每个迭代周期的最后一个小批量少于 ``k`` 个样本。``shuffle`` 决定是否每个迭代周期打乱顺序，
      打乱顺序由 ``seed`` 控制，可以复现；
    - ``device``：在哪个设备上训练；不传时使用模型参数所在的设备。
    """
    _check_inputs(model, x, y, loss_fn, optimizer, epochs, batch_size, shuffle, seed)
    # 经过上面的检查，模型至少有一个参数（优化器管理的参数属于它）
    device = next(model.parameters()).device if device is None else _parse_device(device, "device")
    model.to(device)
    x, y = x.to(device), y.to(device)
    n = len(x)
    step = n if batch_size is None else int(batch_size)
    order_gen = torch.Generator().manual_seed(int(seed))

    history: list[float] = []
    model.train()
    for epoch in range(int(epochs)):
        order = torch.randperm(n, generator=order_gen) if shuffle and step < n else torch.arange(n)
        total = 0.0
        for start in range(0, n, step):
            idx = order[start : start + step].to(device)
            optimizer.zero_grad()
            pred = _validate.call(model, (x[idx],), "model(x)", "请检查 x 的形状是否与模型的输入层匹配。")
            if epoch == 0 and start == 0:
                _check_prediction(pred, y[idx], n, loss_fn)
            loss = _validate.call(loss_fn, (pred, y[idx]), "loss_fn(model(x), y)", "请检查 y 的形状和数据类型是否符合这个损失函数的要求。")
            if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
                raise ValueError(
                    f"loss_fn 必须返回只有一个元素的损失张量，现在返回的是 {_validate.describe(loss)}："
                    "使用 nn.MSELoss() 这样的默认设置（reduction='mean'），不要用 reduction='none'。"
                )
            _validate.call(loss.backward, (), "loss.backward()", "确认模型参数的 requires_grad 为 True、损失由模型的输出算出，并且 y 的数据类型与模型输出相同。")
            optimizer.step()
            total += loss.item() * len(idx)
        history.append(total / n)
    return history


def predicted_classes(out: torch.Tensor) -> torch.Tensor:
    """把分类模型的输出变成预测的类别（形状 ``(n,)`` 的整数张量）。

    - 输出一列（形状 ``(n, 1)`` 或 ``(n,)``）时，把它当作类别 1 的对数几率，大于 0 判为类别 1；
    - 输出多列（形状 ``(n, C)``）时，取最大的那一列作为预测类别。
    """
    _validate.tensor(out, "out（模型输出）", floating=True, finite=False)
    if out.ndim > 2:
        raise ValueError(
            f"out（模型输出）的形状必须是 (n,)、(n, 1) 或 (n, 类别数)，现在是 {tuple(out.shape)}：请检查模型的最后一层。"
        )
    if out.ndim == 2 and out.shape[1] == 0:
        raise ValueError(
            f"out（模型输出）的第二维是 0（形状 {tuple(out.shape)}）：模型没有输出任何类别。"
            "请检查模型最后一层的输出个数，例如 nn.Linear(16, 1) 输出一个对数几率，nn.Linear(16, 10) 输出 10 个类别。"
        )
    if not torch.isfinite(out).all():
        raise ValueError("out（模型输出）含有 nan 或 inf：训练可能发散了，请减小学习率后重新训练。")
    if out.ndim == 1 or out.shape[1] == 1:
        return (out.reshape(-1) > 0).long()
    return out.argmax(dim=1)


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """分类准确率（0 到 1 之间）。

    - 模型输出一列（形状 ``(n, 1)`` 或 ``(n,)``）时，把它当作对数几率，大于 0 判为类别 1；
    - 输出多列时，取最大的那一列作为预测类别；
    - ``y`` 是类别编号，形状 ``(n,)`` 或 ``(n, 1)``，整数或取整数值的浮点数；
    - 计算时模型临时处于评估模式（``model.eval()``），算完恢复原来的模式；
    - 输出一列、且这一列直接来自模型中的 ``nn.Sigmoid`` 时（例如 ``nn.Sequential(..., nn.Sigmoid())``），
      输出的是概率而不是对数几率，按 0 分界的结果不对，抛出 ``ValueError``。在 ``forward`` 里调用
      ``torch.sigmoid`` 的模型发现不了，要自己注意。
    """
    _check_model_and_x(model, x)
    if isinstance(y, torch.Tensor) and y.dtype == torch.bool:
        y = y.long()
    _validate.tensor(y, "y")
    if len(x) != len(y):
        raise ValueError(f"x 有 {len(x)} 个样本，y 有 {len(y)} 个：x 和 y 的样本数必须相同。")
    if not (y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1)):
        raise ValueError(
            f"y 必须是类别编号，形状为 ({len(y)},) 或 ({len(y)}, 1)，现在是 {tuple(y.shape)}："
            "如果 y 是独热编码，用 y.argmax(dim=1) 变成类别编号。"
        )
    target = y.detach().cpu().reshape(-1)
    if target.dtype.is_floating_point and not torch.equal(target, target.round()):
        raise ValueError("y 必须是类别编号（0、1、2 ……），现在含有非整数的值：请检查标签是否被归一化或加了噪声。")
    target = target.long()
    first = next(model.parameters(), None)
    device = first.device if first is not None else torch.device("cpu")
    sigmoid_output: list[torch.Tensor] = []  # 前向传播中最后一次调用的 nn.Sigmoid 的输出

    def remember(_module: nn.Module, _inputs: tuple, output: torch.Tensor) -> None:
        sigmoid_output[:] = [output]

    hooks = [m.register_forward_hook(remember) for m in model.modules() if isinstance(m, nn.Sigmoid)]
    was_training = model.training
    model.eval()
    try:
        out = _validate.call(model, (x.to(device),), "model(x)", "请检查 x 的形状是否与模型的输入层匹配。")
    finally:
        model.train(was_training)
        for hook in hooks:
            hook.remove()
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"model(x) 必须返回一个张量，现在返回的是 {type(out).__name__}：请检查模型的 forward。")
    one_column = out.ndim == 1 or (out.ndim == 2 and out.shape[1] == 1)
    if one_column and sigmoid_output and out is sigmoid_output[0]:
        raise ValueError(
            "模型最后一层是 Sigmoid，输出的是概率而不是对数几率：accuracy 按“大于 0 判为类别 1”计算，结果不对；"
            "去掉最后的 Sigmoid（配合 nn.BCEWithLogitsLoss），或自己用 (out > 0.5) 计算。"
        )
    out = out.detach().cpu()
    pred = predicted_classes(out)
    if len(pred) != len(target):
        raise ValueError(f"模型给出了 {len(pred)} 个预测，y 有 {len(target)} 个标签：请检查模型是否改变了样本数。")
    classes = 2 if out.ndim == 1 or out.shape[1] == 1 else out.shape[1]
    if target.min() < 0 or target.max() >= classes:
        raise ValueError(
            f"y 的取值必须在 0 到 {classes - 1} 之间（模型输出对应 {classes} 个类别），"
            f"收到的最小值是 {target.min().item()}，最大值是 {target.max().item()}：请检查标签的编码。"
        )
    return (pred == target).float().mean().item()
