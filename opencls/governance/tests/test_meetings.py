import io
from datetime import timedelta

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from opencls.contracts.models import ContractRole
from opencls.governance.models import AgendaItem, Attendance, BodyMember, Decision, Meeting
from opencls.governance.richtext import render_minutes
from opencls.governance.tests.factories import (
    AgendaItemFactory,
    BodyMemberFactory,
    GovernanceBodyFactory,
    MeetingFactory,
    at,
)
from opencls.testing import factories

pytestmark = pytest.mark.django_db
COORDINATOR = ContractRole.Role.COORDINATOR


@pytest.fixture
def copil():
    return GovernanceBodyFactory(copil=True)


@pytest.fixture
def coordinator(client, copil):
    user = factories.user_with_role(copil.contract, COORDINATOR)
    client.force_login(user)
    return user


def meetings_for(copil, count):
    soon = timezone.now() + timedelta(days=10)
    for index in range(count):
        meeting = MeetingFactory(
            body=copil, starts_at=soon + timedelta(days=index) * (1 if index % 2 else -40)
        )
        AgendaItemFactory(meeting=meeting)
        AgendaItemFactory(meeting=meeting, evaluation=True)


@pytest.mark.parametrize("count", [2, 10])
def test_meetings_list_query_count_does_not_grow(
    client, coordinator, copil, django_assert_num_queries, count
):
    meetings_for(copil, count)
    url = reverse("governance:meetings", args=[copil.contract.pk])
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    page = response.content.decode()
    assert page.count("Évaluation annuelle</p>") == count


@pytest.mark.parametrize("count", [2, 10])
def test_upcoming_meetings_of_all_contracts_query_count(client, django_assert_num_queries, count):
    user = factories.UserFactory()
    for _ in range(count):
        body = GovernanceBodyFactory(copil=True)
        ContractRole.objects.create(contract=body.contract, user=user, role=ContractRole.Role.MEMBER)
        MeetingFactory(body=body, starts_at=timezone.now() + timedelta(days=3))
    hidden = MeetingFactory(
        title="Réunion d'un contrat que je ne suis pas", starts_at=timezone.now() + timedelta(days=1)
    )
    client.force_login(user)
    url = reverse("governance:upcoming")
    client.get(url)
    with django_assert_num_queries(3):
        page = client.get(url).content.decode()
    assert page.count("Comité de pilotage</a>") == count
    assert hidden.title not in page


def test_schedule_a_meeting_with_its_agenda(client, coordinator, copil):
    contract = copil.contract
    action = factories.ActionFactory(axis=factories.AxisFactory(contract=contract), code="FA 2.3")
    response = client.post(
        reverse("governance:meeting_create", args=[contract.pk]),
        {
            "body": copil.pk,
            "title": "",
            "starts_at": "2026-11-05T14:00",
            "ends_at": "2026-11-05T16:30",
            "place": "Hôtel de ville de Villeneuve d'Ascq",
            "video_url": "https://visio.example.fr/copil",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.contract == contract and meeting.created_by == coordinator
    assert timezone.localtime(meeting.starts_at).hour == 14
    items = reverse("governance:agenda_item_create", args=[contract.pk, meeting.pk])
    client.post(items, {"kind": "action", "action": action.pk})
    client.post(items, {"kind": "evaluation", "title": "Évaluation annuelle 2025"})
    assert client.post(items, {"kind": "general", "title": ""}).status_code == 400
    assert [i.kind for i in meeting.agenda_items.all()] == [
        AgendaItem.Kind.ACTION,
        AgendaItem.Kind.EVALUATION,
    ]
    page = client.get(reverse("governance:meeting_detail", args=[contract.pk, meeting.pk])).content.decode()
    assert "Fiche action : FA 2.3 : " in page
    assert "Évaluation annuelle 2025" in page


def test_meeting_form_errors_are_in_french(client, coordinator, copil):
    response = client.post(
        reverse("governance:meeting_create", args=[copil.contract.pk]),
        {"body": copil.pk, "starts_at": "2026-11-05T14:00", "ends_at": "2026-11-05T10:00"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "La fin de la réunion doit suivre son début." in page
    assert "Indiquez un lieu ou un lien de visioconférence." in page
    assert not Meeting.objects.exists()


def test_an_agenda_item_cannot_point_at_another_contract(client, coordinator, copil):
    meeting = MeetingFactory(body=copil)
    foreign = factories.ActionFactory()
    response = client.post(
        reverse("governance:agenda_item_create", args=[copil.contract.pk, meeting.pk]),
        {"kind": "action", "action": foreign.pk},
    )
    assert response.status_code == 400
    assert not AgendaItem.objects.exists()


def test_attendance_decisions_and_minutes(client, coordinator, copil):
    contract = copil.contract
    meeting = MeetingFactory(body=copil)
    chair, member = (
        BodyMemberFactory(body=copil, role=BodyMember.Role.CO_CHAIR),
        BodyMemberFactory(body=copil),
    )
    url = reverse("governance:attendance", args=[contract.pk, meeting.pk])
    response = client.post(url, {f"status_{chair.pk}": "present", f"status_{member.pk}": "represented"})
    assert response.status_code == 400
    assert f"Indiquez qui représente {member}." in response.content.decode()
    client.post(
        url,
        {
            f"status_{chair.pk}": "present",
            f"status_{member.pk}": "represented",
            f"represented_by_{member.pk}": "Camille Adjointe",
        },
    )
    assert {a.member_id: (a.status, a.represented_by) for a in Attendance.objects.all()} == {
        chair.pk: ("present", ""),
        member.pk: ("represented", "Camille Adjointe"),
    }
    item = AgendaItemFactory(meeting=meeting, title="Avenant n°1")
    client.post(
        reverse("governance:decision_create", args=[contract.pk, meeting.pk]),
        {"agenda_item": item.pk, "text": "Le COPIL propose l'avenant n°1."},
    )
    assert Decision.objects.get().agenda_item == item
    pdf = SimpleUploadedFile("compte-rendu.pdf", b"%PDF-1.4\n%fin\n", content_type="application/pdf")
    client.post(
        reverse("governance:minutes_edit", args=[contract.pk, meeting.pk]),
        {"minutes": "## Relevé\n- **Avenant** proposé\n<script>alert(1)</script>", "file": pdf},
    )
    page = client.get(reverse("governance:meeting_detail", args=[contract.pk, meeting.pk])).content.decode()
    assert "<li><strong>Avenant</strong> proposé</li>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "Représenté·e par Camille Adjointe" in page
    assert "Le COPIL propose l&#x27;avenant n°1." in page


def test_minutes_file_is_checked_and_served_only_to_readers(client, coordinator, copil):
    contract = copil.contract
    meeting = MeetingFactory(body=copil)
    url = reverse("governance:minutes_edit", args=[contract.pk, meeting.pk])
    fake = SimpleUploadedFile("compte-rendu.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"minutes": "", "file": fake})
    assert response.status_code == 400
    assert "Le contenu du fichier ne correspond pas à son extension « .pdf »." in response.content.decode()
    exe = SimpleUploadedFile("cr.exe", b"MZ", content_type="application/octet-stream")
    assert "Format non accepté" in client.post(url, {"file": exe}).content.decode()
    client.post(url, {"minutes": "", "file": SimpleUploadedFile("cr.pdf", b"%PDF-1.7 ok")})
    meeting.refresh_from_db()
    assert meeting.minutes_file.name.startswith(f"contrats/{contract.pk}/gouvernance/comptes-rendus/")
    download = reverse("governance:minutes_file", args=[contract.pk, meeting.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 ok"
    assert response["Content-Disposition"].startswith("attachment")

    client.force_login(factories.UserFactory())  # reads no contract
    assert client.get(download).status_code == 404


def test_invitation_is_an_icalendar_event(client, coordinator, copil):
    meeting = MeetingFactory(
        body=copil,
        starts_at=at(2026, 11, 5, 14),
        ends_at=at(2026, 11, 5, 16),
        video_url="https://visio.example.fr/x",
    )
    AgendaItemFactory(meeting=meeting, title="Bilan des fiches actions")
    response = client.get(reverse("governance:invitation", args=[copil.contract.pk, meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]) == f"Comité de pilotage — {copil.contract}"
    assert event.decoded("dtstart") == at(2026, 11, 5, 14)
    assert event.decoded("dtend") == at(2026, 11, 5, 16)
    assert "1. Bilan des fiches actions" in str(event["description"])
    assert str(event["location"]) == "Hôtel de ville"
    assert calendar.walk("VTIMEZONE")  # Europe/Paris travels with the file
    sequence = event["sequence"]

    response = client.post(
        reverse("governance:meeting_update", args=[copil.contract.pk, meeting.pk]),
        {"body": copil.pk, "starts_at": "2026-11-06T09:00", "place": "Mairie de Baisieux"},
    )
    assert response.status_code == 302, response.content.decode()
    updated = Calendar.from_ical(
        client.get(reverse("governance:invitation", args=[copil.contract.pk, meeting.pk])).content
    ).walk("VEVENT")[0]
    assert updated["sequence"] > sequence  # calendars replace the earlier invitation
    assert updated["uid"] == event["uid"]


def test_printable_agenda_and_pdf(client, coordinator, copil):
    meeting = MeetingFactory(body=copil, starts_at=at(2026, 11, 5, 14))
    AgendaItemFactory(meeting=meeting, evaluation=True)
    BodyMemberFactory(body=copil, person_name="Gérard Caudron")
    page = client.get(
        reverse("governance:agenda_print", args=[copil.contract.pk, meeting.pk])
    ).content.decode()
    assert "Évaluation annuelle du contrat" in page and "Gérard Caudron" in page and "print.css" in page
    response = client.get(reverse("governance:agenda_pdf", args=[copil.contract.pk, meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Ordre du jour" in text and "Évaluation annuelle du contrat" in text
    assert "jeudi 5 novembre 2026, 14:00" in text


def test_members_read_meetings_but_cannot_change_them(client, copil):
    contract = copil.contract
    meeting = MeetingFactory(body=copil)
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    page = client.get(reverse("governance:meeting_detail", args=[contract.pk, meeting.pk])).content.decode()
    assert "Invitation (iCalendar)" in page and "Ajouter un point" not in page
    assert (
        client.post(
            reverse("governance:meeting_cancel", args=[contract.pk, meeting.pk]), {"cancelled": "1"}
        ).status_code
        == 403
    )
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_a_meeting_of_another_contract_is_not_found(client, coordinator, copil):
    foreign = MeetingFactory()
    for name in ("meeting_detail", "invitation", "agenda_print", "minutes_file"):
        assert (
            client.get(reverse(f"governance:{name}", args=[copil.contract.pk, foreign.pk])).status_code == 404
        )
    response = client.post(
        reverse("governance:meeting_cancel", args=[copil.contract.pk, foreign.pk]), {"cancelled": "1"}
    )
    assert response.status_code == 404
    assert client.get(reverse("governance:meetings", args=[foreign.contract.pk])).status_code == 404


def test_rich_text_minutes_render_safely():
    html = render_minutes(
        'Intro *importante*\nsuite\n\n1. un\n2. deux\n\nVoir https://exemple.fr/a?b=1&c=2 "x"'
    )
    assert "<p>Intro <em>importante</em><br>suite</p>" in html
    assert "<ol>\n<li>un</li>\n<li>deux</li>\n</ol>" in html
    assert '<a href="https://exemple.fr/a?b=1&amp;c=2" rel="noopener noreferrer">' in html
    assert "&quot;x&quot;" in html
    assert "javascript" not in render_minutes("[x](javascript:alert(1))").replace("javascript:alert", "")


def test_a_point_about_an_evaluation_counts_as_the_annual_evaluation(client, coordinator, copil):
    from opencls.monitoring.models import Evaluation

    meeting = MeetingFactory(body=copil)
    evaluation = Evaluation.objects.create(contract=copil.contract, year=2025)
    client.post(
        reverse("governance:agenda_item_create", args=[copil.contract.pk, meeting.pk]),
        {"kind": "general", "evaluation": evaluation.pk},
    )
    item = AgendaItem.objects.get()
    assert item.kind == AgendaItem.Kind.EVALUATION and item.evaluation == evaluation


def test_members_can_be_written_to_from_the_meeting(client, coordinator, copil):
    meeting = MeetingFactory(body=copil)
    BodyMemberFactory(body=copil, email="elue@exemple.fr")
    BodyMemberFactory(body=copil, email="dt-ars@exemple.fr")
    page = client.get(
        reverse("governance:meeting_detail", args=[copil.contract.pk, meeting.pk])
    ).content.decode()
    assert 'href="mailto:?bcc=elue@exemple.fr,dt-ars@exemple.fr"' in page
