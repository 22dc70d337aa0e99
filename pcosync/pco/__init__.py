"""Planning Center Online API client and schemas. Knows nothing about the database."""
from .client import Page, PCOClient
from .errors import (
    PCOAuthError, PCOBadResponse, PCOError, PCONotFound, PCORateLimited, PCOUnavailable,
    PCOValidationError,
)

__all__ = [
    "PCOAuthError", "PCOBadResponse", "PCOClient", "PCOError", "PCONotFound", "PCORateLimited",
    "PCOUnavailable", "PCOValidationError", "Page",
]
