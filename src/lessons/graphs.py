"""课程里的示意图：计算图，以及逐元素乘法与矩阵乘法的格子图。

- :func:`draw_value_graph`：画第 2 课（选读）手写的 ``Value`` 标量组成的计算图；
- :func:`draw_autograd_graph`：画 PyTorch 记录的计算图，从 ``grad_fn`` 出发沿 ``next_functions`` 走；
- :func:`draw_matrix_equation` 与 :func:`compare_products`：把矩阵画成格子，对比 ``*`` 与 ``@``。

这些函数只负责排版，概念的讲解在笔记本里。每个函数都接受可选的 ``ax``（或 ``axes``），
返回画好的 ``Axes``，方便把几张图并排放在一起。参数不对时抛出中文的 ``TypeError``/``ValueError``。
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

#: 常见的反向传播节点名 → 中文含义（画 PyTorch 计算图时写在方框里；名字以 torch 2.13 为准）。
MEANINGS: dict[str, str] = {
    "AddBackward0": "加法",
    "SubBackward0": "减法",
    "RsubBackward1": "一个数减去它",
    "MulBackward0": "乘法",
    "DivBackward0": "除法",
    "PowBackward0": "乘方",
    "NegBackward0": "取负",
    "SinBackward0": "正弦 sin",
    "CosBackward0": "余弦 cos",
    "ExpBackward0": "指数 exp",
    "SumBackward0": "求和",
    "MeanBackward0": "求平均",
    "MmBackward0": "矩阵乘法",
    "MvBackward0": "矩阵-向量积",
    "DotBackward0": "点积",
    "StackBackward0": "堆叠 stack",
}

#: 画图时允许的最多节点数：再多，方框就挤在一起看不清了。
MAX_NODES = 40

_OP_COLOR = "#fde2c8"
_LEAF_COLOR = "#dbe9f6"
_MISSING_COLOR = "0.9"


# ---------------------------------------------------------------- 公共的小工具


def _check_ax(ax: Any, name: str = "ax") -> None:
    """``ax`` 必须是 matplotlib 的 ``Axes`` 或 ``None``。"""
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(
            f"{name} 应该是 matplotlib 的 Axes（例如 fig, ax = plt.subplots() 得到的 ax）或 None，"
            f"收到的是 {type(ax).__name__}。"
        )


def _axes(ax: Axes | None) -> Axes:
    """``ax`` 为 ``None`` 时新建一张图。只在所有参数都检查过之后调用，出错时不会留下空白的图。"""
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _title(title: Any, name: str = "title") -> str:
    if title is None:
        return ""
    if not isinstance(title, str):
        raise TypeError(f"{name} 应该是字符串，收到的是 {type(title).__name__}：把标题写在引号里。")
    return title


def _max_nodes(max_nodes: Any) -> int:
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, numbers.Integral) or max_nodes < 1:
        raise ValueError(f"max_nodes 应该是正整数，收到的是 {max_nodes!r}。")
    return int(max_nodes)


def _fmt(value: float) -> str:
    """把数写短：保留 4 位有效数字（不超过 4 位的整数不带小数点，更大的数用科学计数法）。

    绝对值小于 0.0001 的数也用科学计数法，例如 1e-05。
    """
    return f"{value:.4g}"


# ---------------------------------------------------------------- 第 2 课：Value 标量的计算图

#: ``Value`` 节点必须有的属性。
VALUE_ATTRIBUTES = ("data", "parents", "local_grads", "grad")


def _check_value_node(node: Any, where: str) -> None:
    missing = [attr for attr in VALUE_ATTRIBUTES if not hasattr(node, attr)]
    if missing:
        raise TypeError(
            f"{where} 应该是第 2 课的 Value 对象（带有 data、parents、local_grads、grad 属性），"
            f"收到的 {type(node).__name__} 缺少 {'、'.join(missing)}。"
            "如果传入的是 PyTorch 张量，请改用 draw_autograd_graph。"
        )
    parents, local_grads = node.parents, node.local_grads
    if not isinstance(parents, Sequence) or not isinstance(local_grads, Sequence):
        raise TypeError(f"{where} 的 parents 和 local_grads 应该是元组或列表。")
    if len(parents) != len(local_grads):
        raise ValueError(
            f"{where} 有 {len(parents)} 个父节点，却有 {len(local_grads)} 个局部导数：两者应一一对应。"
        )
    for attr in ("data", "grad"):
        value = getattr(node, attr)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{where} 的 {attr} 应该是一个数，收到的是 {type(value).__name__}。")
    for local in local_grads:
        if isinstance(local, bool) or not isinstance(local, numbers.Real):
            raise TypeError(f"{where} 的局部导数应该都是数，其中有一个是 {type(local).__name__}。")


def value_graph_order(out: Any, max_nodes: int = MAX_NODES) -> list:
    """返回以 ``out`` 为终点的全部 ``Value`` 节点，每个节点都排在它的父节点之后（拓扑序）。

    与第 2 课的 ``topological_order`` 做的是同一件事，只是不用递归（很深的图也不会超出
    Python 的递归深度），并且会检查参数：出现环或节点太多时抛出 ``ValueError``。
    """
    max_nodes = _max_nodes(max_nodes)
    _check_value_node(out, "out")
    order: list = []
    state: dict[int, str] = {}  # id → "visiting"（在当前路径上）或 "done"
    stack: list[tuple[Any, int]] = [(out, 0)]
    state[id(out)] = "visiting"
    while stack:
        node, index = stack.pop()
        if index < len(node.parents):
            stack.append((node, index + 1))
            parent = node.parents[index]
            _check_value_node(parent, "out 的计算图中的一个父节点")
            seen = state.get(id(parent))
            if seen == "visiting":
                raise ValueError("计算图里出现了环：某个节点是它自己的祖先。由 Value 的运算得到的图不会有环。")
            if seen is None:
                state[id(parent)] = "visiting"
                stack.append((parent, 0))
        else:
            state[id(node)] = "done"
            order.append(node)
            if len(order) > max_nodes:
                raise ValueError(
                    f"计算图的节点超过 max_nodes={max_nodes} 个，画出来会挤成一团："
                    "换一个更短的表达式，或把 max_nodes 调大。"
                )
    return order


def _value_name(node: Any) -> str:
    label = getattr(node, "label", "")
    if isinstance(label, str) and label:
        return label
    if not node.parents:
        return f"常数 {_fmt(float(node.data))}"
    op = getattr(node, "op", "")
    return f"运算 {op}" if isinstance(op, str) and op else "中间结果"


def draw_value_graph(out: Any, ax: Axes | None = None, title: str | None = None) -> Axes:
    """把以 ``out`` 为终点的 ``Value`` 计算图画在 ``ax`` 上：叶子在左，输出在右。

    每个方框写着节点的名字（``label``；没有名字的叶子写“常数”）、前向传播算出的值，以及反向传播后
    ``grad`` 里的导数（输出对这个节点的偏导数）；
    箭头从父节点指向结果，箭头上的红色数字是局部导数。叶子是黄色，运算结果是蓝色。
    """
    _check_ax(ax)
    title = _title(title)
    order = value_graph_order(out)
    ax = _axes(ax)
    column: dict[int, int] = {}
    for node in order:  # 列号 = 离最远的叶子有几步
        column[id(node)] = 1 + max((column[id(p)] for p in node.parents), default=-1)
    pos: dict[int, tuple[float, float]] = {}
    tallest = 1
    for col in sorted(set(column.values())):
        members = [node for node in order if column[id(node)] == col]
        tallest = max(tallest, len(members))
        for i, node in enumerate(members):
            pos[id(node)] = (col * 3.0, (len(members) - 1) / 2 - i)
    for node in order:
        for parent, local in zip(node.parents, node.local_grads):
            (x0, y0), (x1, y1) = pos[id(parent)], pos[id(node)]
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops={"arrowstyle": "->", "color": "gray", "shrinkA": 28, "shrinkB": 28},
            )
            ax.text(
                x0 + 0.65 * (x1 - x0),
                y0 + 0.65 * (y1 - y0),
                _fmt(float(local)),
                color="C3",
                fontsize=9,
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )
    for node in order:
        text = f"{_value_name(node)}\n值 {_fmt(float(node.data))}\n导数 {_fmt(float(node.grad))}"
        ax.text(
            *pos[id(node)],
            text,
            ha="center",
            va="center",
            fontsize=9,
            bbox={"boxstyle": "round", "facecolor": "#dce6f2" if node.parents else "#fff2cc"},
        )
    half_height = tallest / 2 + 0.6
    ax.set_xlim(-1.2, 3.0 * max(column.values()) + 1.2)
    ax.set_ylim(-half_height, half_height)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------- 第 3 课：PyTorch 的计算图


class _MissingInput:
    """计算图中“不需要梯度的输入”（``next_functions`` 里的 ``None``）的占位节点。"""

    def __init__(self, parent: Any, index: int) -> None:
        self.parent = parent
        self.index = index


def _is_grad_fn(obj: Any) -> bool:
    return hasattr(obj, "next_functions") and callable(getattr(obj, "name", None))


def _root_node(root: Any) -> Any:
    if isinstance(root, torch.Tensor):
        if root.grad_fn is None:
            if root.requires_grad:
                raise ValueError(
                    "root 是一个需要梯度的叶子节点，它没有 grad_fn，也就没有可画的计算图："
                    "请传入由运算得到的张量，例如 L。"
                )
            raise ValueError(
                "root 不需要梯度，PyTorch 没有为它记录计算图（grad_fn 是 None）：检查参与运算的"
                "张量是否设置了 requires_grad=True，以及这段代码是否写在 torch.no_grad() 里。"
            )
        return root.grad_fn
    if _is_grad_fn(root):
        return root
    raise TypeError(
        f"root 应该是一个由运算得到的张量（如 L）或它的 grad_fn（如 L.grad_fn），收到的是 {type(root).__name__}。"
    )


def _check_names(names: Any) -> dict[str, torch.Tensor]:
    if names is None:
        return {}
    if not isinstance(names, Mapping):
        raise TypeError(f'names 应该是字典，例如 {{"w": w, "b": b}}，收到的是 {type(names).__name__}。')
    for key, value in names.items():
        if not isinstance(key, str):
            raise TypeError(f"names 的键应该是字符串（叶子的名字），其中有一个是 {type(key).__name__}。")
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"names[{key!r}] 应该是张量，收到的是 {type(value).__name__}。")
    return dict(names)


def _check_inputs(inputs: Any) -> dict[tuple[str, int], str]:
    if inputs is None:
        return {}
    if not isinstance(inputs, Mapping):
        raise TypeError(
            'inputs 应该是字典，键是 (节点名, 输入序号)，值是名字，例如 {("MulBackward0", 1): "x"}，'
            f"收到的是 {type(inputs).__name__}。"
        )
    for key, value in inputs.items():
        ok_key = (
            isinstance(key, tuple)
            and len(key) == 2
            and isinstance(key[0], str)
            and isinstance(key[1], numbers.Integral)
            and not isinstance(key[1], (bool, np.bool_))
        )
        if not ok_key:
            raise TypeError(f'inputs 的键应该是 (节点名, 输入序号)，例如 ("MulBackward0", 1)，收到的是 {key!r}。')
        if not isinstance(value, str):
            raise TypeError(f"inputs[{key!r}] 应该是字符串，收到的是 {type(value).__name__}。")
    return dict(inputs)


def _check_meanings(meanings: Any) -> dict[str, str]:
    if meanings is None:
        return {}
    if not isinstance(meanings, Mapping):
        raise TypeError(f"meanings 应该是字典（节点名 → 中文含义），收到的是 {type(meanings).__name__}。")
    for key, value in meanings.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"meanings 的键和值都应该是字符串，例如 {{\"MulBackward0\": \"乘法\"}}，收到的是 {key!r}: {value!r}。")
    return dict(meanings)


def leaf_name(tensor: torch.Tensor, names: Mapping[str, torch.Tensor] | None) -> str | None:
    """在 ``names`` 里找出与 ``tensor`` 是同一个对象的那个名字；找不到时返回 ``None``。

    比较用的是 ``is``（同一个张量对象），而不是数值相等：重新运行创建 ``w`` 的单元格之后，
    新的 ``w`` 与旧计算图里的叶子是两个不同的对象。
    """
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(
            f"tensor 应该是一个张量（例如叶子 w），收到的是 {type(tensor).__name__}：leaf_name 在 names 里找与它是同一个对象的名字。"
        )
    for key, value in _check_names(names).items():
        if value is tensor:
            return key
    return None


def _autograd_children(node: Any) -> list:
    """一个反向传播节点的输入：``next_functions`` 里的节点；``None`` 换成占位对象，每个各占一个位置。"""
    if isinstance(node, _MissingInput):
        return []
    return [
        child if child is not None else _MissingInput(node, index)
        for index, (child, _) in enumerate(node.next_functions)
    ]


def _autograd_layout(root: Any, max_nodes: int) -> tuple[dict[int, tuple[float, float]], list, dict[int, Any]]:
    """给每个节点排位置：横坐标是离 root 的最长步数（root 在最右），纵坐标按末端节点的顺序排。"""
    nodes: dict[int, Any] = {}
    children: dict[int, list] = {}
    postorder: list = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:  # 不用递归的深度优先遍历，同一个节点只访问一次
        node, expanded = stack.pop()
        if expanded:
            postorder.append(node)
            continue
        if id(node) in nodes:
            continue
        nodes[id(node)] = node
        if len(nodes) > max_nodes:
            raise ValueError(
                f"计算图的节点超过 max_nodes={max_nodes} 个，画出来会挤成一团："
                "换一个更小的例子，或把 max_nodes 调大。"
            )
        kids = _autograd_children(node)
        children[id(node)] = kids
        stack.append((node, True))
        for kid in reversed(kids):
            if id(kid) not in nodes:
                stack.append((kid, False))
    depth = {id(node): 0 for node in postorder}
    for node in reversed(postorder):  # 逆后序：每个节点都在它的输入之前处理
        for kid in children[id(node)]:
            depth[id(kid)] = max(depth[id(kid)], depth[id(node)] + 1)
    row: dict[int, float] = {}
    next_row = 0
    for node in postorder:  # 后序：输入先于使用它的节点
        kids = children[id(node)]
        if kids:
            row[id(node)] = sum(row[id(kid)] for kid in kids) / len(kids)
        else:
            row[id(node)] = next_row
            next_row += 1
    pos = {key: (-float(depth[key]), -row[key]) for key in nodes}
    edges = [(node, kid) for node in postorder for kid in children[id(node)]]
    return pos, edges, nodes


def autograd_node_label(
    node: Any,
    names: Mapping[str, torch.Tensor] | None = None,
    inputs: Mapping[tuple[str, int], str] | None = None,
    meanings: Mapping[str, str] | None = None,
) -> str:
    """计算图中一个节点方框里的文字。

    - 运算节点：节点名加中文含义，如 ``PowBackward0`` 与“乘方”；
    - ``AccumulateGrad``：写出梯度存进哪个叶子的 ``.grad``（在 ``names`` 里按对象查找）；
      找不到时说明这个叶子不在 ``names`` 里，而不是报错；
    - 不需要梯度的输入：写 ``None``，``inputs`` 里给了名字时一并写出。
    """
    names = _check_names(names)
    inputs = _check_inputs(inputs)
    table = {**MEANINGS, **_check_meanings(meanings)}
    if not isinstance(node, _MissingInput) and not _is_grad_fn(node):
        raise TypeError(
            f"node 应该是计算图中的一个节点（如 L.grad_fn，或 next_functions 里的元素），收到的是 {type(node).__name__}。"
        )
    if isinstance(node, _MissingInput):
        name = inputs.get((node.parent.name(), node.index))
        return f"None（{name}）\n不需要梯度的输入" if name else "None\n不需要梯度的输入"
    if hasattr(node, "variable"):
        name = leaf_name(node.variable, names)
        if name is None:
            return "AccumulateGrad\n存入某个叶子的 .grad\n（它不在 names 里）"
        return f"AccumulateGrad\n存入 {name}.grad"
    meaning = table.get(node.name(), "")
    return f"{node.name()}\n{meaning}" if meaning else node.name()


def draw_autograd_graph(
    root: Any,
    names: Mapping[str, torch.Tensor] | None = None,
    inputs: Mapping[tuple[str, int], str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    meanings: Mapping[str, str] | None = None,
    max_nodes: int = MAX_NODES,
) -> Axes:
    """画出 PyTorch 为 ``root`` 记录的计算图：``root`` 在最右，叶子在左。

    - ``root``：由运算得到的张量（如 ``L``）或它的 ``grad_fn``；
    - ``names``：叶子的名字，如 ``{"w": w, "b": b}``，用来标注 ``AccumulateGrad`` 节点；
    - ``inputs``：给不需要梯度的输入起名字，键是 ``(节点名, 输入序号)``，如 ``{("MulBackward0", 1): "x"}``；
    - ``meanings``：补充或覆盖节点名的中文含义（默认见 :data:`MEANINGS`）。

    橙色是运算节点，蓝色是叶子的 ``AccumulateGrad``，灰色是不需要梯度的输入；红色箭头沿
    ``next_functions`` 的方向，也就是反向传播时梯度流动的方向。
    """
    _check_ax(ax)
    title = _title(title)
    max_nodes = _max_nodes(max_nodes)
    names = _check_names(names)
    inputs = _check_inputs(inputs)
    _check_meanings(meanings)
    node = _root_node(root)
    pos, edges, nodes = _autograd_layout(node, max_nodes)
    ax = _axes(ax)
    boxes = {}
    for key, (px, py) in pos.items():
        item = nodes[key]
        if isinstance(item, _MissingInput):
            color = _MISSING_COLOR
        elif hasattr(item, "variable"):
            color = _LEAF_COLOR
        else:
            color = _OP_COLOR
        boxes[key] = ax.text(
            px,
            py,
            autograd_node_label(item, names, inputs, meanings),
            ha="center",
            va="center",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.4", "fc": color, "ec": "0.5"},
        )
    for parent, child in edges:
        ax.annotate(
            "",
            xy=pos[id(child)],
            xytext=pos[id(parent)],
            arrowprops={
                "arrowstyle": "-|>",
                "color": "C3",
                "shrinkA": 2,
                "shrinkB": 2,
                "patchA": boxes[id(parent)].get_bbox_patch(),
                "patchB": boxes[id(child)].get_bbox_patch(),
            },
        )
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------- 第 2 课：矩阵的格子图

#: 格子图里矩阵的最大行数、列数：再大就看不清了。
MAX_MATRIX_SIDE = 6


def _matrix(values: Any, name: str) -> np.ndarray:
    """把张量、数组或嵌套列表变成二维浮点数组，并检查大小。"""
    if isinstance(values, torch.Tensor):
        if values.is_complex():
            raise TypeError(f"{name} 的元素应该是实数，现在的数据类型是 {values.dtype}。")
        array = values.detach().to("cpu", torch.float64).numpy()  # 任何实数类型（包括 bfloat16）都能转换
    elif isinstance(values, (np.ndarray, list, tuple)):
        try:
            array = np.asarray(values)
        except ValueError as err:
            raise ValueError(f"{name} 的各行长度不一致，不是一个矩阵。") from err
    else:
        raise TypeError(f"{name} 应该是二维张量（或二维数组、嵌套列表），收到的是 {type(values).__name__}。")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} 的元素应该是数，现在的数据类型是 {array.dtype}。")
    if array.ndim != 2:
        raise ValueError(f"{name} 应该是二维的矩阵，现在的形状是 {tuple(array.shape)}。")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"{name} 中有 nan 或 inf：格子图只能画有限的数，请检查这个矩阵是怎样算出来的。")
    rows, cols = array.shape
    if not (1 <= rows <= MAX_MATRIX_SIDE and 1 <= cols <= MAX_MATRIX_SIDE):
        raise ValueError(
            f"{name} 的形状是 {tuple(array.shape)}：格子图只画 1 到 {MAX_MATRIX_SIDE} 行、"
            f"1 到 {MAX_MATRIX_SIDE} 列的矩阵。"
        )
    return array.astype(float)


def _draw_matrix(ax: Axes, array: np.ndarray, left: float, top: float, name: str, highlight: set) -> float:
    """从 (left, top) 开始画一个矩阵的格子，返回它右边缘的横坐标。"""
    rows, cols = array.shape
    for i in range(rows):
        for j in range(cols):
            color = "#f4b183" if (i, j) in highlight else "#dce6f2"
            ax.add_patch(Rectangle((left + j, top - i - 1), 1, 1, facecolor=color, edgecolor="k"))
            value = array[i, j]
            text = _fmt(value) if math.isfinite(value) else str(value)
            ax.text(left + j + 0.5, top - i - 0.5, text, ha="center", va="center", fontsize=10)
    ax.text(left + cols / 2, top + 0.35, f"{name}  {rows}×{cols}", ha="center", fontsize=10)
    return left + cols


def _cells_to_highlight(value: Any, index: int) -> set:
    try:
        return set(value)
    except TypeError as err:
        raise TypeError(
            f"terms[{index}] 的第三项应该是要高亮的格子组成的集合，例如 {{(0, 0), (0, 1)}}，收到的是 {value!r:.60}。"
        ) from err


def _size(value: Any, name: str, at_least: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < at_least:
        raise ValueError(f"{name} 应该是不小于 {at_least} 的整数（格数）或 None，收到的是 {value!r}。")
    return int(value)


def draw_matrix_equation(
    terms: Sequence[Any],
    ax: Axes | None = None,
    title: str | None = None,
    height: int | None = None,
    width: int | None = None,
) -> Axes:
    """把一个矩阵等式画成格子，例如 ``A * C = A * C``。

    ``terms`` 依次列出等式的各项：矩阵写成 ``(名字, 矩阵)`` 或 ``(名字, 矩阵, 要高亮的格子)``，
    格子是 ``(行, 列)`` 的集合；两项之间的运算符写成字符串，如 ``"*"``、``"@"``、``"="``。
    ``height``、``width`` 是画布的高和宽（格数），默认刚好放下这个等式；并排画几个等式时
    传入相同的值，格子的大小和标题的位置就一致。
    """
    _check_ax(ax)
    title = _title(title)
    if isinstance(terms, (str, bytes)) or not isinstance(terms, Sequence) or len(terms) == 0:
        raise TypeError("terms 应该是非空的列表，例如 [(\"A\", A), \"@\", (\"B\", B)]。")
    right, tallest = 0.0, 1
    parsed = []
    for index, term in enumerate(terms):
        if isinstance(term, str):
            parsed.append(term)
            continue
        if not isinstance(term, tuple) or len(term) not in (2, 3) or not isinstance(term[0], str):
            raise TypeError(
                f"terms[{index}] 应该是运算符字符串，或 (名字, 矩阵[, 高亮的格子]) 形式的元组，收到的是 {term!r:.60}。"
            )
        array = _matrix(term[1], f"terms[{index}] 中的矩阵 {term[0]}")
        cells = _cells_to_highlight(term[2], index) if len(term) == 3 else set()
        for cell in cells:
            ok = (
                isinstance(cell, tuple)
                and len(cell) == 2
                and all(isinstance(k, numbers.Integral) and not isinstance(k, (bool, np.bool_)) for k in cell)
                and 0 <= cell[0] < array.shape[0]
                and 0 <= cell[1] < array.shape[1]
            )
            if not ok:
                raise ValueError(
                    f"terms[{index}] 里要高亮的格子 {cell!r} 不在 {array.shape[0]}×{array.shape[1]} 的矩阵里："
                    "格子写成 (行, 列)，从 0 开始数。"
                )
        parsed.append((term[0], array, cells))
        tallest = max(tallest, array.shape[0])
    needed_width = sum(1 if isinstance(item, str) else item[1].shape[1] for item in parsed)
    top = float(_size(height, "height", tallest) or tallest)
    canvas_width = float(_size(width, "width", needed_width) or needed_width)
    ax = _axes(ax)
    for item in parsed:
        if isinstance(item, str):
            ax.text(right + 0.5, top - tallest / 2, item, ha="center", va="center", fontsize=16)
            right += 1
        else:
            right = _draw_matrix(ax, item[1], right, top, item[0], item[2])
    ax.set_xlim(-0.3, canvas_width + 0.3)
    ax.set_ylim(-0.3, top + 0.8)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def compare_products(A: Any, C: Any, B: Any, axes: Sequence[Axes] | None = None) -> tuple[Axes, Axes]:
    """并排画出逐元素乘法 ``A * C`` 与矩阵乘法 ``A @ B``，高亮结果左上角那个数来自哪里。

    ``A`` 与 ``C`` 的形状必须相同；``A`` 的列数必须等于 ``B`` 的行数。返回两个 ``Axes``。
    """
    a, c, b = _matrix(A, "A"), _matrix(C, "C"), _matrix(B, "B")
    if a.shape != c.shape:
        raise ValueError(f"逐元素乘法要求 A 与 C 形状相同，现在 A 是 {a.shape}，C 是 {c.shape}。")
    if a.shape[1] != b.shape[0]:
        raise ValueError(f"矩阵乘法 A @ B 要求 A 的列数等于 B 的行数，现在 A 是 {a.shape}，B 是 {b.shape}。")
    with np.errstate(over="ignore", invalid="ignore"):
        products = (a * c, a @ b)
    if not all(np.isfinite(p).all() for p in products):
        raise ValueError("A * C 或 A @ B 中出现了 inf（数太大，乘积溢出了）：请把 A、B、C 中的数换小一些。")
    if isinstance(axes, np.ndarray):
        axes = list(axes.ravel())
    if axes is not None:
        if not isinstance(axes, Sequence) or len(axes) != 2:
            raise TypeError("axes 应该是两个 Axes 组成的序列（例如 plt.subplots(1, 2) 的第二个返回值）或 None。")
        for index, ax in enumerate(axes):
            if not isinstance(ax, Axes):  # 其中一个是 None 时会另画一张图，返回的却不是它：不接受
                raise TypeError(
                    f"axes[{index}] 应该是 matplotlib 的 Axes，收到的是 {type(ax).__name__}："
                    "要么传入两个 Axes（例如 fig, axes = plt.subplots(1, 2) 中的 axes），要么整个 axes 写 None。"
                )
    else:
        _, axes = plt.subplots(1, 2, figsize=(9, 2.8))
    ax1, ax2 = axes[0], axes[1]
    row = {(0, j) for j in range(a.shape[1])}
    col = {(i, 0) for i in range(b.shape[0])}
    height = max(a.shape[0], b.shape[0])
    width = max(3 * a.shape[1] + 2, a.shape[1] + 2 * b.shape[1] + 2)  # 两个等式中较宽的那个
    draw_matrix_equation(
        [("A", a, {(0, 0)}), "*", ("C", c, {(0, 0)}), "=", ("A * C", a * c, {(0, 0)})],
        ax=ax1,
        title=f"逐元素乘法：{a.shape} 与 {c.shape} 得 {a.shape}",
        height=height,
        width=width,
    )
    draw_matrix_equation(
        [("A", a, row), "@", ("B", b, col), "=", ("A @ B", a @ b, {(0, 0)})],
        ax=ax2,
        title=f"矩阵乘法：{a.shape} @ {b.shape} 得 {(a.shape[0], b.shape[1])}",
        height=height,
        width=width,
    )
    return ax1, ax2
