"""术语表（book/glossary.md）与各课译法的一致性检查。

课程约定：一个术语在整门课中只有一种译法，第一次出现时写成 ``**中文**（English）``。
这里检查四件事：

1. 术语表的表格格式严格（网站搜索从第一列读出中文术语，教给分词器）；
2. 术语表内部没有一词两译：同一个中文不出现两次，同一个英文不对应两个中文；
3. 每个笔记本孪生文件（notebooks/NN_*.py）里首次出现的术语，译法与术语表一致；
4. 术语表的“首次出现”一栏属实：按 _toc.yml 的课程顺序，一个术语第一次以
   ``**中文**（English）`` 的形式出现的那一课，就是这一栏写的那一课；这种写法在整门课里
   只出现一次（之后的课只写中文）；课程里这样介绍的术语都收进了术语表。
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import course_toc

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossary.md"
NOTEBOOKS = ROOT / "notebooks"
#: 网站构建时读术语表第一列的扩展模块（定义了 glossary_terms 的那个文件）。
SEARCH_EXTENSION = next(
    (
        path
        for path in sorted((ROOT / "book" / "_ext").glob("course_*.py"))
        if "def glossary_terms(" in path.read_text(encoding="utf-8")
    ),
    ROOT / "book" / "_ext" / "course_site.py",
)
TOC = ROOT / "_toc.yml"

HEADER = ["中文", "English", "释义", "首次出现"]
MIN_ROWS = 40

_CJK = "\u4e00-\u9fff"
#: 第一列只能是光秃秃的中文术语（允许中间有连字符，如“向量-雅可比积”）。
#: 少数术语带一个英文名词，如“死亡 ReLU”：允许中文后跟一个空格和一个英文单词。
BARE_TERM = re.compile(rf"^([A-Za-z]+ )?[{_CJK}][{_CJK}\-]*( [A-Za-z]+)?$")  # 如“张量”“softmax 函数”“死亡 ReLU”
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


def lesson_twins() -> list[Path]:
    """当前存在的全部课程孪生文件 notebooks/NN_*.py（也包括忘了加进 _toc.yml 的）。"""
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
    """网站构建时用 book/_ext 中的扩展读第一列，把术语加入 jieba 词典。"""
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


# ---------------------------------------------------------------- “首次出现”一栏


@dataclass(frozen=True)
class Introduction:
    """课程里一处 ``**中文**（English）`` 形式的术语介绍。"""

    lesson: str
    line: int
    english: str

    def where(self) -> str:
        return f"notebooks/{self.lesson}.py 第 {self.line} 行"


def introductions(texts: list[tuple[str, str]]) -> dict[str, list[Introduction]]:
    """``texts`` 是按课程顺序排列的 (课名, 孪生文件的文本)；返回每个中文术语的全部介绍，按出现先后排列。"""
    found: dict[str, list[Introduction]] = {}
    for lesson, text in texts:
        for line, chinese, english in first_uses(text):
            found.setdefault(chinese, []).append(Introduction(lesson, line, english))
    return found


def first_column_problems(
    rows: list[Row], found: dict[str, list[Introduction]], order: list[str]
) -> list[str]:
    """术语表“首次出现”一栏与课程中第一次介绍的位置不一致的地方，每处一条中文说明。"""
    problems = []
    for row in rows:
        where = f"术语表第 {row.line} 行“{row.chinese}”"
        english = re.sub(r" \(([^)]*)\)$", r", \1", row.english)  # “mean squared error, MSE”
        form = f"**{row.chinese}**（{english}）"
        if row.lesson not in order:
            problems.append(
                f"{where}：“首次出现”指向 {row.lesson}，但它不在 _toc.yml 的课程目录中"
                f"（或者 notebooks/{row.lesson}.py 不存在）"
            )
            continue
        intros = found.get(row.chinese)
        if not intros:
            problems.append(
                f"{where}：“首次出现”写的是 {row.lesson}，但按目录顺序的所有课程中都找不到 {form} 这样的介绍"
                f"（请在 notebooks/{row.lesson}.py 里第一次用到它的地方写成 {form}）"
            )
            continue
        first = intros[0]
        if first.lesson == row.lesson:
            continue
        if order.index(first.lesson) < order.index(row.lesson):
            fix = (
                f"它在 {first.lesson} 就已经介绍了：若那里确实是课程中第一次用到它，"
                f"请把“首次出现”改为 {first.lesson}；否则去掉那里的加粗和英文括注"
            )
        else:
            fix = (
                f"{row.lesson} 中没有这样介绍它：请在 notebooks/{row.lesson}.py 里第一次用到它的地方写成 {form}，"
                f"并去掉 {first.lesson} 中的加粗和英文括注；或者把“首次出现”改为 {first.lesson}"
            )
        problems.append(
            f"{where}：“首次出现”写的是 {row.lesson}，而按目录顺序它第一次以 "
            f"**{row.chinese}**（{first.english}） 的形式出现在 {first.where()}（{fix}）"
        )
    return problems


def repeated_introduction_problems(found: dict[str, list[Introduction]]) -> list[str]:
    """以 ``**中文**（English）`` 形式介绍了不止一次的术语，每个一条中文说明。"""
    problems = []
    for chinese, intros in found.items():
        if len(intros) > 1:
            later = "、".join(intro.where() for intro in intros[1:])
            problems.append(
                f"“{chinese}”在 {intros[0].where()}已经以 **{chinese}**（{intros[0].english}） 的形式介绍过，"
                f"又在 {later}再次这样介绍（之后只写“{chinese}”，请去掉这些地方的加粗和英文括注）"
            )
    return problems


def unlisted_term_problems(rows: list[Row], found: dict[str, list[Introduction]]) -> list[str]:
    """课程中以 ``**中文**（English）`` 形式介绍、却不在术语表里的术语，每个一条中文说明。"""
    listed = {row.chinese for row in rows}
    by_english = {english_key(row.english): row.chinese for row in rows}
    problems = []
    for chinese, intros in found.items():
        if chinese in listed:
            continue
        first = intros[0]
        known = by_english.get(english_key(first.english))
        fix = (
            f"术语表把“{first.english}”译作“{known}”，请改用“{known}”"
            if known
            else f"请在 book/glossary.md 的表格中补上，“首次出现”写 {first.lesson}"
        )
        problems.append(
            f"{first.where()}以 **{chinese}**（{first.english}） 的形式介绍了一个术语，"
            f"但术语表里没有“{chinese}”这一行（{fix}）"
        )
    return problems


def course_texts() -> list[tuple[str, str]]:
    """按目录顺序读出每一课的孪生文件 notebooks/NN_*.py；目录里有、文件却不存在的课跳过。"""
    texts = []
    for lesson in course_toc.lesson_names(TOC):
        twin = NOTEBOOKS / f"{lesson}.py"
        if twin.is_file():
            texts.append((lesson, twin.read_text(encoding="utf-8")))
    return texts


def test_toc_lists_every_lesson_twin():
    order = course_toc.lesson_names(TOC)
    assert order, "_toc.yml 中没有任何 notebooks/ 下的课程，无法确定术语首次出现的顺序"
    missing = [twin.name for twin in lesson_twins() if twin.stem not in order]
    if missing:
        pytest.fail(
            f"这些课程不在 _toc.yml 的目录中，无法确定术语首次出现在哪一课：{missing}"
            "（请把它们加进 _toc.yml）",
            pytrace=False,
        )


def test_glossary_rows_follow_the_course_order():
    """术语表页面说“下表按课程顺序排列”：各行的“首次出现”按目录顺序不倒退。"""
    order = course_toc.lesson_names(TOC)
    problems = []
    for before, after in zip(ROWS, ROWS[1:]):
        if before.lesson in order and after.lesson in order:
            if order.index(after.lesson) < order.index(before.lesson):
                problems.append(
                    f"第 {after.line} 行“{after.chinese}”（{after.lesson}）排在"
                    f"第 {before.line} 行“{before.chinese}”（{before.lesson}）之后"
                )
    if problems:
        pytest.fail(
            "术语表没有按课程顺序排列（请把这些行移到它们那一课的术语中间）：\n"
            + "\n".join(problems),
            pytrace=False,
        )


def test_glossary_first_column_is_true():
    texts = course_texts()
    order = [lesson for lesson, _ in texts]
    problems = first_column_problems(ROWS, introductions(texts), order)
    if problems:
        pytest.fail(
            f"术语表的“首次出现”一栏有 {len(problems)} 处与课程不符（按 _toc.yml 的顺序，"
            "找每个术语第一次以 **中文**（English） 形式出现的那一课）：\n" + "\n".join(problems),
            pytrace=False,
        )


def test_each_term_is_introduced_only_once():
    problems = repeated_introduction_problems(introductions(course_texts()))
    if problems:
        pytest.fail(
            f"有 {len(problems)} 个术语在课程中不止一次以 **中文**（English） 的形式介绍：\n"
            + "\n".join(problems),
            pytrace=False,
        )


def test_every_introduced_term_is_in_the_glossary():
    problems = unlisted_term_problems(ROWS, introductions(course_texts()))
    if problems:
        pytest.fail(
            f"有 {len(problems)} 个课程中介绍的术语不在术语表里：\n" + "\n".join(problems),
            pytrace=False,
        )


def test_first_column_checks_find_each_kind_of_mismatch():
    texts = [
        ("00_a", "# 先讲 **张量**（tensor）。\n# 再讲 **梯度**（gradient）。\n"),
        ("01_b", "# 又是 **张量**（tensor），还有 **广播**（broadcasting）与 **视图**（view）。\n"),
    ]
    found = introductions(texts)
    assert [(i.lesson, i.line) for i in found["张量"]] == [("00_a", 1), ("01_b", 1)]
    link = "[{0}](../notebooks/{0}.ipynb)"
    rows = [
        Row(10, "张量", "tensor", "…", link.format("00_a")),  # 属实
        Row(11, "梯度", "gradient", "…", link.format("01_b")),  # 其实在更早的 00_a 就介绍了
        Row(12, "广播", "broadcasting", "…", link.format("00_a")),  # 00_a 中没有介绍，01_b 才介绍
        Row(13, "损失", "loss", "…", link.format("01_b")),  # 哪里都没有介绍
        Row(14, "视图", "view", "…", link.format("09_z")),  # 指向目录里没有的课
    ]
    problems = first_column_problems(rows, found, ["00_a", "01_b"])
    assert len(problems) == 4, problems
    assert problems[0].startswith(
        "术语表第 11 行“梯度”：“首次出现”写的是 01_b，而按目录顺序它第一次以 **梯度**（gradient）"
    )
    assert "notebooks/00_a.py 第 2 行" in problems[0] and "请把“首次出现”改为 00_a" in problems[0]
    assert "00_a 中没有这样介绍它" in problems[1] and "notebooks/01_b.py 第 1 行" in problems[1]
    assert "找不到 **损失**（loss） 这样的介绍" in problems[2]
    assert "指向 09_z，但它不在 _toc.yml 的课程目录中" in problems[3]
    abbreviated = Row(16, "均方误差", "mean squared error (MSE)", "…", link.format("00_a"))
    assert "**均方误差**（mean squared error, MSE）" in first_column_problems([abbreviated], found, ["00_a"])[0]
    repeated = repeated_introduction_problems(found)
    assert repeated == [
        "“张量”在 notebooks/00_a.py 第 1 行已经以 **张量**（tensor） 的形式介绍过，"
        "又在 notebooks/01_b.py 第 1 行再次这样介绍（之后只写“张量”，请去掉这些地方的加粗和英文括注）"
    ]
    unlisted = unlisted_term_problems(rows[:2], found)
    assert len(unlisted) == 2, unlisted
    assert "术语表里没有“广播”这一行" in unlisted[0] and "“首次出现”写 01_b" in unlisted[0]
    renamed = rows[:2] + [Row(15, "广播机制", "broadcasting", "…", link.format("01_b"))]
    unlisted = unlisted_term_problems(renamed, found)
    assert "术语表把“broadcasting”译作“广播机制”，请改用“广播机制”" in unlisted[0], unlisted
