"""第 6 课“多层感知机”的练习检查器。

- :func:`check_1`：手算一个多层感知机的参数个数；
- :func:`check_2`：用 ``nn.Sequential`` 搭出指定形状的多层感知机；
- :func:`check_3`：写一个函数，在两个半月形数据上训练多层感知机，测试准确率至少 95%。

检查器接受答案的各种等价写法（Python 整数、NumPy 标量、只含一个数的数组、张量或列表；
任何浮点数据类型的模型；任何激活函数；嵌套的 ``nn.Sequential``），
对任何输入都只返回中文反馈，不会抛出异常。
"""

from __future__ import annotations

import contextlib
import numbers
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch
from torch import nn

from ..checking import (
    Feedback,
    as_number,
    as_tensor,
    error_summary,
    failed,
    never_raises,
    not_answered,
    passed,
)
from ..data import two_moons


def _type_name(value: Any) -> str:
    """答案的类型名，用在提示里。"""
    return type(value).__name__


@contextlib.contextmanager
def _evaluation_mode(model: nn.Module) -> Iterator[None]:
    """临时把模型的每一层设为评估模式（``Dropout`` 等层不再随机），结束后恢复每一层原来的模式。"""
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for m, training in modes:
            m.training = training


# ---------------------------------------------------------------- 练习 1

#: 练习 1 的网络各层的宽度：3 → 16 → 8 → 1。
EX1_SIZES = (3, 16, 8, 1)


def count_parameters(sizes: tuple[int, ...]) -> int:
    """按公式数参数：每个 ``nn.Linear(n_in, n_out)`` 有 ``n_in * n_out`` 个权重和 ``n_out`` 个偏置。"""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def _one_number(answer: Any) -> float | int | str:
    """把答案变成一个数；做不到时返回说明问题的中文句子（字符串）。"""
    if isinstance(answer, str):
        return f"答案是字符串 {answer[:20]!r}：去掉引号，写成一个整数，例如 answer = 100。"
    if isinstance(answer, (bool, np.bool_)):
        return f"答案是布尔值 {bool(answer)}，不是整数：写出参数的个数，例如 answer = 100。"
    if isinstance(answer, numbers.Integral) and not isinstance(answer, bool):
        return int(answer)  # Python 整数和 NumPy 整数，多大都可以
    number = as_number(answer)
    if number is not None:
        return number
    if isinstance(answer, (list, tuple)):
        tensor = as_tensor(answer)
        if tensor is not None and tensor.numel() == 1 and tensor.dtype != torch.bool:
            return tensor.reshape(()).item()
    if isinstance(answer, (list, tuple)):
        return f"答案应该是一个整数，现在是含 {len(answer)} 个元素的 {_type_name(answer)}。"
    if isinstance(answer, torch.Tensor) and answer.numel() != 1:
        return f"答案应该是一个整数，现在是形状为 {tuple(answer.shape)} 的张量。"
    shape = getattr(answer, "shape", None)
    if shape is not None and not isinstance(answer, torch.Tensor):
        return f"答案应该是一个整数，现在是形状为 {tuple(shape)} 的 {_type_name(answer)}。"
    return f"答案应该是一个整数，现在是 {_type_name(answer)}。"


@never_raises
def check_1(answer: Any) -> Feedback:
    """练习 1：网络 3 → 16 → 8 → 1（层间用 ReLU）一共有多少个参数（一个整数）。"""
    if answer is None:
        return not_answered()
    value = _one_number(answer)
    if isinstance(value, str):
        return failed(value)
    if value != value or value in (float("inf"), float("-inf")):
        return failed(f"答案是 {value}，不是一个有限的数：参数的个数是一个普通的整数。")
    if value != int(value):
        return failed("参数的个数一定是整数：检查是不是在哪里做了除法。")
    value = int(value)
    if abs(value) > 10**9:
        return failed(f"答案 {str(value)[:12]}… 大得离谱：这个小网络的参数不过几百个，重新按公式算一遍。")
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
    if value == weights_only + sum(a for a, _ in pairs):
        return failed("偏置的个数等于每层的输出个数，不是输入个数：nn.Linear(n_in, n_out) 有 n_out 个偏置。")
    return failed(
        f"{value} 不对。每个 nn.Linear(n_in, n_out) 有 n_in × n_out 个权重和 n_out 个偏置，"
        "把三层的数加起来；ReLU 没有参数。"
    )


# ---------------------------------------------------------------- 练习 2

#: 练习 2 要求的全连接层形状（输入个数, 输出个数）。
EX2_SHAPES = ((4, 10), (10, 10), (10, 3))

#: 不改变数值、也没有参数的层：出现在网络里不算错，也不算激活函数。
_NEUTRAL = (nn.Identity, nn.Dropout, nn.AlphaDropout, nn.Flatten)


def _leaves(model: nn.Module) -> list[nn.Module]:
    """把（可以嵌套的）``nn.Sequential`` 展开成按计算顺序排列的各层。"""
    if isinstance(model, nn.Sequential):
        layers: list[nn.Module] = []
        for child in model:
            layers += _leaves(child)
        return layers
    return [model]


def _is_nonlinear(layer: nn.Module, width: int, dtype: torch.dtype, device: torch.device) -> bool:
    """数值地判断一层是不是非线性的：两点中点处的输出是否等于两端输出的平均。

    在评估模式下比较（``Dropout`` 这类层在评估模式下是恒等映射），比较完恢复原来的模式。
    无法判断（例如这一层对这个宽度的输入报错）时返回 ``False``。
    """
    generator = torch.Generator().manual_seed(0)
    a = 3 * torch.randn(64, width, generator=generator)
    b = 3 * torch.randn(64, width, generator=generator)
    was_training = layer.training
    try:
        layer.eval()
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 例如 nn.Softmax() 不写 dim 时的提醒
            outs = [layer(v.to(device=device, dtype=dtype)) for v in (a, b, (a + b) / 2)]
    except Exception:  # 学习者的层可能对这种输入报错，这里只是判断，不算失败
        return False
    finally:
        layer.train(was_training)
    if not all(isinstance(o, torch.Tensor) and o.shape == outs[0].shape for o in outs):
        return False
    fa, fb, fm = (o.detach().to("cpu", torch.float64) for o in outs)
    scale = max(1.0, fa.abs().max().item(), fb.abs().max().item())
    return not torch.allclose(fm, (fa + fb) / 2, atol=1e-3 * scale, rtol=0)


def _kind(layer: nn.Module, width: int, dtype: torch.dtype, device: torch.device) -> str:
    """一层（非全连接层）在练习 2 里算什么：``"activation"``、``"neutral"`` 或 ``"extra"``。

    - PyTorch 自带的激活函数层（``torch.nn.modules.activation`` 里的类，包括带参数的 ``nn.PReLU``）
      和没有参数的自定义层，数值上是非线性的就算激活函数，否则（如 ``nn.LeakyReLU(1.0)``）不起作用；
    - 其余带参数的层（如 ``nn.BatchNorm1d``、``nn.LayerNorm``）是题目没有要求的层。
    """
    if isinstance(layer, _NEUTRAL):
        return "neutral"
    builtin_activation = type(layer).__module__ == "torch.nn.modules.activation" and not isinstance(
        layer, nn.MultiheadAttention
    )
    has_parameters = any(True for _ in layer.parameters())
    if has_parameters and not builtin_activation:
        return "extra"
    return "activation" if _is_nonlinear(layer, width, dtype, device) else "neutral"


def _layer_names(layers: list[nn.Module]) -> str:
    return "、".join(_type_name(m) for m in layers)


def _float_dtype(model: nn.Module) -> tuple[torch.dtype, torch.device]:
    """模型第一个浮点参数的数据类型和设备；没有时用 float32、CPU。"""
    for p in model.parameters():
        if p.dtype.is_floating_point:
            return p.dtype, p.device
    return torch.float32, torch.device("cpu")


def _not_a_model_hint(answer: Any) -> str:
    if isinstance(answer, type) and issubclass(answer, nn.Module):
        name = ("nn." if answer.__module__.startswith("torch.nn") else "") + answer.__name__
        return f"答案是类 {name} 本身，还没有创建对象：要写成 {name}(...)，在括号里按顺序写出各层。"
    if isinstance(answer, (list, tuple)) and any(isinstance(m, nn.Module) for m in answer):
        return "答案是由各层组成的列表，还不是模型：用 nn.Sequential(*layers) 把它们串起来。"
    return f"答案应该是一个模型（nn.Module），例如 nn.Sequential(...)；现在是 {_type_name(answer)}。"


@never_raises
def check_2(answer: Any) -> Feedback:
    """练习 2：``nn.Sequential``，4 个输入 → 10 → 10 → 3 个输出，两个隐藏层之后各有一个激活函数。

    激活函数可以是任何非线性的层（``nn.ReLU``、``nn.Tanh``、``nn.LeakyReLU`` ……），
    ``nn.Sequential`` 可以嵌套，模型可以是任何浮点数据类型（例如 ``.double()``）。
    """
    if answer is None:
        return not_answered()
    if not isinstance(answer, nn.Module):
        return failed(_not_a_model_hint(answer))
    if not isinstance(answer, nn.Sequential):
        return failed("题目要求用 nn.Sequential 搭建：把各层按顺序写进 nn.Sequential(...)。")
    layers = _leaves(answer)
    dtype, device = _float_dtype(answer)
    linears = [i for i, m in enumerate(layers) if isinstance(m, nn.Linear)]
    if len(linears) != len(EX2_SHAPES):
        return failed(f"应该有 3 个全连接层（nn.Linear），现在有 {len(linears)} 个。")
    for k, (i, (n_in, n_out)) in enumerate(zip(linears, EX2_SHAPES), start=1):
        got = (layers[i].in_features, layers[i].out_features)
        if got == (n_out, n_in) and n_in != n_out:
            return failed(
                f"第 {k} 个全连接层写成了 nn.Linear{got}，输入和输出的个数反了："
                f"nn.Linear 的参数顺序是（输入个数, 输出个数），应为 nn.Linear({n_in}, {n_out})。"
            )
        if got != (n_in, n_out):
            return failed(f"第 {k} 个全连接层应为 nn.Linear({n_in}, {n_out})，现在是 nn.Linear{got}。")
    # 把其余各层按位置分组：第一个全连接层之前、两个全连接层之间、最后一个全连接层之后
    bounds = [-1, *linears, len(layers)]
    groups = [layers[bounds[g] + 1 : bounds[g + 1]] for g in range(len(bounds) - 1)]
    widths = [EX2_SHAPES[0][0], *(n_out for _, n_out in EX2_SHAPES)]
    kinds = [[_kind(m, width, dtype, device) for m in group] for group, width in zip(groups, widths)]
    extra = [m for group, group_kinds in zip(groups, kinds) for m, kind in zip(group, group_kinds) if kind == "extra"]
    if extra:
        return failed(
            f"题目要求的网络只有全连接层和激活函数，多了带参数的层 {_layer_names(extra)}：把它们去掉。"
        )
    nonlinear = [
        [m for m, kind in zip(group, group_kinds) if kind == "activation"] for group, group_kinds in zip(groups, kinds)
    ]
    if not nonlinear[1] and not nonlinear[2]:
        return failed(
            "没有激活函数：三个全连接层直接叠在一起，整体仍然只是一个线性映射。"
            "在每个隐藏层之后加上激活函数，例如 nn.ReLU()。"
        )
    for hidden in (1, 2):
        if not nonlinear[hidden]:
            return failed(
                f"第 {hidden} 个隐藏层之后（第 {hidden} 个和第 {hidden + 1} 个 nn.Linear 之间）没有激活函数："
                "题目要求两个隐藏层之后各接一个激活函数，例如 nn.ReLU()。"
            )
    if nonlinear[0]:
        return failed(
            f"第一个 nn.Linear 之前多了 {_layer_names(nonlinear[0])}：激活函数作用在隐藏层的加权和上，"
            "输入不需要先经过激活函数。"
        )
    if nonlinear[3]:
        return failed(
            f"输出层后面不要加激活函数（现在有 {_layer_names(nonlinear[3])}）：例如加了 ReLU，输出就永远不会是负数。"
            "激活函数只放在两个隐藏层之后。"
        )
    try:
        with torch.no_grad(), warnings.catch_warnings(), _evaluation_mode(answer):
            warnings.simplefilter("ignore")  # 检查器的输出里只放中文反馈
            out = answer(torch.zeros(5, 4, dtype=dtype, device=device))
    except Exception as err:  # 学习者搭的网络可能抛出任何异常，都要变成提示
        return failed(f"把形状为 (5, 4) 的输入交给模型时出错：{error_summary(err)}")
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (5, 3):
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else _type_name(out)
        return failed(f"输入形状为 (5, 4) 时，输出的形状应为 (5, 3)，现在是 {shape}。")
    total = sum(p.numel() for p in answer.parameters())
    activations = "、".join(dict.fromkeys(_type_name(m) for group in nonlinear for m in group))
    note = "" if all(layers[i].bias is not None for i in linears) else "（有的全连接层没有偏置，所以参数少一些）"
    return passed(f"形状都对：(5, 4) 的输入得到 (5, 3) 的输出，激活函数是 {activations}，一共 {total} 个参数{note}。")


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
    """模型在评估模式下对 ``x`` 的输出（搬回 CPU，转成 float64）。

    形状不是 ``(n, 1)``、``(n,)`` 或 ``(n, 2)`` 时报错。
    """
    dtype, device = _float_dtype(model)
    with torch.no_grad(), _evaluation_mode(model):
        out = model(x.to(device=device, dtype=dtype))
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"模型的输出应该是张量，现在是 {_type_name(out)}")
    out = out.detach().to("cpu", torch.float64)
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


def _accuracy(out: torch.Tensor, y: torch.Tensor) -> float:
    return (_predictions(out) == y).double().mean().item()


def _is_affine(model: nn.Module, x: torch.Tensor) -> bool:
    """粗略判断模型是不是线性（仿射）函数：两点中点处的输出是否总等于两端输出的平均。"""
    half = len(x) // 2
    p, q = x[:half], x[half : 2 * half]
    mid = _outputs(model, (p + q) / 2)
    avg = (_outputs(model, p) + _outputs(model, q)) / 2
    scale = max(1.0, avg.abs().max().item())
    return torch.allclose(mid, avg, atol=1e-4 * scale, rtol=0)


def _ends_with_sigmoid(model: nn.Module) -> bool:
    layers = _leaves(model)
    return bool(layers) and isinstance(layers[-1], nn.Sigmoid)


#: 常见报错（PyTorch 的英文第一行里的片段）→ 中文解释。
_KNOWN_ERRORS = (
    (
        ("must be the same as input size",),
        "nn.BCEWithLogitsLoss 要求目标与模型输出的形状相同：模型输出是 (n, 1)，而 y_train 是 (n,)。"
        "用 y_train.float().unsqueeze(1)（或 y_train.float().reshape(-1, 1)）把标签变成 (n, 1) 的浮点数。",
    ),
    (
        ("can't be cast to the desired output type Long", "Found dtype Long but expected Float"),
        "二元交叉熵的目标必须是浮点数，而 y_train 是整数（torch.int64）：先用 y_train.float() 转换，"
        "再 unsqueeze(1) 变成与模型输出相同的形状 (n, 1)。",
    ),
    (
        ("expected scalar type", "Found dtype"),
        "损失函数要求的目标数据类型与传入的不同：nn.BCEWithLogitsLoss 的目标是浮点数（y_train.float()），"
        "nn.CrossEntropyLoss 的目标是整数类别（torch.long）。",
    ),
    (
        ("shapes cannot be multiplied",),
        "某个 nn.Linear 的输入个数与前一层的输出个数对不上：第一层应为 nn.Linear(2, ...)（每个点有两个坐标），"
        "之后每层的输入个数等于前一层的输出个数。",
    ),
    (
        ("same dtype",),
        "数据类型不一致：模型参数和输入的数据类型必须相同，例如都用 torch.float32。",
    ),
    (
        ("positional argument",),
        "train_moons 应该正好接受两个参数：def train_moons(x_train, y_train):。",
    ),
)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _explain(err: Exception) -> str:
    """把学习者代码里的异常变成中文说明；已知的常见错误给出具体改法，其余附上原始报错的第一行。"""
    summary = error_summary(err)
    for fragments, hint in _KNOWN_ERRORS:
        if any(fragment in summary for fragment in fragments):
            return f"{hint}（原始报错：{summary}）"
    if _CJK.search(summary):  # 课程辅助包给出的中文报错已经说明了改法
        return summary
    return f"{summary.rstrip('。.')}。请按这条报错检查对应的代码。"


def _size_warning(caught: list[warnings.WarningMessage]) -> str:
    """训练时出现“目标形状与输出不同”的警告，说明损失被广播了。"""
    for w in caught:
        if "target size" in str(w.message).lower():
            return (
                "另外，训练时 PyTorch 警告目标的形状与模型输出不同：损失被广播了，算出来的不是你想要的损失。"
                "把标签变成与输出相同的形状 (n, 1)。"
            )
    return ""


@never_raises
def check_3(train_moons: Callable[[torch.Tensor, torch.Tensor], Any] | None) -> Feedback:
    """练习 3：函数 ``train_moons(x_train, y_train)`` 创建并训练一个多层感知机，返回训练好的模型。

    检查器用一批新的两个半月形数据（200 个点）调用它，再在另外 1000 个点上测试，准确率至少 95% 才算通过。
    模型对每个点输出一个 logit（大于 0 判为类别 1）；输出两列、取较大一列的模型也接受。
    测试时模型临时处于评估模式（和 ``lessons.training.accuracy`` 一样），检查完恢复原来的模式。
    """
    if train_moons is None:
        return not_answered()
    if not callable(train_moons):
        return failed(
            f"答案应该是一个函数（用 def train_moons(x_train, y_train): 定义），现在是 {_type_name(train_moons)}。"
        )
    if isinstance(train_moons, nn.Module):
        return failed("答案是一个模型，而题目要的是函数 train_moons：在函数里创建并训练模型，最后 return 模型。")
    x_train, y_train, x_test, y_test = exercise_3_data()
    # 固定随机种子，让每次检查的结果相同；检查结束后恢复原来的随机状态
    with torch.random.fork_rng(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.manual_seed(0)
        try:
            model = train_moons(x_train.clone(), y_train.clone())
        except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
            return failed(f"调用 train_moons(x_train, y_train) 时出错：{_explain(err)}")
    shape_warning = _size_warning(caught)
    if model is None:
        return not_answered("train_moons 还在返回 None：在函数里创建模型、训练它，最后 return 模型。")
    if isinstance(model, (tuple, list)) and any(isinstance(m, nn.Module) for m in model):
        return failed("train_moons 返回了一个元组或列表：只返回训练好的模型，例如 return model。")
    if not isinstance(model, nn.Module):
        return failed(f"train_moons 应该返回训练好的模型（nn.Module），现在返回的是 {_type_name(model)}。")
    if next(model.parameters(), None) is None:
        return failed("返回的模型没有任何参数：它应该包含 nn.Linear 这样的层。")
    try:
        with torch.random.fork_rng():  # 评估时即使用到随机数，也不改变检查器之外的随机状态
            out_train, out_test = _outputs(model, x_train), _outputs(model, x_test)
            linear = _is_affine(model, x_test)
    except Exception as err:  # 学习者的模型可能抛出任何异常，都要变成提示
        return failed(f"用返回的模型做预测时出错：{_explain(err)}")
    if not (torch.isfinite(out_train).all() and torch.isfinite(out_test).all()):
        return failed("模型的输出里有 nan 或 inf：训练发散了。试试更小的学习率，并确认标签是 0 和 1。" + shape_warning)
    train_acc, test_acc = _accuracy(out_train, y_train), _accuracy(out_test, y_test)
    one_column = out_test.ndim == 1 or out_test.shape[1] == 1
    if one_column and test_acc < EX3_TARGET and 0 <= out_test.min() and out_test.max() <= 1:
        prob_acc = ((out_test.reshape(-1) > 0.5).long() == y_test).double().mean().item()
        if _ends_with_sigmoid(model) or prob_acc >= 0.9:
            cause = "模型最后一层是 nn.Sigmoid()，" if _ends_with_sigmoid(model) else ""
            return failed(
                f"{cause}模型的输出都在 0 和 1 之间，是概率而不是 logit，所以按“大于 0 判为类别 1”全都判成了 1"
                f"（测试准确率 {test_acc:.1%}；若按 0.5 分界则是 {prob_acc:.1%}）。题目要求输出 logit："
                "去掉最后的 sigmoid（nn.Sigmoid() 层或 forward 里的 torch.sigmoid），并把 nn.BCELoss 换成 nn.BCEWithLogitsLoss，它在内部先做 sigmoid，数值上更稳定。"
            )
    if linear and test_acc < EX3_TARGET:
        return failed(
            f"测试准确率是 {test_acc:.1%}。返回的模型是线性的，决策边界只能是一条直线，分不开两个半月形："
            "在隐藏层之后加上激活函数（例如 nn.ReLU()）。"
        )
    if train_acc < 0.9:
        return failed(
            f"训练集上的准确率只有 {train_acc:.1%}，模型还没有学会这批数据：确认在函数里训练了返回的这个模型"
            "（例如调用 lessons.training.fit，优化器管理的是这个模型的参数），"
            "标签要变成形状 (n, 1) 的浮点数才能交给 nn.BCEWithLogitsLoss，也可以增加迭代周期或加宽隐藏层。"
            + shape_warning
        )
    if test_acc < EX3_TARGET:
        return failed(
            f"测试准确率是 {test_acc:.1%}，还没达到 {EX3_TARGET:.0%}（训练准确率 {train_acc:.1%}）："
            "试试加宽隐藏层、增加迭代周期，或确认隐藏层之间有激活函数。" + shape_warning
        )
    return passed(f"在没见过的 1000 个点上，测试准确率为 {test_acc:.1%}（训练准确率 {train_acc:.1%}）。")
