"""The one pagination of every API list: ?limit= and ?offset=, both bounded. Without a bound
a huge limit asks the database for everything and a huge offset overflows its integer, a 500;
bounded, they answer 422 with the validation error body like any other bad parameter."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


class Page(LimitOffsetPagination):
    """?limit= (1–500, 100 by default) and ?offset= (0–10,000,000)."""

    class Input(Schema):
        limit: int = Field(
            100, ge=1, le=MAX_LIMIT, description=f"How many items, at most {MAX_LIMIT}."
        )
        offset: int = Field(
            0, ge=0, le=MAX_OFFSET, description="How many items to skip, from the first."
        )

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
