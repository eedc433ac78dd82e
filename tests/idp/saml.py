"""A SAML 2.0 identity provider for the tests (issue 19), built on pysaml2's Server.

`SamlIdp` makes a self-signed key and certificate (cryptography) in a temporary
directory and answers, by direct calls or over HTTP (`serve()`: a WSGI server in a
background thread on 127.0.0.1):

- GET  /metadata  its metadata, for IdentityProvider.saml_metadata;
- GET  /sso       (HTTP-Redirect binding) checks the AuthnRequest and lists the test users
                  as buttons "Logga in som <login>";
- POST /sso       the chosen user: a page whose form posts the signed SAMLResponse and
                  the RelayState to the service's ACS (button "Fortsätt", no JavaScript).

Tests add users (`add_user`), disable them (`disable`: the answer is a Responder status,
no assertion) and trust a service provider by its metadata (`trust`). `respond` makes the
form fields directly, for tests with Django's test client.

The fixture `saml_idp` (a served IdP) is loaded by `pytest_plugins = ["tests.idp.saml"]`.
"""

from __future__ import annotations

import base64
import datetime
import html
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.s_utils import UnknownPrincipal
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

MFA = "http://schemas.microsoft.com/claims/multipleauthn"
PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


def make_key_pair(directory: Path, name: str = "idp") -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test {name}")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


@dataclass
class User:
    login: str
    nameid: str
    email: str
    groups: tuple[str, ...]
    mfa: bool
    active: bool = True
    nameid_format: str = NAMEID_FORMAT_PERSISTENT


class SamlIdp:
    def __init__(self, base_url: str, *, groups_attribute: str = "groups", directory=None):
        self.base_url = base_url.rstrip("/")
        self.entity_id = self.base_url + "/metadata"
        self.sso_url = self.base_url + "/sso"
        self.groups_attribute = groups_attribute
        self.directory = Path(directory or tempfile.mkdtemp(prefix="saml-idp-"))
        self.key_file, self.cert_file = make_key_pair(self.directory, f"idp-{id(self)}")
        self.users: dict[str, User] = {}
        self.sp_metadata: list[str] = []
        # How long its assertions are valid (negative: already expired when made).
        self.lifetime_minutes = 5
        self.sign_alg, self.digest_alg = SIG_RSA_SHA256, DIGEST_SHA256
        self._server: Server | None = None
        self._httpd = None

    # --- configuration ------------------------------------------------------------
    def add_user(self, login, nameid, email, groups=(), mfa=False, active=True, **extra) -> User:
        user = User(login, nameid, email, tuple(groups), mfa, active, **extra)
        self.users[login] = user
        return user

    def disable(self, login: str) -> None:
        self.users[login].active = False

    def trust(self, sp_metadata: str) -> None:
        """Accept AuthnRequests from the service provider with this metadata."""
        self.sp_metadata.append(sp_metadata)
        self._server = None

    def impostor(self) -> SamlIdp:
        """An IdP with the same entity ID and users but another signing key."""
        other = SamlIdp(
            self.base_url, groups_attribute=self.groups_attribute, directory=self.directory
        )
        other.users = self.users
        other.sp_metadata = list(self.sp_metadata)
        return other

    def _config(self, *, with_sps: bool = True) -> IdPConfig:
        conf = {
            "entityid": self.entity_id,
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
            "service": {
                "idp": {
                    "name": "Test-IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (self.sso_url, BINDING_HTTP_REDIRECT),
                        ]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": self.lifetime_minutes},
                            "name_form": NAME_FORMAT_BASIC,
                        }
                    },
                }
            },
        }
        if with_sps and self.sp_metadata:
            conf["metadata"] = {"inline": list(self.sp_metadata)}
        config = IdPConfig()
        config.load(conf)
        return config

    @property
    def server(self) -> Server:
        if self._server is None:
            self._server = Server(config=self._config())
        return self._server

    def metadata(self) -> str:
        return create_metadata_string(
            None, config=self._config(with_sps=False), sign=False
        ).decode()

    # --- the protocol ---------------------------------------------------------------
    def parse(self, saml_request: str):
        return self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message

    def respond(
        self, saml_request: str, relay_state: str, login: str, *, signed: bool = True
    ) -> tuple[str, dict]:
        """(ACS address, form fields) for the user's answer to this AuthnRequest
        (signed=False: neither the response nor the assertion is signed)."""
        request = self.parse(saml_request)
        sp_entity_id = request.issuer.text
        destination = request.assertion_consumer_service_url
        user = self.users[login]
        if not user.active:
            response = self.server.create_error_response(
                request.id,
                destination,
                UnknownPrincipal("the account is disabled"),
                sign=True,
                sign_alg=self.sign_alg,
                digest_alg=self.digest_alg,
            )
        else:
            response = self.server.create_authn_response(
                identity={"mail": [user.email], self.groups_attribute: list(user.groups)},
                in_response_to=request.id,
                destination=destination,
                sp_entity_id=sp_entity_id,
                name_id=NameID(format=user.nameid_format, text=user.nameid),
                authn={
                    "class_ref": MFA if user.mfa else PASSWORD,
                    "authn_auth": self.entity_id,
                },
                sign_response=signed,
                sign_assertion=signed,
                sign_alg=self.sign_alg,
                digest_alg=self.digest_alg,
            )
        fields = {
            "SAMLResponse": base64.b64encode(str(response).encode()).decode(),
            "RelayState": relay_state,
        }
        return destination, fields

    # --- HTTP ------------------------------------------------------------------------
    def _page(self, title: str, body: str) -> bytes:
        return (
            '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head><body><main>"
            f"<h1>{html.escape(title)}</h1>{body}</main></body></html>"
        ).encode()

    def app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if path == "/metadata":
                start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
                return [self.metadata().encode()]
            if path == "/sso" and method == "GET":
                query = parse_qs(environ.get("QUERY_STRING", ""))
                saml_request = query["SAMLRequest"][0]
                relay_state = query.get("RelayState", [""])[0]
                self.parse(saml_request)
                buttons = "".join(
                    f'<li><button type="submit" name="login" value="{html.escape(login)}">'
                    f"Logga in som {html.escape(login)}</button></li>"
                    for login in self.users
                )
                body = (
                    f'<form method="post" action="{html.escape(self.sso_url)}">'
                    f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}">'
                    f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
                    f"<ul>{buttons}</ul></form>"
                )
                start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
                return [self._page("Test-IdP: välj användare", body)]
            if path == "/sso" and method == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                form = parse_qs(environ["wsgi.input"].read(size).decode())
                action, fields = self.respond(
                    form["SAMLRequest"][0], form.get("RelayState", [""])[0], form["login"][0]
                )
                inputs = "".join(
                    f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
                    for name, value in fields.items()
                )
                body = (
                    f'<form method="post" action="{html.escape(action)}">{inputs}'
                    '<button type="submit">Fortsätt</button></form>'
                )
                start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
                return [self._page("Test-IdP: skicka svaret", body)]
        except Exception as exc:  # a test IdP: say what went wrong
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [f"{type(exc).__name__}: {exc}".encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def shutdown(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


def served_idp(**kwargs) -> SamlIdp:
    """An IdP listening on a free port of 127.0.0.1."""

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    holder: dict = {}

    def app(environ, start_response):
        return holder["idp"].app(environ, start_response)

    httpd = make_server("127.0.0.1", 0, app, WSGIServer, handler_class=Quiet)
    idp = SamlIdp(f"http://127.0.0.1:{httpd.server_port}", **kwargs)
    holder["idp"] = idp
    idp._httpd = httpd
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return idp


@pytest.fixture
def saml_idp(tmp_path):
    """A SAML IdP served on 127.0.0.1 for the test (users and trusted SPs added by it)."""
    idp = served_idp(directory=tmp_path)
    yield idp
    idp.shutdown()


def sso_query(location: str) -> dict:
    """SAMLRequest and RelayState of a redirect to the IdP."""
    query = parse_qs(location.split("?", 1)[1])
    return {"SAMLRequest": query["SAMLRequest"][0], "RelayState": query["RelayState"][0]}


__all__ = ["MFA", "PASSWORD", "SamlIdp", "saml_idp", "served_idp", "sso_query"]
