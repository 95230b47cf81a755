"""lessons.graphs（计算图与矩阵格子图）的测试：画出的内容、布局，以及对错误参数的中文报错。"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from lessons import graphs  # noqa: E402

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def box_texts(ax) -> list[str]:
    """方框里的文字（带 bbox 的 Text），不含箭头上的数字以外的标题。"""
    return [t.get_text() for t in ax.texts if t.get_bbox_patch() is not None]


def arrows(ax) -> list:
    return [child for child in ax.get_children() if isinstance(child, matplotlib.text.Annotation)]


@pytest.mark.parametrize(
    ("value", "text"),
    [(7.0, "7"), (-2.0, "-2"), (1234.0, "1234"), (12345.0, "1.234e+04"), (1 / 3, "0.3333"),
     (123.456, "123.5"), (0.0001, "0.0001"), (1e-5, "1e-05")],
)
def test_fmt_keeps_four_significant_digits(value, text):
    assert graphs._fmt(value) == text


# ---------------------------------------------------------------- 一个最小的 Value（与第 2 课相同的接口）


class Value:
    def __init__(self, data, parents=(), op="", local_grads=()):
        self.data = float(data)
        self.parents = tuple(parents)
        self.op = op
        self.local_grads = tuple(local_grads)
        self.grad = 0.0
        self.label = ""

    def _lift(self, other):
        return other if isinstance(other, Value) else type(self)(other)

    def __add__(self, other):
        other = self._lift(other)
        return type(self)(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other):
        other = self._lift(other)
        return type(self)(self.data * other.data, (self, other), "*", (other.data, self.data))

    __radd__ = __add__
    __rmul__ = __mul__


def lesson_graph():
    x, y = Value(2.0), Value(4.0)
    x.label, y.label = "x", "y"
    f = x * y + 3 * x
    f.label = "f"
    return x, y, f


# ---------------------------------------------------------------- Value 计算图


def test_value_graph_order_puts_parents_first():
    x, y, f = lesson_graph()
    order = graphs.value_graph_order(f)
    assert len(order) == 6  # x, y, x·y, 常数 3, 3·x, f
    assert order[-1] is f
    position = {id(node): i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]


def test_value_graph_draws_every_node_and_edge():
    x, y, f = lesson_graph()
    fig, ax = plt.subplots()
    returned = graphs.draw_value_graph(f, ax=ax, title="标题")
    assert returned is ax and ax.get_title() == "标题"
    boxes = [t for t in box_texts(ax) if "\n值 " in t]
    assert len(boxes) == 6
    assert any(t.startswith("x\n值 2\n") for t in boxes)
    assert any(t.startswith("常数 3\n") for t in boxes), "没有名字的叶子应标成常数"
    assert len(arrows(ax)) == 6  # 6 条边：x→x·y、y→x·y、x→3·x、3→3·x、x·y→f、3·x→f
    local_derivatives = sorted(t.get_text() for t in ax.texts if "\n" not in t.get_text() and t.get_text())
    assert local_derivatives == sorted(["4", "2", "3", "2", "1", "1"])


def test_value_graph_columns_go_from_leaves_to_output():
    x, y, f = lesson_graph()
    fig, ax = plt.subplots()
    graphs.draw_value_graph(f, ax=ax)
    positions = {t.get_text().split("\n")[0]: t.get_position() for t in ax.texts if "\n值 " in t.get_text()}
    assert positions["x"][0] < positions["f"][0]
    assert positions["y"][0] == positions["x"][0]


def test_value_graph_shows_gradients_after_backward():
    x, y, f = lesson_graph()
    # 手工做一遍反向传播：∂f/∂x = 7
    f.grad = 1.0
    for node in reversed(graphs.value_graph_order(f)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += node.grad * local
    fig, ax = plt.subplots()
    graphs.draw_value_graph(f, ax=ax)
    assert any(t.startswith("x\n值 2\n导数 7") for t in box_texts(ax))


def test_value_graph_handles_deep_graphs_without_recursion():
    x = Value(1.0)
    node = x
    for _ in range(3000):  # 比 Python 默认的递归深度还深
        node = node + 1
    assert len(graphs.value_graph_order(node, max_nodes=10_000)) == 6001


@pytest.mark.parametrize(
    ("out", "error", "words"),
    [
        (torch.tensor(1.0), TypeError, "draw_autograd_graph"),
        (3.0, TypeError, "Value"),
        ("f", TypeError, "Value"),
    ],
)
def test_value_graph_rejects_non_values(out, error, words):
    with pytest.raises(error, match=words):
        graphs.draw_value_graph(out)


def test_value_graph_rejects_cycles_and_mismatched_lengths():
    a = Value(1.0)
    b = a + 1
    a.parents, a.local_grads = (b,), (1.0,)
    with pytest.raises(ValueError, match="环"):
        graphs.draw_value_graph(b)
    c = Value(1.0, parents=(Value(2.0),), local_grads=())
    with pytest.raises(ValueError, match="一一对应"):
        graphs.draw_value_graph(c)


def test_value_graph_rejects_too_many_nodes_and_bad_arguments():
    node = Value(0.0)
    for _ in range(50):
        node = node + 1
    with pytest.raises(ValueError, match="max_nodes"):
        graphs.draw_value_graph(node)
    x, y, f = lesson_graph()
    with pytest.raises(TypeError, match="ax"):
        graphs.draw_value_graph(f, ax="左边")
    with pytest.raises(TypeError, match="title"):
        graphs.draw_value_graph(f, title=3)
    with pytest.raises(ValueError, match="max_nodes"):
        graphs.value_graph_order(f, max_nodes=0)


# ---------------------------------------------------------------- PyTorch 计算图


def lesson_tensors():
    x, t = torch.tensor(2.0), torch.tensor(5.0)
    w = torch.tensor(3.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    L = (w * x + b - t) ** 2
    return x, t, w, b, L


def test_autograd_graph_labels_leaves_and_constants():
    x, t, w, b, L = lesson_tensors()
    fig, ax = plt.subplots()
    graphs.draw_autograd_graph(L, names={"w": w, "b": b}, inputs={("MulBackward0", 1): "x"}, ax=ax, title="图")
    texts = box_texts(ax)
    assert any(text.startswith("PowBackward0") for text in texts)
    assert "AccumulateGrad\n存入 w.grad" in texts and "AccumulateGrad\n存入 b.grad" in texts
    assert "None（x）\n不需要梯度的输入" in texts
    assert "None\n不需要梯度的输入" in texts  # t 没有起名字
    assert len(texts) == 8 and len(arrows(ax)) == 7  # 8 个节点：4 个运算、2 个叶子、2 个 None
    assert ax.get_title() == "图"


def test_autograd_graph_root_is_rightmost_and_leaves_are_left():
    x, t, w, b, L = lesson_tensors()
    fig, ax = plt.subplots()
    graphs.draw_autograd_graph(L.grad_fn, names={"w": w, "b": b}, ax=ax)
    positions = {t.get_text(): t.get_position() for t in ax.texts if t.get_bbox_patch() is not None}
    root_x = next(p[0] for text, p in positions.items() if text.startswith("PowBackward0"))
    leaf_x = positions["AccumulateGrad\n存入 w.grad"][0]
    assert root_x == max(p[0] for p in positions.values()) and leaf_x < root_x


def test_autograd_graph_places_shared_nodes_once():
    a = torch.tensor(2.0, requires_grad=True)
    out = a * a + a
    fig, ax = plt.subplots()
    graphs.draw_autograd_graph(out, names={"a": a}, ax=ax)
    assert box_texts(ax).count("AccumulateGrad\n存入 a.grad") == 1
    assert len(arrows(ax)) == 4  # Add→Mul, Add→Acc, Mul→Acc（两次）


def test_autograd_graph_survives_a_leaf_missing_from_names():
    """重新运行创建 w、b 的单元格后，旧的 L 里的叶子已不是新的 w：不报错，而是说明原因。"""
    x, t, w, b, L = lesson_tensors()
    new_w = torch.tensor(3.0, requires_grad=True)
    fig, ax = plt.subplots()
    graphs.draw_autograd_graph(L, names={"w": new_w, "b": b}, ax=ax)
    assert any("不在 names 里" in text for text in box_texts(ax))
    assert graphs.leaf_name(w, {"w": new_w, "b": b}) is None
    assert graphs.leaf_name(b, {"w": new_w, "b": b}) == "b"


def test_autograd_node_label_uses_default_and_custom_meanings():
    x, t, w, b, L = lesson_tensors()
    assert graphs.autograd_node_label(L.grad_fn) == "PowBackward0\n乘方"
    assert graphs.autograd_node_label(L.grad_fn, meanings={"PowBackward0": "平方"}) == "PowBackward0\n平方"
    unknown = torch.tensor([1.0, 2.0], requires_grad=True).cumsum(0).grad_fn
    assert graphs.autograd_node_label(unknown) == unknown.name()


@pytest.mark.parametrize(
    ("root", "error", "words"),
    [
        (torch.tensor(1.0, requires_grad=True), ValueError, "叶子节点"),
        (torch.tensor(1.0), ValueError, "requires_grad"),
        (3.0, TypeError, "root"),
        (None, TypeError, "root"),
    ],
)
def test_autograd_graph_rejects_bad_roots(root, error, words):
    with pytest.raises(error, match=words) as info:
        graphs.draw_autograd_graph(root)
    assert CHINESE.search(str(info.value))


def test_autograd_graph_rejects_no_grad_results():
    w = torch.tensor(1.0, requires_grad=True)
    with torch.no_grad():
        y = w * 2
    with pytest.raises(ValueError, match="no_grad"):
        graphs.draw_autograd_graph(y)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"names": ["w"]}, TypeError, "names"),
        ({"names": {1: torch.tensor(1.0)}}, TypeError, "names"),
        ({"names": {"w": 3.0}}, TypeError, "names"),
        ({"inputs": {"x": "x"}}, TypeError, "inputs"),
        ({"inputs": [1]}, TypeError, "inputs"),
        ({"inputs": {("MulBackward0", 1): 5}}, TypeError, "inputs"),
        ({"meanings": ["乘法"]}, TypeError, "meanings"),
        ({"meanings": {"MulBackward0": 1}}, TypeError, "meanings"),
        ({"ax": 1}, TypeError, "ax"),
        ({"title": ["t"]}, TypeError, "title"),
        ({"max_nodes": 2}, ValueError, "max_nodes"),
        ({"max_nodes": -1}, ValueError, "max_nodes"),
        ({"max_nodes": True}, ValueError, "max_nodes"),
    ],
)
def test_autograd_graph_validates_every_argument(kwargs, error, words):
    x, t, w, b, L = lesson_tensors()
    with pytest.raises(error, match=words) as info:
        graphs.draw_autograd_graph(L, **kwargs)
    assert CHINESE.search(str(info.value))


# ---------------------------------------------------------------- 矩阵格子图


def test_compare_products_draws_both_products():
    A = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    C = torch.tensor([[2.0, 0.0, 1.0], [1.0, 3.0, 0.0]])
    B = torch.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]])
    ax1, ax2 = graphs.compare_products(A, C, B)
    assert "(2, 3)" in ax1.get_title() and "(2, 2)" in ax2.get_title()
    numbers1 = [t.get_text() for t in ax1.texts]
    numbers2 = [t.get_text() for t in ax2.texts]
    assert "15" in numbers1  # (A * C)[1, 1] = 5 · 3
    assert "7" in numbers2 and "11" in numbers2  # A @ B = [[7, 5], [16, 11]]
    highlighted = [p for p in ax2.patches if p.get_facecolor()[:3] != matplotlib.colors.to_rgb("#dce6f2")]
    assert len(highlighted) == 3 + 3 + 1  # A 的第 0 行、B 的第 0 列、结果的左上角


def test_draw_matrix_equation_accepts_arrays_and_lists():
    fig, ax = plt.subplots()
    graphs.draw_matrix_equation([("P", np.eye(2)), "+", ("Q", [[1, 2], [3, 4]], {(1, 1)})], ax=ax, title="加法")
    assert ax.get_title() == "加法"
    assert len(ax.patches) == 8


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        ((torch.ones(2, 3), torch.ones(3, 2), torch.ones(3, 2)), ValueError, "形状相同"),
        ((torch.ones(2, 3), torch.ones(2, 3), torch.ones(2, 2)), ValueError, "列数"),
        ((torch.ones(3), torch.ones(3), torch.ones(3)), ValueError, "二维"),
        ((torch.ones(7, 2), torch.ones(7, 2), torch.ones(2, 2)), ValueError, "1 到 6"),
        (("A", torch.ones(2, 2), torch.ones(2, 2)), TypeError, "二维张量"),
        ((torch.ones(2, 2, dtype=torch.complex64),) * 3, TypeError, "数"),
        (([[1, 2], [3]], torch.ones(2, 2), torch.ones(2, 2)), ValueError, "长度不一致"),
    ],
)
def test_compare_products_validates_arguments(args, error, words):
    with pytest.raises(error, match=words) as info:
        graphs.compare_products(*args)
    assert CHINESE.search(str(info.value))


@pytest.mark.parametrize(
    ("terms", "error", "words"),
    [
        ([], TypeError, "terms"),
        ("A @ B", TypeError, "terms"),
        ([("A",)], TypeError, "terms\\[0\\]"),
        ([("A", torch.ones(2, 2), {(2, 0)})], ValueError, "不在"),
        ([("A", torch.ones(2, 2), {(0,)})], ValueError, "不在"),
        ([3], TypeError, "terms\\[0\\]"),
        ([("A", torch.ones(2, 2), 5)], TypeError, "高亮"),
        ([("A", torch.ones(2, 2), [[0, 0]])], TypeError, "高亮"),
    ],
)
def test_draw_matrix_equation_validates_terms(terms, error, words):
    with pytest.raises(error, match=words) as info:
        graphs.draw_matrix_equation(terms)
    assert CHINESE.search(str(info.value))


def test_compare_products_rejects_bad_axes():
    A = torch.ones(2, 2)
    with pytest.raises(TypeError, match="axes"):
        graphs.compare_products(A, A, A, axes=[1])
    fig, axes = plt.subplots(1, 2)
    ax1, ax2 = graphs.compare_products(A, A, A, axes=axes)
    assert (ax1, ax2) == tuple(axes)


@pytest.mark.parametrize(
    "call",
    [
        lambda: graphs.draw_value_graph(3.0),
        lambda: graphs.draw_autograd_graph(torch.tensor(1.0)),
        lambda: graphs.draw_autograd_graph(lesson_tensors()[-1], names=["w"]),
        lambda: graphs.draw_matrix_equation([("A", torch.ones(9, 9))]),
        lambda: graphs.compare_products(torch.ones(2, 3), torch.ones(3, 2), torch.ones(3, 2)),
        lambda: graphs.compare_products(torch.ones(2, 2), torch.ones(2, 2), torch.ones(2, 2), axes=["a", "b"]),
    ],
)
def test_bad_arguments_leave_no_empty_figure(call):
    plt.close("all")
    with pytest.raises((TypeError, ValueError)):
        call()
    assert plt.get_fignums() == []


def test_autograd_node_label_rejects_non_nodes():
    with pytest.raises(TypeError, match="node"):
        graphs.autograd_node_label(torch.tensor(1.0))
    with pytest.raises(TypeError, match="meanings"):
        graphs.autograd_node_label(lesson_tensors()[-1].grad_fn, meanings="乘法")


def test_draw_matrix_equation_checks_and_uses_the_canvas_size():
    fig, ax = plt.subplots()
    graphs.draw_matrix_equation([("P", torch.ones(2, 2))], ax=ax, height=3, width=5)
    assert ax.get_xlim() == (-0.3, 5.3) and ax.get_ylim() == (-0.3, 3.8)
    with pytest.raises(ValueError, match="height"):
        graphs.draw_matrix_equation([("P", torch.ones(2, 2))], height=1)
    with pytest.raises(ValueError, match="width"):
        graphs.draw_matrix_equation([("P", torch.ones(2, 2))], width=True)


def test_compare_products_gives_both_panels_the_same_scale():
    ax1, ax2 = graphs.compare_products(torch.ones(2, 3), torch.ones(2, 3), torch.ones(3, 2))
    assert ax1.get_xlim() == ax2.get_xlim() and ax1.get_ylim() == ax2.get_ylim()
