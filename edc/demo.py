"""Demo data for `make run`: both protocols, a second site, one user per role, ten subjects.

Everything is written through the services, so the demo has a real audit trail and passes the
same checks as real data (eligibility, dose assignment, infusion timing); running it again changes
nothing. The clinical apps add their part through `register_demo_step`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.db import transaction

from edc.audit import audited_create, system_user
from edc.models import Membership, Site, Stratum, Study, StudySite, Subject, UserPreference
from edc.roles import Role
from edc.services.protocols import protocol_load
from edc.services.subjects import subject_register

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


def seed_demo(*, password: str, today: dt.date) -> list[tuple[str, str, str]]:
    """Load everything; return (username, role label, language label) for each demo user.

    The language is the one the user's pages open in (their stored preference), so the printout
    of `make run` tells a newcomer which accounts open in Chinese.
    """
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


# What the demo administrator may do in the admin: the study's sites, strata, memberships and
# safety contacts, and unlock an account that django-axes locked (delete its failed attempts;
# the access log keeps them). It is staff, not a superuser: it cannot edit accounts or clinical
# data, and the admin refuses it a membership of its own (edc/admin.py), so it never reaches
# subject data.
ADMIN_PERMISSIONS = (
    *(f"edc.{a}_{m}" for a in ("add", "change", "view") for m in ("site", "studysite", "stratum")),
    *(f"edc.{a}_membership" for a in ("add", "change", "view")),
    *(f"adverse_events.{a}_safetycontact" for a in ("add", "change", "view")),
    *(f"axes.{a}_accessattempt" for a in ("view", "delete")),
    "edc.view_study",
    "edc.view_protocolversion",
    "edc.view_subject",
)


def _user(spec: DemoUser, password: str, actor: AbstractBaseUser) -> tuple[str, str, str]:
    user = get_user_model().objects.filter(username=spec.username).first()
    is_admin = spec.role == Role.ADMINISTRATOR
    if user is None or not user.check_password(password) or user.is_staff != is_admin:
        user = user or get_user_model()(username=spec.username)
        user.set_password(password)
        user.is_staff, user.is_superuser = is_admin, False
        user._history_user, user._change_reason = actor, DEMO_REASON
        user.save()
    if is_admin:
        user.user_permissions.set(_permissions(ADMIN_PERMISSIONS))
    preference, _created = UserPreference.objects.get_or_create(
        user=user, defaults={"language": spec.language}
    )
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
    return spec.username, str(spec.role.label), str(dict(settings.LANGUAGES)[preference.language])


def _permissions(names: tuple[str, ...]) -> list[Permission]:
    """The Permission rows for "app_label.codename" names; one a clinical app lacks is skipped."""
    wanted = {tuple(name.split(".")) for name in names}
    candidates = Permission.objects.filter(codename__in={c for _a, c in wanted})
    return [
        p
        for p in candidates.select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]


@dataclass(frozen=True)
class DemoSubject:
    """A demo subject and its timeline: consented `consent_days_ago`, enrolled 5 days later,
    lymphodepletion 3 days after that, Day 0 five days later (the apps' demo steps do those)."""

    registry_id: str
    site: str
    stratum: str
    sex: str
    born: dt.date
    initials: str
    target: str
    consent_days_ago: int

    def consent_on(self, today: dt.date) -> dt.date:
        return today - dt.timedelta(days=self.consent_days_ago)

    def enrol_on(self, today: dt.date) -> dt.date:
        return self.consent_on(today) + dt.timedelta(days=5)

    def ld_start(self, today: dt.date) -> dt.date:
        return self.enrol_on(today) + dt.timedelta(days=3)


# In consent order, so that each enrolment sees the cohort as it was then (sentinel, cohort size):
# NCT07246096 fills its first 3+3 cohort (the SSc subject then waits: cohort full); CT1192's
# second subject enrols after the sentinel's 7 days.
DEMO_SUBJECTS = (
    DemoSubject(NCT, "changhai", "sle", "F", dt.date(1990, 3, 1), "LXM", "in_follow_up", 120),
    DemoSubject(NCT, "changhai", "sle", "F", dt.date(1985, 4, 2), "WFY", "infused", 100),
    DemoSubject(NCT, "demo_site", "pss", "F", dt.date(1982, 5, 3), "SYL", "lymphodepleted", 13),
    DemoSubject(NCT, "changhai", "ssc", "F", dt.date(1978, 6, 4), "ZHQ", "screening", 20),
    DemoSubject(NCT, "changhai", "aav", "M", dt.date(1966, 7, 5), "HDW", "screen_failed", 40),
    DemoSubject(NCT, "changhai", "ra", "M", dt.date(1970, 8, 6), "CJG", "screening", 15),
    DemoSubject(NCT, "demo_site", "sle", "F", dt.date(1995, 9, 7), "GXR", "screening", 5),
    DemoSubject(CT1192, "wuhan_union", "sle", "F", dt.date(1992, 10, 8), "TMM", "infused", 60),
    DemoSubject(CT1192, "wuhan_union", "sle", "F", dt.date(1988, 11, 9), "LQQ", "enrolled", 30),
    DemoSubject(CT1192, "wuhan_union", "sle", "M", dt.date(1980, 12, 10), "ZWB", "screening", 10),
)

# What the clinical apps do with each new demo subject, in app order: (subject, spec, actor,
# today) -> None. Screening enters forms and enrols; dosing treats.
DemoStep = Callable[..., None]
_steps: list[DemoStep] = []


def register_demo_step(step: DemoStep) -> None:
    if step not in _steps:
        _steps.append(step)


def _subjects(actor: AbstractBaseUser, today: dt.date) -> None:
    for spec in sorted(DEMO_SUBJECTS, key=lambda s: -s.consent_days_ago):
        study = Study.objects.get(registry_id=spec.registry_id)
        study_site = StudySite.objects.get(study=study, site__code=spec.site)
        if Subject.objects.filter(study_site=study_site, initials=spec.initials).exists():
            continue
        consent = spec.consent_on(today)
        subject = subject_register(
            study=study,
            study_site=study_site,
            stratum=Stratum.objects.get(study=study, code=spec.stratum),
            sex=spec.sex,
            date_of_birth=spec.born,
            initials=spec.initials,
            consent_date=consent,
            consent_version="ICF v1.0",
            today=consent,
            actor=actor,
        )
        for step in _steps:
            step(subject, spec=spec, actor=actor, today=today)
