"""“梯度下降”一课练习检查器的单元测试。

参考答案只有一份：笔记本里 ``<details>`` 中的代码（由 test_exercises_linreg 中的函数读出并运行）；
这里另外测试换一种写法的正确答案、错误答案的提示，以及检查器对任何输入都不抛出异常。
"""

import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import stable_id
from lesson_cells import lesson_imports, lesson_solutions
from test_exercises_linreg import BAD_INPUTS

from lessons.checking import Feedback
from lessons.exercises import gradient_descent as ex

TWIN = Path(__file__).resolve().parents[1] / "notebooks" / "05_gradient_descent.py"
SOLUTIONS = lesson_solutions(TWIN)
CHECKS = [ex.check_1, ex.check_2, ex.check_3, ex.check_4, ex.check_5]


def reference_gd_momentum(grad_fn, theta0, lr, beta, steps):
    """与 torch.optim.SGD(momentum=beta) 约定相同的实现（用来构造错误答案的变体）。"""
    theta = theta0.clone()
    v = torch.zeros_like(theta)
    for _ in range(steps):
        v = beta * v + grad_fn(theta)
        theta = theta - lr * v
    return theta


def test_lesson_has_five_exercises_with_solutions():
    assert sorted(SOLUTIONS) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_placeholder_is_not_answered_and_details_solution_passes(number):
    cell, solution, name = SOLUTIONS[number]
    check = getattr(ex, f"check_{number}")
    placeholder = lesson_imports(TWIN)
    exec(cell.rsplit("\nex.check_", 1)[0], placeholder)  # noqa: S102 - 答案单元格，不含最后的检查
    feedback = check(placeholder[name])
    assert isinstance(feedback, Feedback) and feedback.answered is False, feedback
    namespace = lesson_imports(TWIN)
    exec(solution, namespace)  # noqa: S102 - 笔记本中的参考答案
    feedback = check(namespace[name])
    assert feedback, f"练习 {number} 的参考答案没有通过检查：{feedback}"




@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", BAD_INPUTS, ids=stable_id)
def test_checkers_never_raise(check, answer):
    feedback = check(answer)
    assert isinstance(feedback, Feedback)
    assert not feedback
    assert re.search(r"[\u4e00-\u9fff]", feedback.message)


# ---------- 没有作答 ----------


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_none_is_not_answered(check):
    feedback = check(None)
    assert feedback.answered is False
    assert not feedback


def test_stub_function_returning_none_is_not_answered():
    def stub(grad_fn, theta0, lr, beta, steps):
        return None

    feedback = ex.check_4(stub)
    assert feedback.answered is False
    assert "返回 None" in feedback.message


# ---------- 换一种写法的正确答案 ----------


def number_forms(value):
    """同一个数的各种写法：Python 数、NumPy 标量、零维和一维数组、各种类型的张量、列表。"""
    return [
        value,
        np.float32(value),
        np.float64(value),
        np.array(value),
        np.array([value]),
        torch.tensor(value),
        torch.tensor([value], dtype=torch.float64),
        [value],
    ]


@pytest.mark.parametrize("answer", [*number_forms(1.2), Fraction(6, 5)], ids=stable_id)
def test_check_1_accepts_every_form(answer):
    assert ex.check_1(answer), ex.check_1(answer).message


@pytest.mark.parametrize(
    "answer",
    [48, 48.0, np.int64(48), np.int32(48), np.array(48), torch.tensor(48), torch.tensor(48, dtype=torch.int32),
     Fraction(48), 3 * math.ceil(1000 / 64)],
    ids=stable_id,
)
def test_check_2_accepts_every_form(answer):
    assert ex.check_2(answer), ex.check_2(answer).message


@pytest.mark.parametrize(
    "answer", [*number_forms(0.2), Fraction(1, 5), 2 / 10, 0.1999, 0.19996], ids=stable_id
)
def test_check_3_accepts_every_form_and_approximations_from_below(answer):
    assert ex.check_3(answer), ex.check_3(answer).message


@pytest.mark.parametrize("answer", [*number_forms(ex.expected_5()), 0.1492], ids=stable_id)
def test_check_5_accepts_every_form(answer):
    assert ex.check_5(answer), ex.check_5(answer).message


def test_check_5_speaks_of_a_critical_value_not_a_largest_rate():
    """学习率必须严格小于 2 / λ_max：没有“最大的稳定学习率”，反馈要说临界值。"""
    feedback = ex.check_5(ex.expected_5())
    assert feedback and "临界值" in feedback.message and "最大的稳定" not in feedback.message
    feedback = ex.check_3(0.1)
    assert not feedback and "临界值" in feedback.message and "最大学习率" not in feedback.message


def test_check_5_expected_value():
    """x = 0..4：H = [[12, 4], [4, 2]]，λ_max = 7 + √41，答案 2 / λ_max ≈ 0.1492。"""
    assert torch.equal(ex.hessian_5(), torch.tensor([[12.0, 4.0], [4.0, 2.0]], dtype=torch.float64))
    assert ex.expected_5() == pytest.approx(2 / (7 + math.sqrt(41)))


def test_check_5_critical_learning_rate_is_really_critical():
    """在练习 5 的数据上真的跑梯度下降：略小于答案的学习率收敛，略大的发散。"""
    x = ex.exercise_5_x()
    y = 3 * x - 1
    critical = ex.expected_5()
    for lr, converges in ((critical * 0.99, True), (critical * 1.01, False)):
        model = torch.nn.Linear(1, 1)
        with torch.no_grad():
            model.weight.fill_(0.0)
            model.bias.fill_(0.0)
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        for _ in range(2000):
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        assert (loss.item() < 1e-3) is converges, (lr, loss.item())


def test_check_4_accepts_the_other_sign_convention():
    def other_convention(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            v = beta * v - lr * grad_fn(theta)
            theta = theta + v
        return theta

    assert ex.check_4(other_convention)


def test_check_4_accepts_float64_and_in_place_on_a_copy():
    def float64(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone().double(), torch.zeros_like(theta0).double()
        for _ in range(steps):
            v.mul_(beta).add_(grad_fn(theta.float()).double())
            theta -= lr * v
        return theta

    assert ex.check_4(float64), ex.check_4(float64).message


# ---------- 典型的错误答案 ----------


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (2.8, "方向反了"),
        (1.6, "J(2) = 4"),
        (0.8, "移动的距离"),
        (-1.2, "4θ³"),
        (1.0, "先求导数"),
        ("1.2", "应该是一个数"),
        (np.float32(2.8), "方向反了"),
    ],
)
def test_check_1_hints(answer, hint):
    feedback = ex.check_1(answer)
    assert feedback.answered and not feedback
    assert hint in feedback.message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (46.875, "必须是整数"),
        (45, "drop_last"),
        (16, "3 个迭代周期"),
        (3, "批量梯度下降"),
        (100, "向上取整"),
        (np.int64(16), "3 个迭代周期"),
        (48.5, "向上取整"),
    ],
)
def test_check_2_hints(answer, hint):
    feedback = ex.check_2(answer)
    assert feedback.answered and not feedback
    assert hint in feedback.message


def test_check_2_messages_say_epoch_as_in_the_glossary():
    """术语表把 epoch 译作“迭代周期”：反馈里不单独写“周期”。"""
    for answer in (48, 45, 16, 3, 46.875, 100):
        message = ex.check_2(answer).message
        assert "周期" not in message.replace("迭代周期", ""), message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (0.4, "J'' = 10"),
        (0.1, "一步就到最低点"),
        (1.0, "(θ − 3)²"),
        (0.15, "还可以再大"),
        (0.3, "发散"),
        (-0.2, "必须大于 0"),
        (float("nan"), "不是一个有限的数"),
        ([0.2, 0.2], "应该是一个数"),
        (0.2009, "发散"),
        (0.201, "发散"),
        (np.float32(0.2009), "发散"),
        (0.199, "还可以再大"),
    ],
)
def test_check_3_hints(answer, hint):
    feedback = ex.check_3(answer)
    assert feedback.answered and not feedback
    assert hint in feedback.message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (2 / 12, "H 不是对角矩阵"),
        (1.0, "2 / H[1, 1]"),
        (2 / (7 - math.sqrt(41)), "最小的特征值"),
        (1 / (7 + math.sqrt(41)), "不是 1 / λ_max"),
        (7 + math.sqrt(41), "最大特征值本身"),
        (4 / (7 + math.sqrt(41)), "因子 2"),
        (2 / (5 * (7 + math.sqrt(41))), "要除以 n"),
        (0.15, "发散"),
        (0.1, "还可以再大"),
        (-0.1, "必须大于 0"),
        ("0.149", "应该是一个数"),
    ],
)
def test_check_5_hints(answer, hint):
    feedback = ex.check_5(answer)
    assert feedback.answered and not feedback
    assert hint in feedback.message, feedback.message


def test_check_4_not_a_function():
    feedback = ex.check_4(0.5)
    assert not feedback and "应该是一个函数" in feedback.message


def test_check_4_reports_exception():
    def broken(grad_fn, theta0, lr, beta, steps):
        return theta0 + undefined_name  # noqa: F821

    feedback = ex.check_4(broken)
    assert not feedback
    assert "在 lr=0.02、beta=0.9、steps=30 时，调用你的函数出错：NameError" in feedback.message


def test_check_4_without_momentum():
    def plain(grad_fn, theta0, lr, beta, steps):
        theta = theta0.clone()
        for _ in range(steps):
            theta = theta - lr * grad_fn(theta)
        return theta

    feedback = ex.check_4(plain)
    assert not feedback and "速度 v 没有起作用" in feedback.message


def test_check_4_ema_convention():
    def ema(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            v = beta * v + (1 - beta) * grad_fn(theta)
            theta = theta - lr * v
        return theta

    feedback = ex.check_4(ema)
    assert not feedback and "(1 − β)" in feedback.message


def test_check_4_off_by_one():
    def one_more(grad_fn, theta0, lr, beta, steps):
        return reference_gd_momentum(grad_fn, theta0, lr, beta, steps + 1)

    feedback = ex.check_4(one_more)
    assert not feedback and "相当于做了 31 步" in feedback.message


def test_check_4_wrong_order():
    def theta_first(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            theta = theta - lr * v  # 先用旧的 v 更新 θ，顺序错了
            v = beta * v + grad_fn(theta)
        return theta

    feedback = ex.check_4(theta_first)
    assert not feedback and "先更新 v" in feedback.message


def test_check_4_modifies_input():
    def in_place(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0, torch.zeros_like(theta0)
        for _ in range(steps):
            v = beta * v + grad_fn(theta)
            theta -= lr * v  # 原地修改了调用者的张量
        return theta

    feedback = ex.check_4(in_place)
    assert not feedback and "theta0.clone()" in feedback.message


def test_check_4_wrong_type():
    def as_list(grad_fn, theta0, lr, beta, steps):
        return reference_gd_momentum(grad_fn, theta0, lr, beta, steps).tolist()

    feedback = ex.check_4(as_list)
    assert not feedback and "返回值是 Python 的列表，不是张量" in feedback.message


def test_check_4_other_wrong_update():
    def beta_twice(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            v = beta * v + grad_fn(theta)
            theta = theta - lr * beta * v  # 多乘了一个 beta
        return theta

    feedback = ex.check_4(beta_twice)
    assert not feedback and "torch.optim.SGD(momentum=beta) 不一致" in feedback.message


# ---------- 表驱动：编号与提示的措辞 ----------


def test_checkers_come_from_the_exercise_table():
    assert len(ex.EXERCISES) == len(SOLUTIONS)
    for number, check in enumerate(CHECKS, start=1):
        assert check.__name__ == f"check_{number}"
        assert check.__doc__.startswith(f"练习 {number}：")


@pytest.mark.parametrize(
    "answer",
    [0.2000001, 0.20000005, 0.20000076293945312, 0.2000011, 0.20001, 0.20004, 0.2000499, 0.20005, 0.2009,
     np.float32(0.20001)],
)
def test_check_3_just_above_the_critical_value_prints_a_factor_beyond_one(answer):
    """0.2 之上一点点的学习率：提示里写出的 1 − 10α 不能被舍入成 −1（那样读起来像“1 > 1”）。"""
    feedback = ex.check_3(answer)
    assert feedback.answered and not feedback and "发散" in feedback.message
    printed = re.search(r"1 − 10α = (\S+?)，", feedback.message).group(1)
    factor = float(printed.replace("−", "-"))
    assert abs(factor) > 1, feedback.message
    assert factor == pytest.approx(1 - 10 * float(answer), abs=1e-6), feedback.message


def test_check_4_stub_and_not_a_function_messages_name_the_function():
    feedback = ex.check_4(0.5)
    assert "把 gd_momentum 本身传进来" in feedback.message and "现在是 float" in feedback.message
    assert "赋给 answer" not in feedback.message


# ---------- 临界学习率：比临界值大的不算对，上侧只留出 float32 的舍入误差


def bisect_upper_end():
    """对学习率二分查找，最后返回区间的上端（发散的一侧），约为 0.20000076。"""

    def converges(lr):
        t = 5.0
        for _ in range(2000):
            t = t - lr * 10 * (t - 1)
        return abs(t - 1) < 4.0

    lo, hi = 0.0, 1.0
    while hi - lo > 1e-6:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if converges(mid) else (lo, mid)
    return hi


def test_check_3_rejects_the_upper_end_of_a_bisection():
    answer = bisect_upper_end()
    assert 0.2 < answer < 0.2 + 1e-6
    feedback = ex.check_3(answer)
    assert feedback.answered and not feedback
    assert "发散" in feedback.message and "下端" in feedback.message, feedback.message


@pytest.mark.parametrize(
    "answer", [0.2000001, 0.20000005, 0.2000005, 0.2000009, np.float32(0.2000005), torch.tensor(0.2000005)], ids=stable_id
)
def test_check_3_rejects_rates_just_above_the_critical_value(answer):
    """θ − 1 每一步乘以 1 − 10α，|1 − 10α| 只比 1 大一点，也是发散的。"""
    feedback = ex.check_3(answer)
    assert feedback.answered and not feedback
    assert "发散" in feedback.message and "下端" in feedback.message, feedback.message


@pytest.mark.parametrize(
    "answer",
    [np.float32(0.2), float(np.float32(0.2)), torch.tensor(2.0) / 10, torch.tensor([0.2]), 0.2 * (1 + 1e-7)],
    ids=stable_id,
)
def test_check_3_accepts_the_float32_rounding_of_the_critical_value(answer):
    assert ex.check_3(answer), ex.check_3(answer).message


def float32_critical_values():
    """用 float32 算出的 2 / λ_max：几种正确的算法，舍入误差各不相同（有的比精确值略大）。"""
    x5 = torch.arange(5.0).reshape(-1, 1)
    X5 = torch.cat([x5, torch.ones_like(x5)], dim=1)
    H5 = 2 / len(x5) * X5.T @ X5
    return [
        2 / torch.linalg.eigvalsh(H5).max(),
        2 / torch.linalg.eigvalsh(H5).max().item(),
        2 / torch.linalg.svdvals(H5).max(),
        2 / torch.linalg.matrix_norm(H5, ord=2),
        np.float32(ex.expected_5()),
    ]


@pytest.mark.parametrize("answer", float32_critical_values(), ids=stable_id)
def test_check_5_accepts_critical_values_computed_in_float32(answer):
    assert ex.check_5(answer), ex.check_5(answer).message


@pytest.mark.parametrize(
    "answer", [ex.expected_5() + 5e-7, ex.expected_5() * (1 + 1e-6), ex.expected_5() + 1e-5], ids=stable_id
)
def test_check_5_rejects_rates_just_above_the_critical_value(answer):
    feedback = ex.check_5(answer)
    assert feedback.answered and not feedback
    assert "比临界值大" in feedback.message and "下端" in feedback.message, feedback.message
    printed = float(re.search(r"α = (\S+?) 比临界值大", feedback.message).group(1))
    assert printed > ex.expected_5(), feedback.message  # 写出来的数也要看得出比临界值大


def bisect_lower_end(converges):
    """对学习率二分查找 40 次，返回区间的下端（判断为收敛的一侧）。"""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if converges(mid) else (lo, mid)
    return lo


def distance_after_3(lr, steps):
    """练习 3：从 θ = 0 出发走 steps 步之后的 |θ − 1|（起点的距离是 1）。"""
    t = 0.0
    for _ in range(steps):
        t = t - lr * 10 * (t - 1)
        if abs(t) > 1e10:
            break
    return abs(t - 1)


@pytest.mark.parametrize(("steps", "tol"), [(1000, 1e-3), (500, 1e-6)])
def test_check_3_explains_why_a_strict_bisection_underestimates(steps, tol):
    """“N 步之内误差很小”的判断把临界值估小（0.19931、0.19727）：提示要说出原因和改法。"""
    answer = bisect_lower_end(lambda lr: distance_after_3(lr, steps) < tol)
    assert 0.2 - ex.SLOW_BAND < answer < 0.2 - ex.BELOW_TOL
    feedback = ex.check_3(answer)
    assert feedback.answered and not feedback
    assert "还可以再大" in feedback.message and "二分查找" in feedback.message, feedback.message
    assert "|θ_N − 1|" in feedback.message and "2 / J''" in feedback.message, feedback.message


def test_check_3_the_suggested_bisection_is_accepted():
    """提示建议的判断：N 步之后离最低点比起点近。"""
    answer = bisect_lower_end(lambda lr: distance_after_3(lr, 100) < 1)
    assert ex.check_3(answer), ex.check_3(answer).message


@pytest.mark.parametrize(("check", "answer"), [(ex.check_3, 0.15), (ex.check_3, 0.1), (ex.check_5, 0.1)])
def test_far_below_the_critical_value_no_bisection_note(check, answer):
    feedback = check(answer)
    assert feedback.answered and not feedback
    assert "二分查找" not in feedback.message, feedback.message


def test_check_5_explains_why_a_strict_bisection_underestimates():
    H5 = ex.hessian_5()
    optimum = torch.tensor([2.0, 1.0], dtype=torch.float64)

    def converges(lr):
        error = -optimum  # 从 (0, 0) 出发
        for _ in range(1000):
            error = error - lr * H5 @ error
        return bool(error.norm() < 1e-3)

    answer = bisect_lower_end(converges)
    assert ex.expected_5() - ex.SLOW_BAND < answer < ex.expected_5() - ex.BELOW_TOL
    feedback = ex.check_5(answer)
    assert feedback.answered and not feedback
    assert "二分查找" in feedback.message and "2 / λ_max" in feedback.message, feedback.message


@pytest.mark.parametrize("check", [ex.check_3, ex.check_5], ids=lambda c: c.__name__)
def test_bfloat16_rounds_the_critical_value_up_and_the_hint_says_so(check):
    """bfloat16 把 0.2 存成 0.2002、把 0.14922 存成 0.1494，都比临界值大：不算对，提示说出数据类型的原因。"""
    critical = ex.EX3_CRITICAL if check is ex.check_3 else ex.expected_5()
    answer = torch.tensor(critical, dtype=torch.bfloat16)
    assert answer.item() > critical
    feedback = check(answer)
    assert feedback.answered and not feedback
    assert "bfloat16" in feedback.message and "float32" in feedback.message, feedback.message


# ---------- 练习 1：低精度的数、两种错误给出同一个数


@pytest.mark.parametrize(
    "answer",
    [np.float16(1.2), np.array([1.2], dtype=np.float16), torch.tensor(1.2, dtype=torch.float16),
     torch.tensor(1.2, dtype=torch.bfloat16), [np.float16(1.2)]],
    ids=stable_id,
)
def test_check_1_accepts_low_precision_floats(answer):
    """float16 存不下 1.2（存成 1.2002），容差按答案的数据类型放宽。"""
    assert ex.check_1(answer), ex.check_1(answer).message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [(np.float16(2.8), "方向反了"), (torch.tensor(1.6, dtype=torch.bfloat16), "J(2) = 4"), (np.float16(1.19), "相差超过")],
    ids=stable_id,
)
def test_check_1_low_precision_wrong_answers_still_fail(answer, hint):
    feedback = ex.check_1(answer)
    assert feedback.answered and not feedback and hint in feedback.message, feedback.message


def test_check_1_wrong_derivative_and_step_size_give_the_same_number():
    """2 − 0.1 × 3θ²（导数写成 3θ²）和步长 α·J'(θ) 都是 0.8：提示说出两种可能。"""
    feedback = ex.check_1(2 - 0.1 * 3 * 2**2)
    assert feedback.answered and not feedback
    assert "3θ²" in feedback.message and "移动的距离" in feedback.message, feedback.message


# ---------- 练习 4：发散的结果


def test_check_4_lr_and_beta_swapped():
    def swapped(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            v = lr * v + grad_fn(theta)
            theta = theta - beta * v
        return theta

    feedback = ex.check_4(swapped)
    assert feedback.answered and not feedback
    assert "lr 和 beta 用反了" in feedback.message, feedback.message
    assert "除以了零" not in feedback.message


def test_check_4_divergence_without_lr_gets_an_optimizer_hint():
    def without_lr(grad_fn, theta0, lr, beta, steps):
        theta, v = theta0.clone(), torch.zeros_like(theta0)
        for _ in range(steps):
            v = beta * v + grad_fn(theta)
            theta = theta - v  # 忘了乘 lr：在陡的方向上发散
        return theta

    feedback = ex.check_4(without_lr)
    assert feedback.answered and not feedback
    assert "发散" in feedback.message and "乘了 lr" in feedback.message, feedback.message
    assert "除以了零" not in feedback.message
