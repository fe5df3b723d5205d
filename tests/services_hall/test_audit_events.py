"""Every filing status change, and every download of a filed material by staff, is in the audit trail."""

import pytest

from audit.models import Action as AuditAction
from audit.models import AuditRecord
from audit.selectors import audit_verify
from services_hall.services import application_transition
from services_hall.workflow import Action, Status

from .test_services import submit

pytestmark = pytest.mark.django_db


def test_each_status_change_of_a_filing_is_audited(guide, applicant, intake):
    application = submit(guide, applicant)
    application_transition(application=application, action=Action.ACCEPT, actor=intake)
    records = list(AuditRecord.objects.filter(action=AuditAction.FILING_STATUS).order_by("seq"))
    assert [(r.detail["from"], r.detail["to"]) for r in records] == [
        (Status.DRAFT, Status.SUBMITTED), (Status.SUBMITTED, Status.ACCEPTED)]
    assert records[1].actor_name == "intake-clerk"
    assert all(application.tracking_number in r.target for r in records)
    assert audit_verify() == []


def test_a_refused_transition_leaves_no_audit_record(guide, applicant, intake):
    application = submit(guide, applicant)
    before = AuditRecord.objects.count()
    with pytest.raises(Exception):
        application_transition(application=application, action=Action.CLOSE, actor=intake)
    assert AuditRecord.objects.count() == before


def test_staff_downloading_a_filed_material_is_audited(client, guide, applicant, intake):
    application = submit(guide, applicant)
    material = application.materials.first()
    client.force_login(intake)
    response = client.get(f"/admin/services-hall/materials/{material.pk}/download/", REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 200
    record = AuditRecord.objects.filter(action=AuditAction.PRIVATE_DOWNLOAD).get()
    assert record.actor_name == "intake-clerk" and record.ip == "198.51.100.4"
    assert record.detail == {"application": application.pk}
