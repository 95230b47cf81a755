"""第 6 课（多层感知机）练习检查器的单元测试。

参考答案只有一份：笔记本里每道练习的 ``<details>``。这里把它从笔记本中读出来、运行，
再交给检查器，所以笔记本里的参考答案一旦写错，这里的测试就会失败。
其余测试覆盖各种等价的正确写法、常见的错误答案（要有对应的提示）和各种奇怪的输入（不能抛出异常）。
"""

from __future__ import annotations

import re
import types
import warnings
from fractions import Fraction
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
from conftest import stable_id
from lesson_cells import lesson_solutions
from torch import nn

from lessons import training
from lessons.checking import Feedback
from lessons.exercises import mlp as ex

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "06_mlp.ipynb"
CJK = re.compile(r"[\u4e00-\u9fff]")
CHECKERS = {1: ex.check_1, 2: ex.check_2, 3: ex.check_3}


def solution_code(number: int) -> str:
    """笔记本中练习 ``number`` 的 ``<details>`` 里的参考答案代码。"""
    cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "markdown"]
    start = next(i for i, text in enumerate(cells) if re.search(rf"^### 练习 {number}\s*$", text, re.M))
    details = next(text for text in cells[start + 1 :] if "<details>" in text)
    blocks = re.findall(r"```python\n(.*?)```", details, re.S)
    assert blocks, f"练习 {number} 的参考答案里没有 python 代码块"
    return "\n".join(blocks)


def run_solution(number: int) -> dict:
    """在一个只含笔记本里那些名字的命名空间中运行参考答案，返回这个命名空间。"""
    namespace = {
        "torch": torch,
        "nn": nn,
        "training": training,
        "ex": ex,
        "env": types.SimpleNamespace(device=torch.device("cpu")),
    }
    exec(compile(solution_code(number), f"练习 {number} 的参考答案", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.mark.parametrize("number", [1, 2, 3])
def test_notebook_solution_passes_its_checker(number):
    namespace = run_solution(number)
    answer = namespace["train_moons"] if number == 3 else namespace["answer"]
    fb = CHECKERS[number](answer)
    assert fb, fb.message


@pytest.mark.parametrize("check", CHECKERS.values(), ids=lambda c: c.__name__)
def test_placeholder_is_not_answered(check):
    fb = check(None)
    assert fb.answered is False
    assert not fb


# ---------------------------------------------------------------- 练习 1


@pytest.mark.parametrize(
    "answer",
    [
        209,
        209.0,
        np.int64(209),
        np.int32(209),
        np.float32(209),
        np.array(209),
        np.array([209]),
        [209],
        (209,),
        Fraction(209),
        torch.tensor(209),
        torch.tensor(209, dtype=torch.int32),
        torch.tensor([209.0], requires_grad=True),
    ],
    ids=stable_id,
)
def test_check_1_accepts_every_form_of_the_right_number(answer):
    fb = ex.check_1(answer)
    assert fb, fb.message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (3 * 16 + 16 * 8 + 8 * 1, "只是权重"),
        (16 + 8 + 1, "只是偏置"),
        (3 * 16 + 16 + 16 * 8 + 8, "最后一层"),
        (3 * 16 + 16 * 8 + 8 + 3 + 16 + 8, "不是输入个数"),
        (210, "每个 nn.Linear"),
        (np.int64(210), "每个 nn.Linear"),
        (209.5, "整数"),
        ("209", "去掉引号"),
        (torch.tensor([209, 1]), "形状"),
        (np.array([209, 1]), "形状"),
        ([209, 1], "2 个元素"),
        (True, "布尔值"),
        (np.bool_(True), "布尔值"),
        (float("nan"), "有限"),
        (float("inf"), "有限"),
        (10**400, "大得离谱"),
        ({"answer": 209}, "应该是一个整数"),
    ],
    ids=stable_id,
)
def test_check_1_wrong_answers_get_hints(answer, hint):
    fb = ex.check_1(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


# ---------------------------------------------------------------- 练习 2


def _mlp(first: nn.Module, second: nn.Module, *, double: bool = False) -> nn.Sequential:
    model = nn.Sequential(nn.Linear(4, 10), first, nn.Linear(10, 10), second, nn.Linear(10, 3))
    return model.double() if double else model


class _Swish(nn.Module):
    """学习者自己写的激活函数（没有参数）。"""

    def forward(self, x):
        return x * torch.sigmoid(x)


class _Raises(nn.Module):
    def forward(self, x):
        raise RuntimeError("learner bug")


@pytest.mark.parametrize(
    "answer",
    [
        _mlp(nn.ReLU(), nn.ReLU(), double=True),
        _mlp(nn.Tanh(), nn.Tanh()),
        _mlp(nn.LeakyReLU(), nn.LeakyReLU(0.2)),
        _mlp(nn.Tanh(), nn.ReLU()),
        _mlp(nn.PReLU(), nn.GELU()),
        _mlp(nn.Sigmoid(), nn.ELU()),
        _mlp(_Swish(), _Swish()),
        nn.Sequential(nn.Sequential(nn.Linear(4, 10), nn.ReLU()), nn.Sequential(nn.Linear(10, 10), nn.ReLU()),
                      nn.Linear(10, 3)),
        nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Dropout(0.5), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 3)),
    ],
    ids=["double", "tanh", "leaky_relu", "mixed", "prelu_gelu", "sigmoid_elu", "custom", "nested", "dropout"],
)
def test_check_2_accepts_any_nonlinearity_dtype_and_nesting(answer):
    fb = ex.check_2(answer)
    assert fb, fb.message
    assert "(5, 3)" in fb.message


def test_check_2_passed_message_counts_parameters():
    fb = ex.check_2(_mlp(nn.ReLU(), nn.ReLU()))
    assert fb and "193" in fb.message and "ReLU" in fb.message


def test_check_2_does_not_change_the_learners_model_mode():
    model = nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Dropout(0.5), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 3))
    model.train()
    assert ex.check_2(model)
    assert all(m.training for m in model.modules())


class _Subclass(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = _mlp(nn.ReLU(), nn.ReLU())

    def forward(self, x):
        return self.net(x)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("nn.Sequential", "应该是一个模型"),
        (nn.Sequential, "还没有创建对象"),
        ([nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 3)], "nn.Sequential(*layers)"),
        (_Subclass(), "nn.Sequential"),
        (nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 3)), "3 个全连接层"),
        (nn.Sequential(nn.Linear(10, 4), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 3)), "反了"),
        (nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 3)), "nn.Linear(10, 10)"),
        (nn.Sequential(nn.Linear(4, 10), nn.Linear(10, 10), nn.Linear(10, 3)), "没有激活函数"),
        (_mlp(nn.ReLU(), nn.Identity()), "第 2 个隐藏层之后"),
        (_mlp(nn.LeakyReLU(1.0), nn.ReLU()), "第 1 个隐藏层之后"),
        (nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 10), nn.Linear(10, 3), nn.ReLU()), "第 2 个隐藏层之后"),
        (nn.Sequential(*_mlp(nn.ReLU(), nn.ReLU()), nn.ReLU()), "输出层后面不要加激活函数"),
        (nn.Sequential(*_mlp(nn.ReLU(), nn.ReLU()), nn.Sigmoid()), "输出层后面不要加激活函数"),
        (nn.Sequential(nn.ReLU(), *_mlp(nn.ReLU(), nn.ReLU())), "第一个 nn.Linear 之前"),
        (_mlp(nn.Sequential(nn.BatchNorm1d(10), nn.ReLU()), nn.ReLU()), "BatchNorm1d"),
        (nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), _Raises(), nn.Linear(10, 3)), "出错"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) else v,
)
def test_check_2_wrong_answers_get_hints(answer, hint):
    fb = ex.check_2(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


# ---------------------------------------------------------------- 练习 3


def _model() -> nn.Sequential:
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))


def _own_loop(model, x, target, loss_fn, epochs=300, lr=0.01):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss_fn(model(x), target).backward()
        optimizer.step()
    return model


def test_check_3_restores_random_state():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    ex.check_3(lambda x, y: _model())
    assert torch.equal(torch.rand(3), expected)


class _NoisyInTrainingMode(nn.Module):
    """评估模式下就是训练好的模型；训练模式下给输出加上很大的随机噪声（像 Dropout 一样会消耗随机数）。"""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x):
        out = self.net(x)
        return out + 100 * torch.randn_like(out) if self.training else out


def _trained_model() -> nn.Sequential:
    x_train, y_train, _, _ = ex.exercise_3_data()
    torch.manual_seed(0)
    return _own_loop(_model(), x_train, y_train.float().unsqueeze(1), nn.BCEWithLogitsLoss())


def test_check_3_evaluates_in_eval_mode_restores_modes_and_random_state():
    model = _NoisyInTrainingMode(_trained_model())
    model.train()
    _, _, x_test, y_test = ex.exercise_3_data()
    expected = training.accuracy(model, x_test, y_test)  # 评估模式下的准确率
    torch.manual_seed(123)
    after = torch.rand(3)
    torch.manual_seed(123)
    fb = ex.check_3(lambda x, y: model)
    assert fb, fb.message
    assert f"{expected:.1%}" in fb.message
    assert torch.equal(torch.rand(3), after)
    assert all(m.training for m in model.modules())


def test_check_2_forward_in_eval_mode_keeps_random_state():
    model = nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Dropout(0.5), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 3))
    torch.manual_seed(7)
    after = torch.rand(3)
    torch.manual_seed(7)
    assert ex.check_2(model)
    assert torch.equal(torch.rand(3), after)


def test_check_3_accepts_two_logits_with_cross_entropy():
    def two_logits(x_train, y_train):
        model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 2))
        return _own_loop(model, x_train, y_train, nn.CrossEntropyLoss())

    fb = ex.check_3(two_logits)
    assert fb, fb.message


def test_check_3_accepts_a_float64_model_and_a_squeezed_output():
    class Squeezed(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = _model()

        def forward(self, x):
            return self.net(x).squeeze(1)  # 输出形状 (n,)

    def float64(x_train, y_train):
        model = Squeezed().double()
        return _own_loop(model, x_train.double(), y_train.double(), nn.BCEWithLogitsLoss(), epochs=150, lr=0.02)

    fb = ex.check_3(float64)
    assert fb, fb.message


def _sigmoid_bce(x_train, y_train):
    model = nn.Sequential(_model(), nn.Sigmoid())
    return _own_loop(model, x_train, y_train.float().unsqueeze(1), nn.BCELoss(), epochs=150, lr=0.02)


def _integer_labels_own_loop(x_train, y_train):
    return _own_loop(_model(), x_train, y_train.unsqueeze(1), nn.BCEWithLogitsLoss(), epochs=2)


def _flat_labels_own_loop(x_train, y_train):
    return _own_loop(_model(), x_train, y_train.float(), nn.BCEWithLogitsLoss(), epochs=2)


def _integer_labels_fit(x_train, y_train):
    model = _model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    training.fit(model, x_train, y_train.unsqueeze(1), nn.BCEWithLogitsLoss(), optimizer, epochs=2)
    return model


def _flat_labels_fit(x_train, y_train):
    model = _model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    training.fit(model, x_train, y_train.float(), nn.BCEWithLogitsLoss(), optimizer, epochs=2)
    return model


def _linear(x_train, y_train):
    return _own_loop(nn.Linear(2, 1), x_train, y_train.float().unsqueeze(1), nn.BCEWithLogitsLoss(), lr=0.05)


def _mse_broadcast(x_train, y_train):
    # 常见错误：(n, 1) 的输出配 (n,) 的目标，均方误差被广播成 (n, n)
    return _own_loop(_model(), x_train, y_train.float(), nn.MSELoss(), epochs=30)


def _nan_model(x_train, y_train):
    model = _model()
    with torch.no_grad():
        model[0].weight.fill_(float("nan"))
    return model


def _forward_raises(x_train, y_train):
    return nn.Sequential(nn.Linear(2, 16), _Raises())


@pytest.mark.parametrize(
    ("answer", "hints"),
    [
        (42, ["应该是一个函数"]),
        (_model(), ["题目要的是函数"]),
        (lambda x, y: "model", ["应该返回训练好的模型"]),
        (lambda x, y: (_model(), []), ["只返回训练好的模型"]),
        (lambda x, y: None, ["还在返回 None"]),
        (lambda x: _model(), ["两个参数"]),
        (lambda x, y: 1 / 0, ["ZeroDivisionError"]),
        (lambda x, y: _model(), ["还没有学会"]),
        (lambda x, y: nn.Sequential(nn.Linear(2, 16), nn.Linear(16, 1)), ["模型是线性的"]),
        (_linear, ["模型是线性的"]),
        (_integer_labels_own_loop, ["浮点数", "y_train.float()"]),
        (_flat_labels_own_loop, ["形状", "unsqueeze(1)"]),
        (_integer_labels_fit, ["浮点数"]),
        (_flat_labels_fit, ["形状"]),
        (_mse_broadcast, ["形状"]),
        (_nan_model, ["nan"]),
        (_forward_raises, ["做预测时出错"]),
        (lambda x, y: nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3)), ["做预测时出错"]),
        (lambda x, y: nn.ReLU(), ["没有任何参数"]),
    ],
    ids=lambda v: getattr(v, "__name__", type(v).__name__) if not isinstance(v, list) else "",
)
def test_check_3_wrong_answers_get_hints(answer, hints):
    fb = ex.check_3(answer)
    assert not fb
    for hint in hints:
        assert hint in fb.message, fb.message
    assert CJK.search(fb.message)


def test_check_3_sigmoid_with_bce_loss_gets_the_logit_hint():
    """最后一层是 Sigmoid、损失是 BCELoss：模型学得不错，但输出的是概率；提示要说清这一点。"""
    fb = ex.check_3(_sigmoid_bce)
    assert not fb
    for hint in ("nn.Sigmoid()", "对数几率", "BCEWithLogitsLoss"):
        assert hint in fb.message, fb.message
    assert "logit" not in fb.message, "提示里的术语用中文“对数几率”"
    match = re.search(r"若按 0.5 分界则是 ([\d.]+)%", fb.message)
    assert match and float(match.group(1)) > 90, fb.message


# ---------------------------------------------------------------- 任何输入都不抛出异常


def _gen():
    yield 209


WEIRD = [
    float("nan"),
    float("inf"),
    "",
    "answer",
    [],
    {},
    (),
    object(),
    _gen(),
    torch.tensor(float("nan")),
    torch.empty(0),
    torch.ones(2, 3, requires_grad=True),
    np.array([[1, 2]]),
    np.array("text"),
    nn.Module(),
    nn.Sequential(),
    _Raises(),
    lambda *args: (_ for _ in ()).throw(ValueError("bad")),
    type,
]


@pytest.mark.parametrize("number", [1, 2, 3])
@pytest.mark.parametrize("answer", WEIRD, ids=lambda v: type(v).__name__)
def test_checkers_never_raise_and_answer_in_chinese(number, answer):
    fb = CHECKERS[number](answer)
    assert isinstance(fb, Feedback)
    assert not fb
    assert CJK.search(fb.message), fb.message


# ---------------------------------------------------------------- 练习表：编号、调用之前的判断、警告


def test_exercise_table_numbering_matches_the_notebook():
    """check_N 由表 EXERCISES 中的位置生成；笔记本中“练习 N”的单元格调用的正是 ex.check_N。"""
    found = lesson_solutions(NOTEBOOK.with_suffix(".py"))
    assert sorted(found) == [1, 2, 3] and len(ex.EXERCISES) == 3
    for number, (cell, _, _) in found.items():
        assert re.search(rf"ex\.check_{number}\(", cell), f"练习 {number} 的单元格没有调用 ex.check_{number}"
        assert CHECKERS[number].__name__ == f"check_{number}"


def test_check_3_not_a_function_says_how_to_define_it():
    fb = ex.check_3(42)
    assert not fb and "def train_moons(x_train, y_train):" in fb.message


def test_check_3_forgotten_return_is_not_answered_and_says_return_the_model():
    def forgets_return(x_train, y_train):
        model = _model()
        model(x_train)

    fb = ex.check_3(forgets_return)
    assert fb.answered is False and not fb
    assert "return 模型" in fb.message


def test_check_3_broadcast_warning_is_explained_not_shown():
    """MSELoss 配 (n,) 的目标时，PyTorch 发出 “target size” 警告：反馈里用中文说明，警告本身不显示。"""
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        fb = ex.check_3(_mse_broadcast)
    assert not fb
    assert "损失被广播了" in fb.message and "(n, 1)" in fb.message
    assert not shown


def test_check_2_meta_model_gets_a_hint_and_warnings_are_not_shown():
    meta = nn.Sequential(
        nn.Linear(4, 10, device="meta"), nn.ReLU(), nn.Linear(10, 10, device="meta"), nn.ReLU(),
        nn.Linear(10, 3, device="meta"),
    )
    softmax = _mlp(nn.Softmax(), nn.ReLU())  # 不写 dim 的 nn.Softmax() 每次调用都会警告
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        fb_meta, fb_softmax = ex.check_2(meta), ex.check_2(softmax)
    assert not fb_meta and "meta" in fb_meta.message
    assert fb_softmax, fb_softmax.message
    assert not shown


# ---------------------------------------------------------------- 练习 3：学习者式探测中发现的提示


def _inverted_labels(x_train, y_train):
    return _own_loop(_model(), x_train, (1 - y_train).float().unsqueeze(1), nn.BCEWithLogitsLoss())


def _bool_labels(x_train, y_train):
    return _own_loop(_model(), x_train, y_train.bool().unsqueeze(1), nn.BCEWithLogitsLoss(), epochs=2)


def _cross_entropy_one_logit(x_train, y_train):
    return _own_loop(_model(), x_train, y_train, nn.CrossEntropyLoss(), epochs=2)


@pytest.mark.parametrize(
    ("answer", "hints"),
    [
        (_inverted_labels, ["写反", "1 - y_train"]),
        (_bool_labels, ["布尔值", "y_train.float()"]),
        (_cross_entropy_one_logit, ["nn.CrossEntropyLoss 要求", "2 列", "nn.BCEWithLogitsLoss"]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_check_3_more_specific_hints(answer, hints):
    fb = ex.check_3(answer)
    assert not fb and fb.answered
    for hint in hints:
        assert hint in fb.message, fb.message
