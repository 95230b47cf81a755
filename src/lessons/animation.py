"""把 matplotlib 动画变成不需要内核、也不需要联网的网页播放器。

matplotlib 的 ``FuncAnimation(...).to_jshtml()`` 会把每一帧画成 PNG 图片，连同一小段
JavaScript 播放器一起写进 HTML，所以静态网页上也能播放、拖动进度条。不过它生成的
HTML 会从外部网站（bootstrapcdn）加载一个图标字体，用来画按钮上的图标：离线时按钮
是空白的，在国内访问也可能很慢。:func:`to_offline_html` 去掉这个外部链接，把按钮图标
换成普通的 Unicode 符号，并补上读屏软件需要的中文无障碍信息：

- 显示帧的 ``<img>`` 有替代文字（``alt``），说明动画画的是什么；
- 进度滑块有名称（``aria-label="动画帧"``）；
- 每个按钮都有中文的 ``title`` 和 ``aria-label``（如“播放”“下一帧”）；
- 播放模式的三个选项显示为中文。

用法::

    anim = FuncAnimation(fig, update, frames=30, interval=200)
    html = to_offline_html(anim, dpi=70, description="梯度下降的参数路径，共 30 步")
    plt.close(fig)                 # 不再显示静态的最后一帧
    display(HTML(html))

:func:`frame_count` 和 :func:`external_urls` 用来检查生成的 HTML：帧数对不对，
有没有指向其他网站的链接。
"""

from __future__ import annotations

import html as html_lib
import re
import warnings

import matplotlib
from matplotlib.animation import Animation

from . import _validate

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

#: 播放器按钮调用的 JavaScript 方法 → 按钮的中文名称（写进 title 和 aria-label）。
#: 按方法名而不是英文提示来认按钮：matplotlib 的旧版本没有 aria-label，提示文字也可能改变。
BUTTON_NAMES = {
    "slower": "减速",
    "first_frame": "第一帧",
    "previous_frame": "上一帧",
    "reverse_animation": "倒放",
    "pause_animation": "暂停",
    "play_animation": "播放",
    "next_frame": "下一帧",
    "last_frame": "最后一帧",
    "faster": "加速",
}

#: 进度滑块的无障碍名称。
SLIDER_LABEL = "动画帧"

_MODES = ("once", "loop", "reflect")
_URL = re.compile(r"https?://[^\s\"'<>)]+")
_RELATIVE_URL = re.compile(r"(?:src|href)\s*=\s*[\"'](//[^\"']+)")
_BUTTON = re.compile(r"<button\b[^>]*>")
_BUTTON_METHOD = re.compile(r"""onclick\s*=\s*["']anim\w*\.(\w+)\(""")
_FRAME_IMG = re.compile(r"<img\b[^>]*\bid\s*=\s*[\"']_anim_img[^>]*>")
_SLIDER = re.compile(r"<input\b[^>]*\bid\s*=\s*[\"']_anim_slider[^>]*>")
_NAME_ATTRS = re.compile(r"""\s(?:title|aria-label|alt)\s*=\s*(?:"[^"]*"|'[^']*')""")


def default_description(frames: int) -> str:
    """没有给出 ``description`` 时，帧图片使用的替代文字。"""
    frames = _validate.integer(frames, "frames（动画的帧数）", low=1, example="frames=30")
    return f"动画（共 {frames} 帧）：用下方的按钮播放，或拖动滑块逐帧查看"


def _check_html(html: object) -> str:
    """``html`` 必须是字符串（:func:`to_offline_html` 或 ``to_jshtml`` 的结果）。"""
    if not isinstance(html, str):
        raise TypeError(
            f"html 必须是字符串，例如 html = to_offline_html(anim) 的结果；收到的是 {_validate.describe(html)}。"
        )
    return html


def _check_description(description: object) -> str | None:
    """``description`` 是 ``None`` 或非空的字符串；返回去掉首尾空白的文字。"""
    if description is None:
        return None
    text = " ".join(_validate.text(description, "description").split())
    if not text:
        raise ValueError(
            "description 不能是空字符串：它是动画图片的替代文字，读屏软件会把它读给看不见图片的读者。"
            "请用一句中文说明动画画的是什么，例如 description=\"梯度下降的参数路径\"；"
            "不传这个参数时会使用通用的说明。"
        )
    return text


def _with_attributes(tag: str, attributes: dict[str, str]) -> str:
    """给开始标签 ``tag`` 设置属性：先去掉已有的 title、aria-label、alt，再写入 ``attributes``。"""
    bare = _NAME_ATTRS.sub("", tag)
    head, close = (bare[:-2], "/>") if bare.endswith("/>") else (bare[:-1], ">")
    added = "".join(f' {name}="{html_lib.escape(value, quote=True)}"' for name, value in attributes.items())
    return head.rstrip() + added + close


def _name_button(match: re.Match[str]) -> str:
    tag = match.group(0)
    method = _BUTTON_METHOD.search(tag)
    name = BUTTON_NAMES.get(method.group(1)) if method else None
    if name is None:
        return tag
    return _with_attributes(tag, {"title": name, "aria-label": name})


def to_offline_html(
    anim: Animation,
    *,
    dpi: float = 70,
    default_mode: str = "once",
    max_frames: int = 40,
    description: str | None = None,
) -> str:
    """把动画 ``anim`` 转成可以离线播放的 HTML 字符串。

    - ``dpi``：每一帧图片的分辨率，越小 HTML 越小；
    - ``default_mode``：播放到最后一帧之后怎么办，``"once"``（停下）、``"loop"``（循环）或 ``"reflect"``（往返）；
    - ``max_frames``：帧数上限，防止不小心生成一个几十兆的网页；
    - ``description``：用一句中文说明动画画的是什么，写进帧图片的替代文字（``alt``），
      读屏软件会读出它；不传时使用 :func:`default_description` 给出的通用说明。
    """
    if not isinstance(anim, Animation):
        raise TypeError(f"anim 必须是 matplotlib 的动画（例如 FuncAnimation），收到的是 {type(anim).__name__}。")
    if not isinstance(default_mode, str) or default_mode not in _MODES:
        raise ValueError(f"default_mode 必须是 {_MODES} 之一，收到的是 {default_mode!r}。")
    dpi = _validate.real(dpi, "dpi", example="dpi=70")
    if not 10 <= dpi <= 150:
        raise ValueError(f"dpi 应在 10 到 150 之间（网页上 60～90 就够清楚），收到的是 {dpi:g}。")
    max_frames = _validate.integer(max_frames, "max_frames", low=1, example="max_frames=40")
    description = _check_description(description)
    # to_jshtml 按 savefig.dpi 保存每一帧，这里临时改成想要的分辨率。
    with matplotlib.rc_context({"savefig.dpi": dpi, "animation.frame_format": "png"}), warnings.catch_warnings():
        # 一帧也没有的动画：matplotlib 的英文警告不显示，下面用中文说明
        warnings.filterwarnings("ignore", message="Can not start iterating the frames", category=UserWarning)
        html = anim.to_jshtml(default_mode=default_mode)
    frames = frame_count(html)
    if frames == 0:
        raise ValueError("anim 一帧也没有：请检查创建 FuncAnimation 时的 frames 参数（例如 frames=30）。")
    if frames > max_frames:
        raise ValueError(
            f"动画有 {frames} 帧，超过了上限 {max_frames}：请减少 frames（例如每隔几步取一帧），"
            "或者调大 max_frames。"
        )
    # 去掉加载外部图标字体的 <link>，把图标换成 Unicode 符号。
    html = re.sub(r"<link[^>]*>", "", html)
    for css_class, symbol in BUTTON_SYMBOLS.items():
        html = html.replace(f'<i class="{css_class}"></i>', symbol)
    # 无障碍信息：帧图片的替代文字、滑块的名称、每个按钮的中文名称
    alt = description if description is not None else default_description(frames)
    html = _FRAME_IMG.sub(lambda m: _with_attributes(m.group(0), {"alt": alt}), html, count=1)
    html = _SLIDER.sub(
        lambda m: _with_attributes(m.group(0), {"title": SLIDER_LABEL, "aria-label": SLIDER_LABEL}), html, count=1
    )
    html = _BUTTON.sub(_name_button, html)
    for english, chinese in CHINESE_LABELS.items():
        html = html.replace(f'title="{english}" aria-label="{english}"', f'title="{chinese}" aria-label="{chinese}"')
    for english, chinese in MODE_LABELS.items():
        html = html.replace(f">{english}</label>", f">{chinese}</label>")
    # “|◀◀”这样的多字符符号在窄按钮里会折行，让按钮按内容加宽
    html = html.replace("</style>", "  .anim-buttons button { white-space: nowrap; }\n</style>", 1)
    return html


def frame_count(html: str) -> int:
    """数一数 :func:`to_offline_html`（或 ``to_jshtml``）生成的 HTML 里有多少帧。"""
    match = re.search(r"new Array\((\d+)\)", _check_html(html))
    if match is None:
        raise ValueError(
            "html 不像是 to_jshtml 生成的动画：找不到帧数组。请传入 to_offline_html(anim) 或 anim.to_jshtml() 的结果。"
        )
    return int(match.group(1))


def accessibility_problems(html: str) -> list[str]:
    """检查动画播放器的无障碍信息，返回发现的问题（中文，每条一句）；没有问题时返回空列表。

    检查的是 axe-core 的 image-alt、label、button-name 三条规则关心的地方：
    帧图片有非空的 ``alt``，滑块有 ``aria-label``，每个按钮都有中文的 ``aria-label``。
    """
    problems = []
    images = _FRAME_IMG.findall(_check_html(html))
    if not images:
        problems.append("找不到显示帧的 <img>。")
    for tag in images:
        alt = re.search(r"""\salt\s*=\s*["']([^"']*)["']""", tag)
        if alt is None or not alt.group(1).strip():
            problems.append(f"帧图片没有替代文字（alt）：{tag[:60]}")
    sliders = _SLIDER.findall(html)
    if not sliders:
        problems.append("找不到进度滑块 <input type=\"range\">。")
    for tag in sliders:
        if not re.search(r"""\saria-label\s*=\s*["'][^"']+["']""", tag):
            problems.append("进度滑块没有名称（aria-label）。")
    buttons = _BUTTON.findall(html)
    if not buttons:
        problems.append("找不到播放器的按钮。")
    for tag in buttons:
        label = re.search(r"""\saria-label\s*=\s*["']([^"']*)["']""", tag)
        if label is None or not re.search(r"[\u4e00-\u9fff]", label.group(1)):
            problems.append(f"按钮没有中文的 aria-label：{tag[:80]}")
    return problems


def external_urls(html: str) -> list[str]:
    """返回 HTML 中所有指向其他网站的网址：``http://``、``https://`` 开头的，以及 ``src``、``href`` 里以 ``//`` 开头的。

    图片帧以 ``data:`` 网址内嵌在 HTML 里，不算外部网址。
    """
    html = _check_html(html)
    return _URL.findall(html) + _RELATIVE_URL.findall(html)
