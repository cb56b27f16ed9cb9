"""The front door: Debian's nginx, with the shipped deploy/nginx/translator.conf.template, in front of a
real ``translator serve`` with ``TRANSLATOR_TRUSTED_PROXIES=1``.

Clients on distinct loopback addresses (127.0.0.2, 127.0.0.3: Linux routes all of 127/8 to ``lo``) get
distinct rate-limit buckets, a forged ``X-Forwarded-For`` changes nothing, and the access log names each.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import string
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.waiting import wait_until
from translator.testing.processes import ServiceProcess, service_environment

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "deploy" / "nginx" / "translator.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(port: int, source: str, headers: dict | None = None) -> int:
    """The status of a POST /v1/translate sent from the address ``source``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        connection.request("POST", "/v1/translate", body=json.dumps({"text": "Hello."}),
                           headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.fixture
def nginx_in_front(tmp_path):
    """``start(upstream_port)``: nginx on a free port in front of 127.0.0.1:upstream_port; its port."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed (.ci/run installs Debian's nginx)")
    started = []

    def start(upstream_port: int) -> int:
        port = _free_port()
        prefix = tmp_path / "nginx"
        prefix.mkdir()
        rendered = string.Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
            TRANSLATOR_UPSTREAM=f"127.0.0.1:{upstream_port}", NGINX_LISTEN=f"127.0.0.1:{port}")
        (prefix / "translator.conf").write_text(rendered, encoding="utf-8")
        temp = {name: prefix / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        (prefix / "nginx.conf").write_text(
            f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\nevents {{}}\nhttp {{\n"
            f"  access_log {prefix / 'access.log'};\n"
            + "".join(f"  {name}_temp_path {path};\n" if name != "body" else f"  client_body_temp_path {path};\n"
                      for name, path in temp.items())
            + f"  include {prefix / 'translator.conf'};\n}}\n", encoding="utf-8")
        process = subprocess.Popen([NGINX, "-c", str(prefix / "nginx.conf"), "-p", str(prefix), "-g", "daemon off;"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append(process)
        wait_until(lambda: process.poll() is not None or _listening(port), 20, "nginx to listen")
        assert process.poll() is None, process.stderr.read().decode()
        return port

    yield start
    for process in started:
        process.terminate()
        process.wait(10)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.slow
def test_clients_behind_nginx_get_their_own_buckets_and_names(nginx_in_front, tiny_model_dir, tmp_path):
    env = service_environment(
        TRANSLATOR_DATA_DIR=str(tmp_path / "data"), TRANSLATOR_THREADS="1", TRANSLATOR_BACKEND="torch",
        TRANSLATOR_MODEL=str(tiny_model_dir), TRANSLATOR_TRUSTED_PROXIES="1", TRANSLATOR_RATE_LIMIT="2/minute",
        TRANSLATOR_DEMO="off", TRANSLATOR_QUEUE_PREFIX=uuid.uuid4().hex[:8])
    with ServiceProcess(env, tmp_path / "serve.log", cwd=REPO, timeout=120) as server:
        port = nginx_in_front(server.port)
        # A forged X-Forwarded-For is kept by nginx on the left; the service takes the hop nginx appended.
        forged = {"X-Forwarded-For": "203.0.113.9"}
        assert [_post(port, "127.0.0.2"), _post(port, "127.0.0.2", forged), _post(port, "127.0.0.2")] == [
            200, 200, 429]
        assert [_post(port, "127.0.0.3"), _post(port, "127.0.0.3")] == [200, 200]   # a bucket of its own
        assert _post(port, "127.0.0.3", forged) == 429
        log = server.log
        assert log.count("POST /v1/translate 200") == 4 and log.count("POST /v1/translate 429") == 2
        assert "client=127.0.0.2" in log and "client=127.0.0.3" in log
        assert "client=203.0.113.9" not in log and "client=127.0.0.1" not in log
