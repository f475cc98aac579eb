from django.urls import path

from opencls.governance.views import amendments, bodies, life, meetings, signatures

app_name = "governance"

C = "contrats/<int:pk>/"
G = C + "gouvernance/"
BODY = G + "instances/<int:body_pk>/"
MEETING = G + "reunions/<int:meeting_pk>/"
AMENDMENT = G + "avenants/<int:amendment_pk>/"

urlpatterns = [
    path("reunions/", meetings.upcoming_meetings, name="upcoming"),
    # Overview and bodies
    path(G, life.overview, name="overview"),
    path(G + "fin-du-prs/", life.align_end_with_prs, name="align_end"),
    path(G + "instances/nouvelle/", bodies.body_edit, name="body_create"),
    path(G + "instances/par-defaut/", bodies.bodies_defaults, name="bodies_defaults"),
    path(BODY, bodies.body_detail, name="body_detail"),
    path(BODY + "modifier/", bodies.body_edit, name="body_update"),
    path(BODY + "supprimer/", bodies.body_delete, name="body_delete"),
    path(BODY + "membres/nouveau/", bodies.member_edit, name="member_create"),
    path(BODY + "membres/<int:member_pk>/modifier/", bodies.member_edit, name="member_update"),
    path(BODY + "membres/<int:member_pk>/supprimer/", bodies.member_delete, name="member_delete"),
    path(BODY + "copresidence/", bodies.co_chair, name="co_chair"),
    # Meetings
    path(G + "reunions/", meetings.meetings, name="meetings"),
    path(G + "reunions/nouvelle/", meetings.meeting_edit, name="meeting_create"),
    path(MEETING, meetings.meeting_detail, name="meeting_detail"),
    path(MEETING + "modifier/", meetings.meeting_edit, name="meeting_update"),
    path(MEETING + "annulation/", meetings.meeting_cancel, name="meeting_cancel"),
    path(MEETING + "ordre-du-jour/ajouter/", meetings.agenda_item_edit, name="agenda_item_create"),
    path(
        MEETING + "ordre-du-jour/<int:item_pk>/modifier/",
        meetings.agenda_item_edit,
        name="agenda_item_update",
    ),
    path(
        MEETING + "ordre-du-jour/<int:item_pk>/supprimer/",
        meetings.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(MEETING + "ordre-du-jour/imprimer/", meetings.agenda_print, name="agenda_print"),
    path(MEETING + "ordre-du-jour.pdf", meetings.agenda_pdf, name="agenda_pdf"),
    path(MEETING + "invitation.ics", meetings.invitation, name="invitation"),
    path(MEETING + "presences/", meetings.attendance, name="attendance"),
    path(MEETING + "decisions/ajouter/", meetings.decision_create, name="decision_create"),
    path(
        MEETING + "decisions/<int:decision_pk>/supprimer/", meetings.decision_delete, name="decision_delete"
    ),
    path(MEETING + "compte-rendu/", meetings.minutes_edit, name="minutes_edit"),
    path(MEETING + "compte-rendu/fichier/", meetings.minutes_file, name="minutes_file"),
    # Signatures and deliberations
    path(G + "signatures/", signatures.signatures, name="signatures"),
    path(G + "signatures/deliberations/", signatures.deliberations_import, name="deliberations_import"),
    path(G + "signatures/<int:signatory_pk>/", signatures.signature_edit, name="signature_edit"),
    # Amendments
    path(G + "avenants/", amendments.amendments, name="amendments"),
    path(G + "avenants/nouveau/", amendments.amendment_edit, name="amendment_create"),
    path(AMENDMENT, amendments.amendment_detail, name="amendment_detail"),
    path(AMENDMENT + "modifier/", amendments.amendment_edit, name="amendment_update"),
    path(AMENDMENT + "differences/", amendments.amendment_diff, name="amendment_diff"),
    path(AMENDMENT + "signataire/", amendments.amendment_signatory, name="amendment_signatory"),
    path(AMENDMENT + "axe/", amendments.amendment_axis, name="amendment_axis"),
    path(AMENDMENT + "fiche-action/", amendments.amendment_action, name="amendment_action"),
    path(AMENDMENT + "<str:section>/retirer/", amendments.amendment_remove, name="amendment_remove"),
    path(AMENDMENT + "abandon/", amendments.amendment_abandon, name="amendment_abandon"),
    path(
        AMENDMENT + "signatures/<int:organisation_pk>/",
        amendments.amendment_signature,
        name="amendment_signature",
    ),
    # Versions and termination
    path(C + "versions/", life.versions, name="versions"),
    path(C + "versions/<int:version_pk>/", life.version_detail, name="version_detail"),
    path(G + "resiliation/", life.termination, name="termination"),
    path(
        G + "resiliation/notifications/<int:notice_pk>/", life.termination_notice, name="termination_notice"
    ),
    path(G + "resiliation/retrait/", life.termination_withdraw, name="termination_withdraw"),
]
