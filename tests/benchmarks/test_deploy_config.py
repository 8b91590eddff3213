"""deploy/: the nginx configuration cluster.py writes is one nginx accepts, with the parts a class needs."""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _cluster():
    spec = importlib.util.spec_from_file_location("cluster", ROOT / "deploy" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_config_passes_nginx_t(tmp_path):
    assert Path(NGINX).exists(), "nginx not found: apt-get install -y nginx (.ci/run does)"
    conf = _cluster().write_config(tmp_path, "127.0.0.1:8599", [8601, 8602])
    text = conf.read_text()
    assert "server 127.0.0.1:8601" in text and "server 127.0.0.1:8602" in text
    assert "hash $gradientlab_route consistent" in text  # sticky by cookie: a class shares one NAT address
    assert "proxy_set_header Upgrade $http_upgrade" in text
    assert not re.search(r"@(PREFIX|LISTEN|SERVERS)@", text)  # every placeholder filled
    out = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0, out.stderr


def test_warm_opens_every_page_once_over_the_websocket():
    """deploy/warm.py, as cluster.py runs it on a fresh process: every page of the navigation opens and its
    script finishes without an exception (Student.open raises otherwise). How much it saves is measured by
    `benchmarks/classroom.py --url` against a cluster started with and without `--no-warm`."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from benchmarks.serve import streamlit_server
    from deploy.warm import warm
    from ui.navigation import available_pages

    with streamlit_server("warm-test") as base:
        # its own thread: a pytest worker that ran Playwright's sync API has an event loop in this one
        with ThreadPoolExecutor(1) as pool:
            took = pool.submit(lambda: asyncio.run(warm(base))).result()
    assert set(took) == {p.url_path or "home" for p in available_pages()}
    assert all(t > 0 for t in took.values())
