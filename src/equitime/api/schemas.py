"""Shapes shared by several resources."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Protocol

from annotated_types import GroupedMetadata
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator
from pydantic import Field as PlainField
from pydantic_core import PydanticCustomError

from equitime.core.rules import TextRuleError, check_no_patient_data, check_shared_text, tags_text


class MemberRef(Schema):
    """Another member as others see them: a name and where to find them."""

    id: int
    display_name: str


class Named(Protocol):
    """What a member reference needs of a member (the API knows no app's models)."""

    @property
    def pk(self) -> Any: ...

    @property
    def display_name(self) -> str: ...


def member_ref(member: Named | None) -> MemberRef | None:
    """A member reference; erased members show as their erased display name."""
    if member is None:
        return None
    return MemberRef(id=member.pk, display_name=member.display_name)


# --- Times a client sends ----------------------------------------------------------------


def _with_offset(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError(
            "offset_required",
            str(
                gettext(
                    "Include the offset from UTC, as in 2026-12-08T19:30:00+05:30 or "
                    "2026-12-08T14:00:00Z: without one, the time could be any of a day's instants."
                )
            ),
        )
    return value


# A moment a client sends (a session's start): ISO 8601 with its UTC offset. A
# wall-clock time alone is refused (422), never read in some zone of our choosing.
Instant = Annotated[datetime, AfterValidator(_with_offset)]


# --- Text fields, checked for shape as the pages check theirs ----------------------------
#
# Shape only: leading and trailing spaces dropped, required text not blank, a
# length limit. The rules about what text may say live in the services (and
# core.rules); a schema may ask the same question early, for a message on its
# field, but never one the service does not.


def _stripped(value: str) -> str:
    return value.strip()


def _not_blank(value: str) -> str:
    if not value:
        raise PydanticCustomError("required", str(gettext("This field is required.")))
    return value


@dataclass(frozen=True)
class TextShape(GroupedMetadata):
    """The shape of a text field, as metadata: ``Annotated[str, text(120)]``.

    Pydantic unfolds it into its parts (a ``Field`` with the length limit and
    any description, then the validators), and mypy sees the ``str`` it is.
    """

    max_length: int
    field: tuple[tuple[str, Any], ...]  # more of Field's arguments; a tuple, to hash
    validators: tuple[AfterValidator, ...]

    def __iter__(self) -> Iterator[object]:
        yield PlainField(max_length=self.max_length, **dict(self.field))
        yield from self.validators


def text(max_length: int, **field: Any) -> TextShape:
    """Optional text, stripped."""
    return TextShape(max_length, tuple(field.items()), (AfterValidator(_stripped),))


def required_text(max_length: int, **field: Any) -> TextShape:
    """Text that must say something: stripped, then not blank."""
    validators = (AfterValidator(_stripped), AfterValidator(_not_blank))
    return TextShape(max_length, tuple(field.items()), validators)


def shared_text(name: str) -> AfterValidator:
    """A validator that asks the text rules (no money, no patient data) of one
    field early, so the refusal is a field error; the service asks again."""

    def check(value: str | list[str]) -> str | list[str]:
        joined = tags_text(value) if isinstance(value, list) else value
        try:
            check_shared_text(**{name: joined})
        except TextRuleError as error:
            raise PydanticCustomError(error.code, error.message) from None
        return value

    return AfterValidator(check)


# The largest id a database integer holds: a larger one names nothing (and
# would not fit in the query).
MAX_ID = 2**63 - 1


def storable_ids(ids: Iterable[int]) -> list[int]:
    """The ids that could name a row; the rest name nothing."""
    return [pk for pk in ids if 0 < pk <= MAX_ID]


def private_text(name: str) -> AfterValidator:
    """As ``shared_text``, for text only moderators read: the patient-data rule only."""

    def check(value: str) -> str:
        try:
            check_no_patient_data(**{name: value})
        except TextRuleError as error:
            raise PydanticCustomError(error.code, error.message) from None
        return value

    return AfterValidator(check)


def django_validated(validator: Callable[[str], object]) -> AfterValidator:
    """Run one of Django's validators (``validate_email``) on a field, its message kept."""

    def check(value: str) -> str:
        try:
            validator(value)
        except ValidationError as error:
            raise PydanticCustomError(error.code or "invalid", str(error.messages[0])) from None
        return value

    return AfterValidator(check)
