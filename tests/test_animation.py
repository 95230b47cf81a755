"""lessons.animation 的单元测试：离线动画的 HTML。"""

import re

import matplotlib

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
