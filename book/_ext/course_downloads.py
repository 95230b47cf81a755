"""每页顶部的“下载整本书”菜单：整本书的 PDF 与离线课程包。

在页面顶部的按钮栏中，紧挨着主题自带的“下载本页”菜单，加一个图标为书的下拉菜单，其中两项：

- 整本书（PDF）：``_downloads/pytorch-basics-zh.pdf``，由 ``tools/build_pdf.py`` 生成；
- 离线课程包（zip）：``_downloads/pytorch-basics-zh-offline.zip``，由 ``tools/build_kit.py`` 生成。

这两个文件不是 Sphinx 生成的：网站构建完成后，``tools/setup.sh`` 和 ``tools/test.sh`` 运行上面两个
脚本，把它们写进 ``_build/html/_downloads/``，随网站一起发布。只运行 ``jupyter-book build .`` 时
菜单已经在，但文件要等两个脚本运行后才有。

菜单用的是 sphinx-book-theme 自己的按钮组：主题在 ``html-page-context`` 事件中（优先级 501）
把按钮写进 ``context["header_buttons"]``，本扩展在其后（优先级 502）插入一组，所以样式、
键盘操作都与“下载本页”菜单相同。
"""

from __future__ import annotations

DOWNLOADS = "_downloads"
PDF_NAME = "pytorch-basics-zh.pdf"
KIT_NAME = "pytorch-basics-zh-offline.zip"


def book_downloads(pathto) -> dict:
    """“下载整本书”按钮组（sphinx-book-theme 的 header_buttons 格式）。"""
    return {
        "type": "group",
        "tooltip": "下载整本书",
        "icon": "fas fa-book",
        "label": "book-downloads",
        "buttons": [
            {
                "type": "link",
                "url": pathto(f"{DOWNLOADS}/{PDF_NAME}", 1),
                "text": "整本书（PDF）",
                "tooltip": "下载全部课程与参考页面的 PDF，可离线阅读或打印",
                "icon": "fas fa-file-pdf",
                "label": "book-pdf-button",
            },
            {
                "type": "link",
                "url": pathto(f"{DOWNLOADS}/{KIT_NAME}", 1),
                "text": "离线课程包（zip）",
                "tooltip": "下载全部笔记本、lessons 安装文件与离线安装说明",
                "icon": "fas fa-file-zipper",
                "label": "offline-kit-button",
            },
        ],
    }


def _add_book_downloads(app, pagename, templatename, context, doctree) -> None:
    buttons = context.get("header_buttons")
    if buttons is None or app.builder.name != "html":
        return
    after = [i for i, button in enumerate(buttons) if button.get("label") == "download-buttons"]
    buttons.insert(after[0] + 1 if after else 0, book_downloads(context["pathto"]))


def setup(app):
    app.connect("html-page-context", _add_book_downloads, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
