"""PyTorch 基础中文课程的辅助包。

课程笔记本反复用到的代码都放在这里，每个模块只管一件事，读一遍就能看懂：

- :mod:`lessons.env`：随机种子、设备选择（CUDA / MPS / CPU）、是否在 Colab 中运行；
- :mod:`lessons.fonts`：让 matplotlib 正确显示中文；
- :mod:`lessons.plotting`：课程中常用的几种图（损失曲线、拟合、决策边界、广播示意……）；
- :mod:`lessons.graphs`：计算图与矩阵乘法的示意图（第 2、3 课）；
- :mod:`lessons.vision`：图片网格与混淆矩阵（第 7 课）；
- :mod:`lessons.animation`：不需要内核、也不访问外部网站的网页动画；
- :mod:`lessons.data`：不需要下载的数据集（生成的小数据，以及 scikit-learn 自带的手写数字）；
- :mod:`lessons.training`：通用的小训练循环（在第 4 课手写过训练循环之后才使用）；
- :mod:`lessons.checking` 与 :mod:`lessons.exercises`：练习的检查器，用中文给出反馈；
- :mod:`lessons.quiz`：每课的自测题（点一下就能作答，网站上不需要内核）。
"""

from . import checking, data, graphs, plotting, training, vision
from .env import Environment, get_device, in_colab, seed_everything, setup
from .fonts import use_chinese_font

__all__ = [
    "Environment",
    "checking",
    "data",
    "graphs",
    "plotting",
    "training",
    "vision",
    "get_device",
    "in_colab",
    "seed_everything",
    "setup",
    "use_chinese_font",
]

__version__ = "0.1.0"
