"""The community app's writes: the standard, facilities, the service team, activities and the
liaison station. Every one checks the actor's right over the community, names the field of a bad
value, writes its rows in one transaction and one audit row."""

from grassroots.community.services.activities import ActivityIn, ParticipantIn, activity_record
from grassroots.community.services.facilities import (
    FacilityIn,
    RoomIn,
    enrolment_create,
    enrolment_end,
    facility_create,
    facility_staff_add,
    team_member_add,
)
from grassroots.community.services.liaison import (
    liaison_issue_collect,
    liaison_visit_record,
    station_create,
)
from grassroots.community.services.standard import StandardIn, standard_set

__all__ = [
    "ActivityIn",
    "FacilityIn",
    "ParticipantIn",
    "RoomIn",
    "StandardIn",
    "activity_record",
    "enrolment_create",
    "enrolment_end",
    "facility_create",
    "facility_staff_add",
    "liaison_issue_collect",
    "liaison_visit_record",
    "standard_set",
    "station_create",
    "team_member_add",
]
