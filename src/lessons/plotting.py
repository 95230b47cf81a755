"""课程中反复出现的几种图。每个函数都接受可选的 ``ax``，方便把几张图并排放在一起。"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import torch

from . import _validate


def apply_web_style() -> None:
    """网页友好的默认样式：适中的尺寸和分辨率，让图清晰又不占太多流量。"""
    matplotlib.rcParams.update(
        {
            "figure.figsize": (6.0, 3.6),
            "figure.dpi": 90,
            "savefig.dpi": 90,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _samples(values, name: str) -> np.ndarray:
    """一维的数据点（形状 ``(n,)`` 或 ``(n, 1)``）：非空、有限，变成 float64 的一维数组。"""
    array = _validate.numbers_array(values, name)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise ValueError(f"{name} 的形状必须是 (n,) 或 (n, 1)，现在是 {array.shape}：每个点只能有一个坐标。")
    if len(array) == 0:
        raise ValueError(f"{name} 是空的：至少要有一个点。")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} 含有 nan 或 inf：请检查数据是怎样算出来的。")
    return array


def _numpy(values) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        return values.detach().to("cpu").numpy()
    return np.asarray(values)


def plot_losses(
    losses: Sequence[float] | Mapping[str, Sequence[float]],
    ax=None,
    title: str = "损失曲线",
    log_scale: bool = False,
    xlabel: str = "迭代周期",
):
    """画损失曲线。``losses`` 可以是一条曲线（列表），也可以是 ``{名字: 列表}`` 的多条曲线。

    横轴默认是迭代周期；按参数更新次数记录损失时，传入 ``xlabel="参数更新次数"``。
    """
    _validate.axes(ax)
    _validate.text(title, "title")
    _validate.text(xlabel, "xlabel")
    log_scale = _validate.flag(log_scale, "log_scale")
    curves = losses if isinstance(losses, Mapping) else {"损失": losses}
    if not curves:
        raise ValueError("没有可画的损失曲线：losses 是空的。")
    arrays = {}
    for name, values in curves.items():
        where = f"损失曲线 {name!r}" if isinstance(losses, Mapping) else "losses"
        values = _validate.numbers_array(values, where)
        if values.ndim != 1 or len(values) == 0:
            raise ValueError(f"{where} 必须是非空的一维序列，现在的形状是 {values.shape}。")
        if not np.isfinite(values).any():
            raise ValueError(f"{where} 全是 nan 或 inf，画不出曲线：训练发散了，请减小学习率后重新训练。")
        if log_scale and not (values > 0).any():
            raise ValueError(f"{where} 没有正数，对数刻度下画不出来：请传入 log_scale=False。")
        arrays[str(name)] = values
    ax = _axes(ax)
    for name, values in arrays.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("损失")
    ax.set_title(title)
    if log_scale:
        ax.set_yscale("log")
    if isinstance(losses, Mapping):
        ax.legend()
    return ax


def plot_fit(
    x,
    y,
    predict: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ax=None,
    title: str = "数据与拟合结果",
    label: str = "模型预测",
):
    """画散点数据 ``(x, y)``，并画出 ``predict`` 给出的拟合曲线（如果提供）。"""
    _validate.axes(ax)
    _validate.text(title, "title")
    _validate.text(label, "label")
    xs, ys = _samples(x, "x"), _samples(y, "y")
    if len(xs) != len(ys):
        raise ValueError(f"x 和 y 的点数必须相同：x 有 {len(xs)} 个，y 有 {len(ys)} 个。")
    curve = None
    if predict is not None:
        _validate.function(predict, "predict", "lambda t: model(t)")
        # 网格点与 x 的浮点类型相同（x 是 float64 张量时，模型多半也是 float64）
        dtype = x.dtype if isinstance(x, torch.Tensor) and x.dtype.is_floating_point else torch.float32
        grid = torch.linspace(float(xs.min()), float(xs.max()), 200, dtype=dtype).reshape(-1, 1)
        with torch.no_grad():
            pred = _validate.call(predict, (grid,), "predict", "predict 会收到形状 (200, 1) 的张量，请检查它能否处理这样的输入。")
        pred = _validate.numbers_array(pred, "predict 的返回值").reshape(-1)
        if len(pred) != len(grid):
            raise ValueError(f"predict 收到 {len(grid)} 个点，却返回了 {len(pred)} 个数：每个输入点应该对应一个预测值。")
        bad = int((~np.isfinite(pred)).sum())
        if bad:
            raise ValueError(
                f"predict 在 {len(grid)} 个点中的 {bad} 个上返回了 nan 或 inf，画不出拟合曲线："
                "模型的参数可能在训练中发散了，请减小学习率后重新训练。"
            )
        curve = (grid.reshape(-1).double().numpy(), pred)
    ax = _axes(ax)
    ax.scatter(xs, ys, s=16, alpha=0.7, label="数据")
    if curve is not None:
        ax.plot(*curve, color="C3", linewidth=2, label=label)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_decision_boundary(
    predict: Callable[[torch.Tensor], torch.Tensor],
    x,
    y,
    ax=None,
    title: str = "决策边界",
    resolution: int = 200,
):
    """画二维分类数据和模型的决策边界。

    ``predict`` 接受形状 ``(m, 2)`` 的张量，返回模型输出，规则与 :func:`lessons.training.accuracy` 相同：
    一列（形状 ``(m,)`` 或 ``(m, 1)``）是类别 1 的 logit，大于 0 判为类别 1；多列时取最大的一列。
    ``y`` 是每个点的类别编号（0、1 ……）。
    """
    from .training import predicted_classes

    _validate.function(predict, "predict", "lambda p: model(p)")
    _validate.axes(ax)
    _validate.text(title, "title")
    resolution = _validate.integer(resolution, "resolution", low=2, high=1000, example="resolution=200")
    pts = _validate.numbers_array(x, "x")
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"x 的形状必须是 (n, 2)，现在是 {pts.shape}：每个点有两个坐标。")
    if len(pts) == 0 or not np.isfinite(pts).all():
        raise ValueError(f"x 必须至少有一个点，且不能含 nan 或 inf；现在的形状是 {pts.shape}。")
    labels = _samples(y, "y")
    if len(labels) != len(pts):
        raise ValueError(f"x 有 {len(pts)} 个点，y 有 {len(labels)} 个标签：两者必须一一对应。")
    if not np.array_equal(labels, np.round(labels)):
        raise ValueError("y 必须是类别编号（0、1 ……），现在含有非整数的值：请检查标签。")
    pad = 0.5
    (x0, y0), (x1, y1) = pts.min(axis=0) - pad, pts.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    dtype = x.dtype if isinstance(x, torch.Tensor) and x.dtype.is_floating_point else torch.float32
    grid = torch.tensor(np.stack([gx.ravel(), gy.ravel()], axis=1), dtype=dtype)
    with torch.no_grad():
        out = _validate.call(predict, (grid,), "predict", "predict 会收到形状 (m, 2) 的张量，请检查它能否处理这样的输入。")
    out = torch.from_numpy(_validate.numbers_array(out, "predict 的返回值"))
    if out.ndim == 0 or len(out) != len(grid):
        raise ValueError(f"predict 收到 {len(grid)} 个点，返回的形状却是 {tuple(out.shape)}：每个点应该对应一行输出。")
    classes = predicted_classes(out).numpy().reshape(gx.shape)
    n_classes = 2 if out.ndim == 1 or out.shape[1] == 1 else out.shape[1]
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(
            f"y 的取值必须在 0 到 {n_classes - 1} 之间（predict 的输出对应 {n_classes} 个类别），"
            f"现在最小是 {labels.min():g}，最大是 {labels.max():g}：请检查标签的编码。"
        )
    colors = [f"C{k}" for k in range(n_classes)]
    ax = _axes(ax)
    ax.contourf(gx, gy, classes, levels=np.arange(n_classes + 1) - 0.5, colors=colors, alpha=0.2)
    # 分界线：一个对数几率时是它等于 0 的等高线；两个对数几率时是两者之差为 0 的等高线
    if n_classes == 2:
        score = out.reshape(-1) if out.ndim == 1 or out.shape[1] == 1 else out[:, 1] - out[:, 0]
        score = score.numpy().reshape(gx.shape)
        if score.min() < 0 < score.max():
            ax.contour(gx, gy, score, levels=[0.0], colors="k", linewidths=1)
    elif len(np.unique(classes)) > 1:
        ax.contour(gx, gy, classes, levels=np.arange(n_classes - 1) + 0.5, colors="k", linewidths=1)
    for cls, color in enumerate(colors):
        mask = labels == cls
        ax.scatter(pts[mask, 0], pts[mask, 1], s=14, color=color, label=f"类别 {cls}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    ax.legend(loc="upper right")
    return ax


def plot_contours_with_path(
    f: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    path=None,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax=None,
    title: str = "损失函数的等高线",
    levels: int = 20,
):
    """画二元函数 ``f(a, b)`` 的等高线，并画出参数的移动路径 ``path``（形状 ``(k, 2)``，可选）。

    ``levels`` 是等高线的条数（1 到 500 的整数），或者从小到大排列的一组高度。
    """
    _validate.function(f, "f", "lambda a, b: a**2 + b**2")
    xlim, ylim = _validate.interval(xlim, "xlim"), _validate.interval(ylim, "ylim")
    _validate.axes(ax)
    _validate.text(title, "title")
    if isinstance(levels, (bool, np.bool_)) or not isinstance(levels, (numbers.Integral, list, tuple, np.ndarray)):
        raise TypeError(f"levels 必须是整数（等高线条数）或一组从小到大的高度，收到的是 {_validate.describe(levels)}。")
    if isinstance(levels, numbers.Integral):
        levels = _validate.integer(levels, "levels", low=1, high=500)
    else:
        levels = _validate.numbers_array(levels, "levels")
        if levels.ndim != 1 or len(levels) == 0 or not np.isfinite(levels).all() or (np.diff(levels) <= 0).any():
            raise ValueError(f"levels 必须是一组从小到大、互不相同的有限的数，收到的是 {levels.tolist()}。")
    pts = None
    if path is not None:
        pts = _validate.numbers_array(path, "path")
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
            raise ValueError(f"path 的形状必须是 (k, 2)，现在是 {pts.shape}。")
        if not np.isfinite(pts).all():
            raise ValueError("path 含有 nan 或 inf：参数在优化过程中发散了，请减小学习率。")
    a, b = torch.meshgrid(torch.linspace(*xlim, 150), torch.linspace(*ylim, 150), indexing="xy")
    with torch.no_grad():
        z = _validate.call(f, (a, b), "f(a, b)", "f 会收到两个形状 (150, 150) 的张量 a 和 b，请用逐元素运算。")
    z = _validate.numbers_array(z, "f(a, b) 的返回值")
    if z.shape != tuple(a.shape):
        raise ValueError(f"f(a, b) 必须返回与 a、b 形状相同的 {tuple(a.shape)}，现在是 {z.shape}：请用逐元素运算，不要求和。")
    finite = np.isfinite(z)
    if not finite.any() or z[finite].min() == z[finite].max():
        raise ValueError("f(a, b) 在这个范围内没有变化（或全是 nan、inf），画不出等高线：请检查 f 或换一个范围。")
    if not finite.all():
        z = np.ma.masked_invalid(z)
    ax = _axes(ax)
    ax.contour(a.numpy(), b.numpy(), z, levels=levels, cmap="viridis", linewidths=0.8)
    if pts is not None:
        ax.plot(pts[:, 0], pts[:, 1], "o-", color="C3", markersize=3, linewidth=1.2, label="参数的路径")
        ax.plot(pts[0, 0], pts[0, 1], "s", color="k", markersize=6, label="起点")
        ax.legend(loc="upper right")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_title(title)
    return ax


# ---------------------------------------------------------------- 第 1 课：广播与归约的格子图

#: 格子图每一维最多画几格：再多，格子里的数字就看不清了。
GRID_MAX = 8


def _grid_values(values, name: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """把要画成格子的数变成二维的 float64 数组，同时返回原来的形状。

    接受张量、NumPy 数组、（嵌套的）数字列表或单个数。零维看作 1×1，长度为 n 的一维看作
    1×n，这正是广播时“在左边补 1”的结果。
    """
    if isinstance(values, torch.Tensor):
        if values.is_meta:
            raise TypeError(f"{name} 是 meta 设备上的张量，没有数据可画：请传入 CPU 或 GPU 上的张量。")
        t = values.detach().to("cpu")
        if t.dtype == torch.bool or t.is_complex():
            raise TypeError(f"{name} 的元素必须是整数或浮点数，收到的数据类型是 {t.dtype}。")
        array = t.double().numpy() if t.is_floating_point() else t.numpy()
    elif isinstance(values, (np.ndarray, np.generic, list, tuple, int, float)) and not isinstance(values, bool):
        try:
            array = np.asarray(values)
        except ValueError:
            raise ValueError(f"{name} 必须是规则的矩形数表：嵌套列表的各行长度要相同。") from None
    else:
        raise TypeError(
            f"{name} 应该是张量、NumPy 数组或数字列表，收到的是 {type(values).__name__}："
            "例如传入 torch.tensor([[0], [10], [20]])。"
        )
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} 的元素必须是整数或浮点数，收到的数据类型是 {array.dtype}。")
    if array.ndim > 2:
        raise ValueError(f"{name} 最多是二维的，收到的形状是 {tuple(array.shape)}：格子图只能画零维、一维或二维的数据。")
    if array.size == 0:
        raise ValueError(f"{name} 是空的（形状 {tuple(array.shape)}）：至少要有一个元素。")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} 中有 nan 或 inf：格子图只能画有限的数。")
    shape = tuple(int(n) for n in array.shape)
    grid = array.astype(np.float64).reshape((1,) * (2 - array.ndim) + shape)
    if max(grid.shape) > GRID_MAX:
        raise ValueError(f"{name} 的形状是 {shape}，格子太多看不清：每一维最多 {GRID_MAX} 个。")
    return grid, shape


def _axes_list(axes, count: int, name: str = "axes") -> list | None:
    """检查用户传入的一组子图：``None`` 或恰好 ``count`` 个 matplotlib 的 Axes。"""
    if axes is None:
        return None
    from matplotlib.axes import Axes

    items = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(items) != count or not all(isinstance(item, Axes) for item in items):
        raise TypeError(
            f"{name} 应该是 {count} 个子图（matplotlib 的 Axes），例如 plt.subplots(1, {count})[1]；"
            f"收到的是 {type(axes).__name__}。不传时会自动新建一张图。"
        )
    return items


def _shape_text(shape: tuple[int, ...]) -> str:
    """形状的写法与 PyTorch 一致：``(3, 1)``、``(4,)``、``()``。"""
    return str(tuple(shape))


def _cell_text(value: float) -> str:
    """格子里显示的数：整数不带小数点，其余保留两位小数。"""
    if float(value).is_integer() and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.2f}"


def _draw_grid(ax, grid: np.ndarray, color: str, real_shape: tuple[int, int], top: float = 0.0, left: float = 0.0) -> None:
    """把二维数组画成格子，左上角在 ``(left, top)``。

    左上角 ``real_shape`` 大小的区域是真实存在的数据（实线、填色），其余格子是广播时
    “想象中”复制出来的（虚线、灰字）。
    """
    from matplotlib.patches import Rectangle

    real_rows, real_cols = real_shape
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            real = i < real_rows and j < real_cols
            ax.add_patch(
                Rectangle(
                    (left + j, top + i), 1, 1,
                    facecolor=color if real else "white",
                    edgecolor="black" if real else "gray",
                    linestyle="-" if real else "--",
                    alpha=0.9 if real else 0.6,
                )
            )
            ax.text(left + j + 0.5, top + i + 0.5, _cell_text(grid[i, j]), ha="center", va="center",
                    fontsize=11, color="black" if real else "gray")


def _frame(ax, width: float, height: float, title: str) -> None:
    """设置坐标范围（第 0 行在最上面）、隐藏坐标轴并加标题。"""
    ax.set_xlim(-0.1, width + 0.1)
    ax.set_ylim(height + 0.1, -0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11)


def _expansion_text(original: tuple[int, ...], out: tuple[int, ...]) -> str:
    """用中文说明一个操作数在广播中怎样变成结果的形状 ``out``（PyTorch 给出的真实形状，最多二维）。"""
    padded = (1,) * (len(out) - len(original)) + tuple(original)
    steps = []
    if len(original) < len(out):
        steps.append(f"左边补 1 成为 {_shape_text(padded)}")
    if len(out) == 2:
        if padded[0] == 1 and out[0] > 1:
            steps.append(f"向下复制成 {out[0]} 行")
        if padded[1] == 1 and out[1] > 1:
            steps.append(f"向右复制成 {out[1]} 列")
    elif len(out) == 1 and padded[0] == 1 and out[0] > 1:
        steps.append(f"向右复制成 {out[0]} 个")
    return "\n".join(steps) if steps else "不需要扩展"


def plot_broadcast(a, b, op: str = "+", axes=None):
    """画出两个形状不同的操作数怎样广播成同一个形状，以及逐元素运算的结果。

    ``a``、``b`` 是零维、一维或二维的数（张量、NumPy 数组或列表），每一维最多 8 个元素。
    三张子图依次是扩展后的 ``a``、扩展后的 ``b`` 和 ``a op b``：实线格子是真实存在的数据，
    虚线格子是广播时“想象中”复制出来的部分。``op`` 可以是 ``"+"``、``"-"`` 或 ``"*"``。
    ``axes`` 可以传入 3 个子图；不传时新建一张图。返回这张图（matplotlib 的 Figure）。
    """
    operations = {"+": np.add, "-": np.subtract, "*": np.multiply}
    if not isinstance(op, str) or op not in operations:
        raise ValueError(f"op 只能是 '+'、'-' 或 '*'，收到的是 {op!r}。")
    grid_a, shape_a = _grid_values(a, "a")
    grid_b, shape_b = _grid_values(b, "b")
    try:
        out = tuple(int(n) for n in np.broadcast_shapes(grid_a.shape, grid_b.shape))
    except ValueError:
        raise ValueError(
            f"a 的形状 {_shape_text(shape_a)} 和 b 的形状 {_shape_text(shape_b)} 不能广播："
            "从右往左对齐后，每一维要么相等，要么其中一个是 1。"
        ) from None
    items = _axes_list(axes, 3)
    if items is None:
        fig, items = plt.subplots(1, 3, figsize=(9, 3.2), layout="constrained")
    fig = items[0].figure
    expanded_a, expanded_b = np.broadcast_to(grid_a, out), np.broadcast_to(grid_b, out)
    result = operations[op](expanded_a, expanded_b)
    _draw_grid(items[0], expanded_a, "#9ecae1", grid_a.shape)
    _draw_grid(items[1], expanded_b, "#fdae6b", grid_b.shape)
    _draw_grid(items[2], result, "#a1d99b", out)
    # 格子总是画成二维的；标题里写 PyTorch 给出的真实形状，例如 () 与 (4,) 的结果是 (4,)，不是 (1, 4)
    real_out = tuple(int(n) for n in np.broadcast_shapes(shape_a, shape_b))
    _frame(items[0], out[1], out[0], f"a：形状 {_shape_text(shape_a)}\n{_expansion_text(shape_a, real_out)}")
    _frame(items[1], out[1], out[0], f"b：形状 {_shape_text(shape_b)}\n{_expansion_text(shape_b, real_out)}")
    _frame(items[2], out[1], out[0], f"a {op} b：形状 {_shape_text(real_out)}")
    fig.suptitle(
        f"广播：{_shape_text(shape_a)} 与 {_shape_text(shape_b)} 对齐后都扩展成 {_shape_text(real_out)}", fontsize=12
    )
    return fig


def plot_reduction(x, axes=None):
    """画出矩阵 ``x`` 沿两个方向求和：``x.sum(dim=0)`` 每列一个和，``x.sum(dim=1)`` 每行一个和。

    ``x`` 是二维的数（张量、NumPy 数组或嵌套列表），每一维最多 8 个元素。左图把每一列的和
    画在矩阵下方，右图把每一行的和画在矩阵右侧，箭头表示求和的方向。``axes`` 可以传入 2 个子图；
    不传时新建一张图。返回这张图（matplotlib 的 Figure）。
    """
    grid, shape = _grid_values(x, "x")
    if len(shape) != 2:
        raise ValueError(f"x 必须是二维的矩阵，收到的形状是 {_shape_text(shape)}：例如 torch.arange(12.0).reshape(3, 4)。")
    items = _axes_list(axes, 2)
    if items is None:
        fig, items = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
    fig = items[0].figure
    rows, cols = grid.shape
    arrow = {"arrowstyle": "->", "color": "C3"}

    left, right = items
    _draw_grid(left, grid, "#c6dbef", grid.shape)
    _draw_grid(left, grid.sum(axis=0, keepdims=True), "#fdd0a2", (1, cols), top=rows + 1)
    for j in range(cols):
        left.annotate("", xy=(j + 0.5, rows + 0.95), xytext=(j + 0.5, rows + 0.05), arrowprops=arrow)
    _frame(left, cols, rows + 2, f"x.sum(dim=0)\n每列一个和，形状 ({cols},)")

    _draw_grid(right, grid, "#c6dbef", grid.shape)
    _draw_grid(right, grid.sum(axis=1, keepdims=True), "#fdd0a2", (rows, 1), left=cols + 1)
    for i in range(rows):
        right.annotate("", xy=(cols + 0.95, i + 0.5), xytext=(cols + 0.05, i + 0.5), arrowprops=arrow)
    _frame(right, cols + 2, rows + 2, f"x.sum(dim=1)\n每行一个和，形状 ({rows},)")
    fig.suptitle("沿某一维归约：dim 指定的那一维消失", fontsize=12)
    return fig
