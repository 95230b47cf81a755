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
# # 梯度下降
#
# **导读**：上一课训练**线性回归**（linear regression）**模型**（model）时，`optimizer.step()` 替我们更新了参数。这一课把这一步拆开来看：**梯度下降**（gradient descent）只有一行公式，却是几乎所有神经网络训练的核心。我们先在一维的抛物线上一步一步算，再到二维，在损失函数的等高线图上看参数走过的路径；然后看学习率太小、合适、太大时分别会发生什么，比较批量、随机和小批量三种使用数据的方式，最后简单认识动量和 Adam 这两种改进。
#
# **学习目标**
#
# - 写出梯度下降的更新规则 $\theta \leftarrow \theta - \alpha \nabla_\theta J(\theta)$，能手算一步更新，并用自动求导实现它；
# - 理解学习率的作用：太小收敛慢，太大会发散；知道二次函数上学习率的稳定上限；
# - 能在等高线图上读懂参数的移动路径；
# - 区分批量梯度下降、随机梯度下降和小批量梯度下降，会用 `TensorDataset` 和 `DataLoader` 取小批量；
# - 知道动量和 Adam 是对基本更新规则的改进，会通过 `torch.optim` 使用它们。

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
from IPython.display import HTML
from matplotlib.animation import FuncAnimation
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lessons
from lessons.animation import external_urls, frame_count, to_offline_html
from lessons.data import noisy_line
from lessons.plotting import plot_contours_with_path, plot_losses
from lessons.training import fit

env = lessons.setup(seed=0)

# %% [markdown]
# ## 1. 更新规则：沿着负梯度走一小步
#
# **损失函数**（loss function）$J(\theta)$ 衡量**参数**（parameter）$\theta$ 有多“差”。**梯度**（gradient）$\nabla_\theta J(\theta)$ 指向 $J$ 增长最快的方向，那么朝它的反方向走一小步，$J$ 就会变小。反复这样做，就是梯度下降：
#
# $$
# \theta \leftarrow \theta - \alpha \nabla_\theta J(\theta)
# $$
#
# 其中 $\alpha > 0$ 是**学习率**（learning rate），决定每一步走多远。箭头的意思是“用右边算出的新值替换旧的 $\theta$”。写成带步数下标的形式更清楚：
#
# $$
# \theta_{k+1} = \theta_k - \alpha \nabla_\theta J(\theta_k), \qquad k = 0, 1, 2, \dots
# $$
#
# 原文把规则写成 $\theta = \theta - \alpha \cdot \nabla_{\theta}J(\theta)$。在程序里 `=` 是赋值，这样写没有问题；但若把它当作数学等式来读，它只在梯度为零时才成立。数学上应当用箭头或步数下标，表示这是一次“更新”。

# %% [markdown]
# ## 2. 一维的例子：$J(\theta) = (\theta - 3)^2$
#
# 先看只有一个参数的情形。$J(\theta) = (\theta - 3)^2$ 在 $\theta = 3$ 处最小，它的**导数**（derivative）是 $J'(\theta) = 2(\theta - 3)$。从 $\theta_0 = 0$ 出发、学习率 $\alpha = 0.1$，手算第一步：
#
# $$
# \theta_1 = \theta_0 - \alpha J'(\theta_0) = 0 - 0.1 \times 2 \times (0 - 3) = 0.6 .
# $$
#
# 下面让**自动求导**（autograd）来求导数，连续做 6 步，把每一步列成一张表。更新参数要放在 `torch.no_grad()` 里面：这一步只是改数值，不应记进**计算图**（computational graph）。

# %%
def J(theta):
    return (theta - 3) ** 2


theta = torch.tensor(0.0, requires_grad=True)
lr = 0.1
rows = []
for k in range(6):
    loss = J(theta)
    loss.backward()  # 求 dJ/dθ，结果存进 theta.grad
    rows.append((k, theta.item(), loss.item(), theta.grad.item()))
    with torch.no_grad():  # 更新参数，不记进计算图
        theta -= lr * theta.grad
    theta.grad.zero_()  # 清空梯度，否则下一步会累加上去

print(" k     θ_k   J(θ_k)  J'(θ_k)")
for k, t, j, g in rows:
    print(f"{k:2d} {t:7.4f} {j:8.4f} {g:8.4f}")

# %% [markdown]
# 注意三件事：
#
# - 第 1 行的 $\theta_1 = 0.6$ 和手算的一样；
# - $\theta$ 一步步靠近 3，损失一步步变小；
# - 学习率始终是 0.1，但每一步走的距离 $\alpha |J'(\theta_k)|$ 越来越短：离最低点越近，坡越平，梯度越小。
#
# 对这个函数，更新规则可以整理成 $\theta_{k+1} - 3 = (1 - 2\alpha)(\theta_k - 3)$：每一步把“离最低点的距离”乘以 $1 - 2\alpha = 0.8$。所以 $\theta_k = 3 - 3 \times 0.8^k$。验证一下：

# %%
for k, t, _, _ in rows:
    assert abs(t - (3 - 3 * 0.8**k)) < 1e-5, f"第 {k} 步的 θ 与公式不符"
assert abs(rows[1][1] - 0.6) < 1e-6
print("✅ 每一步的 θ 都等于 3 − 3 × 0.8^k，第一步是 0.6")

# %%
steps = torch.tensor([r[1] for r in rows])
grid = torch.linspace(-0.5, 4.5, 200)
fig, ax = plt.subplots()
ax.plot(grid, J(grid), color="C0", label="$J(\\theta) = (\\theta - 3)^2$")
ax.plot(steps, J(steps), "o-", color="C3", markersize=5, label="θ₀ 到 θ₅")
ax.set_title("一维梯度下降（α = 0.1）")
ax.set_xlabel("参数 θ")
ax.set_ylabel("损失 J(θ)")
ax.legend()
plt.show()

# %% [markdown]
# ### 常见错误：在计算图里更新参数
#
# 如果忘了 `torch.no_grad()`，直接用**原地操作**（in-place operation）修改一个需要梯度的**叶子节点**（leaf tensor），PyTorch 会报错：

# %%
theta = torch.tensor(0.0, requires_grad=True)
J(theta).backward()
try:
    theta -= lr * theta.grad  # 忘了 torch.no_grad()
except RuntimeError as err:
    print(f"RuntimeError: {str(err).splitlines()[0]}")

# %% [markdown]
# 另一种“绕过去”的写法 `theta = theta - lr * theta.grad` 不报错，但更糟：新的 `theta` 是由计算得到的张量，不再是叶子节点。反向传播时 PyTorch 只把梯度存进叶子节点的 `.grad`，所以下一步就拿不到它的梯度了。

# %%
new_theta = theta - lr * theta.grad
print("new_theta 是叶子节点吗？", new_theta.is_leaf)
assert not new_theta.is_leaf
print("✅ 改正的办法：把更新写在 with torch.no_grad(): 里，用原地操作 theta -= ...")

# %% [markdown]
# ## 3. 学习率：太小、合适、太大
#
# 上一节得到：在 $J(\theta) = (\theta - 3)^2$ 上，每一步把距离乘以 $1 - 2\alpha$。于是学习率决定了一切：
#
# | 学习率 | 因子 $1 - 2\alpha$ | 行为 |
# | --- | --- | --- |
# | $0 < \alpha < 0.5$ | 在 0 和 1 之间 | 从一侧单调地靠近 3；$\alpha$ 越小越慢 |
# | $\alpha = 0.5$ | 0 | 一步到位 |
# | $0.5 < \alpha < 1$ | 在 −1 和 0 之间 | 在 3 的两侧来回跳，但越跳越近，仍然**收敛**（convergence） |
# | $\alpha > 1$ | 小于 −1 | 越跳越远，**发散**（divergence） |
#
# 一般地，二次函数的**二阶导数**（second derivative）$J''$ 是常数，每一步的因子是 $1 - \alpha J''$，所以梯度下降收敛的条件是 $0 < \alpha < 2 / J''$。这里 $J'' = 2$，上限就是 1。
#
# 下面用三个学习率各走 20 步。

# %%
def gradient_descent_1d(lr, steps=20, theta0=0.0):
    """在 J(θ) = (θ − 3)² 上做 steps 步梯度下降，返回每一步的 θ（共 steps + 1 个）。"""
    theta = torch.tensor(theta0, requires_grad=True)
    path = [theta.item()]
    for _ in range(steps):
        J(theta).backward()
        with torch.no_grad():
            theta -= lr * theta.grad
        theta.grad.zero_()
        path.append(theta.item())
    return torch.tensor(path)


learning_rates = {"太小": 0.01, "合适": 0.3, "太大": 1.05}
paths_1d = {name: gradient_descent_1d(a) for name, a in learning_rates.items()}
for name, path in paths_1d.items():
    print(f"{name}（α = {learning_rates[name]}）：20 步后 θ = {path[-1].item():.3f}，"
          f"J(θ) = {J(path[-1]).item():.3f}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(9, 3.2))
for ax, (name, path) in zip(axes, paths_1d.items()):
    low, high = min(path.min().item(), -0.5), max(path.max().item(), 6.5)
    grid = torch.linspace(low, high, 200)
    ax.plot(grid, J(grid), color="C0")
    ax.plot(path, J(path), "o-", color="C3", markersize=3, linewidth=1)
    ax.set_title(f"{name}：α = {learning_rates[name]}")
    ax.set_xlabel("参数 θ")
axes[0].set_ylabel("损失 J(θ)")
fig.tight_layout()
plt.show()

# %% [markdown]
# - **太小**（$\alpha = 0.01$）：方向对，但每步只把距离乘以 0.98，20 步后离 3 还差 2 左右；
# - **合适**（$\alpha = 0.3$）：因子 0.4，20 步后误差小于 $10^{-3}$；
# - **太大**（$\alpha = 1.05$）：因子 −1.1，$\theta$ 在两侧来回跳，每跳一次离得更远，损失每一步都在变大。

# %%
small, good, large = paths_1d["太小"], paths_1d["合适"], paths_1d["太大"]
assert abs(small[-1] - 3) > 1, "学习率太小时，20 步后应该还离最低点很远"
assert abs(good[-1] - 3) < 1e-3, "学习率合适时，20 步后应该已经收敛"
losses_large = J(large)
assert (losses_large[1:] > losses_large[:-1]).all(), "学习率太大时，损失应该每一步都变大"
assert abs(large[-1] - 3) > 10
print("✅ 太小：还差得远；合适：已收敛；太大：损失每步都在变大（发散）")

# %% [markdown]
# 表中第三行说 $0.5 < \alpha < 1$ 时会来回跳但仍然收敛，用 $\alpha = 0.9$ 验证：距离的符号每步翻转，绝对值每步变小。

# %%
error = gradient_descent_1d(0.9) - 3
signs_flip = (error[1:] * error[:-1] < 0).all()
shrinking = (error[1:].abs() < error[:-1].abs()).all()
print("每一步都跳到另一侧：", signs_flip.item(), "；距离每一步都在缩小：", shrinking.item())
assert signs_flip and shrinking
print("✅ α = 0.9：来回跳，但在收敛")

# %% [markdown]
# 真实的模型没有这么简单的公式，$J''$ 也不是常数。实践中的做法是试几个数量级不同的学习率（如 0.001、0.01、0.1），看损失曲线：几乎不下降说明太小，变大或出现 `nan` 说明太大。

# %% [markdown]
# ## 4. 二维：线性回归的损失曲面
#
# 参数多于一个时，梯度是由各个**偏导数**（partial derivative）组成的向量，每个参数都沿着自己的偏导数的反方向更新，而且是**同时**更新（都用更新前的值算梯度）。
#
# 用 `lessons.data.noisy_line` 生成 100 个点，它们来自直线 $y = 2x + 1$ 再加上噪声。模型是 $\hat y = w x + b$，其中 $w$ 是**权重**（weight），$b$ 是**偏置**（bias），损失是**均方误差**（mean squared error, MSE）：
#
# $$
# J(w, b) = \frac{1}{n} \sum_{i=1}^{n} (w x_i + b - y_i)^2 .
# $$
#
# 对这个问题，最优参数有现成的公式（上一课的**闭式解**（closed-form solution）），我们用它作为“标准答案”：$w^* = \dfrac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2}$，$b^* = \bar y - w^* \bar x$。

# %%
x, y = noisy_line(n=100, seed=0)
x, y = x.to(env.device), y.to(env.device)

x_mean, y_mean = x.mean(), y.mean()
w_best = (((x - x_mean) * (y - y_mean)).sum() / ((x - x_mean) ** 2).sum()).item()
b_best = (y_mean - w_best * x_mean).item()
print(f"闭式解：w* = {w_best:.4f}，b* = {b_best:.4f}")

# %% [markdown]
# 从 $(w, b) = (-1, -2)$ 出发，学习率 0.15，做 20 步梯度下降，记下每一步的 $(w, b)$：

# %%
w = torch.tensor(-1.0, device=env.device, requires_grad=True)
b = torch.tensor(-2.0, device=env.device, requires_grad=True)
lr = 0.15
path_2d = [(w.item(), b.item())]
losses_2d = []
for _ in range(20):
    loss = ((w * x + b - y) ** 2).mean()
    losses_2d.append(loss.item())
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad  # 两个参数用的都是更新前算出的梯度
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    path_2d.append((w.item(), b.item()))
path_2d = torch.tensor(path_2d)
print(f"20 步后：w = {w.item():.4f}，b = {b.item():.4f}")

# %%
distance = ((w.item() - w_best) ** 2 + (b.item() - b_best) ** 2) ** 0.5
assert distance < 1e-2, f"20 步后离闭式解还有 {distance:.4f}"
print("✅ 20 步后 (w, b) 与闭式解的距离小于 0.01")

# %% [markdown]
# 把路径画在损失函数的**等高线图**（contour plot）上（左图）。同一条等高线上的损失相同；越往里，损失越小；星号是闭式解。右图是每一步的损失，灰色虚线是闭式解的损失。这里每一步都用了全部数据，所以一步就是一个**迭代周期**（epoch），即把全部数据用过一遍。`surface` 函数一次算出网格上每个 $(w, b)$ 的损失：`w[..., None]` 在最后加一维，借助**广播**（broadcasting）与 100 个样本逐一相乘，再对样本求平均。

# %%
x_cpu, y_cpu = x.cpu().reshape(-1), y.cpu().reshape(-1)


def surface(w, b):
    """网格上每一点 (w, b) 的均方误差；w、b 形状相同，返回的形状也相同。"""
    return ((w[..., None] * x_cpu + b[..., None] - y_cpu) ** 2).mean(dim=-1)


best_loss = ((w_best * x + b_best - y) ** 2).mean().item()

fig, (ax, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.4))
plot_contours_with_path(surface, path_2d, xlim=(-1.5, 4), ylim=(-2.5, 3.5), ax=ax,
                        title="梯度下降的路径（α = 0.15）")
ax.plot(w_best, b_best, "*", color="gold", markersize=14, markeredgecolor="k", label="闭式解")
ax.set_xlabel("权重 w")
ax.set_ylabel("偏置 b")
ax.set_aspect("equal")  # 两个坐标轴的单位长度相同，椭圆才不会被拉成圆
ax.legend(loc="lower right", fontsize=8)
plot_losses(losses_2d, ax=ax_loss, title="每一步的损失", log_scale=True)
ax_loss.axhline(best_loss, color="gray", linestyle="--", linewidth=1)
fig.tight_layout()
plt.show()

# %% [markdown]
# 路径不是一条直线：第一步主要沿 $w$ 方向移动，$w$ 很快到位，之后 $b$ 才慢慢跟上。原因是两个方向的“陡峭程度”不同：$J$ 对 $w$ 的二阶偏导数是 $2\,\overline{x^2}$，对 $b$ 的是 2。数据的 $x$ 分布在 $[-3, 3]$ 上，$\overline{x^2} \approx 3$，所以 $w$ 方向陡了约 3 倍，等高线是扁的椭圆。验证一下：

# %%
curv_w = 2 * (x**2).mean().item()
curv_b = 2.0
print(f"w 方向的二阶偏导数 ≈ {curv_w:.2f}，b 方向 = {curv_b:.0f}")
w3, b3 = path_2d[3]
print(f"第 3 步：|w − w*| = {abs(w3 - w_best):.4f}，|b − b*| = {abs(b3 - b_best):.4f}")
assert curv_w > 2.5 * curv_b
assert abs(w3 - w_best) < 0.1 and abs(b3 - b_best) > 0.5
print("✅ w 方向更陡，3 步后 w 已经到位，b 还差得远")

# %% [markdown]
# ### `torch.optim.SGD` 做的是同一件事
#
# 上一课用的**优化器**（optimizer）`torch.optim.SGD` 执行的就是这条更新规则。用 `nn.Linear(1, 1)` 从同一个起点出发、同样的学习率，它走出的路径和我们手写的完全一样：

# %%
model = nn.Linear(1, 1).to(env.device)
with torch.no_grad():
    model.weight.fill_(-1.0)
    model.bias.fill_(-2.0)
optimizer = torch.optim.SGD(model.parameters(), lr=0.15)
loss_fn = nn.MSELoss()

path_optim = [(model.weight.item(), model.bias.item())]
for _ in range(20):
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    optimizer.step()
    path_optim.append((model.weight.item(), model.bias.item()))
path_optim = torch.tensor(path_optim)

same = torch.allclose(path_optim, path_2d, atol=1e-5)
print("两条路径相同：", same)
assert same
print("✅ optimizer.step() 就是 θ ← θ − α∇J(θ)")

# %% [markdown]
# ### 动画：看参数一步步走向最低点
#
# 下面把同一条路径做成动画。点 ▶ 播放，也可以拖动滑块或用 |◀、▶| 逐步查看。
#
# 做法是 matplotlib 的 `FuncAnimation(fig, update, frames=...)`：它对每一帧调用一次 `update(i)`，我们在里面把路径画到第 `i` 步。`lessons.animation.to_offline_html` 再调用 `to_jshtml()`，把每一帧存成图片，连同一个小小的 JavaScript 播放器写进 HTML。这样网页上不需要运行 Python 也能播放。`to_jshtml()` 生成的 HTML 原本会从外部网站加载按钮图标，`to_offline_html` 把它换成了普通字符，不需要联网。
#
# 为了让网页轻一些，动画用小图（5×3.2 英寸、70 dpi），帧数也少（起点加 20 步，共 21 帧）。最后 `plt.close(fig)` 关掉这张图，免得它的最后一帧又作为静态图显示一次。

# %%
fig, ax = plt.subplots(figsize=(5, 3.2))
gw, gb = torch.meshgrid(torch.linspace(-1.5, 4, 60), torch.linspace(-2.5, 3.5, 60), indexing="xy")
gz = surface(gw, gb)
ax.contourf(gw, gb, gz, levels=12, cmap="Blues_r", vmin=gz.min() - 0.5 * (gz.max() - gz.min()))
ax.plot(w_best, b_best, "*", color="gold", markersize=12, markeredgecolor="k")
(line,) = ax.plot([], [], "o-", color="C3", markersize=3, linewidth=1.2)
ax.set_xlabel("权重 w")
ax.set_ylabel("偏置 b")
ax.grid(False)
ax.locator_params(nbins=4)  # 刻度少一些，每一帧画得更快
ax.set_title("第 0 步")  # 先放一个标题，让 tight_layout 给它留出位置
fig.tight_layout()


def update(i):
    """第 i 帧：画出从起点到第 i 步的路径。"""
    line.set_data(path_2d[: i + 1, 0], path_2d[: i + 1, 1])
    w_i, b_i = path_2d[i]
    ax.set_title(f"第 {i} 步：J = {surface(w_i, b_i).item():.3f}")
    return (line,)


anim = FuncAnimation(fig, update, frames=len(path_2d), interval=300)
html = to_offline_html(anim, dpi=70, default_mode="once")
plt.close(fig)

# %%
# NBVAL_IGNORE_OUTPUT
HTML(html)

# %% [markdown]
# 播放器的 HTML 里有随机生成的编号，每次运行都不同；下面检查它的内容：帧数、大小，以及没有指向其他网站的链接。

# %%
n_frames = frame_count(html)
size_kb = len(html.encode("utf-8")) / 1024
print("帧数：", n_frames)
print("小于 500 KB：", size_kb < 500)
print("外部网址：", external_urls(html))
assert n_frames == len(path_2d) == 21
assert size_kb < 500, f"动画有 {size_kb:.0f} KB，太大了"
assert "http://" not in html and "https://" not in html and not external_urls(html)
print("✅ 21 帧，小于 500 KB，不需要访问其他网站")

# %% [markdown]
# ## 5. 批量、随机与小批量梯度下降
#
# 均方误差是每个样本的损失的平均，所以它的梯度也是每个样本的梯度的平均。每走一步要用多少样本来估计这个梯度？有三种做法：
#
# | 名称 | 每次更新使用的样本 | 一个迭代周期内的更新次数 | 梯度 |
# | --- | --- | --- | --- |
# | **批量梯度下降**（batch gradient descent） | 全部 $n$ 个 | 1 | 精确 |
# | **随机梯度下降**（stochastic gradient descent, SGD） | 随机的 1 个 | $n$ | 噪声很大 |
# | **小批量**（mini-batch）梯度下降 | 随机的 $B$ 个 | $\lceil n / B \rceil$ | 有噪声，$B$ 越大越小 |
#
# $B$ 叫**批量大小**（batch size）。深度学习里说 “SGD” 时，通常指的就是小批量梯度下降。
#
# 要注意：`torch.optim.SGD` 只负责执行 $\theta \leftarrow \theta - \alpha g$，它并不知道梯度 $g$ 是用多少样本算出来的。是批量、随机还是小批量，取决于你每一步喂给模型多少数据。原文的线性回归例子用的是 `optim.SGD`，但每一步都把全部 5 个样本送进模型，所以实际上是批量梯度下降，名字里的“随机”并没有发生。（那段代码还缺少 `optimizer.zero_grad()` 并且没有创建 `model`，上一课已经改正过。）
#
# 取小批量用的是**数据加载器**（data loader）`DataLoader`：`TensorDataset` 把 `x` 和 `y` 按样本配对，`DataLoader` 每次取出 `batch_size` 个。`shuffle=True` 让每个迭代周期都打乱顺序；传入一个设好种子的 `generator`，打乱的顺序就可以复现。

# %%
dataset = TensorDataset(x, y)
loader = DataLoader(dataset, batch_size=10, shuffle=True,
                    generator=torch.Generator().manual_seed(0))
xb, yb = next(iter(loader))
print("样本数：", len(dataset))
print("每个迭代周期的小批量个数：", len(loader))
print("一个小批量的形状：", tuple(xb.shape), tuple(yb.shape))

# %% [markdown]
# 下面用三种批量大小训练同一个模型，学习率都是 0.05，都做 100 次参数更新。为了公平比较，每次更新之后都在**全部**数据上计算一次损失。

# %%
def train_updates(batch_size, updates=100, lr=0.05):
    """从 (w, b) = (-1, -2) 出发，每步用 batch_size 个样本，做 updates 次更新。

    返回每次更新之后在全部数据上的损失。
    """
    model = nn.Linear(1, 1).to(env.device)
    with torch.no_grad():
        model.weight.fill_(-1.0)
        model.bias.fill_(-2.0)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    history = []
    while len(history) < updates:  # 一个迭代周期不够时，再来一个
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            with torch.no_grad():
                history.append(loss_fn(model(x), y).item())
            if len(history) == updates:
                break
    return torch.tensor(history)


curves = {
    "批量（B = 100）": train_updates(100),
    "小批量（B = 10）": train_updates(10),
    "随机（B = 1）": train_updates(1),
}

ax = plot_losses(curves, title="三种梯度下降的损失曲线（学习率 0.05）", log_scale=True)
ax.axhline(best_loss, color="gray", linestyle="--", linewidth=1)
ax.set_xlabel("参数更新次数")
plt.show()

# %% [markdown]
# 灰色虚线是最小可能的损失（闭式解的损失）。批量梯度下降的曲线是光滑的，每一步都在下降；随机梯度下降的曲线抖得最厉害，到了最低点附近也停不下来，一直在附近徘徊；小批量介于两者之间。用最后 50 次更新中“相邻两次损失之差的绝对值”的平均来衡量抖动：

# %%
def wiggle(losses):
    """最后 50 次更新中，相邻两次损失之差的绝对值的平均。"""
    return losses[-50:].diff().abs().mean().item()


def fmt(value):
    """保留两位有效数字；太小的数只说它小于 0.0001。"""
    return f"{value:.2g}" if value >= 1e-4 else "< 0.0001"


noise = {name: wiggle(c) for name, c in curves.items()}
for name, value in noise.items():
    print(f"{name}：抖动 {fmt(value)}")

batch, mini, sgd = curves.values()
assert (batch.diff() <= 1e-6).all(), "批量梯度下降的损失应该每一步都不增加"
assert noise["随机（B = 1）"] > noise["小批量（B = 10）"] > 10 * noise["批量（B = 100）"]
assert sgd[-50:].max() - sgd[-50:].min() > 0.05 and batch[-50:].max() - batch[-50:].min() < 1e-3
print("✅ 批量：每步下降、几乎不抖；小批量抖一些；随机抖得最厉害，停在最低点附近徘徊")

# %% [markdown]
# 为什么还要用小批量？换个角度，按**迭代周期**来数。一个迭代周期里每个样本都恰好用一次，计算量相同；但批量梯度下降只更新 1 次，小批量（B = 10）更新 10 次，随机梯度下降更新 100 次。在大数据集上，多走几步带噪声的小步，比走一步精确的大步进展快得多。而小批量又能利用 GPU 的并行计算，一次处理 $B$ 个样本并不比处理 1 个慢多少。
#
# 上一课介绍的 `lessons.training.fit` 就是一个小批量训练循环，它返回每个迭代周期的平均损失。各训练 3 个迭代周期：

# %%
results = {}
for name, batch_size in [("批量", None), ("小批量", 10), ("随机", 1)]:
    model = nn.Linear(1, 1).to(env.device)
    with torch.no_grad():
        model.weight.fill_(-1.0)
        model.bias.fill_(-2.0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    history = fit(model, x, y, loss_fn, optimizer, epochs=3, batch_size=batch_size)
    results[name] = history[-1]
print("\n".join(f"{name}：第 3 个迭代周期的平均损失 {v:.3f}" for name, v in results.items()))

assert results["批量"] > 10 * results["小批量"] and results["批量"] > 10 * results["随机"]
print("✅ 同样 3 个迭代周期，批量梯度下降的损失仍是另外两种的 10 倍以上")

# %% [markdown]
# ## 6. 动量与 Adam
#
# 第 4 节的等高线是稍扁的椭圆。椭圆越扁，梯度下降越吃力：学习率受最陡方向的限制（必须小于 $2 / J''_{\max}$，否则在那个方向发散），而在平缓的方向上，这么小的学习率走得很慢。
#
# 用一个很扁的二次函数来看：
#
# $$
# J(\theta) = \tfrac{1}{2}\left(\theta_1^2 + 50\,\theta_2^2\right),
# $$
#
# 两个方向的二阶偏导数分别是 1 和 50。最低点在原点，学习率必须小于 $2/50 = 0.04$。
#
# **动量**（momentum）给参数加上“惯性”：用一个速度 $v$ 累积历次的梯度，再沿 $v$ 更新。`torch.optim.SGD(..., momentum=β)` 的做法是（$v$ 从 0 开始）：
#
# $$
# v \leftarrow \beta v + \nabla_\theta J(\theta), \qquad \theta \leftarrow \theta - \alpha v .
# $$
#
# 其中 $\beta$ 是**动量系数**（momentum coefficient），常取 0.9。在平缓的方向上，每一步的梯度方向都相同，$v$ 越积越大，步子越走越快。代价是带着惯性容易冲过头，路径要绕几圈才停下来。
#
# **Adam**（`torch.optim.Adam`）对每个参数分别记录梯度的滑动平均和梯度平方的滑动平均，用后者的平方根去除前者。这样每个参数的步长都大约是 $\alpha$，与梯度的大小无关，陡的方向和平缓的方向自动被“拉平”。因此 Adam 的学习率和 SGD 的学习率含义不同，不能直接比较大小。
#
# 下面从 $(-4, 1.5)$ 出发，记录到最低点的距离第一次小于 $10^{-3}$ 时用了多少步。梯度下降和动量用同一个学习率 0.035，它接近上限 0.04；动量系数取 0.9。

# %%
scales = torch.tensor([1.0, 50.0], device=env.device)


def elongated(theta):
    """扁的二次函数 J(θ) = (θ₁² + 50 θ₂²) / 2。"""
    return 0.5 * (scales * theta**2).sum()


def run_optimizer(make_optimizer, max_steps=500, tol=1e-3):
    """从 (-4, 1.5) 出发优化 elongated，直到离最低点的距离小于 tol；返回路径（形状 (k+1, 2)）。"""
    theta = torch.tensor([-4.0, 1.5], device=env.device, requires_grad=True)
    optimizer = make_optimizer([theta])
    path = [theta.detach().cpu().clone()]
    for _ in range(max_steps):
        if theta.detach().norm() < tol:
            break
        optimizer.zero_grad()
        elongated(theta).backward()
        optimizer.step()
        path.append(theta.detach().cpu().clone())
    return torch.stack(path)


optimizers = {
    "梯度下降（α = 0.035）": lambda params: torch.optim.SGD(params, lr=0.035),
    "动量（α = 0.035，β = 0.9）": lambda params: torch.optim.SGD(params, lr=0.035, momentum=0.9),
    "Adam（α = 0.1）": lambda params: torch.optim.Adam(params, lr=0.1),
}
paths_opt = {name: run_optimizer(make) for name, make in optimizers.items()}
steps_needed = {name: len(p) - 1 for name, p in paths_opt.items()}
for name, n in steps_needed.items():
    print(f"{name}：{n} 步")

# %%
gd_steps, momentum_steps, adam_steps = steps_needed.values()
assert all(p[-1].norm() < 1e-3 for p in paths_opt.values()), "三种方法都应在 500 步内到达"
assert momentum_steps < gd_steps, "同样的学习率，加上动量应该更快"
assert adam_steps < gd_steps
print("✅ 动量和 Adam 需要的步数都比梯度下降少")

# %%
fig, axes = plt.subplots(1, 3, figsize=(9, 3.2))
for ax, (name, path) in zip(axes, paths_opt.items()):
    plot_contours_with_path(lambda a, b: 0.5 * (a**2 + 50 * b**2), path, xlim=(-4.5, 2.5),
                            ylim=(-2, 2), ax=ax, title=name, levels=12)
    ax.set_xlabel("$\\theta_1$")
    ax.legend().remove()
axes[0].set_ylabel("$\\theta_2$")
fig.tight_layout()
plt.show()

# %% [markdown]
# 左图：梯度下降在陡的 $\theta_2$ 方向上来回跳了几下，之后沿平缓的 $\theta_1$ 方向一点点挪，点挤成一片。中图：动量越走越快，冲过了头（$\theta_1$ 跑到了 0 的右边）又折回来，绕几圈后停在原点。右图：Adam 每一步在两个方向上的步长差不多，先沿对角线走，再转向原点。

# %%
gd_path, momentum_path, adam_path = paths_opt.values()
zigzag = (gd_path[1:6, 1] * gd_path[:5, 1] < 0).all()
overshoot = momentum_path[:, 0].max() > 0.5
first_step = adam_path[1] - adam_path[0]
print("梯度下降前 5 步在 θ₂ 方向来回跳：", zigzag.item())
print("动量让 θ₁ 冲过了 0：", overshoot.item())
print("Adam 第一步在两个方向上各走了", [round(v, 3) for v in first_step.tolist()])
assert zigzag and overshoot
assert torch.allclose(first_step.abs(), torch.tensor([0.1, 0.1]), atol=1e-3)
print("✅ 之字形、冲过头、两个方向步长相同（都约等于学习率 0.1）")

# %% [markdown]
# 动量系数 $\beta$ 和学习率要一起调：可以把上面的 `momentum=0.9` 改成 0.7 或 0.8，看看步数怎么变。
#
# 别忘了最陡方向对学习率的限制：把梯度下降的学习率调到 0.041（刚过 $2/50$），$\theta_2$ 方向就发散了。

# %%
too_fast = run_optimizer(lambda params: torch.optim.SGD(params, lr=0.041), max_steps=100)
print(f"α = 0.041，100 步后 |θ₂| = {too_fast[-1, 1].abs().item():.2f}（起点是 1.5）")
assert too_fast[-1, 1].abs() > 1.5
print("✅ 学习率超过 2/50，陡的方向发散")

# %% [markdown]
# 这里的比较只针对这一个问题和这几组**超参数**（hyperparameter），即学习率、动量系数这类由我们事先选定、不参与训练的数。哪种优化器更好，要看具体的模型和数据；Adam 常被当作默认的起点，但它并不总是最好的。

# %% [markdown]
# ## 练习
#
# ### 练习 1
#
# 设 $J(\theta) = \theta^4 / 4$，当前 $\theta = 2$，学习率 $\alpha = 0.1$。手算一步梯度下降之后的 $\theta$，把结果（一个数）赋给 `answer`。

# %%
from lessons.exercises import gradient_descent as ex

answer = None  # 把 None 换成你的答案
ex.check_1(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# # J'(θ) = θ³，J'(2) = 8；θ ← 2 − 0.1 × 8 = 1.2
# answer = 2 - 0.1 * 2**3
# ```
#
# </details>
#
# ### 练习 2
#
# 一个数据集有 1000 个样本，用 `DataLoader(dataset, batch_size=64, shuffle=True)` 训练 3 个迭代周期，一共会做多少次参数更新？把这个整数赋给 `answer`。（可以用 `len(loader)` 验证。）

# %%
answer = None  # 把 None 换成你的答案
ex.check_2(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# # 1000 / 64 = 15.625：15 个满的小批量，外加一个 40 个样本的小批量，每个周期 16 次更新
# import math
#
# answer = 3 * math.ceil(1000 / 64)
# ```
#
# </details>
#
# ### 练习 3
#
# 对 $J(\theta) = 5(\theta - 1)^2 + 3$ 做梯度下降。学习率必须小于某个临界值 $\alpha_{\max}$，梯度下降才能从任意起点收敛。求 $\alpha_{\max}$，赋给 `answer`。
#
# 提示：可以用第 3 节的推导，也可以写代码试验（例如对学习率做二分查找）。

# %%
answer = None  # 把 None 换成你的答案
ex.check_3(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# # J'(θ) = 10(θ − 1)，J'' = 10；每一步 θ − 1 乘以 1 − 10α，收敛要求 |1 − 10α| < 1，即 0 < α < 0.2
# answer = 2 / 10
# ```
#
# </details>
#
# ### 练习 4
#
# 实现带动量的梯度下降。函数 `gd_momentum(grad_fn, theta0, lr, beta, steps)` 从 `theta0` 出发做 `steps` 步，返回最后的 $\theta$（张量）。`grad_fn(theta)` 返回 $J$ 在 `theta` 处的梯度。使用与 `torch.optim.SGD(..., momentum=beta)` 相同的约定：$v$ 从 0 开始，$v \leftarrow \beta v + \nabla J(\theta)$，$\theta \leftarrow \theta - \alpha v$。注意不要修改传入的 `theta0`。
#
# 检查器会在几个二次函数上比较你的结果和 `torch.optim.SGD` 的结果。

# %%
def gd_momentum(grad_fn, theta0, lr, beta, steps):
    """从 theta0 出发做 steps 步带动量的梯度下降，返回最后的 θ。"""
    return None  # 把这一行换成你的实现


ex.check_4(gd_momentum)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def gd_momentum(grad_fn, theta0, lr, beta, steps):
#     """从 theta0 出发做 steps 步带动量的梯度下降，返回最后的 θ。"""
#     theta = theta0.clone()           # 复制一份，不改动传入的 theta0
#     v = torch.zeros_like(theta)
#     for _ in range(steps):
#         v = beta * v + grad_fn(theta)
#         theta = theta - lr * v
#     return theta
# ```
#
# 另一种常见写法是 $v \leftarrow \beta v - \alpha \nabla J(\theta)$，$\theta \leftarrow \theta + v$：学习率不变时，它与上面的写法得到完全相同的 $\theta$，只是 $v$ 差一个因子 $-\alpha$。
#
# </details>

# %% [markdown]
# ## 小结
#
# - 梯度下降的更新规则是 $\theta \leftarrow \theta - \alpha \nabla_\theta J(\theta)$：沿负梯度方向走一小步；用自动求导求梯度，在 `torch.no_grad()` 里原地更新参数，每步之后清空梯度；
# - 学习率太小收敛慢，太大则发散；在二次函数上，收敛需要 $0 < \alpha < 2 / J''$，多个方向时由最陡的方向决定上限；
# - 在等高线图上，参数的路径显示了各方向陡峭程度的差异：陡的方向很快到位，平缓的方向走得慢；
# - 批量梯度下降的梯度精确、曲线光滑，但每个迭代周期只更新一次；随机和小批量梯度下降更新得更频繁，代价是损失曲线有噪声；`torch.optim.SGD` 本身不决定用多少样本，`DataLoader` 的 `batch_size` 才决定；
# - 动量让参数带上惯性，Adam 按参数调整步长，两者在扁的损失曲面上都比普通梯度下降快，通过 `torch.optim` 一行即可换用。
