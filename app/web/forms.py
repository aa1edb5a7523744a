"""Turns posted forms into checked values: size-limited uploads, optional fields, days, URLs."""

from datetime import date
from pathlib import PurePosixPath

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException
from starlette.types import Message

from app.ingest.parse import SUPPORTED_EXTENSIONS
from app.queries.common import human_size
from app.settings import Settings
from app.uploads import Upload
from app.urls import is_web_url
from app.web.errors import Refused


def optional(value: object) -> str | None:
    value = str(value or "").strip()
    return value or None


def parse_day(value: object) -> date | None:
    value = optional(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refused(400, f"Not a date: {value!r}. Use the form YYYY-MM-DD.") from None


def iso_day(value: object) -> str | None:
    day = parse_day(value)
    return day.isoformat() if day else None


def web_url(value: str | None) -> str | None:
    """A stated source URL, refused unless it is a web address by the one rule (`app.urls`)."""
    value = optional(value)
    if value is not None and not is_web_url(value):
        raise Refused(
            400,
            f"Not a web address: {value!r}. A source URL must start with http:// or https://; "
            "nothing was changed.",
        )
    return value


async def limited_body(request: Request, max_body: int) -> bytes:
    """The request body, refused (413) as soon as it is declared or read over `max_body` bytes."""
    too_large = Refused(
        413,
        f"The upload is larger than the {human_size(max_body)} allowed per request; "
        "nothing was stored. Send fewer or smaller files.",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > max_body:
            raise too_large
    return bytes(body)


async def limited_form(
    request: Request, *, max_body: int, max_files: int, max_part: int
) -> FormData:
    """The request's form, refused before parsing when the body is over `max_body` bytes."""
    body = await limited_body(request, max_body)

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await Request(request.scope, replay).form(
            max_files=max_files, max_fields=50, max_part_size=max_part
        )
    except MultiPartException as error:
        raise Refused(400, f"The upload could not be read: {error.message}") from None


def uploaded_files(form: FormData) -> list[UploadFile]:
    return [
        item for item in form.getlist("files") if isinstance(item, UploadFile) and item.filename
    ]


def size_limit(settings: Settings) -> str:
    return f"the {human_size(settings.upload_max_file_bytes)} limit per file"


async def checked_upload(file: UploadFile, settings: Settings) -> Upload:
    name = PurePosixPath(file.filename.replace("\\", "/")).name
    extension = PurePosixPath(name).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        accepted = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise Refused(
            415,
            f"{name}: unsupported file type {extension or '(none)'}; accepted: {accepted}. "
            "Nothing was stored.",
        )
    if file.size is not None and file.size > settings.upload_max_file_bytes:
        raise Refused(
            413,
            f"{name} is {human_size(file.size)}, over {size_limit(settings)}; nothing was stored.",
        )
    return Upload(name, await file.read())


def pasted_text(form: FormData, settings: Settings) -> str:
    text = str(form.get("text") or "").strip()
    if len(text.encode()) > settings.upload_max_file_bytes:
        raise Refused(413, f"The pasted text is over {size_limit(settings)}; nothing was stored.")
    return text
