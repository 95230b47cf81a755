"""本站的 Sphinx 扩展：把 Jupyter Book 默认生成的网站修正为离线可用、加载快的中文网站。

每件事在自己的模块里，模块的说明写明它改了什么、为什么：

- :mod:`course_search`：中文搜索（jieba 词典、查询分词、结果排序、摘要中的公式；搜索脚本只在搜索页加载）；
- :mod:`course_offline`：离线与加载速度（页面头部的脚本不阻塞显示，动画各帧写成图片文件，去掉从外部网站加载脚本的 Thebe）；
- :mod:`course_math`：公式在构建时由 MathJax 排版，页面不加载 MathJax；
- :mod:`course_icons`：图标字体与主题 CSS 只保留网站用到的 Font Awesome 图标；
- :mod:`course_translations`：界面文字（主题译文不全的地方用 book/_ext/locale 中的译文）；
- :mod:`course_pages`：页面元数据（每页的 meta description 取自导读）。

``_config.yml`` 的 ``sphinx.local_extensions`` 把本目录加入 ``sys.path`` 并加载本模块。
"""

from __future__ import annotations

PARTS = ("course_translations", "course_offline", "course_math", "course_icons", "course_search", "course_pages")


def setup(app):
    for name in PARTS:
        app.setup_extension(name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
