"""模拟一台全新的 Colab 机器：只有 Colab 预装的包，再装上由本仓库构建的 lessons 轮子，
把每个笔记本单独复制到空目录里运行。

Colab 预装了 torch、numpy、matplotlib 和 ipykernel；笔记本第一个单元格在 Colab 中会用 pip
安装 lessons（连同中文字体包）。这里用本地构建的轮子代替从仓库安装，其余条件与 Colab 相同：
没有 requirements.txt 里的其他包，没有仓库里的任何文件，也没有系统中文字体之外的准备。
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, lesson_notebooks
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

COLAB_PREINSTALLED = ["torch==2.13.0", "numpy", "matplotlib", "ipykernel"]
KERNEL = "colab-like"


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def installed(python: Path) -> dict[str, str]:
    out = run(str(python), "-m", "pip", "list", "--format=json").stdout
    return {p["name"].lower(): p["version"] for p in json.loads(out)}


@pytest.fixture(scope="module")
def colab_env(tmp_path_factory) -> Path:
    """新建的虚拟环境：Colab 预装的包 + 本仓库构建的 lessons 轮子。返回内核规格所在的 JUPYTER_PATH。"""
    base = tmp_path_factory.mktemp("colab")
    venv = base / "venv"
    run(sys.executable, "-m", "venv", str(venv))
    python = venv / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", *COLAB_PREINSTALLED)
    before = installed(python)

    dist = base / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(ROOT))
    wheel = next(dist.glob("lessons-*.whl"))
    run(str(python), "-m", "pip", "install", "--quiet", str(wheel))
    after = installed(python)
    assert after["torch"] == before["torch"], "安装 lessons 时不应重新安装 torch"
    assert "lessons" in after and "pylopdf-fonts-zh-cn" in after
    for extra in ("jupyterlab", "jupytext", "ipywidgets", "jieba", "jupyter-book"):
        assert extra not in after, f"模拟的 Colab 环境里不应有 {extra}"

    run(str(python), "-m", "ipykernel", "install", "--prefix", str(venv), "--name", KERNEL)
    return venv / "share" / "jupyter"


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
