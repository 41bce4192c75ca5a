"""What the OpenAPI schema says beyond the views' own responses (stack-notes-2 §5).

Every operation can answer 401 (no or a bad credential), 403 (no permission in the study),
404 (a study the user is not a member of, a row outside their sites) and 429 (rate limit); a
list can answer 400 for a bad filter and 404 for a page past the end. Documented once here,
so schemathesis finds no status code the schema does not name.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A filter's errors: each bad parameter with its messages (DRF's ValidationError body).
BAD_REQUEST = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
COMMON = {
    "401": "Not authenticated: no token, or one that is unknown, expired or revoked.",
    "403": "Authenticated, but the user's role does not grant this in the study.",
    "404": "Not found, or not visible to the user (another site's subject is absent).",
    "429": "Too many requests: the user's rate limit (EDC_API_RATE_USER).",
}
BAD_FILTER = "A filter or page size that is not valid."


def document_error_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["FilterErrors"] = BAD_REQUEST
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    bad = {"application/json": {"schema": {"$ref": "#/components/schemas/FilterErrors"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, text in COMMON.items():
                responses.setdefault(code, {"description": text, "content": error})
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                responses.setdefault("400", {"description": BAD_FILTER, "content": bad})
    return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Names the personal token in the schema, so Swagger's Authorize button offers it."""

    target_class = "edc.api_tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, as issued on the account page (API tokens).",
        }
