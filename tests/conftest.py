"""测试共用的路径与夹具。"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: 构建好的网站；COURSE_SITE 可指向别处构建的副本（例如与另一个构建并行测试时）
SITE = Path(os.environ.get("COURSE_SITE") or ROOT / "_build" / "html")
ARTIFACTS = ROOT / "artifacts"
#: hypothesis 的缓存（例子数据库、常量表）放在临时目录里，不在仓库中留下 .hypothesis/
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "lessons-hypothesis"))

sys.path.insert(0, str(ROOT / "tools"))
import course_toc  # noqa: E402


def lesson_notebooks() -> list[Path]:
    """课程笔记本（notebooks/NN_*.ipynb），按 _toc.yml 的顺序（课程列表的唯一来源：tools/course_toc.py）。"""
    return course_toc.lesson_notebooks(ROOT)


@pytest.fixture(scope="session")
def site() -> Path:
    """构建好的网站目录；没有构建时给出明确的提示而不是跳过。"""
    index = SITE / "index.html"
    if not index.is_file():
        pytest.fail("没有找到构建好的网站 _build/html：请先运行 `jupyter-book build . -W`（bash tools/test.sh 会自动构建）。")
    return SITE


@pytest.fixture(scope="module")
def browser():
    """无头 Chromium（网站测试与自测题测试共用）；没有 playwright 或 Chromium 时本机跳过、CI 中失败。"""
    from site_browser import CHROMIUM_ARGS
    from test_browser import chromium_path, require_playwright

    api = require_playwright()
    executable = chromium_path(api)
    with api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def skip_or_fail(reason: str) -> NoReturn:
    """缺少测试需要的工具（浏览器、playwright 等）时调用：本机上跳过测试，CI 中让测试失败。

    CI（设置了环境变量 ``CI``）必须具备全部工具；在那里跳过，整组测试就会悄悄地什么也没检查。
    """
    if os.environ.get("CI"):
        pytest.fail(f"CI 中不允许跳过：{reason}", pytrace=False)
    pytest.skip(reason)


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def stable_id(value) -> str:
    """参数化测试的名字：repr 去掉内存地址。

    pytest-xdist 要求两个进程收集到名字完全相同的测试；``<generator object ... at 0x7f…>``
    这样带地址的名字每个进程都不同，整个测试运行就会失败。
    """
    return _ADDRESS.sub("", repr(value))


def pytest_collection_modifyitems(config, items):
    """任何测试的名字里出现内存地址都立即报错（单进程运行时也能发现，不必等到 -n 2）。"""
    unstable = [item.nodeid for item in items if _ADDRESS.search(item.nodeid)]
    if unstable:
        raise pytest.UsageError(
            "这些测试的名字里有内存地址，多进程运行（pytest -n 2）时两边收集到的名字不同："
            f"{unstable[:3]}。给 parametrize 传 ids=stable_id（from conftest import stable_id）。"
        )
