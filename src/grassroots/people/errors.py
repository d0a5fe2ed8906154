"""Error type of the people registry."""

from grassroots.core.errors import DomainError


class PeopleError(DomainError):
    """A refused change to the registry; `detail["field"]` names what was wrong."""
