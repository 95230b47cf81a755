"""第 2 课（运算符重载）练习检查器的单元测试。

参考答案只有一份：笔记本 <details> 里的代码。这里从孪生文件 notebooks/02_operator_overloading.py
中取出它们，放进与笔记本相同的环境里运行，再交给检查器；本文件只另写错误答案。
"""

from __future__ import annotations

import ast
import functools
import math
import re
from fractions import Fraction
from pathlib import Path

import jupytext
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lesson_cells import lesson_solutions

from lessons.checking import Feedback
from lessons.exercises import operators as ex

TWIN = Path(__file__).resolve().parents[1] / "notebooks" / "02_operator_overloading.py"
CHECKERS = {1: ex.check_1, 2: ex.check_2, 3: ex.check_3, 4: ex.check_4}


# ---------------------------------------------------------------- 从笔记本里取代码


@functools.lru_cache(maxsize=1)
def notebook_cells() -> tuple:
    return tuple(jupytext.read(TWIN).cells)


def value_sources(cells=None) -> list[str]:
    """笔记本第 8 节里定义 Value 类、topological_order 与 backward 的两个代码单元格。"""
    cells = cells if cells is not None else notebook_cells()
    sources = [
        c.source
        for c in cells
        if c.cell_type == "code" and ("class Value:" in c.source or "Value.backward = backward" in c.source)
    ]
    assert len(sources) == 2, "笔记本里应有定义 Value 的单元格和定义 backward 的单元格各一个"
    return sources


def lesson_namespace(value_code: list[str] | None = None) -> dict:
    """与笔记本相同的运行环境：torch 和第 8 节的 Value（含 backward）。"""
    namespace: dict = {}
    exec("import torch", namespace)
    for source in value_code if value_code is not None else value_sources():
        exec(source, namespace)
    return namespace


def details_solutions() -> dict[int, str]:
    """{练习编号: <details> 里的参考答案代码}（读法与其他课的测试相同，见 lesson_cells.py）。"""
    return {n: solution for n, (_, solution, _) in lesson_solutions(TWIN).items()}


def checked_expression(n: int) -> str:
    """练习 n 的代码单元格里交给 ex.check_n(...) 的那个表达式，如 ``function_form``。"""
    for cell in notebook_cells():
        if cell.cell_type == "code" and f"ex.check_{n}(" in cell.source:
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Call) and ast.unparse(node.func) == f"ex.check_{n}":
                    return ast.unparse(node.args[0])
    raise AssertionError(f"笔记本里找不到 ex.check_{n}(...)")


def solution_answer(n: int, value_code: list[str] | None = None):
    """运行练习 n 的参考答案，返回交给检查器的对象。"""
    namespace = lesson_namespace(value_code)
    exec(details_solutions()[n], namespace)
    return eval(checked_expression(n), namespace)


# ---------------------------------------------------------------- 参考答案（唯一的一份在笔记本里）


def test_every_exercise_has_a_solution_and_a_checker():
    assert sorted(details_solutions()) == sorted(CHECKERS) == [1, 2, 3, 4]


@pytest.mark.parametrize("n", sorted(CHECKERS))
def test_details_solution_passes_its_checker(n):
    feedback = CHECKERS[n](solution_answer(n))
    assert feedback.ok, feedback.message


@pytest.mark.parametrize("n", sorted(CHECKERS))
def test_placeholder_is_not_answered(n):
    namespace = lesson_namespace()
    for cell in notebook_cells():
        if cell.cell_type == "code" and f"ex.check_{n}(" in cell.source:
            exec(cell.source.replace(f"ex.check_{n}(", "(lambda answer: answer)("), namespace)
    feedback = CHECKERS[n](eval(checked_expression(n), namespace))
    assert feedback.answered is False and not feedback.ok


# ---------------------------------------------------------------- 笔记本里的 Value 必须用 type(self)


def subclass_results_keep_their_type(namespace: dict) -> bool:
    Value = namespace["Value"]

    class Sub(Value):
        pass

    x = Sub(2.0)
    results = [x + 1, x * 2, 1 + x, 3 * x, x + Sub(1.0), x * Sub(1.0)]
    return all(type(r) is Sub for r in results)


def test_notebook_value_creates_results_with_type_self():
    assert subclass_results_keep_their_type(lesson_namespace()), (
        "笔记本里的 Value 应该用 type(self)(...) 创建运算结果，子类（练习 4）才能继续用上新方法"
    )


def test_the_type_self_test_catches_a_hard_coded_value():
    broken = [source.replace("type(self)(", "Value(") for source in value_sources()]
    assert broken != value_sources()
    assert not subclass_results_keep_their_type(lesson_namespace(broken))
    # 学习者照参考答案写的子类，在写死 Value(...) 的基类上通不过检查
    assert not ex.check_4(solution_answer(4, broken)).ok


def test_notebook_value_backward_matches_autograd():
    namespace = lesson_namespace()
    x, y = namespace["Value"](2.0), namespace["Value"](4.0)
    f = x * y + 3 * x
    f.backward()
    assert (f.data, x.grad, y.grad) == (14.0, 7.0, 2.0)


# ---------------------------------------------------------------- 练习 1


@pytest.mark.parametrize(
    "answer",
    [
        ([-3, -2, 1, 2], [2, 0, 2, 1]),
        [[-3, -2, 1, 2], [2, 0, 2, 1]],
        ([np.int64(-3), np.int32(-2), 1, 2], np.array([2, 0, 2, 1])),
        (torch.tensor([-3, -2, 1, 2]), torch.tensor([2, 0, 2, 1], dtype=torch.int32)),
        ([-3.0, -2.0, 1.0, 2.0], [2.0, 0.0, 2.0, 1.0]),
        torch.tensor([[-3, -2, 1, 2], [2, 0, 2, 1]]),
        np.array([[-3, -2, 1, 2], [2, 0, 2, 1]]),
    ],
    ids=["lists", "list-of-lists", "numpy-ints", "tensors", "integer-floats", "2x4-tensor", "2x4-array"],
)
def test_check_1_accepts_every_form_of_the_right_answer(answer):
    assert ex.check_1(answer).ok


def test_check_1_truncation_gets_hint():
    feedback = ex.check_1(([-2, -2, 1, 2], [2, 0, 2, 1]))
    assert not feedback.ok and "向零取整" in feedback.message


def test_check_1_fmod_remainder_gets_hint():
    feedback = ex.check_1(([-3, -2, 1, 2], [-1, 0, 2, 1]))
    assert not feedback.ok and "余数的符号跟了被除数" in feedback.message


@pytest.mark.parametrize(
    "swapped",
    [([2, 0, 2, 1], [-3, -2, 1, 2]), torch.tensor([[2, 0, 2, 1], [-3, -2, 1, 2]])],
    ids=["lists", "2x4-tensor"],
)
def test_check_1_swapped_lists_are_named_as_swapped(swapped):
    """商和余数各自都对、只是顺序反了：不能说“商不对”。"""
    feedback = ex.check_1(swapped)
    assert not feedback.ok and "顺序反了" in feedback.message and "商不对" not in feedback.message


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_check_1_nan_and_inf_get_chinese_feedback(bad):
    feedback = ex.check_1(([bad, -2, 1, 2], [2, 0, 2, 1]))
    assert not feedback.ok and "nan 或 inf" in feedback.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ("-3, -2, 1, 2", "两个列表"),
        (([1], [2]), "各有 4 个数"),
        (([-3, -2, 1, 2],), "两部分"),
        (([-3.5, -2, 1, 2], [2, 0, 2, 1]), "小数"),
        (([True, False, True, True], [2, 0, 2, 1]), "True/False"),
        (([[1, 2]], [2, 0, 2, 1]), "一维"),
        ((["a", "b", "c", "d"], [2, 0, 2, 1]), "整数列表"),
    ],
)
def test_check_1_wrong_forms_get_hints(answer, words):
    feedback = ex.check_1(answer)
    assert not feedback.ok and words in feedback.message


# ---------------------------------------------------------------- 练习 2


def test_check_2_boundary_inputs_hit_exactly_one():
    x, w, b = ex._exercise_2_inputs()[0]
    squared = (x @ w + b) ** 2
    assert (squared == 1).sum() >= 2, "练习 2 的第一组输入应让 (x @ w + b) ** 2 恰好等于 1"


def test_check_2_rejects_ge_instead_of_gt():
    def with_ge(x, w, b):
        return torch.ge(torch.pow(torch.add(torch.matmul(x, w), b), 2), 1)

    feedback = ex.check_2(with_ge)
    assert not feedback.ok and "torch.gt" in feedback.message and "torch.ge" in feedback.message


#: 练习 2 的常见错误写法，和提示里应有的话
WRONG_FUNCTION_FORMS = {
    "sqrt": (lambda x, w, b: torch.gt(torch.pow(torch.add(torch.matmul(x, w), b), 0.5), 1), "开平方根"),
    "b-squared": (lambda x, w, b: torch.gt(torch.add(torch.matmul(x, w), torch.pow(b, 2)), 1), "优先级"),
    "square-before-b": (lambda x, w, b: torch.gt(torch.add(torch.pow(torch.matmul(x, w), 2), b), 1), "先平方、后加 b"),
    "no-b": (lambda x, w, b: torch.gt(torch.pow(torch.matmul(x, w), 2), 1), "漏掉了 b"),
    "compare-zero": (lambda x, w, b: torch.gt(torch.pow(torch.add(torch.matmul(x, w), b), 2), 0), "和 1 比较"),
    "ge": (lambda x, w, b: torch.ge(torch.pow(torch.add(torch.matmul(x, w), b), 2), 1), "torch.ge"),
}


@pytest.mark.parametrize("name", sorted(WRONG_FUNCTION_FORMS))
def test_check_2_each_wrong_form_gets_its_own_hint(name):
    """每种错误写法得到说中它的提示（开平方曾被说成“优先级”）。"""
    wrong, words = WRONG_FUNCTION_FORMS[name]
    feedback = ex.check_2(wrong)
    assert not feedback.ok and words in feedback.message, feedback.message


def test_check_2_first_inputs_tell_the_wrong_forms_apart():
    """第一组输入上，正确写法和各种错误写法的结果两两不同：提示才不会张冠李戴。"""
    x, w, b = ex._exercise_2_inputs()[0]
    results = {"right": ex.reference_2(x, w, b)} | {n: f(x, w, b) for n, (f, _) in WRONG_FUNCTION_FORMS.items()}
    names = sorted(results)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not torch.equal(results[first], results[second]), f"{first} 与 {second} 在第一组输入上结果相同"


def test_check_2_accepts_equivalent_functions():
    def with_mv_and_square(x, w, b):
        return torch.gt(torch.square(torch.add(torch.mv(x, w), b)), 1)

    assert ex.check_2(with_mv_and_square).ok


def test_check_2_operators_are_reported():
    def with_operators(x, w, b):
        return (x @ w + b) ** 2 > 1

    feedback = ex.check_2(with_operators)
    assert not feedback.ok and "还用到了运算符" in feedback.message and "`@`" in feedback.message


def test_check_2_negative_number_literal_is_not_an_operator():
    def with_negative_dim(x, w, b):
        return torch.gt(torch.pow(torch.add(torch.sum(torch.mul(x, w), dim=-1), b), 2), 1)

    assert ex.operators_used(with_negative_dim) == []
    assert ex.check_2(with_negative_dim).ok


def test_check_2_negating_a_variable_is_still_an_operator():
    def with_negated_b(x, w, b):
        return torch.gt(torch.pow(torch.sub(torch.sum(torch.mul(x, w), dim=-1), -b), 2), 1)

    assert ex.operators_used(with_negated_b) == ["-（取负）"]
    feedback = ex.check_2(with_negated_b)
    assert not feedback.ok and "`-（取负）`" in feedback.message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (lambda x, w, b: torch.gt(torch.pow(torch.add(torch.mul(x, w), b), 2), 1), "torch.matmul"),
        (lambda x, w, b: torch.pow(torch.add(torch.matmul(x, w), b), 2), "布尔张量"),
        (lambda x, w, b: torch.gt(torch.mul(torch.add(torch.matmul(x, w), b), 2), 1), "不是乘以 2"),
        (lambda x, w, b: torch.lt(torch.pow(torch.add(torch.matmul(x, w), b), 2), 1), "方向反了"),
        (lambda x, w, b: torch.matmul(w, x), "torch.matmul(x, w)"),
        (lambda x, w, b: torch.gt(torch.pow(torch.add(torch.dot(x, w), b), 2), 1), "torch.dot 只接受两个一维张量"),
        (lambda x, w: x, "三个参数"),
        (lambda x, w, b: "字符串", "张量"),
        (lambda x, w, b: np.zeros(3), "张量"),
        (lambda x, w, b: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_check_2_wrong_answers_get_hints(body, words):
    feedback = ex.check_2(body)
    assert not feedback.ok and words in feedback.message


# ---------------------------------------------------------------- 练习 3


@pytest.mark.parametrize(
    "answer",
    [
        lambda X, p: torch.linalg.vector_norm(p - X, dim=1),
        lambda X, p: ((X - p) ** 2).sum(dim=1).sqrt(),
        lambda X, p: (X - p).norm(dim=1),
        lambda X, p: torch.cdist(X, p[None]).squeeze(1),
        lambda X, p: np.linalg.norm((X - p).numpy(), axis=1),
        lambda X, p: torch.linalg.vector_norm((X - p).double(), dim=1),
    ],
)
def test_check_3_accepts_equivalent_answers(answer):
    assert ex.check_3(answer).ok


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda X, p: torch.linalg.vector_norm(X - p), "dim=1"),
        (lambda X, p: torch.linalg.vector_norm(X - p, dim=0), "dim=0"),
        (lambda X, p: ((X - p) ** 2).sum(dim=1), "平方根"),
        (lambda X, p: torch.linalg.vector_norm(X - p, ord=1, dim=1), "L1"),
        (lambda X, p: torch.linalg.vector_norm(X - p, dim=1, keepdim=True), "多了一维"),
        (lambda X, p: torch.linalg.vector_norm(X, dim=1), "X - p"),
        (lambda X, p: torch.linalg.vector_norm(X.sub_(p), dim=1), "改动了传入的"),
        (lambda X, p: torch.linalg.vector_norm((X - p).long(), dim=1), "浮点数"),
        (lambda X, p: None, "return None"),
        (lambda X, p: "x", "浮点张量"),
        (lambda X, p: (X - p).sum(dim=1) * math.nan, "nan"),
    ],
)
def test_check_3_wrong_answers_get_hints(answer, words):
    feedback = ex.check_3(answer)
    assert not feedback.ok and words in feedback.message


@pytest.mark.parametrize(
    "plane_only",
    [
        lambda X, p: torch.sqrt((X[:, 0] - p[0]) ** 2 + (X[:, 1] - p[1]) ** 2),
        lambda X, p: torch.hypot(X[:, 0] - p[0], X[:, 1] - p[1]),
        lambda X, p: torch.linalg.vector_norm((X - p)[:, :2], dim=1),
    ],
    ids=["sqrt-of-two-columns", "hypot", "first-two-columns"],
)
def test_check_3_plane_only_answer_gets_its_own_hint(plane_only):
    """只用前两个坐标的答案在平面点上是对的，在三维点上要得到专门的提示，而不是笼统的“数值不对”。"""
    X, p = ex._exercise_3_inputs()[0]
    assert torch.allclose(plane_only(X, p), torch.linalg.vector_norm(X - p, dim=1)), "平面点上它应该是对的"
    feedback = ex.check_3(plane_only)
    assert not feedback.ok
    assert "前两个坐标" in feedback.message and "任意多个坐标" in feedback.message
    assert "数值不对" not in feedback.message


def test_check_3_inputs_include_points_with_more_than_two_coordinates():
    assert {X.shape[1] for X, _ in ex._exercise_3_inputs()} >= {2, 3}


def test_check_3_hard_coded_two_coordinates_that_raise_get_a_hint():
    feedback = ex.check_3(lambda X, p: torch.linalg.vector_norm(X - p[:2], dim=1))
    assert not feedback.ok and "3 个坐标" in feedback.message and "不要写死坐标的个数" in feedback.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda X, p: torch.linalg.vector_norm(X - p, dim=1).sum(), "不要再对距离求和"),
        (lambda X, p: torch.linalg.vector_norm(X - p, dim=1).tolist()[0], "只取其中一个"),
        (lambda X, p: torch.linalg.vector_norm(X - p, dim=1).mean(), "每行一个距离"),
        (lambda X, p: torch.linalg.vector_norm(X - p, dim=1).int(), "整数类型"),
        (lambda X, p: torch.cdist(X, p), "p.unsqueeze(0)"),
    ],
    ids=["summed", "first-only", "mean", "int", "cdist-1d"],
)
def test_check_3_one_number_and_other_forms_name_the_real_cause(answer, words):
    """给了 dim=1 又求和、只取第一个距离时，不能说“没有给 dim”。"""
    feedback = ex.check_3(answer)
    assert not feedback.ok and words in feedback.message, feedback.message
    assert "没有给 dim 时" not in feedback.message


def test_check_3_accepts_a_half_precision_result():
    """题目没有规定数据类型：float16 的结果按它自己的精度比较。"""
    assert ex.check_3(lambda X, p: torch.linalg.vector_norm(X - p, dim=1).half()).ok


def test_check_2_input_changed_in_place_is_reported():
    def changes_w(x, w, b):
        return torch.gt(torch.pow(torch.add(torch.matmul(x, w.abs_()), b), 2), 1)

    feedback = ex.check_2(changes_w)
    assert not feedback.ok and "改动了传入的 w" in feedback.message


def test_function_exercises_explain_how_to_pass_the_function():
    """笔记本写 ex.check_3(distances)：交给检查器的是调用结果时，提示交函数本身。"""
    X, p = ex._exercise_3_inputs()[0]
    feedback = ex.check_3(torch.linalg.vector_norm(X - p, dim=1))
    assert not feedback.ok and "distances 本身" in feedback.message and "不带括号" in feedback.message
    assert "function_form 本身" in ex.check_2(True).message


def test_exercises_table_gives_the_check_functions():
    assert len(ex.EXERCISES) == len(CHECKERS)
    for n, check in CHECKERS.items():
        assert check.__name__ == f"check_{n}" and check.__doc__.startswith(f"练习 {n}：")


# ---------------------------------------------------------------- 练习 4（选读）


def make_subclass(namespace: dict, **methods) -> type:
    return type("MyValue", (namespace["Value"],), methods)


@pytest.fixture()
def reference_class():
    return solution_answer(4)


def test_check_4_plain_value_has_no_sub():
    Value = lesson_namespace()["Value"]
    assert "__sub__" in ex.check_4(Value).message


def test_check_4_wrong_sub_gradient_gets_hint(reference_class):
    def __sub__(self, other):
        other = self._lift(other)
        return type(self)(self.data - other.data, (self, other), "-", (1.0, 1.0))

    wrong = type("WrongSub", (reference_class,), {"__sub__": __sub__})
    assert "局部导数是 -1" in ex.check_4(wrong).message


def test_check_4_pow_without_n_gets_hint(reference_class):
    def __pow__(self, n):
        return type(self)(self.data**n, (self,), f"**{n}", (self.data ** (n - 1),))

    wrong = type("WrongPow", (reference_class,), {"__pow__": __pow__})
    assert "n * x ** (n - 1)" in ex.check_4(wrong).message


def test_check_4_missing_rsub_gets_hint(reference_class):
    namespace = lesson_namespace()
    wrong = make_subclass(namespace, __sub__=reference_class.__sub__, __pow__=reference_class.__pow__)
    assert "__rsub__" in ex.check_4(wrong).message


def test_check_4_reversed_rsub_gets_hint(reference_class):
    wrong = type("Reversed", (reference_class,), {"__rsub__": lambda self, other: self - other})
    assert "other - self" in ex.check_4(wrong).message


def test_check_4_results_built_with_value_get_a_chinese_explanation():
    namespace = lesson_namespace()
    Value = namespace["Value"]

    def __sub__(self, other):
        other = self._lift(other)
        return Value(self.data - other.data, (self, other), "-", (1.0, -1.0))

    def __rsub__(self, other):
        return Value(other) - self

    def __pow__(self, n):
        return Value(self.data**n, (self,), f"**{n}", (n * self.data ** (n - 1),))

    feedback = ex.check_4(make_subclass(namespace, __sub__=__sub__, __rsub__=__rsub__, __pow__=__pow__))
    assert not feedback.ok and "type(self)" in feedback.message and "不是你的类 MyValue" in feedback.message


def test_check_4_rsub_wrapping_a_value_again_is_explained(reference_class):
    Value = lesson_namespace()["Value"]

    def __rsub__(self, other):
        return type(self)(Value(other)) - self  # 把 Value 又包了一层

    feedback = ex.check_4(type("Wrapped", (reference_class,), {"__rsub__": __rsub__}))
    assert not feedback.ok and "_lift" in feedback.message


def test_check_4_infinite_recursion_is_explained(reference_class):
    def __rsub__(self, other):
        return other - self  # other 还是普通的数：Python 又会调用 __rsub__

    feedback = ex.check_4(type("Recursive", (reference_class,), {"__rsub__": __rsub__}))
    assert not feedback.ok and "无限递归" in feedback.message


def test_check_4_without_backward_cell_is_explained():
    namespace = lesson_namespace(value_sources()[:1])  # 只运行了定义 Value 的单元格
    exec(details_solutions()[4], namespace)
    feedback = ex.check_4(namespace["answer"])
    assert not feedback.ok and "backward" in feedback.message


def test_check_4_wrong_gradient_in_the_combined_expression_is_reported(reference_class):
    def __mul__(self, other):
        other = self._lift(other)
        return type(self)(self.data * other.data, (self, other), "*", (other.data, other.data))  # 第二个应是 self.data

    feedback = ex.check_4(type("WrongMul", (reference_class,), {"__mul__": __mul__}))
    assert not feedback.ok and "torch.autograd" in feedback.message and "y.grad = 72" in feedback.message


def test_check_4_not_a_class():
    assert "应该是一个类" in ex.check_4(solution_answer(4)(1.0)).message


def test_check_4_pow_that_changes_self_is_explained(reference_class):
    def __pow__(self, n):
        self.data = self.data**n
        return self

    feedback = ex.check_4(type("Mutates", (reference_class,), {"__pow__": __pow__}))
    assert not feedback.ok and "x 本身" in feedback.message and "不要修改 self.data" in feedback.message


def test_check_4_pow_without_parents_is_explained(reference_class):
    feedback = ex.check_4(type("NoParents", (reference_class,), {"__pow__": lambda self, n: type(self)(self.data**n)}))
    assert not feedback.ok and "父节点" in feedback.message and "parents" in feedback.message


def test_check_4_exponent_read_as_a_value_is_explained(reference_class):
    def __pow__(self, n):
        return type(self)(self.data**n.data, (self,), "**", (n.data * self.data ** (n.data - 1),))

    feedback = ex.check_4(type("ExponentData", (reference_class,), {"__pow__": __pow__}))
    assert not feedback.ok and "指数 n 是普通的数" in feedback.message


def test_check_4_sub_without_lift_names_lift(reference_class):
    def __sub__(self, other):
        return type(self)(self.data - other.data, (self, other), "-", (1.0, -1.0))

    feedback = ex.check_4(type("NoLift", (reference_class,), {"__sub__": __sub__}))
    assert not feedback.ok and "self._lift(other)" in feedback.message


# ---------------------------------------------------------------- 检查器从不抛出异常


def _raises(*args):
    raise ValueError("学习者代码里的错误")


def _generator():
    yield 1


STRANGE_ANSWERS = [
    None,
    math.nan,
    math.inf,
    "字符串",
    b"bytes",
    42,
    Fraction(1, 3),
    np.float32(2.5),
    np.array(3),
    torch.tensor(1.0, requires_grad=True),
    torch.zeros(2, 3, 4),
    torch.tensor([math.nan, math.inf]),
    [],
    [[1, 2], [3]],
    {"a": 1},
    _generator(),
    _raises,
    lambda: None,
    lambda *args: torch.tensor(math.nan),
    lambda *args: torch.ones(2, 2, requires_grad=True),
    type("Weird", (), {}),
    object(),
]


@pytest.mark.parametrize("n", sorted(CHECKERS))
@pytest.mark.parametrize("answer", STRANGE_ANSWERS, ids=lambda a: type(a).__name__)
def test_checkers_never_raise(n, answer):
    feedback = CHECKERS[n](answer)
    assert isinstance(feedback, Feedback)
    assert re.search(r"[\u4e00-\u9fff]", feedback.message), "反馈应该是中文"
    if answer is not None:
        assert not feedback.ok


# ---------------------------------------------------------------- 基于性质的测试：随机答案从不让检查器出错

QUICK = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
NUMBERS = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True), st.booleans())


@QUICK
@given(st.lists(NUMBERS, max_size=6), st.lists(NUMBERS, max_size=6))
def test_check_1_random_lists_get_feedback_and_never_accept_wrong_values(quotient, remainder):
    feedback = ex.check_1((quotient, remainder))
    assert isinstance(feedback, Feedback) and re.search(r"[\u4e00-\u9fff]", feedback.message)
    if feedback.ok:
        assert [float(q) for q in quotient] == [-3, -2, 1, 2]
        assert [float(r) for r in remainder] == [2, 0, 2, 1]


@QUICK
@given(st.lists(NUMBERS, min_size=4, max_size=4))
def test_check_3_random_functions_never_raise(values):
    def answer(X, p):
        return torch.tensor([float(v) for v in values])

    feedback = ex.check_3(answer)
    assert isinstance(feedback, Feedback) and not feedback.ok
