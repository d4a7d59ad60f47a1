"""Helpers for the JSON API's operations.

Operations that write read their body only after the access gate has decided, so another
organization's ids answer 404 whatever the body holds; a bad body from someone allowed answers
422 with field errors (config/api.py turns a ValidationError into that answer).
"""

from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def parse_model[M: pydantic.BaseModel](
    schema: type[M], request: HttpRequest, *, dotted: bool = False
) -> M:
    """The request's JSON body as `schema`, or a ValidationError per field. Errors are keyed by
    the top-level field, or by the whole path ("goals.0.text") when `dotted`."""
    try:
        return schema.model_validate_json(request.body or b"{}")
    except pydantic.ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors():
            loc = error.get("loc") or ()
            name = (".".join(str(p) for p in loc) if dotted else str(loc[0] if loc else "")) or (
                "__all__"
            )
            errors.setdefault(name, []).append(error["msg"])
        raise ValidationError(errors) from exc


def parse_body(schema: type[pydantic.BaseModel], request: HttpRequest) -> dict[str, Any]:
    """The fields the request's JSON body set, checked against `schema` (see parse_model)."""
    return parse_model(schema, request).model_dump(exclude_unset=True)


def body_schema(schema: type[pydantic.BaseModel], *, required: bool = True) -> dict[str, Any]:
    """`openapi_extra` that documents the JSON body an operation parses with parse_body()."""
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }
