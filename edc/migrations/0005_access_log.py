"""The access log of log-ins, log-outs and failures, append-only like the history tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from edc.audit_sql import install_append_only_triggers


def install(apps, schema_editor):
    install_append_only_triggers(schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('edc', '0004_user_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='time')),
                ('kind', models.CharField(choices=[('login', 'Logged in'), ('logout', 'Logged out'), ('login_failed', 'Failed log-in'), ('signature_failed', 'Failed signature password'), ('locked_out', 'Locked out')], max_length=20, verbose_name='event')),
                ('username', models.CharField(db_index=True, max_length=150, verbose_name='user name tried')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='address')),
                ('user_agent', models.CharField(blank=True, max_length=255, verbose_name='browser')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'access log entry',
                'verbose_name_plural': 'access log',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
