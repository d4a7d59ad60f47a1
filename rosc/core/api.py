"""Helpers for the JSON API's operations.

Operations that write read their body only after the access gate has decided, so another
organization's ids answer 404 whatever the body holds; a bad body from someone allowed answers
422 with field errors (config/api.py turns a ValidationError into that answer).
"""

from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def parse_body(schema: type[pydantic.BaseModel], request: HttpRequest) -> dict[str, Any]:
    """The request's JSON body checked against `schema`, or a ValidationError per field."""
    try:
        return schema.model_validate_json(request.body or b"{}").model_dump(exclude_unset=True)
    except pydantic.ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error.get("loc") else "__all__"
            errors.setdefault(name, []).append(error["msg"])
        raise ValidationError(errors) from exc


def body_schema(schema: type[pydantic.BaseModel]) -> dict[str, Any]:
    """`openapi_extra` that documents the JSON body an operation parses with parse_body()."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }
