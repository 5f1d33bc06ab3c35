"""Servers the tests start as subprocesses, each in a process group of its own."""

import os
import signal
import subprocess


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
