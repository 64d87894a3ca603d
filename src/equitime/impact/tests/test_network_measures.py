"""The network's measures on small graphs drawn by hand: a bridge, two
groups, an isolate, ties, and what suppression leaves out of the sums."""

from datetime import date

import pytest

from equitime.impact.network import Link, bridge_words, density_words, measure

FIRST, LAST = date(2026, 1, 1), date(2026, 12, 1)


def link(a: int, b: int, minutes: int = 600, members: int = 6, exchanges: int = 5) -> Link:
    return Link(min(a, b), max(a, b), minutes, exchanges, members)


def test_a_hub_with_four_organisations_that_have_no_other_link_is_the_only_bridge():
    #   1   2
    #    \ /
    #     5      6 (isolated)
    #    / \
    #   3   4
    network = measure([1, 2, 3, 4, 5, 6], [link(5, n) for n in (1, 2, 3, 4)], {}, FIRST, LAST)

    hub = network.nodes[5]
    assert hub.is_bridge and hub.bridge_rank == 1
    assert hub.sole_link_for == 4 and hub.splits_into == 4 and hub.group_size == 5
    assert hub.betweenness == pytest.approx(6 / 10)  # 6 pairs of 10 go through it (n=6)
    assert bridge_words(hub) == (
        "It links 4 organisations that have no other link; "
        "without it, its group of 5 organisations would fall into 4 parts."
    )
    for leaf in (1, 2, 3, 4):
        assert network.nodes[leaf].bridge_rank is None
        assert not network.nodes[leaf].is_bridge
        assert network.nodes[leaf].partners == 1
    assert [node.id for node in network.bridges] == [5]
    assert network.isolated == [6]
    assert network.nodes[6].group_size == 1 and network.nodes[6].partners == 0


def test_two_groups_and_an_isolate():
    # 1 - 2 - 3     4 - 5     6
    network = measure([1, 2, 3, 4, 5, 6], [link(1, 2), link(2, 3), link(4, 5)], {}, FIRST, LAST)

    assert network.groups == 2
    assert network.largest_group == 3
    assert network.exchanging == 5
    assert network.isolated == [6]
    assert network.density == pytest.approx(3 / 15)
    assert network.nodes[2].is_bridge and network.nodes[2].splits_into == 2
    assert not network.nodes[4].is_bridge  # a pair: neither holds anything together
    assert network.nodes[4].group_size == network.nodes[5].group_size == 2


def test_a_ring_has_no_bridge_and_equal_ranks():
    ring = [link(1, 2), link(2, 3), link(3, 4), link(4, 1)]
    network = measure([1, 2, 3, 4], ring, {}, FIRST, LAST)

    assert network.bridges == []
    assert {node.bridge_rank for node in network.nodes.values()} == {1}
    assert network.ranked == 4
    assert network.groups == 1 and network.largest_group == 4


def test_ranks_are_shared_on_a_tie_and_the_next_rank_skips():
    # 1 - 2 - 3 - 4 - 5: 3 is most between; 2 and 4 tie; 1 and 5 are on no path.
    path = [link(1, 2), link(2, 3), link(3, 4), link(4, 5)]
    network = measure([1, 2, 3, 4, 5], path, {}, FIRST, LAST)

    ranks = {n: network.nodes[n].bridge_rank for n in network.nodes}
    assert ranks == {1: None, 2: 2, 3: 1, 4: 2, 5: None}


def test_hours_across_add_only_links_shown_and_count_the_withheld_apart():
    shown = link(1, 2, minutes=300, members=5)
    withheld = link(1, 3, minutes=45, members=4)
    network = measure([1, 2, 3], [shown, withheld], {1: (120, 4), 2: (600, 7)}, FIRST, LAST)

    one = network.nodes[1]
    assert one.partners == 2
    assert one.minutes_across == 300  # never 345: 45 would be the withheld link's hours
    assert one.withheld_links == 1
    assert network.nodes[3].minutes_across == 0 and network.nodes[3].withheld_links == 1
    assert withheld.withheld and withheld.shown_minutes is None
    assert withheld.shown_exchanges is None
    assert not shown.withheld and shown.shown_minutes == 300
    # Own hours: 4 members are withheld, 7 are shown.
    assert one.own_withheld and not network.nodes[2].own_withheld
    assert network.nodes[2].own_minutes == 600


def test_a_link_to_an_organisation_without_members_is_left_out():
    network = measure([1, 2], [link(1, 2), link(1, 9)], {}, FIRST, LAST)

    assert [(found.a, found.b) for found in network.links] == [(1, 2)]
    assert network.nodes[1].partners == 1


def test_no_links_at_all():
    network = measure([1, 2, 3], [], {}, FIRST, LAST)

    assert network.groups == 0 and network.largest_group == 0
    assert network.density == 0
    assert network.isolated == [1, 2, 3]
    assert all(node.bridge_rank is None for node in network.nodes.values())


@pytest.mark.parametrize(
    ("density", "word"),
    [(0.01, "sparse"), (0.1, "loosely"), (0.3, "well connected"), (0.8, "densely")],
    ids=["sparse", "loose", "well", "dense"],
)
def test_density_in_words(density, word):
    assert word in density_words(density)
