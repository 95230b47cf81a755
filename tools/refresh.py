"""从文本孪生文件重新生成笔记本，并在全新的内核中从头到尾运行一遍。

用法（在仓库根目录）::

    python tools/refresh.py notebooks/01_tensor.py      # 刷新一课
    python tools/refresh.py                             # 刷新全部课程

孪生文件（.py）是编辑的入口：改完 .py 后运行本命令，.ipynb 的代码、文字和输出都会更新。
也可以传入 .ipynb 的路径，效果相同（总是以同名的 .py 为准）。
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from check_twins import shown, twin_text
from course_toc import lesson_twins
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TIMEOUT = 120


def twin_of(path: Path) -> Path:
    """给出一个笔记本或孪生文件的路径，返回孪生文件（.py）的路径。"""
    if path.suffix not in (".py", ".ipynb"):
        raise SystemExit(f"refresh.py 只接受课程的 .py 或 .ipynb 文件，例如 notebooks/01_tensor.py；收到的是 {path}。")
    twin = path.with_suffix(".py")
    if not twin.is_file():
        raise SystemExit(f"找不到孪生文件 {twin}：请先创建它（jupytext --to py:percent {path}）。")
    return twin


def produced_with() -> dict[str, str]:
    """保存的输出是用哪些版本得到的：写进笔记本的元数据，网站在每课开头显示（book/_ext/course_pages.py）。

    内核（python3）与本脚本运行在同一个虚拟环境中，所以这里读到的版本就是内核的版本。
    """
    return {
        "python": platform.python_version(),
        "torch": importlib.metadata.version("torch"),
        "device": os.environ.get("LESSONS_DEVICE", "cpu"),
    }


def refresh(twin: Path) -> float:
    """读取孪生文件，执行，写回同名 .ipynb；返回执行用时（秒）。

    有单元格出错时抛出 ``CellExecutionError``，.ipynb 和 .py 都不改动。
    """
    notebook = jupytext.read(twin)
    notebook.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"})
    start = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(twin.parent)}},
    )
    client.execute()
    elapsed = time.perf_counter() - start
    notebook.metadata["course_outputs"] = produced_with()
    target = twin.with_suffix(".ipynb")
    nbformat.write(notebook, target)
    # 让孪生文件与笔记本逐字一致（jupytext 会规范化元数据，例如去掉 jupytext 的版本号）
    twin.write_text(twin_text(target), encoding="utf-8")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="要刷新的课程（.py 或 .ipynb）；不写则刷新 _toc.yml 中的全部课程")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("LESSONS_DEVICE", "cpu")
    twins = [twin_of(p.resolve()) for p in args.paths] or [twin_of(p) for p in lesson_twins()]
    if not twins:
        raise SystemExit("_toc.yml 中没有 notebooks/ 下的课程：先把课程加进目录。")
    for twin in twins:
        print(f"运行 {shown(twin)} …", flush=True)
        try:
            elapsed = refresh(twin)
        except CellExecutionError as err:
            raise SystemExit(f"{shown(twin)} 运行出错，{twin.with_suffix('.ipynb').name} 没有改动。出错的单元格：\n{err}") from None
        print(f"  完成，用时 {elapsed:.1f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
