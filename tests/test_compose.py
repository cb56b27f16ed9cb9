"""compose.yaml keeps its promises (Docker cannot run here): services, image, healthchecks, real settings."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from translator.cli import main
from translator.config import Settings

REPO = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text())


def test_compose_runs_web_scalable_workers_and_redis_from_one_image():
    services = _compose()["services"]
    assert set(services) == {"web", "worker", "redis", "proxy"}
    for name in ("web", "worker"):
        assert services[name]["build"] == "." and services[name]["image"] == "translator:latest"
        assert services[name]["depends_on"] == {"redis": {"condition": "service_healthy"}}
        assert services[name]["environment"]["TRANSLATOR_BROKER"] == "redis://redis:6379/1"
        assert services[name]["environment"]["TRANSLATOR_STORE"] == "redis://redis:6379/0"
    assert services["web"]["command"][:2] == ["translator", "serve"]
    assert services["web"]["environment"]["TRANSLATOR_WEB_ENGINE"] == "off"
    assert services["worker"]["command"][:2] == ["translator", "worker"]
    # --scale worker=N needs a worker without a fixed name or published port.
    assert "container_name" not in services["worker"] and "ports" not in services["worker"]
    for name, service in services.items():
        assert service["healthcheck"]["test"][0] == "CMD", name
    assert "/readyz" in services["web"]["healthcheck"]["test"][-1]
    assert "/tmp/worker-healthy" in services["worker"]["command"]
    assert "/tmp/worker-healthy" in services["worker"]["healthcheck"]["test"][-1]


def test_every_variable_in_compose_is_a_setting_with_a_valid_value(tmp_path):
    fields = {f"TRANSLATOR_{f.name.upper()}" for f in dataclasses.fields(Settings)}
    compose_env = {"TRANSLATOR_API_KEYS": "desk=s3cret"}
    for name, service in _compose()["services"].items():
        if name == "proxy":
            continue  # nginx's own variables (the template's)
        env = {k: _interpolate(str(v), compose_env) for k, v in service.get("environment", {}).items()}
        assert set(env) <= fields, f"{name}: {sorted(set(env) - fields)} are not settings"
        Settings.from_env({**env, "TRANSLATOR_DATA_DIR": str(tmp_path)})  # values parse and validate


def test_worker_options_in_compose_exist():
    command = _compose()["services"]["worker"]["command"]
    result = CliRunner().invoke(main, ["worker", "--help"])
    assert result.exit_code == 0
    for option in (arg for arg in command[2:] if arg.startswith("--")):
        assert f"  {option} " in result.stdout, option


_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:\?|:-)(?P<arg>[^}]*))?\}")


def _interpolate(value: str, environ: dict[str, str]) -> str:
    """Compose's interpolation of ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}``
    (https://docs.docker.com/reference/compose-file/interpolation/): an unset or empty NAME with ``:?``
    stops compose with the error."""
    def substitute(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        current = environ.get(name, "")
        if current:
            return current
        if op == ":?":
            raise ValueError(f"required variable {name} is missing a value: {arg}")
        return arg if op == ":-" else ""
    return _VARIABLE.sub(substitute, value)


def _web(environ: dict[str, str]) -> dict:
    services = _compose()["services"]
    web, proxy = services["web"], services["proxy"]
    assert "ports" not in web  # reached through the proxy only
    return {"environment": {k: _interpolate(str(v), environ) for k, v in web["environment"].items()},
            "ports": [_interpolate(p, environ) for p in proxy["ports"]]}


def test_compose_refuses_to_start_without_api_keys():
    with pytest.raises(ValueError, match="TRANSLATOR_API_KEYS is missing a value: set TRANSLATOR_API_KEYS"):
        _web({})
    assert _web({"TRANSLATOR_API_KEYS": "desk=s3cret"})["environment"]["TRANSLATOR_API_KEYS"] == "desk=s3cret"


def test_compose_publishes_on_loopback_unless_told_otherwise():
    keys = {"TRANSLATOR_API_KEYS": "desk=s3cret"}
    assert _web(keys)["ports"] == ["127.0.0.1:8000:80"]
    assert _web({**keys, "TRANSLATOR_PUBLISH": "0.0.0.0:8000"})["ports"] == ["0.0.0.0:8000:80"]


def test_compose_puts_the_shipped_nginx_front_door_before_the_service():
    services = _compose()["services"]
    proxy, web = services["proxy"], services["web"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["volumes"] == ["./deploy/nginx/translator.conf.template:/etc/nginx/templates/translator.conf.template:ro"]
    assert (REPO / "deploy" / "nginx" / "translator.conf.template").is_file()
    assert proxy["environment"]["TRANSLATOR_UPSTREAM"] == "web:8000"
    assert web["environment"]["TRANSLATOR_TRUSTED_PROXIES"] == "1"  # the proxy's X-Forwarded-For is believed
