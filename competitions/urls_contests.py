"""Routes for the contest set-up, registration and judging pages (names live in the competitions namespace)."""
from django.urls import path

from .views import chief, contestant, contests, judge

urlpatterns = [
    path("", contests.index, name="index"),
    path("<int:contest_id>/", contests.contest, name="contest"),
    path("<int:contest_id>/status/", contests.contest_move, name="contest_move"),
    path("<int:contest_id>/entries/", contests.entries, name="entries"),
    path("<int:contest_id>/entries/decide/", contests.entry_decide, name="entry_decide"),
    path("<int:contest_id>/entries/export/", contests.entries_export, name="entries_export"),
    path("<int:contest_id>/entries/withdraw/", contests.entry_withdraw, name="entry_withdraw"),
    path("<int:contest_id>/entries/reinstate/", contests.entry_reinstate,
         name="entry_reinstate"),
    path("<int:contest_id>/teams/<int:team_id>/withdraw/", contests.team_withdraw,
         name="team_withdraw"),
    path("<int:contest_id>/register/", contests.register, name="register"),
    path("<int:contest_id>/register/team/", contests.register_team, name="register_team"),
    path("invite/<str:token>/", contests.invite, name="invite"),
    path("guest/<str:token>/", contests.guest, name="guest"),
    path("work/<int:submission_id>/", contestant.my_submission, name="my_submission"),
    path("judge/", judge.events, name="judge_events"),
    path("judge/event/<int:event_id>/", judge.event_submissions, name="judge_event"),
    path("judge/event/<int:event_id>/sheet/", judge.mark_sheet, name="judge_sheet"),
    path("judge/event/<int:event_id>/sheet/import/", judge.mark_sheet_import,
         name="judge_sheet_import"),
    path("judge/sheet/confirm/<uuid:job_id>/", judge.mark_sheet_confirm,
         name="judge_sheet_confirm"),
    path("judge/event/<int:event_id>/<str:code>/", judge.mark_submission, name="judge_mark"),
    path("judge/event/<int:event_id>/<str:code>/file/", judge.submission_file,
         name="judge_file"),
    path("event/<int:event_id>/marks/", chief.event_marks, name="event_marks"),
    path("event/<int:event_id>/release/", chief.event_release, name="event_release"),
    path("event/<int:event_id>/consistency/", chief.consistency_report, name="consistency"),
    path("mark/<int:mark_id>/unlock/", chief.mark_unlock, name="mark_unlock"),
    path("submission/<int:submission_id>/clear-flag/", chief.clear_flag, name="clear_flag"),
]
