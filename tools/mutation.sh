#!/usr/bin/env bash
# 变异测试（mutation testing）：mutmut 在 lessons 的源码里一次制造一处小错误（把 < 改成 <=、把 + 改成 -、
# 把默认值 0 改成 1 ……），再运行相关的测试。测试失败，这个“变异体”就被杀死了；测试照样通过，
# 说明测试没有检查到这一处，需要补测试，或者说明这处改动不改变行为（等价变异体）。
#
# 它很慢（在两核的机器上约 30 分钟），所以不在 tools/test.sh 里运行。
# 用法：在已激活的虚拟环境中（pip install -r requirements-dev.txt 已装好 mutmut），于仓库根目录运行
#   bash tools/mutation.sh
# 可以用环境变量换成别的模块和测试，例如
#   MUTATE="src/lessons/plotting.py" TESTS="tests/test_data_training.py" bash tools/mutation.sh
# mutmut 会生成 mutants/ 目录，所以它在仓库的一份临时副本里运行，仓库本身不会多出任何文件。
# 结束时打印得分和存活的变异体；在打印出的临时目录里运行 mutmut show 名字 可以看到具体改动。
set -euo pipefail
cd "$(dirname "$0")/.."
MUTATE=${MUTATE:-"src/lessons/env.py src/lessons/training.py src/lessons/data.py"}
TESTS=${TESTS:-"tests/test_env.py tests/test_data_training.py tests/test_bad_inputs.py tests/test_digits_data.py"}
CHILDREN=${CHILDREN:-$(python -c "import os; print(os.cpu_count() or 1)")}

work=$(mktemp -d)
echo "== 临时副本：$work"
tar --exclude=.venv --exclude=_build --exclude=.git --exclude=artifacts --exclude=mutants \
    --exclude=__pycache__ --exclude=.ruff_cache -cf - src tests tools _toc.yml pyproject.toml README.md | tar -xf - -C "$work"
quote() { python -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }
# shellcheck disable=SC2086
cat >> "$work/pyproject.toml" <<EOF

[tool.mutmut]
source_paths = ["src"]
only_mutate = $(quote $MUTATE)
pytest_add_cli_args_test_selection = $(quote $TESTS)
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]
also_copy = ["tools", "_toc.yml"]
EOF

cd "$work"
mutmut run --max-children "$CHILDREN" > mutmut-run.log 2>&1 || { tail -n 40 mutmut-run.log; exit 1; }
mutmut results --all true > mutmut-results.txt 2>/dev/null
python - <<'EOF'
from collections import Counter

rows = [line.strip().rsplit(": ", 1) for line in open("mutmut-results.txt") if ": " in line]
counts = Counter(status for _, status in rows)
killed = counts["killed"] + counts["timeout"]
total = sum(counts.values())
print("== 结果：", dict(counts))
print(f"== 得分：杀死 {killed} / {total} 个变异体，{killed / max(total, 1):.1%}")
survivors = [name for name, status in rows if status not in ("killed", "timeout")]
if survivors:
    print("== 存活或没有测试覆盖的变异体：")
    print("\n".join(f"   {name}" for name in survivors))
EOF
echo "== 查看某个变异体的改动：cd $work && mutmut show 名字"
