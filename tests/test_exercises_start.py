"""第 0 课“开始之前”练习检查器的单元测试。

笔记本 ``<details>`` 里的参考答案放进练习单元格后得到 ✅；题目没有规定具体的整数类型，
所以任何整数类型的张量都通过；浮点数张量、列表、NumPy 数组等得到针对性的提示；
任何奇怪的答案都得到中文反馈，检查器从不抛出异常。
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from test_exercises_tensor import exercises_in, run_exercise

from lessons.checking import Feedback
from lessons.exercises import start as ex

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "00_getting_started.ipynb"
CJK = re.compile(r"[\u4e00-\u9fff]")
EXERCISES = exercises_in(NOTEBOOK)


def namespace() -> dict:
    return {"torch": torch, "np": np, "ex": ex}


def test_notebook_solution_passes_and_placeholder_is_not_answered():
    assert sorted(EXERCISES) == [1]
    parts = EXERCISES[1]
    assert run_exercise(parts["cell"], parts["solution"], namespace()).ok
    unanswered = run_exercise(parts["cell"], None, namespace())
    assert unanswered.answered is False and not unanswered


@pytest.mark.parametrize(
    "answer",
    [
        torch.tensor([1, 2, 3]),
        torch.tensor([1, 2, 3], dtype=torch.int32),
        torch.tensor([1, 2, 3], dtype=torch.int16),
        torch.tensor([1, 2, 3], dtype=torch.int8),
        torch.tensor([1, 2, 3], dtype=torch.uint8),
        torch.arange(1, 4),
        torch.arange(3) + 1,
        torch.from_numpy(np.array([1, 2, 3])),
        torch.from_numpy(np.array([1, 2, 3], dtype=np.int32)),
        torch.tensor([3, 2, 1]).flip(0),
        torch.tensor([[1, 2, 3]])[0],
    ],
)
def test_every_integer_tensor_with_the_right_values_passes(answer):
    feedback = ex.check_1(answer)
    assert feedback.ok, feedback
    assert str(answer.dtype) in feedback.message


def test_non_default_integer_type_mentions_the_default():
    assert "torch.int64" in ex.check_1(torch.tensor([1, 2, 3], dtype=torch.int32)).message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (torch.tensor([1.0, 2.0, 3.0]), "浮点数张量"),
        (torch.tensor([1, 2, 3], dtype=torch.float64), "浮点数张量"),
        (torch.tensor([1.0, 2.0, 3.0], requires_grad=True), "浮点数张量"),
        (torch.tensor([1.5, 2.0, 3.0]), "数值也不对"),
        ([1, 2, 3], "列表"),
        ((1, 2, 3), "列表（或元组）"),
        (np.array([1, 2, 3]), "NumPy"),
        (np.int64(1), "NumPy"),
        (torch.tensor([[1, 2, 3]]), "不是一维的"),
        (torch.tensor([[1], [2], [3]]), "不是一维的"),
        (torch.tensor(1), "形状为 (3,)"),
        (torch.tensor([1, 2, 3, 4]), "应该有 3 个元素"),
        (torch.tensor([3, 2, 1]), "顺序不对"),
        (torch.arange(3), "从 0 开始"),
        (torch.tensor([1, 2, 4]), "依次是 1、2、3"),
        (torch.tensor([True, True, True]), "torch.bool"),
        (torch.tensor([1, 2, 3], dtype=torch.complex64), "torch.complex64"),
        ("[1, 2, 3]", "torch.Tensor"),
        (3, "torch.Tensor"),
    ],
)
def test_each_mistake_gets_its_hint(answer, hint):
    feedback = ex.check_1(answer)
    assert not feedback
    assert hint in feedback.message, feedback.message


@pytest.mark.parametrize(
    "answer",
    [
        float("nan"),
        float("inf"),
        torch.tensor([float("nan")] * 3),
        torch.tensor([float("inf"), 2.0, 3.0]),
        torch.empty(3, device="meta"),
        torch.empty(3, dtype=torch.long, device="meta"),
        {"answer": [1, 2, 3]},
        (n for n in range(3)),
        lambda: torch.tensor([1, 2, 3]),
        object(),
        torch.zeros(0),
    ],
    ids=lambda a: type(a).__name__,
)
def test_checker_never_raises_and_answers_in_chinese(answer):
    feedback = ex.check_1(answer)
    assert isinstance(feedback, Feedback)
    assert not feedback
    assert CJK.search(feedback.message), feedback.message


def test_none_is_not_answered():
    feedback = ex.check_1(None)
    assert feedback.answered is False and not feedback
