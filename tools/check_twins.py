"""检查每个笔记本与它的文本孪生文件是否一致。

用法（在仓库根目录）::

    python tools/check_twins.py                    # 检查 notebooks/
    python tools/check_twins.py 另一个目录          # 检查别的目录（测试用它检查临时副本）

比较方法：把 .ipynb 转成 py:percent 文本，与磁盘上的 .py 逐字比较。这样不依赖文件的修改时间
（``jupytext --sync`` 按修改时间决定以哪边为准，在刚克隆的仓库里是随机的）。
不一致时什么都不改，只报告差异并以非零状态退出；修复方法是运行 ``python tools/refresh.py 那个.py``。
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def twin_text(notebook: Path) -> str:
    """笔记本按本仓库的 jupytext 配置转换成的 py:percent 文本。"""
    nb = jupytext.read(notebook)
    config = jupytext.config.load_jupytext_config(str(notebook))
    return jupytext.writes(nb, fmt="py:percent", config=config)


def shown(path: Path) -> Path:
    """消息里显示的路径：仓库里的文件写相对路径（notebooks/01_tensor.py），其他地方的文件写完整路径。"""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def problems(folder: Path = NOTEBOOKS) -> list[str]:
    """返回 ``folder``（默认 notebooks/）中所有不一致之处的中文描述；全部一致时返回空列表。"""
    found = []
    folder = Path(folder).resolve()
    notebooks = sorted(folder.glob("*.ipynb"))
    twins = sorted(folder.glob("*.py"))
    for twin in twins:
        if not twin.with_suffix(".ipynb").is_file():
            found.append(f"{shown(twin)} 没有对应的笔记本：运行 python tools/refresh.py {shown(twin)}")
    for notebook in notebooks:
        twin = notebook.with_suffix(".py")
        rel = shown(notebook)
        if not twin.is_file():
            found.append(f"{rel} 没有文本孪生文件：运行 jupytext --to py:percent {rel}")
            continue
        expected = twin_text(notebook)
        actual = twin.read_text(encoding="utf-8")
        if expected != actual:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    fromfile=f"{rel}（笔记本）",
                    tofile=f"{shown(twin)}（孪生文件）",
                    n=1,
                )
            )
            found.append(
                f"{rel} 与 {twin.name} 不一致：编辑 .py 后运行 python tools/refresh.py {shown(twin)}\n{diff[:3000]}"
            )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查每个笔记本与它的文本孪生文件是否一致")
    parser.add_argument("folder", nargs="?", type=Path, default=NOTEBOOKS, help="笔记本所在的目录（默认 notebooks/）")
    folder = parser.parse_args(argv).folder
    if not folder.is_dir():
        print(f"✗ 找不到目录 {folder}：请给出笔记本所在的目录，例如 notebooks。")
        return 2
    found = problems(folder)
    for item in found:
        print("✗", item)
    if found:
        return 1
    print(f"✓ {len(list(folder.glob('*.ipynb')))} 个笔记本与孪生文件一致")
    return 0


if __name__ == "__main__":
    sys.exit(main())
