"""The mail worker: delivers the outbox queue inside the app process, off the event loop.

It wakes when a transaction that queued mail commits (integrations/mail rings it) and every
POLL_SECONDS anyway (retries that came due, mail queued by another process or worker). The
rules (claiming, one-time links, retries) are in services/mail_queue.py; each step here is
its own transaction, and the SMTP conversation happens outside any of them, in a thread.
"""

import asyncio
import logging
from datetime import datetime

from microgigs.db import session_scope
from microgigs.integrations import mail
from microgigs.models import utcnow
from microgigs.services import mail_queue

log = logging.getLogger("microgigs.mail")
POLL_SECONDS = 15.0
BATCH = 20  # mails claimed at once: a worker never holds more leases than it can send soon


def deliver_due_mail(now: datetime | None = None) -> int:
    """Send every mail that is due now, a batch at a time; returns how many left. Blocking:
    call it in a thread."""
    sent = 0
    while True:
        with session_scope() as session:
            claimed = mail_queue.claim_due(session, now, limit=BATCH)
        sent += _send_claimed(claimed, now)
        if len(claimed) < BATCH:
            return sent


def _send_claimed(claimed: list[int], now: datetime | None) -> int:
    sent = 0
    for mail_id in claimed:
        try:
            with session_scope() as session:
                outgoing = mail_queue.prepare(session, mail_id, now)
            if outgoing is None:
                continue
            try:
                mail.transmit(outgoing)
            except mail.DeliveryFailed as failure:
                log.warning("mail %s to %s not sent: %s", mail_id, outgoing.to_address, failure.reason)
                with session_scope() as session:
                    mail_queue.record_failure(session, mail_id, failure, now)
                continue
            with session_scope() as session:
                mail_queue.record_sent(session, mail_id, now or utcnow())
            sent += 1
        except Exception:
            log.exception("mail %s could not be delivered", mail_id)
    return sent


async def worker(poll_seconds: float = POLL_SECONDS) -> None:
    """The app's lifespan task: deliver now, then whenever mail is queued or a poll comes round."""
    loop = asyncio.get_running_loop()
    doorbell = asyncio.Event()
    mail.set_worker_wakeup(lambda: loop.call_soon_threadsafe(doorbell.set))
    try:
        while True:
            doorbell.clear()
            try:
                await asyncio.to_thread(deliver_due_mail)
            except Exception:
                log.exception("the mail worker's round failed; trying again shortly")
            try:
                await asyncio.wait_for(doorbell.wait(), timeout=poll_seconds)
            except TimeoutError:
                pass
    finally:
        mail.set_worker_wakeup(None)
