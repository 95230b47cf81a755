# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 张量（Tensor）
#
# **导读**：在 PyTorch 里，数据、模型的参数、模型的输出，全都是张量。张量就是一个多维数组：它有形状，有数据类型，放在某个设备上。这一课从创建张量讲起，依次介绍数据类型与类型提升、索引与切片、改变形状、广播、归约，最后弄清楚一个常被讲错的问题：哪些操作与原张量共享内存，哪些操作会复制一份新的数据。每个结论后面都有一个检查单元格，你可以亲手验证。
#
# **学习目标**
#
# - 会用多种方法创建张量，并读懂它的形状、数据类型和设备；
# - 理解类型提升的规则，知道模型为什么通常使用 `float32`；
# - 会用索引、切片、`reshape` 和 `view`，知道 `view` 什么时候会失败以及如何修复；
# - 掌握广播规则和沿某一维的归约（`dim`、`keepdim`）；
# - 分清哪些操作共享存储、哪些操作复制数据，了解原地操作的风险。

# %% [markdown]
# ## 1. 准备工作
#
# 和每一课一样，第一个单元格在 Colab 中安装课程辅助包，在本地什么也不做。

# %%
# 在 Colab 中安装课程辅助包 lessons（含中文字体）；在本地什么也不做。
import subprocess
import sys

if "google.colab" in sys.modules:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet",
         "lessons @ git+https://github.com/pytorch-zh/pytorch-basics-zh@main"],
        check=True,
    )

# %% [markdown]
# 然后导入需要的库，并用 `lessons.setup(seed=0)` 设置随机种子、选择设备、配置中文字体。

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import Rectangle

import lessons
from lessons.exercises import tensor as ex

env = lessons.setup(seed=0)

# %% [markdown]
# ## 2. 什么是张量
#
# **张量**（tensor）是一个装着同一类型数字的多维数组。维数不同，名字也不同：
#
# | 维数 `ndim` | 名称 | 例子 | 形状 `shape` |
# | --- | --- | --- | --- |
# | 0 | **标量**（scalar） | 一个损失值 | `()` |
# | 1 | **向量**（vector） | 一个样本的 3 个特征 | `(3,)` |
# | 2 | **矩阵**（matrix） | 4 个样本、每个 3 个特征 | `(4, 3)` |
# | 3 | 三维张量 | 一张 RGB 图片：3 个通道、每个 2×2 像素 | `(3, 2, 2)` |
#
# 用 `torch.tensor` 可以把 Python 的数字或（嵌套的）列表变成张量。

# %%
scalar = torch.tensor(3.5)
vector = torch.tensor([1.0, 2.0, 3.0])
matrix = torch.tensor([[1, 2, 3], [4, 5, 6]])
image = torch.zeros(3, 2, 2)

for name, t in [("scalar", scalar), ("vector", vector), ("matrix", matrix), ("image", image)]:
    print(f"{name:7s} ndim={t.ndim}  shape={tuple(t.shape)}")

# %% [markdown]
# 注意：维数 `ndim` 等于形状里数字的个数，标量的形状是空的 `()`。

# %%
assert scalar.ndim == 0 and scalar.shape == ()
assert matrix.shape == (2, 3) and image.ndim == 3
print("✅ 维数就是形状的长度")

# %% [markdown]
# ## 3. 创建张量
#
# 除了从列表创建，更常用的是下面这些函数，直接给出形状或取值范围：
#
# | 函数 | 得到什么 |
# | --- | --- |
# | `torch.zeros(2, 3)`、`torch.ones(2, 3)` | 全 0、全 1 的张量，形状 `(2, 3)` |
# | `torch.arange(start, end, step)` | 从 `start` 开始、每次增加 `step` 的等差数列，**不含** `end` |
# | `torch.linspace(start, end, steps)` | 从 `start` 到 `end` 均匀取 `steps` 个点，**包含**两端 |
# | `torch.rand(2, 3)`、`torch.randn(2, 3)` | $[0, 1)$ 上的均匀分布、标准正态分布的随机数 |

# %%
print(torch.zeros(2, 3))
print(torch.ones(2, 3))
print(torch.arange(0, 10, 3))
print(torch.linspace(0, 1, 5))

# %% [markdown]
# 看输出：`arange(0, 10, 3)` 停在 9，不含终点 10；`linspace(0, 1, 5)` 的首尾正好是 0 和 1。

# %%
assert torch.arange(0, 10, 3).tolist() == [0, 3, 6, 9]
assert torch.linspace(0, 1, 5)[0] == 0 and torch.linspace(0, 1, 5)[-1] == 1
print("✅ arange 不含终点，linspace 包含两端")

# %% [markdown]
# 随机数由随机种子决定。给 `torch.Generator` 设定种子再传给随机函数，每次都得到同一组数，这样实验才能复现。

# %%
g = torch.Generator().manual_seed(0)
first = torch.randn(2, 3, generator=g)
g = torch.Generator().manual_seed(0)
second = torch.randn(2, 3, generator=g)
print(first)
assert torch.equal(first, second)
print("✅ 同一个种子，同一组随机数")

# %% [markdown]
# ## 4. 形状、数据类型和设备
#
# 每个张量都有三个最常查看的属性：**形状**（shape）、**数据类型**（data type，`dtype`）和**设备**（device，张量存放在 CPU 还是 GPU 上）。

# %%
x = torch.tensor([[1, 2, 3], [4, 5, 6]])
print("形状    ", x.shape)
print("数据类型", x.dtype)
print("设备    ", x.device)

# %% [markdown]
# 从整数列表创建的张量是 `torch.int64`；只要有一个小数，就是 `torch.float32`。新建的张量默认放在 CPU 上（第 12 节再讲怎样搬到 GPU）。

# %%
assert torch.tensor([1, 2]).dtype == torch.int64
assert torch.tensor([1, 2.0]).dtype == torch.float32
assert x.device.type == "cpu"
print("✅ 整数默认 int64，小数默认 float32，新张量在 CPU 上")

# %% [markdown]
# ### 4.1 类型提升
#
# 两个数据类型不同的张量做运算时，结果取“能装下两者”的类型，这叫**类型提升**（type promotion）。直接看几种组合的运算结果的 `dtype`：

# %%
ints = torch.tensor([1, 2, 3])               # int64
floats = torch.tensor([0.5, 0.5, 0.5])       # float32
doubles = torch.tensor([0.5, 0.5, 0.5], dtype=torch.float64)

print("int64 + float32   →", (ints + floats).dtype)
print("int64 + 0.5       →", (ints + 0.5).dtype)
print("int64 / int64     →", (ints / ints).dtype)
print("int64 // int64    →", (ints // ints).dtype)
print("float32 + float64 →", (floats + doubles).dtype)

# %% [markdown]
# 要记住的几点：
#
# - 整数张量与浮点张量（或 Python 小数）运算，结果是浮点数，而且是 `float32`，不是 `float64`：Python 的小数只决定“类别”是浮点，具体宽度用 PyTorch 的默认类型 `float32`；
# - `/` 总是真除法，两个整数张量相除也得到浮点数；`//` 才是整除；
# - 两个浮点张量宽度不同，结果取更宽的 `float64`。

# %%
assert (ints + floats).dtype == torch.float32
assert (ints + 0.5).dtype == torch.float32
assert (ints / ints).dtype == torch.float32 and (ints // ints).dtype == torch.int64
assert (floats + doubles).dtype == torch.float64
print("✅ 类型提升的结果与上面所说一致")

# %% [markdown]
# ### 4.2 模型为什么用 `float32`
#
# 神经网络的参数默认是 `float32`（单精度，每个数 4 字节），而不是 `float64`（双精度，8 字节）。原因有三：
#
# 1. 内存减半：参数、梯度、中间结果都少占一半；
# 2. 速度快：GPU 做 `float32` 运算比 `float64` 快得多（在常见的消费级显卡上快几十倍）；
# 3. 精度够用：`float32` 大约有 7 位有效数字，而训练数据本身的噪声远大于这个误差。
#
# 下面看看每个元素占的字节数，以及 `float32` 的有效数字到哪里为止：$2^{24} + 1 = 16777217$ 在 `float32` 中存不下，会变成 $16777216$。

# %%
print("float32 每个元素字节数：", torch.zeros(1, dtype=torch.float32).element_size())
print("float64 每个元素字节数：", torch.zeros(1, dtype=torch.float64).element_size())
print("float32 存 16777217：", torch.tensor(16777217.0, dtype=torch.float32).item())
print("float64 存 16777217：", torch.tensor(16777217.0, dtype=torch.float64).item())

# %%
assert torch.zeros(1, dtype=torch.float64).element_size() == 2 * torch.zeros(1).element_size()
assert torch.tensor(16777217.0, dtype=torch.float32).item() == 16777216.0
print("✅ float64 占两倍内存；float32 的精度约 7 位有效数字")

# %% [markdown]
# **常见错误**：NumPy 默认用 `float64`，直接转成张量喂给模型会报错，因为模型的参数是 `float32`。

# %%
layer = torch.nn.Linear(2, 1)          # 一个全连接层，参数是 float32
features = np.ones((4, 2))             # NumPy 数组，默认 float64
try:
    layer(torch.from_numpy(features))
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# 报错说两个矩阵的数据类型不同（`Double` 是 `float64`，`Float` 是 `float32`）。修复方法：转换时指定 `float32`，或者调用 `.float()`。

# %%
inputs = torch.tensor(features, dtype=torch.float32)  # 或 torch.from_numpy(features).float()
out = layer(inputs)
print(out.shape, out.dtype)
assert out.dtype == torch.float32
print("✅ 转成 float32 后可以正常计算")

# %% [markdown]
# ## 5. 索引与切片
#
# **索引**（indexing）取出单个位置，**切片**（slicing）取出一段范围，写法和 Python 列表、NumPy 数组相同：`start:end:step`，不含 `end`；负数从末尾数起。下面用一个 3 行 4 列的矩阵演示。

# %%
t = torch.arange(12).reshape(3, 4)
print(t)
print("t[1, 2]    =", t[1, 2].item())
print("t[-1]      =", t[-1])
print("t[:, 1]    =", t[:, 1])
print("t[1:, ::2] =")
print(t[1:, ::2])

# %% [markdown]
# 一个容易忽略的细节：用整数索引会**去掉**那一维，用切片则**保留**那一维。`t[:, 1]` 是形状 `(3,)` 的向量，`t[:, 1:2]` 是形状 `(3, 1)` 的矩阵，数值相同，形状不同。

# %%
print(t[:, 1].shape, t[:, 1:2].shape)
assert t[:, 1].shape == (3,) and t[:, 1:2].shape == (3, 1)
assert t[1, 2].item() == 6
print("✅ 整数索引去掉一维，切片保留这一维")

# %% [markdown]
# 还可以用**布尔张量**（boolean tensor）挑出满足条件的元素，结果总是一维的：

# %%
mask = t % 2 == 0
print(mask)
print(t[mask])
assert t[mask].tolist() == [0, 2, 4, 6, 8, 10]
print("✅ 布尔索引取出了全部偶数")

# %% [markdown]
# ## 6. 改变形状：`reshape` 与 `view`
#
# `reshape` 和 `view` 都能在元素总数不变的前提下改变形状。某一维写成 `-1`，表示让 PyTorch 根据元素总数自己算出来。

# %%
t = torch.arange(12)
print(t.view(3, 4))
print(t.reshape(2, -1).shape)   # -1 被算成 6

# %% [markdown]
# 两者的区别在于**连续性**（contiguity）。张量的元素在**存储**（storage）中排成一行，**步长**（stride）告诉 PyTorch：沿某一维前进一步，要在存储里跳过几个元素。形状 `(3, 4)` 的矩阵步长是 `(4, 1)`：换一行跳 4 个，换一列跳 1 个。这种按行依次存放的张量叫“连续的”。
#
# 转置 `m.T` 并不搬动数据，只是把步长换成 `(1, 4)`。它和 `m` 用的是同一块存储，但元素在存储中的顺序不再是它按行读出的顺序，所以它**不连续**。

# %%
m = torch.arange(12).reshape(3, 4)
print("m   形状", tuple(m.shape), "步长", m.stride(), "连续：", m.is_contiguous())
print("m.T 形状", tuple(m.T.shape), "步长", m.T.stride(), "连续：", m.T.is_contiguous())

# %%
assert m.stride() == (4, 1) and m.T.stride() == (1, 4)
assert m.is_contiguous() and not m.T.is_contiguous()
print("✅ 转置只交换了步长，结果不连续")

# %% [markdown]
# `view` 从不复制数据，它返回原张量的一个**视图**（view）：与原张量共用同一块存储，只换一套形状和步长。因此它要求存储布局与新形状兼容。对不连续的 `m.T` 调用 `view` 会报错：

# %%
try:
    m.T.view(12)
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# 报错信息已经给出了修复方法：改用 `reshape`。`reshape` 能返回视图时就返回视图，不能时就复制一份。另一种写法是先用 `.contiguous()` 得到一份连续的副本，再 `view`。

# %%
fixed_1 = m.T.reshape(12)
fixed_2 = m.T.contiguous().view(12)
print(fixed_1)
assert torch.equal(fixed_1, fixed_2)
assert fixed_1.tolist() == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]
print("✅ reshape 和 contiguous().view 都能按转置后的顺序展平")

# %% [markdown]
# 另一种常见错误是元素总数对不上，这时 `view` 和 `reshape` 都会报错：

# %%
try:
    torch.zeros(2, 3).reshape(4)
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# ## 7. 广播
#
# 形状不同的两个张量做**逐元素运算**（element-wise operation）时，PyTorch 会按**广播**（broadcasting）规则把它们“扩展”成相同的形状。规则只有三条：
#
# 1. 把两个形状**从右往左**对齐；维数少的一方在左边补 1；
# 2. 对齐后的每一维，要么相等，要么其中一个是 1；是 1 的那一方沿这一维重复，扩展成另一方的大小；
# 3. 有一维既不相等、也没有 1，就报错。
#
# 例如 $a$ 的形状是 $(3, 1)$，$b$ 的形状是 $(1, 4)$，结果 $c = a + b$ 的形状是 $(3, 4)$，其中
#
# $$c_{ij} = a_{i0} + b_{0j}.$$

# %%
a = torch.tensor([[0], [10], [20]])       # 形状 (3, 1)
b = torch.tensor([[0, 1, 2, 3]])          # 形状 (1, 4)
c = a + b
print(c)
assert c.shape == (3, 4)
assert c[2, 3].item() == a[2, 0].item() + b[0, 3].item()
print("✅ (3, 1) + (1, 4) 得到 (3, 4)，且 c[i, j] = a[i, 0] + b[0, j]")


# %% [markdown]
# 下图画出了这个过程：实线格子是真实存在的数据，虚线格子是广播时“想象中”复制出来的部分。

# %%
def draw_grid(ax, values, color, real_rows=None, real_cols=None, top=0.0, left=0.0):
    """把二维数组画成格子，左上角在 (left, top)。

    行号在 real_rows 且列号在 real_cols 中的格子是真实数据（实线、填色），
    其余格子是广播出来的（虚线、灰字）；不传 real_rows/real_cols 表示全部是真实数据。
    """
    n_rows, n_cols = values.shape
    real_rows = range(n_rows) if real_rows is None else real_rows
    real_cols = range(n_cols) if real_cols is None else real_cols
    for i in range(n_rows):
        for j in range(n_cols):
            real = i in real_rows and j in real_cols
            ax.add_patch(Rectangle(
                (left + j, top + i), 1, 1,
                facecolor=color if real else "white",
                edgecolor="black" if real else "gray",
                linestyle="-" if real else "--",
                alpha=0.9 if real else 0.6,
            ))
            ax.text(left + j + 0.5, top + i + 0.5, str(int(values[i, j])), ha="center",
                    va="center", fontsize=11, color="black" if real else "gray")


def frame(ax, width, height, title):
    """设置坐标范围（第 0 行在最上面）、隐藏坐标轴并加标题。"""
    ax.set_xlim(-0.1, width + 0.1)
    ax.set_ylim(height + 0.1, -0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11)


fig, axes = plt.subplots(1, 3, figsize=(9, 3.4))
draw_grid(axes[0], a.expand(3, 4), "#9ecae1", real_cols=range(1))
draw_grid(axes[1], b.expand(3, 4), "#fdae6b", real_rows=range(1))
draw_grid(axes[2], c, "#a1d99b")
frame(axes[0], 4, 3, "a：形状 (3, 1)\n向右复制成 4 列")
frame(axes[1], 4, 3, "b：形状 (1, 4)\n向下复制成 3 行")
frame(axes[2], 4, 3, "a + b：形状 (3, 4)")
fig.suptitle("广播：(3, 1) 与 (1, 4) 对齐后都扩展成 (3, 4)", fontsize=12)
plt.show()

# %% [markdown]
# 虚线格子只是帮助理解，广播**并不真的复制数据**：`a.expand(3, 4)` 得到的是一个视图，它第 1 维（列）的步长是 0：四列读的都是存储里的同一个数。

# %%
print("a.expand(3, 4) 的步长：", a.expand(3, 4).stride())
assert a.expand(3, 4).stride()[1] == 0
print("✅ 广播出来的维度步长为 0，不占额外内存")

# %% [markdown]
# 再看几个形状的组合。`torch.broadcast_shapes` 只按规则计算结果形状，不需要真的创建张量：

# %%
print(torch.broadcast_shapes((3, 4), (4,)))        # (4,) 左边补 1 → (1, 4)
print(torch.broadcast_shapes((2, 3, 4), (3, 1)))   # (3, 1) 左边补 1 → (1, 3, 1)
assert torch.broadcast_shapes((3, 4), (4,)) == (3, 4)
assert torch.broadcast_shapes((2, 3, 4), (3, 1)) == (2, 3, 4)
print("✅ 从右往左对齐，缺的维度补 1")

# %% [markdown]
# **常见错误**：想给矩阵的每一**行**加上一个数，于是把形状 `(3, 4)` 的矩阵和形状 `(3,)` 的向量相加。从右对齐后是 4 对 3，既不相等也没有 1，所以报错：

# %%
scores = torch.zeros(3, 4)
row_bonus = torch.tensor([1.0, 2.0, 3.0])
try:
    scores + row_bonus
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# 修复：把向量变成形状 `(3, 1)` 的列，写法有 `row_bonus[:, None]`、`row_bonus.unsqueeze(1)` 或 `row_bonus.reshape(3, 1)`。

# %%
fixed = scores + row_bonus[:, None]
print(fixed)
assert fixed.shape == (3, 4) and fixed[:, 0].tolist() == [1.0, 2.0, 3.0]
assert torch.equal(fixed[:, 0], fixed[:, 3])
print("✅ 变成 (3, 1) 后，每一行加上了自己的数")

# %% [markdown]
# ## 8. 沿某一维归约
#
# **归约**（reduction）把很多数合成一个数，例如求和 `sum`、均值 `mean`、最大值 `max`。不写 `dim` 时归约全部元素；写了 `dim`，就只沿那一维归约，**那一维消失**。对形状 $(3, 4)$ 的矩阵 $x$：
#
# $$s^{(0)}_j = \sum_{i=0}^{2} x_{ij}, \qquad s^{(1)}_i = \sum_{j=0}^{3} x_{ij}.$$
#
# `x.sum(dim=0)` 就是 $s^{(0)}$：沿第 0 维从上往下加起来，每列得到一个和，形状 `(4,)`；`x.sum(dim=1)` 就是 $s^{(1)}$：每行得到一个和，形状 `(3,)`。

# %%
x = torch.arange(12.0).reshape(3, 4)
print(x)
print("全部求和    ", x.sum())
print("sum(dim=0)  ", x.sum(dim=0))
print("sum(dim=1)  ", x.sum(dim=1))
print("mean(dim=1) ", x.mean(dim=1))

# %%
assert x.sum().item() == 66.0
assert x.sum(dim=0).shape == (4,) and x.sum(dim=1).shape == (3,)
assert x.sum(dim=1).tolist() == [6.0, 22.0, 38.0]
print("✅ dim 指定的那一维被归约掉了")

# %% [markdown]
# 下图画出了两种方向：`dim=0` 把每一列从上往下加起来，`dim=1` 把每一行从左往右加起来。记法：`dim` 写几，第几维就被“压扁”消失。

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
draw_grid(axes[0], x, "#c6dbef")
draw_grid(axes[0], x.sum(dim=0, keepdim=True), "#fdd0a2", top=4.0)
for j in range(4):
    axes[0].annotate("", xy=(j + 0.5, 3.95), xytext=(j + 0.5, 3.05),
                     arrowprops={"arrowstyle": "->", "color": "C3"})
frame(axes[0], 4, 5, "x.sum(dim=0)\n每列一个和，形状 (4,)")

draw_grid(axes[1], x, "#c6dbef")
draw_grid(axes[1], x.sum(dim=1, keepdim=True), "#fdd0a2", left=5.0)
for i in range(3):
    axes[1].annotate("", xy=(4.95, i + 0.5), xytext=(4.05, i + 0.5),
                     arrowprops={"arrowstyle": "->", "color": "C3"})
frame(axes[1], 6, 5, "x.sum(dim=1)\n每行一个和，形状 (3,)")
fig.suptitle("沿某一维归约：dim 指定的那一维消失", fontsize=12)
fig.subplots_adjust(top=0.78)
plt.show()

# %% [markdown]
# 加上 `keepdim=True`，被归约的那一维会保留为长度 1。这在广播时很有用：每行的和形状是 `(3, 1)`，可以直接去除形状 `(3, 4)` 的矩阵，让每一行的元素加起来等于 1。

# %%
row_sums = x.sum(dim=1, keepdim=True)
print("row_sums 的形状：", tuple(row_sums.shape))
proportions = x / row_sums
print(torch.round(proportions, decimals=4))
assert row_sums.shape == (3, 1)
assert torch.allclose(proportions.sum(dim=1), torch.ones(3))
print("✅ keepdim=True 保留了长度为 1 的维度，每行归一化后和为 1")

# %% [markdown]
# **常见错误**：对整数张量求均值。均值一般不是整数，PyTorch 不会替你决定结果类型，而是报错；先转成浮点数就好。

# %%
counts = torch.tensor([1, 2, 4])
try:
    counts.mean()
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")
print("修复后：", round(counts.float().mean().item(), 4))

# %% [markdown]
# ## 9. 内存：哪些操作共享存储，哪些操作复制
#
# 原文说：“PyTorch 使用共享内存来存储 Tensor，这意味着多个 Tensor 可以共享底层内存”。**这句话不对**：张量并不是默认共享内存的。事实是：
#
# - 只有视图与原张量共享存储：`view`、切片、转置 `.T`、`expand`，以及能不复制时的 `reshape`；
# - `torch.from_numpy` 和 `.numpy()` 让张量与 NumPy 数组共享同一块内存（只在 CPU 上）；
# - 其余大多数操作（`a + 1`、`a * 2`、`clone`、`torch.tensor(...)`、用布尔张量或整数列表做索引……）都**分配新的内存**，得到独立的数据。
#
# （操作系统意义上的“共享内存”是另一回事：`tensor.share_memory_()` 让多个进程共用一个张量，只在多进程程序中使用。）
#
# 下面写一个小函数，判断两个张量是否用的是同一块存储。它比较的是存储的起始地址，只打印 `True`/`False`。

# %%
def shares_storage(p, q):
    """两个张量是否使用同一块存储。"""
    return p.untyped_storage().data_ptr() == q.untyped_storage().data_ptr()


base = torch.arange(12.0).reshape(3, 4)
operations = {
    "base.view(4, 3)": (base.view(4, 3), True),
    "base[1:, :2]（切片）": (base[1:, :2], True),
    "base.T（转置）": (base.T, True),
    "base.reshape(12)": (base.reshape(12), True),
    "base.T.reshape(12)": (base.T.reshape(12), False),
    "base.clone()": (base.clone(), False),
    "base + 1": (base + 1, False),
    "base[base > 5]（布尔索引）": (base[base > 5], False),
}
print("共享存储  操作")
for name, (result, expected) in operations.items():
    print(f"{shares_storage(base, result)!s:8s}  {name}")
    assert shares_storage(base, result) == expected, name
print("✅ 只有视图共享存储；reshape 在必须复制时会复制")

# %% [markdown]
# 共享存储的后果是：改一个，另一个跟着变。先看视图：

# %%
base = torch.zeros(2, 3)
row = base[0]          # 切片：视图
copy = base.clone()    # 独立的副本
row[1] = 7.0
print(base)
print(copy)
assert base[0, 1].item() == 7.0     # 改视图，原张量变了
assert copy[0, 1].item() == 0.0     # 副本不受影响
print("✅ 改视图会改到原张量，clone 得到的副本不受影响")

# %% [markdown]
# 再看与 NumPy 之间的转换。`torch.from_numpy` 和 `.numpy()` 共享内存；`torch.tensor(数组)` 则复制一份。

# %%
arr = np.zeros(3)
shared = torch.from_numpy(arr)     # 与 arr 共享内存
copied = torch.tensor(arr)         # 复制
shared[0] = 5.0                    # arr 跟着变
copied[1] = 9.0                    # arr 不变
print("改 shared 和 copied 之后，arr =", arr)
assert arr.tolist() == [5.0, 0.0, 0.0]

back = shared.numpy()              # 又一个与 arr 共享同一块内存的数组
back[2] = -1.0
print("改 back 之后，arr =", arr, " shared =", shared)
assert arr.tolist() == [5.0, 0.0, -1.0] and shared[2].item() == -1.0
print("✅ from_numpy 和 .numpy() 共享内存，torch.tensor 复制")

# %% [markdown]
# ## 10. 原地操作及其风险
#
# 名字以下划线结尾的方法（`add_`、`mul_`、`zero_`……）是**原地操作**（in-place operation）：直接改写张量自己的存储，不分配新内存。`x += 1` 也是原地操作，而 `x = x + 1` 不是：它创建新张量，再让名字 `x` 指向它。

# %%
x = torch.ones(3)
view_of_x = x[:2]

x.add_(1)              # 原地：x 的存储被改写
print("add_ 之后 x =", x, " view_of_x =", view_of_x)

x = x + 1              # 不是原地：x 指向一个新张量，view_of_x 还指向旧存储
print("x + 1 之后 x =", x, " view_of_x =", view_of_x)

assert view_of_x.tolist() == [2.0, 2.0]
assert x.tolist() == [3.0, 3.0, 3.0]
print("✅ 原地操作改到了视图，x = x + 1 没有")

# %% [markdown]
# 原地操作省内存，但有三个风险：
#
# 1. **悄悄改掉别处的数据**：如上所示，所有共享这块存储的视图（包括 `from_numpy` 的数组）都会变。函数里对参数做原地操作，还会改掉调用者的数据；
# 2. **不能改变数据类型**：结果必须写回原来的类型，整数张量原地加小数会报错；
# 3. **干扰自动求导**：设置了 `requires_grad=True` 的叶子节点（leaf tensor）不能原地修改（第 3 课会详细讲）。
#
# 后两种错误的真实报错如下：

# %%
try:
    torch.tensor([1, 2, 3]).add_(0.5)
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

w = torch.ones(3, requires_grad=True)
try:
    w.add_(1)
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# 除非确实需要省内存（并且清楚有哪些视图），否则优先写 `y = x + 1` 这种不修改原数据的形式。

# %% [markdown]
# ## 11. 取出一个 Python 数：`.item()`
#
# 只有一个元素的张量（例如损失值）可以用 `.item()` 变成普通的 Python 数，方便打印和记录。元素不止一个时要用 `.tolist()`；对它们调用 `.item()` 会报错。

# %%
loss = torch.tensor([0.25, 0.75]).mean()
value = loss.item()
print(type(value).__name__, value)
assert isinstance(value, float) and value == 0.5

try:
    torch.tensor([0.25, 0.75]).item()
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")
print(torch.tensor([0.25, 0.75]).tolist())

# %% [markdown]
# ## 12. 把张量放到设备上
#
# 用 `.to(env.device)` 把张量搬到本课开头选好的设备上（有 GPU 时是 `cuda` 或 `mps`，否则是 `cpu`）。要点：
#
# - 参与同一次运算的张量必须在同一个设备上，否则会报 `Expected all tensors to be on the same device` 错误；
# - 运算结果留在输入所在的设备上；
# - 转成 NumPy 之前要先用 `.cpu()` 回到 CPU，因为 NumPy 只能访问 CPU 内存；
# - 如果张量已经在目标设备上，`.to()` 直接返回它本身，不复制；否则复制一份到目标设备。

# %%
cpu_tensor = torch.arange(4.0)
on_device = cpu_tensor.to(env.device)
doubled = on_device * 2
result = doubled.cpu().numpy()
print(result)

assert doubled.device.type == env.device.type
assert (on_device is cpu_tensor) == (env.device.type == "cpu")
assert result.tolist() == [0.0, 2.0, 4.0, 6.0]
print("✅ 运算在所选设备上完成，结果回到 CPU 后转成了 NumPy")

# %% [markdown]
# ## 练习
#
# ### 练习 1
#
# 创建一个形状为 `(3, 4)`、数据类型为 `torch.float32` 的张量，元素按行依次是 0, 1, 2, …, 11，赋给 `answer`。

# %%
answer = None  # 把 None 换成你的答案
ex.check_1(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# answer = torch.arange(12, dtype=torch.float32).reshape(3, 4)
# ```
#
# `torch.arange(12)` 得到 0 到 11（不含 12），`dtype=torch.float32` 指定类型，`reshape(3, 4)` 排成 3 行 4 列。
#
# </details>

# %% [markdown]
# ### 练习 2
#
# 写函数 `center_rows(x)`：输入形状为 `(n, k)` 的浮点矩阵，返回一个**新**张量，其中每一行都减去了这一行的均值（于是每一行的均值变成 0）。不要修改传入的 `x`。
#
# 提示：想一想每行均值的形状，以及它要怎样和 `x` 广播。

# %%
def center_rows(x):
    # 在这里写你的代码
    return None


answer = center_rows
ex.check_2(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def center_rows(x):
#     return x - x.mean(dim=1, keepdim=True)
# ```
#
# `x.mean(dim=1, keepdim=True)` 的形状是 `(n, 1)`，广播后每一行减去自己的均值。少了 `keepdim=True`，均值的形状是 `(n,)`：`n ≠ k` 时报错，`n = k` 时更糟，不报错却减错了位置。
#
# </details>

# %% [markdown]
# ### 练习 3
#
# 写函数 `columns_flat(m)`：把矩阵 `m` **按列**展开成一维张量（先第 0 列，再第 1 列……）。例如 `[[0, 1, 2], [3, 4, 5]]` 展开成 `[0, 3, 1, 4, 2, 5]`。要求：
#
# - 返回的张量有自己的存储，修改它不会影响 `m`；
# - 不修改 `m`。
#
# 提示：检查器还会用形状为 `(3, 1)` 的矩阵测试你的函数。

# %%
def columns_flat(m):
    # 在这里写你的代码
    return None


answer = columns_flat
ex.check_3(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def columns_flat(m):
#     return m.T.reshape(-1).clone()
# ```
#
# 转置 `m.T` 让按行读出的顺序变成原矩阵按列的顺序；它不连续，所以不能用 `view`，要用 `reshape`。`reshape` 有时复制、有时返回视图：`m` 的形状是 `(3, 1)` 时，`m.T` 本身就是连续的，`reshape` 直接返回视图，结果会与 `m` 共享存储。最后的 `.clone()` 保证无论哪种情况都得到独立的副本。
#
# </details>

# %% [markdown]
# ## 小结
#
# - 张量是有形状、数据类型和设备的多维数组；模型通常用 `float32`，因为它省内存、在 GPU 上快、精度够用，NumPy 的 `float64` 数据要先转换；
# - 类型提升让整数与小数的运算得到浮点数（默认 `float32`），`/` 总是真除法；
# - `view` 只改变形状和步长、从不复制，所以对 `m.T` 这样不连续的张量会失败；`reshape` 必要时会复制；
# - 广播从右往左对齐形状，每一维要么相等、要么有一个是 1；归约时用 `dim` 指定方向，`keepdim=True` 便于再广播回去；
# - 只有视图和 `from_numpy`/`.numpy()` 共享存储，大多数操作分配新内存（原文“用共享内存存储张量”的说法不对）；原地操作会改到所有共享存储的张量，要谨慎使用；
# - `.item()` 取出单个数，`.to(env.device)` 把张量放到设备上，转 NumPy 前先 `.cpu()`。
