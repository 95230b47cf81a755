"""tools/ 中维护笔记本的三个脚本：check_twins.py、set_repository.py、refresh.py。

每个测试都在临时目录里的副本上运行（仓库中的文件不会被改动），并且在脚本失灵时失败：
孪生文件与笔记本不一致时 check_twins 必须报告，安装地址或 Colab 单元格不对时
set_repository --check 必须报告，refresh 必须真的运行笔记本、记下运行环境，出错时不改动文件。
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import check_twins
import jupytext
import nbformat
import pytest
import refresh
import set_repository
import yaml
from conftest import NOTEBOOKS, ROOT

LESSON = "00_getting_started"
TOOLS = ROOT / "tools"


def run_tool(script: str, *args: str) -> subprocess.CompletedProcess:
    """像在命令行中那样运行 tools/ 里的一个脚本，返回结果（不因非零退出状态而抛出异常）。"""
    return subprocess.run(
        [sys.executable, str(TOOLS / script), *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def copy_lesson(folder: Path, lesson: str = LESSON) -> tuple[Path, Path]:
    """把一课的笔记本和孪生文件复制到 folder，返回 (.ipynb, .py)。"""
    folder.mkdir(parents=True, exist_ok=True)
    notebook = Path(shutil.copy(NOTEBOOKS / f"{lesson}.ipynb", folder))
    twin = Path(shutil.copy(NOTEBOOKS / f"{lesson}.py", folder))
    return notebook, twin


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """一个只有一课的临时课程：_config.yml、_toc.yml、jupytext.toml 和 notebooks/ 中的一对文件。"""
    shutil.copy(ROOT / "_config.yml", tmp_path)
    shutil.copy(ROOT / "jupytext.toml", tmp_path)  # 孪生文件的格式设置：与仓库相同
    toc = {"format": "jb-book", "root": "book/preface", "chapters": [{"file": f"notebooks/{LESSON}"}]}
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    copy_lesson(tmp_path / "notebooks")
    return tmp_path


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{path.name} 里找不到 {old!r}：测试用的例子需要更新"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---------------------------------------------------------------- check_twins.py


def test_check_twins_accepts_a_matching_pair(course):
    folder = course / "notebooks"
    assert check_twins.problems(folder) == []
    result = run_tool("check_twins.py", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 个笔记本与孪生文件一致" in result.stdout


def test_check_twins_reports_a_twin_that_differs_from_its_notebook(course):
    """改动孪生文件中的一行代码：退出状态非零，中文信息说出是哪一课，并给出差异和修复方法。"""
    twin = course / "notebooks" / f"{LESSON}.py"
    replace_in(twin, "import subprocess\n", "import subprocess  # 改过\n")
    result = run_tool("check_twins.py", str(course / "notebooks"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{LESSON}.ipynb 与 {LESSON}.py 不一致" in result.stdout, result.stdout
    assert "+import subprocess  # 改过" in result.stdout, "报告里应有差异（unified diff）"
    assert "python tools/refresh.py" in result.stdout, "报告里应说明怎样修复"


def test_check_twins_reports_a_notebook_edited_by_hand(course):
    """只改 .ipynb 中一个 Markdown 单元格（.py 不变），同样是不一致。"""
    notebook = course / "notebooks" / f"{LESSON}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown")
    cell.source += "\n\n在笔记本里直接加的一句话。"
    nbformat.write(nb, notebook)
    problems = check_twins.problems(course / "notebooks")
    assert len(problems) == 1 and f"{LESSON}.ipynb 与 {LESSON}.py 不一致" in problems[0], problems
    assert "在笔记本里直接加的一句话" in problems[0]


def test_check_twins_reports_a_missing_half(course):
    folder = course / "notebooks"
    (folder / f"{LESSON}.py").rename(folder / "99_lonely.py")  # 99_lonely.py 没有笔记本，00 的笔记本没有 .py
    problems = "\n".join(check_twins.problems(folder))
    assert "99_lonely.py 没有对应的笔记本" in problems, problems
    assert f"{LESSON}.ipynb 没有文本孪生文件" in problems, problems
    assert check_twins.main([str(folder)]) == 1


def test_check_twins_rejects_a_folder_that_does_not_exist(tmp_path, capsys):
    assert check_twins.main([str(tmp_path / "nowhere")]) == 2
    assert "找不到目录" in capsys.readouterr().out


# ---------------------------------------------------------------- set_repository.py


def check(course: Path, capsys) -> tuple[int, str]:
    status = set_repository.main(["--check", "--root", str(course)])
    return status, capsys.readouterr().out


def test_set_repository_check_passes_when_notebooks_and_config_agree(course, capsys):
    status, out = check(course, capsys)
    assert status == 0 and "✓" in out, out


def test_set_repository_check_reports_a_changed_config_and_the_sync_fixes_it(course, capsys):
    url, branch = set_repository.repository(course)
    fork = "https://github.com/someone/fork"
    replace_in(course / "_config.yml", url, fork)
    status, out = check(course, capsys)
    assert status == 1, out
    for name in (f"{LESSON}.ipynb", f"{LESSON}.py"):
        assert f"{name}：安装地址与 _config.yml 不一致" in out, out
    assert "python tools/set_repository.py" in out, "应说明怎样同步"
    # 不加 --check：两份文件都改成新地址，第一个单元格正是标准的 Colab 单元格
    assert set_repository.main(["--root", str(course)]) == 0
    for path in (course / "notebooks" / f"{LESSON}.ipynb", course / "notebooks" / f"{LESSON}.py"):
        assert set_repository.first_code_cell(path) == set_repository.colab_cell(fork, branch), path.name
    status, out = check(course, capsys)
    assert status == 0, out
    assert check_twins.problems(course / "notebooks") == [], "同步之后笔记本与孪生文件仍应一致"


def test_set_repository_check_reports_one_stale_file(course, capsys):
    """只有 .ipynb 里的分支不对：报告它，不报告一致的 .py。"""
    url, branch = set_repository.repository(course)
    notebook = course / "notebooks" / f"{LESSON}.ipynb"
    replace_in(notebook, f"{url}@{branch}", f"{url}@old-branch")
    status, out = check(course, capsys)
    assert status == 1 and f"{LESSON}.ipynb：安装地址与 _config.yml 不一致" in out, out
    assert f"{LESSON}.py：" not in out, out


def test_set_repository_check_reports_a_changed_colab_condition(course, capsys):
    """地址没变，但 Colab 的判断条件被改掉了（这样的单元格在 Colab 里什么也不安装）。"""
    twin = course / "notebooks" / f"{LESSON}.py"
    replace_in(twin, 'if "google.colab" in sys.modules:', "if False:")
    status, out = check(course, capsys)
    assert status == 1, out
    assert f"{LESSON}.py：第一个单元格与标准的 Colab 单元格" in out, out
    assert f"{LESSON}.ipynb：" not in out, out


def test_set_repository_check_reports_a_missing_install_command(course, capsys):
    notebook = course / "notebooks" / f"{LESSON}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    next(c for c in nb.cells if c.cell_type == "code").source = "import torch"
    nbformat.write(nb, notebook)
    status, out = check(course, capsys)
    assert status == 1 and f"{LESSON}.ipynb：第一个单元格里没有找到安装命令" in out, out


@pytest.mark.parametrize(
    ("repository", "expected"),
    [
        ({"url": "https://github.com/a/b"}, "缺少 repository.url 或 repository.branch"),
        ({"url": "git@github.com:a/b.git", "branch": "main"}, "repository.url 应是 https:// 开头"),
    ],
    ids=["no-branch", "ssh-url"],
)
def test_set_repository_explains_a_bad_config(course, repository, expected):
    config = yaml.safe_load((course / "_config.yml").read_text(encoding="utf-8"))
    config["repository"] = repository
    (course / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SystemExit) as info:  # 命令行中：打印这句话，退出状态为 1
        set_repository.main(["--check", "--root", str(course)])
    assert isinstance(info.value.code, str) and expected in info.value.code, info.value.code


# ---------------------------------------------------------------- refresh.py

TINY = """\
# %% [markdown]
# # 一个很小的课程

# %%
answer = 6 * 7
print(answer)

# %%
answer + 1
"""


@pytest.fixture
def quiet_refresh_env(monkeypatch):
    """refresh.main 会 setdefault 这两个环境变量：先设好，测试结束后恢复原样。"""
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.setenv("LESSONS_DEVICE", "cpu")


def test_refresh_runs_a_twin_and_writes_the_notebook_with_outputs(course, quiet_refresh_env, capsys):
    twin = course / "notebooks" / "99_tiny.py"
    twin.write_text(TINY, encoding="utf-8")
    assert refresh.main([str(twin)]) == 0
    assert "99_tiny.py" in capsys.readouterr().out
    nb = nbformat.read(twin.with_suffix(".ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2], "应在全新内核中从上到下各运行一次"
    assert code[0].outputs[0]["text"] == "42\n"
    assert code[1].outputs[0]["data"]["text/plain"] == "43"
    import torch

    assert nb.metadata["course_outputs"] == {"python": sys.version.split()[0], "torch": torch.__version__, "device": "cpu"}
    assert nb.metadata["kernelspec"]["name"] == "python3"
    # 孪生文件被改写成与笔记本逐字一致（加上了 jupytext 的文件头）
    assert twin.read_text(encoding="utf-8").startswith("# ---\n# jupyter:")
    assert check_twins.problems(course / "notebooks") == []


def test_refresh_leaves_both_files_alone_when_a_cell_fails(course, quiet_refresh_env):
    twin = course / "notebooks" / "98_broken.py"
    twin.write_text(TINY.replace("answer + 1", 'raise ValueError("故意出错")'), encoding="utf-8")
    notebook = twin.with_suffix(".ipynb")
    jupytext.write(jupytext.read(twin), notebook)  # 上一次刷新留下的笔记本
    before = (notebook.read_bytes(), twin.read_bytes())
    with pytest.raises(SystemExit) as info:
        refresh.main([str(notebook)])  # 传 .ipynb 也是以同名的 .py 为准
    message = str(info.value)
    assert "98_broken.py 运行出错" in message and "98_broken.ipynb 没有改动" in message, message
    assert "故意出错" in message, "应给出出错的单元格和原来的错误信息"
    assert (notebook.read_bytes(), twin.read_bytes()) == before


@pytest.mark.parametrize(
    ("argument", "expected"),
    [("notebooks/99_missing.py", "找不到孪生文件"), ("README.md", "只接受课程的 .py 或 .ipynb 文件")],
    ids=["missing", "markdown"],
)
def test_refresh_explains_a_bad_argument(argument, expected):
    with pytest.raises(SystemExit) as info:  # 命令行中：打印这句话，退出状态为 1
        refresh.main([str(ROOT / argument)])
    assert isinstance(info.value.code, str) and expected in info.value.code, info.value.code
    assert not (ROOT / "notebooks" / "99_missing.ipynb").exists()


def test_refresh_finds_the_twin_of_a_notebook():
    assert refresh.twin_of(NOTEBOOKS / f"{LESSON}.ipynb") == NOTEBOOKS / f"{LESSON}.py"


def test_twin_cell_headers_keep_chinese_readable_and_mean_the_same():
    """孪生文件 # %% 行的元数据里汉字不转义；jupytext 读回的元数据与转义写法相同，引号和反斜杠仍转义。"""
    alt = '左图是 θ₀ 到 θ₅；"引号"、反斜杠 \\ 和 𝔼（代理对）'
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", metadata={"mystnb": {"image": {"alt": alt}}, "tags": ["a"]}))
    config = jupytext.config.JupytextConfiguration(cell_metadata_filter="tags,mystnb,-all")
    escaped = jupytext.writes(nb, fmt="py:percent", config=config)
    assert "\\u" in escaped, "jupytext 不再转义汉字：这个测试的前提变了"
    readable = check_twins.readable_cell_headers(escaped)
    header = next(line for line in readable.splitlines() if line.startswith("# %%"))
    assert "左图是 θ₀ 到 θ₅" in header and "𝔼" in header and "\\u" not in header, header
    assert '\\"引号\\"' in header and "\\\\" in header, f"引号和反斜杠必须保持转义：{header}"
    for text in (escaped, readable):
        cell = jupytext.reads(text, fmt="py:percent").cells[0]
        assert cell.metadata["mystnb"]["image"]["alt"] == alt and cell.metadata["tags"] == ["a"]
    # 其他行（代码、Markdown）里的 \u 原样保留
    code = "# %%\ns = '\\u4e2d'\n"
    assert check_twins.readable_cell_headers(code) == code
