#!/usr/bin/env bash
# 在全新的机器上准备环境并构建网站：
#   1. 在 .venv 中创建虚拟环境（已存在则复用）；
#   2. 安装 requirements.txt（课程依赖与 lessons 包）和 requirements-dev.txt（测试工具）；
#   3. 构建网站到 _build/html（警告即错误）。
# 用法：在仓库根目录运行  bash tools/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
# constraints.txt 固定的 NumPy、scikit-learn 等版本要求 Python 3.11 及以上
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "需要 Python 3.11 或更新的版本，而 $PYTHON 是 $("$PYTHON" --version 2>/dev/null || echo 找不到的命令)。" >&2
  echo "装好新版 Python 后用 PYTHON=python3.11 bash tools/setup.sh 指定它。" >&2
  exit 1
fi
# 上次创建失败（例如缺少 python3-venv）会留下没有 pip 的 .venv，或者用的是别的 Python：删掉重建
if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import pip, sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "== .venv 不完整或 Python 版本太旧：删除后重新创建"
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  echo "== 创建虚拟环境 .venv"
  if ! "$PYTHON" -m venv .venv; then
    rm -rf .venv
    echo "创建虚拟环境失败。Debian、Ubuntu 上先运行 sudo apt-get install python3-venv，再重新运行本脚本。" >&2
    exit 1
  fi
fi
# shellcheck disable=SC1091
. .venv/bin/activate

echo "== 安装依赖"
python -m pip install --quiet --upgrade pip
# PyTorch：Linux 上 pip 默认装的是带 CUDA 的版本（数 GB）。没有 NVIDIA 显卡时再加上 PyTorch 的
# CPU 软件源（下载约 190 MB，而不是数 GB）：那里的版本号带 +cpu，pip 会优先选它；其余依赖仍从默认源安装。想用别的版本时先设 TORCH_INDEX_URL，例如
#   TORCH_INDEX_URL=https://download.pytorch.org/whl/cu126 bash tools/setup.sh   # 指定 CUDA 版
#   TORCH_INDEX_URL= bash tools/setup.sh                                         # 用 pip 的默认源
# 使用国内镜像时设 PIP_INDEX_URL（见 book/setup.md）。
if [ -z "${TORCH_INDEX_URL+set}" ] && [ "$(uname -s)" = Linux ] && ! command -v nvidia-smi >/dev/null 2>&1; then
  TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
  echo "没有检测到 NVIDIA 显卡：安装 CPU 版 PyTorch（$TORCH_INDEX_URL）"
fi
# 版本按 constraints.txt 固定（网站构建用的主题与扩展依赖它们的内部结构；见 tools/lock.sh）
python -m pip install --quiet torch -c constraints.txt ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"}
python -m pip install --quiet -r requirements-dev.txt -c constraints.txt

echo "== 构建网站"
jupyter-book build . --warningiserror --nitpick --keep-going --quiet
echo "== 整本书的 PDF 与离线课程包（写入 _build/html/_downloads/）"
python tools/build_pdf.py
python tools/build_kit.py
echo "完成：用浏览器打开 _build/html/index.html，或运行 python -m http.server -d _build/html 8000"
