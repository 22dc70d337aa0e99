"""Refusals raised by the store; the API layer turns them into PCO's error bodies."""


class StoreError(Exception):
    pass


class NotFound(StoreError):
    pass


class Invalid(StoreError):
    """A 422 Validation Error naming the offending parameter, like PCO's."""

    def __init__(self, detail, parameter=None, resource=None):
        super().__init__(detail)
        self.detail = detail
        self.parameter = parameter
        self.resource = resource
