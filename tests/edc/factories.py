"""Minimal valid rows; meaningful states come from the services themselves."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import factory
from django.contrib.auth import get_user_model

from edc.models import Membership, ProtocolVersion, Site, Stratum, Study, StudySite, Subject


def minimal_definition(**protocol: Any) -> dict[str, Any]:
    """The smallest protocol definition the schema accepts, for tests that need one."""
    identity = {
        "registry_id": "NCT00000001",
        "study_code": "TST",
        "version": "1.0",
        "effective_date": "2026-01-01",
        "title": "A test study",
        "short_title": "Test",
        "phase": "Phase 1",
        "sponsor": "Test sponsor",
        "product": {"name": "CAR-T X", "targets": ["CD19"], "kind": "allogeneic"},
        "target_enrolment": 12,
        "subject_id_format": "{study_code}-{site_number}-{seq:03d}",
        "screening_number_format": "S{site_number}-{seq:03d}",
        **protocol,
    }
    return {
        "schema_version": 1,
        "protocol": identity,
        "sites": [
            {
                "code": "site_a",
                "name": "Site A",
                "city": "Shanghai",
                "country": "CN",
                "timezone": "Asia/Shanghai",
                "site_number": "01",
            }
        ],
        "strata": [{"code": "sle", "name": "SLE"}],
        "eligibility": [
            {
                "id": "IN-1",
                "number": "1",
                "group": "common",
                "kind": "inclusion",
                "text": "Age 18-70",
                "rule": {
                    "type": "all",
                    "rules": [
                        {"type": "measure", "measure": "age_at_consent_years", "op": ">=",
                         "value": 18},
                        {"type": "measure", "measure": "age_at_consent_years", "op": "<=",
                         "value": 70},
                    ],
                },
            }
        ],
        "escalation": {
            "design": "3+3",
            "cohort_size": 3,
            "max_sample_size": 18,
            "start_level": 1,
            "dose_levels": [
                {"level": 1, "label": "DL1", "dose": "1e6", "unit": "cells/kg", "basis": "per_kg"}
            ],
            "dlt_window_days": 28,
            "dose_tolerance_pct": 20,
        },
        "lymphodepletion": {
            "agents": [
                {"drug": "fludarabine", "dose": 30, "unit": "mg/m2/day", "days": [-5, -4, -3]}
            ],
            "dose_tolerance_pct": 10,
        },
        "crfs": [
            {"code": "vital_signs", "name": "Vital signs"},
            {"code": "prior_therapy", "name": "Prior therapy"},
        ],
        "visits": [
            {"code": "SCR", "name": "Screening", "anchor": "consent", "day": 0,
             "window_before_days": 0, "window_after_days": 28,
             "crfs": ["vital_signs", "prior_therapy"]},
            {"code": "D7", "name": "Day 7", "anchor": "day0", "day": 7,
             "window_before_days": 1, "window_after_days": 1, "crfs": ["vital_signs"]},
        ],
    }  # fmt: skip


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study
        skip_postgeneration_save = True

    registry_id = factory.Sequence(lambda n: f"NCT{n:08d}")
    study_code = factory.Sequence(lambda n: f"TST{n}")
    title = "A test study"
    short_title = "Test study"
    phase = "Phase 1"
    sponsor = "Test sponsor"
    product = "CAR-T X"
    target_enrolment = 12

    @factory.post_generation
    def protocol(self, create, extracted, **kwargs):
        if not create:
            return
        definition = extracted or minimal_definition(
            registry_id=self.registry_id, study_code=self.study_code
        )
        ProtocolVersion.objects.create(
            study=self,
            version=definition["protocol"]["version"],
            effective_date=dt.date.fromisoformat(definition["protocol"]["effective_date"]),
            definition=definition,
            sha256=hashlib.sha256(json.dumps(definition).encode()).hexdigest(),
            source_file="factory",
        )


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"site_{n}")
    name = factory.Sequence(lambda n: f"Hospital {n}")
    city = "Shanghai"
    country = "CN"
    timezone = "Asia/Shanghai"


class StudySiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudySite

    study = factory.SubFactory(StudyFactory)
    site = factory.SubFactory(SiteFactory)
    site_number = factory.Sequence(lambda n: f"{n % 100:02d}")
    target_enrolment = 6


class StratumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stratum

    study = factory.SubFactory(StudyFactory)
    code = factory.Sequence(lambda n: f"s{n}")
    name = factory.LazyAttribute(lambda o: o.code.upper())
    target_enrolment = 6


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    study = factory.SubFactory(StudyFactory)
    study_site = None
    role = "investigator"


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    study_site = factory.SubFactory(StudySiteFactory)
    study = factory.LazyAttribute(lambda o: o.study_site.study)
    stratum = factory.SubFactory(StratumFactory, study=factory.SelfAttribute("..study"))
    screening_number = factory.Sequence(lambda n: f"S01-{n:03d}")
    sex = "F"
    date_of_birth = dt.date(1990, 5, 17)
    initials = "ABC"
    consent_date = dt.date(2026, 3, 1)
    consent_version = "ICF v1.0"
