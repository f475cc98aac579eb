"""Run costly work on untrusted input in a child process with CPU-time, memory and wall-clock ceilings.

    result = run_limited(read_and_extract, data, ".docx", limits=Limits.from_settings("EXTRACTION"),
                         expected=(ImportRejected,))

The child is forked from the calling process (no start-up cost, same code and settings), sets
RLIMIT_CPU and RLIMIT_AS on itself, calls the function and sends its result back as JSON through a
pipe. Past the wall-clock timeout the parent kills it. A child over a ceiling raises LimitExceeded in
the parent, with a French message; an exception of one of the `expected` types is raised again in
the parent; any other failure is LimitExceeded("crash"). The child never touches the database (it
leaves with os._exit, so no connection, atexit hook or transaction of the parent is affected).

A plain function: a web request, a management command or a background job call it the same way.
"""

import json
import logging
import os
import resource
import select
import signal
import time
import traceback
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    memory_bytes: int  # address space the child may add to what it inherits
    wall_seconds: float

    @classmethod
    def from_settings(cls, prefix: str) -> "Limits":
        """OPENCLS_<prefix>_CPU_SECONDS, _MEMORY_BYTES and _WALL_SECONDS."""
        return cls(
            cpu_seconds=getattr(settings, f"OPENCLS_{prefix}_CPU_SECONDS"),
            memory_bytes=getattr(settings, f"OPENCLS_{prefix}_MEMORY_BYTES"),
            wall_seconds=getattr(settings, f"OPENCLS_{prefix}_WALL_SECONDS"),
        )


class LimitExceeded(Exception):
    """`kind` is "cpu", "memory", "wall" or "crash"; `message` is French, for the user."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def _messages(limits: Limits) -> dict[str, str]:
    return {
        "cpu": (
            f"La lecture a dépassé le temps de calcul autorisé ({limits.cpu_seconds} s) et a été interrompue : "
            "ce fichier est anormalement complexe."
        ),
        "memory": (
            f"La lecture a dépassé la mémoire autorisée ({limits.memory_bytes // MEGABYTE} Mo) et a été "
            "interrompue : ce fichier est anormalement volumineux une fois lu."
        ),
        "wall": (
            f"La lecture a pris plus de {limits.wall_seconds:g} s et a été interrompue : "
            "ce fichier est anormalement long à lire."
        ),
        "crash": "La lecture de ce fichier a échoué de façon inattendue ; il n'a pas pu être lu.",
    }


def _address_space() -> int:
    """The virtual memory this process holds now (what a forked child starts with)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(write_fd: int, function, args, kwargs, limits: Limits, expected: tuple) -> None:
    """Runs in the forked child; never returns."""
    code = 0
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
        ceiling = _address_space() + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        try:
            answer = {"ok": function(*args, **kwargs)}
        except expected as error:
            index = next(i for i, kind in enumerate(expected) if isinstance(error, kind))
            answer = {"expected": index, "args": list(error.args)}
        except MemoryError:
            answer = {"limit": "memory"}
        except RecursionError:
            answer = {"limit": "crash"}
        payload = json.dumps(answer, ensure_ascii=False).encode()
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
    except BaseException:  # noqa: BLE001 - whatever happens, the child must leave through os._exit
        code = 70
        try:
            os.write(2, traceback.format_exc().encode(errors="replace")[-4000:])
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)


def run_limited(function, *args, limits: Limits, expected: tuple = (), **kwargs):
    """function(*args, **kwargs) in a forked child under `limits`; its JSON-able result."""
    messages = _messages(limits)
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        _child(write_fd, function, args, kwargs, limits, expected)
    os.close(write_fd)
    chunks, timed_out = [], False
    try:
        while True:
            remaining = limits.wall_seconds - (time.monotonic() - started)
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    elapsed = time.monotonic() - started
    if timed_out:
        logger.warning("Limited run of %s killed after %.1f s (wall clock)", function.__name__, elapsed)
        raise LimitExceeded("wall", messages["wall"])
    if os.WIFSIGNALED(status):
        kind = "cpu" if os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL) else "crash"
        logger.warning("Limited run of %s ended by signal %s", function.__name__, os.WTERMSIG(status))
        raise LimitExceeded(kind, messages[kind])
    try:
        answer = json.loads(b"".join(chunks)) if chunks else {"limit": "crash"}
    except ValueError:
        answer = {"limit": "crash"}
    if "ok" in answer:
        return answer["ok"]
    if "expected" in answer:
        raise expected[answer["expected"]](*answer["args"])
    kind = answer.get("limit", "crash")
    logger.warning("Limited run of %s failed: %s", function.__name__, kind)
    raise LimitExceeded(kind, messages[kind])
