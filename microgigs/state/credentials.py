"""Credential pages: public verification, the printable certificate, a student's list."""

from typing import ClassVar

import reflex as rx

from microgigs.components.qr import qr_data_uri
from microgigs.i18n import msg
from microgigs.services import credentials
from microgigs.services.credentials import Verification
from microgigs.services.errors import DomainError
from microgigs.state.session import Audience, SessionState
from microgigs.state.url_object import ShownForUrl

EMPTY = Verification(status="", message="")


def public_id_from_path(path: str) -> str:
    """The last part of /credentials/<public_id> (letters, digits, - and _ only)."""
    last = (path or "").rstrip("/").rsplit("/", 1)[-1]
    return last if last and len(last) <= 40 and all(c.isalnum() or c in "-_" for c in last) else ""


class VerifyState(ShownForUrl, SessionState):
    """Anyone may verify: paste the credential, upload its file, or open the printed link."""

    object_in_query: ClassVar[bool] = True  # ?id=<public id>: the printed link

    pasted: str = ""
    result: Verification = EMPTY

    @rx.event
    def set_pasted(self, value: str):
        self.pasted = value

    def _checked(self, check) -> Verification:
        """One check, counted by the service against this client (the only refusal it makes is
        Throttled: past the limit, the wait)."""
        client = self._client_address()
        checked = self._act(lambda session, actor: check(session, client), Audience.ANYONE)
        result = checked.value if checked.ok else Verification(status="throttled", message=checked.error)
        return credentials.for_viewer(result, self.language)

    @rx.event
    def load(self):
        public_id = self.router.url.query_parameters.get("id", "")
        if public_id:
            self.result = self._checked(lambda s, client: credentials.verify_public_id(s, public_id, client=client))
        else:
            self._show_who_is_signed_in()
            self.result = EMPTY
        self._shown_for_this_url()

    @rx.event
    def check_pasted(self, form_data: dict):
        text = str(form_data.get("credential", self.pasted))
        self.result = self._checked(lambda s, client: credentials.verify(s, text, client=client))
        self._shown_for_this_url()

    @rx.event
    async def check_upload(self, files: list[rx.UploadFile]):
        self._shown_for_this_url()
        if not files:
            self.result = credentials.for_viewer(
                Verification(status="invalid", message=msg("Not valid: choose a credential file first.")), self.language
            )
            return
        data = await files[0].read(credentials.MAX_CREDENTIAL_CHARS * 2 + 1)
        text = data.decode("utf-8", errors="replace")
        self.result = self._checked(lambda s, client: credentials.verify(s, text, client=client))


class CertificateState(ShownForUrl, SessionState):
    """The printable certificate; staff may revoke from here."""

    found: bool = False
    result: Verification = EMPTY
    qr_code: str = ""
    verify_link: str = ""
    download_link: str = ""
    revoke_error: str = ""

    def _public_id(self) -> str:
        return public_id_from_path(self.router.url.path)

    def _load(self, session, actor) -> None:
        public_id = self._public_id()
        self.result = credentials.for_viewer(credentials.verify_public_id(session, public_id), self.language)
        self.found = self.result.public_id != ""
        self.verify_link = credentials.verification_url(public_id) if self.found else ""
        self.qr_code = qr_data_uri(self.verify_link) if self.found else ""
        self.download_link = f"/credentials/{public_id}/download.json" if self.found else ""

    @rx.event
    def load(self):
        self._read(self._load, Audience.ANYONE)
        self.revoke_error = ""
        self._shown_for_this_url()

    @rx.event
    def revoke(self, form_data: dict):
        reason = str((form_data or {}).get("reason", ""))
        acted = self._act(lambda session, actor: credentials.revoke(session, actor, self._public_id(), reason))
        if acted.redirect is not None:
            return acted.redirect
        self.revoke_error = self._tr(acted.error)
        return CertificateState.load if acted.ok else None


class MyCredentialsState(SessionState):
    loaded: bool = False
    items: list[Verification] = []
    error: str = ""

    def _load(self, session, actor) -> None:
        self.loaded = True
        try:
            rows = credentials.credentials_of_student(session, actor)
        except DomainError as error:
            self.error, self.items = self._tr(error.message), []
        else:
            self.error = ""
            self.items = [credentials.for_viewer(credentials.verify(session, row.jwt), self.language) for row in rows]

    @rx.event
    def load(self):
        return self._read(self._load)
