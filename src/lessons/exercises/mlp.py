"""第 6 课“多层感知机”的练习检查器。

- :func:`check_1`：手算一个多层感知机的参数个数；
- :func:`check_2`：用 ``nn.Sequential`` 搭出指定形状的多层感知机；
- :func:`check_3`：写一个函数，在两个半月形数据上训练多层感知机，测试准确率至少 95%。
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from ..checking import Feedback, error_summary, failed, not_answered, passed
from ..data import two_moons

# ---------------------------------------------------------------- 练习 1

#: 练习 1 的网络各层的宽度：3 → 16 → 8 → 1。
EX1_SIZES = (3, 16, 8, 1)


def count_parameters(sizes: tuple[int, ...]) -> int:
    """按公式数参数：每个 ``nn.Linear(n_in, n_out)`` 有 ``n_in * n_out`` 个权重和 ``n_out`` 个偏置。"""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def check_1(answer: Any) -> Feedback:
    """练习 1：网络 3 → 16 → 8 → 1（层间用 ReLU）一共有多少个参数（一个整数）。"""
    if answer is None:
        return not_answered()
    if isinstance(answer, torch.Tensor):
        if answer.numel() != 1:
            return failed(f"答案应该是一个整数，现在是形状为 {tuple(answer.shape)} 的张量。")
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return failed(f"答案应该是一个整数，现在是 {type(answer).__name__}。")
    if not math.isfinite(answer) or answer != int(answer):
        return failed("参数的个数一定是整数：检查是不是在哪里做了除法。")
    value = int(answer)
    expected = count_parameters(EX1_SIZES)
    pairs = list(zip(EX1_SIZES[:-1], EX1_SIZES[1:]))
    weights_only = sum(a * b for a, b in pairs)
    biases_only = sum(b for _, b in pairs)
    if value == expected:
        return passed(f"一共 {expected} 个参数：(3×16+16) + (16×8+8) + (8×1+1) = 64 + 136 + 9。ReLU 没有参数。")
    if value == weights_only:
        return failed(f"{weights_only} 只是权重的个数：每个 nn.Linear 还有偏置，个数等于它的输出个数。")
    if value == biases_only:
        return failed(f"{biases_only} 只是偏置的个数：还要加上权重，nn.Linear(n_in, n_out) 有 n_in × n_out 个权重。")
    if value == count_parameters(EX1_SIZES[:-1]):
        return failed("少算了最后一层 nn.Linear(8, 1)：输出层也有权重和偏置。")
    return failed(
        f"{value} 不对。每个 nn.Linear(n_in, n_out) 有 n_in × n_out 个权重和 n_out 个偏置，"
        "把三层的数加起来；ReLU 没有参数。"
    )


# ---------------------------------------------------------------- 练习 2

#: 练习 2 要求的全连接层形状（输入个数, 输出个数）。
EX2_SHAPES = ((4, 10), (10, 10), (10, 3))


def check_2(answer: Any) -> Feedback:
    """练习 2：``nn.Sequential``，4 个输入 → 10 → 10 → 3 个输出，两个隐藏层之后各有一个 ``nn.ReLU()``。"""
    if answer is None:
        return not_answered()
    if not isinstance(answer, nn.Module):
        return failed(f"答案应该是一个模型（nn.Module），例如 nn.Sequential(...)；现在是 {type(answer).__name__}。")
    if not isinstance(answer, nn.Sequential):
        return failed("题目要求用 nn.Sequential 搭建：把各层按顺序写进 nn.Sequential(...)。")
    layers = list(answer)
    linears = [m for m in layers if isinstance(m, nn.Linear)]
    if len(linears) != len(EX2_SHAPES):
        return failed(f"应该有 3 个全连接层（nn.Linear），现在有 {len(linears)} 个。")
    for i, (layer, (n_in, n_out)) in enumerate(zip(linears, EX2_SHAPES), start=1):
        got = (layer.in_features, layer.out_features)
        if got == (n_out, n_in) and n_in != n_out:
            return failed(
                f"第 {i} 个全连接层写成了 nn.Linear{got}，输入和输出的个数反了："
                f"nn.Linear 的参数顺序是（输入个数, 输出个数），应为 nn.Linear({n_in}, {n_out})。"
            )
        if got != (n_in, n_out):
            return failed(f"第 {i} 个全连接层应为 nn.Linear({n_in}, {n_out})，现在是 nn.Linear{got}。")
    relus = [m for m in layers if isinstance(m, nn.ReLU)]
    if not relus:
        return failed("没有激活函数：三个全连接层直接叠在一起，整体仍然只是一个线性映射。在层与层之间加上 nn.ReLU()。")
    if isinstance(layers[-1], nn.ReLU):
        return failed("输出层后面不要加 ReLU：那样输出永远不会是负数。ReLU 只放在两个隐藏层之后。")
    kinds = ["Linear" if isinstance(m, nn.Linear) else "ReLU" if isinstance(m, nn.ReLU) else "其他" for m in layers]
    if kinds != ["Linear", "ReLU", "Linear", "ReLU", "Linear"]:
        return failed(
            "层的顺序应为 Linear、ReLU、Linear、ReLU、Linear，现在是 " + "、".join(kinds) + "。"
        )
    try:
        with torch.no_grad():
            device = next(answer.parameters()).device
            out = answer(torch.zeros(5, 4, device=device))
    except Exception as err:  # 学习者搭的网络可能抛出任何异常，都要变成提示
        return failed(f"把形状为 (5, 4) 的输入交给模型时出错：{error_summary(err)}")
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (5, 3):
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        return failed(f"输入形状为 (5, 4) 时，输出的形状应为 (5, 3)，现在是 {shape}。")
    total = sum(p.numel() for p in answer.parameters())
    return passed(f"形状都对：(5, 4) 的输入得到 (5, 3) 的输出，一共 {total} 个参数。")


# ---------------------------------------------------------------- 练习 3

#: 练习 3 用的数据：训练集 two_moons(**EX3_TRAIN)，测试集 two_moons(**EX3_TEST)。
EX3_TRAIN = {"n": 200, "noise": 0.15, "seed": 2024}
EX3_TEST = {"n": 1000, "noise": 0.15, "seed": 2025}

#: 练习 3 要求的最低测试准确率。
EX3_TARGET = 0.95


def exercise_3_data() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """练习 3 检查时用的数据，返回 ``x_train, y_train, x_test, y_test``（标签是 0/1 的 ``torch.long``）。"""
    x_train, y_train = two_moons(**EX3_TRAIN)
    x_test, y_test = two_moons(**EX3_TEST)
    return x_train, y_train, x_test, y_test


def _outputs(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """模型对 ``x`` 的输出（搬回 CPU）；形状不是 ``(n, 1)``、``(n,)`` 或 ``(n, 2)`` 时报错。"""
    first = next(model.parameters(), None)
    device = first.device if first is not None else torch.device("cpu")
    with torch.no_grad():
        out = model(x.to(device))
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"模型的输出应该是张量，现在是 {type(out).__name__}")
    out = out.detach().to("cpu").float()
    if not (out.ndim in (1, 2) and out.shape[0] == len(x) and (out.ndim == 1 or out.shape[1] in (1, 2))):
        raise ValueError(
            f"输入形状为 {tuple(x.shape)} 时，输出形状应为 ({len(x)}, 1)（一个 logit），现在是 {tuple(out.shape)}"
        )
    return out


def _predictions(out: torch.Tensor) -> torch.Tensor:
    """由模型输出得到预测类别：一列输出按 logit > 0 判为 1，两列输出取较大的一列。"""
    if out.ndim == 1 or out.shape[1] == 1:
        return (out.reshape(-1) > 0).long()
    return out.argmax(dim=1)


def _is_affine(model: nn.Module, x: torch.Tensor) -> bool:
    """粗略判断模型是不是线性（仿射）函数：两点中点处的输出是否总等于两端输出的平均。"""
    half = len(x) // 2
    p, q = x[:half], x[half : 2 * half]
    mid = _outputs(model, (p + q) / 2)
    avg = (_outputs(model, p) + _outputs(model, q)) / 2
    scale = max(1.0, avg.abs().max().item())
    return torch.allclose(mid, avg, atol=1e-4 * scale, rtol=0)


def check_3(train_moons: Callable[[torch.Tensor, torch.Tensor], Any] | None) -> Feedback:
    """练习 3：函数 ``train_moons(x_train, y_train)`` 创建并训练一个多层感知机，返回训练好的模型。

    检查器用一批新的两个半月形数据（200 个点）调用它，再在另外 1000 个点上测试，准确率至少 95% 才算通过。
    """
    if train_moons is None:
        return not_answered()
    if not callable(train_moons):
        return failed(f"答案应该是一个函数（用 def train_moons(x_train, y_train): 定义），现在是 {type(train_moons).__name__}。")
    x_train, y_train, x_test, y_test = exercise_3_data()
    # 固定随机种子，让每次检查的结果相同；检查结束后恢复原来的随机状态
    with torch.random.fork_rng():
        torch.manual_seed(0)
        try:
            model = train_moons(x_train.clone(), y_train.clone())
        except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
            return failed(f"调用 train_moons(x_train, y_train) 时出错：{error_summary(err)}")
    if model is None:
        return not_answered("train_moons 还在返回 None：在函数里创建模型、训练它，最后 return 模型。")
    if not isinstance(model, nn.Module):
        return failed(f"train_moons 应该返回训练好的模型（nn.Module），现在返回的是 {type(model).__name__}。")
    if next(model.parameters(), None) is None:
        return failed("返回的模型没有任何参数：它应该包含 nn.Linear 这样的层。")
    try:
        train_acc = (_predictions(_outputs(model, x_train)) == y_train).float().mean().item()
        test_acc = (_predictions(_outputs(model, x_test)) == y_test).float().mean().item()
        linear = _is_affine(model, x_test)
    except Exception as err:  # 学习者的模型可能抛出任何异常，都要变成提示
        return failed(f"用返回的模型做预测时出错：{error_summary(err)}")
    if linear and test_acc < EX3_TARGET:
        return failed(
            f"测试准确率是 {test_acc:.1%}。返回的模型是线性的，决策边界只能是一条直线，分不开两个半月形："
            "在隐藏层之后加上激活函数（例如 nn.ReLU()）。"
        )
    if train_acc < 0.9:
        return failed(
            f"训练集上的准确率只有 {train_acc:.1%}，模型还没有学会这批数据：确认在函数里真的训练了模型"
            "（例如调用 lessons.training.fit），标签要变成形状 (n, 1) 的浮点数才能交给 nn.BCEWithLogitsLoss，"
            "也可以增加迭代周期或加宽隐藏层。"
        )
    if test_acc < EX3_TARGET:
        return failed(
            f"测试准确率是 {test_acc:.1%}，还没达到 {EX3_TARGET:.0%}（训练准确率 {train_acc:.1%}）："
            "试试加宽隐藏层、增加迭代周期，或确认隐藏层之间有激活函数。"
        )
    return passed(f"在没见过的 1000 个点上，测试准确率为 {test_acc:.1%}（训练准确率 {train_acc:.1%}）。")
