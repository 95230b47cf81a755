"""离线课程包（tools/build_kit.py 生成，随网站发布在 _downloads/ 中）。

- 内容：_toc.yml 中的每一课笔记本（与仓库中的逐字节相同，带运行结果）、lessons 的轮子、
  给学习者的 requirements.txt、中文 README（离线安装、国内镜像、pip download、启动 JupyterLab）；
- 像学习者那样使用它：解压到空目录，新建一个已经有 torch 的虚拟环境，用
  ``pip install --no-index --find-links wheels`` 安装 lessons（不联网），运行一课笔记本和一个练习检查器。

“已经有 torch 的虚拟环境”：新建的虚拟环境通过一个 .pth 文件看到本机虚拟环境里已经装好的包
（torch、numpy、matplotlib、ipykernel……），但看不到 lessons 本身（它的可编辑安装与元数据都被排除），
所以 lessons 只能从课程包的轮子安装。这样不必在测试中再下载、复制一份几百 MB 的 torch。
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

sys.path.insert(0, str(ROOT / "tools"))
import build_kit  # noqa: E402

TOP = build_kit.TOP
#: 在新环境中运行的那一课：环境检查，它会用到版本、设备、中文绘图和练习检查器
LESSON = "00_getting_started.ipynb"
KERNEL = "course-kit"


@pytest.fixture(scope="module")
def kit(site) -> Path:
    path = site / "_downloads" / build_kit.KIT_NAME
    if not path.is_file():
        pytest.fail(f"没有找到 {path}：请运行 `python tools/build_kit.py`（tools/setup.sh 和 tools/test.sh 会在构建网站后运行它）。")
    return path


def read(kit: Path, name: str) -> str:
    with zipfile.ZipFile(kit) as archive:
        return archive.read(f"{TOP}/{name}").decode("utf-8")


def test_kit_has_every_lesson_with_outputs_the_wheel_and_requirements(kit):
    with zipfile.ZipFile(kit) as archive:
        names = set(archive.namelist())
        assert all(n.startswith(f"{TOP}/") for n in names), names
        lessons = build_kit.lesson_notebooks()
        assert len(lessons) >= 7
        for notebook in lessons:
            name = f"{TOP}/notebooks/{notebook.name}"
            assert name in names, f"课程包中没有 {notebook.name}"
            assert archive.read(name) == notebook.read_bytes(), (
                f"课程包中的 {notebook.name} 与仓库中的不同：重新运行 python tools/build_kit.py"
            )
            nb = json.loads(archive.read(name))
            code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
            assert code and all(c["execution_count"] for c in code), f"{notebook.name} 有没有运行过的代码单元格"
            assert any(c["outputs"] for c in code), f"{notebook.name} 没有输出"
        wheels = [n for n in names if re.fullmatch(rf"{TOP}/wheels/lessons-[^/]+-py3-none-any\.whl", n)]
        assert len(wheels) == 1, names
    assert kit.stat().st_size < 20 * 2**20, f"课程包有 {kit.stat().st_size / 2**20:.1f} MiB"


def test_kit_requirements_are_for_learners(kit):
    text = read(kit, "requirements.txt")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    version = build_kit.package_version()
    assert lines[0] == f"lessons=={version}"
    names = {re.split(r"[<>=!~ ]", line, maxsplit=1)[0].lower() for line in lines}
    for needed in ("torch", "numpy", "matplotlib", "jupyterlab"):
        assert needed in names, f"requirements.txt 中缺少 {needed}"
    for unwanted in ("jupyter-book", "jieba", "-e"):
        assert unwanted not in names and not any(line.startswith(unwanted) for line in lines), unwanted


def test_kit_readme_explains_offline_install_mirrors_and_jupyterlab(kit):
    text = read(kit, "README.md")
    for needed in (
        "pip install --no-index --find-links wheels -r requirements.txt",
        "pip download -d wheels --find-links wheels -r requirements.txt",
        "pip install -i https://pypi.tuna.tsinghua.edu.cn/simple",
        "https://mirrors.bfsu.edu.cn/pypi/web/simple",
        "https://mirror.sjtu.edu.cn/pypi/web/simple",
        "jupyter lab",
        "python -m venv .venv",
    ):
        assert needed in text, f"README.md 中没有“{needed}”"
    for notebook in build_kit.lesson_notebooks():
        assert notebook.name in text, f"README.md 没有列出 {notebook.name}"


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


def offline_env() -> dict[str, str]:
    """不读 pip 的配置文件与环境变量中的软件源：安装只能来自 --find-links。"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def preinstalled_packages(target: Path) -> Path:
    """本机虚拟环境中已经装好的包（不含 lessons、pip 和 .pth 文件）的符号链接目录。"""
    target.mkdir()
    ours = Path(sysconfig.get_paths()["purelib"])
    skip = re.compile(r"^(lessons[-_.]|lessons$|__editable__|pip[-_.]|pip$)", re.I)
    for entry in ours.iterdir():
        if entry.suffix == ".pth" or skip.match(entry.name) or entry.name == "__pycache__":
            continue
        (target / entry.name).symlink_to(entry)
    return target


@pytest.mark.slow
def test_kit_installs_offline_and_runs_a_lesson_and_a_checker(kit, tmp_path, monkeypatch):
    # 1. 解压到一个空目录
    unzipped = tmp_path / "unzipped"
    unzipped.mkdir()
    assert list(unzipped.iterdir()) == []
    with zipfile.ZipFile(kit) as archive:
        archive.extractall(unzipped)
    course = unzipped / TOP

    # 2. 新建一个已经有 torch 的虚拟环境（看不到 lessons）
    venv = tmp_path / "venv"
    # --without-pip：Python 3.11 的 venv 还会装一份旧的 setuptools，挡住已经装好的新版本（torch 依赖它）；
    # 安装时改用本机的 pip，以 --python 指向新环境
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    purelib = run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    shared = preinstalled_packages(tmp_path / "preinstalled")
    (Path(purelib) / "preinstalled.pth").write_text(str(shared) + "\n", encoding="utf-8")
    env = offline_env()
    check = "import torch; print(torch.__version__)\ntry:\n import lessons\nexcept ImportError:\n print('no lessons')"
    before = run(str(python), "-c", check, env=env, cwd=tmp_path).stdout
    assert "no lessons" in before, f"新环境不应已经有 lessons：{before}"

    # 3. 按 README 不联网地安装 lessons
    run(
        sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", "--find-links", "wheels", "lessons",
        env=env, cwd=course,
    )  # fmt: skip
    where = run(str(python), "-c", "import lessons; print(lessons.__file__)", env=env, cwd=tmp_path).stdout.strip()
    assert where.startswith(str(venv)), f"lessons 应当装进新的虚拟环境，实际来自 {where}"

    # 4. 在这个环境的内核中运行一课笔记本
    run(str(python), "-m", "ipykernel", "install", "--prefix", str(venv), "--name", KERNEL, env=env)
    monkeypatch.setenv("JUPYTER_PATH", str(venv / "share" / "jupyter"))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    monkeypatch.delenv("PYTHONPATH", raising=False)
    notebooks = course / "notebooks"
    nb = nbformat.read(notebooks / LESSON, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=120, resources={"metadata": {"path": str(notebooks)}})
    client.execute()  # 任何单元格出错都会抛出 CellExecutionError
    problems = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            if output.get("name") == "stderr" or "Warning" in text or "Glyph" in text:
                problems.append(f"第 {index} 个单元格：{text[:300]}")
    assert problems == [], "\n".join(problems)

    # 5. 在这个环境中运行一个练习检查器：正确答案通过，错误答案给出中文提示
    script = (
        "import torch\n"
        "from lessons.exercises import tensor as ex\n"
        "good = ex.check_1(torch.arange(12, dtype=torch.float32).reshape(3, 4))\n"
        "bad = ex.check_1(torch.arange(12, dtype=torch.float32).reshape(4, 3))\n"
        "print(bool(good), bool(bad))\n"
        "print(bad)\n"
    )
    out = run(str(python), "-c", script, env=env, cwd=tmp_path).stdout
    assert out.splitlines()[0] == "True False", out
    assert "形状" in out, out
