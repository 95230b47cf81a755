"""测试共用的路径与夹具。"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SITE = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "artifacts"


def lesson_notebooks() -> list[Path]:
    """课程笔记本（notebooks/NN_*.ipynb），按编号排序。"""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="session")
def site() -> Path:
    """构建好的网站目录；没有构建时给出明确的提示而不是跳过。"""
    index = SITE / "index.html"
    if not index.is_file():
        pytest.fail("没有找到构建好的网站 _build/html：请先运行 `jupyter-book build . -W`（bash tools/test.sh 会自动构建）。")
    return SITE
