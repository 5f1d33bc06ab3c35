"""Every sign-in and sign-out renews the readable sign-in mark, which tells the browser's tabs to
start new Reflex states (microgigs/http/sign_in_mark.py); a refused sign-in leaves it alone."""

from microgigs.http.sign_in_mark import BROWSER_SCRIPT, SIGN_IN_MARK_COOKIE
from tests.integration.conftest import ORIGIN, PASSWORD, make_user, sign_in


def _mark_cookie(response) -> str:
    """The Set-Cookie line of the mark in this response ("" when there is none)."""
    return next((line for line in response.headers.get_list("set-cookie") if line.startswith(f"{SIGN_IN_MARK_COOKIE}=")), "")


def test_signing_in_and_out_each_renew_the_mark_and_a_refusal_does_not(client, configured):
    make_user(configured, "ana@example.edu")

    refused = client.post("/auth/login", data={"email": "ana@example.edu", "password": "not it"}, headers=ORIGIN)
    assert _mark_cookie(refused) == ""

    sign_in(client, "ana@example.edu")
    first = client.cookies.get(SIGN_IN_MARK_COOKIE)
    signed_out = client.post("/auth/logout", headers=ORIGIN)
    line = _mark_cookie(signed_out)
    second = client.cookies.get(SIGN_IN_MARK_COOKIE)
    sign_in(client, "ana@example.edu")
    third = client.cookies.get(SIGN_IN_MARK_COOKIE)

    assert first and second and third and len({first, second, third}) == 3
    # The page's own script reads it, so it is not HttpOnly; it holds nothing but a random value.
    assert "httponly" not in line.lower() and "samesite=lax" in line.lower() and "Path=/" in line
    assert PASSWORD not in line and client.cookies.get("microgigs_session") not in line


def test_the_pages_script_reads_the_same_cookie_name():
    assert f'"{SIGN_IN_MARK_COOKIE}="' in BROWSER_SCRIPT
    # React writes the script as text into the built HTML: keep it free of characters it escapes.
    assert not set("<>&") & set(BROWSER_SCRIPT)
