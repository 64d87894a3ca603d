"""One-click unsubscribe links (RFC 8058) for the e-mails members receive.

Every e-mail to a member carries::

    List-Unsubscribe: <https://equitime.example.org/unsubscribe/<token>/>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click

The token is signed (``django.core.signing``, salted for this use alone) and
names the member and a *scope*: ``all`` (every e-mail the member may turn
off), ``digest`` (the weekly digest), or one kind of notification. It does
not expire: a link in a months-old e-mail still works, which is what a
person who wants fewer e-mails expects. It cannot be guessed or altered (the
signature covers the member and the scope), and it can only ever turn e-mail
*off* for the member it names, so a leaked link does no harm beyond that.

Core knows no app: the member is named by id, the scope by a string; the
notifications app reads the token back and changes the preferences.
"""

from django.core import signing

from equitime.core.site import site_link

SALT = "equitime.unsubscribe"
ALL = "all"
DIGEST = "digest"


def unsubscribe_token(*, member_id: int, scope: str = ALL) -> str:
    return signing.dumps({"m": member_id, "s": scope}, salt=SALT, compress=False)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(member id, scope) that ``token`` names, or None for a forged or altered one."""
    try:
        data = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    member_id, scope = data.get("m"), data.get("s")
    if not isinstance(member_id, int) or not isinstance(scope, str) or not scope:
        return None
    return member_id, scope


def unsubscribe_path(*, member_id: int, scope: str = ALL) -> str:
    return f"/unsubscribe/{unsubscribe_token(member_id=member_id, scope=scope)}/"


def unsubscribe_link(*, member_id: int, scope: str = ALL) -> str:
    return site_link(unsubscribe_path(member_id=member_id, scope=scope))


def preferences_link() -> str:
    return site_link("/notifications/preferences/")


def unsubscribe_headers(*, member_id: int, scope: str = ALL) -> dict[str, str]:
    """The RFC 8058 headers: a mail client POSTs to the link to unsubscribe at once."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_link(member_id=member_id, scope=scope)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe_context(*, member_id: int, scope: str = ALL) -> dict[str, str]:
    """The links every e-mail's footer shows (``core/email/base.*``)."""
    return {
        "preferences_link": preferences_link(),
        "unsubscribe_link": unsubscribe_link(member_id=member_id, scope=scope),
    }
