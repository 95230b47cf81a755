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
# # 自动求导
#
# **导读**：训练模型最常用的办法，是反复把参数朝着让损失下降最快的方向（梯度的反方向）挪一小步，所以每一步都要先求出梯度。手推梯度对两三个参数还行，对上百万个参数就不现实了。原文第 2.3 节只用一句话说“PyTorch 可以自动计算梯度”，这句话没错，但没有说它是怎么做到的、用的时候要注意什么。这一课把 PyTorch 的**自动求导**（autograd）拆开来看：前向传播时，每个可求导的运算都把自己记进一张**计算图**（computational graph）；调用 `backward()` 时，PyTorch 沿着这张图用**链式法则**（chain rule）把梯度一路传回去。我们会用手算、有限差分和自动求导三种方法互相核对梯度，看梯度如何穿过 Python 的 `if` 和 `while`，学会不改动 `.grad` 的 `torch.autograd.grad`，并把初学者最常碰到的几个错误逐一复现、解释和修正。
#
# **学习目标**
#
# - 会用 `requires_grad` 标记需要求梯度的张量，能读懂 `grad_fn` 与 `next_functions` 组成的计算图；
# - 会对标量调用 `backward()`，并用手算、有限差分和 `torch.autograd.gradcheck` 检查梯度；
# - 分清叶子节点与非叶子节点，知道梯度为什么会累加、为什么训练循环要清零梯度；
# - 会用 `torch.no_grad()` 和 `detach()` 关闭梯度追踪，会对非标量输出求向量-雅可比积，会用 `torch.autograd.grad` 求梯度和二阶导数；
# - 认得四个常见错误（原地修改叶子节点、整数张量、两次反向传播、原地修改被保存的张量）的报错信息，知道怎么改。

# %% [markdown]
# ## 1. 准备
#
# 第一个单元格和每一课一样：在 Colab 中安装课程辅助包，在本地什么也不做。

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
# 然后导入要用的库，设好随机种子、选好设备。本课的张量都很小，放在哪个设备上结果都一样；打印时我们只打印数值（用 `.item()` 或 `.tolist()`），所以输出和设备无关。`expect_error` 在第 1 课用过，用来演示故意写错的代码：代码报出所说的错误时，它打印错误的类型和第一行信息，然后继续运行；代码没有报错时，它反而报错，提醒你结果与课文所说的不符。

# %%
import math
import warnings

import matplotlib.pyplot as plt
import torch
from torch.autograd.gradcheck import GradcheckError

import lessons
from lessons import graphs
from lessons.checking import expect_error

env = lessons.setup(seed=0)

# %% [markdown]
# ## 2. `requires_grad`：告诉 PyTorch 要追踪谁
#
# 先看一个最小的例子。设输入 $x = 2$、目标 $t = 5$ 是数据，**权重**（weight）$w = 3$ 和**偏置**（bias）$b = 1$ 是要学习的**参数**（parameter）。模型的预测和平方误差是
#
# $$y = w x + b, \qquad L = (y - t)^2 .$$
#
# 对一元函数，**导数**（derivative）描述函数值随自变量变化的快慢；函数有多个自变量时，只让其中一个变化、其余保持不变求出的导数叫**偏导数**（partial derivative），所有偏导数排成的向量叫**梯度**（gradient）。我们想知道 $L$ 对 $w$ 和 $b$ 的梯度。创建张量时写上 `requires_grad=True`，就是告诉 PyTorch：“这个张量参与的计算都要记下来，以后要对它求梯度。”数据 $x$ 和 $t$ 不需要梯度，保持默认的 `False`。

# %%
x = torch.tensor(2.0, device=env.device)
t = torch.tensor(5.0, device=env.device)
w = torch.tensor(3.0, device=env.device, requires_grad=True)
b = torch.tensor(1.0, device=env.device, requires_grad=True)

print("x.requires_grad =", x.requires_grad)
print("w.requires_grad =", w.requires_grad)

# %% [markdown]
# `requires_grad` 会沿着计算传下去：一个可求导的运算，只要有一个输入需要梯度，结果就需要梯度；所有输入都不需要，结果也不需要。不可求导的运算是例外，比如比较 `w > 0` 得到的布尔张量不需要梯度；写在 `torch.no_grad()` 里的运算也不记录（第 7 节）。

# %%
y = w * x + b
L = (y - t) ** 2
double_x = x * 2

print("y =", y.item(), " L =", L.item())
print("y.requires_grad =", y.requires_grad, " L.requires_grad =", L.requires_grad)
print("double_x.requires_grad =", double_x.requires_grad, " (w > 0).requires_grad =", (w > 0).requires_grad)
assert y.item() == 7.0 and L.item() == 4.0
assert y.requires_grad and L.requires_grad and not double_x.requires_grad
assert not (w > 0).requires_grad
print("✅ y = 7、L = 4；y 和 L 需要梯度；只由 x 算出的 double_x 和比较结果 w > 0 不需要")

# %% [markdown]
# ## 3. 计算图：`grad_fn` 链
#
# 在记录计算图时，由需要梯度的张量经可求导的运算得到的结果，都带着一个 `grad_fn` 属性：它记录“我是由什么运算得到的”，也就是反向传播时要调用的那个求导函数。`L` 由平方得到，`y` 由加法得到：

# %%
print("L.grad_fn:", L.grad_fn.name())
print("y.grad_fn:", y.grad_fn.name())
print("w.grad_fn:", w.grad_fn)
assert L.grad_fn.name() == "PowBackward0" and y.grad_fn.name() == "AddBackward0", "请先重新运行第 2 节创建 x、t、w、b 并计算 y、L 的单元格"
assert w.grad_fn is None, "请先重新运行第 2 节创建 x、t、w、b 并计算 y、L 的单元格"
print("✅ L 来自平方（Pow），y 来自加法（Add），w 是我们亲手创建的，没有 grad_fn")

# %% [markdown]
# 这些节点是每个运算自己记下的，和写法无关：写成运算符 `w * x`，还是函数 `torch.mul(w, x)`，得到的是同一种节点；`torch.sin` 这样没有对应运算符的函数也一样会记录。运算符重载（第 2 课）只是让代码读起来像公式，计算图并不靠它记录。

# %%
print("w * x          :", (w * x).grad_fn.name())
print("torch.mul(w, x):", torch.mul(w, x).grad_fn.name())
print("torch.sin(w)   :", torch.sin(w).grad_fn.name())
assert (w * x).grad_fn.name() == torch.mul(w, x).grad_fn.name() == "MulBackward0", "请先重新运行第 2 节创建 x、t、w、b 并计算 y、L 的单元格"
assert torch.sin(w).grad_fn.name() == "SinBackward0", "请先重新运行第 2 节创建 x、t、w、b 并计算 y、L 的单元格"

# %% [markdown]
# 每个 `grad_fn` 又有一个 `next_functions` 属性，依次列出它的各个输入在计算图中对应的节点：由运算得到的输入，对应的就是这个输入的 `grad_fn`；另外两种情况见下面两条。从 `L.grad_fn` 出发沿着 `next_functions` 一路走下去，就能把整张计算图走一遍。下面的函数把它按缩进打印出来：
#
# - `AccumulateGrad` 是需要梯度的叶子的“收件箱”：传到这里的梯度会被累加到该张量的 `.grad` 上（叶子节点在第 6 节细讲，累加在第 8 节）；
# - `None` 表示这个输入不需要梯度（这里是 $x$ 和 $t$），反向传播到此为止。
#
# 叶子的名字通过参数 `names` 传进来，按对象查找（`is`）；找不到时照样打印，并说明原因。

# %%
def node_label(node, names: dict) -> str:
    """计算图中一个节点的名字；names 把名字映射到叶子节点，如 {"w": w}。"""
    if node is None:
        return "None（不需要梯度的输入）"
    if hasattr(node, "variable"):  # AccumulateGrad 节点记着它对应的叶子节点
        name = next((k for k, v in names.items() if v is node.variable), None)
        if name is None:
            return "AccumulateGrad（这个叶子不在 names 里：L 可能是用旧的 w、b 算出的，请重新运行计算 y、L 的单元格）"
        return f"AccumulateGrad（叶子 {name}）"
    return node.name()


def show_graph(node, names: dict, depth: int = 0) -> None:
    """沿 next_functions 递归地打印计算图，缩进表示深度。"""
    print("    " * depth + node_label(node, names))
    if node is not None:
        for child, _ in node.next_functions:
            show_graph(child, names, depth + 1)


show_graph(L.grad_fn, names={"w": w, "b": b})

# %% [markdown]
# 读法：`L` 由 `PowBackward0`（平方）得到；平方的输入来自 `SubBackward0`（减去 $t$）；减法的两个输入，一个来自 `AddBackward0`，另一个是不需要梯度的 $t$；依此类推，最后到达 $w$ 和 $b$ 的 `AccumulateGrad`。
#
# 画成图更直观。`lessons.graphs.draw_autograd_graph` 做的是同样的遍历，只是把结果画出来：橙色是运算节点，蓝色是叶子的 `AccumulateGrad`，灰色是不需要梯度的输入；箭头沿 `next_functions` 的方向，也就是**反向传播**（backpropagation）时梯度流动的方向。

# %% mystnb={"image": {"alt": "L = (w·x + b − t)² 的计算图，红色箭头表示反向传播：平方 → 减法 → 加法；加法分两支，一支直达存入 b.grad 的 AccumulateGrad，一支经乘法到存入 w.grad 的 AccumulateGrad；x、t 不需要梯度。"}}
fig, ax = plt.subplots(figsize=(9, 3.4))
graphs.draw_autograd_graph(
    L, names={"w": w, "b": b}, inputs={("MulBackward0", 1): "x", ("SubBackward0", 1): "t"},
    meanings={"PowBackward0": "平方 (·)²", "SubBackward0": "减法 y − t", "AddBackward0": "加法 w·x + b", "MulBackward0": "乘法 w·x"},
    ax=ax, title="L = (w·x + b − t)² 的计算图（红色箭头：反向传播的方向）",
)
plt.show()

# %% [markdown]
# 这张图是在**前向传播**（forward pass）的过程中，一边计算一边搭起来的：每执行一步可求导的运算，就添一个节点。这就是原文附录所说的“动态计算图”。下一次前向传播会重新搭一张新图，所以每一次的计算可以不同，比如带有 `if` 和循环（第 10 节）。

# %% [markdown]
# ## 4. `backward()`：从标量出发求梯度
#
# 对标量 `L` 调用 `L.backward()`，PyTorch 就从 `L.grad_fn` 出发，沿着上图的箭头把梯度传到每个需要梯度的叶子，存进它们的 `.grad`。它依据的是链式法则：如果 $z$ 通过中间变量 $u$ 依赖 $x$（$z = f(u)$，$u = g(x)$），那么
#
# $$\frac{dz}{dx} = \frac{dz}{du}\cdot\frac{du}{dx},$$
#
# 即把沿途每一步的导数乘起来。变量不止一个时，把导数换成偏导数；如果 $x$ 经过几个中间变量 $u_1,\dots,u_m$ 影响 $z$，就把每条路径上的乘积加起来：
#
# $$\frac{\partial z}{\partial x}=\sum_{j=1}^{m}\frac{\partial z}{\partial u_j}\,\frac{\partial u_j}{\partial x}$$
#
# （第 2 课 8.1 节 $\partial f/\partial x = 1\cdot y + 1\cdot 3$ 就是两条路径之和，本课第 7 节 $u\cdot u$ 的导数 $2u$ 也是这样来的）。这里 $L$ 只通过 $y$ 一条路径依赖 $w$ 和 $b$，手算一遍：
#
# $$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial y}\cdot\frac{\partial y}{\partial w} = 2(y - t)\cdot x = 2\times 2\times 2 = 8,
# \qquad
# \frac{\partial L}{\partial b} = 2(y - t)\cdot 1 = 4 .$$
#
# 下面的单元格先清掉旧的梯度，并重新做一遍前向传播，再调用 `backward()`。这样它可以重复运行：`backward()` 会把梯度累加到 `.grad` 上（第 8 节），而且反向传播之后这张图保存的中间值就被释放了（12.3 节）。

# %%
w.grad = None   # 清掉旧梯度
b.grad = None
y = w * x + b   # 重新做一遍前向传播，得到一张新的计算图
L = (y - t) ** 2
L.backward()
print("w.grad =", w.grad.item())
print("b.grad =", b.grad.item())
assert w.grad.item() == 8.0 and b.grad.item() == 4.0, "请先重新运行第 2 节创建 x、t、w、b 的单元格"
print("✅ 自动求导的结果与手算一致：∂L/∂w = 8，∂L/∂b = 4")

# %% [markdown]
# 注意两点：梯度存在叶子节点的 `.grad` 里，形状和张量本身相同；`backward()` 本身不返回任何东西。

# %% [markdown]
# ## 5. 三种方法核对梯度：手算、有限差分、自动求导
#
# 自动求导按每个运算的求导公式计算，结果只受浮点舍入的影响。但我们怎么确认它对呢？办法是换一种完全不同的方法再算一遍。
#
# 取一个二元函数（有两个自变量的函数）
#
# $$f(x_0, x_1) = x_0^2\, x_1 + \sin x_1 ,$$
#
# 它的偏导数可以手算，用到下面几条基本的求导法则（$c$ 是常数，$u$、$v$ 是 $x$ 的可导函数；除三角函数外，d2l 2.4.1 节都列出了）：
#
# - 常数的导数为 0：$(c)' = 0$；
# - 常数相乘法则：$(c\,u)' = c\,u'$；
# - 加法法则：$(u + v)' = u' + v'$；
# - 乘法法则：$(u\,v)' = u'\,v + u\,v'$；
# - 幂函数：$(x^n)' = n\,x^{n-1}$；
# - 三角函数：$(\sin x)' = \cos x$，$(\cos x)' = -\sin x$。
#
# 求 $\partial f/\partial x_0$ 时把 $x_1$ 当作常数：第一项是常数 $x_1$ 乘以 $x_0^2$，第二项 $\sin x_1$ 是常数，导数为 0。求 $\partial f/\partial x_1$ 时把 $x_0$ 当作常数：第一项是常数 $x_0^2$ 乘以 $x_1$。于是
#
# $$\frac{\partial f}{\partial x_0} = 2 x_0 x_1, \qquad \frac{\partial f}{\partial x_1} = x_0^2 + \cos x_1 .$$
#
# 第二种方法是**有限差分**（finite difference）。一元函数的导数定义为差商的极限，$f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}$；有限差分不取极限，而是取一个很小的 $h$ 直接算差商。这里用**中心差分**（central difference），它的截断误差约为 $h^2$ 的量级，比只往一边走的**前向差分**（forward difference，截断误差约为 $h$ 的量级）准得多：
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + h\,e_i) - f(x - h\,e_i)}{2h},$$
#
# 其中 $e_i$ 是第 $i$ 个分量为 1、其余为 0 的向量。除了截断误差，还有舍入误差：$h$ 越小，两个几乎相等的函数值相减时丢掉的有效数字越多，所以这一节用 float64。Apple MPS 设备不支持 float64，因此这一节的张量留在默认设备（CPU）上。

# %%
def f(x: torch.Tensor) -> torch.Tensor:
    """f(x0, x1) = x0² · x1 + sin(x1)。"""
    return x[0] ** 2 * x[1] + torch.sin(x[1])


point = torch.tensor([1.5, -0.5], dtype=torch.float64)

# 方法一：手算
by_hand = torch.stack([2 * point[0] * point[1], point[0] ** 2 + torch.cos(point[1])])

# 方法二：中心差分
h = 1e-5
by_difference = torch.zeros(2, dtype=torch.float64)
for i in range(2):
    step = torch.zeros(2, dtype=torch.float64)
    step[i] = h
    by_difference[i] = (f(point + step) - f(point - step)) / (2 * h)

# 方法三：自动求导
leaf = point.clone().requires_grad_(True)   # clone() 得到副本，requires_grad_(True) 原地打开它的梯度追踪
f(leaf).backward()
by_autograd = leaf.grad

for name, grad in [("手算", by_hand), ("中心差分", by_difference), ("自动求导", by_autograd)]:
    print(f"{name:6s} ∂f/∂x0 = {grad[0].item():.6f}   ∂f/∂x1 = {grad[1].item():.6f}")

# %%
assert torch.allclose(by_autograd, by_hand, atol=1e-12, rtol=0), "请先重新运行上一个单元格"
assert torch.allclose(by_difference, by_hand, atol=1e-8, rtol=0), "请先重新运行上一个单元格"
print("✅ 自动求导与手算相差不到 1e-12，中心差分与手算相差不到 1e-8")

# %% [markdown]
# 自动求导与手算几乎一模一样（两者都是精确公式，只差浮点舍入）；有限差分是近似，但在 float64 下也准到小数点后 8 位。
#
# PyTorch 把第二种方法做成了现成的工具 `torch.autograd.gradcheck`：它用有限差分（默认步长 `eps=1e-6`）算出雅可比矩阵（第 9 节），再和自动求导的结果逐项比较（默认容差 `atol=1e-5`、`rtol=1e-3`），全部一致时返回 `True`。它只检查 `inputs` 里浮点或复数类型、并且 `requires_grad=True` 的张量；文档还说明，默认参数是为双精度（float64）输入设计的，精度更低的输入很可能检查失败。

# %%
ok = torch.autograd.gradcheck(f, (point.clone().requires_grad_(True),))
print("gradcheck（float64）：", ok)
assert ok is True
print("✅ float64 下 gradcheck 通过")

# %% [markdown]
# 如果输入是 float32 会怎样？`gradcheck` 并不拒绝它，只是发出一条警告，说输入不是双精度、检查很可能失败，然后照样检查。float32 只有大约 7 位有效数字：`1.5 + 1e-6` 这样的数本身就存不准，两个几乎相等的函数值相减后，剩下的有效数字也不多，于是数值算出的导数偏差可达百分之几，和自动求导的结果对不上。
#
# 对不上时，`gradcheck` 默认抛出 `GradcheckError`（它是 `RuntimeError` 的子类），错误信息里列出两种方法各自算出的雅可比矩阵；传入 `raise_exception=False` 时，它改为返回 `False`。下面先用默认设置，再用 `raise_exception=False` 各检查一次：

# %%
x32 = point.float().requires_grad_(True)

print("float32，默认设置：")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with expect_error(GradcheckError):
        torch.autograd.gradcheck(f, (x32,))
print("同时收到的警告：", str(caught[0].message).split(". ")[0] + ".")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")   # 警告已经看过了，这次不再显示
    ok32 = torch.autograd.gradcheck(f, (x32,), raise_exception=False)
print("float32，raise_exception=False：", ok32)

assert issubclass(GradcheckError, RuntimeError)
assert caught and caught[0].category is UserWarning
assert ok32 is False
print("✅ float32 下有限差分太粗糙，gradcheck 不通过：做梯度检查要用 float64")

# %% [markdown]
# 偏差到底有多大？用方法二的代码，在 float32 下、以 `gradcheck` 的默认步长 `1e-6` 重算一遍中心差分，和手算的导数比较：

# %%
point32 = point.float()
by_difference32 = torch.zeros(2)
for i in range(2):
    step = torch.zeros(2)
    step[i] = 1e-6
    by_difference32[i] = (f(point32 + step) - f(point32 - step)) / (2 * 1e-6)

relative_error = ((by_difference32.double() - by_hand) / by_hand).abs()
print("float32 中心差分：", [round(value, 4) for value in by_difference32.tolist()])
print("手算的导数：      ", [round(value, 4) for value in by_hand.tolist()])
print("相对误差：        ", [f"{value:.1%}" for value in relative_error.tolist()])
assert (relative_error > 0.01).all() and (relative_error < 0.1).all()
print("✅ float32 下数值导数偏差百分之几，远大于 gradcheck 默认的相对容差 rtol=1e-3")

# %% [markdown]
# 这说明问题出在检查方法的精度上，不是自动求导错了：同一个函数在 float64 下刚刚通过了检查。

# %% [markdown]
# ## 6. 叶子节点与非叶子节点
#
# 回到第 2 节的 $w, b, x, t, y, L$。用户亲手创建的张量（$w, b, x, t$）是**叶子节点**（leaf tensor），`is_leaf` 为 `True`；由运算得到、并且需要梯度的张量（$y, L$）是非叶子节点，它们有 `grad_fn`。不需要梯度的张量按约定也算叶子，但它们不会得到梯度。

# %%
for name, tensor in [("w", w), ("b", b), ("x", x), ("y", y), ("L", L)]:
    print(f"{name}: is_leaf = {tensor.is_leaf!s:5s}  requires_grad = {tensor.requires_grad}")
assert w.is_leaf and b.is_leaf and x.is_leaf, "请先重新运行第 2 节创建 x、t、w、b 并计算 y、L 的单元格"
assert not y.is_leaf and not L.is_leaf, "请先重新运行第 2 节创建 x、t、w、b 并计算 y、L 的单元格"
print("✅ w、b、x 是叶子节点，y 和 L 不是")

# %% [markdown]
# 默认情况下，`backward()` 只把梯度存进**需要梯度的叶子节点**的 `.grad`。中间结果的梯度在传递过程中用完即弃，以节省内存。读取非叶子节点的 `.grad`（没有对它调用过 `retain_grad()` 时），得到的是 `None`，同时 PyTorch 会发出一条 `UserWarning` 提醒你。下面重新算一遍前向传播并反向传播，然后读取 `y.grad`，用 `warnings.catch_warnings` 接住这条警告，打印它说了什么：

# %%
w.grad = None   # 清掉旧梯度，这个单元格重复运行时结果不变
b.grad = None
y = w * x + b
L = (y - t) ** 2
L.backward()

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    y_grad = y.grad  # 读取非叶子节点的 .grad，会触发警告
print("y.grad =", y_grad)

assert y_grad is None
assert len(caught) == 1 and caught[0].category is UserWarning
first_sentences = ". ".join(str(caught[0].message).split(". ")[:2]) + "."
print("警告说：", first_sentences)
print("✅ 非叶子节点的 .grad 是 None，并伴有一条提醒")

# %% [markdown]
# 警告的意思是：“你在读一个非叶子节点的 `.grad`，反向传播不会填充它。如果确实需要，请先对它调用 `.retain_grad()`。”照做：在反向传播之前对 `y` 调用 `retain_grad()`，`y.grad` 就会被保留下来，它等于 $\partial L/\partial y = 2(y - t) = 4$。

# %%
w.grad = None   # 清掉旧梯度，这个单元格重复运行时结果不变
b.grad = None
y = w * x + b
y.retain_grad()  # 要求保留这个中间结果的梯度
L = (y - t) ** 2
L.backward()
print("y.grad =", y.grad.item())
assert y.grad.item() == 4.0
print("✅ retain_grad() 之后，y.grad = ∂L/∂y = 2(y − t) = 4")

# %% [markdown]
# ## 7. 不需要梯度的时候：`torch.no_grad()` 与 `detach()`
#
# 搭计算图要花时间和内存。只做预测、或者手动更新参数时，并不需要梯度，这时把代码放进 `with torch.no_grad():` 里，其中的运算不会被记录：

# %%
with torch.no_grad():
    y_eval = w * x + b

print("y_eval =", y_eval.item())
print("y_eval.requires_grad =", y_eval.requires_grad, " y_eval.grad_fn =", y_eval.grad_fn)
assert not y_eval.requires_grad and y_eval.grad_fn is None
print("✅ no_grad() 里算出的结果不带计算图")

# %% [markdown]
# `detach()` 作用于单个张量：它返回一个与原张量**共用存储**、但不再追踪梯度的新张量。值还是那个值，只是从计算图上“摘”了下来。

# %%
w_detached = w.detach()
print("w_detached.requires_grad =", w_detached.requires_grad)
same_storage = w_detached.untyped_storage().data_ptr() == w.untyped_storage().data_ptr()
print("与 w 共用存储：", same_storage)
assert not w_detached.requires_grad and same_storage
print("✅ detach() 不复制数据，只是不再追踪梯度")

# %% [markdown]
# 因为共用存储，原地修改 `w_detached` 也会改掉 `w`，要小心；需要一个独立的副本时写 `w.detach().clone()`。这样的原地修改还被当作对原张量本身的修改：如果原张量已被某个运算保存下来留给反向传播（12.3 节），之后的反向传播就会报错，原因在 12.4 节解释。下面的 `q` 被乘法 `q * q` 保存了下来：

# %%
q = torch.tensor([1.0, 2.0], requires_grad=True)   # 留在 CPU 上：这个报错信息里写着张量的类型名
loss_q = (q * q).sum()          # 乘法保存了 q，留给反向传播
q.detach().add_(1)              # 原地修改 detach 出来的张量，q 的值也跟着变了
print("q =", q.tolist())
assert q.tolist() == [2.0, 3.0], "请重新运行这个单元格（它会重新创建 q）"
with expect_error(RuntimeError):
    loss_q.backward()

# %% [markdown]
# 修正：要改数值时先复制，`q.detach().clone()` 得到的副本怎么改都不影响 `q`；或者等反向传播结束后再改。
#
# `detach()` 最常见的用途有两个。一是把张量交给 NumPy、matplotlib 等不认识计算图的库：需要梯度的张量不能直接调用 `.numpy()`，报错信息本身就给出了修正方法：

# %%
p = torch.tensor([1.0, 2.0], requires_grad=True)
with expect_error(RuntimeError):
    p.numpy()

print("修正后：", p.detach().numpy())

# %% [markdown]
# （张量在 GPU 上时还要先搬回 CPU：`p.detach().cpu().numpy()`。`p.numpy(force=True)` 会替你做 `detach()` 和 `.cpu()` 这两步。）
#
# 二是有意切断梯度：把某个量当作常数。比较 $u \cdot u$ 与 $u \cdot \operatorname{detach}(u)$：前者对 $u$ 的导数是 $2u$，后者把第二个 $u$ 当常数，导数只有 $u$。

# %%
u = torch.tensor(3.0, device=env.device, requires_grad=True)
(u * u).backward()
grad_full = u.grad.item()

u.grad = None
(u * u.detach()).backward()
grad_cut = u.grad.item()

print("d(u·u)/du =", grad_full, "   d(u·detach(u))/du =", grad_cut)
assert grad_full == 6.0 and grad_cut == 3.0
print("✅ detach() 之后，梯度只从没有被切断的那条路传回来")

# %% [markdown]
# ## 8. 梯度会累加：为什么要清零
#
# 前面几个单元格在调用 `backward()` 之前都先写了 `w.grad = None`，这里解释原因。把 `w.grad` 清空，然后对同一个损失连续做三次“前向传播 + `backward()`”，每次都打印 `w.grad`。如果每次 `backward()` 都覆盖旧值，三次都应该是 8：

# %%
w.grad = None
b.grad = None
for step in range(1, 4):
    L = (w * x + b - t) ** 2
    L.backward()
    print(f"第 {step} 次 backward() 之后：w.grad = {w.grad.item()}")
assert w.grad.item() == 24.0, "w.grad 应为 24：请重新运行这个单元格（它会先清空 w.grad）"
print("✅ w.grad 是 24 = 8 + 8 + 8：三次反向传播的梯度加在了一起")

# %% [markdown]
# `backward()` 不会覆盖 `.grad`，而是把新梯度**加**到旧值上。这是有意的设计：有时要把几次反向传播的梯度合在一起（比如一个批量太大，分几次算）。代价是：除非有意累加，每次调用 `backward()` 之前都要先把上一次留下的梯度清掉。手动写法是 `w.grad = None`；也可以写 `w.grad.zero_()`，但它要求 `.grad` 已经存在：第一次 `backward()` 之前 `w.grad` 是 `None`，这时调用 `zero_()` 会报 `AttributeError`，所以它通常放在更新参数之后。用**优化器**（optimizer）时写 `optimizer.zero_grad()`，它默认也是把 `.grad` 设为 `None`。

# %%
w.grad = None
b.grad = None
L = (w * x + b - t) ** 2
L.backward()
print("清零后再反向传播一次：w.grad =", w.grad.item())
assert w.grad.item() == 8.0, "请先重新运行第 2 节创建 x、t、w、b 的单元格"
print("✅ 清零之后，w.grad 又是正确的 8")

# %% [markdown]
# 不清零会怎样？用一个最简单的**梯度下降**（gradient descent）试试：最小化 $g(v) = (v - 2)^2$，从 $v = 0$ 出发，**学习率**（learning rate）0.1，走 20 步，每一步 $v \leftarrow v - 0.1\cdot g'(v)$。更新参数本身不应被记进计算图，所以放在 `torch.no_grad()` 里（为什么不能直接写 `v -= ...`，12.1 节会看到）。一次每步清零梯度，一次不清零：

# %%
def descend_1d(zero_grad: bool, lr: float = 0.1, steps: int = 20) -> list[float]:
    """梯度下降最小化 (v − 2)²，返回每一步之后的 v。"""
    v = torch.tensor(0.0, device=env.device, requires_grad=True)
    path = []
    for _ in range(steps):
        if zero_grad:
            v.grad = None  # 清掉上一步留下的梯度
        loss = (v - 2) ** 2
        loss.backward()
        with torch.no_grad():
            v -= lr * v.grad
        path.append(v.item())
    return path


path_zeroed = descend_1d(zero_grad=True)
path_accumulated = descend_1d(zero_grad=False)
print("每步清零：  最后 v =", round(path_zeroed[-1], 3))
print("从不清零：  最后 v =", round(path_accumulated[-1], 3),
      "  途中 v 在", round(min(path_accumulated), 3), "和", round(max(path_accumulated), 3), "之间摆动")

# %%
assert abs(path_zeroed[-1] - 2) < 0.05, "请先重新运行上一个单元格"
assert min(path_accumulated) < 0.1 and max(path_accumulated) > 3.9 and abs(path_accumulated[-1] - 2) > 1, "请先重新运行上一个单元格"
print("✅ 清零时 v 收敛到 2 附近；不清零时 v 冲过头到 4 左右，在 0 和 4 之间来回摆动")

# %% mystnb={"image": {"alt": "参数 v 在 20 步梯度下降中的变化：每步清零梯度时，v 从 0.4 平稳升向最小值点 2；从不清零时，v 冲到 4 左右又落回 0 附近，在 0 和 4 之间来回摆动。"}}
fig, ax = plt.subplots()
steps = range(1, 21)
ax.plot(steps, path_zeroed, "o-", markersize=3, label="每步清零梯度")
ax.plot(steps, path_accumulated, "s--", markersize=3, label="从不清零（梯度累加）")
ax.axhline(2.0, color="0.5", linewidth=1, linestyle=":", label="最小值点 v = 2")
ax.set_title("清零与不清零梯度时的梯度下降")
ax.set_xlabel("步数")
ax.set_ylabel("参数 v")
ax.set_xticks([1, 5, 10, 15, 20])
ax.set_ylim(-0.5, 6)                              # 上方留出空白放图例，不挡住曲线
ax.legend(loc="upper left", ncols=2, fontsize=9)
plt.show()

# %% [markdown]
# 不清零时，每一步用的“梯度”其实是之前所有梯度的总和，它带着过去的累积把 $v$ 推过了头，于是来回摆动，停不下来。
#
# 原文第 4 节的两个训练循环都只写了 `loss.backward()` 和 `optimizer.step()`，没有调用 `optimizer.zero_grad()`，这是错误的：梯度会像上面这样一步步累加，训练结果不对。规则是：每次 `loss.backward()` 之前清零。最常见的写法是在每一步开头调用 `optimizer.zero_grad()`，再前向传播、`loss.backward()`、`optimizer.step()`；放在上一步的 `optimizer.step()` 之后也可以；但不能放在 `backward()` 和 `step()` 之间，那样 `step()` 就看不到刚算出的梯度了（第 4 课 6.3 节修正原文的训练循环时还会用到这条规则）。下一课讲线性回归时，会把这个循环完整地写一遍。

# %% [markdown]
# ## 9. 非标量输出：向量-雅可比积
#
# 到目前为止，我们都对一个标量调用 `backward()`。如果输出是一个向量呢？设 $x = (x_0, x_1, x_2)$，
#
# $$y = \big(x_0 x_1,\; x_1^2,\; x_0 + 3x_2\big).$$
#
# 直接调用 `y.backward()` 会报错：

# %%
def g(x: torch.Tensor) -> torch.Tensor:
    """y = (x0·x1, x1², x0 + 3·x2)。"""
    return torch.stack([x[0] * x[1], x[1] ** 2, x[0] + 3 * x[2]])


xv = torch.tensor([1.0, 2.0, 3.0], device=env.device, requires_grad=True)
yv = g(xv)
with expect_error(RuntimeError):
    yv.backward()

# %% [markdown]
# 报错说：“只有标量输出才能自动创建梯度。”原因是向量对向量的导数是一个矩阵，即**雅可比矩阵**（Jacobian matrix）$J_{ij} = \partial y_i / \partial x_j$。在 $x = (1, 2, 3)$ 处
#
# $$J = \begin{pmatrix} x_1 & x_0 & 0 \\ 0 & 2x_1 & 0 \\ 1 & 0 & 3 \end{pmatrix} = \begin{pmatrix} 2 & 1 & 0 \\ 0 & 4 & 0 \\ 1 & 0 & 3 \end{pmatrix}.$$
#
# `backward()` 并不构造整个 $J$，它算的是**向量-雅可比积**（vector-Jacobian product）$v^\top J$：你给出一个与 $y$ 形状相同的向量 $v$（作为 `backward(gradient=v)` 的参数），它把 $v^\top J$ 累加进 `x.grad`。这恰好是标量 $v^\top y$ 对 $x$ 的梯度；对标量 `L` 调用 `backward()` 时，PyTorch 默认取 $v = 1$。
#
# 取 $v = (1, 0.5, -1)$，手算 $v^\top J = (2 + 0 - 1,\; 1 + 2 + 0,\; 0 + 0 - 3) = (1, 3, -3)$。和前面一样，单元格里先清空 `xv.grad` 并重新做一遍前向传播，这样它可以重复运行：

# %%
v = torch.tensor([1.0, 0.5, -1.0], device=env.device)
xv.grad = None
yv = g(xv)
yv.backward(gradient=v)
print("x.grad = vᵀJ =", xv.grad.tolist())
assert xv.grad.tolist() == [1.0, 3.0, -3.0], "请先重新运行上一个单元格（它创建 xv = (1, 2, 3)）"
print("✅ backward(gradient=v) 给出 vᵀJ = (1, 3, −3)")

# %% [markdown]
# 用 `torch.autograd.functional.jacobian` 把整个雅可比矩阵算出来，核对一下：

# %%
J = torch.autograd.functional.jacobian(g, xv.detach())
print("J =", J.tolist())
assert J.tolist() == [[2.0, 1.0, 0.0], [0.0, 4.0, 0.0], [1.0, 0.0, 3.0]], "请先重新运行上面创建 xv 的两个单元格"
assert torch.allclose(v @ J, xv.grad), "请先重新运行上一个单元格（它调用 backward(gradient=v)）"
print("✅ 雅可比矩阵与手算一致，且 v @ J 等于 backward(gradient=v) 的结果")

# %% [markdown]
# 神经网络训练只需要标量损失对参数的梯度，也就是 $v = 1$ 的情形，所以反向传播只做向量-雅可比积就够了，不必花力气构造巨大的雅可比矩阵。
#
# d2l 2.4.3 还列出几条常用的向量求导公式，例如 $\nabla_x \|x\|^2 = 2x$、$\nabla_x x^\top A x = (A + A^\top)x$；第 4 课的正规方程就由它们得出。用自动求导核对第二条（取一个不对称的 $A$，这样 $A + A^\top$ 与 $2A$ 不同）：

# %%
A_m = torch.tensor([[1.0, 2.0], [0.0, 3.0]], dtype=torch.float64)  # float64 留在 CPU 上（见第 5 节）
z = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
(z @ A_m @ z).backward()
print("z.grad =", z.grad.tolist())
assert torch.allclose(z.grad, (A_m + A_m.T) @ z.detach()), "z.grad 应等于 (A + Aᵀ)z；请重新运行本单元格"
print("✅ ∇(zᵀAz) = (A + Aᵀ)z = (−2, −10)")

# %% [markdown]
# ## 10. 穿过 Python 控制流的梯度
#
# 计算图是在代码运行时一步步记录的，所以函数里可以有 `if`、`while` 这样的**控制流**（control flow），循环几次、走哪个分支甚至可以取决于数据本身。每次调用时，PyTorch 只记录实际执行了的运算，反向传播沿这一次记录的路径求梯度。
#
# 下面的函数（思路来自 d2l 2.5 节的例子）把输入不断翻倍，直到它的 $L_2$ 范数（第 2 课）不小于 1000，再根据元素之和的正负决定是否乘以 100：

# %%
def doubling(a: torch.Tensor) -> torch.Tensor:
    """不断翻倍直到范数不小于 1000；和为负时再乘以 100。"""
    b = a * 2
    while torch.linalg.vector_norm(b) < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


def chain_length(tensor: torch.Tensor) -> int:
    """沿 grad_fn 的第一个输入一直往回走，数一数记录了多少个运算节点。"""
    count, node = 0, tensor.grad_fn
    while node is not None and node.next_functions:
        count += 1
        node = node.next_functions[0][0]
    return count

# %% [markdown]
# 不管走哪条路径，结果都是 $c = k\,a$，其中倍数 $k$ 由循环次数和分支决定。$k$ 取决于 $a$，但在 $a$ 附近不变（条件的真假不会因为 $a$ 的微小变化而改变），所以 $\partial c_i / \partial a_i = k = c_i / a_i$。对 `c.sum()` 反向传播，`a.grad` 的每个分量都应等于 $k$。用两个方向相反的输入试试：

# %%
for start in ([0.3, -0.2, 0.1], [-0.3, 0.2, -0.1]):
    a = torch.tensor(start, device=env.device, requires_grad=True)
    c = doubling(a)
    c.sum().backward()
    k = (c / a).detach()
    print(f"a = {start}：记录了 {chain_length(c)} 次乘法，k = {k[0].item():g}，a.grad = {a.grad.tolist()}")
    assert torch.allclose(a.grad, k), "a.grad 应等于 c / a"
print("✅ 两次调用走了不同的路径，梯度都等于这一次实际的倍数 k")

# %% [markdown]
# 第一个输入的和为正，翻倍 12 次，$k = 2^{12} = 4096$；第二个输入的和为负，多走了“乘以 100”的分支，记录了 13 次乘法，$k = 409600$。比较 `b.sum() > 0` 本身不可求导，它只决定记录哪些运算；在分支切换的那些点上函数不连续，那里的导数没有意义，自动求导给出的是所走分支的导数。

# %% [markdown]
# ## 11. `torch.autograd.grad`：直接拿到梯度
#
# `backward()` 把梯度累加进叶子节点的 `.grad`。有时我们只想“拿到”梯度，而不改动 `.grad`，例如在一个函数内部求导。`torch.autograd.grad(outputs, inputs)` 返回一个元组，依次是 `outputs` 对每个 `inputs` 的梯度；按文档的说法，这些梯度直接返回，不会累加进 `.grad`。取 $h(s) = s^4$，$h'(s) = 4s^3$，在 $s = 2$ 处是 32：

# %%
s = torch.tensor(2.0, device=env.device, requires_grad=True)
(dh_ds,) = torch.autograd.grad(s**4, s)
print("dh/ds =", dh_ds.item(), "  s.grad =", s.grad)
assert dh_ds.item() == 32.0 and s.grad is None
print("✅ torch.autograd.grad 返回了梯度 32，s.grad 仍是 None")

# %% [markdown]
# 默认情况下，返回的梯度本身不带计算图，不能再对它求导。传入 `create_graph=True`，PyTorch 会把“求梯度”这一步也记成计算图，于是可以对梯度再求一次导，得到**二阶导数**（second derivative），即导数的导数：$h''(s) = 12 s^2$，在 $s = 2$ 处是 48。

# %%
(first,) = torch.autograd.grad(s**4, s)
print("没有 create_graph：")
with expect_error(RuntimeError):
    torch.autograd.grad(first, s)

(first,) = torch.autograd.grad(s**4, s, create_graph=True)
(second,) = torch.autograd.grad(first, s)
print("h'(2) =", first.item(), "  h'(2) 带有计算图：", first.requires_grad, "  h''(2) =", second.item())
assert (first.item(), second.item()) == (32.0, 48.0) and s.grad is None, "请先重新运行上一个单元格（它创建 s = 2）"
print("✅ create_graph=True 之后，对一阶导数再求导得到二阶导数 48")

# %% [markdown]
# ## 12. 常见错误
#
# 下面四个错误几乎每个初学者都会碰到。我们故意触发它们，打印报错的第一行，再给出修正。
#
# ### 12.1 对需要梯度的叶子节点做原地操作
#
# 在第 8 节的梯度下降里，参数更新写在 `torch.no_grad()` 里。如果不写，直接用 `-=` 这样的原地操作（第 1 课）修改一个需要梯度的叶子节点，就会报错：

# %%
weight = torch.tensor([1.0, 2.0], device=env.device, requires_grad=True)
with expect_error(RuntimeError):
    weight -= 0.1

# %% [markdown]
# 意思是：“一个需要梯度的叶子节点被用在了原地操作中。”在记录计算图时，PyTorch 禁止原地修改需要梯度的叶子节点。更新参数这一步本来就不该成为计算图的一部分，所以修正是把它放进 `torch.no_grad()`，告诉 PyTorch 这一步不用记录。单元格里重新创建了 `weight`，重复运行时输出不变：

# %%
weight = torch.tensor([1.0, 2.0], device=env.device, requires_grad=True)
with torch.no_grad():
    weight -= 0.1
print("weight =", [round(value, 4) for value in weight.tolist()])
print("仍是叶子：", weight.is_leaf, "  仍需要梯度：", weight.requires_grad)
assert weight.is_leaf and weight.requires_grad
print("✅ 在 no_grad() 里原地更新后，weight 仍是需要梯度的叶子节点")

# %% [markdown]
# 不要改写成 `weight = weight - 0.1`：它不是原地操作，而是生成一个新张量，让名字 `weight` 指向它。在 `no_grad()` 之外，新张量由运算得到，不是叶子，下一次 `backward()` 之后它的 `.grad` 是 `None`；在 `no_grad()` 之内，新张量干脆不需要梯度，以后再也得不到梯度，参数就不再更新；如果损失里没有别的需要梯度的张量，下一次 `backward()` 还会直接报错。

# %%
weight = torch.tensor([1.0, 2.0], device=env.device, requires_grad=True)
outside = weight - 0.1            # 不在 no_grad() 里
with torch.no_grad():
    inside = weight - 0.1         # 在 no_grad() 里
print("no_grad() 之外：is_leaf =", outside.is_leaf, " requires_grad =", outside.requires_grad)
print("no_grad() 之内：is_leaf =", inside.is_leaf, " requires_grad =", inside.requires_grad)
assert not outside.is_leaf and outside.requires_grad
assert inside.is_leaf and not inside.requires_grad
print("✅ 两种写法得到的都不再是那个需要梯度的叶子节点")

with expect_error(RuntimeError):
    (inside**2).sum().backward()  # 损失只依赖 inside，没有任何需要梯度的张量

# %% [markdown]
# ### 12.2 整数张量不能求梯度
#
# `torch.tensor([1, 2, 3])` 的数据类型是整数 `torch.int64`。导数描述的是连续的变化，整数张量不能要求梯度：

# %%
with expect_error(RuntimeError):
    torch.tensor([1, 2, 3], device=env.device, requires_grad=True)

# %% [markdown]
# 意思是：“只有浮点数和复数类型的张量才能要求梯度。”修正：写成浮点数 `[1.0, 2.0, 3.0]`，或者指定 `dtype=torch.float32`。

# %%
fixed = torch.tensor([1, 2, 3], dtype=torch.float32, device=env.device, requires_grad=True)
print(fixed.dtype, fixed.requires_grad)
assert fixed.dtype == torch.float32 and fixed.requires_grad
print("✅ 浮点数张量可以要求梯度")

# %% [markdown]
# ### 12.3 对同一张图调用两次 `backward()`
#
# 很多运算在前向传播时会保存一些张量，留给反向传播计算局部导数（第 2 课 8.3 节）：乘法 `a * a` 对 `a` 的导数要用到 `a` 本身，所以它保存了 `a`。为了节省内存，反向传播一结束，这些保存的张量就被释放了。再对同一个结果调用一次 `backward()`：

# %%
a = torch.tensor([1.0, 2.0], device=env.device, requires_grad=True)
s = (a * a).sum()
s.backward()
with expect_error(RuntimeError):
    s.backward()

# %% [markdown]
# 意思是：“试图第二次沿这张图反向传播（或者在保存的张量被释放后访问它们）。调用 `.backward()` 或 `autograd.grad()` 时，图中保存的中间值会被释放。”报错还建议：如果确实需要第二次反向传播，第一次调用时传入 `retain_graph=True`。
#
# 报错的前提是图里有保存的张量。如果图里的运算都不需要保存张量，第二次 `backward()` 照样成功：`(a + 1).sum()` 对 `a` 的导数恒为 1，加法和求和都不需要保存任何张量。两次的梯度照例累加：

# %%
a = torch.tensor([1.0, 2.0], device=env.device, requires_grad=True)
s = (a + 1).sum()
s.backward()
s.backward()        # 没有保存的张量，第二次也能成功
print("a.grad =", a.grad.tolist())
assert a.grad.tolist() == [2.0, 2.0]
print("✅ (a + 1).sum() 可以反向传播两次；a.grad = 1 + 1 = 2")

# %% [markdown]
# 保存不保存由 PyTorch 对每个运算的实现决定，不能只看导数是不是常数：`(2 * a).sum()` 的导数恒为 2，但乘法节点照样保存了常数 2，第二次 `backward()` 仍会报错。下面用第 2 课 8.3 节见过的 `_saved_other` 看一眼它保存的东西：

# %%
a = torch.tensor([1.0, 2.0], device=env.device, requires_grad=True)
s = (2 * a).sum()
mul = s.grad_fn.next_functions[0][0]      # 2 * a 的反向传播节点
print(mul.name(), "保存了常数", mul._saved_other.item())
s.backward()
with expect_error(RuntimeError):
    s.backward()
assert mul.name() == "MulBackward0" and a.grad.tolist() == [2.0, 2.0]

# %% [markdown]
# 实际代码里的图几乎总有保存的张量：乘法（包括乘以常数）、乘方、`sin`、矩阵乘法都会保存张量。所以修正有两种：
#
# - 确实要对同一张图反向传播两次时，第一次写 `s.backward(retain_graph=True)`；
# - 更常见的情况是：重新做一遍前向传播，得到一张新图。训练循环每一步都重新计算损失，正是这样做的。

# %%
a = torch.tensor([1.0, 2.0], device=env.device, requires_grad=True)
s = (a * a).sum()
s.backward(retain_graph=True)  # 保留计算图
s.backward()                   # 第二次也能成功
print("a.grad =", a.grad.tolist())
assert a.grad.tolist() == [4.0, 8.0]
print("✅ 两次都成功；a.grad = 2 × 2a = (4, 8)，两次的梯度累加在一起")

# %% [markdown]
# 注意第二次的结果又是累加的：$\partial s/\partial a = 2a = (2, 4)$，两次加起来是 $(4, 8)$。
#
# ### 12.4 原地修改了反向传播要用的张量
#
# 自动求导里最常碰到的报错之一，是“反向传播要用的某个张量被原地操作改掉了”。上一节说过，很多运算会保存张量留给反向传播用；如果在前向传播之后、反向传播之前原地修改了这样一个被保存的张量，反向传播就会拿到错误的值。PyTorch 用**版本计数器**（version counter）防止这种情况：每个张量都带着一个计数，每被原地修改一次就加 1（可以用 `_version` 属性查看；名字以下划线开头，是 PyTorch 的内部属性，这里只用来观察，自己的代码不要依赖它）；保存张量时记下当时的版本，反向传播时发现版本变了，就报错，而不是悄悄算出错误的梯度。

# %%
p = torch.tensor([1.0, 2.0], requires_grad=True)   # 留在 CPU 上：这个报错信息里写着张量的类型名
h = p * 3                 # 中间结果
out = (h * h).sum()       # 乘法保存了 h，留给反向传播
print("原地修改之前：h._version =", h._version)
h += 1                    # 原地修改 h，版本号加 1
print("原地修改之后：h._version =", h._version)
with expect_error(RuntimeError):
    out.backward()

# %% [markdown]
# 意思是：“反向传播需要的一个变量被原地操作修改了：它（长度为 2 的 float32 张量，现在是加法 `h += 1` 的输出）现在是版本 1，而保存时是版本 0。”报错末尾的提示（Hint）本节最后再讲。修正：不要原地修改反向传播还要用的张量，改用生成新张量的写法 `h = h + 1`。这样被保存的那个 `h` 没有被改动，反向传播照常进行：

# %%
p = torch.tensor([1.0, 2.0], device=env.device, requires_grad=True)
h = p * 3
out = (h * h).sum()
version_before = h._version
h = h + 1                 # 生成新张量，被保存的旧 h 没有被改动
out.backward()
print("p.grad =", p.grad.tolist())
assert version_before == 0 and p.grad.tolist() == [18.0, 36.0]
print("✅ out = Σ(3p)² 对 p 的梯度是 18p = (18, 36)")

# %% [markdown]
# 另一种修正是先用 `h = h.clone()` 复制出一个副本，让名字 `h` 指向它，再原地修改这个副本：副本有自己的存储和版本计数器，被保存的原张量不受影响。要修改的必须是副本：写成 `hc = h.clone()` 之后仍然原地修改 `h`，被保存的 `h` 照样被改动，照样报错。

# %%
p = torch.tensor([1.0, 2.0], requires_grad=True)   # 留在 CPU 上：报错信息里写着张量的类型名
h = p * 3
out = (h * h).sum()
h = h.clone()             # 名字 h 改为指向副本
h += 1                    # 原地修改的是副本
out.backward()
print("修改副本：p.grad =", p.grad.tolist())
assert p.grad.tolist() == [18.0, 36.0]

p = torch.tensor([1.0, 2.0], requires_grad=True)
h = p * 3
out = (h * h).sum()
hc = h.clone()            # 复制了一份，却没有用它
h += 1                    # 原地修改的仍是被保存的 h
print("复制之后仍修改 h：")
with expect_error(RuntimeError):
    out.backward()

# %% [markdown]
# `detach()` 得到的张量与原张量共用同一个版本计数器，所以第 7 节原地修改 `q.detach()` 时，`q` 的版本号也加了 1，反向传播才会报同样的错误。
#
# 原地操作并不都会触发这个错误。只有同时满足两个条件才会报错：一是被修改的张量与某个被保存的张量共用同一个版本计数器；二是反向传播还要用到那个被保存的张量。与一个张量共用版本计数器的有：它本身、它的视图、它的底层张量（以及同一底层张量的其他视图），还有从它 `detach()` 出来的张量。版本计数器只记“改过几次”，不看改的是哪个元素：改的即使是没被保存的那部分，也照样报错。下面两个例子都改了一个没有被直接保存的张量：第一个改的是被保存的 `h` 的视图 `v`（第 1 课第 11 节）；第二个被保存的是视图 `v`，改的却是它的底层张量 `h` 里 `v` 不包含的元素 `h[1]`。

# %%
p = torch.tensor([1.0, 2.0], requires_grad=True)   # 留在 CPU 上：这个报错信息里写着张量的类型名
h = p * 3
out = (h * h).sum()       # 乘法保存了 h
v = h[:1]                 # v 是 h 的视图，与 h 共用版本计数器
v += 1                    # 原地修改的是视图
print("修改视图 v 之后：h._version =", h._version)
with expect_error(RuntimeError):
    out.backward()

p = torch.tensor([1.0, 2.0], requires_grad=True)
h = p * 3
v = h[:1]
out = (v * v).sum()       # 乘法保存的是视图 v，它只含 h[0]
h[1] = 0.0                # 原地修改的是 v 不包含的 h[1]
print("修改 h[1] 之后：v._version =", v._version)
with expect_error(RuntimeError):
    out.backward()
assert h._version == v._version == 1

# %% [markdown]
# 两次报的是同一种错误。被保存的张量分别是长度为 2 的 `h` 和长度为 1 的 `v`；报错里的 `CopySlices`、`AsStrided` 是 PyTorch 在视图被原地修改之后，为这两个张量重新记下的反向传播节点，不必深究。
#
# 在大段代码里找不到是哪一步出的问题时，可以照报错末尾的提示打开**异常检测**（anomaly detection）。要在**前向传播之前**打开它：把前向传播和反向传播都放进 `with torch.autograd.detect_anomaly():`，或者在前向传播之前调用 `torch.autograd.set_detect_anomaly(True)`、查完再设回 `False`。反向传播出错时，它会发出一条警告，指出是哪个运算（这里是乘法的 `MulBackward0`）的反向传播失败了，并给出这个运算在前向传播时由哪一行代码执行；这一行是在前向传播时记下的。默认（`check_nan=True`）它还会在某个运算的反向传播算出 `nan` 时立即报错，并指出是哪个运算；报错末尾的提示里写的 `check_nan=False` 就是关掉这项检查。异常检测会拖慢计算，打开时的警告也这样说，所以只在查问题时打开。

# %%
p = torch.tensor([1.0, 2.0], requires_grad=True)   # 留在 CPU 上：报错信息里写着张量的类型名
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():          # 前向传播和反向传播都在里面
        h = p * 3
        out = (h * h).sum()
        h += 1
        with expect_error(RuntimeError):
            out.backward()

messages = [str(item.message) for item in caught]
enabled = next(m for m in messages if m.startswith("Anomaly Detection"))
report = next(m for m in messages if m.startswith("Error detected")).splitlines()
forward_line = [line.strip() for line in report if line.startswith("    ")][-1]
print("打开时的警告：", enabled)
print("出错时的警告：", report[0])
print("前向传播时执行它的那行代码：", forward_line)
assert "increase the runtime" in enabled
assert report[0].startswith("Error detected in MulBackward0") and forward_line == "out = (h * h).sum()"

# %% [markdown]
# 警告的意思是：“这个模式会增加运行时间，只应在调试时打开。”“`MulBackward0` 出错，下面是引起错误的那次前向调用。”
#
# 如果只在反向传播时才打开异常检测，前向传播时没有记下任何信息，警告就只能说出是哪个运算失败了：

# %%
p = torch.tensor([1.0, 2.0], requires_grad=True)   # 留在 CPU 上：报错信息里写着张量的类型名
h = p * 3
out = (h * h).sum()
h += 1
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with torch.autograd.detect_anomaly():          # 只包住了反向传播
        with expect_error(RuntimeError):
            out.backward()

report = next(str(item.message) for item in caught if str(item.message).startswith("Error detected"))
print("出错时的警告：", report.split(" (Triggered")[0])
assert "No forward pass information available" in report

# %% [markdown]
# 最后看上面说的 `check_nan`。$\sqrt{x}$ 在 $x = 0$ 处的导数 $1/(2\sqrt{x})$ 是无穷大，从后面的乘以 0 传回来的梯度是 0，两者相乘得到 `nan`。不打开异常检测时，`nan` 不声不响地进了 `.grad`；打开之后，反向传播在算出 `nan` 的那个运算处立即报错：

# %%
x0 = torch.tensor([0.0, 1.0], device=env.device, requires_grad=True)
(torch.sqrt(x0) * 0).sum().backward()
print("不打开异常检测：x0.grad =", x0.grad.tolist())
assert math.isnan(x0.grad[0].item()) and x0.grad[1].item() == 0.0

x0 = torch.tensor([0.0, 1.0], device=env.device, requires_grad=True)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")                # 打开时的警告上面已经看过
    with torch.autograd.detect_anomaly():
        with expect_error(RuntimeError):
            (torch.sqrt(x0) * 0).sum().backward()

# %% [markdown]
# ## 13. 画出函数和它的导数
#
# 最后用自动求导画一条导数曲线。取
#
# $$f(x) = x \sin x, \qquad f'(x) = \sin x + x \cos x ,$$
#
# 其中 $f'$ 由第 5 节的乘法法则得出。在 $[-2\pi, 2\pi]$ 上取 200 个点组成张量 `xs`，算出 `ys = xs * sin(xs)`。`ys` 是向量，怎么求导？因为每个 `ys[i]` 只依赖 `xs[i]`，雅可比矩阵是对角矩阵，取 $v = 1$ 的向量-雅可比积恰好就是对角线，也就是每个点的导数。$v = 1$ 的向量-雅可比积就是 `ys.sum()` 的梯度，所以写 `ys.sum().backward()` 即可。

# %%
xs = torch.linspace(-2 * math.pi, 2 * math.pi, 200, device=env.device, requires_grad=True)
ys = xs * torch.sin(xs)
ys.sum().backward()

slope_autograd = xs.grad
with torch.no_grad():
    slope_exact = torch.sin(xs) + xs * torch.cos(xs)

max_error = (slope_autograd - slope_exact).abs().max().item()
assert max_error < 1e-5
print("✅ 200 个点上，自动求导与解析导数的最大差距小于 1e-5")

# %% mystnb={"image": {"alt": "左图是 f(x) = x·sin x 在 −2π 到 2π 上的曲线；右图是它的导数，自动求导的结果与解析导数 sin x + x·cos x 两条曲线完全重合，f 取极大值、极小值处导数为 0。"}}
xs_np = xs.detach().cpu().numpy()
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
ax1.plot(xs_np, ys.detach().cpu().numpy(), color="C0")
ax1.set_title("函数 f(x) = x·sin x")
ax1.set_xlabel("x")
ax1.set_ylabel("f(x)")

ax2.plot(xs_np, slope_autograd.cpu().numpy(), color="C1", linewidth=3, alpha=0.6, label="自动求导")
ax2.plot(xs_np, slope_exact.cpu().numpy(), "k--", linewidth=1, label="解析导数 sin x + x·cos x")
ax2.set_title("导数 f'(x)：两种方法的结果重合")
ax2.set_xlabel("x")
ax2.set_ylabel("f'(x)")
ax2.legend(loc="upper center", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# 两条导数曲线完全重合。对照左图：$f$ 取极大值、极小值的地方，右图的导数恰好穿过 0。

# %% [markdown]
# ## 自测题
#
# 下面的题目点一下就能作答，并立即显示解析。在网站上不需要运行任何代码；在 JupyterLab 或 Colab 中，运行下面的单元格即可作答。

# %%
from lessons import quiz

quiz.show("03_autograd")

# %% [markdown]
# ## 练习
#
# 每道练习下面有检查器，运行后会用中文告诉你答案对不对。做不出来再展开参考答案。

# %%
from lessons.exercises import autograd as ex

# %% [markdown]
# ### 练习 1
#
# 用自动求导求 $f(x) = x^3 - 3x$ 在 $x = 2$ 处的导数 $f'(2)$：创建需要梯度的张量 `x1`，算出 `f1`，调用 `backward()`，把 `x1.grad`（或它的 `.item()`）赋给 `answer`。

# %%
answer = None  # 把 None 换成你的答案
ex.check_1(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# x1 = torch.tensor(2.0, requires_grad=True)
# f1 = x1**3 - 3 * x1
# f1.backward()
# answer = x1.grad.item()  # 3·2² − 3 = 9
# ```
#
# </details>

# %% [markdown]
# ### 练习 2
#
# 设 `x2 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)`，`y2 = x2 * x2.sum()`（每个分量乘以所有分量之和）。用 `backward(gradient=v2)` 求向量-雅可比积 $v^\top J$，其中 `v2 = torch.tensor([1.0, 0.0, -1.0])`，把 `x2.grad` 赋给 `answer`。
#
# 想一想：$y_i = x_i \cdot \sum_j x_j$ 的每个分量都依赖所有的 $x_j$，所以雅可比矩阵不是对角矩阵。

# %%
answer = None  # 把 None 换成你的答案
ex.check_2(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# x2 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
# y2 = x2 * x2.sum()
# v2 = torch.tensor([1.0, 0.0, -1.0])
# y2.backward(gradient=v2)
# answer = x2.grad  # tensor([ 4., -2., -8.])
# ```
#
# 手算核对：$J_{ij} = \delta_{ij}\sum_k x_k + x_i$（$\delta_{ij}$ 在 $i = j$ 时为 1，否则为 0），所以 $(v^\top J)_j = 6 v_j + v\cdot x = 6 v_j - 2$。
#
# </details>

# %% [markdown]
# ### 练习 3
#
# 写一个函数 `numeric_grad(f, x, h=1e-5)`，用中心差分求标量函数 `f` 在一维 float64 张量 `x` 处的梯度，返回与 `x` 形状相同、同样是 float64 的张量。要求：只调用 `f` 计算函数值（不用自动求导），用参数 `h` 作为步长，不要改动传入的 `x`。检查器会拿两个函数试它，和解析梯度比较（误差要小于 1e-7），还会传入较大的 `h`，看结果是否符合中心差分的规律。

# %%
def numeric_grad(f, x, h=1e-5):
    """用中心差分求 f 在 x 处的梯度。"""
    return None  # 把这一行换成你的代码


ex.check_3(numeric_grad)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def numeric_grad(f, x, h=1e-5):
#     """用中心差分求 f 在 x 处的梯度。"""
#     grad = torch.zeros_like(x)
#     for i in range(len(x)):
#         step = torch.zeros_like(x)
#         step[i] = h
#         grad[i] = (f(x + step) - f(x - step)) / (2 * h)
#     return grad
# ```
#
# `x + step` 生成的是新张量，所以传入的 `x` 不会被改动。
#
# </details>

# %% [markdown]
# ### 练习 4
#
# 用自动求导手写梯度下降，最小化
#
# $$F(w) = (w_0 - 1)^2 + 2\,(w_1 + 2)^2 .$$
#
# 写函数 `descend(lr, steps)`：从 `w = torch.zeros(2, requires_grad=True)` 出发，每一步求出梯度并更新 $w \leftarrow w - \text{lr}\cdot\nabla F(w)$，共 `steps` 步，返回最终的 `w`。记住本课学到的两件事：每一步要清零梯度；更新参数要原地进行（`w -= ...`），并放进 `torch.no_grad()`。检查器会用三组学习率和步数调用它（第一组只走一步）。

# %%
def descend(lr, steps):
    """从 (0, 0) 出发做 steps 步梯度下降，返回最终的 w。"""
    return None  # 把这一行换成你的代码


ex.check_4(descend)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def descend(lr, steps):
#     """从 (0, 0) 出发做 steps 步梯度下降，返回最终的 w。"""
#     w = torch.zeros(2, requires_grad=True)
#     for _ in range(steps):
#         w.grad = None  # 清零梯度
#         loss = (w[0] - 1) ** 2 + 2 * (w[1] + 2) ** 2
#         loss.backward()
#         with torch.no_grad():
#             w -= lr * w.grad
#     return w.detach()
# ```
#
# </details>

# %% [markdown]
# ## 小结
#
# - 创建张量时写 `requires_grad=True`，PyTorch 就在前向传播中记下计算图：每个可求导的运算（不论写成运算符还是函数）都留下一个 `grad_fn`，它的 `next_functions` 一直连到叶子节点的 `AccumulateGrad`；
# - 对标量调用 `backward()`，梯度按链式法则传回，默认只存进需要梯度的叶子节点的 `.grad`；中间结果要用 `retain_grad()` 才会保留梯度；
# - 梯度可以用手算、中心差分和自动求导互相核对；`torch.autograd.gradcheck` 自动完成这件事，输入要用 float64，对不上时默认抛出 `GradcheckError`；
# - `backward()` 把梯度累加到 `.grad` 上，所以除非有意累加，每次 `loss.backward()` 之前都要清零：通常在每一步开头调用 `optimizer.zero_grad()`，不能放在 `backward()` 和 `step()` 之间；原文的训练循环漏掉了这一步；
# - `torch.no_grad()` 和 `detach()` 关闭梯度追踪；非标量输出用 `backward(gradient=v)` 求向量-雅可比积 $v^\top J$；`torch.autograd.grad` 直接返回梯度而不改动 `.grad`，加上 `create_graph=True` 可以再求二阶导数；
# - 计算图在运行时记录，梯度可以穿过 `if` 和 `while`，反映的是这一次实际走过的路径；
# - 四个常见错误的修正：更新叶子节点放进 `no_grad()` 并原地更新；需要梯度的张量用浮点数；图里有保存的张量时，两次反向传播要 `retain_graph=True` 或重新前向传播；不要原地修改反向传播还要用的张量，也不要原地修改它的视图或从它 `detach()` 出来的张量（它们共用版本计数器，反向传播会报错）；找不到是哪一步出错时，在前向传播之前打开异常检测。
