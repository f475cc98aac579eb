"""Each bad file is uploaded as a coordinator would: a French message, nothing written."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.models import PlanUpload
from opencls.spreadsheets.tests.factories import coordinator_of, rich_plan
from opencls.spreadsheets.tests.helpers import plan_state


@dataclass
class Upload:
    response: object
    upload: PlanUpload | None

    @property
    def text(self) -> str:
        return self.response.content.decode()


@pytest.fixture
def contract(db):
    return rich_plan(actions=2)


@pytest.fixture
def exported(contract) -> bytes:
    data, _warnings = export_plan(contract, "xlsx")
    return data


@pytest.fixture
def upload(client, contract):
    """Posts the file, checks nothing was written, and returns the response and the upload."""
    user = coordinator_of(contract)
    client.force_login(user)

    def post(data: bytes, name: str = "plan.xlsx") -> Upload:
        before = plan_state(contract)
        response = client.post(
            reverse("spreadsheets:upload", args=[contract.pk]),
            {"file": SimpleUploadedFile(name, data)},
            follow=True,
        )
        upload = PlanUpload.objects.filter(contract=contract).first()
        if upload is not None and upload.state == PlanUpload.State.INVALID:
            # The review offers no way to apply, and applying anyway is refused.
            assert "apply-form" not in response.content.decode()
            client.post(reverse("spreadsheets:apply", args=[contract.pk, upload.pk]))
        assert plan_state(contract) == before
        return Upload(response, upload)

    return post
