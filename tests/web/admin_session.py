"""Helpers shared by the admin tests: the test password, CSRF tokens from pages, signing in,
following a job."""

import json
import re
import time

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import IngestJob

PASSWORD = "correct horse battery staple"


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, username="ada", password=PASSWORD, headers=None, **extra):
    token = csrf_from(client.get("/admin/login").text)
    form = {"username": username, "password": password, "csrf_token": token, **extra}
    return client.post("/admin/login", data=form, headers=headers, follow_redirects=False)


def wait_for_job(client, location: str) -> dict:
    job_id = int(location.rsplit("/", 1)[1])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = client.get(location)
        if "job-done" in page.text or "job-failed" in page.text:
            break
        time.sleep(0.2)
    engine = client.app.state.engine
    with Session(engine) as session:
        job = session.get(IngestJob, job_id)
        return {
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "page": page.text,
            "report": json.loads(job.report),
        }
