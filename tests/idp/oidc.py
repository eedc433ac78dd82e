"""A small OpenID provider for the tests (issue 19; docs/sso.md, "OpenID Connect").

Served by wsgiref on 127.0.0.1 in a background thread, no network. It speaks what
medborgarlofte/accounts/sso_oidc.py needs and checks what a real provider checks:

- /.well-known/openid-configuration (discovery) and /jwks (an RS256 key made at start);
- /authorize: an HTML page listing the test users as buttons "Logga in som <login>";
  the POST issues a code and redirects to redirect_uri with code and state. A
  code_challenge (PKCE, S256) is required; the nonce is put in the ID token;
- /token: authorization_code (client secret, redirect_uri and code_verifier checked) and
  refresh_token grants; a refresh for a disabled user answers 400 invalid_grant;
- /userinfo.

Tests configure it from Python: `idp.add_user(login, sub=..., email=..., groups=...,
amr=..., acr=...)`, `idp.disable(login)`, `idp.issuer`, `idp.url`, and misbehave on
purpose: `idp.claim_overrides` (e.g. a wrong nonce or audience in the next ID tokens),
`idp.sign_with_other_key`, `idp.token_status` (the token endpoint answers this HTTP
status, e.g. 503).

Fixture `oidc_idp` (loaded by the root conftest.py through pytest_plugins): one server
for the test session, emptied before each test, with the client
`CLIENT_ID`/`CLIENT_SECRET` (the secret is also put in the environment variable
`SECRET_VARIABLE` for the test).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "medborgarlofte-test"
CLIENT_SECRET = "test-hemlighet-" + "x" * 16
SECRET_VARIABLE = "MEDBORGARLOFTE_SSO_TEST_SECRET"


@dataclass
class IdpUser:
    login: str
    sub: str
    email: str = ""
    groups: list[str] = field(default_factory=list)
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    acr: str = ""
    active: bool = True
    extra: dict = field(default_factory=dict)


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # the test output stays readable
        pass


def _key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcTestProvider:
    def __init__(self):
        self.key = _key("test-idp")
        self.other_key = _key("test-idp")  # same kid: only the signature betrays it
        self._server = make_server(
            "127.0.0.1", 0, self, server_class=_Threading, handler_class=_Quiet
        )
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.issuer = self.url
        self.clients = {CLIENT_ID: CLIENT_SECRET}
        self._lock = threading.Lock()
        self.reset()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # --- Python API for the tests ---------------------------------------------------

    def reset(self) -> None:
        self.users: dict[str, IdpUser] = {}
        self.codes: dict[str, dict] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.claim_overrides: dict = {}
        self.sign_with_other_key = False
        self.token_status: int | None = None
        self.token_requests: list[dict] = []

    def add_user(self, login: str, **attributes) -> IdpUser:
        attributes.setdefault("sub", f"sub-{login}")
        attributes.setdefault("email", f"{login}@example.se")
        user = IdpUser(login=login, **attributes)
        self.users[login] = user
        return user

    def disable(self, login: str) -> None:
        self.users[login].active = False

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- WSGI -----------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
        routes = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
            "/userinfo": self._userinfo,
        }
        handler = routes.get(path)
        if handler is None:
            status, headers, body = "404 Not Found", [("Content-Type", "text/plain")], b"nej"
        else:
            with self._lock:
                status, headers, body = handler(method, query, form, environ)
        start_response(status, headers)
        return [body]

    @staticmethod
    def _json(data, status="200 OK"):
        headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
        return status, headers, json.dumps(data).encode()

    def _discovery(self, method, query, form, environ):
        return self._json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
            }
        )

    def _jwks(self, method, query, form, environ):
        return self._json({"keys": [self.key.as_dict(private=False)]})

    def _authorize(self, method, query, form, environ):
        params = form if method == "POST" else query
        problems = []
        if params.get("response_type") != "code":
            problems.append("response_type must be code")
        if self.clients.get(params.get("client_id", "")) is None:
            problems.append("unknown client_id")
        if not params.get("redirect_uri"):
            problems.append("redirect_uri missing")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            problems.append("PKCE (S256) is required")
        if "openid" not in params.get("scope", "").split():
            problems.append("scope must contain openid")
        if problems:
            return "400 Bad Request", [("Content-Type", "text/plain")], "; ".join(problems).encode()
        if method == "POST":
            if "cancel" in params:
                return self._redirect_back(params, error="access_denied")
            user = self.users.get(params.get("login", ""))
            if user is None or not user.active:
                return "400 Bad Request", [("Content-Type", "text/plain")], b"no such user"
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "login": user.login,
                "client_id": params["client_id"],
                "redirect_uri": params["redirect_uri"],
                "nonce": params.get("nonce"),
                "code_challenge": params["code_challenge"],
            }
            return self._redirect_back(params, code=code)
        return "200 OK", [("Content-Type", "text/html; charset=utf-8")], self._page(params)

    @staticmethod
    def _redirect_back(params, **answer):
        if params.get("state"):
            answer["state"] = params["state"]
        parts = urlsplit(params["redirect_uri"])
        query = f"{parts.query}&{urlencode(answer)}" if parts.query else urlencode(answer)
        location = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
        return "302 Found", [("Location", location)], b""

    def _page(self, params) -> bytes:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k != "login"
        )
        buttons = "".join(
            f'<li><button type="submit" name="login" value="{html.escape(u.login)}">'
            f"Logga in som {html.escape(u.login)}</button></li>"
            for u in self.users.values()
            if u.active
        )
        return (
            '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
            "<title>Testinloggning</title></head><body><main><h1>Testinloggning</h1>"
            f'<form method="post" action="/authorize">{hidden}<ul>{buttons}</ul>'
            '<button type="submit" name="cancel" value="1">Avbryt</button></form>'
            "</main></body></html>"
        ).encode()

    def _client_ok(self, form, environ) -> str | None:
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            from urllib.parse import unquote

            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            client_id, secret = unquote(client_id), unquote(secret)
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if client_id and self.clients.get(client_id) == secret:
            return client_id
        return None

    def _token(self, method, query, form, environ):
        self.token_requests.append({"grant_type": form.get("grant_type")})
        if self.token_status:
            return f"{self.token_status} Failure", [("Content-Type", "text/html")], b"<p>nere</p>"
        if method != "POST":
            return self._json({"error": "invalid_request"}, "405 Method Not Allowed")
        client_id = self._client_ok(form, environ)
        if client_id is None:
            return self._json({"error": "invalid_client"}, "401 Unauthorized")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            data = self.codes.pop(form.get("code", ""), None)
            if (
                data is None
                or data["client_id"] != client_id
                or data["redirect_uri"] != form.get("redirect_uri")
                or _s256(form.get("code_verifier", "")) != data["code_challenge"]
            ):
                return self._json({"error": "invalid_grant"}, "400 Bad Request")
            login, nonce = data["login"], data["nonce"]
        elif grant == "refresh_token":
            login = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if login is None:
                return self._json({"error": "invalid_grant"}, "400 Bad Request")
            nonce = None
        else:
            return self._json({"error": "unsupported_grant_type"}, "400 Bad Request")
        user = self.users.get(login)
        if user is None or not user.active:
            return self._json(
                {"error": "invalid_grant", "error_description": "user disabled"},
                "400 Bad Request",
            )
        refresh = secrets.token_urlsafe(24)
        self.refresh_tokens[refresh] = login
        return self._json(
            {
                "access_token": f"at-{login}-{secrets.token_urlsafe(8)}",
                "token_type": "Bearer",
                "expires_in": 3600,
                "refresh_token": refresh,
                "id_token": self.id_token(user, client_id, nonce),
            }
        )

    def id_token(self, user: IdpUser, client_id: str, nonce: str | None) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": user.sub,
            "aud": client_id,
            "iat": now,
            "exp": now + 600,
            "auth_time": now,
            "amr": list(user.amr),
            "groups": list(user.groups),
            **user.extra,
        }
        if user.email:
            claims["email"] = user.email
        if user.acr:
            claims["acr"] = user.acr
        if nonce:
            claims["nonce"] = nonce
        claims.update(self.claim_overrides)
        key = self.other_key if self.sign_with_other_key else self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def _userinfo(self, method, query, form, environ):
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        login = token.split("-")[1] if token.startswith("at-") else ""
        user = self.users.get(login)
        if user is None or not user.active:
            return self._json({"error": "invalid_token"}, "401 Unauthorized")
        return self._json({"sub": user.sub, "email": user.email, "groups": user.groups})


@pytest.fixture(scope="session")
def _oidc_server():
    provider = OidcTestProvider()
    yield provider
    provider.close()


@pytest.fixture
def oidc_idp(_oidc_server, monkeypatch):
    """The local OpenID provider, emptied for this test; its client secret is in the
    environment variable SECRET_VARIABLE."""
    _oidc_server.reset()
    monkeypatch.setenv(SECRET_VARIABLE, CLIENT_SECRET)
    yield _oidc_server
    _oidc_server.reset()
