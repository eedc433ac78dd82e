"""Local identity providers for the single sign-on tests (issue 19): no network, each
served on 127.0.0.1 by a WSGI server in a background thread. oidc.py: OpenID Connect."""
