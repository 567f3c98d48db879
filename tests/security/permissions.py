"""Who may open which URL: the expectations the permission matrix test checks.

Every URL pattern of the project (read from the resolver) needs an entry in EXPECTED,
keyed by its name ("namespace:name"). An entry maps each of the ROLES to the outcome of a
GET by that person:

    200      the page (or file) is shown
    "login"  redirected to a sign-in page (anonymous visitors)
    302      redirected somewhere else (e.g. to the page that does the work)
    403      refused
    404      not found (an object outside the person's scope looks like no object at all)
    405      the URL only accepts POST, and the person got past the access check

Write an entry with `allow(...)`/`only(...)` helpers or a full dict. URL arguments come
from KWARGS (by argument name) built from the fixture world (tests/security/world.py),
or from the entry's own "kwargs" function when a name is ambiguous (pk, page_id…).
"""

ROLES = ["anonymous", "officer", "trainer", "organizer", "judge", "other_manager", "manager",
         "admin"]
SIGNED_IN = ROLES[1:]


def outcomes(default, **per_role):
    """Return {role: outcome}: `default` for every signed-in role, 'login' for anonymous."""
    table = {role: default for role in SIGNED_IN}
    table["anonymous"] = "login"
    table.update(per_role)
    return table


def allow(ok, *roles, others=403, anonymous="login"):
    """`ok` for `roles` (and admin), `others` for everyone else signed in."""
    table = {role: (ok if role in roles or role == "admin" else others) for role in SIGNED_IN}
    table["anonymous"] = anonymous
    return table


# URL arguments by name, from the world. An entry may override with its own "kwargs".
KWARGS = {
    "attempt_id": lambda w: w.attempt.pk,
    "exam_id": lambda w: w.exam.pk,
    "job_id": lambda w: w.job.pk,
    "unit_id": lambda w: w.unit.pk,
    "officer_id": lambda w: w.officer.pk,
    "contest_id": lambda w: w.contest.pk,
    "event_id": lambda w: w.contest_event.pk,
    "submission_id": lambda w: w.submission.pk,
    "mark_id": lambda w: w.mark.pk,
    "team_id": lambda w: w.team.pk,
    "question_id": lambda w: w.questions[0].pk,
    "award_id": lambda w: w.award.pk,
    "entry_id": lambda w: w.notebook_entry.pk,
    "answer_id": lambda w: w.practice_answer.pk,
    "item_id": lambda w: w.item.pk,
    "version_id": lambda w: w.version_id,
    "category_id": lambda w: w.category.pk,
    "request_id": lambda w: w.issue_request.pk,
    "requirement_id": lambda w: w.requirement.pk,
    "report_id": lambda w: w.report.pk,
    "month": lambda w: w.month,
    "code": lambda w: w.entry.blind_code,
    "fmt": lambda w: "png",
    "name": lambda w: "participation",
    "token": lambda w: w.certificate.token,
    "queue_index": lambda w: 0,
    "scheduler_index": lambda w: 0,
    "connection_index": lambda w: 0,
}

# URL arguments for routes whose argument names are ambiguous (pk, page_id, token…).
ROUTE_KWARGS = {
    "cases_library:add_annotation": lambda w: {"page_id": w.case.pk},
    "cases_library:delete_annotation": lambda w: {"pk": w.annotation.pk},
    "certificates:detail": lambda w: {"pk": w.certificate.pk},
    "certificates:change_status": lambda w: {"pk": w.certificate.pk},
    "certificates:verify": lambda w: {"token": w.certificate.token},
    "competitions:invite": lambda w: {"token": w.contest.invitation_token},
    "competitions:guest": lambda w: {"token": "not-a-valid-token"},
    "competitions:award_verify": lambda w: {"token": w.award.certificate_token},
    "competitions:best_organisation_verify": lambda w: {"token": "not-a-valid-token"},
    "content:article": lambda w: {"pk": w.article.pk},
    "content:reading_beat": lambda w: {"page_id": w.lessons[0].pk},
    "content:complete_lesson": lambda w: {"page_id": w.lessons[0].pk},
    "content:self_check": lambda w: {"page_id": w.lessons[0].pk,
                                     "question_id": w.questions[0].pk},
    "content:event_attendance": lambda w: {"page_id": w.event.pk},
    "content:attendance_template": lambda w: {"page_id": w.event.pk},
    "content:attendance_import": lambda w: {"page_id": w.event.pk},
    "content:benchmark_export": lambda w: {"page_id": w.benchmark.pk},
    "content:benchmark_import": lambda w: {"page_id": w.benchmark.pk},
    "exams:export": lambda w: {"fmt": "xlsx"},
    "django_rq:home_json": lambda w: {},
    "exams:preview": lambda w: {"pk": w.questions[0].pk},
    "django_rq:job_detail": lambda w: {"queue_index": 0, "job_id": "no-such-job"},
    "django_rq:result_detail": lambda w: {"queue_index": 0, "job_id": "no-such-job",
                                          "result_id": "1"},
    "django_rq:delete_job": lambda w: {"queue_index": 0, "job_id": "no-such-job"},
    "django_rq:requeue_job": lambda w: {"queue_index": 0, "job_id": "no-such-job"},
    "django_rq:enqueue_job": lambda w: {"queue_index": 0, "job_id": "no-such-job"},
    "django_rq:stop_job": lambda w: {"queue_index": 0, "job_id": "no-such-job"},
    "django_rq:worker_details": lambda w: {"queue_index": 0, "key": "no-such-worker"},
    "django_rq:cron_scheduler_detail": lambda w: {"connection_index": 0, "scheduler_name": "x"},
    "django_rq:cron_job_detail": lambda w: {"connection_index": 0, "scheduler_name": "x",
                                            "cron_job_name": "x"},
}

# Form data for POST-only routes whose access check needs it.
ROUTE_DATA = {
    "people:roster_export": lambda w: {"unit": w.unit.pk},
    "certificates:roster_export": lambda w: {"unit": w.unit.pk},
    "certificates:batch_pdf": lambda w: {"unit": w.unit.pk},
}

# GET (or, for POST-only views, POST with ROUTE_DATA) by each role. Read an entry as: the
# first value for every signed-in role, then the exceptions; anonymous visitors are sent
# to sign in unless the entry says otherwise. Objects in the world belong to the officer
# (east-1) and the east manager's units; the "other_manager" manages west.
EXPECTED = {
    'admin:index': outcomes(403, admin=302),
    'admin:logout': outcomes('login'),
    'admin:password_change': outcomes(302, anonymous=302),
    'cases_library:add_annotation': outcomes(403, trainer=302, admin=302),
    'cases_library:delete_annotation': outcomes(404, officer=403, trainer=302),
    'cases_library:index': outcomes(200),
    'certificates:approvals': outcomes(403, organizer=200, admin=200),
    'certificates:batch_pdf': outcomes(403, organizer=302, manager=302, admin=302),
    'certificates:change_status': outcomes(403, organizer=400, admin=400),
    'certificates:decide': outcomes(403, organizer=302, admin=302),
    'certificates:detail': outcomes(403, organizer=200, other_manager=404, manager=200, admin=200),
    'certificates:import': outcomes(200, officer=403, trainer=403, judge=403),
    'certificates:import_confirm': outcomes(403, organizer=404, other_manager=404, manager=404, admin=302),
    'certificates:import_template': outcomes(200, officer=403, trainer=403, judge=403),
    'certificates:mine': outcomes(200),
    'certificates:mine_pdf': outcomes(404, officer=302),
    'certificates:renew': outcomes(302),
    'certificates:roster': outcomes(200, officer=403, trainer=403, judge=403),
    'certificates:roster_export': outcomes(403, organizer=302, manager=302, admin=302),
    'certificates:verify': outcomes(200, anonymous=200),
    'competitions:award_certificate': outcomes(404),
    # No best organisation is chosen in the world: nobody gets a certificate or a page.
    'competitions:best_organisation_certificate': outcomes(404),
    'competitions:best_organisation_verify': outcomes(404, anonymous=404),
    # GET only redirects to the entries page (withdrawing is a POST); a team is the east
    # unit's, so the west manager does not find it.
    'competitions:entry_withdraw': outcomes(302, officer=404, trainer=404, judge=404),
    'competitions:entry_reinstate': outcomes(302, officer=404, trainer=404, judge=404,
                                             manager=404, other_manager=404),
    'competitions:team_withdraw': outcomes(302, officer=404, trainer=404, judge=404,
                                           other_manager=404),
    # The organizer's page (a form only while withdrawals are allowed); nobody else's.
    'competitions:team_replace': outcomes(404, organizer=200, admin=200),
    'competitions:award_override': outcomes(403, organizer=200, admin=200),
    'competitions:award_verify': outcomes(404, anonymous=404),
    'competitions:clear_flag': outcomes(404, organizer=302, admin=302),
    'competitions:consistency': outcomes(404, organizer=200, admin=200),
    'competitions:contest': outcomes(200, officer=404, trainer=404, judge=404),
    'competitions:contest_move': outcomes(404),
    'competitions:entries': outcomes(200, officer=404, trainer=404, judge=404),
    'competitions:entries_export': outcomes(404, organizer=200, admin=200),
    'competitions:entry_decide': outcomes(404, organizer=302, admin=302),
    'competitions:event_marks': outcomes(404, organizer=200, admin=200),
    'competitions:event_release': outcomes(404, organizer=302, admin=302),
    'competitions:guest': outcomes(404, anonymous=404),
    'competitions:index': outcomes(200),
    'competitions:invite': outcomes(404, anonymous=404),
    'competitions:judge_event': outcomes(404, judge=200),
    'competitions:judge_events': outcomes(200),
    'competitions:judge_file': outcomes(404, judge=200),
    'competitions:judge_mark': outcomes(404, judge=200),
    'competitions:judge_sheet': outcomes(404, judge=302),
    'competitions:judge_sheet_confirm': outcomes(404, officer=302, admin=302),
    'competitions:judge_sheet_import': outcomes(404, judge=200),
    'competitions:mark_unlock': outcomes(404, organizer=302, admin=302),
    'competitions:my_submission': outcomes(404, officer=200),
    'competitions:register': outcomes(302, officer=403, trainer=403, judge=403),
    'competitions:register_team': outcomes(302, officer=403, trainer=403, judge=403),
    'competitions:results': outcomes(404, organizer=200, admin=200),
    'competitions:results_best_organisation': outcomes(403, organizer=302, admin=302),
    'competitions:results_certificates': outcomes(403, organizer=302, admin=302),
    'competitions:results_compute': outcomes(403, organizer=302, admin=302),
    'competitions:results_distribution': outcomes(404, organizer=200, admin=200),
    'competitions:results_event': outcomes(404, organizer=200, admin=200),
    'competitions:results_export': outcomes(403, organizer=302, admin=302),
    'competitions:results_publish': outcomes(403, organizer=302, admin=302),
    'competitions:results_withdraw': outcomes(403, organizer=302, admin=302),
    'competitions:trend_export': outcomes(404),
    'competitions:trend_officer': outcomes(200, trainer=404, judge=404, other_manager=404),
    'competitions:trend_officer_chart': outcomes(200, trainer=404, judge=404, other_manager=404),
    'competitions:trend_series': outcomes(404, officer=403, trainer=403, judge=403),
    'competitions:trend_series_chart': outcomes(404, officer=403, trainer=403, judge=403),
    'competitions:trend_unit': outcomes(404, organizer=200, manager=200, admin=200),
    'competitions:trend_unit_chart': outcomes(404, organizer=200, manager=200, admin=200),
    'competitions:trends': outcomes(200),
    'content:article': outcomes(200),
    'content:attendance_import': outcomes(403, trainer=302, admin=302),
    'content:attendance_import_confirm': outcomes(403, trainer=404, admin=302),
    'content:attendance_template': outcomes(403, trainer=200, admin=200),
    'content:benchmark_export': outcomes(200),
    'content:benchmark_import': outcomes(403, trainer=200, admin=200),
    'content:benchmark_import_confirm': outcomes(403, trainer=404, admin=302),
    'content:benchmark_template': outcomes(403, trainer=200, admin=200),
    'content:cite': outcomes(404),
    'content:complete_lesson': outcomes(302),
    'content:self_check': outcomes(302),  # GET goes back to the page; answers are POSTed
    'content:event_attendance': outcomes(403, trainer=200, admin=200),
    'content:law_import': outcomes(403, trainer=200, admin=200),
    'content:my_study': outcomes(200),
    'content:reading_beat': outcomes(200),
    'content:search': outcomes(200),
    'dashboard': outcomes(200),
    'exams:attempt': outcomes(404, officer=302),
    'exams:attempt_begin': outcomes(404, officer=409),
    'exams:attempt_event': outcomes(404),
    'exams:attempt_result': outcomes(404, officer=200),
    'exams:attempt_save': outcomes(400),
    'exams:attempt_submit': outcomes(404, officer=302),
    'exams:exam_start': outcomes(404, officer=200, manager=200),
    'exams:export': outcomes(403, trainer=200, organizer=200, admin=200),
    'exams:import': outcomes(403, trainer=200, organizer=200, admin=200),
    'exams:import_confirm': outcomes(403, trainer=404, organizer=404, admin=302),
    'exams:marking': outcomes(403, trainer=200, organizer=200, admin=200),
    'exams:marking_change': outcomes(403, trainer=302, organizer=302, admin=302),
    'exams:marking_exam': outcomes(403, trainer=200, organizer=200, admin=200),
    'exams:marking_item': outcomes(403, trainer=200, organizer=200, admin=200),
    'exams:marking_next': outcomes(403, trainer=302, organizer=302, admin=302),
    'exams:marking_remark': outcomes(403, organizer=200, admin=200),
    'exams:mock_start': outcomes(404),
    'exams:my_exams': outcomes(200),
    'exams:notebook': outcomes(200),
    'exams:notebook_entry': outcomes(404, officer=200),
    'exams:notebook_practice': outcomes(200),
    'exams:practice': outcomes(200),
    'exams:practice_answer': outcomes(302),
    'exams:practice_category': outcomes(200),
    'exams:practice_feedback': outcomes(404, officer=200),
    'exams:preview': outcomes(403, trainer=200, organizer=200, admin=200),
    'exams:results': outcomes(200, officer=403, trainer=403, judge=403),
    'exams:results_absent': outcomes(200, officer=403, trainer=403, judge=403),
    'exams:results_chart': outcomes(200, officer=403, trainer=403, judge=403),
    'exams:results_exam': outcomes(200, officer=403, trainer=403, judge=403),
    'exams:results_export': outcomes(302, officer=403, trainer=403, judge=403),
    'exams:results_items': outcomes(200, officer=403, trainer=403, judge=403),
    'exams:results_monitor': outcomes(200, officer=403, trainer=403, judge=403),
    'exams:results_monitor_data': outcomes(200, officer=403, trainer=403, judge=403),
    'exams:template': outcomes(403, trainer=200, organizer=200, admin=200),
    'health_web': outcomes(200, anonymous=200),
    'home:managers': outcomes(403, other_manager=302, manager=302, admin=302),
    'home:managers_annual': outcomes(403, other_manager=404, manager=200, admin=200),
    'home:managers_chart': outcomes(403, other_manager=404, manager=200, admin=200),
    'home:managers_coverage_gaps': outcomes(403, other_manager=404, manager=200, admin=200),
    'home:managers_export': outcomes(403, other_manager=404, manager=302, admin=302),
    'home:managers_non_participants': outcomes(403, other_manager=404, manager=200, admin=200),
    'home:managers_officer_file': outcomes(403, other_manager=404, manager=200, admin=200),
    'home:managers_officer_file_export': outcomes(403, other_manager=404, manager=302, admin=302),
    'home:managers_officers': outcomes(403, other_manager=404, manager=200, admin=200),
    'home:managers_report_download': outcomes(403, other_manager=404, manager=200, admin=200),
    'home:managers_reports': outcomes(403, other_manager=200, manager=200, admin=200),
    'home:managers_unit': outcomes(403, other_manager=404, manager=200, admin=200),
    'jobs:detail': outcomes(404, officer=200, admin=200),
    'jobs:download': outcomes(404),
    'jobs:list': outcomes(200),
    'jobs:status': outcomes(404, officer=200, admin=200),
    'login': outcomes(302, anonymous=200),
    'logout': outcomes('login'),
    'password_change': outcomes(200),
    'password_change_done': outcomes(200),
    'people:officer_list': outcomes(403, other_manager=200, manager=200, admin=200),
    'people:roster_export': outcomes(403, manager=302, admin=302),
    'people:roster_import': outcomes(403, other_manager=200, manager=200, admin=200),
    'people:roster_import_confirm': outcomes(403, other_manager=404, manager=404, admin=302),
    'people:roster_template': outcomes(403, other_manager=200, manager=200, admin=200),
    # Load-balancer health checks: public; 503 while no worker has reported (as here).
    'health': outcomes({200, 503}, anonymous={200, 503}),
    'health_web': outcomes(200, anonymous=200),
}
