#!/usr/bin/env bash
# 测试矩阵：在一个全新的虚拟环境中，用某一组依赖版本运行课程本身的测试。
#
#   bash tools/matrix.sh lowest   # requirements.txt 中课程依赖的下限（tools/matrix/lowest.txt）
#   bash tools/matrix.sh locked   # constraints.txt 固定的版本（与 CI、网站构建相同）
#   bash tools/matrix.sh latest   # 不加约束，各包的最新版本
#
# 运行的是与版本有关的部分：lessons 包与练习检查器的单元测试，以及每一课笔记本从头到尾运行一遍。
# locked 组合逐字比对笔记本中保存的输出（nbval）；lowest 与 latest 组合只要求每个单元格都运行成功、
# 每个检查单元格的 assert 都成立（nbval --nbval-lax）：随机数的生成方式和报错信息的措辞在 PyTorch 版本之间
# 会变，逐字比对只对保存输出时所用的版本有意义，而课程说出的结论都写成了 assert。
# 网站、浏览器、PDF 的测试只用 constraints.txt 的版本（tools/test.sh）。
#
# 环境变量：PYTHON（用哪个 Python 建环境，默认 python3）、MATRIX_VENV（虚拟环境的位置，
# 默认 /tmp/course-matrix-组合名，已存在时先删除）、TORCH_INDEX_URL（额外的 PyTorch 软件源，例如 CPU 版）。
set -euo pipefail
cd "$(dirname "$0")/.."

combo=${1:-}
case "$combo" in
  lowest) constraints=(-c tools/matrix/lowest.txt); nbval=(--nbval-lax) ;;
  locked) constraints=(-c constraints.txt); nbval=(--nbval) ;;
  latest) constraints=(); nbval=(--nbval-lax) ;;
  *)
    echo "用法：bash tools/matrix.sh lowest|locked|latest（收到的是“${combo}”）" >&2
    exit 2
    ;;
esac

PYTHON=${PYTHON:-python3}
venv=${MATRIX_VENV:-/tmp/course-matrix-$combo}
start=$(date +%s)
echo "== 组合 $combo：在 $venv 中用 $("$PYTHON" --version 2>&1) 新建虚拟环境"
rm -rf "$venv"
"$PYTHON" -m venv "$venv"
# shellcheck disable=SC1091
. "$venv/bin/activate"
python -m pip install --quiet --upgrade pip
python -m pip install --quiet torch "${constraints[@]}" ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"}
# 学习者的依赖（requirements.txt 中与课程有关的部分）和运行测试所需的最少工具
python -m pip install --quiet "${constraints[@]}" -e . ipywidgets \
  pytest pytest-xdist nbval jupytext nbformat nbclient ipykernel hypothesis pyyaml
python - <<'PY'
import sys

import matplotlib
import numpy
import sklearn
import torch

print(f"Python {sys.version.split()[0]} · PyTorch {torch.__version__} · NumPy {numpy.__version__}"
      f" · matplotlib {matplotlib.__version__} · scikit-learn {sklearn.__version__}")
PY
python -m pip check

export MPLCONFIGDIR
MPLCONFIGDIR=$(mktemp -d)
# 与版本有关的测试：包、检查器、数据与训练、绘图（不含网站、浏览器、PDF、JupyterLab 与代码风格）
tests=(tests/test_checking.py tests/test_exercises_*.py tests/test_data_training.py tests/test_digits_data.py
       tests/test_env.py tests/test_bad_inputs.py tests/test_plotting.py tests/test_graphs.py
       tests/test_vision.py tests/test_animation.py tests/test_quiz.py tests/test_fonts.py)
python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile "${nbval[@]}" --nbval-current-env \
  --nbval-cell-timeout=300 "${tests[@]}" notebooks
echo "组合 $combo 通过，用时 $(( $(date +%s) - start )) 秒"
