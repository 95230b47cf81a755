"""打包离线课程包：pytorch-basics-zh-offline.zip。

用法（在仓库根目录，已激活虚拟环境）::

    python tools/build_kit.py                   # 输出到 _build/html/_downloads/pytorch-basics-zh-offline.zip
    python tools/build_kit.py --output 课程.zip  # 输出到别处

压缩包里只有一个目录 ``pytorch-basics-zh/``：

- ``notebooks/``：``_toc.yml`` 中的全部课程笔记本，带着提交到仓库、经过 nbval 验证的运行结果；
- ``wheels/lessons-<版本>-py3-none-any.whl``：课程辅助包 ``lessons``（``python -m build --wheel`` 构建）；
- ``requirements.txt``：学习者需要的依赖（仓库的 requirements.txt 去掉可编辑安装和只用于构建网站的包，
  换成 ``lessons==<版本>``）；
- ``README.md``：中文说明，怎样离线安装、怎样用国内镜像、怎样启动 JupyterLab。

压缩包可以重复生成：文件按固定顺序、以固定的时间戳写入，内容不变时压缩包逐字节相同。
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_pdf import book_config, toc_entries  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOWNLOADS = ROOT / "_build" / "html" / "_downloads"
KIT_NAME = "pytorch-basics-zh-offline.zip"
TOP = "pytorch-basics-zh"
#: 只用于构建网站或编辑孪生文件的包：学习者不需要
NOT_FOR_LEARNERS = {"jupyter-book", "jieba", "sphinx-mathjax-offline", "mini-racer", "imagesize", "jupytext"}
#: 压缩包中每个文件的时间戳（zip 格式能表示的最早时间），让压缩包可以逐字节复现
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def lesson_notebooks(root: Path = ROOT) -> list[Path]:
    """``_toc.yml`` 中的课程笔记本（notebooks/ 下的页面），按目录顺序。"""
    paths = [root / f"{e['doc']}.ipynb" for e in toc_entries(root) if e["doc"].startswith("notebooks/")]
    missing = [str(p.relative_to(root)) for p in paths if not p.is_file()]
    if missing:
        raise SystemExit(f"_toc.yml 中的这些笔记本不存在：{missing}")
    return paths


def check_outputs(notebook: Path) -> None:
    """课程包里的笔记本必须带运行结果：每个代码单元格都运行过。"""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    unrun = [i for i, c in enumerate(code) if c.get("execution_count") is None]
    if not code or unrun:
        raise SystemExit(
            f"{notebook.name} 中有 {len(unrun)} 个代码单元格没有运行结果：先运行 python tools/refresh.py {notebook.with_suffix('.py')}"
        )


def notebook_title(notebook: Path) -> str:
    """笔记本第一个 Markdown 单元格中的一级标题。"""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            m = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.M)
            if m:
                return m.group(1).strip()
    return notebook.stem


def package_version(root: Path = ROOT) -> str:
    found = re.search(r'^version\s*=\s*"([^"]+)"', (root / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    if not found:
        raise SystemExit("pyproject.toml 中没有 version。")
    return found.group(1)


def build_wheel(work: Path, root: Path = ROOT) -> Path:
    """在临时目录中构建 lessons 的轮子（wheel），不在仓库里留下 build/ 和 *.egg-info。

    ``--no-isolation``：用当前环境里的 setuptools 构建，不联网下载构建工具。
    """
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source / name)
    shutil.copytree(
        root / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    )
    dist = work / "dist"
    # 固定轮子里的文件时间戳，让轮子（以及课程包）可以逐字节复现
    env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source)],
        capture_output=True,
        text=True,
        env=env,
    )
    wheels = sorted(dist.glob("lessons-*.whl"))
    if result.returncode != 0 or len(wheels) != 1:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit("构建 lessons 轮子失败（需要 requirements-dev.txt 中的 build）。")
    return wheels[0]


def learner_requirements(version: str, root: Path = ROOT) -> str:
    """课程包的 requirements.txt：仓库的依赖去掉可编辑安装和只用于构建网站的包，加上 lessons。"""
    lines = [
        "# 运行课程笔记本需要的全部依赖（用法见 README.md）",
        "# 课程辅助包 lessons 在 wheels/ 目录里：安装时加上 --find-links wheels",
        f"lessons=={version}",
    ]
    for raw in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-e") or line in {".", "-r"}:
            continue
        name = re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower()
        if name in NOT_FOR_LEARNERS or name == "lessons":
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


README = """\
# PyTorch 基础：离线课程包

版本 {version}。这个压缩包里有课程的全部笔记本（已经带有运行结果）、课程辅助包 `lessons` 的安装文件和依赖清单。
访问 GitHub 或 Colab 很慢、或者电脑根本不能上网时，用它在自己的电脑上学习。
课程仓库：{site}

## 包里有什么

| 路径 | 内容 |
| --- | --- |
| `notebooks/` | {count} 课笔记本，已经带有运行结果，打开就能看到 |
| `wheels/{wheel}` | 课程辅助包 `lessons`（它不在 PyPI 上，只能从这里安装） |
| `requirements.txt` | 运行笔记本需要的全部 Python 包 |

课程：

{lessons}

## 第一步：创建虚拟环境

需要 Python 3.10 或更新的版本（`python --version` 查看）。在这个目录（含有 `requirements.txt` 的目录）中运行：

```bash
python -m venv .venv
source .venv/bin/activate        # macOS、Linux
```

Windows 上激活虚拟环境的命令是 `.venv\\Scripts\\activate`（命令提示符）或 `.venv\\Scripts\\Activate.ps1`（PowerShell）。
下面的命令都在激活了虚拟环境的终端里运行。

## 第二步：安装依赖（按你的情况选一种）

### 情况一：能上网，用国内的 PyPI 镜像

```bash
pip install -i https://pypi.tuna.tsinghua.edu.cn/simple --find-links wheels -r requirements.txt
```

`-i`（`--index-url`）指定从哪个镜像下载，`--find-links wheels` 让 pip 在 `wheels/` 目录里找到 `lessons`。
上面用的是清华大学开源软件镜像站；其他常用的镜像，把 `-i` 后面的地址换掉即可：

- 北京外国语大学：`https://mirrors.bfsu.edu.cn/pypi/web/simple`
- 上海交通大学：`https://mirror.sjtu.edu.cn/pypi/web/simple`
- 阿里云：`https://mirrors.aliyun.com/pypi/simple/`

镜像地址偶尔会调整，以各镜像站帮助页面上写的为准。

PyTorch 的安装包很大。在 Linux 上，PyPI（以及它的镜像）中的 PyTorch 是带 CUDA 的版本，有几 GB；
电脑没有 NVIDIA 显卡时，可以先安装只用 CPU 的版本（约 200 MB），再运行上面的命令：

```bash
pip install torch --index-url https://download.pytorch.org/whl/cpu
```

### 情况二：这台电脑不能上网，先在另一台能上网的电脑上下载

在能上网的电脑上，把整个课程包目录复制过去，在其中运行（可以同样加上 `-i 镜像地址`）：

```bash
pip download -d wheels --find-links wheels -r requirements.txt
```

pip 会把全部依赖的安装文件下载到 `wheels/` 目录。然后把整个目录复制回不能上网的电脑，在那里创建并激活虚拟环境，运行：

```bash
pip install --no-index --find-links wheels -r requirements.txt
```

`--no-index` 表示不联网，只从 `--find-links` 指定的目录安装。注意：安装文件与操作系统、Python 版本有关。
两台电脑最好是同一种系统、同一个 Python 版本；不同时，在下载的电脑上用 `--platform`、`--python-version`
指定目标电脑的平台（例如 `--platform win_amd64 --python-version 3.11 --only-binary=:all:`）。

### 情况三：已经装好了 PyTorch 等依赖，只差 lessons

```bash
pip install --no-index --find-links wheels lessons
```

`lessons` 依赖的包（PyTorch、NumPy、matplotlib 等）缺了哪一个，pip 会报错并写出它的名字；按情况一或情况二补装即可。

## 第三步：启动 JupyterLab

```bash
jupyter lab
```

浏览器会打开 JupyterLab。在左侧的文件列表中进入 `notebooks/`，先打开第 0 课，从上到下运行（菜单 Run → Run All Cells），
确认环境没有问题。想要中文界面，在菜单 Settings → Language 中选择中文。

每一课的第一个单元格只在 Colab 中安装 `lessons`，在你的电脑上什么也不做。
"""


def readme(version: str, wheel: Path, notebooks: list[Path], site: str) -> str:
    lessons = "\n".join(f"- `{nb.name}`：{notebook_title(nb)}" for nb in notebooks)
    return README.format(
        version=version, wheel=wheel.name, count=len(notebooks), lessons=lessons, site=site or "（见课程仓库）"
    )


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(f"{TOP}/{name}", date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def build(output: Path, root: Path = ROOT) -> dict[str, object]:
    notebooks = lesson_notebooks(root)
    for notebook in notebooks:
        check_outputs(notebook)
    version = package_version(root)
    config = book_config(root)
    site = (config.get("repository") or {}).get("url", "")
    with tempfile.TemporaryDirectory(prefix="course-kit-") as tmp:
        wheel = build_wheel(Path(tmp), root)
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".part")
        with zipfile.ZipFile(partial, "w") as archive:
            _add(archive, "README.md", readme(version, wheel, notebooks, site).encode("utf-8"))
            _add(archive, "requirements.txt", learner_requirements(version, root).encode("utf-8"))
            for notebook in notebooks:
                _add(archive, f"notebooks/{notebook.name}", notebook.read_bytes())
            _add(archive, f"wheels/{wheel.name}", wheel.read_bytes())
        partial.replace(output)
        return {"notebooks": [n.name for n in notebooks], "wheel": wheel.name}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DOWNLOADS / KIT_NAME, help="压缩包的输出路径")
    args = parser.parse_args()
    info = build(args.output.resolve())
    size = args.output.stat().st_size / 2**20
    print(f"完成：{args.output}（{size:.1f} MiB：{len(info['notebooks'])} 课笔记本、{info['wheel']}）")


if __name__ == "__main__":
    main()
