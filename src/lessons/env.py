"""运行环境：随机种子、计算设备、是否在 Colab 中。

课程里的每个笔记本开头都调用一次 :func:`setup`，它会：

1. 给 Python、NumPy 和 PyTorch 设置同一个随机种子，让结果可以复现；
2. 按 CUDA → Apple MPS → CPU 的顺序选出第一个可用的设备；
3. 配置 matplotlib 的中文字体；
4. 告诉你是否运行在 Google Colab 中。
"""

from __future__ import annotations

import numbers
import os
import random
import sys
from dataclasses import dataclass

import numpy as np
import torch

from . import _validate

#: 用这个环境变量可以强制指定设备，例如 ``LESSONS_DEVICE=cpu``。
DEVICE_ENV_VAR = "LESSONS_DEVICE"

_KNOWN_DEVICES = ("cpu", "cuda", "mps")

#: ``setup(cpu_threads=...)`` 的上限：线程数大得离谱时 PyTorch 会直接崩溃，而不是报错。
MAX_CPU_THREADS = 256


@dataclass(frozen=True)
class Environment:
    """:func:`setup` 的返回值：本次运行使用的设备、种子、字体和是否在 Colab 中。"""

    device: torch.device
    seed: int
    in_colab: bool
    font: str


def seed_everything(seed: int = 0) -> None:
    """给 Python、NumPy 和 PyTorch（包括所有 GPU）设置同一个随机种子。"""
    seed = _validate.seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # 同时为 CPU 和所有 CUDA 设备设置种子


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def _is_available(kind: str) -> bool:
    if kind == "cpu":
        return True
    if kind == "cuda":
        return torch.cuda.is_available()
    return _mps_available()


def _parse_device(wanted: str | torch.device, source: str) -> torch.device:
    """检查设备名（``source`` 说明它来自哪里，用在错误信息里），返回可用的设备。"""
    if isinstance(wanted, torch.device):
        wanted = str(wanted)
    if not isinstance(wanted, str):
        raise TypeError(
            f"{source} 必须是字符串或 torch.device，例如 'cpu'、'cuda' 或 'mps'；收到的是 {_validate.describe(wanted)}。"
        )
    name = wanted.strip().lower()
    kind, _, index = name.partition(":")
    if kind not in _KNOWN_DEVICES or (index and not index.isdigit()) or name.endswith(":"):
        raise ValueError(f"{source} 是不认识的设备名 {wanted!r}：请使用 'cpu'、'cuda' 或 'mps' 之一（可以带编号，如 'cuda:0'）。")
    if not _is_available(kind):
        if source.startswith("环境变量"):
            fix = f"请删除环境变量 {DEVICE_ENV_VAR} 或把它改成 cpu"
        else:
            fix = f"请不传 {source}（自动选择可用的设备），或改成 'cpu'"
        raise RuntimeError(f"这台机器上没有可用的 {kind} 设备（来自 {source}）：{fix}。")
    if kind == "cuda" and index and int(index) >= torch.cuda.device_count():
        raise RuntimeError(
            f"这台机器只有 {torch.cuda.device_count()} 块 CUDA 显卡，没有 {name}：编号从 0 开始，请改用 'cuda' 或 'cuda:0'。"
        )
    return torch.device(name)


def get_device(prefer: str | torch.device | None = None) -> torch.device:
    """返回本次运行使用的计算设备。

    - 不传参数时按 CUDA → MPS → CPU 的顺序选第一个可用的；
    - 设置了环境变量 ``LESSONS_DEVICE``（如 ``cpu``）时使用它；
    - ``prefer`` 参数优先级最高，例如 ``get_device("cpu")`` 或 ``get_device(torch.device("cpu"))``。
    """
    if prefer is not None:
        return _parse_device(prefer, "prefer")
    from_env = os.environ.get(DEVICE_ENV_VAR, "").strip()
    if from_env:
        return _parse_device(from_env, f"环境变量 {DEVICE_ENV_VAR}")
    for kind in ("cuda", "mps"):
        if _is_available(kind):
            return torch.device(kind)
    return torch.device("cpu")


def in_colab() -> bool:
    """判断当前是否运行在 Google Colab 中。"""
    return "google.colab" in sys.modules


def setup(seed: int = 0, chinese_font: bool = True, cpu_threads: int | None = 1) -> Environment:
    """笔记本开头调用一次：设种子、选设备、配置中文字体和网页友好的图表样式。

    返回 :class:`Environment`，其中 ``env.device`` 就是之后放张量和模型的设备。
    这个函数什么都不打印，不会给笔记本的输出添上随机器而变的内容。

    ``cpu_threads=1``：课程里的张量都很小，单线程反而更快；而且多线程求和的顺序随核数变化，
    最后几位小数可能不同。固定为单线程后，在 CPU 上、用同样版本的 PyTorch 从头运行，数字与网站上的一致（GPU 和其他版本可能在最后几位不同）。传 ``None`` 则不改变。
    """
    from .fonts import use_chinese_font
    from .plotting import apply_web_style

    # 先检查全部参数，再改变任何设置：参数有错时什么都不做
    seed = _validate.seed(seed)
    chinese_font = _validate.flag(chinese_font, "chinese_font")
    if cpu_threads is not None:
        if isinstance(cpu_threads, (bool, np.bool_)) or not isinstance(cpu_threads, numbers.Integral):
            raise TypeError(
                f"cpu_threads 必须是正整数或 None，收到的是 {_validate.describe(cpu_threads)}：例如 cpu_threads=1。"
            )
        if not 1 <= cpu_threads <= MAX_CPU_THREADS:
            raise ValueError(
                f"cpu_threads 必须是正整数或 None，且不超过 {MAX_CPU_THREADS}，收到的是 {cpu_threads}："
                "课程里用 1 就够了；传 None 表示不改变 PyTorch 的线程数。"
            )
        torch.set_num_threads(int(cpu_threads))
    seed_everything(seed)
    apply_web_style()
    font = use_chinese_font() if chinese_font else ""
    return Environment(device=get_device(), seed=seed, in_colab=in_colab(), font=font)
