"""Shared fixtures: a tiny Marian model built offline, fake engines, settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakes import EchoEngine
from translator.config import Settings

# Tests never touch the network: the model hub is unreachable on CI.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# Browser fixtures (`chromium`, `browser_page`), registered once so the session's browser is shared.
pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A real Marian directory (tokenizer + random, briefly trained weights), built in seconds."""
    from translator.model_builder import build_marian_model

    return build_marian_model(tmp_path_factory.mktemp("models") / "tiny-en-fr", train_steps=300)


@pytest.fixture(scope="session")
def tiny_engine(tiny_model_dir):
    """The real PyTorch engine loaded from the tiny model directory."""
    from translator.engines.marian import MarianEngine

    return MarianEngine.load(str(tiny_model_dir), Settings(threads=1))


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings isolated in a temporary data directory."""
    return Settings(data_dir=tmp_path / "data", threads=1, glossary=None)


@pytest.fixture
def echo_engine() -> EchoEngine:
    """A deterministic fake engine: 'FR(<text>)', counting its calls."""
    return EchoEngine()
