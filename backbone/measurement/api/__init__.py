"""Shared measurement over the REST API: indicators, periods, dimensions, values, submissions
and results, for partners (with a token or signed in) and analysts.

Who may see and do what is decided by backbone.permissions, as for the pages. A partner's
token acts as that partner organisation, in its own initiative only. Outsiders and other
initiatives' tokens get 404; members lacking a rule for a whole endpoint get 403; one object
a caller may not see (another partner's submission, values or results) is not found (404).

Values come in through the one intake path: every problem of a batch is listed by row (the
n-th value of the list) and column, and nothing is written unless the whole batch is good.
Numbers go out as exact decimal text ("12.5"), never rounded by a float.

The routes are one module for each resource, mounted here under one router: `setup`
(indicators, periods, dimensions), `values` (values and the submissions they came in) and
`results` (an indicator's series); `common` holds what they share; `submissions` (their
review) is mounted by the site's API beside it. Each operation
keeps the operationId it was published with (backbone_measurement_api_…), from when the
routes were all in this module.
"""

from ninja import Router

from backbone.api.auth import token_or_session

from . import results, setup, values

router = Router(tags=["shared measurement"], auth=token_or_session)
router.add_router("", setup.router)
router.add_router("", values.router)
router.add_router("", results.router)
