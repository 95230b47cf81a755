"""“开始之前”一课的练习检查器。"""

from __future__ import annotations

import torch

from ..checking import Feedback, failed, not_answered, passed, tensor_problem


def check_1(answer) -> Feedback:
    """练习 1：包含 1、2、3 三个整数的一维张量。"""
    if answer is None:
        return not_answered()
    if isinstance(answer, (list, tuple)):
        return failed("这是 Python 的列表，不是张量：用 torch.tensor([...]) 把它变成张量。")
    expected = torch.tensor([1, 2, 3])
    if isinstance(answer, torch.Tensor) and answer.dtype.is_floating_point:
        return failed("数值对了，但这是浮点数张量：写成 1、2、3（不带小数点），得到的就是整数张量 torch.int64。")
    problem = tensor_problem(answer, expected)
    if problem:
        return failed(problem)
    return passed("这是一个形状为 (3,)、类型为 torch.int64 的一维张量。")
