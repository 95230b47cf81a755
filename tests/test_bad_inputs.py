"""lessons 的每个公共函数都像耐心的老师一样对待错误的输入。

- 一张“错误输入”表：每一行调用一个公共函数，传入一个错的参数。期望得到 ``TypeError`` 或
  ``ValueError``，信息是中文、说出了参数名，并且由 lessons 自己抛出（而不是 PyTorch、NumPy 或
  matplotlib 内部的英文报错），也不留下画了一半的图。
- 一张“正确输入”表：看起来不寻常、其实正确的输入（NumPy 整数、torch.device、带梯度的损失……）必须被接受。
- 基于性质的测试（hypothesis）：随机生成大量输入，结果要么正确，要么是上面那样的中文错误。
- 覆盖检查：每个公共函数都在表里出现，新增的函数忘了加进来时测试失败。
"""

from __future__ import annotations

import functools
import inspect
import math
import re
import warnings
from fractions import Fraction
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from torch import nn  # noqa: E402

import lessons  # noqa: E402
from lessons import animation, checking, data, env, fonts, graphs, plotting, quiz, training, vision  # noqa: E402

MODULES = [env, fonts, training, plotting, data, checking, graphs, vision, quiz, animation]
CJK = re.compile(r"[\u4e00-\u9fff]")
PACKAGE_DIR = Path(lessons.__file__).resolve().parent
NAN, INF = float("nan"), float("inf")
#: hypothesis 的设置：不写 .hypothesis 数据库（不在仓库里留下文件），不限时（CI 机器可能很慢）
QUICK = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


#: 错误信息里建议的代码以这些名字开头时，检查它们真的存在（例如 torch.optim.SGD、x.float()）
CODE_ROOTS = {
    "torch": torch, "nn": nn, "F": nn.functional, "np": np, "plt": plt,
    "x": torch.Tensor, "y": torch.Tensor, "out": torch.Tensor, "loss": torch.Tensor, "t": torch.Tensor,
    "p": torch.Tensor, "model": nn.Module, "optimizer": torch.optim.Optimizer, "anim": FuncAnimation,
}
CODE_REFERENCE = re.compile(r"(?<![\w.])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)\(")


def unknown_code_references(message: str) -> list[str]:
    """错误信息中形如 ``名字.属性(`` 的代码里，不存在的那些（例如把 torch.optim.SGD 写成 torch.optim.sgd）。"""
    unknown = []
    for root, attributes in CODE_REFERENCE.findall(message):
        target = CODE_ROOTS.get(root)
        for attribute in attributes.strip(".").split("."):
            target = getattr(target, attribute, None) if target is not None else None
        if target is None:
            unknown.append(root + attributes)
    return unknown


def assert_good_message(message: str, argument: str) -> None:
    """中文、说出了参数名（作为一个完整的词）、是完整的句子，建议的代码真的存在。"""
    assert CJK.search(message), f"错误信息不是中文：{message}"
    assert re.search(rf"(?<![A-Za-z_]){re.escape(argument)}(?![A-Za-z_])", message), (
        f"错误信息没有说出参数 {argument!r}：{message}"
    )
    assert message.endswith("。"), f"错误信息应是以句号结尾的完整句子：{message}"
    assert not unknown_code_references(message), f"错误信息建议的代码不存在：{unknown_code_references(message)}"


def assert_chinese_error(info: pytest.ExceptionInfo, argument: str) -> None:
    """错误是 TypeError/ValueError，信息合格（见 assert_good_message），并且由 lessons 包自己抛出。"""
    message = str(info.value)
    assert info.type in (TypeError, ValueError), f"应为 TypeError 或 ValueError，实际是 {info.type.__name__}: {message}"
    assert_good_message(message, argument)
    raised_in = Path(str(info.traceback[-1].path)).resolve()
    assert PACKAGE_DIR in raised_in.parents, f"错误来自 {raised_in}，而不是 lessons 包自己的检查：{message}"


def test_unknown_code_references_are_found():
    assert unknown_code_references("例如 torch.optim.SGD(model.parameters(), lr=0.01)，或 y.float().reshape(-1, 1)。") == []
    assert unknown_code_references("例如 torch.optim.sgd(model.parameters())。") == ["torch.optim.sgd"]
    assert unknown_code_references("用 X.FLOAT() 转换；NN.MSELOSS() 也行。") == ["X.FLOAT", "NN.MSELOSS"]


# ---------------------------------------------------------------- 几个构造输入的小函数


def line_fit(**changes):
    """用原文的五个点调用 fit；changes 替换其中的参数。"""
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    x, y = data.document_line()
    args = {"model": model, "x": x, "y": y, "loss_fn": nn.MSELoss(),
            "optimizer": torch.optim.SGD(model.parameters(), lr=0.01), "epochs": 2}
    for key, value in changes.items():
        args[key] = value(args) if callable(value) and key not in ("loss_fn", "model") else value
    return training.fit(**args)


def moons_accuracy(**changes):
    torch.manual_seed(0)
    x, y = data.two_moons(n=20)
    args = {"model": nn.Linear(2, 1), "x": x, "y": y}
    args.update(changes)
    return training.accuracy(**args)


XY = torch.tensor([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
LABELS = torch.tensor([0, 1, 0, 1])


def boundary(**changes):
    args = {"predict": lambda p: p[:, 0] - 0.5, "x": XY, "y": LABELS, "resolution": 20}
    args.update(changes)
    return plotting.plot_decision_boundary(**args)


def bowl(a, b):
    return a**2 + b**2


def contours(**changes):
    args = {"f": bowl}
    args.update(changes)
    return plotting.plot_contours_with_path(**args)


def fit_plot(**changes):
    x, y = data.document_line()
    args = {"x": x, "y": y, "predict": lambda t: 2 * t}
    args.update(changes)
    return plotting.plot_fit(**args)


def split(**changes):
    args = {"x": torch.arange(8.0).reshape(8, 1), "y": torch.arange(8)}
    args.update(changes)
    return data.train_test_split(**args)


def zero_output_model() -> nn.Module:
    """最后一层输出 0 个数的模型（nn.Linear(4, 0) 创建时的英文警告与这里的检查无关，不显示）。"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nn.Sequential(nn.Linear(2, 4), nn.Linear(4, 0))


def exercise(**changes) -> checking.Exercise:
    """一道最简单的值题；changes 替换其中的参数。"""
    args = {"brief": "一个数。", "expected": lambda: 1.0, "compare": checking.Number(), "success": "对了。"}
    args.update(changes)
    return checking.Exercise(**args)


def other_model_optimizer(args):
    return torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.01)


# ---------------------------------------------------------------- 错误输入表：(函数, 参数名, 调用)

BAD = [
    # lessons.env
    (env.seed_everything, "seed", lambda: env.seed_everything("0")),
    (env.seed_everything, "seed", lambda: env.seed_everything(1.5)),
    (env.seed_everything, "seed", lambda: env.seed_everything(True)),
    (env.seed_everything, "seed", lambda: env.seed_everything(None)),
    (env.seed_everything, "seed", lambda: env.seed_everything(-1)),
    (env.seed_everything, "seed", lambda: env.seed_everything(2**32)),
    (env.seed_everything, "seed", lambda: env.seed_everything(np.float64(1.0))),
    (env.get_device, "prefer", lambda: env.get_device(3)),
    (env.get_device, "prefer", lambda: env.get_device("gpu")),
    (env.get_device, "prefer", lambda: env.get_device("cuda:x")),
    (env.get_device, "prefer", lambda: env.get_device(["cpu"])),
    (env.setup, "seed", lambda: env.setup(seed="0")),
    (env.setup, "seed", lambda: env.setup(seed=-1)),
    (env.setup, "chinese_font", lambda: env.setup(chinese_font="yes")),
    (env.setup, "cpu_threads", lambda: env.setup(cpu_threads=0)),
    (env.setup, "cpu_threads", lambda: env.setup(cpu_threads=1.5)),
    (env.setup, "cpu_threads", lambda: env.setup(cpu_threads=10**6)),
    # lessons.fonts
    (fonts.use_chinese_font, "prefer_system", lambda: fonts.use_chinese_font("no")),
    (fonts.use_chinese_font, "prefer_system", lambda: fonts.use_chinese_font(None)),
    # lessons.training.fit
    (training.fit, "model", lambda: line_fit(model="model")),
    (training.fit, "x", lambda: line_fit(x=lambda a: a["x"].tolist())),
    (training.fit, "x", lambda: line_fit(x=lambda a: a["x"].long())),
    (training.fit, "x", lambda: line_fit(x=lambda a: a["x"].double())),
    (training.fit, "x", lambda: line_fit(x=lambda a: a["x"][:0], y=lambda a: a["y"][:0])),
    (training.fit, "x", lambda: line_fit(x=lambda a: a["x"].sum())),
    (training.fit, "x", lambda: line_fit(x=lambda a: a["x"] * NAN)),
    (training.fit, "x", lambda: line_fit(x=lambda a: torch.zeros(5, 3))),
    (training.fit, "y", lambda: line_fit(y=lambda a: a["y"].numpy())),
    (training.fit, "y", lambda: line_fit(y=lambda a: a["y"][:3])),
    (training.fit, "y", lambda: line_fit(y=lambda a: a["y"].reshape(-1))),
    (training.fit, "y", lambda: line_fit(y=lambda a: a["y"] + INF)),
    (training.fit, "y", lambda: line_fit(y=lambda a: a["y"].long())),
    (training.fit, "loss_fn", lambda: line_fit(loss_fn="mse")),
    (training.fit, "loss_fn", lambda: line_fit(loss_fn=nn.MSELoss(reduction="none"))),
    (training.fit, "loss_fn", lambda: line_fit(loss_fn=nn.CrossEntropyLoss())),
    (training.fit, "loss_fn", lambda: line_fit(loss_fn=lambda p, t: p[99])),
    (training.fit, "y", lambda: line_fit(model=nn.Linear(1, 2),
                                         optimizer=lambda a: torch.optim.SGD(a["model"].parameters(), lr=0.01))),
    (training.fit, "requires_grad", lambda: line_fit(model=nn.Linear(1, 1).requires_grad_(False),
                                                     optimizer=lambda a: torch.optim.SGD(a["model"].parameters(), lr=0.1))),
    (training.fit, "optimizer", lambda: line_fit(optimizer=None)),
    (training.fit, "optimizer", lambda: line_fit(optimizer=other_model_optimizer)),
    (training.fit, "lr", lambda: line_fit(optimizer=lambda a: torch.optim.SGD(a["model"].parameters(), lr=NAN))),
    (training.fit, "epochs", lambda: line_fit(epochs=0)),
    (training.fit, "epochs", lambda: line_fit(epochs=2.0)),
    (training.fit, "epochs", lambda: line_fit(epochs="3")),
    (training.fit, "batch_size", lambda: line_fit(batch_size=0)),
    (training.fit, "batch_size", lambda: line_fit(batch_size=1.5)),
    (training.fit, "shuffle", lambda: line_fit(shuffle="yes")),
    (training.fit, "seed", lambda: line_fit(seed=-1)),
    (training.fit, "seed", lambda: line_fit(seed="0")),
    (training.fit, "device", lambda: line_fit(device="gpu")),
    (training.fit, "device", lambda: line_fit(device=3)),
    # lessons.training.accuracy / predicted_classes
    (training.accuracy, "model", lambda: moons_accuracy(model=lambda t: t)),
    (training.accuracy, "x", lambda: moons_accuracy(x=[[0.0, 0.0]] * 20)),
    (training.accuracy, "x", lambda: moons_accuracy(x=torch.zeros(20, 2, dtype=torch.long))),
    (training.accuracy, "x", lambda: moons_accuracy(x=torch.zeros(0, 2), y=torch.zeros(0))),
    (training.accuracy, "x", lambda: moons_accuracy(x=torch.zeros(20, 3))),
    (training.accuracy, "y", lambda: moons_accuracy(y="labels")),
    (training.accuracy, "y", lambda: moons_accuracy(y=torch.zeros(3))),
    (training.accuracy, "y", lambda: moons_accuracy(y=torch.zeros(20, 2))),
    (training.accuracy, "y", lambda: moons_accuracy(y=-torch.ones(20))),
    (training.accuracy, "y", lambda: moons_accuracy(y=torch.full((20,), 0.5))),
    (training.accuracy, "y", lambda: moons_accuracy(y=torch.full((20,), NAN))),
    (training.predicted_classes, "out", lambda: training.predicted_classes([0.5, -0.5])),
    (training.predicted_classes, "out", lambda: training.predicted_classes(torch.zeros(2, 2, 2))),
    (training.predicted_classes, "out", lambda: training.predicted_classes(torch.tensor([NAN]))),
    (training.predicted_classes, "out", lambda: training.predicted_classes(torch.tensor([1, 0]))),
    (training.predicted_classes, "out", lambda: training.predicted_classes(torch.zeros(3, 0))),
    (training.accuracy, "out", lambda: moons_accuracy(model=zero_output_model())),
    # lessons.plotting
    (plotting.plot_losses, "losses", lambda: plotting.plot_losses(5)),
    (plotting.plot_losses, "losses", lambda: plotting.plot_losses("abc")),
    (plotting.plot_losses, "losses", lambda: plotting.plot_losses([])),
    (plotting.plot_losses, "losses", lambda: plotting.plot_losses({})),
    (plotting.plot_losses, "losses", lambda: plotting.plot_losses([[1.0, 2.0]])),
    (plotting.plot_losses, "losses", lambda: plotting.plot_losses([NAN, NAN])),
    (plotting.plot_losses, "losses", lambda: plotting.plot_losses([1.0, None])),
    (plotting.plot_losses, "losses", lambda: plotting.plot_losses([torch.zeros(2)])),
    (plotting.plot_losses, "甲", lambda: plotting.plot_losses({"甲": ["a"]})),
    (plotting.plot_losses, "ax", lambda: plotting.plot_losses([1.0], ax="ax")),
    (plotting.plot_losses, "title", lambda: plotting.plot_losses([1.0], title=3)),
    (plotting.plot_losses, "xlabel", lambda: plotting.plot_losses([1.0], xlabel=None)),
    (plotting.plot_losses, "log_scale", lambda: plotting.plot_losses([1.0], log_scale="yes")),
    (plotting.plot_losses, "log_scale", lambda: plotting.plot_losses([-1.0, 0.0], log_scale=True)),
    (plotting.plot_fit, "x", lambda: fit_plot(x="abc")),
    (plotting.plot_fit, "x", lambda: fit_plot(x=torch.zeros(5, 2))),
    (plotting.plot_fit, "x", lambda: fit_plot(x=torch.zeros(0), y=torch.zeros(0))),
    (plotting.plot_fit, "x", lambda: fit_plot(x=torch.full((5, 1), NAN))),
    (plotting.plot_fit, "y", lambda: fit_plot(y=torch.zeros(3))),
    (plotting.plot_fit, "y", lambda: fit_plot(y=[1, 2, "3", 4, 5])),
    (plotting.plot_fit, "predict", lambda: fit_plot(predict=3)),
    (plotting.plot_fit, "predict", lambda: fit_plot(predict=lambda t: t.sum())),
    (plotting.plot_fit, "predict", lambda: fit_plot(predict=nn.Linear(2, 1))),
    (plotting.plot_fit, "predict", lambda: fit_plot(predict=lambda t: "曲线")),
    (plotting.plot_fit, "predict", lambda: fit_plot(predict=lambda t: t * NAN)),
    (plotting.plot_fit, "predict", lambda: fit_plot(predict=lambda t: 1 / (t - t))),
    (plotting.plot_fit, "ax", lambda: fit_plot(ax=1)),
    (plotting.plot_fit, "title", lambda: fit_plot(title=1)),
    (plotting.plot_fit, "label", lambda: fit_plot(label=1)),
    (plotting.plot_decision_boundary, "predict", lambda: boundary(predict=1)),
    (plotting.plot_decision_boundary, "predict", lambda: boundary(predict=nn.Linear(3, 1))),
    (plotting.plot_decision_boundary, "predict", lambda: boundary(predict=lambda p: p.sum())),
    (plotting.plot_decision_boundary, "out", lambda: boundary(predict=lambda p: p[:, 0] * NAN)),
    (plotting.plot_decision_boundary, "out", lambda: boundary(predict=lambda p: p.reshape(-1, 1, 2))),
    (plotting.plot_decision_boundary, "x", lambda: boundary(x=torch.zeros(4, 3))),
    (plotting.plot_decision_boundary, "x", lambda: boundary(x=torch.zeros(0, 2), y=torch.zeros(0))),
    (plotting.plot_decision_boundary, "x", lambda: boundary(x=XY * INF)),
    (plotting.plot_decision_boundary, "x", lambda: boundary(x="points")),
    (plotting.plot_decision_boundary, "y", lambda: boundary(y=LABELS[:3])),
    (plotting.plot_decision_boundary, "y", lambda: boundary(y=LABELS + 1)),
    (plotting.plot_decision_boundary, "y", lambda: boundary(y=LABELS * 0.5)),
    (plotting.plot_decision_boundary, "resolution", lambda: boundary(resolution=1)),
    (plotting.plot_decision_boundary, "resolution", lambda: boundary(resolution=10**5)),
    (plotting.plot_decision_boundary, "resolution", lambda: boundary(resolution=2.5)),
    (plotting.plot_decision_boundary, "ax", lambda: boundary(ax=plt)),
    (plotting.plot_decision_boundary, "title", lambda: boundary(title=None)),
    (plotting.plot_contours_with_path, "f", lambda: contours(f=3)),
    (plotting.plot_contours_with_path, "f", lambda: contours(f=lambda a, b: a.sum())),
    (plotting.plot_contours_with_path, "f", lambda: contours(f=lambda a, b: a * 0)),
    (plotting.plot_contours_with_path, "f", lambda: contours(f=lambda a, b: a @ torch.zeros(3))),
    (plotting.plot_contours_with_path, "f", lambda: contours(f=lambda a, b: a * NAN)),
    (plotting.plot_contours_with_path, "f", lambda: contours(f=lambda a: a)),
    (plotting.plot_contours_with_path, "xlim", lambda: contours(xlim=(1,))),
    (plotting.plot_contours_with_path, "xlim", lambda: contours(xlim=(3, -3))),
    (plotting.plot_contours_with_path, "xlim", lambda: contours(xlim=("a", "b"))),
    (plotting.plot_contours_with_path, "xlim", lambda: contours(xlim=3)),
    (plotting.plot_contours_with_path, "ylim", lambda: contours(ylim=(0, NAN))),
    (plotting.plot_contours_with_path, "levels", lambda: contours(levels=0)),
    (plotting.plot_contours_with_path, "levels", lambda: contours(levels=1.5)),
    (plotting.plot_contours_with_path, "levels", lambda: contours(levels=[2.0, 1.0])),
    (plotting.plot_contours_with_path, "levels", lambda: contours(levels="many")),
    (plotting.plot_contours_with_path, "path", lambda: contours(path=torch.zeros(3))),
    (plotting.plot_contours_with_path, "path", lambda: contours(path=torch.zeros(0, 2))),
    (plotting.plot_contours_with_path, "path", lambda: contours(path=[[0.0, NAN]])),
    (plotting.plot_contours_with_path, "path", lambda: contours(path="path")),
    (plotting.plot_contours_with_path, "ax", lambda: contours(ax=0)),
    (plotting.plot_contours_with_path, "title", lambda: contours(title=0)),
    # lessons.data
    (data.noisy_line, "n", lambda: data.noisy_line(n=0)),
    (data.noisy_line, "n", lambda: data.noisy_line(n=2.5)),
    (data.noisy_line, "n", lambda: data.noisy_line(n="3")),
    (data.noisy_line, "n", lambda: data.noisy_line(n=10**9)),
    (data.noisy_line, "noise", lambda: data.noisy_line(noise=-1.0)),
    (data.noisy_line, "noise", lambda: data.noisy_line(noise=NAN)),
    (data.noisy_line, "noise", lambda: data.noisy_line(noise="0.5")),
    (data.noisy_line, "w", lambda: data.noisy_line(w=NAN)),
    (data.noisy_line, "w", lambda: data.noisy_line(w="2")),
    (data.noisy_line, "w", lambda: data.noisy_line(w=1e38, x_range=(0, 10))),
    (data.noisy_line, "b", lambda: data.noisy_line(b=-INF)),
    (data.noisy_line, "b", lambda: data.noisy_line(b=None)),
    (data.noisy_line, "x_range", lambda: data.noisy_line(x_range=(1,))),
    (data.noisy_line, "x_range", lambda: data.noisy_line(x_range=(2, 1))),
    (data.noisy_line, "x_range", lambda: data.noisy_line(x_range="ab")),
    (data.noisy_line, "x_range", lambda: data.noisy_line(x_range=(0, NAN))),
    (data.noisy_line, "x_range", lambda: data.noisy_line(x_range=(-1e308, 1e308))),
    (data.noisy_line, "seed", lambda: data.noisy_line(seed=-1)),
    (data.noisy_line, "seed", lambda: data.noisy_line(seed=1.5)),
    (data.sine, "n", lambda: data.sine(n=1)),
    (data.sine, "noise", lambda: data.sine(noise=INF)),
    (data.sine, "noise", lambda: data.sine(noise=1e39)),
    (data.sine, "x_range", lambda: data.sine(x_range=(0, 0))),
    (data.sine, "seed", lambda: data.sine(seed="0")),
    (data.two_moons, "n", lambda: data.two_moons(n=True)),
    (data.two_moons, "noise", lambda: data.two_moons(noise=-0.1)),
    (data.two_moons, "noise", lambda: data.two_moons(noise=1e300)),
    (data.two_moons, "seed", lambda: data.two_moons(seed=2**40)),
    (data.train_test_split, "x", lambda: split(x=[1, 2, 3, 4])),
    (data.train_test_split, "x", lambda: split(x=torch.tensor(1.0))),
    (data.train_test_split, "x", lambda: split(x=torch.zeros(0, 1), y=torch.zeros(0))),
    (data.train_test_split, "y", lambda: split(y=np.arange(8))),
    (data.train_test_split, "y", lambda: split(y=torch.arange(5))),
    (data.train_test_split, "test_fraction", lambda: split(test_fraction=0)),
    (data.train_test_split, "test_fraction", lambda: split(test_fraction=1.0)),
    (data.train_test_split, "test_fraction", lambda: split(test_fraction=NAN)),
    (data.train_test_split, "test_fraction", lambda: split(test_fraction="0.2")),
    (data.train_test_split, "test_fraction", lambda: split(test_fraction=0.01)),
    (data.train_test_split, "seed", lambda: split(seed="0")),
    # lessons.checking：检查器作者传错的参数（学习者的答案永远不会引起异常，见下文）
    (checking.passed, "message", lambda: checking.passed(3)),
    (checking.never_raises, "check", lambda: checking.never_raises(42)),
    (checking.never_raises, "what", lambda: checking.never_raises(what=5)),
    (checking.failed, "hint", lambda: checking.failed(None)),
    (checking.not_answered, "what", lambda: checking.not_answered(["提示"])),
    (checking.first_line, "err", lambda: checking.first_line("RuntimeError")),
    (checking.error_summary, "err", lambda: checking.error_summary(None)),
    (checking.tensor_problem, "expected", lambda: checking.tensor_problem(torch.zeros(2), [0.0, 0.0])),
    (checking.tensor_problem, "atol", lambda: checking.tensor_problem(torch.zeros(2), torch.zeros(2), atol=-1)),
    (checking.tensor_problem, "check_dtype", lambda: checking.tensor_problem(torch.zeros(2), torch.zeros(2), check_dtype=None)),
    (checking.tensor_problem, "name", lambda: checking.tensor_problem(torch.zeros(2), torch.zeros(2), name=1)),
    (checking.number_problem, "expected", lambda: checking.number_problem(1.0, NAN)),
    (checking.number_problem, "tol", lambda: checking.number_problem(1.0, 1.0, tol=-0.1)),
    (checking.number_problem, "name", lambda: checking.number_problem(1.0, 1.0, name=b"x")),
    # 表驱动的练习：创建时就检查参数，而不是等到学习者作答时才出错
    (checking.Exercise, "compare", lambda: exercise(compare=None)),
    (checking.Exercise, "compare", lambda: exercise(compare=lambda got, want: None)),
    (checking.Exercise, "brief", lambda: exercise(brief=3)),
    (checking.Exercise, "brief", lambda: exercise(brief="  ")),
    (checking.Exercise, "expected", lambda: exercise(expected=1.2)),
    (checking.Exercise, "success", lambda: exercise(success=None)),
    (checking.Exercise, "function", lambda: exercise(function="center rows")),
    (checking.Exercise, "cases", lambda: exercise(cases=[checking.Case()])),
    (checking.Exercise, "mistakes", lambda: exercise(mistakes=[checking.Mistake(lambda a: False, "提示")])),
    (checking.Exercise, "mistakes", lambda: exercise(mistakes=("提示",))),
    (checking.Exercise, "after", lambda: exercise(after=(None,))),
    (checking.Exercise, "error_hints", lambda: exercise(error_hints=(("NoneType",),))),
    (checking.Exercise, "warning_hints", lambda: exercise(warning_hints=(("target size", len),))),
    (checking.Exercise, "keeps_input", lambda: exercise(keeps_input="yes")),
    (checking.Exercise, "arguments", lambda: exercise(arguments="x")),
    (checking.Exercise, "input_hint", lambda: exercise(input_hint=None)),
    (checking.Exercise, "not_function", lambda: exercise(not_function=5)),
    (checking.Exercise, "stub", lambda: exercise(stub=True)),
    (checking.Exercise, "whole", lambda: exercise(whole=("不是函数",))),
    (checking.Exercise, "summary", lambda: exercise(summary="准确率")),
    (checking.Case, "args", lambda: checking.Case([1, 2])),
    (checking.Case, "label", lambda: checking.Case((1,), 3)),
    (checking.Mistake, "when", lambda: checking.Mistake(2.8, "方向反了。")),
    (checking.Mistake, "hint", lambda: checking.Mistake(lambda a: True, None)),
    (checking.Mistake, "todo", lambda: checking.Mistake(lambda a: True, "提示", todo="yes")),
    (checking.Number, "tol", lambda: checking.Number(tol=-1e-6)),
    (checking.Number, "tol", lambda: checking.Number(tol="0.1")),
    (checking.Number, "name", lambda: checking.Number(name=None)),
    (checking.Tensor, "dtype", lambda: checking.Tensor(dtype="double")),
    (checking.Tensor, "atol", lambda: checking.Tensor(atol=NAN)),
    (checking.Tensor, "rtol", lambda: checking.Tensor(rtol=-1)),
    (checking.Tensor, "arrays", lambda: checking.Tensor(arrays=None)),
    (checking.Tensor, "wrong", lambda: checking.Tensor(wrong=3)),
]

# 其他课程新增的函数（第 1 课的格子图、第 7 课的手写数字）：存在时一并检查
if hasattr(plotting, "plot_broadcast"):
    BAD += [
        (plotting.plot_broadcast, "a", lambda: plotting.plot_broadcast("x", [1])),
        (plotting.plot_broadcast, "a", lambda: plotting.plot_broadcast(np.zeros((2, 2, 2)), [1])),
        (plotting.plot_broadcast, "b", lambda: plotting.plot_broadcast([1], None)),
        (plotting.plot_broadcast, "b", lambda: plotting.plot_broadcast([1], [NAN])),
        (plotting.plot_broadcast, "a", lambda: plotting.plot_broadcast([1, 2, 3], [1, 2])),
        (plotting.plot_broadcast, "op", lambda: plotting.plot_broadcast([1], [2], op="/")),
        (plotting.plot_broadcast, "axes", lambda: plotting.plot_broadcast([1], [2], axes=5)),
    ]
if hasattr(plotting, "plot_reduction"):
    BAD += [
        (plotting.plot_reduction, "x", lambda: plotting.plot_reduction([1, 2])),
        (plotting.plot_reduction, "x", lambda: plotting.plot_reduction("x")),
        (plotting.plot_reduction, "axes", lambda: plotting.plot_reduction([[1, 2]], axes="ax")),
    ]
if hasattr(data, "digits"):
    BAD += [
        (data.digits, "seed", lambda: data.digits(seed="0")),
        (data.digits, "val_fraction", lambda: data.digits(val_fraction=2)),
        (data.digits, "val_fraction", lambda: data.digits(val_fraction="0.2")),
        (data.digits, "test_fraction", lambda: data.digits(test_fraction=NAN)),
        (data.digits, "test_fraction", lambda: data.digits(val_fraction=0.6, test_fraction=0.5)),
    ]


# ---------------------------------------------------------------- 示意图（graphs）、看图片（vision）、自测题（quiz）、动画（animation）


class Value:
    """与第 2 课的 Value 接口相同的最小标量（data、parents、local_grads、grad）。"""

    def __init__(self, data, parents=(), local_grads=(), label=""):
        self.data, self.parents, self.local_grads = data, tuple(parents), tuple(local_grads)
        self.grad, self.label, self.op = 0.0, label, ""


def value_graph(**changes):
    """f = x * y 的 Value 计算图；changes 替换 f 的属性（例如 parents）。"""
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    f = Value(6.0, (x, y), (3.0, 2.0), label="f")
    for key, value in changes.items():
        setattr(f, key, value)
    return f


def autograd_graph():
    """(w, L)：L = (w * 3)² 的计算图，w 是叶子。"""
    w = torch.tensor(2.0, requires_grad=True)
    return w, (w * 3) ** 2


def draw_autograd(**changes):
    w, loss = autograd_graph()
    args = {"root": loss, "names": {"w": w}}
    args.update(changes)
    return graphs.draw_autograd_graph(**args)


def node_label(**changes):
    w, loss = autograd_graph()
    args = {"node": loss.grad_fn, "names": {"w": w}}
    args.update(changes)
    return graphs.autograd_node_label(**args)


MATRIX = [[1.0, 2.0], [3.0, 4.0]]


def products(**changes):
    args = {"A": MATRIX, "C": MATRIX, "B": MATRIX}
    args.update(changes)
    return graphs.compare_products(**args)


def matrix_equation(**changes):
    args = {"terms": [("A", MATRIX, {(0, 0)}), "@", ("B", MATRIX)]}
    args.update(changes)
    return graphs.draw_matrix_equation(**args)


IMAGES = torch.arange(3 * 64.0).reshape(3, 64)


def images(**changes):
    args = {"images": IMAGES, "labels": [1, 2, 3]}
    args.update(changes)
    return vision.show_images(**args)


def confusion(**changes):
    args = {"matrix": [[5, 1], [0, 4]]}
    args.update(changes)
    return vision.plot_confusion_matrix(**args)


def quiz_data(**changes):
    data_ = quiz.load("01_tensor")
    data_.update(changes)
    return data_


@functools.cache
def two_frames() -> FuncAnimation:
    """一个两帧的小动画。先完整地转换一次（没有画过的动画被回收时 matplotlib 会警告），再关掉它的图。"""
    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1], [0, 1])
    anim = FuncAnimation(fig, lambda i: (line.set_ydata([0, i]), line)[1:], frames=2)
    animation.to_offline_html(anim, dpi=20)
    plt.close(fig)
    return anim


def no_frames() -> FuncAnimation:
    """一帧也没有的动画（frames 是空列表）。创建时 matplotlib 的英文警告与这里的检查无关，不显示。"""
    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1], [0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        anim = FuncAnimation(fig, lambda i: (line,), frames=[])
    plt.close(fig)
    return anim


def offline(**changes):
    args = {"anim": two_frames(), "dpi": 20}
    args.update(changes)
    return animation.to_offline_html(**args)


BAD += [
    # lessons.graphs：Value 的计算图
    (graphs.value_graph_order, "out", lambda: graphs.value_graph_order("f")),
    (graphs.value_graph_order, "out", lambda: graphs.value_graph_order(torch.tensor(1.0))),
    (graphs.value_graph_order, "out", lambda: graphs.value_graph_order(value_graph(parents=[Value(1.0)]))),
    (graphs.value_graph_order, "out", lambda: graphs.value_graph_order(value_graph(parents=(Value(1.0), 2.0)))),
    (graphs.value_graph_order, "out", lambda: graphs.value_graph_order(value_graph(data="6"))),
    (graphs.value_graph_order, "out", lambda: graphs.value_graph_order(value_graph(local_grads=(3.0, None)))),
    (graphs.value_graph_order, "max_nodes", lambda: graphs.value_graph_order(value_graph(), max_nodes=0)),
    (graphs.value_graph_order, "max_nodes", lambda: graphs.value_graph_order(value_graph(), max_nodes=2.5)),
    (graphs.value_graph_order, "max_nodes", lambda: graphs.value_graph_order(value_graph(), max_nodes=True)),
    (graphs.value_graph_order, "max_nodes", lambda: graphs.value_graph_order(value_graph(), max_nodes=2)),
    (graphs.draw_value_graph, "out", lambda: graphs.draw_value_graph(None)),
    (graphs.draw_value_graph, "ax", lambda: graphs.draw_value_graph(value_graph(), ax="ax")),
    (graphs.draw_value_graph, "title", lambda: graphs.draw_value_graph(value_graph(), title=5)),
    # lessons.graphs：PyTorch 的计算图
    (graphs.draw_autograd_graph, "root", lambda: draw_autograd(root=5)),
    (graphs.draw_autograd_graph, "root", lambda: draw_autograd(root=autograd_graph()[0])),
    (graphs.draw_autograd_graph, "root", lambda: draw_autograd(root=torch.ones(2) * 3)),
    (graphs.draw_autograd_graph, "root", lambda: draw_autograd(root=np.float64(1.0))),
    (graphs.draw_autograd_graph, "names", lambda: draw_autograd(names=["w"])),
    (graphs.draw_autograd_graph, "names", lambda: draw_autograd(names={"w": 2.0})),
    (graphs.draw_autograd_graph, "names", lambda: draw_autograd(names={1: torch.ones(1)})),
    (graphs.draw_autograd_graph, "inputs", lambda: draw_autograd(inputs={"MulBackward0": "x"})),
    (graphs.draw_autograd_graph, "inputs", lambda: draw_autograd(inputs={("MulBackward0", 1): 3})),
    (graphs.draw_autograd_graph, "inputs", lambda: draw_autograd(inputs=[("MulBackward0", 1)])),
    (graphs.draw_autograd_graph, "ax", lambda: draw_autograd(ax=plt)),
    (graphs.draw_autograd_graph, "title", lambda: draw_autograd(title=["L"])),
    (graphs.draw_autograd_graph, "meanings", lambda: draw_autograd(meanings="乘法")),
    (graphs.draw_autograd_graph, "meanings", lambda: draw_autograd(meanings={"MulBackward0": 1})),
    (graphs.draw_autograd_graph, "max_nodes", lambda: draw_autograd(max_nodes=-1)),
    (graphs.draw_autograd_graph, "max_nodes", lambda: draw_autograd(max_nodes="40")),
    (graphs.draw_autograd_graph, "max_nodes", lambda: draw_autograd(max_nodes=2)),
    (graphs.autograd_node_label, "node", lambda: node_label(node=autograd_graph()[1])),
    (graphs.autograd_node_label, "node", lambda: node_label(node="PowBackward0")),
    (graphs.autograd_node_label, "names", lambda: node_label(names="w")),
    (graphs.autograd_node_label, "inputs", lambda: node_label(inputs={("MulBackward0", "1"): "x"})),
    (graphs.autograd_node_label, "meanings", lambda: node_label(meanings=[("PowBackward0", "乘方")])),
    (graphs.leaf_name, "tensor", lambda: graphs.leaf_name("w", {"w": torch.ones(1)})),
    (graphs.leaf_name, "tensor", lambda: graphs.leaf_name(None, {})),
    (graphs.leaf_name, "names", lambda: graphs.leaf_name(torch.ones(1), ["w"])),
    (graphs.leaf_name, "names", lambda: graphs.leaf_name(torch.ones(1), {"w": [1.0]})),
    # lessons.graphs：矩阵的格子图
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms="A @ B")),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=None)),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[MATRIX])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[("A", "1 2")])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[("A", [[1, 2], [3]])])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[("A", [1.0, 2.0])])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[("A", np.zeros((7, 2)))])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[("A", torch.zeros(2, 2, dtype=torch.complex64))])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[("A", MATRIX, {(2, 0)})])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[("A", MATRIX, {(0, 0, 0)})])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[("A", MATRIX, 5)])),
    (graphs.draw_matrix_equation, "ax", lambda: matrix_equation(ax=[1])),
    (graphs.draw_matrix_equation, "title", lambda: matrix_equation(title=b"A")),
    (graphs.draw_matrix_equation, "height", lambda: matrix_equation(height=1)),
    (graphs.draw_matrix_equation, "height", lambda: matrix_equation(height=2.5)),
    (graphs.draw_matrix_equation, "width", lambda: matrix_equation(width="9")),
    (graphs.draw_matrix_equation, "width", lambda: matrix_equation(width=-1)),
    (graphs.compare_products, "A", lambda: products(A="A")),
    (graphs.compare_products, "A", lambda: products(A=None)),
    (graphs.compare_products, "C", lambda: products(C=[[1.0, 2.0, 3.0]])),
    (graphs.compare_products, "B", lambda: products(B=[[1.0, 2.0, 3.0]])),
    (graphs.compare_products, "B", lambda: products(B=np.zeros((2, 2, 2)))),
    (graphs.compare_products, "axes", lambda: products(axes=5)),
    (graphs.compare_products, "axes", lambda: products(axes=[None])),
    (graphs.compare_products, "axes", lambda: products(axes=["ax1", "ax2"])),
    (graphs.compare_products, "axes", lambda: products(axes=(None, None))),
    (graphs.compare_products, "axes", lambda: products(axes=(matplotlib.figure.Figure().add_subplot(), None))),
    (graphs.compare_products, "A", lambda: products(A=torch.full((2, 2), NAN))),
    (graphs.compare_products, "B", lambda: products(B=[[1.0, INF], [0.0, 1.0]])),
    (graphs.compare_products, "A", lambda: products(A=[[1e200]], C=[[1e200]], B=[[1.0]])),
    (graphs.draw_matrix_equation, "terms", lambda: matrix_equation(terms=[("A", [[NAN, 1.0]])])),
    # lessons.vision
    (vision.show_images, "images", lambda: images(images="pixels")),
    (vision.show_images, "images", lambda: images(images=None)),
    (vision.show_images, "images", lambda: images(images=IMAGES[:, :10])),
    (vision.show_images, "images", lambda: images(images=IMAGES[:0], labels=None)),
    (vision.show_images, "images", lambda: images(images=IMAGES * NAN)),
    (vision.show_images, "images", lambda: images(images=[[0.0] * 64, [0.0] * 10])),
    (vision.show_images, "labels", lambda: images(labels=[1, 2])),
    (vision.show_images, "labels", lambda: images(labels=7)),
    (vision.show_images, "predictions", lambda: images(predictions=torch.zeros(4))),
    (vision.show_images, "ncols", lambda: images(ncols=0)),
    (vision.show_images, "ncols", lambda: images(ncols=2.5)),
    (vision.show_images, "title", lambda: images(title=3)),
    (vision.show_images, "image_shape", lambda: images(image_shape=64)),
    (vision.show_images, "image_shape", lambda: images(image_shape=(8,))),
    (vision.show_images, "image_shape", lambda: images(image_shape=(8.0, 8.0))),
    (vision.show_images, "image_shape", lambda: images(image_shape=(0, 8))),
    (vision.show_images, "image_shape", lambda: images(image_shape="8x8")),
    (vision.show_images, "size", lambda: images(size=0)),
    (vision.show_images, "size", lambda: images(size="big")),
    (vision.show_images, "size", lambda: images(size=INF)),
    (vision.plot_confusion_matrix, "matrix", lambda: confusion(matrix="matrix")),
    (vision.plot_confusion_matrix, "matrix", lambda: confusion(matrix=None)),
    (vision.plot_confusion_matrix, "matrix", lambda: confusion(matrix=[[1, 2, 3], [4, 5, 6]])),
    (vision.plot_confusion_matrix, "matrix", lambda: confusion(matrix=[[1, 2], [3]])),
    (vision.plot_confusion_matrix, "matrix", lambda: confusion(matrix=np.zeros((0, 0)))),
    (vision.plot_confusion_matrix, "matrix", lambda: confusion(matrix=[[NAN, 1.0], [0.0, 1.0]])),
    (vision.plot_confusion_matrix, "matrix", lambda: confusion(matrix=[[-1, 0], [0, 1]])),
    (vision.plot_confusion_matrix, "matrix", lambda: confusion(matrix=[["a", "b"], ["c", "d"]])),
    (vision.plot_confusion_matrix, "ax", lambda: confusion(ax="ax")),
    (vision.plot_confusion_matrix, "title", lambda: confusion(title=None)),
    (vision.plot_confusion_matrix, "class_names", lambda: confusion(class_names=["猫"])),
    (vision.plot_confusion_matrix, "class_names", lambda: confusion(class_names=2)),
    (vision.plot_confusion_matrix, "class_names", lambda: confusion(class_names="猫狗")),
    # lessons.quiz
    (quiz.load, "lesson", lambda: quiz.load(1)),
    (quiz.load, "lesson", lambda: quiz.load("01_tensor.ipynb")),
    (quiz.render, "lesson", lambda: quiz.render(None)),
    (quiz.render, "lesson", lambda: quiz.render("99_nothing")),
    (quiz.show, "lesson", lambda: quiz.show(["01_tensor"])),
    (quiz.show, "lesson", lambda: quiz.show("tensor")),
    (quiz.standalone_html, "lesson", lambda: quiz.standalone_html(b"01_tensor")),
    (quiz.standalone_html, "lesson", lambda: quiz.standalone_html("")),
    (quiz.format_number, "value", lambda: quiz.format_number("0.6")),
    (quiz.format_number, "value", lambda: quiz.format_number(None)),
    (quiz.format_number, "value", lambda: quiz.format_number(INF)),
    (quiz.validate, "data", lambda: quiz.validate("题目", "01_tensor")),
    (quiz.validate, "data", lambda: quiz.validate(None, "01_tensor")),
    (quiz.validate, "data", lambda: quiz.validate(quiz_data(questions=[]), "01_tensor")),
    (quiz.validate, "data", lambda: quiz.validate(quiz_data(extra=1), "01_tensor")),
    (quiz.validate, "lesson", lambda: quiz.validate(quiz_data(), 1)),
    (quiz.validate, "lesson", lambda: quiz.validate(quiz_data(), "02_operator_overloading")),
    (quiz.Quiz, "data", lambda: quiz.Quiz("01_tensor", None)),
    (quiz.Quiz, "lesson", lambda: quiz.Quiz(1, {})),
    (quiz.Quiz, "data", lambda: quiz.Quiz("01_tensor", {"questions": []})),
    (quiz.Quiz, "data", lambda: quiz.Quiz("01_tensor", quiz_data(title=None))),
    # lessons.animation
    (animation.to_offline_html, "anim", lambda: animation.to_offline_html("anim")),
    (animation.to_offline_html, "anim", lambda: animation.to_offline_html(plt.figure)),
    (animation.to_offline_html, "dpi", lambda: offline(dpi="70")),
    (animation.to_offline_html, "dpi", lambda: offline(dpi=5)),
    (animation.to_offline_html, "dpi", lambda: offline(dpi=NAN)),
    (animation.to_offline_html, "default_mode", lambda: offline(default_mode="repeat")),
    (animation.to_offline_html, "default_mode", lambda: offline(default_mode=1)),
    (animation.to_offline_html, "max_frames", lambda: offline(max_frames=0)),
    (animation.to_offline_html, "max_frames", lambda: offline(max_frames=1.5)),
    (animation.to_offline_html, "max_frames", lambda: offline(max_frames=1)),
    (animation.to_offline_html, "description", lambda: offline(description="  ")),
    (animation.to_offline_html, "description", lambda: offline(description=5)),
    (animation.default_description, "frames", lambda: animation.default_description("3")),
    (animation.default_description, "frames", lambda: animation.default_description(-1)),
    (animation.default_description, "frames", lambda: animation.default_description(2.5)),
    (animation.default_description, "frames", lambda: animation.default_description(0)),
    (animation.to_offline_html, "anim", lambda: animation.to_offline_html(no_frames(), dpi=20)),
    (animation.frame_count, "html", lambda: animation.frame_count(5)),
    (animation.frame_count, "html", lambda: animation.frame_count("<div>不是动画</div>")),
    (animation.accessibility_problems, "html", lambda: animation.accessibility_problems(None)),
    (animation.accessibility_problems, "html", lambda: animation.accessibility_problems(b"<img>")),
    (animation.external_urls, "html", lambda: animation.external_urls(["https://example.org"])),
]
if hasattr(checking, "numbered"):
    BAD += [(checking.numbered, "exercises", lambda: checking.numbered([checking.passed]))]


def _case_id(function, argument, index):
    return f"{function.__module__.split('.')[-1]}.{function.__name__}-{argument}-{index}"


@pytest.mark.parametrize(
    ("function", "argument", "call"),
    [pytest.param(f, a, c, id=_case_id(f, a, i)) for i, (f, a, c) in enumerate(BAD)],
)
def test_bad_input_gets_a_chinese_error_that_names_the_argument(function, argument, call, monkeypatch):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    threads = torch.get_num_threads()
    figures = set(plt.get_fignums())
    try:
        with pytest.raises((TypeError, ValueError)) as info:
            call()
    finally:
        torch.set_num_threads(threads)
        new = set(plt.get_fignums()) - figures
        for number in new:
            plt.close(number)
    assert_chinese_error(info, argument)
    assert not new, "参数有错时不应留下画了一半的图"


# ---------------------------------------------------------------- 正确输入表：看起来不寻常，其实没错


def expect(value, expected):
    assert value == expected, f"应得到 {expected!r}，实际是 {value!r}"


def _loss_tensors():
    w = torch.tensor(2.0, requires_grad=True)
    return [(w * k) ** 2 for k in (3.0, 2.0, 1.0)]  # 初学者的 losses.append(loss)


GOOD = [
    (env.seed_everything, lambda: env.seed_everything(np.uint32(7))),
    (env.get_device, lambda: env.get_device(torch.device("cpu"))),
    (env.get_device, lambda: env.get_device(" CPU ")),
    (env.setup, lambda: env.setup(seed=np.int64(3), cpu_threads=np.int32(1))),
    (fonts.use_chinese_font, lambda: fonts.use_chinese_font(np.bool_(False))),
    (training.fit, lambda: line_fit(epochs=np.int64(2), batch_size=np.int64(2), seed=np.int64(1),
                                    shuffle=np.bool_(True), device=torch.device("cpu"))),
    (training.fit, lambda: line_fit(x=lambda a: a["x"].requires_grad_())),
    (training.accuracy, lambda: moons_accuracy(y=data.two_moons(n=20)[1].bool())),
    (training.accuracy, lambda: moons_accuracy(model=nn.Linear(2, 2))),
    (training.accuracy, lambda: moons_accuracy(model=nn.Linear(2, 1).double(), x=data.two_moons(n=20)[0].double())),
    (plotting.plot_losses, lambda: plotting.plot_losses(_loss_tensors())),
    (plotting.plot_losses, lambda: plotting.plot_losses(torch.tensor([3.0, 2.0], requires_grad=True))),
    (plotting.plot_losses, lambda: plotting.plot_losses({"a": np.array([1.0, NAN, 0.5])}, log_scale=True)),
    (plotting.plot_fit, lambda: fit_plot(x=[1, 2, 3, 4, 5], y=np.arange(5.0))),
    (plotting.plot_decision_boundary, lambda: boundary(predict=nn.Linear(2, 2))),
    (plotting.plot_decision_boundary, lambda: boundary(x=XY.numpy(), y=LABELS.tolist(), resolution=np.int64(10))),
    (plotting.plot_contours_with_path, lambda: contours(levels=np.int64(5), xlim=np.array([-1, 1]))),
    (data.noisy_line, lambda: data.noisy_line(n=np.int64(5), w=torch.tensor(2.0), x_range=np.array([-1, 1]))),
    (data.train_test_split, lambda: split(test_fraction=np.float32(0.25), seed=np.int64(0))),
    (checking.number_problem, lambda: checking.number_problem(np.float32(0.5), np.float64(0.5), tol=np.float32(0.1))),
    # 示意图、看图片、自测题、动画：NumPy 的数、数组、带梯度的张量、bfloat16 都可以
    (graphs.value_graph_order, lambda: expect(len(graphs.value_graph_order(value_graph(), max_nodes=np.int64(3))), 3)),
    (graphs.draw_value_graph, lambda: graphs.draw_value_graph(value_graph(data=np.float32(6), local_grads=(np.float64(3), 2)))),
    (graphs.draw_autograd_graph, lambda: draw_autograd(root=autograd_graph()[1].grad_fn, max_nodes=np.int64(10))),
    (graphs.draw_autograd_graph, lambda: draw_autograd(root=torch.ones(2, requires_grad=True).sum(), names=None,
                                                        inputs={("MulBackward0", np.int64(1)): "x"})),
    (graphs.autograd_node_label, lambda: expect(node_label(meanings={"PowBackward0": "平方"}), "PowBackward0\n平方")),
    (graphs.leaf_name, lambda: expect(graphs.leaf_name(torch.ones(1), {}), None)),
    (graphs.draw_matrix_equation, lambda: matrix_equation(
        terms=[("A", torch.ones(2, 2, requires_grad=True), {(np.int64(0), np.int64(1))}), "@",
               ("B", np.eye(2, dtype=np.int64)), "=", ("C", torch.ones(2, 2, dtype=torch.bfloat16))],
        height=np.int64(3), width=np.int64(9))),
    (graphs.compare_products, lambda: products(A=np.ones((2, 3)), C=torch.ones(2, 3), B=[[1], [2], [3]],
                                               axes=plt.subplots(1, 2)[1])),
    (vision.show_images, lambda: images(images=IMAGES.reshape(3, 8, 8).bfloat16().requires_grad_(), labels=np.arange(3),
                                        predictions=torch.tensor([1, 0, 3]), ncols=np.int64(2), size=np.float32(0.5),
                                        image_shape=np.array([8, 8]))),
    (vision.show_images, lambda: images(images=IMAGES.numpy().astype(np.uint8), image_shape=torch.Size([8, 8]), title="数字")),
    (vision.plot_confusion_matrix, lambda: confusion(matrix=torch.tensor([[0.5, 0.5], [0.0, 1.0]]),
                                                     class_names=np.array(["猫", "狗"]), ax=plt.subplots()[1])),
    (vision.plot_confusion_matrix, lambda: confusion(matrix=np.eye(3, dtype=np.int64), class_names=("a", "b", "c"))),
    (quiz.format_number, lambda: expect([quiz.format_number(v) for v in (np.float32(0.5), np.int64(16), Fraction(3, 4))],
                                        ["0.5", "16", "0.75"])),
    (quiz.validate, lambda: quiz.validate(quiz_data(), np.str_("01_tensor"))),
    (quiz.Quiz, lambda: expect(quiz.Quiz("01_tensor", quiz_data()).lesson, "01_tensor")),
    (checking.Exercise, lambda: expect(bool(exercise(keeps_input=np.bool_(False)).check(np.float32(1.0))), True)),
    (checking.Number, lambda: expect(checking.Number(tol=np.float32(0.5)).problem(1.25, 1.0), None)),
    (checking.Tensor, lambda: expect(checking.Tensor(dtype=torch.float64, atol=np.float64(1e-3)).dtype, torch.float64)),
    (checking.Case, lambda: expect(checking.Case((torch.ones(1),), "输入一个数时").label, "输入一个数时")),
    (animation.default_description, lambda: expect("共 1 帧" in animation.default_description(1), True)),
    (animation.default_description, lambda: expect("共 3 帧" in animation.default_description(np.int64(3)), True)),
    (animation.to_offline_html, lambda: expect(animation.frame_count(offline(dpi=np.float32(30), max_frames=np.int64(2))), 2)),
]


@pytest.mark.parametrize(
    ("function", "call"), [pytest.param(f, c, id=f"{f.__name__}-{i}") for i, (f, c) in enumerate(GOOD)]
)
def test_unusual_but_valid_input_is_accepted(function, call, monkeypatch):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    threads = torch.get_num_threads()
    try:
        call()
    finally:
        torch.set_num_threads(threads)
        plt.close("all")


# ---------------------------------------------------------------- 每个公共函数都在表里


#: 没有参数的公共函数：没有可以传错的参数
NO_ARGUMENTS = {"in_colab", "system_cjk_fonts", "bundled_font_path", "register_bundled_font", "apply_web_style",
                "document_line", "xor", "available"}
#: 收到任何东西都只返回结果、从不抛出异常的函数（由下面的性质测试检查）
NEVER_RAISE = {"as_number", "as_tensor"}


def public_functions():
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            # 名字中间带双下划线的是工具生成的函数（例如变异测试的 x_fit__mutmut_1），不算公共函数
            if function.__module__ == module.__name__ and not name.startswith("_") and "__" not in name:
                yield function


def test_every_public_function_is_in_the_bad_input_table():
    covered = {f for f, _, _ in BAD}
    missing = [
        f"{f.__module__}.{f.__name__}"
        for f in public_functions()
        if f not in covered and f.__name__ not in NO_ARGUMENTS | NEVER_RAISE
    ]
    assert not missing, f"这些公共函数还没有错误输入的测试，请加到 BAD 表中：{missing}"


# ---------------------------------------------------------------- 基于性质的测试


def _run(call, argument_names):
    """调用 call：要么返回结果，要么抛出说出某个参数名的中文 TypeError/ValueError。"""
    try:
        return call(), None
    except (TypeError, ValueError) as err:
        message = str(err)
        assert CJK.search(message), message
        assert any(name in message for name in argument_names), message
        return None, err


anything = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(), st.text(max_size=3),
    st.fractions(), st.complex_numbers(max_magnitude=10),
)
numbers_or_junk = st.one_of(st.floats(), st.integers(-(10**6), 10**6), st.text(max_size=2), st.none())


@QUICK
@given(
    n=st.one_of(st.integers(-3, 300), st.floats(0, 10), st.none()),
    w=numbers_or_junk,
    b=numbers_or_junk,
    noise=numbers_or_junk,
    x_range=st.one_of(st.tuples(st.floats(), st.floats()), st.lists(st.floats(-5, 5), max_size=3), st.text(max_size=2)),
    seed=st.one_of(st.integers(-5, 2**33), st.floats(0, 3)),
)
def test_noisy_line_gives_finite_data_or_a_chinese_error(n, w, b, noise, x_range, seed):
    result, err = _run(lambda: data.noisy_line(n=n, w=w, b=b, noise=noise, x_range=x_range, seed=seed),
                       ["n", "w", "b", "noise", "x_range", "seed"])
    if err is None:
        x, y = result
        assert x.shape == y.shape == (n, 1)
        assert torch.isfinite(x).all() and torch.isfinite(y).all()
        low, high = x_range
        assert (x >= low).all() and (x <= high).all()


@QUICK
@given(n=st.integers(-2, 200), noise=numbers_or_junk, seed=st.integers(0, 10))
def test_two_moons_and_sine_give_finite_data_or_a_chinese_error(n, noise, seed):
    for make in (data.two_moons, data.sine):
        result, err = _run(lambda make=make: make(n=n, noise=noise, seed=seed), ["n", "noise"])
        if err is None:
            x, y = result
            assert len(x) == len(y) == n and torch.isfinite(x).all()


@QUICK
@given(n=st.integers(1, 40), batch_size=st.one_of(st.none(), st.integers(1, 50)), epochs=st.integers(1, 3),
       shuffle=st.booleans())
def test_fit_takes_epochs_times_ceil_n_over_batch_steps(n, batch_size, epochs, shuffle):
    x = torch.linspace(-1, 1, n).reshape(n, 1)
    y = 2 * x + 1
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    steps = []
    original = optimizer.step
    optimizer.step = lambda *a, **k: (steps.append(1), original(*a, **k))[1]
    history = training.fit(model, x, y, nn.MSELoss(), optimizer, epochs, batch_size=batch_size, shuffle=shuffle)
    per_epoch = 1 if batch_size is None else math.ceil(n / batch_size)
    assert len(steps) == epochs * per_epoch
    assert len(history) == epochs and all(math.isfinite(v) for v in history)


@QUICK
@given(
    logits=st.lists(st.floats(-5, 5).filter(lambda v: abs(v) > 1e-3), min_size=1, max_size=30),
    data_=st.data(),
)
def test_accuracy_is_the_share_of_correct_predictions(logits, data_):
    labels = data_.draw(st.lists(st.integers(0, 1), min_size=len(logits), max_size=len(logits)))
    x = torch.tensor(logits).reshape(-1, 1)
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(1.0)
        model.bias.zero_()
    expected = sum((v > 0) == bool(t) for v, t in zip(logits, labels)) / len(labels)
    assert training.accuracy(model, x, torch.tensor(labels)) == pytest.approx(expected)


# 对数刻度下画 1e308 这样的数时，matplotlib 在计算坐标范围时溢出并给出警告（图照样画出来）
@pytest.mark.filterwarnings("ignore:overflow encountered in exp:RuntimeWarning")
@QUICK
@given(values=st.lists(st.one_of(st.floats(), st.integers(-100, 100)), max_size=20), log_scale=st.booleans())
def test_plot_losses_draws_or_explains(values, log_scale):
    fig, ax = plt.subplots()
    try:
        _, err = _run(lambda: plotting.plot_losses(values, ax=ax, log_scale=log_scale), ["losses"])
        if err is None:
            assert len(ax.lines) == 1 and len(ax.lines[0].get_ydata()) == len(values)
    finally:
        plt.close(fig)


@QUICK
@given(n=st.integers(0, 30), fraction=st.one_of(st.floats(), st.integers(-1, 2)), seed=st.integers(0, 100))
def test_train_test_split_partitions_or_explains(n, fraction, seed):
    x, y = torch.arange(float(n)).reshape(n, 1), torch.arange(n)
    result, err = _run(lambda: data.train_test_split(x, y, test_fraction=fraction, seed=seed), ["x", "test_fraction"])
    if err is None:
        x_train, x_test, y_train, y_test = result
        assert sorted(torch.cat([y_train, y_test]).tolist()) == list(range(n))
        assert len(x_test) >= 1 and len(x_train) >= 1


answers = st.recursive(
    anything | st.decimals() | st.just(np.float32(1.5)) | st.just(torch.tensor([1.0], requires_grad=True)),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=1), inner),
    max_leaves=8,
)


@QUICK
@given(answer=answers)
def test_checking_never_raises_on_any_answer(answer):
    """学习者的答案是什么都可以：转换函数返回结果或 None，比较函数返回 None 或中文说明。"""
    number = checking.as_number(answer)
    assert number is None or isinstance(number, float)
    tensor = checking.as_tensor(answer)
    assert tensor is None or (isinstance(tensor, torch.Tensor) and not tensor.requires_grad)
    for problem in (checking.number_problem(answer, 1.5), checking.tensor_problem(answer, torch.tensor([1.5]))):
        assert problem is None or CJK.search(problem)


@QUICK
@given(value=st.floats(allow_nan=False) | st.integers(-(10**15), 10**15) | st.fractions())
def test_as_number_keeps_the_value_of_every_real_number(value):
    assert checking.as_number(value) == float(value)
    assert checking.as_number(np.float64(float(value))) == float(value)
    assert checking.as_number(torch.tensor(float(value), dtype=torch.float64)) == float(value)
