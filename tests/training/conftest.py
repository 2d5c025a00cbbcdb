"""Fixtures of the training tests (the kit itself is in training_kit.py)."""
import pytest

from training_kit import Training


@pytest.fixture
def training(api, runtime):
    return Training(api, runtime)
