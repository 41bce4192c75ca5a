"""SDTM LB and VS of a screened, enrolled subject: results as entered beside their SI values,
LBNRIND in CDISC terms, CDISC test codes, and study days before the infusion."""

import pytest

from edc.sdtm import sdtm_dataset
from screening.models import LabResult
from tests.adverse_events.journeys import infused_subject
from tests.edc.factories import UserFactory
from tests.screening.journeys import LABS_ON

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return infused_subject(UserFactory())


def test_lb_has_one_record_per_result_with_the_si_value_and_range(subject):
    rows = sdtm_dataset("LB", subject.study).rows
    assert len(rows) == LabResult.objects.filter(subject=subject).count()
    result = LabResult.objects.get(subject=subject, analyte="creatinine")
    (row,) = [r for r in rows if r["LBTESTCD"] == "CREAT"]
    assert (row["LBSTRESN"], row["LBSTRESU"], row["LBNRIND"]) == (
        result.value_si, result.si_unit, result.flag.upper()
    )  # fmt: skip
    assert (row["LBDTC"], row["LBCAT"], row["VISIT"]) == (LABS_ON.isoformat(), "CHEMISTRY", "SCR")
    assert row["LBDY"] < 0


def test_lb_nrind_uses_the_cdisc_terms(subject):
    flags = {r["LBNRIND"] for r in sdtm_dataset("LB", subject.study).rows}
    assert flags <= {"LOW", "NORMAL", "HIGH", ""}


def test_vs_has_a_record_per_measured_sign_in_cdisc_units(subject):
    rows = {r["VSTESTCD"]: r for r in sdtm_dataset("VS", subject.study).rows}
    vitals = subject.screening_vitalsigns_set.get()
    assert (rows["WEIGHT"]["VSSTRESN"], rows["WEIGHT"]["VSSTRESU"]) == (vitals.weight_kg, "kg")
    assert (rows["OXYSAT"]["VSORRES"], rows["OXYSAT"]["VSORRESU"]) == ("98", "%")
    assert set(rows) == {"HEIGHT", "WEIGHT", "BSA", "OXYSAT"}  # blood pressure etc. not entered
