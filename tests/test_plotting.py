"""lessons.plotting 中第 1 课格子图（广播、归约）的单元测试：画出的内容对，坏参数给出中文错误。"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from lessons import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def cell_texts(ax) -> dict[tuple[float, float], str]:
    """子图中每个格子中心的坐标 → 格子里的文字。"""
    return {tuple(np.round(t.get_position(), 2)): t.get_text() for t in ax.texts}


def rectangles(ax, solid: bool) -> list:
    """实线（真实数据）或虚线（广播出来）的格子。"""
    return [p for p in ax.patches if (p.get_linestyle() == "-") == solid]


# ---------------------------------------------------------------- plot_broadcast


def test_broadcast_figure_shows_both_operands_and_the_result():
    a = torch.tensor([[0], [10], [20]])
    b = torch.tensor([[0, 1, 2, 3]])
    fig = plotting.plot_broadcast(a, b)
    axes = fig.axes
    assert len(axes) == 3
    titles = [ax.get_title() for ax in axes]
    assert titles[0] == "a：形状 (3, 1)\n向右复制成 4 列"
    assert titles[1] == "b：形状 (1, 4)\n向下复制成 3 行"
    assert titles[2] == "a + b：形状 (3, 4)"
    assert fig._suptitle.get_text() == "广播：(3, 1) 与 (1, 4) 对齐后都扩展成 (3, 4)"
    # a 只有第 0 列是真实数据，b 只有第 0 行，结果全是真实数据
    assert len(rectangles(axes[0], solid=True)) == 3 and len(rectangles(axes[0], solid=False)) == 9
    assert len(rectangles(axes[1], solid=True)) == 4 and len(rectangles(axes[1], solid=False)) == 8
    assert len(rectangles(axes[2], solid=True)) == 12
    # 结果第 2 行第 3 列（中心在 x=3.5, y=2.5）是 a[2, 0] + b[0, 3] = 23
    assert cell_texts(axes[2])[(3.5, 2.5)] == "23"
    assert cell_texts(axes[0])[(3.5, 2.5)] == "20"  # 虚线格子里是复制出来的 a[2, 0]


def test_broadcast_explains_padding_on_the_left_and_other_operations():
    fig = plotting.plot_broadcast(np.zeros((3, 4)), [1.5, 2.0, 3.0, 4.0], op="*")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "a：形状 (3, 4)\n不需要扩展"
    assert titles[1] == "b：形状 (4,)\n左边补 1 成为 (1, 4)\n向下复制成 3 行"
    assert titles[2] == "a * b：形状 (3, 4)"
    assert cell_texts(fig.axes[1])[(0.5, 0.5)] == "1.50"


def test_broadcast_draws_into_given_axes_and_accepts_grad_tensors():
    fig, axes = plt.subplots(1, 3)
    a = torch.ones(2, 1, requires_grad=True)
    returned = plotting.plot_broadcast(a, torch.tensor(5.0), op="-", axes=axes)
    assert returned is fig
    assert cell_texts(axes[2])[(0.5, 1.5)] == "-4"


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "error", "words"),
    [
        ("abc", [1], {}, TypeError, ["a 应该是张量", "str"]),
        ([1], None, {}, TypeError, ["b 应该是张量", "NoneType"]),
        (True, [1], {}, TypeError, ["a 应该是张量"]),
        (torch.tensor([True, False]), [1], {}, TypeError, ["a 的元素必须是整数或浮点数", "bool"]),
        ([[1, 2], [3]], [1], {}, ValueError, ["a 必须是规则的矩形数表"]),
        (torch.zeros(3, 2), torch.zeros(1, 4), {}, ValueError, ["(3, 2)", "(1, 4)", "不能广播"]),
        (torch.zeros(2, 2, 2), [1], {}, ValueError, ["a 最多是二维的", "(2, 2, 2)"]),
        (torch.zeros(0, 3), [1], {}, ValueError, ["a 是空的"]),
        ([1.0, float("nan")], [1], {}, ValueError, ["a 中有 nan 或 inf"]),
        ([1], [float("inf")], {}, ValueError, ["b 中有 nan 或 inf"]),
        (torch.zeros(3, 20), [1], {}, ValueError, ["格子太多", "最多 8 个"]),
        ([1], [1], {"op": "/"}, ValueError, ["op 只能是", "'/'"]),
        (torch.empty(2, device="meta"), [1], {}, TypeError, ["a 是 meta 设备上的张量"]),
        (torch.tensor([1 + 2j]), [1], {}, TypeError, ["a 的元素必须是整数或浮点数", "complex"]),
        (np.array(["x"]), [1], {}, TypeError, ["a 的元素必须是整数或浮点数"]),
        ([1], [1], {"axes": "子图"}, TypeError, ["axes 应该是 3 个子图", "str"]),
    ],
)
def test_broadcast_rejects_bad_arguments_in_chinese(a, b, kwargs, error, words):
    with pytest.raises(error) as info:
        plotting.plot_broadcast(a, b, **kwargs)
    for word in words:
        assert word in str(info.value)


def test_broadcast_rejects_the_wrong_number_of_axes():
    _, axes = plt.subplots(1, 2)
    with pytest.raises(TypeError, match="axes 应该是 3 个子图"):
        plotting.plot_broadcast([1], [1], axes=axes)


# ---------------------------------------------------------------- plot_reduction


def test_reduction_figure_shows_column_and_row_sums():
    x = torch.arange(12.0).reshape(3, 4)
    fig = plotting.plot_reduction(x)
    left, right = fig.axes
    assert left.get_title() == "x.sum(dim=0)\n每列一个和，形状 (4,)"
    assert right.get_title() == "x.sum(dim=1)\n每行一个和，形状 (3,)"
    assert fig._suptitle.get_text() == "沿某一维归约：dim 指定的那一维消失"
    # 左图：矩阵下面空一行，再画每列的和（中心 y = 4.5）
    column_sums = [cell_texts(left)[(j + 0.5, 4.5)] for j in range(4)]
    assert column_sums == [str(int(v)) for v in x.sum(dim=0)]
    # 右图：矩阵右边空一列，再画每行的和（中心 x = 5.5）
    row_sums = [cell_texts(right)[(5.5, i + 0.5)] for i in range(3)]
    assert row_sums == [str(int(v)) for v in x.sum(dim=1)]
    # 每一列、每一行各有一个箭头
    assert len(left.texts) - 16 == 4 and len(right.texts) - 15 == 3


def test_reduction_draws_into_given_axes():
    fig, axes = plt.subplots(1, 2)
    assert plotting.plot_reduction([[1, 2], [3, 4]], axes=axes) is fig
    assert cell_texts(axes[1])[(3.5, 0.5)] == "3"


@pytest.mark.parametrize(
    ("x", "error", "words"),
    [
        (torch.arange(4.0), ValueError, ["x 必须是二维的矩阵", "(4,)"]),
        (3.0, ValueError, ["x 必须是二维的矩阵", "()"]),
        ({"x": 1}, TypeError, ["x 应该是张量", "dict"]),
        (torch.full((2, 2), float("nan")), ValueError, ["x 中有 nan 或 inf"]),
        (torch.zeros(9, 2), ValueError, ["格子太多"]),
    ],
)
def test_reduction_rejects_bad_arguments_in_chinese(x, error, words):
    with pytest.raises(error) as info:
        plotting.plot_reduction(x)
    for word in words:
        assert word in str(info.value)


def test_broadcast_titles_use_the_real_pytorch_shape():
    """网格总是画成二维，但标题里的形状必须是 PyTorch 真正得到的形状（零维与一维广播得一维）。"""
    fig = plotting.plot_broadcast(torch.tensor(5), torch.arange(4))
    assert fig.axes[2].get_title() == "a + b：形状 (4,)"
    assert fig.axes[0].get_title() == "a：形状 ()\n左边补 1 成为 (1,)\n向右复制成 4 个"
    assert fig._suptitle.get_text() == "广播：() 与 (4,) 对齐后都扩展成 (4,)"
    for a, b in [((), (1, 4)), ((3, 1), (4,)), ((1,), (3, 4)), ((3, 4), ())]:
        fig = plotting.plot_broadcast(torch.zeros(a), torch.zeros(b))
        expected = tuple(torch.broadcast_shapes(a, b))
        assert fig.axes[2].get_title() == f"a + b：形状 {expected}"
