"""第 1 课“张量”的练习检查器。

- :func:`check_1`：创建一个形状为 ``(3, 4)``、类型为 ``torch.float32`` 的张量；
- :func:`check_2`：函数 ``center_rows(x)``，让矩阵的每一行减去该行的均值（广播与 ``keepdim``）；
- :func:`check_3`：函数 ``columns_flat(m)``，按列展开矩阵，结果要有自己的存储（视图与复制）；
- :func:`check_4`：函数 ``predict(scores)``，返回每一行最大值所在的列号（``argmax`` 与 ``dim``）。

每道练习是表 ``EXERCISES`` 中的一项（见 :class:`lessons.checking.Exercise`）：正确结果怎样算、怎样比较、
常见错误及其提示。题目没有规定数据类型的地方，任何合理的类型都算对（例如练习 2 返回 ``float64`` 也可以）。
检查器从不抛出异常：答案本身出错、返回 ``None``、``nan``、字符串或形状不对，都得到一条中文反馈。
"""

from __future__ import annotations

import re

import numpy as np
import torch

from ..checking import Case, Exercise, Mistake, Tensor, numbered


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def _values(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to("cpu").double()


def _same_storage(a: torch.Tensor, b: torch.Tensor) -> bool:
    """两个张量是否共享同一块存储。"""
    return a.device == b.device and a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


# ---------------------------------------------------------------- 练习 1

_TABLE = torch.arange(12, dtype=torch.float32).reshape(3, 4)

_EXERCISE_1 = Exercise(
    brief="包含 0 到 11 的 float32 张量，形状 (3, 4)，按行依次排列（题目规定了类型）。",
    expected=lambda: _TABLE,
    compare=Tensor(dtype=torch.float32),
    mistakes=(
        Mistake(lambda a: isinstance(a, (list, tuple)), "这是 Python 的列表（或元组），不是张量：用 torch.arange 直接创建张量。"),
        Mistake(
            lambda a: isinstance(a, (np.ndarray, np.generic)),
            lambda a: f"这是 NumPy 的 {type(a).__name__}，不是张量：用 torch.arange 直接创建张量。",
        ),
        Mistake(
            lambda a: a.dtype == torch.bool or a.is_complex(),
            lambda a: f"数据类型应为 torch.float32，现在是 {a.dtype}。",
        ),
        Mistake(lambda a: _shape(a) == (4, 3), "形状反了：(3, 4) 表示 3 行 4 列，现在是 4 行 3 列。"),
        Mistake(
            lambda a: a.numel() == 12 and _shape(a) != (3, 4),
            lambda a: f"元素个数对了，但形状是 {_shape(a)}：用 .reshape(3, 4) 改成 3 行 4 列。",
        ),
        Mistake(
            lambda a: torch.equal(_values(a), _TABLE.double() + 1),
            "数值从 1 开始了：torch.arange(12) 从 0 开始、不包含终点 12，正好是 0 到 11。",
        ),
        Mistake(
            lambda a: torch.equal(_values(a), _TABLE.double()) and a.dtype != torch.float32,
            lambda a: f"数值和形状都对了，但数据类型是 {a.dtype}：题目要求 torch.float32，"
            "加上 dtype=torch.float32，或者在末尾调用 .float()。",
        ),
    ),
    success="这是一个 3 行 4 列的 float32 张量，正是模型最常用的数据类型。",
)

# ---------------------------------------------------------------- 练习 2


def _center_rows_expected(x: torch.Tensor) -> torch.Tensor:
    """检查器自己算出的正确结果（用 float64 计算，避免精度影响比较）。"""
    x = x.double()
    return x - x.mean(dim=1, keepdim=True)


def _ex2_cases() -> list[Case]:
    g = torch.Generator().manual_seed(1)
    # 非方阵、方阵（能暴露“忘了 keepdim 却没有报错”）和一个 float64 矩阵
    inputs = (
        torch.randn(3, 4, generator=g),
        torch.randn(3, 3, generator=g),
        torch.randn(2, 5, generator=g, dtype=torch.float64),
    )
    return [Case((x,), f"输入形状为 {_shape(x)}、类型为 {x.dtype} 时") for x in inputs]


#: PyTorch 广播失败时的报错，例如 “The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1”
_SIZE_MISMATCH = re.compile(r"tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (\d+)")


def _broadcast_hint(err: BaseException, x: torch.Tensor) -> str:
    """减法广播失败时的提示：减去的东西最后一维长 n（行数）时，是没写 keepdim=True 或写了又转置。"""
    n, k = x.shape
    match = _SIZE_MISMATCH.search(str(err))
    if match and (int(match[1]), int(match[2]), int(match[3])) == (k, n, 1):
        return (
            "减去的均值形状是 (n,)（没写 keepdim=True）或 (1, n)（写了 keepdim=True 又转置了）："
            "广播时它与 x 的最后一维（长度 k）对齐，n ≠ k 且两者都不是 1 时报错。"
            "每行的均值要保持形状 (n, 1)：写 keepdim=True，不要再转置。"
        )
    return (
        f"减号两边的形状对不上（x 的形状是 {_shape(x)}）：每行的均值要保持形状 (n, 1)，"
        "才能广播到同一行的每个元素上。检查均值用的 dim、有没有 keepdim=True，以及是否多了转置。"
    )


def _close_to(got: torch.Tensor, value: torch.Tensor) -> bool:
    return got.dtype.is_floating_point and got.shape == value.shape and torch.allclose(_values(got), value, atol=1e-4)


_EXERCISE_2 = Exercise(
    brief="函数 center_rows(x) 返回 x 的每一行减去该行均值后的新张量（任何浮点类型都可以，不能修改 x）。",
    function="center_rows",
    arguments=("x",),
    cases=_ex2_cases,
    expected=_center_rows_expected,
    compare=Tensor(dtype="float", atol=1e-5, name="函数的返回值"),
    error_hints=(("must match the size", _broadcast_hint),),
    mistakes=(
        Mistake(
            lambda got, x: _close_to(got, x.double() - x.double().mean()),
            "减去的是全部元素的均值：要按行求均值，写 x.mean(dim=1, keepdim=True)。",
        ),
        Mistake(
            lambda got, x: _close_to(got, x.double() - x.double().mean(dim=0, keepdim=True)),
            "减去的是每一列的均值（dim=0）：每一行的均值要沿着列的方向求，用 dim=1。",
        ),
        Mistake(
            lambda got, x: x.shape[0] == x.shape[1] and _close_to(got, x.double() - x.double().mean(dim=1)),
            "对 3×3 的方阵结果错位了：x.mean(dim=1) 的形状是 (3,)，广播时被当成一行，"
            "减到了每一列上（写了 keepdim=True 又转置成 (1, 3) 也是这样）。"
            "写 keepdim=True、不要再转置，让均值的形状是 (3, 1)。",
        ),
    ),
    success="keepdim=True 让每行的均值保持形状 (n, 1)，广播后正好减到同一行的每个元素上。",
)

# ---------------------------------------------------------------- 练习 3


def _ex3_cases() -> list[Case]:
    # 数值带 .5，转成整数就会被发现；(3, 1) 的矩阵转置后仍是连续的：reshape、flatten、contiguous 都不会复制
    matrices = (torch.arange(6.0).reshape(2, 3) + 0.5, torch.arange(3.0).reshape(3, 1) + 0.5)
    return [Case((m,), f"输入形状为 {_shape(m)} 时") for m in matrices]


_EXERCISE_3 = Exercise(
    brief="函数 columns_flat(m) 按列展开矩阵 m，结果有自己的存储，且不修改 m（任何浮点类型都可以）。",
    function="columns_flat",
    arguments=("m",),
    cases=_ex3_cases,
    expected=lambda m: m.T.reshape(-1),
    compare=Tensor(dtype="float", atol=1e-5, name="函数的返回值"),
    error_hints=(
        (
            "view size is not compatible",
            "m.T 不是连续的，不能直接 view 成一维；改用 reshape(-1)，或者先调用 .contiguous()。",
        ),
    ),
    mistakes=(
        Mistake(
            lambda got, m: got.ndim != 1,
            lambda got, m: f"结果应该是一维张量，现在的形状是 {_shape(got)}：用 reshape(-1) 把它展平。",
        ),
        Mistake(
            # 只有一行或一列时，两种顺序相同
            lambda got, m: min(m.shape) > 1 and got.dtype.is_floating_point and torch.equal(_values(got), m.reshape(-1).double()),
            "这是按行展开的顺序（0, 1, 2, …）：要按列展开，先用 m.T 转置，再展平。",
        ),
    ),
    after=(
        Mistake(
            lambda got, m: _same_storage(got, m),
            lambda got, m: f"输入形状为 {_shape(m)} 时，结果与 m 共享存储，修改结果会改动 m。"
            "对 (3, 1) 这样的矩阵，m.T 本身就是连续的，reshape、flatten 和 contiguous "
            "都直接返回视图、不复制。最后加上 .clone()，确保得到独立的副本。",
        ),
    ),
    success="转置得到按列的顺序，reshape 负责展平，clone 保证结果与 m 互不影响。",
)

# ---------------------------------------------------------------- 练习 4


def _ex4_cases() -> list[Case]:
    g = torch.Generator().manual_seed(4)
    # 非方阵，以及一个方阵（dim=0 和 dim=1 得到的形状相同，只有数值能区分）
    return [Case((s,), f"输入形状为 {_shape(s)} 时") for s in (torch.randn(5, 3, generator=g), torch.randn(4, 4, generator=g))]


def _is_tensor(got: object) -> bool:
    return isinstance(got, torch.Tensor)


def _not_integer(got: torch.Tensor) -> bool:
    return got.dtype.is_floating_point or got.dtype == torch.bool or got.is_complex()


def _indices(got: torch.Tensor) -> torch.Tensor:
    return got.detach().to("cpu").long()


_EXERCISE_4 = Exercise(
    brief="函数 predict(scores) 返回每一行最大值所在的列号：形状 (n,) 的整数张量（任何整数类型都可以）。",
    function="predict",
    arguments=("scores",),
    cases=_ex4_cases,
    expected=lambda s: s.argmax(dim=1),
    compare=Tensor(dtype="integer", name="函数的返回值", wrong="列号不对。"),
    mistakes=(
        Mistake(
            lambda got, s: isinstance(got, tuple) and len(got) == 2,
            "返回的是 (最大值, 位置) 两个张量：scores.max(dim=1) 返回 values 和 indices，"
            "这里只要位置，写 scores.argmax(dim=1) 或 scores.max(dim=1).indices。",
        ),
        Mistake(
            lambda got, s: got.dtype.is_floating_point
            and got.shape == (s.shape[0],)
            and torch.allclose(_values(got), s.max(dim=1).values.double()),
            "返回的是每行的最大值本身，不是它的位置：用 argmax(dim=1) 得到列号。",
        ),
        Mistake(
            lambda got, s: _is_tensor(got) and _not_integer(got),
            lambda got, s: f"列号应该是整数张量，现在的数据类型是 {got.dtype}：用 argmax，它返回 torch.int64。",
        ),
        Mistake(
            lambda got, s: _shape(got) == (s.shape[0], 1),
            "形状是 (n, 1)：不要写 keepdim=True，结果应该是形状为 (n,) 的一维张量。",
        ),
        Mistake(
            lambda got, s: _shape(got) == (),
            "只得到了一个数：不写 dim 时 argmax 在全部元素中找最大值，要写 dim=1，每行给出一个列号。",
        ),
        Mistake(
            lambda got, s: s.shape[0] != s.shape[1] and _shape(got) == (s.shape[1],),
            lambda got, s: f"形状是 ({s.shape[1]},)，每列一个结果：这是 dim=0 的结果，每一行的最大值要用 dim=1。",
        ),
        Mistake(
            lambda got, s: torch.equal(_indices(got), s.argmax(dim=0)) and not torch.equal(_indices(got), s.argmax(dim=1)),
            "这是每一列最大值所在的行号（dim=0）：每一行的最大值要沿着列的方向找，用 dim=1。",
        ),
        Mistake(
            lambda got, s: torch.equal(_indices(got), s.argmin(dim=1)),
            "这是每一行最小值的位置：要找最大值，用 argmax。",
        ),
    ),
    success="argmax(dim=1) 在每一行里找最大值，返回它所在的列号，也就是模型预测的类别。",
)

#: 本课的练习，按顺序：第 N 项就是“练习 N”
EXERCISES = (_EXERCISE_1, _EXERCISE_2, _EXERCISE_3, _EXERCISE_4)
check_1, check_2, check_3, check_4 = numbered(EXERCISES)
