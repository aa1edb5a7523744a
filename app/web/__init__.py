"""The web app factory: builds the FastAPI app for one Settings object."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.db import PROJECT_ROOT, make_engine
from app.queries.events import grid_weight
from app.queries.memo import EventPageMemo
from app.settings import Settings
from app.web import admin, api, pages
from app.web.caching import HttpCacheMiddleware, code_fingerprint
from app.web.errors import install_error_handlers
from app.web.head import HeadAsGet
from app.web.rendering import make_templates
from app.web.security import install_security
from app.web.share_image import ShareImages


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        title="Parallax",
        summary="How news outlets covered the same event, claim by claim",
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
        lifespan=admin.running_jobs,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.templates = make_templates()
    app.state.share_images = ShareImages()
    app.state.event_pages = EventPageMemo(grid_weight)  # an event's data, shared by its pages
    # Inside the session middleware (added by install_security), which tells signed-in requests.
    # Its own engine: the event loop reads the data version there without ever waiting for a
    # connection that a request's session holds until the loop has sent its response; autocommit
    # spares the read a BEGIN and a ROLLBACK round trip.
    version_engine = make_engine(settings.database_url)
    app.add_middleware(
        HttpCacheMiddleware,
        engine=version_engine.execution_options(isolation_level="AUTOCOMMIT"),
        fingerprint=code_fingerprint(),
        max_stale=settings.cache_max_stale,
    )
    install_security(app, settings)
    app.add_middleware(HeadAsGet)  # outermost: every layer sees the GET it answers
    admin.install_jobs(app, settings)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static")
    app.include_router(api.push_router)
    app.include_router(api.router)
    app.include_router(admin.router, include_in_schema=False)  # HTML pages, not the JSON API
    app.include_router(pages.router, include_in_schema=False)
    return app
