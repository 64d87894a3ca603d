import csv
import io

import pytest

from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member


@pytest.fixture
def admin(db):
    return member_role_grant(
        member=make_member(display_name="Ada Admin"), role=roles.COMMUNITY_ADMIN, by=None
    )


def read_csv(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text)))
