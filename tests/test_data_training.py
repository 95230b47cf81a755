"""lessons.data、lessons.training、lessons.plotting 的单元测试（lessons.checking 见 test_checking.py）。"""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from lessons import data, plotting, training  # noqa: E402
from lessons.fonts import use_chinese_font  # noqa: E402

use_chinese_font()  # 图中的中文标签（画到像素上时）不出方框，也不产生字体警告


def test_document_line_has_column_shape():
    x, y = data.document_line()
    assert x.shape == (5, 1) and y.shape == (5, 1)
    assert torch.equal(y, 2 * x)


@pytest.mark.parametrize("make", [data.noisy_line, data.sine, data.two_moons])
def test_datasets_are_seeded(make):
    a = make(n=50, seed=3)
    b = make(n=50, seed=3)
    c = make(n=50, seed=4)
    assert all(torch.equal(u, v) for u, v in zip(a, b))
    assert not torch.equal(a[0], c[0]) or not torch.equal(a[1], c[1])


def test_noisy_line_follows_the_line():
    x, y = data.noisy_line(n=2000, w=2.0, b=1.0, noise=0.1, seed=0)
    slope = ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
    assert abs(slope.item() - 2.0) < 0.02


def test_two_moons_labels_and_shapes():
    x, y = data.two_moons(n=101)
    assert x.shape == (101, 2) and y.shape == (101,) and y.dtype == torch.long
    assert set(y.tolist()) == {0, 1}


@pytest.mark.parametrize("n", [0, 1, -5, data.MAX_SAMPLES + 1])
def test_bad_sample_count_gets_chinese_error(n):
    with pytest.raises(ValueError, match="样本数 n 必须是 2 到 1000000 之间的整数"):
        data.noisy_line(n=n)


@pytest.mark.parametrize("n", [2.5, True, "3", None])
def test_sample_count_of_wrong_type_gets_chinese_error(n):
    with pytest.raises(TypeError, match="样本数 n 必须是整数，例如 n=100；收到的是"):
        data.noisy_line(n=n)


def test_numpy_arguments_are_accepted():
    a = data.noisy_line(n=np.int64(10), w=np.float32(2.0), noise=np.float64(0.5), seed=np.int64(3))
    b = data.noisy_line(n=10, w=2.0, noise=0.5, seed=3)
    assert all(torch.equal(u, v) for u, v in zip(a, b))


def test_negative_noise_rejected():
    with pytest.raises(ValueError, match="噪声标准差 noise 必须不小于 0"):
        data.sine(noise=-1.0)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [({"noise": float("nan")}, "noise"), ({"noise": float("inf")}, "noise"), ({"w": float("nan")}, "w"),
     ({"b": float("-inf")}, "b"), ({"x_range": (0.0, float("nan"))}, "x_range")],
)
def test_nan_and_inf_never_reach_the_data(kwargs, argument):
    """以前 noise=nan 会返回全是 nan 的数据；现在在生成之前就报错。"""
    with pytest.raises(ValueError, match=f"{argument}.*有限的数"):
        data.noisy_line(**kwargs)


def test_train_test_split_partitions_the_data():
    x = torch.arange(20.0).reshape(20, 1)
    y = torch.arange(20)
    x_tr, x_te, y_tr, y_te = data.train_test_split(x, y, test_fraction=0.25, seed=0)
    assert len(x_te) == 5 and len(x_tr) == 15
    assert sorted(torch.cat([y_tr, y_te]).tolist()) == list(range(20))
    assert torch.equal(x_tr.reshape(-1).long(), y_tr)


def test_train_test_split_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="样本数必须相同"):
        data.train_test_split(torch.zeros(4, 1), torch.zeros(3))


def _line_model(seed=0):
    torch.manual_seed(seed)
    return nn.Linear(1, 1)


def test_fit_matches_a_hand_written_loop():
    x, y = data.document_line()
    model_a, model_b = _line_model(), _line_model()
    opt_a = torch.optim.SGD(model_a.parameters(), lr=0.01)
    losses = training.fit(model_a, x, y, nn.MSELoss(), opt_a, epochs=200)
    opt_b = torch.optim.SGD(model_b.parameters(), lr=0.01)
    for _ in range(200):
        opt_b.zero_grad()
        loss = nn.functional.mse_loss(model_b(x), y)
        loss.backward()
        opt_b.step()
    assert torch.allclose(model_a.weight, model_b.weight)
    assert torch.allclose(model_a.bias, model_b.bias)
    assert len(losses) == 200 and losses[-1] < losses[0]


def test_fit_with_mini_batches_is_reproducible():
    x, y = data.noisy_line(n=64, seed=1)
    runs = []
    for _ in range(2):
        model = _line_model()
        opt = torch.optim.SGD(model.parameters(), lr=0.05)
        runs.append(training.fit(model, x, y, nn.MSELoss(), opt, epochs=5, batch_size=8, seed=2))
    assert runs[0] == runs[1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"model": "not a model"}, "model 必须是 nn.Module"),
        ({"optimizer": None}, "optimizer 必须是 torch.optim"),
        ({"epochs": 0}, "epochs（迭代周期数）必须是正整数"),
        ({"batch_size": 0}, "batch_size 必须是正整数或 None"),
        ({"y": torch.zeros(3, 1)}, "第一维是样本数，必须相同"),
    ],
)
def test_fit_validates_inputs_in_chinese(kwargs, message):
    x, y = data.document_line()
    model = _line_model()
    args = {
        "model": model,
        "x": x,
        "y": y,
        "loss_fn": nn.MSELoss(),
        "optimizer": torch.optim.SGD(model.parameters(), lr=0.01),
        "epochs": 3,
    }
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError), match=message):
        training.fit(**args)


def test_accuracy_for_logit_and_multiclass_outputs():
    x = torch.tensor([[-2.0], [3.0], [1.0]])
    y = torch.tensor([0, 1, 0])
    identity = nn.Linear(1, 1)
    with torch.no_grad():
        identity.weight.fill_(1.0)
        identity.bias.zero_()
    assert training.accuracy(identity, x, y) == pytest.approx(2 / 3)
    two_class = nn.Linear(1, 2)
    with torch.no_grad():
        two_class.weight.copy_(torch.tensor([[-1.0], [1.0]]))
        two_class.bias.zero_()
    assert training.accuracy(two_class, x, y) == pytest.approx(2 / 3)


def test_plot_helpers_draw_and_validate():
    fig, axes = plt.subplots(1, 4)
    plotting.plot_losses({"甲": [3, 2, 1], "乙": [3, 1, 0.5]}, ax=axes[0], log_scale=True)
    assert len(axes[0].lines) == 2
    x, y = data.document_line()
    plotting.plot_fit(x, y, lambda t: 2 * t, ax=axes[1])
    assert len(axes[1].lines) == 1
    xs, ys = data.two_moons(n=40)
    plotting.plot_decision_boundary(lambda p: p[:, 0] - 0.5, xs, ys, ax=axes[2], resolution=30)
    plotting.plot_contours_with_path(lambda a, b: a**2 + b**2, torch.tensor([[2.0, 2.0], [1.0, 1.0]]), ax=axes[3])
    assert len(axes[3].lines) == 2
    plt.close(fig)
    with pytest.raises(ValueError, match="没有可画的损失曲线"):
        plotting.plot_losses({})
    with pytest.raises(ValueError, match="形状必须是 \\(n, 2\\)"):
        plotting.plot_decision_boundary(lambda p: p[:, 0], torch.zeros(5, 3), torch.zeros(5))



# ---------------------------------------------------------------- fit：小批量、形状、数据类型


class CountingSGD(torch.optim.SGD):
    """记下 step() 被调用了几次的 SGD。"""

    steps = 0

    def step(self, closure=None):
        self.steps += 1
        return super().step(closure)


@pytest.mark.parametrize(
    ("n", "batch_size", "epochs"), [(10, None, 3), (10, 10, 2), (10, 3, 2), (10, 1, 1), (7, 2, 3), (5, 100, 4)]
)
def test_fit_takes_one_step_per_mini_batch(n, batch_size, epochs):
    """每个迭代周期更新 ⌈n / batch_size⌉ 次参数（batch_size=None 时每个周期 1 次）。"""
    x, y = data.noisy_line(n=n, seed=0)
    model = _line_model()
    opt = CountingSGD(model.parameters(), lr=0.01)
    history = training.fit(model, x, y, nn.MSELoss(), opt, epochs=epochs, batch_size=batch_size)
    per_epoch = 1 if batch_size is None else math.ceil(n / batch_size)
    assert opt.steps == epochs * per_epoch
    assert len(history) == epochs


def test_fit_returns_the_average_loss_over_all_samples():
    """每个周期的损失是各批损失按样本数加权的平均：这里只训练一个周期，学习率为 0，参数不变。"""
    x, y = data.noisy_line(n=10, seed=0)
    model = _line_model()
    history = training.fit(model, x, y, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.0), 1,
                           batch_size=4, shuffle=False)
    with torch.no_grad():
        expected = nn.functional.mse_loss(model(x), y).item()
    assert history[0] == pytest.approx(expected, rel=1e-6)


def test_fit_shuffle_and_seed_change_the_order():
    x, y = data.noisy_line(n=32, seed=1)

    def run(**kwargs):
        model = _line_model()
        return training.fit(model, x, y, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.05), 2,
                            batch_size=4, **kwargs)

    assert run(seed=1) == run(seed=1)
    assert run(seed=1) != run(seed=2)
    assert run(shuffle=False, seed=1) == run(shuffle=False, seed=2)


def test_fit_refuses_the_broadcasting_bug_of_lesson_4():
    """预测 (n, 1) 与目标 (n,) 会被广播成 (n, n)：以前悄悄地训练出错误的模型，现在报错并给出改法。"""
    x, y = data.document_line()
    model = _line_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    before = model.weight.detach().clone()
    with pytest.raises(ValueError, match=r"模型输出的形状是 \(5, 1\)，而 y 的形状是 \(5,\).*广播.*y.reshape\(-1, 1\)"):
        training.fit(model, x, y.reshape(-1), nn.MSELoss(), opt, epochs=3)
    assert torch.equal(model.weight, before), "报错之前不应该更新任何参数"
    # 自己写的损失函数同样会被广播，也要报错
    with pytest.raises(ValueError, match="广播"):
        training.fit(model, x, y.reshape(-1), lambda p, t: ((p - t) ** 2).mean(), opt, epochs=1)


def test_fit_accepts_class_labels_for_cross_entropy():
    """CrossEntropyLoss 的预测 (n, C) 与标签 (n,) 形状本来就不同，这不是错误。"""
    x, y = data.two_moons(n=40, seed=0)
    torch.manual_seed(0)
    model = nn.Linear(2, 2)
    history = training.fit(model, x, y, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.5), 20)
    assert history[-1] < history[0]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (lambda x, y: (x.long(), y), TypeError, r"x 的数据类型必须是浮点数，收到的是 torch.int64：用 x.float\(\) 转换"),
        (lambda x, y: (x.double(), y), TypeError, "x 的数据类型是 torch.float64，而模型参数是 torch.float32"),
        (lambda x, y: (x[:0], y[:0]), ValueError, "x 是空的"),
        (lambda x, y: (x.reshape(-1)[0], y), ValueError, "x 的第一维是样本数，不能是零维张量"),
        (lambda x, y: (x.tolist(), y), TypeError, r"x 必须是张量（torch.Tensor），收到的是 list"),
        (lambda x, y: (x, y.tolist()), TypeError, r"y 必须是张量"),
        (lambda x, y: (x * float("nan"), y), ValueError, "x 含有 5 个 nan 或 inf"),
        (lambda x, y: (x, y + float("inf")), ValueError, "y 含有 5 个 nan 或 inf"),
        (lambda x, y: (torch.zeros(5, 3), y), ValueError, "调用 model\\(x\\) 时出错.*mat1 and mat2"),
    ],
)
def test_fit_rejects_bad_data_in_chinese(change, error, message):
    x, y = change(*data.document_line())
    model = _line_model()
    with pytest.raises(error, match=message):
        training.fit(model, x, y, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.01), 3)


def test_fit_rejects_integer_labels_for_bce_and_names_the_fix():
    x, y = data.two_moons(n=20)
    model = nn.Linear(2, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=r"y.float\(\).reshape\(-1, 1\)"):
        training.fit(model, x, y, nn.BCEWithLogitsLoss(), opt, 1)
    with pytest.raises(TypeError, match=r"loss_fn（BCEWithLogitsLoss）要求 y 是浮点数.*y.float\(\)"):
        training.fit(model, x, y.unsqueeze(1), nn.BCEWithLogitsLoss(), opt, 1)


def test_fit_rejects_an_optimizer_of_another_model():
    """重新创建模型却沿用旧的优化器：训练什么也不会改变。"""
    x, y = data.document_line()
    old, new = _line_model(), _line_model(1)
    with pytest.raises(ValueError, match="optimizer 管理的参数都不属于 model"):
        training.fit(new, x, y, nn.MSELoss(), torch.optim.SGD(old.parameters(), lr=0.01), 3)


def test_fit_rejects_a_loss_that_is_not_one_number():
    x, y = data.document_line()
    model = _line_model()
    with pytest.raises(ValueError, match="loss_fn 必须返回只有一个元素的损失张量.*reduction='none'"):
        training.fit(model, x, y, nn.MSELoss(reduction="none"), torch.optim.SGD(model.parameters(), lr=0.01), 1)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"epochs": 2.0}, TypeError, "epochs（迭代周期数）必须是正整数"),
        ({"epochs": -1}, ValueError, "epochs（迭代周期数）必须是正整数"),
        ({"batch_size": 2.5}, TypeError, "batch_size 必须是正整数或 None"),
        ({"batch_size": True}, TypeError, "batch_size 必须是正整数或 None"),
        ({"shuffle": "yes"}, TypeError, "shuffle 必须是 True 或 False"),
        ({"seed": -1}, ValueError, "随机种子 seed 必须在"),
        ({"seed": 0.5}, TypeError, "随机种子 seed 必须是整数"),
        ({"device": "gpu"}, ValueError, "device 是不认识的设备名 'gpu'"),
        ({"loss_fn": "mse"}, TypeError, "loss_fn 必须是可以调用的函数"),
    ],
)
def test_fit_checks_every_argument(kwargs, error, message):
    x, y = data.document_line()
    model = _line_model()
    args = {"loss_fn": nn.MSELoss(), "optimizer": torch.optim.SGD(model.parameters(), lr=0.01), "epochs": 1}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        training.fit(model, x, y, **args)


def test_fit_rejects_a_nan_learning_rate():
    x, y = data.document_line()
    model = _line_model()
    with pytest.raises(ValueError, match="optimizer 的学习率 lr 必须是有限的数"):
        training.fit(model, x, y, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=float("nan")), 1)


def test_fit_accepts_numpy_integers_and_a_device():
    x, y = data.document_line()
    a, b = _line_model(), _line_model()
    ha = training.fit(a, x, y, nn.MSELoss(), torch.optim.SGD(a.parameters(), lr=0.01), np.int64(3),
                      batch_size=np.int64(2), seed=np.int64(1), device=torch.device("cpu"))
    hb = training.fit(b, x, y, nn.MSELoss(), torch.optim.SGD(b.parameters(), lr=0.01), 3, batch_size=2, seed=1,
                      device="cpu")
    assert ha == hb


# ---------------------------------------------------------------- accuracy


def test_accuracy_checks_labels_and_outputs():
    x = torch.tensor([[-2.0], [3.0], [1.0]])
    model = nn.Linear(1, 1)
    with pytest.raises(ValueError, match="y 的取值必须在 0 到 1 之间"):
        training.accuracy(model, x, torch.tensor([-1, 1, 1]))
    with pytest.raises(ValueError, match="y 必须是类别编号.*非整数"):
        training.accuracy(model, x, torch.tensor([0.5, 1.0, 0.0]))
    with pytest.raises(ValueError, match="x 有 3 个样本，y 有 2 个"):
        training.accuracy(model, x, torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="独热编码"):
        training.accuracy(model, x, torch.eye(3))
    with pytest.raises(TypeError, match=r"x 的数据类型必须是浮点数.*x.float\(\)"):
        training.accuracy(model, x.long(), torch.tensor([0, 1, 1]))
    with pytest.raises(TypeError, match="model 必须是 nn.Module"):
        training.accuracy(lambda t: t, x, torch.tensor([0, 1, 1]))
    with torch.no_grad():
        model.weight.fill_(float("nan"))
    with pytest.raises(ValueError, match="模型输出）含有 nan 或 inf"):
        training.accuracy(model, x, torch.tensor([0, 1, 1]))


def test_accuracy_accepts_float_bool_and_column_labels():
    x = torch.tensor([[-2.0], [3.0], [1.0]])
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(1.0)
        model.bias.zero_()
    for y in [torch.tensor([0, 1, 0]), torch.tensor([[0.0], [1.0], [0.0]]), torch.tensor([False, True, False])]:
        assert training.accuracy(model, x, y) == pytest.approx(2 / 3)


def test_accuracy_evaluates_in_eval_mode_and_restores_the_mode():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.9), nn.Linear(8, 1))
    x, y = data.two_moons(n=50)
    model.train()
    first = training.accuracy(model, x, y)
    assert model.training, "算完准确率后应恢复训练模式"
    assert training.accuracy(model, x, y) == first, "评估模式下 Dropout 不起作用，两次结果应相同"
    model.eval()
    training.accuracy(model, x, y)
    assert not model.training


def test_predicted_classes_rules():
    assert training.predicted_classes(torch.tensor([-1.0, 0.0, 2.0])).tolist() == [0, 0, 1]
    assert training.predicted_classes(torch.tensor([[0.5], [-0.5]])).tolist() == [1, 0]
    assert training.predicted_classes(torch.tensor([[1.0, 2.0, 0.0], [3.0, 0.0, 1.0]])).tolist() == [1, 0]
    with pytest.raises(ValueError, match=r"out（模型输出）的形状必须是"):
        training.predicted_classes(torch.zeros(2, 2, 2))


# ---------------------------------------------------------------- plotting


def test_plot_losses_accepts_the_beginners_list_of_loss_tensors():
    """初学者常写 losses.append(loss)：列表里是带梯度的零维张量。"""
    w = torch.tensor(1.0, requires_grad=True)
    losses = [(w * k) ** 2 for k in (3.0, 2.0, 1.0)]
    fig, ax = plt.subplots()
    plotting.plot_losses(losses, ax=ax)
    assert ax.lines[0].get_ydata().tolist() == [9.0, 4.0, 1.0]
    plotting.plot_losses({"张量": torch.tensor([3.0, 1.0], requires_grad=True), "生成器": (v for v in [2, 1])}, ax=ax)
    assert len(ax.lines) == 3
    plt.close(fig)


@pytest.mark.parametrize(
    ("losses", "kwargs", "error", "message"),
    [
        ([1.0, "a"], {}, TypeError, "losses 必须全部由数字组成"),
        ([float("nan")] * 3, {}, ValueError, "losses 全是 nan 或 inf"),
        ([0.0, -1.0], {"log_scale": True}, ValueError, "对数刻度"),
        ([[1.0, 2.0], [3.0, 4.0]], {}, ValueError, "必须是非空的一维序列"),
        ([], {}, ValueError, "必须是非空的一维序列"),
        (5, {}, TypeError, "losses 必须是数字的列表"),
        ([1.0], {"ax": "ax"}, TypeError, "ax 必须是 matplotlib 的坐标轴"),
        ([1.0], {"title": 3}, TypeError, "title 必须是字符串"),
        ([1.0], {"log_scale": "yes"}, TypeError, "log_scale 必须是 True 或 False"),
    ],
)
def test_plot_losses_rejects_bad_input_in_chinese(losses, kwargs, error, message):
    with pytest.raises(error, match=message):
        plotting.plot_losses(losses, **kwargs)
    plt.close("all")


def _colour_at(ax, x, y) -> np.ndarray:
    """坐标 (x, y) 处实际画出的颜色（RGB，0 到 1）。"""
    fig = ax.figure
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())
    px, py = ax.transData.transform((x, y))
    return pixels[int(round(pixels.shape[0] - py)), int(round(px)), :3] / 255


def _region_colour(index: int) -> np.ndarray:
    """决策区域的颜色：类别颜色 C0、C1 ……以 alpha=0.2 叠在白色背景上。"""
    rgb = np.array(matplotlib.colors.to_rgb(f"C{index}"))
    return 0.2 * rgb + 0.8


XY_SQUARE = torch.tensor([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
LABELS_SQUARE = torch.tensor([0, 1, 0, 1])


@pytest.mark.parametrize(
    "predict",
    [
        lambda p: p[:, 0] - 0.5,  # 一个 logit，形状 (m,)
        lambda p: (p[:, :1] - 0.5) * 3,  # 一个 logit，形状 (m, 1)
        lambda p: torch.stack([0.5 - p[:, 0], p[:, 0] - 0.5], dim=1),  # 两个 logit，nn.Linear(…, 2) 的输出
    ],
    ids=["logit", "logit列", "两个logit"],
)
def test_decision_boundary_colours_each_region_with_its_predicted_class(predict):
    """x₁ > 0.5 的点判为类别 1：左边要画成类别 0 的颜色，右边画成类别 1 的颜色，不能反过来。"""
    with plt.rc_context({"axes.grid": False}):
        fig, ax = plt.subplots()
        plotting.plot_decision_boundary(predict, XY_SQUARE, LABELS_SQUARE, ax=ax, resolution=50)
        for x, y, cls in [(-0.3, 0.37, 0), (0.2, 0.63, 0), (1.3, 0.37, 1), (0.8, 0.63, 1)]:
            got = _colour_at(ax, x, y)
            distances = [np.abs(got - _region_colour(k)).max() for k in (0, 1)]
            assert distances[cls] < 0.03 and distances[1 - cls] > 0.05, (x, y, got)
        # 散点的颜色与标签一致，分界线画在 x₁ = 0.5 处
        for collection in ax.collections:
            label = collection.get_label()
            if label.startswith("类别"):
                expected = matplotlib.colors.to_rgba(f"C{label[-1]}")
                assert tuple(collection.get_facecolor()[0]) == pytest.approx(expected)
        boundary = [c for c in ax.collections if not c.get_label().startswith("类别")][-1]
        xs = np.concatenate([p.vertices[:, 0] for p in boundary.get_paths()])
        assert np.allclose(xs, 0.5, atol=0.05)
        plt.close(fig)


def test_decision_boundary_supports_three_classes():
    x = torch.tensor([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    y = torch.tensor([0, 1, 2])
    centres = torch.tensor([0.0, 1.0, 2.0])

    def predict(p):
        return -((p[:, :1] - centres) ** 2)  # 离哪个中心最近就判为哪一类

    with plt.rc_context({"axes.grid": False}):
        fig, ax = plt.subplots()
        plotting.plot_decision_boundary(predict, x, y, ax=ax, resolution=60)
        for px, cls in [(-0.3, 0), (1.0, 1), (2.3, 2)]:
            got = _colour_at(ax, px, -0.27)  # 图例在右上角，取下半部分的点
            assert np.abs(got - _region_colour(cls)).max() < 0.03, (px, got)
        plt.close(fig)
    with pytest.raises(ValueError, match="y 的取值必须在 0 到 2 之间"):
        plotting.plot_decision_boundary(predict, x, torch.tensor([0, 1, 3]))


def test_decision_boundary_model_output_matches_accuracy():
    """同一个两个 logit 的模型：accuracy 能用，plot_decision_boundary 也能用。"""
    torch.manual_seed(0)
    model = nn.Linear(2, 2)
    x, y = data.two_moons(n=30)
    assert 0 <= training.accuracy(model, x, y) <= 1
    fig, ax = plt.subplots()
    plotting.plot_decision_boundary(model, x, y, ax=ax, resolution=20)
    plt.close(fig)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((XY_SQUARE, torch.tensor([0, 1, 0, 2])), {}, ValueError, "y 的取值必须在 0 到 1 之间"),
        ((XY_SQUARE, torch.tensor([0, 1, 0])), {}, ValueError, "x 有 4 个点，y 有 3 个标签"),
        ((XY_SQUARE, LABELS_SQUARE), {"resolution": 1}, ValueError, "resolution 必须是 2 到 1000 之间的整数"),
        ((XY_SQUARE, LABELS_SQUARE), {"resolution": 20.0}, TypeError, "resolution 必须是整数"),
        ((XY_SQUARE * float("nan"), LABELS_SQUARE), {}, ValueError, "不能含 nan 或 inf"),
        ((XY_SQUARE, LABELS_SQUARE * 0.5), {}, ValueError, "y 必须是类别编号"),
    ],
)
def test_decision_boundary_rejects_bad_input_in_chinese(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        plotting.plot_decision_boundary(lambda p: p[:, 0] - 0.5, *args, **kwargs)
    plt.close("all")


def test_decision_boundary_reports_a_failing_or_wrong_predict():
    with pytest.raises(ValueError, match="调用 predict 时出错.*mat1 and mat2"):
        plotting.plot_decision_boundary(nn.Linear(3, 1), XY_SQUARE, LABELS_SQUARE)
    with pytest.raises(ValueError, match="predict 收到 400 个点，返回的形状却是 \\(\\)"):
        plotting.plot_decision_boundary(lambda p: p.sum(), XY_SQUARE, LABELS_SQUARE, resolution=20)
    with pytest.raises(TypeError, match="predict 必须是可以调用的函数"):
        plotting.plot_decision_boundary("model", XY_SQUARE, LABELS_SQUARE)


def test_plot_fit_checks_its_arguments():
    x, y = data.document_line()
    with pytest.raises(ValueError, match="x 和 y 的点数必须相同"):
        plotting.plot_fit(x, y[:3])
    with pytest.raises(ValueError, match=r"x 的形状必须是 \(n,\) 或 \(n, 1\)"):
        plotting.plot_fit(torch.zeros(5, 2), y)
    with pytest.raises(ValueError, match="y 含有 nan 或 inf"):
        plotting.plot_fit(x, y * float("nan"))
    with pytest.raises(ValueError, match="predict 收到 200 个点，却返回了 1 个数"):
        plotting.plot_fit(x, y, lambda t: t.sum())
    fig, ax = plt.subplots()
    plotting.plot_fit(x.double(), y, nn.Linear(1, 1).double(), ax=ax)  # float64 的数据配 float64 的模型
    plotting.plot_fit(x.reshape(-1).tolist(), y.reshape(-1).numpy(), ax=ax)
    plt.close("all")


def test_plot_contours_checks_its_arguments():
    def bowl(a, b):
        return a**2 + b**2

    with pytest.raises(ValueError, match=r"f\(a, b\) 必须返回与 a、b 形状相同的"):
        plotting.plot_contours_with_path(lambda a, b: (a + b).sum())
    with pytest.raises(ValueError, match="没有变化"):
        plotting.plot_contours_with_path(lambda a, b: 0 * a)
    with pytest.raises(ValueError, match="xlim 必须满足 下界 < 上界"):
        plotting.plot_contours_with_path(bowl, xlim=(3, -3))
    with pytest.raises(ValueError, match="levels 必须是 1 到 500 之间的整数"):
        plotting.plot_contours_with_path(bowl, levels=0)
    with pytest.raises(ValueError, match="levels 必须是一组从小到大"):
        plotting.plot_contours_with_path(bowl, levels=[2.0, 1.0])
    with pytest.raises(ValueError, match=r"path 的形状必须是 \(k, 2\)"):
        plotting.plot_contours_with_path(bowl, torch.zeros(3))
    with pytest.raises(ValueError, match="path 含有 nan 或 inf"):
        plotting.plot_contours_with_path(bowl, torch.tensor([[0.0, 0.0], [float("inf"), 0.0]]))
    fig, ax = plt.subplots()
    # 只在一部分区域有定义的函数（log 在负数处是 nan）也能画，nan 的部分留白
    plotting.plot_contours_with_path(lambda a, b: torch.log(a) + b, ax=ax, levels=[-2.0, 0.0, 1.0])
    plt.close("all")


# ---------------------------------------------------------------- 数据集的内容与默认值


def test_xor_is_the_truth_table():
    x, y = data.xor()
    assert x.shape == (4, 2) and y.shape == (4, 1) and x.dtype == y.dtype == torch.float32
    assert sorted(map(tuple, x.tolist())) == [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    assert torch.equal(y.reshape(-1), (x[:, 0] != x[:, 1]).float())


@pytest.mark.parametrize(
    ("make", "explicit"),
    [
        (data.noisy_line, {"n": 100, "w": 2.0, "b": 1.0, "noise": 0.5, "x_range": (-3.0, 3.0), "seed": 0}),
        (data.sine, {"n": 200, "noise": 0.1, "x_range": (-math.pi, math.pi), "seed": 0}),
        (data.two_moons, {"n": 200, "noise": 0.1, "seed": 0}),
    ],
)
def test_documented_defaults(make, explicit):
    """笔记本用默认参数生成数据（例如 data.sine()），默认值一变，课程里的数字就变了。"""
    assert all(torch.equal(u, v) for u, v in zip(make(), make(**explicit)))


def test_split_and_fit_default_seed_is_zero():
    x, y = data.noisy_line(n=20, seed=0)
    assert all(torch.equal(u, v) for u, v in zip(data.train_test_split(x, y), data.train_test_split(x, y, 0.25, 0)))
    runs = []
    for kwargs in ({}, {"seed": 0}):
        model = _line_model()
        runs.append(training.fit(model, x, y, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.05), 2,
                                 batch_size=4, **kwargs))
    assert runs[0] == runs[1]


def test_noisy_line_has_the_requested_line_range_and_noise():
    x, y = data.noisy_line(n=4000, w=-1.5, b=2.0, noise=0.3, x_range=(1.0, 4.0), seed=0)
    assert x.min() >= 1.0 and x.max() <= 4.0 and x.min() < 1.05 and x.max() > 3.95
    design = torch.cat([x, torch.ones_like(x)], dim=1).double()
    w, b = torch.linalg.lstsq(design, y.double()).solution.reshape(-1).tolist()
    assert w == pytest.approx(-1.5, abs=0.03) and b == pytest.approx(2.0, abs=0.08)
    residual = y - (-1.5 * x + 2.0)
    assert residual.std().item() == pytest.approx(0.3, abs=0.02)
    assert residual.mean().item() == pytest.approx(0.0, abs=0.02)


def test_sine_is_sorted_and_has_the_requested_noise():
    x, y = data.sine(n=3000, noise=0.2, x_range=(-2.0, 1.0), seed=0)
    assert x.shape == y.shape == (3000, 1)
    assert x[0].item() == -2.0 and x[-1].item() == pytest.approx(1.0) and (x[1:] > x[:-1]).all()
    residual = y - torch.sin(x)
    assert residual.std().item() == pytest.approx(0.2, abs=0.015)
    assert residual.mean().item() == pytest.approx(0.0, abs=0.015)


def test_two_moons_shape_without_noise():
    x, y = data.two_moons(n=101, noise=0.0, seed=0)
    assert (y == 0).sum() == 50 and (y == 1).sum() == 51
    upper, lower = x[y == 0], x[y == 1]
    assert torch.allclose(upper.norm(dim=1), torch.ones(50)) and (upper[:, 1] >= 0).all()
    centre = torch.tensor([1.0, 0.5])
    assert torch.allclose((lower - centre).norm(dim=1), torch.ones(51), atol=1e-6) and (lower[:, 1] <= 0.5).all()
    noisy, _ = data.two_moons(n=101, noise=0.1, seed=0)
    assert (noisy - x).std().item() == pytest.approx(0.1, abs=0.03)


@pytest.mark.parametrize("make", [data.noisy_line, data.sine, data.two_moons])
def test_two_samples_are_enough_one_is_not(make):
    assert len(make(n=2)[0]) == 2
    with pytest.raises(ValueError, match="样本数 n 必须是 2 到"):
        make(n=1)


def test_train_test_split_does_not_look_at_the_values():
    """切分只打乱样本的顺序，不检查数值：含 nan 的数据也照样切开（检查数据是训练函数的事）。"""
    x = torch.tensor([[float("nan")], [1.0], [2.0], [float("inf")]])
    y = torch.tensor([0.0, float("nan"), 1.0, float("-inf")])
    x_train, x_test, y_train, y_test = data.train_test_split(x, y, test_fraction=0.5)
    assert len(x_train) == len(x_test) == len(y_train) == len(y_test) == 2


#: 固定种子生成的几个样本（torch 2.13、CPU）。笔记本打印的数字依赖这些数据：生成方式变了
#: （哪怕统计上等价，比如把加噪声改成减噪声），这里就失败，提醒重新生成笔记本的输出。
GOLDEN = [
    (data.noisy_line, {"n": 3}, [[-0.022460], [1.609331], [-2.469135]], [[1.137248], [4.285860], [-3.856163]]),
    (data.sine, {"n": 3}, [[-3.141593], [0.0], [3.141593]], [[0.154100], [-0.029343], [-0.217879]]),
    (data.two_moons, {"n": 4},
     [[0.078718, 0.309408], [0.012872, 0.056672], [-0.854857, 0.525632], [-0.206119, 1.056774]], [1, 1, 0, 0]),
]


@pytest.mark.parametrize(("make", "kwargs", "x_expected", "y_expected"), GOLDEN, ids=lambda v: getattr(v, "__name__", ""))
def test_seeded_data_is_exactly_what_the_lessons_show(make, kwargs, x_expected, y_expected):
    x, y = make(seed=0, **kwargs)
    assert torch.allclose(x, torch.tensor(x_expected), atol=2e-6, rtol=0)
    assert torch.allclose(y.double(), torch.tensor(y_expected, dtype=torch.float64), atol=2e-6, rtol=0)


@pytest.mark.parametrize("fraction", [0, 1, 1.0, 1.5, -0.2])
def test_test_fraction_must_be_strictly_between_zero_and_one(fraction):
    with pytest.raises(ValueError, match=r"test_fraction 必须在 0 到 1 之间（不含端点）"):
        data.train_test_split(torch.zeros(8, 1), torch.zeros(8), test_fraction=fraction)


# ---------------------------------------------------------------- fit：自己写的损失函数、报错信息的细节


def _fit_with(model, x, y, loss_fn, **kwargs):
    return training.fit(model, x, y, loss_fn, torch.optim.SGD(model.parameters(), lr=0.1), 2, **kwargs)


@pytest.mark.parametrize("classes", [2, 3])
def test_fit_accepts_a_hand_written_cross_entropy(classes):
    """自己写的交叉熵：预测 (n, C) 和标签 (n,) 形状本来就不同，不是广播错误。"""
    x = torch.randn(12, 2, generator=torch.Generator().manual_seed(0))
    y = torch.arange(12) % classes
    history = _fit_with(nn.Linear(2, classes), x, y, lambda p, t: nn.functional.cross_entropy(p, t))
    assert len(history) == 2


@pytest.mark.parametrize(
    ("out_features", "y_shape", "loss_fn"),
    [
        (2, (6, 1), nn.functional.mse_loss),  # 逐元素的损失函数：(6, 2) 对 (6, 1) 会被广播
        (2, (6, 2, 1), lambda p, t: ((p - t) ** 2).mean()),  # (6, 2) 对 (6, 2, 1) 广播成 (6, 2, 2)
        (1, (6,), nn.functional.l1_loss),
    ],
)
def test_fit_refuses_mismatched_shapes_for_elementwise_and_broadcasting_losses(out_features, y_shape, loss_fn):
    x = torch.randn(6, 2, generator=torch.Generator().manual_seed(0))
    with pytest.raises(ValueError, match=rf"y 的形状是 \({', '.join(map(str, y_shape))},?\)"):
        _fit_with(nn.Linear(2, out_features), x, torch.zeros(y_shape), loss_fn)


def test_fit_hint_depends_on_whether_a_reshape_can_help():
    x = torch.randn(6, 2, generator=torch.Generator().manual_seed(0))
    with pytest.raises(ValueError, match="请检查模型最后一层的输出个数和 y 的列数"):
        _fit_with(nn.Linear(2, 2), x, torch.zeros(6, 1), nn.MSELoss())
    with pytest.raises(ValueError, match=r"例如 y.reshape\(-1, 2\)"):
        _fit_with(nn.Linear(2, 2), x, torch.zeros(6, 2, 1), nn.MSELoss())


def test_fit_refuses_an_unsqueezed_prediction():
    class Column(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(2, 2)

        def forward(self, x):
            return self.linear(x).unsqueeze(-1)  # (n, 2, 1)

    x = torch.randn(6, 2, generator=torch.Generator().manual_seed(0))
    with pytest.raises(ValueError, match=r"模型输出的形状是 \(6, 2, 1\)，而 y 的形状是 \(6, 2\)"):
        _fit_with(Column(), x, torch.zeros(6, 2), lambda p, t: ((p - t) ** 2).mean())


def test_cross_entropy_needs_one_column_per_class():
    x, y = data.document_line()
    with pytest.raises(ValueError, match=r"loss_fn 是交叉熵.*现在模型输出的形状是 \(5, 1\).*nn.BCEWithLogitsLoss"):
        _fit_with(_line_model(), x, y, nn.CrossEntropyLoss())


def test_full_batch_training_does_not_depend_on_shuffle():
    """batch_size=None 时每步都用全部样本，打乱顺序只会改变求和顺序：不打乱，结果与手写循环逐位相同。"""
    x, y = data.noisy_line(n=100, seed=0)
    runs = []
    for shuffle in (True, False):
        model = _line_model()
        runs.append(training.fit(model, x, y, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.05), 20,
                                 shuffle=shuffle))
    assert runs[0] == runs[1]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"model": "net"}, TypeError, "收到的是 str。"),
        ({"optimizer": "sgd"}, TypeError, "收到的是 str。"),
        ({"epochs": 2.0}, TypeError, "收到的是 float 类型的 2.0"),
        ({"batch_size": 2.5}, TypeError, "收到的是 float 类型的 2.5"),
        ({"loss_fn": "mse"}, TypeError, r"例如 nn.MSELoss\(\)；收到的是 str 类型的 'mse'"),
        ({"loss_fn": lambda p, t: 1.0}, ValueError, "现在返回的是 float 类型的 1.0"),
        ({"loss_fn": lambda p, t: p.sum(1)}, ValueError, r"现在返回的是 形状为 \(5,\) 的 torch.float32 张量"),
        ({"loss_fn": lambda p, t: p[99]}, ValueError, "调用 loss_fn\\(model\\(x\\), y\\) 时出错（IndexError.*请检查 y 的形状和数据类型"),
        ({"x": torch.zeros(5, 3)}, ValueError, "调用 model\\(x\\) 时出错（RuntimeError.*请检查 x 的形状是否与模型的输入层匹配"),
    ],
)
def test_fit_error_messages_say_what_was_received(kwargs, error, message):
    x, y = data.document_line()
    model = _line_model()
    args = {"model": model, "x": x, "y": y, "loss_fn": nn.MSELoss(),
            "optimizer": torch.optim.SGD(model.parameters(), lr=0.01), "epochs": 1}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        training.fit(**args)


def test_fit_explains_a_model_that_returns_no_tensor_or_has_frozen_parameters():
    x, y = data.document_line()

    class Pair(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(1, 1)

        def forward(self, x):
            return self.linear(x), x

    model = Pair()
    with pytest.raises(TypeError, match="model\\(x\\) 必须返回一个张量，现在返回的是 tuple"):
        _fit_with(model, x, y, nn.MSELoss())
    frozen = _line_model().requires_grad_(False)
    with pytest.raises(ValueError, match="调用 loss.backward\\(\\) 时出错.*requires_grad 为 True"):
        _fit_with(frozen, x, y, nn.MSELoss())


def test_fit_rejects_a_negative_learning_rate_set_after_construction():
    x, y = data.document_line()
    model = _line_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    optimizer.param_groups[0]["lr"] = -0.01  # SGD 的构造函数会检查，之后改的就没人检查了
    with pytest.raises(ValueError, match="optimizer 的学习率 lr 必须不小于 0"):
        training.fit(model, x, y, nn.MSELoss(), optimizer, 1)


def test_accuracy_rejects_a_model_that_ends_with_sigmoid():
    """最后一层是 nn.Sigmoid：输出是概率（总大于 0），按 0 分界会把样本都判为类别 1，准确率悄悄变成 0.5。"""
    x = torch.linspace(-3, 3, 20).reshape(-1, 1)
    y = (x.reshape(-1) > 0).long()
    linear = nn.Linear(1, 1)
    with torch.no_grad():
        linear.weight.fill_(5.0)
        linear.bias.zero_()
    assert training.accuracy(linear, x, y) == 1.0, "输出 logit 的同一个模型是完全分对的"
    model = nn.Sequential(linear, nn.Sigmoid())
    with pytest.raises(ValueError, match="模型最后一层是 Sigmoid，输出的是概率而不是对数几率.*BCEWithLogitsLoss.*out > 0.5"):
        training.accuracy(model, x, y)
    assert not model[1]._forward_hooks, "检查完要移除临时加上的钩子"
    assert ((model(x).reshape(-1) > 0.5).long() == y).all(), "按 0.5 分界，模型其实全部分对"
    # 隐藏层用 Sigmoid、输出层是线性层：输出是 logit，照常计算
    hidden = nn.Sequential(nn.Linear(1, 4), nn.Sigmoid(), nn.Linear(4, 1))
    assert 0 <= training.accuracy(hidden, x, y) <= 1
    # 多列输出后接 Sigmoid：取最大的一列，与是否经过 Sigmoid 无关，照常计算
    two = nn.Sequential(nn.Linear(1, 2), nn.Sigmoid())
    assert 0 <= training.accuracy(two, x, y) <= 1
