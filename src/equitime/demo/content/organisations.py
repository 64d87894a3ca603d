"""The organisations demo members belong to, across health and care in
several countries."""

from equitime.demo.specs import DemoOrganisation
from equitime.members.models import Organisation

Kind = Organisation.Kind

# Invented names; any likeness to a real organisation is an accident.
NORTHBRIDGE = "Northbridge Teaching Hospitals NHS Foundation Trust"
SEVERN_VALE = "Severn Vale Integrated Care Board"
RIVERSIDE = "Riverside Primary Care Network"
HEARTHSTONE = "Hearthstone Home Care"
CALDERBROOK = "Calderbrook City Council"
CARERS_TOGETHER = "Carers Together"
ASHWORTH = "University of Ashworth"
LIFFEY = "Liffey Community Health Partnership"
DELTA = "Delta University Medical Centre"
RIFT_VALLEY = "Rift Valley Community Health Alliance"
KAVERI = "Kaveri Digital Health Labs"
SOUTHERN_CROSS = "Southern Cross Aged Care"
PRAIRIE = "Prairie Health Quality Institute"

ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(NORTHBRIDGE, Kind.NHS_TRUST, "GB"),
    DemoOrganisation(SEVERN_VALE, Kind.INTEGRATED_CARE_BOARD, "GB"),
    DemoOrganisation(RIVERSIDE, Kind.PRIMARY_CARE, "GB"),
    DemoOrganisation(HEARTHSTONE, Kind.SOCIAL_CARE_PROVIDER, "GB"),
    DemoOrganisation(CALDERBROOK, Kind.LOCAL_AUTHORITY, "GB"),
    DemoOrganisation(CARERS_TOGETHER, Kind.CHARITY, "GB"),
    DemoOrganisation(ASHWORTH, Kind.UNIVERSITY, "GB"),
    DemoOrganisation(LIFFEY, Kind.INTERNATIONAL_PARTNER, "IE"),
    DemoOrganisation(DELTA, Kind.INTERNATIONAL_PARTNER, "NL"),
    DemoOrganisation(RIFT_VALLEY, Kind.INTERNATIONAL_PARTNER, "KE"),
    DemoOrganisation(KAVERI, Kind.INDUSTRY, "IN"),
    DemoOrganisation(SOUTHERN_CROSS, Kind.SOCIAL_CARE_PROVIDER, "AU"),
    DemoOrganisation(PRAIRIE, Kind.CHARITY, "CA"),
)
