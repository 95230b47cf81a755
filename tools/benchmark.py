"""性能基准：在当前机器上测量并打印一张表，与预算比较。

用法（在仓库根目录、已激活的虚拟环境中）::

    python tools/benchmark.py            # 全部测量
    python tools/benchmark.py --skip-build --skip-validation   # 只测页面（需要已构建的网站）
    python tools/benchmark.py --skip-notebooks --skip-validation --skip-build --skip-pages \
        --lighthouse --lesson 04 --lesson 07    # 只用 Lighthouse 测第 04、07 课

测量项目：
1. 每个笔记本在全新内核中从头到尾运行的时间；
2. 整个笔记本验证（与 tools/test.sh 相同的 nbval 命令，两个进程并行）；
3. 从零构建网站；修改一个页面后的增量构建；
4. 每个页面的重量：在 Chromium 中打开并读完整页时加载的全部本地文件（HTML、脚本、样式、图片、字体）的字节数；
5. 课程页面在无头 Chromium 中完全渲染所需的时间（从本机服务器加载；公式在构建时已排好）；
6. 加 ``--lighthouse`` 时：Lighthouse 12 对每个课程页面的性能评分，手机（Lighthouse 的默认设置）与
   桌面（``--preset=desktop``）各一次，网站由本机服务器用 gzip 压缩传输（与静态网站托管服务相同）。

Lighthouse 是 npm 包，按这个顺序查找：环境变量 ``LIGHTHOUSE``（lighthouse 命令或其 cli.js 的路径）、
缓存目录 ``~/.cache/lighthouse-12``（``npm install --prefix ~/.cache/lighthouse-12 lighthouse@12`` 装在这里）、
``npx --no-install lighthouse``（全局安装或当前目录的 node_modules）。浏览器与页面测量用的是同一个
Chromium（由 tools/site_browser.py 查找，通过环境变量 CHROME_PATH 交给 Lighthouse），不需要联网。

这是基准脚本，不是测试：它只报告数字，超出预算时在表中标出并以状态 1 退出。
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from course_toc import lesson_names, lesson_notebooks, toc_entries
from site_browser import CHROMIUM_ARGS, MISSING_CHROMIUM, find_chromium, serve

ROOT = Path(__file__).resolve().parent.parent
#: 默认测量的网站；环境变量 COURSE_SITE 或 --site 可指向别处构建的副本（与 tests/conftest.py 相同）
DEFAULT_SITE = ROOT / "_build" / "html"
NOTEBOOKS = lesson_notebooks()

REPEATS = 5

BUDGET = {
    "validation_s": 45.0,
    "clean_build_s": 90.0,
    "page_bytes": 1.5 * 1024 * 1024,
    "render_s": 1.0,
    "lighthouse_mobile": 90,
    "lighthouse_desktop": 98,
}
LIGHTHOUSE_MAJOR = 12
#: ``npm install --prefix`` 安装 Lighthouse 的缓存目录
LIGHTHOUSE_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / f"lighthouse-{LIGHTHOUSE_MAJOR}"
LIGHTHOUSE_INSTALL = (
    f"没有找到 Lighthouse {LIGHTHOUSE_MAJOR}（npm 包 lighthouse@{LIGHTHOUSE_MAJOR}，需要 Node.js 18.16 以上）。"
    f"安装一次即可：\n    npm install --prefix {LIGHTHOUSE_CACHE} lighthouse@{LIGHTHOUSE_MAJOR}\n"
    "或者把环境变量 LIGHTHOUSE 设为已有的 lighthouse 命令（或它的 cli.js）的路径。"
)


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


def page_metrics(site: Path, pages: list[str]) -> list[tuple[str, int, int, float, float]]:
    """每个页面的（名字，原始字节，gzip 后的传输字节，冷启动渲染中位数，站内跳转渲染中位数）。

    - 冷启动：全新的浏览器上下文，缓存是空的（第一次打开本站）；
    - 站内跳转：先打开另一页（参考资料），再打开这一页，公共的样式与脚本已在缓存里。
    “完全渲染”指 load 事件的时刻（公式在构建时已排好，没有要等的排版），从导航开始计时。
    """
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit(MISSING_CHROMIUM)

    def rendered(page) -> float:
        return page.evaluate("() => performance.now()") / 1000

    results = []
    with serve(site) as base, sync_playwright() as p:
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
                    # 页面重量按读完整页计：延迟加载的图片（滚动到附近才下载）也算在内
                    page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
                    page.wait_for_function("() => [...document.images].every(i => i.complete)")
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
    return results


def lighthouse_command() -> list[str]:
    """启动 Lighthouse 的命令（不含参数）；找不到或大版本不是 12 时退出并说明怎样安装。"""
    candidates: list[list[str]] = []
    if os.environ.get("LIGHTHOUSE"):
        given = os.environ["LIGHTHOUSE"]
        candidates.append(["node", given] if given.endswith((".js", ".mjs")) else [given])
    cached = LIGHTHOUSE_CACHE / "node_modules" / ".bin" / "lighthouse"
    if cached.is_file():
        candidates.append([str(cached)])
    if shutil.which("npx"):
        candidates.append(["npx", "--no-install", "lighthouse"])
    for command in candidates:
        try:
            out = subprocess.run([*command, "--version"], cwd=ROOT, capture_output=True, text=True, timeout=120)
        except OSError:
            continue
        version = out.stdout.strip()
        if out.returncode != 0 or not version[:1].isdigit():
            continue
        if version.split(".")[0] != str(LIGHTHOUSE_MAJOR):
            raise SystemExit(
                f"{' '.join(command)} 是 Lighthouse {version}，这里需要 {LIGHTHOUSE_MAJOR}.x"
                f"（不同大版本的评分方法不同，数字不能比较）。\n{LIGHTHOUSE_INSTALL}"
            )
        return command
    raise SystemExit(LIGHTHOUSE_INSTALL)


def lighthouse_once(command: list[str], url: str, chromium: str, desktop: bool) -> dict[str, float]:
    """Lighthouse 测一次 url 的性能：{"score": 0–100, "fcp": 秒, "lcp": 秒, "tbt": 毫秒}。"""
    flags = ["--headless=new" if arg == "--headless" else arg for arg in CHROMIUM_ARGS]
    args = [
        *command, url, "--only-categories=performance", "--output=json", "--output-path=stdout", "--quiet",
        f"--chrome-flags={' '.join(flags)}",
    ]
    if desktop:
        args.append("--preset=desktop")
    out = subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, "CHROME_PATH": chromium}
    )
    if out.returncode != 0:
        raise SystemExit(f"Lighthouse 测量 {url} 失败（退出状态 {out.returncode}）：\n{out.stderr[-2000:]}")
    report = json.loads(out.stdout)
    score = report["categories"]["performance"]["score"]
    if report.get("runtimeError") or score is None:
        raise SystemExit(f"Lighthouse 没能测量 {url}：{report.get('runtimeError')}")
    audits = report["audits"]
    return {
        "score": score * 100,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
    }


def lighthouse_metrics(
    command: list[str], site: Path, pages: list[str], runs: int
) -> tuple[str, list[tuple[str, dict[str, float], float]]]:
    """Lighthouse 的版本和每个页面的（名字，手机各项的中位数，桌面评分的中位数）。

    网站用 gzip 传输；每项数字是 runs 次测量各自取中位数（评分与各个时间分别取，不一定来自同一次）。
    """
    version = subprocess.run([*command, "--version"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit(MISSING_CHROMIUM)
    results = []
    with serve(site, gzip=True) as base:
        for page_name in pages:
            mobile = [lighthouse_once(command, base + page_name, chromium, desktop=False) for _ in range(runs)]
            desktop = [lighthouse_once(command, base + page_name, chromium, desktop=True) for _ in range(runs)]
            medians = {key: statistics.median(run[key] for run in mobile) for key in mobile[0]}
            results.append((page_name, medians, statistics.median(run["score"] for run in desktop)))
    return version, results


def mark(ok: bool) -> str:
    return "✓" if ok else "✗ 超出预算"


def main() -> int:
    parser = argparse.ArgumentParser(description="测量课程的验证、构建与页面性能")
    parser.add_argument("--skip-notebooks", action="store_true", help="不单独测每个笔记本")
    parser.add_argument("--skip-validation", action="store_true", help="不测整体 nbval 验证")
    parser.add_argument("--skip-build", action="store_true", help="不重新构建网站（使用已有的 _build/html）")
    parser.add_argument("--skip-pages", action="store_true", help="不测页面的重量与渲染时间")
    parser.add_argument(
        "--site", type=Path, default=Path(os.environ.get("COURSE_SITE") or DEFAULT_SITE),
        help="要测量的已构建网站（默认 _build/html，或环境变量 COURSE_SITE），只能与 --skip-build 一起改",
    )
    parser.add_argument(
        "--lesson", action="append", default=[], metavar="NN",
        help="只测这一课的页面（课程编号或文件名开头，如 04；可重复）；网站的其他页面不再测量",
    )
    parser.add_argument("--lighthouse", action="store_true", help="再用 Lighthouse 12 测每个课程页面（手机与桌面）")
    parser.add_argument("--lighthouse-runs", type=int, default=1, metavar="N", help="Lighthouse 每项测 N 次取中位数（默认 1）")
    args = parser.parse_args()
    if args.lighthouse_runs < 1:
        parser.error(f"--lighthouse-runs 应是正整数，收到的是 {args.lighthouse_runs}")
    site = args.site.resolve()
    if not args.skip_build and site != DEFAULT_SITE:
        parser.error(f"构建总是写到 {DEFAULT_SITE}；测量别处的网站 {site} 时请加 --skip-build")
    lessons = [f"notebooks/{name}.html" for name in lesson_names()]
    if args.lesson:
        lessons = [page for page in lessons if any(Path(page).stem.startswith(prefix) for prefix in args.lesson)]
        if not lessons:
            parser.error(f"--lesson {' '.join(args.lesson)} 没有对应的课程；课程有：{'、'.join(lesson_names())}")
        pages = lessons
    else:
        pages = [f"{entry}.html" for entry in toc_entries()]
    lighthouse = lighthouse_command() if args.lighthouse else None  # 没有安装时在耗时的测量之前就退出
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

    if (not args.skip_pages or args.lighthouse) and not (site / "index.html").is_file():
        raise SystemExit(f"{site} 中没有构建好的网站：先运行 jupyter-book build .")
    if not args.skip_pages:
        print("| 页面 | 原始字节 | 传输字节（文本 gzip） | 冷启动渲染 | 站内跳转渲染 | |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, raw, sent, cold, warm in page_metrics(site, pages):
            is_lesson = name.startswith("notebooks/")
            ok = sent <= BUDGET["page_bytes"] and (cold < BUDGET["render_s"] or not is_lesson)
            over |= not ok
            print(
                f"| {name} | {raw / 1024:.0f} KiB | {sent / 1024:.0f} KiB | {cold * 1000:.0f} ms | {warm * 1000:.0f} ms | {mark(ok)} |"
            )
        print(
            f"\n预算：页面传输字节 ≤ {BUDGET['page_bytes'] / 1024 / 1024:.1f} MiB（静态网站按 gzip 传输文本），"
            f"课程页面冷启动（缓存为空）时完全渲染 < {BUDGET['render_s']:.0f} s；原始字节与站内跳转时间一并列出。"
            f"渲染时间是 {REPEATS} 次的中位数。"
        )

    if lighthouse:
        version, results = lighthouse_metrics(lighthouse, site, lessons, args.lighthouse_runs)
        print(f"\n| 课程页面（Lighthouse {version}） | 手机评分 | FCP | LCP | TBT | 桌面评分 | |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, m, desktop in results:
            ok = m["score"] >= BUDGET["lighthouse_mobile"] and desktop >= BUDGET["lighthouse_desktop"]
            over |= not ok
            print(
                f"| {name} | {m['score']:.0f} | {m['fcp']:.1f} s | {m['lcp']:.1f} s | {m['tbt']:.0f} ms | {desktop:.0f} | {mark(ok)} |"
            )
        print(
            f"\n预算：Lighthouse 性能评分手机 ≥ {BUDGET['lighthouse_mobile']}、桌面 ≥ {BUDGET['lighthouse_desktop']}。"
            "网站由本机服务器用 gzip 传输；手机是 Lighthouse 的默认设置（模拟的慢速 4G 网络与 4 倍减速的 CPU），"
            f"桌面是 --preset=desktop。每个数字是 {args.lighthouse_runs} 次测量的中位数。"
            "FCP：首次内容绘制；LCP：最大内容绘制；TBT：总阻塞时间。"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
