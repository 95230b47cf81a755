"""启动真实的 JupyterLab 服务器（仓库根目录），通过它的 REST 与内核 WebSocket 接口运行一课。"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
import requests
import websocket
from conftest import ROOT

pytestmark = pytest.mark.slow

#: 在真实的 JupyterLab 中逐个单元格运行的课程：张量（第一课）和用真实数据的手写数字识别（最后一课）
LESSONS = ["notebooks/01_tensor.ipynb", "notebooks/07_digits.ipynb"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = free_port(), secrets.token_hex(16)
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "LESSONS_DEVICE": "cpu"}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"token {token}"}
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/api/status", headers=headers, timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"JupyterLab 没有启动：{proc.stderr.read()[-2000:]}")
        time.sleep(0.5)
    yield base, headers, token
    proc.terminate()
    proc.wait(timeout=20)


def test_lab_serves_the_lessons_and_their_twins(lab):
    base, headers, _ = lab
    assert requests.get(f"{base}/lab", headers=headers, timeout=10).ok
    listing = requests.get(f"{base}/api/contents/notebooks", headers=headers, timeout=10).json()
    names = {item["name"] for item in listing["content"]}
    assert "01_tensor.ipynb" in names and "01_tensor.py" in names
    # jupytext 让孪生文件也能作为笔记本打开
    twin = requests.get(
        f"{base}/api/contents/notebooks/01_tensor.py", params={"type": "notebook"}, headers=headers, timeout=30
    )
    assert twin.ok, twin.text[:500]
    assert twin.json()["type"] == "notebook" and len(twin.json()["content"]["cells"]) > 10


def execute(ws, code: str) -> list[dict]:
    """在内核中执行一段代码，返回这次执行在 iopub 上产生的全部消息。"""
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {"msg_id": msg_id, "username": "test", "session": "s", "msg_type": "execute_request", "version": "5.3"},
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    messages, reply, idle = [], None, False
    while reply is None or not idle:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["channel"] == "shell" and msg["msg_type"] == "execute_reply":
            reply = msg["content"]
        elif msg["channel"] == "iopub":
            messages.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
    return [*messages, {"msg_type": "execute_reply", "content": reply}]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: Path(p).stem)
def test_a_lesson_runs_top_to_bottom_through_the_server(lab, lesson):
    base, headers, token = lab
    session = requests.post(
        f"{base}/api/sessions",
        headers=headers,
        json={"path": lesson, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
        timeout=60,
    ).json()
    kernel_id = session["kernel"]["id"]
    ws = websocket.create_connection(
        f"ws://{base.removeprefix('http://')}/api/kernels/{kernel_id}/channels?token={token}", timeout=120
    )
    try:
        nb = nbformat.read(ROOT / lesson, as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "code"]
        ran = 0
        for index, cell in enumerate(cells):
            messages = execute(ws, cell.source)
            errors = [m for m in messages if m["msg_type"] == "error"]
            assert not errors, f"第 {index} 个代码单元格出错：{errors[0]['content']['ename']}: {errors[0]['content']['evalue']}"
            assert messages[-1]["content"]["status"] == "ok"
            ran += 1
        assert ran == len(cells) > 5
    finally:
        ws.close()
        requests.delete(f"{base}/api/sessions/{session['id']}", headers=headers, timeout=30)
