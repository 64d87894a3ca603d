"""Gifts of earned credits between demo members and to the community pool."""

from equitime.demo.specs import DemoDonation

# Thanks between colleagues, and a few gifts back to the pool, made after the
# exchanges: only credits earned by giving time may be given on, so every donor
# here gave time in a completed exchange first. Numbers 5 to 8 were gifts from
# members who had only their welcome gift; they are retired, not reused.
DONATIONS: tuple[DemoDonation, ...] = (
    DemoDonation(1, "tom.whitfield", "amina.okafor", 30, "Thanks for the run chart walkthrough"),
    DemoDonation(2, "amina.okafor", "wei.zhang", 15, "For the extra help with the power sums"),
    DemoDonation(3, "rajesh.iyer", None, 60, "For colleagues joining from primary care"),
    DemoDonation(4, "priya.nair", "fatima.hussain", 45, "Thank you for the deprescribing cases"),
    DemoDonation(9, "ravi.patel", None, 60, "Pass it on"),
    DemoDonation(10, "wei.zhang", None, 30, "For new members' welcome gifts"),
    DemoDonation(11, "chloe.tremblay", "ellen.fraser", 30, "Thank you for speaking to our group"),
    DemoDonation(12, "ellen.fraser", "tunde.bakare", 45, "For organising the Schwartz Rounds"),
)
