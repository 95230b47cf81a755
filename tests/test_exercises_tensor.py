"""第 1 课“张量”练习检查器的单元测试。"""

from __future__ import annotations

import torch

from lessons.exercises import tensor as ex

# ---------- 练习 1 ----------


def test_check_1_none_is_not_answered():
    feedback = ex.check_1(None)
    assert feedback.answered is False
    assert not feedback


def test_check_1_reference_passes():
    answer = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    assert ex.check_1(answer)


def test_check_1_int_dtype_hint():
    feedback = ex.check_1(torch.arange(12).reshape(3, 4))
    assert not feedback
    assert "dtype=torch.float32" in feedback.message


def test_check_1_flat_shape_hint():
    feedback = ex.check_1(torch.arange(12.0))
    assert not feedback
    assert ".reshape(3, 4)" in feedback.message


def test_check_1_transposed_shape_hint():
    feedback = ex.check_1(torch.arange(12.0).reshape(4, 3))
    assert not feedback
    assert "形状反了" in feedback.message


def test_check_1_starts_at_one_hint():
    feedback = ex.check_1(torch.arange(1.0, 13.0).reshape(3, 4))
    assert not feedback
    assert "从 1 开始" in feedback.message


def test_check_1_list_hint():
    feedback = ex.check_1([[0.0, 1.0, 2.0, 3.0]])
    assert not feedback
    assert "不是张量" in feedback.message


def test_check_1_wrong_type_does_not_raise():
    feedback = ex.check_1("张量")
    assert not feedback
    assert "torch.Tensor" in feedback.message


# ---------- 练习 2 ----------


def center_rows(x):
    return x - x.mean(dim=1, keepdim=True)


def test_check_2_none_is_not_answered():
    assert ex.check_2(None).answered is False


def test_check_2_stub_is_not_answered():
    def stub(x):
        return None

    feedback = ex.check_2(stub)
    assert feedback.answered is False
    assert "return None" in feedback.message


def test_check_2_reference_passes():
    assert ex.check_2(center_rows)


def test_check_2_missing_keepdim_hint():
    feedback = ex.check_2(lambda x: x - x.mean(dim=1))
    assert not feedback
    assert "keepdim=True" in feedback.message
    assert "RuntimeError" in feedback.message


def test_check_2_missing_keepdim_on_square_matrix():
    # 学习者只对方阵做了特殊处理：非方阵时正确，方阵时忘了 keepdim
    def sometimes(x):
        if x.shape[0] == x.shape[1]:
            return x - x.mean(dim=1)
        return center_rows(x)

    feedback = ex.check_2(sometimes)
    assert not feedback
    assert "错位" in feedback.message


def test_check_2_column_mean_hint():
    feedback = ex.check_2(lambda x: x - x.mean(dim=0, keepdim=True))
    assert not feedback
    assert "每一列的均值" in feedback.message


def test_check_2_global_mean_hint():
    feedback = ex.check_2(lambda x: x - x.mean())
    assert not feedback
    assert "全部元素的均值" in feedback.message


def test_check_2_in_place_hint():
    def in_place(x):
        x -= x.mean(dim=1, keepdim=True)
        return x

    feedback = ex.check_2(in_place)
    assert not feedback
    assert "改动了传入的 x" in feedback.message


def test_check_2_not_a_function():
    feedback = ex.check_2(torch.zeros(3, 4))
    assert not feedback
    assert "应该是一个函数" in feedback.message


def test_check_2_exception_is_reported():
    def broken(x):
        raise ValueError("出错了")

    feedback = ex.check_2(broken)
    assert not feedback
    assert "ValueError: 出错了" in feedback.message


# ---------- 练习 3 ----------


def columns_flat(m):
    return m.T.reshape(-1).clone()


def test_check_3_none_is_not_answered():
    assert ex.check_3(None).answered is False


def test_check_3_stub_is_not_answered():
    assert ex.check_3(lambda m: None).answered is False


def test_check_3_reference_passes():
    assert ex.check_3(columns_flat)


def test_check_3_view_error_hint():
    feedback = ex.check_3(lambda m: m.T.view(-1))
    assert not feedback
    assert "view size is not compatible" in feedback.message
    assert "contiguous" in feedback.message


def test_check_3_shared_storage_hint():
    feedback = ex.check_3(lambda m: m.T.reshape(-1))
    assert not feedback
    assert "共享存储" in feedback.message
    assert "(3, 1)" in feedback.message


def test_check_3_contiguous_view_shares_storage():
    feedback = ex.check_3(lambda m: m.T.contiguous().view(-1))
    assert not feedback
    assert ".clone()" in feedback.message


def test_check_3_row_order_hint():
    feedback = ex.check_3(lambda m: m.reshape(-1).clone())
    assert not feedback
    assert "按行展开" in feedback.message


def test_check_3_not_flat_hint():
    feedback = ex.check_3(lambda m: m.T.clone())
    assert not feedback
    assert "一维张量" in feedback.message


def test_check_3_modifies_input_hint():
    def modifies(m):
        m.mul_(2)
        return (m.T.reshape(-1) / 2).clone()

    feedback = ex.check_3(modifies)
    assert not feedback
    assert "改动了传入的 m" in feedback.message


def test_check_3_returns_list_does_not_raise():
    feedback = ex.check_3(lambda m: m.T.reshape(-1).tolist())
    assert not feedback
    assert "torch.Tensor" in feedback.message
