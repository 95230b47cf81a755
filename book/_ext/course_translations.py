"""界面文字：让 book/_ext/locale 中的译文优先于主题自带的译文。

sphinx-book-theme 自带的 zh_CN 译文不全（如“Launch on”），个别还是繁体（“列印成 PDF”）。
Sphinx 的 ``locale_dirs``（见 _config.yml）只对 Sphinx 自己的 ``sphinx`` 消息域生效；主题的
``booktheme`` 域由主题在启动时登记，所以这里在 ``builder-inited`` 时把我们的译文放在最前面，
主题自带的译文作为后备。这用到 ``sphinx.locale.translators``（Sphinx 的内部字典）：
升级 Sphinx 后，tests/test_site.py 中检查英文提示的测试会发现它失效。
"""

from __future__ import annotations

import gettext
from pathlib import Path

from sphinx import locale

HERE = Path(__file__).resolve().parent


def compile_translations() -> None:
    """把 book/_ext/locale 中的 .po 编译成 gettext 用的 .mo（.mo 是生成文件，不进仓库）。"""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (HERE / "locale").rglob("*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)


def _prefer_our_theme_strings(app) -> None:
    key = ("general", "booktheme")
    ours = gettext.translation("booktheme", localedir=str(HERE / "locale"), languages=[app.config.language])
    theirs = locale.translators.get(key)
    if theirs is not None and type(theirs) is not gettext.NullTranslations:
        ours.add_fallback(theirs)
    locale.translators[key] = ours


def setup(app):
    compile_translations()
    app.connect("builder-inited", _prefer_our_theme_strings)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
