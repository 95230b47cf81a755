"""第 1 课“张量”练习检查器的单元测试。

- 笔记本 ``<details>`` 里的参考答案是唯一的一份：测试把它放进练习单元格，期望 ✅；
- 同一道题的其他正确写法（别的函数、别的数据类型）也都通过；
- 每一种常见的错误都不通过，并得到针对它的提示；
- 任何奇怪的答案（None、nan、字符串、会出错的代码……）都得到中文反馈，检查器从不抛出异常。
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch

from lessons.checking import Feedback
from lessons.exercises import tensor as ex

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_tensor.ipynb"
CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- 笔记本中的参考答案


def exercises_in(notebook: Path) -> dict[int, dict[str, str]]:
    """读出笔记本中的练习：``{编号: {"cell": 答案单元格的代码, "solution": 参考答案的代码}}``。"""
    found: dict[int, dict[str, str]] = {}
    current = None
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            heading = re.search(r"^### 练习 (\d+)", cell.source, re.M)
            if heading:
                current = int(heading.group(1))
                found[current] = {}
            if current is not None and "<summary>参考答案</summary>" in cell.source:
                code = re.search(r"```python\n(.*?)```", cell.source, re.S)
                assert code, f"练习 {current} 的参考答案里没有 ```python 代码块"
                found[current].setdefault("solution", code.group(1))
        elif current is not None and f"check_{current}(" in cell.source:
            found[current].setdefault("cell", cell.source)
    return found


def _assigned_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def run_exercise(cell: str, solution: str | None, namespace: dict) -> Feedback:
    """像学习者那样运行练习单元格：``solution`` 中定义的名字替换掉单元格里的占位（None 或存根函数）。

    返回单元格最后一行（``ex.check_N(answer)``）的值。``solution`` 为 ``None`` 时原样运行单元格。
    """
    tree = ast.parse(cell)
    if solution is not None:
        defined = _assigned_names(ast.parse(solution))
        tree.body = [
            node
            for node in tree.body
            if not (isinstance(node, ast.FunctionDef) and node.name in defined)
            and not (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in defined for t in node.targets))
        ]
        exec(compile(solution, "<参考答案>", "exec"), namespace)
    last = tree.body.pop()
    assert isinstance(last, ast.Expr), "练习单元格的最后一行应该是检查器的调用"
    exec(compile(ast.Module(body=tree.body, type_ignores=[]), "<练习单元格>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<练习单元格>", "eval"), namespace)


def fresh_namespace() -> dict:
    return {"torch": torch, "np": np, "ex": ex}


EXERCISES = exercises_in(NOTEBOOK)


def test_notebook_has_four_exercises_with_solutions():
    assert sorted(EXERCISES) == [1, 2, 3, 4]
    for number, parts in EXERCISES.items():
        assert "cell" in parts and "solution" in parts, f"练习 {number} 缺少答案单元格或参考答案"


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_notebook_solution_passes_its_checker(number):
    parts = EXERCISES[number]
    feedback = run_exercise(parts["cell"], parts["solution"], fresh_namespace())
    assert isinstance(feedback, Feedback)
    assert feedback.ok, f"练习 {number} 的参考答案没有通过：{feedback}"


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_unanswered_notebook_cell_says_not_answered(number):
    feedback = run_exercise(EXERCISES[number]["cell"], None, fresh_namespace())
    assert feedback.answered is False and not feedback


# ---------------------------------------------------------------- 从不抛出异常


def _generator_function(x):
    yield x


def _raises(x):
    raise ValueError("出错了")


WEIRD_ANSWERS = [
    "张量",
    42,
    float("nan"),
    float("inf"),
    np.float32(1.0),
    torch.tensor(float("nan")),
    torch.full((3, 4), float("inf")),
    torch.zeros(2, requires_grad=True),
    torch.empty(3, 4, device="meta"),
    [1, 2, 3],
    {"answer": 1},
    (t for t in range(3)),
    object(),
    _raises,
    _generator_function,
    lambda *args: "字符串",
    lambda x: float("nan"),
    lambda x: x * float("nan"),
    lambda x: torch.empty(0),
    lambda x: x.to(torch.complex64),
    lambda x: x > 0,
    lambda x: torch.empty(3, 4, device="meta"),
    lambda: None,
]


@pytest.mark.parametrize("check", [ex.check_1, ex.check_2, ex.check_3, ex.check_4], ids=lambda f: f.__name__)
@pytest.mark.parametrize("answer", WEIRD_ANSWERS, ids=lambda a: type(a).__name__)
def test_checkers_never_raise_and_answer_in_chinese(check, answer):
    feedback = check(answer)
    assert isinstance(feedback, Feedback)
    assert not feedback
    assert CJK.search(feedback.message), feedback.message


@pytest.mark.parametrize("check", [ex.check_1, ex.check_2, ex.check_3, ex.check_4], ids=lambda f: f.__name__)
def test_none_is_not_answered(check):
    feedback = check(None)
    assert feedback.answered is False and not feedback


# ---------------------------------------------------------------- 练习 1：题目规定了 float32


@pytest.mark.parametrize(
    "answer",
    [
        torch.arange(12, dtype=torch.float32).reshape(3, 4),
        torch.arange(12.0).reshape(3, 4),
        torch.arange(12).reshape(3, 4).float(),
        torch.arange(12).float().view(3, -1),
        torch.linspace(0, 11, 12).reshape(3, 4),
        torch.tensor([[0.0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]),
        torch.arange(12.0, requires_grad=True).reshape(3, 4),
        torch.arange(12.0).reshape(3, 4).T.contiguous().T,  # 不连续，数值正确
        torch.from_numpy(np.arange(12, dtype=np.float32).reshape(3, 4)),
    ],
)
def test_check_1_accepts_every_correct_form(answer):
    assert ex.check_1(answer), ex.check_1(answer)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (torch.arange(12).reshape(3, 4), "dtype=torch.float32"),
        (torch.arange(12, dtype=torch.float64).reshape(3, 4), "题目要求 torch.float32"),
        (torch.arange(12.0), ".reshape(3, 4)"),
        (torch.arange(12.0).reshape(2, 6), ".reshape(3, 4)"),
        (torch.arange(12.0).reshape(4, 3), "形状反了"),
        (torch.arange(1.0, 13.0).reshape(3, 4), "从 1 开始"),
        (torch.zeros(3, 4), "数值不对"),
        (torch.full((3, 4), float("nan")), "nan"),
        (torch.zeros(3, 4, dtype=torch.bool), "torch.bool"),
        (torch.zeros(5), "形状应为 (3, 4)"),
        ([[0.0, 1.0, 2.0, 3.0]], "不是张量"),
        (np.arange(12.0).reshape(3, 4), "NumPy 的 ndarray"),
        ("张量", "torch.Tensor"),
    ],
)
def test_check_1_rejects_each_mistake_with_its_hint(answer, hint):
    feedback = ex.check_1(answer)
    assert not feedback
    assert hint in feedback.message, feedback.message


# ---------------------------------------------------------------- 练习 2：任何浮点类型都可以

_GRAD_SCALE = torch.ones(1, requires_grad=True)


@pytest.mark.parametrize(
    "answer",
    [
        lambda x: x - x.mean(dim=1, keepdim=True),
        lambda x: x - x.mean(1)[:, None],
        lambda x: x - x.mean(-1, keepdim=True),
        lambda x: x - x.mean(dim=1).unsqueeze(1),
        lambda x: (x.T - x.mean(dim=1)).T,
        lambda x: x - x.sum(dim=1, keepdim=True) / x.shape[1],
        lambda x: torch.sub(x, x.mean(dim=1, keepdim=True)),
        lambda x: x.clone().sub_(x.mean(dim=1, keepdim=True)),
        lambda x: x.double() - x.double().mean(dim=1, keepdim=True),
        lambda x: (x - x.mean(dim=1, keepdim=True)).half(),
        lambda x: torch.from_numpy(x.numpy() - x.numpy().mean(axis=1, keepdims=True)),
        lambda x: (x - x.mean(dim=1, keepdim=True)) * _GRAD_SCALE,
    ],
)
def test_check_2_accepts_every_correct_form(answer):
    assert ex.check_2(answer), ex.check_2(answer)


def _only_square_forgets_keepdim(x):
    if x.shape[0] == x.shape[1]:
        return x - x.mean(dim=1)
    return x - x.mean(dim=1, keepdim=True)


def _in_place(x):
    x -= x.mean(dim=1, keepdim=True)
    return x


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda x: x - x.mean(dim=1), "keepdim=True"),
        (_only_square_forgets_keepdim, "错位"),
        (lambda x: x - x.mean(dim=0, keepdim=True), "每一列的均值"),
        (lambda x: x - x.mean(), "全部元素的均值"),
        (_in_place, "改动了传入的 x"),
        (torch.zeros(3, 4), "应该是一个函数"),
        (_raises, "ValueError: 出错了"),
        (lambda x: None, "return None"),
        (lambda x: x * float("nan"), "nan 或 inf"),
        (lambda x: x / 0, "nan 或 inf"),
        (lambda x: (x - x.mean(dim=1, keepdim=True)).tolist(), "列表"),
        (lambda x: (x - x.mean(dim=1, keepdim=True)).numpy(), "NumPy 数组"),
        (lambda x: x.mean(dim=1, keepdim=True), "形状应为"),
        (lambda x: (x - x.mean(dim=1, keepdim=True)).long(), "不是浮点数"),
        (lambda x: x, "数值不对"),
        (_generator_function, "generator"),
    ],
)
def test_check_2_rejects_each_mistake_with_its_hint(answer, hint):
    feedback = ex.check_2(answer)
    assert not feedback
    assert hint in feedback.message, feedback.message


def test_check_2_missing_keepdim_reports_the_real_error():
    feedback = ex.check_2(lambda x: x - x.mean(dim=1))
    assert "RuntimeError" in feedback.message and "(n, 1)" in feedback.message
    assert "最后一维（长度 k）对齐" in feedback.message, feedback.message


def test_check_2_transposed_mean_is_named_with_missing_keepdim():
    """写了 keepdim=True 又转置：与没写 keepdim 报同一个错、在方阵上得到同一个结果，提示要说出两种可能。"""
    feedback = ex.check_2(lambda x: x - x.mean(dim=1, keepdim=True).T)
    assert not feedback and "RuntimeError" in feedback.message
    assert "(1, n)" in feedback.message and "又转置" in feedback.message and "不要再转置" in feedback.message


def test_check_2_other_broadcast_errors_get_a_general_hint():
    """不是“均值少了一维”的广播错误，不套用 keepdim 的说法，只说出 x 的形状和该检查什么。"""
    feedback = ex.check_2(lambda x: x - x.mean(dim=0, keepdim=True).T)
    assert not feedback and "减号两边的形状对不上" in feedback.message and "(3, 4)" in feedback.message
    assert "没写 keepdim=True" not in feedback.message


# ---------------------------------------------------------------- 练习 3：结果要有自己的存储


@pytest.mark.parametrize(
    "answer",
    [
        lambda m: m.T.reshape(-1).clone(),
        lambda m: m.T.flatten().clone(),
        lambda m: m.t().contiguous().view(-1).clone(),
        lambda m: m.permute(1, 0).reshape(-1).clone(),
        lambda m: torch.cat([m[:, j] for j in range(m.shape[1])]),
        lambda m: m.T.reshape(-1) + 0,
        lambda m: m.T.clone().reshape(-1),
        lambda m: m.T.reshape(-1).double(),
        lambda m: torch.tensor(m.T.reshape(-1).tolist()),
        lambda m: m.T.reshape(-1).clone().requires_grad_(),
    ],
)
def test_check_3_accepts_every_correct_form(answer):
    assert ex.check_3(answer), ex.check_3(answer)


def _modifies(m):
    m.mul_(2)
    return (m.T.reshape(-1) / 2).clone()


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda m: m.T.view(-1), "contiguous"),
        (lambda m: m.T.reshape(-1), "共享存储"),
        (lambda m: m.T.contiguous().view(-1), ".clone()"),
        (lambda m: m.reshape(-1).clone(), "按行展开"),
        (lambda m: m.T.clone(), "一维张量"),
        (_modifies, "改动了传入的 m"),
        (lambda m: m.T.reshape(-1).tolist(), "列表"),
        (lambda m: m.T.reshape(-1).numpy().copy(), "NumPy 数组"),
        (lambda m: m.T.reshape(-1).long(), "不是浮点数"),
        (lambda m: m.T.reshape(-1) * float("nan"), "nan 或 inf"),
        (lambda m: m.T.reshape(-1)[:-1].clone(), "形状应为"),
        (lambda m: None, "return None"),
        (_raises, "ValueError: 出错了"),
        ("columns_flat", "应该是一个函数"),
    ],
)
def test_check_3_rejects_each_mistake_with_its_hint(answer, hint):
    feedback = ex.check_3(answer)
    assert not feedback
    assert hint in feedback.message, feedback.message


def test_check_3_shared_storage_names_the_column_matrix():
    feedback = ex.check_3(lambda m: m.T.reshape(-1))
    assert "(3, 1)" in feedback.message and "view size" not in feedback.message


def test_check_3_view_error_reports_the_real_error():
    assert "view size is not compatible" in ex.check_3(lambda m: m.T.view(-1)).message


# ---------------------------------------------------------------- 练习 4：任何整数类型都可以


@pytest.mark.parametrize(
    "answer",
    [
        lambda s: s.argmax(dim=1),
        lambda s: s.argmax(1),
        lambda s: torch.argmax(s, dim=-1),
        lambda s: s.max(dim=1).indices,
        lambda s: s.max(1)[1],
        lambda s: s.argmax(dim=1).int(),
        lambda s: s.argmax(dim=1, keepdim=True).squeeze(1),
        lambda s: s.topk(1, dim=1).indices.squeeze(1),
        lambda s: s.sort(dim=1, descending=True).indices[:, 0],
        lambda s: torch.from_numpy(s.numpy().argmax(axis=1)),
    ],
)
def test_check_4_accepts_every_correct_form(answer):
    assert ex.check_4(answer), ex.check_4(answer)


def _modifies_scores(s):
    s.sub_(1)
    return s.argmax(dim=1)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda s: s.max(dim=1), "values 和 indices"),
        (lambda s: s.max(dim=1).values, "最大值本身"),
        (lambda s: s.argmax(dim=0), "dim=1"),
        (lambda s: s.argmax(), "只得到了一个数"),
        (lambda s: s.argmax(dim=1, keepdim=True), "keepdim=True"),
        (lambda s: s.argmin(dim=1), "最小值"),
        (lambda s: s.argmax(dim=1).float(), "整数张量"),
        (lambda s: s.argmax(dim=1).tolist(), "列表"),
        (lambda s: s.argmax(dim=1).numpy(), "NumPy 数组"),
        (lambda s: torch.zeros(s.shape[0], dtype=torch.long), "列号不对"),
        (_modifies_scores, "改动了传入的 scores"),
        (lambda s: None, "return None"),
        (_raises, "ValueError: 出错了"),
    ],
)
def test_check_4_rejects_each_mistake_with_its_hint(answer, hint):
    feedback = ex.check_4(answer)
    assert not feedback
    assert hint in feedback.message, feedback.message


def test_check_4_square_matrix_catches_dim_0():
    # 对方阵，dim=0 的结果形状也是 (n,)：只有数值能区分
    def dim0_only_when_square(s):
        return s.argmax(dim=0) if s.shape[0] == s.shape[1] else s.argmax(dim=1)

    feedback = ex.check_4(dim0_only_when_square)
    assert not feedback and "dim=0" in feedback.message
