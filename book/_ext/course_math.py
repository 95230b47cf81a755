"""公式在构建网站时排版：页面里直接是排好的公式，浏览器不再下载、运行 MathJax。

原来每个有公式的页面都要先下载约 210 KB（gzip 后）的 MathJax，再在浏览器里逐个排版上百个公式；
手机上这要占用主线程一秒多，页面在这段时间里不响应操作。现在构建时用同一份 MathJax 3
（sphinx-mathjax-offline 带来的组件：TeX 输入、CHTML 输出，选项取自 _config.yml 的 ``mathjax3_config``）
在 Python 中排版：mini-racer（PyPI 上的包，自带 V8 引擎，不需要 Node.js）运行 MathJax，
MathJax 的 liteDOM 代替浏览器的 DOM。浏览器拿到的 HTML 与原来由 MathJax 在页面里生成的相同。

- 本模块登记为 Sphinx 的 HTML 公式渲染器（``app.add_html_math_renderer``，Sphinx 文档中的扩展接口）。
  每个公式外面仍是 Sphinx 原来的 ``<span class="math">`` / ``<div class="math">``，里面是 MathJax 的
  ``<mjx-container>``；原来的 TeX 写在 ``data-tex`` 属性里（搜索结果的摘要用它把公式换成易读的文字，
  见 static/course-search.js）。
- 公式的样式（MathJax 字体的 ``@font-face`` 和每个用到的字符一条规则）是全站共用的
  ``_static/course-math.css``：构建结束时由全部文档的公式生成（增量构建也完整），只有含公式的页面加载它；
  字体仍是 MathJax 自带的 woff 文件。sphinx-mathjax-offline 把整个 MathJax（24 MB）复制进网站，
  页面已不需要其中的脚本，构建结束时只留下字体。
- TeX 写错时，浏览器里的 MathJax 会在页面上显示红字；这里改为构建警告（``-W`` 时构建失败）。
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

RENDERER = "course_chtml"
STYLESHEET = "course-math.css"
#: MathJax 的 woff 字体在网站中的位置（相对于 _static，也就是相对于 course-math.css）
FONT_URL = "mathjax/output/chtml/fonts/woff-v2"
#: 排版要用的 MathJax 组件（es5 目录下的文件，不含 .js），与浏览器里原来加载的相同：TeX 输入、CHTML 输出。
COMPONENTS = ("core", "adaptors/liteDOM", "input/tex", "output/chtml", "output/chtml/fonts/tex")
#: 浏览器里遇到 \boldsymbol 这类命令时，input/tex 的 autoload 宏包才去下载相应的扩展；构建时不能异步下载，
#: 所以事先载入 autoload 可能用到的全部扩展（只是载入，要等遇到相应的命令才启用，排版结果与浏览器里相同）。
AUTOLOADED = (
    "action", "amscd", "bbox", "boldsymbol", "braket", "bussproofs", "cancel", "color",
    "enclose", "extpfeil", "html", "mhchem", "unicode", "verb",
)

_SETUP = """
var LOG = [];
var console = {
  log: function () { LOG.push([].slice.call(arguments).join(" ")); },
  warn: function () { LOG.push([].slice.call(arguments).join(" ")); },
  error: function () { LOG.push([].slice.call(arguments).join(" ")); },
};
var READY = false;
var MathJax = CONFIG;
MathJax.loader.require = function (path) {
  if (!Object.prototype.hasOwnProperty.call(FILES, path)) throw new Error("没有这个 MathJax 组件：" + path);
  (0, eval)(FILES[path]);
};
MathJax.tex.formatError = function (jax, error) { throw new Error(error.message); };
MathJax.startup.ready = function () { MathJax.startup.defaultReady(); READY = true; };
function courseTypeset(tex, display) {
  return MathJax.startup.adaptor.outerHTML(MathJax.tex2chtml(tex, {display: display}));
}
function courseStylesheet() {
  return MathJax.startup.adaptor.textContent(MathJax.chtmlStylesheet());
}
"""


class MathJaxError(Exception):
    """MathJax 排版一个公式时报的错（TeX 写错、命令未定义等）。"""


class MathJax:
    """在 V8 中运行的 MathJax 3：TeX → CHTML 的 HTML 片段。"""

    def __init__(self, options: dict | None = None) -> None:
        try:
            from py_mini_racer import MiniRacer
        except ImportError:
            raise RuntimeError(
                "构建网站时排版公式需要 mini-racer：请运行 `pip install -r requirements.txt`。"
            ) from None
        root = mathjax_root()
        options = options or {}
        extensions = [f"[tex]/{name}" for name in AUTOLOADED]
        # 浏览器里的 noundefined 宏包把未定义的命令排成红字；构建时去掉它，让 MathJax 报错（见 _SETUP 中的 formatError）
        tex = dict(options.get("tex", {}))
        packages = tex.get("packages", {})
        if isinstance(packages, list):
            tex["packages"] = [name for name in packages if name != "noundefined"]
        else:
            tex["packages"] = {**packages, "[-]": [*packages.get("[-]", []), "noundefined"]}
        config = {
            "loader": {"load": ["adaptors/liteDOM", "input/tex", "output/chtml", *extensions], "paths": {"mathjax": "mj"}},
            "tex": tex,
            "chtml": {**options.get("chtml", {}), "fontURL": "@FONTS@"},
            "startup": {"typeset": False},
        }
        names = [*COMPONENTS, *(f"input/tex/extensions/{name}" for name in AUTOLOADED)]
        files = {f"mj/{name}.js": (root / f"{name}.js").read_text(encoding="utf-8") for name in names}
        self._js = MiniRacer()
        self._js.eval(f"var FILES = {json.dumps(files)};\nvar CONFIG = {json.dumps(config)};\n{_SETUP}")
        self._js.eval((root / "startup.js").read_text(encoding="utf-8"))
        if not self._js.eval("READY"):
            raise RuntimeError(f"MathJax 没有启动：{self._js.eval('LOG.join(String.fromCharCode(10))')}")

    def typeset(self, tex: str, display: bool) -> str:
        """一个公式排版后的 HTML（``<mjx-container …>…</mjx-container>``）。"""
        from py_mini_racer import JSEvalException

        try:
            return self._js.call("courseTypeset", tex, display)
        except JSEvalException as error:
            message = str(error).strip().splitlines()[0] if str(error).strip() else "未知错误"
            raise MathJaxError(message.split("Error: ", 1)[-1]) from None

    def stylesheet(self, font_url: str = FONT_URL) -> str:
        """到目前为止排过的全部公式所需的 CSS。"""
        return self._js.call("courseStylesheet").replace("@FONTS@", font_url)

    def close(self) -> None:
        self._js.close()


def mathjax_root() -> Path:
    """sphinx-mathjax-offline 包中 MathJax 3 的 es5 目录。"""
    package = importlib.import_module("sphinx-mathjax-offline")
    return Path(package.__file__).parent / "static" / "mathjax"


def display_tex(node: nodes.math_block) -> str:
    """块级公式交给 MathJax 的 TeX：与 sphinx.ext.mathjax 的写法相同（多段用 aligned，含 \\\\ 的段用 split）。"""
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    body = []
    for i, part in enumerate(parts):
        body.append(r"\begin{split}" + part + r"\end{split}" if r"\\" in part else part)
        if i < len(parts) - 1:
            body.append(r"\\")
    tex = "".join(body)
    if len(parts) > 1:
        tex = r" \begin{align}\begin{aligned}" + tex + r"\end{aligned}\end{align} "
    return tex


def _engine(app) -> MathJax:
    engine = getattr(app, "_course_mathjax", None)
    if engine is None:
        engine = MathJax(app.config.mathjax3_config or {})
        app._course_mathjax = engine
    return engine


def _typeset(translator, node, tex: str, display: bool) -> str:
    try:
        return _engine(translator.builder.app).typeset(tex, display)
    except MathJaxError as error:
        logger.warning(f"公式排版失败（{error}）：{tex}", location=node)
        return translator.encode(tex)


def visit_math(self, node: nodes.math) -> None:
    tex = node.astext()
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight", **{"data-tex": tex}))
    self.body.append(_typeset(self, node, tex, display=False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight", **{"data-tex": node.astext()}))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    tex = node.astext() if node.get("nowrap") else display_tex(node)
    self.body.append(_typeset(self, node, tex, display=True) + "</div>\n")
    raise nodes.SkipNode


def _use_this_renderer(app, config) -> None:
    config.html_math_renderer = RENDERER


def _link_stylesheet(app, pagename, templatename, context, doctree) -> None:
    if app.builder.format == "html" and app.env.get_domain("math").has_equations(pagename):
        app.add_css_file(STYLESHEET)


def _write_stylesheet(app, exception) -> None:
    """由全部文档的公式生成 course-math.css（增量构建时没有重新写出的页面也算在内）。"""
    engine = getattr(app, "_course_mathjax", None)
    if exception is None and app.builder.format == "html":
        fresh = MathJax(app.config.mathjax3_config or {})
        try:
            math = app.env.get_domain("math")
            for docname in sorted(app.env.all_docs):
                if not math.has_equations(docname):
                    continue
                for node in app.env.get_doctree(docname).findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
                    display = isinstance(node, nodes.math_block)
                    tex = node.astext() if not display or node.get("nowrap") else display_tex(node)
                    try:
                        fresh.typeset(tex, display)
                    except MathJaxError:
                        pass  # 写页面时已经报过警告
            (Path(app.outdir) / "_static" / STYLESHEET).write_text(fresh.stylesheet(), encoding="utf-8")
        finally:
            fresh.close()
        _keep_only_fonts(Path(app.outdir) / "_static" / "mathjax")
    if engine is not None:
        engine.close()
        app._course_mathjax = None


def _keep_only_fonts(mathjax: Path) -> None:
    """网站里的 MathJax 目录只留下 course-math.css 引用的字体（sphinx-mathjax-offline 在此之前已复制完）。"""
    fonts = mathjax / FONT_URL.removeprefix("mathjax/")
    if not fonts.is_dir():
        return
    for path in sorted(mathjax.rglob("*"), reverse=True):  # 先处理深处的文件，再删空目录
        if path.is_file() and fonts not in path.parents:
            path.unlink()
        elif path.is_dir() and path != fonts and fonts not in path.parents and not any(path.iterdir()):
            path.rmdir()


def setup(app):
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", _use_this_renderer)
    app.connect("html-page-context", _link_stylesheet)
    app.connect("build-finished", _write_stylesheet)
    # 每个进程一个 V8 引擎；分进程并行写页面时，子进程会继承主进程里已经启动的引擎，不安全
    return {"parallel_read_safe": True, "parallel_write_safe": False}
