"""lessons.data、lessons.training、lessons.checking、lessons.plotting 的单元测试。"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from lessons import checking, data, plotting, training  # noqa: E402


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


@pytest.mark.parametrize("n", [0, 1, -5, 2.5, True])
def test_bad_sample_count_gets_chinese_error(n):
    with pytest.raises(ValueError, match="样本数 n 必须是"):
        data.noisy_line(n=n)


def test_negative_noise_rejected():
    with pytest.raises(ValueError, match="不能为负数"):
        data.sine(noise=-1.0)


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


def test_feedback_display_and_truthiness():
    ok = checking.passed("好")
    bad = checking.failed("再想想")
    todo = checking.not_answered()
    assert bool(ok) and not bad and not todo
    assert repr(ok) == "✅ 正确：好"
    assert repr(bad).startswith("❌ 还不对：")
    assert repr(todo).startswith("✏️ 还没有作答：") and todo.answered is False


def test_tensor_problem_reports_first_difference():
    expected = torch.tensor([1.0, 2.0])
    assert "应该是一个张量" in checking.tensor_problem([1.0, 2.0], expected)
    assert "形状应为 (2,)" in checking.tensor_problem(torch.tensor([1.0]), expected)
    assert "数据类型应为 torch.float32" in checking.tensor_problem(torch.tensor([1, 2]), expected)
    assert "数值不对" in checking.tensor_problem(torch.tensor([1.0, 3.0]), expected)
    assert checking.tensor_problem(torch.tensor([1.0, 2.0]), expected) is None


def test_number_problem_accepts_numbers_and_one_element_tensors():
    assert checking.number_problem(2.0, 2.0) is None
    assert checking.number_problem(torch.tensor(2.0), 2.0) is None
    assert "应该是一个数" in checking.number_problem("2", 2.0)
    assert "不是一个有限的数" in checking.number_problem(float("nan"), 2.0)
    assert "相差超过" in checking.number_problem(2.5, 2.0, tol=0.1)


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


def test_error_helpers_and_as_number():
    err = RuntimeError("mat1 and mat2 shapes cannot be multiplied (1x5 and 1x1)\n更多细节")
    assert checking.first_line(err) == "mat1 and mat2 shapes cannot be multiplied (1x5 and 1x1)"
    assert checking.error_summary(err) == "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x5 and 1x1)"
    assert checking.error_summary(ValueError()) == "ValueError"
    assert checking.as_number(torch.tensor([2.5])) == 2.5
    assert checking.as_number(3) == 3.0
    assert checking.as_number(torch.zeros(2)) is None
    assert checking.as_number(True) is None and checking.as_number("1") is None
