"""Screening CRFs. Each module holds one family of forms; they are re-exported here for Django."""

from screening.models.background import ConcomitantMedication, Demographics
from screening.models.clinical import Echocardiography, PulmonaryFunction, VitalSigns
from screening.models.eligibility import EligibilityConfirmation, EligibilityDecision
from screening.models.history import MedicalHistory, PriorTherapy, TransfusionGrowthFactor
from screening.models.instruments import (
    AncaSerology,
    Bilag2004,
    Bvas,
    Essdai,
    JointCounts,
    LupusSerology,
    Mrss,
    Sledai2k,
)
from screening.models.labs import (
    InfectionScreen,
    LabPanel,
    LabReferenceRange,
    LabResult,
    PregnancyTest,
)

__all__ = [
    "AncaSerology",
    "Bilag2004",
    "Bvas",
    "ConcomitantMedication",
    "Demographics",
    "Echocardiography",
    "EligibilityConfirmation",
    "EligibilityDecision",
    "Essdai",
    "InfectionScreen",
    "JointCounts",
    "LabPanel",
    "LabReferenceRange",
    "LabResult",
    "LupusSerology",
    "MedicalHistory",
    "Mrss",
    "PregnancyTest",
    "PriorTherapy",
    "PulmonaryFunction",
    "Sledai2k",
    "TransfusionGrowthFactor",
    "VitalSigns",
]
