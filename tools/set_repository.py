"""把 _config.yml 中的仓库地址和分支同步到每个笔记本的第一个单元格。

复刻（fork）本课程后：先改 _config.yml 里 ``repository.url`` 和 ``repository.branch``，再运行::

    python tools/set_repository.py

它只替换第一个单元格中的安装地址（.ipynb 与 .py 孪生文件同时修改），不重新运行笔记本。
加 ``--check`` 只检查、不修改：地址不一致，或第一个单元格不是标准的 Colab 单元格（:func:`colab_cell`）时，
以非零状态退出。``--root 目录`` 换一个课程根目录（测试用它检查临时副本）。
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml
from course_toc import lesson_notebooks, lesson_twins

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

#: 第一个单元格中安装地址的形式：lessons @ git+<仓库地址>@<分支>
INSTALL_SPEC = re.compile(r'"lessons @ git\+(?P<url>[^"@\s]+)@(?P<branch>[^"\s]+)"')


def repository(root: Path = ROOT) -> tuple[str, str]:
    """从 ``root``（默认仓库根目录）下的 _config.yml 读出仓库地址与分支。"""
    config = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8"))
    repo = config.get("repository") or {}
    url, branch = repo.get("url"), repo.get("branch")
    if not url or not branch:
        raise SystemExit("_config.yml 中缺少 repository.url 或 repository.branch：请把两项都填上。")
    if not re.fullmatch(r"https://[^\s\"@]+", url):
        raise SystemExit(f"repository.url 应是 https:// 开头、不含空格和 @ 的地址，现在是 {url!r}。")
    return url.rstrip("/"), branch


def colab_cell(url: str, branch: str) -> str:
    """每个笔记本第一个代码单元格的标准内容。"""
    return (
        "# 在 Colab 中安装课程辅助包 lessons（含中文字体）；在本地什么也不做。\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    subprocess.run(\n"
        '        [sys.executable, "-m", "pip", "install", "--quiet",\n'
        f'         "lessons @ git+{url}@{branch}"],\n'
        "        check=True,\n"
        "    )"
    )


def first_code_cell(path: Path) -> str:
    """笔记本（.ipynb）或 py:percent 孪生文件（.py）中第一个代码单元格的源码。"""
    nb = nbformat.read(path, as_version=4) if path.suffix == ".ipynb" else jupytext.read(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            return cell.source
    return ""


def _install_specs(path: Path) -> list[tuple[str, str]]:
    text = first_code_cell(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    return INSTALL_SPEC.findall(text)


def _rewrite(path: Path, wanted: str) -> None:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        cell = next(c for c in nb.cells if c.cell_type == "code")
        cell.source = INSTALL_SPEC.sub(wanted, cell.source)
        nbformat.write(nb, path)
    else:
        path.write_text(INSTALL_SPEC.sub(wanted, path.read_text(encoding="utf-8")), encoding="utf-8")


def sync(check_only: bool, root: Path = ROOT) -> list[str]:
    """检查（并在 check_only=False 时修正）每个笔记本与孪生文件中的安装地址，返回不一致的文件。

    只检查时还比较整个第一个单元格与标准的 :func:`colab_cell`（例如 Colab 的判断条件被改掉了）；
    这种不一致不自动修改，由人决定以哪边为准。
    """
    root = Path(root)
    url, branch = repository(root)
    wanted = f'"lessons @ git+{url}@{branch}"'
    stale = []
    for path in lesson_notebooks(root) + lesson_twins(root):
        rel = path.relative_to(root)
        found = _install_specs(path)
        if not found:
            stale.append(f"{rel}：第一个单元格里没有找到安装命令 lessons @ git+…")
            continue
        if all((u, b) == (url, branch) for u, b in found):
            if check_only and first_code_cell(path) != colab_cell(url, branch):
                stale.append(
                    f"{rel}：第一个单元格与标准的 Colab 单元格（tools/set_repository.py 的 colab_cell）不同，"
                    "请把两者改成一致"
                )
            continue
        stale.append(f"{rel}：安装地址与 _config.yml 不一致")
        if not check_only:
            _rewrite(path, wanted)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把 _config.yml 的仓库地址同步到笔记本")
    parser.add_argument("--check", action="store_true", help="只检查，不修改")
    parser.add_argument("--root", type=Path, default=ROOT, help="课程的根目录（有 _config.yml 和 _toc.yml），默认是本仓库")
    args = parser.parse_args(argv)
    stale = sync(check_only=args.check, root=args.root)
    for line in stale:
        print(("✗ " if args.check else "已更新 ") + line)
    if args.check and stale:
        print("请运行 python tools/set_repository.py 同步。")
        return 1
    if not stale:
        print("✓ 所有笔记本的安装地址都与 _config.yml 一致")
    return 0


if __name__ == "__main__":
    sys.exit(main())
