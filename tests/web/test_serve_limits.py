"""``translator serve`` refuses what one client could use to exhaust it: huge bodies before they are
read, and a crowd of half-open connections (a real process, raw sockets)."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from tests.web.test_serve import service_env, start_serve
from translator.cli.serve import BODY_SLACK
from translator.config import Settings
from translator.web.validation import max_body_bytes


@pytest.fixture(scope="module")
def limited_server(tiny_model_dir, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("serve-limits")
    running = start_serve(service_env(tmp_path, TRANSLATOR_MODEL=str(tiny_model_dir), TRANSLATOR_DEMO="off",
                                      TRANSLATOR_MAX_CHARS="1000", TRANSLATOR_SERVER_CHANNEL_TIMEOUT="20"),
                          tmp_path / "serve.log")
    yield running
    running.stop()


def _connect(server, timeout: float = 20) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=timeout)


@pytest.mark.slow
def test_a_huge_content_length_is_refused_before_the_body_is_sent(limited_server):
    limit = max_body_bytes(Settings(max_chars=1000, glossary=None)) + BODY_SLACK
    assert f"limits: bodies up to {limit} bytes, 500 connections, 20 s idle timeout" in limited_server.log
    with _connect(limited_server) as sock:
        sock.sendall(b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 314572800\r\n\r\n{\"text\": \"")  # 300 MiB announced, 10 bytes sent
        answer = b""
        while chunk := sock.recv(4096):  # waitress closes after its answer; before the fix it waited
            answer += chunk               # for the 300 MiB and this timed out
    assert answer.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n"), answer
    assert f"exceeds max_body of {limit}".encode() in answer


@pytest.mark.slow
def test_half_open_connections_do_not_lock_out_new_clients(limited_server):
    idle = []
    try:
        for _ in range(120):  # more than waitress' default limit of 100 connections
            sock = _connect(limited_server)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
            idle.append(sock)
        with urllib.request.urlopen(f"{limited_server.url}/healthz", timeout=10) as response:
            assert (response.status, response.read()) == (200, b'{"status":"ok"}\n')
    finally:
        for sock in idle:
            sock.close()
