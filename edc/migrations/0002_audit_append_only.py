"""Make every history table append-only on PostgreSQL (see edc/audit_sql.py).

Tables added by later migrations get the same triggers from the post_migrate hook in edc/apps.py.
"""

from django.db import migrations

from edc.audit_sql import INSTALL_SQL


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("edc", "0001_core")]

    # Irreversible on purpose: removing the guard of an audit trail is not a migration's job.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
