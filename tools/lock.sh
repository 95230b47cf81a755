#!/usr/bin/env bash
# 重新生成 constraints.txt：网站构建、CI 与发布用它把全部依赖（含间接依赖）固定在验证过的版本上。
#
# 为什么要固定：book/_ext 与 book/_templates 依赖 Sphinx、sphinx-book-theme、pydata-sphinx-theme
# 的内部结构和模板；不固定时，过一个月重新安装可能拿到新版主题，网站就变样甚至构建失败。
# 学习者只装 requirements.txt，不受它约束；.github/workflows/latest.yml 每周用最新版本跑一遍测试，
# 提早发现新版本带来的问题。
#
# 用法（在仓库根目录）：bash tools/lock.sh（保留已有的版本，只补上新增的依赖；UPGRADE=1 时全部重新解析），然后运行 bash tools/test.sh，通过后提交 constraints.txt。
# 需要 uv（pip install uv）；PyTorch 固定为 CI 验证的版本 TORCH_VERSION。
set -euo pipefail
cd "$(dirname "$0")/.."
TORCH_VERSION=${TORCH_VERSION:-2.13.0}
PYTHON_VERSION=${PYTHON_VERSION:-3.11}
UV=${UV:-uv}
if ! command -v "$UV" >/dev/null 2>&1; then
  echo "需要 uv：python -m pip install uv" >&2
  exit 1
fi
pin=$(mktemp)
trap 'rm -f "$pin" constraints.txt.new' EXIT
echo "torch==$TORCH_VERSION" >"$pin"
# uv 优先保留输出文件中已有的版本：从现有的 constraints.txt 出发，加一个依赖时只解析新增的部分，
# 其余版本不变。要把全部依赖升到最新，运行 UPGRADE=1 bash tools/lock.sh。
if [ -f constraints.txt ] && [ -z "${UPGRADE:-}" ]; then
  cp constraints.txt constraints.txt.new
else
  rm -f constraints.txt.new
fi
"$UV" pip compile requirements-dev.txt \
  --constraint "$pin" \
  --python-version "$PYTHON_VERSION" --python-platform x86_64-unknown-linux-gnu \
  --no-emit-package lessons --no-header --no-annotate \
  --output-file constraints.txt.new
{
  echo "# 由 tools/lock.sh 生成，不要手改。Python $PYTHON_VERSION、Linux x86-64 上解析 requirements-dev.txt 的结果；"
  echo "# 用法：pip install -r requirements-dev.txt -c constraints.txt（tools/setup.sh 与 .ci/run 都这样安装）。"
  echo "# 列出的 nvidia-* 等包只有在安装 CUDA 版 PyTorch 时才会用到；CPU 版不需要它们，约束文件不会强行安装。"
  grep -v '^-e ' constraints.txt.new
} >constraints.txt
rm -f constraints.txt.new
echo "已写入 constraints.txt（$(grep -c '==' constraints.txt) 个包）"
