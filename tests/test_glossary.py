"""术语表（book/glossary.md）与各课译法的一致性检查。

课程约定：一个术语在整门课中只有一种译法，第一次出现时写成 ``**中文**（English）``。
这里检查三件事：

1. 术语表的表格格式严格（网站搜索从第一列读出中文术语，教给分词器）；
2. 术语表内部没有一词两译：同一个中文不出现两次，同一个英文不对应两个中文；
3. 每个笔记本孪生文件（notebooks/NN_*.py）里首次出现的术语，译法与术语表一致；
   术语表说某个术语在某一课首次出现，那一课里确实有这个词。
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossary.md"
NOTEBOOKS = ROOT / "notebooks"
SEARCH_EXTENSION = ROOT / "book" / "_ext" / "course_site.py"

HEADER = ["中文", "English", "释义", "首次出现"]
MIN_ROWS = 40

_CJK = "\u4e00-\u9fff"
#: 第一列只能是光秃秃的中文术语（允许中间有连字符，如“向量-雅可比积”）。
BARE_TERM = re.compile(rf"^[{_CJK}][{_CJK}\-]*$")
#: 第二列：英文术语，可带括号里的缩写，如 “mean squared error (MSE)”。
ENGLISH = re.compile(r"^[A-Za-z][A-Za-z\- ]*( \([A-Za-z]+\))?$")
#: 第四列：指向某一课笔记本的链接，如 [01 张量](../notebooks/01_tensor.ipynb)。
LESSON_LINK = re.compile(r"^\[[^\]]+\]\(\.\./notebooks/(\d\d_[A-Za-z0-9_]+)\.ipynb\)$")
#: 笔记本中的首次出现写法：**中文**（English）或 **中文**（English, ...），也容忍半角括号。
#: 括号里像英文术语的内容：字母开头，只含字母、数字、空格、连字符和括号（排除公式、代码）。
TERM_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9\-' ()]*")
FIRST_USE = re.compile(r"\*\*([^*\n]+?)\*\*\s*(?:（([^）\n]+)）|\(([^()\n]+)\))")


@dataclass(frozen=True)
class Row:
    """术语表中的一行。"""

    line: int
    chinese: str
    english: str
    definition: str
    first_cell: str

    @property
    def lesson(self) -> str | None:
        """首次出现的那一课的文件名（不含扩展名），如 ``01_tensor``。"""
        m = LESSON_LINK.match(self.first_cell)
        return m.group(1) if m else None


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse_glossary(text: str) -> list[Row]:
    """读出术语表页面中那张表格的全部数据行。"""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith("|") and _cells(line) == HEADER:
            start = i
            break
    else:
        raise AssertionError(f"术语表中找不到表头 | {' | '.join(HEADER)} |")
    separator = _cells(lines[start + 1]) if start + 1 < len(lines) else []
    assert len(separator) == len(HEADER) and all(
        re.fullmatch(r":?-{3,}:?", cell) for cell in separator
    ), f"术语表第 {start + 2} 行应是表格的分隔行 | --- | --- | --- | --- |"
    rows = []
    for offset, line in enumerate(lines[start + 2 :], start=start + 3):
        if not line.lstrip().startswith("|"):
            break
        cells = _cells(line)
        assert len(cells) == len(HEADER), (
            f"术语表第 {offset} 行有 {len(cells)} 列，应为 {len(HEADER)} 列（释义里不能出现竖线 |）"
        )
        rows.append(Row(offset, *cells))
    return rows


def english_key(english: str) -> str:
    """英文术语的比较键：去掉反引号和括号里的缩写，转小写，合并空白。"""
    text = re.sub(r"\([^)]*\)", " ", english.replace("`", ""))
    return " ".join(text.lower().split()).strip(" .:;")


def first_uses(text: str) -> list[tuple[int, str, str]]:
    """找出文本中 **中文**（English…）形式的首次出现，返回 (行号, 中文, 英文) 列表。

    括号里逗号、分号之前的部分算作英文术语；不像英文术语的括号内容
    （如 **注意**（这一点很重要）、**太大**（$\\alpha = 1.05$））跳过。
    """
    found = []
    for m in FIRST_USE.finditer(text):
        chinese = m.group(1).strip()
        inner = m.group(2) if m.group(2) is not None else m.group(3)
        english = re.split(r"[,，;；、]", inner, maxsplit=1)[0].strip()
        if not re.search(f"[{_CJK}]", chinese):
            continue
        if not TERM_LIKE.fullmatch(english.replace("`", "")):
            continue
        line = text.count("\n", 0, m.start()) + 1
        found.append((line, chinese, english))
    return found


def translation_conflicts(name: str, text: str, glossary: dict[str, str]) -> list[str]:
    """``glossary`` 把英文比较键映射到中文术语；返回文本中与术语表译法不同的地方。"""
    problems = []
    for line, chinese, english in first_uses(text):
        expected = glossary.get(english_key(english))
        if expected is not None and chinese != expected:
            problems.append(
                f"{name} 第 {line} 行把“{english}”译作“{chinese}”，"
                f"术语表中的译法是“{expected}”（请统一改为“{expected}”，或先修改术语表）"
            )
    return problems


ROWS = parse_glossary(GLOSSARY.read_text(encoding="utf-8"))
GLOSSARY_BY_ENGLISH = {english_key(row.english): row.chinese for row in ROWS}
LESSONS_IN_GLOSSARY = sorted({row.lesson for row in ROWS if row.lesson})


def lesson_twins() -> list[Path]:
    """当前存在的全部课程孪生文件 notebooks/NN_*.py。"""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


# ---------------------------------------------------------------- 表格本身


def test_glossary_has_enough_rows():
    assert len(ROWS) >= MIN_ROWS, f"术语表只有 {len(ROWS)} 行，至少应有 {MIN_ROWS} 行"


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.chinese)
def test_row_format_is_strict(row: Row):
    where = f"术语表第 {row.line} 行"
    assert BARE_TERM.match(row.chinese), (
        f"{where}：第一列必须只写中文术语本身（不加粗、不加说明），现在是“{row.chinese}”"
    )
    assert ENGLISH.match(row.english), (
        f"{where}：第二列应是英文术语（可带括号缩写，如 mean squared error (MSE)），"
        f"现在是“{row.english}”"
    )
    assert row.definition, f"{where}：“{row.chinese}”缺少释义"
    assert row.lesson, (
        f"{where}：“首次出现”一栏应是指向某一课的链接，如 "
        f"[01 张量](../notebooks/01_tensor.ipynb)，现在是“{row.first_cell}”"
    )


def test_no_chinese_term_listed_twice():
    seen: dict[str, int] = {}
    duplicates = []
    for row in ROWS:
        if row.chinese in seen:
            duplicates.append(f"“{row.chinese}”出现在第 {seen[row.chinese]} 行和第 {row.line} 行")
        seen.setdefault(row.chinese, row.line)
    assert not duplicates, "术语表中有重复的中文术语：" + "；".join(duplicates)


def test_no_english_term_with_two_translations():
    seen: dict[str, Row] = {}
    conflicts = []
    for row in ROWS:
        key = english_key(row.english)
        if key in seen:
            conflicts.append(
                f"“{row.english}”既译作“{seen[key].chinese}”（第 {seen[key].line} 行）"
                f"又译作“{row.chinese}”（第 {row.line} 行）"
            )
        seen.setdefault(key, row)
    assert not conflicts, "术语表中有一词两译：" + "；".join(conflicts)


def test_site_search_reads_every_term():
    """网站构建时用 book/_ext/course_site.py 读第一列，把术语加入 jieba 词典。"""
    spec = importlib.util.spec_from_file_location("course_site", SEARCH_EXTENSION)
    assert spec is not None and spec.loader is not None, f"找不到 {SEARCH_EXTENSION}"
    course_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course_site)
    read = set(course_site.glossary_terms(GLOSSARY))
    missing = [row.chinese for row in ROWS if row.chinese not in read]
    assert not missing, f"网站搜索读不到这些术语（检查第一列的格式）：{missing}"


# ---------------------------------------------------------------- 检测方法本身


def test_first_use_parser_handles_the_usual_forms():
    text = (
        "**张量**（tensor）是……\n"
        "**均方误差**（mean squared error, MSE）和 **学习率**（learning rate，记作 $\\eta$）\n"
        "**注意**（这一点很重要）以及 **导读**：不是术语。\n"
        "**Tensor**（张量）也不是，**太大**（$\\alpha = 1.05$）和 **这样**（`x + 1`）也不是。\n"
    )
    assert first_uses(text) == [
        (1, "张量", "tensor"),
        (2, "均方误差", "mean squared error"),
        (2, "学习率", "learning rate"),
    ]
    assert english_key("Mean Squared Error (MSE)") == "mean squared error"


def test_conflict_detector_finds_a_second_translation():
    glossary = {"epoch": "迭代周期", "leaf tensor": "叶子节点"}
    text = "先说 **轮次**（Epoch）。\n再说 **叶子节点**（leaf tensor）。\n"
    problems = translation_conflicts("99_demo.py", text, glossary)
    assert len(problems) == 1
    assert "99_demo.py 第 1 行把“Epoch”译作“轮次”" in problems[0]
    assert "术语表中的译法是“迭代周期”" in problems[0]


# ---------------------------------------------------------------- 各课的译法


def test_lessons_use_the_glossary_translations():
    twins = lesson_twins()
    assert twins, "notebooks/ 中没有任何课程孪生文件（NN_*.py），无法检查译法"
    problems = []
    for twin in twins:
        text = twin.read_text(encoding="utf-8")
        problems += translation_conflicts(f"notebooks/{twin.name}", text, GLOSSARY_BY_ENGLISH)
    assert not problems, "有术语的译法与术语表不一致：\n" + "\n".join(problems)


@pytest.mark.parametrize("lesson", LESSONS_IN_GLOSSARY)
def test_first_introduced_terms_appear_in_their_lesson(lesson: str):
    twin = NOTEBOOKS / f"{lesson}.py"
    if not twin.is_file():
        pytest.skip(f"notebooks/{lesson}.py 还不存在，暂不检查术语表中标为在这一课首次出现的术语")
    text = twin.read_text(encoding="utf-8")
    missing = [row.chinese for row in ROWS if row.lesson == lesson and row.chinese not in text]
    assert not missing, (
        f"术语表说这些术语在 {lesson} 首次出现，但 notebooks/{lesson}.py 中找不到它们：{missing}"
        "（请在该课中介绍它们，或改正术语表的“首次出现”一栏）"
    )
