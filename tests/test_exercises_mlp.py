"""第 6 课（多层感知机）练习检查器的单元测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from lessons import training
from lessons.exercises import mlp as ex

# ---------------------------------------------------------------- 练习 1


def test_check_1_not_answered():
    fb = ex.check_1(None)
    assert fb.answered is False
    assert not fb


def test_check_1_reference_solution_passes():
    answer = (3 * 16 + 16) + (16 * 8 + 8) + (8 * 1 + 1)
    fb = ex.check_1(answer)
    assert fb, fb.message
    net = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 1))
    assert ex.check_1(sum(p.numel() for p in net.parameters()))
    assert ex.check_1(torch.tensor(209))
    assert ex.check_1(209.0)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (3 * 16 + 16 * 8 + 8 * 1, "只是权重"),
        (16 + 8 + 1, "只是偏置"),
        (3 * 16 + 16 + 16 * 8 + 8, "最后一层"),
        (210, "每个 nn.Linear"),
        (209.5, "整数"),
        ("209", "应该是一个整数"),
        (torch.tensor([209, 1]), "形状"),
        (True, "应该是一个整数"),
    ],
)
def test_check_1_wrong_answers_get_hints(answer, hint):
    fb = ex.check_1(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


# ---------------------------------------------------------------- 练习 2


def reference_2() -> nn.Sequential:
    """参考答案（与笔记本中 <details> 里的代码相同）。"""
    return nn.Sequential(
        nn.Linear(4, 10), nn.ReLU(),
        nn.Linear(10, 10), nn.ReLU(),
        nn.Linear(10, 3),
    )


def test_check_2_not_answered():
    fb = ex.check_2(None)
    assert fb.answered is False
    assert not fb


def test_check_2_reference_solution_passes():
    fb = ex.check_2(reference_2())
    assert fb, fb.message
    assert "193" in fb.message


class _Subclass(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = reference_2()

    def forward(self, x):
        return self.net(x)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("nn.Sequential", "应该是一个模型"),
        (_Subclass(), "nn.Sequential"),
        (nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 3)), "3 个全连接层"),
        (nn.Sequential(nn.Linear(10, 4), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 3)), "反了"),
        (nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 3)), "nn.Linear(10, 10)"),
        (nn.Sequential(nn.Linear(4, 10), nn.Linear(10, 10), nn.Linear(10, 3)), "没有激活函数"),
        (
            nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 3), nn.ReLU()),
            "输出层后面不要加 ReLU",
        ),
        (nn.Sequential(nn.Linear(4, 10), nn.Tanh(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 3)), "层的顺序"),
    ],
)
def test_check_2_wrong_answers_get_hints(answer, hint):
    fb = ex.check_2(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


# ---------------------------------------------------------------- 练习 3


def train_moons(x_train, y_train):
    """参考答案（与笔记本中 <details> 里的代码相同，device 换成 CPU）。"""
    model = nn.Sequential(
        nn.Linear(2, 16), nn.ReLU(),
        nn.Linear(16, 16), nn.ReLU(),
        nn.Linear(16, 1),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    targets = y_train.float().unsqueeze(1)  # (n,) 的整数 → (n, 1) 的浮点数
    training.fit(model, x_train, targets, nn.BCEWithLogitsLoss(), optimizer, epochs=300, device="cpu")
    return model


def test_check_3_not_answered():
    assert ex.check_3(None).answered is False

    def stub(x_train, y_train):
        return None

    fb = ex.check_3(stub)
    assert fb.answered is False
    assert not fb


def test_check_3_reference_solution_passes():
    fb = ex.check_3(train_moons)
    assert fb, fb.message
    assert "测试准确率" in fb.message


def test_check_3_restores_random_state():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    ex.check_3(train_moons)
    assert torch.equal(torch.rand(3), expected)


def test_check_3_two_column_output_passes():
    def two_logits(x_train, y_train):
        model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 2))
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        training.fit(model, x_train, y_train, nn.CrossEntropyLoss(), optimizer, epochs=300)
        return model

    fb = ex.check_3(two_logits)
    assert fb, fb.message


def _untrained(x_train, y_train):
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))


def _linear(x_train, y_train):
    model = nn.Linear(2, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    training.fit(model, x_train, y_train.float().unsqueeze(1), nn.BCEWithLogitsLoss(), optimizer, epochs=300)
    return model


def _raises(x_train, y_train):
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    # 常见错误：直接把形状 (n,) 的整数标签交给 BCEWithLogitsLoss
    training.fit(model, x_train, y_train, nn.BCEWithLogitsLoss(), optimizer, epochs=10)
    return model


def _wrong_shape(x_train, y_train):
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (42, "应该是一个函数"),
        (lambda x, y: "model", "应该返回训练好的模型"),
        (_untrained, "还没有学会"),
        (lambda x, y: nn.Sequential(nn.Linear(2, 16), nn.Linear(16, 1)), "模型是线性的"),
        (_linear, "模型是线性的"),
        (_raises, "调用 train_moons(x_train, y_train) 时出错"),
        (_wrong_shape, "做预测时出错"),
        (lambda x, y: nn.ReLU(), "没有任何参数"),
    ],
)
def test_check_3_wrong_answers_get_hints(answer, hint):
    fb = ex.check_3(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message
