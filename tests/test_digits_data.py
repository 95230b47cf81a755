"""lessons.data.digits（第 07 课的手写数字）的单元测试。"""

from __future__ import annotations

import socket

import pytest
import torch
from sklearn.datasets import load_digits

from lessons import data


def _rows(x: torch.Tensor) -> list[tuple[float, ...]]:
    return sorted(tuple(row) for row in x.tolist())


def test_shapes_types_and_sizes():
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = data.digits()
    assert [len(x_train), len(x_val), len(x_test)] == [1079, 359, 359]
    for x, y in ((x_train, y_train), (x_val, y_val), (x_test, y_test)):
        assert x.dtype == torch.float32 and x.shape[1:] == (64,)
        assert y.dtype == torch.long and y.shape == (len(x),)
        assert x.min() == 0 and x.max() == 16 and torch.equal(x, x.round())


def test_the_three_sets_are_exactly_the_whole_data_set():
    bunch = load_digits()
    splits = data.digits()
    x_all = torch.cat([x for x, _ in splits])
    y_all = torch.cat([y for _, y in splits])
    pairs = sorted(zip(map(tuple, x_all.tolist()), y_all.tolist()))
    expected = sorted(zip(map(tuple, bunch.data.tolist()), bunch.target.tolist()))
    assert pairs == expected


def test_split_is_stratified():
    bunch = load_digits()
    totals = torch.bincount(torch.tensor(bunch.target), minlength=10)
    (_, y_train), (_, y_val), (_, y_test) = data.digits(val_fraction=0.2, test_fraction=0.2)
    for y, fraction in ((y_val, 0.2), (y_test, 0.2)):
        counts = torch.bincount(y, minlength=10)
        assert counts.tolist() == [round(n * fraction) for n in totals.tolist()]
    assert (torch.bincount(y_train, minlength=10) > 0).all()


def test_each_set_is_shuffled():
    (_, y_train), _, _ = data.digits()
    # 分层切分后再打乱：同一个数字不会连成一大段
    assert (y_train[1:] != y_train[:-1]).float().mean() > 0.8


def test_same_seed_same_split_other_seed_other_split():
    a = data.digits(seed=3)
    b = data.digits(seed=3)
    c = data.digits(seed=4)
    for (xa, ya), (xb, yb) in zip(a, b):
        assert torch.equal(xa, xb) and torch.equal(ya, yb)
    assert not torch.equal(a[0][0], c[0][0])


def test_other_fractions():
    (x_train, _), (x_val, _), (x_test, _) = data.digits(val_fraction=0.1, test_fraction=0.3)
    assert len(x_train) + len(x_val) + len(x_test) == 1797
    assert abs(len(x_val) / 1797 - 0.1) < 0.01 and abs(len(x_test) / 1797 - 0.3) < 0.01


def test_returned_tensors_are_fresh():
    (x_train, y_train), _, _ = data.digits()
    x_train[:] = -1
    y_train[:] = -1
    (x_again, y_again), _, _ = data.digits()
    assert x_again.min() == 0 and y_again.min() == 0


def test_no_network_access(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("data.digits 不应访问网络")

    monkeypatch.setattr(data, "_DIGITS_CACHE", None)
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    (x_train, _), _, _ = data.digits()
    assert len(x_train) == 1079


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"seed": "0"}, TypeError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"val_fraction": "0.2"}, TypeError, "val_fraction"),
        ({"test_fraction": True}, TypeError, "test_fraction"),
        ({"val_fraction": 0}, ValueError, "val_fraction"),
        ({"test_fraction": 1.0}, ValueError, "test_fraction"),
        ({"val_fraction": -0.1}, ValueError, "0 到 1 之间"),
        ({"val_fraction": 0.5, "test_fraction": 0.5}, ValueError, "小于 1"),
        ({"val_fraction": 0.001}, ValueError, "分不到样本"),
        ({"val_fraction": 0.6, "test_fraction": 0.399}, ValueError, "分不到样本"),
    ],
)
def test_bad_arguments_raise_chinese_errors(kwargs, error, words):
    with pytest.raises(error, match=words):
        data.digits(**kwargs)
