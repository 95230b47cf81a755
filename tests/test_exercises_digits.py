"""第 7 课（手写数字识别）练习检查器的单元测试。"""

from __future__ import annotations

import copy
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from lesson_cells import lesson_imports, lesson_solutions
from torch import nn
from torch.utils.data import DataLoader, Dataset, TensorDataset

from lessons import data
from lessons.checking import Feedback
from lessons.exercises import digits as ex

# ---------------------------------------------------------------- 练习 1


def accuracy_reference(logits, labels):
    """参考答案（与笔记本中 <details> 里的代码相同）。"""
    predictions = logits.argmax(dim=1)
    return (predictions == labels).float().mean().item()


@pytest.mark.parametrize(
    "answer",
    [
        accuracy_reference,
        lambda logits, labels: (logits.argmax(dim=1) == labels).float().mean(),  # 零维张量
        lambda logits, labels: (logits.argmax(dim=1) == labels).double().mean().reshape(1),  # 一个元素的张量
        lambda logits, labels: np.mean(logits.numpy().argmax(axis=1) == labels.numpy()),  # NumPy 标量
        lambda logits, labels: (logits.softmax(dim=1).argmax(dim=1) == labels).sum().item() / len(labels),
        lambda logits, labels: float(torch.sum(torch.max(logits, 1).indices == labels)) / labels.numel(),
        # 两个整数张量用 / 相除是真除法，得到浮点数，不是整除
        lambda logits, labels: (logits.argmax(dim=1) == labels).long().sum() / torch.tensor(len(labels)),
    ],
)
def test_check_1_accepts_every_correct_form(answer):
    fb = ex.check_1(answer)
    assert fb, fb.message


def test_check_1_not_answered():
    assert ex.check_1(None).answered is False

    def stub(logits, labels):
        return None

    fb = ex.check_1(stub)
    assert fb.answered is False
    assert not fb


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("accuracy", "应该是一个函数"),
        (lambda logits, labels: (logits.argmax(dim=1) == labels).mean(), ".float()"),
        (lambda logits, labels: (logits.argmax(dim=0) == labels).float().mean(), "argmax(dim=1)"),
        (lambda logits, labels: (logits.argmax(dim=1) == labels).sum().item(), "猜对的个数"),
        (lambda logits, labels: 100 * accuracy_reference(logits, labels), "百分数"),
        (lambda logits, labels: (logits.argmax(dim=1) == labels).sum() // len(labels), "整除"),
        (lambda logits, labels: logits.argmax(dim=1) == labels, "求平均"),
        (lambda logits, labels: "0.5", "应该返回一个数"),
        (lambda logits, labels: (logits.argmin(dim=1) == labels).float().mean().item(), "logits.argmax(dim=1)"),
    ],
)
def test_check_1_wrong_answers_get_hints(answer, hint):
    fb = ex.check_1(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


@pytest.mark.parametrize(
    "answer",
    [
        lambda logits, labels: (logits.argmax() == labels).float().mean(),
        lambda logits, labels: (logits.argmax() == labels).float().mean().item(),
        lambda logits, labels: (torch.argmax(logits) == labels).sum().item() / len(labels),
    ],
)
def test_check_1_argmax_without_dim_gets_its_own_hint(answer):
    fb = ex.check_1(answer)
    assert not fb
    assert "argmax() 没有写 dim" in fb.message and "argmax(dim=1)" in fb.message
    assert "整除" not in fb.message


@pytest.mark.parametrize(
    "answer",
    [
        lambda logits, labels: (logits.argmax(dim=1) == labels).sum() // len(labels),
        lambda logits, labels: (logits.argmax(dim=1) == labels).sum().item() // len(labels),
    ],
)
def test_check_1_floor_division_hint_names_the_causes_of_zero(answer):
    fb = ex.check_1(answer)
    assert not fb
    assert "整除 //" in fb.message
    assert "argmax(dim=1)" in fb.message and "最大值本身 max" in fb.message  # 结果为 0 的另一个原因
    assert "整数张量相除" not in fb.message and "没有写 dim" not in fb.message
    assert "max 返回的 values" not in fb.message  # 追加的数据已排除了“比较最大值本身”


@pytest.mark.parametrize(
    "answer",
    [
        lambda logits, labels: (logits.max(dim=1).values == labels).float().mean().item(),
        lambda logits, labels: (torch.max(logits, 1)[0] == labels).float().mean(),
        lambda logits, labels: (logits.amax(dim=1) == labels).sum().item() / len(labels),
    ],
)
def test_check_1_comparing_max_values_gets_its_own_hint(answer):
    fb = ex.check_1(answer)
    assert not fb
    assert fb.answered
    assert "max 返回的 values" in fb.message and "argmax(dim=1)" in fb.message
    assert "整除" not in fb.message


def test_check_1_zero_hint_when_the_probe_fails():
    """在追加的数据上出错或返回别的值时，给出同时提到两种原因的提示，不抛出异常。"""

    def answer(logits, labels):
        if logits.shape == (3, 3):
            raise RuntimeError("只在追加的数据上出错")
        return 0.0

    fb = ex.check_1(answer)
    assert not fb
    assert "整除 //" in fb.message and "最大值本身 max" in fb.message


def test_check_1_first_case_tells_the_mistakes_apart():
    logits, labels = ex._ex1_cases()[0]
    assert ex._ex1_expected(logits, labels) == 0.5
    assert ex._ex1_without_dim(logits, labels) == 1.0
    assert (logits.argmax(dim=1) == labels).sum().item() // len(labels) == 0
    assert (logits.max(dim=1).values == labels).float().mean().item() == 0.0


def test_check_1_max_values_probe_tells_max_values_from_floor_division():
    logits, labels = ex._ex1_max_values_probe()
    assert abs(ex._ex1_expected(logits, labels) - 2 / 3) < 1e-6
    assert (logits.max(dim=1).values == labels).float().mean().item() == 1.0
    assert (logits.argmax(dim=1) == labels).sum().item() // len(labels) == 0


# ---------------------------------------------------------------- 练习 2


def make_dataset_class(getitem):
    class Answer(Dataset):
        def __init__(self, images, labels):
            self.images, self.labels = images, labels

        def __len__(self):
            return len(self.labels)

        __getitem__ = getitem

    return Answer


def _reference_getitem(self, index):
    return self.images[index] / 16, self.labels[index]


@pytest.mark.parametrize(
    "getitem",
    [
        _reference_getitem,
        lambda self, i: (self.images[i] / 16.0, int(self.labels[i])),  # Python 整数标签
        lambda self, i: (self.images[i].double() / 16, self.labels[i]),  # float64 图片
        lambda self, i: (self.images[i].numpy() / 16, self.labels[i].numpy()),  # NumPy
        lambda self, i: [self.images[i] * (1 / 16), self.labels[i]],  # 列表而不是元组
        lambda self, i: (self.images[i].half() / 16, self.labels[i].int()),  # float16 与 int32
    ],
)
def test_check_2_accepts_every_correct_form(getitem):
    fb = ex.check_2(make_dataset_class(getitem))
    assert fb, fb.message


def test_check_2_not_answered():
    assert ex.check_2(None).answered is False
    fb = ex.check_2(make_dataset_class(lambda self, i: None))
    assert fb.answered is False
    assert not fb


def _broken_len(self, i):
    return self.images[i] / 16, self.labels[i]


class _WrongLength(Dataset):
    def __init__(self, images, labels):
        self.images, self.labels = images, labels

    def __len__(self):
        return 3

    __getitem__ = _broken_len


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("ScaledDigits", "应该是一个类"),
        (make_dataset_class(_reference_getitem)(torch.zeros(2, 64), torch.zeros(2)), "请传入类本身"),
        (_WrongLength, "__len__"),
        (make_dataset_class(lambda self, i: self.images[i] / 16), "两个值"),
        (make_dataset_class(lambda self, i: (self.images[i], self.labels[i])), "除以 16"),
        (make_dataset_class(lambda self, i: (self.images[i] // 16, self.labels[i])), "整除"),
        (make_dataset_class(lambda self, i: (self.labels[i], self.images[i] / 16)), "顺序反了"),
        (make_dataset_class(lambda self, i: (self.images / 16, self.labels[i])), "返回了全部图片"),
        (make_dataset_class(lambda self, i: (self.images[i].reshape(8, 8) / 16, self.labels[i])), "(64,)"),
        (make_dataset_class(lambda self, i: (self.images[i] / 16, self.labels[i].float())), "浮点数"),
        (make_dataset_class(lambda self, i: (self.images[i] / 16, self.labels[0])), "标签应为"),
        (make_dataset_class(lambda self, i: (self.images[i + 1] / 16, self.labels[i])), "像素不对"),
        (make_dataset_class(lambda self, i: (self.images[i + 100] / 16, self.labels[i])), "出错"),
        (make_dataset_class(lambda self, i: ((self.images[i] / 16).tolist(), self.labels[i])), "Python 列表"),
        (make_dataset_class(lambda self, i: (self.images[i] / 8, self.labels[i])), "self.images[index] / 16"),
    ],
)
def test_check_2_wrong_answers_get_hints(answer, hint):
    fb = ex.check_2(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


# ---------------------------------------------------------------- 练习 3


def most_confused_reference(cm):
    """参考答案（与笔记本中 <details> 里的代码相同）。"""
    errors = cm.clone()
    errors.fill_diagonal_(0)
    index = errors.argmax().item()
    k = cm.shape[1]
    return index // k, index % k


def _unravel(cm):
    errors = cm - torch.diag(torch.diag(cm))
    return torch.unravel_index(errors.argmax(), errors.shape)


def _numpy_way(cm):
    errors = cm.numpy().copy()
    np.fill_diagonal(errors, 0)
    return np.unravel_index(errors.argmax(), errors.shape)


def _loops(cm):
    best, where = -1, None
    for i in range(len(cm)):
        for j in range(len(cm)):
            if i != j and cm[i, j] > best:
                best, where = cm[i, j], [i, j]
    return where


@pytest.mark.parametrize(
    "answer",
    [
        most_confused_reference,
        _unravel,
        _numpy_way,
        _loops,
        lambda cm: torch.tensor(most_confused_reference(cm)),
        lambda cm: np.array(most_confused_reference(cm), dtype=float),
    ],
)
def test_check_3_accepts_every_correct_form(answer):
    fb = ex.check_3(answer)
    assert fb, fb.message


def test_check_3_not_answered():
    assert ex.check_3(None).answered is False
    fb = ex.check_3(lambda cm: None)
    assert fb.answered is False
    assert not fb


def _with_diagonal(cm):
    index = cm.argmax().item()
    return divmod(index, cm.shape[1])


def _swapped(cm):
    i, j = most_confused_reference(cm)
    return j, i


def _flat(cm):
    errors = cm.clone()
    errors.fill_diagonal_(0)
    return errors.argmax()


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (3, "应该是一个函数"),
        (_with_diagonal, "对角线上"),
        (_swapped, "行和列反了"),
        (_flat, "展平以后的下标"),
        (lambda cm: (0, 1), "对角线以外最大的一格是"),
        (lambda cm: "4, 9", "两个整数"),
        (lambda cm: (1.5, 2.0), "两个整数"),
        (lambda cm: cm.nonexistent(), "出错"),
    ],
)
def test_check_3_wrong_answers_get_hints(answer, hint):
    fb = ex.check_3(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


# ---------------------------------------------------------------- 练习 4


class DigitMLP(nn.Module):
    """与笔记本中的 DigitMLP 相同。"""

    def __init__(self, n_hidden=64):
        super().__init__()
        self.hidden = nn.Linear(64, n_hidden)
        self.output = nn.Linear(n_hidden, 10)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


def train_digits(model, epochs=40, lr=1e-3, seed=0, standardize=True):
    """笔记本中 train_digits 的精简版（CPU）：返回验证准确率最高时的参数。

    ``standardize=False`` 模仿一种常见错误：用原始像素训练、也在原始像素上挑选参数。
    """
    (x_train, y_train), (x_raw, y_val), _ = data.digits(seed=0)
    mean, std = x_train.mean(dim=0), x_train.std(dim=0)
    std[std == 0] = 1.0
    x_val, y_val = ex.standardized_validation_set()
    if not standardize:
        mean, std, x_val = torch.zeros(64), torch.ones(64), x_raw
    loader = DataLoader(TensorDataset((x_train - mean) / std, y_train), batch_size=32, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    best_acc, best_state = -1.0, None
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            acc = (model(x_val).argmax(dim=1) == y_val).float().mean().item()
        if acc > best_acc:
            best_acc, best_state = acc, copy.deepcopy(model.state_dict())
    return best_state


@pytest.fixture(scope="module")
def small_model():
    torch.manual_seed(0)
    model = DigitMLP(n_hidden=16)
    model.load_state_dict(train_digits(model))
    return model


def test_check_4_reference_solution_passes(small_model):
    fb = ex.check_4(small_model)
    assert fb, fb.message
    assert "1210" in fb.message


def test_check_4_keeps_the_training_mode(small_model):
    small_model.train()
    assert ex.check_4(small_model)
    assert small_model.training
    small_model.eval()
    assert ex.check_4(small_model)
    assert not small_model.training


def test_check_4_accepts_sequential_and_float64(small_model):
    seq = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10))
    seq[0].load_state_dict(small_model.hidden.state_dict())
    seq[2].load_state_dict(small_model.output.state_dict())
    assert ex.check_4(seq)
    assert ex.check_4(copy.deepcopy(seq).double())


def test_check_4_not_answered():
    fb = ex.check_4(None)
    assert fb.answered is False
    assert not fb


class _Reshaper(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = DigitMLP(16)

    def forward(self, x):
        return self.net(x).reshape(-1)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("DigitMLP", "应该是训练好的模型"),
        (nn.ReLU(), "没有全连接层"),
        (nn.Linear(64, 10), "没有隐藏层"),
        (DigitMLP(n_hidden=64), "超过了 16"),
        (nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 10)), "64 个像素"),
        (nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 4)), "64 个像素"),
        (_Reshaper(), "输出形状"),
        (nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(10, 10)), "出错"),
    ],
)
def test_check_4_wrong_answers_get_hints(answer, hint):
    fb = ex.check_4(answer)
    assert not fb
    assert fb.answered
    assert hint in fb.message


def test_check_4_untrained_and_undertrained_models_get_hints():
    torch.manual_seed(0)
    untrained = DigitMLP(16)
    fb = ex.check_4(untrained)
    assert not fb and ("还没有训练" in fb.message or "还没达到" in fb.message)
    torch.manual_seed(0)
    short = DigitMLP(16)
    short.load_state_dict(train_digits(short, epochs=1))
    fb = ex.check_4(short)
    assert not fb and "还没达到" in fb.message


# ---------------------------------------------------------------- 练习表：编号与参考答案

TWIN = Path(__file__).resolve().parents[1] / "notebooks" / "07_digits.py"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_exercise_table_numbering_matches_the_notebook():
    """check_N 由表 EXERCISES 中的位置生成；笔记本中“练习 N”的单元格调用的正是 ex.check_N。"""
    found = lesson_solutions(TWIN)
    assert sorted(found) == [1, 2, 3, 4] and len(ex.EXERCISES) == 4
    for number, (cell, _, _) in found.items():
        assert re.search(rf"ex\.check_{number}\(", cell), f"练习 {number} 的单元格没有调用 ex.check_{number}"
        assert getattr(ex, f"check_{number}").__name__ == f"check_{number}"


@pytest.mark.parametrize("number", [1, 2, 3])  # 练习 4 要用笔记本里的 train_digits 训练，见上面的 small_model
def test_notebook_solution_passes_its_checker(number):
    _, solution, name = lesson_solutions(TWIN)[number]
    namespace = lesson_imports(TWIN)
    namespace["cm"] = torch.tensor([[5, 1, 0], [2, 6, 0], [0, 3, 7]])  # 练习 3 的参考答案最后用本课的 cm 试一试
    exec(compile(solution, f"练习 {number} 的参考答案", "exec"), namespace)  # noqa: S102
    fb = getattr(ex, f"check_{number}")(namespace[name])
    assert fb, fb.message


# ---------------------------------------------------------------- 练习 1：第一组输入就能认出每一种错误


def test_check_1_probe_tells_every_mistake_apart():
    logits, labels = ex._ex1_probe()
    assert all(int((row == row.max()).sum()) == 1 for row in logits)  # 每行的最大值唯一
    right = ex._ex1_expected(logits, labels)
    results = [
        right,
        ex._ex1_without_dim(logits, labels),
        ex._ex1_max_values(logits, labels),
        (logits.argmin(dim=1) == labels).float().mean().item(),
        (logits.argmax(dim=1) != labels).float().mean().item(),  # 错误率
        (logits.softmax(dim=0).argmax(dim=1) == labels).float().mean().item(),  # softmax 沿错了维度
        float(logits[0].argmax() == labels[0]),  # 只看第 0 个样本
        (logits.argmax(dim=1) == labels).sum().item(),  # 猜对的个数
        100 * right,  # 百分数
        (logits.argmax(dim=1) == labels).sum().item() // len(labels),  # 整除
    ]
    rounded = [round(value, 4) for value in results]
    assert len(set(rounded)) == len(rounded) and 0 < right < 1
    with pytest.raises(RuntimeError, match="must match the size"):
        _ = logits.argmax(dim=0) == labels


def test_check_1_not_a_function_says_how_to_define_it():
    fb = ex.check_1(3)
    assert not fb and "def accuracy_from_logits(logits, labels):" in fb.message


# ---------------------------------------------------------------- 练习 2：每个样本都检查


def test_check_2_dividing_by_each_images_own_maximum_is_rejected():
    images, _ = ex._ex2_data()
    assert images[1].max() == 15 and images[0].max() == 16  # 只有个别图片的最大值不是 16
    fb = ex.check_2(make_dataset_class(lambda self, i: (self.images[i] / self.images[i].max(), self.labels[i])))
    assert not fb and fb.answered
    assert "它自己的最大值" in fb.message and "16" in fb.message


@pytest.mark.parametrize("bad", range(12))
def test_check_2_looks_at_every_sample(bad):
    def getitem(self, i):
        return self.images[i] / (8 if i == bad else 16), self.labels[i]

    fb = ex.check_2(make_dataset_class(getitem))
    assert not fb and f"第 {bad} 张图片的像素不对" in fb.message


# ---------------------------------------------------------------- 练习 3：不修改 cm


def test_check_3_modifying_cm_in_place_gets_the_clone_hint():
    def in_place(cm):
        cm.fill_diagonal_(0)  # 把传入的矩阵改掉了：本课的 cm 也会跟着变
        index = cm.argmax().item()
        return divmod(index, cm.shape[1])

    fb = ex.check_3(in_place)
    assert not fb and "改动了传入的 cm" in fb.message and "cm.clone()" in fb.message


# ---------------------------------------------------------------- 练习 4：按形状找输入层和输出层


class _OutputRegisteredFirst(nn.Module):
    """正确的模型，只是先登记输出层、后登记隐藏层。"""

    def __init__(self, trained: DigitMLP):
        super().__init__()
        self.output = nn.Linear(16, 10)
        self.hidden = nn.Linear(64, 16)
        self.output.load_state_dict(trained.output.state_dict())
        self.hidden.load_state_dict(trained.hidden.state_dict())

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


def test_check_4_finds_the_layers_by_shape_not_by_registration_order(small_model):
    fb = ex.check_4(_OutputRegisteredFirst(small_model))
    assert fb, fb.message
    assert "[16]" in fb.message and "1210" in fb.message


# ---------------------------------------------------------------- 任何输入都不抛出异常，也不显示警告


class _BadRepr:
    def __repr__(self):
        raise RuntimeError("repr is broken")


def test_checkers_survive_hostile_answers_without_showing_warnings():
    meta = nn.Sequential(nn.Linear(64, 16, device="meta"), nn.ReLU(), nn.Linear(16, 10, device="meta"))
    complex_images = make_dataset_class(lambda self, i: ((self.images[i] / 16).to(torch.complex64), self.labels[i]))
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        fb4 = ex.check_4(meta)
        fb3 = ex.check_3(lambda cm: _BadRepr())
        fb2 = ex.check_2(complex_images)
    assert not fb4 and "meta" in fb4.message
    assert not fb3 and "两个整数" in fb3.message and "_BadRepr" in fb3.message
    assert not fb2 and "complex64" in fb2.message
    assert not shown


def _gen():
    yield 1


WEIRD = [
    float("nan"), "", [], {}, (), object(), _gen(), torch.tensor(float("nan")), torch.empty(0),
    np.array("text"), nn.Module(), nn.Sequential(), type, lambda *args: 1 / 0, _BadRepr(),
]


@pytest.mark.parametrize("number", [1, 2, 3, 4])
@pytest.mark.parametrize("answer", WEIRD, ids=lambda v: type(v).__name__)
def test_checkers_never_raise_and_answer_in_chinese(number, answer):
    fb = getattr(ex, f"check_{number}")(answer)
    assert isinstance(fb, Feedback)
    assert not fb
    assert CJK.search(fb.message), fb.message


def test_messages_write_lesson_numbers_without_a_leading_zero():
    source = Path(ex.__file__).read_text(encoding="utf-8")
    assert not re.search(r"第 0\d 课", source)


# ---------------------------------------------------------------- 学习者式探测中发现的问题


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda logits, labels: (logits.argmax(1) == labels)[0].float().item(), "只看了一个样本"),
        (lambda logits, labels: (logits.argmax(1) == labels).all().float().item(), ".all()"),
        (lambda logits, labels: (logits.argmax(1) != labels).float().mean().item(), "错误率"),
        (lambda logits, labels: (logits.softmax(dim=0).argmax(dim=1) == labels).float().mean(), "正确的准确率是"),
    ],
    ids=["first_sample", "all", "error_rate", "softmax_dim0"],
)
def test_check_1_more_mistakes_are_told_apart(answer, hint):
    fb = ex.check_1(answer)
    assert not fb and hint in fb.message, fb.message
    assert "没有写 dim" not in fb.message


def test_check_4_nan_parameters_get_the_divergence_hint(small_model):
    broken = copy.deepcopy(small_model)
    with torch.no_grad():
        broken.hidden.weight[0, 0] = float("nan")
    fb = ex.check_4(broken)
    assert not fb and "nan" in fb.message and "发散" in fb.message


def test_check_3_repr_with_a_memory_address_is_not_shown():
    fb = ex.check_3(lambda cm: (i for i in range(2)))
    assert not fb and "generator" in fb.message and "0x" not in fb.message


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_check_1_accepts_a_low_precision_accuracy(dtype):
    fb = ex.check_1(lambda logits, labels: (logits.argmax(1) == labels).to(dtype).mean())
    assert fb, fb.message


def _divides_in_place(self, i):
    self.images[i] /= 16  # 原地修改了数据集：再取一次同一个样本就又除了一次
    return self.images[i], self.labels[i]


class _ScalesInInit(Dataset):
    """正确的另一种写法：在 __init__ 里缩放（得到新的张量），__getitem__ 原样返回。"""

    def __init__(self, images, labels):
        self.images, self.labels = images / 16, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return self.images[index], self.labels[index]


class _ScalesInInitInPlace(_ScalesInInit):
    def __init__(self, images, labels):
        images /= 16  # 改动了调用者的张量
        self.images, self.labels = images, labels


class _PlainClass:
    """不继承 Dataset 的类：题目没有要求继承，DataLoader 也能用。"""

    def __init__(self, images, labels):
        self.images, self.labels = images, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return self.images[index] / 16, self.labels[index]


def test_check_2_accepts_scaling_in_init_and_a_plain_class():
    assert ex.check_2(_ScalesInInit), ex.check_2(_ScalesInInit).message
    assert ex.check_2(_PlainClass), ex.check_2(_PlainClass).message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [(make_dataset_class(_divides_in_place), "原地操作"), (_ScalesInInitInPlace, "改动了传入的 images")],
    ids=["getitem", "init"],
)
def test_check_2_modifying_the_images_in_place_is_rejected(answer, hint):
    fb = ex.check_2(answer)
    assert not fb and hint in fb.message, fb.message


def _argmin_after_zeroing(cm):
    errors = cm.clone()
    errors.fill_diagonal_(0)
    return divmod(errors.argmin().item(), cm.shape[1])


def _complex_pair(cm):
    return torch.tensor(most_confused_reference(cm), dtype=torch.complex64)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (_argmin_after_zeroing, "argmin"),
        (lambda cm: (float("inf"), float("inf")), "两个整数"),
        (_complex_pair, "两个整数"),
    ],
    ids=["argmin", "inf", "complex"],
)
def test_check_3_more_wrong_answers(answer, hint):
    fb = ex.check_3(answer)
    assert not fb and fb.answered and hint in fb.message, fb.message


def test_check_3_diagonal_hint_and_argmin_hint_are_told_apart():
    assert "argmin" not in ex.check_3(_with_diagonal).message
    cm = ex._ex3_cases()[0]
    assert _with_diagonal(cm) != _argmin_after_zeroing(cm)


def test_check_4_model_trained_on_raw_pixels_gets_the_standardization_hint():
    torch.manual_seed(0)
    raw = DigitMLP(n_hidden=16)
    raw.load_state_dict(train_digits(raw, standardize=False))
    fb = ex.check_4(raw)
    assert not fb and "标准化" in fb.message and "原始像素" in fb.message, fb.message
