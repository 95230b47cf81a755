"""课程目录：书里有哪些页面、哪些课，只有一个来源——仓库根目录的 ``_toc.yml``。

测试、tools/ 中的脚本和网站扩展都从这里读课程列表。新增一课只需三步：写好孪生文件
``notebooks/NN_名字.py``（并用 tools/refresh.py 生成 .ipynb）、把它加进 ``_toc.yml``、
在 ``src/lessons/exercises/`` 中写它的练习检查器。
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TOC = ROOT / "_toc.yml"


def toc_entries(toc: Path = TOC) -> list[str]:
    """``_toc.yml`` 中的全部页面（不含扩展名），按网站上的顺序，如 ``["book/preface", "book/setup", ...]``。"""
    try:
        data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"找不到目录文件 {toc}：书的根目录应有 _toc.yml。") from None
    if not isinstance(data, dict) or "root" not in data:
        raise SystemExit(f"{toc} 应是 Jupyter Book 的 jb-book 格式目录，并且有 root 一项。")
    entries = [str(data["root"])]

    def walk(items) -> None:
        for item in items or []:
            if isinstance(item, dict):
                if "file" in item:
                    entries.append(str(item["file"]))
                for key in ("parts", "chapters", "sections"):
                    walk(item.get(key))

    walk(data.get("parts"))
    walk(data.get("chapters"))
    return [str(Path(entry).with_suffix("")) if Path(entry).suffix in (".md", ".ipynb", ".py") else entry for entry in entries]


def lesson_names(toc: Path = TOC) -> list[str]:
    """课程笔记本的文件名（不含扩展名），按目录顺序，如 ``["00_getting_started", "01_tensor", ...]``。"""
    return [Path(entry).name for entry in toc_entries(toc) if Path(entry).parent.name == "notebooks"]


def lesson_notebooks(root: Path = ROOT) -> list[Path]:
    """课程笔记本 ``notebooks/NN_名字.ipynb`` 的路径，按目录顺序。"""
    return [root / "notebooks" / f"{name}.ipynb" for name in lesson_names(root / "_toc.yml")]


def lesson_twins(root: Path = ROOT) -> list[Path]:
    """课程孪生文件 ``notebooks/NN_名字.py`` 的路径，按目录顺序。"""
    return [root / "notebooks" / f"{name}.py" for name in lesson_names(root / "_toc.yml")]


if __name__ == "__main__":
    for name in lesson_names():
        print(name)
