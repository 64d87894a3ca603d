"""Links in e-mails use the address the site is served on (core.site, issue 12 §1).

Development: a request's own address, else EQUITIME_SITE_URL, which `make run`
sets from HOST and PORT for the web server and the worker. Production:
EQUITIME_SITE_URL only, and a system check refuses to run without it."""

import os
import subprocess
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from equitime.core.checks import site_url_check
from equitime.core.site import site_link, site_link_from, site_url

ROOT = Path(__file__).resolve().parents[4]
PUBLIC = "https://equitime.example.org"


def request_on(host: str):
    return RequestFactory().get("/accounts/signup/", HTTP_HOST=host)


@override_settings(PRODUCTION=False, EQUITIME_SITE_URL="http://127.0.0.1:8000")
def test_development_links_to_the_address_the_request_came_to():
    assert site_url(request_on("127.0.0.1:8101")) == "http://127.0.0.1:8101"
    assert site_link("/exchanges/7/", request=request_on("localhost:8101")) == (
        "http://localhost:8101/exchanges/7/"
    )


@override_settings(PRODUCTION=False, EQUITIME_SITE_URL="http://127.0.0.1:8101/")
def test_without_a_request_the_setting_gives_the_address():
    assert site_url() == "http://127.0.0.1:8101"
    assert site_link("/notifications/") == "http://127.0.0.1:8101/notifications/"


@override_settings(PRODUCTION=True, EQUITIME_SITE_URL=PUBLIC, ALLOWED_HOSTS=["*"])
def test_production_never_takes_the_address_from_the_request():
    assert site_url(request_on("evil.example.com")) == PUBLIC
    assert (
        site_link_from(
            "http://evil.example.com/accounts/confirm-email/abc/?next=/x#top",
            request=request_on("evil.example.com"),
        )
        == f"{PUBLIC}/accounts/confirm-email/abc/?next=/x#top"
    )


@override_settings(PRODUCTION=True, EQUITIME_SITE_URL="")
def test_production_without_the_site_url_is_an_error_that_says_what_to_set():
    [error] = site_url_check()

    assert error.id == "equitime.E002" and error.is_serious()
    assert "EQUITIME_SITE_URL is not set" in error.msg
    assert "https://equitime.example.org" in (error.hint or "")


@override_settings(PRODUCTION=False, EQUITIME_SITE_URL="")
def test_development_may_leave_it_unset():
    assert site_url_check() == []


@pytest.mark.parametrize(
    "value", ["equitime.example.org", "ftp://equitime.example.org", f"{PUBLIC}/path", "https://"]
)
def test_a_site_url_that_is_not_an_address_is_an_error(value):
    with override_settings(PRODUCTION=True, EQUITIME_SITE_URL=value):
        assert [error.id for error in site_url_check()] == ["equitime.E003"]


@pytest.mark.parametrize("value", [PUBLIC, f"{PUBLIC}/", "http://127.0.0.1:8101"])
def test_a_site_address_passes(value):
    with override_settings(PRODUCTION=True, EQUITIME_SITE_URL=value):
        assert site_url_check() == []


def make_run(tmp_path, *arguments: str, **env: str) -> list[str]:
    """`make run …` with a stand-in for the equitime script that writes down
    what each process was asked and which site address it saw."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    script = bin_dir / "equitime"
    # The server waits (5 s at most) for the worker to write, since the
    # Makefile stops the worker as soon as the server ends.
    script.write_text(
        "#!/bin/sh\n"
        'echo "$* site=$EQUITIME_SITE_URL" >> "$CALLS"\n'
        'if [ "$1" = runserver ]; then\n'
        "  for _ in $(seq 50); do grep -q '^worker' \"$CALLS\" && break; sleep 0.1; done\n"
        "fi\n"
    )
    script.chmod(0o755)
    (bin_dir / "python").touch()
    (bin_dir / "stamp").touch()  # newer than pyproject.toml: nothing to install
    clean = {k: v for k, v in os.environ.items() if k not in ("EQUITIME_SITE_URL", "HOST", "PORT")}
    subprocess.run(  # noqa: S603 - fixed arguments
        [  # noqa: S607 - make from the PATH, as a person types it
            "make",
            "--no-print-directory",
            "-C",
            str(ROOT),
            "run",
            *arguments,
            f"BIN={bin_dir}",
            f"STAMP={bin_dir / 'stamp'}",
        ],
        env=clean | {"CALLS": str(log)} | env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return sorted(log.read_text().splitlines())


def test_make_run_port_reaches_the_server_and_the_worker(tmp_path):
    calls = make_run(tmp_path, "PORT=8101")

    assert calls == sorted(
        [
            # The translation catalogues are compiled first (make catalogues).
            "catalogues_compile --verbosity 0 site=http://127.0.0.1:8101",
            "migrate --no-input site=http://127.0.0.1:8101",
            "demo site=http://127.0.0.1:8101",
            "worker site=http://127.0.0.1:8101",
            "runserver 127.0.0.1:8101 site=http://127.0.0.1:8101",
        ]
    )


def test_make_run_keeps_a_site_url_given_by_the_environment(tmp_path):
    calls = make_run(tmp_path, "PORT=8101", EQUITIME_SITE_URL="https://tunnel.example.org")

    assert "worker site=https://tunnel.example.org" in calls
    assert "runserver 127.0.0.1:8101 site=https://tunnel.example.org" in calls
