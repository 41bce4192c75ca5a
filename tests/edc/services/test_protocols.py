import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from edc.domain.protocol import ProtocolFileError
from edc.models import ProtocolVersion, Stratum, Study, StudySite
from edc.services.protocols import protocol_load
from tests.edc.factories import UserFactory, minimal_definition

PROTOCOLS = Path(__file__).resolve().parents[3] / "protocols"


@pytest.fixture
def actor(db):
    return UserFactory(username="loader")


def _write(tmp_path: Path, definition: dict, name: str = "trial.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "registry_id", "strata"),
    [("nct07246096.yaml", "NCT07246096", 5), ("ct1192.yaml", "CT1192", 1)],
)
def test_seed_protocol_creates_study_sites_and_strata(actor, name, registry_id, strata):
    result = protocol_load(path=PROTOCOLS / name, actor=actor)
    study = Study.objects.get(registry_id=registry_id)
    assert result.outcome == "created"
    assert Stratum.objects.filter(study=study).count() == strata
    assert StudySite.objects.filter(study=study).count() == 1


def test_loading_the_same_file_twice_changes_nothing(actor, tmp_path):
    path = _write(tmp_path, minimal_definition())
    protocol_load(path=path, actor=actor)
    history_before = Study.history.count()
    result = protocol_load(path=path, actor=actor)
    assert result.outcome == "unchanged"
    assert ProtocolVersion.objects.count() == 1
    assert Study.history.count() == history_before


def test_new_version_is_an_amendment_that_keeps_the_old_one(actor, tmp_path):
    first = protocol_load(path=_write(tmp_path, minimal_definition()), actor=actor)
    amended = minimal_definition(version="1.1", title="An amended test study")
    result = protocol_load(path=_write(tmp_path, amended, "v11.yaml"), actor=actor)
    old = ProtocolVersion.objects.get(pk=first.protocol_version.pk)
    assert result.outcome == "amended"
    assert (old.is_current, result.protocol_version.supersedes) == (False, old)
    assert Study.objects.get().title == "An amended test study"


def test_amendment_is_the_reason_recorded_on_changed_reference_data(actor, tmp_path):
    protocol_load(path=_write(tmp_path, minimal_definition()), actor=actor)
    protocol_load(
        path=_write(tmp_path, minimal_definition(version="2.0", target_enrolment=20), "v2.yaml"),
        actor=actor,
    )
    latest = Study.history.order_by("-history_date").first()
    assert latest.history_change_reason.startswith("Protocol NCT00000001 v2.0 loaded")
    assert latest.history_user == actor


def test_changed_content_under_the_same_version_is_refused(actor, tmp_path):
    protocol_load(path=_write(tmp_path, minimal_definition()), actor=actor)
    with pytest.raises(ValidationError, match="already loaded with different content"):
        protocol_load(
            path=_write(tmp_path, minimal_definition(title="Edited"), "edited.yaml"), actor=actor
        )
    assert Study.objects.get().title == "A test study"


def test_invalid_file_loads_nothing(actor, tmp_path):
    broken = minimal_definition()
    broken["strata"] = []
    with pytest.raises(ProtocolFileError, match="strata"):
        protocol_load(path=_write(tmp_path, broken), actor=actor)
    assert not Study.objects.exists()


def test_an_edit_check_on_a_field_the_form_lacks_loads_nothing(actor, tmp_path):
    definition = minimal_definition()
    definition["crfs"][0]["checks"] = [
        {"id": "typo", "kind": "range", "field": "weight_kgs", "min": 30,
         "message": "Low weight.", "message_zh": "体重过低。"}
    ]  # fmt: skip
    with pytest.raises(
        ValidationError, match=r"crfs.vital_signs.checks.typo: no field \['weight_kgs'\]"
    ):
        protocol_load(path=_write(tmp_path, definition), actor=actor)
    assert not Study.objects.exists()


def test_command_reports_each_file(db, tmp_path):
    path = tmp_path / "ct1192.yaml"
    shutil.copy(PROTOCOLS / "ct1192.yaml", path)
    out = StringIO()
    call_command("load_protocol", str(path), stdout=out)
    call_command("load_protocol", str(path), stdout=out)
    assert out.getvalue().splitlines() == [
        f"{path}: CT1192 v1.0 created",
        f"{path}: CT1192 v1.0 unchanged",
    ]


def test_command_names_file_and_path_of_a_schema_error(db, tmp_path):
    broken = minimal_definition()
    broken["escalation"]["design"] = "coin toss"
    path = _write(tmp_path, broken)
    with pytest.raises(CommandError, match=r"trial.yaml: escalation.design: Input should be"):
        call_command("load_protocol", str(path))


def test_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_protocol", str(tmp_path / "nope.yaml"))


def test_command_acts_as_the_system_user_in_the_audit_trail(db, tmp_path):
    path = tmp_path / "ct1192.yaml"
    shutil.copy(PROTOCOLS / "ct1192.yaml", path)
    call_command("load_protocol", str(path), stdout=StringIO())
    assert Study.history.get().history_user.username == "system"


@pytest.mark.django_db(transaction=True)
def test_loading_outside_a_transaction_is_one_transaction_of_its_own():
    """As `manage.py load_protocol` runs it (autocommit): the load opens its own transaction,
    in which the study row is locked against a concurrent load."""
    result = protocol_load(path=PROTOCOLS / "ct1192.yaml", actor=UserFactory(username="loader"))
    assert result.outcome == "created"
