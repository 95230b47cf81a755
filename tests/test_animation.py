"""lessons.animation 的单元测试：离线动画的 HTML。"""

import re
from pathlib import Path

import matplotlib
import nbformat

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402

from lessons.animation import (  # noqa: E402
    BUTTON_NAMES,
    SLIDER_LABEL,
    accessibility_problems,
    default_description,
    external_urls,
    frame_count,
    to_offline_html,
)


def small_animation(frames: int = 5) -> tuple[plt.Figure, FuncAnimation]:
    fig, ax = plt.subplots(figsize=(2, 1.5))
    (line,) = ax.plot([], [])
    ax.set_xlim(0, frames)
    ax.set_ylim(0, frames)

    def update(i):
        line.set_data(range(i + 1), range(i + 1))
        return (line,)

    return fig, FuncAnimation(fig, update, frames=frames, interval=100)


def test_offline_html_has_frames_and_no_external_urls():
    fig, anim = small_animation(5)
    html = to_offline_html(anim, dpi=30)
    plt.close(fig)
    assert frame_count(html) == 5
    assert html.count("data:image/png;base64") == 5
    assert "http://" not in html and "https://" not in html
    assert external_urls(html) == []
    assert 'class="fa' not in html  # 图标字体已经换成普通字符
    assert "播放" in html and "▶" in html
    assert re.search(r'value="once"[^>]*checked', html), "默认应该只播放一次"
    assert ".anim-buttons button { white-space: nowrap; }" in html, "按钮上的符号不应折行"


def test_plain_to_jshtml_links_to_another_host():
    fig, anim = small_animation(2)
    with matplotlib.rc_context({"savefig.dpi": 30}):
        html = anim.to_jshtml()
    plt.close(fig)
    assert external_urls(html), "matplotlib 的原始 HTML 应该含有外部链接，否则 to_offline_html 可以简化"


def test_too_many_frames():
    fig, anim = small_animation(6)
    with pytest.raises(ValueError, match="超过了上限"):
        to_offline_html(anim, dpi=20, max_frames=5)
    plt.close(fig)


def test_bad_arguments():
    fig, anim = small_animation(2)
    assert frame_count(to_offline_html(anim, dpi=20)) == 2
    with pytest.raises(TypeError, match="FuncAnimation"):
        to_offline_html(fig)
    with pytest.raises(ValueError, match="default_mode"):
        to_offline_html(anim, default_mode="forever")
    with pytest.raises(ValueError, match="dpi"):
        to_offline_html(anim, dpi=500)
    with pytest.raises(TypeError, match="dpi"):
        to_offline_html(anim, dpi="70")
    with pytest.raises(ValueError, match="max_frames"):
        to_offline_html(anim, max_frames=0)
    with pytest.raises(TypeError, match="description"):
        to_offline_html(anim, description=123)
    with pytest.raises(ValueError, match="description"):
        to_offline_html(anim, description="   ")
    plt.close(fig)


# ---------------------------------------------------------------- 无障碍：替代文字、滑块和按钮的名称


def attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def test_frame_image_has_alt_text():
    fig, anim = small_animation(3)
    default = to_offline_html(anim, dpi=20)
    described = to_offline_html(anim, dpi=20, description="  梯度下降的\n路径  ")
    plt.close(fig)
    (image,) = re.findall(r"<img\b[^>]*>", default)
    assert attribute(image, "alt") == default_description(3), "没有给出 description 时应使用通用的替代文字"
    assert "3 帧" in default_description(3)
    (image,) = re.findall(r"<img\b[^>]*>", described)
    assert attribute(image, "alt") == "梯度下降的 路径", "替代文字应去掉首尾空白、把换行合并成空格"


def test_alt_text_is_escaped():
    fig, anim = small_animation(2)
    html = to_offline_html(anim, dpi=20, description='路径 <b>"甲" & 乙</b>')
    plt.close(fig)
    (image,) = re.findall(r"<img\b[^>]*>", html)
    assert attribute(image, "alt") == "路径 &lt;b&gt;&quot;甲&quot; &amp; 乙&lt;/b&gt;"
    assert "<b>" not in html


def test_slider_and_every_button_have_chinese_names():
    fig, anim = small_animation(3)
    html = to_offline_html(anim, dpi=20)
    plt.close(fig)
    (slider,) = re.findall(r'<input\b[^>]*type="range"[^>]*>', html)
    assert attribute(slider, "aria-label") == SLIDER_LABEL == "动画帧"
    buttons = re.findall(r"<button\b[^>]*>", html)
    assert len(buttons) == len(BUTTON_NAMES) == 9
    names = [attribute(tag, "aria-label") for tag in buttons]
    assert names == [attribute(tag, "title") for tag in buttons], "每个按钮的 title 和 aria-label 应该相同"
    assert sorted(names) == sorted(BUTTON_NAMES.values())
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in names), f"按钮名称应是中文：{names}"
    for tag in buttons:  # 每个按钮只有一个 title、一个 aria-label
        assert tag.count(" title=") == 1 and tag.count(" aria-label=") == 1, tag
    assert accessibility_problems(html) == []


def test_accessibility_check_finds_the_defects_of_plain_to_jshtml():
    fig, anim = small_animation(2)
    with matplotlib.rc_context({"savefig.dpi": 20}):
        raw = anim.to_jshtml()
    plt.close(fig)
    problems = accessibility_problems(raw)
    assert any("alt" in problem for problem in problems)
    assert any("滑块" in problem for problem in problems)
    assert sum("按钮" in problem for problem in problems) == 9, "matplotlib 的按钮只有英文名称"


def test_buttons_without_aria_label_are_named_too(monkeypatch):
    """旧版本 matplotlib 的按钮只有英文 title、没有 aria-label：按 onclick 调用的方法认出按钮。"""
    original = FuncAnimation.to_jshtml

    def old_style(self, *args, **kwargs):
        html = original(self, *args, **kwargs)
        return re.sub(r'\saria-label="[^"]*"', "", html)

    monkeypatch.setattr(FuncAnimation, "to_jshtml", old_style)
    fig, anim = small_animation(2)
    html = to_offline_html(anim, dpi=20)
    plt.close(fig)
    assert accessibility_problems(html) == []
    assert 'aria-label="播放"' in html and 'aria-label="最后一帧"' in html


def test_external_urls_and_frame_count():
    assert external_urls('<img src="//cdn.example.com/a.png">') == ["//cdn.example.com/a.png"]
    assert external_urls("see https://example.org/x and data:image/png;base64,AAAA") == [
        "https://example.org/x"
    ]
    with pytest.raises(ValueError, match="帧数组"):
        frame_count("<div>不是动画</div>")


# ---------------------------------------------------------------- 第 5 课网页上的动画

LESSON_05 = Path(__file__).resolve().parents[1] / "notebooks" / "05_gradient_descent.ipynb"


def lesson_05_animation_html() -> str:
    """第 5 课保存的输出中，动画播放器的 HTML（网站显示的就是它）。"""
    notebook = nbformat.read(LESSON_05, as_version=4)
    players = [
        output["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {}) and "new Array(" in "".join(output["data"]["text/html"])
    ]
    assert len(players) == 1, f"第 5 课应该恰好有一个动画播放器的输出，找到 {len(players)} 个：请运行 tools/refresh.py"
    html = players[0]
    return html if isinstance(html, str) else "".join(html)


def test_lesson_05_animation_is_small_offline_and_complete():
    html = lesson_05_animation_html()
    size_kb = len(html.encode("utf-8")) / 1024
    assert frame_count(html) == 21, "动画应有 21 帧：起点加 20 步"
    assert html.count("data:image/png;base64") == 21
    assert size_kb < 500, f"动画有 {size_kb:.0f} KB，网页太重了：减少帧数或降低 dpi"
    assert "http://" not in html and "https://" not in html
    assert external_urls(html) == [], "动画不应从其他网站加载任何东西"
    assert 'class="fa' not in html, "按钮图标应该已经换成普通字符"


def test_lesson_05_animation_is_accessible():
    html = lesson_05_animation_html()
    assert accessibility_problems(html) == [], "请运行 tools/refresh.py notebooks/05_gradient_descent.py"
    (image,) = re.findall(r"<img\b[^>]*>", html)
    alt = attribute(image, "alt")
    assert alt and "梯度下降" in alt and "等高线" in alt, f"第 5 课动画的替代文字应说明画的是什么，现在是 {alt!r}"
