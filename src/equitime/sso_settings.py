"""Single sign-on providers, read from environment variables.

Both are OpenID Connect apps of django-allauth's ``openid_connect`` provider:

- **Microsoft Entra ID** (what NHSmail uses): set ``EQUITIME_ENTRA_TENANT_ID``,
  ``EQUITIME_ENTRA_CLIENT_ID`` and ``EQUITIME_ENTRA_CLIENT_SECRET``. The
  tenant's addresses are trusted as confirmed, so a member who already joined
  with that address signs in to the same account.
- **Any other OIDC provider**: set ``EQUITIME_OIDC_SERVER_URL`` (the issuer),
  ``EQUITIME_OIDC_CLIENT_ID`` and ``EQUITIME_OIDC_CLIENT_SECRET``; optionally
  ``EQUITIME_OIDC_NAME`` for the button, and ``EQUITIME_OIDC_TRUST_EMAIL=1``
  only if that provider vouches for every address it sends.

The redirect URI to register with a provider is
``<site>/accounts/oidc/<provider id>/login/callback/`` (``entra`` or ``oidc``).
This module is imported by settings, so it must not import Django models.
"""

from collections.abc import Mapping

ENTRA_AUTHORITY = "https://login.microsoftonline.com/{tenant}/v2.0"


def oidc_apps_from_env(env: Mapping[str, str]) -> list[dict]:
    apps = []
    tenant = env.get("EQUITIME_ENTRA_TENANT_ID", "").strip()
    if tenant and env.get("EQUITIME_ENTRA_CLIENT_ID"):
        apps.append(
            {
                "provider_id": "entra",
                "name": env.get("EQUITIME_ENTRA_NAME", "NHSmail (Microsoft)"),
                "client_id": env["EQUITIME_ENTRA_CLIENT_ID"],
                "secret": env.get("EQUITIME_ENTRA_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": env.get(
                        "EQUITIME_ENTRA_SERVER_URL", ENTRA_AUTHORITY.format(tenant=tenant)
                    ),
                    # Entra sends no email_verified claim; a single tenant's
                    # addresses are issued by that tenant, so they are vouched for.
                    "verified_email": True,
                    "email_authentication": True,
                    "token_auth_method": "client_secret_post",
                },
            }
        )
    if env.get("EQUITIME_OIDC_SERVER_URL") and env.get("EQUITIME_OIDC_CLIENT_ID"):
        trusted = env.get("EQUITIME_OIDC_TRUST_EMAIL", "0") == "1"
        apps.append(
            {
                "provider_id": "oidc",
                "name": env.get("EQUITIME_OIDC_NAME", "Single sign-on"),
                "client_id": env["EQUITIME_OIDC_CLIENT_ID"],
                "secret": env.get("EQUITIME_OIDC_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": env["EQUITIME_OIDC_SERVER_URL"],
                    # None: believe the provider's own email_verified claim.
                    **({"verified_email": True, "email_authentication": True} if trusted else {}),
                },
            }
        )
    return apps
