"""“开始之前”一课的练习检查器。

- :func:`check_1`：一维的整数张量，元素依次是 1、2、3（任何整数类型都可以）；
- :func:`check_2`：放在 ``env.device`` 上、形状为 ``(2, 3)``、元素全为 1 的浮点数张量（任何浮点类型都可以）；
- :func:`check_3`：函数 ``draw(seed)``，设定随机种子后抽取 3 个 [0, 1) 上的随机数；同一个种子给出同一组数，
  不同的种子给出不同的数（怎样设种子、用哪个生成器都可以）。

每道练习是表 ``EXERCISES`` 中的一项（见 :class:`lessons.checking.Exercise`）。
检查器从不抛出异常：无论答案是什么，都返回一条中文反馈。
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from ..checking import Case, Exercise, Mistake, Tensor, numbered
from ..env import get_device


def _not_a_tensor(value: Any, name: str) -> str | None:
    """``value`` 不是张量时，返回针对列表、NumPy 数组等常见情况的中文提示；是张量时返回 ``None``。"""
    if isinstance(value, torch.Tensor):
        return None
    if isinstance(value, (list, tuple)):
        return f"{name}是 Python 的列表（或元组），不是张量：用 torch 的函数直接创建张量。"
    if isinstance(value, (np.ndarray, np.generic)):
        return f"{name}是 NumPy 的 {type(value).__name__}，不是张量：用 torch 的函数直接创建张量。"
    return f"{name}应该是一个张量（torch.Tensor），现在是 {type(value).__name__}。"


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def _listed(t: torch.Tensor) -> list:
    return t.detach().to("cpu").tolist()


def _is_123(t: torch.Tensor) -> bool:
    return t.detach().to("cpu").double().tolist() == [1.0, 2.0, 3.0]


# ---------------------------------------------------------------- 练习 1


def _int_success(answer: torch.Tensor) -> str:
    note = "" if answer.dtype == torch.int64 else "（不指定 dtype 时，torch.tensor 对整数用的是 torch.int64）"
    return f"这是一个形状为 (3,)、数据类型为 {answer.dtype} 的一维整数张量{note}。"


_EXERCISE_1 = Exercise(
    brief="一维的整数张量，元素依次是 1、2、3（任何整数类型都可以；浮点数张量、列表、NumPy 数组不算）。",
    expected=lambda: torch.tensor([1, 2, 3]),
    compare=Tensor(
        dtype="integer",
        name="answer ",
        wrong=lambda a: f"形状和类型都对了，但元素应依次是 1、2、3，现在是 {_listed(a)}。",
    ),
    mistakes=(
        Mistake(
            lambda a: isinstance(a, (list, tuple)),
            "这是 Python 的列表（或元组），不是张量：用 torch.tensor([1, 2, 3]) 把它变成张量。",
        ),
        Mistake(
            lambda a: isinstance(a, (np.ndarray, np.generic)),
            lambda a: f"这是 NumPy 的 {type(a).__name__}，不是张量：用 torch.tensor([1, 2, 3]) 直接创建张量。",
        ),
        Mistake(
            lambda a: a.dtype == torch.bool or a.is_complex(),
            lambda a: f"这是数据类型为 {a.dtype} 的张量：题目要的是整数 1、2、3，写 torch.tensor([1, 2, 3])。",
        ),
        Mistake(
            lambda a: a.ndim != 1 and a.numel() == 3,
            lambda a: f"元素个数对了，但形状是 {_shape(a)}，不是一维的：一维张量的形状是 (3,)，"
            "写 torch.tensor([1, 2, 3])（只用一层方括号）。",
        ),
        Mistake(
            lambda a: a.ndim != 1,
            lambda a: f"题目要的是形状为 (3,) 的一维张量，现在的形状是 {_shape(a)}。",
        ),
        Mistake(lambda a: a.numel() != 3, lambda a: f"应该有 3 个元素，现在有 {a.numel()} 个。"),
        Mistake(
            lambda a: a.dtype.is_floating_point and _is_123(a),
            lambda a: f"数值对了，但这是浮点数张量（{a.dtype}）：写成 1、2、3（不带小数点），得到的就是整数张量。",
        ),
        Mistake(
            lambda a: a.dtype.is_floating_point,
            lambda a: f"这是浮点数张量，数值也不对：应该是整数 1、2、3，现在是 {_listed(a)}。",
        ),
        Mistake(
            lambda a: sorted(a.double().tolist()) == [1.0, 2.0, 3.0] and not _is_123(a),
            lambda a: f"元素都在，但顺序不对：应依次是 1、2、3，现在是 {_listed(a)}。",
        ),
        Mistake(
            lambda a: a.double().tolist() == [0.0, 1.0, 2.0],
            "从 0 开始了：torch.arange(3) 是 0、1、2；要 1、2、3，写 torch.arange(1, 4)。",
        ),
    ),
    success=_int_success,
)

# ---------------------------------------------------------------- 练习 2


def _same_device(actual: torch.device, wanted: torch.device) -> bool:
    """``actual`` 是不是 ``wanted`` 所指的设备（``wanted`` 不带编号时，只比较设备类型）。"""
    if actual.type != wanted.type:
        return False
    return wanted.index is None or actual.index == wanted.index


def _ones_success(answer: torch.Tensor) -> str:
    if get_device().type == "cpu":
        return (
            "形状、数值和设备都对。这台机器上 env.device 是 cpu，不写 device 的张量也在 CPU 上；"
            "写上 device=env.device，同一行代码在有 GPU 的机器上就会把张量放到 GPU 上。"
        )
    return f"形状、数值都对，张量在 {answer.device} 上，与 env.device 一致。"


_EXERCISE_2 = Exercise(
    brief="放在 env.device 上、形状为 (2, 3)、元素全为 1 的浮点数张量（float32、float64 都可以）。",
    expected=lambda: torch.ones(2, 3),
    compare=Tensor(
        dtype="float",
        name="answer ",
        wrong=lambda a: f"形状和类型都对了，但元素应该全是 1，现在是 {a.detach().to('cpu').double().tolist()}：用 torch.ones。",
    ),
    mistakes=(
        Mistake(
            lambda a: isinstance(a, (list, tuple)),
            "answer 是 Python 的列表（或元组），不是张量：用 torch 的函数直接创建张量。",
        ),
        Mistake(
            lambda a: isinstance(a, (np.ndarray, np.generic)),
            lambda a: f"answer 是 NumPy 的 {type(a).__name__}，不是张量：用 torch 的函数直接创建张量。",
        ),
        Mistake(lambda a: _shape(a) == (3, 2), "形状反了：(2, 3) 表示 2 行 3 列，现在是 3 行 2 列。"),
        Mistake(
            lambda a: _shape(a) != (2, 3),
            lambda a: f"形状应为 (2, 3)，现在是 {_shape(a)}：写 torch.ones(2, 3, device=env.device)。",
        ),
        Mistake(
            lambda a: not a.dtype.is_floating_point,
            lambda a: f"这是数据类型为 {a.dtype} 的张量，不是浮点数张量：torch.ones 默认就给出浮点数（float32），"
            "不要另外指定整数类型。",
        ),
    ),
    after=(
        Mistake(
            lambda a: not _same_device(a.device, get_device()),
            lambda a: f"张量在 {a.device} 上，而 env.device 是 {get_device()}：加上参数 device=env.device，"
            "或者在末尾调用 .to(env.device)。",
        ),
    ),
    success=_ones_success,
)

# ---------------------------------------------------------------- 练习 3


class _Uniform3:
    """练习 3 的比较：一组 3 个 [0, 1) 上的浮点数（随机数没有唯一的正确值，只检查形式和范围）。"""

    def problem(self, got: Any, want: None) -> str | None:
        if not isinstance(got, torch.Tensor):
            return Tensor(name="函数的返回值").problem(got, torch.zeros(3))
        if _shape(got) != (3,):
            return f"函数应该返回形状为 (3,) 的张量，现在的形状是 {_shape(got)}：写 torch.rand(3)。"
        if not got.dtype.is_floating_point:
            return f"返回的张量的数据类型是 {got.dtype}，不是浮点数：torch.rand(3) 给出的是 [0, 1) 上的浮点数。"
        values = got.detach().to("cpu").double()
        if not bool(((values >= 0) & (values < 1)).all()):
            return "返回的数不都在 [0, 1) 中：题目要的是 torch.rand(3)（均匀分布），不是 torch.randn（正态分布）。"
        return None


def _reproducible(results: list[torch.Tensor]) -> str | None:
    """同一个种子给出同一组数，不同的种子给出不同的数（results 依次是 draw(0)、draw(0)、draw(1) 的结果）。"""
    first, again, other = (r.detach().to("cpu").double() for r in results)
    if not torch.equal(first, again):
        return (
            "用同一个种子 0 调用两次，得到的数不同：要在函数里面、抽取之前设定种子，"
            "例如先写 lessons.seed_everything(seed)，再写 torch.rand(3)。"
        )
    if torch.equal(first, other):
        return (
            "种子 0 和种子 1 给出了同样的数：函数没有用到参数 seed（例如写成了 seed_everything(0)），"
            "或者返回的不是随机数。"
        )
    return None


_EXERCISE_3 = Exercise(
    brief="函数 draw(seed) 设定随机种子，再抽取 3 个 [0, 1) 上的随机数；同一个种子给出同一组数，"
    "不同的种子给出不同的数（怎样设种子都可以）。",
    function="draw",
    arguments=("seed",),
    # 依次调用 draw(0)、draw(0)、draw(1)：共三次，与题目所说的一致
    cases=lambda: [Case((0,), "调用 draw(0) 时"), Case((0,), "再次调用 draw(0) 时"), Case((1,), "调用 draw(1) 时")],
    expected=lambda seed: None,
    compare=_Uniform3(),
    across=(_reproducible,),
    success="同一个种子给出同一组数，不同的种子给出不同的数：这就是可复现的随机数。",
)

#: 本课的练习，按顺序：第 N 项就是“练习 N”
EXERCISES = (_EXERCISE_1, _EXERCISE_2, _EXERCISE_3)
check_1, check_2, check_3 = numbered(EXERCISES)
