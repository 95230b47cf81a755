"""lessons.vision（图片网格与混淆矩阵）的单元测试。"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from lessons import use_chinese_font, vision  # noqa: E402

use_chinese_font()  # 图上的中文标题需要中文字体，否则会有缺字警告


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _titles(fig):
    return [ax.get_title() for ax in fig.axes if ax.get_title()]


def test_show_images_with_labels():
    images = torch.arange(12 * 64, dtype=torch.float32).reshape(12, 64) % 17
    fig = vision.show_images(images, torch.arange(12) % 10, ncols=5, title="示例")
    assert len(fig.axes) == 15  # 3 行 5 列，多出的 3 格不画
    assert _titles(fig)[:3] == ["0", "1", "2"]
    assert fig._suptitle.get_text() == "示例"
    assert [ax.images[0].get_array().shape for ax in fig.axes if ax.images][0] == (8, 8)


def test_show_images_marks_wrong_predictions_in_red():
    images = np.zeros((3, 8, 8))
    fig = vision.show_images(images, labels=[1, 2, 3], predictions=np.array([1, 5, 3]))
    axes = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in axes] == ["真 1 → 预 1", "真 2 → 预 5", "真 3 → 预 3"]
    colors = [ax.title.get_color() for ax in axes]
    assert colors[0] == colors[2] != colors[1]


def test_show_images_predictions_only_and_other_sizes():
    fig = vision.show_images(torch.rand(2, 28 * 28), predictions=[4, 7], image_shape=(28, 28))
    assert _titles(fig) == ["预测 4", "预测 7"]


def test_show_images_accepts_gpu_style_tensors_with_grad():
    images = torch.rand(4, 64, requires_grad=True)
    fig = vision.show_images(images * 2)
    assert len(fig.axes) == 4


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((torch.zeros(3, 10),), {}, ValueError, "images 的形状"),
        ((torch.zeros(0, 64),), {}, ValueError, "空的"),
        ((torch.zeros(3, 64), [1, 2]), {}, ValueError, "labels 应该有 3 个"),
        ((torch.zeros(3, 64),), {"predictions": [1]}, ValueError, "predictions 应该有 3 个"),
        ((torch.zeros(3, 64),), {"ncols": 0}, ValueError, "ncols"),
        ((np.array([["a"] * 64]),), {}, TypeError, "数据类型"),
        ((torch.zeros(3, 64),), {"size": 0}, ValueError, "size"),
        ((torch.zeros(3, 64),), {"size": "大"}, TypeError, "size"),
        ((torch.zeros(3, 64),), {"title": 3}, TypeError, "title"),
        ((torch.zeros(3, 64),), {"image_shape": (8,)}, TypeError, "image_shape"),
        ((torch.zeros(3, 64),), {"image_shape": "88"}, TypeError, "image_shape"),
        ((torch.zeros(3, 64),), {"image_shape": (0, 64)}, ValueError, "image_shape 的高"),
        ((torch.zeros(3, 64),), {"image_shape": (8, 8.0)}, TypeError, "image_shape 的宽"),
    ],
)
def test_show_images_rejects_bad_input(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        vision.show_images(*args, **kwargs)


def test_confusion_matrix_plot():
    cm = torch.tensor([[5, 1, 0], [0, 7, 2], [0, 0, 9]])
    ax = vision.plot_confusion_matrix(cm, title="测试")
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["5", "1", "7", "2", "9"])  # 0 不写
    assert ax.get_xlabel() == "预测类别" and ax.get_ylabel() == "真实类别"
    assert ax.get_title() == "测试"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]


def test_confusion_matrix_plot_with_names_and_axes():
    fig, ax = plt.subplots()
    out = vision.plot_confusion_matrix(np.eye(2) * 3.5, ax=ax, class_names=["猫", "狗"])
    assert out is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["猫", "狗"]
    assert sorted(t.get_text() for t in ax.texts) == ["3.5", "3.5"]


@pytest.mark.parametrize(
    ("matrix", "kwargs", "error", "words"),
    [
        (torch.zeros(2, 3), {}, ValueError, "方阵"),
        (torch.zeros(4), {}, ValueError, "方阵"),
        (torch.zeros(2, 2), {"class_names": ["a"]}, ValueError, "class_names"),
        (np.array([["a", "b"], ["c", "d"]]), {}, TypeError, "数据类型"),
        (torch.tensor([[1.0, float("nan")], [0.0, 1.0]]), {}, ValueError, "nan"),
        (torch.eye(2), {"ax": 3}, TypeError, "坐标轴"),
        (torch.eye(2), {"title": None}, TypeError, "title"),
    ],
)
def test_confusion_matrix_plot_rejects_bad_input(matrix, kwargs, error, words):
    with pytest.raises(error, match=words):
        vision.plot_confusion_matrix(matrix, **kwargs)
