"""第 0 课“开始之前”练习检查器的单元测试。

笔记本 ``<details>`` 里的参考答案放进练习单元格后得到 ✅；题目没有规定的地方（整数或浮点的具体类型、
怎样设随机种子）任何写法都通过；常见的错误得到针对性的提示；任何奇怪的答案都得到中文反馈，
检查器从不抛出异常；练习 3 的检查器不改变检查器之外的随机数生成器状态。
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from test_exercises_tensor import exercises_in, run_exercise

import lessons
from lessons.checking import Feedback
from lessons.exercises import start as ex

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "00_getting_started.ipynb"
CJK = re.compile(r"[\u4e00-\u9fff]")
EXERCISES = exercises_in(NOTEBOOK)


def namespace() -> dict:
    env = SimpleNamespace(device=lessons.get_device())  # 与笔记本里 lessons.setup() 返回的 env.device 相同
    return {"torch": torch, "np": np, "ex": ex, "lessons": lessons, "env": env}


def test_notebook_has_three_exercises_with_solutions():
    assert sorted(EXERCISES) == [1, 2, 3]
    for number, parts in EXERCISES.items():
        assert "cell" in parts and "solution" in parts, f"练习 {number} 缺少答案单元格或参考答案"


@pytest.mark.parametrize("number", [1, 2, 3])
def test_notebook_solution_passes_and_placeholder_is_not_answered(number):
    parts = EXERCISES[number]
    feedback = run_exercise(parts["cell"], parts["solution"], namespace())
    assert feedback.ok, f"练习 {number} 的参考答案没有通过：{feedback}"
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


# ---------------------------------------------------------------- 练习 2


@pytest.mark.parametrize(
    "make",
    [
        lambda d: torch.ones(2, 3, device=d),
        lambda d: torch.ones(2, 3).to(d),
        lambda d: torch.full((2, 3), 1.0, device=d),
        lambda d: torch.ones(2, 3, dtype=torch.float64, device=d),
        lambda d: torch.ones(2, 3, dtype=torch.float16, device=d),
        lambda d: torch.ones(2, 3, device=d, requires_grad=True),
        lambda d: torch.ones(3, 2, device=d).T,
        lambda d: torch.tensor([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], device=d),
    ],
)
def test_check_2_accepts_every_right_answer(make):
    feedback = ex.check_2(make(lessons.get_device()))
    assert feedback.ok, feedback


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (torch.ones(3, 2), "形状反了"),
        (torch.ones(6), "形状应为 (2, 3)"),
        (torch.ones(1, 2, 3), "形状应为 (2, 3)"),
        (torch.ones(2, 3, dtype=torch.int64), "不是浮点数张量"),
        (torch.ones(2, 3, dtype=torch.bool), "不是浮点数张量"),
        (torch.zeros(2, 3), "元素应该全是 1"),
        ([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], "列表"),
        (np.ones((2, 3)), "NumPy"),
        ("torch.ones(2, 3)", "torch.Tensor"),
    ],
)
def test_check_2_gives_each_mistake_its_hint(answer, hint):
    feedback = ex.check_2(answer)
    assert not feedback
    assert hint in feedback.message, feedback.message


def test_check_2_wants_the_device_that_lessons_chose(monkeypatch):
    tensor = torch.ones(2, 3)
    monkeypatch.setattr(ex, "get_device", lambda: torch.device("cuda"))
    feedback = ex.check_2(tensor)
    assert not feedback and "env.device 是 cuda" in feedback.message and ".to(env.device)" in feedback.message
    monkeypatch.setattr(ex, "get_device", lambda: torch.device("cpu"))
    assert ex.check_2(tensor).ok and "有 GPU 的机器" in ex.check_2(tensor).message


# ---------------------------------------------------------------- 练习 3


def _seeded_with_lessons(seed):
    lessons.seed_everything(seed)
    return torch.rand(3)


def _seeded_with_torch(seed):
    torch.manual_seed(seed)
    return torch.rand(3)


def _own_generator(seed):
    return torch.rand(3, generator=torch.Generator().manual_seed(seed))


def _float64(seed):
    torch.manual_seed(seed)
    return torch.rand(3, dtype=torch.float64)


def _uniform_in_place(seed):
    torch.manual_seed(seed)
    return torch.empty(3).uniform_()


@pytest.mark.parametrize("draw", [_seeded_with_lessons, _seeded_with_torch, _own_generator, _float64, _uniform_in_place])
def test_check_3_accepts_every_right_answer(draw):
    feedback = ex.check_3(draw)
    assert feedback.ok, feedback


def _no_seed(seed):
    return torch.rand(3)


def _fixed_seed(seed):
    lessons.seed_everything(0)
    return torch.rand(3)


def _normal(seed):
    torch.manual_seed(seed)
    return torch.randn(3)


def _constant(seed):
    return torch.tensor([0.1, 0.2, 0.3])


def _raises(seed):
    raise ValueError("出错了")


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (_no_seed, "用同一个种子 0 调用两次，得到的数不同"),
        (_fixed_seed, "没有用到参数 seed"),
        (_constant, "没有用到参数 seed"),
        (_normal, "不是 torch.randn"),
        (lambda seed: torch.rand(2), "形状为 (3,)"),
        (lambda seed: torch.rand(1, 3), "形状为 (3,)"),
        (lambda seed: torch.tensor([0, 0, 0]), "不是浮点数"),
        (lambda seed: [0.1, 0.2, 0.3], "列表"),
        (lambda seed: np.random.rand(3), "NumPy"),
        (lambda seed: 0.5, "torch.Tensor"),
        (_raises, "调用 draw(0) 时出错：ValueError: 出错了"),
        (lambda: torch.rand(3), "调用 draw(0) 时出错：TypeError"),
        (torch.rand(3), "应该是一个函数"),
    ],
)
def test_check_3_gives_each_mistake_its_hint(answer, hint):
    feedback = ex.check_3(answer)
    assert not feedback
    assert hint in feedback.message, feedback.message


def test_check_3_stub_is_not_answered():
    feedback = ex.check_3(lambda seed: None)
    assert feedback.answered is False and "return None" in feedback.message


def test_check_3_leaves_the_random_state_alone():
    lessons.seed_everything(123)
    expected = (random.random(), np.random.rand(), torch.rand(1).item())
    lessons.seed_everything(123)
    ex.check_3(_seeded_with_lessons)
    ex.check_3(_raises)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == expected


@pytest.mark.parametrize("check", [ex.check_2, ex.check_3])
@pytest.mark.parametrize(
    "answer",
    [
        float("nan"),
        torch.empty(2, 3, device="meta"),
        lambda seed: torch.empty(3, device="meta"),
        lambda seed: torch.full((3,), float("nan")),
        {"answer": 1},
        object(),
    ],
    ids=lambda a: type(a).__name__,
)
def test_new_checkers_never_raise_and_answer_in_chinese(check, answer):
    feedback = check(answer)
    assert isinstance(feedback, Feedback)
    assert not feedback
    assert CJK.search(feedback.message), feedback.message


def test_check_3_calls_draw_three_times_as_the_exercise_says():
    seeds = []

    def draw(seed):
        seeds.append(seed)
        torch.manual_seed(seed)
        return torch.rand(3)

    assert ex.check_3(draw)
    assert seeds == [0, 0, 1]


def test_check_3_names_the_call_that_failed():
    calls = []

    def draw(seed):
        calls.append(seed)
        if len(calls) == 3:
            raise ValueError("第三次出错")
        torch.manual_seed(seed)
        return torch.rand(3)

    feedback = ex.check_3(draw)
    assert not feedback and "调用 draw(1) 时出错：ValueError: 第三次出错" in feedback.message, feedback
