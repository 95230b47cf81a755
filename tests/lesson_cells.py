"""测试用的工具：从课程孪生文件中读出练习与参考答案，以及“每个单元格运行两次”的检查。

参考答案只有一份：笔记本里 ``<details>`` 中的代码；练习检查器的测试从这里读出它来运行。
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import jupytext
from nbclient import NotebookClient

#: 故意每次运行都不同的单元格（例如演示状态变化）：只要求不出错，且第二次的输出用中文说明了变化
RERUN_CHANGES_TAG = "rerun-changes"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def lesson_solutions(twin: Path) -> dict[int, tuple[str, str, str]]:
    """读出每道练习的 (答案单元格的代码, <details> 中参考答案的代码, 交给检查器的变量名)。"""
    notebook = jupytext.read(twin)
    current: int | None = None
    cells: dict[int, str] = {}
    solutions: dict[int, str] = {}
    names: dict[int, str] = {}
    pattern = re.compile(r"^### 练习 (\d+)|<details>.*?```python\n(.*?)```.*?</details>", re.S | re.M)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for match in pattern.finditer(cell.source):
                if match.group(1):
                    current = int(match.group(1))
                elif current is not None:
                    solutions[current] = match.group(2)
        elif current is not None:
            call = re.search(r"ex\.check_(\d+)\((\w+)\)", cell.source)
            if call:
                cells[current], names[current] = cell.source, call.group(2)
    return {n: (cells[n], solutions[n], names[n]) for n in sorted(cells)}


def lesson_imports(twin: Path) -> dict:
    """只执行笔记本中的 import 语句，得到参考答案运行所需的名字（torch、nn、optim、data……）。"""
    notebook = jupytext.read(twin)
    lines = [
        line
        for cell in notebook.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if line.startswith(("import ", "from "))
    ]
    namespace: dict = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - 课程自己的 import 语句
    return namespace


def _visible_outputs(outputs) -> list:
    """单元格输出中学习者看得到的部分：合并后的文字流、结果的文字和图片、错误。"""
    shown = ["".join(o.get("text", "") for o in outputs if o.output_type == "stream")]
    for o in outputs:
        if o.output_type in ("execute_result", "display_data"):
            data = o.get("data", {})
            shown.append((data.get("text/plain", ""), data.get("image/png", ""), data.get("text/html", "")))
        elif o.output_type == "error":
            shown.append(("error", o.get("ename"), o.get("evalue")))
    return shown


def _text(shown: list) -> str:
    return "".join(part if isinstance(part, str) else str(part[0]) for part in shown)


def rerun_problems(twin: Path) -> list[str]:
    """在全新的内核中运行笔记本，每个代码单元格连续运行两次；返回第二次出错或输出不同的单元格。

    标了 ``rerun-changes`` 的单元格故意每次不同：只要求不出错，并且第二次的输出里有中文说明。
    """
    notebook = jupytext.read(twin)
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        if cell.cell_type == "code":
            cells.append(copy.deepcopy(cell))
    notebook.cells = cells
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(twin.parent)}},
    )
    client.execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    problems = []
    for first, second in zip(code[::2], code[1::2]):
        once, twice = _visible_outputs(first.outputs), _visible_outputs(second.outputs)
        where = first.source.strip().splitlines()[0][:60] if first.source.strip() else "(空单元格)"
        tags = first.get("metadata", {}).get("tags", [])
        if any(isinstance(item, tuple) and item[0] == "error" for item in once + twice):
            problems.append(f"{where}：出错 {once[1:] + twice[1:]}")
        elif RERUN_CHANGES_TAG in tags:
            if not _CJK.search(_text(twice)):
                problems.append(f"{where}：标了 {RERUN_CHANGES_TAG}，但第二次运行的输出没有用中文说明变化")
        elif once != twice and "NBVAL_IGNORE_OUTPUT" not in first.source:
            problems.append(f"{where}：第二次运行的输出不同")
    return problems
