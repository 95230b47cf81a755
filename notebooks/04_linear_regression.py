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
# # 线性回归
#
# **导读**：**线性回归**（linear regression）用一条直线去拟合数据，是最简单的**回归**（regression）**模型**（model），也是理解“训练”二字最好的起点。这一课先写出模型和**均方误差**（mean squared error, MSE），再用三种方法求出最好的直线：解方程得到的**闭式解**（closed-form solution）、借助自动求导手写的梯度下降、以及 `torch.nn` 提供的层、损失函数和优化器。三种方法的答案应当一致（相差不超过数值误差）。之后我们逐行修正原文的线性回归示例（它原样运行不了，改到能运行后还缺了一步），看看漏掉 `zero_grad()` 时训练会变成什么样，最后介绍后面各课都会用到的训练循环助手 `lessons.training.fit`。
#
# **学习目标**
#
# - 能用公式和代码写出线性回归模型 $\hat y = w x + b$ 和均方误差；
# - 会用正规方程和 `torch.linalg.lstsq` 求闭式解；
# - 会用自动求导手写梯度下降：`requires_grad`、`backward()`、在 `torch.no_grad()` 中更新、清零梯度；
# - 会用 `nn.Linear`、`nn.MSELoss`、`optim.SGD` 写出完整的训练循环，并能找出原文示例中的三处错误；
# - 理解忘记 `zero_grad()` 的后果，会使用 `lessons.training.fit`。

# %% [markdown]
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
from torch import nn, optim

import lessons
from lessons import data, plotting
from lessons.checking import expect_error

env = lessons.setup(seed=0)

# %% [markdown]
# ## 1. 模型：一条直线
#
# 原文给出的线性回归模型是
#
# $$
# y = \theta_0 + \theta_1 x ,
# $$
#
# 其中 $x$ 是输入，$\theta_0$ 和 $\theta_1$ 是模型的参数。严格地说，等号左边是模型的**预测值**，我们把它记作 $\hat y$（读作“y hat”），而把数据里真实的值记作 $y$，两者一般不相等。
#
# 在代码里，习惯把斜率 $\theta_1$ 叫作权重，写作 `w`；把截距 $\theta_0$ 叫作偏置，写作 `b`。于是模型写成
#
# $$
# \hat y = w x + b .
# $$
#
# 这一课的输入只有一个数，所以模型是一条直线，可以画在平面上。输入有 $d$ 个特征时（例如房屋的面积和房龄），模型是各个特征的加权和再加上偏置：$\hat y = w_1 x_1 + w_2 x_2 + \dots + w_d x_d + b$，图形不再是直线，而是平面或更高维的“超平面”。训练方法与一个特征时完全相同。
#
# 原文称线性回归是一种“深度学习模型”，这个说法不够准确：线性回归是经典的统计模型，比深度学习早得多。不过它可以看成只有一层、没有**激活函数**（activation function）的神经网络（激活函数在第 6 课介绍），训练它的方法和训练大型网络相同，所以非常适合入门。

# %%
def predict(x, w, b):
    """直线模型：ŷ = w·x + b（w 就是 θ1，b 就是 θ0）。"""
    return w * x + b


x_demo = torch.tensor([1.0, 2.0, 3.0])
print(predict(x_demo, w=2.0, b=0.5))

# %% [markdown]
# `w * x + b` 对张量的每个元素分别计算（标量 `w`、`b` 通过广播作用到每个元素上），所以一次就得到所有样本的预测值。

# %% [markdown]
# ## 2. 损失函数：均方误差
#
# 怎样判断一条直线好不好？把每个样本的误差 $\hat y_i - y_i$ 平方后取平均，就是均方误差：
#
# $$
# L(w, b) = \frac{1}{n}\sum_{i=1}^{n}\left(\hat y_i - y_i\right)^2 = \frac{1}{n}\sum_{i=1}^{n}\left(w x_i + b - y_i\right)^2 .
# $$
#
# 它是一个**损失函数**（loss function）：预测越准，$L$ 越小；完全准确时 $L = 0$。平方让正负误差不会互相抵消，也让大的误差受到更重的惩罚。选平方还有一个统计上的理由：如果各个样本的噪声相互独立、都服从均值为 0 的同一个正态分布，让均方误差最小的参数，也正是让观测到这组数据的可能性最大的参数，即最大似然估计（推导见《动手学深度学习》第 3.1.3 节）。训练的目标就是找到让 $L$ 最小的 $w$ 和 $b$。
#
# 写成代码只有一行：

# %%
def mse(y_hat, y):
    """均方误差：误差平方的平均值。"""
    return ((y_hat - y) ** 2).mean()


# %% [markdown]
# 用原文的五个点 $x = 1, 2, 3, 4, 5$、$y = 2x$ 试一试。直线 $w = 2,\ b = 0$ 穿过所有点，损失为 0；直线 $w = 1,\ b = 1$ 的预测是 2、3、4、5、6，误差是 0、-1、-2、-3、-4，平方的平均值是 $(0 + 1 + 4 + 9 + 16) / 5 = 6$。

# %%
x, y = data.document_line()
x, y = x.to(env.device), y.to(env.device)

perfect = mse(predict(x, 2.0, 0.0), y)
worse = mse(predict(x, 1.0, 1.0), y)
print(f"w=2, b=0 的损失：{perfect.item():.4f}")
print(f"w=1, b=1 的损失：{worse.item():.4f}")
assert perfect.item() == 0.0 and abs(worse.item() - 6.0) < 1e-6
print("✅ 与手算结果一致")

# %% [markdown]
# PyTorch 自带同样的计算：`nn.MSELoss()` 是一个损失函数对象，`torch.nn.functional.mse_loss` 是对应的函数。它们默认 `reduction="mean"`，即对所有元素的平方误差取平均，和我们的 `mse` 给出相同的结果：

# %%
criterion = nn.MSELoss()
ours = mse(predict(x, 1.0, 1.0), y)
builtin = criterion(predict(x, 1.0, 1.0), y)
print(f"自己写的：{ours.item():.4f}，nn.MSELoss：{builtin.item():.4f}")
assert torch.allclose(ours, builtin)
print("✅ 两者相同")

# %% [markdown]
# 两者都得到 6，说明 `nn.MSELoss` 算的就是上面的公式，前面没有系数 $\frac{1}{2}$。有的教材（例如《动手学深度学习》）把每个样本的损失写成 $\frac{1}{2}(\hat y_i - y_i)^2$，求导时 $\frac{1}{2}$ 正好与平方落下的 2 抵消。这样损失和梯度都只有上式的一半：最优的 $w$、$b$ 不变，但同一个学习率每一步只走一半的距离。读别的书时要留意这个差别。

# %% [markdown]
# ## 3. 两组数据
#
# 这一课用两组数据，都由代码生成，不需要下载：
#
# - `data.document_line()`：原文的五个点，恰好落在直线 $y = 2x$ 上；
# - `data.noisy_line(...)`：在直线 $y = 2x + 1$ 附近的 100 个点，加了标准差为 0.5 的高斯噪声，随机种子固定为 0，所以每次生成的数据都一样。
#
# 注意张量的形状：每个样本占一行，唯一的一列是这个样本的特征，所以形状是 `(样本数, 1)`。后面会看到，这个形状对 `nn.Linear` 很重要。

# %%
x_noisy, y_noisy = data.noisy_line(n=100, w=2.0, b=1.0, noise=0.5, seed=0)
x_noisy, y_noisy = x_noisy.to(env.device), y_noisy.to(env.device)

print("原文数据  x:", tuple(x.shape), " y:", tuple(y.shape))
print("噪声数据  x:", tuple(x_noisy.shape), " y:", tuple(y_noisy.shape))
print("原文数据 x 的值:", x.reshape(-1).tolist())

# %% mystnb={"image": {"alt": "两幅散点图：左图是原文的五个点 (1, 2) 到 (5, 10)，正好落在一条直线上；右图是带噪声的 100 个点，x 在 −3 到 3 之间，大致沿一条直线分布。"}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
plotting.plot_fit(x, y, ax=ax1, title="原文的五个点")
plotting.plot_fit(x_noisy, y_noisy, ax=ax2, title="带噪声的 100 个点")
plt.show()

# %% [markdown]
# ## 4. 方法一：闭式解
#
# 均方误差是 $w$、$b$ 的二次函数，它的最小值可以直接解方程得到。把每个样本写成一行 $[x_i,\ 1]$，叠成 $n \times 2$ 的矩阵 $X$，把参数写成向量 $\boldsymbol\theta = [w,\ b]^\top$，那么所有预测值就是 $X\boldsymbol\theta$。令损失对 $\boldsymbol\theta$ 的梯度为零，得到**正规方程**（normal equation）：
#
# $$
# X^\top X\,\boldsymbol\theta = X^\top \mathbf y .
# $$
#
# 这是一个 2 元线性方程组；只要 $x_i$ 不全相同，$X^\top X$ 就可逆，方程有唯一解，用 `torch.linalg.solve` 求解即可。（不要先求逆矩阵再相乘：直接解方程更快，数值上也更稳定。）

# %%
def normal_equation(x, y):
    """解正规方程 XᵀX θ = Xᵀy，返回 (w, b)。"""
    design = torch.cat([x, torch.ones_like(x)], dim=1)  # 每行是 [x_i, 1]
    theta = torch.linalg.solve(design.T @ design, design.T @ y)  # @ 是矩阵乘法
    return theta[0].item(), theta[1].item()


w_doc, b_doc = normal_equation(x, y)
print(f"原文数据：w = {w_doc:.4f}，b = {abs(b_doc):.4f}")  # b 可能带有 1e-7 量级、符号不定的舍入误差，所以不显示符号
assert abs(w_doc - 2.0) < 1e-4 and abs(b_doc) < 1e-4
print("✅ 闭式解正是 y = 2x")

# %% [markdown]
# 五个点恰好在一条直线上，闭式解就是这条直线本身。
#
# 更常用的是 `torch.linalg.lstsq`：它按**最小二乘**（least squares）的原则，直接求使 $\lVert X\boldsymbol\theta - \mathbf y\rVert^2$ 最小的 $\boldsymbol\theta$，不需要自己写出 $X^\top X$。这样做数值上更可靠：写出 $X^\top X$ 会把 $X$ 的条件数平方（粗略地说，条件数是输入的相对误差在解里最多被放大的倍数），而 `lstsq` 直接分解 $X$ 本身，在 CPU 上默认用 LAPACK 的 `gelsy` 方法，即带列主元的 QR 分解。在带噪声的数据上，两种写法给出相同的答案：

# %%
design_noisy = torch.cat([x_noisy, torch.ones_like(x_noisy)], dim=1)
theta = torch.linalg.lstsq(design_noisy, y_noisy).solution
w_exact, b_exact = theta[0].item(), theta[1].item()
w_ne, b_ne = normal_equation(x_noisy, y_noisy)

print(f"lstsq    ：w = {w_exact:.4f}，b = {b_exact:.4f}")
print(f"正规方程：w = {w_ne:.4f}，b = {b_ne:.4f}")
assert abs(w_exact - w_ne) < 1e-4 and abs(b_exact - b_ne) < 1e-4
assert abs(w_exact - 1.943) < 1e-3 and abs(b_exact - 0.995) < 1e-3
print("✅ 两种写法一致：w ≈ 1.943，b ≈ 0.995")

cond_x = torch.linalg.cond(design_noisy.double()).item()
cond_xtx = torch.linalg.cond(design_noisy.double().T @ design_noisy.double()).item()
print(f"X 的条件数 ≈ {cond_x:.3f}，XᵀX 的条件数 ≈ {cond_xtx:.3f}，而 {cond_x:.3f}² ≈ {cond_x**2:.3f}")
assert abs(cond_xtx - cond_x**2) < 1e-6 * cond_x**2, "XᵀX 的条件数应等于 X 的条件数的平方"
print("✅ 写出 XᵀX 把条件数平方了；这组数据的条件数很小，所以两种写法的结果相同")

# %% [markdown]
# 注意：数据是在 $y = 2x + 1$ 附近生成的，但最优的直线是 $w \approx 1.943$、$b \approx 0.995$，而不是 2 和 1。这不是算错了，而是这 100 个带噪声的点“看起来”最像的就是这条直线。后面两种方法都应该得到同样的 $w$、$b$。
#
# 闭式解只适用于线性回归这样的少数模型。神经网络的损失一般没有这样的公式，只能从某个起点出发，一步一步地逼近最小值；其中最常用的方法就是梯度下降。

# %% [markdown]
# ## 5. 方法二：手写梯度下降
#
# 梯度下降的想法是：从某个初始参数出发，每一步都沿着让损失下降最快的方向（负梯度方向）走一小步。对均方误差求偏导数：
#
# $$
# \frac{\partial L}{\partial w} = \frac{2}{n}\sum_{i=1}^{n}\left(\hat y_i - y_i\right)x_i ,
# \qquad
# \frac{\partial L}{\partial b} = \frac{2}{n}\sum_{i=1}^{n}\left(\hat y_i - y_i\right) .
# $$
#
# 更新规则是（$\alpha$ 是学习率，代码里写作 `lr`）：
#
# $$
# w \leftarrow w - \alpha\,\frac{\partial L}{\partial w},
# \qquad
# b \leftarrow b - \alpha\,\frac{\partial L}{\partial b} .
# $$
#
# 梯度不必自己推导：把 `w`、`b` 创建成 `requires_grad=True` 的张量，算出损失后调用 `loss.backward()`，PyTorch 会把梯度存进 `w.grad` 和 `b.grad`。先在原文数据上、$w = b = 0$ 处核对一下：此时预测全为 0，误差是 $-y_i = -2x_i$，代入公式得 $\partial L/\partial w = \frac{2}{5}\sum(-2x_i^2) = -44$，$\partial L/\partial b = \frac{2}{5}\sum(-2x_i) = -12$。

# %%
w = torch.tensor(0.0, device=env.device, requires_grad=True)
b = torch.tensor(0.0, device=env.device, requires_grad=True)

loss = mse(predict(x, w, b), y)
loss.backward()

y_hat = predict(x, w, b).detach()
grad_w_formula = (2 * (y_hat - y) * x).mean()
grad_b_formula = (2 * (y_hat - y)).mean()
print(f"自动求导：dL/dw = {w.grad.item():.4f}，dL/db = {b.grad.item():.4f}")
print(f"公式    ：dL/dw = {grad_w_formula.item():.4f}，dL/db = {grad_b_formula.item():.4f}")
assert torch.allclose(w.grad, grad_w_formula) and torch.allclose(b.grad, grad_b_formula)
assert abs(w.grad.item() + 44) < 1e-4 and abs(b.grad.item() + 12) < 1e-4
print("✅ 自动求导与公式一致：-44 和 -12")

# %% [markdown]
# 现在在带噪声的数据上写出完整的梯度下降循环：学习率 0.1，200 个**迭代周期**（epoch），每个迭代周期用全部 100 个样本算一次梯度、更新一次参数（这叫**批量梯度下降**（batch gradient descent））。每一步有四件事：
#
# 1. 前向传播：算预测值和损失；
# 2. 反向传播：`loss.backward()` 求出梯度；
# 3. 在 `torch.no_grad()` 中更新参数：更新本身不是模型计算的一部分，不应被记录进计算图；而且在记录梯度时，对需要梯度的叶子节点做原地操作是不允许的；
# 4. 清零梯度：`backward()` 会把新梯度**加到** `.grad` 上，不清零的话下一步的梯度就会和这一步的累加在一起。

# %%
w = torch.tensor(0.0, device=env.device, requires_grad=True)
b = torch.tensor(0.0, device=env.device, requires_grad=True)
lr = 0.1
gd_losses = []

for _ in range(200):  # 200 个迭代周期
    loss = mse(predict(x_noisy, w, b), y_noisy)  # 1. 前向传播
    loss.backward()                              # 2. 反向传播
    with torch.no_grad():                        # 3. 更新参数（不记录计算图）
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()                               # 4. 清零梯度
    b.grad.zero_()
    gd_losses.append(loss.item())

w_gd, b_gd = w.item(), b.item()
print(f"梯度下降：w = {w_gd:.4f}，b = {b_gd:.4f}，最后的损失 = {gd_losses[-1]:.4f}")
assert abs(w_gd - w_exact) < 1e-3 and abs(b_gd - b_exact) < 1e-3
print("✅ 与闭式解相差不到 0.001")

# %% [markdown]
# 左图是拟合出的直线，右图是损失随迭代周期的变化（纵轴用对数刻度）：损失先迅速下降，然后停在约 0.198 不再变化。它降不到 0，因为数据有噪声，没有一条直线能穿过所有点；0.198 已经是直线能做到的最小值。

# %% mystnb={"image": {"alt": "左图是手写梯度下降拟合出的直线，穿过 100 个带噪声的点的中间；右图是 200 个迭代周期的损失（对数刻度），开头迅速下降，之后停在约 0.198 不再变化。"}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
plotting.plot_fit(x_noisy, y_noisy, predict=lambda t: predict(t.to(env.device), w, b),
                  ax=ax1, title="梯度下降拟合的直线")
plotting.plot_losses(gd_losses, ax=ax2, title="手写梯度下降的损失", log_scale=True)
plt.show()

# %%
exact_loss = mse(predict(x_noisy, w_exact, b_exact), y_noisy).item()
print(f"闭式解的损失：{exact_loss:.4f}，梯度下降最后的损失：{gd_losses[-1]:.4f}")
assert abs(gd_losses[-1] - exact_loss) < 1e-4 and abs(exact_loss - 0.198) < 1e-3
print("✅ 梯度下降已经降到了最小可能的损失")

# %% [markdown]
# 如果第 3 步忘了写 `with torch.no_grad():`，原地更新会直接报错（`expect_error` 在第 1 课介绍过：它打印报错的类型和第一行；没有报错时，它反而报错）：

# %%
w_try = torch.tensor(1.0, device=env.device, requires_grad=True)
w_try.grad = torch.tensor(0.5, device=env.device)
with expect_error(RuntimeError):
    w_try -= lr * w_try.grad  # 没有放在 torch.no_grad() 中

# %% [markdown]
# ## 6. 方法三：用 `torch.nn`，并修正原文的示例
#
# 手写的循环里，模型、损失和更新规则都是自己写的。PyTorch 把这三样都做成了现成的部件：
#
# | 手写 | `torch.nn` / `torch.optim` |
# | --- | --- |
# | `predict(x, w, b)` | `nn.Linear(1, 1)`：一个**全连接层**（fully connected layer），内含形状为 `(1, 1)` 的 `weight`（即 w）和形状为 `(1,)` 的 `bias`（即 b）；有 $d$ 个特征时用 `nn.Linear(d, 1)`，`weight` 的形状是 `(1, d)` |
# | `mse(y_hat, y)` | `nn.MSELoss()` |
# | `w -= lr * w.grad`（在 `no_grad` 中） | `optimizer.step()`，其中 `optimizer = optim.SGD(model.parameters(), lr=...)`（默认设置下，它做的正是这个更新） |
# | `w.grad.zero_()` | `optimizer.zero_grad()`（默认 `set_to_none=True`：把 `.grad` 设为 `None`，效果同样是丢掉旧梯度） |
#
# 原文第 4.1 节的示例就是这样写的：定义一个 `LinearRegression` 类，在里面放一个 `nn.Linear(1, 1)`，用 `nn.MSELoss` 和 `optim.SGD`（学习率 0.01）训练 1000 个迭代周期。可惜它有三处错误：前两处让它运行不了，第三处让它训练不对。下面逐一看。
#
# ### 6.1 错误一：`model` 从来没有创建
#
# 原文定义了 `LinearRegression` 类，却直接写 `optim.SGD(model.parameters(), lr=0.01)`，中间少了一行 `model = LinearRegression()`。运行时的错误是：

# %%
try:
    optimizer = optim.SGD(model.parameters(), lr=0.01)
except NameError as err:
    print(f"NameError: {err}")
else:  # 只有先运行过后面创建 model 的单元格，才会走到这里
    print("没有报错：你已经运行过第 6.4 节，那里创建了 model。重启内核、从头运行，就能看到 NameError。")

# %% [markdown]
# 修正：先创建模型对象，再把它的参数交给优化器。类只是“图纸”，`LinearRegression()` 才造出一个真正的模型。
#
# ### 6.2 错误二：输入的形状是 `(5,)`，不是 `(5, 1)`
#
# 原文用 `torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])` 作为输入，形状是 `(5,)`。`nn.Linear(1, 1)` 要求输入的**最后一维**是特征数 1；形状 `(5,)` 的张量会被当成**一个**有 5 个特征的样本，矩阵乘法对不上：

# %%
x_flat = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], device=env.device)  # 原文的写法，形状 (5,)
layer = nn.Linear(1, 1).to(env.device)
with expect_error(RuntimeError):
    layer(x_flat)

# %% [markdown]
# 错误信息里的 `1x5` 就是那“一个有 5 个特征的样本”，`1x1` 是层的权重。修正：用 `reshape(-1, 1)`（或 `unsqueeze(1)`）把它变成 5 行 1 列，每行一个样本。`data.document_line()` 返回的正是这个形状。

# %%
x_col = x_flat.reshape(-1, 1)
print("修正后的形状：", tuple(x_col.shape), "→ 输出形状：", tuple(layer(x_col).shape))
assert layer(x_col).shape == (5, 1)
print("✅ 5 个样本，各得到 1 个输出")

# %% [markdown]
# 目标 `y` 也要是 `(5, 1)`。如果只改了 `x`，`y` 仍是 `(5,)`，代码不会报错，只会给出一条警告，结果却是错的：`nn.MSELoss` 会把 `(5, 1)` 的预测和 `(5,)` 的目标广播成 `(5, 5)`，让每个预测值去逼近**所有**目标值。下面把警告捕获下来打印，并看看训练 1000 个迭代周期后得到什么：

# %%
import warnings

y_flat = y.reshape(-1)  # 形状 (5,)，与预测值的形状 (5, 1) 不一致
torch.manual_seed(0)
bad_model = nn.Linear(1, 1).to(env.device)
bad_optimizer = optim.SGD(bad_model.parameters(), lr=0.01)
# 先算一次损失，把 nn.MSELoss 发出的警告记录下来
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    criterion(bad_model(x), y_flat)
assert caught and "target size" in str(caught[0].message), "形状不同时 nn.MSELoss 应给出广播警告，这里却没有：请从第 6.2 节开头重新运行"
print("警告：", str(caught[0].message).split(". ")[0])

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # 训练时不再重复显示同一条警告
    for _ in range(1000):  # 1000 个迭代周期
        bad_optimizer.zero_grad()
        loss = criterion(bad_model(x), y_flat)
        loss.backward()
        bad_optimizer.step()

w_bad, b_bad = bad_model.weight.item(), bad_model.bias.item()
print(f"w = {w_bad:.3f}，b = {b_bad:.3f}，损失 = {loss.item():.3f}")
assert abs(w_bad) < 0.1 and abs(b_bad - 6.0) < 0.25 and abs(loss.item() - 8.0) < 0.05
print("✅ 模型学成了一条几乎水平的直线，高度接近 y 的平均值 6，损失接近 8")

# %% [markdown]
# 广播后的损失是 $\frac{1}{25}\sum_{i}\sum_{j}(\hat y_i - y_j)^2$，它在每个 $\hat y_i$ 都等于 $y$ 的平均值 6 时最小。所以每个预测值都被拉向 6，直线变平了；损失的最小值是 $\frac{1}{5}\sum_j (y_j - 6)^2 = 8$（即 $y$ 的方差，按除以 $n$ 计算），训练后的损失正停在 8 附近。这类不报错的形状错误很难发现；看到 “target size ... different to the input size” 的警告时，要检查预测和目标的形状。
#
# ### 6.3 错误三：循环里没有 `zero_grad()`
#
# 原文的循环每一步做了前向传播、计算损失、`loss.backward()`、`optimizer.step()`，唯独没有清零梯度。前面说过，`backward()` 会把梯度**累加**到 `.grad` 上，所以每一步都要在 `backward()` 之前把上一步的梯度清掉。最常见的写法是在每一步开头调用 `optimizer.zero_grad()`；放在 `step()` 之后也可以。规则是：清零要发生在上一步的 `step()` 之后、这一步的 `backward()` 之前。（放在 `backward()` 和 `step()` 之间是错的：`step()` 会看不到刚算出的梯度。）第 7 节会专门看看不清零会发生什么。
#
# ### 6.4 修正后的代码
#
# 把三处都改好。为了结果可以复现，在创建模型之前设置随机种子 0（`nn.Linear` 的初始参数是随机的）。原文在类里写的 `super(LinearRegression, self).__init__()` 是从 Python 2 沿用下来的写法，在 Python 3 中仍然正确，但可以简写为 `super().__init__()`。

# %%
class LinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)  # 1 个输入特征，1 个输出

    def forward(self, x):
        return self.linear(x)


x, y = data.document_line()  # 形状都是 (5, 1)
x, y = x.to(env.device), y.to(env.device)

torch.manual_seed(0)
model = LinearRegression().to(env.device)  # 错误一：先创建模型
print(f"初始参数：w = {model.linear.weight.item():.4f}，b = {model.linear.bias.item():.4f}")

criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)
losses = []

for _ in range(1000):  # 1000 个迭代周期
    optimizer.zero_grad()          # 错误三：每一步先清零梯度
    y_pred = model(x)              # 前向传播（错误二：x 的形状是 (5, 1)）
    loss = criterion(y_pred, y)    # 计算损失
    loss.backward()                # 反向传播
    optimizer.step()               # 更新参数
    losses.append(loss.item())

w_fixed = model.linear.weight.item()
b_fixed = model.linear.bias.item()
print(f"训练后：  w = {w_fixed:.3f}，b = {b_fixed:.3f}，损失 = {losses[-1]:.1e}")

# %% [markdown]
# 训练后 $w \approx 1.990$、$b \approx 0.034$，损失约 $2.2 \times 10^{-4}$：

# %%
assert abs(w_fixed - 1.990) < 1e-3 and abs(b_fixed - 0.034) < 1e-3
assert abs(losses[-1] - 2.2e-4) < 0.1e-4
print("✅ w ≈ 1.990，b ≈ 0.034，损失 ≈ 2.2e-4")

# %% mystnb={"image": {"alt": "左图是修正后的原文示例，拟合的直线几乎穿过全部五个点；右图是 1000 个迭代周期的损失（对数刻度），开头骤降，之后沿一条直线稳定下降，最后约 2.2e-4，仍在下降。"}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
plotting.plot_fit(x, y, predict=lambda t: model(t.to(env.device)), ax=ax1, title="修正后的原文示例")
plotting.plot_losses(losses, ax=ax2, title="损失曲线（对数刻度）", log_scale=True)
plt.show()

# %% [markdown]
# 结果已经很接近闭式解 $w = 2,\ b = 0$，但还没有完全到达：右图的损失仍在稳定下降。学习率 0.01 对这组数据偏小：损失曲面上有一个很平缓的方向（主要是 $b$ 的方向），沿这个方向每一步只前进一点点，1000 个迭代周期不够。下一课会用海森矩阵的特征值算出这个方向有多平缓，并解释剩下的 $b \approx 0.034$ 从何而来。第 8 节会训练得更久，看它能否到达闭式解。
#
# ### 6.5 同样的代码用在带噪声的数据上
#
# 把数据换成 100 个带噪声的点，学习率取 0.1，训练 200 个迭代周期（和第 5 节的手写循环相同）：

# %%
torch.manual_seed(0)
nn_model = nn.Linear(1, 1).to(env.device)
nn_optimizer = optim.SGD(nn_model.parameters(), lr=0.1)

for _ in range(200):  # 200 个迭代周期
    nn_optimizer.zero_grad()
    loss = criterion(nn_model(x_noisy), y_noisy)
    loss.backward()
    nn_optimizer.step()

w_nn, b_nn = nn_model.weight.item(), nn_model.bias.item()
print(f"nn.Linear：w = {w_nn:.4f}，b = {b_nn:.4f}")

# %% [markdown]
# ### 6.6 三种方法的答案一致
#
# 在带噪声的数据上比较三种方法：

# %%
results = {
    "闭式解（lstsq）": (w_exact, b_exact),
    "手写梯度下降": (w_gd, b_gd),
    "nn.Linear + SGD": (w_nn, b_nn),
}
for name, (w_value, b_value) in results.items():
    print(f"{name}：w = {w_value:.4f}，b = {b_value:.4f}")

tolerance = 1e-3
for name, (w_value, b_value) in results.items():
    assert abs(w_value - w_exact) < tolerance and abs(b_value - b_exact) < tolerance, name
print(f"✅ 三种方法的 w、b 彼此相差不到 {tolerance}")

# %% [markdown]
# 闭式解一步到位；两种梯度下降是同一个算法的两种写法，经过 200 步都到达了同一个最小值。
#
# ## 7. 忘记 `zero_grad()` 会怎样
#
# 先亲眼看看梯度的累加：对同一个损失连续两次调用 `backward()`，`.grad` 变成了一次的两倍。（第二次需要重新做前向传播：默认情况下，即不传 `retain_graph=True` 时，第一次 `backward()` 之后，计算图为反向传播保存的中间结果已被释放。）

# %%
torch.manual_seed(0)
demo = nn.Linear(1, 1).to(env.device)
criterion(demo(x), y).backward()
first = demo.weight.grad.clone()
criterion(demo(x), y).backward()  # 没有清零，再来一次
print(f"第一次后：{first.item():.4f}，第二次后：{demo.weight.grad.item():.4f}")
assert torch.allclose(demo.weight.grad, 2 * first)
print("✅ 第二次的梯度加在了第一次上")

# %% [markdown]
# 现在按原文的写法（除了补上 `model` 和修正形状之外不做任何改动，也就是不清零梯度）重新训练。初始参数和上面完全相同：

# %%
torch.manual_seed(0)
model_no_zero = LinearRegression().to(env.device)
optimizer_no_zero = optim.SGD(model_no_zero.parameters(), lr=0.01)
losses_no_zero = []

for _ in range(1000):  # 1000 个迭代周期
    y_pred = model_no_zero(x)
    loss = criterion(y_pred, y)
    loss.backward()            # 梯度一直累加，从不清零
    optimizer_no_zero.step()
    losses_no_zero.append(loss.item())

w_nz = model_no_zero.linear.weight.item()
b_nz = model_no_zero.linear.bias.item()
with torch.no_grad():
    loss_after = criterion(model_no_zero(x), y).item()
print(f"第 1000 个迭代周期算出的损失（这一步更新之前）：{losses_no_zero[-1]:.1f}")
print(f"更新之后：w = {w_nz:.2f}，b = {b_nz:.2f}，这组参数的损失 = {loss_after:.2f}")

last = losses_no_zero[-200:]
print(f"最后 200 个迭代周期里，损失最小 {min(last):.2f}，最大 {max(last):.1f}")

# %% [markdown]
# 第 1000 个迭代周期算出的损失约为 10.7（这是这一步更新之前的损失）；更新之后参数是 $w \approx 1.93$、$b \approx -0.09$，它们的损失却只有约 0.10。损失并没有在下降：最后 200 个迭代周期里，它在接近 0 和 40 以上之间来回摆动。

# %%
assert abs(losses_no_zero[-1] - 10.7) < 0.1, "请从上面训练不清零模型的单元格起重新运行"
assert abs(loss_after - 0.103) < 0.01, "更新后参数的损失应约为 0.10：请重新运行上面的单元格"
assert abs(w_nz - 1.93) < 0.01 and abs(b_nz + 0.09) < 0.01
assert min(last) < 0.1 and 40 < max(last) < 41, "不清零时损失应在接近 0 和 40 出头之间摆动：请重新运行上面的单元格"
print("✅ 不清零梯度：损失约 10.7，并且一直在大幅振荡")

# %% [markdown]
# 左图把两条损失曲线画在一起：清零梯度时损失稳定下降；不清零时损失从头到尾上下乱跳，连成了一片。右图放大了后者最后 50 个迭代周期，可以看到损失一次次冲高到 40 左右，又跌回接近 0。

# %% mystnb={"image": {"alt": "左图是两条损失曲线（对数刻度）：每步清零梯度时稳定下降，不清零（原文写法）时从头到尾上下乱跳；右图放大不清零的最后 50 个迭代周期，损失在接近 0 和 40 左右之间反复摆动。"}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
plotting.plot_losses({"每步清零梯度": losses, "不清零梯度（原文写法）": losses_no_zero},
                     ax=ax1, title="有无 zero_grad() 的损失曲线", log_scale=True)
# 右图：放大不清零时最后 50 个迭代周期的损失（普通刻度）
ax2.plot(range(951, 1001), losses_no_zero[-50:], "o-", color="C1", markersize=3)
ax2.set_title("不清零梯度：最后 50 个迭代周期")
ax2.set_xlabel("迭代周期")
ax2.set_ylabel("损失")
plt.show()

# %% [markdown]
# 为什么会这样？不清零时，第 $t$ 步的 `.grad` 是从第 1 步到第 $t$ 步所有梯度的**总和**，于是每一步的更新量是 $\alpha$ 乘以“历史上全部梯度之和”。参数已经越过最低点时，过去积攒的梯度仍然推着它继续往前走，直到新的反方向梯度把总和抵消掉，它才掉头，然后又冲过头……这就像一个在碗里来回滚动、没有摩擦力的小球，摆动不会衰减。
#
# 把旧梯度按比例留下来、和新梯度一起推动参数的方法叫作**动量**（momentum），下一课会正式介绍。`optim.SGD(..., momentum=β)`（$\beta$ 叫作动量系数，下一课正式介绍）每一步先算 $v \leftarrow \beta v + g$（$g$ 是这一步的梯度，$v$ 从 0 开始），再更新 $\theta \leftarrow \theta - \alpha v$。不清零时，每次 `backward()` 都把 $g$ 加到 `.grad` 上，`step()` 再减去 $\alpha$ 乘以 `.grad`：`.grad` 扮演的正是 $\beta = 1$ 时的 $v$，旧梯度一点也不衰减。常用的 $\beta = 0.9$ 让旧梯度每步衰减一成，相当于加了摩擦力。下面验证：不清零梯度的循环，与每步清零、但设置 `momentum=1.0` 的 SGD，得到的参数完全相同。

# %%
torch.manual_seed(0)
model_momentum = LinearRegression().to(env.device)
optimizer_momentum = optim.SGD(model_momentum.parameters(), lr=0.01, momentum=1.0)
for _ in range(1000):  # 1000 个迭代周期，每步都清零梯度
    optimizer_momentum.zero_grad()
    criterion(model_momentum(x), y).backward()
    optimizer_momentum.step()

same_w = torch.equal(model_momentum.linear.weight, model_no_zero.linear.weight)
same_b = torch.equal(model_momentum.linear.bias, model_no_zero.linear.bias)
print("w 相同：", same_w, "；b 相同：", same_b)
assert same_w and same_b, "请先运行上面“不清零梯度”的训练单元格"
print("✅ 不清零梯度 = 动量系数为 1 的 SGD")

# %% [markdown]
# 所以损失在接近 0 和 40 出头之间振荡，10.7 和更新后的 0.10 都只是振荡中恰好碰上的点。换一个迭代周期数停下，得到的数会完全不同，这也说明原文的循环没有收敛（收敛指损失或参数稳定到某个值附近，下一课会细讲）。
#
# ## 8. 训练循环助手 `lessons.training.fit`
#
# 到这里，训练循环的每一行你都亲手写过了。后面的课程会反复训练模型，为了不每次都重复这几行，课程的辅助包提供了 `lessons.training.fit`。默认设置下（`batch_size=None`），它做的事情和第 6.4 节的循环完全一样。先看它的说明：

# %%
import inspect

from lessons import training
from lessons.training import fit

print(inspect.getdoc(training))
print()
print("fit 的参数：", ", ".join(inspect.signature(fit).parameters))
print(inspect.getdoc(fit))

# %% [markdown]
# 要点：
#
# - 每个迭代周期里，对每一批数据依次做 `zero_grad()` → 前向传播和计算损失 → `backward()` → `step()`；
# - `batch_size=None`（默认）时每一步用全部样本，和我们手写的循环一样；传入整数时改为**小批量**（mini-batch）训练：每一步只用一部分样本，下一课会详细介绍；
# - 返回每个迭代周期的平均损失，可以直接交给 `plotting.plot_losses` 画图。
#
# 用同样的种子、同样的模型和优化器调用它，结果应该和手写的循环相同：

# %%
torch.manual_seed(0)
model_fit = LinearRegression().to(env.device)
optimizer_fit = optim.SGD(model_fit.parameters(), lr=0.01)
history = fit(model_fit, x, y, nn.MSELoss(), optimizer_fit, epochs=1000)

w_fit = model_fit.linear.weight.item()
b_fit = model_fit.linear.bias.item()
print(f"fit：w = {w_fit:.3f}，b = {b_fit:.3f}，损失 = {history[-1]:.1e}")
assert abs(w_fit - w_fixed) < 1e-6 and abs(b_fit - b_fixed) < 1e-6
assert torch.allclose(torch.tensor(history), torch.tensor(losses))
print("✅ 与手写循环的参数和每个迭代周期的损失都相同")

# %% [markdown]
# 第 6.4 节说过 1000 个迭代周期还不够。从同样的初始参数出发，用 `fit` 训练 3000 个迭代周期，参数就和闭式解 $w = 2,\ b = 0$ 相差不到 $10^{-4}$ 了。
#
# 注意：`fit` 从模型**当前**的参数接着训练。如果把 `fit(model_fit, ...)` 再调用一次，它会在已经训练过的参数上再训练，迭代周期数就对不上了。所以下面在同一个单元格里重新设种子、重新创建模型和优化器，这个单元格运行几次，结果都一样。

# %%
torch.manual_seed(0)
model_long = LinearRegression().to(env.device)
optimizer_long = optim.SGD(model_long.parameters(), lr=0.01)
history_long = fit(model_long, x, y, nn.MSELoss(), optimizer_long, epochs=3000)

w_long = model_long.linear.weight.item()
b_long = model_long.linear.bias.item()
print(f"{len(history_long)} 个迭代周期：w = {w_long:.5f}，b = {b_long:.5f}")
assert len(history_long) == 3000
assert abs(w_long - w_doc) < 1e-4 and abs(b_long - b_doc) < 1e-4
print("✅ 梯度下降收敛到了闭式解")

# %% [markdown]
# 训练好的模型可以直接对没见过的输入做预测：把新的 $x$ 送进模型，得到的输出就是预测值。原文的数据里 $x$ 只到 5，下面预测 $x = 6$。输入的形状仍是 `(样本数, 1)`，这里是 `(1, 1)`。预测时不需要梯度，放在 `torch.no_grad()` 里，输出就不带计算图：

# %%
x_new = torch.tensor([[6.0]], device=env.device)  # 一个样本、一个特征
with torch.no_grad():  # 只做预测，不记录计算图
    y_new = model_long(x_new)
print(f"x = 6 的预测：{y_new.item():.4f}，形状 {tuple(y_new.shape)}，requires_grad = {y_new.requires_grad}")
assert abs(y_new.item() - 12.0) < 1e-3, "请从第 8 节训练 3000 个迭代周期的单元格开始重新运行"
assert y_new.shape == (1, 1) and not y_new.requires_grad
print("✅ 训练好的模型对新输入 x = 6 预测出约 12，与直线 y = 2x 一致")

# %% [markdown]
# ## 自测题
#
# 下面的题目点一下就能作答，并立即显示解析。在网站上不需要运行任何代码；在 JupyterLab 或 Colab 中，运行下面的单元格即可作答。

# %%
from lessons import quiz

quiz.show("04_linear_regression")

# %% [markdown]
# ## 练习
#
# 三道练习由易到难。把答案单元格中的 `None` 换成你的答案，运行后检查器会给出反馈。
#
# ### 练习 1
#
# 用原文的五个点（`x, y = data.document_line()`），计算直线 $w = 1.5,\ b = 0.5$ 的均方误差，把结果（一个数或只有一个元素的张量）赋给 `answer`。先在纸上算一遍，再用代码验证。

# %%
from lessons.exercises import linreg as ex

answer = None  # 把 None 换成你的答案
ex.check_1(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# x, y = data.document_line()
# answer = ((1.5 * x + 0.5 - y) ** 2).mean()
# ```
#
# 预测值是 2、3.5、5、6.5、8，误差是 0、-0.5、-1、-1.5、-2，平方和为 7.5，除以 5 得 1.5。
#
# </details>

# %% [markdown]
# ### 练习 2
#
# 写一个函数 `gd_step(w, b, x, y, lr)`，完成**一步**梯度下降：`w`、`b` 是 `requires_grad=True` 的标量张量；函数用均方误差算出损失，求梯度，原地更新 `w` 和 `b`，最后返回更新**之前**的损失（一个数，例如 `loss.item()`）。别忘了清零梯度：可以像第 5 节那样在更新之后清零，也可以像 `optimizer.zero_grad()` 那样在 `backward()` 之前清零。检查器会用自己的数据调用你的函数，第一次调用时 `w.grad` 还是 `None`，之后还会连续调用多次。

# %%
def gd_step(w, b, x, y, lr):
    return None  # 把这一行换成你的代码


ex.check_2(gd_step)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def gd_step(w, b, x, y, lr):
#     loss = ((w * x + b - y) ** 2).mean()
#     loss.backward()
#     with torch.no_grad():
#         w -= lr * w.grad
#         b -= lr * b.grad
#     w.grad.zero_()
#     b.grad.zero_()
#     return loss.item()
# ```
#
# 常见的错误：把更新写在 `torch.no_grad()` 外面（报错）；写成 `w = w - lr * w.grad`（只在函数里创建了新张量，传进来的 `w` 没变）；忘记清零梯度（第二步起就错了）；在 `backward()` 和更新之间清零（更新用的是清零后的梯度，`w`、`b` 不变）；在开头写 `w.grad.zero_()`（第一次调用时 `w.grad` 还是 `None`，会报错；在开头清零可以写 `w.grad = None`，或先判断 `if w.grad is not None:` 再 `w.grad.zero_()`）。
#
# </details>

# %% [markdown]
# ### 练习 3
#
# 下面的数据在直线 $y = -1.5x + 2$ 附近，加了噪声：
#
# ```python
# x3, y3 = data.noisy_line(n=80, w=-1.5, b=2.0, noise=0.3, seed=1)
# ```
#
# 用 `nn.Linear(1, 1)`、`nn.MSELoss()` 和 `optim.SGD` 训练一个模型（手写循环或用 `fit` 都可以），把学到的参数以元组 `(w, b)` 的形式赋给 `answer`（两个数；有两个元素的张量或数组也可以）。检查器会把它和闭式解比较，允许的误差是 0.01。提示：学习率和迭代周期数要自己选，可以参考第 6.5 节。

# %%
answer = None  # 把 None 换成你的答案，形如 (w, b)
ex.check_3(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# x3, y3 = data.noisy_line(n=80, w=-1.5, b=2.0, noise=0.3, seed=1)
# torch.manual_seed(0)
# model3 = nn.Linear(1, 1)
# optimizer3 = optim.SGD(model3.parameters(), lr=0.1)
# loss_fn = nn.MSELoss()
# for _ in range(200):
#     optimizer3.zero_grad()
#     loss = loss_fn(model3(x3), y3)
#     loss.backward()
#     optimizer3.step()
# answer = (model3.weight.item(), model3.bias.item())
# ```
#
# 结果约为 $w \approx -1.457$、$b \approx 2.030$。它和生成数据用的 $-1.5$、$2$ 略有不同，原因与第 4 节相同：最优直线由这 80 个带噪声的点决定。
#
# </details>

# %% [markdown]
# ## 小结
#
# - 线性回归的模型是 $\hat y = w x + b$（原文的 $\theta_1$ 即权重 `w`，$\theta_0$ 即偏置 `b`），用均方误差 $L = \frac{1}{n}\sum(\hat y_i - y_i)^2$ 衡量好坏；
# - 线性回归有闭式解：解正规方程 $X^\top X\boldsymbol\theta = X^\top\mathbf y$，或用 `torch.linalg.lstsq`；梯度下降得到的结果与它一致；
# - 手写梯度下降的一步：前向传播算损失 → `backward()` 求梯度 → 在 `torch.no_grad()` 中更新 → 清零梯度；用 `nn.Linear`、`nn.MSELoss`、`optim.SGD` 时对应 `zero_grad()`、`backward()`、`step()`；
# - 原文示例的三处错误：没有创建 `model`（`NameError`）；输入形状应为 `(5, 1)` 而不是 `(5,)`（目标 `y` 也一样，否则会被广播成 `(5, 5)`：不报错，只有一条警告）；循环中缺少 `zero_grad()`，梯度不断累加（相当于动量系数为 1 的动量），损失一直振荡、不会收敛；
# - 训练好的模型在 `torch.no_grad()` 中对新输入做预测，输入的形状是 `(样本数, 1)`；
# - `lessons.training.fit` 把这个训练循环包装起来，结果与手写的完全相同，后面的课程直接使用它；它从模型当前的参数接着训练，想从头训练就要重新创建模型和优化器。
