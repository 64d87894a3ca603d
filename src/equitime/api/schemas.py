"""Shapes shared by several resources."""

from ninja import Schema


class MemberRef(Schema):
    """Another member as others see them: a name and where to find them."""

    id: int
    display_name: str


def member_ref(member) -> MemberRef | None:
    """A member reference; erased members show as their erased display name."""
    if member is None:
        return None
    return MemberRef(id=member.pk, display_name=member.display_name)
