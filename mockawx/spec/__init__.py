"""The OpenAPI description: loading it, and checking request bodies against it."""

from __future__ import annotations

from .load import Operation, Spec, default_spec_path, load_spec
from .validate import validate_body

__all__ = ["Operation", "Spec", "default_spec_path", "load_spec", "validate_body"]
