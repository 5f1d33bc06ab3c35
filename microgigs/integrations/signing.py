"""The career center's signing keys for credentials (RS256), kept under the data folder.

Keys are never deleted: rotation makes a new key the one that signs, and every
older key stays in the published key set so credentials it signed still verify.
"""

import base64
import json
import secrets
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from microgigs.data_folder import write_private_file
from microgigs.i18n import msg

ALGORITHM = "RS256"


@lru_cache(maxsize=64)
def _import_key(path: str, mtime_ns: int, size: int, kid: str) -> RSAKey:
    """A key file, parsed once. Importing a PEM private key checks the RSA key (about 55 ms of
    CPU), which every credential issued and every verification paid before; signing with the
    parsed key takes about 1 ms. A key file is never rewritten (rotation writes a new kid), and
    the cache is keyed by the file's path, mtime and size besides, so a changed file is read again."""
    return RSAKey.import_key(Path(path).read_bytes(), parameters={"kid": kid, "use": "sig", "alg": ALGORITHM})


class KeyStore:
    def __init__(self, folder: Path):
        self.folder = folder

    @property
    def _current_file(self) -> Path:
        return self.folder / "current-kid"

    def _path(self, kid: str) -> Path:
        return self.folder / f"{kid}.pem"

    def _load(self, kid: str) -> RSAKey:
        path = self._path(kid)
        stat = path.stat()
        return _import_key(str(path.resolve()), stat.st_mtime_ns, stat.st_size, kid)

    def rotate(self) -> str:
        """Make a new signing key the current one; returns its key id. The key file is
        0600 from its first byte and appears whole (data_folder.write_private_file)."""
        kid = f"{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"
        key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": ALGORITHM}, private=True)
        write_private_file(self._path(kid), key.as_pem(private=True))
        write_private_file(self._current_file, kid.encode())
        return kid

    def signing_key(self) -> RSAKey:
        """The current key, made on first use."""
        kid = self._current_file.read_text().strip() if self._current_file.exists() else self.rotate()
        return self._load(kid)

    def key_ids(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.pem")) if self.folder.exists() else []

    def public_key_set(self) -> dict:
        """What /.well-known/jwks.json serves: every key ever used, public parts only."""
        self.signing_key()  # make sure there is at least one
        return KeySet([self._load(kid) for kid in self.key_ids()]).as_dict(private=False)

    def sign(self, claims: dict) -> tuple[str, str]:
        key = self.signing_key()
        token = jwt.encode({"alg": ALGORITHM, "typ": "JWT", "kid": key.kid}, claims, key)
        return token, key.kid

    def verify(self, token: str) -> dict:
        """The claims of a token signed by one of our keys; raises ValueError saying why not."""
        header = _header_of(token)
        if header.get("alg") != ALGORITHM:
            raise ValueError(msg("it is not signed with {expected} (it says {found})", expected=ALGORITHM, found=repr(header.get("alg"))))
        kid = header.get("kid")
        if not isinstance(kid, str) or kid not in self.key_ids():
            raise ValueError(msg("it is signed by a key this career center does not know"))
        try:
            return jwt.decode(token, self._load(kid), algorithms=[ALGORITHM]).claims
        except Exception as error:  # joserfc raises several error types for a bad signature or body
            raise ValueError(msg("its signature does not match its contents (it was changed or forged)")) from error


def _header_of(token: str) -> dict:
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise ValueError(msg("it is not a signed credential (a JWT has three parts separated by dots)"))
    try:
        padded = parts[0] + "=" * (-len(parts[0]) % 4)
        header = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, UnicodeDecodeError, RecursionError) as error:  # RecursionError: "[[[[..."
        raise ValueError(msg("its header cannot be read (the text is truncated or damaged)")) from error
    if not isinstance(header, dict):
        raise ValueError(msg("its header cannot be read (the text is truncated or damaged)"))
    return header
