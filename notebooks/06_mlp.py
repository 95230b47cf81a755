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
# # 多层感知机
#
# **导读**：线性模型的输出是输入的线性函数（严格地说是仿射函数）：只有一个输入时，它的图像是一条直线；有多个输入时，是一个平面或超平面。许多规律不是这样的。**多层感知机**（multilayer perceptron, MLP）把几个全连接层叠起来，在层与层之间插入非线性的激活函数，就能表示弯曲的关系；它常被看作最简单的深度**神经网络**（neural network）。这一课先写清楚逐层计算的公式和每个量的形状，画出三种常用激活函数及其导数；再用**异或**（XOR）说明为什么必须有**非线性**（nonlinearity）；然后修正原文的多层感知机示例，查明它不清零梯度时为什么失败，以及修正之后它到底学到了什么；最后用多层感知机拟合正弦曲线、给二维的点分类，认识**过拟合**（overfitting），并学会用验证集选择正则化的强度。
#
# **学习目标**
#
# - 写出多层感知机逐层计算的公式和每个量的形状，会用 `nn.Module` 子类或 `nn.Sequential` 搭建网络、数参数；
# - 认识 ReLU、sigmoid、tanh 及其导数，知道饱和会让梯度接近 0、死亡 ReLU 会让梯度恰好为 0，看到深层 sigmoid 网络中的梯度消失；
# - 说清没有非线性时多层等于一层，线性模型在异或上最多分对 4 个点中的 3 个，分清损失和准确率；
# - 会把数据分成训练集、验证集和测试集：用验证集选择超参数，测试集只在最后用一次；
# - 知道 `Adam` 的 `weight_decay`（默认设置下）是 L2 正则化、`AdamW` 是解耦权重衰减，两者默认都作用于偏置。

# %% [markdown]
# ## 0. 准备
#
# 第一个单元格和每一课一样：在 Colab 中安装课程辅助包，在本地什么也不做。第二个单元格导入要用的库。`expect_error` 在第 1 课用过，用来演示故意写错的代码：代码报出所说的错误时，它打印错误的类型和第一行信息，然后继续运行；代码没有报错时，它反而报错，提醒你结果与课文所说的不符。

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
import copy
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

import lessons
from lessons import data, plotting, training
from lessons.checking import expect_error

env = lessons.setup(seed=0)


def predictor(model):
    """返回一个给画图函数用的预测函数：先把输入搬到 env.device 上，再交给模型。"""
    return lambda inputs: model(inputs.to(env.device))


# %% [markdown]
# `predictor` 是一个辅助函数：画图函数在 CPU 上生成网格点，而模型可能在 GPU 上，所以要先把网格点搬到 `env.device`。

# %% [markdown]
# ## 1. 逐层计算的公式
#
# 多层感知机由若干层组成。把输入记作 $a^{(0)} = x$，从第 $l$ 层到第 $l+1$ 层做两步：
#
# $$
# z^{(l+1)} = W^{(l+1)} a^{(l)} + b^{(l+1)}, \qquad a^{(l+1)} = f\left(z^{(l+1)}\right).
# $$
#
# 第一步是线性部分（加权和），第二步把激活函数 $f$ 逐元素地作用在 $z^{(l+1)}$ 上。位于输入和输出之间的层叫**隐藏层**（hidden layer）。设第 $l$ 层输出 $n_l$ 个数，也说这一层有 $n_l$ 个单元；隐藏层里的单元叫**隐藏单元**（hidden unit），隐藏层的宽度就是隐藏单元的个数。单元也常被称为**神经元**（neuron），这个名字来自早期受生物神经元启发的模型。各个量的形状是：
#
# | 量 | 含义 | 形状 |
# | --- | --- | --- |
# | $a^{(l)}$ | 第 $l$ 层的输出（激活值） | $n_l$ |
# | $W^{(l+1)}$ | 权重矩阵 | $n_{l+1} \times n_l$ |
# | $b^{(l+1)}$ | 偏置 | $n_{l+1}$ |
# | $z^{(l+1)}$、$a^{(l+1)}$ | 第 $l+1$ 层的加权和、输出 | $n_{l+1}$ |
#
# 本课的输出层都不加激活函数，直接把 $z$ 当作结果：做回归时，输出要能取任意实数；做二分类时，后面用的损失函数 `nn.BCEWithLogitsLoss` 会自己做 sigmoid。
#
# 原文在这里有两处不准确，还有一处写法容易误解：它说多层感知机“由多个隐藏层组成”，其实一个隐藏层就够了（原文自己的示例就只有一个）；它把 $z^{(l+1)}$ 称为“隐藏层的输出”，其实 $z$ 是激活之前的加权和，这一层的输出是 $a^{(l+1)}$。另外，它把矩阵乘法写成 $W \cdot a$，这种写法不算错，但 $\cdot$ 容易被误解成点积或逐元素乘法；本课写成 $Wa$，在代码里矩阵乘法要写 `@`。

# %% [markdown]
# 在 PyTorch 中，一层 $z = Wa + b$ 就是一个全连接层 `nn.Linear(n_in, n_out)`。它把 $W$ 存成形状 `(n_out, n_in)` 的矩阵，和公式一致：

# %%
lessons.seed_everything(0)
layer = nn.Linear(3, 4)  # 输入 3 个数，输出 4 个数
W, b = layer.weight, layer.bias
print("W 的形状：", tuple(W.shape))
print("b 的形状：", tuple(b.shape))
assert W.shape == (4, 3) and b.shape == (4,), "nn.Linear(3, 4) 的权重形状应为 (4, 3)，偏置形状应为 (4,)"

# %% [markdown]
# 对一个样本（形状 `(3,)` 的向量 $a$），按公式算 `W @ a + b` 和直接调用 `layer(a)` 结果相同：

# %%
a = torch.tensor([1.0, 2.0, 3.0])
with torch.no_grad():
    z_formula = W @ a + b
    z_layer = layer(a)
print("形状：", tuple(z_formula.shape))
assert torch.allclose(z_formula, z_layer), "W @ a + b 应与 layer(a) 相同：请先运行上一个单元格（它创建 layer）"
print("✅ W @ a + b 与 layer(a) 相同")

# %% [markdown]
# 实际训练时，我们一次送进一批样本，按“每行一个样本”排成形状 `(N, n_in)` 的矩阵 $X$。这时 `nn.Linear` 计算的是
#
# $$
# Z = X W^\top + b,
# $$
#
# 结果形状为 `(N, n_out)`，$b$ 通过广播加到每一行上。$Z$ 的第 $i$ 行正是第 $i$ 个样本按列向量公式算出的 $W x_i + b$：两种写法算出的是同一个结果，只是样本从列向量换成了矩阵的一行。

# %%
X = torch.randn(5, 3, generator=torch.Generator().manual_seed(0))  # 5 个样本，每个 3 个特征
with torch.no_grad():
    Z_formula = X @ W.T + b
    Z_layer = layer(X)
    Z_rowwise = torch.stack([W @ x_i + b for x_i in X])  # 一行一行按列向量公式算
print("X 的形状：", tuple(X.shape), "→ Z 的形状：", tuple(Z_layer.shape))
assert torch.allclose(Z_formula, Z_layer, atol=1e-6), "X @ W.T + b 应与 layer(X) 相同：请从第 1 节创建 layer 的单元格起按顺序运行"
assert torch.allclose(Z_rowwise, Z_layer, atol=1e-6), "逐行计算的 W @ x_i + b 应与 layer(X) 相同"
print("✅ X @ W.T + b、layer(X) 与逐行计算 W @ x_i + b 三者一致")

# %% [markdown]
# ## 2. 激活函数
#
# 三种常见的激活函数：
#
# | 名称 | 公式 | 导数 |
# | --- | --- | --- |
# | **修正线性单元**（rectified linear unit, ReLU） | $\mathrm{ReLU}(z) = \max(0, z)$ | $z > 0$ 时为 1，$z < 0$ 时为 0 |
# | S 型函数 sigmoid | $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,\bigl(1 - \sigma(z)\bigr)$ |
# | 双曲正切 tanh | $\tanh(z) = \dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$ | $1 - \tanh^2(z)$ |
#
# 导数不必手算。它们都是逐元素运算，所以对输出求和再反向传播，得到的梯度的第 $i$ 个元素就是第 $i$ 个点上的导数。先用自动求导算出来，再和表中的公式核对：

# %%
activations = {"ReLU": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
z = torch.linspace(-4, 4, 161, requires_grad=True)

values, derivatives = {}, {}
for name, f in activations.items():
    out = f(z)
    (grad,) = torch.autograd.grad(out.sum(), z)  # 逐元素函数：梯度的第 i 个元素就是 f'(z_i)
    values[name], derivatives[name] = out.detach(), grad

zd = z.detach()
s, t = torch.sigmoid(zd), torch.tanh(zd)
assert torch.allclose(derivatives["sigmoid"], s * (1 - s), atol=1e-6), "sigmoid 的导数应为 σ(z)(1 − σ(z))"
assert torch.allclose(derivatives["tanh"], 1 - t**2, atol=1e-6), "tanh 的导数应为 1 − tanh²(z)"
assert torch.equal(derivatives["ReLU"], (zd > 0).float()), "ReLU 的导数应在 z > 0 时为 1、其余为 0"
print("✅ 自动求导的结果与公式一致")

# %% mystnb={"image": {"alt": "左图是 ReLU、sigmoid、tanh 三种激活函数在 −4 到 4 上的曲线；右图是它们的导数：sigmoid 最大 0.25，tanh 最大 1，两者在 |z| 大时都接近 0；ReLU 的导数只有 0 和 1。"}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
labels = {"ReLU": "修正线性单元 ReLU", "sigmoid": "S 型函数 sigmoid", "tanh": "双曲正切 tanh"}
for name in activations:
    ax1.plot(zd, values[name], label=labels[name])
    ax2.plot(zd, derivatives[name], label=labels[name])
ax1.set_title("激活函数")
ax2.set_title("激活函数的导数（自动求导）")
for ax in (ax1, ax2):
    ax.set_xlabel("输入 $z$")
    ax.legend()
ax1.set_ylabel("输出 $f(z)$")
ax2.set_ylabel("导数 $f'(z)$")
plt.show()

# %% [markdown]
# 从右图可以读出几件事：
#
# - 在 $|z|$ 较大的地方，sigmoid 和 tanh 的输出几乎不变，导数接近 0，这叫**饱和**（saturation）。例如 $z = 5$ 时，sigmoid 的导数约为 0.0066，tanh 的导数约为 0.00018。加权和落在饱和区的单元，几乎得不到梯度。
# - sigmoid 的导数最大只有 0.25（在 $z = 0$ 处），tanh 的导数最大为 1。反向传播时，梯度每经过一层，都要乘上这一层激活函数的导数（还要乘上权重矩阵）。用 sigmoid 时，激活函数贡献的因子每层至多是 0.25；除非权重很大，层数一多，靠近输入的层得到的梯度就会按层数指数级地变小，这叫**梯度消失**（vanishing gradient）。这是深层网络多用 ReLU 的原因之一：ReLU 在正区间上的导数恒为 1。
# - ReLU 的导数只有 0 和 1 两个值。它在 $z = 0$ 处不可导，PyTorch 在这一点取 0。所以，如果一个隐藏单元的加权和对所有训练样本都不大于 0，它的输入权重和偏置得到的梯度就全是 0。第 4 节会看到这种情况。

# %%
print("sigmoid 导数的最大值：", round(derivatives["sigmoid"].max().item(), 4))
print("tanh 导数的最大值：   ", round(derivatives["tanh"].max().item(), 4))
assert abs(derivatives["sigmoid"].max().item() - 0.25) < 1e-6, "sigmoid 导数的最大值应为 0.25：请先运行本节第一个代码单元格"
assert abs(derivatives["tanh"].max().item() - 1.0) < 1e-6, "tanh 导数的最大值应为 1：请先运行本节第一个代码单元格"

z5 = torch.tensor(5.0)
sigmoid_5 = (torch.sigmoid(z5) * (1 - torch.sigmoid(z5))).item()
tanh_5 = (1 - torch.tanh(z5) ** 2).item()
print(f"z = 5 处：sigmoid 的导数 {sigmoid_5:.4f}，tanh 的导数 {tanh_5:.5f}")
assert round(sigmoid_5, 4) == 0.0066 and round(tanh_5, 5) == 0.00018, "z = 5 处 sigmoid、tanh 的导数应约为 0.0066、0.00018"

z0 = torch.tensor(0.0, requires_grad=True)
torch.relu(z0).backward()
print("ReLU 在 0 处的导数：", z0.grad.item())
assert z0.grad.item() == 0.0, "PyTorch 中 ReLU 在 0 处的导数应取 0"
print("✅ 这些数都与上面说的一致")

# %% [markdown]
# 梯度消失可以直接看到。下面搭两个除激活函数外完全相同的网络：10 个隐藏层，每层 64 个隐藏单元，一个用 sigmoid，一个用 ReLU，参数都用 PyTorch 的默认初始化。对同一批随机输入做一次反向传播，比较第 1 个和第 10 个隐藏层的权重梯度有多大（用范数衡量）：

# %%
def hidden_grad_norms(activation, depth=10, width=64):
    """depth 个隐藏层（每层 width 个隐藏单元，之后接 activation）的网络：一次反向传播后各隐藏层权重梯度的范数。"""
    lessons.seed_everything(0)  # 两个网络的初始参数和输入都相同
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    deep_net = nn.Sequential(*layers, nn.Linear(width, 1))
    x_deep = torch.randn(128, width)
    deep_net(x_deep).sum().backward()
    return [deep_net[2 * i].weight.grad.norm().item() for i in range(depth)]


grad_ratio = {}
for name, activation in (("sigmoid", nn.Sigmoid), ("ReLU", nn.ReLU)):
    norms = hidden_grad_norms(activation)
    grad_ratio[name] = norms[0] / norms[-1]
    print(f"{name:7s} 第 1 个隐藏层：{norms[0]:.1e}   第 10 个隐藏层：{norms[-1]:.1e}   两者之比：{grad_ratio[name]:.0e}")
assert grad_ratio["sigmoid"] < 1e-6, "sigmoid 网络第 1 层与第 10 层梯度之比应小于百万分之一"
assert grad_ratio["ReLU"] > 1000 * grad_ratio["sigmoid"], "ReLU 网络的梯度之比应比 sigmoid 网络大三个数量级以上"
assert 1e-4 < grad_ratio["ReLU"] < 1e-2, "ReLU 网络的梯度也应小约三个数量级"
print("✅ sigmoid 网络靠近输入的层几乎得不到梯度；ReLU 网络的情况好得多")

# %% [markdown]
# sigmoid 网络第 1 个隐藏层的梯度还不到第 10 个隐藏层的百万分之一，靠近输入的层几乎学不动。ReLU 网络好得多，不过梯度也小了约三个数量级：连乘的因子里还有权重矩阵，所以梯度的大小也取决于权重的初始化。反过来，权重过大时梯度会逐层变大，这叫**梯度爆炸**（exploding gradient）。让各层梯度大小相近的初始化方法（例如为 ReLU 设计的 Kaiming 初始化）本课不展开。
#
# 初始化还有一个更基本的要求：同一层的隐藏单元不能从相同的参数出发。假如它们的输入权重、偏置以及连向下一层的权重都相同，它们对任何输入都算出相同的值，反向传播时也得到相同的梯度，用梯度下降更新之后仍然相同。不管训练多久，这一层的几个隐藏单元都只起到一个单元的作用。随机初始化让各个单元从不同的地方出发，这叫**打破对称性**（symmetry breaking）。下面把一个 2 → 4 → 1 的网络的全部参数都设成 0.5，用 SGD 训练 200 步：

# %%
sym_net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
with torch.no_grad():
    for p in sym_net.parameters():
        p.fill_(0.5)  # 全部参数都是 0.5：4 个隐藏单元一模一样
x_sym = torch.randn(64, 2, generator=torch.Generator().manual_seed(0))
y_sym = torch.sin(x_sym[:, :1]) * x_sym[:, 1:]  # 一个非线性的目标，形状 (64, 1)
optimizer = torch.optim.SGD(sym_net.parameters(), lr=0.1)
for _ in range(200):
    optimizer.zero_grad()
    nn.MSELoss()(sym_net(x_sym), y_sym).backward()
    optimizer.step()
W_sym, b_sym = sym_net[0].weight.detach(), sym_net[0].bias.detach()
print("200 步之后第一层的权重（每行对应一个隐藏单元）：", [[round(v, 4) for v in row] for row in W_sym.tolist()])
print("第一层的偏置：", [round(v, 4) for v in b_sym.tolist()])
assert (W_sym != 0.5).all(), "训练之后，第一层的权重应该都已离开 0.5"
assert all(torch.equal(row, W_sym[0]) for row in W_sym) and (b_sym == b_sym[0]).all(), "4 个隐藏单元的参数应该始终完全相同"
print("✅ 参数变了，4 个隐藏单元却仍然一模一样")

# %% [markdown]
# ## 3. 为什么需要非线性
#
# ### 3.1 没有激活函数，多层等于一层
#
# 如果两层之间不加激活函数，把第一层代入第二层：
#
# $$
# W^{(2)}\bigl(W^{(1)} x + b^{(1)}\bigr) + b^{(2)} = \underbrace{W^{(2)} W^{(1)}}_{W}\, x + \underbrace{W^{(2)} b^{(1)} + b^{(2)}}_{b}.
# $$
#
# 结果仍是“乘一个矩阵再加一个向量”，也就是一个线性层。叠多少层都一样。用代码验证：

# %%
lessons.seed_everything(0)
two_linear = nn.Sequential(nn.Linear(2, 8), nn.Linear(8, 1))  # 两层之间没有激活函数
W1, b1 = two_linear[0].weight, two_linear[0].bias
W2, b2 = two_linear[1].weight, two_linear[1].bias

with torch.no_grad():
    W_merged = W2 @ W1       # (1, 8) @ (8, 2) → (1, 2)
    b_merged = W2 @ b1 + b2  # (1, 8) @ (8,) + (1,) → (1,)
    X = torch.randn(6, 2)
    same = torch.allclose(two_linear(X), X @ W_merged.T + b_merged, atol=1e-6)
print("合并后的权重形状：", tuple(W_merged.shape), "偏置形状：", tuple(b_merged.shape))
assert same, "两个线性层应等价于一个合并后的线性层"
print("✅ 两个线性层等价于一个 nn.Linear(2, 1)")

# %% [markdown]
# ### 3.2 异或：一条直线分不开
#
# 异或的四个点：$(0,0)$ 和 $(1,1)$ 属于类别 0，$(0,1)$ 和 $(1,0)$ 属于类别 1。线性分类器按 $w_1 x_1 + w_2 x_2 + b > 0$ 判为类别 1，它的分界线是一条直线。这样的分类器不可能把四个点全部分对：
#
# - 要把 $(0,1)$、$(1,0)$ 判为 1，需要 $w_2 + b > 0$ 和 $w_1 + b > 0$，两式相加得 $w_1 + w_2 + 2b > 0$；
# - 要把 $(0,0)$、$(1,1)$ 判为 0，需要 $b \le 0$ 和 $w_1 + w_2 + b \le 0$，两式相加得 $w_1 + w_2 + 2b \le 0$。
#
# 两个结论互相矛盾。分对 3 个点却做得到，例如 $x_1 + x_2 - 0.5 > 0$ 只分错了 $(1,1)$。所以线性分类器在异或上的**准确率**（accuracy，分对的样本所占的比例）最多是 75%。用 10 万条随机直线核对一下：

# %%
x_xor, y_xor = data.xor()
print("输入：", x_xor.tolist())
print("标签：", y_xor.reshape(-1).tolist())

g = torch.Generator().manual_seed(0)
w_random = torch.randn(100_000, 2, generator=g)
b_random = torch.randn(100_000, generator=g)
pred_random = (x_xor @ w_random.T + b_random > 0).float()        # 形状 (4, 100000)：每列是一条直线的判断
acc_random = (pred_random == y_xor).float().mean(dim=0)           # 每条直线的准确率
acc_line = ((x_xor.sum(dim=1, keepdim=True) - 0.5 > 0).float() == y_xor).float().mean().item()
print("10 万条随机直线中最高的准确率：", acc_random.max().item())
print("直线 x1 + x2 - 0.5 = 0 的准确率：", acc_line)
assert acc_random.max().item() == 0.75 and acc_line == 0.75, "随机直线的最高准确率和直线 x1 + x2 - 0.5 的准确率都应是 75%"
print("✅ 没有一条直线超过 75%，而 75% 做得到")

# %% [markdown]
# 再训练一个线性模型试试。做**分类**（classification）时，模型要判断每个样本属于哪一类。像异或这样只有两类（二分类）时，常用的做法是让模型对每个样本输出一个实数分数 $z$，叫**对数几率**（logit），大于 0 判为类别 1；把它送进 sigmoid 就得到“属于类别 1 的概率” $p = \sigma(z)$。反过来 $z = \log\frac{p}{1-p}$，正是几率 $\frac{p}{1-p}$ 的对数，这就是名字的由来。（类别多于两个时，模型对每一类各输出一个分数，第 7 课会讲。）训练用的损失函数是**二元交叉熵**（binary cross-entropy）：
#
# $$
# \ell = -\bigl[\,y \log p + (1 - y) \log (1 - p)\,\bigr],
# $$
#
# 预测越有把握且正确，损失越接近 0；越有把握却错了，损失越大。`nn.BCEWithLogitsLoss` 接收对数几率（名字里的 Logits 就是它），把 sigmoid 和这个公式合在一起算，数值上比先做 sigmoid 再用 `nn.BCELoss` 更稳定（第 7 节会看到原因），所以模型最后一层不加 sigmoid。先核对对数几率与概率的关系：

# %%
z_check = torch.tensor([-2.0, 0.0, 3.0])
p_check = torch.sigmoid(z_check)
z_back = torch.log(p_check / (1 - p_check))
print("对数几率：", z_check.tolist(), "→ 概率：", [round(v, 4) for v in p_check.tolist()],
      "→ 几率的对数：", [round(v, 4) for v in z_back.tolist()])
assert torch.allclose(z_back, z_check, atol=1e-5), "log(p / (1 − p)) 应该还原出对数几率"
print("✅ 对数几率就是几率 p / (1 − p) 的对数")

# %% [markdown]
# 下面的函数就是前几课的训练循环，换了损失函数和优化器：

# %%
x_xor, y_xor = x_xor.to(env.device), y_xor.to(env.device)


def train_classifier(model, x, y, steps, lr):
    """用 Adam 和二元交叉熵训练一个输出对数几率的二分类模型，返回最后一次更新之前算出的损失。"""
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return loss.item()


# %%
lessons.seed_everything(0)
linear_xor = nn.Linear(2, 1).to(env.device)
loss_linear = train_classifier(linear_xor, x_xor, y_xor, steps=500, lr=0.05)
with torch.no_grad():
    logits_linear = linear_xor(x_xor).reshape(-1)
print("线性模型的损失：", round(loss_linear, 4), "  ln 2 =", round(math.log(2), 4))
print("四个点属于类别 1 的概率：", [round(p, 2) for p in torch.sigmoid(logits_linear).tolist()])
print("四个对数几率的绝对值都小于 0.001：", logits_linear.abs().max().item() < 1e-3)

# %% [markdown]
# 训练出的线性模型对四个点给出的概率都是 0.5，损失停在 $-\log 0.5 = \ln 2 \approx 0.6931$。这正是二元交叉熵在这组数据上对线性模型能达到的最小值：二元交叉熵是线性模型参数的凸函数（像一只碗，没有别的局部最低点），再利用这四个点的对称性可以证明，$w = 0,\ b = 0$ 时损失最小。
#
# 但损失最小不等于准确率最高。这时四个对数几率都几乎是 0，判成哪一类只取决于极小的数值误差，准确率没有意义。而前面那条分对 3 个点的直线 $x_1 + x_2 - 0.5 = 0$，损失反而更大：它给分错的 $(1,1)$ 的对数几率是 1.5，判为类别 1 的概率高达 $\sigma(1.5) \approx 0.82$，这一个点的损失就有约 1.70，远大于 $\ln 2$。训练时优化的是损失；准确率只数判对了几个，不看概率给得好不好。

# %%
with torch.no_grad():
    logits_line = x_xor.sum(dim=1, keepdim=True) - 0.5  # 直线 x1 + x2 - 0.5 给出的对数几率
    loss_line = nn.BCEWithLogitsLoss()(logits_line, y_xor).item()
print(f"训练出的线性模型：损失 {loss_linear:.4f}")
print(f"直线 x1 + x2 - 0.5：损失 {loss_line:.4f}，准确率 {acc_line:.0%}")
loss_11 = nn.BCEWithLogitsLoss()(logits_line[3], y_xor[3]).item()  # 第 4 个点是 (1, 1)
print(f"  其中分错的 (1, 1)：判为类别 1 的概率 {torch.sigmoid(logits_line[3]).item():.2f}，损失 {loss_11:.2f}")
assert abs(loss_11 - 1.70) < 0.01, "分错的 (1, 1) 的损失应约为 1.70"
assert abs(loss_linear - math.log(2)) < 1e-3, "线性模型的损失应停在 ln 2：请从训练 linear_xor 的单元格起按顺序重新运行"
assert training.accuracy(linear_xor, x_xor, y_xor) <= 0.75, "线性模型在异或上的准确率不应超过 75%"
assert loss_line > loss_linear + 0.05, "直线 x1 + x2 - 0.5 的损失应明显大于训练出的线性模型"
print("✅ 损失停在 ln 2；分对 3 个点的直线准确率更高，损失却更大")

# %% [markdown]
# 换成一个有 8 个隐藏单元、用 tanh 激活的多层感知机，其余设置不变：

# %%
lessons.seed_everything(0)
mlp_xor = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)).to(env.device)
loss_mlp = train_classifier(mlp_xor, x_xor, y_xor, steps=500, lr=0.05)
acc_mlp = training.accuracy(mlp_xor, x_xor, y_xor)
with torch.no_grad():
    p_mlp = torch.sigmoid(mlp_xor(x_xor)).reshape(-1)
print("多层感知机的损失：", f"{loss_mlp:.4f}")
print("四个点属于类别 1 的概率：", [round(p, 2) for p in p_mlp.tolist()])
print("准确率：", acc_mlp)
assert acc_mlp == 1.0 and loss_mlp < 0.01, "多层感知机应把四个点全部分对、损失小于 0.01"
print("✅ 多层感知机把四个点全部分对")

# %% [markdown]
# 画出它的**决策边界**（decision boundary）：黑线是对数几率等于 0 的地方，两侧的底色是模型判的类别。一条直线做不到的事，隐藏层用弯曲的边界做到了。

# %% mystnb={"image": {"alt": "异或的四个点：(0, 0) 和 (1, 1) 属于类别 0，(0, 1) 和 (1, 0) 属于类别 1；多层感知机的决策边界是两条弯曲的黑线，把对角的两对点分到不同颜色的区域里。"}}
plotting.plot_decision_boundary(predictor(mlp_xor), x_xor, y_xor, title="多层感知机在异或上的决策边界")
plt.show()

# %% [markdown]
# 一个隐藏层能表示多少函数？**通用近似定理**（universal approximation theorem）给出了一个回答：只要激活函数连续且不是多项式（ReLU、sigmoid、tanh 都满足），那么对有界闭集（例如一个矩形区域）上的任何连续函数和任何精度要求，都存在一个只有一个隐藏层的多层感知机，在整个区域上与这个函数的误差都小于这个精度（Cybenko 1989 年对 sigmoid 一类的函数证明了这一点，Leshno 等人 1993 年给出了“不是多项式”这个条件）。
#
# 这个定理只说这样的网络存在。它不说需要多少隐藏单元（可能多得无法实现），不保证梯度下降能找到这组参数，也不保证模型在训练数据之外表现好；在那个区域之外，它什么也没有保证。
#
# 既然一个隐藏层就够，为什么还常用更多的层？因为对有些函数，加深网络比加宽网络省得多。看输入只有一个数的情形：一个 ReLU 隐藏单元 $\max(0, wx + b)$ 的图像至多有一处弯折，所以只有一个隐藏层、$n$ 个 ReLU 单元的网络，图像是至多 $n + 1$ 段的折线。下面的 `tent` 只用 2 个 ReLU 单元，在 $[0, 1]$ 上先从 0 升到 1、再降回 0；把它连续套用 5 次，相当于 5 个隐藏层、每层 2 个单元，一共 10 个隐藏单元：

# %% mystnb={"image": {"alt": "把 tent 套用 5 次后在 0 到 1 上的图像：一条在 0 和 1 之间上下往返 16 次的锯齿折线，共 32 段，每段的斜率都是 ±32。"}}
def tent(x):
    """2 个 ReLU 隐藏单元：在 [0, 1] 上先从 0 升到 1，再降回 0。"""
    return 2 * torch.relu(x) - 4 * torch.relu(x - 0.5)


x_grid = torch.linspace(0, 1, 4097, dtype=torch.float64)  # 相邻两点相距 1/4096，所有弯折处都落在网格上
y_deep = x_grid
for _ in range(5):  # 套用 5 次：5 个隐藏层，每层 2 个隐藏单元
    y_deep = tent(y_deep)
slopes = torch.diff(y_deep) / torch.diff(x_grid)                # 相邻两点之间的斜率
n_pieces = 1 + (torch.diff(slopes).abs() > 1e-6).sum().item()  # 斜率每改变一次，就多一段
print("5 层、每层 2 个隐藏单元的网络，图像的段数：", n_pieces)
print("只有一个隐藏层时，至少需要的隐藏单元：", n_pieces - 1)
assert n_pieces == 2 ** 5 == 32 and set(slopes.abs().tolist()) == {32.0}, "套用 5 次 tent 应得到 32 段、斜率为 ±32 的折线"
print("✅ 10 个隐藏单元分 5 层，得到 32 段的锯齿折线")

fig, ax = plt.subplots(figsize=(5, 2.4))
ax.plot(x_grid, y_deep)
ax.set_title("把 tent 套用 5 次")
ax.set_xlabel("x")
plt.show()

# %% [markdown]
# 每套用一次，段数就翻一倍：套用 $k$ 次，深的网络只要 $2k$ 个隐藏单元，就得到 $2^k$ 段；只有一个隐藏层的网络要得到同样的折线，至少需要 $2^k - 1$ 个。这是特意构造的例子，但它说明了加深的好处：每一层都在前一层的结果上再做一次变换，能表示的函数的复杂程度可以随层数成倍增长。后面第 5 节的 784 → 256 → 128 → 10 网络、第 7 节和第 8.1 节的分类器，都有两个隐藏层。

# %% [markdown]
# ## 4. 修正原文的多层感知机示例
#
# 原文第 4.2 节的示例定义了一个 2 → 5 → 2 的网络（隐藏层用 ReLU），用均方误差和学习率 0.01 的 SGD 训练 1000 个迭代周期，数据是 5 个二维的点。它有三个问题：
#
# 1. 只定义了 `MLP` 类，却从来没有创建 `model`，就去调用 `model.parameters()`；
# 2. 训练循环里没有 `optimizer.zero_grad()`，梯度会一步步累加（第 4 课详细讲过）；
# 3. 输入 `x` 和目标 `y` 是同一组数，网络要学的只是“把输入原样输出”。
#
# 第一个问题让代码在创建优化器这一行就停下来：

# %%
try:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)  # 原文的写法：model 从未创建
except NameError as err:
    print(f"NameError: {err}")
else:
    print("没有报错：这个内核里已经有一个名为 model 的变量（你在别处定义过它）。原文的代码里没有这个变量，会报 NameError。")

# %% [markdown]
# 修正后的版本：先创建模型，每一步先清零梯度。不带参数的 `super().__init__()` 是 Python 3 引入的简写，在这里和原文的 `super(MLP, self).__init__()` 等价。为了和不清零的版本对比，把训练写成一个函数，用参数 `zero_grad` 控制是否清零；它还记录每一步的损失，以及有几个隐藏单元对全部 5 个训练点的加权和都不大于 0（这个数的含义下面会讲）。

# %%
class MLP(nn.Module):
    """原文的网络：2 个输入 → 5 个隐藏单元（ReLU）→ 2 个输出。"""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 5)
        self.fc2 = nn.Linear(5, 2)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        return self.fc2(h)


x_doc = torch.tensor([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0], [4.0, 5.0], [5.0, 6.0]], device=env.device)
y_doc = x_doc.clone()  # 原文的目标和输入完全相同


def count_dead(net, x):
    """有几个隐藏单元对 x 中的每个样本，加权和都不大于 0（于是输出恒为 0）。"""
    with torch.no_grad():
        return int((net.fc1(x) <= 0).all(dim=0).sum())


def train_document_mlp(zero_grad=True):
    """按原文的设置训练：均方误差、SGD、学习率 0.01、1000 个迭代周期（每个迭代周期更新一次）。

    返回模型、每个迭代周期的损失、每次更新之前的死亡隐藏单元个数。
    """
    lessons.seed_everything(0)
    net = MLP().to(env.device)  # 修正一：先创建模型
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    losses, dead = [], []
    for _ in range(1000):
        if zero_grad:
            optimizer.zero_grad()  # 修正二：每一步先清零梯度
        dead.append(count_dead(net, x_doc))
        loss = criterion(net(x_doc), y_doc)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return net, losses, dead


doc_model, losses_fixed, dead_fixed = train_document_mlp(zero_grad=True)
model_no_zero, losses_no_zero, dead_no_zero = train_document_mlp(zero_grad=False)
print(f"每步清零梯度：  最后的损失 {losses_fixed[-1]:.3f}")
print(f"不清零（原文）：最后的损失 {losses_no_zero[-1]:.2f}")
assert losses_fixed[-1] < 0.01 and losses_no_zero[-1] > 1, "清零版本最后的损失应小于 0.01，不清零的版本应大于 1"
print("✅ 清零梯度后损失很小；不清零时训练失败")

# %% [markdown]
# ### 4.1 不清零时发生了什么：死亡 ReLU
#
# 第 4 课说过，不清零时 `.grad` 里存的是从第一步起所有梯度的总和，相当于动量系数为 1 的速度，旧梯度一点也不衰减。对这个网络，这会造成一个更彻底的后果。先看记录下来的两个量：

# %% mystnb={"image": {"alt": "左图是原文网络的损失（对数刻度）：每步清零时稳定降到约 0.001；不清零时开头剧烈跳动，约 30 个迭代周期后在约 2 到 3.3 之间来回振荡。右图是前 100 个迭代周期里死亡隐藏单元的个数：两者从 2 个开始，更新 2 次后都变成 3 个；清零时停在 3 个，不清零时更新 8 次后升到 4、更新 32 次后升到 5，全部死亡。"}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
plotting.plot_losses({"每步清零": losses_fixed, "不清零（原文）": losses_no_zero}, ax=ax1,
                     title="原文网络的损失", log_scale=True)
ax2.plot(dead_fixed[:100], drawstyle="steps-post", label="每步清零")
ax2.plot(dead_no_zero[:100], drawstyle="steps-post", label="不清零（原文）")
ax2.set_yticks(range(6))
ax2.set_title("死亡的隐藏单元个数（前 100 个迭代周期）")
ax2.set_xlabel("迭代周期")
ax2.set_ylabel("个数")
ax2.legend()
plt.show()

# %% [markdown]
# 右图是关键。如果一个隐藏单元的加权和 $z$ 对所有训练样本都不大于 0，它的输出就恒为 0，ReLU 在这些点上的导数也都是 0；于是损失对这个单元的输入权重和偏置的梯度是 0：用普通的梯度下降时，它们再也不会改变（带动量的优化器如 Adam 还会按已经积累的动量再移动一段，但得不到新的梯度）。只要送进这一层的输入不变（例如第一个隐藏层，它的输入就是训练数据），这个单元就“死”了，这种现象叫**死亡 ReLU**（dying ReLU）。更深的层的输入会随前面各层的训练而改变，其中死去的单元有可能重新得到正的加权和。
#
# 两个版本的初始参数相同，5 个隐藏单元里都有 2 个在初始化时就已经死亡。第 2 次更新之后，两个版本里都又有 1 个单元死亡：清零梯度时它也会死，所以这一个与是否清零无关。不清零时，累加起来的梯度继续把第一层的权重和偏置推向让加权和变小的方向。这个总和一直留在 `.grad` 里，新的梯度只是加在它上面，所以参数每一步都还沿着旧的方向移动，剩下的 2 个隐藏单元也接连死去（死亡个数从 3 依次变成 4、5）：大约 30 次更新之后（确切的次数见下面的输出），5 个隐藏单元全部死亡。从此：
#
# - 第一层得不到新的梯度，`fc1` 的 `.grad` 不再变化；它的参数仍按留在 `.grad` 里的旧总和匀速移动。在这个例子里，训练中途死去的 3 个单元沿这个方向走，加权和在每个训练点上都越来越负；初始化时就死亡的 2 个单元从来没有得到过梯度，参数一直不变。所以死亡的单元再也没有恢复；
# - 隐藏层对任何训练样本都输出全 0，网络的输出只剩下 `fc2` 的偏置，对 5 个点给出同一个输出；
# - 输出是常数 $c$（即 `fc2` 的偏置）时，均方误差等于 $2.0 + \frac{1}{2}\lVert c - (3, 4)\rVert^2$：目标的两个坐标各自的方差都是 2.0，2.0 是它们的平均；$(3, 4)$ 是目标的平均值；系数 $\frac{1}{2}$ 来自 `nn.MSELoss` 对两个坐标取平均。所以损失不可能低于 2.0。`.grad` 里累加的梯度像第 4 课那样让 $c$ 在 $(3, 4)$ 附近来回振荡，损失也跟着振荡。
#
# 所以原文的网络失败的直接原因，是隐藏层在训练早期就全部死亡，网络退化成了一个常数；之后训练多久都无济于事。下面逐条核对：

# %%
first_all_dead = dead_no_zero.index(5)
with torch.no_grad():
    out_no_zero = model_no_zero(x_doc)
print("更新 0 到 9 次之后的死亡个数：清零", dead_fixed[:10], " 不清零", dead_no_zero[:10])
print("全部 5 个隐藏单元死亡时已更新的次数：", first_all_dead)
print("在此之前死亡个数依次取过的值：", sorted(set(dead_no_zero[:first_all_dead + 1])))
print("之后的损失：最小", round(min(losses_no_zero[first_all_dead:]), 3),
      " 最大", round(max(losses_no_zero[first_all_dead:]), 3))
print("最后对 5 个点的输出：", [[round(v, 2) for v in row] for row in out_no_zero.tolist()])
print("fc2 的偏置：        ", [round(v, 2) for v in model_no_zero.fc2.bias.tolist()])
print("目标的方差：", y_doc.var(dim=0, unbiased=False).tolist(), " 平均值：", y_doc.mean(dim=0).tolist())
c = model_no_zero.fc2.bias.detach()
loss_formula = 2.0 + 0.5 * ((c - y_doc.mean(dim=0)) ** 2).sum().item()
loss_now = nn.MSELoss()(out_no_zero, y_doc).item()
print(f"现在的损失 {loss_now:.4f}，按公式 2.0 + ½‖c - (3, 4)‖² 算出 {loss_formula:.4f}")

# 再做一次前向和反向传播（不写进 .grad）：第一层收到的新梯度全是 0，输出层的偏置收到的不是 0
loss_again = nn.MSELoss()(model_no_zero(x_doc), y_doc)
new_fc1, new_fc2 = torch.autograd.grad(loss_again, [model_no_zero.fc1.weight, model_no_zero.fc2.bias])
print("第一层新梯度的最大绝对值：", new_fc1.abs().max().item(),
      " 留在 fc1.weight.grad 里的旧总和的最大绝对值：", round(model_no_zero.fc1.weight.grad.abs().max().item(), 1))

# 之后每一步，fc1 的参数都减去 0.01 × 旧总和 (G_w, G_b)，所以每个单元在每个训练点上的加权和都变化 -0.01 × (G_w x + G_b)
G_w, G_b = model_no_zero.fc1.weight.grad, model_no_zero.fc1.bias.grad
z_change = -0.01 * (x_doc @ G_w.T + G_b) + 0.0  # 形状 (5, 5)：第 i 个训练点、第 j 个单元；+ 0.0 把 -0.0 变成 0.0
got_gradient = (G_w.abs().sum(dim=1) + G_b.abs()) > 0  # 从第一步起得到过梯度的单元
print("每步加权和的变化量（每个单元在 5 个点上的最大值）：", [round(v, 3) for v in z_change.max(dim=0).values.tolist()])

assert dead_fixed[:3] == dead_no_zero[:3] == [2, 2, 3], "头 2 次更新之后，两个版本都应有 3 个死亡单元：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert all(d == 3 for d in dead_fixed[2:]), "清零的版本从第 2 次更新之后应一直只有 3 个死亡单元：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert first_all_dead <= 40 and all(d == 5 for d in dead_no_zero[first_all_dead:]), "不清零时应在 40 次更新内全部死亡且不再恢复：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert sorted(set(dead_no_zero[:first_all_dead + 1])) == [2, 3, 4, 5], "死亡个数应从 2 依次变成 3、4、5：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert all(a <= b for a, b in zip(dead_no_zero, dead_no_zero[1:])), "不清零时死亡个数应只增不减：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert torch.allclose(out_no_zero, model_no_zero.fc2.bias.expand_as(out_no_zero)), "网络的输出应等于 fc2 的偏置：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert min(losses_no_zero[first_all_dead:]) >= 2.0, "全部死亡之后损失不应低于 2.0：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert max(losses_no_zero[first_all_dead:]) - min(losses_no_zero[first_all_dead:]) > 0.5, "全部死亡之后损失应该振荡：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert abs(loss_now - loss_formula) < 1e-4, "损失应等于 2.0 + ½‖c − (3, 4)‖²：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert new_fc1.abs().max().item() == 0 and new_fc2.abs().max().item() > 0, "第一层的新梯度应全为 0，fc2 偏置的不为 0：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert got_gradient.sum().item() == 3 and (z_change[:, got_gradient] < 0).all(), "得到过梯度的 3 个单元，加权和应每步变小：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert (z_change[:, ~got_gradient] == 0).all(), "从没得到梯度的 2 个单元，加权和应保持不变：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
print("✅ 第 2 次更新之后两个版本都有 3 个死亡单元；不清零时剩下的 2 个也接连死去，约 30 步后全部死亡；"
      "之后网络输出常数（fc2 的偏置），损失在 2.0 以上振荡；"
      "第一层收不到新的梯度，3 个单元的加权和每步都在变小，另 2 个不动")

# %% [markdown]
# 死亡 ReLU 在正常训练中也会出现。清零梯度的版本里，初始化时就已经死亡的 2 个单元（它们的加权和对这 5 个点都是负数）一直没有恢复，训练开始后又死了 1 个；剩下的 2 个足以在这 5 个点上表示恒等映射，所以训练仍然成功。
#
# 一种常见的缓解办法是把 ReLU 换成 `nn.LeakyReLU`：它在 $z < 0$ 时输出 `negative_slope` 乘以 $z$（`negative_slope` 默认是 0.01），导数不再是 0，单元就有机会“复活”。但对原文的例子，真正的修正是清零梯度。

# %%
lessons.seed_everything(0)
init_net = MLP().to(env.device)  # 与 train_document_mlp 里的初始参数相同
with torch.no_grad():
    dead_at_init = (init_net.fc1(x_doc) <= 0).all(dim=0)  # 每个隐藏单元是否死亡
    dead_at_end = (doc_model.fc1(x_doc) <= 0).all(dim=0)
print(f"清零版本：初始化时死亡的隐藏单元 {dead_at_init.nonzero().reshape(-1).tolist()}，"
      f"训练结束时 {dead_at_end.nonzero().reshape(-1).tolist()}（单元编号从 0 开始）")
assert dead_fixed[0] == dead_at_init.sum().item() == 2 and dead_at_end.sum().item() == 3, "清零版本应在初始化时有 2 个、训练结束时有 3 个死亡单元：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert dead_at_end[dead_at_init].all(), "初始化时死亡的单元到最后应仍然死亡：请从第 4 节定义 MLP 的单元格起按顺序重新运行"

z_leaky = torch.tensor([-3.0, 2.0], requires_grad=True)
nn.LeakyReLU()(z_leaky).sum().backward()
print("LeakyReLU 在 z = -3 和 z = 2 处的导数：", [round(v, 4) for v in z_leaky.grad.tolist()])
assert torch.allclose(z_leaky.grad, torch.tensor([0.01, 1.0])), "LeakyReLU 的导数应为 0.01（z < 0）和 1（z > 0）"
print("✅ 清零版本里初始化时死亡的 2 个单元没有恢复，最后共有 3 个死亡单元；LeakyReLU 在负区间的导数是 0.01 而不是 0")

# %% [markdown]
# ### 4.2 修正后的网络学到了什么
#
# 再看第三个问题：训练好的网络在这 5 个点上输出了什么？

# %%
with torch.no_grad():
    out_doc = doc_model(x_doc)
max_error = (out_doc - x_doc).abs().max().item()
print("输入：", x_doc.tolist())
print("输出：", [[round(v, 1) for v in row] for row in out_doc.tolist()])
print("最大误差：", round(max_error, 2))
assert max_error < 0.15, "清零版本在训练点上应近似输出输入本身：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
print("✅ 在训练点上 model(x) ≈ x")

# %% [markdown]
# 网络学到的是**恒等映射**（identity map）：输入什么就输出什么。但它只在训练数据附近才是这样。注意这 5 个点都落在直线 $x_2 = x_1 + 1$ 上，网络从没见过这条直线以外的点，所以：
#
# - 离开这条直线，比如输入 $(3, -3)$，输出和输入毫无关系；
# - 沿着这条直线走得很远，比如 $x_1 = 100, 200, 300$：ReLU 网络是分段线性的函数，沿一条射线走得足够远之后，每个隐藏单元的正负都不再改变，输出就成了一个线性函数，按固定的增量变化。在训练数据覆盖的范围之外做预测叫**外推**（extrapolation），这里是线性外推。但这个增量并不等于输入的增量，误差随距离越来越大。

# %%
far_points = torch.tensor([[3.0, -3.0], [100.0, 101.0], [200.0, 201.0], [300.0, 301.0]], device=env.device)
with torch.no_grad():
    far_out = doc_model(far_points)
for p, q in zip(far_points.tolist(), far_out.tolist()):
    print(f"输入 {p} → 输出 {[round(v, 1) for v in q]}")

off_line_error = (far_out[0] - far_points[0]).norm().item()
step_1 = far_out[2] - far_out[1]  # x1 从 100 走到 200 时输出的变化
step_2 = far_out[3] - far_out[2]  # x1 从 200 走到 300 时输出的变化
far_error = (far_out[3] - far_points[3]).abs().max().item()
assert off_line_error > 1, "离开直线 x2 = x1 + 1 的点，输出应与输入相差很大：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert torch.allclose(step_1, step_2, rtol=1e-4), "沿直线走远时，输出的增量应该固定：请从第 4 节定义 MLP 的单元格起按顺序重新运行"
assert far_error > 10 * max_error, "远处的误差应远大于训练点上的误差：请先运行上一个单元格（它算出 max_error）"
print("✅ 离开直线就不是恒等映射；沿直线走远时输出按固定的增量变化，误差远大于训练点上的误差")

# %% [markdown]
# 所以原文的例子只说明了网络能记住 5 个点，说明不了多层感知机能做什么。异或、下面的正弦曲线和两个半月形才是需要非线性的任务。

# %% [markdown]
# ## 5. 搭建多层感知机的两种写法
#
# **写法一：`nn.Module` 的子类**。在 `__init__` 里创建各层，在 `forward` 里写出计算过程。好处是 `forward` 里可以写任意的 Python 代码。上一节的 `MLP` 就是这样写的，这里把宽度做成参数：

# %%
class TwoLayerMLP(nn.Module):
    """一个隐藏层的多层感知机：n_in → n_hidden（ReLU）→ n_out。"""

    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.hidden = nn.Linear(n_in, n_hidden)
        self.output = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


net_a = TwoLayerMLP(2, 5, 2)
print(net_a)

# %% [markdown]
# **写法二：`nn.Sequential`**。它按顺序把各层串起来：前一层的输出就是后一层的输入，不用写 `forward`。所以放进去的每一项都必须是模块，激活函数要写成层的形式 `nn.ReLU()`：

# %%
net_b = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 2))
print(net_b)

# %% [markdown]
# 两者的结构相同，参数各自随机初始化，数值不同。数一数参数：每个 `nn.Linear(n_in, n_out)` 有 $n_{\text{in}} \times n_{\text{out}}$ 个权重和 $n_{\text{out}}$ 个偏置；ReLU、sigmoid、tanh 这些激活函数没有参数（`nn.PReLU` 这类带可学习参数的激活函数除外）。宽度依次为 $n_0, n_1, \dots, n_L$ 的多层感知机共有
#
# $$
# \sum_{l=1}^{L} \bigl(n_{l-1}\, n_l + n_l\bigr)
# $$
#
# 个参数。2 → 5 → 2 的网络：$(2 \times 5 + 5) + (5 \times 2 + 2) = 15 + 12 = 27$。用公式和 `numel()` 各数一遍：

# %%
def count_by_formula(sizes):
    """按公式数参数：sizes 是各层的宽度，例如 [2, 5, 2]。"""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def count_by_numel(model):
    """把模型每个参数张量的元素个数加起来。"""
    return sum(p.numel() for p in model.parameters())


for name, p in net_b.named_parameters():
    print(f"{name:9s} 形状 {tuple(p.shape)}，{p.numel()} 个数")
print("公式：", count_by_formula([2, 5, 2]), " 子类：", count_by_numel(net_a), " Sequential：", count_by_numel(net_b))
assert count_by_formula([2, 5, 2]) == count_by_numel(net_a) == count_by_numel(net_b) == 27, "三种数法都应得到 27：请先运行创建 net_a、net_b 的两个单元格"
print("✅ 三种数法都是 27")

# %% [markdown]
# 层数多时，可以用循环生成 `nn.Sequential` 的各层。比如一个输入 784 个数（28×28 的图片）、两个隐藏层、输出 10 类的网络：

# %%
def make_mlp(sizes):
    """按宽度列表搭建多层感知机：相邻两个宽度之间是一个 nn.Linear，隐藏层之后加 ReLU。"""
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*layers[:-1])  # 去掉最后一个 ReLU：输出层不加激活函数


sizes = [784, 256, 128, 10]
big_net = make_mlp(sizes)
print(big_net)
first_layer = 784 * 256 + 256
print("公式：", count_by_formula(sizes), " numel：", count_by_numel(big_net),
      f" 第一层占 {first_layer / count_by_numel(big_net):.0%}")
assert count_by_formula(sizes) == count_by_numel(big_net) == 235146, "784 → 256 → 128 → 10 的网络应有 235146 个参数"
assert first_layer / count_by_numel(big_net) > 0.8, "第一层应占八成以上的参数"
print("✅ 这个网络有 235146 个参数，八成以上在第一层")

# %% [markdown]
# 一个常见错误：相邻两层的宽度对不上。前一层输出 5 个数，后一层却声明要 4 个输入。创建网络时不会报错，要等真正送进数据时才报错：

# %%
bad_net = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(4, 2))
with expect_error(RuntimeError) as caught:
    bad_net(torch.randn(3, 2))
assert "3x5" in str(caught.error) and "4x2" in str(caught.error), "报错信息里应有 3x5 和 4x2 两个形状"

# %% [markdown]
# 报错信息里的 `3x5` 是第一层的输出（3 个样本、每个 5 个数），`4x2` 是第二层权重的转置 $W^\top$。修正的方法是让每个 `nn.Linear` 的输入个数等于前一层的输出个数，即 `nn.Linear(5, 2)`。

# %% [markdown]
# ## 6. 拟合一条曲线
#
# 现在用多层感知机做回归：拟合带噪声的正弦曲线 $y = \sin x + \varepsilon$，噪声 $\varepsilon$ 的标准差是 0.1。数据有 200 个点，形状都是 `(200, 1)`。
#
# 从这里开始用第 4 课介绍的 `lessons.training.fit` 训练，它内部就是我们手写过的循环。传入 `device=env.device`，模型和数据会被搬到同一个设备上，所以同样的代码在 CPU 和 GPU 上都能运行。分三段训练，在第 10、100、1000 个迭代周期时各保存一份模型的副本：

# %%
x_sin, y_sin = data.sine()
print("x 的形状：", tuple(x_sin.shape), " y 的形状：", tuple(y_sin.shape))

lessons.seed_everything(0)
sine_net = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))  # 每次运行都重新创建模型
optimizer = torch.optim.Adam(sine_net.parameters(), lr=0.005)
loss_fn = nn.MSELoss()

history = []
snapshots = {}
for until in (10, 100, 1000):
    history += training.fit(sine_net, x_sin, y_sin, loss_fn, optimizer,
                            epochs=until - len(history), device=env.device)
    snapshots[until] = copy.deepcopy(sine_net)  # 保存这一刻的模型

for epoch in (10, 100, 1000):
    print(f"第 {epoch:4d} 个迭代周期的损失：{history[epoch - 1]:.4f}")

# %% mystnb={"image": {"alt": "带噪声的正弦数据与模型预测：训练 10 个迭代周期后只有左低右高的大致趋势，100 个后曲线弯了起来但两端未贴住数据，1000 个后基本与正弦曲线重合。"}}
fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), sharey=True)
for ax, (epoch, snapshot) in zip(axes, snapshots.items()):
    plotting.plot_fit(x_sin, y_sin, predictor(snapshot), ax=ax, title=f"训练 {epoch} 个迭代周期后")
plt.show()

# %% [markdown]
# 10 个迭代周期后，模型只学到“左边低、右边高”的大致趋势；100 个迭代周期后曲线弯了起来，但两端还没贴住数据；1000 个迭代周期后，曲线基本与正弦曲线重合。训练损失总体在下降，但不是每个迭代周期都下降：开头第 12～20 个迭代周期有一小段回升（从约 0.159 升到约 0.209），在第 40 个迭代周期之前还有一次很小的回升，用 Adam 训练时这并不少见；此后损失每个迭代周期都在下降，最后接近噪声的方差 $0.1^2 = 0.01$（这 200 个点里的噪声，平方的平均值实际是 0.0093）。下面的损失曲线上能看到开头的那段回升。对新的数据，噪声这一部分误差任何模型都消除不了；在训练数据上，损失降到这 200 个点的噪声本身以下，说明模型开始拟合噪声了。这里只低了一点（0.0089 对 0.0093）；和不含噪声的 $\sin x$ 比，最后的模型误差仍然很小：

# %% mystnb={"image": {"alt": "拟合正弦曲线的 1000 个迭代周期的损失（对数刻度）：开头迅速下降，第 12～20 个迭代周期有一小段回升，第 40 个迭代周期前还有一处小起伏，之后平稳下降，最后约 0.0089，接近噪声的方差 0.01。"}}
with torch.no_grad():
    pred_sin = sine_net(x_sin.to(env.device)).cpu()
mse_vs_sine = loss_fn(pred_sin, torch.sin(x_sin)).item()
train_mse = loss_fn(pred_sin, y_sin).item()                 # 训练完以后在训练数据上的损失
noise_mse = ((y_sin - torch.sin(x_sin)) ** 2).mean().item()  # 这 200 个点里噪声 ε 的平方的平均
rises = [epoch for epoch in range(2, 1001) if history[epoch - 1] > history[epoch - 2]]  # 损失比上一个迭代周期高的迭代周期
print(f"第 12 个迭代周期的损失 {history[11]:.3f}，第 20 个 {history[19]:.3f}")
print("损失比上一个迭代周期高的迭代周期：", rises)
print(f"训练完以后的训练损失：{train_mse:.4f}   这 200 个点里噪声的平方的平均：{noise_mse:.4f}")
print(f"与 sin x 的均方误差：{mse_vs_sine:.4f}")
assert history[9] > history[99] > history[999], "损失应总体下降：请从第 6 节的第一个代码单元格起按顺序重新运行（第 7 节会改写 history）"
assert all(history[e - 1] > history[e - 2] for e in range(13, 21)) and history[19] > 1.25 * history[11], \
    "第 12～20 个迭代周期的损失应一路回升 25% 以上：请从第 6 节的第一个代码单元格起按顺序重新运行（第 7 节会改写 history）"
assert max(rises) < 40, "第 40 个迭代周期以后损失应每个迭代周期都下降：请从第 6 节的第一个代码单元格起按顺序重新运行（第 7 节会改写 history）"
assert abs(history[999] - 0.01) < 0.002 and mse_vs_sine < 0.005, "最后的损失应接近 0.01，模型应很接近 sin x：请从第 6 节的第一个代码单元格起按顺序重新运行（第 7 节会改写 history）"
assert 0.9 * noise_mse < train_mse < noise_mse, "训练损失应比这 200 个点的噪声略低（低不到 10%）：请从第 6 节的第一个代码单元格起按顺序重新运行"
print("✅ 损失总体下降，只在开头有回升；训练损失比噪声略低，模型拟合了一点噪声，但仍很接近 sin x")

plotting.plot_losses(history, title="拟合正弦曲线的损失", log_scale=True)
plt.show()

# %% [markdown]
# ## 7. 二维分类：两个半月形
#
# `lessons.data.two_moons` 生成两个交错的半月形，每个点有两个坐标，标签是 0 或 1。它们不能用一条直线分开，正好交给多层感知机。
#
# 评价一个模型，要看它在没见过的数据上表现如何。所以先用 `lessons.data.train_test_split` 把数据随机分成两份：**训练集**（training set）用来更新参数；**测试集**（test set）只在最后用来评估，既不参与训练，也不参与任何选择（第 8 节会说明为什么）。

# %%
x_moon, y_moon = data.two_moons(n=200, noise=0.15, seed=0)
x_train, x_test, y_train, y_test = data.train_test_split(x_moon, y_moon, test_fraction=0.25, seed=0)
print("训练集：", tuple(x_train.shape), " 测试集：", tuple(x_test.shape))
print("标签的类型：", y_train.dtype, " 形状：", tuple(y_train.shape), " 前 10 个：", y_train[:10].tolist())

# %% [markdown]
# 标签是形状 `(n,)` 的整数，而 `nn.BCEWithLogitsLoss` 要求目标与模型的输出（这里是 `(n, 1)`）形状相同，并且是浮点数。直接把标签交给它会报错，这是最常见的错误之一：

# %%
logits_demo = torch.zeros(len(y_train), 1)  # 代表模型的输出：形状 (n, 1)
wrong_targets = {  # 键是名称，值是（目标，预期的错误类型）
    "整数、形状 (n,)   ": (y_train, ValueError),
    "浮点数、形状 (n,) ": (y_train.float(), ValueError),
    "整数、形状 (n, 1) ": (y_train.unsqueeze(1), RuntimeError),
}
messages = {}
for name, (target, error_type) in wrong_targets.items():
    print(name, end="→ ")
    with expect_error(error_type) as caught:
        nn.BCEWithLogitsLoss()(logits_demo, target)
    messages[name] = str(caught.error)
loss_demo = nn.BCEWithLogitsLoss()(logits_demo, y_train.float().unsqueeze(1))
print(f"浮点数、形状 (n, 1) → 损失 {loss_demo.item():.4f}（对数几率全为 0 时就是 ln 2）")
shape_msg, float_shape_msg, dtype_msg = messages.values()
assert all("must be the same as input size" in m for m in (shape_msg, float_shape_msg)), "前两条报错应说目标与输入的形状必须相同"
assert "can't be cast" in dtype_msg and "Long" in dtype_msg, "第三条报错应说结果不能存成 Long 类型"
assert abs(loss_demo.item() - math.log(2)) < 1e-6, "对数几率全为 0 时损失应为 ln 2"

# %% [markdown]
# 前两条报错说目标的形状（`(150,)`）必须和输入（模型输出，`(150, 1)`）相同；第三条说运算结果是浮点数，不能存成整数类型 `Long`。两处都改：`y_train.float().unsqueeze(1)` 得到形状 `(n, 1)` 的浮点数。`lessons.training.accuracy` 则直接接受原来的整数标签。

# %%
lessons.seed_everything(0)
moon_net = nn.Sequential(  # 每次运行都重新创建模型，结果相同
    nn.Linear(2, 16), nn.ReLU(),
    nn.Linear(16, 16), nn.ReLU(),
    nn.Linear(16, 1),
)
optimizer = torch.optim.Adam(moon_net.parameters(), lr=0.01)
history = training.fit(moon_net, x_train, y_train.float().unsqueeze(1), nn.BCEWithLogitsLoss(),
                       optimizer, epochs=300, device=env.device)

train_acc = training.accuracy(moon_net, x_train, y_train)
test_acc = training.accuracy(moon_net, x_test, y_test)
print(f"训练准确率：{train_acc:.1%}   测试准确率：{test_acc:.1%}")
assert test_acc >= 0.95, "两个半月形的测试准确率应不低于 95%：请从第 7 节的第一个代码单元格起按顺序重新运行"
print("✅ 测试准确率不低于 95%")

# %% mystnb={"image": {"alt": "同一条决策边界画两次：它顺着两个半月形之间的空隙弯过去；左图是训练集的点，右图是模型没见过的测试集的点，两类点全部落在各自颜色的一侧。"}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
plotting.plot_decision_boundary(predictor(moon_net), x_train, y_train, ax=ax1, title="决策边界与训练集")
plotting.plot_decision_boundary(predictor(moon_net), x_test, y_test, ax=ax2, title="决策边界与测试集")
plt.show()

# %% [markdown]
# 边界顺着两个半月形之间的空隙弯过去。测试集的点模型从没见过，它们也几乎都落在正确的一侧：模型学到的是数据的规律，而不只是记住了训练点。
#
# 另一个常见错误与 sigmoid 有关。模型最后一层加了 `nn.Sigmoid()`，输出的就是概率，这时要配 `nn.BCELoss`；如果仍用 `nn.BCEWithLogitsLoss`，sigmoid 就做了两次。为什么推荐“输出对数几率 + `nn.BCEWithLogitsLoss`”？看一个很有把握却判错的样本：对数几率为 30，标签为 0。float32 中 $\sigma(30)$ 舍入成了 1，先做 sigmoid 就丢掉了信息。`nn.BCELoss` 按文档把 $\log$ 截断在 $-100$，损失是 100；它对概率 $p$ 的梯度很大，但仍是有限的数。问题出在 sigmoid 这一步：它在这里的导数 $\sigma(30)\bigl(1 - \sigma(30)\bigr)$ 在 float32 中算出来正好是 0，所以对对数几率的梯度是 0，这个样本再也推不动参数。`nn.BCEWithLogitsLoss` 直接从对数几率计算，损失是 $\log(1 + e^{30}) \approx 30$，梯度是 $\sigma(30) - 0 \approx 1$，都算得准确：

# %%
logit = torch.tensor([30.0], requires_grad=True)
label = torch.tensor([0.0])
loss_logits = nn.BCEWithLogitsLoss()(logit, label)
(grad_logits,) = torch.autograd.grad(loss_logits, logit)
probs = torch.sigmoid(logit)
loss_probs = nn.BCELoss()(probs, label)
grad_p, grad_probs = torch.autograd.grad(loss_probs, [probs, logit])  # 对概率 p 和对对数几率的梯度
sigmoid_30 = (probs * (1 - probs)).item()  # sigmoid 在 30 处的导数
print("float32 中 sigmoid(30) =", probs.item())
print(f"BCEWithLogitsLoss：损失 {loss_logits.item():.1f}，对对数几率的梯度 {grad_logits.item():.1f}")
print(f"Sigmoid + BCELoss：损失 {loss_probs.item():.1f}，对 p 的梯度 {grad_p.item():.0e}，"
      f"sigmoid 的导数 {sigmoid_30}，对对数几率的梯度 {grad_probs.item():.1f}")
assert loss_logits.item() == 30.0 and grad_logits.item() == 1.0, "BCEWithLogitsLoss 的损失应为 30，梯度应为 1"
assert loss_probs.item() == 100.0 and grad_probs.item() == 0.0, "BCELoss 的损失应被截断为 100，对对数几率的梯度应为 0"
assert math.isfinite(grad_p.item()) and grad_p.item() > 1e6 and sigmoid_30 == 0.0, "对 p 的梯度应很大但有限，sigmoid 的导数应正好是 0"
print("✅ 先做 sigmoid 时，sigmoid 的导数在 float32 中变成 0，梯度消失了；从对数几率直接计算则没有这个问题")

# %% [markdown]
# ## 8. 过拟合、验证集与正则化
#
# ### 8.1 训练集、验证集、测试集
#
# 如果训练数据很少，又有噪声，而模型很大，会发生什么？下面只取 40 个训练点，并故意把其中 8 个点的标签改错，模拟标注错误。模型是一个有两个隐藏层、每层 64 个隐藏单元的网络，共 4417 个参数，比训练点多出一百多倍。
#
# 这一节还要在几个设置中挑出最好的一个。挑选依据的数据不能是测试集：用测试集挑出来的模型，在测试集上的成绩是挑选出来的最好成绩，不再是对新数据的公正估计。所以把数据分成三份：
#
# - **训练集**：更新参数；
# - **验证集**（validation set）：比较不同的超参数（这里是正则化的强度），选出最好的；
# - **测试集**：所有选择都做完之后，只用一次，估计模型在新数据上的表现。
#
# 这里用 `train_test_split` 切两次。训练集里的错误标签是为了演示而故意加的，验证集和测试集的标签都是对的。

# %%
x_all, y_all = data.two_moons(n=400, noise=0.1, seed=1)
x_small, x_rest, y_small, y_rest = data.train_test_split(x_all, y_all, test_fraction=0.9, seed=1)
x_val, x_final, y_val, y_final = data.train_test_split(x_rest, y_rest, test_fraction=2 / 3, seed=1)
flipped = torch.randperm(len(y_small), generator=torch.Generator().manual_seed(1))[:8]
y_small = y_small.clone()
y_small[flipped] = 1 - y_small[flipped]  # 把 8 个训练点的标签改错（每次运行都从原始标签重新开始）
print("训练集：", len(y_small), "个点，其中标签错误的", len(flipped), "个")
print("验证集：", len(y_val), "个点    测试集：", len(y_final), "个点")
assert len(y_small) + len(y_val) + len(y_final) == len(y_all) == 400, "三份数据合起来应正好是 400 个点"


def train_big_net(weight_decay):
    """用 Adam 训练一个 2 → 64 → 64 → 1 的网络 1000 个迭代周期，返回模型。"""
    lessons.seed_everything(0)
    net = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01, weight_decay=weight_decay)
    training.fit(net, x_small, y_small.float().unsqueeze(1), nn.BCEWithLogitsLoss(), optimizer,
                 epochs=1000, device=env.device)
    return net


overfit_net = train_big_net(weight_decay=0.0)
train_o = training.accuracy(overfit_net, x_small, y_small)
val_o = training.accuracy(overfit_net, x_val, y_val)
with torch.no_grad():
    logits_flipped = overfit_net(x_small[flipped].to(env.device)).reshape(-1).cpu()
memorized = ((logits_flipped > 0).long() == y_small[flipped]).float().mean().item()
print("参数个数：", count_by_numel(overfit_net))
print(f"训练准确率 {train_o:.1%}，验证准确率 {val_o:.1%}")
print(f"在 8 个错误标签上“答对”的比例：{memorized:.0%}")

# %%
assert count_by_numel(overfit_net) == count_by_formula([2, 64, 64, 1]) == 4417, "2 → 64 → 64 → 1 的网络应有 4417 个参数：请从 8.1 节的第一个代码单元格起按顺序重新运行（第 5 节定义了数参数的函数）"
assert train_o == 1.0 and memorized == 1.0, "过拟合的网络应把训练集连同错误标签全部记住：请从 8.1 节的第一个代码单元格起按顺序重新运行"
assert train_o - val_o > 0.1, "验证准确率应比训练准确率低 10 个百分点以上：请从 8.1 节的第一个代码单元格起按顺序重新运行"
print("✅ 网络把训练集（连同 8 个错误标签）全部记住了，验证准确率却低了 10 个百分点以上")

# %% [markdown]
# 这就是**过拟合**：模型在训练集上满分，连错误的标签都“学会”了，在没见过的数据上却明显变差。模型在没见过的数据上的表现叫**泛化**（generalization）能力，训练准确率与验证准确率之差就是泛化差距的一个估计。
#
# ### 8.2 L2 正则化与权重衰减
#
# 限制模型过度拟合训练数据的手段统称**正则化**（regularization）。最常用的一种是 L2 正则化：在损失上加一项参数的平方和，
#
# $$
# J_\lambda(\theta) = J(\theta) + \frac{\lambda}{2} \sum_i \theta_i^2 ,
# $$
#
# 它的梯度多出一项 $\lambda \theta$，总把参数往 0 拉，网络因此倾向于更平滑的函数。$\lambda$ 越大，拉力越强。（另一种常见的做法是 L1 正则化，加的是 $\lambda \sum_i |\theta_i|$。它的最优解往往有许多参数恰好为 0；用 SGD、Adam 训练时，这些参数一般只是在 0 附近很小，不会恰好是 0。）用普通的梯度下降（学习率 $\alpha$，与第 5 课的记号相同）时，一步更新是
#
# $$
# \theta \leftarrow \theta - \alpha\bigl(\nabla J(\theta) + \lambda \theta\bigr) = (1 - \alpha\lambda)\,\theta - \alpha \nabla J(\theta),
# $$
#
# 每一步先把参数按比例缩小一点，所以这种做法也叫**权重衰减**（weight decay）。对普通的梯度下降，L2 正则化和权重衰减是同一件事。
#
# 对 Adam 就不一样了。按 PyTorch 文档给出的算法，`torch.optim.Adam(..., weight_decay=λ)` 在默认设置下（`decoupled_weight_decay=False`）每一步先把 $\lambda\theta$ 加到梯度上（$g_k \leftarrow g_k + \lambda \theta_{k-1}$），再照常做 Adam 的更新。这正是 L2 正则化，和手动在损失上加 $\frac{\lambda}{2}\sum\theta^2$ 完全相同：

# %%
def adam_steps(weight_decay, penalty, steps=100):
    """在 40 个训练点上做 steps 步 Adam：weight_decay 交给优化器，penalty 是手动加在损失上的 L2 系数。"""
    lessons.seed_everything(0)
    net = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01, weight_decay=weight_decay)
    targets = y_small.float().unsqueeze(1)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.BCEWithLogitsLoss()(net(x_small), targets)
        loss = loss + penalty / 2 * sum((p**2).sum() for p in net.parameters())
        loss.backward()
        optimizer.step()
    return torch.cat([p.detach().reshape(-1) for p in net.parameters()])


by_optimizer = adam_steps(weight_decay=0.1, penalty=0.0)
by_loss = adam_steps(weight_decay=0.0, penalty=0.1)
same_params = torch.allclose(by_optimizer, by_loss, atol=1e-5)
print("100 步之后，两种做法的参数相差都小于 1e-5：", same_params)
assert same_params, "两种做法得到的参数应相同：请从 8.1 节的第一个代码单元格起按顺序重新运行（adam_steps 用到 8.1 节的训练集）"
print("✅ Adam 的 weight_decay 就是加在损失上的 L2 正则化")

# %% [markdown]
# 问题在于，Adam 随后会把梯度按参数分别除以 $\sqrt{\hat s_k} + \epsilon$（第 5 课），加进去的 $\lambda\theta$ 也被这样缩放了。于是每个参数实际被拉回多少，不再是 $\alpha\lambda\theta$。最极端的情形是损失对某个参数的梯度为 0：这时 Adam 第一步的更新量是 $\alpha \cdot \lambda\theta / (|\lambda\theta| + \epsilon)$。只要 $|\lambda\theta|$ 远大于 $\epsilon$（默认 $10^{-8}$），它的大小就几乎恰好是 $\alpha$，与 $\lambda$ 多大、参数本身多大都无关；只有 $|\lambda\theta|$ 小到与 $\epsilon$ 相当时，它才明显小于 $\alpha$。
#
# **解耦权重衰减**（decoupled weight decay）把这两件事分开：`torch.optim.AdamW` 每一步先把参数乘以 $1 - \alpha\lambda$，再用不含 $\lambda\theta$ 的梯度做 Adam 的更新（由 Loshchilov 与 Hutter 提出，论文 2017 年公开、2019 年正式发表；PyTorch 文档称 AdamW 的权重衰减“不进入动量和方差”）。`torch.optim.Adam` 设 `decoupled_weight_decay=True` 时与 `AdamW` 相同。下面让损失的梯度为 0，只看一步衰减：

# %%
def decay_one_step(optimizer_class, weight_decay, lr=0.01):
    """两个参数 1 和 10，损失的梯度为 0，走一步；返回每个参数减少了多少。"""
    theta = nn.Parameter(torch.tensor([1.0, 10.0]))
    optimizer = optimizer_class([theta], lr=lr, weight_decay=weight_decay)
    theta.grad = torch.zeros(2)  # 损失对参数的梯度为 0：只剩衰减
    optimizer.step()
    return (torch.tensor([1.0, 10.0]) - theta.detach()).tolist()


decay = {}
for optimizer_class in (torch.optim.Adam, torch.optim.AdamW):
    for weight_decay in (0.001, 0.01):
        decay[optimizer_class.__name__, weight_decay] = decay_one_step(optimizer_class, weight_decay)
        change = [f"{v:.5f}" for v in decay[optimizer_class.__name__, weight_decay]]
        print(f"{optimizer_class.__name__:5s} λ = {weight_decay:<5}  参数 1 和 10 各减少 {change}")

# %%
rerun = "请先运行上一个单元格（它算出 decay）"
for weight_decay in (0.001, 0.01):
    assert all(abs(v - 0.01) < 1e-5 for v in decay["Adam", weight_decay]), f"Adam 应把两个参数都减少 α = 0.01：{rerun}"
    assert all(abs(v - 0.01 * weight_decay * p) < 1e-6 for v, p in zip(decay["AdamW", weight_decay], (1, 10))), \
        f"AdamW 应把参数 θ 减少 αλθ：{rerun}"
adam_decoupled = decay_one_step(lambda params, **kwargs: torch.optim.Adam(params, decoupled_weight_decay=True, **kwargs), 0.01)
assert all(abs(v - w) < 1e-7 for v, w in zip(adam_decoupled, decay["AdamW", 0.01])), f"应与 AdamW 相同：{rerun}"

# 反例：λ = 1e-8 时 |λθ| 与 ε = 1e-8 相当，更新量 α·λθ / (|λθ| + ε) 明显小于 α
tiny = decay_one_step(torch.optim.Adam, 1e-8)
print("Adam λ = 1e-8：参数 1 和 10 各减少", [f"{v:.5f}" for v in tiny])
assert all(abs(v - 0.01 * 1e-8 * p / (1e-8 * p + 1e-8)) < 2e-6 for v, p in zip(tiny, (1, 10))), "应等于 α·λθ / (|λθ| + ε)"
print("✅ Adam：|λθ| 远大于 ε 时，无论 λ 和参数多大，都减少 α = 0.01；|λθ| 与 ε 相当时才更少。"
      "AdamW（以及 decoupled_weight_decay=True 的 Adam）：减少 αλθ，与参数成正比")

# %% [markdown]
# 还有两点要注意：
#
# - `AdamW` 的 `weight_decay` 默认是 0.01，`Adam` 的默认是 0。两者的 $\lambda$ 作用方式不同，调好的数值不能直接照搬。
# - 两者都作用于传给优化器的全部参数，包括偏置。常见的做法是只衰减权重、不衰减偏置，这时可以用参数组分别设置：

# %%
def decay_bias(param_groups):
    """用 AdamW（λ = 0.5，学习率 0.1）对一个 nn.Linear(2, 1) 只做一步衰减，返回偏置是否改变。"""
    lessons.seed_everything(0)
    linear = nn.Linear(2, 1)
    bias_before = linear.bias.detach().clone()
    optimizer = torch.optim.AdamW(param_groups(linear), lr=0.1, weight_decay=0.5)
    for p in linear.parameters():
        p.grad = torch.zeros_like(p)  # 损失的梯度为 0：只剩衰减
    optimizer.step()
    return not torch.equal(linear.bias.detach(), bias_before)


def all_parameters(linear):
    return linear.parameters()


def no_decay_for_bias(linear):
    return [
        {"params": [linear.weight]},                      # 用优化器的 weight_decay
        {"params": [linear.bias], "weight_decay": 0.0},  # 这一组不衰减
    ]


print("全部参数交给 AdamW：偏置改变了", decay_bias(all_parameters))
print("偏置单独一组、weight_decay=0：偏置改变了", decay_bias(no_decay_for_bias))
assert decay_bias(all_parameters) and not decay_bias(no_decay_for_bias), "全部参数交给 AdamW 时偏置应改变，偏置单独一组且不衰减时不应改变"
print("✅ weight_decay 默认也衰减偏置；用参数组可以把偏置排除在外")

# %% [markdown]
# ### 8.3 用验证集选择 λ
#
# 回到 40 个训练点。用 `Adam` 的 `weight_decay`（即 L2 正则化）试三个 $\lambda$，每个都从同样的初始参数开始训练，只看训练准确率和验证准确率：

# %%
candidates = {0.0: overfit_net, 0.01: train_big_net(weight_decay=0.01), 0.1: train_big_net(weight_decay=0.1)}
val_accuracy = {}
for lam, net in candidates.items():
    val_accuracy[lam] = training.accuracy(net, x_val, y_val)
    print(f"λ = {lam:<4}  训练准确率 {training.accuracy(net, x_small, y_small):6.1%}   验证准确率 {val_accuracy[lam]:6.1%}")

best_lam = max(val_accuracy, key=val_accuracy.get)
print("验证准确率最高的 λ：", best_lam)

# %%
underfit_train = training.accuracy(candidates[0.1], x_small, y_small)
assert best_lam == 0.01, "验证集应选出 λ = 0.01：请从 8.1 节的第一个代码单元格起按顺序重新运行"
assert underfit_train < 0.7, "λ = 0.1 时训练准确率应低于 70%：请从 8.1 节的第一个代码单元格起按顺序重新运行"
print("✅ 验证集选出 λ = 0.01；λ = 0.1 时连训练集都拟合不好")

# %% [markdown]
# $\lambda = 0$ 过拟合；$\lambda = 0.1$ 拉力太强，模型连训练集都拟合不好（训练准确率只比瞎猜高一点），这叫**欠拟合**（underfitting）。模型太简单也会欠拟合，例如第 3 节用线性模型分异或。$\lambda = 0.01$ 的验证准确率最高。选定之后，用测试集评估这一个模型，只评估这一次：

# %%
final_net = candidates[best_lam]
test_final = training.accuracy(final_net, x_final, y_final)
print(f"λ = {best_lam} 的模型：验证准确率 {val_accuracy[best_lam]:.1%}，测试准确率 {test_final:.1%}")
assert test_final >= 0.95, "选出的模型的测试准确率应不低于 95%：请从 8.1 节的第一个代码单元格起按顺序重新运行"
assert test_final < val_accuracy[best_lam], "测试准确率应比验证准确率略低：请从 8.1 节的第一个代码单元格起按顺序重新运行"
print("✅ 选出的模型在测试集上的准确率不低于 95%，比验证准确率略低")

# %% [markdown]
# 测试准确率比验证准确率略低。验证准确率是从几个候选中挑出来的最大值，一般会偏乐观；不过这里另外两个候选落后了十几到四十几个百分点，换一份验证集也会选中同一个模型，所以差距主要来自偶然：验证集只有 120 个点，错 1 个就差 0.8 个百分点。测试集没有参与挑选，它的估计没有这种偏向，但同样有偶然误差。
#
# 这份数据是生成的，可以再从同一个分布多取一些点：看看换成别的验证集会不会选中别的 λ，以及模型真正的准确率大约是多少。实际项目里拿不到这么多新数据，这里只是为了说明：

# %%
x_fresh, y_fresh = data.two_moons(n=20000, noise=0.1, seed=99)  # 同一分布的 2 万个新点，只用来说明
fresh_acc = training.accuracy(final_net, x_fresh, y_fresh)
print(f"验证集错 1 个点，准确率就差 {1 / len(y_val):.1%}")
print(f"在 2 万个新点上的准确率：{fresh_acc:.1%}")
print(f"准确率为 {fresh_acc:.1%} 时，120 个验证点全部判对的概率：{fresh_acc ** len(y_val):.0%}")

# 把新点切成 166 份、每份 120 个，每一份都当作另一个验证集，看它选中哪个 λ
n_sets = len(y_fresh) // len(y_val)
acc_by_set = []
for candidate in candidates.values():
    with torch.no_grad():
        pred_fresh = (candidate(x_fresh.to(env.device)).reshape(-1).cpu() > 0).long()
    is_right = (pred_fresh == y_fresh).float()[:n_sets * len(y_val)]
    acc_by_set.append(is_right.reshape(n_sets, len(y_val)).mean(dim=1))  # 在每份上的准确率
acc_by_set = torch.stack(acc_by_set)  # 形状 (3, 166)：每行一个候选
chosen = [list(candidates)[i] for i in acc_by_set.argmax(dim=0).tolist()]  # 每一份选中的 λ
print(f"{n_sets} 份新验证集中，选中 λ = {best_lam} 的份数：", chosen.count(best_lam))
assert abs(fresh_acc - 0.976) < 0.005, "2 万个新点上的准确率应约为 97.6%：请从 8.1 节的第一个代码单元格起按顺序重新运行"
assert chosen.count(best_lam) == n_sets, "每一份新验证集都应选中同一个 λ：请从 8.1 节的第一个代码单元格起按顺序重新运行"
assert val_accuracy[best_lam] - max(v for lam, v in val_accuracy.items() if lam != best_lam) > 0.1, \
    "另外两个候选的验证准确率应落后 10 个百分点以上：请从 8.1 节的第一个代码单元格起按顺序重新运行"
assert abs(test_final - fresh_acc) < abs(val_accuracy[best_lam] - fresh_acc), \
    "测试准确率应比验证准确率更接近新点上的准确率：请从 8.1 节的第一个代码单元格起按顺序重新运行"
print(f"✅ 换一份验证集也选中 λ = {best_lam}；真实准确率约 {fresh_acc:.1%}，验证准确率 {val_accuracy[best_lam]:.1%} "
      f"和测试准确率 {test_final:.1%} 都是它带着偶然误差的估计，这一次测试集更接近")

# %% [markdown]
# 看看过拟合的网络和选出的网络的决策边界，圆圈标出的是标签被改错的点：

# %% mystnb={"image": {"alt": "两幅决策边界图，圆圈标出标签错误的点：λ = 0.0 的过拟合网络为了迁就这些点，围出了一些孤立的小区域；λ = 0.01 的网络边界简单得多，没有理会它们。"}}
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
for ax, lam in zip(axes, (0.0, best_lam)):
    plotting.plot_decision_boundary(predictor(candidates[lam]), x_small, y_small, ax=ax, title=f"λ = {lam}")
    ax.scatter(x_small[flipped, 0], x_small[flipped, 1], s=90, facecolors="none", edgecolors="k", label="标签错误")
    ax.legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown]
# 左图的边界为了迁就错误标签的点，围出了一些孤立的小区域；右图的边界简单得多，没有理会它们。逐个核对这 8 个点：

# %%
true_labels = 1 - y_small[flipped]  # 改错之前的正确标签
agree = {}
for lam in (0.0, best_lam):
    with torch.no_grad():
        pred_flipped = (candidates[lam](x_small[flipped].to(env.device)).reshape(-1).cpu() > 0).long()
    agree[lam] = (pred_flipped == true_labels).sum().item()
    print(f"λ = {lam}：8 个标签被改错的点中，模型按正确标签判断的有 {agree[lam]} 个")
assert agree[0.0] == 0 and agree[best_lam] == 8, "λ = 0 的网络应迁就全部 8 个错误标签，λ = 0.01 的网络应一个也不迁就：请从 8.1 节的第一个代码单元格起按顺序重新运行"
print("✅ 过拟合的网络跟着错误标签走；选出的网络没有理会它们")

# %% [markdown]
# 换别的随机种子，具体数字会变，但“不加限制的大网络在少量带噪声的数据上训练准确率达到或接近 100%，验证准确率明显更低”这一规律在这类设置下相当稳定。应对过拟合还有很多办法，例如收集更多数据、用更小的网络、提前停止训练，后面的学习中会一再遇到。
#
# 三份数据的分工可以总结为：训练集拟合参数；验证集用来选择超参数、网络结构、训练多久；测试集在所有选择都做完之后只用一次。如果看了测试集的结果再回头修改模型，测试集就成了另一个验证集，它给出的准确率不再是对新数据的公正估计。数据很少、单独留出验证集太浪费时，可以用 **K 折交叉验证**（K-fold cross-validation）：把训练数据分成 K 份，轮流用其中一份验证、其余 K − 1 份训练，取 K 次结果的平均。

# %% [markdown]
# ## 自测题
#
# 下面的题目点一下就能作答，并立即显示解析。在网站上不需要运行任何代码；在 JupyterLab 或 Colab 中，运行下面的单元格即可作答。

# %%
from lessons import quiz

quiz.show("06_mlp")

# %% [markdown]
# ## 练习
#
# ### 练习 1
#
# 下面这个网络一共有多少个参数？先用公式算，把结果（一个整数）赋给 `answer`。
#
# ```python
# nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 1))
# ```

# %%
from lessons.exercises import mlp as ex

answer = None  # 把 None 换成你的答案
ex.check_1(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# answer = (3 * 16 + 16) + (16 * 8 + 8) + (8 * 1 + 1)  # 209
# # 用代码核对：
# net = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 1))
# print(sum(p.numel() for p in net.parameters()))
# ```
#
# </details>

# %% [markdown]
# ### 练习 2
#
# 用 `nn.Sequential` 搭一个多层感知机：输入 4 个数；两个隐藏层各有 10 个隐藏单元，每个隐藏层之后接一个激活函数（例如 `nn.ReLU()`）；输出 3 个数，输出层之后不加激活函数。形状为 `(5, 4)` 的输入应得到形状为 `(5, 3)` 的输出。

# %%
answer = None  # 把 None 换成你的答案
ex.check_2(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# answer = nn.Sequential(
#     nn.Linear(4, 10), nn.ReLU(),
#     nn.Linear(10, 10), nn.ReLU(),
#     nn.Linear(10, 3),
# )
# ```
#
# </details>

# %% [markdown]
# ### 练习 3
#
# 写一个函数 `train_moons(x_train, y_train)`：在函数里创建一个多层感知机，用 `lessons.training.fit` 在传入的数据上训练，返回训练好的模型。`x_train` 的形状是 `(n, 2)`，`y_train` 是形状 `(n,)`、取值 0 或 1 的整数标签；模型对每个点输出一个对数几率（大于 0 判为类别 1），最后一层不加 sigmoid。
#
# 检查器会用一批新的两个半月形数据（200 个点，噪声 0.15）调用你的函数，再在另外 1000 个点上测试，准确率达到 95% 才算通过。提示：第 7 节的做法可以照搬过来，注意标签的形状和类型。

# %%
def train_moons(x_train, y_train):
    """创建一个多层感知机，在 (x_train, y_train) 上训练，返回训练好的模型。"""
    return None  # 把这一行换成你的代码


ex.check_3(train_moons)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def train_moons(x_train, y_train):
#     """创建一个多层感知机，在 (x_train, y_train) 上训练，返回训练好的模型。"""
#     model = nn.Sequential(
#         nn.Linear(2, 16), nn.ReLU(),
#         nn.Linear(16, 16), nn.ReLU(),
#         nn.Linear(16, 1),
#     )
#     optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
#     targets = y_train.float().unsqueeze(1)  # (n,) 的整数 → (n, 1) 的浮点数
#     training.fit(model, x_train, targets, nn.BCEWithLogitsLoss(), optimizer,
#                  epochs=300, device=env.device)
#     return model
#
#
# ex.check_3(train_moons)
# ```
#
# </details>

# %% [markdown]
# ## 小结
#
# - 多层感知机逐层计算 $z^{(l+1)} = W^{(l+1)} a^{(l)} + b^{(l+1)}$、$a^{(l+1)} = f(z^{(l+1)})$；`nn.Linear(n_in, n_out)` 把 $W$ 存成 `(n_out, n_in)`，对每行一个样本的批量计算 $XW^\top + b$。
# - ReLU、sigmoid、tanh 是常用的激活函数，导数可以由自动求导得到。sigmoid 和 tanh 在 $|z|$ 大时饱和，导数接近 0；sigmoid 的导数至多 0.25，层数多时靠近输入的层梯度消失。ReLU 的加权和对所有样本都不大于 0 时，这个单元就死亡了，得不到梯度。参数要随机初始化以打破对称性：从相同参数出发的隐藏单元，用梯度下降训练多久都保持相同。
# - 没有激活函数，多个线性层等价于一个线性层；线性分类器在异或上最多分对 3 个点。损失最小和准确率最高不是一回事。激活函数连续且不是多项式时，一个隐藏层、足够多的隐藏单元就能在有界闭集上以任意精度逼近连续函数，但这个定理只保证这样的网络存在。
# - 原文的示例缺少 `model = MLP()` 和 `zero_grad()`：不清零时，累加的梯度让剩下的隐藏单元也接连死去，约 30 步后全部死亡，网络输出常数；修正后，因为输入等于目标，网络只学到训练点附近的恒等映射。
# - 用 `nn.Module` 子类或 `nn.Sequential` 搭网络；每个 `nn.Linear(n_in, n_out)` 有 $n_{\text{in}} n_{\text{out}} + n_{\text{out}}$ 个参数。二分类输出对数几率，配 `nn.BCEWithLogitsLoss`，目标是与输出同形状的浮点数。
# - 训练集拟合参数，验证集选择超参数，测试集只在最后用一次。`Adam` 的 `weight_decay` 默认是 L2 正则化（随后被 Adam 按参数缩放），`AdamW` 是解耦权重衰减；两者默认都衰减偏置。
