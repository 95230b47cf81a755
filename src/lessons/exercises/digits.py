"""第 7 课“实战：手写数字识别”的练习检查器。

- :func:`check_1`：函数 ``accuracy_from_logits(logits, labels)``，由对数几率算准确率；
- :func:`check_2`：补全 ``Dataset`` 子类的 ``__getitem__``，返回除以 16 的像素和标签；
- :func:`check_3`：函数 ``most_confused(cm)``，找出混淆矩阵里最常见的一种错误；
- :func:`check_4`：隐藏层不超过 16 个单元的模型，验证准确率至少 95%。

每道练习是表 ``EXERCISES`` 中的一项（见 :class:`lessons.checking.Exercise`）：用哪些输入去试、正确结果怎样算、
怎样比较、常见错误及其提示。检查器从不抛出异常：学习者代码里的任何错误都变成一行中文提示，
检查时学习者代码发出的警告也不显示。
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import nn

from ..checking import (
    Case,
    Exercise,
    Mistake,
    Number,
    as_number,
    as_tensor,
    error_summary,
    numbered,
)
from ..data import digits
from .mlp import _evaluation_mode  # 第 6 课的检查器里已有：临时设为评估模式、结束后恢复

# ---------------------------------------------------------------- 公用


def _type_name(value: Any) -> str:
    return type(value).__name__


def _short_repr(value: Any, limit: int = 60) -> str:
    """答案的简短写法，用在提示里；``repr`` 出错时只给类型名。"""
    try:
        text = repr(value)
    except Exception:  # 学习者的对象的 __repr__ 也可能出错
        return _type_name(value)
    if " at 0x" in text:  # 如 <generator object ... at 0x7f...>：地址每次不同，对学习者没有用
        return _type_name(value)
    return text if len(text) <= limit else text[:limit]


def _not_function(signature: str) -> Callable[[Any], str]:
    """笔记本把函数直接交给检查器（``ex.check_1(accuracy_from_logits)``）时，答案不是函数的提示。"""
    return lambda answer: f"答案应该是一个函数（用 def {signature}: 定义），现在是 {_type_name(answer)}。"


def _pair(value: Any) -> tuple[int, int] | None:
    """把 ``(i, j)`` 形式的答案（元组、列表、张量、NumPy 数组，元素为整数）变成两个 Python 整数。"""
    tensor = as_tensor(value)
    if tensor is None or tensor.numel() != 2 or tensor.dtype == torch.bool or tensor.is_complex():
        return None
    flat = tensor.reshape(-1)
    if flat.dtype.is_floating_point:
        if not (torch.isfinite(flat).all() and torch.equal(flat, flat.round())):
            return None
    return int(flat[0].item()), int(flat[1].item())


# ---------------------------------------------------------------- 练习 1


def _ex1_cases() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """练习 1 的几组 (logits, labels)，每行的最大值唯一。

    第一组是早先用来分辨常见错误的数据：正确的准确率是 0.5；``argmax()`` 不写 ``dim`` 时，
    得到的是展平以后的下标 1，恰好等于每个标签，准确率成了 1.0；用整除 ``//``，
    或者拿每行的最大值本身（9、5、5、5）和标签比较，都得到 0。检查时它排在 :func:`_ex1_probe` 之后。
    """
    probe = torch.tensor([[0.0, 9.0, 0.0], [5.0, 0.0, 0.0], [0.0, 0.0, 5.0], [0.0, 5.0, 0.0]])
    cases = [(probe, torch.tensor([1, 1, 1, 1]))]
    g = torch.Generator().manual_seed(7)
    for n, c in ((8, 3), (50, 10), (200, 10)):
        logits = torch.randn(n, c, generator=g) * 3
        labels = torch.randint(0, c, (n,), generator=g)
        cases.append((logits, labels))
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.3, -2.0], [-1.0, -3.0, -0.5], [5.0, 4.0, 4.5]])
    cases.append((logits, torch.tensor([0, 1, 2, 0])))  # 全部正确
    cases.append((logits, torch.tensor([1, 2, 0, 2])))  # 全部错误
    return cases


def _ex1_probe() -> tuple[torch.Tensor, torch.Tensor]:
    """练习 1 最先检查的一组数据：几种常见错误在这里得到的结果各不相同，第一组输入就能认出是哪一种。

    8 个样本、3 个类别，每行的数互不相同，全体的最大值 9 在第 0 行。正确的准确率是 3/8，第 0 个样本猜对了。
    各种错误的结果：``argmax()`` 不写 ``dim`` 得到 2/8，拿每行的最大值本身和标签比较得到 6/8，
    用 ``argmin`` 得到 1/8，错误率（``!=``）是 5/8，先沿 ``dim=0`` 做 softmax 得到 4/8，
    只看第 0 个样本得到 1，猜对的个数是 3，百分数是 37.5，整除 ``//`` 和 ``.all()`` 得到 0；
    ``argmax(dim=0)`` 得到 3 个数，与 8 个标签比较时报错。
    """
    logits = torch.tensor(
        [
            [9.0, 1.0, 0.0],
            [-1.0, 1.0, 0.0],
            [1.0, -1.0, 2.0],
            [0.0, -1.0, 1.0],
            [0.0, 2.0, -1.0],
            [-1.0, 0.0, 1.0],
            [1.0, 0.0, -1.0],
            [-1.0, 2.0, 1.0],
        ]
    )
    return logits, torch.tensor([0, 1, 2, 1, 0, 1, 1, 2])


def _ex1_max_values_probe() -> tuple[torch.Tensor, torch.Tensor]:
    """练习 1 的一组数据（检查时是最后一组），原先用来分辨结果为 0 的两种错误。

    正确的准确率是 2/3；把每行的最大值本身（``max`` 的 values）和标签比较时，
    三个最大值 1、1、2 恰好等于三个标签，得到 1.0；用整除 ``//`` 则得到 2 // 3 = 0。
    """
    logits = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    return logits, torch.tensor([1, 1, 2])


def _ex1_table() -> list[Case]:
    """检查时依次使用的输入：先是能分辨各种错误的一组，再是其余各组。"""
    pairs = [_ex1_probe(), *_ex1_cases(), _ex1_max_values_probe()]
    return [Case((logits, labels), f"有 {len(labels)} 个样本、{logits.shape[1]} 个类别时") for logits, labels in pairs]


def _ex1_expected(logits: torch.Tensor, labels: torch.Tensor) -> float:
    return (logits.argmax(dim=1) == labels).float().mean().item()


def _ex1_without_dim(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """常见错误：``argmax()`` 没有写 ``dim``，在展平的整个张量里找最大值，只得到一个下标。"""
    return (logits.argmax() == labels).float().mean().item()


def _ex1_max_values(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """常见错误：拿每行的最大值本身（``max`` 的 values）和标签比较。"""
    return (logits.max(dim=1).values == labels).float().mean().item()


def _tolerance(got: Any, want: float) -> float:
    """比较准确率的容差：1e-6；答案是 float16、bfloat16 这样的低精度浮点数时，按它的精度放宽。"""
    dtype = getattr(got, "dtype", None)
    eps = 0.0
    if isinstance(dtype, torch.dtype) and dtype.is_floating_point:
        eps = torch.finfo(dtype).eps
    elif isinstance(dtype, np.dtype) and dtype.kind == "f":
        eps = float(np.finfo(dtype).eps)
    return 1e-6 + 2 * eps * abs(want)


def _ex1_wrong(got: Any, logits: torch.Tensor, labels: torch.Tensor) -> float | None:
    """答案是一个数、但不等于正确的准确率时返回这个数；否则返回 ``None``。"""
    number = as_number(got)
    want = _ex1_expected(logits, labels)
    if number is None or abs(number - want) <= _tolerance(got, want):
        return None
    return number


def _ex1_first_only(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """常见错误：只看了第 0 个样本（例如写了 ``[0]``）。"""
    return float(logits[0].argmax() == labels[0])


@dataclass(frozen=True)
class _Accuracy:
    """练习 1 的比较：一个数，与正确的准确率相差不超过 :func:`_tolerance`（低精度的答案也能通过）。"""

    def problem(self, got: Any, want: float) -> str | None:
        return Number(tol=_tolerance(got, want), name="函数的返回值").problem(got, want)


def _is(value: float | None, target: float, tol: float = 1e-6) -> bool:
    return value is not None and abs(value - target) <= tol


def _ex1_mean_hint(err: Exception, logits: torch.Tensor, labels: torch.Tensor) -> str | None:
    text = str(err)
    if "Bool" in text or "Long" in text:
        return "比较得到的是布尔张量（或整数张量），先用 .float() 转成浮点数再求平均。"
    return None


def _ex1_not_a_number(got: Any, logits: torch.Tensor, labels: torch.Tensor) -> str:
    kind = "张量" if isinstance(got, torch.Tensor) else "数组"
    return f"应该返回一个数，现在返回的是形状为 {tuple(got.shape)} 的{kind}：别忘了对每个样本的对错求平均。"


def _ex1_generic(got: Any, logits: torch.Tensor, labels: torch.Tensor) -> str:
    return (
        f"有 {len(labels)} 个样本、{logits.shape[1]} 个类别时，正确的准确率是 {_ex1_expected(logits, labels):.4g}，"
        f"你的函数返回 {as_number(got):.4g}。预测类别是每行最大的对数几率所在的列：logits.argmax(dim=1)。"
    )


_EXERCISE_1 = Exercise(
    brief="函数 accuracy_from_logits(logits, labels) 返回准确率：0 到 1 之间的一个数"
    "（Python 数、NumPy 标量、只含一个元素的张量都可以，任何数据类型）。",
    function="accuracy_from_logits",
    arguments=("logits", "labels"),
    cases=_ex1_table,
    not_function=_not_function("accuracy_from_logits(logits, labels)"),
    error_hints=(
        ("mean", _ex1_mean_hint),
        ("must match the size", "形状对不上：每一行是一个样本，要在每行的 C 个数里找最大值，用 argmax(dim=1)。"),
    ),
    expected=_ex1_expected,
    compare=_Accuracy(),
    mistakes=(
        Mistake(
            lambda got, logits, labels: isinstance(got, (torch.Tensor, np.ndarray)) and as_number(got) is None,
            _ex1_not_a_number,
        ),
        Mistake(
            lambda got, logits, labels: as_number(got) is None,
            lambda got, logits, labels: f"应该返回一个数（准确率），现在返回的是 {_type_name(got)}。",
        ),
        Mistake(
            lambda got, logits, labels: (number := _ex1_wrong(got, logits, labels)) is not None
            and number != 0
            and _is(number, _ex1_without_dim(logits, labels)),
            "argmax() 没有写 dim：它在展平的整个张量里找最大值，只返回一个下标，而不是每个样本的预测类别。"
            "用 logits.argmax(dim=1) 在每一行的 C 个数里找最大的。",
        ),
        Mistake(
            lambda got, logits, labels: len(labels) > 1
            and _ex1_expected(logits, labels) > 0
            and _is(_ex1_wrong(got, logits, labels), _ex1_expected(logits, labels) * len(labels)),
            lambda got, logits, labels: f"返回的 {as_number(got):g} 是猜对的个数，还要除以样本数 {len(labels)}，"
            "得到 0 到 1 之间的比例。",
        ),
        Mistake(
            lambda got, logits, labels: _ex1_expected(logits, labels) > 0
            and _is(_ex1_wrong(got, logits, labels), _ex1_expected(logits, labels) * 100, 1e-4),
            lambda got, logits, labels: f"返回的 {as_number(got):g} 是百分数：请返回 0 到 1 之间的比例，例如 0.5 而不是 50。",
        ),
        Mistake(
            # 最大值本身与标签比较的结果为 0 时，和整除分不开，交给后面“结果是 0”的一项
            lambda got, logits, labels: (number := _ex1_wrong(got, logits, labels)) is not None
            and number != 0
            and _is(number, _ex1_max_values(logits, labels)),
            "和标签比较的是每行的最大值本身（max 返回的 values），而不是最大值所在的位置。"
            "预测类别是最大值所在的列：logits.argmax(dim=1)（也就是 logits.max(dim=1).indices）。",
        ),
        Mistake(
            lambda got, logits, labels: _is(_ex1_wrong(got, logits, labels), 1 - _ex1_expected(logits, labels)),
            "返回的是错误率（猜错的比例，等于 1 − 准确率）：和标签比较要用 ==，不是 !=。",
        ),
        Mistake(
            lambda got, logits, labels: (number := _ex1_wrong(got, logits, labels)) is not None
            and number != 0
            and _is(number, _ex1_first_only(logits, labels)),
            lambda got, logits, labels: f"返回 {as_number(got):g}，可这组输入的 {len(labels)} 个样本里只猜对了 "
            f"{round(_ex1_expected(logits, labels) * len(labels))} 个：是不是只看了一个样本（例如取了 [0]）？"
            "要对所有样本的对错求平均：.float().mean()。",
        ),
        Mistake(
            lambda got, logits, labels: _ex1_wrong(got, logits, labels) == 0 and 0 < _ex1_expected(logits, labels) < 1,
            "结果是 0：如果用了整除 //，它会丢掉小数部分（猜对的个数少于样本数时得到 0），"
            "改用 / 或先 .float() 再求平均；如果用了 .all()，它只判断是不是全部猜对，要的是 .float().mean()；"
            "也检查一下和标签比较的是不是最大值所在的位置 argmax(dim=1)，而不是最大值本身 max。",
        ),
        Mistake(lambda got, logits, labels: _ex1_wrong(got, logits, labels) is not None, _ex1_generic),
    ),
    success="几组不同的输入都算对了：argmax(dim=1) 取出预测类别，与标签比较后求平均。",
)

# ---------------------------------------------------------------- 练习 2


def _ex2_data() -> tuple[torch.Tensor, torch.Tensor]:
    """练习 2 用的 12 张手写数字（原始像素，0 到 16）和它们的标签。

    第 1 张图片的最大像素是 15，其余是 16：除以每张图片自己的最大值，在这一张上就会露出来。
    """
    (x_train, y_train), _, _ = digits(seed=0)
    return x_train[:12].clone(), y_train[:12].clone()


def _first_sample(dataset_class: type) -> Any:
    images, labels = _ex2_data()
    return dataset_class(images, labels)[0]


class _Sample(NamedTuple):
    """练习 2 中一个样本的正确内容：第几个、原始像素（0 到 16）、标签。"""

    index: int
    raw: torch.Tensor
    label: int


def _image(sample: Any) -> torch.Tensor:
    """样本中的图片变成的张量（转换不了时抛出异常：判断常见错误时当作“不是这种错误”）。"""
    image = as_tensor(sample[0])
    if image is None:
        raise TypeError("图片不是张量或数组")
    return image


def _values(sample: Any) -> torch.Tensor:
    return _image(sample).reshape(-1).double()


def _close(sample: Any, target: torch.Tensor, atol: float = 1e-6) -> bool:
    return bool(torch.allclose(_values(sample), target.double(), atol=atol))


#: 练习 2 的单个样本的常见错误：``when(sample, want)``，``want`` 是 :class:`_Sample`
_SAMPLE_MISTAKES = (
    Mistake(
        lambda s, w: as_tensor(s[0]) is None and as_number(s[0]) == w.label,
        "图片和标签的顺序反了：先返回图片，再返回标签。",
    ),
    Mistake(
        lambda s, w: as_tensor(s[0]) is None,
        lambda s, w: f"图片应该是张量或数组，现在是 {_type_name(s[0])}。",
    ),
    Mistake(
        lambda s, w: _image(s).numel() == 1 and as_tensor(s[1]).numel() == 64,
        "图片和标签的顺序反了：先返回图片，再返回标签。",
    ),
    Mistake(
        lambda s, w: tuple(_image(s).shape) == (12, 64),
        "返回了全部图片：__getitem__ 只返回第 index 个样本，用 self.images[index]。",
    ),
    Mistake(
        lambda s, w: _image(s).numel() != 64,
        lambda s, w: f"一张图片应该有 64 个像素，现在的形状是 {tuple(_image(s).shape)}。",
    ),
    Mistake(
        lambda s, w: tuple(_image(s).shape) != (64,),
        lambda s, w: f"图片的形状应为 (64,)（与 self.images[index] 相同），现在是 {tuple(_image(s).shape)}：不用改变形状。",
    ),
    Mistake(
        lambda s, w: _image(s).is_complex() or _image(s).dtype == torch.bool,
        lambda s, w: f"图片的数据类型是 {_image(s).dtype}：应该是浮点数，写 self.images[index] / 16。",
    ),
    Mistake(lambda s, w: _close(s, w.raw), "图片还是原始像素（0 到 16）：要除以 16，缩放到 0 到 1。"),
    Mistake(
        lambda s, w: _close(s, torch.div(w.raw, 16, rounding_mode="floor")),
        "用了整除 //，小数部分丢掉了：改用 / 16。",
    ),
    Mistake(
        lambda s, w: w.raw.max() != 16 and _close(s, w.raw / w.raw.max(), 1e-5),
        "每张图片除以了它自己的最大值；题目要求统一除以 16（像素的取值范围是 0 到 16）。",
    ),
    Mistake(
        lambda s, w: not _close(s, w.raw / 16, 1e-5),
        lambda s, w: f"第 {w.index} 张图片的像素不对：应该是 self.images[index] / 16。",
    ),
    Mistake(
        lambda s, w: as_number(s[1]) is None,
        lambda s, w: f"标签应该是一个整数（或只含一个元素的张量），现在是 {_type_name(s[1])}。",
    ),
    Mistake(
        lambda s, w: as_tensor(s[1]).dtype.is_floating_point,
        "标签变成了浮点数：原样返回 self.labels[index]，交叉熵要的是整数标签。",
    ),
    Mistake(
        lambda s, w: as_number(s[1]) != w.label,
        lambda s, w: f"第 {w.index} 个样本的标签应为 {w.label}，现在是 {as_number(s[1]):g}：返回 self.labels[index]。",
    ),
)


def _sample_is_right(sample: Any, want: _Sample) -> bool:
    """样本完全正确：图片是 64 个实数、等于原始像素除以 16，标签是等于正确标签的整数。"""
    image, label = as_tensor(sample[0]), as_tensor(sample[1])
    if image is None or label is None or tuple(image.shape) != (64,) or label.numel() != 1:
        return False
    if image.is_complex() or image.dtype == torch.bool or label.dtype.is_floating_point or label.dtype == torch.bool:
        return False
    return bool(torch.allclose(image.double(), want.raw.double() / 16, atol=1e-5)) and int(label.reshape(())) == want.label


@dataclass(frozen=True)
class _ScaledDataset:
    """练习 2 的比较：用 12 张手写数字创建学习者的数据集，逐个取出全部样本，再交给 ``DataLoader``。

    ``want`` 是 ``(images, labels)``（原始像素和标签）。每个样本先按 ``_SAMPLE_MISTAKES`` 找常见错误，
    再完整核对一遍。
    """

    def problem(self, dataset_class: type, want: tuple[torch.Tensor, torch.Tensor]) -> str | None:
        images, labels = want
        given = images.clone()  # 交给数据集的那一份：之后核对它有没有被原地修改
        try:
            dataset = dataset_class(given, labels.clone())
            length = len(dataset)
        except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
            return f"用 ScaledDigits(images, labels) 创建数据集或调用 len 时出错：{error_summary(err)}"
        if not torch.equal(given, images):
            return "创建数据集时改动了传入的 images（原地操作，如 /=）：请不要修改传入的数据，在 __getitem__ 里返回 self.images[index] / 16。"
        if length != len(labels):
            return f"数据集有 {len(labels)} 个样本，len(ds) 却是 {length}：__len__ 应该返回标签的个数。"
        for index in range(len(labels)):  # 每一张都看：有的错误（如除以图片自己的最大值）只在个别图片上露出来
            try:
                sample = dataset[index]
            except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
                return f"取第 {index} 个样本 ds[{index}] 时出错：{error_summary(err)}"
            if not isinstance(sample, (tuple, list)) or len(sample) != 2:
                return "__getitem__ 应该返回两个值：return 图片, 标签。"
            expected = _Sample(index, images[index], int(labels[index]))
            for mistake in _SAMPLE_MISTAKES:
                if mistake.matches(sample, (expected,)):
                    return mistake.text(sample, (expected,))
            if not _sample_is_right(sample, expected):
                return f"第 {index} 个样本不对：应该是 (self.images[index] / 16, self.labels[index])。"
        try:
            again = dataset[0]  # 同一个样本再取一次，应该和第一次一样
        except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
            return f"第二次取第 0 个样本 ds[0] 时出错：{error_summary(err)}"
        if not torch.equal(given, images) or not _sample_is_right(again, _Sample(0, images[0], int(labels[0]))):
            return (
                "__getitem__ 改动了数据集里的图片（/= 这样的原地操作会修改 self.images，同一个样本再取一次就又除了一次）："
                "请返回 self.images[index] / 16，不要修改数据集。"
            )
        try:
            loader = torch.utils.data.DataLoader(dataset, batch_size=4, shuffle=False)
            batch_images, batch_labels = next(iter(loader))
        except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
            return f"单个样本都对了，但交给 DataLoader 组成小批量时出错：{error_summary(err)}"
        if not isinstance(batch_images, torch.Tensor) or not isinstance(batch_labels, torch.Tensor):
            return "DataLoader 没能把样本叠成张量：图片请返回张量或 NumPy 数组，不要返回 Python 列表。"
        if tuple(batch_images.shape) != (4, 64) or tuple(batch_labels.shape) != (4,):
            return (
                f"DataLoader 组出的小批量形状是 {tuple(batch_images.shape)} 和 {tuple(batch_labels.shape)}，"
                "应为 (4, 64) 和 (4,)。"
            )
        batch_ok = torch.allclose(batch_images.double(), images[:4].double() / 16, atol=1e-5) and torch.equal(
            batch_labels.long(), labels[:4]
        )
        if not batch_ok:
            return "DataLoader 组出的第一个小批量与前 4 个样本不一致：__getitem__ 对同一个 index 每次都应返回同样的结果。"
        return None


_EXERCISE_2 = Exercise(
    brief="Dataset 子类 ScaledDigits，ds[i] 返回 (第 i 张图片的 64 个像素 / 16, 第 i 个标签)"
    "（图片可以是任何浮点类型的张量或 NumPy 数组，标签可以是整数、整数张量或 NumPy 整数）。",
    expected=_ex2_data,
    compare=_ScaledDataset(),
    mistakes=(
        Mistake(
            lambda a: not isinstance(a, type) and isinstance(a, torch.utils.data.Dataset),
            "请传入类本身：ex.check_2(ScaledDigits)，而不是 ScaledDigits(...) 创建的对象。",
        ),
        Mistake(
            lambda a: not isinstance(a, type),
            lambda a: f"答案应该是一个类（class ScaledDigits(Dataset): ...），现在是 {_type_name(a)}。",
        ),
        Mistake(
            lambda a: _first_sample(a) is None,
            "__getitem__ 还在返回 None：返回 (图片, 标签) 两个值。",
            todo=True,
        ),
    ),
    success="每个样本都是 (64 个缩放到 0 到 1 的像素, 标签)，DataLoader 也能把它们组成 (4, 64) 和 (4,) 的小批量。",
)

# ---------------------------------------------------------------- 练习 3


def _ex3_cases() -> list[torch.Tensor]:
    """练习 3 的测试矩阵：对角线以外的最大值都唯一，而且对角线上的数更大。

    对角线上最大的一格在最后一行（40 次）：不排除对角线、直接取最大值得到的是 (k-1, k-1)，
    与“把对角线置为 0 以后用 argmin”得到的 (0, 0) 不同，两种错误能分开提示。
    """
    g = torch.Generator().manual_seed(3)
    cases = []
    for k, row, col in ((10, 4, 9), (10, 7, 1), (3, 2, 0), (5, 1, 3)):
        cm = torch.randint(0, 3, (k, k), generator=g)
        cm.fill_diagonal_(30)
        cm[k - 1, k - 1] = 40
        cm[row, col] = 9
        cases.append(cm)
    return cases


def _ex3_expected(cm: torch.Tensor) -> tuple[int, int]:
    errors = cm.clone()
    errors.fill_diagonal_(-1)
    index = int(errors.argmax().item())
    return divmod(index, cm.shape[1])


class _Cell(NamedTuple):
    """练习 3 的正确结果：对角线以外最大的一格 ``(行, 列)`` 和它的次数。"""

    cell: tuple[int, int]
    count: int


def _ex3_cell(cm: torch.Tensor) -> _Cell:
    cell = _ex3_expected(cm)
    return _Cell(cell, int(cm[cell].item()))


@dataclass(frozen=True)
class _MostConfused:
    """练习 3 的比较：返回的两个整数就是对角线以外最大的一格。"""

    def problem(self, got: Any, want: _Cell) -> str | None:
        pair = _pair(got)
        if pair is None:
            shown = _short_repr(got)
            detail = f"：{shown}" if shown != _type_name(got) else ""
            return f"应该返回两个整数 (真实类别, 预测类别)，现在返回的是 {_type_name(got)}{detail}。"
        if pair != want.cell:
            return f"对角线以外最大的一格是 {want.cell}（有 {want.count} 次），你的函数返回 {pair}。"
        return None


def _smallest_after_zeroing(cm: torch.Tensor) -> tuple[int, int]:
    """常见错误的结果：把对角线置为 0 以后用 argmin 找到的那一格（次数都不是负数，所以是对角线上的 (0, 0)）。"""
    errors = cm.clone()
    errors.fill_diagonal_(0)
    return divmod(int(errors.argmin()), cm.shape[1])


def _flat_index(cm: torch.Tensor) -> int:
    i, j = _ex3_expected(cm)
    return i * cm.shape[1] + j


_EXERCISE_3 = Exercise(
    brief="函数 most_confused(cm) 返回对角线以外最大一格的 (真实类别, 预测类别)"
    "（元组、列表、张量或 NumPy 数组都可以，只要含有两个整数；不修改 cm）。",
    function="most_confused",
    arguments=("cm",),
    input_hint="先用 errors = cm.clone() 复制一份，再把副本的对角线置为 0。",
    cases=lambda: [Case((cm,), f"输入 {cm.shape[0]}×{cm.shape[1]} 的矩阵时") for cm in _ex3_cases()],
    not_function=_not_function("most_confused(cm)"),
    expected=_ex3_cell,
    compare=_MostConfused(),
    mistakes=(
        Mistake(
            lambda got, cm: as_number(got) == _flat_index(cm),
            lambda got, cm: f"返回的 {_flat_index(cm)} 是展平以后的下标：还要换成 (行, 列)，"
            "行 = 下标 // 列数，列 = 下标 % 列数。",
        ),
        Mistake(
            lambda got, cm: as_number(got) is not None,
            "应该返回两个数 (真实类别, 预测类别)，现在只返回了一个数。",
        ),
        Mistake(
            lambda got, cm: _pair(got) == _smallest_after_zeroing(cm),
            lambda got, cm: f"返回的 {_pair(got)} 在对角线上，正是把对角线置为 0 以后最小的一格：是不是用了 argmin？"
            "最常见的错误是对角线以外最大的一格，用 argmax。",
        ),
        Mistake(
            lambda got, cm: _pair(got)[0] == _pair(got)[1],
            lambda got, cm: f"返回的 {_pair(got)} 在对角线上，那是认对的样本：先把对角线置为 0（或排除掉）再找最大值。",
        ),
        Mistake(
            lambda got, cm: _pair(got) == _ex3_expected(cm)[::-1],
            "行和列反了：第 i 行第 j 列是真实类别 i 被预测为 j，应返回 (行, 列)。",
        ),
    ),
    success="几个不同的混淆矩阵都找对了：排除对角线以后取最大值，再把展平的下标换成 (行, 列)。",
)

# ---------------------------------------------------------------- 练习 4

#: 练习 4：每个隐藏层最多的单元数、最低的验证准确率。
EX4_MAX_HIDDEN = 16
EX4_TARGET = 0.95


def standardized_validation_set() -> tuple[torch.Tensor, torch.Tensor]:
    """第 7 课的验证集，按课上的做法用训练集的均值和标准差标准化（标准差为 0 的像素除以 1）。"""
    (x_train, _), (x_val, y_val), _ = digits(seed=0)
    mean = x_train.mean(dim=0)
    std = x_train.std(dim=0)
    std[std == 0] = 1.0
    return (x_val - mean) / std, y_val


class _Layers(NamedTuple):
    """练习 4 的模型里的全连接层：接受像素的输入层、输出对数几率的输出层、各隐藏层的宽度。"""

    first: nn.Linear
    last: nn.Linear
    hidden: list[int]


def _layers(model: nn.Module) -> _Layers:
    """找出输入层和输出层（按形状找，不依赖各层登记的先后）；模型里没有全连接层时抛出异常。

    输入层是第一个接受 64 个数的全连接层，输出层是除它以外最后一个输出 10 个数的全连接层；
    没有这样的层时，退回按登记顺序的第一个和最后一个。其余全连接层（和输入层）的输出个数是隐藏层的宽度。
    """
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    first = next((m for m in linears if m.in_features == 64), linears[0])
    outputs = [m for m in linears if m.out_features == 10 and m is not first]
    last = outputs[-1] if outputs else linears[-1]
    hidden = [m.out_features for m in linears if m is not last]
    return _Layers(first, last, hidden)


def _validation_outputs(model: nn.Module, x_val: torch.Tensor) -> Any:
    """模型在评估模式下对验证集的输出（检查完恢复每一层原来的模式）。"""
    first = next(model.parameters())
    with torch.no_grad(), _evaluation_mode(model):
        return model(x_val.to(device=first.device, dtype=first.dtype))


def _validation_accuracy(out: torch.Tensor, y_val: torch.Tensor) -> float:
    return (out.detach().to("cpu").argmax(dim=1) == y_val).float().mean().item()


@dataclass(frozen=True)
class _ValidationAccuracy:
    """练习 4 的比较：模型的结构符合要求（由 ``mistakes`` 给出具体提示，这里再核对一遍），
    在验证集上的准确率至少 ``EX4_TARGET``。``want`` 是 ``standardized_validation_set()``。"""

    def problem(self, model: Any, want: tuple[torch.Tensor, torch.Tensor]) -> str | None:
        if not isinstance(model, nn.Module) or not any(isinstance(m, nn.Linear) for m in model.modules()):
            return "答案应该是训练好的模型（nn.Module），例如 DigitMLP(n_hidden=16)。"
        layers = _layers(model)
        if (layers.first.in_features, layers.last.out_features) != (64, 10) or not layers.hidden:
            return "模型的结构不对：第一层接受 64 个像素、最后一层输出 10 个对数几率，中间至少有一个隐藏层。"
        if max(layers.hidden) > EX4_MAX_HIDDEN:
            return f"隐藏层的宽度是 {layers.hidden}，超过了 {EX4_MAX_HIDDEN}：用 DigitMLP(n_hidden=16) 创建模型。"
        x_val, y_val = want
        try:
            out = _validation_outputs(model, x_val)
            if isinstance(out, torch.Tensor):
                out = out.detach().to("cpu")
        except Exception as err:  # 学习者的模型可能抛出任何异常，都要变成提示
            return f"把验证集交给模型时出错：{error_summary(err)}"
        if not isinstance(out, torch.Tensor) or tuple(out.shape) != (len(y_val), 10):
            shape = tuple(out.shape) if isinstance(out, torch.Tensor) else _type_name(out)
            return f"验证集有 {len(y_val)} 个样本，模型的输出形状应为 ({len(y_val)}, 10)，现在是 {shape}。"
        acc = _validation_accuracy(out, y_val)
        if acc < 0.2:
            return (
                f"验证准确率只有 {acc:.1%}，和瞎猜差不多：模型是不是还没有训练？用 train_digits(small, epochs=40) 训练，"
                "再把它返回的第三个值（验证准确率最高时的参数）用 small.load_state_dict(...) 装回模型。"
            )
        if acc < EX4_TARGET:
            raw_acc = _raw_pixel_accuracy(model)
            if raw_acc is not None and raw_acc >= max(EX4_TARGET, acc + 0.1):
                return (
                    f"在标准化的验证集上准确率只有 {acc:.1%}，在没有标准化的原始像素上却有 {raw_acc:.1%}："
                    "模型是用原始像素训练的。训练时要和课上一样，先用训练集的均值和标准差把像素标准化"
                    "（本课的 train_digits 用的 train_set 已经标准化了）。"
                )
            return (
                f"验证准确率是 {acc:.1%}，还没达到 {EX4_TARGET:.0%}：多训练几个迭代周期，或把学习率调大一点，"
                "并记得装回验证准确率最高时的参数；也确认训练时像素和验证集一样做了标准化。"
            )
        return None


def _raw_pixel_accuracy(model: nn.Module) -> float | None:
    """模型在没有标准化的验证集（原始像素 0 到 16）上的准确率；算不出来时返回 ``None``。"""
    _, (x_val, y_val), _ = digits(seed=0)
    try:
        out = _validation_outputs(model, x_val)
        return _validation_accuracy(out, y_val) if isinstance(out, torch.Tensor) and out.shape == (len(y_val), 10) else None
    except Exception:  # 只是为了找原因，算不出来就不提
        return None


def _ex4_success(model: nn.Module) -> str:
    x_val, y_val = standardized_validation_set()
    acc = _validation_accuracy(_validation_outputs(model, x_val), y_val)
    params = sum(p.numel() for p in model.parameters())
    return f"隐藏层宽度 {_layers(model).hidden}，一共 {params} 个参数，验证准确率 {acc:.1%}。"


_EXERCISE_4 = Exercise(
    brief="训练好的模型，每个隐藏层不超过 16 个单元，在验证集上的准确率至少 95%。",
    expected=standardized_validation_set,
    compare=_ValidationAccuracy(),
    mistakes=(
        Mistake(
            lambda a: not isinstance(a, nn.Module),
            lambda a: f"答案应该是训练好的模型（nn.Module），例如 DigitMLP(n_hidden=16)；现在是 {_type_name(a)}。",
        ),
        Mistake(
            lambda a: not any(isinstance(m, nn.Linear) for m in a.modules()),
            "模型里没有全连接层 nn.Linear：用 DigitMLP(n_hidden=16) 创建模型。",
        ),
        Mistake(
            lambda a: _layers(a).first.in_features != 64 or _layers(a).last.out_features != 10,
            lambda a: f"模型的第一层应该接受 64 个像素、最后一层输出 10 个对数几率，现在是 {_layers(a).first.in_features} 和 "
            f"{_layers(a).last.out_features}。",
        ),
        Mistake(
            lambda a: not _layers(a).hidden,
            "模型没有隐藏层：练习要的是一个隐藏层有 16 个单元的多层感知机。",
        ),
        Mistake(
            lambda a: max(_layers(a).hidden) > EX4_MAX_HIDDEN,
            lambda a: f"隐藏层的宽度是 {_layers(a).hidden}，超过了 {EX4_MAX_HIDDEN}：用 DigitMLP(n_hidden=16) 创建模型。",
        ),
        Mistake(
            lambda a: not all(bool(torch.isfinite(p).all()) for p in a.parameters() if p.dtype.is_floating_point),
            "模型的参数里有 nan 或 inf：训练发散了（例如学习率太大）。重新创建模型，用较小的学习率再训练。",
        ),
        Mistake(
            lambda a: any(p.is_meta for p in a.parameters()),
            "模型的参数在 meta 设备上，只有形状、没有数值，无法计算：用 DigitMLP(n_hidden=16) 创建模型（不写 device='meta'），"
            "训练后再交给检查器。",
        ),
    ),
    success=_ex4_success,
)

#: 本课的练习，按顺序：第 N 项就是“练习 N”
EXERCISES = (_EXERCISE_1, _EXERCISE_2, _EXERCISE_3, _EXERCISE_4)
check_1, check_2, check_3, check_4 = numbered(EXERCISES)
