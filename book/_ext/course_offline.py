"""离线与加载速度：网站不向任何外部网站发请求，公式尽快出现。

1. MathJax：sphinx-mathjax-offline 把 MathJax 3 复制进网站；这里改为分组件加载
   （``startup.js`` 只加载 _config.yml 中 ``mathjax3_config.loader.load`` 列出的 TeX 输入与
   CHTML 输出），省去合并版 tex-chtml.js 中 430 KB 的右键菜单；并在有公式的页面头部预加载
   这些组件和两种最常用的字体。
2. Thebe：Jupyter Book 1 总会加载 sphinx-thebe；它在每页注入指向外部网站的配置和脚本，并因
   重复声明 ``THEBE_JS_URL`` 在控制台报错。本站只展示运行结果（交互运行请用 Colab 或本地
   JupyterLab），所以断开它的全部事件处理函数、去掉它登记的样式表。断开时读的是
   ``app.events.listeners``（Sphinx 的内部结构）：tests/test_site.py 检查页面里没有 thebe。
"""

from __future__ import annotations


def _load_mathjax_by_components(app, config) -> None:
    config.mathjax_path = "mathjax/startup.js"


#: MathJax 分组件加载时要取的文件：startup.js 会依次请求它们，提前声明可让浏览器并行下载。
MATHJAX_PRELOAD = (
    ("core.js", "script"),
    ("input/tex.js", "script"),
    ("output/chtml.js", "script"),
    ("output/chtml/fonts/tex.js", "script"),
    ("output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff", "font"),
    ("output/chtml/fonts/woff-v2/MathJax_Math-Italic.woff", "font"),
)


def _preload_mathjax(app, pagename, templatename, context, doctree) -> None:
    """在有公式的页面头部声明 MathJax 组件与常用字体的预加载。"""
    if doctree is None or not app.env.get_domain("math").has_equations(pagename):
        return
    links = []
    for path, kind in MATHJAX_PRELOAD:
        href = context["pathto"](f"_static/mathjax/{path}", 1)
        extra = ' type="font/woff" crossorigin' if kind == "font" else ""
        links.append(f'<link rel="preload" as="{kind}" href="{href}"{extra} />')
    context["metatags"] = context.get("metatags", "") + "\n".join(links) + "\n"


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
    # 优先级高于 sphinx-mathjax-offline 在 setup 中写入的 mathjax_path
    app.connect("config-inited", _load_mathjax_by_components, priority=900)
    app.connect("html-page-context", _preload_mathjax)
    _disable_thebe(app)
    app.connect("html-page-context", _drop_thebe_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
