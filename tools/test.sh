#!/usr/bin/env bash
# 运行全部测试：构建网站（警告即错误），然后用 pytest 运行
#   - lessons 包的单元测试与练习检查器的测试；
#   - nbval：在全新内核中运行每个笔记本，逐个比对保存的输出；
#   - 孪生文件、笔记本结构、构建后的 HTML；
#   - 真实 Chromium 中的网站测试、模拟 Colab 的全新环境、真实的 JupyterLab 服务器。
# 用法：在已激活的虚拟环境中，于仓库根目录运行  bash tools/test.sh  （额外参数会传给 pytest）
set -euo pipefail
cd "$(dirname "$0")/.."
# 没有激活虚拟环境时，使用 tools/setup.sh 创建的 .venv
if [ -z "${VIRTUAL_ENV:-}" ] && [ -x .venv/bin/python ]; then
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi

echo "== 构建网站（jupyter-book build，警告即错误）"
rm -rf _build   # 从零构建：增量构建不会重新报告未修改页面的警告
jupyter-book build . --warningiserror --nitpick --keep-going --quiet

echo "== 整本书的 PDF 与离线课程包（随网站发布，tests/test_pdf.py、tests/test_kit.py 检查它们）"
python tools/build_pdf.py
python tools/build_kit.py

echo "== pytest"
# -n 2：两个进程并行；--dist loadfile：同一个文件（同一个笔记本）的测试留在同一个进程里按顺序运行
python -m pytest -n 2 --dist loadfile \
  --nbval --nbval-current-env --nbval-cell-timeout=120 \
  tests notebooks "$@"
