"""Routes of the pages surface (being written; see ARCHITECTURE.md)."""

from fastapi import APIRouter

router = APIRouter()
