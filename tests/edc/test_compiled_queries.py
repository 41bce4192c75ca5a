"""Pages of the trail compiled once per filter shape read what Django compiles for the values.

A page of the study-wide trail is SQL compiled with sentinels in place of the filter's values
(edc/compiled_queries.py); these tests compare the bound SQL and parameters with those Django
compiles for the same filter and cursor, for filters of every shape.
"""

import datetime as dt
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edc import audit_trail
from edc.audit_trail import Cursor, TrailFilter, TrailRows
from edc.compiled_queries import compile_with_sentinels
from edc.models import Subject
from tests.edc.factories import SubjectFactory

pytestmark = pytest.mark.postgres

LABELS = sorted(audit_trail.trail_labels())
days = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
moments = st.datetimes(
    dt.datetime(2020, 1, 1), dt.datetime(2030, 12, 31), timezones=st.just(dt.UTC)
)
filters = st.builds(
    TrailFilter,
    study_site_ids=st.none() | st.builds(lambda u: frozenset({u}), st.uuids()),
    form=st.sampled_from(["", "edc.subject", "screening.vitalsigns", *LABELS[:3]]),
    user_id=st.none() | st.integers(1, 2**31 - 1),
    action=st.sampled_from(["", "+", "~", "-", "login", "login_failed"]),
    date_from=st.none() | days,
    date_to=st.none() | days,
    with_access_log=st.booleans(),
    with_exports=st.booleans(),
)
cursors = st.none() | st.builds(
    lambda at, src, key, older: Cursor((at, src, key), older=older),
    moments,
    st.sampled_from(LABELS),
    st.integers(1, 2**31 - 1),
    st.booleans(),
)


def _django_compiles(study_id, flt, stop, cursor):
    sources = audit_trail._sources(study_id, flt)
    if not sources:
        return None
    sql, params = TrailRows(sources)._window(stop, cursor).query.sql_with_params()
    return sql, list(params)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(study_id=st.uuids(), flt=filters, cursor=cursors, stop=st.sampled_from([26, 500]))
def test_a_compiled_page_is_the_sql_django_compiles_for_its_values(study_id, flt, cursor, stop):
    bound = audit_trail._compiled_page(study_id, flt, stop, cursor)
    assert bound == _django_compiles(study_id, flt, stop, cursor)


@pytest.mark.django_db
def test_a_page_of_several_sites_reads_the_rows_of_each(site_a, site_b, stratum):
    for site in (site_a, site_b, site_a):
        SubjectFactory(study_site=site, stratum=stratum)
    flt = TrailFilter(study_site_ids=frozenset({site_a.pk, site_b.pk}))
    study_id = site_a.study_id
    compiled = audit_trail.trail_rows(study_id, flt).page(None, 25).rows
    assert compiled == TrailRows(audit_trail._sources(study_id, flt)).page(None, 25).rows
    assert len(compiled) == 3


def test_a_bound_query_holds_the_values_where_its_sentinels_were():
    def query(number, study):
        return Subject._base_manager.filter(screening_number=number, study_id=study)

    sentinels = {"number": "~number~", "study": uuid.UUID(int=1)}
    compiled = compile_with_sentinels(query(*sentinels.values()), sentinels)
    values = {"number": "S01-007", "study": uuid.UUID(int=2)}
    sql, params = query(*values.values()).query.sql_with_params()
    assert compiled.bind(values) == (sql, list(params))
