"""The trial design domains (TS, TE, TA, TV, TI) of a study, from its current protocol version.

The protocol model lives in the core, so these are the core's own mappers, registered in
EdcConfig.ready() like any app's; the rows are built by edc.domain.trial_design.
"""

from __future__ import annotations

from edc.domain import trial_design
from edc.domain.sdtm import Dataset
from edc.models import Study
from edc.sdtm import register_sdtm_mapper, studyid
from edc.selectors import protocol_definition

BUILDERS = {
    "TS": trial_design.ts_dataset,
    "TE": trial_design.te_dataset,
    "TA": trial_design.ta_dataset,
    "TV": trial_design.tv_dataset,
    "TI": trial_design.ti_dataset,
}


def trial_design_dataset(domain: str, study: Study) -> Dataset:
    return BUILDERS[domain](studyid(study), protocol_definition(study))


def register() -> None:
    for domain in BUILDERS:
        register_sdtm_mapper(
            domain, lambda study, domain=domain: trial_design_dataset(domain, study)
        )
