"""Roles and what each may do: the one place where permissions are declared.

A user holds a role in a study through a Membership, either at one site or at all sites. Views ask
the access selectors (edc/selectors.py) whether a permission holds at a site; nothing else in the
code checks a role by name.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INVESTIGATOR = "investigator", _("Investigator")
    COORDINATOR = "coordinator", _("Study coordinator")
    PRINCIPAL_INVESTIGATOR = "principal_investigator", _("Principal investigator")
    MONITOR = "monitor", _("Monitor")
    DATA_MANAGER = "data_manager", _("Data manager")
    SPONSOR = "sponsor", _("Sponsor")
    ADMINISTRATOR = "administrator", _("Administrator")


class Perm(StrEnum):
    VIEW_STUDY = "view_study"  # study home, enrolment figures
    VIEW_SUBJECTS = "view_subjects"  # subject list and casebooks (de-identified for sponsors)
    VIEW_PERSONAL_DATA = "view_personal_data"  # initials, date of birth
    REGISTER_SUBJECT = "register_subject"
    ENTER_DATA = "enter_data"  # create and correct CRFs and subject data
    ENROL_SUBJECT = "enrol_subject"  # eligibility judgement and enrolment
    VIEW_AUDIT_TRAIL = "view_audit_trail"
    RAISE_QUERY = "raise_query"
    VERIFY_SOURCE = "verify_source"
    SIGN_CASEBOOK = "sign_casebook"
    LOCK_DATA = "lock_data"
    EXPORT_DATASETS = "export_datasets"
    MANAGE_STUDY = "manage_study"  # protocol loading, sites, memberships
    RECORD_ESCALATION = "record_escalation"  # sign the safety review committee's decision
    MANAGE_SAFETY_CONTACTS = "manage_safety_contacts"  # who is told of every SAE
    VIEW_ACCESS_LOG = "view_access_log"  # log-ins, log-outs and failures of every account


_SITE_TEAM = frozenset(
    {
        Perm.VIEW_STUDY,
        Perm.VIEW_SUBJECTS,
        Perm.VIEW_PERSONAL_DATA,
        Perm.REGISTER_SUBJECT,
        Perm.ENTER_DATA,
        Perm.VIEW_AUDIT_TRAIL,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.COORDINATOR: _SITE_TEAM,
    Role.INVESTIGATOR: _SITE_TEAM | {Perm.ENROL_SUBJECT},
    Role.PRINCIPAL_INVESTIGATOR: _SITE_TEAM
    | {Perm.ENROL_SUBJECT, Perm.SIGN_CASEBOOK, Perm.RECORD_ESCALATION},
    Role.MONITOR: frozenset(
        {
            Perm.VIEW_STUDY,
            Perm.VIEW_SUBJECTS,
            Perm.VIEW_PERSONAL_DATA,  # source-data verification compares against the chart
            Perm.VIEW_AUDIT_TRAIL,
            Perm.RAISE_QUERY,
            Perm.VERIFY_SOURCE,
        }
    ),
    Role.DATA_MANAGER: frozenset(
        {
            Perm.VIEW_STUDY,
            Perm.VIEW_SUBJECTS,
            Perm.VIEW_AUDIT_TRAIL,
            Perm.RAISE_QUERY,
            Perm.LOCK_DATA,
            Perm.EXPORT_DATASETS,
            Perm.MANAGE_SAFETY_CONTACTS,
            Perm.VIEW_ACCESS_LOG,
        }
    ),
    Role.SPONSOR: frozenset({Perm.VIEW_STUDY, Perm.VIEW_SUBJECTS, Perm.EXPORT_DATASETS}),
    Role.ADMINISTRATOR: frozenset(
        {
            Perm.VIEW_STUDY,
            Perm.MANAGE_STUDY,
            Perm.VIEW_AUDIT_TRAIL,
            Perm.MANAGE_SAFETY_CONTACTS,
            Perm.VIEW_ACCESS_LOG,
        }
    ),
}

# Roles whose work is at a site; a membership without a site is refused for them.
SITE_ROLES = frozenset(
    {Role.INVESTIGATOR, Role.COORDINATOR, Role.PRINCIPAL_INVESTIGATOR, Role.MONITOR}
)


def permissions_for(role: str) -> frozenset[Perm]:
    return ROLE_PERMISSIONS[Role(role)]


def roles_with(perm: Perm) -> frozenset[Role]:
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)
