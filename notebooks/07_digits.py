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
# # 实战：手写数字识别
#
# **导读**：前面几课的数据都是几个点、一条曲线或两个半月形，由代码生成。这一课换成真实的数据：1797 张扫描得到的手写数字图片，每张 8×8 个像素，要把它们分成 0 到 9 这 10 类。我们把一个真实项目的每一步都走一遍：先看数据，切出训练集、验证集和测试集；只用训练集的统计量做**标准化**（standardization）；用**数据集**（dataset）和数据加载器按小批量取数据；写一个多层感知机，用**交叉熵**（cross-entropy）训练它；按验证集选定训练多少个迭代周期，最后在测试集上报告一次准确率；再用**混淆矩阵**（confusion matrix）看看模型错在哪里，把训练好的参数保存到文件、再读回来。新的工具（数据集类、softmax、交叉熵、训练模式与评估模式、保存和加载）在用到时逐一介绍，其余都是前几课学过的东西。
#
# **学习目标**
#
# - 知道训练集、验证集、测试集各自的用途，会用训练集的统计量标准化数据，并说出为什么不能用全部数据；
# - 会用 `TensorDataset` 和自己写的 `Dataset` 子类配合 `DataLoader` 取小批量；
# - 理解多分类模型输出的对数几率、softmax 和 `nn.CrossEntropyLoss`，知道交叉熵要什么样的输入和目标；
# - 会写完整的训练与评估循环：`model.train()`、`model.eval()`、`torch.no_grad()`，按验证集选择迭代周期数；
# - 会用混淆矩阵分析错误，会用 `state_dict` 保存和加载模型。

# %% [markdown]
# ## 0. 准备
#
# 第一个单元格和每一课一样：在 Colab 中安装课程辅助包，在本地什么也不做。这一课的数据随 scikit-learn 一起安装（Colab 已经预装了它），不需要下载。
#
# 导入的 `expect_error` 在第 1 课介绍过，用来演示故意写错的代码：代码报出所说的错误时，它打印错误的类型和第一行信息；代码没有报错时，它反而报错，提醒你结果与课文所说的不符。

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
import pickle
import tempfile
import zipfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.metrics import confusion_matrix
from torch import nn
from torch.utils.data import DataLoader, Dataset, TensorDataset

import lessons
from lessons import data, vision
from lessons.checking import expect_error

env = lessons.setup(seed=0)

# %% [markdown]
# ## 1. 先看数据：训练集、验证集和测试集
#
# 第 6 课的最后一节已经把数据分成了三份，这一课在真实数据上照样做。复习一下各自的用途：训练集用来更新参数；训练时还要做许多选择（训练多少个迭代周期、隐藏层多宽、学习率多大），这些超参数按验证集上的表现来挑；测试集一直放着不用，所有选择都做完以后才用它评估一次。如果拿测试集来挑超参数，胜出的设置有一部分是靠在这份测试集上碰巧表现好，再用同一份测试集测出的准确率就会偏高，不再能代表模型在新数据上的表现。
#
# `lessons.data.digits` 把 1797 张图片按 60% / 20% / 20% 切成三份。切分用的是**分层抽样**（stratified sampling）：每个数字分别按比例切，所以每个数字在三个集合里都有，所占比例也和全体数据几乎相同。种子固定，每次切分的结果都一样。

# %%
(x_train, y_train), (x_val, y_val), (x_test, y_test) = data.digits(seed=0)
for name, x, y in [("训练集", x_train, y_train), ("验证集", x_val, y_val), ("测试集", x_test, y_test)]:
    print(f"{name}：x {tuple(x.shape)} {x.dtype}，y {tuple(y.shape)} {y.dtype}")

# %% [markdown]
# 每张图片按行展开成 64 个数，所以 `x` 的形状是 `(样本数, 64)`；`y` 是 0 到 9 的整数标签。把一行变回 8×8 就能画出来：

# %% mystnb={"image": {"alt": "训练集前 20 张 8×8 的手写数字图片，分两行，标签依次是 2、3、8、1、9、6、3、8、0、0、9、9、7、3、8、7、8、8、6、1；像素很粗，笔画呈块状。"}}
vision.show_images(x_train[:20], y_train[:20], title="训练集中的前 20 张图片（上方是标签）")
plt.show()

# %% [markdown]
# 图片很粗糙：原始的扫描图是 32×32 的黑白点阵，被分成 64 个 4×4 的小块，每个像素记录一个小块的 16 个点里有几个落在笔画上，所以像素值是 0 到 16 的整数。数一数每个集合里各个数字有多少张：

# %%
counts = {name: torch.bincount(y, minlength=10) for name, y in [("训练集", y_train), ("验证集", y_val), ("测试集", y_test)]}
print("数字：  ", " ".join(f"{d:4d}" for d in range(10)))
for name, c in counts.items():
    print(f"{name}：", " ".join(f"{n:4d}" for n in c.tolist()), f"  共 {c.sum().item()} 张")

all_pixels = torch.cat([x_train, x_val, x_test])
print("像素的最小值和最大值：", all_pixels.min().item(), all_pixels.max().item())

# %%
y_all = torch.cat([y_train, y_val, y_test])
share_all = torch.bincount(y_all, minlength=10) / len(y_all)
for name, c in counts.items():
    assert (c > 0).all(), f"{name}里缺少某个数字"
    assert (c / c.sum() - share_all).abs().max() < 0.01, f"{name}中各数字的比例与全体数据相差太大"
assert len(y_all) == 1797, "三个集合合起来应有 1797 张图片：请从第 1 节的第一个代码单元格起按顺序重新运行"
assert torch.equal(all_pixels, all_pixels.round()) and all_pixels.min() == 0 and all_pixels.max() == 16, "像素应是 0 到 16 的整数：请从第 1 节的第一个代码单元格起按顺序重新运行"
print("✅ 三个集合都有全部 10 个数字，比例与全体数据相差不到 1 个百分点；像素是 0 到 16 的整数")

# %% [markdown]
# 还有一点要知道：scikit-learn 的说明写着，这份数据是 UCI 手写数字数据集中测试集的那一部分，而那部分是 13 个人写的。随机切分时，同一个人写的数字会同时出现在训练集和测试集里，所以测试准确率衡量的是模型认这 13 个人写的、模型没见过的其他数字的本领。换成从没见过的人来写，准确率很可能低一些。

# %% [markdown]
# ## 2. 标准化：只用训练集的统计量
#
# 不同位置的像素取值范围差别很大：边上的像素几乎总是 0，中间的像素常常很大。把每个像素（每一列）都变成均值为 0、标准差为 1，让所有输入处于相近的尺度，这叫标准化，是训练神经网络之前常做的一步：
#
# $$
# x' = \frac{x - \mu}{\sigma},
# $$
#
# 其中 $\mu$ 和 $\sigma$ 是这一列的均值和标准差。关键在于 $\mu$ 和 $\sigma$ **只用训练集来算**，然后原样用到验证集和测试集上。先算一下，会发现一个问题：

# %%
raw_mean = x_train.mean(dim=0)  # 每个像素（每一列）的均值，形状 (64,)
raw_std = x_train.std(dim=0)     # 还没处理标准差为 0 的像素；不叫 std，以免与下面 standardize 用的 std 混淆
constant = torch.nonzero(raw_std == 0).reshape(-1)
print("训练集里标准差为 0 的像素：", constant.tolist())
naive = (x_train - raw_mean) / raw_std
print("直接相除后出现的 nan 个数：", torch.isnan(naive).sum().item())

# %% [markdown]
# 有 4 个像素在训练集的每张图片里都是 0，标准差为 0，相除得到 $0/0$，也就是 `nan`（不是一个数）。`nan` 一旦进入模型，损失就是 `nan`，只要更新一步，所有参数也都变成 `nan`。这几个像素减去均值之后已经全是 0，把它们的标准差换成 1 就行了：

# %%
mean = x_train.mean(dim=0)
std = x_train.std(dim=0)
std[std == 0] = 1.0  # 训练集里恒为常数的像素：减去均值后已经是 0，除以 1 保持不变


def standardize(x):
    """用训练集的均值和标准差标准化：每个像素减去均值、除以标准差。"""
    return (x - mean) / std


z_train, z_val = standardize(x_train), standardize(x_val)
varying = x_train.std(dim=0) > 0  # 只看训练集中有变化的像素
print("训练集各列均值的最大绝对值：", round(z_train.mean(dim=0).abs().max().item(), 6))
print("训练集各列标准差：", round(z_train.std(dim=0)[varying].min().item(), 4), "到", round(z_train.std(dim=0)[varying].max().item(), 4))
print("验证集各列均值的最大绝对值：", round(z_val.mean(dim=0).abs().max().item(), 3))
assert not torch.isnan(z_train).any(), "标准化后的训练集不应有 nan：请从第 2 节的第一个代码单元格起按顺序重新运行"
assert z_train.mean(dim=0).abs().max() < 1e-5, "标准化后训练集每列的均值应为 0：请从第 2 节的第一个代码单元格起按顺序重新运行"
assert torch.allclose(z_train.std(dim=0)[varying], torch.ones(int(varying.sum())), atol=1e-5), "标准化后训练集有变化的列，标准差应为 1：请从第 2 节的第一个代码单元格起按顺序重新运行"
print("✅ 训练集标准化后每列均值为 0、标准差为 1；验证集只是接近，并不恰好如此")

# %% [markdown]
# 验证集的均值不恰好是 0，这正是我们想要的：它就像将来才到的新数据，我们只能用从训练集学到的 $\mu$ 和 $\sigma$ 去处理它。
#
# 为什么不用全部 1797 张图片来算 $\mu$ 和 $\sigma$？因为那样一来，验证集和测试集的信息就通过这两个统计量流进了训练过程，这叫**数据泄漏**（data leakage）。评估时模型面对的不再是真正“没见过”的数据，测出的准确率往往偏乐观。真实的新数据要等模型上线以后才出现，训练时根本拿不到，所以评估必须模拟这种情况。看看两种算法差在哪里：

# %%
mean_all, std_all = all_pixels.mean(dim=0), all_pixels.std(dim=0)
print("两种均值最多相差：  ", round((mean - mean_all).abs().max().item(), 3))
print("全部数据中标准差为 0 的像素：", torch.nonzero(std_all == 0).reshape(-1).tolist())
print("像素 56 在测试集里出现过的值：", x_test[:, 56].unique().tolist())
assert 56 in constant.tolist() and std_all[56] > 0, "像素 56 在训练集里应恒为 0，在全部数据里标准差应大于 0：请从第 2 节的第一个代码单元格起按顺序重新运行"
assert (x_val[:, 56] > 0).sum() == 0 and (x_test[:, 56] > 0).sum() == 1, "像素 56 应只在一张测试图片里不是 0：请从第 1 节的第一个代码单元格起按顺序重新运行"
print("✅ 像素 56 在训练集和验证集里恒为 0，只在一张测试图片里不是 0：只有看了测试集才知道它会变")

# %% [markdown]
# 在这个数据集上，两组统计量相差不大。但像素 56 说明了泄漏是怎么回事：只看训练集，它永远是 0；用全部数据来算，标准化这一步就提前“知道”了只在测试集里出现的情况，它的均值和标准差里含有一张测试图片的信息。规则很简单：**预处理用到的一切统计量（均值、标准差、要保留哪些特征……）都只用训练集来算。**

# %% [markdown]
# ## 3. 数据集与数据加载器
#
# 第 5 课用 `TensorDataset` 和数据加载器 `DataLoader` 取过小批量。在 PyTorch 里，数据集是一个可以问长度（`len(ds)`）、可以按下标取出一个样本（`ds[i]`）的对象，`torch.utils.data.Dataset` 是它们的基类。（PyTorch 还有一种按顺序逐个产出样本、不能按下标取的 `IterableDataset`，这一课用不到。）`TensorDataset` 是最简单的一种：把几个第一维长度相同的张量按样本配对。

# %%
tensor_set = TensorDataset(standardize(x_train), y_train)
image_0, label_0 = tensor_set[0]
print("样本数：", len(tensor_set))
print("第 0 个样本：图片", tuple(image_0.shape), "标签", label_0.item())

# %% [markdown]
# 数据需要在取出时再处理（比如从硬盘读图片、做标准化或随机变换），或者不是几个现成的张量时，就自己写一个 `Dataset` 的子类，实现两个魔术方法：
#
# - `__len__(self)`：返回样本数，`len(ds)` 调用它；
# - `__getitem__(self, index)`：返回第 `index` 个样本，`ds[index]` 调用它。
#
# 下面的数据集保存原始像素，每次取样本时才做标准化：

# %%
class DigitsDataset(Dataset):
    """手写数字数据集：保存原始像素，取出样本时用给定的均值和标准差做标准化。"""

    def __init__(self, images, labels, mean, std):
        if len(images) != len(labels):
            raise ValueError(f"图片有 {len(images)} 张，标签有 {len(labels)} 个，两者必须一样多")
        self.images, self.labels = images, labels
        self.mean, self.std = mean, std

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        image = (self.images[index] - self.mean) / self.std
        return image, self.labels[index]


train_set = DigitsDataset(x_train, y_train, mean, std)  # 三个集合都用训练集的 mean 和 std
val_set = DigitsDataset(x_val, y_val, mean, std)
test_set = DigitsDataset(x_test, y_test, mean, std)

image_0, label_0 = train_set[0]
print("样本数：", len(train_set), len(val_set), len(test_set))
assert torch.allclose(image_0, tensor_set[0][0]) and label_0 == tensor_set[0][1], "两种数据集取出的第 0 个样本应相同：请从第 3 节的第一个代码单元格起按顺序重新运行"
print("✅ 自己写的数据集和 TensorDataset 取出的第 0 个样本相同")

# %% [markdown]
# 数据加载器反复调用 `__getitem__`，把 `batch_size` 个样本叠成一个小批量：形状 `(64,)` 的图片叠成 `(32, 64)`，标量标签叠成 `(32,)`。
#
# - 训练集用 `shuffle=True`，每个迭代周期打乱一次顺序；传入设好种子的 `generator`，打乱的顺序就能复现。
# - 验证集和测试集只用来评估，顺序无关紧要，用 `shuffle=False`（默认值）。
# - `num_workers=0` 表示在当前进程里读数据（这也是默认值）。数据很大、读取很慢时，可以用多个子进程并行读取；这里的数据已经全部在内存里，用不着。

# %%
def make_train_loader(dataset, seed=0):
    """训练用的数据加载器：每批 32 个样本，每个迭代周期按固定的种子打乱顺序。"""
    return DataLoader(dataset, batch_size=32, shuffle=True, num_workers=0,
                      generator=torch.Generator().manual_seed(seed))


train_loader = make_train_loader(train_set)
val_loader = DataLoader(val_set, batch_size=256, shuffle=False)
test_loader = DataLoader(test_set, batch_size=256, shuffle=False)

xb, yb = next(iter(train_loader))
print("一个小批量：图片", tuple(xb.shape), xb.dtype, " 标签", tuple(yb.shape), yb.dtype)
print("每个迭代周期的小批量个数：", len(train_loader))
sizes = [len(labels) for _, labels in train_loader]
print("最后一个小批量的大小：", sizes[-1])

# %% [markdown]
# 1079 个样本每 32 个一批，前 33 批各 32 个，最后一批只剩 $1079 - 33 \times 32 = 23$ 个，一共 $\lceil 1079 / 32 \rceil = 34$ 批。（想丢掉不满的最后一批，可以传 `drop_last=True`。）

# %%
loader_a = make_train_loader(train_set, seed=0)
first_epoch = torch.cat([labels for _, labels in loader_a])   # 第一个迭代周期的标签顺序
second_epoch = torch.cat([labels for _, labels in loader_a])  # 第二个迭代周期
again = torch.cat([labels for _, labels in make_train_loader(train_set, seed=0)])  # 同一个种子，重新开始
assert len(train_loader) == math.ceil(1079 / 32) == 34 and sizes[-1] == 23 and sum(sizes) == 1079, "应有 34 个小批量、最后一个有 23 个样本：请从第 3 节的第一个代码单元格起按顺序重新运行"
assert not torch.equal(first_epoch, second_epoch), "同一个数据加载器的两个迭代周期，打乱的顺序应不同"
assert torch.equal(first_epoch, again), "种子相同时，打乱的顺序应相同"
print("✅ 34 个小批量，每个样本用一次；每个迭代周期顺序不同，种子相同时顺序可以复现")

# %% [markdown]
# ## 4. 模型：`nn.Module` 子类与 `nn.Sequential`
#
# 模型沿用第 6 课的多层感知机：64 个像素 → 64 个隐藏单元（ReLU）→ 10 个输出，每个数字一个。先写成 `nn.Module` 的子类，把隐藏单元的个数做成参数，练习 4 会用到：

# %%
class DigitMLP(nn.Module):
    """手写数字分类器：64 个像素 → n_hidden 个隐藏单元（ReLU）→ 10 个对数几率。"""

    def __init__(self, n_hidden=64):
        super().__init__()
        self.hidden = nn.Linear(64, n_hidden)
        self.output = nn.Linear(n_hidden, 10)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


lessons.seed_everything(0)
digit_net = DigitMLP()
same_with_sequential = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))


def count_parameters(model):
    """模型中参数的总个数。"""
    return sum(p.numel() for p in model.parameters())


print("子类：      ", [name for name, _ in digit_net.named_parameters()])
print("Sequential：", [name for name, _ in same_with_sequential.named_parameters()])
print("参数个数：", count_parameters(digit_net), count_parameters(same_with_sequential))
assert count_parameters(digit_net) == count_parameters(same_with_sequential) == (64 * 64 + 64) + (64 * 10 + 10) == 4810, "两种写法都应有 4810 个参数"
print("✅ 两种写法都有 (64×64+64) + (64×10+10) = 4810 个参数")

# %% [markdown]
# 两种写法的结构和参数个数相同（初始值不同，因为是先后两次随机初始化的），参数的名字也不同：子类用属性名（`hidden.weight`），`nn.Sequential` 用层的序号（`0.weight`）。ReLU 是第 1 层，没有参数，所以第二个线性层的参数叫 `2.weight`。第 8 节保存和加载参数时，靠的就是这些名字。

# %% [markdown]
# ## 5. 多分类：对数几率、softmax 与交叉熵
#
# ### 5.1 从对数几率到概率
#
# 把一个小批量交给还没训练的模型，每个样本得到 10 个实数，每个数字一个。它们可正可负，加起来也不是 1。第 6 课介绍过，二分类模型输出的这种分数叫对数几率（logit），多分类时也这样叫。**softmax 函数**（softmax function）把它们变成 10 个加起来等于 1 的正数，可以当作概率：
#
# $$
# p_k = \operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j=0}^{9} e^{z_j}}, \qquad k = 0, 1, \dots, 9.
# $$

# %%
lessons.seed_everything(0)
untrained = DigitMLP()  # 还没训练的模型（与第 4 节的 digit_net 初始参数相同）
with torch.no_grad():
    logits = untrained(xb)
probs = torch.softmax(logits, dim=1)  # dim=1：对每一行（每个样本）的 10 个数做 softmax
print("对数几率的形状：", tuple(logits.shape))
print("第 0 个样本的对数几率：", [round(v, 2) for v in logits[0].tolist()])
print("第 0 个样本的概率：    ", [round(v, 3) for v in probs[0].tolist()])

# %% [markdown]
# softmax 不改变大小顺序，所以对数几率最大的那一类，概率也最大：预测类别直接对对数几率取 `argmax` 即可，不必先算 softmax。
#
# “对数几率”这个名字来自二分类：第 6 课的对数几率 $z$ 满足 $z = \log \frac{p}{1-p}$，$\frac{p}{1-p}$ 叫“几率”（odds）。多分类时，单独一个 $z_k$ 没有这样的含义，有意义的是两类之差：$z_i - z_j = \log (p_i / p_j)$，即第 $i$ 类相对第 $j$ 类的几率的对数。概率只取决于这些差，所以给 10 个对数几率同时加上同一个数，概率不变。

# %%
assert torch.allclose(probs.sum(dim=1), torch.ones(len(probs))), "每行概率之和应为 1：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
assert (probs > 0).all(), "每个概率都应大于 0：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
assert torch.equal(probs.argmax(dim=1), logits.argmax(dim=1)), "概率和对数几率的 argmax 应相同：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
assert torch.allclose(logits[:, 3] - logits[:, 7], torch.log(probs[:, 3] / probs[:, 7]), atol=1e-5), "两类对数几率之差应等于概率之比的对数：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
assert torch.allclose(torch.softmax(logits + 5.0, dim=1), probs, atol=1e-6), "给对数几率整体加 5 不应改变概率：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
print("✅ 每行概率加起来是 1；argmax 不变；两类对数几率之差等于概率之比的对数；整体平移不改变概率")

# %% [markdown]
# ### 5.2 交叉熵
#
# 第 6 课的二元交叉熵推广到多类，就是交叉熵：模型给正确类别 $y$ 的概率越大，损失越小，
#
# $$
# \ell = -\log p_y = -z_y + \log \sum_{j} e^{z_j}.
# $$
#
# 一个小批量的损失是各样本损失的平均。`nn.CrossEntropyLoss` 直接从对数几率算起：它相当于先用 `F.log_softmax` 算出每一类的 $\log p_k$，再取出正确类别的那一项、取负（下面会看到，这比先算 softmax 再取对数更稳定）。它要两样东西：
#
# - 输入：对数几率，形状 `(N, 10)`，**不要**先做 softmax；
# - 目标：类别的下标，形状 `(N,)`，类型是 `torch.long`（即 `int64`）。

# %%
loss_fn = nn.CrossEntropyLoss()
loss_builtin = loss_fn(logits, yb)
loss_by_hand = -torch.log(probs[torch.arange(len(yb)), yb]).mean()  # 每行取出正确类别的概率
log_probs = F.log_softmax(logits, dim=1)  # 每一类的 log p_k
loss_from_log_softmax = -log_probs[torch.arange(len(yb)), yb].mean()  # 取出正确类别的那一项、取负，再平均
print(f"nn.CrossEntropyLoss：{loss_builtin.item():.4f}   按公式：{loss_by_hand.item():.4f}   "
      f"由 log_softmax：{loss_from_log_softmax.item():.4f}   ln 10 = {math.log(10):.4f}")
assert torch.allclose(loss_builtin, loss_by_hand, atol=1e-6), "与公式不符：请从第 5.1 节的单元格开始重新运行"
assert torch.allclose(loss_builtin, loss_from_log_softmax, atol=1e-6), "与 log_softmax 的结果不符：请从第 5.1 节重新运行"
assert abs(loss_builtin.item() - math.log(10)) < 0.2, "未训练模型的损失应接近 ln 10：请从第 5.1 节重新运行"
print("✅ 与公式一致，也等于 log_softmax 取出正确类别再取负；未训练的模型对 10 类给出差不多的概率，损失接近 ln 10")

# %% [markdown]
# 这个损失对对数几率的梯度格外简单（推导见《动手学深度学习》3.4 节“softmax 回归”）：
#
# $$
# \frac{\partial \ell}{\partial z_k} = p_k - [k = y],
# $$
#
# 其中 $[k = y]$ 在 $k$ 是正确类别时为 1，否则为 0。也就是说，梯度等于“预测的概率”减去“正确答案”：正确类别的对数几率被往上推，其余的被往下压，预测越接近正确答案，梯度越小。一个小批量取平均，梯度再除以样本数 $N$。用自动求导核对一下：

# %%
z = logits.clone().requires_grad_()
loss_fn(z, yb).backward()
target = torch.zeros_like(probs)
target[torch.arange(len(yb)), yb] = 1.0  # 每行只在正确类别处为 1
assert torch.allclose(z.grad, (probs - target) / len(yb), atol=1e-7), "梯度应等于 (概率 − 正确答案) / N：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
print("✅ 交叉熵对对数几率的梯度等于 (概率 − 正确答案) / N")

# %% [markdown]
# 为什么说从对数几率直接算更稳定？看一个极端的例子：两类的对数几率是 0 和 200。先算 softmax，第 0 类的概率 $e^{-200} \approx 10^{-87}$ 比 `float32` 能表示的最小正数（约 $10^{-45}$）还小，变成了 0，这叫下溢；再取对数就得到 `-inf`。照字面按 $z_k - \log \sum_j e^{z_j}$ 计算也不行：$e^{200}$ 超过了 `float32` 的最大值（约 $3.4 \times 10^{38}$），变成 `inf`，这叫上溢，结果同样是 `-inf`。`F.log_softmax` 先减去这一行最大的对数几率 $m = \max_j z_j$，再套用同一个式子：
#
# $$
# \log p_k = z_k - m - \log \sum_j e^{z_j - m}.
# $$
#
# 两种写法在数学上相等（因为 $\log \sum_j e^{z_j} = m + \log \sum_j e^{z_j - m}$），但现在每个指数 $z_j - m$ 都不大于 0，$e^{z_j - m}$ 不会上溢；和式里至少有一项是 $e^0 = 1$，取对数也不会得到 `-inf`。于是得到准确的 $-200$。

# %%
extreme = torch.tensor([[0.0, 200.0]])
literal = extreme - torch.log(torch.exp(extreme).sum(dim=1, keepdim=True))  # 照字面的公式
m = extreme.max(dim=1, keepdim=True).values
shifted = extreme - m - torch.log(torch.exp(extreme - m).sum(dim=1, keepdim=True))  # 先减去最大值
print("先 softmax 再取对数：", torch.log(torch.softmax(extreme, dim=1)).tolist())
print("照字面的公式：      ", literal.tolist(), "  其中 e^200 =", torch.exp(extreme)[0, 1].item())
print("先减去最大值：      ", shifted.tolist())
print("F.log_softmax：      ", F.log_softmax(extreme, dim=1).tolist())
print("交叉熵（目标为第 0 类）：", loss_fn(extreme, torch.tensor([0])).item())
assert torch.isinf(torch.log(torch.softmax(extreme, dim=1))[0, 0]), "先 softmax 再取对数，第 0 类应得到 -inf"
assert torch.isinf(torch.exp(extreme)[0, 1]) and torch.isinf(literal[0, 0]), "e^200 应上溢成 inf，照字面的公式应得到 -inf"
assert torch.equal(shifted, F.log_softmax(extreme, dim=1)) and shifted[0, 0].item() == -200.0, "先减去最大值应得到 −200，与 F.log_softmax 相同"
assert loss_fn(extreme, torch.tensor([0])).item() == 200.0, "交叉熵应给出有限的 200：请从第 5.2 节的第一个代码单元格起按顺序重新运行"
print("✅ 先减去最大值才得到准确的 −200；nn.CrossEntropyLoss 给出有限的 200，而先算 softmax 会得到无穷大")

# %% [markdown]
# ### 5.3 三个常见错误
#
# **错误一：先做 softmax，再交给交叉熵。** 这和第 6 课“sigmoid 做了两次”是同一类错误。它不会报错，但算的是错的东西：`nn.CrossEntropyLoss` 会把收到的概率再当成对数几率做一次 softmax。概率都在 0 到 1 之间，再做一次 softmax 后差别很小，哪怕预测得完全正确（正确类别概率为 1，其余为 0），损失也降不到 0，而是 $-\log \frac{e}{e + 9} \approx 1.4612$。这是它能达到的最小值：

# %%
perfect = F.one_hot(yb, num_classes=10).float()  # 完美的预测：正确类别的概率为 1
print(f"把“完美的概率”当作输入：损失 = {loss_fn(perfect, yb).item():.4f}")
assert abs(loss_fn(perfect, yb).item() - (-math.log(math.e / (math.e + 9)))) < 1e-5, "把“完美的概率”当作输入时损失应为 1.4612：请从第 5.2 节的第一个代码单元格起按顺序重新运行"

# %% [markdown]
# 梯度也被这层多余的 softmax 压小了：反向传播时，上一节的“概率减正确答案”还要再穿过一层 softmax 的导数。比较同一个未训练的模型在同一批数据上，第一层权重的梯度有多大：

# %%
def first_layer_grad_norm(apply_softmax):
    """未训练模型在 xb 上的损失对第一层权重的梯度的范数；apply_softmax=True 模拟错误的写法。"""
    lessons.seed_everything(0)
    net = DigitMLP()
    out = net(xb)
    if apply_softmax:
        out = torch.softmax(out, dim=1)
    loss_fn(out, yb).backward()
    return net.hidden.weight.grad.norm().item()


right, wrong = first_layer_grad_norm(False), first_layer_grad_norm(True)
print(f"梯度的范数：正确写法 {right:.3f}，多做一次 softmax {wrong:.3f}，相差 {right / wrong:.1f} 倍")
assert right / wrong > 5, "多做一次 softmax 时梯度应小 5 倍以上：请从第 3 节的第一个代码单元格起按顺序重新运行"
print("✅ 多做一次 softmax，梯度小了 5 倍以上")

# %% [markdown]
# 用同样的随机梯度下降（学习率 0.1）各训练 5 个迭代周期，差别就很明显了。`quick_train` 是一个最简单的训练循环，下一节再写完整的版本：

# %%
def quick_train(apply_softmax, epochs=5, optimizer_class=torch.optim.SGD, lr=0.1):
    """用给定的优化器（默认 SGD，学习率 0.1）训练 DigitMLP，返回最后一个迭代周期的平均损失和验证准确率。"""
    lessons.seed_everything(0)
    net = DigitMLP().to(env.device)
    optimizer = optimizer_class(net.parameters(), lr=lr)
    loader = make_train_loader(train_set)  # 只创建一次：每个迭代周期的打乱顺序各不相同
    for _ in range(epochs):
        total = 0.0
        for xb_, yb_ in loader:
            xb_, yb_ = xb_.to(env.device), yb_.to(env.device)
            out = net(xb_)
            if apply_softmax:
                out = torch.softmax(out, dim=1)  # 错误的写法
            loss = loss_fn(out, yb_)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb_)
    with torch.no_grad():
        acc = (net(standardize(x_val).to(env.device)).argmax(dim=1).cpu() == y_val).float().mean().item()
    return total / len(train_set), acc


loss_right, acc_right = quick_train(apply_softmax=False)
loss_wrong, acc_wrong = quick_train(apply_softmax=True)
print(f"正确写法：        训练损失 {loss_right:.3f}，验证准确率 {acc_right:.1%}")
print(f"多做一次 softmax：训练损失 {loss_wrong:.3f}，验证准确率 {acc_wrong:.1%}")
assert loss_wrong > 1.4612 > loss_right, "错误写法的损失应停在 1.4612 以上，正确写法应低于它：请从第 3 节的第一个代码单元格起按顺序重新运行"
assert acc_right - acc_wrong > 0.2, "错误写法的验证准确率应低 20 个百分点以上：请从第 3 节的第一个代码单元格起按顺序重新运行"
print("✅ 错误的写法损失停在 1.46 以上，验证准确率低了 20 个百分点以上")

# %% [markdown]
# 换成 Adam 这类会自动调整步长的优化器（第 5 课），结果又怎样？用 Adam（学习率 0.001，和第 6 节的训练相同）把两种写法各训练 5 个和 10 个迭代周期：

# %%
for n_epochs in (5, 10):
    loss_r, acc_r = quick_train(apply_softmax=False, epochs=n_epochs, optimizer_class=torch.optim.Adam, lr=1e-3)
    loss_w, acc_w = quick_train(apply_softmax=True, epochs=n_epochs, optimizer_class=torch.optim.Adam, lr=1e-3)
    print(f"Adam，{n_epochs:2d} 个迭代周期：正确写法 训练损失 {loss_r:.3f}、验证准确率 {acc_r:.1%}；"
          f"多做一次 softmax 训练损失 {loss_w:.3f}、验证准确率 {acc_w:.1%}")
    assert loss_w > 1.4612 > loss_r, "多做一次 softmax 时损失应停在 1.4612 以上：请从第 5.3 节开头重新运行"
    if n_epochs == 5:
        assert 0.05 < acc_r - acc_w < 0.09, "5 个迭代周期时准确率应相差 5 到 9 个百分点：请从第 5.3 节开头重新运行"
    else:
        assert abs(acc_r - acc_w) < 0.02, "10 个迭代周期时准确率应相差不到 2 个百分点：请从第 5.3 节开头重新运行"
print("✅ 用 Adam 时，准确率只差几个百分点，训练久一些几乎看不出差别；错误写法的损失仍在 1.46 以上")

# %% [markdown]
# 用 Adam 时，准确率的差距小得多：5 个迭代周期只差约 7 个百分点，训练到 10 个迭代周期，差距已经不到 2 个百分点。光看准确率，很容易发现不了这个错误；但损失仍然停在 1.46 以上，不再是真正的交叉熵，它的数值说明不了模型有多好。所以记住：**模型的最后一层不加 softmax，直接把对数几率交给 `nn.CrossEntropyLoss`**；需要概率时（比如要显示“有 97% 的把握是 3”），再在模型外面单独调用 `torch.softmax`。
#
# 在别处（包括 PyTorch 的一些示例）你可能见到另一种写法：模型最后做一次 log_softmax（`nn.LogSoftmax(dim=1)` 层，或在 `forward` 里调用 `F.log_softmax`），损失用 `nn.NLLLoss`（或 `F.nll_loss`）。这也是对的：`nn.CrossEntropyLoss` 正等于先 `F.log_softmax` 再 `nn.NLLLoss`。但 `nn.NLLLoss` 要的是 log_softmax 的输出，它只是取出正确类别的那一项、取负再平均；直接给它对数几率不会报错，算的却不是交叉熵：

# %%
nll = nn.NLLLoss()
loss_nll = nll(F.log_softmax(logits, dim=1), yb)
loss_nll_wrong = nll(logits, yb)  # 错误：把对数几率直接交给 NLLLoss
print(f"log_softmax + NLLLoss：{loss_nll.item():.4f}   CrossEntropyLoss：{loss_builtin.item():.4f}")
print(f"对数几率直接交给 NLLLoss：{loss_nll_wrong.item():.4f}")
assert torch.allclose(loss_nll, loss_builtin), "log_softmax 加 NLLLoss 应等于交叉熵：请从第 5.1 节重新运行"
assert torch.allclose(loss_nll_wrong, -logits[torch.arange(len(yb)), yb].mean()), "NLLLoss 应只取出正确类别的那一项、取负再平均"
assert not torch.allclose(loss_nll_wrong, loss_builtin), "直接给对数几率时，NLLLoss 不应等于交叉熵"
print("✅ log_softmax 加 NLLLoss 就是交叉熵；直接给对数几率时，NLLLoss 只是正确类别的对数几率取负再平均，不是交叉熵")

# %% [markdown]
# **错误二：把标签换成独热向量。** 把类别 3 写成 `[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]` 这样只有一个 1 的向量，叫**独热编码**（one-hot encoding）。`F.one_hot` 得到的是整数张量，交给交叉熵会报错：

# %%
one_hot = F.one_hot(yb, num_classes=10)
print("独热标签：", tuple(one_hot.shape), one_hot.dtype)
with expect_error(RuntimeError):
    loss_fn(logits, one_hot)

# %% [markdown]
# 报错说的是：目标的形状和输入相同时，`nn.CrossEntropyLoss` 把它理解为“每一类的概率”，这时目标必须是浮点数。转成浮点数以后就不报错了，而且结果和整数标签相同（最多差一点浮点舍入误差）：独热向量正是“正确类别概率为 1”的概率分布。

# %%
loss_one_hot = loss_fn(logits, one_hot.float())
print(f"整数标签：{loss_builtin.item():.4f}   浮点的独热向量：{loss_one_hot.item():.4f}")
assert torch.allclose(loss_one_hot, loss_builtin), "浮点的独热向量与整数标签应给出相同的损失：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
print("✅ 两者相同（在浮点误差范围内）")

# %% [markdown]
# 所以准确的规则是：目标可以是类别下标（形状 `(N,)`，类型 `torch.long`，见下面的错误三），也可以是每类的概率（形状 `(N, 10)`、浮点数）。PyTorch 文档说，目标是类别下标时通常计算得更快，只有一个样本不能只用一个类别来描述时，才考虑用概率。分类问题里，直接用整数标签就好。
#
# **错误三：标签是 `int32`。** 从别处读进来的标签有时是 `int32`（例如 Windows 上 NumPy 1.x 默认的整数类型）。作为类别下标，`nn.CrossEntropyLoss` 只接受 `torch.long`（以及很少用到的 `torch.uint8`），`int32` 会报错，用 `.long()` 转换即可：

# %%
labels_int32 = yb.to(torch.int32)
with expect_error(RuntimeError):
    loss_fn(logits, labels_int32)
loss_long = loss_fn(logits, labels_int32.long())
print(f"转成 long 以后：损失 {loss_long.item():.4f}")
assert torch.equal(loss_long, loss_builtin), "转成 long 以后应与原来的整数标签结果相同：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
print("✅ .long() 之后与原来的整数标签结果相同")

# %% [markdown]
# ## 6. 完整的训练循环
#
# ### 6.1 训练模式、评估模式与 `torch.no_grad()`
#
# 有些层在训练和评估时的行为不同。例如**暂退法**（dropout）层 `nn.Dropout(p)`：训练时每个元素各自以概率 $p$ 被置为 0，留下的乘以 $1/(1-p)$，使输出的期望与输入相同；评估时原样输出。`model.train()` 和 `model.eval()` 就是在两种模式之间切换，它们会把模型里的每一层都设成同一种模式：

# %%
lessons.seed_everything(0)
dropout = nn.Dropout(p=0.5)
ones = torch.ones(8)
dropout.train()
print("训练模式：", dropout(ones).tolist())
dropout.eval()
print("评估模式：", dropout(ones).tolist())
assert torch.equal(dropout(ones), ones), "评估模式下暂退法层应原样输出"

# %% [markdown]
# 我们的模型里没有这样的层，切换模式不会改变它的输出。但养成习惯：**训练前调用 `model.train()`，评估前调用 `model.eval()`**，以后模型里加了暂退法之类的层，代码不用改。
#
# `model.eval()` 并不关闭自动求导。评估时不需要梯度，把计算放进 `with torch.no_grad():`，PyTorch 就不会为反向传播记录计算图，省内存也省时间：

# %%
untrained.train()
out_train = untrained(xb)
untrained.eval()
out_eval = untrained(xb)
with torch.no_grad():
    out_no_grad = untrained(xb)
print("评估模式下仍记录计算图：", out_eval.requires_grad, "  在 torch.no_grad() 中：", out_no_grad.requires_grad)
assert torch.equal(out_train, out_eval) and torch.equal(out_eval, out_no_grad), "这个模型在两种模式下的输出应相同：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
assert out_eval.requires_grad and not out_no_grad.requires_grad, "评估模式下仍应记录计算图，torch.no_grad() 中不应记录：请从第 5.1 节的第一个代码单元格起按顺序重新运行"
print("✅ 这个模型在两种模式下输出相同；只有 torch.no_grad() 才不记录计算图")

# %% [markdown]
# ### 6.2 训练一个迭代周期，评估一次
#
# 训练函数就是前几课的循环，多了三件事：先调用 `model.train()`；每个小批量搬到 `env.device` 上；顺便记下损失和猜对的个数。评估函数在评估模式和 `torch.no_grad()` 下把整个集合过一遍：

# %%
def train_epoch(model, loader, optimizer):
    """训练一个迭代周期，返回这期间各小批量的平均损失和准确率。"""
    model.train()
    total_loss, correct = 0.0, 0
    for xb, yb in loader:
        xb, yb = xb.to(env.device), yb.to(env.device)
        logits = model(xb)
        loss = loss_fn(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(yb)
        correct += (logits.argmax(dim=1) == yb).sum().item()
    n = len(loader.dataset)
    return total_loss / n, correct / n


def evaluate(model, loader):
    """在评估模式和 torch.no_grad() 下计算平均损失和准确率。"""
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in loader:
            xb, yb = xb.to(env.device), yb.to(env.device)
            logits = model(xb)
            total_loss += loss_fn(logits, yb).item() * len(yb)
            correct += (logits.argmax(dim=1) == yb).sum().item()
    n = len(loader.dataset)
    return total_loss / n, correct / n


# %% [markdown]
# ### 6.3 按验证集选择迭代周期数
#
# 训练多少个迭代周期合适？太少学不会，太多可能过拟合。做法是：训练足够多的迭代周期，每个迭代周期结束时在验证集上评估一次，记住验证准确率最高的那个迭代周期，以及那时模型的全部参数。
#
# 模型的全部参数放在一个字典里，叫**状态字典**（state dict），用 `model.state_dict()` 得到，第 8 节细讲。（有些层还有不靠梯度更新的状态，比如批量规范化（batch normalization）层记录的滑动平均，也一起放在状态字典里；本课的模型只有参数。）注意要用 `copy.deepcopy` 复制一份：`state_dict()` 里的张量和模型的参数共用存储，不复制的话，它会跟着后面的训练一起变。

# %%
def train_digits(model, epochs=40, lr=1e-3, seed=0):
    """用 Adam 训练 model，每个迭代周期后在验证集上评估。

    返回 (history, best_epoch, best_state)：每个迭代周期的损失和准确率、验证准确率最高的迭代周期
    （并列时取最早的）、那时模型参数的副本。
    """
    model.to(env.device)
    loader = make_train_loader(train_set, seed=seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
    best_epoch, best_acc, best_state = 0, -1.0, None
    for epoch in range(1, epochs + 1):
        train_loss, train_acc = train_epoch(model, loader, optimizer)
        val_loss, val_acc = evaluate(model, val_loader)
        history["train_loss"].append(train_loss)
        history["train_acc"].append(train_acc)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if val_acc > best_acc:  # 严格大于：并列时保留较早的迭代周期
            best_epoch, best_acc = epoch, val_acc
            best_state = copy.deepcopy(model.state_dict())
    return history, best_epoch, best_state


lessons.seed_everything(0)
model = DigitMLP().to(env.device)
history, best_epoch, best_state = train_digits(model, epochs=40)
for epoch in (1, 10, 20, 30, 40):
    i = epoch - 1
    print(f"第 {epoch:2d} 个迭代周期：训练损失 {history['train_loss'][i]:.3f}，训练准确率 {history['train_acc'][i]:.1%}；"
          f"验证损失 {history['val_loss'][i]:.3f}，验证准确率 {history['val_acc'][i]:.1%}")
print(f"验证准确率最高的是第 {best_epoch} 个迭代周期：{history['val_acc'][best_epoch - 1]:.1%}")

# %% [markdown]
# 这个单元格每次运行都会用种子 0 重新创建模型和数据加载器，所以再运行一遍，结果完全相同。把四条曲线画出来，虚线标出选中的迭代周期：

# %% mystnb={"image": {"alt": "40 个迭代周期的训练曲线，虚线标出第 33 个迭代周期：左图是训练集与验证集的交叉熵损失，前 10 个迭代周期迅速下降后变平；右图是准确率，很快升到 0.95 以上，训练集接近 1，验证集略低。"}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
epochs_axis = range(1, len(history["train_loss"]) + 1)
ax1.plot(epochs_axis, history["train_loss"], label="训练集")
ax1.plot(epochs_axis, history["val_loss"], label="验证集")
ax2.plot(epochs_axis, history["train_acc"], label="训练集")
ax2.plot(epochs_axis, history["val_acc"], label="验证集")
for ax, ylabel in ((ax1, "交叉熵损失"), (ax2, "准确率")):
    ax.axvline(best_epoch, color="gray", linestyle="--", linewidth=1, label=f"第 {best_epoch} 个迭代周期")
    ax.set_xlabel("迭代周期")
    ax.set_ylabel(ylabel)
    ax.legend()
ax1.set_title("损失")
ax2.set_title("准确率")
plt.show()

# %% [markdown]
# 从图上可以读出：
#
# - 前几个迭代周期进步最快，大约 10 个迭代周期以后，曲线逐渐变平。
# - 第 1 个迭代周期里，验证集的准确率反而比训练集高。这并不奇怪：训练集的损失和准确率是在迭代周期之内边更新参数边算的平均值，包含了刚开始还没学会时的表现；验证集则是在迭代周期结束以后才评估的。所以两者并不完全可比，但足以看出趋势。
# - 后半程，训练损失继续下降，训练准确率接近 100%；验证准确率只再提高了不到 2 个百分点，验证损失也一直高于训练损失。模型在训练集上越来越有把握，但这份把握只有一部分能带到没见过的数据上。

# %%
train_acc_final, val_acc_best = history["train_acc"][-1], history["val_acc"][best_epoch - 1]
assert history["val_acc"][0] > history["train_acc"][0], "第 1 个迭代周期的验证准确率应高于训练准确率：请从第 6.3 节的训练单元格起按顺序重新运行"
assert history["train_loss"][-1] < history["train_loss"][0] / 10, "训练损失应降到第 1 个迭代周期的十分之一以下：请从第 6.3 节的训练单元格起按顺序重新运行"
assert train_acc_final > 0.99 and val_acc_best >= 0.95, "最后的训练准确率应高于 99%，最高的验证准确率应不低于 95%：请从第 6.3 节的训练单元格起按顺序重新运行"
assert abs(history["val_acc"][-1] - history["val_acc"][19]) < 0.02, "第 20 个迭代周期以后，验证准确率的变化应不到 2 个百分点：请从第 6.3 节的训练单元格起按顺序重新运行"
assert all(v > t for t, v in zip(history["train_loss"][19:], history["val_loss"][19:])), "第 20 个迭代周期以后，验证损失应一直高于训练损失：请从第 6.3 节的训练单元格起按顺序重新运行"
print(f"✅ 第 1 个迭代周期验证准确率高于训练准确率；最后的训练准确率 {train_acc_final:.1%}；"
      f"第 20 个迭代周期以后，验证准确率的变化不到 2 个百分点，验证损失一直高于训练损失")

# %% [markdown]
# 还要注意，验证集只有 359 张图片，多认对一张，准确率就高 $1/359 \approx 0.28$ 个百分点。后面十来个迭代周期的验证准确率只差几张图片，选中哪一个有很大的偶然性。也正因为专挑验证准确率最高的那一个，这个最高值本身往往偏乐观，所以最后还要用没碰过的测试集再评估一次。

# %%
late = history["val_acc"][29:]  # 第 30 到第 40 个迭代周期
spread = round((max(late) - min(late)) * len(val_set))
print(f"第 30 到第 40 个迭代周期，验证集上认对的图片最多和最少相差 {spread} 张")
assert spread <= 5, "第 30 到第 40 个迭代周期，认对的图片应最多相差 5 张：请从第 6.3 节的训练单元格起按顺序重新运行"
print("✅ 相差不超过 5 张图片")

# %% [markdown]
# 这种做法叫**提前停止**（early stopping）：选定第 `best_epoch` 个迭代周期的参数，相当于只训练了这么多个迭代周期。通常的做法是，验证准确率连续若干个迭代周期不再提高时就停止训练，省下后面的计算；这里为了画出完整的曲线，训练满了 40 个迭代周期，下一节再把最好的参数装回模型。同样的办法也可以用来挑学习率、隐藏层宽度或权重衰减：每种设置各训练一次，选验证准确率最高的。
#
# ### 6.4 最后，在测试集上评估一次
#
# 所有选择都做完了，把选中的参数装回模型，在测试集上评估。这个数字才是我们对外报告的结果，报告以后就不再回头调整模型：

# %%
model.load_state_dict(best_state)
test_loss, test_acc = evaluate(model, test_loader)
print(f"测试集：损失 {test_loss:.3f}，准确率 {test_acc:.1%}（{round(test_acc * len(test_set))} / {len(test_set)}）")
print(f"选中时的验证准确率：{val_acc_best:.1%}；没有经过挑选的第 40 个迭代周期：{history['val_acc'][-1]:.1%}")
assert test_acc >= 0.95, "测试准确率应不低于 95%：请从第 6.3 节的训练单元格开始重新运行"
assert test_acc < val_acc_best, "测试准确率应比选中时的验证准确率低一些：请从第 6.3 节的训练单元格开始重新运行"
assert (val_acc_best - history["val_acc"][-1]) * len(val_set) < 2, (
    "第 40 个迭代周期的验证准确率应和最高值相差不到 2 张图片：请从第 6.3 节的训练单元格开始重新运行")
print("✅ 测试准确率不低于 95%，比选中时的验证准确率低一些；第 40 个迭代周期的验证准确率和最高值相差不到 2 张图片")

# %% [markdown]
# 一个只有 4810 个参数的多层感知机，在从没见过的 359 张图片上，准确率在 95% 以上。测试准确率比选中时的验证准确率低一些，但这里主要不是挑选造成的：没有经过挑选的第 40 个迭代周期，验证准确率和最高值相差不到 2 张图片。两个集合都只有 359 张图片，测试集上多错几张，准确率就差一两个百分点。上一节说的“挑出来的最高值偏乐观”确实存在，在这次训练里只是很小；测试集上的估计没有这种偏向，但同样有这样的偶然误差。

# %% [markdown]
# ## 7. 看看错在哪里：混淆矩阵
#
# 准确率只是一个数。想知道模型把哪些数字认错成了什么，就数一数：真实类别为 $i$、被预测为 $j$ 的样本有几个，记在一个 10×10 矩阵的第 $i$ 行第 $j$ 列，这就是混淆矩阵。对角线上是认对的，其余都是认错的。
#
# 数的方法有很多，这里用一个小技巧：把每个样本的 (真实类别, 预测类别) 编成一个 0 到 99 的数 $10i + j$，用 `torch.bincount` 数出每个数出现几次，再排成 10×10。再用 scikit-learn 的 `confusion_matrix` 核对一遍：

# %%
model.eval()
with torch.no_grad():
    test_pred = model(standardize(x_test).to(env.device)).argmax(dim=1).cpu()
cm = torch.bincount(y_test * 10 + test_pred, minlength=100).reshape(10, 10)

assert torch.equal(cm, torch.from_numpy(confusion_matrix(y_test.numpy(), test_pred.numpy()))), "混淆矩阵应与 scikit-learn 的结果相同：请从第 6.3 节的训练单元格起按顺序重新运行"
assert cm.sum() == len(y_test) and cm.trace() == (test_pred == y_test).sum(), "混淆矩阵的总和应是测试样本数，对角线之和应是认对的个数：请从第 6.3 节的训练单元格起按顺序重新运行"
assert torch.equal(cm.sum(dim=1), torch.bincount(y_test, minlength=10)), "混淆矩阵每行之和应是这个数字在测试集里的个数：请从第 6.3 节的训练单元格起按顺序重新运行"
print("认错的测试样本：", (cm.sum() - cm.trace()).item(), "个")
print("✅ 与 scikit-learn 的结果相同；每行之和是这个数字在测试集里的个数，对角线之和是认对的个数")

# %% mystnb={"image": {"alt": "测试集上 10×10 的混淆矩阵，行是真实类别、列是预测类别：对角线上是 34 到 36 的大数，另有 8 个错误分散在 8 个格子里，每格 1 个。"}}
vision.plot_confusion_matrix(cm, title="测试集上的混淆矩阵")
plt.show()

# %% [markdown]
# 在我们的结果里，错误很少，分散在许多格子里，每格最多一两个，没有哪一对数字特别容易混淆：

# %%
off_diagonal = cm - torch.diag(torch.diag(cm))  # 把对角线置为 0，只留下错误
print("有错误的格子：", (off_diagonal > 0).sum().item(), "个；对角线以外最大的一格：", off_diagonal.max().item(), "个样本")
assert off_diagonal.max() <= 2, "对角线以外每格应最多 2 个样本：请从第 6.3 节的训练单元格开始重新运行"
print("✅ 对角线以外每格最多 2 个样本")

# %% [markdown]
# 把认错的图片都找出来看看，标题是“真实类别 → 预测类别”：

# %% mystnb={"image": {"alt": "8 张认错的测试图片，标题是真实类别 → 预测类别：3 → 5、1 → 4、3 → 2、9 → 5、8 → 1、7 → 3、6 → 8、6 → 1；其中几张换了人也难以认准。"}}
wrong = torch.nonzero(test_pred != y_test).reshape(-1)
vision.show_images(x_test[wrong], y_test[wrong], test_pred[wrong], title="认错的测试图片")
plt.show()

# %% [markdown]
# 有些图片换了人也要犹豫：8×8 的像素已经丢掉了大部分笔画细节。要进一步提高准确率，常见的办法是换用保留图片二维结构的**卷积神经网络**（convolutional neural network），或者使用分辨率更高的数据。
#
# 注意，这里分析的是测试集上的错误，只是为了理解模型。如果要根据分析结果改进模型，应该在验证集上做同样的分析，否则测试集就被“用过”了。

# %% [markdown]
# ## 8. 保存与加载模型
#
# 训练好的模型要存到文件里，下次直接用。推荐的做法是只保存状态字典：它是一个有序字典，把每个参数的名字（第 4 节看到的 `hidden.weight` 等）映射到参数的张量（模型里有 6.3 节提到的那类状态时，也包括它们）：

# %%
state = model.state_dict()
for name, tensor in state.items():
    print(f"{name:14s} {tuple(tensor.shape)}")

# %% [markdown]
# 前面说过，`state_dict()` 里的张量和模型的参数共用存储，这里验证一下：

# %%
assert state["hidden.weight"].data_ptr() == model.hidden.weight.data_ptr(), "状态字典里的张量应与模型的参数共用存储：请从第 8 节的第一个代码单元格起按顺序重新运行"
print("✅ 状态字典里的张量与模型的参数共用存储，所以保存最好的参数时要用 copy.deepcopy")

# %% [markdown]
# 保存和加载分三步：`torch.save` 把状态字典写进文件；新建一个同样结构的模型；`torch.load` 读出字典，再用 `load_state_dict` 装进新模型。`map_location=env.device` 让读出的张量直接放到当前设备上，在 GPU 上保存的文件也能在只有 CPU 的机器上读。`torch.save` 写出的文件其实是一个 zip 格式的归档文件（只打包，不压缩）：里面的 `data.pkl` 由 Python 的 pickle 写下，记录字典的结构，张量的数据另外存放。文件放在一个临时文件夹里，`with` 语句结束时连同文件一起删除：

# %%
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "digits_mlp.pt"
    torch.save(model.state_dict(), path)
    file_bytes = path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()  # 归档里的每一项
    pickled = [entry.filename for entry in entries if entry.filename.endswith(".pkl")]
    stored_only = all(entry.compress_type == zipfile.ZIP_STORED for entry in entries)  # 每一项都只存放、不压缩

    lessons.seed_everything(1)  # 换一个种子：新模型的初始参数和训练好的完全不同
    fresh = DigitMLP().to(env.device)
    fresh.eval()
    with torch.no_grad():
        before = fresh(standardize(x_test).to(env.device)).argmax(dim=1).cpu()
    result = fresh.load_state_dict(torch.load(path, map_location=env.device))

print("load_state_dict 的结果：", result)
print(f"文件大小：约 {file_bytes / 1024:.0f} KB（4810 个 float32 参数占 {4810 * 4} 字节）")
print("文件里由 pickle 写下的部分：", pickled, "  每一项都没有压缩：", stored_only)
with torch.no_grad():
    after = fresh(standardize(x_test).to(env.device)).argmax(dim=1).cpu()
print("加载前，新模型与训练好的模型预测相同的比例：", f"{(before == test_pred).float().mean().item():.1%}")
assert not torch.equal(before, test_pred), "加载之前，新模型的预测应与训练好的模型不同：请从第 6.3 节的训练单元格起按顺序重新运行"
assert torch.equal(after, test_pred), "加载之后的预测应与训练好的模型相同：请从第 6.3 节的训练单元格起按顺序重新运行"
assert file_bytes > 4810 * 4 and pickled == ["digits_mlp/data.pkl"] and stored_only, "文件应是只打包、不压缩的 zip 归档，里面有 digits_mlp/data.pkl，且比 4810 个 float32 参数大"
print("✅ 文件是只打包、不压缩的 zip 归档；加载之后，新模型在测试集上的预测与训练好的模型完全相同")

# %% [markdown]
# 为什么只存状态字典，而不用 `torch.save(model, path)` 把整个模型存下来？`torch.save` 用 pickle 写文件（参数 `pickle_module` 默认就是 Python 的 pickle），上面保存的状态字典也不例外；存整个模型时，文件里记录的是类的名字和它所在的模块，而不是类的代码。读取的程序必须能找到同名、同位置的类定义，代码一重构就可能读不出来。另外，pickle 在读取文件时可能执行文件里夹带的任意代码，来路不明的文件可能藏着恶意代码。所以从 PyTorch 2.6 起，`torch.load` 默认 `weights_only=True`：只允许重建张量、字典这类数据，遇到没有被允许的 Python 对象（比如我们的 `DigitMLP`）就拒绝读取，报出 pickle 的 `UnpicklingError`：

# %%
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "whole_model.pt"
    torch.save(model, path)
    with expect_error(pickle.UnpicklingError) as caught:
        torch.load(path)
    lines = str(caught.error).splitlines()
    reason = next(line for line in lines if "Unsupported global" in line)  # 说明原因的那一行
    print("原因：", reason.strip().split(" was not")[0])
    whole = torch.load(path, weights_only=False)  # 只对自己保存的、可信的文件这样做
print("weights_only=False 读出的对象：", type(whole).__name__)

# %% [markdown]
# 报错里的 `__main__.DigitMLP` 就是文件记下的“类的位置”：笔记本里定义的类属于模块 `__main__`。确认文件可信时（比如是自己刚保存的），可以传 `weights_only=False` 读取整个模型；来路不明的文件不要这样读。
#
# 状态字典只有名字和张量，用默认的 `weights_only=True` 就能读取；描述模型结构的类定义留在我们自己的代码里。读取时只允许重建张量、字典这类数据，大大缩小了恶意文件执行代码的可能；但 PyTorch 文档仍然提醒：不要读取来路不明的文件，`weights_only=True` 也不例外。
#
# 如果以后还要接着训练，除了模型，还要把优化器的状态字典 `optimizer.state_dict()`（例如 Adam 为每个参数记下的梯度的滑动平均）一起存下来，读回时用 `optimizer.load_state_dict` 恢复；只用模型做预测时不需要它。
#
# 加载时，新模型的结构必须和保存时一致。比如隐藏单元的个数不同，参数的形状就对不上：

# %%
with expect_error(RuntimeError) as caught:
    DigitMLP(n_hidden=32).load_state_dict(model.state_dict())
print(str(caught.error).splitlines()[1].strip())  # 第二行说明是哪个参数对不上

# %% [markdown]
# 参数的名字也必须对得上。第 4 节那个 `nn.Sequential` 版本，形状完全相同，但参数名是 `0.weight` 等，读取 `hidden.weight` 这样的键同样会报错：

# %%
with expect_error(RuntimeError) as caught:
    same_with_sequential.load_state_dict(model.state_dict())
print(str(caught.error).splitlines()[1].strip())  # 第二行列出缺少的参数名

# %% [markdown]
# 参数名的这项检查来自 `load_state_dict` 的默认参数 `strict=True`：状态字典里的名字必须和模型的参数名一一对应。传 `strict=False` 时，名字对不上的参数会被默默跳过，不报错，只在返回值里列出来：`missing_keys` 是模型有、字典里没有的，`unexpected_keys` 是字典里有、模型没有的。形状的检查不受这个参数影响：名字对上而形状不同的参数，即使传了 `strict=False` 也照样报错。所以用 `strict=False` 时，记得看一眼返回值：

# %%
weight_before = same_with_sequential[0].weight.detach().clone()
skipped = same_with_sequential.load_state_dict(model.state_dict(), strict=False)
print("missing_keys：   ", skipped.missing_keys)
print("unexpected_keys：", skipped.unexpected_keys)
with expect_error(RuntimeError) as caught:
    DigitMLP(n_hidden=32).load_state_dict(model.state_dict(), strict=False)
print(str(caught.error).splitlines()[1].strip().split(":")[0])  # 只看第二行开头：哪一种错误、哪个参数
assert len(skipped.missing_keys) == len(skipped.unexpected_keys) == 4, "strict=False 时，missing_keys 和 unexpected_keys 应各有 4 个参数名"
assert torch.equal(same_with_sequential[0].weight, weight_before), "strict=False 时，名字对不上的参数不应被改动"
assert "size mismatch" in str(caught.error), "形状对不上时，即使 strict=False 也应报 size mismatch"
print("✅ strict=False 时名字对不上的参数一个也没有装进去，也不报错；形状对不上照样报错")

# %% [markdown]
# ## 9. 下一步：Fashion-MNIST
#
# 同样的流程可以原样搬到更大的数据集上。**Fashion-MNIST** 有 7 万张 28×28 的服装灰度图片（6 万张训练、1 万张测试），也分 10 类，`torchvision` 可以下载它。下面的代码**不在本课中运行**：它要用到 `torchvision`（Colab 已预装，本地需要另外安装），第一次运行时会从网上下载约 30 MB 的数据到 `data/` 文件夹。
#
# ```python
# import torch
# from torch import nn
# from torch.utils.data import DataLoader, random_split
# from torchvision import datasets, transforms
#
# # ToTensor 把图片变成形状 (1, 28, 28)、取值 0 到 1 的浮点张量
# full_train = datasets.FashionMNIST("data", train=True, download=True, transform=transforms.ToTensor())
# test_set = datasets.FashionMNIST("data", train=False, download=True, transform=transforms.ToTensor())
# # 从 6 万张训练图片中随机分出 1 万张作验证集
# train_set, val_set = random_split(full_train, [50_000, 10_000], generator=torch.Generator().manual_seed(0))
#
# train_loader = DataLoader(train_set, batch_size=128, shuffle=True, generator=torch.Generator().manual_seed(0))
# val_loader = DataLoader(val_set, batch_size=512)
# test_loader = DataLoader(test_set, batch_size=512)
#
# model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 256), nn.ReLU(), nn.Linear(256, 10))
# # 之后的训练循环、按验证集选迭代周期、测试一次、保存 state_dict，都和本课相同
# ```
#
# `nn.Flatten()` 把每张 `(1, 28, 28)` 的图片展平成 784 个数。本课的数据一开始就是按行展开的 64 个数，所以用不着这一步。这里用 `ToTensor` 把像素缩放到 0 到 1，没有做标准化；要做的话，同样只用训练集来算均值和标准差。

# %% [markdown]
# ## 自测题
#
# 下面的题目点一下就能作答，并立即显示解析。在网站上不需要运行任何代码；在 JupyterLab 或 Colab 中，运行下面的单元格即可作答。

# %%
from lessons import quiz

quiz.show("07_digits")

# %% [markdown]
# ## 练习
#
# ### 练习 1
#
# 写一个函数 `accuracy_from_logits(logits, labels)`：`logits` 是形状 `(N, C)` 的对数几率，`labels` 是形状 `(N,)` 的整数标签，返回准确率（0 到 1 之间的一个数）。检查器会用几组不同的输入调用它。

# %%
from lessons.exercises import digits as ex


def accuracy_from_logits(logits, labels):
    """由对数几率算准确率：每行取最大的一类作为预测，返回预测正确的比例。"""
    return None  # 把这一行换成你的代码


ex.check_1(accuracy_from_logits)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def accuracy_from_logits(logits, labels):
#     """由对数几率算准确率：每行取最大的一类作为预测，返回预测正确的比例。"""
#     predictions = logits.argmax(dim=1)  # dim=1：在每一行的 C 个数里找最大的
#     return (predictions == labels).float().mean().item()
# ```
#
# 比较得到的是布尔张量，要先 `.float()` 才能求平均。不必先做 softmax：它不改变最大值的位置。
#
# </details>

# %% [markdown]
# ### 练习 2
#
# 补全下面这个数据集的 `__getitem__`：返回第 `index` 个样本的 `(图片, 标签)`，其中图片是 64 个像素**除以 16** 的结果（把像素缩放到 0 到 1），标签原样返回。检查器会用几张手写数字创建这个数据集，逐个取出样本，再交给 `DataLoader` 试一试。

# %%
class ScaledDigits(Dataset):
    """把像素除以 16、缩放到 0 到 1 的手写数字数据集。"""

    def __init__(self, images, labels):
        self.images, self.labels = images, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return None  # 把这一行换成你的代码


ex.check_2(ScaledDigits)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# class ScaledDigits(Dataset):
#     """把像素除以 16、缩放到 0 到 1 的手写数字数据集。"""
#
#     def __init__(self, images, labels):
#         self.images, self.labels = images, labels
#
#     def __len__(self):
#         return len(self.labels)
#
#     def __getitem__(self, index):
#         return self.images[index] / 16, self.labels[index]
#
#
# ex.check_2(ScaledDigits)
# ```
#
# </details>

# %% [markdown]
# ### 练习 3
#
# 写一个函数 `most_confused(cm)`：`cm` 是形状 `(k, k)` 的混淆矩阵（第 `i` 行第 `j` 列是真实类别 `i` 被预测为 `j` 的次数），返回最常见的一种错误 `(真实类别, 预测类别)`，即对角线以外最大的那一格。函数不要改动传入的 `cm`（要改就先 `cm.clone()` 复制一份）。检查器会用几个不同的矩阵测试它；写好后也可以用本课的 `cm` 试试。

# %%
def most_confused(cm):
    """返回混淆矩阵中对角线以外最大的一格的 (行, 列)，即 (真实类别, 预测类别)。"""
    return None  # 把这一行换成你的代码


ex.check_3(most_confused)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def most_confused(cm):
#     """返回混淆矩阵中对角线以外最大的一格的 (行, 列)，即 (真实类别, 预测类别)。"""
#     errors = cm.clone()
#     errors.fill_diagonal_(-1)  # 对角线是认对的，不算错误；填 -1 而不是 0，保证对角线不会被选中
#     index = errors.argmax().item()  # 展平以后的下标
#     k = cm.shape[1]
#     return index // k, index % k
#
#
# print(most_confused(cm))
# ```
#
# 本课的测试集上错误很少，可能有好几格并列最大，这时返回其中任何一格都对。对角线填 -1 而不是 0：一个错误也没有时，填 0 会让 `argmax` 返回认对的一格 `(0, 0)`。不过这时“最常见的错误”本来就不存在，返回哪一格都没有意义。
#
# </details>

# %% [markdown]
# ### 练习 4
#
# 把隐藏层缩小到 **16 个单元**，参数只有原来的四分之一左右。用本课的 `DigitMLP` 和 `train_digits` 训练它，装回验证准确率最高时的参数，把模型赋给 `answer`。检查器会数模型的参数、确认每个隐藏层不超过 16 个单元，再在验证集（用训练集的均值和标准差标准化）上评估：验证准确率至少 95% 才算通过。

# %%
answer = None  # 把 None 换成训练好的模型
ex.check_4(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# lessons.seed_everything(0)
# small = DigitMLP(n_hidden=16).to(env.device)
# small_history, small_best_epoch, small_best_state = train_digits(small, epochs=40)
# small.load_state_dict(small_best_state)
# print("参数个数：", count_parameters(small), " 选中的迭代周期：", small_best_epoch)
# answer = small
# ex.check_4(answer)
# ```
#
# 窄的网络学得慢一些，验证准确率也略低；如果没到 95%，可以多训练几个迭代周期或把学习率调大一点。
#
# </details>

# %% [markdown]
# ## 小结
#
# - 数据分成三份：训练集更新参数，验证集挑选超参数（如迭代周期数），测试集在最后评估一次；分层切分让每一类在三份中的比例和全体数据大致相同。
# - 预处理用到的一切统计量（如标准化用的均值和标准差）都只用训练集来算，否则验证集和测试集的信息会泄漏进训练；标准差为 0 的特征要单独处理。
# - `Dataset` 子类实现 `__len__` 和 `__getitem__`，`DataLoader` 把样本叠成小批量；训练集打乱（用固定种子的 `generator`），验证集和测试集不打乱。
# - 多分类模型输出对数几率；`nn.CrossEntropyLoss` 接受对数几率和 `torch.long` 类型的类别下标，不要先做 softmax（它等于先 `F.log_softmax` 再 `nn.NLLLoss`）；预测类别取 `argmax`。
# - 训练用 `model.train()`，评估用 `model.eval()` 加 `torch.no_grad()`；按验证准确率选迭代周期，再在测试集上报告一次准确率（本课不低于 95%）。
# - 混淆矩阵显示哪些类别被认错成了什么；`torch.save(model.state_dict(), path)` 保存参数，新建同样结构的模型后用 `load_state_dict(torch.load(path))` 加载；`torch.load` 默认 `weights_only=True`，不读取任意的 Python 对象，但来路不明的文件仍然不要读取。
