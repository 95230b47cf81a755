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
import re
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


#: JSON 字符串里的 \uXXXX 转义（前面有偶数个反斜杠，即这个反斜杠本身没有被转义）；代理对一起匹配
_JSON_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}|[0-9a-f]{4})", re.I)


def readable_cell_headers(text: str) -> str:
    """``# %%`` 行中单元格元数据里的 \\uXXXX 转义换回汉字。

    jupytext 用 ``json.dumps`` 写单元格元数据（例如图的替代文字 ``mystnb={"image": {"alt": …}}``），
    汉字都成了 \\u4e24 这样的转义，审阅孪生文件的差异时读不出来。JSON 本来就允许直接写汉字，
    jupytext 读回时两种写法得到相同的元数据。
    """

    def decode(m: re.Match) -> str:
        code = m.group(2).replace("\\u", "")
        char = chr(int(code, 16)) if len(code) == 4 else (
            (bytes.fromhex(code[:4]) + bytes.fromhex(code[4:])).decode("utf-16-be")
        )
        # 控制字符和引号保持转义，免得改变 JSON 的含义
        return m.group(0) if char < " " or char in '"\\' else m.group(1) + char

    return "".join(
        _JSON_ESCAPE.sub(decode, line) if line.startswith("# %%") else line for line in text.splitlines(keepends=True)
    )


def twin_text(notebook: Path) -> str:
    """笔记本按本仓库的 jupytext 配置转换成的 py:percent 文本（单元格元数据中的汉字不转义）。"""
    nb = jupytext.read(notebook)
    config = jupytext.config.load_jupytext_config(str(notebook))
    return readable_cell_headers(jupytext.writes(nb, fmt="py:percent", config=config))


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
