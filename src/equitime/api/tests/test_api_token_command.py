from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from equitime.api.models import ApiToken
from equitime.api.services import token_hash


def run(*args) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_prints_only_the_secret_and_stores_only_its_hash(member):
    secret = run("--email", member.email.upper(), "--name", "Intranet feed", "--read-only")

    token = ApiToken.objects.get(member=member)
    assert secret.startswith("eqt_") and "\n" not in secret
    assert token.token_hash == token_hash(secret)
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.read_only and token.name == "Intranet feed"
    assert token.expires_at is not None


def test_never_expiring_token(member):
    run("--email", member.email, "--days", "0")

    assert ApiToken.objects.get(member=member).expires_at is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "nobody@example.org"], "No active member"),
        (["--days", "-1"], "--days"),
        (["--name", "   "], "Give the token a name"),
    ],
)
def test_refusals_say_why(member, args, message):
    if "--email" not in args:
        args = ["--email", member.email, *args]

    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not ApiToken.objects.exists()
