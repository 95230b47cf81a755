"""第 2 课（运算符重载）练习检查器的单元测试。"""

from __future__ import annotations

import torch

from lessons.exercises import operators as ex

# ---------------------------------------------------------------- 课上的 Value 类（与笔记本相同）


class Value:
    """一个会记住自己来历的标量（与 notebooks/02_operator_overloading.py 中的定义相同）。"""

    def __init__(self, data, parents=(), op="", local_grads=()):
        self.data = float(data)
        self.parents = tuple(parents)
        self.op = op
        self.local_grads = tuple(local_grads)
        self.grad = 0.0
        self.label = ""

    def __repr__(self):
        if not self.parents:
            return f"Value(data={self.data:g})"
        inputs = ", ".join(f"{p.data:g}" for p in self.parents)
        return f"Value(data={self.data:g}, op='{self.op}', parents=({inputs}))"

    def _lift(self, other):
        return other if isinstance(other, Value) else type(self)(other)

    def __add__(self, other):
        other = self._lift(other)
        return type(self)(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other):
        other = self._lift(other)
        return type(self)(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other


def topological_order(out):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(out)
    return order


def backward(self):
    self.grad = 1.0
    for node in reversed(topological_order(self)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += node.grad * local


Value.backward = backward


# ---------------------------------------------------------------- 练习 1


def test_check_1_none_is_not_answered():
    assert ex.check_1(None).answered is False


def test_check_1_reference_passes():
    answer = ([-3, -2, 1, 2], [2, 0, 2, 1])
    assert ex.check_1(answer).ok


def test_check_1_accepts_tensors():
    a = torch.tensor([-7, -6, 5, 7])
    assert ex.check_1((a // 3, a % 3)).ok


def test_check_1_truncation_gets_hint():
    feedback = ex.check_1(([-2, -2, 1, 2], [2, 0, 2, 1]))
    assert not feedback.ok
    assert "向零取整" in feedback.message


def test_check_1_fmod_remainder_gets_hint():
    feedback = ex.check_1(([-3, -2, 1, 2], [-1, 0, 2, 1]))
    assert not feedback.ok
    assert "余数符号跟除数一致" in feedback.message or "余数的符号跟了被除数" in feedback.message


def test_check_1_wrong_type_does_not_raise():
    assert "两个列表" in ex.check_1("-3, -2, 1, 2").message
    assert "各有 4 个数" in ex.check_1(([1], [2])).message


# ---------------------------------------------------------------- 练习 2


def function_form(x, w, b):
    return torch.gt(torch.pow(torch.add(torch.matmul(x, w), b), 2), 1)


def test_check_2_none_is_not_answered():
    assert ex.check_2(None).answered is False


def test_check_2_stub_returning_none_is_not_answered():
    def stub(x, w, b):
        return None

    assert ex.check_2(stub).answered is False


def test_check_2_reference_passes():
    assert ex.check_2(function_form).ok


def test_check_2_operators_are_reported():
    def with_operators(x, w, b):
        return (x @ w + b) ** 2 > 1

    feedback = ex.check_2(with_operators)
    assert not feedback.ok
    assert "还用到了运算符" in feedback.message
    assert "`@`" in feedback.message


def test_check_2_elementwise_product_gets_hint():
    def with_mul(x, w, b):
        return torch.gt(torch.pow(torch.add(torch.mul(x, w), b), 2), 1)

    feedback = ex.check_2(with_mul)
    assert not feedback.ok
    assert "torch.matmul" in feedback.message


def test_check_2_missing_comparison_gets_hint():
    def no_compare(x, w, b):
        return torch.pow(torch.add(torch.matmul(x, w), b), 2)

    assert "布尔张量" in ex.check_2(no_compare).message


def test_check_2_times_two_gets_hint():
    def times_two(x, w, b):
        return torch.gt(torch.mul(torch.add(torch.matmul(x, w), b), 2), 1)

    assert "不是乘以 2" in ex.check_2(times_two).message


def test_check_2_exception_is_reported():
    def broken(x, w, b):
        return torch.matmul(w, x)

    feedback = ex.check_2(broken)
    assert not feedback.ok
    assert "调用你的函数时出错" in feedback.message


def test_check_2_not_callable():
    assert "应该是一个函数" in ex.check_2(42).message


# ---------------------------------------------------------------- 练习 3


class MyValue(Value):
    def __sub__(self, other):
        other = self._lift(other)
        return type(self)(self.data - other.data, (self, other), "-", (1.0, -1.0))

    def __rsub__(self, other):
        return self._lift(other) - self

    def __pow__(self, n):
        return type(self)(self.data**n, (self,), f"**{n}", (n * self.data ** (n - 1),))


def test_check_3_none_is_not_answered():
    assert ex.check_3(None).answered is False


def test_check_3_reference_passes():
    feedback = ex.check_3(MyValue)
    assert feedback.ok, feedback.message


def test_check_3_plain_value_has_no_sub():
    assert "__sub__" in ex.check_3(Value).message


def test_check_3_wrong_sub_gradient_gets_hint():
    class WrongSub(MyValue):
        def __sub__(self, other):
            other = self._lift(other)
            return type(self)(self.data - other.data, (self, other), "-", (1.0, 1.0))

    assert "局部导数是 -1" in ex.check_3(WrongSub).message


def test_check_3_pow_without_n_gets_hint():
    class WrongPow(MyValue):
        def __pow__(self, n):
            return type(self)(self.data**n, (self,), f"**{n}", (self.data ** (n - 1),))

    assert "n * x ** (n - 1)" in ex.check_3(WrongPow).message


def test_check_3_missing_rsub_gets_hint():
    class NoRsub(Value):
        __sub__ = MyValue.__sub__
        __pow__ = MyValue.__pow__

    assert "__rsub__" in ex.check_3(NoRsub).message


def test_check_3_reversed_rsub_gets_hint():
    class Reversed(MyValue):
        def __rsub__(self, other):
            return self - other

    assert "other - self" in ex.check_3(Reversed).message


def test_check_3_not_a_class():
    assert "应该是一个类" in ex.check_3(MyValue(1.0)).message
