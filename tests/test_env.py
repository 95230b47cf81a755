"""lessons.env：种子、设备选择、Colab 判断、setup。"""

import random
import sys
import types

import numpy as np
import pytest
import torch

import lessons
from lessons import env


def _draws():
    return (random.random(), float(np.random.rand()), torch.rand(1).item())


def test_seed_everything_makes_python_numpy_torch_repeatable():
    lessons.seed_everything(123)
    first = _draws()
    lessons.seed_everything(123)
    second = _draws()
    assert first == second


def test_different_seeds_give_different_numbers_in_every_library():
    """种子真的被用上了：只比较同一个种子的两次结果，发现不了“忽略参数、总用 0”的错误。"""
    lessons.seed_everything(1)
    one = _draws()
    lessons.seed_everything(2)
    two = _draws()
    assert all(a != b for a, b in zip(one, two)), (one, two)


def test_seed_everything_uses_exactly_the_given_seed():
    lessons.seed_everything(2)
    got = _draws()
    random.seed(2)
    np.random.seed(2)
    torch.manual_seed(2)
    assert got == _draws()


def test_numpy_integer_seed_is_the_same_as_python_int():
    lessons.seed_everything(np.int64(5))
    a = _draws()
    lessons.seed_everything(5)
    assert _draws() == a


@pytest.mark.parametrize("bad", ["0", 1.5, True, None, np.float64(2.0), torch.tensor(3)])
def test_seed_rejects_non_integers_in_chinese(bad):
    with pytest.raises(TypeError, match="随机种子 seed 必须是整数"):
        lessons.seed_everything(bad)


@pytest.mark.parametrize("bad", [-1, 2**32])
def test_seed_rejects_out_of_range(bad):
    with pytest.raises(ValueError, match="0 到 2\\*\\*32 - 1"):
        lessons.seed_everything(bad)


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
    monkeypatch.setenv(env.DEVICE_ENV_VAR, " CPU ")
    assert lessons.get_device() == torch.device("cpu")
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "")  # 空字符串等于没有设置
    assert lessons.get_device() == torch.device("cuda")


def test_prefer_beats_the_environment_variable(monkeypatch):
    """文档说的优先级：prefer 参数 > 环境变量 LESSONS_DEVICE > 自动选择。两个方向都要检查。"""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(env, "_mps_available", lambda: True)
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    assert lessons.get_device("cuda") == torch.device("cuda")
    assert lessons.get_device("mps") == torch.device("mps")
    assert lessons.get_device() == torch.device("cpu")
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "mps")
    assert lessons.get_device("cpu") == torch.device("cpu")
    assert lessons.get_device() == torch.device("mps")
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "gpu")  # 环境变量写错了，prefer 仍然可用
    assert lessons.get_device("cpu") == torch.device("cpu")
    with pytest.raises(ValueError, match="环境变量 LESSONS_DEVICE 是不认识的设备名 'gpu'"):
        lessons.get_device()


def test_get_device_accepts_torch_device_and_index(monkeypatch):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    assert lessons.get_device(torch.device("cpu")) == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert lessons.get_device("cuda:1") == torch.device("cuda:1")
    with pytest.raises(RuntimeError, match="只有 2 块 CUDA 显卡，没有 cuda:2"):
        lessons.get_device("cuda:2")


@pytest.mark.parametrize("bad", ["gpu", "cuda:", "cuda:x", "", " "])
def test_unknown_device_name_gets_chinese_hint(bad):
    with pytest.raises(ValueError, match=f"prefer 是不认识的设备名 {bad!r}"):
        lessons.get_device(bad)


@pytest.mark.parametrize("bad", [0, 1.0, ["cpu"]])
def test_device_of_wrong_type_gets_chinese_hint(bad):
    with pytest.raises(TypeError, match="prefer 必须是字符串或 torch.device"):
        lessons.get_device(bad)


def test_unavailable_device_gets_chinese_hint(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError, match="没有可用的 cuda 设备（来自 prefer）：请不传 prefer"):
        lessons.get_device("cuda")
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cuda")
    with pytest.raises(RuntimeError, match="请删除环境变量 LESSONS_DEVICE"):
        lessons.get_device()


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
    lessons.setup(seed=8)
    assert not torch.equal(a, torch.rand(2))
    assert result.device == torch.device("cpu")
    assert result.seed == 7
    assert result.in_colab is False
    assert result.font
    assert lessons.setup(seed=0, chinese_font=False).font == ""


def test_setup_accepts_numpy_seed(monkeypatch):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    result = lessons.setup(seed=np.int64(3))
    a = torch.rand(2)
    assert result.seed == 3 and type(result.seed) is int
    lessons.setup(seed=3)
    assert torch.equal(a, torch.rand(2))


@pytest.fixture
def restore_threads():
    before = torch.get_num_threads()
    yield before
    torch.set_num_threads(before)


def test_setup_uses_one_cpu_thread_by_default(monkeypatch, restore_threads):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    torch.set_num_threads(3)
    lessons.setup(seed=0)
    assert torch.get_num_threads() == 1
    lessons.setup(seed=0, cpu_threads=np.int64(2))
    assert torch.get_num_threads() == 2


def test_setup_with_cpu_threads_none_leaves_threads_alone(monkeypatch, restore_threads):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    torch.set_num_threads(3)
    lessons.setup(seed=0, cpu_threads=None)
    assert torch.get_num_threads() == 3


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"cpu_threads": 0}, ValueError, "cpu_threads 必须是正整数或 None"),
        ({"cpu_threads": env.MAX_CPU_THREADS + 1}, ValueError, "不超过 256.*课程里用 1 就够了；传 None 表示不改变 PyTorch 的线程数。"),
        ({"cpu_threads": 1.5}, TypeError, "cpu_threads 必须是正整数或 None"),
        ({"cpu_threads": True}, TypeError, "cpu_threads 必须是正整数或 None"),
        ({"cpu_threads": 2, "seed": "0"}, TypeError, "随机种子 seed 必须是整数"),
        ({"cpu_threads": 2, "seed": -3}, ValueError, "随机种子 seed 必须在"),
        ({"cpu_threads": 2, "chinese_font": "yes"}, TypeError, "chinese_font 必须是 True 或 False"),
    ],
)
def test_setup_checks_everything_before_changing_anything(monkeypatch, restore_threads, kwargs, error, message):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    torch.set_num_threads(3)
    with pytest.raises(error, match=message):
        lessons.setup(**kwargs)
    assert torch.get_num_threads() == 3


def test_mps_availability_is_read_from_torch(monkeypatch):
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert env._mps_available() is True
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert env._mps_available() is False
    monkeypatch.setattr(torch, "backends", types.SimpleNamespace())  # 很旧的 PyTorch 没有 torch.backends.mps
    assert env._mps_available() is False


def test_default_seed_is_zero(monkeypatch):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    lessons.seed_everything()
    a = _draws()
    lessons.seed_everything(0)
    assert _draws() == a
    assert lessons.setup().seed == 0
    b = _draws()
    lessons.setup(seed=0)
    assert _draws() == b


def test_largest_allowed_thread_count_is_accepted(monkeypatch, restore_threads):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    lessons.setup(cpu_threads=env.MAX_CPU_THREADS)
    assert torch.get_num_threads() == env.MAX_CPU_THREADS


@pytest.mark.parametrize(
    ("call", "received"),
    [
        (lambda: lessons.setup(cpu_threads=1.5), "收到的是 float 类型的 1.5"),
        (lambda: lessons.get_device(0), "收到的是 int 类型的 0"),
        (lambda: lessons.seed_everything("7"), "收到的是 str 类型的 '7'"),
    ],
)
def test_errors_show_what_was_received(monkeypatch, restore_threads, call, received):
    monkeypatch.setenv(env.DEVICE_ENV_VAR, "cpu")
    with pytest.raises(TypeError, match=received):
        call()
