from django.urls import path

from rosc.encounters import views

app_name = "encounters"

urlpatterns = [
    path(
        "participants/<uuid:participant_id>/contacts/",
        views.encounter_list_view,
        name="list",
    ),
    path(
        "participants/<uuid:participant_id>/contacts/new/",
        views.encounter_new_view,
        name="new",
    ),
    path(
        "participants/<uuid:participant_id>/contacts/<uuid:encounter_id>/note/",
        views.encounter_note_view,
        name="note",
    ),
    path(
        "participants/<uuid:participant_id>/contacts/<uuid:encounter_id>/in-error/",
        views.encounter_void_view,
        name="void",
    ),
]
