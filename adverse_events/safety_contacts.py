"""Who the sponsor wants told of every SAE: added and deactivated by the data manager in the app.

A study without an active contact is a configuration problem shown to those who can fix it (study
home, SAE page); adding a contact releases the SAE notifications that were waiting for one.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from adverse_events.models import SafetyContact
from adverse_events.sae import SAE_NOTIFICATION
from edc.audit import audited_create, audited_update
from edc.configuration import ConfigurationProblem
from edc.models import Study
from edc.outbox import outbox_release
from edc.roles import Perm


@transaction.atomic
def safety_contact_add(
    *, study: Study, name: str, email: str, actor: AbstractBaseUser
) -> SafetyContact:
    contact = audited_create(SafetyContact(study=study, name=name, email=email), actor=actor)
    outbox_release(kind=SAE_NOTIFICATION, study=study)
    return contact


@transaction.atomic
def safety_contact_deactivate(
    contact: SafetyContact, *, reason: str, expected_version: int, actor: AbstractBaseUser
) -> SafetyContact:
    return audited_update(
        contact,
        actor=actor,
        reason=reason,
        changes={"is_active": False},
        expected_version=expected_version,
    )


def no_safety_contact(study: Study) -> list[ConfigurationProblem]:
    """The configuration check: SAEs cannot be notified without an active contact."""
    if SafetyContact.objects.filter(study=study, is_active=True).exists():
        return []
    return [
        ConfigurationProblem(
            message=_(
                "No safety contact: serious adverse events are saved but their notifications "
                "wait until a contact is added."
            ),
            fix_perm=Perm.MANAGE_SAFETY_CONTACTS,
            fix_url=reverse("adverse_events:safety-contacts", args=[study.registry_id]),
        )
    ]
