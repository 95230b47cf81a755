"""看图片的两种图：图片网格和混淆矩阵（第 7 课“手写数字识别”用到）。

- :func:`show_images`：把若干张小的灰度图片排成网格，每张图上方写标签（或“真实 → 预测”）；
- :func:`plot_confusion_matrix`：把混淆矩阵画成带数字的方格图。

两个函数都接受张量（任何设备）或 NumPy 数组，返回 matplotlib 的 ``Figure`` 或 ``Axes``，
在笔记本里接着调用 ``plt.show()`` 即可。
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch

from . import _validate


def _numpy(values, name: str) -> np.ndarray:
    """张量（任何设备、可以带梯度、任何实数类型）、数组或嵌套列表 → NumPy 数组。"""
    if isinstance(values, torch.Tensor):
        values = values.detach().to("cpu")
        if values.dtype in (torch.bfloat16, torch.float16):  # NumPy 不认识 bfloat16
            values = values.float()
        return values.numpy()
    try:
        return np.asarray(values)
    except ValueError as err:
        raise ValueError(f"{name} 的各行长度不一致，排不成规则的数组：请检查每一行的元素个数。") from err
    except TypeError as err:
        raise TypeError(f"{name} 应该是张量或 NumPy 数组，收到的是 {type(values).__name__}。") from err


def _image_shape(value) -> tuple[int, int]:
    """``image_shape`` 参数：两个正整数 ``(高, 宽)``（元组、列表、``torch.Size`` 或 NumPy 数组）。"""
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise TypeError(
            f"image_shape 应该是两个正整数组成的元组 (高, 宽)，例如 image_shape=(8, 8)；"
            f"收到的是 {_validate.describe(value)}。"
        )
    height = _validate.integer(value[0], "image_shape 的高", low=1, example="image_shape=(8, 8)")
    width = _validate.integer(value[1], "image_shape 的宽", low=1, example="image_shape=(8, 8)")
    return height, width


def _as_images(images, image_shape: tuple[int, int]) -> np.ndarray:
    """把 ``(n, h*w)`` 或 ``(n, h, w)`` 的输入整理成 ``(n, h, w)`` 的数组。"""
    array = _numpy(images, "images")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"images 的元素应该是数，现在的数据类型是 {array.dtype}。")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError("images 里有 nan 或 inf：像素值应该是有限的数，请检查图片数据是怎样算出来的。")
    height, width = _image_shape(image_shape)
    if array.ndim == 2 and array.shape[1] == height * width:
        return array.reshape(len(array), height, width)
    if array.ndim == 3 and array.shape[1:] == (height, width):
        return array
    raise ValueError(
        f"images 的形状应为 (n, {height * width}) 或 (n, {height}, {width})，现在是 {array.shape}；"
        "其他大小的图片请传入 image_shape=(高, 宽)。"
    )


def _as_labels(values, name: str, count: int) -> np.ndarray | None:
    if values is None:
        return None
    array = _numpy(values, name).reshape(-1)
    if len(array) != count:
        raise ValueError(f"{name} 应该有 {count} 个（与图片一样多），现在有 {len(array)} 个。")
    return array


def show_images(
    images,
    labels=None,
    predictions=None,
    ncols: int = 10,
    title: str | None = None,
    image_shape: tuple[int, int] = (8, 8),
    size: float = 0.85,
):
    """把若干张灰度图片画成网格，返回 ``Figure``。

    - ``images``：形状 ``(n, 64)``（每行一张按行展开的图片）或 ``(n, 8, 8)``；其他大小用 ``image_shape``；
    - ``labels``：每张图的真实类别，写在图的上方；
    - ``predictions``：模型预测的类别；给出时标题写成“真 3 → 预 8”，预测错的用红色；
    - ``ncols``：每行几张；``size``：每张图占多少英寸。

    颜色越深表示像素值越大（与纸上的墨迹一致）。
    """
    ncols = _validate.integer(ncols, "ncols（每行几张）", low=1, example="ncols=10")
    size = _validate.real(size, "size（每张图占多少英寸）", low=0, strict=True, example="size=0.85")
    if title is not None:
        title = _validate.text(title, "title")
    pictures = _as_images(images, image_shape)
    count = len(pictures)
    if count == 0:
        raise ValueError("images 是空的：至少要有一张图片。")
    truth = _as_labels(labels, "labels", count)
    guess = _as_labels(predictions, "predictions", count)
    ncols = min(ncols, count)
    nrows = math.ceil(count / ncols)
    extra = 0.35 if title else 0.0
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * size, nrows * (size + 0.25) + extra), squeeze=False)
    low, high = float(pictures.min()), float(pictures.max())
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= count:
            continue
        ax.imshow(pictures[index], cmap="gray_r", vmin=low, vmax=high if high > low else low + 1)
        if guess is not None and truth is not None:
            wrong = guess[index] != truth[index]
            ax.set_title(f"真 {truth[index]} → 预 {guess[index]}", fontsize=8, color="C3" if wrong else "k")
        elif guess is not None:
            ax.set_title(f"预测 {guess[index]}", fontsize=9)
        elif truth is not None:
            ax.set_title(str(truth[index]), fontsize=10)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(
    matrix,
    ax=None,
    title: str = "混淆矩阵",
    class_names: Sequence[str] | None = None,
):
    """把混淆矩阵画成方格图，每格写上个数，返回 ``Axes``。

    约定与 scikit-learn 相同：第 ``i`` 行第 ``j`` 列是“真实类别为 ``i``、被预测为 ``j``”的样本数，
    所以对角线上是预测正确的样本，对角线以外都是错误。
    """
    ax = _validate.axes(ax)
    title = _validate.text(title, "title")
    counts = _numpy(matrix, "matrix")
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] == 0:
        raise ValueError(f"matrix 应该是形状为 (k, k) 的方阵，现在的形状是 {counts.shape}。")
    if counts.dtype.kind not in "biuf":
        raise TypeError(f"matrix 的元素应该是数，现在的数据类型是 {counts.dtype}。")
    if counts.dtype.kind == "f" and not np.isfinite(counts).all():
        raise ValueError("matrix 里有 nan 或 inf：混淆矩阵的每一格应该是样本的个数（或比例），请检查它是怎么算出来的。")
    if (counts < 0).any():
        raise ValueError(
            f"matrix 里有负数（最小的是 {counts.min()}）：混淆矩阵的每一格是样本的个数（或比例），"
            "请检查它是怎么算出来的。"
        )
    k = counts.shape[0]
    if class_names is not None and (
        isinstance(class_names, (str, bytes)) or not isinstance(class_names, (Sequence, np.ndarray))
    ):
        raise TypeError(
            f"class_names 应该是每个类别的名字组成的列表，例如 class_names=[\"猫\", \"狗\"]；"
            f"收到的是 {_validate.describe(class_names)}。"
        )
    names = [str(i) for i in range(k)] if class_names is None else [str(n) for n in class_names]
    if len(names) != k:
        raise ValueError(f"class_names 应该有 {k} 个名字（与矩阵的行数相同），现在有 {len(names)} 个。")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.42 * k + 1.6, 0.42 * k + 1.2))
    ax.imshow(counts, cmap="Blues")
    ax.grid(False)
    threshold = counts.max() / 2 if counts.size else 0
    for i in range(k):
        for j in range(k):
            value = counts[i, j]
            if value == 0:
                continue
            text = f"{value:g}" if counts.dtype.kind == "f" else str(value)
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if value > threshold else "black")
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("预测类别")
    ax.set_ylabel("真实类别")
    ax.set_title(title)
    return ax
