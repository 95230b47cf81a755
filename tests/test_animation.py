"""lessons.animation 的单元测试：离线动画的 HTML。"""

import re
from pathlib import Path

import matplotlib
import nbformat

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402

from lessons.animation import external_urls, frame_count, to_offline_html  # noqa: E402


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
    plt.close(fig)


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
