"""Routing through nginx: status codes, methods, HEAD, case, security headers (CONTRACT.md §3)."""
import re

import pytest
import requests

from harness import fastcgi_params, fastcgi_request, split_cgi

PUBLIC_PAGES = ["/Register", "/Login", "/RegistrationSuccessful"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)


def assert_security_headers(r: requests.Response) -> None:
    csp = r.headers.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", csp
    assert directives.get("object-src") == "object-src 'none'", csp
    assert directives.get("base-uri") == "base-uri 'none'", csp
    assert directives.get("form-action") == "form-action 'self'", csp
    script = directives.get("script-src") or directives.get("default-src", "")
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, csp
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.headers.get("Referrer-Policy") in {"same-origin", "no-referrer", "strict-origin-when-cross-origin", "strict-origin"}


@pytest.mark.parametrize("route", PUBLIC_PAGES)
def test_public_pages_answer_200_with_security_headers(site, route):
    r = requests.get(site.url(route), allow_redirects=False)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert_security_headers(r)
    assert not INLINE_SCRIPT.search(r.text), "inline <script> in " + route


def test_signed_in_pages_have_security_headers_no_store_and_no_inline_script(site):
    s, _ = site.signed_in()
    for route in ["/Manage", "/ChangePassword"]:
        r = s.get(site.url(route), allow_redirects=False)
        assert r.status_code == 200, route
        assert_security_headers(r)
        assert "no-store" in r.headers.get("Cache-Control", ""), route
        assert not INLINE_SCRIPT.search(r.text), route


def test_error_pages_have_security_headers(site):
    r = requests.get(site.url("/NoSuchPage"))
    assert r.status_code == 404
    assert_security_headers(r)
    assert not INLINE_SCRIPT.search(r.text)


@pytest.mark.parametrize("route", ["/NoSuchPage", "/Register/extra", "/Manage.php", "/", ""])
def test_unknown_route_is_404(site, route):
    r = requests.get(site.url(route), allow_redirects=False)
    assert r.status_code == 404


@pytest.mark.parametrize("method,route,allowed", [
    ("DELETE", "/Login", {"GET", "POST"}),
    ("PUT", "/Register", {"GET", "POST"}),
    ("GET", "/Logout", {"POST"}),
    ("POST", "/IsEmailAvailable", {"GET"}),
    ("POST", "/RegistrationSuccessful", {"GET"}),
    ("GET", "/ResendConfirmationEmail", {"POST"}),
    ("PATCH", "/Manage", {"GET"}),
])
def test_wrong_method_is_405_with_allow(site, method, route, allowed):
    r = requests.request(method, site.url(route), allow_redirects=False)
    assert r.status_code == 405
    allow = {m.strip() for m in r.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed <= allow, r.headers.get("Allow")
    assert not (allow - allowed - {"HEAD"}), r.headers.get("Allow")
    if "GET" in allowed:
        assert "HEAD" in allow


@pytest.mark.parametrize("route", PUBLIC_PAGES + ["/IsEmailAvailable?Email=a%40example.com", "/ConfirmEmail?UserId=x&Token=y"])
def test_head_is_answered_like_get_without_body(site, route):
    get = requests.get(site.url(route), allow_redirects=False)
    head = requests.head(site.url(route), allow_redirects=False)
    assert head.status_code == get.status_code
    assert head.headers.get("Content-Type") == get.headers.get("Content-Type")
    assert head.content == b""


@pytest.mark.parametrize("route", ["/Login", "/Register", "/IsEmailAvailable"])
def test_head_sends_no_body_from_the_worker_itself(site, route):
    raw, _ = fastcgi_request(site.socket_path, fastcgi_params("HEAD", "/Account" + route, query="Email=a%40b.example"))
    status, headers, body = split_cgi(raw)
    assert status == 200
    assert body == b""


def test_head_on_an_auth_page_redirects_like_get(site):
    r = requests.head(site.url("/Manage"), allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"].startswith("/Account/Login?ReturnUrl=")


@pytest.mark.parametrize("path", ["/account/LOGIN", "/ACCOUNT/login", "/Account/lOgIn"])
def test_paths_match_case_insensitively(site, path):
    r = requests.get(site.base + path, allow_redirects=False)
    assert r.status_code == 200
    assert "__RequestVerificationToken" in r.text and 'action="/Account/Login"' in r.text


def test_case_insensitive_path_for_a_post(site):
    s = site.session()
    tok = site.form_token(s, "/Login")
    r = s.post(site.base + "/ACCOUNT/login", data={"__RequestVerificationToken": tok, "Email": "nobody@example.com", "Password": "x"}, allow_redirects=False)
    assert r.status_code == 422


def test_static_stylesheet_is_served_by_nginx(site):
    r = requests.get(site.base + "/static/countersign.css")
    assert r.status_code == 200
    assert "text/css" in r.headers["Content-Type"]


def test_route_comes_from_document_uri_not_request_uri(site):
    # Inside an nginx auth_request subrequest REQUEST_URI is the original request's URI.
    raw, _ = fastcgi_request(site.socket_path, fastcgi_params("GET", "/Account/Login", extra={"REQUEST_URI": "/Account/NoSuchPage"}))
    assert split_cgi(raw)[0] == 200
    raw, _ = fastcgi_request(site.socket_path, fastcgi_params("GET", "/Account/NoSuchPage", extra={"REQUEST_URI": "/Account/Login"}))
    assert split_cgi(raw)[0] == 404
