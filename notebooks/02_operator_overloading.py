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
# # 运算符重载：`a + b` 背后发生了什么
#
# **导读**：在 PyTorch 里，两个张量相加只要写 `a + b`，矩阵相乘只要写 `A @ B`，读起来和数学公式几乎一样。这靠的是 Python 的**运算符重载**（operator overloading）：解释器把运算符翻译成对某个方法的调用，PyTorch 实现了这些方法。这一课先弄清楚翻译规则，列出常用运算符对应的张量函数并逐一验证；接着用 `@` 讲清矩阵乘法、矩阵-向量积和点积，并介绍衡量向量大小的范数；然后看几个因为不了解规则而出错的地方（`and` 与 `&`、连写的比较、负数的整除）。最后一节是选读：用运算符重载写一个会记录计算过程的标量类，按链式法则求导数，为下一课的自动求导做铺垫。
#
# **学习目标**
#
# - 说出 `a + b`、`1 + t`、`t += 1` 分别会调用哪个魔术方法；
# - 查表写出常用运算符对应的 torch 函数，分清 `*`（逐元素乘法）与 `@`（矩阵乘法、矩阵-向量积、点积）；
# - 会用 `torch.linalg.vector_norm` 计算向量的 $L_1$、$L_2$ 范数；
# - 认出并改正 `and`/`or`/`not`、连写比较、整除取整方向这几类常见错误；
# - （选读）用运算符重载写一个记录计算过程的标量类，手写反向传播，并说出它和 PyTorch 自动求导的区别。

# %% [markdown]
# ## 0. 准备
#
# 第一个单元格在 Colab 中安装课程辅助包，在本地什么也不做。第二个单元格导入要用的库。`expect_error` 在第 1 课用过，用来演示故意写错的代码：代码报出所说的错误时，它打印错误的类型和第一行信息，然后继续运行；代码没有报错时，它反而报错，提醒你结果与课文所说的不符。

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

# %%
import matplotlib.pyplot as plt
import torch

import lessons
from lessons import graphs
from lessons.checking import expect_error
from lessons.exercises import operators as ex

env = lessons.setup(seed=0)
device = env.device

# %% [markdown]
# ## 1. `a + b` 其实是一次方法调用
#
# Python 看到 `a + b` 时，并不知道“加”对 `a` 意味着什么。它做的事情很机械：去 `a` 的类型里找一个名叫 `__add__` 的方法，调用 `type(a).__add__(a, b)`，把返回值当作结果。这种名字前后各有两个下划线、由解释器在特定时机自动调用的方法叫**魔术方法**（magic method），Python 文档称之为特殊方法（special method）。一个类只要定义了 `__add__`，它的对象就能用 `+`，这就是运算符重载。（这里略去一个细节：如果 `b` 的类型是 `a` 的类型的子类，并且重新定义了第 4 节要讲的反射方法，Python 会先试 `b` 的方法。）
#
# 下面这个类只做一件事：它的 `__add__` 被调用时报告自己。

# %%
class Loud:
    """只会报告“哪个魔术方法被调用了”的类。"""

    def __init__(self, name):
        self.name = name

    def __add__(self, other):
        print(f"调用了 {self.name}.__add__({other!r})")
        return f"{self.name}+{other!r}"


a_loud = Loud("a")
result = a_loud + 1
print("结果：", result)
assert result == "a+1"

# %% [markdown]
# 整数、字符串、列表的 `+` 也都是这样实现的，只是各自的 `__add__` 做的事不同：

# %%
print((3).__add__(4), "ab".__add__("cd"), [1].__add__([2]))
assert (3).__add__(4) == 3 + 4 == 7

# %% [markdown]
# 张量也一样。`torch.Tensor` 定义了 `__add__`，它和函数 `torch.add`、方法 `a.add(b)` 执行的是同一个底层运算，所以三种写法的结果完全相同：

# %%
a = torch.tensor([1.0, 2.0, 3.0], device=device)
b = torch.tensor([10.0, 20.0, 30.0], device=device)

print(a + b)
print(a.__add__(b))
print(torch.add(a, b))
assert torch.equal(a + b, a.__add__(b)) and torch.equal(a + b, torch.add(a, b))
print("✅ 三种写法结果相同")

# %% [markdown]
# 想亲眼看到“运算符变成函数”，可以借助 `torch.overrides.TorchFunctionMode`：在它的 `with` 块里，PyTorch 每执行一个张量函数都会先经过我们写的 `__torch_function__`。我们只把函数名打印出来，不改变任何计算。（这个工具平时用不到，这里只用它观察函数调用。）

# %%
from torch.overrides import TorchFunctionMode


class ShowCalls(TorchFunctionMode):
    """在 with 块里，每调用一个 PyTorch 函数就先打印它的名字。"""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        print("  PyTorch 执行：", func.__name__)
        return func(*args, **(kwargs or {}))


with ShowCalls():
    print("a + b")
    c = a + b
    print("a * b")
    c = a * b
    print("a @ b")
    c = a @ b
    print("-a")
    c = -a
    print("c += 1")
    c += 1

# %% [markdown]
# `+`、`*`、`@`、取负分别变成了 `add`、`mul`、`matmul`、`neg`：运算符只是这些函数的简写。`c += 1` 变成了 `add_`，末尾的下划线表示原地修改，第 5 节会讲。
#
# 原文 2.2 节只用两句话介绍运算符重载：PyTorch 通过它实现张量的加法、减法、乘法等基本操作，让代码简洁易读。这没有错，但有两点需要补充：第一，重载是 Python 语言提供的机制，PyTorch 做的是实现 `__add__` 这类魔术方法；第二，“乘法”在 PyTorch 里有两种，`*` 是逐元素乘法，`@` 才是矩阵乘法（第 3 节）。

# %% [markdown]
# ## 2. 运算符与张量函数对照表
#
# 下表列出最常用的运算符。第二列是 Python 调用的魔术方法，第三列是等价的 torch 函数。
#
# | 写法 | 魔术方法 | 等价的 torch 函数 | 含义 |
# | --- | --- | --- | --- |
# | `a + b` | `__add__` | `torch.add(a, b)` | 逐元素加 |
# | `a - b` | `__sub__` | `torch.sub(a, b)` | 逐元素减 |
# | `a * b` | `__mul__` | `torch.mul(a, b)` | 逐元素乘 |
# | `a / b` | `__truediv__` | `torch.div(a, b)` | 逐元素真除法（整数相除也得到浮点数） |
# | `a // b` | `__floordiv__` | `torch.floor_divide(a, b)` | 除后向下取整 |
# | `a % b` | `__mod__` | `torch.remainder(a, b)` | 余数（与除数同号） |
# | `a ** b` | `__pow__` | `torch.pow(a, b)` | 乘方 |
# | `a @ b` | `__matmul__` | `torch.matmul(a, b)` | 矩阵乘法 |
# | `a == b` | `__eq__` | `torch.eq(a, b)` | 逐元素相等 |
# | `a < b` | `__lt__` | `torch.lt(a, b)` | 逐元素小于 |
# | `p & q` | `__and__` | `torch.bitwise_and(p, q)` | 按位与（布尔张量上就是逻辑与） |
# | `p \| q` | `__or__` | `torch.bitwise_or(p, q)` | 按位或（布尔张量上就是逻辑或） |
# | `~p` | `__invert__` | `torch.bitwise_not(p)` | 按位取反（布尔张量上就是逻辑非） |
# | `-a` | `__neg__` | `torch.neg(a)` | 取负 |
# | `abs(a)` | `__abs__` | `torch.abs(a)` | 绝对值 |
#
# `!=`、`<=`、`>`、`>=` 同理，对应 `torch.ne`、`torch.le`、`torch.gt`、`torch.ge`。
#
# 表里的每一行（连同这四个比较）都可以验证：用运算符算一次，用函数算一次，两者的数值和数据类型都应完全相同。

# %%
a = torch.tensor([[4.0, -2.5], [3.0, 0.5]], device=device)
b = torch.tensor([[0.5, 2.0], [-1.0, 4.0]], device=device)
m = torch.tensor([7, -7, 8, -8], device=device)   # 整数，用来验证 // 和 %
n = torch.tensor([2, 2, -3, -3], device=device)
p = torch.tensor([True, True, False, False], device=device)   # 布尔，用来验证 & | ~
q = torch.tensor([True, False, True, False], device=device)

table = [
    ("a + b", lambda: a + b, lambda: torch.add(a, b)),
    ("a - b", lambda: a - b, lambda: torch.sub(a, b)),
    ("a * b", lambda: a * b, lambda: torch.mul(a, b)),
    ("a / b", lambda: a / b, lambda: torch.div(a, b)),
    ("m // n", lambda: m // n, lambda: torch.floor_divide(m, n)),
    ("m % n", lambda: m % n, lambda: torch.remainder(m, n)),
    ("a ** b", lambda: a**b, lambda: torch.pow(a, b)),
    ("a @ b", lambda: a @ b, lambda: torch.matmul(a, b)),
    ("a == b", lambda: a == b, lambda: torch.eq(a, b)),
    ("a < b", lambda: a < b, lambda: torch.lt(a, b)),
    ("a != b", lambda: a != b, lambda: torch.ne(a, b)),
    ("a <= b", lambda: a <= b, lambda: torch.le(a, b)),
    ("a > b", lambda: a > b, lambda: torch.gt(a, b)),
    ("a >= b", lambda: a >= b, lambda: torch.ge(a, b)),
    ("p & q", lambda: p & q, lambda: torch.bitwise_and(p, q)),
    ("p | q", lambda: p | q, lambda: torch.bitwise_or(p, q)),
    ("~p", lambda: ~p, lambda: torch.bitwise_not(p)),
    ("-a", lambda: -a, lambda: torch.neg(a)),
    ("abs(a)", lambda: abs(a), lambda: torch.abs(a)),
]

for text, by_operator, by_function in table:
    x, y = by_operator(), by_function()
    # torch.equal 要求形状和每个数都相同；数据类型另外比较
    assert x.dtype == y.dtype and torch.equal(x, y), f"{text} 与函数形式的结果不同"
    print(f"✅ {text:7s} 结果 dtype = {str(x.dtype):14s} 与函数形式完全相同")

# %% [markdown]
# 注意输出里的数据类型：`a / b` 是浮点数，比较运算 `==`、`<` 的结果是 `torch.bool`。逐个看几个结果：

# %%
print("a ** b =", a**b)
print("m // n =", m // n)
print("m % n  =", m % n)
print("a < b  =", a < b)

# %% [markdown]
# `m // n` 和 `m % n` 里的负数看起来有些反直觉，7.4 节会解释。

# %% [markdown]
# ## 3. `*` 与 `@`：逐元素乘法与矩阵乘法
#
# 这是最容易混淆的一对。`*` 是逐元素运算（第 1 课）：两个形状相同的张量（或能广播成相同形状的张量）对应位置相乘，结果的形状就是两者（广播后）共同的形状。形状相同时，
#
# $$ (A * C)_{ij} = A_{ij}\, C_{ij}. $$
#
# 在数学公式里，逐元素乘法常写成 $A \odot C$，叫作 Hadamard 积（d2l 2.3 节用的就是这个记号）。
#
# `@` 是**矩阵乘法**（matrix multiplication）：$A$ 的形状是 $(m, k)$、$B$ 的形状是 $(k, n)$ 时，结果的形状是 $(m, n)$，每个元素是 $A$ 的一行与 $B$ 的一列的**点积**（dot product），即对应元素相乘再相加：
#
# $$ (A B)_{ij} = \sum_{t=1}^{k} A_{it}\, B_{tj}. $$
#
# `@` 对应的函数是 `torch.matmul`，它也能处理向量和更高维的张量（3.1、3.2 节）；只做二维矩阵乘法的函数是 `torch.mm`，它要求两边都是二维张量。

# %%
A = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], device=device)   # 形状 (2, 3)
C = torch.tensor([[2.0, 0.0, 1.0], [1.0, 3.0, 0.0]], device=device)   # 形状 (2, 3)
B = torch.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]], device=device)   # 形状 (3, 2)

print("A * C 的形状：", tuple((A * C).shape))
print(A * C)
print("A @ B 的形状：", tuple((A @ B).shape))
print(A @ B)
assert (A * C).shape == (2, 3) and (A @ B).shape == (2, 2)
assert torch.equal(A @ B, torch.mm(A, B))

column_3 = torch.ones(3, 1, device=device)   # 形状 (3, 1)
row_4 = torch.ones(1, 4, device=device)      # 形状 (1, 4)
print("(3, 1) * (1, 4) 的形状：", tuple((column_3 * row_4).shape))
assert (column_3 * row_4).shape == (3, 4)
assert (A @ B)[0, 0].item() == (A[0, :] * B[:, 0]).sum().item() == 1 * 1 + 2 * 0 + 3 * 2
print("✅ (A @ B)[0, 0] = A 的第 0 行与 B 的第 0 列的点积 = 7")

# %% [markdown]
# 下图把两种乘法并排画出来（画格子的代码在 `lessons.graphs` 里）。左边，结果的每个格子只由 $A$、$C$ 同一位置的两个数决定；右边，结果左上角的 7 由 $A$ 的整个第 0 行和 $B$ 的整个第 0 列共同决定（高亮部分）。

# %% mystnb={"image": {"alt": "左边是逐元素乘法 A * C：两个 2×3 矩阵同一位置的数相乘，结果仍是 2×3；右边是矩阵乘法 A @ B：2×3 乘 3×2 得 2×2，左上角的 7 由 A 的第 0 行和 B 的第 0 列算出（高亮）。"}}
graphs.compare_products(A, C, B)
plt.show()

# %% [markdown]
# 两种乘法对形状的要求不同，用错时的报错也不同：`*` 要求两个形状能够广播（第 1 课），`@` 要求左边的列数等于右边的行数。

# %%
print("A * B：")
with expect_error(RuntimeError):
    A * B            # (2, 3) 与 (3, 2) 无法广播

print("A @ C：")
with expect_error(RuntimeError):
    A @ C            # (2, 3) @ (2, 3)：3 ≠ 2

print("修正：A @ C.T 的形状是", tuple((A @ C.T).shape))   # C.T 是 C 的转置，形状 (3, 2)

# %% [markdown]
# ### 3.1 两个向量：点积
#
# 对两个长度相同的一维张量（向量），`@` 算的是点积 $u \cdot v = \sum_i u_i v_i$，结果是一个零维张量（标量）；而 `*` 仍然是逐元素乘，结果还是向量。专门算点积的函数是 `torch.dot`。

# %%
u = torch.tensor([1.0, 2.0, 3.0], device=device)
v = torch.tensor([4.0, 5.0, 6.0], device=device)
print("u @ v =", u @ v, " 形状", tuple((u @ v).shape))
print("u * v =", u * v, " 形状", tuple((u * v).shape))
assert (u @ v).shape == () and (u @ v).item() == 32.0 == (u * v).sum().item()
assert torch.equal(u @ v, torch.dot(u, v))
print("✅ u @ v 等于 (u * v).sum() 和 torch.dot(u, v)，都是 32")

# %% [markdown]
# ### 3.2 矩阵乘向量：矩阵-向量积
#
# 矩阵 $A$ 的形状是 $(m, n)$、向量 $x$ 的形状是 $(n,)$ 时，`A @ x` 是**矩阵-向量积**（matrix-vector product）：结果是形状为 $(m,)$ 的向量，第 $i$ 个元素是 $A$ 的第 $i$ 行与 $x$ 的点积，
#
# $$ (A x)_i = \sum_{j=1}^{n} A_{ij}\, x_j . $$
#
# `torch.matmul` 的规则是：右边的一维张量先当作一列（形状 $(n, 1)$），乘完再把这一维去掉，所以结果是向量而不是 $(m, 1)$ 的矩阵。只做矩阵-向量积的函数是 `torch.mv`。线性回归把一批样本排成矩阵 $X$（每行一个样本），全部预测值 $X\theta$ 就是一个矩阵-向量积（第 4 课）。有一边是三维或更高维的张量时，`@` 把最后两维之前的维当作批量，对最后两维做矩阵乘法，本课不展开。

# %%
x_vec = torch.tensor([1.0, 0.0, -1.0], device=device)   # 形状 (3,)
Ax = A @ x_vec
print("A @ x =", Ax, " 形状", tuple(Ax.shape))
print("torch.mv(A, x) =", torch.mv(A, x_vec))
rows = torch.stack([A[0] @ x_vec, A[1] @ x_vec])        # 每一行与 x 的点积
hint = "请先重新运行第 3 节开头定义 A、B、C 的单元格"
assert Ax.shape == (2,), hint
assert torch.equal(Ax, torch.mv(A, x_vec)) and torch.equal(Ax, rows), hint
assert torch.equal(Ax, (A * x_vec).sum(dim=1)), hint     # 广播后逐元素乘，再按行求和
print("✅ (2, 3) @ (3,) 得到形状 (2,) 的向量；每个元素是 A 的一行与 x 的点积")

# %% [markdown]
# 两个容易出错的地方：一是把向量写成了 $(n, 1)$ 的列矩阵，`@` 就做普通的矩阵乘法，结果是 $(m, 1)$ 的矩阵，之后再和形状为 $(m,)$ 的张量运算时会广播成 $(m, m)$；二是长度对不上。

# %%
column = x_vec.reshape(3, 1)
print("A @ x.reshape(3, 1) 的形状：", tuple((A @ column).shape))
print("它与形状 (2,) 的张量相加，广播成：", tuple(((A @ column) + Ax).shape))
assert (A @ column).shape == (2, 1) and ((A @ column) + Ax).shape == (2, 2), "请先重新运行上一个单元格"

print("长度对不上：")
with expect_error(RuntimeError):
    A @ torch.tensor([1.0, 2.0], device=device)   # A 有 3 列，向量却只有 2 个数

# %% [markdown]
# ### 3.3 范数：向量有多大
#
# 向量的**范数**（norm）衡量它的“大小”。最常用的是 $L_2$ 范数，即各元素平方和的平方根，也就是向量的欧几里得长度；$L_1$ 范数是各元素绝对值之和：
#
# $$ \|x\|_2 = \sqrt{\sum_i x_i^2}, \qquad \|x\|_1 = \sum_i |x_i| . $$
#
# PyTorch 用 `torch.linalg.vector_norm(x, ord=...)` 计算，默认 `ord=2`。张量方法 `x.norm()` 也能算，但它调用的 `torch.norm` 在 PyTorch 文档中已标为弃用（deprecated），新代码请用 `torch.linalg.vector_norm`（向量）或 `torch.linalg.matrix_norm`（矩阵）。两种范数都能用本课的运算符写出来：$L_2$ 范数是 `(x @ x) ** 0.5`，$L_1$ 范数是 `abs(x).sum()`。

# %%
x_norm = torch.tensor([3.0, -4.0], device=device)
l2 = torch.linalg.vector_norm(x_norm)
l1 = torch.linalg.vector_norm(x_norm, ord=1)
print("L2 范数：", l2.item(), "  L1 范数：", l1.item(), "  x.norm()：", x_norm.norm().item())
assert l2.item() == 5.0 == ((x_norm @ x_norm) ** 0.5).item() == x_norm.norm().item()
assert l1.item() == 7.0 == abs(x_norm).sum().item()
print("✅ (3, -4) 的 L2 范数是 5（勾股定理），L1 范数是 3 + 4 = 7")

# %% [markdown]
# 对矩阵，`torch.linalg.vector_norm` 默认把所有元素当作一个长向量，结果等于矩阵的 Frobenius 范数 `torch.linalg.matrix_norm(A)`；传入 `dim=1` 则对每一行分别求范数，得到一个向量。

# %%
print("整个 A：", round(torch.linalg.vector_norm(A).item(), 4))
print("每一行：", [round(value, 4) for value in torch.linalg.vector_norm(A, dim=1).tolist()])
assert torch.allclose(torch.linalg.vector_norm(A), torch.linalg.matrix_norm(A)), "请先重新运行第 3 节开头定义 A 的单元格"
assert torch.allclose(torch.linalg.vector_norm(A, dim=1) ** 2, (A * A).sum(dim=1)), "请先重新运行第 3 节开头定义 A 的单元格"
print("✅ 不给 dim 时是所有元素的 L2 范数；dim=1 时每行一个")

# %% [markdown]
# `torch.linalg.vector_norm` 只接受浮点数（和复数）张量，传入整数张量会报错。修正：先转成浮点数。

# %%
with expect_error(RuntimeError):
    torch.linalg.vector_norm(torch.tensor([3, -4], device=device))
print("修正后：", torch.linalg.vector_norm(torch.tensor([3, -4], device=device).float()).item())

# %% [markdown]
# ## 4. 反射运算符：`1 + t` 怎么办
#
# `t + 1` 调用的是 `t.__add__(1)`。可是 `1 + t` 左边是 Python 的整数，`int.__add__` 不认识张量。Python 的规则是：左操作数的 `__add__` 返回特殊值 `NotImplemented`（表示“我处理不了”）时，再去调用右操作数的 `__radd__`，即 `t.__radd__(1)`。带 `r` 的这组方法叫**反射运算符**（reflected operator）。

# %%
t = torch.tensor([1.0, 2.0, 3.0], device=device)

print("(1).__add__(t) 返回：", (1).__add__(t))
print("t.__radd__(1)  返回：", t.__radd__(1))
print("1 + t          结果：", 1 + t)
assert (1).__add__(t) is NotImplemented
assert torch.equal(1 + t, t.__radd__(1))
print("✅ 1 + t 由 t.__radd__(1) 完成")

# %% [markdown]
# 对不满足交换律的运算，反射方法必须注意顺序：`t.__rsub__(10)` 计算的是 `10 - t`，不是 `t - 10`；`2 ** t` 由 `t.__rpow__(2)` 完成。

# %%
print("10 - t =", 10 - t, "  t - 10 =", t - 10)
print("2 ** t =", 2**t)
assert torch.equal(t.__rsub__(10), 10 - t) and torch.equal(t.__rpow__(2), 2**t), "请先重新运行上一个单元格"
print("✅ __rsub__、__rpow__ 保持了原来的左右顺序")

# %% [markdown]
# 回到第 1 节的 `Loud` 类：它没有 `__radd__`，所以 `1 + Loud(...)` 会失败。补上 `__radd__` 就好了。

# %%
with expect_error(TypeError):
    1 + Loud("a")


class LoudBothSides(Loud):
    def __radd__(self, other):
        print(f"调用了 {self.name}.__radd__({other!r})")
        return f"{other!r}+{self.name}"


both_sides = 1 + LoudBothSides("a")
print("结果：", both_sides)
assert both_sides == "1+a", "请重新运行这个单元格：1 + LoudBothSides('a') 应由 __radd__ 得到 '1+a'"
print("✅ 补上 __radd__ 之后，1 + LoudBothSides('a') 不再报错")

# %% [markdown]
# ## 5. 增强赋值：`t += 1` 是原地操作
#
# `t += 1` 这样的写法叫**增强赋值**（augmented assignment）。Python 先找 `__iadd__`（`i` 表示 in-place），找到就调用它；找不到（或它返回 `NotImplemented`）才退回到 `t = t + 1`。张量定义了 `__iadd__`，它直接修改 `t` 原有的存储，是原地操作（第 1 课），相当于 `t.add_(1)`。
#
# 区别在还有别的名字或视图（第 1 课）指向同一块数据时才显现。最简单的情况是**别名**（alias，即另一个变量名指向同一个张量对象）；视图则是另一个张量对象，但与原张量共用存储，原张量被原地修改时，视图同样看得到：

# %%
t = torch.zeros(3, device=device)
alias = t          # alias 和 t 是同一个张量对象的两个名字
view = t[:2]       # 切片是视图：另一个张量对象，与 t 共用存储

t += 1             # t.__iadd__(1)：原地修改
print("t += 1 之后：   t =", t, " alias =", alias, " view =", view)
assert alias is t and torch.equal(alias, torch.ones(3, device=device))
assert torch.equal(view, torch.ones(2, device=device))

t = t + 1          # 先算出一个新张量，再让名字 t 指向它
print("t = t + 1 之后：t =", t, " alias =", alias, " view =", view)
assert alias is not t and torch.equal(alias, torch.ones(3, device=device))
assert torch.equal(view, torch.ones(2, device=device))
print("✅ += 改的是原张量，别名和视图都看得到；t = t + 1 生成了新张量，它们都看不到")

# %% [markdown]
# 整数没有 `__iadd__`（整数不可变），所以 `k += 1` 对整数来说就是 `k = k + 1`；张量有：

# %%
print("int 有 __iadd__：", hasattr(int, "__iadd__"))
print("Tensor 有 __iadd__：", hasattr(torch.Tensor, "__iadd__"))
assert not hasattr(int, "__iadd__") and hasattr(torch.Tensor, "__iadd__")

# %% [markdown]
# 最常见的别名是函数参数：函数里对参数用 `+=`，调用者手里的张量也被改了。

# %%
def add_one_inplace(x):
    x += 1            # 原地修改：调用者的张量也变了
    return x


def add_one(x):
    return x + 1      # 返回新张量：调用者的张量不变


data = torch.tensor([1.0, 2.0], device=device)
add_one(data)
print("add_one 之后：        ", data)
add_one_inplace(data)
print("add_one_inplace 之后：", data)
assert torch.equal(data, torch.tensor([2.0, 3.0], device=device))

# %% [markdown]
# 原地操作还有一个限制（第 1 课第 12 节）：结果要转换回张量原来的数据类型，要转到更低的类别（如浮点数存进整数张量）时报错。整数张量加 0.5 的结果是浮点数，新建张量没问题，原地写回整数张量就不行：

# %%
counts = torch.tensor([1, 2, 3], device=device)
with expect_error(RuntimeError):
    counts += 0.5

counts = counts + 0.5      # 修正：生成新的浮点张量（或一开始就用浮点数）
print(counts, counts.dtype)
assert counts.dtype == torch.float32

# %% [markdown]
# 同一类别之内的转换不报错：`float32` 张量原地加一个 `float64` 张量，结果按 `float32` 存回。

# %%
ratios = torch.tensor([1.0, 2.0])                         # float32；留在 CPU 上，因为 Apple MPS 不支持 float64
ratios += torch.tensor([0.5, 0.5], dtype=torch.float64)   # 同属浮点类别：结果转回 float32，不报错
print(ratios, ratios.dtype)
assert ratios.dtype == torch.float32 and ratios.tolist() == [1.5, 2.5]
print("✅ 原地操作的结果仍是 float32：数据类型由被修改的张量决定")

# %% [markdown]
# 原地操作的另一个限制在第 3 课细讲：PyTorch 记录计算图时（例如不在 `torch.no_grad()` 里的时候），对需要梯度的叶子节点（leaf tensor，第 3 课正式介绍）做原地操作会报错。

# %%
w = torch.ones(2, requires_grad=True, device=device)
with expect_error(RuntimeError):
    w += 1

# %% [markdown]
# ## 6. 比较运算得到布尔张量
#
# 比较运算符同样是逐元素的（形状不同时先广播），结果是布尔张量（第 1 课）。布尔张量可以当作“掩码”挑出元素，求和就是计数。

# %%
scores = torch.tensor([0.2, 0.9, 0.5, 0.7, 0.6], device=device)
mask = scores > 0.6

print("mask       =", mask, mask.dtype)
print("scores[mask] =", scores[mask])
print("大于 0.6 的个数：", mask.sum().item())
assert mask.dtype == torch.bool and mask.sum().item() == 2
print("✅ 比较的结果是布尔张量，0.6 本身不大于 0.6，所以只有 2 个")

# %% [markdown]
# 因为 `==` 也是逐元素的，`a == b` 的结果是一个布尔张量，而不是一个“是否相等”的答案。想问“两个张量是否完全相同”，要用 `torch.equal(a, b)` 或 `(a == b).all()`。`torch.equal` 在形状相同、每个元素都相等时返回 `True`，形状不同时返回 `False`；它不比较数据类型，而且 `nan` 不等于任何数，所以只要含有 `nan` 就返回 `False`。`(a == b).all()` 会先广播，所以形状不同时也可能得到 `True`。直接写 `if a == b:` 会报错：

# %%
a = torch.tensor([1, 2, 3], device=device)
b = torch.tensor([1, 2, 4], device=device)
print("a == b       =", a == b)
print("if a == b:")
with expect_error(RuntimeError):
    if a == b:
        print("相等")
print("torch.equal(a, b) =", torch.equal(a, b), "  (a == b).all() =", (a == b).all().item())
assert not torch.equal(a, b)

longer = torch.tensor([1, 1], device=device)    # 形状 (2,)
shorter = torch.tensor([1], device=device)      # 形状 (1,)，比较时广播成 (2,)
print("形状不同：torch.equal =", torch.equal(longer, shorter),
      "  (longer == shorter).all() =", (longer == shorter).all().item())
assert not torch.equal(longer, shorter) and (longer == shorter).all()

# %% [markdown]
# 再看 `torch.equal` 的另外两点：数据类型不同、值相同的张量算相等；含有 `nan` 的张量和自己比较也不相等。

# %%
ints = torch.tensor([1], device=device)          # int64
floats = torch.tensor([1.0], device=device)      # float32
with_nan = torch.tensor([1.0, float("nan")], device=device)
print("数据类型不同：torch.equal =", torch.equal(ints, floats))
print("含有 nan：    torch.equal(with_nan, with_nan) =", torch.equal(with_nan, with_nan))
assert torch.equal(ints, floats) and ints.dtype != floats.dtype
assert not torch.equal(with_nan, with_nan)
print("✅ torch.equal 不比较数据类型；含有 nan 的张量连和自己比较都不相等")

# %% [markdown]
# 前面 `if a == b:` 报错的原因是 `if` 需要把条件变成一个 `True` 或 `False`，也就是调用 `bool(a == b)`；一个有多个元素的布尔张量该算真还是假，PyTorch 拒绝替你决定。只有一个元素的张量才能转成 `bool`（没有元素的张量同样会报错）。下一节的几个错误都源于这一点。

# %%
single = torch.tensor([5], device=device) > 3     # 只有一个元素的布尔张量
print("bool(single) =", bool(single))
assert bool(single) is True

# %% [markdown]
# ## 7. 常见错误
#
# ### 7.1 `and`、`or`、`not` 不会逐元素计算
#
# 想要“大于 0 且小于 3”，很自然会写 `(t > 0) and (t < 3)`。`and`、`or`、`not` 是 Python 的**布尔运算符**（boolean operator），但和 `+`、`&` 不同，它们没有对应的魔术方法，类无法重载它们。Python 对它们的规定是：`x and y` 先计算 `bool(x)`，`x` 为假时返回 `x`，否则返回 `y`；`x or y` 也先计算 `bool(x)`，`x` 为真时返回 `x`，否则返回 `y`；`not x` 返回 `not bool(x)`。于是三者都要先把第一个操作数（`t > 0` 或 `t < 0`，都是有多个元素的布尔张量）转成 bool，出现和上面相同的错误：

# %%
t = torch.tensor([-1, 0, 1, 2, 3, 4], device=device)
for text, attempt in [
    ("(t > 0) and (t < 3)", lambda: (t > 0) and (t < 3)),
    ("(t < 0) or (t > 3)", lambda: (t < 0) or (t > 3)),
    ("not (t > 0)", lambda: not (t > 0)),
]:
    print(text)
    with expect_error(RuntimeError):
        attempt()

# %% [markdown]
# 只有一个元素的张量不会报错，但结果也不是逐元素的“与”：`and` 只是按真假把两个操作数之一原样返回。下面 `one and five` 得到的是 `five` 本身，值是 5，而不是 `True`：

# %%
one = torch.tensor([1], device=device)
five = torch.tensor([5], device=device)
result = one and five
print("one and five =", result)
assert result is five
print("✅ and 返回的是第二个操作数本身，并没有做逐元素的逻辑运算")

# %% [markdown]
# 修正：用逐元素的 `&`（与）、`|`（或）、`~`（非），或者等价的 `torch.logical_and`、`torch.logical_or`、`torch.logical_not`。注意 `&`、`|`、`~` 是按位运算，只在布尔张量上才等于逻辑运算；比较的结果本来就是布尔张量，所以这里没有问题。

# %%
inside = (t > 0) & (t < 3)
outside = (t < 0) | (t > 3)
print("(t > 0) & (t < 3) =", inside)
print("(t < 0) | (t > 3) =", outside)
print("~(t > 0)          =", ~(t > 0))
assert torch.equal(inside, torch.logical_and(t > 0, t < 3))
assert torch.equal(outside, torch.logical_or(t < 0, t > 3))
assert torch.equal(~(t > 0), torch.logical_not(t > 0))
assert t[inside].tolist() == [1, 2], "请先重新运行 7.1 节开头定义 t 的单元格"
print("✅ 只有 1 和 2 在 (0, 3) 之间")

# %% [markdown]
# 如果把 `~` 用在整数张量上，它做的是按位取反：`~1` 等于 `-2`，而不是“非 1”。需要逻辑非时，先得到布尔张量，或者直接用 `torch.logical_not`：

# %%
ints = torch.tensor([0, 1, 2], device=device)
print("~ints                   =", ~ints)
print("torch.logical_not(ints) =", torch.logical_not(ints))
assert (~ints).tolist() == [-1, -2, -3]
assert torch.logical_not(ints).tolist() == [True, False, False]

# %% [markdown]
# ### 7.2 `&` 两边的括号不能省
#
# `&`、`|` 的**优先级**（operator precedence）比比较运算符高。`t > 0 & t < 3` 会被理解成 `t > (0 & t) < 3`，这又是一个连写的比较（见 7.3），同样报错：

# %%
with expect_error(RuntimeError):
    t > 0 & t < 3

# %% [markdown]
# ### 7.3 连写的比较 `0 < t < 3`
#
# 对普通数字，`0 < x < 3` 很方便。但 Python 把它展开成 `(0 < x) and (x < 3)`（`x` 只计算一次），里面藏着一个 `and`：

# %%
with expect_error(RuntimeError):
    0 < t < 3

fixed = (0 < t) & (t < 3)
print("(0 < t) & (t < 3) =", fixed)
assert torch.equal(fixed, inside), "请先重新运行 7.1 节定义 t 和 inside 的单元格"

# %% [markdown]
# ### 7.4 整数除法与负数
#
# 整数张量之间的三种“除法”各不相同：
#
# - `/` 做真正的除法，整数张量相除得到浮点数：`7 / 2 = 3.5`；
# - `//` 是**向下取整**（朝负无穷方向）的整除，和 Python 的整数一样：`-7 // 2 = -4`，不是 `-3`；
# - `%` 的余数与**除数**同号，两者满足 $a = (a \mathbin{//} b)\cdot b + a \mathbin{\%} b$。
#
# 需要“向零取整”（像 C 语言那样 `-7 / 2 = -3`）时，用 `torch.div(a, b, rounding_mode="trunc")`；余数与被除数同号的版本是 `torch.fmod`。

# %%
a = torch.tensor([7, -7, 7, -7], device=device)
b = torch.tensor([2, 2, -2, -2], device=device)

print("a / b             =", a / b)
print("a // b            =", a // b)
print("trunc 向零取整     =", torch.div(a, b, rounding_mode="trunc"))
print("floor 向下取整     =", torch.div(a, b, rounding_mode="floor"))
print("a % b             =", a % b)
print("torch.fmod(a, b)  =", torch.fmod(a, b))

assert (a / b).dtype == torch.float32
assert (a // b).tolist() == [3, -4, -4, 3] == [int(x) // int(y) for x, y in zip(a, b)]
assert torch.equal(a // b, torch.div(a, b, rounding_mode="floor"))
assert torch.div(a, b, rounding_mode="trunc").tolist() == [3, -3, -3, 3]
assert torch.equal((a // b) * b + a % b, a)
print("✅ // 与 Python 整数的 // 一致（向下取整），且 a == (a // b) * b + a % b")

# %% [markdown]
# 注意：PyTorch 1.13 之前，`torch.floor_divide`（也就是 `//`）实际上做的是向零取整（见 `torch.floor_divide` 的文档），所以较老的教程里 `-7 // 2` 可能显示 `-3`。现在的版本与 Python 一致。不确定时，直接写出 `rounding_mode`，意图最清楚。

# %% [markdown]
# ## 8. 选读：用运算符重载记录计算过程
#
# 这一节是选读，也是通往第 3 课的桥梁；跳过它不影响后面的课程，只有练习 4 用到这里的 `Value` 类。下一课会看到，PyTorch 能在计算的同时记下一张计算图（computational graph），再沿着它用链式法则（chain rule）求出梯度（gradient）；这几个词，连同下面要用的偏导数（partial derivative）、前向传播（forward pass）和反向传播（backpropagation），都在第 3 课正式介绍，这里先按字面理解。
#
# 这里先用几十行 Python 做一个只支持 `+` 和 `*` 的标量版本。运算符重载让我们能在 `x * y + 3 * x` 这样的普通写法里插入自己的记录逻辑。这只是一个教学模型：PyTorch 并不是靠运算符重载来记录计算图的，8.3 节会对照两者的区别。
#
# 下面的类 `Value` 包装一个数。每次做 `+` 或 `*`，它除了算出结果，还记下结果的“父节点”（由哪两个值算出来）、用的运算，并且**当场**算出结果对每个父节点的**局部导数**（local derivative），作为数存下来：
#
# - 加法 $s + o$：对 $s$ 的偏导数是 $1$，对 $o$ 的偏导数也是 $1$；
# - 乘法 $s \cdot o$：对 $s$ 的偏导数是 $o$，对 $o$ 的偏导数是 $s$。
#
# 这些记录连起来，就是一张计算图。

# %%
class Value:
    """一个会记住自己来历的标量。

    data：数值；parents：由哪些 Value 算出来；op：用的什么运算；
    local_grads：结果对每个父节点的局部导数；grad：反向传播后得到的导数。
    """

    def __init__(self, data, parents=(), op="", local_grads=()):
        self.data = float(data)
        self.parents = tuple(parents)
        self.op = op
        self.local_grads = tuple(local_grads)
        self.grad = 0.0
        self.label = ""          # 画图时用的名字

    def __repr__(self):
        if not self.parents:
            return f"Value(data={self.data:g})"
        inputs = ", ".join(f"{p.data:g}" for p in self.parents)
        return f"Value(data={self.data:g}, op='{self.op}', parents=({inputs}))"

    def _lift(self, other):
        """普通的数包装成常数节点；已经是 Value 的原样返回。"""
        return other if isinstance(other, Value) else type(self)(other)

    # 用 type(self)(...) 而不写死 Value：子类（练习 4）的运算结果仍是子类
    def __add__(self, other):
        other = self._lift(other)
        return type(self)(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other):
        other = self._lift(other)
        return type(self)(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __radd__(self, other):   # other + self，other 是普通的数
        return self + other      # 加法满足交换律，交给 __add__

    def __rmul__(self, other):   # other * self
        return self * other

# %% [markdown]
# 用它算 $f(x, y) = x \cdot y + 3x$，取 $x = 2$、$y = 4$。注意 `3 * x` 左边是整数，靠的正是 `__rmul__`。

# %%
x = Value(2.0)
y = Value(4.0)
a = x * y          # x.__mul__(y)
c = 3 * x          # int 处理不了，于是 x.__rmul__(3)
f = a + c          # a.__add__(c)

x.label, y.label, a.label, c.label, f.label = "x", "y", "a = x·y", "c = 3·x", "f = a + c"
print("a =", a)
print("c =", c)
print("f =", f)
print("f 的父节点就是 a 和 c：", f.parents[0] is a and f.parents[1] is c)
assert f.data == 2 * 4 + 3 * 2 == 14
assert f.parents == (a, c) and a.parents == (x, y) and c.parents[0] is x

# %% [markdown]
# `c` 的第二个父节点是 `__rmul__` 为整数 3 新建的常数节点。反射运算符也可以直接用在加法上：

# %%
print("1 + x =", 1 + x)
assert (1 + x).data == 3.0, "请先重新运行上面创建 x = Value(2.0) 的单元格"

# %% [markdown]
# ### 8.1 手写反向传播
#
# 现在求 $\frac{\partial f}{\partial x}$ 和 $\frac{\partial f}{\partial y}$。链式法则说：$f$ 对某个节点的偏导数，等于沿着从这个节点到 $f$ 的每条路径，把局部导数乘起来，再把各条路径的结果加起来。$x$ 有两条路径通向 $f$（经过 $a$ 和经过 $c$），所以
#
# $$
# \frac{\partial f}{\partial x}
# = \frac{\partial f}{\partial a}\frac{\partial a}{\partial x} + \frac{\partial f}{\partial c}\frac{\partial c}{\partial x}
# = 1 \cdot y + 1 \cdot 3 = 7,
# \qquad
# \frac{\partial f}{\partial y} = \frac{\partial f}{\partial a}\frac{\partial a}{\partial y} = 1 \cdot x = 2.
# $$
#
# 按这个思路，从输出 $f$ 出发往回走，每到一个节点，就把“自己的导数 × 局部导数”累加到父节点的 `grad` 上，这就是反向传播。先一步一步手工做一遍，用的都是上面记录下来的 `parents` 和 `local_grads`。单元格开头先把所有 `grad` 清零，这样重复运行它，结果也不会越加越大：

# %%
for node in (x, y, a, c, f, c.parents[1]):
    node.grad = 0.0                            # 清零，使重复运行的结果相同

f.grad = 1.0                                   # ∂f/∂f = 1

a.grad += f.grad * f.local_grads[0]            # ∂f/∂a = 1
c.grad += f.grad * f.local_grads[1]            # ∂f/∂c = 1

x.grad += a.grad * a.local_grads[0]            # 经过 a 的路径：1 · y = 4
y.grad += a.grad * a.local_grads[1]            # 1 · x = 2
x.grad += c.grad * c.local_grads[0]            # 经过 c 的路径：1 · 3 = 3，累加到 x 上

print(f"∂f/∂x = {x.grad:g}，∂f/∂y = {y.grad:g}")
assert x.grad == 7.0 and y.grad == 2.0, "x.grad 应为 7、y.grad 应为 2：请重新运行上面创建 x、y、f 的单元格"
print("✅ 与链式法则手算的 7 和 2 一致")

# %% [markdown]
# 注意 `x.grad` 用的是 `+=`：$x$ 被用了两次，两条路径的贡献要加起来。
#
# 手工的顺序有一个要求：处理一个节点之前，所有用到它的节点都必须已经处理完（先 $f$，再 $a$、$c$，最后 $x$、$y$），否则它的导数还不完整。把图中的节点排成“每个节点都在它的父节点之后”的顺序，叫**拓扑序**（topological order）；反向传播按拓扑序的逆序处理节点。求拓扑序的算法叫拓扑排序，下面用深度优先搜索实现它，再写出通用的 `backward`：

# %%
def topological_order(out):
    """返回以 out 为终点的计算图中的所有节点，每个节点都排在它的父节点之后。"""
    order, seen = [], set()

    def visit(node):             # 深度优先：先访问父节点，再把自己排进去
        if node not in seen:
            seen.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(out)
    return order


def backward(self):
    """从 self 出发做反向传播：按链式法则把导数累加到所有上游节点的 grad 上。"""
    self.grad = 1.0
    # 按拓扑序的逆序，从输出往输入走：导数 × 局部导数，累加到父节点
    for node in reversed(topological_order(self)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += node.grad * local


Value.backward = backward   # 把函数放到类上，它就成了方法：f.backward() 即 Value.backward(f)

# %% [markdown]
# 最后一行和本课的主题一脉相承：方法就是存在类上的函数，`f.backward()` 会被翻译成 `Value.backward(f)`，正如 `a + b` 被翻译成 `type(a).__add__(a, b)`。
#
# 重新建一张图，这次让 `backward` 自动完成：

# %%
def f_of(x, y):
    """f(x, y) = x·y + 3x。只用到运算符，所以对 Value 和张量都适用。"""
    return x * y + 3 * x


x, y = Value(2.0), Value(4.0)
f = f_of(x, y)
f.backward()
print(f"f = {f.data:g}，∂f/∂x = {x.grad:g}，∂f/∂y = {y.grad:g}")
assert (f.data, x.grad, y.grad) == (14.0, 7.0, 2.0)

# %% [markdown]
# 下图是这张计算图（画图的代码在 `lessons.graphs.draw_value_graph` 里）：箭头从父节点指向结果，箭头上的红色数字是局部导数；每个方框里写着前向传播算出的值和反向传播得到的导数。沿着从 $x$ 出发的两条路径把局部导数乘起来再相加，正好是 $1 \cdot 4 + 1 \cdot 3 = 7$。

# %% mystnb={"image": {"alt": "f = x·y + 3x 在 x = 2、y = 4 时的计算图：x、y 和常数 3 连到 a = x·y（值 8）与 c = 3·x（值 6），再汇到 f（值 14）；箭头上标着局部导数，x 的导数是 7，y 的导数是 2。"}}
x.label, y.label, f.label = "x", "y", "f = a + c"
f.parents[0].label, f.parents[1].label = "a = x·y", "c = 3·x"

fig, ax = plt.subplots(figsize=(7, 3.4))
graphs.draw_value_graph(f, ax=ax, title="f = x·y + 3x 的计算图（x = 2，y = 4）")
plt.show()

# %% [markdown]
# 黄色方框是没有父节点的节点：输入 $x$、$y$ 和常数 3。常数节点也得到了导数 2（$c = x \cdot 3$ 对第二个因子的局部导数是 $x = 2$），只是我们用不到它。

# %%
constant = f.parents[1].parents[1]
print(f"常数节点：{constant}，导数 {constant.grad:g}")
assert constant.data == 3.0 and constant.grad == 2.0, "请先重新运行 8.1 节末尾用 f_of 建图并调用 f.backward() 的单元格"

# %% [markdown]
# ### 8.2 与 `torch.autograd` 对照
#
# 把同一个函数 `f_of` 交给需要梯度的张量，PyTorch 的自动求导（autograd，第 3 课）给出同样的结果：

# %%
xt = torch.tensor(2.0, requires_grad=True, device=device)
yt = torch.tensor(4.0, requires_grad=True, device=device)
ft = f_of(xt, yt)
ft.backward()

print(f"PyTorch：f = {ft.item():g}，∂f/∂x = {xt.grad.item():g}，∂f/∂y = {yt.grad.item():g}")
assert (ft.item(), xt.grad.item(), yt.grad.item()) == (f.data, x.grad, y.grad), (
    "请先重新运行 8.1 节末尾用 f_of 建图并调用 f.backward() 的单元格"
)
print("✅ 手写的 Value 与 torch.autograd 的结果完全相同")

# %% [markdown]
# 再用一个更长的表达式和不同的输入对照一次：

# %%
def g_of(x, y):
    return 0.5 * x * x * y + 2 * (x + y) * y + 1


for x0, y0 in [(1.0, -2.0), (-0.5, 3.0), (2.5, 0.25)]:
    xv, yv = Value(x0), Value(y0)
    gv = g_of(xv, yv)
    gv.backward()

    xt = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    yt = torch.tensor(y0, dtype=torch.float64, requires_grad=True)
    gt = g_of(xt, yt)
    gt.backward()

    print(f"x = {x0:5}, y = {y0:5}：Value 给出 ({xv.grad:.4f}, {yv.grad:.4f})，"
          f"PyTorch 给出 ({xt.grad.item():.4f}, {yt.grad.item():.4f})")
    assert abs(xv.grad - xt.grad.item()) < 1e-12 and abs(yv.grad - yt.grad.item()) < 1e-12
print("✅ 三组输入的导数全部一致")

# %% [markdown]
# ### 8.3 `Value` 与 PyTorch 的区别
#
# 两者的共同点是思路：前向传播时记下计算图，反向传播时按拓扑序的逆序应用链式法则，把导数累加到上游。区别有三点。
#
# **第一，PyTorch 记录计算图靠的不是运算符重载。** 在需要记录计算图时，每个可求导的 PyTorch 运算都在自己内部记下反向传播要用的节点（`grad_fn`），不管它是通过运算符 `+` 调用的，还是写成函数 `torch.add`、`torch.sin`。运算符重载只是让我们能写 `a + b` 而不必写 `torch.add(a, b)`。`Value` 则完全靠魔术方法记录，所以 `torch.sin` 这类函数它不认识：

# %%
xt = torch.tensor(2.0, requires_grad=True, device=device)
print("xt + 1          的 grad_fn：", (xt + 1).grad_fn.name())
print("torch.add(xt, 1) 的 grad_fn：", torch.add(xt, 1).grad_fn.name())
print("torch.sin(xt)    的 grad_fn：", torch.sin(xt).grad_fn.name())
assert (xt + 1).grad_fn.name() == torch.add(xt, 1).grad_fn.name() == "AddBackward0"
assert torch.sin(xt).grad_fn.name() == "SinBackward0"

with expect_error(TypeError):
    torch.sin(Value(2.0))

# %% [markdown]
# **第二，局部导数在什么时候算。** `Value` 在前向传播时当场把局部导数算成数存下来。PyTorch 则在前向传播时保存反向传播要用到的张量，等到反向传播时才用它们计算。例如乘法 $x \cdot y$ 的节点 `MulBackward0` 保存了两个因子（对 $x$ 的局部导数是 $y$，对 $y$ 的是 $x$）；加法的局部导数恒为 1，不需要保存任何张量。PyTorch 的文档用 `grad_fn._saved_self` 这样的属性展示保存的张量：

# %%
xt = torch.tensor(2.0, requires_grad=True, device=device)
yt = torch.tensor(4.0, requires_grad=True, device=device)
ft = f_of(xt, yt)
mul = ft.grad_fn.next_functions[0][0]       # x * y 的反向传播节点
print(mul.name(), "保存了 self =", mul._saved_self.item(), "和 other =", mul._saved_other.item())
assert mul.name() == "MulBackward0" and (mul._saved_self.item(), mul._saved_other.item()) == (2.0, 4.0)

# %% [markdown]
# **第三，保存的张量在反向传播后被释放。** 为了节省内存，`backward()` 一结束，这些保存的张量就被释放了；再访问它们，或者对同一张图再反向传播一次，都会报错。`Value` 只存数、从不释放，所以没有这个问题。下一课 12.3 节会讲这个错误和它的修正（`retain_graph=True`），并说明为什么 `(a + 1).sum()` 这样不保存张量的图可以反向传播两次。

# %%
ft = f_of(xt, yt)                           # 重新前向传播一次，这个单元格可以重复运行
mul = ft.grad_fn.next_functions[0][0]
ft.backward()
print("访问保存的张量：")
with expect_error(RuntimeError):
    mul._saved_self
print("第二次 backward：")
with expect_error(RuntimeError):
    ft.backward()

# %% [markdown]
# 此外，PyTorch 处理的是张量而不是单个数：一个运算的“局部导数”是一个雅可比矩阵，反向传播计算的是向量与它的乘积（第 3 课第 9 节）。PyTorch 还为大量运算写好了反向传播的公式，并能在 GPU 上运行。

# %% [markdown]
# ## 自测题
#
# 下面的题目点一下就能作答，并立即显示解析。在网站上不需要运行任何代码；在 JupyterLab 或 Colab 中，运行下面的单元格即可作答。

# %%
from lessons import quiz

quiz.show("02_operator_overloading")

# %% [markdown]
# ## 练习
#
# ### 练习 1
#
# 先不要运行代码，预测下面两个表达式的结果，再把它们写成 `answer = (商的列表, 余数的列表)`：
#
# ```python
# a = torch.tensor([-7, -6, 5, 7])
# a // 3
# a % 3
# ```

# %%
answer = None  # 把 None 换成你的答案
ex.check_1(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# # -7 / 3 ≈ -2.33，向下取整得 -3，余数 -7 - (-3) * 3 = 2
# answer = ([-3, -2, 1, 2], [2, 0, 2, 1])
# ```
#
# </details>

# %% [markdown]
# ### 练习 2
#
# 把下面用运算符写成的表达式改写成**只用 torch 函数**的形式（不出现任何运算符），写在函数 `function_form` 里：
#
# ```python
# (x @ w + b) ** 2 > 1
# ```
#
# 其中 `x` 的形状是 `(行数, 3)`，`w` 的形状是 `(3,)`，`b` 是一个标量张量，所以 `x @ w` 是矩阵-向量积。提示：对照第 2 节的表，从最里层的括号开始改写。检查器的输入里有 `(x @ w + b) ** 2` 恰好等于 1 的行，`>` 与 `>=` 在那里结果不同。

# %%
def function_form(x, w, b):
    return None  # 把 None 换成只用 torch 函数的写法


ex.check_2(function_form)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def function_form(x, w, b):
#     return torch.gt(torch.pow(torch.add(torch.matmul(x, w), b), 2), 1)
# ```
#
# 从里到外：`x @ w` → `torch.matmul`（也可以用 `torch.mv`），`+ b` → `torch.add`，`** 2` → `torch.pow`，`> 1` → `torch.gt`。
#
# </details>

# %% [markdown]
# ### 练习 3
#
# 矩阵 `X` 的每一行是一个点，`p` 是另一个坐标个数相同的点。点可以有任意多个坐标（平面上的点有 2 个，空间中的点有 3 个），你的函数对哪一种都应适用：检查器会用平面上的点和空间中的点各试一次。写函数 `distances(X, p)`，返回 `X` 的每一行到 `p` 的距离（两点之差的 $L_2$ 范数），结果是一维张量，每行一个数。提示：`X - p` 会按广播规则让每一行都减去 `p`；再想想 `torch.linalg.vector_norm` 的 `dim` 参数该取几。

# %%
def distances(X, p):
    return None  # 把 None 换成你的代码


ex.check_3(distances)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def distances(X, p):
#     return torch.linalg.vector_norm(X - p, dim=1)
# ```
#
# `X - p` 的形状与 `X` 相同，第 `i` 行是 `X[i] - p`；`dim=1` 让范数沿每一行计算，结果的长度等于 `X` 的行数。
#
# </details>

# %% [markdown]
# ### 练习 4（选读）
#
# 这道题用到第 8 节的 `Value` 类，请先运行第 8 节的单元格。给 `Value` 加上减法和乘方：写一个子类 `MyValue(Value)`，实现
#
# - `__sub__`：`x - y`，局部导数分别是 $1$ 和 $-1$；
# - `__rsub__`：`5 - x` 这种左边是普通数的情况（注意它计算的是 `other - self`）；
# - `__pow__`：`x ** n`，其中 `n` 是普通的数，局部导数是 $n\,x^{n-1}$。
#
# 结果要用 `type(self)(...)` 创建，这样 `(x - y) ** 2` 这类连续运算才能继续用上新方法。检查器会用 `g = (x * y - 1) ** 3 + 2 - x` 和 `torch.autograd` 对照。

# %%
class MyValue(Value):
    pass  # 在这里添加 __sub__、__rsub__ 和 __pow__


answer = None  # 写好后把 None 换成 MyValue
ex.check_4(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# class MyValue(Value):
#     def __sub__(self, other):
#         other = self._lift(other)
#         # ∂(s - o)/∂s = 1，∂(s - o)/∂o = -1
#         return type(self)(self.data - other.data, (self, other), "-", (1.0, -1.0))
#
#     def __rsub__(self, other):
#         # other - self：先把 other 包装成 Value，再交给 __sub__
#         return self._lift(other) - self
#
#     def __pow__(self, n):
#         # n 是普通的数：∂(s ** n)/∂s = n * s ** (n - 1)
#         return type(self)(self.data ** n, (self,), f"**{n}", (n * self.data ** (n - 1),))
#
#
# answer = MyValue
# ```
#
# </details>

# %% [markdown]
# ## 小结
#
# - Python 把运算符翻译成魔术方法调用：`a + b` 是 `type(a).__add__(a, b)`；左操作数处理不了时（返回 `NotImplemented`），再调用右操作数的反射方法，如 `1 + t` 用 `t.__radd__(1)`；
# - 张量的每个运算符都对应一个 torch 函数（`+` 对应 `torch.add`，`@` 对应 `torch.matmul`，……），结果完全相同；
# - `*` 是逐元素乘法；`@` 是矩阵乘法，`(m, n) @ (n,)` 是矩阵-向量积，得到形状 `(m,)` 的向量，两个向量之间是点积；范数用 `torch.linalg.vector_norm`，`dim` 决定沿哪一维计算；
# - `t += 1` 调用 `__iadd__`，原地修改张量，所有别名和视图都看得到；`t = t + 1` 则生成新张量；
# - 比较运算得到布尔张量；`and`、`or`、`not` 没有对应的魔术方法，只会用 `bool()` 判断真假，所以组合条件要用 `&`、`|`、`~` 并加括号，也不能连写 `0 < t < 3`；`//` 向下取整，需要向零取整时写 `rounding_mode="trunc"`；
# - （选读）运算符重载可以在计算时记录计算图，沿图按拓扑序的逆序应用链式法则就是反向传播；PyTorch 的自动求导思路相同，但记录发生在每个可求导的运算内部，局部导数在反向传播时才用保存的张量计算，这些张量随后被释放。
