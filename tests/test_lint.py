"""代码风格：ruff 检查整个仓库（包、测试、工具、笔记本与孪生文件），配置见 pyproject.toml。"""

import shutil
import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff")
    cmd = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run([*cmd, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, "ruff 发现了问题（可先试 ruff check --fix .）：\n" + result.stdout[-3000:]
