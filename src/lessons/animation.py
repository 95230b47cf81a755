"""把 matplotlib 动画变成不需要内核、也不需要联网的网页播放器。

matplotlib 的 ``FuncAnimation(...).to_jshtml()`` 会把每一帧画成 PNG 图片，连同一小段
JavaScript 播放器一起写进 HTML，所以静态网页上也能播放、拖动进度条。不过它生成的
HTML 会从外部网站（bootstrapcdn）加载一个图标字体，用来画按钮上的图标：离线时按钮
是空白的，在国内访问也可能很慢。:func:`to_offline_html` 去掉这个外部链接，把按钮图标
换成普通的 Unicode 符号，并把按钮提示改成中文。

用法::

    anim = FuncAnimation(fig, update, frames=30, interval=200)
    html = to_offline_html(anim, dpi=70)
    plt.close(fig)                 # 不再显示静态的最后一帧
    display(HTML(html))

:func:`frame_count` 和 :func:`external_urls` 用来检查生成的 HTML：帧数对不对，
有没有指向其他网站的链接。
"""

from __future__ import annotations

import re

import matplotlib
from matplotlib.animation import Animation

#: 按钮图标（Font Awesome 的类名）→ 替换用的 Unicode 符号。
BUTTON_SYMBOLS = {
    "fa fa-minus": "−",
    "fa fa-fast-backward": "|◀◀",
    "fa fa-step-backward": "|◀",
    "fa fa-play fa-flip-horizontal": "◀",
    "fa fa-pause": "❚❚",
    "fa fa-play": "▶",
    "fa fa-step-forward": "▶|",
    "fa fa-fast-forward": "▶▶|",
    "fa fa-plus": "+",
}

#: 按钮和播放模式的英文提示 → 中文。
CHINESE_LABELS = {
    "Decrease speed": "减速",
    "First frame": "第一帧",
    "Previous frame": "上一帧",
    "Play backwards": "倒放",
    "Pause": "暂停",
    "Play": "播放",
    "Next frame": "下一帧",
    "Last frame": "最后一帧",
    "Increase speed": "加速",
    "Repetition mode": "播放模式",
}
MODE_LABELS = {"Once": "播放一次", "Loop": "循环", "Reflect": "往返"}

_MODES = ("once", "loop", "reflect")
_URL = re.compile(r"https?://[^\s\"'<>)]+")
_RELATIVE_URL = re.compile(r"(?:src|href)\s*=\s*[\"'](//[^\"']+)")


def to_offline_html(anim: Animation, *, dpi: float = 70, default_mode: str = "once", max_frames: int = 40) -> str:
    """把动画 ``anim`` 转成可以离线播放的 HTML 字符串。

    - ``dpi``：每一帧图片的分辨率，越小 HTML 越小；
    - ``default_mode``：播放到最后一帧之后怎么办，``"once"``（停下）、``"loop"``（循环）或 ``"reflect"``（往返）；
    - ``max_frames``：帧数上限，防止不小心生成一个几十兆的网页。
    """
    if not isinstance(anim, Animation):
        raise TypeError(f"anim 必须是 matplotlib 的动画（例如 FuncAnimation），收到的是 {type(anim).__name__}。")
    if default_mode not in _MODES:
        raise ValueError(f"default_mode 必须是 {_MODES} 之一，收到的是 {default_mode!r}。")
    if not 10 <= dpi <= 150:
        raise ValueError(f"dpi 应在 10 到 150 之间（网页上 60～90 就够清楚），收到的是 {dpi}。")
    # to_jshtml 按 savefig.dpi 保存每一帧，这里临时改成想要的分辨率。
    with matplotlib.rc_context({"savefig.dpi": dpi, "animation.frame_format": "png"}):
        html = anim.to_jshtml(default_mode=default_mode)
    frames = frame_count(html)
    if frames > max_frames:
        raise ValueError(
            f"动画有 {frames} 帧，超过了上限 {max_frames}：请减少 frames（例如每隔几步取一帧），"
            "或者调大 max_frames。"
        )
    # 去掉加载外部图标字体的 <link>，把图标换成 Unicode 符号。
    html = re.sub(r"<link[^>]*>", "", html)
    for css_class, symbol in BUTTON_SYMBOLS.items():
        html = html.replace(f'<i class="{css_class}"></i>', symbol)
    for english, chinese in CHINESE_LABELS.items():
        html = html.replace(f'title="{english}" aria-label="{english}"', f'title="{chinese}" aria-label="{chinese}"')
    for english, chinese in MODE_LABELS.items():
        html = html.replace(f">{english}</label>", f">{chinese}</label>")
    # “|◀◀”这样的多字符符号在窄按钮里会折行，让按钮按内容加宽
    html = html.replace("</style>", "  .anim-buttons button { white-space: nowrap; }\n</style>", 1)
    return html


def frame_count(html: str) -> int:
    """数一数 :func:`to_offline_html`（或 ``to_jshtml``）生成的 HTML 里有多少帧。"""
    match = re.search(r"new Array\((\d+)\)", html)
    if match is None:
        raise ValueError("这段 HTML 不像是 to_jshtml 生成的动画：找不到帧数组。")
    return int(match.group(1))


def external_urls(html: str) -> list[str]:
    """返回 HTML 中所有指向其他网站的网址：``http://``、``https://`` 开头的，以及 ``src``、``href`` 里以 ``//`` 开头的。

    图片帧以 ``data:`` 网址内嵌在 HTML 里，不算外部网址。
    """
    return _URL.findall(html) + _RELATIVE_URL.findall(html)
