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
# # 运算符重载：`a + b` 背后发生了什么
#
# **导读**：在 PyTorch 里，两个张量相加只要写 `a + b`，矩阵相乘只要写 `A @ B`，读起来和数学公式几乎一样。这不是 PyTorch 的魔法，而是 Python 的**运算符重载**（operator overloading）：解释器把每个运算符翻译成一次方法调用，PyTorch 只是实现了这些方法。这一课先弄清楚这套翻译规则，列出常用运算符对应的张量函数并逐一验证；再看几个因为不了解规则而踩的坑（`and` 与 `&`、连写的比较、负数的整除）；最后亲手写一个会记录“自己是怎么算出来的”小小标量类，用它按链式法则求导数，并和 PyTorch 的结果对照。这正是下一课自动求导的原理。
#
# **学习目标**
#
# - 说出 `a + b`、`1 + t`、`t += 1` 分别会调用哪个魔术方法；
# - 查表写出常用运算符对应的 torch 函数，分清 `*`（逐元素乘法）和 `@`（矩阵乘法）；
# - 认出并改正 `and`/`or`、连写比较、整除取整方向这几类常见错误；
# - 用运算符重载写一个记录计算过程的标量类，手写反向传播求出导数，并用 `torch.autograd` 验证。

# %% [markdown]
# ## 0. 准备
#
# 第一个单元格在 Colab 中安装课程辅助包，在本地什么也不做。

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
from lessons.exercises import operators as ex

env = lessons.setup(seed=0)
device = env.device

# %% [markdown]
# ## 1. `a + b` 其实是一次方法调用
#
# Python 看到 `a + b` 时，并不知道“加”对 `a` 意味着什么。它做的事情很机械：去 `a` 的类型里找一个名叫 `__add__` 的方法，调用 `type(a).__add__(a, b)`，把返回值当作结果。这种名字前后各有两个下划线、由解释器在特定时机自动调用的方法叫**魔术方法**（magic method）。一个类只要定义了 `__add__`，它的对象就能用 `+`，这就是运算符重载。
#
# 下面的小类只做一件事：被调用时报告自己。

# %%
class Loud:
    """一个只会报告“哪个魔术方法被调用了”的小类。"""

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
# 想亲眼看到“运算符变成函数”，可以借助 `torch.overrides.TorchFunctionMode`：在它的 `with` 块里，PyTorch 每执行一个张量函数都会先经过我们写的 `__torch_function__`。我们只把函数名打印出来，不改变任何计算。（这个工具平时用不到，这里只是拿来“偷看”。）

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
# 原文 2.2 节只用一句话说“PyTorch 通过操作符重载来实现加法、减法、乘法等基本操作”。这句话没错，但有两点需要补充：第一，重载是 Python 语言提供的机制，PyTorch 做的是实现 `__add__` 这类魔术方法；第二，“乘法”在 PyTorch 里有两种，`*` 是逐元素乘法，`@` 才是矩阵乘法（第 3 节）。

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
# | `a / b` | `__truediv__` | `torch.div(a, b)` | 逐元素除（结果总是浮点数） |
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
# 表里的每一行（连同这四个比较）都可以验证：用运算符算一次，用函数算一次，两者的数值和数据类型（dtype）都应完全相同。

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
# `m // n` 和 `m % n` 里的负数看起来有些反直觉，第 7 节会解释。

# %% [markdown]
# ## 3. `*` 与 `@`：逐元素乘法与矩阵乘法
#
# 这是最容易混淆的一对。`*` 是**逐元素运算**（element-wise operation）：两个形状相同的张量，对应位置相乘，结果形状不变，
#
# $$ (A * C)_{ij} = A_{ij}\, C_{ij}. $$
#
# `@` 是**矩阵乘法**（matrix multiplication）：$A$ 的形状是 $(m, k)$、$B$ 的形状是 $(k, n)$ 时，结果的形状是 $(m, n)$，每个元素是 $A$ 的一行与 $B$ 的一列的内积，
#
# $$ (A B)_{ij} = \sum_{t=1}^{k} A_{it}\, B_{tj}. $$

# %%
A = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], device=device)   # 形状 (2, 3)
C = torch.tensor([[2.0, 0.0, 1.0], [1.0, 3.0, 0.0]], device=device)   # 形状 (2, 3)
B = torch.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]], device=device)   # 形状 (3, 2)

print("A * C 的形状：", tuple((A * C).shape))
print(A * C)
print("A @ B 的形状：", tuple((A @ B).shape))
print(A @ B)
assert (A * C).shape == (2, 3) and (A @ B).shape == (2, 2)
assert (A @ B)[0, 0].item() == (A[0, :] * B[:, 0]).sum().item() == 1 * 1 + 2 * 0 + 3 * 2
print("✅ (A @ B)[0, 0] = A 的第 0 行与 B 的第 0 列的内积 = 7")

# %% [markdown]
# 下图把两种乘法并排画出来。左边，结果的每个格子只由 $A$、$C$ 同一位置的两个数决定；右边，结果左上角的 7 由 $A$ 的整个第 0 行和 $B$ 的整个第 0 列共同决定（高亮部分）。

# %%
from matplotlib.patches import Rectangle


def draw_matrix(ax, M, left, top, name, highlight=()):
    """在 ax 上从 (left, top) 开始画矩阵 M 的格子；highlight 里的 (行, 列) 涂成橙色。"""
    values = M.cpu().tolist()
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            color = "#f4b183" if (i, j) in highlight else "#dce6f2"
            ax.add_patch(Rectangle((left + j, top - i - 1), 1, 1, facecolor=color, edgecolor="k"))
            ax.text(left + j + 0.5, top - i - 0.5, f"{v:g}", ha="center", va="center", fontsize=10)
    rows, cols = len(values), len(values[0])
    ax.text(left + cols / 2, top + 0.35, f"{name}  {rows}×{cols}", ha="center", fontsize=10)
    return left + cols


fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 2.8))

right = draw_matrix(ax1, A, 0, 3, "A", highlight={(0, 0)})
ax1.text(right + 0.5, 1.5, "*", ha="center", va="center", fontsize=16)
right = draw_matrix(ax1, C, right + 1, 3, "C", highlight={(0, 0)})
ax1.text(right + 0.5, 1.5, "=", ha="center", va="center", fontsize=16)
draw_matrix(ax1, A * C, right + 1, 3, "A * C", highlight={(0, 0)})
ax1.set_title("逐元素乘法：(2, 3) 与 (2, 3) 得 (2, 3)")

right = draw_matrix(ax2, A, 0, 3, "A", highlight={(0, 0), (0, 1), (0, 2)})
ax2.text(right + 0.5, 1.5, "@", ha="center", va="center", fontsize=16)
right = draw_matrix(ax2, B, right + 1, 3, "B", highlight={(0, 0), (1, 0), (2, 0)})
ax2.text(right + 0.5, 1.5, "=", ha="center", va="center", fontsize=16)
draw_matrix(ax2, A @ B, right + 1, 3, "A @ B", highlight={(0, 0)})
ax2.set_title("矩阵乘法：(2, 3) @ (3, 2) 得 (2, 2)")

for ax in (ax1, ax2):
    ax.set_xlim(-0.3, 11.3)
    ax.set_ylim(-0.3, 3.8)
    ax.set_aspect("equal")
    ax.axis("off")
plt.show()

# %% [markdown]
# 两种乘法对形状的要求不同，用错时的报错也不同：`*` 要求两个形状能够**广播**（broadcasting，第 1 课），`@` 要求左边的列数等于右边的行数。

# %%
try:
    A * B            # (2, 3) 与 (3, 2) 无法广播
except RuntimeError as err:
    print(f"A * B  -> RuntimeError: {str(err).splitlines()[0]}")

try:
    A @ C            # (2, 3) @ (2, 3)：3 ≠ 2
except RuntimeError as err:
    print(f"A @ C  -> RuntimeError: {str(err).splitlines()[0]}")

print("修正：A @ C.T 的形状是", tuple((A @ C.T).shape))   # C.T 是 C 的转置，形状 (3, 2)

# %% [markdown]
# 对两个一维张量（向量），`@` 算的是内积，结果是一个零维张量（标量）；而 `*` 仍然是逐元素乘，结果还是向量。

# %%
u = torch.tensor([1.0, 2.0, 3.0], device=device)
v = torch.tensor([4.0, 5.0, 6.0], device=device)
print("u @ v =", u @ v, " 形状", tuple((u @ v).shape))
print("u * v =", u * v, " 形状", tuple((u * v).shape))
assert (u @ v).shape == () and (u @ v).item() == 32.0 == (u * v).sum().item()
print("✅ u @ v 等于 (u * v).sum()，都是 32")

# %% [markdown]
# ## 4. 反射运算符：`1 + t` 怎么办
#
# `t + 1` 调用的是 `t.__add__(1)`。可是 `1 + t` 左边是 Python 的整数，`int.__add__` 根本不认识张量。Python 的规则是：左操作数的 `__add__` 返回特殊值 `NotImplemented`（表示“我处理不了”）时，再去调用右操作数的 `__radd__`，即 `t.__radd__(1)`。带 `r` 的这组方法叫**反射运算符**（reflected operator）。

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
assert torch.equal(t.__rsub__(10), 10 - t) and torch.equal(t.__rpow__(2), 2**t)
print("✅ __rsub__、__rpow__ 保持了原来的左右顺序")

# %% [markdown]
# 回到第 1 节的 `Loud` 类：它没有 `__radd__`，所以 `1 + Loud(...)` 会失败。补上 `__radd__` 就好了。

# %%
try:
    1 + Loud("a")
except TypeError as err:
    print(f"TypeError: {err}")


class LoudBothSides(Loud):
    def __radd__(self, other):
        print(f"调用了 {self.name}.__radd__({other!r})")
        return f"{other!r}+{self.name}"


print("结果：", 1 + LoudBothSides("a"))

# %% [markdown]
# ## 5. 增强赋值：`t += 1` 是原地操作
#
# `t += 1` 这样的写法叫**增强赋值**（augmented assignment）。Python 先找 `__iadd__`（`i` 表示 in-place），找到就调用它；找不到才退回到 `t = t + 1`。张量定义了 `__iadd__`，它直接修改 `t` 原有的存储，是**原地操作**（in-place operation），相当于 `t.add_(1)`。
#
# 区别在有**别名**（alias，即另一个变量名指向同一个张量对象）时才显现：

# %%
t = torch.zeros(3, device=device)
alias = t          # alias 和 t 是同一个张量对象的两个名字

t += 1             # t.__iadd__(1)：原地修改
print("t += 1 之后：   t =", t, " alias =", alias, " 同一个对象：", alias is t)
assert alias is t and torch.equal(alias, torch.ones(3, device=device))

t = t + 1          # 先算出一个新张量，再让名字 t 指向它
print("t = t + 1 之后：t =", t, " alias =", alias, " 同一个对象：", alias is t)
assert alias is not t and torch.equal(alias, torch.ones(3, device=device))
print("✅ += 改的是原张量，别名看得到；t = t + 1 生成了新张量，别名看不到")

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
# 原地操作还有一个限制：结果必须能存回原来的数据类型。整数张量加 0.5 的结果是浮点数，新建张量没问题，原地写回整数张量就不行：

# %%
counts = torch.tensor([1, 2, 3], device=device)
try:
    counts += 0.5
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

counts = counts + 0.5      # 修正：生成新的浮点张量（或一开始就用浮点数）
print(counts, counts.dtype)
assert counts.dtype == torch.float32

# %% [markdown]
# 原地操作的另一个限制会在第 3 课细讲：对需要求梯度的**叶子节点**（leaf tensor）不能做原地操作。

# %%
w = torch.ones(2, requires_grad=True, device=device)
try:
    w += 1
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# ## 6. 比较运算得到布尔张量
#
# 比较运算符同样是逐元素的，结果是同样形状的**布尔张量**（boolean tensor）。布尔张量可以当作“掩码”挑出元素，求和就是计数。

# %%
scores = torch.tensor([0.2, 0.9, 0.5, 0.7, 0.6], device=device)
mask = scores > 0.6

print("mask       =", mask, mask.dtype)
print("scores[mask] =", scores[mask])
print("大于 0.6 的个数：", mask.sum().item())
assert mask.dtype == torch.bool and mask.sum().item() == 2
print("✅ 比较的结果是布尔张量，0.6 本身不大于 0.6，所以只有 2 个")

# %% [markdown]
# 因为 `==` 也是逐元素的，`a == b` 的结果是一个布尔张量，而不是一个“是否相等”的答案。想问“两个张量是否完全相同”，要用 `torch.equal(a, b)` 或 `(a == b).all()`。直接写 `if a == b:` 会报错：

# %%
a = torch.tensor([1, 2, 3], device=device)
b = torch.tensor([1, 2, 4], device=device)
print("a == b       =", a == b)
try:
    if a == b:
        print("相等")
except RuntimeError as err:
    print(f"if a == b: -> RuntimeError: {str(err).splitlines()[0]}")
print("torch.equal(a, b) =", torch.equal(a, b), "  (a == b).all() =", (a == b).all().item())
assert not torch.equal(a, b)

# %% [markdown]
# 报错的原因是 `if` 需要把条件变成一个 `True` 或 `False`，也就是调用 `bool(a == b)`；一个有多个元素的布尔张量该算真还是假，PyTorch 拒绝替你决定。只有一个元素的张量可以转成 `bool`。下一节的几个坑都源于这一点。

# %%
single = torch.tensor([5], device=device) > 3     # 只有一个元素的布尔张量
print("bool(single) =", bool(single))
assert bool(single) is True

# %% [markdown]
# ## 7. 常见陷阱
#
# ### 7.1 `and`、`or`、`not` 不能用于张量
#
# 想要“大于 0 且小于 3”，很自然会写 `(t > 0) and (t < 3)`。但 `and`、`or`、`not` 是 Python 的关键字，不是运算符，**不能重载**：`x and y` 总是先计算 `bool(x)`，于是出现和上面相同的错误。

# %%
t = torch.tensor([-1, 0, 1, 2, 3, 4], device=device)
try:
    (t > 0) and (t < 3)
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# 修正：用逐元素的 `&`（与）、`|`（或）、`~`（非），或者等价的 `torch.logical_and`、`torch.logical_or`、`torch.logical_not`。

# %%
inside = (t > 0) & (t < 3)
print("(t > 0) & (t < 3) =", inside)
assert torch.equal(inside, torch.logical_and(t > 0, t < 3))
assert t[inside].tolist() == [1, 2]
print("✅ 只有 1 和 2 在 (0, 3) 之间")

# %% [markdown]
# ### 7.2 `&` 两边的括号不能省
#
# `&`、`|` 的**优先级**（operator precedence）比比较运算符高。`t > 0 & t < 3` 会被理解成 `t > (0 & t) < 3`，这又是一个连写的比较（见 7.3），同样报错：

# %%
try:
    t > 0 & t < 3
except RuntimeError as err:
    print(f"t > 0 & t < 3 -> RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# ### 7.3 连写的比较 `0 < t < 3`
#
# 对普通数字，`0 < x < 3` 很方便。但 Python 把它展开成 `(0 < x) and (x < 3)`，里面藏着一个 `and`：

# %%
try:
    0 < t < 3
except RuntimeError as err:
    print(f"0 < t < 3 -> RuntimeError: {str(err).splitlines()[0]}")

fixed = (0 < t) & (t < 3)
print("(0 < t) & (t < 3) =", fixed)
assert torch.equal(fixed, inside)

# %% [markdown]
# ### 7.4 整数除法与负数
#
# 整数张量之间的三种“除法”各不相同：
#
# - `/` 总是做真正的除法，整数张量相除得到浮点数：`7 / 2 = 3.5`；
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
# 注意：PyTorch 1.13 之前，`torch.floor_divide`（也就是 `//`）实际上做的是向零取整，所以较老的教程里 `-7 // 2` 可能显示 `-3`。现在的版本与 Python 一致。不确定时，直接写出 `rounding_mode`，意图最清楚。

# %% [markdown]
# ## 8. 自己动手：一个会记录来历的标量类
#
# 运算符重载不只能做计算，还能在计算的同时**记录**发生了什么。下面写一个最小的标量类 `Value`：每次做 `+` 或 `*`，除了算出结果，还记下结果的“父节点”（由哪两个值算出来）、用的运算，以及结果对每个父节点的**局部导数**（local derivative）：
#
# - 加法 $s + o$：对 $s$ 的偏导数是 $1$，对 $o$ 的偏导数也是 $1$；
# - 乘法 $s \cdot o$：对 $s$ 的偏导数是 $o$，对 $o$ 的偏导数是 $s$。
#
# 这些记录连起来就是一张**计算图**（computational graph）。

# %%
class Value:
    """一个会记住自己来历的标量。

    data：数值；parents：由哪些 Value 算出来；op：用的什么运算；
    local_grads：结果对每个父节点的局部导数；grad：反向传播后得到的梯度。
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

    # 用 type(self)(...) 而不写死 Value：子类（练习 3）的运算结果仍是子类
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
assert (1 + x).data == 3.0

# %% [markdown]
# ### 8.1 手写反向传播
#
# 现在求 $\frac{\partial f}{\partial x}$ 和 $\frac{\partial f}{\partial y}$。**链式法则**（chain rule）说：$f$ 对某个节点的**梯度**（gradient），等于沿着从这个节点到 $f$ 的每条路径，把局部导数乘起来，再把各条路径的结果加起来。$x$ 有两条路径通向 $f$（经过 $a$ 和经过 $c$），所以
#
# $$
# \frac{\partial f}{\partial x}
# = \frac{\partial f}{\partial a}\frac{\partial a}{\partial x} + \frac{\partial f}{\partial c}\frac{\partial c}{\partial x}
# = 1 \cdot y + 1 \cdot 3 = 7,
# \qquad
# \frac{\partial f}{\partial y} = \frac{\partial f}{\partial a}\frac{\partial a}{\partial y} = 1 \cdot x = 2.
# $$
#
# 按这个思路，从输出 $f$ 出发往回走，每到一个节点，就把“自己的梯度 × 局部导数”累加到父节点上。这就是**反向传播**（backpropagation）。先一步一步手工做一遍，用的都是上面记录下来的 `parents` 和 `local_grads`：

# %%
f.grad = 1.0                                   # ∂f/∂f = 1

a.grad += f.grad * f.local_grads[0]            # ∂f/∂a = 1
c.grad += f.grad * f.local_grads[1]            # ∂f/∂c = 1

x.grad += a.grad * a.local_grads[0]            # 经过 a 的路径：1 · y = 4
y.grad += a.grad * a.local_grads[1]            # 1 · x = 2
x.grad += c.grad * c.local_grads[0]            # 经过 c 的路径：1 · 3 = 3，累加到 x 上

print(f"∂f/∂x = {x.grad:g}，∂f/∂y = {y.grad:g}")
assert x.grad == 7.0 and y.grad == 2.0
print("✅ 与链式法则手算的 7 和 2 一致")

# %% [markdown]
# 注意 `x.grad` 用的是 `+=`：$x$ 被用了两次，两条路径的贡献要加起来。
#
# 手工的顺序有一个要求：处理一个节点之前，所有用到它的节点都必须已经处理完（先 $f$，再 $a$、$c$，最后 $x$、$y$），否则它的梯度还不完整。满足这个要求的顺序叫**拓扑排序**（topological order）的逆序。把它写成通用的函数：

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
    """从 self 出发做反向传播：按链式法则把梯度累加到所有上游节点的 grad 上。"""
    self.grad = 1.0
    # 逆序处理：从输出往输入走，梯度 × 局部导数，累加到父节点
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
# 下图是这张计算图：箭头从父节点指向结果，箭头上的红色数字是局部导数；每个方框里写着**前向传播**（forward pass）算出的值和反向传播得到的梯度。沿着从 $x$ 出发的两条路径把局部导数乘起来再相加，正好是 $1 \cdot 4 + 1 \cdot 3 = 7$。

# %%
def draw_graph(out, ax):
    """把以 out 为终点的计算图画在 ax 上：叶子在左，输出在右。"""
    order = topological_order(out)
    # 每个节点的列号 = 它离叶子最远的步数；同一列的节点上下排开
    column = {}
    for node in order:
        column[node] = 1 + max((column[p] for p in node.parents), default=-1)
    pos = {}
    for col in set(column.values()):
        members = [node for node in order if column[node] == col]
        for i, node in enumerate(members):
            pos[node] = (col * 3.0, (len(members) - 1) / 2 - i)
    for node in order:
        for parent, local in zip(node.parents, node.local_grads):
            ax.annotate("", xy=pos[node], xytext=pos[parent],
                        arrowprops=dict(arrowstyle="->", color="gray", shrinkA=28, shrinkB=28))
            # 箭头上标出局部导数
            (x0, y0), (x1, y1) = pos[parent], pos[node]
            ax.text(x0 + 0.65 * (x1 - x0), y0 + 0.65 * (y1 - y0), f"{local:g}", color="C3", fontsize=9,
                    ha="center", va="center", bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"))
    for node in order:
        name = node.label or f"常数 {node.data:g}"
        ax.text(*pos[node], f"{name}\n值 {node.data:g}\n梯度 {node.grad:g}", ha="center", va="center",
                fontsize=9, bbox=dict(boxstyle="round", facecolor="#dce6f2" if node.parents else "#fff2cc"))
    ax.set_xlim(-1.2, 3.0 * max(column.values()) + 1.2)
    ax.set_ylim(-1.6, 1.6)
    ax.axis("off")


for node, name in ((x, "x"), (y, "y"), (f, "f = a + c")):
    node.label = name
a, c = f.parents
a.label, c.label = "a = x·y", "c = 3·x"

fig, ax = plt.subplots(figsize=(7, 3.4))
draw_graph(f, ax)
ax.set_title("f = x·y + 3x 的计算图（x = 2，y = 4）")
plt.show()

# %% [markdown]
# 黄色方框是叶子：输入 $x$、$y$ 和常数 3。常数节点也得到了梯度 2（$c = x \cdot 3$ 对第二个因子的局部导数是 $x = 2$），只是我们用不到它。

# %%
constant = c.parents[1]
print(f"常数节点：{constant}，梯度 {constant.grad:g}")
assert constant.data == 3.0 and constant.grad == 2.0

# %% [markdown]
# ### 8.2 与 `torch.autograd` 对照
#
# PyTorch 的张量也重载了这些运算符，同样在计算时记录计算图，这就是**自动求导**（autograd）。因为 `f_of` 只用到运算符，同一个函数可以直接作用在张量上：

# %%
xt = torch.tensor(2.0, requires_grad=True, device=device)
yt = torch.tensor(4.0, requires_grad=True, device=device)
ft = f_of(xt, yt)
ft.backward()

print(f"PyTorch：f = {ft.item():g}，∂f/∂x = {xt.grad.item():g}，∂f/∂y = {yt.grad.item():g}")
assert (ft.item(), xt.grad.item(), yt.grad.item()) == (f.data, x.grad, y.grad)
print("✅ 手写的 Value 与 torch.autograd 的结果完全相同")

# %% [markdown]
# PyTorch 记下的“来历”也能看到：`ft.grad_fn` 是产生 `ft` 的运算（加法），它的 `next_functions` 指向两个父节点的运算（两次乘法）。

# %%
print("ft 由", ft.grad_fn.name(), "产生")
print("它的父节点由", [fn.name() for fn, _ in ft.grad_fn.next_functions], "产生")
assert ft.grad_fn.name() == "AddBackward0"

# %% [markdown]
# 再用一个更长的表达式和不同的输入对照一次，确认 `Value` 的做法是通用的：

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
print("✅ 三组输入的梯度全部一致")

# %% [markdown]
# 这就是下一课的全部秘密：PyTorch 的自动求导，本质上和这几十行代码相同，只是支持了张量、几百种运算和 GPU。

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
# 其中 `x` 的形状是 `(行数, 3)`，`w` 的形状是 `(3,)`，`b` 是一个标量张量。提示：对照第 2 节的表，从最里层的括号开始改写。

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
# 从里到外：`x @ w` → `torch.matmul`，`+ b` → `torch.add`，`** 2` → `torch.pow`，`> 1` → `torch.gt`。
#
# </details>

# %% [markdown]
# ### 练习 3
#
# 给 `Value` 加上减法和乘方：写一个子类 `MyValue(Value)`，实现
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
ex.check_3(answer)

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
# - 张量的每个运算符都对应一个 torch 函数（`+` 对应 `torch.add`，`@` 对应 `torch.matmul`，……），结果完全相同；`*` 是逐元素乘法，`@` 是矩阵乘法，形状要求不同；
# - `t += 1` 调用 `__iadd__`，原地修改张量，所有别名都看得到；`t = t + 1` 则生成新张量；
# - 比较运算得到布尔张量；组合条件用 `&`、`|`、`~` 并加括号，不能用 `and`、`or`、`not`，也不能连写 `0 < t < 3`；`//` 向下取整，需要向零取整时写 `rounding_mode="trunc"`；
# - 运算符重载可以在计算时记录计算图；沿图逆序应用链式法则就是反向传播，PyTorch 的自动求导正是这样工作的。
