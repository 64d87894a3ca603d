"""A small, real OpenID Connect provider to sign in against in tests.

It runs an HTTP server on 127.0.0.1 (a random port, in a thread) and speaks
the authorisation-code flow the way Microsoft Entra ID or any other issuer
does, so that allauth's own client code runs unchanged over the network:

    /<base>/.well-known/openid-configuration   discovery
    /<base>/authorize   records the request and redirects back with a code
    /<base>/token       checks the code, the client's id and secret and the
                        PKCE verifier; answers with an RS256-signed id_token
    /<base>/jwks        the public key
    /<base>/userinfo    the claims, for a bearer access token

``base_path`` lets one stand-in look like an Entra tenant
(``/<tenant>/v2.0``). A test chooses who signs in with ``person``, and can
make the next answer go wrong on purpose with ``tamper``.
"""

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CODE_LIFETIME_SECONDS = 60
TOKEN_LIFETIME_SECONDS = 300

# Ways ``tamper`` can spoil the next id_token (None: a good one).
TAMPERINGS = {
    "signature",  # the right claims, the signature of another key
    "subject",  # the payload's sub changed after signing, signature kept
    "audience",  # signed properly, but for another client
    "issuer",  # signed properly, but naming another issuer
    "expired",  # signed properly, expired an hour ago
    "garbage",  # not a JWT at all
}


@functools.cache
def _signing_key(name: str) -> rsa.RSAPrivateKey:
    """One RSA key per name for the whole test run: making them is slow."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def s256(verifier: str) -> str:
    """The PKCE S256 challenge for a code verifier (RFC 7636 §4.2)."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


@dataclass
class Person:
    """Who the provider says is signing in."""

    sub: str
    email: str
    name: str = "Sam Taylor"
    email_verified: bool | None = True

    def claims(self) -> dict:
        claims: dict[str, str | bool] = {"sub": self.sub, "email": self.email, "name": self.name}
        if self.email_verified is not None:
            claims["email_verified"] = self.email_verified
        return claims


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    code_challenge_method: str
    nonce: str | None
    claims: dict
    issued_at: float
    used: bool = False


@dataclass
class Record:
    """What the provider saw, for tests to assert on."""

    authorize: list[dict] = field(default_factory=list)
    token: list[dict] = field(default_factory=list)
    token_errors: list[str] = field(default_factory=list)
    userinfo: int = 0


class StandInProvider:
    def __init__(
        self,
        *,
        client_id: str = "equitime-test-client",
        client_secret: str = "equitime-test-secret",  # noqa: S107 - a test double
        base_path: str = "",
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.base_path = base_path.rstrip("/")
        self.person = Person(sub="subject-1", email="sam.taylor@nhs.net")
        self.tamper: str | None = None
        self.record = Record()
        self._grants: dict[str, Grant] = {}
        self._access_tokens: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._key = _signing_key("provider")
        self._other_key = _signing_key("someone else")
        self.kid = "stand-in-" + secrets.token_hex(4)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- running -------------------------------------------------------------

    def start(self) -> "StandInProvider":
        provider = self

        class Handler(_Handler):
            stand_in = provider

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None  # started with the server
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> "StandInProvider":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def issuer(self) -> str:
        assert self._server is not None, "start() the provider first"
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an IPv4 address, never bytes
        return f"http://{host}:{port}{self.base_path}"

    def url(self, endpoint: str) -> str:
        return f"{self.issuer}/{endpoint}"

    # --- the protocol ----------------------------------------------------------

    def configuration(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.url("authorize"),
            "token_endpoint": self.url("token"),
            "userinfo_endpoint": self.url("userinfo"),
            "jwks_uri": self.url("jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name"],
        }

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict, str]:
        """Approve at once as ``self.person``: 302 back to the client with a code."""
        self.record.authorize.append(dict(query))
        redirect_uri = query.get("redirect_uri", "")
        problems = []
        if query.get("client_id") != self.client_id:
            problems.append("unknown client_id")
        if query.get("response_type") != "code":
            problems.append("response_type must be code")
        if "openid" not in query.get("scope", "").split():
            problems.append("scope must include openid")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            problems.append("PKCE with S256 is required")
        if not redirect_uri.startswith(("http://", "https://")):
            problems.append("redirect_uri is missing")
        if problems:
            return 400, {"Content-Type": "text/plain"}, "; ".join(problems)
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = Grant(
                client_id=query["client_id"],
                redirect_uri=redirect_uri,
                code_challenge=query["code_challenge"],
                code_challenge_method=query["code_challenge_method"],
                nonce=query.get("nonce"),
                claims=self.person.claims(),
                issued_at=time.time(),
            )
        back = {"code": code}
        if "state" in query:
            back["state"] = query["state"]
        separator = "&" if "?" in redirect_uri else "?"
        return 302, {"Location": f"{redirect_uri}{separator}{urlencode(back)}"}, ""

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        self.record.token.append(dict(form))
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, client_secret = decoded.partition(":")
        if client_id != self.client_id or client_secret != self.client_secret:
            return self._token_error("invalid_client", status=401)
        if form.get("grant_type") != "authorization_code":
            return self._token_error("unsupported_grant_type")
        with self._lock:
            grant = self._grants.get(form.get("code", ""))
            if grant is None or grant.used:
                return self._token_error("invalid_grant")
            grant.used = True  # a code is good once, even if the rest is wrong
        if time.time() - grant.issued_at > CODE_LIFETIME_SECONDS:
            return self._token_error("invalid_grant")
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            return self._token_error("invalid_grant")
        verifier = form.get("code_verifier", "")
        if not verifier or s256(verifier) != grant.code_challenge:
            return self._token_error("invalid_grant")
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._access_tokens[access_token] = grant.claims
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "scope": "openid profile email",
            "id_token": self.id_token(grant),
        }

    def _token_error(self, error: str, status: int = 400) -> tuple[int, dict]:
        self.record.token_errors.append(error)
        return status, {"error": error}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            **grant.claims,
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        key = self._key
        tamper = self.tamper
        if tamper == "garbage":
            return "this-is-not-a-jwt"
        if tamper == "audience":
            claims["aud"] = "someone-elses-client"
        elif tamper == "issuer":
            claims["iss"] = "https://evil.example.org"
        elif tamper == "expired":
            claims["iat"], claims["nbf"], claims["exp"] = now - 7200, now - 7200, now - 3600
        elif tamper == "signature":
            key = self._other_key
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        if tamper == "subject":
            header, _payload, signature = token.split(".")
            forged = {**claims, "sub": "someone-else"}
            payload = _b64url(json.dumps(forged).encode())
            token = f"{header}.{payload}.{signature}"
        return token

    def verify(self, id_token: str) -> dict:
        """Decode one of our id_tokens as a strict relying party would."""
        return jwt.decode(
            id_token,
            self._key.public_key(),
            algorithms=["RS256"],
            audience=self.client_id,
            issuer=self.issuer,
        )

    def userinfo(self, authorization: str | None) -> tuple[int, dict]:
        self.record.userinfo += 1
        token = (authorization or "").removeprefix("Bearer ").strip()
        with self._lock:
            claims = self._access_tokens.get(token)
        if claims is None:
            return 401, {"error": "invalid_token"}
        return 200, dict(claims)


class _Handler(BaseHTTPRequestHandler):
    stand_in: StandInProvider

    def log_message(self, format, *args):  # quiet in test output
        pass

    def _route(self) -> tuple[str, dict[str, str]]:
        parts = urlsplit(self.path)
        path = parts.path
        base = self.stand_in.base_path
        if base and path.startswith(base + "/"):
            path = path[len(base) :]
        elif base:
            path = "/not-found"
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        return path, query

    def _send(self, status: int, body: dict | str, headers: dict | None = None) -> None:
        headers = dict(headers or {})
        if isinstance(body, dict):
            payload = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        else:
            payload = body.encode()
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        self.send_response(status)
        headers["Cache-Control"] = "no-store"
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        path, query = self._route()
        stand_in = self.stand_in
        if path == "/.well-known/openid-configuration":
            self._send(200, stand_in.configuration())
        elif path == "/jwks":
            self._send(200, stand_in.jwks())
        elif path == "/authorize":
            status, headers, body = stand_in.authorize(query)
            self._send(status, body, headers)
        elif path == "/userinfo":
            status, info = stand_in.userinfo(self.headers.get("Authorization"))
            self._send(status, info)
        else:
            self._send(404, {"error": "not_found"})

    def do_POST(self):
        path, _query = self._route()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        if path == "/token":
            status, body = self.stand_in.token(form, self.headers.get("Authorization"))
            self._send(status, body)
        else:
            self._send(404, {"error": "not_found"})
