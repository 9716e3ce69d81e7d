"""The REST API under /api/v1/, documented at /api/v1/docs."""

from ninja import NinjaAPI

from parkbridge.accounts.api import router as accounts_router
from parkbridge.agreements.api import router as agreements_router
from parkbridge.core.api import ApiAuthentication, install_error_handlers
from parkbridge.events.api import router as events_router
from parkbridge.events.brokerage_api import router as brokerage_router
from parkbridge.matching.api import router as matching_router
from parkbridge.news.api import router as news_router
from parkbridge.offers.api import router as offers_router
from parkbridge.pipeline.api import router as pipeline_router
from parkbridge.portfolio.api import router as portfolio_router
from parkbridge.registry.api import router as registry_router

api = NinjaAPI(
    title="ParkBridge API",
    version="1",
    description=(
        "Organizations, people, focus areas, projects, IP assets, offers and requests of the "
        "ParkBridge network, and cross-lingual matchmaking between them. Authenticate with a "
        "personal token from your profile page: `Authorization: Bearer pbk_...`. Without one, "
        "you see what a signed-out visitor sees. Errors come as JSON with a `detail` message; "
        "validation errors name each field and its problem."
    ),
    auth=ApiAuthentication(),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", portfolio_router)
api.add_router("/", offers_router)
api.add_router("/", matching_router)
api.add_router("/", pipeline_router)
api.add_router("/", agreements_router)
api.add_router("/", events_router)
api.add_router("/", brokerage_router)
api.add_router("/", news_router)
