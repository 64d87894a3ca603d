"""Names: sort and search keys without titles, and an avatar's initials."""

import pytest

from equitime.core.names import name_initials, name_search_key, name_sort_key, query_key


@pytest.mark.parametrize(
    ("name", "sort", "search", "initials"),
    [
        ("Dr Wei Zhang", "zhang wei", "wei zhang", "WZ"),
        ("Prof. Sir Alan Turing", "turing alan", "alan turing", "AT"),
        ("DR. Mary Seacole", "seacole mary", "mary seacole", "MS"),
        ("Mx Sam Lee", "lee sam", "sam lee", "SL"),
        ("Dame Cicely Saunders", "saunders cicely", "cicely saunders", "CS"),
        ("Rev Jo Bloggs", "bloggs jo", "jo bloggs", "JB"),
        ("Siobhán O'Neill", "oneill siobhan", "siobhan oneill", "SO"),
        ("Amina   Okafor", "okafor amina", "amina okafor", "AO"),
        ("Madonna", "madonna", "madonna", "M"),
        ("Dr", "dr", "dr", "D"),  # nothing but a title is still a name
        ("Drew Barrymore", "barrymore drew", "drew barrymore", "DB"),  # a name, not a title
        ("Mary Ann de la Cruz", "cruz mary ann de la", "mary ann de la cruz", "MC"),
        ("", "", "", ""),
    ],
)
def test_keys_and_initials_leave_titles_out(name, sort, search, initials):
    assert name_sort_key(name) == sort
    assert name_search_key(name) == search
    assert name_initials(name) == initials


def test_what_someone_types_is_folded_like_the_keys():
    assert query_key("  Dr  ZHÁNG ") == "zhang"
    assert query_key("wei zh") == "wei zh"
    assert query_key("Dr") == "dr"
