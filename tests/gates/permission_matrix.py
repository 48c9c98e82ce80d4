"""The permission matrix: every URL pattern of the project, and the status each
role gets for GET and for POST.

A test walks the URL resolver and fails on any pattern without a row here, so
a new page cannot ship without saying who may open it. Each row is then checked
against live requests with real records (see test_permission_matrix.py).

Columns, in order: anonymous, staff, coordinator, admin, liaison.
``OTHER`` lists rows whose record belongs to the user who created it: the
status a second user of the same role gets (GET, POST).
A POST carries no form data: a form view answers 200 with its errors and
changes nothing.
"""

ROLES = ("anonymous", "staff", "coordinator", "admin", "liaison")

# url name (or route for unnamed patterns): (GET statuses, POST statuses)
MATRIX: dict[str, tuple[str, str]] = {
    # --- Project -----------------------------------------------------------------
    "home": ("302 200 200 200 200", "405 405 405 405 405"),
    "healthz": ("200 200 200 200 200", "405 405 405 405 405"),
    "favicon.ico": ("301 301 301 301 301", "301 301 301 301 301"),
    # Installable app (issue 18): public, like the favicon; neither is an HTML page.
    "manifest": ("200 200 200 200 200", "405 405 405 405 405"),
    "service_worker": ("200 200 200 200 200", "405 405 405 405 405"),
    # --- Accounts ----------------------------------------------------------------
    "login": ("200 302 302 302 302", "200 302 302 302 302"),
    "logout": ("405 405 405 405 405", "302 302 302 302 302"),
    "password_change": ("302 200 200 200 200", "302 200 200 200 200"),
    "password_change_done": ("302 200 200 200 200", "302 405 405 405 405"),
    "password_reset": ("200 200 200 200 200", "200 200 200 200 200"),
    "password_reset_done": ("200 200 200 200 200", "405 405 405 405 405"),
    "password_reset_confirm": ("302 302 302 302 302", "302 302 302 302 302"),
    "password_reset_complete": ("200 200 200 200 200", "405 405 405 405 405"),
    # --- Equity dashboard (issue 14) ---------------------------------------------------
    # Aggregates of every logged engagement: staff, coordinators and admins read them; GET only.
    "equity:dashboard": ("302 200 200 200 403", "302 405 405 405 403"),
    "equity:dashboard_csv": ("302 200 200 200 403", "302 405 405 405 403"),
    # --- Census baseline and equity settings (issue 14) ----------------------------------
    # A post with no file (or no values) is shown back with its errors (422); a
    # confirmation with nothing previewed goes back to the upload page.
    "equity:baseline": ("302 403 403 200 403", "302 403 403 422 403"),
    "equity:baseline_confirm": ("302 403 403 405 403", "302 403 403 302 403"),
    "equity:settings": ("302 403 403 200 403", "302 403 403 422 403"),
    # --- Equity impact assessments (issue 14) --------------------------------------------
    # Staff read them; coordinators and admins write, review and publish; liaisons see none.
    # The world's commitment has no assessment (a form); the assessed one's create address
    # leads to its assessment. A form posted empty is shown again; an empty step is a 422.
    "equity:assessment_list": ("302 200 200 200 403", "302 200 200 200 403"),
    "equity:assessment_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "equity:assessment_detail": ("302 200 200 200 403", "302 200 200 200 403"),
    "equity:assessment_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "equity:assessment_status": ("302 403 405 405 403", "302 403 422 422 403"),
    # --- Boards and commissions, and the fellows pipeline (issue 17) --------------------
    # Everyone but liaisons reads boards and cohorts; coordinators and admins describe boards
    # and open vacancies; a cohort is changed by its coordinators and by admins. A form page
    # posted empty is shown again (200); a form that only takes posts answers an empty one
    # with its errors (422); the fellow's edit and new-application addresses only take posts
    # (a GET goes back to the fellow's page).
    "boards:board_list": ("302 200 200 200 403", "302 405 405 405 403"),
    "boards:board_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "boards:board_detail": ("302 200 200 200 403", "302 405 405 405 403"),
    "boards:board_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "boards:seats_add": ("302 403 405 405 403", "302 403 422 422 403"),
    "boards:vacancy_create": ("302 403 200 200 403", "302 403 422 422 403"),
    "boards:vacancy_cancel": ("302 403 405 405 403", "302 403 302 302 403"),
    "boards:cohort_list": ("302 200 200 200 403", "302 405 405 405 403"),
    "boards:cohort_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "boards:cohort_detail": ("302 200 200 200 403", "302 405 405 405 403"),
    "boards:cohort_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "boards:cohort_pipeline": ("302 200 200 200 403", "302 405 405 405 403"),
    "boards:fellow_add": ("302 403 200 200 403", "302 403 200 200 403"),
    "boards:fellow_detail": ("302 200 200 200 403", "302 405 405 405 403"),
    "boards:fellow_edit": ("302 403 302 302 403", "302 403 302 302 403"),
    "boards:application_create": ("302 403 302 302 403", "302 403 422 422 403"),
    "boards:application_move": ("302 403 200 200 403", "302 403 200 200 403"),
    # --- User management and security log (admins) ---------------------------------
    "stakeholders:user_list": ("302 403 403 200 403", "405 405 405 405 405"),
    "stakeholders:user_create": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:user_edit": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:security_log": ("302 403 403 200 403", "405 405 405 405 405"),
    # --- Language and profile (issue 19) ---------------------------------------------
    # Everyone sets their own language; the switch on every page (public ones too) takes a
    # POST naming a language: none named is a 400 that changes nothing.
    "stakeholders:profile": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:language_set": ("405 405 405 405 405", "400 400 400 400 400"),
    # Personal API tokens: a user's own, made and revoked on the profile page (POST only).
    "stakeholders:api_token_create": ("302 405 405 405 405", "302 200 200 200 200"),
    "stakeholders:api_token_revoke": ("302 405 405 405 405", "302 404 404 404 404"),
    # --- Two-step sign-in (issue 18) --------------------------------------------------
    # The world's admin has an authenticator app and a session that passed the second step;
    # the other roles have not set it up. The step itself (code, recovery code) redirects
    # whoever owes nothing; anyone may set it up; codes and turning it off need an app.
    # An admin who has not passed the step gets 302 to it on every other page (an admin
    # without an app: to setting it up), see tests/stakeholders/test_two_step_views.py.
    "stakeholders:mfa_verify": ("302 302 302 302 302", "302 302 302 302 302"),
    "stakeholders:mfa_recovery": ("302 302 302 302 302", "302 302 302 302 302"),
    "stakeholders:mfa_enrol": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:mfa_codes": ("302 302 302 200 302", "302 302 302 200 302"),
    "stakeholders:mfa_remove": ("302 302 302 200 302", "302 302 302 200 302"),
    "stakeholders:user_mfa_reset": ("405 405 405 405 405", "302 403 403 302 403"),
    # --- People and organizations (issue 3) -----------------------------------------
    "stakeholders:person_list": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:person_export": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:person_create": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:person_quick_add": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:person_search": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:person_detail": ("302 200 200 200 404", "302 200 200 200 404"),
    "stakeholders:person_edit": ("302 200 200 200 404", "302 200 200 200 404"),
    "stakeholders:person_demographics": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:person_merge": ("302 403 403 200 403", "302 403 403 200 403"),
    # Consent (issue 16): whoever may edit the person records it; a post without a source is a 422.
    "stakeholders:person_consent": ("302 200 200 200 404", "302 422 422 422 404"),
    # Erasure (issue 16), admins only. A post without a reason is a 422 and erases nothing; the
    # world's erasure request was asked for by the admin, who may not approve it (back to the list).
    "stakeholders:person_erase": ("302 403 403 200 403", "302 403 403 422 403"),
    "stakeholders:erasure_request_list": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:erasure_detail": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:erasure_request_approve": ("302 403 403 405 403", "302 403 403 302 403"),
    "stakeholders:affiliation_add": ("302 200 200 200 404", "302 200 200 200 404"),
    "stakeholders:affiliation_end": ("302 405 405 405 405", "302 302 302 302 404"),
    "stakeholders:organization_list": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_export": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_create": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_detail": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_edit": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:organization_member_add": ("302 200 200 200 403", "302 200 200 200 403"),
    "stakeholders:neighborhood_list": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:neighborhood_create": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:neighborhood_edit": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:import_upload": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:import_template": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:import_preview": ("302 403 403 302 403", "302 403 403 302 403"),
    # --- Government structure and relationships (issue 3) ------------------------------
    "stakeholders:department_list": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:department_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:department_detail": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:department_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:department_csv": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:position_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:position_detail": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:position_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:position_change": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:election_list": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:election_csv": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:election_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:election_detail": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:election_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:person_positions_panel": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:relationship_list": ("302 200 200 200 200", "302 200 200 200 200"),
    "stakeholders:relationship_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:relationship_detail": ("302 200 200 200 404", "302 200 200 200 404"),
    "stakeholders:relationship_edit": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:relationship_end": ("302 403 200 200 403", "302 403 200 200 403"),
    "stakeholders:person_relationships_panel": ("302 200 200 200 200", "302 200 200 200 200"),
    # Who could reach a person: like the person page, 404 for a liaison who does not work with them.
    "stakeholders:person_messengers_panel": ("302 200 200 200 404", "302 200 200 200 404"),
    # --- Engagements (issue 4) ------------------------------------------------------
    # Staff, coordinators and admins see every logged engagement; a liaison only those
    # they facilitated or logged (the world's engagement is neither: 404). Anyone who
    # may log edits their own; coordinators and admins edit all and publish.
    "engagements:list": ("302 200 200 200 200", "302 200 200 200 200"),
    "engagements:log": ("302 200 200 200 200", "302 200 200 200 200"),
    "engagements:quick_log_row": ("302 200 200 200 200", "302 405 405 405 405"),
    "engagements:attendee_search": ("302 200 200 200 200", "302 405 405 405 405"),
    "engagements:attendee_quick_add": ("302 405 405 405 405", "302 200 200 200 200"),
    "engagements:attendee_chip": ("302 200 200 200 200", "302 405 405 405 405"),
    "engagements:drafts": ("302 200 200 200 200", "302 200 200 200 200"),
    # A draft is seen only by whoever started it (staff), not even by admins.
    "engagements:resume": ("302 200 404 404 404", "302 200 404 404 404"),
    "engagements:calendar": ("302 200 200 200 200", "302 200 200 200 200"),
    "engagements:calendar_feed": ("302 200 200 200 200", "302 200 200 200 200"),
    "engagements:calendar_feed_revoke": ("302 405 405 405 405", "302 302 302 302 302"),
    # The secret feed address is the credential: it serves its owner's engagements only.
    "engagements:ical_feed": ("200 200 200 200 200", "200 200 200 200 200"),
    "engagements:detail": ("302 200 200 200 404", "302 200 200 200 404"),
    "engagements:edit": ("302 200 200 200 404", "302 200 200 200 404"),
    "engagements:ics": ("302 200 200 200 404", "302 200 200 200 404"),
    "engagements:publish": ("302 403 405 405 403", "302 403 302 302 403"),
    "engagements:unpublish": ("302 403 405 405 403", "302 403 302 302 403"),
    "engagements:public_summary": ("302 403 405 405 403", "302 403 302 302 403"),
    # "You said, we did" is public once published (the world's engagement is);
    # test_record_access.py shows an unpublished one answers 404.
    "engagements:public": ("200 200 200 200 200", "200 200 200 200 200"),
    "engagements:commitment_create": ("302 403 200 200 403", "302 403 200 200 403"),
    "engagements:commitments": ("302 200 200 200 200", "302 200 200 200 200"),
    "engagements:commitment_detail": ("302 200 200 200 404", "302 200 200 200 404"),
    "engagements:commitment_status": ("302 403 405 405 403", "302 403 422 422 403"),
    "engagements:commitment_loop_back": ("302 403 405 405 403", "302 403 422 422 403"),
    # Panels on a person's or organization's page: 404 when the viewer may not see
    # that person or organization (a liaison does not work with the world's).
    "engagements:person_panel": ("302 200 200 200 404", "302 200 200 200 404"),
    "engagements:organization_panel": ("302 200 200 200 404", "302 200 200 200 404"),
    # --- Follow-ups and reminders (issue 6) ---------------------------------------------
    # Everyone has their own inbox; the world's follow-up is staff's: others get 404.
    "engagements:followup_list": ("302 200 200 200 200", "302 200 200 200 200"),
    "engagements:followup_count": ("302 200 200 200 200", "302 200 200 200 200"),
    "engagements:followup_done": ("302 405 405 405 405", "302 302 404 404 404"),
    "engagements:followup_dismiss": ("302 405 405 405 405", "302 302 404 404 404"),
    "engagements:followup_snooze": ("302 405 405 405 405", "302 302 404 404 404"),
    "engagements:followup_create": ("302 200 200 200 404", "302 200 200 200 404"),
    "engagements:digest_preference": ("302 405 405 405 405", "302 302 302 302 302"),
    "engagements:handover": ("302 403 403 200 403", "302 403 403 200 403"),
    "engagements:reminder_settings": ("302 403 403 200 403", "302 403 403 200 403"),
    # Retention (issue 16): admins only; an empty post is refused with its errors (422).
    "engagements:retention": ("302 403 403 200 403", "302 403 403 422 403"),
    # --- Coalitions and the ally map (issue 5) ----------------------------------------------
    # Staff and admins see every coalition; a coordinator those they coordinate (the
    # world's is users["coordinator"]'s); a liaison those they are a member of (not
    # this one: 404). Only its coordinators and admins change it (staff: 403).
    "coalition:list": ("302 200 200 200 200", "302 200 200 200 200"),
    "coalition:create": ("302 403 200 200 403", "302 403 200 200 403"),
    "coalition:risk_settings": ("302 403 403 200 403", "302 403 403 200 403"),
    "coalition:organization_panel": ("302 200 200 200 404", "302 200 200 200 404"),
    "coalition:person_panel": ("302 200 200 200 404", "302 200 200 200 404"),
    "coalition:detail": ("302 200 200 200 404", "302 200 200 200 404"),
    "coalition:edit": ("302 403 200 200 404", "302 403 200 200 404"),
    "coalition:members": ("302 200 200 200 404", "302 200 200 200 404"),
    "coalition:membership_add": ("302 403 200 200 404", "302 403 200 200 404"),
    "coalition:membership_end": ("302 405 405 405 405", "302 403 302 302 404"),
    "coalition:resource_add": ("302 403 200 200 404", "302 403 200 200 404"),
    "coalition:goals": ("302 200 200 200 404", "302 403 200 200 404"),
    "coalition:goal_detail": ("302 200 200 200 404", "302 403 200 200 404"),
    "coalition:working_groups": ("302 200 200 200 404", "302 403 200 200 404"),
    "coalition:agreements": ("302 200 200 200 404", "302 403 200 200 404"),
    "coalition:agreement_document": ("302 200 200 200 404", "302 200 200 200 404"),
    "coalition:ally_map": ("302 200 200 200 404", "302 200 200 200 404"),
    "coalition:ally_graph_json": ("302 200 200 200 404", "302 200 200 200 404"),
    "coalition:ally_network": ("302 200 200 200 404", "302 200 200 200 404"),
    "coalition:ally_add": ("302 403 200 200 404", "302 403 200 200 404"),
    "coalition:ally_detail": ("302 200 200 200 404", "302 403 200 200 404"),
    # --- Liaison stipends (issue 7) ---------------------------------------------------------
    # Admins only; staff and coordinators get 403 on every stipend page. A liaison
    # reaches their own statement (my_stipend redirects to it) and gets 404 on another
    # liaison's statement, agreement and payment, 403 on the admin pages.
    "stakeholders:funding_source_list": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:my_stipend": ("302 403 403 302 302", "302 403 403 302 302"),
    "stakeholders:funding_source_create": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:funding_source_detail": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:funding_source_edit": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:liaison_list": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:liaison_create": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:liaison_detail": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:liaison_edit": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:statement": ("302 403 403 200 404", "302 403 403 200 404"),
    "stakeholders:agreement_list": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:agreement_create": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:agreement_detail": ("302 403 403 200 404", "302 403 403 200 404"),
    "stakeholders:agreement_edit": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:agreement_sign_off": ("405 405 405 405 405", "302 403 403 302 403"),
    "stakeholders:agreement_activate": ("405 405 405 405 405", "302 403 403 302 403"),
    "stakeholders:agreement_end": ("405 405 405 405 405", "302 403 403 302 403"),
    "stakeholders:payment_list": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:payment_export": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:payment_create": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:payment_detail": ("302 403 403 200 404", "302 403 403 200 404"),
    "stakeholders:payment_edit": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:payment_submit": ("405 405 405 405 405", "302 403 403 302 403"),
    # The submitted payment was created by others["admin"], so users["admin"] may approve it.
    "stakeholders:payment_approve": ("405 405 405 405 405", "302 403 403 302 403"),
    "stakeholders:payment_reject": ("405 405 405 405 405", "302 403 403 302 403"),
    "stakeholders:payment_mark_paid": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:payment_void": ("302 403 403 200 403", "302 403 403 200 403"),
    "stakeholders:approval_queue": ("302 403 403 200 403", "302 403 403 200 403"),
    # Engagements paid for by a stipend payment / facilitated by a liaison (panels on stipend pages).
    "engagements:payment_engagements_panel": ("302 403 403 200 404", "302 403 403 302 404"),
    "engagements:liaison_engagements_panel": ("302 403 403 200 404", "302 403 403 200 404"),
    # --- REST API (issue 15) --------------------------------------------------------------
    # Sessions as on the pages (the test client's session counts as a browser's). Anonymous
    # callers get 401 (with WWW-Authenticate: Bearer). An empty POST is a 400 with field
    # errors for those who may create, a 403 for those who may not; a detail address takes
    # no POST (405, checked before the record). Tokens are in tests/api/: a liaison's token
    # sees what the liaison sees.
    "api:api-root": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:schema": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:docs": ("401 200 200 200 200", "401 405 405 405 405"),
    # people and organizations
    "api:person-list": ("401 200 200 200 200", "401 400 400 400 403"),
    "api:person-detail": ("401 200 200 200 404", "401 405 405 405 405"),
    "api:organization-list": ("401 200 200 200 403", "401 400 400 400 403"),
    "api:organization-detail": ("401 200 200 200 403", "401 405 405 405 405"),
    # government structure and relationships
    # The structure is read-only here (changes stay on the pages, where a turnover is one step).
    "api:department-list": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:department-detail": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:position-list": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:position-detail": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:tenure-list": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:tenure-detail": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:election-list": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:election-detail": ("401 200 200 200 200", "401 405 405 405 405"),
    # Relationships as on their pages: a liaison sees only their own (not the world's: 404);
    # coordinators and admins add, change and end them (an empty body: 400).
    "api:relationship-list": ("401 200 200 200 200", "401 403 400 400 403"),
    "api:relationship-detail": ("401 200 200 200 404", "401 405 405 405 405"),
    "api:relationship-end": ("401 405 405 405 405", "401 403 400 400 403"),
    # stipend payments
    # Admins only (read-only): everyone else 403, a liaison too (their statement stays a page).
    "api:stipend-payment-list": ("401 403 403 200 403", "401 405 405 405 405"),
    "api:stipend-payment-detail": ("401 403 403 200 403", "401 405 405 405 405"),
    # coalition
    # Coordinators (the coalitions they coordinate) and admins only; staff and liaisons get
    # 403 before the method is looked at. Stances are added and changed by those who manage.
    "api:coalition-list": ("401 403 200 200 403", "401 403 405 405 403"),
    "api:coalition-detail": ("401 403 200 200 403", "401 403 405 405 403"),
    "api:coalition-stances": ("401 403 200 200 403", "401 403 400 400 403"),
    "api:coalition-stance-detail": ("401 403 200 200 403", "401 403 405 405 403"),
    # engagements, commitments, follow-ups
    # The world's engagement (and its commitment) is staff's and no liaison's: the liaison
    # gets 404. Everyone who may log one gets 400 for an empty POST (no title or start).
    "api:engagement-list": ("401 200 200 200 200", "401 400 400 400 400"),
    "api:engagement-detail": ("401 200 200 200 404", "401 405 405 405 405"),
    "api:commitment-list": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:commitment-detail": ("401 200 200 200 404", "401 405 405 405 405"),
    # Changing a status is for coordinators and admins (403 before the record is looked up).
    "api:commitment-status": ("401 405 405 405 405", "401 403 400 400 403"),
    # Follow-ups are the caller's own: this one is the admin's, 404 for everyone else.
    "api:followup-list": ("401 200 200 200 200", "401 405 405 405 405"),
    "api:followup-detail": ("401 404 404 200 404", "401 405 405 405 405"),
    "api:followup-status": ("401 405 405 405 405", "401 404 404 400 404"),
}

# Rows owned by their creator: status for a second user of the owner's role (GET, POST).
OTHER: dict[str, tuple[str, int, int]] = {
    # Staff edit the people and organizations they created, not a colleague's.
    "stakeholders:person_edit": ("staff", 403, 403),
    "stakeholders:affiliation_add": ("staff", 403, 403),
    "stakeholders:affiliation_end": ("staff", 405, 403),
    "stakeholders:organization_edit": ("staff", 403, 403),
    "stakeholders:organization_member_add": ("staff", 403, 403),
    # Staff edit the engagements they logged; a colleague's draft is not even visible.
    "engagements:edit": ("staff", 403, 403),
    "engagements:resume": ("staff", 404, 404),
    # A follow-up is its user's alone.
    "engagements:followup_done": ("staff", 405, 404),
    "engagements:followup_dismiss": ("staff", 405, 404),
    "engagements:followup_snooze": ("staff", 405, 404),
    "api:followup-detail": ("admin", 404, 405),
    "api:followup-status": ("admin", 405, 404),
    # A coordinator who does not coordinate the cohort reads it but changes nothing in it.
    "boards:cohort_edit": ("coordinator", 403, 403),
    "boards:fellow_add": ("coordinator", 403, 403),
    "boards:fellow_edit": ("coordinator", 403, 403),
    "boards:application_create": ("coordinator", 403, 403),
    "boards:application_move": ("coordinator", 403, 403),
    # A coordinator who does not coordinate the coalition does not see it.
    "coalition:detail": ("coordinator", 404, 404),
    "coalition:edit": ("coordinator", 404, 404),
    "coalition:members": ("coordinator", 404, 404),
    "coalition:membership_add": ("coordinator", 404, 404),
    "coalition:membership_end": ("coordinator", 405, 404),
    "coalition:resource_add": ("coordinator", 404, 404),
    "coalition:goals": ("coordinator", 404, 404),
    "coalition:goal_detail": ("coordinator", 404, 404),
    "coalition:working_groups": ("coordinator", 404, 404),
    "coalition:agreements": ("coordinator", 404, 404),
    "coalition:agreement_document": ("coordinator", 404, 404),
    "coalition:ally_map": ("coordinator", 404, 404),
    "coalition:ally_graph_json": ("coordinator", 404, 404),
    "coalition:ally_network": ("coordinator", 404, 404),
    "coalition:ally_add": ("coordinator", 404, 404),
    "coalition:ally_detail": ("coordinator", 404, 404),
    # A liaison's statement is theirs: the world's is another liaison's (a second
    # liaison without a profile is the same outsider).
    "stakeholders:statement": ("liaison", 404, 404),
}

# Django's admin (the back office) has its own permission checks. For every one
# of its patterns: anyone who is not an admin is sent to its sign-in page
# (which is itself open to all, and signs in only staff accounts).
ADMIN_NAMESPACE_NON_ADMIN_STATUS = 302
ADMIN_OPEN_PAGES = {"admin:login", "admin:logout"}
