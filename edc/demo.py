"""Demo data for `make run`: both protocols, a second site, one user per role, ten subjects.

Everything is written through the services, so the demo has a real audit trail; running it again
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from edc.audit import audited_create, system_user
from edc.models import Membership, Site, Stratum, Study, StudySite, Subject, UserPreference
from edc.roles import Role
from edc.services.protocols import protocol_load
from edc.services.subjects import subject_enrol, subject_register, subject_status_change

NCT = "NCT07246096"
CT1192 = "CT1192"
DEMO_REASON = "Demo data"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    grants: tuple[tuple[str, str | None], ...]  # (registry id, site code or None = all sites)
    language: str = "en"


DEMO_USERS = (
    DemoUser("inv_changhai", Role.INVESTIGATOR, ((NCT, "changhai"),), "zh-hans"),
    DemoUser("inv_demo_site", Role.INVESTIGATOR, ((NCT, "demo_site"),)),
    DemoUser("pi_changhai", Role.PRINCIPAL_INVESTIGATOR, ((NCT, "changhai"),)),
    DemoUser("inv_wuhan", Role.INVESTIGATOR, ((CT1192, "wuhan_union"),), "zh-hans"),
    DemoUser(
        "monitor",
        Role.MONITOR,
        ((NCT, "changhai"), (NCT, "demo_site"), (CT1192, "wuhan_union")),
    ),
    DemoUser("datamanager", Role.DATA_MANAGER, ((NCT, None), (CT1192, None))),
    DemoUser("sponsor", Role.SPONSOR, ((NCT, None), (CT1192, None))),
    DemoUser("admin", Role.ADMINISTRATOR, ((NCT, None), (CT1192, None))),
)

# (registry id, site code, stratum, sex, birth year, initials, target status)
DEMO_SUBJECTS = (
    (NCT, "changhai", "sle", "F", 1990, "LXM", "in_follow_up"),
    (NCT, "changhai", "sle", "F", 1985, "WFY", "infused"),
    (NCT, "changhai", "ssc", "F", 1978, "ZHQ", "enrolled"),
    (NCT, "changhai", "ra", "M", 1970, "CJG", "screening"),
    (NCT, "changhai", "aav", "M", 1966, "HDW", "screen_failed"),
    (NCT, "demo_site", "pss", "F", 1982, "SYL", "lymphodepleted"),
    (NCT, "demo_site", "sle", "F", 1995, "GXR", "screening"),
    (CT1192, "wuhan_union", "sle", "F", 1992, "TMM", "infused"),
    (CT1192, "wuhan_union", "sle", "F", 1988, "LQQ", "enrolled"),
    (CT1192, "wuhan_union", "sle", "M", 1980, "ZWB", "screening"),
)
_PATH = ("enrolled", "lymphodepleted", "infused", "in_follow_up")


def seed_demo(*, password: str, today: dt.date) -> list[tuple[str, str]]:
    """Load everything; return (username, role label) for each demo user."""
    actor = system_user()
    with transaction.atomic():
        for path in sorted(Path(settings.PROTOCOLS_DIR).glob("*.yaml")):
            protocol_load(path=path, actor=actor)
        _demo_site(actor)
        users = [_user(spec, password, actor) for spec in DEMO_USERS]
        _subjects(actor, today)
    return users


def _demo_site(actor: AbstractBaseUser) -> None:
    study = Study.objects.get(registry_id=NCT)
    site = Site.objects.filter(code="demo_site").first() or audited_create(
        Site(
            code="demo_site",
            name="Demo Hospital",
            name_zh="演示医院",
            city="Shanghai",
            country="CN",
            timezone="Asia/Shanghai",
        ),
        actor=actor,
        reason=DEMO_REASON,
    )
    if not StudySite.objects.filter(study=study, site=site).exists():
        audited_create(
            StudySite(study=study, site=site, site_number="02", target_enrolment=20),
            actor=actor,
            reason=DEMO_REASON,
        )


def _user(spec: DemoUser, password: str, actor: AbstractBaseUser) -> tuple[str, str]:
    user, _ = get_user_model().objects.get_or_create(username=spec.username)
    user.set_password(password)
    user.is_staff = user.is_superuser = spec.role == Role.ADMINISTRATOR
    user.save()
    UserPreference.objects.get_or_create(user=user, defaults={"language": spec.language})
    for registry_id, site_code in spec.grants:
        study = Study.objects.get(registry_id=registry_id)
        study_site = StudySite.objects.get(study=study, site__code=site_code) if site_code else None
        if not Membership.objects.filter(
            user=user, study=study, study_site=study_site, role=spec.role
        ).exists():
            audited_create(
                Membership(user=user, study=study, study_site=study_site, role=spec.role),
                actor=actor,
                reason=DEMO_REASON,
            )
    return spec.username, str(spec.role.label)


def _subjects(actor: AbstractBaseUser, today: dt.date) -> None:
    for i, (registry_id, site_code, stratum, sex, year, initials, target) in enumerate(
        DEMO_SUBJECTS
    ):
        study = Study.objects.get(registry_id=registry_id)
        study_site = StudySite.objects.get(study=study, site__code=site_code)
        if Subject.objects.filter(study_site=study_site, initials=initials).exists():
            continue
        subject = subject_register(
            study=study,
            study_site=study_site,
            stratum=Stratum.objects.get(study=study, code=stratum),
            sex=sex,
            date_of_birth=dt.date(year, 3 + i % 9, 1 + i),
            initials=initials,
            consent_date=today - dt.timedelta(days=60 - 3 * i),
            consent_version="ICF v1.0",
            today=today,
            actor=actor,
        )
        if target == "screen_failed":
            subject_status_change(subject, target=target, reason=DEMO_REASON, actor=actor)
        if target not in _PATH:
            continue
        subject = subject_enrol(subject, reason=DEMO_REASON, actor=actor)
        for status in _PATH[1 : _PATH.index(target) + 1]:
            extra = {"day0_date": today - dt.timedelta(days=30 - i)} if status == "infused" else {}
            subject = subject_status_change(
                subject, target=status, reason=DEMO_REASON, actor=actor, **extra
            )
