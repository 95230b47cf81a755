"""性能基准：在当前机器上测量并打印一张表，与预算比较。

用法（在仓库根目录、已激活的虚拟环境中）::

    python tools/benchmark.py            # 全部测量
    python tools/benchmark.py --skip-build --skip-validation   # 只测页面（需要已构建的网站）

测量项目：
1. 每个笔记本在全新内核中从头到尾运行的时间；
2. 整个笔记本验证（与 tools/test.sh 相同的 nbval 命令，两个进程并行）；
3. 从零构建网站；修改一个页面后的增量构建；
4. 每个页面的重量：在 Chromium 中打开时实际加载的全部本地文件（HTML、脚本、样式、图片、字体）的字节数；
5. 课程页面在无头 Chromium 中完全渲染（包括 MathJax 排版）所需的时间（从本机服务器加载）。

这是基准脚本，不是测试：它只报告数字，超出预算时在表中标出并以状态 1 退出。
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from course_toc import lesson_notebooks, toc_entries

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
NOTEBOOKS = lesson_notebooks()

REPEATS = 5

BUDGET = {
    "validation_s": 45.0,
    "clean_build_s": 90.0,
    "page_bytes": 1.5 * 1024 * 1024,
    "render_s": 1.0,
}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def notebook_times() -> dict[str, float]:
    """每个笔记本在全新内核中运行的时间（内核启动也算在内）。"""
    import nbformat
    from nbclient import NotebookClient

    times = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
        times[path.stem] = time.perf_counter() - start
    return times


def validation_time() -> float:
    return timed(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadfile", "--nbval", "--nbval-current-env",
         "-p", "no:cacheprovider", *[str(p) for p in NOTEBOOKS]]
    )


def build_times() -> tuple[float, float]:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    build = ["jupyter-book", "build", ".", "--quiet"]
    clean = timed(build)
    page = ROOT / "book" / "faq.md"
    os.utime(page)  # “修改”一个页面
    incremental = timed(build)
    return clean, incremental


COMPRESSIBLE = ("text/", "javascript", "json", "css", "svg", "xml")


def transfer_size(response) -> tuple[int, int]:
    """一个响应的（原始字节数，按静态网站常见做法 gzip 压缩文本后传输的字节数）。"""
    body = response.body()
    kind = response.headers.get("content-type", "")
    gz = len(gzip.compress(body, 6)) if any(k in kind for k in COMPRESSIBLE) else len(body)
    return len(body), gz


def page_metrics() -> list[tuple[str, int, int, float, float]]:
    """每个页面的（名字，原始字节，gzip 后的传输字节，冷启动渲染中位数，站内跳转渲染中位数）。

    - 冷启动：全新的浏览器上下文，缓存是空的（第一次打开本站）；
    - 站内跳转：先打开另一页（参考资料），再打开这一页，公共的样式与脚本已在缓存里。
    “完全渲染”指 load 事件之后、MathJax 排版完成的时刻，从导航开始计时。
    """
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        raise SystemExit("需要 Chromium 来测量页面：apt-get install chromium")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = [f"{entry}.html" for entry in toc_entries()]

    def rendered(page) -> float:
        page.evaluate("() => window.MathJax?.startup?.promise ?? null")
        return page.evaluate("() => performance.now()") / 1000

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for page_name in pages:
            weight, cold, warm = (0, 0), [], []
            for attempt in range(REPEATS + 1):
                context = browser.new_context()
                page = context.new_page()
                if attempt == 0:  # 第一次只数字节
                    sizes: list[tuple[int, int]] = []
                    page.on("response", lambda r, sizes=sizes: sizes.append(transfer_size(r)) if r.ok else None)
                    page.goto(base + page_name, wait_until="load")
                    rendered(page)
                    page.wait_for_load_state("networkidle")
                    weight = (sum(raw for raw, _ in sizes), sum(gz for _, gz in sizes))
                else:
                    page.goto(base + page_name, wait_until="load")
                    cold.append(rendered(page))
                    page.goto(base + "book/references.html", wait_until="load")
                    page.wait_for_load_state("networkidle")
                    page.goto(base + page_name, wait_until="load")
                    warm.append(rendered(page))
                context.close()
            results.append((page_name, *weight, statistics.median(cold), statistics.median(warm)))
        browser.close()
    server.shutdown()
    return results


def mark(ok: bool) -> str:
    return "✓" if ok else "✗ 超出预算"


def main() -> int:
    parser = argparse.ArgumentParser(description="测量课程的验证、构建与页面性能")
    parser.add_argument("--skip-notebooks", action="store_true", help="不单独测每个笔记本")
    parser.add_argument("--skip-validation", action="store_true", help="不测整体 nbval 验证")
    parser.add_argument("--skip-build", action="store_true", help="不重新构建网站（使用已有的 _build/html）")
    args = parser.parse_args()
    over = False
    print(f"机器：{os.cpu_count()} 核，Python {sys.version.split()[0]}\n")

    if not args.skip_notebooks:
        print("| 笔记本（全新内核，含内核启动） | 用时 |\n| --- | --- |")
        for name, seconds in notebook_times().items():
            print(f"| {name} | {seconds:.1f} s |")
        print()

    rows = []
    if not args.skip_validation:
        t = validation_time()
        over |= t > BUDGET["validation_s"]
        rows.append(("全部笔记本的 nbval 验证（-n 2）", f"{t:.1f} s", f"≤ {BUDGET['validation_s']:.0f} s", mark(t <= BUDGET["validation_s"])))
    if not args.skip_build:
        clean, incremental = build_times()
        over |= clean > BUDGET["clean_build_s"]
        rows.append(("从零构建网站", f"{clean:.1f} s", f"≤ {BUDGET['clean_build_s']:.0f} s", mark(clean <= BUDGET["clean_build_s"])))
        rows.append(("修改一个页面后的增量构建", f"{incremental:.1f} s", "—", ""))
    if rows:
        print("| 项目 | 结果 | 预算 | |\n| --- | --- | --- | --- |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()

    if not (SITE / "index.html").is_file():
        raise SystemExit("没有构建好的网站：先运行 jupyter-book build .")
    print("| 页面 | 原始字节 | 传输字节（文本 gzip） | 冷启动渲染 | 站内跳转渲染 | |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, raw, sent, cold, warm in page_metrics():
        is_lesson = name.startswith("notebooks/")
        ok = sent <= BUDGET["page_bytes"] and (warm < BUDGET["render_s"] or not is_lesson)
        over |= not ok
        print(
            f"| {name} | {raw / 1024:.0f} KiB | {sent / 1024:.0f} KiB | {cold * 1000:.0f} ms | {warm * 1000:.0f} ms | {mark(ok)} |"
        )
    print(
        f"\n预算：页面传输字节 ≤ {BUDGET['page_bytes'] / 1024 / 1024:.1f} MiB（静态网站按 gzip 传输文本），"
        f"课程页面站内跳转时完全渲染 < {BUDGET['render_s']:.0f} s；原始字节与冷启动时间一并列出。"
        f"渲染时间是 {REPEATS} 次的中位数。"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
