"""lessons.env：种子、设备选择、Colab 判断、setup。"""

import random
import sys

import numpy as np
import pytest
import torch

import lessons
from lessons import env


def test_seed_everything_makes_python_numpy_torch_repeatable():
    lessons.seed_everything(123)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    lessons.seed_everything(123)
    second = (random.random(), np.random.rand(), torch.rand(1).item())
    assert first == second


@pytest.mark.parametrize("bad", ["0", 1.5, True, None])
def test_seed_rejects_non_integers_in_chinese(bad):
    with pytest.raises(TypeError, match="随机种子必须是整数"):
        lessons.seed_everything(bad)


def test_seed_rejects_out_of_range():
    with pytest.raises(ValueError, match="0 到 2\\*\\*32 - 1"):
        lessons.seed_everything(-1)


def test_get_device_prefers_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.delenv(env.DEVICE_ENV_VAR, raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(env, "_mps_available", lambda: False)
    assert lessons.get_device() == torch.device("cpu")
    monkeypatch.setattr(env, "_mps_available", lambda: True)
    assert lessons.get_device() == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert lessons.get_device() == torch.device("cuda")


def test_environment_variable_forces_device(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    assert lessons.get_device() == torch.device("cpu")


def test_unknown_device_name_gets_chinese_hint():
    with pytest.raises(ValueError, match="不认识的设备名 'gpu'"):
        lessons.get_device("gpu")


def test_unavailable_device_gets_chinese_hint(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError, match="没有可用的 cuda 设备"):
        lessons.get_device("cuda")


def test_in_colab_follows_google_colab_module(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert lessons.in_colab() is False
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert lessons.in_colab() is True


def test_setup_seeds_and_reports(monkeypatch):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    result = lessons.setup(seed=7)
    a = torch.rand(2)
    lessons.setup(seed=7)
    assert torch.equal(a, torch.rand(2))
    assert result.device == torch.device("cpu")
    assert result.seed == 7
    assert result.in_colab is False
    assert result.font


def test_setup_uses_one_cpu_thread_by_default(monkeypatch):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    before = torch.get_num_threads()
    try:
        lessons.setup(seed=0)
        assert torch.get_num_threads() == 1
        lessons.setup(seed=0, cpu_threads=None)
        assert torch.get_num_threads() == 1
        with pytest.raises(ValueError, match="cpu_threads 必须是正整数或 None"):
            lessons.setup(seed=0, cpu_threads=0)
    finally:
        torch.set_num_threads(before)
