"""The e-mail domain allow-list: who may join by themselves."""

import pytest

from equitime.members.rules import allowed_domains_text, email_domain_allowed

NHS = ["nhs.net", "*.nhs.uk"]


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        # "nhs.net" is that domain exactly.
        ("amina@nhs.net", True),
        ("amina@mail.nhs.net", False),
        ("amina@evilnhs.net", False),
        ("amina@nhs.net.evil.com", False),
        ("amina@nhs.network", False),
        ("amina@nhs.ne", False),
        # "*.nhs.uk" is any domain under nhs.uk, at any depth, but not nhs.uk itself.
        ("x@sub.nhs.uk", True),
        ("x@mft.nhs.uk", True),
        ("x@a.b.nhs.uk", True),
        ("x@nhs.uk", False),
        ("x@.nhs.uk", False),
        ("x@evilnhs.uk", False),
        ("x@nhs.uk.evil.com", False),
        ("x@sub.nhs.uk.evil.com", False),
        ("x@nhs.uk.", False),
        # Case and a fully qualified trailing dot do not matter.
        ("Amina.Okafor@NHS.NET", True),
        ("x@Sub.NHS.Uk", True),
        ("amina@nhs.net.", True),
        ("x@sub.nhs.uk.", True),
        ("  amina@nhs.net  ", True),
        # Only the part after the last "@" is the domain.
        ("nhs.net@evil.com", False),
        ('"x@nhs.net"@evil.com', False),
        ("x@evil.com@nhs.net", True),
        # Not an address at all.
        ("nhs.net", False),
        ("@nhs.net", False),
        ("x@", False),
        ("", False),
        ("amina@", False),
        ("x@example.org", False),
    ],
)
def test_domain_patterns(settings, email, allowed):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = NHS

    assert email_domain_allowed(email) is allowed


@pytest.mark.parametrize("email", ["anyone@example.org", "x@nhs.uk", "x@gmail.com", "odd"])
def test_an_empty_list_lets_everyone_join(settings, email):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = []

    assert email_domain_allowed(email) is True


@pytest.mark.parametrize(
    ("patterns", "email", "allowed"),
    [
        (["NHS.NET"], "amina@nhs.net", True),
        (["*.NHS.UK"], "x@mft.nhs.uk", True),
        (["nhs.net."], "amina@nhs.net", True),
        ([" nhs.net "], "amina@nhs.net", True),
        (["*.nhs.uk"], "amina@nhs.net", False),
        (["nhs.uk"], "x@mft.nhs.uk", False),
        (["nhs.net", "example.ac.uk"], "prof@example.ac.uk", True),
    ],
)
def test_patterns_are_read_the_same_whatever_their_case_or_spacing(
    settings, patterns, email, allowed
):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = patterns

    assert email_domain_allowed(email) is allowed


def test_the_allowed_domains_are_named_for_people(settings):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = NHS

    assert allowed_domains_text() == "nhs.net, *.nhs.uk"
