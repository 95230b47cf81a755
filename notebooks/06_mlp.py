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
# # 多层感知机
#
# **导读**：线性回归只能画直线，而现实中的规律大多是弯的。**多层感知机**（multilayer perceptron, MLP）把几个全连接层叠起来，并在层与层之间插入**激活函数**（activation function），就能表示弯曲的关系，它是最基本的**神经网络**（neural network）。这一课先写清楚逐层计算的公式和每个量的形状，画出三种常用激活函数及其导数；再用**异或**（XOR）说明为什么必须有**非线性**（nonlinearity）；然后修正原文的多层感知机示例，看看它到底学到了什么；最后用多层感知机拟合正弦曲线、给二维的点分类，并第一次见到**过拟合**（overfitting）。
#
# **学习目标**
#
# - 写出多层感知机逐层计算的公式，说清每个量的形状，知道 `nn.Linear` 如何存放权重；
# - 认识 ReLU、sigmoid、tanh 三种激活函数，会用自动求导画出它们的导数；
# - 理解没有非线性时多层等于一层，知道线性模型为什么解决不了异或；
# - 会用 `nn.Module` 子类和 `nn.Sequential` 搭建多层感知机，会数参数；
# - 会用训练集和测试集评估分类模型，能认出过拟合。

# %% [markdown]
# ## 0. 准备
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

# %%
import copy
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

import lessons
from lessons import data, plotting, training

env = lessons.setup(seed=0)


def predictor(model):
    """返回一个给画图函数用的预测函数：先把输入搬到 env.device 上，再交给模型。"""
    return lambda inputs: model(inputs.to(env.device))


# %% [markdown]
# `predictor` 只是一个小工具：画图函数在 CPU 上生成网格点，而模型可能在 GPU 上，所以要先把网格点搬到 `env.device`。

# %% [markdown]
# ## 1. 逐层计算的公式
#
# 多层感知机由若干层组成。把输入记作 $a^{(0)} = x$，从第 $l$ 层到第 $l+1$ 层做两步：
#
# $$
# z^{(l+1)} = W^{(l+1)} a^{(l)} + b^{(l+1)}, \qquad a^{(l+1)} = f\left(z^{(l+1)}\right).
# $$
#
# 第一步是线性部分（加权和），第二步把激活函数 $f$ 作用在每个元素上。设第 $l$ 层有 $n_l$ 个数（也说这一层有 $n_l$ 个神经元（neuron）），各个量的形状是：
#
# | 量 | 含义 | 形状 |
# | --- | --- | --- |
# | $a^{(l)}$ | 第 $l$ 层的输出（激活值） | $n_l$ |
# | $W^{(l+1)}$ | 权重矩阵 | $n_{l+1} \times n_l$ |
# | $b^{(l+1)}$ | 偏置 | $n_{l+1}$ |
# | $z^{(l+1)}$、$a^{(l+1)}$ | 第 $l+1$ 层的加权和、输出 | $n_{l+1}$ |
#
# 位于输入和输出之间的层叫**隐藏层**（hidden layer）。输出层通常不加激活函数，直接把 $z$ 当作结果。
#
# 原文在这里有三处不准确：它说多层感知机“由多个隐藏层组成”，其实一个隐藏层就够了（原文自己的示例就只有一个）；它把 $z^{(l+1)}$ 称为“隐藏层的输出”，其实 $z$ 是激活之前的加权和，这一层的输出是 $a^{(l+1)}$；它把矩阵乘法写成 $W \cdot a$，这里的 $\cdot$ 容易被误解成点积或逐元素乘法，在代码里矩阵乘法要写 `@`。

# %% [markdown]
# 在 PyTorch 中，一层 $z = Wa + b$ 就是一个**全连接层**（fully connected layer）`nn.Linear(n_in, n_out)`。它把 $W$ 存成形状 `(n_out, n_in)` 的矩阵，和公式一致：

# %%
lessons.seed_everything(0)
layer = nn.Linear(3, 4)  # 输入 3 个数，输出 4 个数
W, b = layer.weight, layer.bias
print("W 的形状：", tuple(W.shape))
print("b 的形状：", tuple(b.shape))
assert W.shape == (4, 3) and b.shape == (4,)

# %% [markdown]
# 对一个样本（形状 `(3,)` 的向量 $a$），按公式算 `W @ a + b` 和直接调用 `layer(a)` 结果相同：

# %%
a = torch.tensor([1.0, 2.0, 3.0])
with torch.no_grad():
    z_formula = W @ a + b
    z_layer = layer(a)
print("形状：", tuple(z_formula.shape))
assert torch.allclose(z_formula, z_layer)
print("✅ W @ a + b 与 layer(a) 相同")

# %% [markdown]
# 实际训练时，我们一次送进一批样本，按“每行一个样本”排成形状 `(N, n_in)` 的矩阵 $X$。这时 `nn.Linear` 计算的是
#
# $$
# Z = X W^\top + b,
# $$
#
# 结果形状为 `(N, n_out)`，$b$ 通过**广播**（broadcasting）加到每一行上。$Z$ 的第 $i$ 行正是第 $i$ 个样本按列向量公式算出的 $W x_i + b$，两种写法是同一回事，只是把向量“躺平”成了行。

# %%
X = torch.randn(5, 3)  # 5 个样本，每个 3 个特征
with torch.no_grad():
    Z_formula = X @ W.T + b
    Z_layer = layer(X)
    Z_rowwise = torch.stack([W @ x_i + b for x_i in X])  # 一行一行按列向量公式算
print("X 的形状：", tuple(X.shape), "→ Z 的形状：", tuple(Z_layer.shape))
assert torch.allclose(Z_formula, Z_layer, atol=1e-6)
assert torch.allclose(Z_rowwise, Z_layer, atol=1e-6)
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
# 导数不必手算：它们都是逐元素运算，所以对输出求和再反向传播，得到的梯度的每个元素就是该点的导数。先用**自动求导**（autograd）算出来，再和表中的公式核对：

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
assert torch.allclose(derivatives["sigmoid"], s * (1 - s), atol=1e-6)
assert torch.allclose(derivatives["tanh"], 1 - t**2, atol=1e-6)
assert torch.equal(derivatives["ReLU"], (zd > 0).float())
print("✅ 自动求导的结果与公式一致")

# %%
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
# - sigmoid 的导数最大只有 0.25（在 $z = 0$ 处），tanh 的导数最大为 1。反向传播时每经过一层就要乘上一个导数，很多层的 sigmoid 叠在一起，梯度会越乘越小，这是深层网络更常用 ReLU 的原因之一。
# - 在 $|z|$ 较大的地方，sigmoid 和 tanh 都很平，导数接近 0。
# - ReLU 的导数只有 0 和 1 两个值。在 $z = 0$ 处它本来没有导数，PyTorch 约定取 0。

# %%
print("sigmoid 导数的最大值：", round(derivatives["sigmoid"].max().item(), 4))
print("tanh 导数的最大值：   ", round(derivatives["tanh"].max().item(), 4))
assert abs(derivatives["sigmoid"].max().item() - 0.25) < 1e-6
assert abs(derivatives["tanh"].max().item() - 1.0) < 1e-6

z0 = torch.tensor(0.0, requires_grad=True)
torch.relu(z0).backward()
print("ReLU 在 0 处的导数：", z0.grad.item())
assert z0.grad.item() == 0.0
print("✅ 三个数都与上面说的一致")

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
assert same
print("✅ 两个线性层等价于一个 nn.Linear(2, 1)")

# %% [markdown]
# ### 3.2 异或：一条直线分不开
#
# 异或的四个点：$(0,0)$ 和 $(1,1)$ 属于类别 0，$(0,1)$ 和 $(1,0)$ 属于类别 1。画在平面上，同类的点在对角线两端，任何一条直线都至少分错一个点，所以线性模型的**准确率**（accuracy）最多 75%。
#
# 先训练一个线性模型试试。做**分类**（classification）时，模型对每个样本输出一个实数分数（logit），大于 0 判为类别 1；把它送进 sigmoid 就得到“属于类别 1 的概率” $p$。训练用的损失函数是**二元交叉熵**（binary cross-entropy）：
#
# $$
# \ell = -\bigl[\,y \log p + (1 - y) \log (1 - p)\,\bigr],
# $$
#
# 预测越有把握且正确，损失越接近 0。`nn.BCEWithLogitsLoss` 把 sigmoid 和这个公式合在一起算，数值上更稳定，所以模型最后一层不需要加 sigmoid。下面的函数就是前几课的训练循环，换了损失函数和优化器：

# %%
x_xor, y_xor = data.xor()
print("输入：", x_xor.tolist())
print("标签：", y_xor.reshape(-1).tolist())
x_xor, y_xor = x_xor.to(env.device), y_xor.to(env.device)


def train_classifier(model, x, y, steps, lr):
    """用 Adam 和二元交叉熵训练一个输出 logit 的二分类模型，返回最后一步的损失。"""
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
    p_linear = torch.sigmoid(linear_xor(x_xor)).reshape(-1)
print("线性模型的损失：", round(loss_linear, 4), "  ln 2 =", round(math.log(2), 4))
print("四个点属于类别 1 的概率：", [round(p, 2) for p in p_linear.tolist()])

# %% [markdown]
# 线性模型能做到的最好结果，是对每个点都说“一半一半”：四个概率都是 0.5，损失停在 $-\log 0.5 = \ln 2 \approx 0.6931$。它其实什么都没学会：这时每个 logit 都几乎是 0，判成哪一类只取决于极小的数值误差，准确率不会超过 75%。

# %%
acc_linear = training.accuracy(linear_xor, x_xor, y_xor)
assert abs(loss_linear - math.log(2)) < 1e-3
assert torch.allclose(p_linear, torch.full_like(p_linear, 0.5), atol=0.01)
assert acc_linear <= 0.75
print("✅ 线性模型的损失停在 ln 2，准确率不超过 75%")

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
assert acc_mlp == 1.0 and loss_mlp < 0.01
print("✅ 多层感知机把四个点全部分对")

# %% [markdown]
# 画出它的**决策边界**（decision boundary）：黑线是 logit 等于 0 的地方，两侧的底色是模型判的类别。一条直线做不到的事，隐藏层用弯曲的边界做到了。

# %%
plotting.plot_decision_boundary(predictor(mlp_xor), x_xor, y_xor, title="多层感知机在异或上的决策边界")
plt.show()

# %% [markdown]
# ## 4. 修正原文的多层感知机示例
#
# 原文第 4.2 节的示例定义了一个 2 → 5 → 2 的网络（隐藏层用 ReLU），用均方误差和学习率 0.01 的 SGD 训练 1000 个**迭代周期**（epoch），数据是 5 个二维的点。它有三个问题：
#
# 1. 只定义了 `MLP` 类，却从来没有创建 `model`，就去调用 `model.parameters()`；
# 2. 训练循环里没有 `optimizer.zero_grad()`，梯度会一步步累加（第 04 课详细讲过）；
# 3. 输入 `x` 和目标 `y` 是同一组数，网络要学的只是“把输入原样输出”。
#
# 第一个问题让代码在创建优化器这一行就停下来：

# %%
try:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)  # 原文的写法：model 从未创建
except NameError as err:
    print(f"NameError: {err}")

# %% [markdown]
# 修正后的版本：先创建模型，每一步先清零梯度。`super().__init__()` 是 Python 3 的写法，和原文的 `super(MLP, self).__init__()` 效果相同。为了和不清零的版本对比，把训练写成一个函数，用参数 `zero_grad` 控制是否清零：

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


def train_document_mlp(zero_grad=True):
    """按原文的设置训练：均方误差、SGD、学习率 0.01、1000 个迭代周期。返回模型和最后的损失。"""
    lessons.seed_everything(0)
    model = MLP().to(env.device)  # 修正一：先创建模型
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for _ in range(1000):
        if zero_grad:
            optimizer.zero_grad()  # 修正二：每一步先清零梯度
        loss = criterion(model(x_doc), y_doc)
        loss.backward()
        optimizer.step()
    return model, loss.item()


model, loss_fixed = train_document_mlp(zero_grad=True)
_, loss_no_zero = train_document_mlp(zero_grad=False)
print(f"每步清零梯度：  损失 {loss_fixed:.3f}")
print(f"不清零（原文）：损失 {loss_no_zero:.2f}")
assert loss_fixed < 0.01 and loss_no_zero > 1
print("✅ 清零梯度后损失很小；不清零时训练失败")

# %% [markdown]
# 不清零时，每一步用的是从开始到现在所有梯度的总和，步子越迈越大，参数被推到很远的地方，损失降不下来。
#
# 再看第三个问题：训练好的网络在这 5 个点上输出了什么？

# %%
with torch.no_grad():
    out_doc = model(x_doc)
max_error = (out_doc - x_doc).abs().max().item()
print("输入：", x_doc.tolist())
print("输出：", [[round(v, 1) for v in row] for row in out_doc.tolist()])
print("最大误差：", round(max_error, 2))
assert max_error < 0.15
print("✅ 在训练点上 model(x) ≈ x")

# %% [markdown]
# 网络学到的是**恒等映射**（identity map）：输入什么就输出什么。但它只在训练数据附近才是这样。注意这 5 个点都落在直线 $x_2 = x_1 + 1$ 上，网络从没见过这条直线以外的点，所以：
#
# - 离开这条直线，比如输入 $(3, -3)$，输出和输入毫无关系；
# - 沿着这条直线走得很远，比如 $x_1 = 100, 200, 300$，ReLU 网络是分段线性的函数，走出最后一个“折点”之后就是一个线性函数，所以输出按固定的增量变化（线性**外推**（extrapolation）），但增量并不等于输入的增量，误差随距离越来越大。

# %%
far_points = torch.tensor([[3.0, -3.0], [100.0, 101.0], [200.0, 201.0], [300.0, 301.0]], device=env.device)
with torch.no_grad():
    far_out = model(far_points)
for p, q in zip(far_points.tolist(), far_out.tolist()):
    print(f"输入 {p} → 输出 {[round(v, 1) for v in q]}")

off_line_error = (far_out[0] - far_points[0]).norm().item()
step_1 = far_out[2] - far_out[1]  # x1 从 100 走到 200 时输出的变化
step_2 = far_out[3] - far_out[2]  # x1 从 200 走到 300 时输出的变化
far_error = (far_out[3] - far_points[3]).abs().max().item()
assert off_line_error > 1
assert torch.allclose(step_1, step_2, rtol=1e-4)
assert far_error > 10 * max_error
print("✅ 离开直线就不是恒等映射；沿直线走远时输出按固定的增量变化，误差远大于训练点上的误差")

# %% [markdown]
# 所以原文的例子只说明了网络能记住 5 个点，说明不了多层感知机的本事。异或、下面的正弦曲线和两个半月形才是需要非线性的任务。

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
# **写法二：`nn.Sequential`**。层按顺序一个接一个，不用写 `forward`。激活函数要写成层的形式 `nn.ReLU()`：

# %%
net_b = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 2))
print(net_b)

# %% [markdown]
# 两者表示的是同一种网络。数一数参数：每个 `nn.Linear(n_in, n_out)` 有 $n_{\text{in}} \times n_{\text{out}}$ 个权重和 $n_{\text{out}}$ 个偏置，激活函数没有参数。宽度依次为 $n_0, n_1, \dots, n_L$ 的多层感知机共有
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
assert count_by_formula([2, 5, 2]) == count_by_numel(net_a) == count_by_numel(net_b) == 27
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
print("公式：", count_by_formula(sizes), " numel：", count_by_numel(big_net))
assert count_by_formula(sizes) == count_by_numel(big_net) == 235146
print("✅ 这个网络有 235146 个参数，绝大多数在第一层")

# %% [markdown]
# 一个常见错误：相邻两层的宽度对不上。前一层输出 5 个数，后一层却声明要 4 个输入，在真正送进数据时才会报错：

# %%
bad_net = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(4, 2))
try:
    bad_net(torch.randn(3, 2))
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# 报错信息里的 `3x5` 是第一层的输出（3 个样本、每个 5 个数），`4x2` 是第二层权重的转置 $W^\top$。修正的方法是让每个 `nn.Linear` 的输入个数等于前一层的输出个数，即 `nn.Linear(5, 2)`。

# %% [markdown]
# ## 6. 拟合一条曲线
#
# 现在用多层感知机做**回归**（regression）：拟合带噪声的正弦曲线 $y = \sin x + \varepsilon$。数据有 200 个点，形状都是 `(200, 1)`。
#
# 从这里开始用第 04 课介绍的 `lessons.training.fit` 训练，它内部就是我们手写过的循环。传入 `device=env.device`，模型和数据会被搬到同一个设备上，所以同样的代码在 CPU 和 GPU 上都能运行。分三段训练，在第 10、100、1000 个迭代周期时各保存一份模型的副本：

# %%
x_sin, y_sin = data.sine()
print("x 的形状：", tuple(x_sin.shape), " y 的形状：", tuple(y_sin.shape))

lessons.seed_everything(0)
sine_net = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))
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

# %%
fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), sharey=True)
for ax, (epoch, snapshot) in zip(axes, snapshots.items()):
    plotting.plot_fit(x_sin, y_sin, predictor(snapshot), ax=ax, title=f"训练 {epoch} 个迭代周期后")
plt.show()

# %% [markdown]
# 10 个迭代周期后，模型只学到“左边低、右边高”的大致趋势；100 个迭代周期后曲线弯了起来，但两端还没贴住数据；1000 个迭代周期后，曲线基本与正弦曲线重合。损失也在一路下降，最后接近噪声的方差 $0.1^2 = 0.01$：剩下的误差来自噪声本身，模型再好也消除不了。和不含噪声的 $\sin x$ 比，误差就非常小了：

# %%
with torch.no_grad():
    mse_vs_sine = loss_fn(sine_net(x_sin.to(env.device)).cpu(), torch.sin(x_sin)).item()
print(f"与 sin x 的均方误差：{mse_vs_sine:.4f}")
assert history[9] > history[99] > history[999]
assert history[999] < 0.015 and mse_vs_sine < 0.005
print("✅ 损失随训练下降；最后的模型很接近 sin x")

plotting.plot_losses(history, title="拟合正弦曲线的损失", log_scale=True)
plt.show()

# %% [markdown]
# ## 7. 二维分类：两个半月形
#
# `lessons.data.two_moons` 生成两个交错的半月形，每个点有两个坐标，标签是 0 或 1。它们不能用一条直线分开，正好交给多层感知机。
#
# 评价一个模型，要看它在没见过的数据上表现如何。所以先用 `lessons.data.train_test_split` 把数据随机分成两份：**训练集**（training set）用来更新参数，**测试集**（test set）只在最后用来评估，从不参与训练。

# %%
x_moon, y_moon = data.two_moons(n=200, noise=0.15, seed=0)
x_train, x_test, y_train, y_test = data.train_test_split(x_moon, y_moon, test_fraction=0.25, seed=0)
print("训练集：", tuple(x_train.shape), " 测试集：", tuple(x_test.shape))
print("标签的类型：", y_train.dtype, " 前 10 个：", y_train[:10].tolist())

# %% [markdown]
# 标签是形状 `(n,)` 的整数，而 `nn.BCEWithLogitsLoss` 要求目标和模型输出形状相同、都是浮点数，所以训练时把它变成形状 `(n, 1)` 的浮点数。`lessons.training.accuracy` 则直接接受原来的整数标签。

# %%
lessons.seed_everything(0)
moon_net = nn.Sequential(
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
assert test_acc >= 0.95
print("✅ 测试准确率不低于 95%")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
plotting.plot_decision_boundary(predictor(moon_net), x_train, y_train, ax=ax1, title="决策边界与训练集")
plotting.plot_decision_boundary(predictor(moon_net), x_test, y_test, ax=ax2, title="决策边界与测试集")
plt.show()

# %% [markdown]
# 边界顺着两个半月形之间的空隙弯过去。测试集的点模型从没见过，它们也几乎都落在正确的一侧：模型学到的是数据的规律，而不是把训练点一个个背下来。

# %% [markdown]
# ## 8. 初识过拟合
#
# 如果训练数据很少，又有噪声，而模型很大，会发生什么？下面只取 40 个训练点，并故意把其中 8 个点的标签改错（模拟标注错误），测试集的 360 个点标签都是对的。模型是一个有两个 64 单元隐藏层的网络，共 4417 个参数，比训练点多出一百多倍。

# %%
x_all, y_all = data.two_moons(n=400, noise=0.1, seed=1)
x_small, x_big_test, y_small, y_big_test = data.train_test_split(x_all, y_all, test_fraction=0.9, seed=1)
flipped = torch.randperm(len(y_small), generator=torch.Generator().manual_seed(1))[:8]
y_small = y_small.clone()
y_small[flipped] = 1 - y_small[flipped]  # 把 8 个训练点的标签改错
print("训练点：", len(y_small), " 其中标签错误的：", len(flipped), " 测试点：", len(y_big_test))


def train_big_net(weight_decay):
    """训练一个 2 → 64 → 64 → 1 的网络 1000 个迭代周期，返回模型。"""
    lessons.seed_everything(0)
    net = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01, weight_decay=weight_decay)
    training.fit(net, x_small, y_small.float().unsqueeze(1), nn.BCEWithLogitsLoss(), optimizer,
                 epochs=1000, device=env.device)
    return net


overfit_net = train_big_net(weight_decay=0.0)
print("参数个数：", count_by_numel(overfit_net))
assert count_by_numel(overfit_net) == count_by_formula([2, 64, 64, 1]) == 4417

# %% [markdown]
# 第二个网络结构完全相同，只多了**权重衰减**（weight decay）：`weight_decay=0.01` 让优化器在每个参数的梯度上加 $0.01 \times$ 参数本身，相当于在损失里加上 $\frac{0.01}{2}\sum w^2$，把参数往 0 拉，使网络倾向于更平滑的函数。这类限制模型“过度发挥”的手段统称**正则化**（regularization）。

# %%
regular_net = train_big_net(weight_decay=0.01)

results = {}
for name, net in {"不加限制": overfit_net, "权重衰减 0.01": regular_net}.items():
    results[name] = (training.accuracy(net, x_small, y_small), training.accuracy(net, x_big_test, y_big_test))
    print(f"{name}：训练准确率 {results[name][0]:.1%}，测试准确率 {results[name][1]:.1%}")

with torch.no_grad():
    logits_flipped = overfit_net(x_small[flipped].to(env.device)).reshape(-1).cpu()
memorized = ((logits_flipped > 0).long() == y_small[flipped]).float().mean().item()
print(f"不加限制的网络在 8 个错误标签上“答对”的比例：{memorized:.0%}")

# %%
(train_o, test_o), (train_r, test_r) = results.values()
assert train_o == 1.0 and memorized == 1.0
assert train_o - test_o > 0.05
assert test_o < test_r - 0.05
print("✅ 不加限制的网络把训练集（连同错误标签）全部背了下来，测试准确率却比加权重衰减的网络低 5 个百分点以上")

# %% [markdown]
# 这就是**过拟合**：模型在训练集上满分，连错误的标签都“学会”了，在新数据上却明显变差。加了权重衰减的网络训练准确率低一些（它不肯为了几个错误标签扭曲边界），测试准确率反而更高。看看两者的决策边界，圆圈标出的是标签被改错的点：

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
for ax, (name, net) in zip(axes, {"不加限制": overfit_net, "权重衰减 0.01": regular_net}.items()):
    plotting.plot_decision_boundary(predictor(net), x_small, y_small, ax=ax, title=name)
    ax.scatter(x_small[flipped, 0], x_small[flipped, 1], s=90, facecolors="none", edgecolors="k", label="标签错误")
    ax.legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown]
# 左图的边界为了绕过错误标签的点，长出了一个个“小岛”；右图的边界平滑，直接忽略了它们。换别的随机种子，具体数字会变，但“不加限制的大网络训练满分、测试更差”这一规律在这类设置下相当稳定。过拟合还有很多应对办法，如收集更多数据、用更小的网络、提前停止训练，后面的学习中会一再遇到。
#
# 判断一个模型好不好，永远看测试集，而不是训练集。

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
# 用 `nn.Sequential` 搭一个多层感知机：输入 4 个数，两个隐藏层各 10 个单元、之后各接一个 `nn.ReLU()`，输出 3 个数。形状为 `(5, 4)` 的输入应得到形状为 `(5, 3)` 的输出。

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
# 写一个函数 `train_moons(x_train, y_train)`：在函数里创建一个多层感知机，用 `lessons.training.fit` 在传入的数据上训练，返回训练好的模型。`x_train` 的形状是 `(n, 2)`，`y_train` 是形状 `(n,)`、取值 0 或 1 的整数标签；模型对每个点输出一个 logit（大于 0 判为类别 1）。
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
# - ReLU、sigmoid、tanh 是常用的激活函数，它们的导数可以由自动求导得到；没有激活函数，多个线性层等价于一个线性层，连异或都分不开。
# - 原文的示例缺少 `model = MLP()` 和 `zero_grad()`，而且输入等于目标，网络只学到训练点附近的恒等映射，离开训练数据就不成立。
# - 用 `nn.Module` 子类或 `nn.Sequential` 搭网络；每个 `nn.Linear(n_in, n_out)` 有 $n_{\text{in}} n_{\text{out}} + n_{\text{out}}$ 个参数，可以用 `sum(p.numel() for p in model.parameters())` 核对。
# - `lessons.training.fit(..., device=env.device)` 训练、`lessons.training.accuracy` 评估；模型的好坏看测试集。
# - 训练数据少而模型大时容易过拟合：训练满分、测试变差；权重衰减等正则化手段可以缓解。
