"""The REST API: one NinjaAPI, each area of the product adds its router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Backbone API",
    version="1",
    description="Initiatives, partners and the common agenda of a Collective Impact initiative.",
    urls_namespace="api",
)
