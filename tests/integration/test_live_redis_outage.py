"""Several workers, and their Redis stops answering: a commit's publish must not wait on it
more than once, and the tabs this worker holds still get their push."""

import socket
import threading

import pytest

from microgigs import live


class SilentServer:
    """A TCP server that accepts connections and never answers, as a hung Redis does."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.url = f"redis://127.0.0.1:{self._socket.getsockname()[1]}/0"
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return  # closed
            self.accepted.append(connection)

    def close(self) -> None:
        for connection in self.accepted:
            connection.close()
        self._socket.close()


@pytest.fixture
def silent_redis(monkeypatch):
    server = SilentServer()
    live.reset()
    delivered: list[frozenset[str]] = []
    monkeypatch.setattr(live, "_deliver_local", lambda topics: delivered.append(frozenset(topics)))
    monkeypatch.setattr(live, "_redis", live.publish_client(server.url))
    yield server, delivered
    server.close()
    live.reset()


def test_while_redis_is_silent_commits_deliver_here_after_one_attempt(silent_redis):
    server, delivered = silent_redis

    live.publish({"gig:1"})
    live.publish({"gig:2"})
    live.publish({"gig:3"})

    assert delivered == [frozenset({"gig:1"}), frozenset({"gig:2"}), frozenset({"gig:3"})]
    # One connection, given up on: the next commits skip Redis for a while instead of waiting again.
    assert len(server.accepted) == 1


def test_after_the_pause_each_publish_tries_redis_once_again(silent_redis, monkeypatch):
    server, delivered = silent_redis
    monkeypatch.setattr(live, "REDIS_PAUSE_SECONDS", 0.0)

    live.publish({"gig:1"})
    live.publish({"gig:2"})

    assert delivered == [frozenset({"gig:1"}), frozenset({"gig:2"})]
    # One connection per publish: no retries with back-off inside a commit.
    assert len(server.accepted) == 2
