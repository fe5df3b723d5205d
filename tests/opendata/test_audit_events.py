"""Every API key issued or revoked is in the audit trail, naming who did it."""

import pytest

from audit.models import Action, AuditRecord
from opendata.models import ApiKey
from opendata.rules import OpenType
from opendata.services import api_key_revoke

from .factories import DatasetPageFactory, approved_key

pytestmark = pytest.mark.django_db


def test_issuing_and_revoking_an_api_key_are_audited(open_data):
    dataset = DatasetPageFactory(parent=open_data, open_type=OpenType.CONDITIONAL, open_condition="须说明用途")
    application, plaintext = approved_key(dataset)
    issued = AuditRecord.objects.get(action=Action.API_KEY_ISSUE)
    key = ApiKey.objects.get(application=application)
    assert issued.target == f"apikey:{key.pk} {key.prefix}" and issued.actor_name == "reviewer"
    assert plaintext not in str(issued.detail) and plaintext not in issued.target
    api_key_revoke(key=key, actor=application.decided_by)
    api_key_revoke(key=key, actor=application.decided_by)  # a second revoke changes nothing
    assert AuditRecord.objects.filter(action=Action.API_KEY_REVOKE).count() == 1
