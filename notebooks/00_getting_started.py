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
# # 开始之前：环境检查
#
# **导读**：这一课不讲新概念，只做一件事：确认你的运行环境已经准备好。我们会查看 Python 与 PyTorch 的版本、选出计算设备、画一张带中文标签的图，并做三道小练习，试一试课程里的练习检查器。之后的每一课都以同样的方式开头，这里跑通了，后面的课程一般也不会再遇到环境问题。
#
# **学习目标**
#
# - 知道本课程的三种使用方式：读网站、在本地 JupyterLab 中运行、在 Colab 中运行；
# - 会用 `lessons.setup()` 设置随机种子、选择计算设备，并知道在什么条件下你的输出与网站上的一致；
# - 能画出中文标签正常显示的图；
# - 会使用练习检查器，看懂它给出的中文反馈。

# %% [markdown]
# ## 1. 第一个单元格：为 Colab 做准备
#
# 每一课的第一个代码单元格都和下面一样。在 Google Colab 中，它会安装课程的辅助包 `lessons`（连同画中文图需要的字体）；Colab 预装的 PyTorch 已经满足要求（`torch>=2.7`），pip 不会重新安装它。在本地运行时，这个单元格什么也不做，也不输出任何内容。

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
# ## 2. 版本与设备
#
# `lessons.setup()` 主要做三件事：给 Python、NumPy 和 PyTorch 设置同一个**随机种子**（random seed）；按 CUDA → Apple MPS → CPU 的顺序选出第一个可用的**设备**（device），即存放张量（PyTorch 存放数据的多维数组，下一课细讲）、执行运算的硬件；配置 matplotlib 的中文字体。它返回的 `env.device` 就是后面放置张量和模型的设备。
#
# 此外，它把 PyTorch 在 CPU 上使用的线程数设为 1：课程里的张量都很小，一个线程就够用；而且多线程求和时，相加的顺序可能随线程数变化，结果的最后几位可能不同。
#
# 下面的版本号和设备取决于你的机器，和网站上显示的不同是正常的。

# %%
import platform

import matplotlib
import numpy as np
import torch

import lessons

env = lessons.setup(seed=0)

# NBVAL_IGNORE_OUTPUT
print("Python    ", platform.python_version())
print("PyTorch   ", torch.__version__)
print("NumPy     ", np.__version__)
print("matplotlib", matplotlib.__version__)
print("计算设备  ", env.device)
print("在 Colab 中" if env.in_colab else "不在 Colab 中")
assert torch.get_num_threads() == 1, "lessons.setup() 没有把线程数设为 1：重启内核后从头运行"

# %% [markdown]
# 课程不需要 GPU：在一台 2 核的虚拟机上，每一课的笔记本在 CPU 上十秒左右就能从头跑完。有可用的 GPU、并且装的 PyTorch 支持它时，`env.device` 会是 `cuda`（NVIDIA 显卡）或 `mps`（Apple 芯片）；否则是 `cpu`。例如 Windows 上直接从 PyPI 安装的 PyTorch 是 CPU 版，即使有 NVIDIA 显卡，这里也显示 `cpu`，见“环境配置”一页。想强制使用 CPU，可以在启动 JupyterLab 之前设置环境变量 `LESSONS_DEVICE=cpu`。
#
# 课程代码用 `device=env.device` 或 `.to(env.device)` 指定设备，而不写死 `"cuda"`，所以同一份笔记本在有没有 GPU 的机器上都能运行。换了设备，一些数字可能与网站上的不同，原因见下一节。

# %%
x = torch.ones(3, device=env.device)
y = (x * 2).sum()
print(y.item())
assert y.item() == 6.0, "在所选设备上的计算结果不对：在笔记本开头运行 %env LESSONS_DEVICE=cpu（或关闭 JupyterLab，设置环境变量 LESSONS_DEVICE=cpu 后重新启动），再从头运行"

# %% [markdown]
# ## 3. 随机种子让结果可以复现
#
# 程序里的“随机”数是伪随机数：由一个起点按固定的算法一个接一个算出来，这个起点就是随机种子。同一个种子，在同一个环境中产生同一串数。
#
# `lessons.seed_everything(seed)` 只做设种子这一件事（`lessons.setup` 内部调用的就是它）：给 Python、NumPy 和 PyTorch 设置同一个种子。下面用它设两次种子 0，比较抽出的数：

# %%
lessons.seed_everything(0)
a = torch.rand(3)
lessons.seed_everything(0)
b = torch.rand(3)
c = torch.rand(3)          # 不重新设种子，接着往下抽
print(a)
print("两次结果相同：", torch.equal(a, b))
print("接着再抽一次：", c)
assert torch.equal(a, b), "同一个种子给出了不同的随机数：从本节开头重新运行"
assert not torch.equal(b, c), "没有重新设种子，却抽到了同一串数：从本节开头重新运行"

# %% [markdown]
# 设好种子之后，每抽取一次，生成器就往前走一步，所以 `c` 与 `b` 不同。课程中所有随机的东西（数据、初始参数）都由种子决定，所以在同一台机器上把笔记本从头按顺序运行，每次得到的数字都一样。只把中间某个单元格再运行一次时，生成器可能已经往前走了，随机数就可能不同；这时从头运行即可。（例外是少数默认使用“非确定性”算法的运算：同样的输入，不保证每次得到逐位相同的结果，这类运算主要在 GPU 上。）
#
# 要让你的数字与网站上的相同，至少还要满足两个条件：
#
# - **在 CPU 上运行。** 网站上的输出是在 CPU 上生成的（网站上第 2 节的输出写着当时的设备和 PyTorch 版本）。GPU 有自己的随机数生成器（CUDA 和 Apple MPS 各有一个），算法与 CPU 的不同，直接在 GPU 上生成的随机数与 CPU 上同一个种子给出的不是同一串数；GPU 上的浮点运算也可能使用不同的算法，结果的最后几位可能有差别。
# - **PyTorch 版本与网站所用的相同。** PyTorch 不保证不同版本之间的随机数和计算结果逐位相同，版本不同时，有些数字可能不同。
#
# PyTorch 文档的“Reproducibility”（可复现性）一页写明了这一点：不同的版本、不同的平台之间不保证结果完全相同，CPU 与 GPU 之间即使种子相同，结果也可能不同。所以不满足这两个条件时，数字与网站不一样是正常的，不说明你的代码有错；即使两个条件都满足，换一种 CPU 或操作系统，个别结果的最后几位也可能不同。

# %% [markdown]
# ## 4. 画一张带中文标签的图
#
# matplotlib 默认的字体（DejaVu Sans）没有汉字，中文会变成方框。`lessons.setup()` 已经选好了中文字体：系统里装有常见的中文字体（Windows、macOS 通常都有）就用系统的，否则使用随课程依赖一起安装的思源黑体（Noto Sans SC）。
#
# 下面画两条曲线：双曲正切 tanh 和 S 型函数 sigmoid。这里只用它们试一试中文标签，它们在神经网络里的用途到第 6 课再讲。

# %% mystnb={"image": {"alt": "两条上升的 S 形曲线，x 从 −3 到 3：双曲正切 tanh 从约 −1 升到约 1，中间最陡；S 型函数 sigmoid 从约 0.05 缓升到约 0.95，x = 0 处为 0.5；标题、坐标轴和图例中的汉字都正常显示。"}}
import matplotlib.pyplot as plt

t = torch.linspace(-3, 3, 200)
fig, ax = plt.subplots()
ax.plot(t, torch.tanh(t), label="双曲正切 tanh")
ax.plot(t, torch.sigmoid(t), label="S 型函数 sigmoid")
ax.set_title("双曲正切与 S 型函数")
ax.set_xlabel("输入 $x$")
ax.set_ylabel("输出")
ax.legend()
plt.show()

# %% [markdown]
# 标题、坐标轴和图例中的汉字都应该正常显示。下面的单元格再确认一次：所选字体确实包含这张图用到的每一个汉字。

# %%
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

font_file = font_manager.findfont(font_manager.FontProperties(family=env.font))
font = FT2Font(font_file)
text = "双曲正切与型函数输入输出"
missing = [ch for ch in text if font.get_char_index(ord(ch)) == 0]
print("缺字：", missing if missing else "无")
assert not missing, f"字体缺少这些汉字：{missing}。按“环境配置”一页安装依赖（含字体包），重启内核后从头运行"

# %% [markdown]
# ## 5. 自测题
#
# 下面的题目点一下就能作答，并立即显示解析。在网站上不需要运行任何代码；在 JupyterLab 或 Colab 中，运行下面的单元格即可作答。

# %%
from lessons import quiz

quiz.show("00_getting_started")

# %% [markdown]
# ## 6. 练习与检查器
#
# 每一课都有几道练习，由易到难。你在答案单元格里把 `None` 换成自己的答案，运行后，检查器会用中文告诉你对不对；不对时会给出提示。反馈以 ✅（正确）、❌（还不对，后面是提示）或 ✏️（还没有作答）开头。做不出来时，可以展开下面的“参考答案”。
#
# ### 练习 1
#
# 创建一个一维的整数张量，元素依次是 1、2、3，赋给 `answer`。（把 1、2、3 写成不带小数点的数，得到的就是整数张量；整数类型不限，下一课会详细讲数据类型。）

# %%
from lessons.exercises import start as ex

answer = None  # 把 None 换成你的答案
ex.check_1(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# answer = torch.tensor([1, 2, 3])
# ```
#
# </details>
#
# 检查器对常见的错误会给出有针对性的提示，例如把数字写成了浮点数：

# %%
ex.check_1(torch.tensor([1.0, 2.0, 3.0]))

# %%
ex.check_1(torch.tensor([1, 2, 3]))

# %% [markdown]
# ### 练习 2
#
# 在 `env.device` 上创建一个形状为 `(2, 3)`、元素全为 1 的浮点数张量，赋给 `answer`。第 2 节的 `torch.ones(3, device=env.device)` 可以作参考。检查器会看形状、数值和张量所在的设备。

# %%
answer = None  # 把 None 换成你的答案
ex.check_2(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# answer = torch.ones(2, 3, device=env.device)
# ```
#
# 也可以先在 CPU 上创建，再搬过去：`torch.ones(2, 3).to(env.device)`。在只有 CPU 的机器上，不写 `device` 的张量本来就在 CPU 上，检查器也会通过；写上 `device=env.device`，同一行代码在有 GPU 的机器上才会把张量放到 GPU 上。
#
# </details>

# %% [markdown]
# ### 练习 3
#
# 写函数 `draw(seed)`：先用 `lessons.seed_everything(seed)` 设定随机种子，再用 `torch.rand(3)` 抽取 3 个 $[0, 1)$ 上的随机数，把它们返回。检查器会用种子 0 调用两次、用种子 1 调用一次：种子相同的两次应该得到同样的 3 个数，种子不同时得到的数应该不同。检查器调用你的函数之后，会把随机数生成器恢复原状，不影响笔记本里其他的随机数。
#
# 提示：第 3 节的代码先设种子、再抽取；想一想设种子这一步应该写在函数里面还是外面。

# %%
def draw(seed):
    # 在这里写你的代码
    return None


answer = draw
ex.check_3(answer)

# %% [markdown]
# <details>
# <summary>参考答案</summary>
#
# ```python
# def draw(seed):
#     lessons.seed_everything(seed)
#     return torch.rand(3)
# ```
#
# 设种子要写在函数里面、抽取之前：每次调用都从同一个起点开始，同一个种子才会给出同一组数。设种子时要用参数 `seed`，写成 `lessons.seed_everything(0)` 的话，不同的种子也会给出同样的数。只设 PyTorch 的种子也可以：`torch.manual_seed(seed)`。
#
# </details>

# %% [markdown]
# ## 7. 怎样使用这门课
#
# - **读网站**：每一课都是一个网页，代码的运行结果已经显示在页面上，不需要安装任何东西。页面顶部的按钮可以下载笔记本（`.ipynb`）或在 Colab 中打开它。
# - **在本地运行**：按“环境配置”一页安装依赖，然后在仓库根目录运行 `jupyter lab`，打开 `notebooks/` 中的笔记本，从上到下依次运行。
# - **在 Colab 中运行**：点页面顶部的火箭图标，选 Colab。第一个单元格会自动安装课程辅助包，其余单元格直接运行即可。
#
# 建议的顺序：先读一遍网页，再亲手运行并修改代码，最后独立完成练习，做不出来时再展开参考答案。

# %% [markdown]
# ## 小结
#
# - 每一课的第一个单元格在 Colab 中自动安装课程辅助包，在本地什么也不做；
# - `lessons.setup(seed=0)` 设置随机种子、选择设备、配置中文字体，返回的 `env.device` 用来放张量和模型；
# - 同一个随机种子在同一个环境中产生同样的结果；在 CPU 上、用与网站相同的 PyTorch 版本运行时，你的输出一般与网站相同；换了 GPU 或 PyTorch 版本，数字可能不同；
# - `device=env.device` 把张量放到所选的设备上，同一份代码在有没有 GPU 的机器上都能运行；
# - 练习检查器用 ✅、❌、✏️ 三种标记告诉你答案的状态。
