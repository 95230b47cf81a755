"""把整本书做成一个 PDF：pytorch-basics-zh.pdf。

用法（在仓库根目录，已激活虚拟环境）::

    python tools/build_pdf.py                  # 输出到 _build/html/_downloads/pytorch-basics-zh.pdf
    python tools/build_pdf.py --output 书.pdf  # 输出到别处

做法：

1. 用 Jupyter Book 的 ``singlehtml`` 构建器把 ``_toc.yml`` 中的全部页面按目录顺序拼成一个网页
   （构建在 ``_build/pdf`` 中进行，不碰网站的 ``_build/html``）；
2. 用本机的 HTTP 服务器提供这个网页，在无头 Chromium 中打开，等图片与字体加载完（公式在构建时已排好）；
3. 在页面里做印刷版的调整：去掉侧栏、页眉、按钮等网站界面，强制浅色模式，展开参考答案，
   代码自动折行，第 5 课的动画换成最后一帧加一句说明，每章从新的一页开始，
   加上封面和带页码的目录，正文使用随 ``pylopdf-fonts-zh-cn`` 安装的思源宋体、思源黑体；
4. 用 Chromium 打印成 PDF（A4，页脚有页码，书签由各级标题生成）。目录的页码取自第一次打印的
   书签，再打印一次把页码填进去。

为什么用浏览器而不用 LaTeX：Jupyter Book 的 ``pdfhtml`` 构建器会通过一个不再维护的库自己下载浏览器，
离线时失败；LaTeX（xelatex + ctex）要装几个 GB 的 TeX Live，而且笔记本输出中的 ANSI 颜色码会让它出错。
这里用的 Chromium 正是浏览器测试已经在用的那一个，公式、图片、代码高亮都和网站一致。
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from site_browser import CHROMIUM_ARGS, MISSING_CHROMIUM, find_chromium, serve

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "_build" / "pdf"
DOWNLOADS = ROOT / "_build" / "html" / "_downloads"
PDF_NAME = "pytorch-basics-zh.pdf"

#: 等待页面就绪（图片、字体、公式）的上限，毫秒
LOAD_TIMEOUT_MS = 180_000


# ---------------------------------------------------------------------------
# 目录与版本
# ---------------------------------------------------------------------------


def toc_entries(root: Path = ROOT) -> list[dict[str, str]]:
    """按 ``_toc.yml`` 的顺序列出书中的全部页面。

    每一项是 ``{"doc": "notebooks/01_tensor", "part": "核心概念"}``；根页面（前言）的 part 为空。
    只认 Jupyter Book 1 的 ``jb-book`` 格式：root、parts、chapters（以及可选的 sections）。
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    if toc.get("format") != "jb-book" or "root" not in toc:
        raise SystemExit("_toc.yml 应是 jb-book 格式，并且有 root 一项。")
    entries = [{"doc": _docname(toc["root"]), "part": ""}]

    def add(items: list[dict[str, Any]], part: str) -> None:
        for item in items or []:
            if "file" in item:
                entries.append({"doc": _docname(item["file"]), "part": part})
            add(item.get("sections", []), part)

    for part in toc.get("parts", []):
        add(part.get("chapters", []), part.get("caption", ""))
    add(toc.get("chapters", []), "")
    return entries


def _docname(path: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", "", path)


def book_version(root: Path = ROOT) -> str:
    """封面上的版本：pyproject.toml 中的版本号，加上 git 的修订号（有标签时是标签）。"""
    found = re.search(r'^version\s*=\s*"([^"]+)"', (root / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    version = found.group(1) if found else "0"
    try:
        described = subprocess.run(
            ["git", "describe", "--tags", "--always"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        described = ""
    return f"{version}（{described}）" if described else version


def book_config(root: Path = ROOT) -> dict[str, Any]:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------
# 第 1 步：单页 HTML
# ---------------------------------------------------------------------------


def jupyter_book_command() -> list[str]:
    """当前虚拟环境中的 jupyter-book 命令。"""
    local = Path(sys.executable).with_name("jupyter-book")
    if local.is_file():
        return [str(local)]
    found = shutil.which("jupyter-book")
    if not found:
        raise SystemExit("找不到 jupyter-book：请先运行 `pip install -r requirements.txt`。")
    return [found]


def build_singlehtml(work: Path, root: Path = ROOT) -> Path:
    """用 singlehtml 构建器把整本书构建成一个网页，返回它所在的目录。"""
    if work.exists():
        shutil.rmtree(work)
    command = jupyter_book_command() + [
        "build", str(root), "--builder", "singlehtml", "--path-output", str(work),
        "--warningiserror", "--nitpick", "--keep-going", "--quiet",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    out = work / "_build" / "singlehtml"
    if result.returncode != 0 or not out.is_dir():
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit("单页 HTML 构建失败（见上面的输出）。")
    return out


def prepare_print_page(site: Path, entries: list[dict[str, str]]) -> Path:
    """把根页面复制到网站根目录（singlehtml 把它放在 book/ 下，但链接都相对于根目录），
    并放入印刷用的样式表和中文字体。返回印刷页的路径。"""
    root_doc = entries[0]["doc"]
    source = site / f"{root_doc}.html"
    html = source.read_text(encoding="utf-8")
    missing = [e["doc"] for e in entries[1:] if f'id="document-{e["doc"]}"' not in html]
    if missing:
        raise SystemExit(f"单页 HTML 中缺少这些页面：{missing}")
    html = html.replace("</head>", '<link rel="stylesheet" href="_static/print-book.css" />\n</head>', 1)
    page = site / "print-book.html"
    page.write_text(html, encoding="utf-8")

    static = site / "_static"
    (static / "print-book.css").write_text(PRINT_CSS, encoding="utf-8")
    fonts = static / "print-fonts"
    fonts.mkdir(exist_ok=True)
    # 封面、目录与说明文字是在浏览器里加上的，它们的字也要在子集里
    config = book_config()
    extra = [*BOOK_STRINGS, ANIMATION_NOTE, str(config.get("title", "")), str(config.get("author", ""))]
    text = html + "".join(extra) + "".join(e["part"] for e in entries)
    for source, target in PRINT_FONTS.items():
        subset_as_truetype(font_file(source), fonts / target, text)
    # 代码用 DejaVu Sans Mono，✔ ✘ ✏ 等符号用 DejaVu Sans：都随 matplotlib 安装
    import matplotlib

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in ("DejaVuSans.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"):
        shutil.copy(dejavu / name, fonts / name)
    return page


#: 印刷用的中文字体：随 pylopdf-fonts-zh-cn 安装的思源宋体、思源黑体 → 子集化的 TrueType 文件
PRINT_FONTS = {
    "NotoSerifSC-Regular.otf": "course-serif-sc.ttf",
    "NotoSansSC-Regular.otf": "course-sans-sc.ttf",
}
#: 除了页面中出现的字，子集里总是保留的字符：ASCII、常用标点、全角符号
ALWAYS_KEEP = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0x2000, 0x2070), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)])


def subset_as_truetype(source: Path, target: Path, text: str) -> None:
    """只保留 text 中用到的字，并把 CFF 轮廓转成 TrueType 轮廓。

    思源字体是 CFF 轮廓的 OpenType（.otf）。Chromium 的 PDF 后端（Skia）不能把这种字体作为
    字体嵌入，只能把每个字画成 Type 3 路径：PDF 大一倍，``pdffonts`` 也认不出是哪个字体。
    转成 TrueType 轮廓后，PDF 中嵌入的是带名字的 CID TrueType 子集字体，文字照样可以选中和搜索。
    """
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(source)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + ALWAYS_KEEP)
    subsetter.subset(font)

    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"
    font.save(target)


def font_file(name: str) -> Path:
    """随 pylopdf-fonts-zh-cn 安装的思源字体（lessons 包的依赖，所以一定在环境里）。"""
    import pylopdf_fonts_zh_cn

    path = Path(pylopdf_fonts_zh_cn.__file__).parent / name
    if not path.is_file():
        raise SystemExit(f"找不到字体 {path}：请重新安装 pylopdf-fonts-zh-cn。")
    return path


# ---------------------------------------------------------------------------
# 第 2～4 步：在 Chromium 中排版并打印
# ---------------------------------------------------------------------------

#: 印刷用的样式：只在打印时生效，所以网站本身不受影响。
PRINT_CSS = r"""
@font-face { font-family: "Course Serif SC"; src: url("print-fonts/course-serif-sc.ttf"); }
@font-face { font-family: "Course Sans SC"; src: url("print-fonts/course-sans-sc.ttf"); }
@font-face { font-family: "Course Symbols"; src: url("print-fonts/DejaVuSans.ttf"); }
@font-face { font-family: "Course Mono"; src: url("print-fonts/DejaVuSansMono.ttf"); }
@font-face { font-family: "Course Mono"; font-weight: bold; src: url("print-fonts/DejaVuSansMono-Bold.ttf"); }
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
@media print {
  html, body { background: #fff !important; color: #000 !important; }
  html {
    --pst-font-size-base: 10.5pt;
    --pst-font-family-base: "Course Serif SC", "Course Symbols", serif;
    --pst-font-family-heading: "Course Sans SC", "Course Symbols", sans-serif;
    --pst-font-family-monospace: "Course Mono", "Course Sans SC", "Course Symbols", monospace;
    font-size: 10.5pt;
  }
  body { font-family: "Course Serif SC", "Course Symbols", serif; margin: 0; padding: 0; }
  /* 只有常规字重：不让浏览器合成粗体（Skia 会把合成的粗体画成 Type 3 路径）。
     正文用宋体，标题和强调用黑体，这也是中文书籍的习惯。 */
  * { font-synthesis: none; }
  h1, h2, h3, h4, h5, h6, .print-cover, .print-toc, summary, figcaption, .print-note, table,
  strong, b, dt, th {
    font-family: "Course Sans SC", "Course Symbols", sans-serif;
  }
  pre, code, kbd, samp, tt { font-family: "Course Mono", "Course Sans SC", "Course Symbols", monospace !important; }
  .print-mark { font-family: "Course Symbols", sans-serif !important; }
  .print-mark.ok { color: #1a7f37; }
  .print-mark.wrong { color: #c62828; }
  article.bd-article { padding: 0 !important; max-width: none !important; }
  article.bd-article p, article.bd-article li { line-height: 1.7; orphans: 2; widows: 2; }
  /* 行高不小于字体自身的高度（思源黑体约 1.45 em）：否则位于页首的标题，字形会伸出行框、
     越过页边，Chromium 把它在上一页也画一次（被裁掉，看不见），书签标题随之重复（“前言前言”） */
  h1, h2, h3, h4, h5, h6 { color: #000 !important; line-height: 1.5 !important; break-after: avoid; break-inside: avoid; }
  h1 { font-size: 20pt; margin: 0 0 0.8em; padding-bottom: 0.3em; border-bottom: 1px solid #999; }
  h2 { font-size: 14pt; margin-top: 1.4em; }
  h3 { font-size: 12pt; margin-top: 1.2em; }
  h4 { font-size: 11pt; }
  section.print-chapter { break-before: page; }
  a { color: #0b4f9c !important; text-decoration: none !important; }
  /* 代码：等宽、自动折行，不在页边被截断 */
  pre, pre code, .highlight pre, .cell_output pre {
    white-space: pre-wrap !important; overflow-wrap: anywhere; word-break: normal;
    overflow: visible !important; max-height: none !important;
    font-size: 8.6pt; line-height: 1.45;
  }
  div.highlight, .cell_output, .output { overflow: visible !important; max-height: none !important; }
  div.cell { break-inside: auto; }
  .cell_output img, article img { max-width: 100% !important; height: auto !important; break-inside: avoid; }
  /* 表格：不滚动、不截断，整体放进版心 */
  .pst-scrollable-table-container, .table-wrapper { overflow: visible !important; }
  table { width: 100% !important; font-size: 9pt; break-inside: auto; }
  th, td { overflow-wrap: break-word; word-break: normal; }
  th:first-child, td:first-child { min-width: 3.5em; }
  tr { break-inside: avoid; }
  mjx-container[display="true"] { overflow: visible !important; break-inside: avoid; }
  /* 参考答案在印刷版中展开 */
  details { break-inside: auto; }
  details > summary { list-style: none; font-weight: 600; }
  details > summary::-webkit-details-marker { display: none; }
  /* 网站界面：一律不印 */
  .headerlink, button, .copybtn, .toggle-button, .anim-controls, script, #jb-print-docs-body,
  .onlyprint, .bd-header-article, .prev-next-area, .bd-footer, .bd-footer-article { display: none !important; }

  .print-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center;
    align-items: center; text-align: center; break-after: page; }
  .print-cover .cover-title { font-size: 34pt; font-weight: 700; margin: 0 0 0.4em; }
  .print-cover .cover-subtitle { font-size: 15pt; color: #333; margin: 0 0 3em; }
  .print-cover .cover-meta { font-size: 10.5pt; color: #333; line-height: 2; }
  .print-toc { break-after: page; }
  .print-toc .toc-title { font-size: 20pt; font-weight: 700; margin: 0 0 1em; padding-bottom: 0.3em;
    border-bottom: 1px solid #999; }
  .print-toc .toc-part { font-size: 11pt; font-weight: 700; margin: 1.2em 0 0.3em; color: #333; }
  .print-toc a.toc-entry { display: flex; align-items: baseline; color: #000 !important;
    font-size: 11pt; line-height: 2; }
  .print-toc .toc-number { width: 2.2em; flex: none; color: #555; }
  .print-toc .toc-label { flex: none; max-width: 80%; }
  .print-toc .toc-dots { flex: 1 1 auto; border-bottom: 1px dotted #888; margin: 0 0.5em; min-width: 2em; }
  .print-toc .toc-page { flex: none; min-width: 2em; text-align: right; }
  .print-note { font-size: 9pt; color: #333; border-left: 3px solid #999; padding-left: 0.6em; margin: 0.4em 0 1em; }
  figure.print-animation { margin: 0.5em 0; text-align: center; break-inside: avoid; }
}
"""

#: 在页面中做印刷版的调整。参数 meta 见 print_pdf()。返回各章标题（按目录顺序）。
PREPARE_JS = r"""
(meta) => {
  const html = document.documentElement;
  html.dataset.theme = 'light';
  html.dataset.mode = 'light';
  document.title = meta.title;
  const article = document.querySelector('article.bd-article');

  // 动画：换成最后一帧，加一句说明
  for (const box of [...article.querySelectorAll('div.animation')]) {
    const img = box.querySelector('img[id^="_anim_img"]');
    const player = img && window['anim' + img.id.replace('_anim_img', '')];
    if (player) player.last_frame();
    const figure = document.createElement('figure');
    figure.className = 'print-animation';
    const still = document.createElement('img');
    still.src = img ? img.src : '';
    still.alt = '动画的最后一帧';
    figure.append(still);
    const note = document.createElement('p');
    note.className = 'print-note';
    note.textContent = meta.animationNote;
    box.replaceWith(figure, note);
  }
  // 彩色表情符号（✅ ❌）没有可以嵌入的字体：换成 DejaVu Sans 中的 ✔ ✘，去掉表情变体选择符
  const marks = {'\u2705': ['\u2714', 'ok'], '\u274C': ['\u2718', 'wrong']};
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const textNodes = [];
  while (walker.nextNode()) textNodes.push(walker.currentNode);
  for (const node of textNodes) {
    const text = node.nodeValue.replace(/\uFE0F/g, '');
    if (!/[\u2705\u274C]/.test(text)) { if (text !== node.nodeValue) node.nodeValue = text; continue; }
    const parts = text.split(/([\u2705\u274C])/);
    node.replaceWith(...parts.filter(Boolean).map(part => {
      if (!marks[part]) return document.createTextNode(part);
      const span = document.createElement('span');
      span.className = 'print-mark ' + marks[part][1];
      span.textContent = marks[part][0];
      return span;
    }));
  }
  // 去掉标题后的“#”链接、复制按钮；展开全部参考答案
  article.querySelectorAll('a.headerlink, button').forEach(e => e.remove());
  article.querySelectorAll('details').forEach(d => { d.open = true; });

  // 每一章：标题升一级（章为 h1、节为 h2……），从新的一页开始
  function promote(section) {
    for (const h of [...section.querySelectorAll('h2, h3, h4, h5, h6')]) {
      const level = Number(h.tagName[1]) - 1;
      const copy = document.createElement('h' + level);
      for (const attr of h.attributes) copy.setAttribute(attr.name, attr.value);
      copy.append(...h.childNodes);
      h.replaceWith(copy);
    }
  }
  const chapters = [];
  const first = article.querySelector('section');
  first.classList.add('print-chapter-root');
  chapters.push({doc: meta.entries[0].doc, id: 'print-' + 0, section: first});
  meta.entries.slice(1).forEach((entry, index) => {
    const marker = document.getElementById('document-' + entry.doc);
    let section = marker.nextElementSibling;
    while (section && section.tagName !== 'SECTION') section = section.nextElementSibling;
    chapters.push({doc: entry.doc, id: 'print-' + (index + 1), section});
  });
  // 把各章从前言中移出来，成为并列的章；再把标题升一级
  const book = document.createElement('div');
  book.className = 'print-book';
  chapters.forEach(chapter => {
    chapter.section.classList.add('print-chapter');
    chapter.section.id = chapter.id;
    book.append(chapter.section);
  });
  chapters.slice(1).forEach(chapter => promote(chapter.section));
  book.querySelectorAll('.toctree-wrapper').forEach(w => w.remove());
  article.replaceChildren(book);

  // 封面
  const cover = document.createElement('div');
  cover.className = 'print-cover';
  cover.innerHTML = '<p class="cover-title"></p><p class="cover-subtitle"></p><div class="cover-meta"></div>';
  cover.querySelector('.cover-title').textContent = meta.title;
  cover.querySelector('.cover-subtitle').textContent = meta.subtitle;
  const metaBox = cover.querySelector('.cover-meta');
  for (const line of meta.coverLines) {
    const p = document.createElement('div');
    p.textContent = line;
    metaBox.append(p);
  }

  // 目录（页码稍后填入）
  const toc = document.createElement('nav');
  toc.className = 'print-toc';
  toc.setAttribute('aria-label', '目录');
  const tocTitle = document.createElement('p');
  tocTitle.className = 'toc-title';
  tocTitle.textContent = '目录';
  toc.append(tocTitle);
  let part = null;
  const titles = [];
  chapters.forEach((chapter, index) => {
    const entry = meta.entries[index];
    if (entry.part && entry.part !== part) {
      part = entry.part;
      const p = document.createElement('p');
      p.className = 'toc-part';
      p.textContent = part;
      toc.append(p);
    }
    const title = chapter.section.querySelector('h1').textContent.trim();
    titles.push(title);
    const a = document.createElement('a');
    a.className = 'toc-entry';
    a.href = '#' + chapter.id;
    const number = (entry.doc.match(/^notebooks\/(\d\d)_/) || [])[1] || '';
    a.innerHTML = '<span class="toc-number"></span><span class="toc-label"></span>' +
                  '<span class="toc-dots"></span><span class="toc-page">000</span>';
    a.querySelector('.toc-number').textContent = number;
    a.querySelector('.toc-label').textContent = title;
    toc.append(a);
  });

  document.body.className = '';
  document.body.replaceChildren(cover, toc, article);
  return titles;
}
"""

#: 页面上出现的全部字符（公式由 MathJax 用自己的字体画，图标由 Font Awesome 画，不算在内）
TEXT_CHARS_JS = r"""
() => {
  const chars = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest('mjx-container, i[class*="fa-"], script, style')) continue;
    for (const ch of node.nodeValue) chars.add(ch);
  }
  return [...chars].join('');
}
"""

#: 把目录的页码填进去
FILL_PAGES_JS = r"""
(pages) => {
  document.querySelectorAll('.print-toc .toc-page').forEach((span, i) => { span.textContent = String(pages[i]); });
}
"""

#: 页面就绪：图片加载完、字体加载完（公式在构建时已由 MathJax 排好，见 book/_ext/course_math.py）
PAGE_SETTLED = r"""
() => document.readyState === 'complete'
    && [...document.images].every(img => img.complete)
    && document.fonts.status === 'loaded'
"""

#: 在浏览器里加到页面上的文字（封面、目录、动画说明），字体子集要包含它们
BOOK_STRINGS = ("目录", "中文互动课程", "版本", "网站版可以运行每一课的笔记本，并有动画、搜索与 Colab 按钮。")

FOOTER = (
    '<div style="width:100%;font-size:8pt;color:#555;text-align:center;'
    'font-family:\'DejaVu Sans\',sans-serif;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
HEADER = '<div style="font-size:1pt;"></div>'
ANIMATION_NOTE = "这里在网页上是一段可以播放、可以逐帧查看的动画；PDF 中显示的是它的最后一帧。要看参数一步步移动的过程，请打开网站上的这一课。"


def missing_glyphs(text: str, fonts_dir: Path) -> str:
    """text 中哪些字符在印刷用的字体里都没有（空白与控制字符除外）。"""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in fonts_dir.iterdir():
        covered |= set(TTFont(path, lazy=True).getBestCmap())
    return "".join(sorted(c for c in set(text) if not c.isspace() and c.isprintable() and ord(c) not in covered))


def outline_pages(pdf: Path) -> list[tuple[str, int]]:
    """PDF 书签的第一层：(标题, 页码)，页码从 1 开始。"""
    import pikepdf

    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:
        numbers = {page.obj.objgen: index + 1 for index, page in enumerate(doc.pages)}
        return [(item.title, numbers.get(_destination_page(doc, item), 0)) for item in outline.root]


def _destination_page(doc, item) -> tuple[int, int] | None:
    """书签指向的页面对象（objgen）；目的地可以是数组，也可以是命名目的地。"""
    import pikepdf

    dest = item.destination
    if isinstance(dest, (pikepdf.String, pikepdf.Name, str)):
        name = str(dest).lstrip("/")
        dests = doc.Root.get("/Dests")
        found = dests.get("/" + name) if dests is not None else None
        if found is None and "/Names" in doc.Root and "/Dests" in doc.Root.Names:
            found = pikepdf.NameTree(doc.Root.Names.Dests).get(name)
        dest = found.get("/D", found) if isinstance(found, pikepdf.Dictionary) else found
    if isinstance(dest, pikepdf.Array) and len(dest) > 0:
        return dest[0].objgen
    return None


def finish_pdf(source: Path, target: Path, config: dict[str, Any]) -> None:
    """写入文档信息，并用对象流压缩。

    Chromium 打印的带标签 PDF 中有几万个结构元素（供屏幕阅读器使用，书签也由它们生成），
    逐个以未压缩的对象写出，占了文件的一半以上；放进压缩的对象流后文件小一半，内容不变。
    """
    import pikepdf

    with pikepdf.open(source) as doc:
        with doc.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:title"] = str(config.get("title", ""))
            xmp["dc:creator"] = [str(config.get("author", ""))]
            xmp["dc:language"] = ["zh-CN"]
        doc.docinfo["/Title"] = str(config.get("title", ""))
        doc.docinfo["/Author"] = str(config.get("author", ""))
        doc.docinfo["/Subject"] = "PyTorch 基础中文课程：全部课程与参考页面"
        doc.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)


def print_pdf(
    base_url: str, page_name: str, entries: list[dict[str, str]], output: Path, config: dict[str, Any], fonts_dir: Path
) -> dict[str, Any]:
    """在 Chromium 中打开印刷页、调整并打印成 PDF。返回统计信息。"""
    from playwright.sync_api import sync_playwright

    meta = {
        "title": config.get("title", "PyTorch 基础"),
        "subtitle": BOOK_STRINGS[1],
        "coverLines": [
            f"{BOOK_STRINGS[2]} {book_version()}",
            config.get("author", ""),
            (config.get("repository") or {}).get("url", ""),
            BOOK_STRINGS[3],
        ],
        "entries": entries,
        "animationNote": ANIMATION_NOTE,
    }
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(base_url) or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    pdf_options = dict(
        format="A4",
        print_background=True,
        outline=True,  # 书签由各级标题生成；Chromium 只在带标签的 PDF 中生成书签
        tagged=True,
        display_header_footer=True,
        header_template=HEADER,
        footer_template=FOOTER,
        prefer_css_page_size=True,
    )
    executable = find_chromium()
    if executable is None:
        raise SystemExit(MISSING_CHROMIUM)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(color_scheme="light", viewport={"width": 1000, "height": 1400})
            context.set_default_timeout(LOAD_TIMEOUT_MS)
            page = context.new_page()
            page.route("**/*", route)
            page.goto(base_url + page_name, wait_until="load")
            page.wait_for_function(PAGE_SETTLED, polling=200)
            titles = page.evaluate(PREPARE_JS, meta)
            missing = missing_glyphs(page.evaluate(TEXT_CHARS_JS), fonts_dir)
            if missing:
                raise SystemExit(f"印刷用的字体中没有这些字符（PDF 中会显示成方框）：{missing}")
            page.emulate_media(media="print")
            page.wait_for_function("() => document.fonts.status === 'loaded' && [...document.images].every(i => i.complete)")

            # 第一次打印：只为得到各章的起始页码；再填进目录打印第二次。页码不再变化时结束。
            pages: list[int] = []
            for _ in range(3):
                page.pdf(path=str(output), **pdf_options)
                outline = outline_pages(output)
                if len(outline) != len(titles):
                    raise SystemExit(f"PDF 书签的第一层有 {len(outline)} 项，应当与章数 {len(titles)} 相同：{outline}")
                found = [n for _, n in outline]
                if found == pages:
                    break
                pages = found
                page.evaluate(FILL_PAGES_JS, pages)
            else:
                raise SystemExit("目录的页码没有稳定下来。")
        finally:
            browser.close()
    return {"titles": titles, "pages": pages, "blocked": blocked}


def build(output: Path, work: Path = WORK, root: Path = ROOT) -> dict[str, Any]:
    start = time.monotonic()
    entries = toc_entries(root)
    site = build_singlehtml(work, root)
    page = prepare_print_page(site, entries)
    output.parent.mkdir(parents=True, exist_ok=True)
    printed = work / "printed.pdf"
    with serve(site) as url:
        info = print_pdf(url, page.name, entries, printed, book_config(root), site / "_static" / "print-fonts")
    partial = output.with_name(output.name + ".part")
    finish_pdf(printed, partial, book_config(root))
    partial.replace(output)
    info["seconds"] = time.monotonic() - start
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DOWNLOADS / PDF_NAME, help="PDF 的输出路径")
    parser.add_argument("--work", type=Path, default=WORK, help="单页 HTML 的构建目录（会被清空）")
    args = parser.parse_args()
    info = build(args.output.resolve(), args.work.resolve())
    import pikepdf

    with pikepdf.open(args.output) as doc:
        pages = len(doc.pages)
    size = args.output.stat().st_size / 2**20
    print(f"完成：{args.output}（{pages} 页，{size:.1f} MiB，用时 {info['seconds']:.0f} 秒）")
    for title, number in zip(info["titles"], info["pages"]):
        print(f"  第 {number:>3} 页  {title}")
    if info["blocked"]:
        print(f"注意：拦截了 {len(info['blocked'])} 个指向外部网站的请求，例如 {info['blocked'][:3]}")


if __name__ == "__main__":
    main()
