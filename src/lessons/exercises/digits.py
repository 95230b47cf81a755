"""第 7 课“实战：手写数字识别”的练习检查器。

- :func:`check_1`：函数 ``accuracy_from_logits(logits, labels)``，由对数几率算准确率；
- :func:`check_2`：补全 ``Dataset`` 子类的 ``__getitem__``，返回除以 16 的像素和标签；
- :func:`check_3`：函数 ``most_confused(cm)``，找出混淆矩阵里最常见的一种错误；
- :func:`check_4`：隐藏层不超过 16 个单元的模型，验证准确率至少 95%。

检查器从不抛出异常：学习者代码里的任何错误都变成一行中文提示。
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from ..checking import Feedback, as_number, as_tensor, error_summary, failed, not_answered, passed
from ..data import digits

# ---------------------------------------------------------------- 公用


def _pair(value: Any) -> tuple[int, int] | None:
    """把 ``(i, j)`` 形式的答案（元组、列表、张量、NumPy 数组，元素为整数）变成两个 Python 整数。"""
    tensor = as_tensor(value)
    if tensor is None or tensor.numel() != 2 or tensor.dtype == torch.bool:
        return None
    flat = tensor.reshape(-1)
    if flat.dtype.is_floating_point:
        if not torch.equal(flat, flat.round()):
            return None
    return int(flat[0].item()), int(flat[1].item())


# ---------------------------------------------------------------- 练习 1


def _ex1_cases() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """练习 1 的测试数据：几组 (logits, labels)，每行的最大值唯一。

    第一组用来分辨几种常见错误：正确的准确率是 0.5；``argmax()`` 不写 ``dim`` 时，
    得到的是展平以后的下标 1，恰好等于每个标签，准确率成了 1.0；用整除 ``//``，
    或者拿每行的最大值本身（9、5、5、5）和标签比较，都得到 0，由 :func:`_ex1_max_values_probe` 再分辨。
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


def _ex1_max_values_probe() -> tuple[torch.Tensor, torch.Tensor]:
    """练习 1 的追加测试数据，用来分辨结果为 0 的两种错误。

    正确的准确率是 2/3；把每行的最大值本身（``max`` 的 values）和标签比较时，
    三个最大值 1、1、2 恰好等于三个标签，得到 1.0；用整除 ``//`` 则得到 2 // 3 = 0。
    """
    logits = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    return logits, torch.tensor([1, 1, 2])


def _ex1_compares_max_values(accuracy_from_logits: Callable[[torch.Tensor, torch.Tensor], Any]) -> bool:
    """学习者的函数在追加测试数据上是否得到 1.0，即和标签比较的是最大值本身，而不是它的位置。"""
    logits, labels = _ex1_max_values_probe()
    try:
        number = as_number(accuracy_from_logits(logits.clone(), labels.clone()))
    except Exception:  # 学习者的代码可能抛出任何异常；这里只是辨认错误的种类
        return False
    return number is not None and abs(number - 1.0) <= 1e-6


def _ex1_expected(logits: torch.Tensor, labels: torch.Tensor) -> float:
    return (logits.argmax(dim=1) == labels).float().mean().item()


def _ex1_without_dim(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """常见错误：``argmax()`` 没有写 ``dim``，在展平的整个张量里找最大值，只得到一个下标。"""
    return (logits.argmax() == labels).float().mean().item()


def check_1(accuracy_from_logits: Callable[[torch.Tensor, torch.Tensor], Any] | None) -> Feedback:
    """练习 1：``accuracy_from_logits(logits, labels)`` 返回准确率（0 到 1 之间的一个数）。

    答案可以是 Python 数、NumPy 标量，或只含一个元素的张量（任何数据类型）。
    """
    if accuracy_from_logits is None:
        return not_answered()
    if not callable(accuracy_from_logits):
        return failed(
            "答案应该是一个函数（用 def accuracy_from_logits(logits, labels): 定义），"
            f"现在是 {type(accuracy_from_logits).__name__}。"
        )
    for logits, labels in _ex1_cases():
        expected = _ex1_expected(logits, labels)
        try:
            result = accuracy_from_logits(logits.clone(), labels.clone())
        except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
            text = str(err)
            hint = ""
            if "mean" in text and ("Bool" in text or "Long" in text):
                hint = "比较得到的是布尔张量（或整数张量），先用 .float() 转成浮点数再求平均。"
            elif "must match the size" in text:
                hint = "形状对不上：每一行是一个样本，要在每行的 C 个数里找最大值，用 argmax(dim=1)。"
            return failed(f"调用 accuracy_from_logits 时出错：{error_summary(err)}" + (f"。{hint}" if hint else ""))
        if result is None:
            return not_answered("accuracy_from_logits 还在返回 None：把 return None 换成你的计算。")
        number = as_number(result)
        if number is None:
            if isinstance(result, (torch.Tensor, np.ndarray)):
                return failed(
                    f"应该返回一个数，现在返回的是形状为 {tuple(result.shape)} 的"
                    f"{'张量' if isinstance(result, torch.Tensor) else '数组'}：别忘了对每个样本的对错求平均。"
                )
            return failed(f"应该返回一个数（准确率），现在返回的是 {type(result).__name__}。")
        if abs(number - expected) <= 1e-6:
            continue
        n = len(labels)
        if number != 0 and abs(number - _ex1_without_dim(logits, labels)) <= 1e-6:  # 结果是 0 时交给下面的整除提示
            return failed(
                "argmax() 没有写 dim：它在展平的整个张量里找最大值，只返回一个下标，而不是每个样本的预测类别。"
                "用 logits.argmax(dim=1) 在每一行的 C 个数里找最大的。"
            )
        if abs(number - expected * n) <= 1e-6 and n > 1 and expected > 0:
            return failed(f"返回的 {number:g} 是猜对的个数，还要除以样本数 {n}，得到 0 到 1 之间的比例。")
        if abs(number - expected * 100) <= 1e-4 and expected > 0:
            return failed(f"返回的 {number:g} 是百分数：请返回 0 到 1 之间的比例，例如 0.5 而不是 50。")
        if number == 0 and 0 < expected < 1:
            if _ex1_compares_max_values(accuracy_from_logits):
                return failed(
                    "和标签比较的是每行的最大值本身（max 返回的 values），而不是最大值所在的位置。"
                    "预测类别是最大值所在的列：logits.argmax(dim=1)（也就是 logits.max(dim=1).indices）。"
                )
            return failed(
                "结果是 0：如果用了整除 //，它会丢掉小数部分（猜对的个数少于样本数时得到 0），"
                "改用 / 或先 .float() 再求平均；也检查一下和标签比较的是不是最大值所在的位置 argmax(dim=1)，"
                "而不是最大值本身 max。"
            )
        return failed(
            f"有 {n} 个样本、{logits.shape[1]} 个类别时，正确的准确率是 {expected:.4g}，你的函数返回 {number:.4g}。"
            "预测类别是每行最大的对数几率所在的列：logits.argmax(dim=1)。"
        )
    return passed("几组不同的输入都算对了：argmax(dim=1) 取出预测类别，与标签比较后求平均。")


# ---------------------------------------------------------------- 练习 2


def _ex2_data() -> tuple[torch.Tensor, torch.Tensor]:
    """练习 2 用的 12 张手写数字（原始像素，0 到 16）和它们的标签。"""
    (x_train, y_train), _, _ = digits(seed=0)
    return x_train[:12].clone(), y_train[:12].clone()


def check_2(dataset_class: Any) -> Feedback:
    """练习 2：``Dataset`` 子类，``ds[i]`` 返回 ``(第 i 张图片的 64 个像素 / 16, 第 i 个标签)``。

    图片可以是任何浮点类型的张量或 NumPy 数组，标签可以是整数、整数张量或 NumPy 整数。
    """
    if dataset_class is None:
        return not_answered()
    if not isinstance(dataset_class, type):
        if isinstance(dataset_class, torch.utils.data.Dataset):
            return failed("请传入类本身：ex.check_2(ScaledDigits)，而不是 ScaledDigits(...) 创建的对象。")
        return failed(f"答案应该是一个类（class ScaledDigits(Dataset): ...），现在是 {type(dataset_class).__name__}。")
    images, labels = _ex2_data()
    try:
        dataset = dataset_class(images.clone(), labels.clone())
        length = len(dataset)
    except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
        return failed(f"用 ScaledDigits(images, labels) 创建数据集或调用 len 时出错：{error_summary(err)}")
    if length != len(labels):
        return failed(f"数据集有 {len(labels)} 个样本，len(ds) 却是 {length}：__len__ 应该返回标签的个数。")
    for index in (0, 5, len(labels) - 1):
        try:
            sample = dataset[index]
        except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
            return failed(f"取第 {index} 个样本 ds[{index}] 时出错：{error_summary(err)}")
        if sample is None:
            return not_answered("__getitem__ 还在返回 None：返回 (图片, 标签) 两个值。")
        if not isinstance(sample, (tuple, list)) or len(sample) != 2:
            return failed("__getitem__ 应该返回两个值：return 图片, 标签。")
        image, label = sample
        expected_image = images[index] / 16
        got = as_tensor(image)
        if got is None:
            got_label = as_number(image)
            if got_label is not None and got_label == labels[index].item():
                return failed("图片和标签的顺序反了：先返回图片，再返回标签。")
            return failed(f"图片应该是张量或数组，现在是 {type(image).__name__}。")
        if got.numel() == 1 and as_tensor(label) is not None and as_tensor(label).numel() == 64:
            return failed("图片和标签的顺序反了：先返回图片，再返回标签。")
        if tuple(got.shape) == (len(labels), 64):
            return failed("返回了全部图片：__getitem__ 只返回第 index 个样本，用 self.images[index]。")
        if got.numel() != 64:
            return failed(f"一张图片应该有 64 个像素，现在的形状是 {tuple(got.shape)}。")
        if tuple(got.shape) != (64,):
            return failed(f"图片的形状应为 (64,)（与 self.images[index] 相同），现在是 {tuple(got.shape)}：不用改变形状。")
        got = got.double()
        if torch.allclose(got, images[index].double(), atol=1e-6):
            return failed("图片还是原始像素（0 到 16）：要除以 16，缩放到 0 到 1。")
        if torch.allclose(got, torch.div(images[index], 16, rounding_mode="floor").double(), atol=1e-6):
            return failed("用了整除 //，小数部分丢掉了：改用 / 16。")
        if not torch.allclose(got, expected_image.double(), atol=1e-5):
            return failed(f"第 {index} 张图片的像素不对：应该是 self.images[index] / 16。")
        got_label = as_number(label)
        if got_label is None:
            return failed(f"标签应该是一个整数（或只含一个元素的张量），现在是 {type(label).__name__}。")
        label_tensor = as_tensor(label)
        if label_tensor is not None and label_tensor.dtype.is_floating_point:
            return failed("标签变成了浮点数：原样返回 self.labels[index]，交叉熵要的是整数标签。")
        if got_label != labels[index].item():
            return failed(f"第 {index} 个样本的标签应为 {labels[index].item()}，现在是 {got_label:g}：返回 self.labels[index]。")
    try:
        loader = torch.utils.data.DataLoader(dataset, batch_size=4, shuffle=False)
        batch_images, batch_labels = next(iter(loader))
    except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
        return failed(f"单个样本都对了，但交给 DataLoader 组成小批量时出错：{error_summary(err)}")
    if not isinstance(batch_images, torch.Tensor) or not isinstance(batch_labels, torch.Tensor):
        return failed("DataLoader 没能把样本叠成张量：图片请返回张量或 NumPy 数组，不要返回 Python 列表。")
    if tuple(batch_images.shape) != (4, 64) or tuple(batch_labels.shape) != (4,):
        return failed(
            f"DataLoader 组出的小批量形状是 {tuple(batch_images.shape)} 和 {tuple(batch_labels.shape)}，"
            "应为 (4, 64) 和 (4,)。"
        )
    return passed("每个样本都是 (64 个缩放到 0 到 1 的像素, 标签)，DataLoader 也能把它们组成 (4, 64) 和 (4,) 的小批量。")


# ---------------------------------------------------------------- 练习 3


def _ex3_cases() -> list[torch.Tensor]:
    """练习 3 的测试矩阵：对角线以外的最大值都唯一，而且对角线上的数更大。"""
    g = torch.Generator().manual_seed(3)
    cases = []
    for k, row, col in ((10, 4, 9), (10, 7, 1), (3, 2, 0), (5, 1, 3)):
        cm = torch.randint(0, 3, (k, k), generator=g)
        cm.fill_diagonal_(30)
        cm[row, col] = 9
        cases.append(cm)
    return cases


def _ex3_expected(cm: torch.Tensor) -> tuple[int, int]:
    errors = cm.clone()
    errors.fill_diagonal_(-1)
    index = int(errors.argmax().item())
    return divmod(index, cm.shape[1])


def check_3(most_confused: Callable[[torch.Tensor], Any] | None) -> Feedback:
    """练习 3：``most_confused(cm)`` 返回对角线以外最大一格的 ``(真实类别, 预测类别)``。

    答案可以是元组、列表、张量或 NumPy 数组，只要含有两个整数。
    """
    if most_confused is None:
        return not_answered()
    if not callable(most_confused):
        return failed(f"答案应该是一个函数（用 def most_confused(cm): 定义），现在是 {type(most_confused).__name__}。")
    for cm in _ex3_cases():
        expected = _ex3_expected(cm)
        k = cm.shape[0]
        try:
            result = most_confused(cm.clone())
        except Exception as err:  # 学习者的代码可能抛出任何异常，都要变成提示
            return failed(f"调用 most_confused(cm) 时出错：{error_summary(err)}")
        if result is None:
            return not_answered("most_confused 还在返回 None：把 return None 换成你的计算。")
        number = as_number(result)
        if number is not None:
            flat = expected[0] * k + expected[1]
            if number == flat:
                return failed(
                    f"返回的 {int(number)} 是展平以后的下标：还要换成 (行, 列)，"
                    "行 = 下标 // 列数，列 = 下标 % 列数。"
                )
            return failed("应该返回两个数 (真实类别, 预测类别)，现在只返回了一个数。")
        pair = _pair(result)
        if pair is None:
            return failed(f"应该返回两个整数 (真实类别, 预测类别)，现在返回的是 {type(result).__name__}：{result!r:.60}。")
        if pair == expected:
            continue
        if pair[0] == pair[1]:
            return failed(f"返回的 {pair} 在对角线上，那是认对的样本：先把对角线置为 0（或排除掉）再找最大值。")
        if pair == (expected[1], expected[0]):
            return failed("行和列反了：第 i 行第 j 列是真实类别 i 被预测为 j，应返回 (行, 列)。")
        return failed(
            f"对一个 {k}×{k} 的矩阵，对角线以外最大的一格是 {expected}（有 {cm[expected].item()} 次），"
            f"你的函数返回 {pair}。"
        )
    return passed("几个不同的混淆矩阵都找对了：排除对角线以后取最大值，再把展平的下标换成 (行, 列)。")


# ---------------------------------------------------------------- 练习 4

#: 练习 4：每个隐藏层最多的单元数、最低的验证准确率。
EX4_MAX_HIDDEN = 16
EX4_TARGET = 0.95


def standardized_validation_set() -> tuple[torch.Tensor, torch.Tensor]:
    """第 07 课的验证集，按课上的做法用训练集的均值和标准差标准化（标准差为 0 的像素除以 1）。"""
    (x_train, _), (x_val, y_val), _ = digits(seed=0)
    mean = x_train.mean(dim=0)
    std = x_train.std(dim=0)
    std[std == 0] = 1.0
    return (x_val - mean) / std, y_val


def check_4(model: Any) -> Feedback:
    """练习 4：训练好的模型，每个隐藏层不超过 16 个单元，在验证集上的准确率至少 95%。"""
    if model is None:
        return not_answered()
    if not isinstance(model, nn.Module):
        return failed(f"答案应该是训练好的模型（nn.Module），例如 DigitMLP(n_hidden=16)；现在是 {type(model).__name__}。")
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not linears:
        return failed("模型里没有全连接层 nn.Linear：用 DigitMLP(n_hidden=16) 创建模型。")
    if linears[0].in_features != 64 or linears[-1].out_features != 10:
        return failed(
            f"模型的第一层应该接受 64 个像素、最后一层输出 10 个对数几率，现在是 {linears[0].in_features} 和 "
            f"{linears[-1].out_features}。"
        )
    hidden = [layer.out_features for layer in linears[:-1]]
    if not hidden:
        return failed("模型没有隐藏层：练习要的是一个隐藏层有 16 个单元的多层感知机。")
    if max(hidden) > EX4_MAX_HIDDEN:
        return failed(
            f"隐藏层的宽度是 {hidden}，超过了 {EX4_MAX_HIDDEN}：用 DigitMLP(n_hidden=16) 创建模型。"
        )
    params = sum(p.numel() for p in model.parameters())
    x_val, y_val = standardized_validation_set()
    was_training = model.training
    try:
        first = next(model.parameters())
        model.eval()
        with torch.no_grad():
            out = model(x_val.to(device=first.device, dtype=first.dtype))
    except Exception as err:  # 学习者的模型可能抛出任何异常，都要变成提示
        return failed(f"把验证集交给模型时出错：{error_summary(err)}")
    finally:
        model.train(was_training)
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (len(y_val), 10):
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        return failed(f"验证集有 {len(y_val)} 个样本，模型的输出形状应为 ({len(y_val)}, 10)，现在是 {shape}。")
    acc = (out.detach().to("cpu").argmax(dim=1) == y_val).float().mean().item()
    if acc < 0.2:
        return failed(
            f"验证准确率只有 {acc:.1%}，和瞎猜差不多：模型是不是还没有训练？用 train_digits(small, epochs=40) 训练，"
            "再把它返回的第三个值（验证准确率最高时的参数）用 small.load_state_dict(...) 装回模型。"
        )
    if acc < EX4_TARGET:
        return failed(
            f"验证准确率是 {acc:.1%}，还没达到 {EX4_TARGET:.0%}：多训练几个迭代周期，或把学习率调大一点，"
            "并记得装回验证准确率最高时的参数。"
        )
    return passed(f"隐藏层宽度 {hidden}，一共 {params} 个参数，验证准确率 {acc:.1%}。")
