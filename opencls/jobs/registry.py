"""The kinds of background job, registered by the apps that own the work (AppConfig.ready)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobOutput:
    """What a job produced: new `content`, or the `stored_name` of a file already in storage;
    or a page to continue on (`url`, e.g. the review of an imported document)."""

    filename: str = ""
    content: bytes | None = None
    stored_name: str = ""
    url: str = ""


@dataclass(frozen=True)
class JobKind:
    key: str
    # `run(job, **params)` does the work, calls `progress()`, returns a JobOutput or None; it
    # raises JobError with a French message for failures the user can understand.
    run: Callable
    # Permission code the requester needs on the job's contract to start it, to have it run and
    # to download its result (None for jobs without a contract).
    permission: str | None = None
    # Only the requester sees the job and its result (not the contract's coordinators): exports
    # and imports are personal work (issue 13).
    requester_only: bool = False


KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    KINDS[kind.key] = kind


def job_kind(key: str) -> JobKind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"Unknown job kind: {key}") from None
