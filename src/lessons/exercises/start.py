"""“开始之前”一课的练习检查器。

- :func:`check_1`：一维的整数张量，元素依次是 1、2、3（任何整数类型都可以）；
- :func:`check_2`：放在 ``env.device`` 上、形状为 ``(2, 3)``、元素全为 1 的浮点数张量（任何浮点类型都可以）；
- :func:`check_3`：函数 ``draw(seed)``，设定随机种子后抽取 3 个 [0, 1) 上的随机数；同一个种子给出同一组数，
  不同的种子给出不同的数（怎样设种子、用哪个生成器都可以）。

检查器从不抛出异常：无论答案是什么，都返回一条中文反馈。
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..checking import Feedback, error_summary, failed, never_raises, not_answered, passed
from ..env import get_device

_STUB_HINT = "函数还在返回 None，把 return None 换成你的代码，再运行这个单元格。"




def _not_a_tensor(value: Any, name: str) -> str | None:
    """``value`` 不是张量时，返回针对列表、NumPy 数组等常见情况的中文提示；是张量时返回 ``None``。"""
    if isinstance(value, torch.Tensor):
        return None
    if isinstance(value, (list, tuple)):
        return f"{name}是 Python 的列表（或元组），不是张量：用 torch 的函数直接创建张量。"
    if isinstance(value, (np.ndarray, np.generic)):
        return f"{name}是 NumPy 的 {type(value).__name__}，不是张量：用 torch 的函数直接创建张量。"
    return f"{name}应该是一个张量（torch.Tensor），现在是 {type(value).__name__}。"


@never_raises(what="一个张量，例如 torch.tensor([1, 2, 3])")
def check_1(answer: Any) -> Feedback:
    """练习 1：一维的整数张量，元素依次是 1、2、3。

    整数类型不限（``torch.int64``、``torch.int32``……都可以）；浮点数张量、列表、NumPy 数组
    不算，并给出相应的提示。
    """
    if answer is None:
        return not_answered()
    if isinstance(answer, (list, tuple)):
        return failed("这是 Python 的列表（或元组），不是张量：用 torch.tensor([1, 2, 3]) 把它变成张量。")
    if isinstance(answer, (np.ndarray, np.generic)):
        return failed(f"这是 NumPy 的 {type(answer).__name__}，不是张量：用 torch.tensor([1, 2, 3]) 直接创建张量。")
    if not isinstance(answer, torch.Tensor):
        return failed(f"answer 应该是一个张量（torch.Tensor），现在是 {type(answer).__name__}。")
    if answer.dtype == torch.bool or answer.is_complex():
        return failed(f"这是数据类型为 {answer.dtype} 的张量：题目要的是整数 1、2、3，写 torch.tensor([1, 2, 3])。")
    if answer.ndim != 1:
        if answer.numel() == 3:
            return failed(
                f"元素个数对了，但形状是 {tuple(answer.shape)}，不是一维的：一维张量的形状是 (3,)，"
                "写 torch.tensor([1, 2, 3])（只用一层方括号）。"
            )
        return failed(f"题目要的是形状为 (3,) 的一维张量，现在的形状是 {tuple(answer.shape)}。")
    if answer.numel() != 3:
        return failed(f"应该有 3 个元素，现在有 {answer.numel()} 个。")
    got = answer.detach().to("cpu")
    values = got.double().tolist()
    if answer.dtype.is_floating_point:
        if values == [1.0, 2.0, 3.0]:
            return failed(
                f"数值对了，但这是浮点数张量（{answer.dtype}）：写成 1、2、3（不带小数点），"
                "得到的就是整数张量。"
            )
        return failed(f"这是浮点数张量，数值也不对：应该是整数 1、2、3，现在是 {got.tolist()}。")
    if values != [1.0, 2.0, 3.0]:
        if sorted(values) == [1.0, 2.0, 3.0]:
            return failed(f"元素都在，但顺序不对：应依次是 1、2、3，现在是 {got.tolist()}。")
        if values == [0.0, 1.0, 2.0]:
            return failed("从 0 开始了：torch.arange(3) 是 0、1、2；要 1、2、3，写 torch.arange(1, 4)。")
        return failed(f"形状和类型都对了，但元素应依次是 1、2、3，现在是 {got.tolist()}。")
    note = "" if answer.dtype == torch.int64 else "（不指定 dtype 时，torch.tensor 对整数用的是 torch.int64）"
    return passed(f"这是一个形状为 (3,)、数据类型为 {answer.dtype} 的一维整数张量{note}。")


# ---------------------------------------------------------------- 练习 2


def _same_device(actual: torch.device, wanted: torch.device) -> bool:
    """``actual`` 是不是 ``wanted`` 所指的设备（``wanted`` 不带编号时，只比较设备类型）。"""
    if actual.type != wanted.type:
        return False
    return wanted.index is None or actual.index == wanted.index


@never_raises(what="一个张量，例如 torch.ones(2, 3, device=env.device)")
def check_2(answer: Any) -> Feedback:
    """练习 2：放在 ``env.device`` 上、形状为 ``(2, 3)``、元素全为 1 的浮点数张量。

    ``env.device`` 由 :func:`lessons.get_device` 选出，检查器用同一个函数得到它。
    浮点类型不限（``float32``、``float64`` 都可以）；整数张量、放错设备的张量给出相应的提示。
    """
    if answer is None:
        return not_answered()
    problem = _not_a_tensor(answer, "answer ")
    if problem:
        return failed(problem)
    if tuple(answer.shape) != (2, 3):
        if tuple(answer.shape) == (3, 2):
            return failed("形状反了：(2, 3) 表示 2 行 3 列，现在是 3 行 2 列。")
        return failed(f"形状应为 (2, 3)，现在是 {tuple(answer.shape)}：写 torch.ones(2, 3, device=env.device)。")
    if not answer.dtype.is_floating_point:
        return failed(
            f"这是数据类型为 {answer.dtype} 的张量，不是浮点数张量：torch.ones 默认就给出浮点数（float32），"
            "不要另外指定整数类型。"
        )
    values = answer.detach().to("cpu").double()
    if not torch.equal(values, torch.ones(2, 3, dtype=torch.float64)):
        return failed(f"形状和类型都对了，但元素应该全是 1，现在是 {values.tolist()}：用 torch.ones。")
    wanted = get_device()
    if not _same_device(answer.device, wanted):
        return failed(
            f"张量在 {answer.device} 上，而 env.device 是 {wanted}：加上参数 device=env.device，"
            "或者在末尾调用 .to(env.device)。"
        )
    if wanted.type == "cpu":
        return passed(
            "形状、数值和设备都对。这台机器上 env.device 是 cpu，不写 device 的张量也在 CPU 上；"
            "写上 device=env.device，同一行代码在有 GPU 的机器上就会把张量放到 GPU 上。"
        )
    return passed(f"形状、数值都对，张量在 {answer.device} 上，与 env.device 一致。")


# ---------------------------------------------------------------- 练习 3


def _call(func: Callable[[int], Any], seed: int) -> tuple[Any, str | None]:
    """调用学习者的函数；出错时返回 ``(None, 中文说明)``，不把异常抛给学习者。"""
    try:
        return func(seed), None
    except Exception as err:  # 学习者的代码可能抛出任何异常
        return None, f"调用 draw({seed}) 时出错：{error_summary(err)}。"


def _draws(func: Callable[[int], Any]) -> tuple[list[Any], str | None]:
    """依次调用 ``func(0)``、``func(0)``、``func(1)``；调用前后，检查器之外的随机数生成器状态不变。"""
    python_state, numpy_state = random.getstate(), np.random.get_state()
    try:
        with torch.random.fork_rng():
            results = []
            for seed in (0, 0, 1):
                result, error = _call(func, seed)
                if error:
                    return results, error
                results.append(result)
            return results, None
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)


@never_raises(what="一个函数，例如 answer = draw")
def check_3(answer: Any) -> Feedback:
    """练习 3：函数 ``draw(seed)`` 设定随机种子，再抽取 3 个 [0, 1) 上的随机数。

    检查两件事：用同一个种子调用两次，得到同样的 3 个数；换一个种子，得到的数不同。
    怎样设种子都可以（``lessons.seed_everything``、``torch.manual_seed`` 或自己的 ``torch.Generator``）。
    检查器调用你的函数前后，全局随机数生成器的状态不变，不影响笔记本里其余的随机数。
    """
    if answer is None:
        return not_answered()
    if not callable(answer):
        return failed("answer 应该是一个函数：把你写好的函数名（不带括号）赋给 answer，例如 answer = draw。")
    results, error = _draws(answer)
    if error:
        return failed(error)
    for result in results:
        if result is None:
            return not_answered(_STUB_HINT)
        problem = _not_a_tensor(result, "函数的返回值")
        if problem:
            return failed(problem)
        if tuple(result.shape) != (3,):
            return failed(f"函数应该返回形状为 (3,) 的张量，现在的形状是 {tuple(result.shape)}：写 torch.rand(3)。")
        if not result.dtype.is_floating_point:
            return failed(f"返回的张量的数据类型是 {result.dtype}，不是浮点数：torch.rand(3) 给出的是 [0, 1) 上的浮点数。")
    first, again, other = (result.detach().to("cpu").double() for result in results)
    if not (bool(((first >= 0) & (first < 1)).all()) and bool(((other >= 0) & (other < 1)).all())):
        return failed("返回的数不都在 [0, 1) 中：题目要的是 torch.rand(3)（均匀分布），不是 torch.randn（正态分布）。")
    if not torch.equal(first, again):
        return failed(
            "用同一个种子 0 调用两次，得到的数不同：要在函数里面、抽取之前设定种子，"
            "例如先写 lessons.seed_everything(seed)，再写 torch.rand(3)。"
        )
    if torch.equal(first, other):
        return failed(
            "种子 0 和种子 1 给出了同样的数：函数没有用到参数 seed（例如写成了 seed_everything(0)），"
            "或者返回的不是随机数。"
        )
    return passed("同一个种子给出同一组数，不同的种子给出不同的数：这就是可复现的随机数。")
