"""Stored password hashes: ASP.NET Core Identity V2/V3 hashes verify, weaker or foreign hashes are
re-hashed at the next sign-in, and pbkdf2-sha512 writes the V3 format."""
import base64
import hashlib
import os
import struct

import pytest

from harness import DEFAULT_PASSWORD, Site


def aspnet_v2(password: str) -> str:
    salt = os.urandom(16)
    subkey = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, 1000, 32)
    return base64.b64encode(b"\x00" + salt + subkey).decode()


def aspnet_v3(password: str, prf: str = "sha256", iterations: int = 10000) -> str:
    prf_id = {"sha1": 0, "sha256": 1, "sha512": 2}[prf]
    salt = os.urandom(16)
    subkey = hashlib.pbkdf2_hmac(prf, password.encode(), salt, iterations, 32)
    return base64.b64encode(b"\x01" + struct.pack(">III", prf_id, iterations, len(salt)) + salt + subkey).decode()


def set_hash(site: Site, email: str, value: str) -> None:
    with site.db() as conn:
        conn.execute("UPDATE AspNetUsers SET PasswordHash = ? WHERE NormalizedEmail = ?", (value, email.upper()))


@pytest.mark.parametrize("make_hash", [
    aspnet_v2,
    lambda p: aspnet_v3(p, "sha256", 10000),
    lambda p: aspnet_v3(p, "sha512", 100000),
    lambda p: aspnet_v3(p, "sha1", 1000),
], ids=["v2-sha1", "v3-sha256-10k", "v3-sha512-100k", "v3-sha1"])
def test_aspnet_hashes_verify_and_are_upgraded(site, make_hash):
    email = site.new_user()
    set_hash(site, email, make_hash(DEFAULT_PASSWORD))
    assert site.login(site.session(), email, "not the password").status_code == 422
    assert site.login(site.session(), email).status_code == 303
    assert site.user_row(email)["PasswordHash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert site.login(site.session(), email).status_code == 303


def test_a_garbage_stored_hash_is_a_failed_sign_in_not_a_500(site):
    email = site.new_user()
    for value in ["", "not a hash", "$argon2id$v=19$m=1,t=1,p=1$$", "AQAAAA==", base64.b64encode(b"\x01" + b"\xff" * 20).decode()]:
        set_hash(site, email, value)
        assert site.login(site.session(), email).status_code == 422, value


def test_weaker_argon2_parameters_are_rehashed(tmp_path):
    before = Site.start({"passwords.argon2_iterations": "1"}, root=tmp_path)
    try:
        email = before.new_user()
        assert ",t=1," in before.user_row(email)["PasswordHash"]
    finally:
        before.stop()
    after = Site.start({"passwords.argon2_iterations": "3"}, root=tmp_path)
    try:
        assert after.login(after.session(), email).status_code == 303
        assert after.user_row(email)["PasswordHash"].startswith("$argon2id$v=19$m=19456,t=3,p=1$")
    finally:
        after.stop()


def test_pbkdf2_sha512_writes_aspnet_v3(make_site):
    s = make_site({"passwords.algorithm": "pbkdf2-sha512", "passwords.pbkdf2_iterations": "210000"})
    email = s.new_user()
    raw = base64.b64decode(s.user_row(email)["PasswordHash"])
    assert raw[0] == 1
    prf, iterations, salt_length = struct.unpack(">III", raw[1:13])
    assert (prf, iterations) == (2, 210000)
    salt = raw[13:13 + salt_length]
    subkey = raw[13 + salt_length:]
    assert hashlib.pbkdf2_hmac("sha512", DEFAULT_PASSWORD.encode(), salt, iterations, len(subkey)) == subkey
    assert s.login(s.session(), email).status_code == 303
