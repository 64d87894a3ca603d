"""Two members' accounts for the ledger's tests."""

import pytest


@pytest.fixture
def alice(make_member):
    return make_member(display_name="Alice").account


@pytest.fixture
def bob(make_member):
    return make_member(display_name="Bob").account
