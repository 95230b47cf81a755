"""页面元数据：每页的 ``<meta name="description">``。

搜索引擎和社交网站用它做页面摘要（Lighthouse 的 SEO 检查也要求有）。课程页面取“导读”一段，
其他页面取第一段正文，去掉“导读：”前缀，截到 120 个字以内。
"""

from __future__ import annotations

from html import escape

from docutils import nodes

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


def setup(app):
    app.connect("html-page-context", _add_description)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
