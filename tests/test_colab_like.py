"""模拟 Colab：笔记本的第一个单元格真的安装 lessons，安装好的包能在只有 Colab 预装包的环境里运行每一课。

- :func:`test_first_cell_installs_lessons_in_colab_and_does_nothing_elsewhere`：在一个还没有 lessons
  的新虚拟环境里执行第一个单元格。导入了替身模块 ``google.colab`` 时（Colab 的内核启动时就导入了
  真的 ``google.colab``），单元格走 Colab 分支，用 pip 装上由本仓库构建的轮子（只把安装地址换成这个
  轮子，单元格的其余部分原样执行，不联网）；没有这个模块时（本地），它什么也不做。
- :func:`test_notebook_runs_alone_in_a_fresh_colab_like_environment`（slow，需要联网下载 torch）：
  一台全新的 Colab 机器，只有 Colab 预装的包（torch、numpy、matplotlib、ipykernel），再装上本仓库
  构建的轮子，把每个笔记本单独复制到空目录里运行。没有 requirements.txt 里的其他包，没有仓库里的
  任何文件，也没有系统中文字体之外的准备。
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import set_repository
from conftest import ROOT, lesson_notebooks
from nbclient import NotebookClient

COLAB_PREINSTALLED = ["torch==2.13.0", "numpy", "matplotlib", "ipykernel"]
KERNEL = "colab-like"


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def installed(python: Path) -> dict[str, str]:
    out = run(str(python), "-m", "pip", "list", "--format=json").stdout
    return {p["name"].lower(): p["version"] for p in json.loads(out)}


@pytest.fixture(scope="module")
def lessons_wheel(tmp_path_factory) -> Path:
    """由本仓库（工作区中的文件，不是某次提交）构建的 lessons 轮子。

    在临时副本里构建：setuptools 会在源码目录中写下 build/ 和 *.egg-info，仓库里不留下这些文件。
    用当前环境里的 setuptools 构建（--no-build-isolation），不需要联网。
    """
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(ROOT / "src" / "lessons", source / "src" / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    dist = base / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--wheel-dir", str(dist), str(source))
    (wheel,) = dist.glob("lessons-*.whl")
    return wheel


# ---------------------------------------------------------------- 第一个单元格在 Colab 中安装 lessons

#: 在新环境中执行第一个单元格的脚本：先确认 lessons 还不能导入，执行单元格，再试着导入 lessons
#: 并调用一个练习检查器。第一个参数是 colab 时先导入 google.colab（Colab 的内核启动时就导入了它）。
RUN_FIRST_CELL = """
import importlib, importlib.util, json, sys
if sys.argv[1] == "colab":
    import google.colab
before = importlib.util.find_spec("lessons")
cell = open(sys.argv[2], encoding="utf-8").read()
exec(compile(cell, "第一个单元格", "exec"), {"__name__": "__main__"})
importlib.invalidate_caches()
result = {"before": None if before is None else before.origin, "after": None}
if importlib.util.find_spec("lessons") is not None:
    import torch
    import lessons
    from lessons.exercises import start
    feedback = start.check_1(torch.tensor([1, 2, 3]))
    result.update(after=lessons.__file__, in_colab=lessons.in_colab(), ok=bool(feedback), feedback=str(feedback))
print(json.dumps(result, ensure_ascii=False))
"""


def borrowed_site_packages(target: Path) -> Path:
    """本环境 site-packages 里除 lessons 以外的一切（符号链接），代替 Colab 预装的 torch、numpy 等。

    不直接用 ``venv --system-site-packages``：本环境本身就是虚拟环境，它的包不在“系统”里；
    也不能把整个 site-packages 加进去，那样 lessons（以可编辑方式安装）不执行单元格也能导入。
    .pth 文件不链接：链接进来的目录不是 site 目录，其中的 .pth 本来也不会生效。
    """
    target.mkdir()
    (packages,) = {Path(p).resolve() for p in site.getsitepackages() if (Path(p) / "torch").is_dir()}
    for entry in packages.iterdir():
        if entry.suffix == ".pth" or entry.name.startswith(("lessons", "__editable__", "__pycache__")):
            continue
        (target / entry.name).symlink_to(entry)
    return target


@pytest.fixture(scope="module")
def bare_env(tmp_path_factory) -> Path:
    """一个新的虚拟环境，能用 torch、numpy、matplotlib、pip，但还没有 lessons。返回它的 python。"""
    base = tmp_path_factory.mktemp("bare")
    venv = base / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    purelib = run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    # 借来的包放在虚拟环境之外：pip 不会卸载环境之外的包，这个测试碰不到本环境
    borrowed = borrowed_site_packages(base / "borrowed")
    (Path(purelib) / "borrowed.pth").write_text(f"{borrowed}\n", encoding="utf-8")
    return python


def run_first_cell(python: Path, cell: Path, colab: bool, tmp_path: Path) -> dict:
    stub = tmp_path / "stub"
    (stub / "google" / "colab").mkdir(parents=True, exist_ok=True)  # 不写 google/__init__.py：命名空间包
    (stub / "google" / "colab" / "__init__.py").write_text('"""google.colab 的替身。"""\n', encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(
        PIP_NO_INDEX="1",  # 不联网：依赖都已借来，lessons 来自本地的轮子
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_CONFIG_FILE=os.devnull,
        PYTHONNOUSERSITE="1",
        MPLCONFIGDIR=str(tmp_path / "mpl"),
    )
    if colab:
        env["PYTHONPATH"] = str(stub)
    result = subprocess.run(
        [str(python), "-c", RUN_FIRST_CELL, "colab" if colab else "local", str(cell)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )
    assert result.returncode == 0, f"执行第一个单元格出错：\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_first_cell_installs_lessons_in_colab_and_does_nothing_elsewhere(bare_env, lessons_wheel, tmp_path):
    notebook = lesson_notebooks()[0]
    source = set_repository.first_code_cell(notebook)
    url, branch = set_repository.repository()
    spec = f"lessons @ git+{url}@{branch}"
    assert source.count(spec) == 1, f"{notebook.name} 的第一个单元格里应恰好有一处 {spec}"
    cell = tmp_path / "first_cell.py"
    cell.write_text(source.replace(spec, f"lessons @ {lessons_wheel.as_uri()}"), encoding="utf-8")

    local = run_first_cell(bare_env, cell, colab=False, tmp_path=tmp_path)
    assert local["before"] is None, f"执行单元格之前 lessons 就能导入（{local['before']}）：环境没有隔离好"
    assert local["after"] is None, "没有 google.colab 时（本地）第一个单元格不应安装任何东西"

    colab = run_first_cell(bare_env, cell, colab=True, tmp_path=tmp_path)
    assert colab["before"] is None, f"执行单元格之前 lessons 就能导入（{colab['before']}）：环境没有隔离好"
    assert colab["after"] is not None, "在 Colab 中（导入了 google.colab）第一个单元格没有安装 lessons"
    assert Path(colab["after"]).is_relative_to(bare_env.parent.parent), (
        f"导入的 lessons 应是刚装进新环境的那个，实际是 {colab['after']}"
    )
    assert colab["in_colab"] is True
    assert colab["ok"], f"装好的 lessons 中，练习检查器没有接受正确答案：{colab['feedback']}"


# ---------------------------------------------------------------- 每一课在全新的 Colab 式环境中运行


@pytest.fixture(scope="module")
def colab_env(tmp_path_factory, lessons_wheel) -> Path:
    """新建的虚拟环境：Colab 预装的包 + 本仓库构建的 lessons 轮子。返回内核规格所在的 JUPYTER_PATH。"""
    base = tmp_path_factory.mktemp("colab")
    venv = base / "venv"
    run(sys.executable, "-m", "venv", str(venv))
    python = venv / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", *COLAB_PREINSTALLED)
    before = installed(python)

    run(str(python), "-m", "pip", "install", "--quiet", str(lessons_wheel))
    after = installed(python)
    assert after["torch"] == before["torch"], "安装 lessons 时不应重新安装 torch"
    assert "lessons" in after and "pylopdf-fonts-zh-cn" in after
    for extra in ("jupyterlab", "jupytext", "ipywidgets", "jieba", "jupyter-book"):
        assert extra not in after, f"模拟的 Colab 环境里不应有 {extra}"

    run(str(python), "-m", "ipykernel", "install", "--prefix", str(venv), "--name", KERNEL)
    return venv / "share" / "jupyter"


@pytest.mark.slow
@pytest.mark.parametrize("notebook", lesson_notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_alone_in_a_fresh_colab_like_environment(colab_env, notebook, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(colab_env))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))  # 全新的 matplotlib 字体缓存
    monkeypatch.delenv("PYTHONPATH", raising=False)
    alone = tmp_path / "work"
    alone.mkdir()
    copy = alone / notebook.name
    shutil.copy(notebook, copy)

    nb = nbformat.read(copy, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=120, resources={"metadata": {"path": str(alone)}})
    client.execute()  # 任何单元格出错都会抛出 CellExecutionError

    problems = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            if output.get("name") == "stderr" or "Warning" in text or "Glyph" in text:
                problems.append(f"第 {index} 个单元格：{text[:300]}")
    assert problems == [], "\n".join(problems)
    assert sorted(os.listdir(alone)) == [notebook.name] or all(
        not p.endswith((".py", ".ipynb")) or p == notebook.name for p in os.listdir(alone)
    )
