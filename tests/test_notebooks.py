"""每个课程笔记本的结构与输出检查（不执行笔记本；执行与输出比对由 nbval 完成）。"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS, ROOT, lesson_notebooks

sys.path.insert(0, str(ROOT / "tools"))
import check_twins  # noqa: E402
import set_repository  # noqa: E402

NOTEBOOK_PATHS = lesson_notebooks()
LESSONS = [p for p in NOTEBOOK_PATHS if not p.name.startswith("00_")]

#: 输出中不应出现的东西：警告、机器上的路径、内存地址、缺字
BAD_OUTPUT = re.compile(
    r"Warning|warn\(|Glyph \d+|findfont|/site-packages/|/tmp/|/root/|/home/|[A-Z]:\\\\|0x[0-9a-fA-F]{6,}"
)
#: 只有 MyST 才认识的语法：在 Colab 和 JupyterLab 中不会渲染
MYST_ONLY = re.compile(r"^\s*(```|:::)\s*\{[a-z-]+\}|\{(?:math|ref|doc|numref|eq|term|download)\}`", re.M)
CJK = re.compile(r"[\u4e00-\u9fff]")


def read(path: Path):
    return nbformat.read(path, as_version=4)


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def output_text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    text = "".join(str(data.get(k, "")) for k in ("text/plain", "text/html", "text/markdown"))
    # 内嵌图片（base64，在 JS 字符串里还可能用反斜杠续行）不是文字
    return re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s\\]+", "data:…", text)


def test_toc_and_notebooks_folder_agree():
    """_toc.yml 是课程列表的唯一来源：目录里的每一课都有笔记本和孪生文件，
    notebooks/ 里的每个课程笔记本也都在目录中（忘了加进 _toc.yml 的一课不会出现在网站上）。"""
    listed = [p.stem for p in NOTEBOOK_PATHS]
    assert len(listed) >= 8 and listed == sorted(listed), f"_toc.yml 中的课程应按编号排列：{listed}"
    for path in NOTEBOOK_PATHS:
        assert path.is_file() and path.with_suffix(".py").is_file(), f"_toc.yml 列出了 {path.stem}，但缺少它的 .ipynb 或 .py"
    on_disk = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    missing = sorted(set(on_disk) - set(listed))
    assert not missing, f"这些笔记本不在 _toc.yml 中，网站上看不到它们：{missing}（把它们加进 _toc.yml）"


def test_twins_match_notebooks():
    problems = check_twins.problems()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_first_cell_prepares_colab_from_the_configured_repository(path):
    url, branch = set_repository.repository()
    assert set_repository.first_code_cell(path) == set_repository.colab_cell(url, branch), (
        f"{path.name} 的第一个单元格与标准的 Colab 单元格不同：运行 python tools/set_repository.py"
    )


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_lesson_shape(path):
    nb = read(path)
    text = markdown(nb)
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)  # 代码块里的 # 是注释，不是标题
    assert prose.lstrip().startswith("# "), "笔记本应以一级标题开头"
    assert len(re.findall(r"^# ", prose, re.M)) == 1, "只能有一个一级标题"
    assert "导读" in text and "学习目标" in text
    assert re.search(r"^## 小结", text, re.M), "缺少“小结”一节"
    sources = "\n".join(c.source for c in code_cells(nb))
    assert re.search(r"^(import lessons|from lessons)", sources, re.M), "笔记本应使用 lessons 包"
    assert "lessons.setup(" in sources


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_graded_exercises_with_solutions_and_checkers(path):
    nb = read(path)
    text = markdown(nb)
    numbers = [int(n) for n in re.findall(r"^### 练习 (\d+)", text, re.M)]
    assert len(numbers) >= 3 and numbers == list(range(1, len(numbers) + 1)), f"练习编号：{numbers}"
    assert text.count("<summary>参考答案</summary>") >= len(numbers), "每道练习都要有可展开的参考答案"
    sources = "\n".join(c.source for c in code_cells(nb))
    for n in numbers:
        assert f"check_{n}(" in sources, f"练习 {n} 没有调用检查器 check_{n}"
    assert "from lessons.exercises import" in sources


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_exercise_numbers_come_from_the_checker_table(path):
    """编号只有一个来源：检查器模块的 EXERCISES 表，第 N 项就是“练习 N”，check_N 由 numbered 按位置生成。"""
    nb = read(path)
    numbers = [int(n) for n in re.findall(r"^### 练习 (\d+)", markdown(nb), re.M)]
    sources = "\n".join(c.source for c in code_cells(nb))
    imported = re.search(r"^from lessons\.exercises import (\w+) as ex$", sources, re.M)
    assert imported, "练习单元格应通过 from lessons.exercises import <模块> as ex 使用检查器"
    module = importlib.import_module(f"lessons.exercises.{imported.group(1)}")
    assert len(module.EXERCISES) == len(numbers) > 0, (
        f"{imported.group(1)}.EXERCISES 有 {len(module.EXERCISES)} 道练习，笔记本里有 {len(numbers)} 道"
    )
    for n, exercise in enumerate(module.EXERCISES, start=1):
        check = getattr(module, f"check_{n}")
        assert check.__doc__ == f"练习 {n}：{exercise.brief}", f"check_{n} 不是由 EXERCISES 第 {n} 项生成的"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_lesson_has_a_figure(path):
    nb = read(path)
    images = [o for c in code_cells(nb) for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, "每一课至少要有一张图"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_markdown_renders_everywhere(path):
    text = markdown(read(path))
    match = MYST_ONLY.search(text)
    assert match is None, f"出现了只有 MyST 认识的语法（Colab 中不会渲染）：{match.group(0)!r}"
    assert text.count("<details>") == text.count("</details>")


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_prose_is_chinese(path):
    text = markdown(read(path))
    prose = re.sub(r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|<[^<>\s][^<>]*>", "", text, flags=re.S)
    letters = re.findall(r"[A-Za-z]", prose)
    chinese = CJK.findall(prose)
    assert len(chinese) > 3 * len(letters), "正文应以中文为主"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_code_never_reaches_into_the_repository(path):
    sources = "\n".join(c.source for c in code_cells(read(path)))
    for bad in ("sys.path", "../src", "os.chdir", "PYTHONPATH"):
        assert bad not in sources, f"笔记本不应通过 {bad} 引用仓库里的文件：lessons 包要通过 pip 安装"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_outputs_are_clean(path):
    nb = read(path)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs or not cell.source.strip() or cell.execution_count, f"第 {index} 个单元格没有运行"
        for output in cell.outputs:
            assert output.output_type != "error", f"第 {index} 个单元格保存了错误输出：{output.get('ename')}"
            assert output.get("name") != "stderr", f"第 {index} 个单元格有 stderr 输出：{output.get('text', '')[:200]}"
            match = BAD_OUTPUT.search(output_text(output))
            assert match is None, f"第 {index} 个单元格的输出含有 {match.group(0)!r}"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_cells_were_run_in_order_in_one_fresh_kernel(path):
    counts = [c.execution_count for c in code_cells(read(path)) if c.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), "笔记本应在全新内核中从上到下运行一次（tools/refresh.py）"


def test_notebooks_folder_has_only_lessons_and_twins():
    extra = [
        p.name
        for p in NOTEBOOKS.iterdir()
        if not p.name.startswith(".") and not re.fullmatch(r"\d\d_[a-z_]+\.(ipynb|py)", p.name)
    ]
    assert extra == [], f"notebooks/ 里只放课程笔记本和孪生文件：{extra}"
