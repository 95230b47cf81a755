"""页面元数据。

1. 每页的 ``<meta name="description">``：搜索引擎和社交网站用它做页面摘要（Lighthouse 的 SEO
   检查也要求有）。课程页面取“导读”一段，其他页面取第一段正文，去掉“导读：”前缀，截到 120 个字以内。
2. “验证于”：每课标题下一行小字，写明页面上的运行结果是用哪个 Python 和 PyTorch 版本得到的
   （tools/refresh.py 运行笔记本时记在元数据 ``course_outputs`` 里），以及课程验证过的版本
   （constraints.txt 固定的 PyTorch 与生成它时用的 Python）。加在文档树里，网站和 PDF 都有。
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: 描述的最大长度（字符）：搜索结果一般只显示这么多
MAX_LENGTH = 120


def page_description(doctree) -> str:
    """页面的第一段正文（课程页面是导读），去掉“导读：”前缀，过长时截断并加省略号。"""
    for paragraph in doctree.findall(nodes.paragraph):
        if paragraph.next_node(nodes.raw) is not None:
            continue
        text = " ".join(paragraph.astext().split())
        if len(text) < 10:  # 跳过“学习目标”之类的短行
            continue
        for prefix in ("导读：", "导读:"):
            text = text.removeprefix(prefix)
        return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"
    return ""


def _add_description(app, pagename, templatename, context, doctree) -> None:
    if doctree is None:
        return
    description = page_description(doctree)
    if description:
        context["metatags"] = context.get("metatags", "") + f'<meta name="description" content="{escape(description)}" />\n'


def verified_versions(root: Path) -> tuple[str, str]:
    """课程验证过的 (Python, PyTorch) 版本，读自 constraints.txt（tools/lock.sh 生成）。"""
    text = (root / "constraints.txt").read_text(encoding="utf-8")
    python = re.search(r"Python (\d+\.\d+)", text.splitlines()[0])
    torch = re.search(r"^torch==([\w.]+)$", text, re.M)
    if not (python and torch):
        raise RuntimeError("constraints.txt 的格式不对：第一行应写明 Python 版本，正文应有 torch==…（用 tools/lock.sh 重新生成）")
    return python.group(1), torch.group(1)


def stamp_text(outputs: dict, verified: tuple[str, str]) -> str:
    """“验证于”一行的文字。"""
    device = "CPU" if outputs.get("device", "cpu") == "cpu" else outputs["device"].upper()
    return (
        f"本课的运行结果由 Python {outputs['python']}、PyTorch {outputs['torch']}（{device}）得到；"
        f"课程验证于 Python {verified[0]}、PyTorch {verified[1]}。"
    )


def _lesson_parts(doctree, docname):
    """文档树中的各课：(文档名, 那一课的节点)。

    普通的 HTML 构建每次处理一页；PDF 用的 singlehtml 构建器把整本书拼成一棵树，
    其中每一页包在一个 ``start_of_file`` 节点里，只对根文档触发一次 doctree-resolved。
    """
    yield docname, doctree
    for part in doctree.findall(addnodes.start_of_file):
        yield part["docname"], part


def _add_stamp(app, doctree, docname) -> None:
    verified = None
    for name, part in _lesson_parts(doctree, docname):
        notebook = Path(app.srcdir) / f"{name}.ipynb"
        if not name.startswith("notebooks/") or not notebook.is_file():
            continue
        outputs = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get("course_outputs")
        if not outputs:
            logger.warning(f"{notebook.name} 没有记录运行版本（元数据 course_outputs）：请用 tools/refresh.py 重新运行它", location=name)
            continue
        title = next(iter(part.findall(nodes.title)), None)
        if title is None:
            continue
        verified = verified or verified_versions(Path(app.confdir))
        text = stamp_text(outputs, verified)
        stamp = nodes.raw("", f'<p class="course-stamp">{escape(text)}</p>\n', format="html")
        title.parent.insert(title.parent.index(title) + 1, stamp)


def setup(app):
    app.connect("doctree-resolved", _add_stamp)
    app.connect("html-page-context", _add_description)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
