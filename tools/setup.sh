#!/usr/bin/env bash
# 在全新的机器上准备环境并构建网站：
#   1. 在 .venv 中创建虚拟环境（已存在则复用）；
#   2. 安装 requirements.txt（课程依赖与 lessons 包）和 requirements-dev.txt（测试工具）；
#   3. 构建网站到 _build/html（警告即错误）。
# 用法：在仓库根目录运行  bash tools/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== 创建虚拟环境 .venv"
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate

echo "== 安装依赖"
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -r requirements-dev.txt

echo "== 构建网站"
jupyter-book build . --warningiserror --nitpick --keep-going --quiet
echo "完成：用浏览器打开 _build/html/index.html，或运行 python -m http.server -d _build/html 8000"
