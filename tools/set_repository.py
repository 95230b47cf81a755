"""把 _config.yml 中的仓库地址和分支同步到每个笔记本的第一个单元格。

复刻（fork）本课程后：先改 _config.yml 里 ``repository.url`` 和 ``repository.branch``，再运行::

    python tools/set_repository.py

它只替换第一个单元格中的安装地址（.ipynb 与 .py 孪生文件同时修改），不重新运行笔记本。
加 ``--check`` 只检查、不修改：地址不一致时以非零状态退出。
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
import yaml
from course_toc import lesson_notebooks, lesson_twins

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

#: 第一个单元格中安装地址的形式：lessons @ git+<仓库地址>@<分支>
INSTALL_SPEC = re.compile(r'"lessons @ git\+(?P<url>[^"@\s]+)@(?P<branch>[^"\s]+)"')


def repository() -> tuple[str, str]:
    """从 _config.yml 读出仓库地址与分支。"""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
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
    nb = nbformat.read(path, as_version=4)
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


def sync(check_only: bool) -> list[str]:
    """检查（并在 check_only=False 时修正）每个笔记本与孪生文件中的安装地址，返回不一致的文件。"""
    url, branch = repository()
    wanted = f'"lessons @ git+{url}@{branch}"'
    stale = []
    for path in lesson_notebooks() + lesson_twins():
        found = _install_specs(path)
        if not found:
            stale.append(f"{path.relative_to(ROOT)}：第一个单元格里没有找到安装命令 lessons @ git+…")
            continue
        if all((u, b) == (url, branch) for u, b in found):
            continue
        stale.append(f"{path.relative_to(ROOT)}：安装地址与 _config.yml 不一致")
        if not check_only:
            _rewrite(path, wanted)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把 _config.yml 的仓库地址同步到笔记本")
    parser.add_argument("--check", action="store_true", help="只检查，不修改")
    args = parser.parse_args(argv)
    stale = sync(check_only=args.check)
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
