"""lessons.checking：反馈对象，以及把学习者的答案变成数或张量、和标准答案比较的函数。

这些函数收到的是学习者写的任何东西：它们只能返回结果或中文说明，不能抛出异常。
"""

import decimal
import math
from fractions import Fraction

import numpy as np
import pytest
import torch

from lessons import checking

# ---------------------------------------------------------------- Feedback


def test_feedback_display_and_truthiness():
    ok = checking.passed("好")
    bad = checking.failed("再想想")
    todo = checking.not_answered()
    assert bool(ok) and not bad and not todo
    assert repr(ok) == "✅ 正确：好" == str(ok)
    assert repr(bad) == "❌ 还不对：再想想"
    assert repr(todo).startswith("✏️ 还没有作答：") and todo.answered is False
    assert checking.passed().message == "答案正确。"


@pytest.mark.parametrize("make", [checking.passed, checking.failed, checking.not_answered])
def test_feedback_messages_must_be_text(make):
    with pytest.raises(TypeError, match="必须是字符串"):
        make(3)


def test_error_helpers():
    err = RuntimeError("mat1 and mat2 shapes cannot be multiplied (1x5 and 1x1)\n更多细节")
    assert checking.first_line(err) == "mat1 and mat2 shapes cannot be multiplied (1x5 and 1x1)"
    assert checking.error_summary(err) == "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x5 and 1x1)"
    assert checking.error_summary(ValueError()) == "ValueError"
    assert checking.first_line(ValueError("  \n")) == ""
    with pytest.raises(TypeError, match="err 必须是一个异常"):
        checking.first_line("RuntimeError")


# ---------------------------------------------------------------- as_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3.0),
        (2.5, 2.5),
        (np.float32(0.5), 0.5),
        (np.float64(0.25), 0.25),
        (np.int64(7), 7.0),
        (np.uint8(200), 200.0),
        (np.array(1.5), 1.5),  # 零维数组
        (np.array([[4.0]]), 4.0),  # 只有一个元素的数组
        (torch.tensor(2.0), 2.0),
        (torch.tensor([2.5]), 2.5),
        (torch.tensor([[3]], dtype=torch.int32), 3.0),
        (torch.tensor(1.5, requires_grad=True) * 2, 3.0),  # 带梯度
        (torch.tensor(0.5, dtype=torch.float16), 0.5),
        (Fraction(1, 4), 0.25),
        (decimal.Decimal("0.125"), 0.125),
        (10**400, math.inf),  # 比任何浮点数都大
        (-(10**400), -math.inf),
    ],
)
def test_as_number_accepts_every_kind_of_number(value, expected):
    assert checking.as_number(value) == expected


@pytest.mark.parametrize("value", [float("nan"), np.float32("nan"), torch.tensor(float("nan"))])
def test_as_number_returns_nan_as_is(value):
    assert math.isnan(checking.as_number(value))


@pytest.mark.parametrize(
    "value",
    [
        True,
        False,
        np.bool_(True),
        torch.tensor(True),
        np.array(True),
        "1",
        b"1",
        None,
        [1.0],
        (1.0,),
        {"a": 1},
        1 + 2j,
        np.complex64(1),
        torch.tensor(1 + 2j),
        torch.zeros(2),
        torch.zeros(0),
        np.zeros(3),
        np.array("1"),
        np.array([None]),
        object(),
        torch.empty(1, device="meta"),
        decimal.Decimal("sNaN"),
    ],
)
def test_as_number_rejects_what_is_not_one_number(value):
    assert checking.as_number(value) is None


# ---------------------------------------------------------------- as_tensor


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])),
        (torch.tensor([1.0, 2.0], requires_grad=True) * 1, torch.tensor([1.0, 2.0])),
        (np.array([1, 2], dtype=np.int32), torch.tensor([1, 2], dtype=torch.int32)),
        (np.float32(1.5), torch.tensor(1.5)),
        (np.array(2.0), torch.tensor(2.0, dtype=torch.float64)),
        (3, torch.tensor(3)),
        (True, torch.tensor(True)),
        (2.5, torch.tensor(2.5, dtype=torch.float64)),
        (Fraction(1, 2), torch.tensor(0.5, dtype=torch.float64)),
        ([1.0, 2.0], torch.tensor([1.0, 2.0], dtype=torch.float64)),
        ([[1, 2], [3, 4]], torch.tensor([[1, 2], [3, 4]])),
        ((1, 2), torch.tensor([1, 2])),
        ([Fraction(1, 2), 1], torch.tensor([0.5, 1.0], dtype=torch.float64)),
        ([torch.tensor(1.0), torch.tensor(2.0)], torch.tensor([1.0, 2.0])),
        ([torch.tensor(1.0, requires_grad=True) * 1, 2.0], torch.tensor([1.0, 2.0], dtype=torch.float64)),
        ([], torch.tensor([], dtype=torch.float64)),
        (np.array([1.0, 2.0], dtype=">f8"), torch.tensor([1.0, 2.0], dtype=torch.float64)),  # 非本机字节序
        (np.array([1.5], dtype=np.longdouble), torch.tensor([1.5], dtype=torch.float64)),
    ],
)
def test_as_tensor_converts_numbers_arrays_and_lists(value, expected):
    got = checking.as_tensor(value)
    assert got.dtype == expected.dtype and torch.equal(got, expected)
    assert not got.requires_grad and got.device.type == "cpu"


def test_as_tensor_copies_numpy_arrays():
    array = np.array([1.0, 2.0])
    got = checking.as_tensor(array)
    array[0] = 100.0
    assert got[0].item() == 1.0


@pytest.mark.parametrize(
    "value",
    [
        None,
        "1",
        b"1",
        {"a": 1},
        [1, [2, 3]],  # 长短不一
        [[1, 2], [3]],
        ["a", "b"],
        [1, None],
        [1, "2"],
        np.array(["a"]),
        np.array([1 + 1j]),
        2**70,  # 超出 int64
        [2**70],
        1 + 2j,
        (x for x in [1, 2]),
        object(),
    ],
)
def test_as_tensor_returns_none_for_what_is_not_numbers(value):
    assert checking.as_tensor(value) is None


# ---------------------------------------------------------------- number_problem


@pytest.mark.parametrize(
    "answer",
    [2.0, 2, np.float32(2.0), np.int64(2), np.array(2.0), np.array([2.0]), torch.tensor(2.0), torch.tensor([[2]]),
     Fraction(2), decimal.Decimal(2), torch.tensor(2.0, requires_grad=True)],
)
def test_number_problem_accepts_every_form_of_the_right_number(answer):
    assert checking.number_problem(answer, 2.0) is None


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("2", "应该是一个数，现在是 str"),
        (None, "应该是一个数，现在是 NoneType"),
        (True, "应该是一个数，现在是 bool"),
        ([2.0], "应该是一个数，现在是 list"),
        (torch.zeros(3), "应该是一个数，现在是形状为 (3,) 的张量"),
        (np.zeros((2, 2)), "应该是一个数，现在是形状为 (2, 2) 的数组"),
        (float("nan"), "不是一个有限的数"),
        (float("inf"), "不是一个有限的数"),
        (torch.tensor(float("-inf")), "不是一个有限的数"),
        (2.5, "与正确结果相差超过 0.1"),
        (1 + 0j, "应该是一个数"),
    ],
)
def test_number_problem_explains_each_wrong_answer(answer, message):
    assert message in checking.number_problem(answer, 2.0, tol=0.1)


def test_number_problem_tolerance_and_name():
    assert checking.number_problem(2.05, 2.0, tol=0.1) is None
    assert checking.number_problem(2.2, 2.0, tol=0.1).startswith("答案是 2.2")
    assert "损失是" in checking.number_problem(2.2, 2.0, name="损失", tol=0.1)
    assert checking.number_problem(1e9, 2.0, tol=math.inf) is None  # inf 的容差：只要是一个有限的数


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"expected": float("nan")}, ValueError, "expected 必须是有限的数"),
        ({"expected": "2"}, ValueError, "expected 必须是有限的数"),
        ({"tol": -1.0}, ValueError, "tol 必须是不小于 0 的数"),
        ({"tol": float("nan")}, ValueError, "tol 必须是不小于 0 的数"),
        ({"name": 3}, TypeError, "name 必须是字符串"),
    ],
)
def test_number_problem_rejects_bad_checker_arguments(kwargs, error, message):
    args = {"expected": 2.0, **kwargs}
    with pytest.raises(error, match=message):
        checking.number_problem(2.0, **args)


# ---------------------------------------------------------------- tensor_problem


def test_tensor_problem_reports_first_difference():
    expected = torch.tensor([1.0, 2.0])
    assert "应该是一个张量" in checking.tensor_problem([1.0, 2.0], expected)
    assert "形状应为 (2,)" in checking.tensor_problem(torch.tensor([1.0]), expected)
    assert "数据类型应为 torch.float32" in checking.tensor_problem(torch.tensor([1, 2]), expected)
    assert "数值不对" in checking.tensor_problem(torch.tensor([1.0, 3.0]), expected)
    assert checking.tensor_problem(torch.tensor([1.0, 2.0]), expected) is None


def test_tensor_problem_tolerance_and_dtype_options():
    expected = torch.tensor([1.0, 2.0])
    assert checking.tensor_problem(torch.tensor([1.0, 2.0 + 1e-7]), expected) is None
    assert checking.tensor_problem(torch.tensor([1.0, 2.01]), expected, atol=0.1) is None
    assert checking.tensor_problem(torch.tensor([1, 2]), expected, check_dtype=False) is None
    assert checking.tensor_problem(torch.tensor([1.0, 2.0], dtype=torch.float64), expected, check_dtype=False) is None
    assert checking.tensor_problem(torch.tensor([1, 2], dtype=torch.int32), torch.tensor([1, 2]), check_dtype=False) is None
    assert "数值不对" in checking.tensor_problem(torch.tensor([1, 3]), torch.tensor([1, 2]))
    assert checking.tensor_problem(torch.tensor([1.0, 2.0], requires_grad=True) * 1, expected) is None
    assert "答案" in checking.tensor_problem(torch.zeros(1), expected)
    assert checking.tensor_problem(torch.zeros(1), expected, name="w").startswith("w的形状")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (torch.tensor([1.0, float("nan")]), "数值不对：其中有 nan 或 inf"),
        (torch.tensor([float("inf"), 2.0]), "数值不对：其中有 nan 或 inf"),
        (torch.tensor([1 + 0j, 2 + 0j]), "应该由实数组成"),
        (torch.empty(2, device="meta"), "无法和标准答案比较"),
        (np.array([1.0, 2.0]), "应该是一个张量（torch.Tensor），现在是 ndarray"),
        ("tensor([1., 2.])", "应该是一个张量（torch.Tensor），现在是 str"),
    ],
)
def test_tensor_problem_never_raises_on_odd_answers(answer, message):
    assert message in checking.tensor_problem(answer, torch.tensor([1.0, 2.0]), check_dtype=False)


def test_tensor_problem_bool_tensors():
    expected = torch.tensor([True, False])
    assert checking.tensor_problem(torch.tensor([True, False]), expected) is None
    assert "数值不对" in checking.tensor_problem(torch.tensor([True, True]), expected)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"expected": [1.0, 2.0]}, TypeError, "expected 必须是张量"),
        ({"atol": -1.0}, ValueError, "atol 必须是不小于 0 的数"),
        ({"atol": "0.1"}, ValueError, "atol 必须是不小于 0 的数"),
        ({"check_dtype": "no"}, TypeError, "check_dtype 必须是 True 或 False"),
        ({"name": None}, TypeError, "name 必须是字符串"),
    ],
)
def test_tensor_problem_rejects_bad_checker_arguments(kwargs, error, message):
    args = {"expected": torch.tensor([1.0, 2.0]), **kwargs}
    with pytest.raises(error, match=message):
        checking.tensor_problem(torch.tensor([1.0, 2.0]), **args)


# ---------------------------------------------------------------- expect_error


def test_expect_error_prints_the_expected_error_and_goes_on(capsys):
    with checking.expect_error(RuntimeError) as caught:
        torch.zeros(2, 3).view(4)
    out = capsys.readouterr().out
    assert out.startswith("RuntimeError: shape '[4]' is invalid") and out.count("\n") == 1
    assert isinstance(caught.error, RuntimeError)
    with checking.expect_error(TypeError, ValueError) as caught:
        raise ValueError("第一行\n第二行")
    assert capsys.readouterr().out == "ValueError: 第一行\n"
    assert isinstance(caught.error, ValueError)


def test_expect_error_fails_loudly_when_nothing_is_raised():
    with pytest.raises(AssertionError, match="本应报 RuntimeError、ValueError，却没有报错"):
        with checking.expect_error(RuntimeError, ValueError):
            torch.zeros(2, 3).reshape(6)


def test_expect_error_lets_other_errors_through():
    with pytest.raises(KeyError):
        with checking.expect_error(RuntimeError):
            raise KeyError("别的错误")


@pytest.mark.parametrize("kinds", [(), ("RuntimeError",), (RuntimeError(),), (int,)])
def test_expect_error_rejects_what_is_not_an_exception_type(kinds):
    with pytest.raises(TypeError, match="kinds"):
        checking.expect_error(*kinds)


def test_first_line_drops_terminal_control_codes():
    err = RuntimeError("Weights only load failed. \x1b[1mdo those steps only if you trust the source\x1b[0m.\nmore")
    assert checking.first_line(err) == "Weights only load failed. do those steps only if you trust the source."


def test_never_raises_turns_any_failure_into_chinese_feedback():
    @checking.never_raises
    def check(answer):
        return checking.passed() if answer() == 1 else checking.failed("不对")

    def recurse():
        return recurse()

    def warn_and_return():
        import warnings

        warnings.warn("learner warning", stacklevel=2)
        return 1

    assert check(lambda: 1).ok
    assert not check(lambda: 2).ok
    boom = check(lambda: 1 / 0)
    assert not boom.ok and "ZeroDivisionError" in boom.message and "意料之外" in boom.message
    assert "无限递归" in check(recurse).message
    assert check(warn_and_return).ok

    @checking.never_raises(what="一个函数")
    def check_with_what(answer):
        raise ValueError("x")

    assert "确认 answer 是一个函数" in check_with_what(None).message


# ---------------------------------------------------------------- 表驱动的练习：Exercise


def _double_it() -> checking.Exercise:
    """一道小练习：函数 twice(x) 返回 2 * x（任何浮点类型），不许改动 x。"""
    return checking.Exercise(
        brief="函数 twice(x) 返回 2 * x。",
        function="twice",
        arguments=("x",),
        cases=lambda: [checking.Case((torch.arange(3.0),), "输入是 [0, 1, 2] 时")],
        expected=lambda x: 2 * x,
        compare=checking.Tensor(dtype="float", name="函数的返回值"),
        error_hints=(("must be real", "两边都要是实数。"),),
        mistakes=(checking.Mistake(lambda got, x: torch.equal(got, x + 2), "加了 2：题目要的是乘以 2。"),),
        after=(checking.Mistake(lambda got, x: got.requires_grad, "结果不应带梯度。"),),
        across=(lambda results: None if len(results) == 1 else "应当只有一组输入。",),
        whole=(lambda f: None if f(torch.ones(1)).item() == 2 else "对 [1] 不对。",),
        success=lambda f: "乘以 2 就对了。",
    )


def _stub(x):
    return None


def _mutates(x):
    x.mul_(2)
    return x.clone()


def _raises_known(x):
    raise TypeError("x must be real.")


@pytest.mark.parametrize(
    ("answer", "verdict", "text"),
    [
        (None, "todo", "把 None 换成你的答案"),
        (3, "failed", "answer = twice"),
        (_stub, "todo", "return None"),
        (_mutates, "failed", "改动了传入的 x"),
        (_raises_known, "failed", "输入是 [0, 1, 2] 时，调用你的函数出错：TypeError: x must be real。提示：两边都要是实数。"),
        (lambda x: x + 2, "failed", "加了 2"),
        (lambda x: 3 * x, "failed", "输入是 [0, 1, 2] 时，函数的返回值的形状和类型都对了，但数值不对。"),
        (lambda x: (2 * x).requires_grad_(), "failed", "结果不应带梯度"),
        (lambda x: 2 * x if x.numel() == 3 else x, "failed", "对 [1] 不对"),
        (lambda x: 2 * x, "passed", "乘以 2 就对了"),
        (lambda x: (2 * x).double(), "passed", "乘以 2 就对了"),
        (lambda x: (2 * x).half(), "passed", "乘以 2 就对了"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_exercise_runs_each_step_in_order(answer, verdict, text):
    feedback = _double_it().check(answer)
    kind = "todo" if not feedback.answered else ("passed" if feedback.ok else "failed")
    assert kind == verdict, feedback
    assert text in feedback.message, feedback


def test_exercise_compares_results_across_cases_without_calling_again():
    calls = []

    def draw(seed):
        calls.append(seed)
        return torch.tensor([float(len(calls))])

    exercise = checking.Exercise(
        brief="同一个输入，同一个结果。", function="draw",
        cases=lambda: [checking.Case((0,)), checking.Case((0,))],
        expected=lambda s: None, compare=type("Any", (), {"problem": lambda self, got, want: None})(),
        across=(lambda r: None if torch.equal(r[0], r[1]) else "两次结果不同。",), success="好。",
    )
    feedback = exercise.check(draw)
    assert not feedback and "两次结果不同" in feedback.message
    assert calls == [0, 0]


def test_exercise_value_answers_and_broken_mistake_predicates():
    exercise = checking.Exercise(
        brief="数 3。",
        expected=lambda: 3.0,
        compare=checking.Number(tol=1e-9),
        mistakes=(
            checking.Mistake(lambda a: a.nonexistent_attribute, "不会出现：判断出错就不算这种错误。"),
            checking.Mistake(lambda a: a == -3, lambda a: f"{a} 的符号反了。"),
        ),
        success="对。",
    )
    assert exercise.check(np.float32(3.0)) and exercise.check(Fraction(6, 2)) and exercise.check(torch.tensor([3]))
    assert "符号反了" in exercise.check(-3).message
    assert "相差超过" in exercise.check(2.5).message
    assert not exercise.check("3") and "应该是一个数" in exercise.check("3").message
    assert not exercise.check(None).answered


def test_exercise_leaves_the_random_state_alone():
    exercise = checking.Exercise(
        brief="随机。", function="f", cases=lambda: [checking.Case((0,))], expected=lambda s: None,
        compare=type("Any", (), {"problem": lambda self, got, want: None})(), success="好。",
    )
    import random

    torch.manual_seed(5)
    random.seed(5)
    np.random.seed(5)
    before = (torch.rand(1), random.random(), np.random.rand())
    torch.manual_seed(5)
    random.seed(5)
    np.random.seed(5)
    assert exercise.check(lambda s: (torch.manual_seed(s), random.seed(s), np.random.seed(s), torch.rand(3))[-1])
    assert (torch.rand(1), random.random(), np.random.rand()) == before


def test_exercise_never_raises_on_checker_surprises():
    def explode(answer):
        raise RuntimeError("boom")

    exercise = checking.Exercise(brief="x", expected=lambda: 1, compare=checking.Number(), whole=(), success="好。")
    broken = checking.Exercise(brief="x", expected=explode, compare=checking.Number(), success="好。")
    assert exercise.check(1)
    feedback = broken.check(1)
    assert not feedback and "意料之外" in feedback.message


def test_tensor_comparison_options():
    want = torch.tensor([1.0, 2.0])
    assert checking.Tensor().problem(torch.tensor([1.0, 2.0]), want) is None
    assert "不是张量" in checking.Tensor().problem([1.0, 2.0], want)
    assert checking.Tensor(arrays=True).problem([1.0, 2.0], want) is None
    assert checking.Tensor(arrays=True).problem(np.array([1, 2]), want) is None
    assert "torch.float32" in checking.Tensor(dtype=torch.float32).problem(want.double(), want)
    assert "不是浮点数" in checking.Tensor(dtype="float").problem(torch.tensor([1, 2]), want)
    assert "整数" in checking.Tensor(dtype="integer").problem(want, want)
    assert "形状应为 (2,)" in checking.Tensor().problem(torch.ones(3), want)
    assert "nan" in checking.Tensor().problem(torch.tensor([1.0, float("nan")]), want)
    assert checking.Tensor(wrong="差一点。").problem(torch.tensor([1.0, 2.5]), want) == "差一点。"
    assert checking.Tensor(wrong=lambda g: f"是 {g.tolist()}").problem(torch.tensor([0.0, 0.0]), want) == "是 [0.0, 0.0]"
    assert checking.Tensor(atol=0.6).problem(torch.tensor([1.0, 2.5]), want) is None
    assert "实数" in checking.Tensor().problem(torch.tensor([True, False]), want)


def test_numbered_makes_check_functions_from_the_table():
    first = checking.Exercise(brief="第一题。", expected=lambda: 1, compare=checking.Number(), success="好。")
    second = checking.Exercise(brief="第二题。", expected=lambda: 2, compare=checking.Number(), success="好。")
    check_1, check_2 = checking.numbered((first, second))
    assert (check_1.__name__, check_2.__name__) == ("check_1", "check_2")
    assert check_2.__doc__ == "练习 2：第二题。"
    assert check_1(1) and not check_2(1)
    with pytest.raises(TypeError, match="由 Exercise 组成的元组"):
        checking.numbered([first])


def _shift_in_place() -> checking.Exercise:
    """一道原地更新的小练习：函数 shift(x) 把 x 原地加 1，返回加之前的和。"""
    return checking.Exercise(
        brief="函数 shift(x) 把 x 原地加 1，返回加之前的和。",
        function="shift",
        cases=lambda: [checking.Case((torch.zeros(2),))],
        keeps_input=False,
        stub=lambda x: torch.equal(x, torch.zeros(2)),  # x 没变：还没作答；x 变了却返回 None：忘了 return
        not_function=lambda a: f"shift 应该用 def 定义，现在是 {type(a).__name__}。",
        error_hints=(
            ("NoneType", lambda err, x: "x 已经变了。" if x.sum() > 0 else None),
            ("NoneType", "x 还没变。"),
        ),
        expected=lambda x: 0.0,
        compare=checking.Number(),
        success="好。",
    )


def _add_one(x):
    x += 1
    return 0.0


def _forgets_return(x):
    x += 1


def _fails_after_update(x):
    x += 1
    return None + 1


def _fails_before_update(x):
    return None + 1


@pytest.mark.parametrize(
    ("answer", "verdict", "text"),
    [
        (3, "failed", "shift 应该用 def 定义，现在是 int"),
        (lambda x: None, "todo", "return None"),
        (_forgets_return, "failed", "应该是一个数，现在是 NoneType"),
        (_fails_after_update, "failed", "提示：x 已经变了。"),
        (_fails_before_update, "failed", "提示：x 还没变。"),
        (_add_one, "passed", "好。"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_exercise_options_for_functions_that_update_their_inputs(answer, verdict, text):
    feedback = _shift_in_place().check(answer)
    kind = "todo" if not feedback.answered else ("passed" if feedback.ok else "failed")
    assert kind == verdict, feedback
    assert text in feedback.message, feedback


def test_exercise_input_hint_and_default_stub():
    exercise = checking.Exercise(
        brief="函数 twice(x) 返回 2 * x。", function="twice", arguments=("x",),
        cases=lambda: [checking.Case((torch.ones(2),))], expected=lambda x: 2 * x,
        compare=checking.Tensor(), input_hint="开头先用 x.clone() 复制一份。", success="好。",
    )
    feedback = exercise.check(lambda x: x.mul_(2))
    assert not feedback and feedback.message.endswith("不要修改输入。开头先用 x.clone() 复制一份。"), feedback

    def mutates_and_forgets(x):
        x.mul_(2)

    forgot = exercise.check(mutates_and_forgets)  # 没有 stub：按源代码判断，这里忘了 return
    assert forgot.answered and not forgot.ok and "没有 return 语句" in forgot.message, forgot
    assert "赋给 answer" in exercise.check(3).message  # 没有 not_function：默认的提示


def _fit_line() -> checking.Exercise:
    """一道“训练模型”的小练习：函数 fit(x) 返回一个模型；考查 before、todo、warning_hints 和 summary。"""
    return checking.Exercise(
        brief="函数 fit(x) 返回一个 nn.Linear(1, 1)。",
        function="fit",
        cases=lambda: [checking.Case((torch.ones(3, 1),))],
        stub=lambda x: False,  # 返回 None 交给 mistakes 中 todo 的一项
        before=(checking.Mistake(lambda a: isinstance(a, torch.nn.Module), "交来的是模型，要的是函数。"),),
        warning_hints=(("target size", "另外，损失被广播了。"),),
        expected=lambda x: None,
        compare=type("Fitted", (), {"problem": lambda self, got, want: None if got.out_features == 1 else "输出个数不对。"})(),
        mistakes=(
            checking.Mistake(lambda got, x: got is None, "还在返回 None：最后 return 模型。", todo=True),
            checking.Mistake(lambda got, x: not isinstance(got, torch.nn.Module), "应该返回模型。"),
        ),
        summary=lambda results: f"输出 {results[0].out_features} 个数。",
        success="好。",
    )


def _broadcast_and_return(width):
    def fit(x):
        torch.nn.functional.mse_loss(torch.zeros(3, 1), torch.zeros(3))  # 发出 “target size” 警告
        return torch.nn.Linear(1, width)

    return fit


@pytest.mark.parametrize(
    ("answer", "verdict", "text"),
    [
        (torch.nn.Linear(1, 1), "failed", "交来的是模型，要的是函数。"),
        (lambda x: None, "todo", "还在返回 None：最后 return 模型。"),
        (lambda x: 3, "failed", "应该返回模型。"),
        (_broadcast_and_return(2), "failed", "输出个数不对。另外，损失被广播了。"),
        (lambda x: torch.nn.Linear(1, 2), "failed", "输出个数不对。"),
        (_broadcast_and_return(1), "passed", "输出 1 个数。好。"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_exercise_before_todo_warning_hints_and_summary(answer, verdict, text):
    import warnings

    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        feedback = _fit_line().check(answer)
    kind = "todo" if not feedback.answered else ("passed" if feedback.ok else "failed")
    assert kind == verdict, feedback
    assert feedback.message.endswith(text), feedback
    assert "target size" not in feedback.message  # 只有中文说明，没有英文警告原文
    assert not shown  # 学习者代码的警告不显示


def test_exercise_warning_hints_only_for_warnings_heard_in_this_check():
    exercise = _fit_line()
    assert "广播" in exercise.check(_broadcast_and_return(2)).message
    assert "广播" in exercise.check(_broadcast_and_return(2)).message  # 同一处警告，第二次检查照样听到
    assert "广播" not in exercise.check(lambda x: torch.nn.Linear(1, 2)).message


def test_mistake_todo_gives_not_answered_feedback():
    mistake = checking.Mistake(lambda got: got == 0, lambda got: f"{got} 还是初始值。", todo=True)
    assert mistake.matches(0, ()) and not mistake.matches(1, ())
    feedback = mistake.feedback(0, ())
    assert not feedback and feedback.answered is False and feedback.message == "0 还是初始值。"
    assert checking.Mistake(lambda got: True, "错。").feedback(1, ()).answered is True


def _forgot_return(x):
    y = 2 * x  # noqa: F841 - 故意忘了 return


def _stub_return(x):
    return None  # 把这一行换成你的代码


def _returns_append(x):
    values = []
    return values.append(2 * x)


@pytest.mark.parametrize(
    ("answer", "answered", "text"),
    [
        (_stub_return, False, "把 return None 换成你的代码"),
        (_forgot_return, True, "没有 return 语句"),
        (_returns_append, True, "append"),
        (lambda x: None, False, "把 return None 换成你的代码"),
    ],
    ids=["stub", "forgot-return", "returns-none-expression", "lambda"],
)
def test_a_function_returning_none_is_told_apart_from_the_stub(answer, answered, text):
    feedback = _double_it().check(answer)
    assert not feedback.ok and feedback.answered == answered, feedback
    assert text in feedback.message, feedback
