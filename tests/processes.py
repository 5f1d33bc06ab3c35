"""Servers the tests start as subprocesses, each in a process group of its own, and the ports they use."""

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a process and its children: SIGTERM, then SIGKILL if it has not gone within 20 s."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for_port(host: str, port: int, timeout: float) -> bool:
    """Whether something accepts connections on host:port within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


@contextmanager
def running_redis(folder: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Debian's redis-server on a free port of `host`, keeping nothing on disk: yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is needed (apt-get install redis-server; `make test` installs it)")
    port = free_port(host)
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", host, "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        if not wait_for_port(host, port, 10):
            raise RuntimeError("redis-server did not start")
        yield f"redis://{host}:{port}/0"
    finally:
        stop_process_group(server)
