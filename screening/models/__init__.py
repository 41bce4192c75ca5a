"""Screening CRFs. Each module holds one family of forms; they are re-exported here for Django."""

from screening.models.clinical import Echocardiography, PulmonaryFunction, VitalSigns

__all__ = ["Echocardiography", "PulmonaryFunction", "VitalSigns"]
