"""第 6 课“多层感知机”的练习检查器。

- :func:`check_1`：手算一个多层感知机的参数个数（一个整数）；
- :func:`check_2`：用 ``nn.Sequential`` 搭出指定形状的多层感知机；
- :func:`check_3`：函数 ``train_moons(x_train, y_train)``，在两个半月形数据上训练多层感知机，
  返回的模型在另外 1000 个点上的测试准确率至少 95%。

每道练习是表 ``EXERCISES`` 中的一项（见 :class:`lessons.checking.Exercise`）：正确结果怎样算、怎样比较、
常见错误及其提示。检查器接受答案的各种等价写法（Python 整数、NumPy 标量、只含一个数的数组、张量或列表；
任何浮点数据类型的模型；任何激活函数；嵌套的 ``nn.Sequential``），
对任何输入都只返回中文反馈，不会抛出异常。
"""

from __future__ import annotations

import contextlib
import math
import numbers
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import nn

from ..checking import Case, Exercise, Mistake, as_number, as_tensor, error_summary, numbered
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


_EX1_PAIRS = tuple(zip(EX1_SIZES[:-1], EX1_SIZES[1:]))
#: 几种常见的算错：只算权重、只算偏置、漏了输出层、偏置按输入个数算
_EX1_WEIGHTS = sum(a * b for a, b in _EX1_PAIRS)
_EX1_BIASES = sum(b for _, b in _EX1_PAIRS)
_EX1_NO_OUTPUT_LAYER = count_parameters(EX1_SIZES[:-1])
_EX1_INPUT_BIASES = _EX1_WEIGHTS + sum(a for a, _ in _EX1_PAIRS)


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


def _whole_number(answer: Any) -> int | None:
    """答案是一个整数（任何写法）时返回这个 Python 整数，否则返回 ``None``。"""
    value = _one_number(answer)
    if isinstance(value, str):
        return None
    if isinstance(value, int):
        return value
    if not math.isfinite(value) or value != int(value):
        return None
    return int(value)


@dataclass(frozen=True)
class _ParameterCount:
    """练习 1 的比较：答案是一个整数（任何写法），等于正确的参数个数。"""

    def problem(self, got: Any, want: int) -> str | None:
        value = _one_number(got)
        if isinstance(value, str):
            return value
        if not isinstance(value, int) and not math.isfinite(value):
            return f"答案是 {value}，不是一个有限的数：参数的个数是一个普通的整数。"
        if value != int(value):
            return "参数的个数一定是整数：检查是不是在哪里做了除法。"
        value = int(value)
        if abs(value) > 10**9:
            return f"答案 {str(value)[:12]}… 大得离谱：这个小网络的参数不过几百个，重新按公式算一遍。"
        if value != want:
            return (
                f"{value} 不对。每个 nn.Linear(n_in, n_out) 有 n_in × n_out 个权重和 n_out 个偏置，"
                "把三层的数加起来；ReLU 没有参数。"
            )
        return None


_EXERCISE_1 = Exercise(
    brief="网络 3 → 16 → 8 → 1（层间用 ReLU）一共有多少个参数（一个整数，任何写法都可以）。",
    expected=lambda: count_parameters(EX1_SIZES),
    compare=_ParameterCount(),
    mistakes=(
        Mistake(
            lambda a: _whole_number(a) == _EX1_WEIGHTS,
            f"{_EX1_WEIGHTS} 只是权重的个数：每个 nn.Linear 还有偏置，个数等于它的输出个数。",
        ),
        Mistake(
            lambda a: _whole_number(a) == _EX1_BIASES,
            f"{_EX1_BIASES} 只是偏置的个数：还要加上权重，nn.Linear(n_in, n_out) 有 n_in × n_out 个权重。",
        ),
        Mistake(
            lambda a: _whole_number(a) == _EX1_NO_OUTPUT_LAYER,
            "少算了最后一层 nn.Linear(8, 1)：输出层也有权重和偏置。",
        ),
        Mistake(
            lambda a: _whole_number(a) == _EX1_INPUT_BIASES,
            "偏置的个数等于每层的输出个数，不是输入个数：nn.Linear(n_in, n_out) 有 n_out 个偏置。",
        ),
    ),
    success=f"一共 {count_parameters(EX1_SIZES)} 个参数：(3×16+16) + (16×8+8) + (8×1+1) = 64 + 136 + 9。ReLU 没有参数。",
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
        if not all(isinstance(o, torch.Tensor) and o.shape == outs[0].shape for o in outs):
            return False
        fa, fb, fm = (o.detach().to("cpu", torch.float64) for o in outs)
    except Exception:  # 学习者的层可能对这种输入报错，这里只是判断，不算失败
        return False
    finally:
        layer.train(was_training)
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


def _class_hint(answer: type) -> str:
    name = ("nn." if answer.__module__.startswith("torch.nn") else "") + answer.__name__
    return f"答案是类 {name} 本身，还没有创建对象：要写成 {name}(...)，在括号里按顺序写出各层。"


def _linears(model: nn.Module) -> list[nn.Linear]:
    return [m for m in _leaves(model) if isinstance(m, nn.Linear)]


def _first_wrong_linear(model: nn.Module) -> tuple[int, tuple[int, int], tuple[int, int]] | None:
    """第一个形状不对的全连接层：(第几个, 现在的形状, 应有的形状)；都对时返回 ``None``。"""
    for k, (layer, shape) in enumerate(zip(_linears(model), EX2_SHAPES), start=1):
        got = (layer.in_features, layer.out_features)
        if got != shape:
            return k, got, shape
    return None


def _reversed_linear(model: nn.Module) -> bool:
    wrong = _first_wrong_linear(model)
    return wrong is not None and wrong[1] == wrong[2][::-1] and wrong[2][0] != wrong[2][1]


def _reversed_hint(model: nn.Module) -> str:
    k, got, (n_in, n_out) = _first_wrong_linear(model)
    return (
        f"第 {k} 个全连接层写成了 nn.Linear{got}，输入和输出的个数反了："
        f"nn.Linear 的参数顺序是（输入个数, 输出个数），应为 nn.Linear({n_in}, {n_out})。"
    )


def _wrong_linear_hint(model: nn.Module) -> str:
    k, got, (n_in, n_out) = _first_wrong_linear(model)
    return f"第 {k} 个全连接层应为 nn.Linear({n_in}, {n_out})，现在是 nn.Linear{got}。"


class _Roles(NamedTuple):
    """练习 2 的网络里，全连接层以外的各层按位置和作用分好的组。"""

    before: list[nn.Module]  # 第一个全连接层之前的激活函数
    hidden: tuple[list[nn.Module], list[nn.Module]]  # 两个隐藏层之后各自的激活函数
    after: list[nn.Module]  # 输出层之后的激活函数
    extra: list[nn.Module]  # 题目没有要求的带参数的层


def _roles(model: nn.Module) -> _Roles:
    """按位置（第一个全连接层之前、两个全连接层之间、最后一个之后）和作用给其余各层分组。

    只用在三个全连接层的形状都对的模型上；否则抛出 ``ValueError``。
    """
    layers = _leaves(model)
    linears = [i for i, m in enumerate(layers) if isinstance(m, nn.Linear)]
    if [(layers[i].in_features, layers[i].out_features) for i in linears] != list(EX2_SHAPES):
        raise ValueError("全连接层的形状与题目不同")
    dtype, device = _float_dtype(model)
    bounds = [-1, *linears, len(layers)]
    groups = [layers[bounds[g] + 1 : bounds[g + 1]] for g in range(len(bounds) - 1)]
    widths = [EX2_SHAPES[0][0], *(n_out for _, n_out in EX2_SHAPES)]
    kinds = [[_kind(m, width, dtype, device) for m in group] for group, width in zip(groups, widths)]
    pairs = [list(zip(group, group_kinds)) for group, group_kinds in zip(groups, kinds)]
    active = [[m for m, kind in pair if kind == "activation"] for pair in pairs]
    extra = [m for pair in pairs for m, kind in pair if kind == "extra"]
    return _Roles(active[0], (active[1], active[2]), active[3], extra)


def _missing_activation(model: nn.Module) -> int | None:
    """第几个隐藏层之后没有激活函数（1 或 2）；都有时返回 ``None``。"""
    hidden = _roles(model).hidden
    return next((k for k in (1, 2) if not hidden[k - 1]), None)


def _structure_is_right(model: nn.Module) -> bool:
    """模型是不是题目要的结构：三个形状正确的全连接层，两个隐藏层之后各有激活函数，别处没有。"""
    if not isinstance(model, nn.Sequential) or _first_wrong_linear(model) is not None or len(_linears(model)) != 3:
        return False
    roles = _roles(model)
    return all(roles.hidden) and not (roles.before or roles.after or roles.extra)


@dataclass(frozen=True)
class _OutputShape:
    """练习 2 的比较：结构正确，且形状为 (5, 4) 的输入得到形状为 ``want`` 的输出。

    常见的结构错误都由 ``mistakes`` 中的各项给出具体提示；这里再完整核对一遍，不会放过没有想到的写法。
    """

    def problem(self, got: Any, want: tuple[int, int]) -> str | None:
        if not isinstance(got, nn.Module) or not _structure_is_right(got):
            return "网络的结构与题目不同：应为 nn.Linear(4, 10)、nn.Linear(10, 10)、nn.Linear(10, 3)，两个隐藏层之后各接一个激活函数。"
        dtype, device = _float_dtype(got)
        try:
            with torch.no_grad(), _evaluation_mode(got):
                out = got(torch.zeros(5, 4, dtype=dtype, device=device))
        except Exception as err:  # 学习者搭的网络可能抛出任何异常，都要变成提示
            return f"把形状为 (5, 4) 的输入交给模型时出错：{error_summary(err)}"
        if not isinstance(out, torch.Tensor) or tuple(out.shape) != want:
            shape = tuple(out.shape) if isinstance(out, torch.Tensor) else _type_name(out)
            return f"输入形状为 (5, 4) 时，输出的形状应为 {want}，现在是 {shape}。"
        return None


def _ex2_success(model: nn.Sequential) -> str:
    roles = _roles(model)
    total = sum(p.numel() for p in model.parameters())
    activations = "、".join(dict.fromkeys(_type_name(m) for group in roles.hidden for m in group))
    note = "" if all(layer.bias is not None for layer in _linears(model)) else "（有的全连接层没有偏置，所以参数少一些）"
    return f"形状都对：(5, 4) 的输入得到 (5, 3) 的输出，激活函数是 {activations}，一共 {total} 个参数{note}。"


_EXERCISE_2 = Exercise(
    brief="nn.Sequential：4 个输入 → 10 → 10 → 3 个输出，两个隐藏层之后各有一个激活函数"
    "（任何非线性的激活函数、任何浮点数据类型都可以，nn.Sequential 可以嵌套）。",
    expected=lambda: (5, 3),
    compare=_OutputShape(),
    mistakes=(
        Mistake(lambda a: isinstance(a, type) and issubclass(a, nn.Module), _class_hint),
        Mistake(
            lambda a: isinstance(a, (list, tuple)) and any(isinstance(m, nn.Module) for m in a),
            "答案是由各层组成的列表，还不是模型：用 nn.Sequential(*layers) 把它们串起来。",
        ),
        Mistake(
            lambda a: not isinstance(a, nn.Module),
            lambda a: f"答案应该是一个模型（nn.Module），例如 nn.Sequential(...)；现在是 {_type_name(a)}。",
        ),
        Mistake(
            lambda a: not isinstance(a, nn.Sequential),
            "题目要求用 nn.Sequential 搭建：把各层按顺序写进 nn.Sequential(...)。",
        ),
        Mistake(
            lambda a: len(_linears(a)) != len(EX2_SHAPES),
            lambda a: f"应该有 3 个全连接层（nn.Linear），现在有 {len(_linears(a))} 个。",
        ),
        Mistake(_reversed_linear, _reversed_hint),
        Mistake(lambda a: _first_wrong_linear(a) is not None, _wrong_linear_hint),
        Mistake(
            lambda a: any(p.is_meta for p in a.parameters()),
            "模型的参数在 meta 设备上，只有形状、没有数值，无法计算：创建各层时不要写 device='meta'。",
        ),
        Mistake(
            lambda a: bool(_roles(a).extra),
            lambda a: f"题目要求的网络只有全连接层和激活函数，多了带参数的层 {_layer_names(_roles(a).extra)}：把它们去掉。",
        ),
        Mistake(
            lambda a: not any(_roles(a).hidden),
            "没有激活函数：三个全连接层直接叠在一起，整体仍然只是一个线性映射。"
            "在每个隐藏层之后加上激活函数，例如 nn.ReLU()。",
        ),
        Mistake(
            lambda a: _missing_activation(a) is not None,
            lambda a: (
                f"第 {_missing_activation(a)} 个隐藏层之后（第 {_missing_activation(a)} 个和第 "
                f"{_missing_activation(a) + 1} 个 nn.Linear 之间）没有激活函数："
                "题目要求两个隐藏层之后各接一个激活函数，例如 nn.ReLU()。"
            ),
        ),
        Mistake(
            lambda a: bool(_roles(a).before),
            lambda a: f"第一个 nn.Linear 之前多了 {_layer_names(_roles(a).before)}：激活函数作用在隐藏层的加权和上，"
            "输入不需要先经过激活函数。",
        ),
        Mistake(
            lambda a: bool(_roles(a).after),
            lambda a: f"输出层后面不要加激活函数（现在有 {_layer_names(_roles(a).after)}）：例如加了 ReLU，"
            "输出就永远不会是负数。激活函数只放在两个隐藏层之后。",
        ),
    ),
    success=_ex2_success,
)

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
            f"输入形状为 {tuple(x.shape)} 时，输出形状应为 ({len(x)}, 1)（一个对数几率），现在是 {tuple(out.shape)}"
        )
    return out


def _predictions(out: torch.Tensor) -> torch.Tensor:
    """由模型输出得到预测类别：一列输出按对数几率 > 0 判为 1，两列输出取较大的一列。"""
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


#: 常见报错（PyTorch 的英文报错里的片段）→ 中文解释；同一条解释可以对应几种片段。
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
        ("with two bool tensors",),
        "标签是布尔值（torch.bool）：二元交叉熵的目标要是浮点数，用 y_train.float().unsqueeze(1)。",
    ),
    (
        ("Target 1 is out of bounds",),
        "nn.CrossEntropyLoss 要求模型对每个类别输出一个数：两个类别就输出 2 列（最后一层 nn.Linear(..., 2)），"
        "标签是整数类别；只输出一个对数几率时，用 nn.BCEWithLogitsLoss 配形状为 (n, 1) 的浮点数标签。",
    ),
    (
        ("positional argument",),
        "train_moons 应该正好接受两个参数：def train_moons(x_train, y_train):。",
    ),
)

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _explain(err: Exception) -> str:
    """把用返回的模型做预测时的异常变成中文说明；已知的常见错误给出具体改法，其余附上原始报错的第一行。"""
    summary = error_summary(err)
    for fragments, hint in _KNOWN_ERRORS:
        if any(fragment in summary for fragment in fragments):
            return f"{hint}（原始报错：{summary}）"
    if _CJK.search(summary):  # 课程辅助包给出的中文报错已经说明了改法
        return summary
    return f"{summary.rstrip('。.')}。请按这条报错检查对应的代码。"


@dataclass(frozen=True)
class _SeededCase(Case):
    """调用学习者的函数之前先设定 PyTorch 的随机种子：同一个答案每次检查都得到同样的模型。

    :class:`lessons.checking.Exercise` 在检查前后恢复全局的随机状态，所以这不影响笔记本里其余的随机数。
    """

    seed: int = 0

    def copies(self) -> tuple:
        torch.manual_seed(self.seed)
        return super().copies()


def _ex3_cases() -> list[Case]:
    x_train, y_train, _, _ = exercise_3_data()
    return [_SeededCase((x_train, y_train))]


@dataclass(frozen=True)
class _MoonsAccuracy:
    """练习 3 的比较：返回的模型在训练集上基本学会、在测试集上的准确率至少 ``EX3_TARGET``。

    ``want`` 是 ``exercise_3_data()``（重新生成，不受学习者对输入的改动影响）。测试时模型临时处于评估模式
    （和 ``lessons.training.accuracy`` 一样），检查完恢复原来的模式。模型对每个点输出一个对数几率
    （大于 0 判为类别 1）；输出两列、取较大一列的模型也接受。
    """

    def problem(self, model: nn.Module, want: tuple) -> str | None:
        x_train, y_train, x_test, y_test = want
        try:
            with torch.random.fork_rng():  # 评估时即使用到随机数，也不改变检查器之外的随机状态
                out_train, out_test = _outputs(model, x_train), _outputs(model, x_test)
                linear = _is_affine(model, x_test)
        except Exception as err:  # 学习者的模型可能抛出任何异常，都要变成提示
            return f"用返回的模型做预测时出错：{_explain(err)}"
        if not (torch.isfinite(out_train).all() and torch.isfinite(out_test).all()):
            return "模型的输出里有 nan 或 inf：训练发散了。试试更小的学习率，并确认标签是 0 和 1。"
        train_acc, test_acc = _accuracy(out_train, y_train), _accuracy(out_test, y_test)
        one_column = out_test.ndim == 1 or out_test.shape[1] == 1
        if one_column and test_acc < EX3_TARGET and 0 <= out_test.min() and out_test.max() <= 1:
            prob_acc = ((out_test.reshape(-1) > 0.5).long() == y_test).double().mean().item()
            if _ends_with_sigmoid(model) or prob_acc >= 0.9:
                cause = "模型最后一层是 nn.Sigmoid()，" if _ends_with_sigmoid(model) else ""
                return (
                    f"{cause}模型的输出都在 0 和 1 之间，是概率而不是对数几率，所以按“大于 0 判为类别 1”全都判成了 1"
                    f"（测试准确率 {test_acc:.1%}；若按 0.5 分界则是 {prob_acc:.1%}）。题目要求输出对数几率："
                    "去掉最后的 sigmoid（nn.Sigmoid() 层或 forward 里的 torch.sigmoid），"
                    "并把 nn.BCELoss 换成 nn.BCEWithLogitsLoss，它在内部先做 sigmoid，数值上更稳定。"
                )
        if linear and test_acc < EX3_TARGET:
            return (
                f"测试准确率是 {test_acc:.1%}。返回的模型是线性的，决策边界只能是一条直线，分不开两个半月形："
                "在隐藏层之后加上激活函数（例如 nn.ReLU()）。"
            )
        if train_acc < 0.1:
            return (
                f"训练集上的准确率只有 {train_acc:.1%}，比瞎猜（50%）还差得多：模型学到的正好相反，"
                "检查标签有没有写反（例如写成了 1 - y_train），以及一列输出是不是按“大于 0 判为类别 1”。"
            )
        if train_acc < 0.9:
            return (
                f"训练集上的准确率只有 {train_acc:.1%}，模型还没有学会这批数据：确认在函数里训练了返回的这个模型"
                "（例如调用 lessons.training.fit，优化器管理的是这个模型的参数），"
                "标签要变成形状 (n, 1) 的浮点数才能交给 nn.BCEWithLogitsLoss，也可以增加迭代周期或加宽隐藏层。"
            )
        if test_acc < EX3_TARGET:
            return (
                f"测试准确率是 {test_acc:.1%}，还没达到 {EX3_TARGET:.0%}（训练准确率 {train_acc:.1%}）："
                "试试加宽隐藏层、增加迭代周期，或确认隐藏层之间有激活函数。"
            )
        return None


def _ex3_summary(results: list) -> str:
    """通过时的一句话：训练好的模型的测试准确率和训练准确率。"""
    x_train, y_train, x_test, y_test = exercise_3_data()
    model = results[0]
    with torch.random.fork_rng():
        train_acc = _accuracy(_outputs(model, x_train), y_train)
        test_acc = _accuracy(_outputs(model, x_test), y_test)
    return f"在没见过的 1000 个点上，测试准确率为 {test_acc:.1%}（训练准确率 {train_acc:.1%}）。"


_EXERCISE_3 = Exercise(
    brief="函数 train_moons(x_train, y_train) 创建并训练一个多层感知机，返回训练好的模型；"
    "模型对每个点输出一个对数几率（两列输出也可以），在另外 1000 个点上的测试准确率至少 95%。",
    function="train_moons",
    arguments=("x_train", "y_train"),
    cases=_ex3_cases,
    keeps_input=False,  # 测试用的数据每次重新生成，学习者改动了输入也不影响判断
    before=(
        Mistake(
            lambda a: isinstance(a, nn.Module),
            "答案是一个模型，而题目要的是函数 train_moons：在函数里创建并训练模型，最后 return 模型。",
        ),
    ),
    not_function=lambda a: f"答案应该是一个函数（用 def train_moons(x_train, y_train): 定义），现在是 {_type_name(a)}。",
    stub=lambda x_train, y_train: False,  # 返回 None 交给下面 mistakes 的第一项：提示里说明要 return 模型
    error_hints=tuple((fragment, hint) for fragments, hint in _KNOWN_ERRORS for fragment in fragments),
    warning_hints=(
        (
            "target size",
            "另外，训练时 PyTorch 警告目标的形状与模型输出不同：损失被广播了，算出来的不是你想要的损失。"
            "把标签变成与输出相同的形状 (n, 1)。",
        ),
    ),
    expected=lambda x_train, y_train: exercise_3_data(),
    compare=_MoonsAccuracy(),
    mistakes=(
        Mistake(
            lambda got, x, y: got is None,
            "train_moons 还在返回 None：在函数里创建模型、训练它，最后 return 模型。",
            todo=True,
        ),
        Mistake(
            lambda got, x, y: isinstance(got, (tuple, list)) and any(isinstance(m, nn.Module) for m in got),
            "train_moons 返回了一个元组或列表：只返回训练好的模型，例如 return model。",
        ),
        Mistake(
            lambda got, x, y: not isinstance(got, nn.Module),
            lambda got, x, y: f"train_moons 应该返回训练好的模型（nn.Module），现在返回的是 {_type_name(got)}。",
        ),
        Mistake(
            lambda got, x, y: next(got.parameters(), None) is None,
            "返回的模型没有任何参数：它应该包含 nn.Linear 这样的层。",
        ),
    ),
    summary=_ex3_summary,
    success="",
)

#: 本课的练习，按顺序：第 N 项就是“练习 N”
EXERCISES = (_EXERCISE_1, _EXERCISE_2, _EXERCISE_3)
check_1, check_2, check_3 = numbered(EXERCISES)
