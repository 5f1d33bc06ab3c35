"""Start and stop the real OpenID provider (npm oidc-provider 8, server.js) on loopback.

`running_provider(redirect_uris, accounts)` installs the npm packages when missing
(`npm ci`, quick when present), starts node on a free 127.0.0.1 port, waits for its
discovery document and yields a `TestProvider`; the process is stopped afterwards.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
CLIENT_ID = "microgigs-test"
CLIENT_SECRET = "test-client-secret-not-for-production"
# Login names the development login form accepts (any password), with their claims.
ACCOUNTS = {
    "ada": {"email": "ada@uni.test", "email_verified": True, "name": "Ada Campus"},
    "grace": {"email": "grace@elsewhere.test", "email_verified": True, "name": "Grace Elsewhere"},
    "unverified": {"email": "student1@demo.microgigs.test", "email_verified": False, "name": "Not Verified"},
    "linker": {"email": "student2@demo.microgigs.test", "email_verified": True, "name": "Student Two"},
}


@dataclass
class TestProvider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    def settings_json(self, name: str = "campus", label: str = "Sign in with Test University", **extra) -> str:
        return json.dumps(
            [
                {
                    "name": name,
                    "issuer": self.issuer,
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "label": label,
                    **extra,
                }
            ]
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_installed() -> None:
    if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed for the OpenID provider used by the tests")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True, timeout=300)


@contextmanager
def running_provider(redirect_uris: list[str], accounts: dict | None = None) -> Iterator[TestProvider]:
    ensure_installed()
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": redirect_uris,
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
    }
    env = {**os.environ, "PORT": str(port), "CLIENTS": json.dumps([client]), "ACCOUNTS": json.dumps(accounts or ACCOUNTS)}
    process = subprocess.Popen(
        ["node", str(HERE / "server.js")], cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"oidc-provider exited: {process.stdout.read().decode(errors='replace')}")
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("oidc-provider did not start within 30 s")
            time.sleep(0.2)
        yield TestProvider(issuer=issuer)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def sign_in_at_provider(authorization_url: str, login: str, stop_at: str) -> str:
    """Play the person at the provider with plain HTTP: open the authorization URL, fill the
    development login form, and return the redirect back to the app (a URL starting with
    `stop_at`) without following it."""
    import re
    from urllib.parse import urljoin

    with httpx.Client(timeout=10) as http:
        url, method, data = authorization_url, "GET", None
        for _ in range(10):
            response = http.request(method, url, data=data)
            if response.is_redirect:
                location = urljoin(url, response.headers["location"])
                if location.startswith(stop_at):
                    return location
                url, method, data = location, "GET", None
                continue
            form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
            if response.status_code != 200 or not form:
                raise AssertionError(f"unexpected provider page {response.status_code}: {response.text[:500]}")
            url, method = urljoin(url, form.group(1)), "POST"
            data = {"prompt": "login", "login": login, "password": "any-password"}
    raise AssertionError("the provider never redirected back to the app")
