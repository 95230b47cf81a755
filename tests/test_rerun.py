"""学习者常把单元格再运行一次：每一课的每个代码单元格连续运行两次，第二次不出错、输出与第一次相同。

故意每次不同的单元格标上 ``rerun-changes``，第二次的输出必须用中文说明变化（见 lesson_cells.py）。
"""

from __future__ import annotations

import pytest
from conftest import lesson_notebooks
from lesson_cells import rerun_problems

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("notebook", lesson_notebooks(), ids=lambda p: p.stem)
def test_every_cell_can_run_twice(notebook, monkeypatch):
    monkeypatch.setenv("LESSONS_DEVICE", "cpu")
    problems = rerun_problems(notebook.with_suffix(".py"))
    assert problems == [], f"{notebook.stem} 中这些单元格不能安全地再运行一次：\n" + "\n".join(problems)
