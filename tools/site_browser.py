"""本机网站服务器与无头 Chromium：浏览器测试、整本书的 PDF 和性能基准共用这一处。

- ``find_chromium()``：要启动的 Chromium 在哪里。依次找环境变量 ``CHROMIUM``、系统的
  ``chromium`` / ``chromium-browser``（Debian 打包的浏览器），最后是 ``playwright install chromium``
  下载的浏览器；都没有时返回 None，由调用者决定怎么办（测试在本机跳过、在 CI 中失败，
  脚本退出并给出 ``MISSING_CHROMIUM`` 的提示）。
- ``CHROMIUM_ARGS``：无头 Chromium 的启动参数（不联网、不更新、不同步）。
- ``serve(directory)``：在 127.0.0.1 的空闲端口上提供一个目录，是上下文管理器，给出根地址。
  不打印访问日志；``gzip=True`` 时像静态网站托管服务那样用 gzip 压缩文本文件（Lighthouse 测量用）。
"""

from __future__ import annotations

import contextlib
import http.server
import io
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from gzip import compress as gzip_compress
from pathlib import Path
from types import ModuleType

#: 无头 Chromium 的启动参数：不联网（后台请求、QUIC、组件更新、同步都关掉）、不要首次运行向导
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: 找不到 Chromium 时给用户的提示
MISSING_CHROMIUM = (
    "没有 Chromium：Debian 上 apt-get install chromium，其他系统上 python -m playwright install chromium"
    "（.ci/run 会安装它）；也可以用环境变量 CHROMIUM 指向已有的 Chromium 或 Chrome。"
)
#: 静态网站托管服务通常用 gzip 传输的文件类型（Content-Type 中含有这些字样）
COMPRESSIBLE = ("text/", "javascript", "json", "css", "svg", "xml")


def system_chromium() -> str | None:
    """环境变量 ``CHROMIUM`` 指定的浏览器，或系统 PATH 中的 ``chromium`` / ``chromium-browser``；都没有时返回 None。"""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def find_chromium(api: ModuleType | None = None) -> str | None:
    """要启动的 Chromium 的路径；找不到时返回 None。

    先找 ``system_chromium()``，再找 ``playwright install chromium`` 下载的浏览器（文件确实存在才算）。
    api 是 ``playwright.sync_api`` 模块（测试里可以换成假的）；为 None 时在这里导入，
    没有安装 playwright 就只找系统的浏览器。不要在 ``sync_playwright()`` 的 with 块里面调用它：
    查找 Playwright 的浏览器时要另外启动一次 Playwright。
    """
    path = system_chromium()
    if path:
        return path
    if api is None:
        try:
            from playwright import sync_api as api
        except ImportError:
            return None
    with api.sync_playwright() as p:
        bundled = p.chromium.executable_path
    return bundled if bundled and Path(bundled).is_file() else None


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """不打印访问日志的静态文件处理器。

    日志必须在子类里关掉：给 ``functools.partial(SimpleHTTPRequestHandler, ...)`` 设置
    ``log_message`` 属性不起作用，服务器创建处理器时用的仍是类上的方法。
    """

    def log_message(self, *args) -> None:
        pass


class GzipHandler(QuietHandler):
    """像静态网站托管服务那样传输：浏览器接受 gzip 时，文本文件（HTML、脚本、样式、JSON、SVG）压缩后发送。"""

    #: 压缩结果的缓存：{(路径, 修改时间): 压缩后的字节}，同一文件不必每次请求都重新压缩
    _cache: dict[tuple[str, int], bytes] = {}
    _lock = threading.Lock()

    def send_head(self):
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        if not os.path.isfile(path) or not any(k in kind for k in COMPRESSIBLE):
            return super().send_head()  # 目录的跳转、404 与图片、字体等照常处理
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns)
        with self._lock:
            body = self._cache.get(key)
        if body is None:
            body = gzip_compress(Path(path).read_bytes(), 6)
            with self._lock:
                self._cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    """多线程的 HTTP 服务器；浏览器中途断开连接不算错误。"""

    def handle_error(self, request, client_address) -> None:
        # 浏览器关闭页面时会中断未完成的传输（ConnectionResetError、BrokenPipeError），这不是错误
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path | str, *, gzip: bool = False) -> Iterator[str]:
    """在 127.0.0.1 的空闲端口上提供 directory 中的文件，给出根地址，如 ``http://127.0.0.1:41234/``。

    不打印访问日志。gzip 为 True 时文本文件按 gzip 压缩传输（浏览器声明接受 gzip 时）。
    离开 with 块时关闭服务器。

    >>> with serve("_build/html") as base:  # doctest: +SKIP
    ...     page.goto(base + "notebooks/01_tensor.html")
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"serve 的参数 directory 应是一个已有的目录，收到的 {directory} 不是；先构建网站或检查路径。")
    handler_class = GzipHandler if gzip else QuietHandler

    def handler(*args, **kwargs) -> http.server.SimpleHTTPRequestHandler:
        return handler_class(*args, directory=str(directory), **kwargs)

    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
