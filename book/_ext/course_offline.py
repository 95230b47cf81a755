"""离线与加载速度：网站不向任何外部网站发请求，页面尽快显示。

1. 脚本不阻塞页面显示：页面头部的外部脚本都加上 ``defer``（见 _defer_scripts 的说明），
   documentation_options.js 的内容直接写进页面。公式在构建时排版（course_math），页面不加载 MathJax。
   动画的各帧从页面里搬到单独的图片文件（见 _externalize_animation_frames）。
   笔记本输出的图片延迟加载并写明宽高（见 _lazy_images）；屏幕外的单元格先不排版（static/course.css），
   主题判断可滚动区域的 Tab 停靠点时也不逼浏览器排完整页（见 _lazy_tab_stops）。
2. Thebe：Jupyter Book 1 总会加载 sphinx-thebe；它在每页注入指向外部网站的配置和脚本，并因
   重复声明 ``THEBE_JS_URL`` 在控制台报错。本站只展示运行结果（交互运行请用 Colab 或本地
   JupyterLab），所以断开它的全部事件处理函数、去掉它登记的样式表。断开时读的是
   ``app.events.listeners``（Sphinx 的内部结构）：tests/test_site.py 检查页面里没有 thebe。
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: 页面头部的脚本中，推迟后要紧跟在 doctools.js 之后的译文（见 _defer_scripts）
_TRANSLATIONS = "translations.js"
_DOCUMENTATION_OPTIONS = "documentation_options.js"
_OPTIONS_TAG = re.compile(r'<script src="(?:\.\./)*_static/documentation_options\.js(?:\?v=[0-9a-f]+)?"></script>')


def _script_name(js) -> str:
    return Path(str(js.filename or "")).name


def _defer_scripts(app, pagename, templatename, context, doctree) -> None:
    """页面头部的外部脚本都加上 defer：浏览器不必等它们下载、运行完才显示页面。

    带 defer 的脚本在页面解析完之后、DOMContentLoaded 之前按文档顺序运行，所以脚本之间的先后不变；
    页面里的内联脚本（``let toggleHintShow = …``、MathJax 的配置）只是给变量赋值，仍在原处先运行。
    有两处要照顾：

    - 内联的 ``DOCUMENTATION_OPTIONS.pagename = …`` 要用 documentation_options.js 定义的对象，
      所以它不推迟，构建结束后把它的内容直接写进页面（_inline_documentation_options），少一次请求；
    - 这些脚本在 DOMContentLoaded 时才做的事（sphinx_highlight.js 加“隐藏搜索结果”链接），推迟后
      在脚本运行时立刻就做，那时排在后面的 translations.js 还没运行，链接文字会是英文：
      把 translations.js 挪到 doctools.js 紧后面（它只调用 doctools.js 定义的函数）。

    搜索页不改：主题的搜索页模板把 searchtools.js 和搜索索引写成同步脚本，course-search.js 必须在
    它们之前运行、先登记 DOMContentLoaded 的处理函数（见 static/course-search.js）。
    """
    files = context.get("script_files")
    if pagename == "search" or not files:
        return
    scripts = list(files)
    names = [_script_name(js) for js in scripts]
    if _TRANSLATIONS in names and "doctools.js" in names:
        translations = scripts.pop(names.index(_TRANSLATIONS))
        doctools = next(js for js in scripts if _script_name(js) == "doctools.js")
        # 页面渲染前 Sphinx 按 priority 排序（稳定排序）：与 doctools.js 同一优先级，才能留在它后面
        moved = type(translations)(translations.filename, priority=doctools.priority, **translations.attributes)
        scripts.insert(scripts.index(doctools) + 1, moved)
    deferred = []
    for js in scripts:
        attributes = dict(js.attributes)
        blocking = not ({"defer", "async"} & attributes.keys()) and attributes.get("type") != "module"
        if js.filename and blocking and _script_name(js) != _DOCUMENTATION_OPTIONS:
            attributes["defer"] = "defer"
            js = type(js)(js.filename, priority=js.priority, **attributes)
        deferred.append(js)
    # 原地修改：这个列表就是 Sphinx 构建器自己的列表（每页开始时 Sphinx 会把它恢复原样）
    files[:] = deferred


def _rewrite_pages(app, exception, rewrite, *, singlehtml: bool = True) -> None:
    """构建结束后逐个改写网站的 HTML 页面：``rewrite(页面路径, HTML) -> 新的 HTML``，有变化才写回。

    构建失败、不是 HTML 构建器（或 ``singlehtml`` 为 False 时的单页构建）时什么都不做；_static 中的文件不算页面。
    """
    if exception is not None or app.builder.format != "html" or (not singlehtml and app.builder.name == "singlehtml"):
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        html = page.read_text(encoding="utf-8")
        changed = rewrite(page, html)
        if changed != html:
            page.write_text(changed, encoding="utf-8")


def _inline_documentation_options(app, exception) -> None:
    """把 documentation_options.js（不到 0.5 KB）的内容直接写进每个页面，省去一个阻塞渲染的请求。"""
    options = Path(app.outdir) / "_static" / _DOCUMENTATION_OPTIONS
    if exception is not None or not options.is_file():
        return
    body = options.read_text(encoding="utf-8").strip()
    if "</" in body:  # 不会发生：只是保证内容不会提前结束 <script> 元素
        return
    _rewrite_pages(app, exception, lambda page, html: _OPTIONS_TAG.sub(lambda m: f"<script>{body}</script>", html, count=1))


#: matplotlib 的 JS 动画（Animation.to_jshtml）把每一帧写成脚本里的 base64 字符串：
#: ``frames[3] = "data:image/png;base64,iVBO…\<换行>…"``（字符串中用反斜杠续行）
_DATA_FRAME = re.compile(r'(frames\[\d+\] = )"data:image/(png|jpeg|gif);base64,((?:[A-Za-z0-9+/=]|\\\n)+)"')
_FRAME_SUFFIX = {"png": "png", "jpeg": "jpg", "gif": "gif"}


def _externalize_animation_frames(app, exception) -> None:
    """把动画各帧写成 _images/ 中的图片文件，脚本里只留文件地址。

    一段 20 帧的动画在页面里是约 300 KB 的 base64 文字，gzip 也压不小：页面本身要多下载这么多，
    浏览器才能显示正文。改成图片文件后，页面先显示，各帧由动画脚本照常全部加载（``new Image()``），
    播放、拖动滑块与原来相同。整本书的 PDF 用的单页构建（singlehtml）不改：打印前要立刻拿到最后一帧。
    """
    images = Path(app.outdir) / "_images"

    def externalize(page: Path, html: str) -> str:
        if "data:image" not in html:
            return html
        prefix = os.path.relpath(images, page.parent).replace(os.sep, "/")

        def to_file(m: re.Match) -> str:
            data = base64.b64decode(m.group(3).replace("\\\n", ""))
            name = f"frame-{hashlib.sha256(data).hexdigest()[:24]}.{_FRAME_SUFFIX[m.group(2)]}"
            images.mkdir(exist_ok=True)
            (images / name).write_bytes(data)
            return f'{m.group(1)}"{prefix}/{name}"'

        return _DATA_FRAME.sub(to_file, html)

    _rewrite_pages(app, exception, externalize, singlehtml=False)


_IMG_TAG = re.compile(r"<img\s[^>]*>")
_IMG_SRC = re.compile(r'\ssrc="([^"]+)"')


def _lazy_images(app, exception) -> None:
    """笔记本输出的图片（_images/ 中的文件）加上 ``loading="lazy"``、``decoding="async"`` 和图片的宽高。

    一课有五到九张图，多在页面下方。不加时浏览器一打开页面就下载全部图片，在慢速网络上与正文争抢带宽，
    页面要等它们下载完才算显示完整；加上后图片在读者滚动到附近时才下载（浏览器提前约一两屏开始）。
    写明宽高（``width``/``height`` 属性，CSS 中 ``height: auto`` 保持比例）让浏览器在图片下载前就留出位置，
    图片到达时正文不跳动。整本书的 PDF 用的单页构建（singlehtml）不改：打印时要全部图片。
    """
    import imagesize  # Sphinx 自己用它读图片尺寸（requirements.txt 中也写明了）

    def lazy(page: Path, html: str) -> str:
        def tag_with_size(m: re.Match) -> str:
            tag = m.group(0)
            src = _IMG_SRC.search(tag)
            if not src or "_images/" not in src.group(1) or " loading=" in tag:
                return tag
            width, height = imagesize.get(str(page.parent / src.group(1)))
            size = f' width="{width}" height="{height}"' if width > 0 and height > 0 else ""
            return f'<img loading="lazy" decoding="async"{size} {tag[5:]}'

        return _IMG_TAG.sub(tag_with_size, html)

    _rewrite_pages(app, exception, lazy, singlehtml=False)


#: 主题脚本（pydata-sphinx-theme.js，压缩后的一行）中给可滚动区域设 Tab 停靠点的那段代码
THEME_SCRIPT = "scripts/pydata-sphinx-theme.js"
THEME_TAB_STOP = "e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1"
COURSE_TAB_STOP = "window.courseTabStop(e)"
TAB_STOPS_SCRIPT = Path(__file__).parent / "course-tabstops.js"


def _lazy_tab_stops(app, exception) -> None:
    """主题脚本给可滚动区域设 Tab 停靠点时，屏幕外单元格里的区域等它快进入视口再判断（book/_ext/course-tabstops.js）。

    主题在 load 事件时读页面上每个代码块的 scrollWidth，逼浏览器排完 content-visibility 暂不排版的整页：
    手机上是一个三四百毫秒的长任务，期间页面不响应操作（Lighthouse 的总阻塞时间几乎全由它而来）。
    这里把主题脚本中判断一个区域的那段代码换成 course-tabstops.js 中的函数，并把该文件的内容写在主题脚本开头。
    主题版本由 constraints.txt 固定；找不到那段代码（换了主题版本）时报警告（-W 时构建失败），
    tests/test_site.py 与 tests/test_browser.py 检查替换后的行为。
    """
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir) / "_static" / THEME_SCRIPT
    if not script.is_file():
        return
    code = script.read_text(encoding="utf-8")
    if COURSE_TAB_STOP in code:  # 增量构建：上次已经替换过
        return
    if code.count(THEME_TAB_STOP) != 1:
        logger.warning(f"{THEME_SCRIPT} 中找不到给可滚动区域设 Tab 停靠点的代码：主题版本变了，请更新 book/_ext/course_offline.py")
        return
    lazy = TAB_STOPS_SCRIPT.read_text(encoding="utf-8")
    script.write_text(lazy + "\n" + code.replace(THEME_TAB_STOP, COURSE_TAB_STOP), encoding="utf-8")


def _disable_thebe(app) -> None:
    """断开 sphinx-thebe 注册的全部事件处理函数。"""
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def _drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    """去掉 sphinx-thebe 在 setup 时登记的样式表与脚本。"""
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if files:
            # 原地修改：这个列表就是 Sphinx 构建器自己的列表，之后的处理函数还可能往里添加脚本
            files[:] = [f for f in files if "thebe" not in str(getattr(f, "filename", f) or "").lower()]


def setup(app):
    _disable_thebe(app)
    app.connect("html-page-context", _drop_thebe_assets)
    # 在其他扩展都登记完本页脚本之后再推迟它们
    app.connect("html-page-context", _defer_scripts, priority=900)
    app.connect("build-finished", _inline_documentation_options)
    app.connect("build-finished", _externalize_animation_frames)
    app.connect("build-finished", _lazy_images)
    app.connect("build-finished", _lazy_tab_stops)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
