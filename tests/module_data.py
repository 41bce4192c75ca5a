"""Data that many tests of one module read, made once for the module instead of once per test.

Seeding the demo takes seconds; a module whose tests each read it would pay that per test. The
fixture commits what `make()` writes before the module's first test, each test's own changes
still roll back with its transaction, and the database is emptied (as a transactional test
leaves it) after the module's last test. Only for modules without transactional tests: one of
those would empty the database under the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command


def module_data(make: Callable[[], Any]):
    @pytest.fixture(scope="module")
    def made(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            value = make()
        yield value
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)

    return made
