"""Routes of the admin surface (being written; see ARCHITECTURE.md)."""

from fastapi import APIRouter

router = APIRouter()
