"""Routes of the api surface (being written; see ARCHITECTURE.md)."""

from fastapi import APIRouter

router = APIRouter()
