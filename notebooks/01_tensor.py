# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,mystnb,-all
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
# **导读**：在 PyTorch 里，送进模型的数据、模型的参数和模型的输出都是张量。张量就是一个多维数组：它有形状，有数据类型，放在某个设备上。这一课从创建张量讲起，依次介绍数据类型与类型提升、索引与切片、改变形状、拼接与堆叠、广播、归约（求和、求最大值及其位置），最后弄清楚一个常被讲错的问题：哪些操作与原张量共享内存，哪些操作会复制一份新的数据。大多数结论后面都有一个检查单元格，你可以亲手验证。
#
# **学习目标**
#
# - 会用多种方法创建张量，并读懂它的形状、数据类型和设备；
# - 掌握类型提升的规则（先比类别，再看操作数是有维度的张量、零维张量还是 Python 数），知道模型为什么通常使用 `float32`；
# - 会用索引、切片、`reshape`/`view`、`unsqueeze`/`squeeze`/`permute` 和 `cat`/`stack` 取数据、改形状、组合张量，知道 `view` 什么时候会失败；
# - 掌握广播规则和沿某一维的归约（`dim`、`keepdim`，以及 `max` 与 `argmax`）；
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
# 然后导入需要的库，并用 `lessons.setup(seed=0)` 设置随机种子、选择设备、配置中文字体。`expect_error` 用来演示故意写错的代码：代码报出所说的错误时，它打印错误的类型和第一行信息，然后继续运行；代码没有报错时，它反而报错，提醒你结果与课文所说的不符。

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

import lessons
from lessons.checking import expect_error
from lessons.exercises import tensor as ex

env = lessons.setup(seed=0)

# %% [markdown]
# ## 2. 什么是张量
#
# **张量**（tensor）是一个装着同一类型数字的多维数组。这听起来和 NumPy 的数组一样，张量多出的是两种能力：它可以放在 GPU 等设备上计算（第 14 节），还能记录在它上面做过的运算，供自动求导计算梯度（第 3 课介绍）。
#
# 维数不同，名字也不同：
#
# | 维数 `ndim` | 名称 | 例子 | 形状 `shape` |
# | --- | --- | --- | --- |
# | 0 | **标量**（scalar） | 一个损失值 | `()` |
# | 1 | **向量**（vector） | 一个样本的 3 个特征 | `(3,)` |
# | 2 | **矩阵**（matrix） | 4 个样本、每个 3 个特征 | `(4, 3)` |
# | 3 | 三维张量 | 一张 RGB 图片：3 个通道、每个 2×2 像素 | `(3, 2, 2)` |
#
# 表中的**形状**（shape）是每一维的长度组成的元组。张量里的元素都是同一种类型，这个类型叫**数据类型**（data type，`dtype`），第 4 节细讲。
#
# 用 `torch.tensor` 可以把 Python 的数字或（嵌套的）列表变成张量。

# %%
scalar = torch.tensor(3.5)
vector = torch.tensor([1.0, 2.0, 3.0])
matrix = torch.tensor([[1, 2, 3], [4, 5, 6]])
image = torch.zeros(3, 2, 2)

for name, t in [("scalar", scalar), ("vector", vector), ("matrix", matrix), ("image", image)]:
    print(f"{name:7s} ndim={t.ndim}  shape={tuple(t.shape)}  numel={t.numel()}")

# %% [markdown]
# 注意：维数 `ndim` 等于形状里数字的个数，元素总数 `numel()` 等于形状里各数的乘积；标量的形状是空的 `()`，元素个数是 1。标量也叫零维张量，下面讲类型提升时会用到这个说法。
#
# “维”这个字有两种用法，不要混淆。数学里说“3 维向量”，指的是它有 3 个元素；在 PyTorch 里，这个向量的形状是 `(3,)`，维数 `ndim` 是 1。本课程说“维数”时，都是指 `ndim`。

# %%
assert scalar.ndim == 0 and scalar.shape == (), "请从第 2 节开头重新运行"
assert matrix.shape == (2, 3) and image.ndim == 3, "请从第 2 节开头重新运行"
assert image.numel() == 3 * 2 * 2 and scalar.numel() == 1, "请从第 2 节开头重新运行"
assert vector.numel() == 3 and vector.ndim == 1, "请从第 2 节开头重新运行"
print("✅ 维数是形状的长度，元素个数是形状中各数的乘积；“3 维向量”的 ndim 是 1")

# %% [markdown]
# 同样的信息还有几种写法，在别人的代码里经常见到：`x.size()` 与 `x.shape` 相同，`x.size(1)` 是第 1 维的长度；`x.dim()` 与 `x.ndim` 相同；`len(x)` 是第 0 维的长度。零维张量没有第 0 维，对它调用 `len` 会报错。

# %%
print("matrix.size() =", matrix.size(), " matrix.size(1) =", matrix.size(1))
print("matrix.dim()  =", matrix.dim(), " len(matrix) =", len(matrix))
with expect_error(TypeError):
    len(scalar)

# %%
assert matrix.size() == matrix.shape and matrix.size(1) == matrix.shape[1] == 3, "请从第 2 节开头重新运行"
assert matrix.dim() == matrix.ndim == 2 and image.dim() == image.ndim == 3, "请从第 2 节开头重新运行"
assert len(matrix) == matrix.shape[0] == 2 and len(image) == 3, "请从第 2 节开头重新运行"
print("✅ size() 就是 shape，dim() 就是 ndim，len 给出第 0 维的长度")

# %% [markdown]
# ## 3. 创建张量
#
# 除了从列表创建，更常用的是下面这些函数，直接给出形状或取值范围：
#
# | 函数 | 得到什么 |
# | --- | --- |
# | `torch.zeros(2, 3)`、`torch.ones(2, 3)` | 全 0、全 1 的张量，形状 `(2, 3)` |
# | `torch.arange(start, end, step)` | 从 `start` 开始、每次增加 `step` 的等差数列，**不含** `end`（参数中有小数时可能例外，见下文） |
# | `torch.linspace(start, end, steps)` | 从 `start` 到 `end` 均匀取 `steps` 个点，**包含**两端 |
# | `torch.rand(2, 3)`、`torch.randn(2, 3)` | $[0, 1)$ 上的均匀分布、标准正态分布的随机数 |
# | `torch.zeros_like(x)`、`torch.ones_like(x)` | 与 `x` 形状、数据类型、设备都相同的全 0、全 1 张量 |

# %%
print(torch.zeros(2, 3))
print(torch.ones(2, 3))
print(torch.arange(0, 10, 3))
print(torch.linspace(0, 1, 5))
print(torch.ones_like(torch.tensor([[7, 8, 9]])))

# %% [markdown]
# 看输出：`arange(0, 10, 3)` 停在 9，不含终点 10；`linspace(0, 1, 5)` 的首尾正好是 0 和 1；`ones_like` 照着整数矩阵 `[[7, 8, 9]]` 的样子，得到形状 `(1, 3)` 的整数 1（没有小数点）。

# %%
assert torch.arange(0, 10, 3).tolist() == [0, 3, 6, 9]
assert torch.linspace(0, 1, 5)[0] == 0 and torch.linspace(0, 1, 5)[-1] == 1
template = torch.tensor([[7, 8, 9]])
assert torch.ones_like(template).shape == template.shape and torch.ones_like(template).dtype == template.dtype
print("✅ arange 不含终点，linspace 包含两端，ones_like 沿用模板的形状和数据类型")

# %% [markdown]
# `start`、`end`、`step` 中有小数时，`arange` 可能把终点也算进去。它先按 $\lceil (\text{end} - \text{start}) / \text{step} \rceil$ 算出元素个数，而浮点数有舍入误差：`torch.arange(1, 1.3, 0.1)` 中，$(1.3 - 1) / 0.1$ 算出来是 3.0000000000000004，向上取整得 4，于是结果里出现了约等于 1.3 的第 4 个数（PyTorch 文档的 `torch.arange` 一页也提醒了这一点）。`step` 是整数也一样，例如 `torch.arange(1.2, 2.2, 1)` 得到 `[1.2, 2.2]`：$2.2 - 1.2$ 算出来是 1.0000000000000002，向上取整得 2。所以参数中有小数时，要包含两端就用 `linspace`；要不含终点，就用整数的 `arange` 再乘以间隔 `step`，例如 `torch.arange(3) * 0.1 + 1`。

# %%
print(torch.arange(1, 1.3, 0.1))
print(torch.arange(1.2, 2.2, 1))
print(torch.arange(3) * 0.1 + 1)
assert len(torch.arange(1, 1.3, 0.1)) == 4 and abs(torch.arange(1, 1.3, 0.1)[-1].item() - 1.3) < 1e-6
assert len(torch.arange(1.2, 2.2, 1)) == 2, "arange(1.2, 2.2, 1) 应该把终点 2.2 也算进去：重新运行这个单元格"
assert len(torch.arange(3) * 0.1 + 1) == 3
print("✅ 参数中有小数的 arange 多出了终点（1.3、2.2）；整数 arange 乘以 step 得到 3 个数")

# %% [markdown]
# 随机数由随机种子决定。`lessons.setup` 用 `torch.manual_seed` 给全局的随机数生成器设定种子；也可以自己创建一个 `torch.Generator`，设定种子后传给随机函数。这个生成器只在传给它的函数里使用，不受其他代码抽取随机数的影响。和第 0 课讲的一样，它每抽取一次就往前走一步，所以接着抽出的数与前一次不同；用同一个种子新建（或重新设种子）的生成器，在同一环境中总是给出同一组数，实验因此可以复现。

# %%
g = torch.Generator().manual_seed(0)
first = torch.randn(2, 3, generator=g)
next_draw = torch.randn(2, 3, generator=g)    # 同一个生成器接着抽：往前走了一步
g = torch.Generator().manual_seed(0)          # 用同一个种子重新开始
second = torch.randn(2, 3, generator=g)
print(first)
assert torch.equal(first, second), "两个生成器用了同一个种子，结果却不同：重新运行这个单元格"
assert not torch.equal(first, next_draw), "生成器接着抽取，却得到了同一组数：重新运行这个单元格"
print("✅ 同一个种子，同一组随机数；不重设种子接着抽，得到的是下一组")

# %% [markdown]
# ## 4. 形状、数据类型和设备
#
# 每个张量都有三个最常查看的属性：形状、数据类型和设备（张量存放在 CPU 还是 GPU 上，第 0 课介绍过）。

# %%
x = torch.tensor([[1, 2, 3], [4, 5, 6]])
print("形状    ", x.shape)
print("数据类型", x.dtype)
print("设备    ", x.device)

# %% [markdown]
# `torch.tensor` 根据列表里的数决定数据类型：全是 Python 整数时是 `torch.int64`；只要有一个 Python 浮点数（如 `2.0`、`1e-3`），就是默认的浮点类型 `torch.get_default_dtype()`，它默认是 `torch.float32`；全是 `True`/`False` 时是 `torch.bool`。不另外设置时，新建的张量放在 CPU 上（第 14 节讲怎样搬到 GPU）。

# %%
assert torch.tensor([1, 2]).dtype == torch.int64
assert torch.tensor([1, 2.0]).dtype == torch.get_default_dtype() == torch.float32
assert torch.tensor([1, 1e-3]).dtype == torch.float32
assert torch.tensor([True, False]).dtype == torch.bool
assert x.device.type == "cpu", "请从第 4 节开头重新运行"
print("✅ 整数默认 int64，浮点数默认 float32，布尔值是 bool，新张量在 CPU 上")

# %% [markdown]
# ### 4.1 类型提升
#
# 数据类型不同的操作数一起运算时（例如 `+`、`*`、`torch.add`），PyTorch 按固定的规则决定结果的数据类型，这叫**类型提升**（type promotion）。规则分两步（PyTorch 文档“Tensor Attributes”一页的 Type Promotion 一节）：
#
# 1. **先比类别。** 数据类型分成四个类别，从低到高是：布尔 < 整数 < 浮点 < 复数。结果属于操作数中最高的类别。
# 2. **再定具体类型。** 操作数分三档，优先级从高到低是：有维度的张量（`ndim ≥ 1`）、零维张量、Python 数。在属于最高类别的操作数中，只由优先级最高的那一档决定结果的具体类型：取能容纳这一档各个类型的最小类型。Python 的浮点数按默认浮点类型（`float32`）算，Python 的整数按 `int64` 算。（Python 的复数另有细节，本课程用不到复数，这里不展开。）
#
# 规则只看类型和维数，不看数值。下面每一行都是一次运算的结果类型：

# %%
ints = torch.tensor([1, 2, 3])                                  # int64，有维度
halves = torch.tensor([0.5, 0.5, 0.5], dtype=torch.float16)     # float16，有维度
floats = torch.tensor([0.5, 0.5, 0.5])                          # float32，有维度
double_0d = torch.tensor(0.5, dtype=torch.float64)              # float64，零维
double_1d = torch.tensor([0.5], dtype=torch.float64)            # float64，形状 (1,)

cases = {
    "int64 + float16": ints + halves,
    "int64 + 0.5（Python 浮点数）": ints + 0.5,
    "int64 / int64": ints / ints,
    "int64 // int64": ints // ints,
    "float32 (3,) + float64 零维": floats + double_0d,
    "float32 (3,) + float64 (1,)": floats + double_1d,
    "int64 (3,) + float64 零维": ints + double_0d,
}
for name, result in cases.items():
    print(f"{name} → {result.dtype}")

# %% [markdown]
# 逐行对照规则：
#
# - `int64 + float16` 得到 `float16`：浮点类别高于整数，而有维度的浮点操作数只有 `float16`。`int64` 占 8 字节、比 `float16` 宽，但类别低，不参与决定宽度；
# - `int64 + 0.5` 得到 `float32`：浮点类别的操作数只有 Python 数 0.5，它按默认浮点类型算；
# - `/` 是真除法，两个整数张量相除也得到默认浮点类型；`//` 是向下取整的除法，整数相除仍得整数；
# - `float32 (3,) + float64 零维` 得到 `float32`：两者都是浮点，有维度的 `float32` 优先于零维的 `float64`。把零维张量换成形状 `(1,)` 的张量，它就有了维度，结果变成 `float64`；
# - `int64 (3,) + float64 零维` 得到 `float64`：零维张量的类别更高，于是由它决定具体类型。

# %%
assert (ints + halves).dtype == torch.float16, "请从第 4.1 节开头重新运行"
assert (ints + 0.5).dtype == torch.float32, "请从第 4.1 节开头重新运行"
assert (ints / ints).dtype == torch.float32 and (ints // ints).dtype == torch.int64, "请从第 4.1 节开头重新运行"
assert (floats + double_0d).dtype == torch.float32, "请从第 4.1 节开头重新运行"
assert (floats + double_1d).dtype == torch.float64, "请从第 4.1 节开头重新运行"
assert (ints + double_0d).dtype == torch.float64, "请从第 4.1 节开头重新运行"
print("✅ 类型提升的结果与上面所说一致")

# %% [markdown]
# 不做运算也能查出结果类型：`torch.result_type(a, b)` 按上面的全部规则计算，会考虑操作数是不是零维张量或 Python 数；`torch.promote_types(t1, t2)` 只比较两个数据类型，不知道操作数的维数。

# %%
print("result_type(float32 (3,), float64 零维) →", torch.result_type(floats, double_0d))
print("promote_types(float32, float64)        →", torch.promote_types(torch.float32, torch.float64))
print("promote_types(int64, float16)          →", torch.promote_types(torch.int64, torch.float16))
print("result_type(int64 (3,), 2.5)           →", torch.result_type(ints, 2.5))

# %%
assert torch.result_type(floats, double_0d) == (floats + double_0d).dtype == torch.float32, "请从第 4.1 节开头重新运行"
assert torch.promote_types(torch.float32, torch.float64) == torch.float64
assert torch.promote_types(torch.int64, torch.float16) == torch.float16
assert torch.result_type(ints, 2.5) == torch.float32, "请从第 4.1 节开头重新运行"
print("✅ result_type 考虑维数，promote_types 只看数据类型")

# %% [markdown]
# **常见错误**：规则不看数值，所以整数张量加上一个很大的 Python 整数，结果仍是张量原来的整数类型。`int8` 只能表示 −128 到 127，装不下的结果会**溢出**（overflow）：

# %%
small = torch.tensor([100, 27, -128], dtype=torch.int8)
info = torch.iinfo(torch.int8)
print("int8 的范围：", info.min, "到", info.max)
print("结果类型：  ", torch.result_type(small, 1000))
print("small + 1000 =", small + 1000)

# %% [markdown]
# 1000 与 `int8` 张量同属整数类别，而 Python 数的优先级最低，所以结果仍是 `int8`。真实的和 1100、1027、872 都超出了范围，这里得到的是按 256 取模“绕回” −128～127 之后的值，例如 $1100 - 4 \times 256 = 76$。整数运算的结果溢出时，PyTorch 不检查：不报错，也不警告。（报错的是另一种情况：有些操作会先检查 Python 数本身能不能装进张量的整数类型，装不下就报错，例如用它创建整数张量 `torch.tensor(1000, dtype=torch.int8)`、用它填充或赋值 `x.fill_(1000)`、`x[0] = 1000`；见下面的单元格。哪些操作做这项检查，不同版本的 PyTorch 并不完全相同。）需要更大的范围时，先转换类型再运算。

# %%
wrapped = small + 1000
assert wrapped.dtype == torch.int8
assert wrapped.tolist() == [76, 3, 104]
assert wrapped.tolist() == [(v + 1000 + 128) % 256 - 128 for v in small.tolist()], "请从第 4.1 节开头重新运行"
widened = small.to(torch.int64) + 1000
print("先转成 int64：", widened)
assert widened.tolist() == [1100, 1027, 872]
with expect_error(RuntimeError):
    torch.tensor(1000, dtype=torch.int8)   # 创建时就装不下：这里会报错
with expect_error(RuntimeError):
    small.clone().fill_(1000)              # 填充时装不下：也报错
with expect_error(RuntimeError):
    small.clone()[0] = 1000                # 索引赋值装不下：也报错
print("✅ int8 + 1000 仍是 int8，结果按 256 取模绕回，不报错；先转成 int64 就得到真实的和；"
      "用装不下的数创建、填充 int8 张量或给它赋值则会报错")

# %% [markdown]
# ### 4.2 模型为什么用 `float32`
#
# 神经网络的参数默认是 `float32`（单精度，每个数 4 字节），而不是 `float64`（双精度，8 字节）。原因有三：
#
# 1. 内存减半：参数、梯度、中间结果都少占一半；
# 2. 速度快：常见消费级显卡的 `float64` 峰值算力只有 `float32` 的几十分之一（数据中心显卡如 A100 约为二分之一），CPU 上 `float32` 一般也更快；
# 3. 精度通常够用：`float32` 有 24 位二进制有效数字，约合 7 位十进制有效数字。对大多数深度学习任务，这点舍入误差远小于数据本身的噪声。
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
# **常见错误**：NumPy 的浮点数组默认是 `float64`（例如 `np.ones`、`np.random.rand` 的结果），`torch.from_numpy` 转换后仍是 `float64`。把它直接交给参数是 `float32` 的层，会报错：

# %%
layer = torch.nn.Linear(2, 1)          # 一个全连接层（第 4 课介绍），参数是 float32
features = np.ones((4, 2))             # NumPy 数组，默认 float64
with expect_error(RuntimeError):
    layer(torch.from_numpy(features))

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
# **索引**（indexing）按位置取出元素或其中一部分，**切片**（slicing）取出一段范围，写法与 Python 列表、NumPy 数组基本相同：`start:end:step`，不含 `end`；负数下标从末尾数起。下面用一个 3 行 4 列的矩阵演示。

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
assert t[:, 1].shape == (3,) and t[:, 1:2].shape == (3, 1), "请从第 5 节开头重新运行"
assert t[1, 2].item() == 6, "请从第 5 节开头重新运行"
print("✅ 整数索引去掉一维，切片保留这一维")

# %% [markdown]
# 与 NumPy 的一个区别：PyTorch 切片中的间隔 `step` 必须是正数，`t[::-1]` 会报错。要把顺序倒过来，用 `torch.flip`：

# %%
with expect_error(ValueError):
    t[::-1]
print(t.flip(0))   # 沿第 0 维倒序：最后一行变成第一行

# %% [markdown]
# 只由整数、切片、`None` 和 `...`（省略号）组成的索引叫**基本索引**（basic indexing），结果是原张量的**视图**（view）：它与原张量共用同一块**存储**（storage），也就是存放元素的那块内存（第 6 节细讲，第 11 节验证）。索引中含有整数列表、（一维及以上的）整数张量或布尔张量时，叫**高级索引**（advanced indexing），结果是复制出来的**副本**（copy），即拥有自己存储的新张量。例如用整数列表挑出指定的行，或挑出指定坐标上的元素：

# %%
print(t[[0, 2]])            # 第 0 行和第 2 行
print(t[[0, 2], [1, 3]])    # 坐标 (0, 1) 和 (2, 3) 上的两个元素
assert t[[0, 2]].shape == (2, 4), "请从第 5 节开头重新运行"
assert t[[0, 2], [1, 3]].tolist() == [1, 11], "请从第 5 节开头重新运行"
print("✅ 整数列表挑出了指定的行和元素")

# %% [markdown]
# 注意一个例外：零维的整数张量（例如第 10.1 节 `argmax()` 的结果）当作普通整数处理，`t[i]` 仍是基本索引，得到视图（uint8 除外：PyTorch 把 uint8 张量当作掩码，这种用法已不建议；作下标的整数张量请用 int64）。形状为 `(1,)` 的整数张量则是高级索引，得到副本，而且保留了那一维。下面比较结果与 `t` 是否用同一块存储（比较存储的起始地址，第 11 节细讲）：

# %%
i = torch.tensor([5, 9, 7]).argmax()     # 零维的整数张量 tensor(1)
one_d = torch.tensor([1])                # 形状 (1,) 的整数张量
for name, picked_rows in [("t[i]", t[i]), ("t[one_d]", t[one_d])]:
    shared = picked_rows.untyped_storage().data_ptr() == t.untyped_storage().data_ptr()
    print(f"{name:9s} 形状 {tuple(picked_rows.shape)}  与 t 共享存储：{shared}")

# %%
assert i.ndim == 0 and t[i].shape == (4,) and t[one_d].shape == (1, 4), "请从第 5 节开头重新运行"
assert t[i].untyped_storage().data_ptr() == t.untyped_storage().data_ptr(), "请从第 5 节开头重新运行"
assert t[one_d].untyped_storage().data_ptr() != t.untyped_storage().data_ptr(), "请从第 5 节开头重新运行"
assert t[torch.tensor(1, dtype=torch.uint8)].shape == (1, 3, 4), "零维 uint8 张量应被当作掩码（结果多出一维）：请从第 5 节开头重新运行"
print("✅ 零维整数张量像整数一样得到视图；一维整数张量是高级索引，得到副本")

# %% [markdown]
# 比较运算（如 `==`、`!=`、大于、小于）逐个元素比较，得到**布尔张量**（boolean tensor）：张量与一个数比较时，结果与张量形状相同，例如下面的 `t % 2 == 0`；两个形状不同的张量比较时，按第 9 节的广播规则得到结果的形状（运算符在第 2 课细讲）。布尔张量可以当作**掩码**（mask）：`t[mask]` 取出掩码为 `True` 的位置。结果的形状取决于掩码覆盖了几维。掩码的形状必须与 `t` 的前 $k$ 维相同，结果的形状是 `(True 的个数, *t.shape[k:])`：
#
# - 掩码与 `t` 形状相同时（$k$ 等于 `t` 的维数），结果是一维的，按行依次列出被选中的元素；
# - 掩码只对应前面几维时，它选中的是整行（或整块），后面的维原样保留。例如长度为 3 的一维掩码作用在形状 `(3, 4)` 的 `t` 上，结果的形状是 `(选中的行数, 4)`。

# %%
mask = t % 2 == 0                                # 形状 (3, 4)，与 t 相同
print(t[mask])
row_mask = torch.tensor([True, False, True])     # 形状 (3,)，只对应第 0 维
print(t[row_mask])
print("t[row_mask] 的形状：", tuple(t[row_mask].shape))

# %%
assert t[mask].tolist() == [0, 2, 4, 6, 8, 10] and t[mask].ndim == 1, "请从第 5 节开头重新运行"
assert t[row_mask].shape == (2, 4) and torch.equal(t[row_mask], t[[0, 2]]), "请从第 5 节开头重新运行"
assert mask.shape == t.shape and (torch.zeros(3, 1) == torch.zeros(4)).shape == (3, 4)
print("✅ 与一个数比较得到同形状的掩码，形状 (3, 1) 与 (4,) 比较按广播得到 (3, 4)；"
      "掩码与张量同形状时结果是一维的；只对应第 0 维时选出整行")

# %% [markdown]
# 索引还可以写在赋值号左边，把值写进张量：`board[0, :] = 0` 把一整行改成 0，`board[mask] = -1` 把布尔掩码 `mask` 选中的元素都改成 −1（下面的掩码是 `board` 中大于 8 的位置），`board[1, 2] = 99` 改一个元素。这样的赋值直接改写原张量的存储，是原地操作（第 12 节）。
#
# 要分清读和写：高级索引**读取**时得到一份副本，改这份副本不影响原张量；同样的高级索引写在赋值号**左边**时，改的却是原张量本身。

# %%
board = torch.arange(12).reshape(3, 4)
board[0, :] = 0              # 切片赋值：第 0 行全部改成 0
board[board > 8] = -1        # 布尔掩码赋值：大于 8 的元素改成 -1
board[1, 2] = 99             # 改一个元素
print(board)

picked = board[[2]]          # 高级索引读取：得到副本
picked[0, 0] = 123           # 只改了副本
print("改副本之后 board[2, 0] =", board[2, 0].item())

# %%
assert board.tolist() == [[0, 0, 0, 0], [4, 5, 99, 7], [8, -1, -1, -1]], "请从第 5 节的这个单元格开始重新运行"
assert board[2, 0].item() == 8 and picked[0, 0].item() == 123, "请从第 5 节的这个单元格开始重新运行"
print("✅ 索引赋值直接改原张量；高级索引读取得到的副本与原张量无关")

# %% [markdown]
# ## 6. 改变形状：`reshape` 与 `view`
#
# `reshape` 和 `view` 都能在元素总数不变的前提下改变形状。某一维写成 `-1`，表示让 PyTorch 根据元素总数自己算出来。

# %%
flat = torch.arange(12)
print(flat.view(3, 4))
print(flat.reshape(2, -1).shape)   # -1 被算成 6

# %% [markdown]
# 两者的区别在于**连续性**（contiguity）。张量的元素在存储中排成一行，**步长**（stride）告诉 PyTorch：沿某一维前进一步，要在存储里跳过几个元素。形状 `(3, 4)` 的矩阵步长是 `(4, 1)`：换一行跳 4 个，换一列跳 1 个。元素按行依次、紧挨着存放的张量叫“连续的”。
#
# 转置 `m.T` 并不搬动数据，只是把步长换成 `(1, 4)`。它和 `m` 用的是同一块存储，但按行读出的顺序不再是元素在存储中的顺序，所以它**不连续**。

# %%
m = torch.arange(12).reshape(3, 4)
print("m   形状", tuple(m.shape), "步长", m.stride(), "连续：", m.is_contiguous())
print("m.T 形状", tuple(m.T.shape), "步长", m.T.stride(), "连续：", m.T.is_contiguous())

# %%
assert m.stride() == (4, 1) and m.T.stride() == (1, 4), "请从第 6 节开头重新运行"
assert m.is_contiguous() and not m.T.is_contiguous(), "请从第 6 节开头重新运行"
print("✅ 转置只交换了步长，结果不连续")

# %% [markdown]
# `view` 从不复制数据，它返回原张量的一个视图：与原张量共用同一块存储，只换一套形状和步长。因此新形状必须与现有的步长兼容：新形状的每一维，要么落在原来的某一维之内（把它拆开），要么跨过几个相邻的维（把它们合并，或合并后再重新拆分），而被跨过的这几维必须满足“前一维的步长 = 后一维的步长 × 后一维的长度”。连续的张量总满足这个条件，所以可以 `view` 成任何元素个数相同的形状。
#
# 对 `m.T`（形状 `(4, 3)`，步长 `(1, 4)`）来说，`view(2, 2, 3)` 只是把长度为 4 的第 0 维拆成 2 × 2，可以做到；`view(12)` 要把两维合并成一维，而 $1 \ne 4 \times 3$，做不到，于是报错。连续的 `m`（形状 `(3, 4)`，步长 `(4, 1)`）满足 $4 = 1 \times 4$，所以 `m.view(2, 6)` 可以先把两维合并，再重新拆成 2 × 6：

# %%
split = m.T.view(2, 2, 3)      # 只拆分第 0 维：与步长兼容
print("m.T.view(2, 2, 3)：形状", tuple(split.shape), "步长", split.stride())
with expect_error(RuntimeError):
    m.T.view(12)               # 合并两维：与步长不兼容
regrouped = m.view(2, 6)       # m 连续：合并两维后再拆成 2 × 6
print("m.view(2, 6)：形状", tuple(regrouped.shape), "步长", regrouped.stride())

# %%
assert split.stride() == (2, 1, 4), "请从第 6 节开头重新运行"
assert split.untyped_storage().data_ptr() == m.untyped_storage().data_ptr(), "请从第 6 节开头重新运行"
assert torch.equal(split, m.T.reshape(2, 2, 3)), "请从第 6 节开头重新运行"
assert regrouped.stride() == (6, 1) and regrouped.untyped_storage().data_ptr() == m.untyped_storage().data_ptr(), "请从第 6 节开头重新运行"
print("✅ 不连续的张量也能 view，只要新形状与步长兼容；连续的张量可以 view 成任何元素个数相同的形状")

# %% [markdown]
# 报错信息已经给出了修复方法：改用 `reshape`。`reshape` 在新形状与步长兼容时返回视图，否则复制一份（PyTorch 文档提醒：不要依赖它到底是复制还是返回视图）。另一种写法是先调用 `.contiguous()` 再 `view`：对不连续的张量，`.contiguous()` 复制出一份连续的副本；对本来就连续的张量，它直接返回原张量。

# %%
fixed_1 = m.T.reshape(12)
fixed_2 = m.T.contiguous().view(12)
print(fixed_1)
assert torch.equal(fixed_1, fixed_2)
assert fixed_1.tolist() == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]
print("✅ reshape 和 contiguous().view 都能按转置后的顺序展平")

# %% [markdown]
# 另一种常见错误是元素总数对不上，这时 `view` 和 `reshape` 都会报错，报错信息相同（6 个元素排不成 4 个）：

# %%
with expect_error(RuntimeError):
    torch.zeros(2, 3).view(4)
with expect_error(RuntimeError):
    torch.zeros(2, 3).reshape(4)

# %% [markdown]
# ## 7. 增减维度与调换维度的顺序
#
# 很多运算对形状有要求，例如第 9 节的广播常常需要一个长度为 1 的维。下面三个方法都返回视图，不复制数据：
#
# - `x.unsqueeze(d)` 在位置 `d` 插入一个长度为 1 的维；
# - `x.squeeze(d)` 去掉第 `d` 维，前提是它的长度为 1，长度不是 1 时形状不变，也不报错；不写 `d` 时，去掉**所有**长度为 1 的维；
# - `x.permute(...)` 按给定的顺序重新排列各维，例如把图片从 `(通道, 高, 宽)` 变成 `(高, 宽, 通道)`。二维张量的 `.T` 就是 `permute(1, 0)`。

# %%
v = torch.tensor([1.0, 2.0, 3.0])            # 形状 (3,)
print("v.unsqueeze(0)", tuple(v.unsqueeze(0).shape))     # 一行
print("v.unsqueeze(1)", tuple(v.unsqueeze(1).shape))     # 一列
padded = torch.zeros(1, 3, 1)
print("squeeze()     ", tuple(padded.squeeze().shape))
print("squeeze(0)    ", tuple(padded.squeeze(0).shape))
print("squeeze(1)    ", tuple(padded.squeeze(1).shape))  # 第 1 维长度为 3：形状不变（返回的仍是新的视图）
img = torch.arange(24).reshape(2, 3, 4)      # (通道, 高, 宽)
hwc = img.permute(1, 2, 0)                   # (高, 宽, 通道)
print("permute(1, 2, 0)", tuple(hwc.shape), "步长", hwc.stride(), "连续：", hwc.is_contiguous())

# %%
assert v.unsqueeze(0).shape == (1, 3) and v.unsqueeze(1).shape == (3, 1), "请从第 7 节开头重新运行"
assert padded.squeeze().shape == (3,) and padded.squeeze(0).shape == (3, 1), "请从第 7 节开头重新运行"
assert padded.squeeze(1).shape == (1, 3, 1) and padded.squeeze(1) is not padded, "请从第 7 节开头重新运行"
assert hwc.shape == (3, 4, 2) and hwc[1, 2, 0] == img[0, 1, 2], "请从第 7 节开头重新运行"
assert hwc.untyped_storage().data_ptr() == img.untyped_storage().data_ptr(), "请从第 7 节开头重新运行"
assert not hwc.is_contiguous() and torch.equal(m.T, m.permute(1, 0)), "请从第 7 节开头重新运行"
print("✅ unsqueeze 加一维、squeeze 去掉长度为 1 的维、permute 调换顺序，都不复制数据")

# %% [markdown]
# **常见错误**：不写维度的 `squeeze()` 会去掉所有长度为 1 的维。模型一次处理一批样本，每个样本给出一个预测值时，预测结果的形状通常是 `(样本个数, 1)`：每个样本一行，每行一个数。一批恰好只有 1 个样本时，形状是 `(1, 1)`，`squeeze()` 连表示样本的那一维也去掉了。所以要写明去掉哪一维：

# %%
preds = torch.zeros(1, 1)         # 一批只有 1 个样本的预测
print("squeeze() ", tuple(preds.squeeze().shape))     # ()：样本那一维也没了
print("squeeze(1)", tuple(preds.squeeze(1).shape))    # (1,)：只去掉最后一维
assert preds.squeeze().shape == () and preds.squeeze(1).shape == (1,)

# %% [markdown]
# ## 8. 拼接与堆叠：`cat` 与 `stack`
#
# 把几个张量合成一个，有两种方式：
#
# - **拼接**（concatenation）：`torch.cat(张量列表, dim=d)` 沿已有的第 `d` 维首尾相接，维数不变。除第 `d` 维以外，各张量的形状必须相同（文档另外允许形状为 `(0,)` 的一维空张量混在其中）；
# - **堆叠**（stacking）：`torch.stack(张量列表, dim=d)` 在位置 `d` 新增一维，再沿这一维排列，维数加 1。各张量的形状必须完全相同。
#
# 两者都分配新的内存，把数据复制过去。

# %%
top = torch.zeros(2, 3)
bottom = torch.ones(2, 3)
print("cat(dim=0)  ", tuple(torch.cat([top, bottom], dim=0).shape))
print("cat(dim=1)  ", tuple(torch.cat([top, bottom], dim=1).shape))
print("stack(dim=0)", tuple(torch.stack([top, bottom], dim=0).shape))
print("stack(dim=2)", tuple(torch.stack([top, bottom], dim=2).shape))

# %% [markdown]
# `stack` 等于先给每个张量 `unsqueeze(d)`，再沿第 `d` 维 `cat`：

# %%
assert torch.cat([top, bottom]).shape == (4, 3) and torch.cat([top, bottom], dim=1).shape == (2, 6), "请从第 8 节开头重新运行"
assert torch.stack([top, bottom]).shape == (2, 2, 3) and torch.stack([top, bottom], dim=2).shape == (2, 3, 2), "请从第 8 节开头重新运行"
for d in range(3):
    assert torch.equal(torch.stack([top, bottom], dim=d), torch.cat([top.unsqueeze(d), bottom.unsqueeze(d)], dim=d)), "请从第 8 节开头重新运行"
print("✅ cat 沿已有的维相接；stack 新增一维，等于先 unsqueeze 再 cat")

# %% [markdown]
# 后面几课有两种常见用法。把几个零维张量合成一个向量，最直接的是 `stack`；`cat` 做不到，因为零维张量没有可以拼接的维。给特征矩阵右边添一列 1，用 `cat(..., dim=1)`：

# %%
print(torch.stack([torch.tensor(1.0), torch.tensor(2.0)]))
with expect_error(RuntimeError):
    torch.cat([torch.tensor(1.0), torch.tensor(2.0)])

column = torch.tensor([[0.5], [1.5], [2.5]])                  # 形状 (3, 1)
with_ones = torch.cat([column, torch.ones_like(column)], dim=1)  # 形状 (3, 2)
print(with_ones)
assert with_ones.shape == (3, 2) and with_ones[:, 1].tolist() == [1.0, 1.0, 1.0]

# %% [markdown]
# **常见错误**：拼接的方向选错，其余维的长度对不上，就会报错。下面两个矩阵的列数不同，不能上下拼接，只能左右拼接：

# %%
left, right = torch.zeros(2, 3), torch.zeros(2, 4)
with expect_error(RuntimeError):
    torch.cat([left, right], dim=0)
print("dim=1：", tuple(torch.cat([left, right], dim=1).shape))

# %% [markdown]
# ## 9. 广播
#
# 形状不同的两个张量做**逐元素运算**（element-wise operation）时，PyTorch 会按**广播**（broadcasting）规则把它们“扩展”成相同的形状。规则有三条：
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
# 下图画出了这个过程：实线格子是真实存在的数据，虚线格子是广播时“想象中”复制出来的部分。画图的代码在 `lessons.plotting.plot_broadcast` 里，可以换成别的形状试试：例如把下面单元格的第一行换成 `lessons.plotting.plot_broadcast(torch.zeros(3, 4), torch.arange(4))`（保留下一行的 `plt.show()`）。

# %% mystnb={"image": {"alt": "广播示意图：形状 (3, 1) 的 a（0、10、20）向右复制成 4 列，形状 (1, 4) 的 b（0 到 3）向下复制成 3 行，虚线格是想象中的副本；a + b 的形状是 (3, 4)，值从 0 到 23。"}}
lessons.plotting.plot_broadcast(a, b)
plt.show()

# %% [markdown]
# 虚线格子只是帮助理解：广播时 PyTorch 并不真的把 `a` 复制成 4 列。`a.expand(3, 4)` 做的正是广播中的扩展，它得到的是一个视图，第 1 维（列）的步长是 0，四列读的都是存储里的同一个数。

# %%
print("a.expand(3, 4) 的步长：", a.expand(3, 4).stride())
assert a.expand(3, 4).stride()[1] == 0, "请从第 9 节开头重新运行"
assert a.expand(3, 4).untyped_storage().data_ptr() == a.untyped_storage().data_ptr(), "请从第 9 节开头重新运行"
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
with expect_error(RuntimeError):
    scores + row_bonus

# %% [markdown]
# 修复：把向量变成形状 `(3, 1)` 的列，写法有 `row_bonus.unsqueeze(1)`（第 7 节）、`row_bonus[:, None]` 或 `row_bonus.reshape(3, 1)`。

# %%
fixed = scores + row_bonus.unsqueeze(1)
print(fixed)
assert fixed.shape == (3, 4) and fixed[:, 0].tolist() == [1.0, 2.0, 3.0]
assert torch.equal(fixed[:, 0], fixed[:, 3])
assert torch.equal(fixed, scores + row_bonus[:, None]), "请从第 9 节开头重新运行"
print("✅ 变成 (3, 1) 后，每一行加上了自己的数")

# %% [markdown]
# ## 10. 沿某一维归约
#
# **归约**（reduction）把很多数合成一个数，例如求和 `sum`、均值 `mean`、最大值 `max`。不写 `dim` 时归约全部元素；写了 `dim`，就只沿那一维归约，结果中**那一维消失**（除非写 `keepdim=True`，见下文）。对形状 $(3, 4)$ 的矩阵 $x$：
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
assert x.sum().item() == 66.0, "请从第 10 节开头重新运行"
assert x.sum(dim=0).shape == (4,) and x.sum(dim=1).shape == (3,), "请从第 10 节开头重新运行"
assert x.sum(dim=1).tolist() == [6.0, 22.0, 38.0], "请从第 10 节开头重新运行"
print("✅ dim 指定的那一维被归约掉了")

# %% [markdown]
# 下图画出了两种方向：`dim=0` 把每一列从上往下加起来，`dim=1` 把每一行从左往右加起来。记法：`dim` 写几，第几维就被“压扁”消失。

# %% mystnb={"image": {"alt": "两张归约示意图，x 是 0 到 11 排成的 3 行 4 列：x.sum(dim=0) 把每列从上往下加，得到形状 (4,) 的 12、15、18、21；x.sum(dim=1) 把每行从左往右加，得到形状 (3,) 的 6、22、38。"}}
lessons.plotting.plot_reduction(x)
plt.show()

# %% [markdown]
# 加上 `keepdim=True`，被归约的那一维会保留为长度 1。这在广播时很有用：每行的和形状是 `(3, 1)`，形状 `(3, 4)` 的矩阵可以直接除以它，让每一行的元素加起来等于 1。

# %%
row_sums = x.sum(dim=1, keepdim=True)
print("row_sums 的形状：", tuple(row_sums.shape))
proportions = x / row_sums
print(torch.round(proportions, decimals=4))
assert row_sums.shape == (3, 1)
assert torch.allclose(proportions.sum(dim=1), torch.ones(3))
print("✅ keepdim=True 保留了长度为 1 的维度，每行归一化后和为 1")

# %% [markdown]
# `dim` 也可以是一个元组，一次沿几维归约：`x.sum(dim=(0, 1))` 把第 0 维和第 1 维都归约掉，对这个二维矩阵就等于全部求和。熟悉 NumPy 的读者也可以写 `axis=` 和 `keepdims=`，PyTorch 把它们当作 `dim=` 和 `keepdim=` 的别名接受；本课程统一写 `dim` 和 `keepdim`。

# %%
print("sum(dim=(0, 1))            ", x.sum(dim=(0, 1)))
print("sum(axis=0)                ", x.sum(axis=0))
print("mean(axis=1, keepdims=True)", tuple(x.mean(axis=1, keepdims=True).shape))
assert x.sum(dim=(0, 1)).item() == x.sum().item() == 66.0, "请从第 10 节开头重新运行"
assert torch.equal(x.sum(axis=0), x.sum(dim=0)), "请从第 10 节开头重新运行"
assert torch.equal(x.mean(axis=1, keepdims=True), x.mean(dim=1, keepdim=True)), "请从第 10 节开头重新运行"
print("✅ dim 可以是元组；axis、keepdims 与 dim、keepdim 的结果相同")

# %% [markdown]
# **常见错误**：对整数张量求均值。`mean` 不会把整数自动转成浮点数，而是报错。先转成浮点数，或者用 `dtype` 参数指定结果的类型：

# %%
counts = torch.tensor([1, 2, 4])
with expect_error(RuntimeError):
    counts.mean()
print("修复后：", round(counts.float().mean().item(), 4), round(counts.mean(dtype=torch.float32).item(), 4))

# %% [markdown]
# ### 10.1 最大值和它的位置：`max` 与 `argmax`
#
# `x.max()` 不写 `dim` 时返回全部元素中的最大值（一个零维张量）。写了 `dim` 时，它返回两个张量：`values` 是沿这一维的最大值，`indices` 是最大值所在的位置。只要位置时，用 `x.argmax(dim=...)`，它给出的正是 `indices`，数据类型是 `torch.int64`。有几个并列的最大值时，`max(dim=...)` 和 `argmax` 都返回第一个的位置（见 PyTorch 文档的 `torch.max` 与 `torch.argmax`）。`min` 与 `argmin` 的用法相同。
#
# 分类模型的输出常常是形状为 `(样本数, 类别数)` 的得分矩阵。每一行取得分最高的列号，就是模型对这个样本预测的类别：

# %%
class_scores = torch.tensor([[0.1, 2.0, -1.0],
                             [1.5, 0.3, 0.2],
                             [0.0, 0.4, 3.1],
                             [2.2, 2.2, 0.5]])   # 4 个样本、3 个类别；最后一行有并列
best = class_scores.max(dim=1)
print("每行的最大值", best.values)
print("所在的列    ", best.indices)
print("argmax(dim=1)", class_scores.argmax(dim=1))
print("argmax(dim=0)", class_scores.argmax(dim=0))
print("不写 dim：最大值", class_scores.max(), "展平后的位置", class_scores.argmax())

# %% [markdown]
# 注意 `dim` 的含义与求和时一样：`argmax(dim=1)` 沿第 1 维（在每一行里）找，每行给出一个列号；`argmax(dim=0)` 在每一列里找，给出的是行号。不写 `dim` 时，`argmax` 给出的是把张量展平成一维之后的位置：3.1 在第 2 行第 2 列，展平后的位置（从 0 数起）是 $2 \times 3 + 2 = 8$。

# %%
assert torch.equal(best.indices, class_scores.argmax(dim=1)), "请从第 10.1 节开头重新运行"
assert best.indices.tolist() == [1, 0, 2, 0], "请从第 10.1 节开头重新运行"  # 最后一行并列，取第一个
assert class_scores.argmax(dim=1).dtype == torch.int64, "请从第 10.1 节开头重新运行"
assert class_scores.argmax(dim=0).tolist() == [3, 3, 2], "请从第 10.1 节开头重新运行"
assert class_scores.argmax().item() == 8, "请从第 10.1 节开头重新运行"
print("✅ max(dim) 同时给出最大值和位置；argmax 只给位置，并列时取第一个")

# %% [markdown]
# ## 11. 内存：哪些操作共享存储，哪些操作复制
#
# 这门课的章节顺序沿用了一篇中文 PyTorch 入门文章，课程里称它为“原文”。原文有一些错误，课程讲的是正确的做法，并把原文的错误逐条列在[原文勘误](../book/errata.md)一页。
#
# 原文说：“PyTorch 使用共享内存来存储 Tensor，这意味着多个 Tensor 可以共享底层内存”。**前半句不对**：张量并不默认共享内存。后半句本身没错，多个张量确实可以共享底层内存，但这只发生在特定的情况下，常见的有下面几种：
#
# - 视图与原张量共享存储。常见的视图操作有：基本索引和切片、`view`、转置 `.T`、`expand`、`unsqueeze`/`squeeze`/`permute`、`detach()`，以及能不复制时的 `reshape`（PyTorch 文档“Tensor Views”一页列出了全部视图操作）；
# - `torch.from_numpy`、`.numpy()` 和 `torch.as_tensor`（不改数据类型和设备时）让 CPU 上的张量与 NumPy 数组共享同一块内存；
# - 少数操作在不需要做任何事时直接返回原张量本身，例如对已经连续的张量调用 `.contiguous()`，对已经在目标设备上的张量调用 `.to()`（第 14 节）。
#
# 其余大多数操作（`a + 1`、`a * 2`、`clone`、`torch.tensor(...)`、`cat`/`stack`、高级索引……）都**分配新的内存**，得到独立的数据。
#
# （操作系统意义上的“共享内存”是另一回事：`tensor.share_memory_()` 让多个进程共用一个张量，只在多进程程序中使用。）
#
# 下面写一个函数，判断两个张量是否用的是同一块存储。它比较的是存储的起始地址，只打印 `True`/`False`。

# %%
def shares_storage(p, q):
    """两个张量是否使用同一块存储。"""
    return p.untyped_storage().data_ptr() == q.untyped_storage().data_ptr()


base = torch.arange(12.0).reshape(3, 4)
operations = {
    "base.view(4, 3)": (base.view(4, 3), True),
    "base[0]（基本索引）": (base[0], True),
    "base[1:, :2]（切片）": (base[1:, :2], True),
    "base.T（转置）": (base.T, True),
    "base.unsqueeze(0)": (base.unsqueeze(0), True),
    "base.reshape(12)": (base.reshape(12), True),
    "base.T.reshape(12)": (base.T.reshape(12), False),
    "base.clone()": (base.clone(), False),
    "base + 1": (base + 1, False),
    "torch.cat([base, base])": (torch.cat([base, base]), False),
    "base[[0, 2]]（高级索引）": (base[[0, 2]], False),
    "base[base > 5]（布尔索引）": (base[base > 5], False),
}
print("共享存储  操作")
for name, (result, expected) in operations.items():
    print(f"{shares_storage(base, result)!s:8s}  {name}")
    assert shares_storage(base, result) == expected, f"{name} 的结果与表中不符：重新运行这个单元格"
print("✅ 视图共享存储；reshape 在必须复制时会复制；cat 和高级索引复制数据")

# %% [markdown]
# 共享存储的后果是：改一个，另一个跟着变。先看视图：

# %%
base = torch.zeros(2, 3)
row = base[0]          # 基本索引（整数下标）：得到视图
copy = base.clone()    # 独立的副本
row[1] = 7.0
print(base)
print(copy)
assert base[0, 1].item() == 7.0  # 改视图，原张量变了
assert copy[0, 1].item() == 0.0  # 副本不受影响
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
# ## 12. 原地操作及其风险
#
# 名字以下划线结尾的方法（`add_`、`mul_`、`zero_`……）是**原地操作**（in-place operation）：把结果直接写进张量自己的存储，不创建新张量。`z += 1` 和第 5 节的索引赋值（如 `z[0] = 5`）也是原地操作，而 `z = z + 1` 不是：它创建新张量，再让名字 `z` 指向它。

# %%
z = torch.ones(3)
view_of_z = z[:2]

z.add_(1)              # 原地：z 的存储被改写
print("add_ 之后 z =", z, " view_of_z =", view_of_z)

z = z + 1              # 不是原地：z 指向一个新张量，view_of_z 还指向旧存储
print("z + 1 之后 z =", z, " view_of_z =", view_of_z)

assert view_of_z.tolist() == [2.0, 2.0]
assert z.tolist() == [3.0, 3.0, 3.0]
print("✅ 原地操作改到了视图，z = z + 1 没有")

# %% [markdown]
# 原地操作省内存，但有三个风险：
#
# 1. **悄悄改掉别处的数据**：如上所示，所有共享这块存储的视图（包括 `from_numpy` 的数组）都会变。函数里对参数做原地操作，还会改掉调用者的数据；
# 2. **结果要存回原来的数据类型**：`add_`、`mul_`、`+=` 这类原地**运算**先按类型提升算出结果，再把结果转换成张量原来的数据类型存回去。只有当这一步要转到更低的**类别**时才报错：浮点数的结果不能存进整数张量，非布尔的结果不能存进布尔张量，复数的结果不能存进非复数张量（PyTorch 文档“Tensor Attributes”一页的 Type Promotion 一节）。例如整数张量原地加 0.5 会报错；浮点张量原地加整数没有问题。同一类别之内变窄却不报错：`float16` 张量原地加一个 `float64` 张量，结果悄悄按 `float16` 存回，超出范围的数变成 `inf`，太小的增量被舍入掉。索引赋值（`z[0] = 0.7`）和 `fill_`、`copy_` 则不做这项类别检查：浮点数写进整数张量时小数部分被直接截断，同样既不报错也不警告；
# 3. **干扰自动求导**：这一条涉及第 3 课的内容（自动求导、叶子节点、反向传播），这里先提一句：设置了 `requires_grad=True` 的叶子节点，在 PyTorch 记录计算图时（例如不在 `torch.no_grad()` 里的时候）不能原地修改；反向传播还要用到的张量被原地修改后，反向传播会报错。
#
# 第 2、3 种风险的实际表现如下：

# %%
with expect_error(RuntimeError):
    torch.tensor([1, 2, 3]).add_(0.5)     # 浮点数的结果存不回整数张量
print("浮点张量原地加整数：", torch.tensor([1.0, 2.0]).add_(torch.tensor([1, 2])))

h16 = torch.ones(3, dtype=torch.float16)
h16.add_(torch.tensor([1e-4, 1e5, 1.0], dtype=torch.float64))   # 同是浮点：悄悄存回 float16
print("float16 原地加 float64：", h16)
assert h16.dtype == torch.float16 and h16.tolist() == [1.0, float("inf"), 2.0], "请重新运行这个单元格"

z_int = torch.tensor([1, 2, 3])
z_int[0] = 0.7                                       # 索引赋值：0.7 被截断成 0
filled = torch.tensor([1, 2, 3]).fill_(0.7)
copied_in = torch.tensor([1, 2, 3]).copy_(torch.tensor([0.5, 1.9, -2.7]))
print("z_int[0] = 0.7 之后：", z_int)
print("fill_(0.7)：", filled, " copy_：", copied_in)
assert z_int.tolist() == [0, 2, 3], "索引赋值应把 0.7 截断成 0，不报错：请重新运行这个单元格"
assert filled.tolist() == [0, 0, 0] and copied_in.tolist() == [0, 1, -2], "fill_、copy_ 应截断小数部分：请重新运行这个单元格"

w = torch.ones(3, requires_grad=True)
with expect_error(RuntimeError):
    w.add_(1)

# %% [markdown]
# 除非确实需要省内存（并且清楚有哪些视图），否则优先写 `y = x + 1` 这种不修改原数据的形式。

# %% [markdown]
# ## 13. 取出一个 Python 数：`.item()`
#
# 只有一个元素的张量（例如损失值）可以用 `.item()` 变成普通的 Python 数，方便打印和记录；Python 的 `float(...)`、`int(...)` 对这样的张量也可以用。元素不止一个时，对它调用 `.item()` 会报错，要用 `.tolist()` 变成 Python 列表。

# %%
loss = torch.tensor([0.25, 0.75]).mean()
value = loss.item()
print(type(value).__name__, value)
assert isinstance(value, float) and value == 0.5
assert float(loss) == 0.5 and int(torch.tensor([7])) == 7

with expect_error(RuntimeError):
    torch.tensor([0.25, 0.75]).item()
print(torch.tensor([0.25, 0.75]).tolist())

# %% [markdown]
# ## 14. 把张量放到设备上
#
# 用 `.to(env.device)` 把张量搬到本课开头选好的设备上（`lessons.setup` 找到可用的 CUDA 或 MPS 设备时是 `cuda` 或 `mps`，否则是 `cpu`）。要点：
#
# - 参与同一次运算的张量一般要在同一个设备上，否则会报 `Expected all tensors to be on the same device` 错误。一个例外是 CPU 上的零维张量：它可以像 Python 数一样与 GPU 上的张量做逐元素运算；
# - 运算结果留在输入所在的设备上；
# - 转成 NumPy 之前要先用 `.cpu()` 回到 CPU，因为 NumPy 只能访问 CPU 内存；
# - 张量已经在目标设备上（数据类型也不变）时，`.to()` 直接返回它本身，不复制；否则复制一份到目标设备。

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
# ## 自测题
#
# 下面的题目点一下就能作答，并立即显示解析。在网站上不需要运行任何代码；在 JupyterLab 或 Colab 中，运行下面的单元格即可作答。

# %%
from lessons import quiz

quiz.show("01_tensor")

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
# 写函数 `center_rows(x)`：输入形状为 `(n, k)` 的浮点矩阵，返回一个**新**张量，其中每一行都减去了这一行的均值（于是每一行的均值变成 0）。不要修改传入的 `x`。结果是哪一种浮点类型都可以。
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
# `x.mean(dim=1, keepdim=True)` 的形状是 `(n, 1)`，广播后每一行减去自己的均值。少了 `keepdim=True`，均值的形状是 `(n,)`，广播时它与 `x` 的最后一维（长度 `k`）对齐：`n ≠ k` 且两者都不是 1 时报错；`n = k > 1` 时更糟，不报错却减错了位置；`k = 1` 时也不报错，结果的形状变成 `(n, n)`；只有 `n = 1` 时碰巧正确。
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
# 转置 `m.T` 让按行读出的顺序变成原矩阵按列的顺序；它一般不连续，不能直接 `view` 成一维，要用 `reshape`（或先 `.contiguous()` 再 `view`）。`reshape` 有时复制、有时返回视图：`m` 的形状是 `(3, 1)` 时，`m.T` 本身就是连续的，`reshape` 直接返回视图，结果会与 `m` 共享存储。最后的 `.clone()` 保证无论哪种情况都得到独立的副本。
#
# </details>

# %% [markdown]
# ### 练习 4
#
# 写函数 `predict(scores)`：`scores` 是形状为 `(n, k)` 的得分矩阵，第 `i` 行是第 `i` 个样本在 `k` 个类别上的得分。返回每个样本得分最高的类别编号，即一个形状为 `(n,)` 的整数张量。
#
# 提示：检查器还会用一个方阵测试你的函数，这时 `dim` 写错了，形状仍然对，只有数值不对。

# %%
def predict(scores):
    # 在这里写你的代码
    return None


answer = predict
ex.check_4(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def predict(scores):
#     return scores.argmax(dim=1)
# ```
#
# `argmax(dim=1)` 在每一行里找最大值，返回它所在的列号，形状是 `(n,)`，类型是 `torch.int64`。写成 `scores.max(dim=1).indices` 也可以；只写 `scores.max(dim=1)` 会同时得到最大值和位置两个张量。
#
# </details>

# %% [markdown]
# ## 小结
#
# - 张量是有形状、数据类型和设备的多维数组；模型通常用 `float32`，因为它省内存、在 GPU 上快、精度通常够用，NumPy 的 `float64` 数据要先转换；
# - 类型提升先比类别（布尔 < 整数 < 浮点 < 复数），再在最高类别中按“有维度的张量 > 零维张量 > Python 数”决定具体类型，不看数值：`int64 + float16` 得 `float16`，`int8` 张量加 1000 仍是 `int8` 并会溢出；`/` 总是真除法；
# - 基本索引和切片得到视图，高级索引（整数列表、一维及以上的整数张量、布尔掩码）读取时复制数据，零维整数张量当作整数处理；掩码与张量同形状时结果是一维的，只覆盖前几维时保留后面的维；索引写在赋值号左边时（包括高级索引）直接修改原张量；
# - `view` 从不复制，新形状必须与现有步长兼容（`m.T.view(2, 2, 3)` 可以，`m.T.view(12)` 不行）；`reshape` 必要时会复制；`unsqueeze`/`squeeze`/`permute` 返回视图，`cat` 沿已有的维拼接，`stack` 新增一维堆叠；
# - 广播从右往左对齐形状，每一维要么相等、要么有一个是 1；归约时用 `dim` 指定方向，`keepdim=True` 便于再广播回去；`max(dim)` 给出最大值和位置，`argmax` 只给位置；
# - 视图和 `from_numpy`/`.numpy()` 共享存储，大多数操作分配新内存（原文“用共享内存存储张量”的说法不对：张量只在视图、`from_numpy` 这类特定情况下共享内存）；原地操作会改到所有共享存储的张量，要谨慎使用；
# - `.item()` 取出单个数，`.to(env.device)` 把张量放到设备上，转 NumPy 前先 `.cpu()`。
