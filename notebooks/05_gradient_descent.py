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
# # 梯度下降
#
# **导读**：上一课训练线性回归模型时，`optimizer.step()` 替我们更新了参数。这一课把这一步拆开来看：梯度下降只有一行公式，却是几乎所有神经网络训练的核心。我们先在一维的抛物线上一步一步算，再到二维，在损失函数的**等高线图**（contour plot）上看参数走过的路径；然后看学习率太小、合适、太大时分别会发生什么，并用**海森矩阵**（Hessian matrix）算出学习率的上限，解释上一课的训练为什么 1000 个迭代周期后还差一点。接着比较批量、随机和小批量三种使用数据的方式，看看**随机梯度下降**（stochastic gradient descent, SGD）为什么要让学习率逐渐变小；最后写出动量法和 Adam 在 PyTorch 中的准确公式。
#
# **学习目标**
#
# - 写出梯度下降的更新规则 $\theta \leftarrow \theta - \alpha \nabla_\theta J(\theta)$，能手算一步更新，并用自动求导实现它；
# - 理解学习率的作用：太小收敛慢，太大会发散；会用海森矩阵的最大特征值算出二次损失上学习率的稳定上限 $2/\lambda_{\max}$，知道学习率不太大时最小特征值决定收敛的快慢；
# - 能在等高线图上读懂参数的移动路径；
# - 区分批量梯度下降、随机梯度下降和小批量梯度下降，会用 `TensorDataset` 和 `DataLoader` 取小批量，会用 `torch.optim.lr_scheduler` 让学习率逐渐变小；
# - 写出 PyTorch 中动量法和 Adam（含偏差修正）的更新公式，会通过 `torch.optim` 使用它们。

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
import warnings

import matplotlib.pyplot as plt
import torch
from IPython.display import HTML
from matplotlib.animation import FuncAnimation
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lessons
from lessons.animation import to_offline_html
from lessons.checking import expect_error
from lessons.data import document_line, noisy_line
from lessons.plotting import plot_contours_with_path, plot_losses
from lessons.training import fit

env = lessons.setup(seed=0)

# %% [markdown]
# ## 1. 更新规则：沿着负梯度走一小步
#
# 损失函数 $J(\theta)$ 衡量参数 $\theta$ 有多“差”。梯度 $\nabla_\theta J(\theta)$ 指向 $J$ 增长最快的方向，那么朝它的反方向走一小步，$J$ 就会变小（前提是梯度不为 0，而且这一步足够小）。反复这样做，就是梯度下降：
#
# $$
# \theta \leftarrow \theta - \alpha \nabla_\theta J(\theta)
# $$
#
# 其中 $\alpha > 0$ 是学习率，决定每一步走多远：这一步移动的距离是 $\alpha$ 乘以梯度的长度。箭头的意思是“用右边算出的新值替换旧的 $\theta$”。写成带步数下标的形式更清楚：
#
# $$
# \theta_{k+1} = \theta_k - \alpha \nabla_\theta J(\theta_k), \qquad k = 0, 1, 2, \dots
# $$
#
# 原文把规则写成 $\theta = \theta - \alpha \cdot \nabla_{\theta}J(\theta)$。在程序里 `=` 是赋值，这样写没有问题；但若把它当作数学等式来读，它只在梯度为零时才成立。数学上应当用箭头或步数下标，表示这是一次“更新”。

# %% [markdown]
# ## 2. 一维的例子：$J(\theta) = (\theta - 3)^2$
#
# 先看只有一个参数的情形。$J(\theta) = (\theta - 3)^2$ 在 $\theta = 3$ 处最小，它的导数是 $J'(\theta) = 2(\theta - 3)$。从 $\theta_0 = 0$ 出发、学习率 $\alpha = 0.1$，手算第一步：
#
# $$
# \theta_1 = \theta_0 - \alpha J'(\theta_0) = 0 - 0.1 \times 2 \times (0 - 3) = 0.6 .
# $$
#
# 下面让自动求导来求导数，连续做 6 步，把每一步列成一张表。更新参数要放在 `torch.no_grad()` 里面：这一步只是改数值，不应记进计算图。

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
    theta.grad.zero_()  # 清零梯度，否则下一步会累加上去

print(" k     θ_k   J(θ_k)  J'(θ_k)")
for k, t, j, g in rows:
    print(f"{k:2d} {t:7.4f} {j:8.4f} {g:8.4f}")

# %% [markdown]
# 注意三件事：
#
# - $k = 1$ 那一行的 $\theta_1 = 0.6$ 和手算的一样；
# - $\theta$ 一步步靠近 3，损失一步步变小；
# - 学习率始终是 0.1，但每一步走的距离 $\alpha |J'(\theta_k)|$ 越来越短：离最低点越近，坡越平，梯度越小。
#
# 对这个函数，更新规则可以整理成 $\theta_{k+1} - 3 = (1 - 2\alpha)(\theta_k - 3)$：每一步把“离最低点的距离”乘以 $1 - 2\alpha = 0.8$。所以 $\theta_k = 3 - 3 \times 0.8^k$。验证一下：

# %%
for k, t, _, _ in rows:
    assert abs(t - (3 - 3 * 0.8**k)) < 1e-5, f"第 {k} 步的 θ 与公式不符"
assert abs(rows[1][1] - 0.6) < 1e-6
print("✅ 每一步的 θ 都等于 3 − 3 × 0.8^k，第一步是 0.6")

# %% mystnb={"image": {"alt": "损失 J(θ) = (θ − 3)² 的抛物线，红点是 α = 0.1 时梯度下降的 θ₀ 到 θ₅：从 θ = 0 出发，每一步都向最低点 θ = 3 靠近，步子越来越小。"}}
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
# 如果忘了 `torch.no_grad()`，直接用原地操作修改一个需要梯度的叶子节点，PyTorch 会报错。`expect_error` 打印报错的类型和第一行（第 1 课介绍过它）；如果这里没有报错，它反而会报错：

# %%
theta = torch.tensor(0.0, requires_grad=True)
J(theta).backward()
with expect_error(RuntimeError):
    theta -= lr * theta.grad  # 忘了 torch.no_grad()

# %% [markdown]
# 另一种“绕过去”的写法 `theta = theta - lr * theta.grad` 第一步不报错，但问题留到了下一步：新的 `theta` 是由计算得到的张量，不再是叶子节点。反向传播时，PyTorch 默认只把梯度存进叶子节点的 `.grad`（非叶子节点要先调用 `retain_grad()`）。于是下一步反向传播之后：
#
# - 新 `theta` 的 `.grad` 是 `None`，读取它时 PyTorch 给出一条 `UserWarning`，接着 `lr * theta.grad` 报 `TypeError`；
# - 这一步的梯度沿着计算图流回了最初的叶子节点，累加进**它**的 `.grad`：两步的梯度 $-6$ 和 $-4.8$ 加在一起，成了 $-10.8$。
#
# 下面把这两步做一遍，把警告记录下来再打印：

# %%
theta = torch.tensor(0.0, requires_grad=True)
leaf = theta  # 记住最初的叶子节点
J(theta).backward()
theta = theta - lr * theta.grad  # 第一步的更新：不报错，但 theta 不再是叶子节点
J(theta).backward()  # 第二步的反向传播
print("新的 theta 是叶子节点吗？", theta.is_leaf)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with expect_error(TypeError):
        theta = theta - lr * theta.grad  # 第二步的更新：theta.grad 是 None
assert caught and issubclass(caught[0].category, UserWarning), "读取非叶子节点的 .grad 时应有一条 UserWarning；请从本节开头重新运行"
print("警告：", str(caught[0].message).split(". ")[0])
print("最初的叶子节点的 .grad：", round(leaf.grad.item(), 4))
assert not theta.is_leaf and abs(leaf.grad.item() - (-10.8)) < 1e-5
print("✅ 第二步的梯度累加进了最初的叶子节点（−6 − 4.8 = −10.8）；改正的办法：在 with torch.no_grad(): 里用原地操作 theta -= ...")

# %% [markdown]
# ## 3. 学习率：太小、合适、太大
#
# 上一节得到：在 $J(\theta) = (\theta - 3)^2$ 上，每一步把距离乘以 $1 - 2\alpha$。于是学习率决定了梯度下降的行为：
#
# | 学习率 | 因子 $1 - 2\alpha$ | 行为 |
# | --- | --- | --- |
# | $0 < \alpha < 0.5$ | 在 0 和 1 之间 | 从一侧单调地靠近 3；$\alpha$ 越小越慢 |
# | $\alpha = 0.5$ | 0 | 一步到位 |
# | $0.5 < \alpha < 1$ | 在 −1 和 0 之间 | 在 3 的两侧来回跳，但越跳越近，仍然**收敛**（convergence） |
# | $\alpha = 1$ | −1 | 在两个点之间来回跳（从 0 出发就是 0 和 6），距离不变，既不收敛也不发散 |
# | $\alpha > 1$ | 小于 −1 | 越跳越远，**发散**（divergence） |
#
# 一般地，一元二次函数的二阶导数 $J''$（导数的导数，第 3 课用 `create_graph=True` 求过）是常数（开口向上时 $J'' > 0$），每一步把离最低点的距离乘以 $1 - \alpha J''$，所以梯度下降收敛的条件是 $0 < \alpha < 2 / J''$。这里 $J'' = 2$，上限就是 1。参数不止一个时，$J''$ 要换成海森矩阵的最大特征值，第 4 节会讲。
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

# %% mystnb={"image": {"alt": "同一条抛物线上的三条 20 步路径：α = 0.01 太小，点挤在一起，离最低点 θ = 3 还远；α = 0.3 合适，几步就到最低点；α = 1.05 太大，θ 在两侧来回跳，越跳越远，损失越来越大。"}}
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
# 表中第三行说 $0.5 < \alpha < 1$ 时会来回跳但仍然收敛，用 $\alpha = 0.9$ 验证：距离的符号每步翻转，绝对值每步变小。再看第四行的 $\alpha = 1$：距离的绝对值一直是 3。

# %%
error = gradient_descent_1d(0.9) - 3
signs_flip = (error[1:] * error[:-1] < 0).all()
shrinking = (error[1:].abs() < error[:-1].abs()).all()
print("每一步都跳到另一侧：", signs_flip.item(), "；距离每一步都在缩小：", shrinking.item())
assert signs_flip and shrinking
print("✅ α = 0.9：来回跳，但在收敛")

path_one = gradient_descent_1d(1.0, steps=6)
print("α = 1 时的 θ：", path_one.tolist())
assert ((path_one - 3).abs() == 3).all(), "α = 1 时每一步离 3 的距离都应该是 3"
print("✅ α = 1：在 0 和 6 之间来回跳，距离不变")

# %% [markdown]
# 真实模型的损失一般不是二次函数，二阶导数随参数的位置变化，没有这么简单的公式。实践中的做法是试几个数量级不同的学习率（如 0.001、0.01、0.1），看损失曲线：变大或出现 `nan` 说明太大；几乎不下降通常说明太小，但也可能是学习率接近上限，参数在最低点两侧来回跳，损失同样下降得很慢。所以在调大学习率之前，先看看参数是不是在来回跳动。在 $J(\theta) = (\theta - 3)^2$ 上，$\alpha = 0.01$ 和 $\alpha = 0.99$ 的因子分别是 $0.98$ 和 $-0.98$，两条损失曲线相同（只差浮点数的舍入误差）：

# %%
path_slow, path_jump = gradient_descent_1d(0.01), gradient_descent_1d(0.99)
print("α = 0.01 的前 4 个 θ：", [round(v, 3) for v in path_slow[:4].tolist()])
print("α = 0.99 的前 4 个 θ：", [round(v, 3) for v in path_jump[:4].tolist()])
same_losses = torch.allclose(J(path_slow), J(path_jump), atol=1e-4)  # 只差浮点数的舍入误差
print("两条损失曲线每一步都相同（相差小于 0.0001）：", same_losses)
assert same_losses, "两个学习率的损失应该每一步都相同"
assert ((path_jump[1:] - 3) * (path_jump[:-1] - 3) < 0).all(), "α = 0.99 时 θ 每一步都应跳到 3 的另一侧"
print("✅ 损失曲线相同：α = 0.01 从一侧慢慢靠近，α = 0.99 在两侧来回跳")

# %% [markdown]
# 损失不是二次函数时还有一个新问题：梯度下降只看当前位置的梯度，走到梯度为 0 的地方就停下，而这个地方不一定是全局最低点。比周围的点都低、却不一定是全局最低的点叫**局部最小值**（local minimum）。梯度为 0 的点也不一定是最小值：梯度为 0、却既不是局部最小值也不是局部最大值的点叫**鞍点**（saddle point），例如 $J(\theta_1, \theta_2) = \theta_1^2 - \theta_2^2$ 的原点：沿 $\theta_1$ 方向它是最低点，沿 $\theta_2$ 方向它是最高点。
#
# 看 $J(\theta) = \theta^4 - 3\theta^2 + \theta$：它有两个谷底。学习率 0.01，各走 200 步，从 $\theta_0 = 2$ 和 $\theta_0 = -2$ 出发，会停在不同的地方：

# %%
def bumpy(theta):
    """有两个谷底的函数 J(θ) = θ⁴ − 3θ² + θ。"""
    return theta**4 - 3 * theta**2 + theta


ends = {}
for start in (2.0, -2.0):
    theta_b = torch.tensor(start, requires_grad=True)
    for _ in range(200):
        bumpy(theta_b).backward()
        with torch.no_grad():
            theta_b -= 0.01 * theta_b.grad
        theta_b.grad.zero_()
    bumpy(theta_b).backward()  # 终点处的导数
    ends[start] = (theta_b.item(), bumpy(theta_b).item(), theta_b.grad.item())
    print(f"从 θ₀ = {start:g} 出发：θ ≈ {ends[start][0]:.3f}，J(θ) ≈ {ends[start][1]:.3f}，"
          f"导数的绝对值小于 0.001：{abs(ends[start][2]) < 1e-3}")

(right, j_right, g_right), (left, j_left, g_left) = ends[2.0], ends[-2.0]
assert abs(right - 1.131) < 1e-3 and abs(j_right - (-1.070)) < 1e-3, "从 2 出发应停在 θ ≈ 1.131"
assert abs(left - (-1.301)) < 1e-3 and abs(j_left - (-3.514)) < 1e-3, "从 −2 出发应停在 θ ≈ −1.301"
assert abs(g_right) < 1e-3 and abs(g_left) < 1e-3, "两个终点处的导数都应接近 0"
print("✅ 从 2 出发停在较高的局部最小值，从 −2 出发停在更低的谷底（全局最小值）")

# %% [markdown]
# 再验证鞍点的例子：原点处梯度为 0，沿 $\theta_1$ 方向走一点 $J$ 变大，沿 $\theta_2$ 方向走一点 $J$ 变小。

# %%
def saddle_fn(theta):
    """J(θ₁, θ₂) = θ₁² − θ₂²。"""
    return theta[0] ** 2 - theta[1] ** 2


origin = torch.zeros(2, requires_grad=True)
saddle_fn(origin).backward()
along_1 = saddle_fn(torch.tensor([0.1, 0.0])).item()
along_2 = saddle_fn(torch.tensor([0.0, 0.1])).item()
print("原点处的梯度全为 0：", (origin.grad == 0).all().item())
print(f"沿 θ₁ 走 0.1：J = {along_1:.2f}；沿 θ₂ 走 0.1：J = {along_2:.2f}")
assert (origin.grad == 0).all() and along_1 > 0 > along_2
print("✅ 原点是鞍点：梯度为 0，却不是最小值")

# %% [markdown]
# ## 4. 二维：线性回归的损失曲面
#
# 参数多于一个时，梯度是由各个偏导数组成的向量，每个参数都沿着自己的偏导数的反方向更新，而且是**同时**更新（都用更新前的值算梯度）。
#
# 用 `lessons.data.noisy_line` 生成 100 个点，它们来自直线 $y = 2x + 1$ 再加上噪声。模型是 $\hat y = w x + b$（$w$ 是权重，$b$ 是偏置），损失是均方误差：
#
# $$
# J(w, b) = \frac{1}{n} \sum_{i=1}^{n} (w x_i + b - y_i)^2 .
# $$
#
# 对这个问题，最优参数有现成的公式（上一课的闭式解），我们用它作为“标准答案”：$w^* = \dfrac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2}$，$b^* = \bar y - w^* \bar x$。

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
# 把路径画在损失函数的等高线图上（左图）。同一条等高线上的损失相同；越往里，损失越小；星号是闭式解。右图是每一步的损失，灰色虚线是闭式解的损失。这里每一步都用了全部数据，所以一步就是一个迭代周期，即把全部数据用过一遍。`surface` 函数一次算出网格上每个 $(w, b)$ 的损失：`w[..., None]` 在最后加一维，借助广播与 100 个样本逐一相乘，再对样本求平均。

# %% mystnb={"image": {"alt": "左图是等高线上 α = 0.15 的梯度下降路径：从起点 (−1, −2) 出发，第一步主要沿 w 方向，之后 b 才慢慢升到星号标出的闭式解；右图是 20 步的损失（对数刻度），降到灰色虚线标出的最小损失。"}}
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
# 路径不是一条直线：第一步主要沿 $w$ 方向移动，$w$ 很快到位，之后 $b$ 才慢慢跟上。原因是两个方向的“陡峭程度”不同：$J$ 对 $w$ 的二阶偏导数是 $2\,\overline{x^2}$，对 $b$ 的是 2，混合偏导数 $\partial^2 J / \partial w\,\partial b = 2\,\bar x$（上划线表示对样本取平均）。数据的 $x$ 分布在 $[-3, 3]$ 上，$\overline{x^2} \approx 3$ 而 $\bar x \approx 0$，所以 $w$ 方向陡了约 3 倍，等高线是扁的椭圆，椭圆的轴几乎与坐标轴平行。验证一下：

# %%
curv_w = 2 * (x**2).mean().item()
curv_b = 2.0
curv_wb = 2 * x.mean().item()
print(f"w 方向的二阶偏导数 ≈ {curv_w:.2f}，b 方向 = {curv_b:.0f}，混合偏导数 ≈ {curv_wb:.2f}")
w3, b3 = path_2d[3]
print(f"第 3 步：|w − w*| = {abs(w3 - w_best):.4f}，|b − b*| = {abs(b3 - b_best):.4f}")
assert curv_w > 2.5 * curv_b and abs(curv_wb) < 0.2
assert abs(w3 - w_best) < 0.1 and abs(b3 - b_best) > 0.5
print("✅ w 方向更陡，混合偏导数接近 0；3 步后 w 已经到位，b 还差得远")

# %% [markdown]
# ### `torch.optim.SGD` 做的是同一件事
#
# 上一课用的优化器 `torch.optim.SGD`（不设置动量等选项时）执行的就是这条更新规则。用 `nn.Linear(1, 1)` 从同一个起点出发、同样的学习率，它走出的路径和我们手写的完全一样：

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
# 做法是 matplotlib 的 `FuncAnimation(fig, update, frames=...)`：它对每一帧调用一次 `update(i)`，我们在里面把路径画到第 `i` 步。`lessons.animation.to_offline_html` 再调用 `to_jshtml()`，把每一帧存成图片，连同一段简短的 JavaScript 播放器代码写进 HTML。这样网页上不需要运行 Python 也能播放。`to_jshtml()` 生成的 HTML 原本会从外部网站加载按钮图标，`to_offline_html` 把它换成了普通字符，不需要联网；它还给每一帧的图片加上替代文字（`description` 参数，说明动画画的是什么），给滑块和每个按钮加上中文名称，使用读屏软件的读者也能知道它们是什么。
#
# 为了让网页轻一些，动画用小图（5×3.2 英寸、70 dpi），帧数也少（起点加 20 步，共 21 帧）。最后 `plt.close(fig)` 关掉这张图，免得它的最后一帧又作为静态图显示一次。播放器的 HTML 里有随机生成的编号，所以每次运行，HTML 的源码都略有不同，但播放的画面相同。

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
html = to_offline_html(anim, dpi=70, default_mode="once",
                       description="线性回归损失的等高线图上，梯度下降从 (w, b) = (−1, −2) 出发，20 步走到闭式解附近的路径")
plt.close(fig)

# %%
# NBVAL_IGNORE_OUTPUT
HTML(html)

# %% [markdown]
# ### 海森矩阵：参数不止一个时的学习率上限
#
# 第 3 节说过，一元二次函数上收敛要求 $0 < \alpha < 2 / J''$。参数不止一个时，把所有二阶偏导数排成一个矩阵，就是海森矩阵：
#
# $$
# H = \begin{bmatrix}
# \dfrac{\partial^2 J}{\partial w^2} & \dfrac{\partial^2 J}{\partial w\,\partial b} \\[2mm]
# \dfrac{\partial^2 J}{\partial b\,\partial w} & \dfrac{\partial^2 J}{\partial b^2}
# \end{bmatrix} .
# $$
#
# 对损失为均方误差的线性回归，$H = \frac{2}{n} X^\top X$，其中 $X$ 的每一行是 $[x_i,\ 1]$（就是上一课正规方程里的 $X$）。它是常数：与参数无关，也与 $y$ 无关。因为 $J$ 是二次函数，它的梯度可以精确地写成 $\nabla J(\boldsymbol\theta) = H(\boldsymbol\theta - \boldsymbol\theta^*)$，$\boldsymbol\theta^*$ 是最优解。代入更新规则，梯度下降的一步就是
#
# $$
# \boldsymbol\theta_{k+1} - \boldsymbol\theta^* = (I - \alpha H)(\boldsymbol\theta_k - \boldsymbol\theta^*) .
# $$
#
# $H$ 是对称矩阵，有两个互相垂直的**特征向量**（eigenvector）$\mathbf u_1, \mathbf u_2$，满足 $H\mathbf u_i = \lambda_i \mathbf u_i$，$\lambda_i$ 叫作**特征值**（eigenvalue）。取单位长度的 $\mathbf u_i$，特征值就是沿 $\mathbf u_i$ 方向的二阶导数；这里只要 $x_i$ 不全相同，两个特征值都大于 0。把误差 $\boldsymbol\theta - \boldsymbol\theta^*$ 沿这两个方向分解，每走一步，每个分量各自乘以 $1 - \alpha\lambda_i$，和一维时完全一样。于是：
#
# - 每个方向都要满足 $|1 - \alpha\lambda_i| < 1$，所以收敛的条件是 $0 < \alpha < 2 / \lambda_{\max}$：上限由最陡的方向（最大特征值）决定；
# - 收敛的快慢由最平缓的方向决定：学习率小于 $1/\lambda_{\max}$ 时，最接近 1 的因子是 $1 - \alpha\lambda_{\min}$。
#
# 只有当 $H$ 是对角矩阵（等高线椭圆的轴与坐标轴平行）时，特征值才恰好是 $\partial^2 J/\partial w^2$ 和 $\partial^2 J/\partial b^2$，上限才能写成“2 除以最大的二阶偏导数”。一般情况下 $H$ 有非对角元，最大特征值不小于任何一个对角元，只看对角元会高估学习率的上限。
#
# 用上一课原文的五个点（$x = 1, \dots, 5$，$y = 2x$）算一算。`torch.autograd.functional.hessian` 用自动求导算出海森矩阵，`torch.linalg.eigh` 求对称矩阵的特征值（从小到大排列）和特征向量：

# %%
x_doc, y_doc = document_line()  # 上一课原文的五个点，形状都是 (5, 1)


def doc_loss(theta):
    """原文数据上的均方误差，theta = (w, b)。"""
    w, b = theta
    return ((w * x_doc + b - y_doc) ** 2).mean()


H = torch.autograd.functional.hessian(doc_loss, torch.tensor([0.0, 0.0]))
design = torch.cat([x_doc, torch.ones_like(x_doc)], dim=1)  # 每行是 [x_i, 1]
eigenvalues, eigenvectors = torch.linalg.eigh(H)
lam_min, lam_max = eigenvalues.tolist()
print("海森矩阵 H =", H.tolist())
print(f"特征值：λ_min ≈ {lam_min:.3f}，λ_max ≈ {lam_max:.2f}，两者之比 ≈ {lam_max / lam_min:.0f}")
print(f"学习率的上限 2/λ_max ≈ {2 / lam_max:.4f}；只看对角元得到的 2/H[0, 0] ≈ {2 / H[0, 0].item():.4f}")
assert torch.allclose(H, 2 / len(x_doc) * design.T @ design), "H 应等于 (2/n)·XᵀX"
assert abs(lam_max - 23.66) < 0.01 and abs(lam_min - 0.338) < 0.001
assert abs(2 / lam_max - 0.0845) < 1e-4
print("✅ H = (2/n)·XᵀX，特征值 ≈ 23.66 和 0.338，学习率上限 ≈ 0.0845")

# %% [markdown]
# 在这组数据上试三个学习率，各训练 300 个迭代周期（初始参数与上一课第 6.4 节相同）：0.084 刚好低于 $2/\lambda_{\max}$；0.085 刚好高于它；0.088 高于它，却低于只看对角元得到的 $2/22 \approx 0.091$。

# %%
def doc_losses(lr, epochs=300):
    """在原文数据上，从种子 0 的 nn.Linear(1, 1) 出发做梯度下降，返回每个迭代周期的损失。"""
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(x_doc), y_doc)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


for lr_try in (0.084, 0.085, 0.088):
    losses_try = doc_losses(lr_try)
    print(f"α = {lr_try}：第 1 个迭代周期的损失 {losses_try[0]:.3g}，第 300 个 {losses_try[-1]:.3g}")
    if lr_try < 2 / lam_max:
        assert losses_try[-1] < 0.1 * losses_try[0], "低于上限时损失应该在下降"
    else:
        assert losses_try[-1] > 100 * losses_try[0], "高于上限时损失应该越来越大"
print("✅ 0.084 收敛；0.085 和 0.088 都发散：上限是 2/λ_max，不是 2/H[0, 0]")

# %% [markdown]
# ### 回到上一课：剩下的 $b \approx 0.034$
#
# 上一课用学习率 0.01 训练 1000 个迭代周期，得到 $w \approx 1.990$、$b \approx 0.034$，离闭式解 $w = 2,\ b = 0$ 还差一点。现在可以精确地解释它：
#
# - 陡峭方向（$\lambda_{\max} \approx 23.66$）上，每一步误差乘以 $1 - 0.01 \times 23.66 \approx 0.763$，几十步就几乎消失了；
# - 平缓方向（$\lambda_{\min} \approx 0.338$）上，每一步误差只乘以 $1 - 0.01 \times 0.338 \approx 0.99662$，1000 步后还剩 $0.99662^{1000} \approx 0.034$ 倍。
#
# 平缓方向的特征向量主要指向 $b$ 的方向，所以剩下的误差主要在 $b$ 上。下面重做上一课的训练，记下每一步的 $(w, b)$，再用公式 $(I - \alpha H)^{1000}(\boldsymbol\theta_0 - \boldsymbol\theta^*)$ 预测 1000 步后的位置：

# %%
torch.manual_seed(0)
model_doc = nn.Linear(1, 1)  # 与上一课第 6.4 节相同的初始参数
optimizer_doc = torch.optim.SGD(model_doc.parameters(), lr=0.01)
path_doc = [torch.cat([model_doc.weight.reshape(-1), model_doc.bias]).detach()]
for _ in range(1000):  # 1000 个迭代周期
    optimizer_doc.zero_grad()
    loss_fn(model_doc(x_doc), y_doc).backward()
    optimizer_doc.step()
    path_doc.append(torch.cat([model_doc.weight.reshape(-1), model_doc.bias]).detach())
path_doc = torch.stack(path_doc)

theta_star = torch.tensor([2.0, 0.0])  # 闭式解
u_slow = eigenvectors[:, 0] * eigenvectors[1, 0].sign()  # 平缓方向；取 b 分量为正的那个方向
error0 = path_doc[0] - theta_star
c_slow = (error0 @ u_slow).item()  # 初始误差在平缓方向上的分量
predicted = theta_star + torch.linalg.matrix_power(torch.eye(2) - 0.01 * H, 1000) @ error0
w1000, b1000 = path_doc[-1].tolist()

print(f"平缓方向 u_slow ≈ ({u_slow[0]:.3f}, {u_slow[1]:.3f})")
print(f"初始误差在平缓方向上的分量 ≈ {c_slow:.3f}，1000 步后 ≈ {c_slow * (1 - 0.01 * lam_min) ** 1000:.4f}")
print(f"预测：w = {predicted[0]:.4f}，b = {predicted[1]:.4f}")
print(f"实际：w = {w1000:.4f}，b = {b1000:.4f}")
assert abs(w1000 - 1.990) < 1e-3 and abs(b1000 - 0.034) < 1e-3, "应与上一课第 6.4 节的结果相同"
assert torch.allclose(path_doc[-1], predicted, atol=1e-4)
assert abs(c_slow * (1 - 0.01 * lam_min) ** 1000 * u_slow[1].item() - b1000) < 1e-3
b3000 = c_slow * (1 - 0.01 * lam_min) ** 3000 * u_slow[1].item()
print(f"同样的公式预测 3000 步后 b ≈ {b3000:.5f}")
assert abs(b3000 - 0.00004) < 0.000005
print("✅ 剩下的误差就是平缓方向上的分量乘以 0.99662 的 1000 次方")

# %% [markdown]
# 左图是这 1000 步在等高线上的路径：前几步沿陡峭方向冲进一道狭长的“山谷”，之后沿着谷底（平缓方向）慢慢挪向星号。右图是到闭式解的距离（对数刻度）：开头迅速下降，之后是一条直线，即每一步都乘以同一个因子 0.99662；它和虚线 $|c| \times 0.99662^k$ 重合，其中 $c \approx 1.053$ 是初始误差在平缓方向上的分量。上一课把训练延长到 3000 个迭代周期后 $b \approx 0.00004$，与上面用同一个公式算出的预测相同：又多走了两个 1000 步，误差再乘以两次 0.034。

# %% mystnb={"image": {"alt": "左图是原文数据上 α = 0.01 的 1000 步路径：先冲进狭长的山谷，再沿谷底慢慢挪向星号 (2, 0)；右图是到闭式解的距离（对数刻度），开头骤降后成一条直线，与按 0.99662 的幂衰减的预测重合。"}}
xd, yd = x_doc.reshape(-1), y_doc.reshape(-1)
steps_k = torch.arange(len(path_doc))

fig, (ax, ax_dist) = plt.subplots(1, 2, figsize=(9, 3.4))
plot_contours_with_path(lambda w, b: ((w[..., None] * xd + b[..., None] - yd) ** 2).mean(dim=-1),
                        path_doc, xlim=(-0.3, 2.3), ylim=(-0.6, 1.2), ax=ax,
                        title="原文数据：α = 0.01 的 1000 步", levels=[0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30])
ax.plot(2, 0, "*", color="gold", markersize=14, markeredgecolor="k")
ax.set_xlabel("权重 w")
ax.set_ylabel("偏置 b")
ax.legend(loc="lower left", fontsize=8)
ax_dist.semilogy(steps_k, (path_doc - theta_star).norm(dim=1), label="到闭式解的距离")
ax_dist.semilogy(steps_k, abs(c_slow) * (1 - 0.01 * lam_min) ** steps_k, "--", label="平缓方向的预测")
ax_dist.set_xlabel("迭代周期")
ax_dist.set_title("误差按 0.99662 的幂衰减")
ax_dist.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# 两个特征值相差约 70 倍：学习率受陡峭方向限制不能超过 0.0845，平缓方向就只能慢慢走。第 6 节介绍的动量法和 Adam 是两种常用的改进。
#
# 另一种办法是改数据，而不是改优化器。这 70 倍主要来自输入的均值 $\bar x = 3$ 不为 0。前面算出的海森矩阵是 `[[22, 6], [6, 2]]`，它的非对角元是 $\frac{2}{n}\sum_i x_i = 2\bar x = 6$，左上角 $\frac{2}{n}\sum_i x_i^2 = 22$ 中也有 $2\bar x^2 = 18$ 来自均值。把输入减去均值，用 $x_i - \bar x$（即 −2、−1、0、1、2）代替 $x_i$，非对角元就变成 0，左上角变成 $\frac{2}{n}\sum_i (x_i - \bar x)^2 = 4$，$H$ 成了对角矩阵 $\mathrm{diag}(4, 2)$：两个特征值只差 2 倍，学习率的上限变成 $2/4 = 0.5$。模型变成 $\hat y = w(x - \bar x) + b$，最优的 $w$ 仍是 2，最优的 $b$ 变成 $\bar y = 6$，即直线在 $x = \bar x$ 处的高度；预测新输入时，也要先减去同一个 $\bar x$。
#
# 下面算出减去均值后的海森矩阵，再数一数：从上一课的初始参数出发，要走多少步，$w$ 和 $b$ 才都离最优解不到 $10^{-3}$。

# %%
x_centered = x_doc - x_doc.mean()  # 减去均值 3：取值 −2、−1、0、1、2


def centered_loss(theta):
    """输入减去均值之后的均方误差，theta = (w, b)。"""
    w, b = theta
    return ((w * x_centered + b - y_doc) ** 2).mean()


H_centered = torch.autograd.functional.hessian(centered_loss, torch.tensor([0.0, 0.0]))
print("减去均值后的海森矩阵 =", H_centered.tolist())


def steps_to_optimum(inputs, lr, w_best, b_best, max_steps=10000):
    """从种子 0 的 nn.Linear(1, 1) 出发做梯度下降，返回 w、b 都离最优解不到 1e-3 时走过的步数。"""
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for step in range(1, max_steps + 1):
        optimizer.zero_grad()
        loss_fn(model(inputs), y_doc).backward()
        optimizer.step()
        if abs(model.weight.item() - w_best) < 1e-3 and abs(model.bias.item() - b_best) < 1e-3:
            return step
    return None  # max_steps 步之内没有走到


steps_centered = steps_to_optimum(x_centered, 0.3, 2.0, 6.0)
steps_centered_small = steps_to_optimum(x_centered, 0.01, 2.0, 6.0)
steps_original = steps_to_optimum(x_doc, 0.01, 2.0, 0.0)
steps_original_best = steps_to_optimum(x_doc, 0.083, 2.0, 0.0)  # 约为 2/(λ_max + λ_min)，收敛最快
steps_original_near_limit = steps_to_optimum(x_doc, 0.084, 2.0, 0.0)  # 更接近上限 0.0845
print(f"减去均值，α = 0.3：{steps_centered} 步；α = 0.01：{steps_centered_small} 步")
print(f"原来的输入，α = 0.01：{steps_original} 步；α = 0.083：{steps_original_best} 步；"
      f"α = 0.084：{steps_original_near_limit} 步")
lr_equal = 2 / (lam_max + lam_min)  # 两个因子的绝对值在这里相等
print(f"α = 2/(λ_max + λ_min) ≈ {lr_equal:.4f}：两个因子 ≈ {1 - lr_equal * lam_min:.3f} 和 {1 - lr_equal * lam_max:.3f}")
for lr_try in (0.083, 0.084):
    print(f"α = {lr_try}：平缓方向的因子 ≈ {1 - lr_try * lam_min:.3f}，陡峭方向的因子 ≈ {1 - lr_try * lam_max:.3f}")
assert torch.allclose(H_centered, torch.diag(torch.tensor([4.0, 2.0]))), "请从第 4 节开头重新运行"
assert steps_centered <= 10 and steps_original_best > 20 * steps_centered, "请从第 4 节开头重新运行"
assert abs(steps_original_best - 242) <= 5 and abs(steps_original_near_limit - 598) <= 10, "请从第 4 节开头重新运行"
assert abs(steps_centered_small - 427) <= 5 and abs(steps_original - 2045) <= 5, "请从第 4 节开头重新运行"
assert abs(1 - 0.084 * lam_max - (-0.988)) < 1e-3 and abs(1 - lr_equal * lam_min - 0.972) < 1e-3, "请从第 4 节开头重新运行"
print("✅ 减去均值后 H = diag(4, 2)，学习率可以用到 0.3，10 步以内就到最优解附近")
print("✅ 原来的输入：α = 0.083 约 240 步；更接近上限的 0.084 反而要约 600 步")

# %% [markdown]
# 减去均值后，用学习率 0.3 只要 10 步。原来的输入，即使取收敛最快的学习率（约 0.083），也要约 240 步。收敛的快慢由绝对值最大的因子决定。学习率大于 $1/\lambda_{\max}$ 以后，陡峭方向的因子 $1 - \alpha\lambda_{\max}$ 变成负数：学习率越大，它越接近 −1，而平缓方向的因子 $1 - \alpha\lambda_{\min}$ 离 1 越远。两者的绝对值在 $\alpha = 2/(\lambda_{\max} + \lambda_{\min}) \approx 0.0833$ 处相等（都约为 0.972），这时最大的绝对值最小，所以收敛最快的学习率就在这附近。学习率再往上限靠近反而更慢：取 0.084 时，陡峭方向的因子是 $1 - 0.084 \times 23.66 \approx -0.988$，参数在这个方向上来回跳，要约 600 步。学习率同为 0.01 时，减去均值也快得多（427 步对 2045 步）。第 7 课的标准化（每个特征减去均值，再除以标准差）就是这个做法的推广。

# %% [markdown]
# ## 5. 批量、随机与小批量梯度下降
#
# 均方误差是每个样本的损失的平均，所以它的梯度也是每个样本的梯度的平均。每走一步要用多少样本来估计这个梯度？有三种做法：
#
# | 名称 | 每次更新使用的样本 | 一个迭代周期内的更新次数 | 梯度 |
# | --- | --- | --- | --- |
# | 批量梯度下降 | 全部 $n$ 个 | 1 | 精确 |
# | 随机梯度下降 | 随机的 1 个 | $n$ | 噪声很大 |
# | 小批量梯度下降 | 随机的 $B$ 个 | $\lceil n / B \rceil$ | 有噪声，$B$ 越大越小 |
#
# $B$ 叫**批量大小**（batch size）。深度学习里说 “SGD” 时，通常指的就是小批量梯度下降。
#
# 要注意：`torch.optim.SGD`（默认设置下）只负责执行 $\theta \leftarrow \theta - \alpha g$，它并不知道梯度 $g$ 是用多少样本算出来的。是批量、随机还是小批量，取决于你每一步喂给模型多少数据。原文的线性回归例子用的是 `optim.SGD`，但每一步都把全部 5 个样本送进模型，所以实际上是批量梯度下降，名字里的“随机”并没有发生。（那段代码还没有创建 `model`、输入的形状不对，也缺少 `optimizer.zero_grad()`，上一课已经逐一改正过。）
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

# %% mystnb={"image": {"alt": "三条损失曲线（对数刻度，学习率 0.05，100 次参数更新）：批量（B = 100）光滑下降，小批量（B = 10）略有起伏，随机（B = 1）抖得最厉害，到最低点附近仍在灰色虚线之上徘徊。"}}
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
# 灰色虚线是最小可能的损失（闭式解的损失）。批量梯度下降的曲线是光滑的，每一步都在下降；随机梯度下降的曲线抖得最厉害，学习率不变时，到了最低点附近也停不下来，一直在附近徘徊（本节最后会看到怎样让它停下来）；小批量介于两者之间。用最后 50 次更新中“相邻两次损失之差的绝对值”的平均来衡量抖动：

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
# 为什么还要用小批量？换个角度，按**迭代周期**来数。一个迭代周期里每个样本都恰好用一次，计算量相同；但批量梯度下降只更新 1 次，小批量（B = 10）更新 10 次，随机梯度下降更新 100 次。在大数据集上，多走几步带噪声的小步，往往比走一步精确的大步进展快。而小批量又能利用向量化和 GPU 的并行计算：一次处理 $B$ 个样本，通常比逐个处理 $B$ 次快得多。
#
# 上一课介绍的 `lessons.training.fit` 在 `batch_size` 是整数时就是一个小批量训练循环，它返回每个迭代周期的平均损失。各训练 3 个迭代周期：

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
# ### 学习率调度：让随机梯度下降停下来
#
# 前面的图里，学习率不变时，随机梯度下降到了最低点附近就停不下来。原因是：在最优解处，全部样本的平均梯度为 0，但单个样本（或一个小批量）的梯度一般不为 0。每一步仍然按 $\alpha$ 乘以这个带噪声的梯度移动，参数就一直在最优解周围跳动，跳动的范围随学习率变小而变小。先验证最优解处的梯度：

# %%
residual = (w_best * x + b_best - y).reshape(-1)  # 每个样本的误差 ŷ_i − y_i
grad_b_each = 2 * residual  # 每个样本的平方误差对 b 的偏导数
grad_w_each = 2 * residual * x.reshape(-1)  # 对 w 的偏导数
print(f"全部样本的平均梯度的绝对值：({fmt(grad_w_each.mean().abs().item())}, {fmt(grad_b_each.mean().abs().item())})")
print(f"单个样本的梯度，绝对值的平均：({grad_w_each.abs().mean().item():.2f}, {grad_b_each.abs().mean().item():.2f})")
assert grad_w_each.mean().abs() < 1e-4 and grad_b_each.mean().abs() < 1e-4
assert grad_w_each.abs().mean() > 0.5 and grad_b_each.abs().mean() > 0.5
print("✅ 在最优解处，平均梯度为 0，单个样本的梯度却不为 0")

# %% [markdown]
# 只要单个样本的梯度在最优解处不全为 0（数据有噪声时就是这样），在批量大小不变的情况下，要让随机梯度下降停在最优解上，学习率就必须随训练逐渐变小。按事先定好的规则改变学习率，叫作**学习率调度**（learning rate schedule）。理论上的一个经典充分条件（Robbins–Monro 条件）是 $\sum_t \alpha_t = \infty$ 且 $\sum_t \alpha_t^2 < \infty$：学习率趋于 0，但不能降得太快，例如 $\alpha_t \propto 1/t$。实践中常用分段减小、余弦退火等规则；下面用的分段减半不满足第一个条件（学习率之和有限），但只要在减小之前参数已经走到最优解附近，效果就很好。
#
# PyTorch 把这些规则放在 `torch.optim.lr_scheduler` 里。例如 `StepLR(optimizer, step_size=4, gamma=0.5)` 每调用 4 次 `scheduler.step()`，就把优化器的学习率乘以 0.5；`LambdaLR(optimizer, lambda e: 1 / (1 + e))` 可以写出 $1/t$ 形式的规则。习惯上每个迭代周期结束时调用一次 `scheduler.step()`，放在这个迭代周期的所有 `optimizer.step()` 之后：PyTorch 1.1 起规定了这个顺序，顺序反了会跳过调度的第一个学习率，并给出警告。
#
# 下面用随机梯度下降（$B = 1$）训练 20 个迭代周期，初始学习率都是 0.05：一次学习率不变，一次用 `StepLR` 每 4 个迭代周期减半。记录每次更新后 $(w, b)$ 到闭式解的距离：

# %%
best_params = torch.tensor([w_best, b_best])


def sgd_distances(schedule, epochs=20, lr=0.05):
    """B = 1 的随机梯度下降；返回每次更新后 (w, b) 到闭式解的距离，以及每个迭代周期用的学习率。"""
    model = nn.Linear(1, 1).to(env.device)
    with torch.no_grad():
        model.weight.fill_(-1.0)
        model.bias.fill_(-2.0)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5) if schedule else None
    loader = DataLoader(dataset, batch_size=1, shuffle=True, generator=torch.Generator().manual_seed(0))
    distances, lrs = [], []
    for _ in range(epochs):
        lrs.append(optimizer.param_groups[0]["lr"])  # 这个迭代周期用的学习率
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            params = torch.cat([model.weight.reshape(-1), model.bias]).detach().cpu()
            distances.append((params - best_params).norm().item())
        if scheduler is not None:
            scheduler.step()  # 每个迭代周期结束时调用一次
    return torch.tensor(distances), lrs


dist_const, lrs_const = sgd_distances(schedule=False)
dist_step, lrs_step = sgd_distances(schedule=True)
# 每个迭代周期 100 次更新：按迭代周期求平均距离
epoch_const = dist_const.reshape(20, 100).mean(dim=1)
epoch_step = dist_step.reshape(20, 100).mean(dim=1)
print("StepLR 每个迭代周期的学习率：", [round(v, 5) for v in lrs_step])
print("学习率不变，每个迭代周期的平均距离：", [round(v, 3) for v in epoch_const.tolist()])
print("StepLR，   每个迭代周期的平均距离：", [round(v, 3) for v in epoch_step.tolist()])

# %%
expected_lrs = [0.05 * 0.5 ** (epoch // 4) for epoch in range(20)]
assert all(abs(a - b) < 1e-12 for a, b in zip(lrs_step, expected_lrs)), "StepLR 应每 4 个迭代周期把学习率减半"
assert ((epoch_const[1:] > 0.1) & (epoch_const[1:] < 0.2)).all(), "学习率不变时，距离应停在 0.1～0.2 之间"
block_means = epoch_step.reshape(5, 4).mean(dim=1)  # 每 4 个迭代周期（同一个学习率）的平均距离
assert (block_means[1:] < block_means[:-1]).all(), "每次减半后，平均距离应该变小"
assert epoch_step[-1] < epoch_const[-1] / 5
print("✅ 学习率不变：距离停在 0.1～0.2 之间；StepLR：每减半一次距离就变小，最后不到前者的 1/5")

# %% mystnb={"image": {"alt": "左图是 B = 1 的随机梯度下降每次更新后到闭式解的距离（对数刻度），两条曲线前 400 次更新重合：学习率不变时，距离降下来后一直上下跳动，从第 2 个迭代周期起每个迭代周期的平均值在 0.1～0.2 之间；用 StepLR 时，学习率每减半一次，同一学习率的 4 个迭代周期里的平均距离就小一些，最后一个迭代周期的平均距离不到学习率不变时的 1/5；右图是学习率：一直是 0.05，或每 4 个迭代周期减半。"}}
fig, (ax, ax_lr) = plt.subplots(1, 2, figsize=(9, 3.4))
ax.semilogy(dist_const, linewidth=0.8, label="学习率不变（0.05）")
ax.semilogy(dist_step, linewidth=0.8, label="StepLR：每 4 个迭代周期减半")
ax.set_xlabel("参数更新次数")
ax.set_ylabel("到闭式解的距离")
ax.set_title("随机梯度下降（B = 1）")
ax.legend(fontsize=8)
ax_lr.step(range(1, 21), lrs_const, where="post", label="学习率不变")
ax_lr.step(range(1, 21), lrs_step, where="post", label="StepLR")
ax_lr.set_xlabel("迭代周期")
ax_lr.set_ylabel("学习率")
ax_lr.set_title("每个迭代周期的学习率")
ax_lr.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# 学习率不变时，从第 2 个迭代周期起，到闭式解的距离就不再下降，每个迭代周期的平均值都在 0.1 到 0.2 之间：参数一直在最优解周围跳动。学习率每减半一次，跳动的范围也跟着缩小，参数一步步停到最优解附近。批量梯度下降没有这个问题：它的梯度在最优解处恰好为 0，只要学习率低于 $2/\lambda_{\max}$，学习率不变也能收敛（第 3、4 节）。训练神经网络时，常见的做法是先用较大的学习率快速下降，再逐渐减小学习率，让参数稳定下来。

# %% [markdown]
# ## 6. 动量与 Adam
#
# 第 4 节看到：海森矩阵的两个特征值相差越多（等高线的椭圆越扁），梯度下降越吃力。学习率受最陡方向的限制（必须小于 $2 / \lambda_{\max}$；超过它，那个方向就会发散），而在平缓的方向上，这么小的学习率走得很慢。
#
# 用一个很扁的二次函数来看：
#
# $$
# J(\theta) = \tfrac{1}{2}\left(\theta_1^2 + 50\,\theta_2^2\right) .
# $$
#
# 它的海森矩阵是对角矩阵 $\mathrm{diag}(1, 50)$：椭圆的轴与坐标轴平行，特征值就是两个二阶偏导数 1 和 50。最低点在原点，梯度下降的学习率必须小于 $2/50 = 0.04$。梯度是 $(\theta_1,\ 50\,\theta_2)$，下面的代码里写作 `scales * theta`。

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


# %% [markdown]
# ### 动量法
#
# 动量法给参数加上“惯性”：用一个速度 $v$ 累积历次的梯度，再沿 $v$ 更新。`torch.optim.SGD(..., momentum=β)` 的做法是（$g_k$ 是第 $k$ 步的梯度，$v_0 = 0$）：
#
# $$
# v_k = \beta\, v_{k-1} + g_k, \qquad \theta_k = \theta_{k-1} - \alpha\, v_k .
# $$
#
# 其中 $\beta$ 是**动量系数**（momentum coefficient），常取 0.9；PyTorch 的文档把它记作 $\mu$。（`SGD` 的另外两个相关参数取默认值：`dampening=0`，`nesterov=False`。）如果梯度一直是同一个 $g$，那么 $v_k = (1 + \beta + \dots + \beta^{k-1})\,g = \frac{1 - \beta^k}{1 - \beta}\,g$，逐步增大到 $g / (1 - \beta)$：梯度保持不变时，$\beta = 0.9$ 让步子逐渐放大到接近 10 倍，这正是平缓方向需要的。代价是惯性让参数容易冲过头。
#
# 动量法的写法不止一种，读别的书时要留意：
#
# - Sutskever 等人的论文写成 $v_k = \beta v_{k-1} - \alpha g_k$，$\theta_k = \theta_{k-1} + v_k$（PyTorch 文档把它写成等价的 $v_k = \beta v_{k-1} + \alpha g_k$，$\theta_k = \theta_{k-1} - v_k$，$v$ 只差一个负号），把学习率乘进了 $v$。学习率不变时，它和 PyTorch 的写法数学上完全相同（浮点数只差舍入误差）；学习率一变就不同了：PyTorch 的写法里，新的学习率立刻作用于整个 $v$；论文的写法里，$v$ 中积累的旧步子仍带着旧的学习率。PyTorch 的 `SGD` 文档在一条说明（Note）里把这两种写法并列写出，指出两者有细微差别，但没有展开学习率变化时的不同。
# - 也有的写成**滑动平均**（exponential moving average）$v_k = \beta v_{k-1} + (1 - \beta) g_k$。展开来是 $v_k = (1 - \beta)\left(g_k + \beta g_{k-1} + \beta^2 g_{k-2} + \dots\right)$：越早的梯度，乘上的 $\beta$ 的次数越多，权重越小。它相当于把学习率乘以 $1 - \beta$。
#
# 下面验证第一条：学习率不变时两种写法相同；第 11 步起把学习率减半，两者就分开了，而 `torch.optim.SGD` 与 PyTorch 的写法一致。

# %%
def momentum_pytorch(lrs, beta=0.9):
    """PyTorch 的写法：v ← βv + g，θ ← θ − αv。lrs 是每一步的学习率。"""
    theta, v = torch.tensor([-4.0, 1.5]), torch.zeros(2)
    for lr_k in lrs:
        v = beta * v + scales.cpu() * theta  # scales * theta 是 elongated 的梯度
        theta = theta - lr_k * v
    return theta


def momentum_sutskever(lrs, beta=0.9):
    """Sutskever 等人论文的写法：v ← βv − αg，θ ← θ + v。"""
    theta, v = torch.tensor([-4.0, 1.5]), torch.zeros(2)
    for lr_k in lrs:
        v = beta * v - lr_k * scales.cpu() * theta
        theta = theta + v
    return theta


constant_lrs = [0.02] * 20
halved_lrs = [0.02] * 10 + [0.01] * 10  # 第 11 步起学习率减半

theta = torch.tensor([-4.0, 1.5], device=env.device, requires_grad=True)
optimizer = torch.optim.SGD([theta], lr=0.02, momentum=0.9)
for lr_k in halved_lrs:
    optimizer.param_groups[0]["lr"] = lr_k  # 在训练中改学习率（学习率调度做的也是这件事）
    optimizer.zero_grad()
    elongated(theta).backward()
    optimizer.step()
theta_sgd = theta.detach().cpu()

def show(t):
    """把一个 θ 显示成保留 4 位小数的列表。"""
    return [round(v, 4) for v in t.tolist()]


print(f"学习率不变：PyTorch 的写法 {show(momentum_pytorch(constant_lrs))}，论文的写法 {show(momentum_sutskever(constant_lrs))}")
print(f"学习率减半：PyTorch 的写法 {show(momentum_pytorch(halved_lrs))}，论文的写法 {show(momentum_sutskever(halved_lrs))}")
print(f"torch.optim.SGD（学习率减半）：{show(theta_sgd)}")
assert torch.allclose(momentum_pytorch(constant_lrs), momentum_sutskever(constant_lrs), atol=1e-5)  # 只差浮点数的舍入误差
assert not torch.allclose(momentum_pytorch(halved_lrs), momentum_sutskever(halved_lrs), atol=1e-2)
assert torch.allclose(theta_sgd, momentum_pytorch(halved_lrs), atol=1e-5)
print("✅ 学习率不变时两种写法相同，学习率变化后不同；torch.optim.SGD 用的是 v ← βv + g，θ ← θ − αv")

# %% [markdown]
# ### Adam
#
# Adam（`torch.optim.Adam`）对每个参数分别记录梯度的滑动平均 $m$ 和梯度平方的滑动平均 $s$，用 $s$ 的平方根去除 $m$。第 $k$ 步（$k = 1, 2, \dots$）的更新是：
#
# $$
# \begin{aligned}
# m_k &= \beta_1 m_{k-1} + (1 - \beta_1)\, g_k, & s_k &= \beta_2 s_{k-1} + (1 - \beta_2)\, g_k^2, \\
# \hat m_k &= \frac{m_k}{1 - \beta_1^k}, & \hat s_k &= \frac{s_k}{1 - \beta_2^k}, \\
# \theta_k &= \theta_{k-1} - \alpha\, \frac{\hat m_k}{\sqrt{\hat s_k} + \epsilon} .
# \end{aligned}
# $$
#
# 所有运算都按元素进行，每个参数各算各的。默认值是 $\beta_1 = 0.9$、$\beta_2 = 0.999$、$\epsilon = 10^{-8}$（`Adam` 的 `betas` 和 `eps` 参数）；PyTorch 的文档把 $s$ 记作 $v$。$m$ 和 $s$ 都从 0 开始，所以前几步会偏向 0，例如 $m_1 = 0.1\, g_1$。$s$ 偏得更多（$s_1 = 0.001\, g_1^2$），所以不做修正时第一步反而约为 $0.1/\sqrt{0.001} \approx 3.16$ 倍的 $\alpha$。除以 $1 - \beta^k$ 正好抵消这个偏差，叫作**偏差修正**（bias correction）；$k$ 变大后，$1 - \beta^k$ 趋于 1，修正也就不起作用了。
#
# 第一步最能看出偏差修正的作用：$\hat m_1 = g_1$，$\hat s_1 = g_1^2$，所以每个坐标上 $\theta$ 移动 $\alpha\,|g_1| / (|g_1| + \epsilon)$。只要 $|g_1|$ 比 $\epsilon$ 大得多，第一步在每个坐标上都恰好走 $\alpha$，与梯度的大小无关。下面按公式手写 Adam，与 `torch.optim.Adam` 比较 30 步，并检查第一步，也算出不做偏差修正时的第一步：

# %%
def adam_by_hand(steps, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    """按上面的公式在 elongated 上走 steps 步 Adam，返回每一步的 θ（形状 (steps+1, 2)）。"""
    theta = torch.tensor([-4.0, 1.5])
    m, s = torch.zeros(2), torch.zeros(2)
    path = [theta]
    for k in range(1, steps + 1):
        g = scales.cpu() * theta  # elongated 的梯度
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**k)  # 偏差修正
        s_hat = s / (1 - beta2**k)
        theta = theta - lr * m_hat / (s_hat.sqrt() + eps)
        path.append(theta)
    return torch.stack(path)


by_hand = adam_by_hand(30)
with_torch = run_optimizer(lambda params: torch.optim.Adam(params, lr=0.1), max_steps=30, tol=0.0)
g1 = scales.cpu() * by_hand[0]
step1 = by_hand[1] - by_hand[0]
print("第一步的梯度 g₁：", g1.tolist())
print("第一步的移动：", [round(v, 6) for v in step1.tolist()])
m1, s1 = 0.1 * g1, 0.001 * g1**2  # 不做偏差修正的 m₁、s₁
step1_uncorrected = -0.1 * m1 / (s1.sqrt() + 1e-8)
print("不做偏差修正时第一步的移动：", [round(v, 4) for v in step1_uncorrected.tolist()])
assert torch.allclose(by_hand, with_torch, atol=1e-5), "手写的 Adam 应与 torch.optim.Adam 一致"
assert torch.allclose(step1.abs(), torch.full((2,), 0.1), atol=1e-6)
assert torch.allclose(step1_uncorrected.abs(), torch.full((2,), 0.1 * 0.1 / 0.001**0.5), atol=1e-5)
print("✅ 手写公式与 torch.optim.Adam 的 30 步相同；梯度相差近 20 倍，第一步在两个坐标上都恰好走 α = 0.1；"
      "不做偏差修正时约为 3.16α")

# %% [markdown]
# 之后每一步的步长是 $\alpha\,|\hat m_k| / (\sqrt{\hat s_k} + \epsilon)$，随梯度的历史变化：梯度的方向和大小都比较稳定时接近 $\alpha$，方向来回翻转时 $\hat m_k$ 正负抵消，步长变小。它也可能大于 $\alpha$。Adam 的原论文（Kingma 和 Ba，2015，第 2.1 节）分析了一个极端情况：梯度长期为 0 之后突然出现，这一步约为 $\alpha\,(1 - \beta_1)/\sqrt{1 - \beta_2}$，默认参数下约为 $3.16\,\alpha$。下面先验证这个情况：

# %%
param = torch.zeros(1, requires_grad=True)
adam = torch.optim.Adam([param], lr=0.1)
for k in range(10001):
    adam.zero_grad()
    param.grad = torch.ones(1) if k == 10000 else torch.zeros(1)  # 前 10000 步梯度为 0，最后一步为 1
    before = param.detach().clone()
    adam.step()
jump = (param.detach() - before).abs().item()
print(f"最后一步移动了 {jump:.4f}，是学习率的 {jump / 0.1:.2f} 倍")
assert abs(jump / 0.1 - 3.16) < 0.01
print("✅ Adam 的步长不总是 α：这一步约为 3.16α")

# %% [markdown]
# 论文把 $3.16\,\alpha$ 当作步长的上界，但它其实不是上界：步长可以超过它。梯度长期为 0 之后，如果每一步都增大到上一步的 $\beta_2/\beta_1 \approx 1.11$ 倍，步长会逐渐增大到约 $7.27\,\alpha$。用柯西–施瓦茨不等式可以证明，不计 $\epsilon$ 时每一步的步长满足
#
# $$
# \frac{|\theta_k - \theta_{k-1}|}{\alpha} \le \frac{1 - \beta_1}{\sqrt{1 - \beta_2}} \cdot \frac{1}{\sqrt{1 - \beta_1^2/\beta_2}} ,
# $$
#
# 默认参数下右边约为 $7.27$，这个例子几乎达到了它：

# %%
param = torch.zeros(1, requires_grad=True)
adam = torch.optim.Adam([param], lr=0.1)
growth = 0.999 / 0.9  # β₂/β₁
largest = 0.0
for k in range(10200):
    adam.zero_grad()
    param.grad = torch.tensor([0.0 if k < 10000 else growth ** (k - 10000)])  # 前 10000 步梯度为 0，之后每步乘以 β₂/β₁
    before = param.detach().clone()
    adam.step()
    largest = max(largest, (param.detach() - before).abs().item())
print(f"最大的一步是学习率的 {largest / 0.1:.2f} 倍")
assert abs(largest / 0.1 - 7.27) < 0.01
print("✅ 这时 Adam 的一步约为 7.27α，超过了论文所说的 3.16α")

# %% [markdown]
# 所以 Adam 的学习率只是步长的大致尺度，和 SGD 的学习率含义不同，两者的数值不能直接比较。
#
# 现在比较三种方法：从 $(-4, 1.5)$ 出发，记录到最低点的距离第一次小于 $10^{-3}$ 时用了多少步。梯度下降和动量用同一个学习率 0.035，它接近梯度下降的上限 0.04；动量系数取 0.9。动量法的稳定上限不同：在二次函数上，它要求 $0 < \alpha\lambda_{\max} < 2(1 + \beta)$，$\beta = 0.9$ 时上限是 $2 \times 1.9 / 50 = 0.076$（本节末尾验证）。这里用同一个学习率，是为了只看动量本身带来的变化。

# %%
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

# %% mystnb={"image": {"alt": "三幅等高线图，都从 (−4, 1.5) 走向原点：梯度下降在陡的 θ₂ 方向跳几下后沿 θ₁ 慢慢挪；动量冲过头又折回，在原点附近摆动多次；Adam 先沿对角线走，再弯向原点。"}}
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
# 左图：梯度下降在陡的 $\theta_2$ 方向上来回跳了几下，之后沿平缓的 $\theta_1$ 方向一点点挪，点挤成一片。中图：动量越走越快，冲过了头（$\theta_1$ 跑到了 0 的右边）又折回来，在原点附近来回摆动多次后才停下。右图：Adam 开始时每一步在两个方向上的步长都接近 $\alpha$，先沿对角线走，再转向原点。

# %%
gd_path, momentum_path, adam_path = paths_opt.values()
zigzag = (gd_path[1:6, 1] * gd_path[:5, 1] < 0).all()
overshoot = momentum_path[:, 0].max() > 0.5
diagonal = (adam_path[1:6] - adam_path[:5]).abs()  # Adam 前 5 步在两个坐标上的移动
print("梯度下降前 5 步在 θ₂ 方向来回跳：", zigzag.item())
print("动量让 θ₁ 冲过了 0：", overshoot.item())
print("Adam 前 5 步每步在两个坐标上的移动：", [[round(v, 3) for v in row] for row in diagonal.tolist()])
assert zigzag and overshoot
assert ((diagonal - 0.1).abs() < 0.01).all()
print("✅ 之字形、冲过头；Adam 前 5 步在两个坐标上都走了约 α = 0.1")

# %% [markdown]
# 动量系数 $\beta$ 和学习率要一起调：可以把上面的 `momentum=0.9` 改成 0.7 或 0.8，看看步数怎么变。
#
# 别忘了最陡方向对学习率的限制：把梯度下降的学习率调到 0.041（刚过 $2/50$），$\theta_2$ 方向就发散了。动量法的上限是 0.076：学习率 0.075 仍然收敛，0.077 就发散了。

# %%
too_fast = run_optimizer(lambda params: torch.optim.SGD(params, lr=0.041), max_steps=100)
print(f"α = 0.041，100 步后 |θ₂| = {too_fast[-1, 1].abs().item():.2f}（起点是 1.5）")
assert too_fast[-1, 1].abs() > 1.5
print("✅ 学习率超过 2/50，陡的方向发散")
momentum_below = run_optimizer(lambda params: torch.optim.SGD(params, lr=0.075, momentum=0.9))
momentum_above = run_optimizer(lambda params: torch.optim.SGD(params, lr=0.077, momentum=0.9), max_steps=100)
print(f"动量（β = 0.9），α = 0.075：{len(momentum_below) - 1} 步到达；"
      f"α = 0.077，100 步后 |θ₂| = {momentum_above[-1, 1].abs().item():.3g}")
assert momentum_below[-1].norm() < 1e-3 and momentum_above[-1, 1].abs() > 1.5
print("✅ 动量法的上限是 2(1 + β)/50 = 0.076，高于梯度下降的 0.04")

# %% [markdown]
# 这里的比较只针对这一个问题和这几组**超参数**（hyperparameter），即学习率、动量系数、学习率调度这类由我们事先选定、不通过梯度学习的量。哪种优化器更好，要看具体的模型和数据；Adam 常被当作默认的起点，但它并不总是最好的。

# %% [markdown]
# ## 自测题
#
# 下面的题目点一下就能作答，并立即显示解析。在网站上不需要运行任何代码；在 JupyterLab 或 Colab 中，运行下面的单元格即可作答。

# %%
from lessons import quiz

quiz.show("05_gradient_descent")

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
# # 1000 / 64 = 15.625：15 个满的小批量，外加一个 40 个样本的小批量，每个迭代周期 16 次更新
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
# 提示：可以用第 3 节的推导，也可以写代码试验（例如对学习率做二分查找）。用二分查找得到的近似值也算对，但要取能收敛的那一侧（比临界值小，误差不超过 0.0005）：比临界值大的学习率会发散。用二分查找时，判断“收敛”不要要求几步之内误差很小：临界值附近收敛得极慢，这样会把临界值估小。改为判断离最低点的距离是否在变小，例如 N 步之后的 $|\theta_N - 1|$ 是否小于起点的 $|\theta_0 - 1|$。

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
# 另一种常见写法是 Sutskever 等人论文的 $v \leftarrow \beta v - \alpha \nabla J(\theta)$，$\theta \leftarrow \theta + v$：学习率不变时，它与上面的写法数学上完全相同（浮点数只差舍入误差），只是 $v$ 差一个因子 $-\alpha$；学习率变化时两者不同（第 6 节验证过）。检查器也接受这种写法。
#
# </details>
#
# ### 练习 5
#
# 输入是 $x = 0, 1, 2, 3, 4$（`x5 = torch.arange(5.0).reshape(-1, 1)`），模型是 $\hat y = wx + b$，损失是均方误差。用梯度下降训练 $(w, b)$ 时，学习率必须小于哪个临界值（$2/\lambda_{\max}$）？把这个数赋给 `answer`。
#
# 提示：先写出海森矩阵（想一想：它和 $y$ 有关吗？），再用 `torch.linalg.eigvalsh` 求特征值。
#
# 把算出的数直接赋给 `answer` 就可以。如果写成保留几位小数的近似值，要取能收敛的那一侧（比临界值小，误差不超过 0.0005）：比临界值大的学习率会发散，检查器不算对。

# %%
answer = None  # 把 None 换成你的答案
ex.check_5(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# x5 = torch.arange(5.0).reshape(-1, 1)
# X5 = torch.cat([x5, torch.ones_like(x5)], dim=1)  # 每行是 [x_i, 1]
# H5 = 2 / len(x5) * X5.T @ X5                     # [[12, 4], [4, 2]]，与 y 无关
# answer = 2 / torch.linalg.eigvalsh(H5).max().item()
# ```
#
# 特征值约为 13.40 和 0.60，答案约为 0.1492。只看对角元会得到 $2/12 \approx 0.167$，用这个学习率梯度下降会发散。
#
# </details>

# %% [markdown]
# ## 小结
#
# - 梯度下降的更新规则是 $\theta \leftarrow \theta - \alpha \nabla_\theta J(\theta)$：沿负梯度方向走一小步；用自动求导求梯度，在 `torch.no_grad()` 里原地更新参数，每一步都清零梯度；
# - 学习率太小收敛慢，太大则发散。在二次损失上，收敛需要 $0 < \alpha < 2/\lambda_{\max}$，$\lambda_{\max}$ 是海森矩阵的最大特征值（一元时就是 $J''$）。$\lambda_{\max}$ 不小于任何一个二阶偏导数（海森矩阵的对角元），有非零的非对角元时一般更大，所以只看对角元会高估学习率的上限；
# - 损失不是二次函数时，梯度下降停在哪里与起点有关：可能停在局部最小值，而不是全局最小值；梯度为 0 的点也可能是鞍点；
# - 学习率不太大（例如小于 $1/\lambda_{\max}$）时，收敛的快慢由最小特征值决定：上一课的五个点上 $\lambda \approx 23.66$ 和 $0.338$，学习率 0.01 时平缓方向每步只缩小到 0.99662 倍，所以 1000 个迭代周期后还剩 $b \approx 0.034$。把输入减去均值后，这组数据的两个特征值只差 2 倍，学习率 0.3 只要 10 步就到最优解附近；
# - 批量梯度下降的梯度精确、曲线光滑，但每个迭代周期只更新一次；随机和小批量梯度下降更新得更频繁，代价是梯度有噪声，学习率不变时会停在最优解附近跳动，要用学习率调度（如 `StepLR`）逐渐减小学习率；`torch.optim.SGD` 本身不决定用多少样本，用多少样本由训练循环每一步喂给模型的数据决定（例如 `DataLoader` 或 `fit` 的 `batch_size`）；
# - PyTorch 的动量法是 $v \leftarrow \beta v + g$，$\theta \leftarrow \theta - \alpha v$；Adam 用带偏差修正的一阶、二阶滑动平均，第一步在梯度远大于 $\epsilon$ 的每个坐标上都走 $\alpha$，之后的步长随梯度的历史变化。在这一课的扁平曲面上两者都比普通梯度下降快；哪种优化器更好，要看具体问题。
