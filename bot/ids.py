"""Every action_id, block_id and callback_id the app uses, in one place."""

# App Home
HOME_HELP_BLOCK = "home_help"
HOME_COHORTS_BLOCK = "home_cohorts"
HOME_FACILITATES_BLOCK = "home_facilitates"

# Help
HELP_MEMBER_BLOCK = "help_member"
HELP_FACILITATOR_BLOCK = "help_facilitator"

# Home tab buttons (handled by the profile and directory listeners)
HOME_ACTIONS_BLOCK = "home_actions"
HOME_EDIT_PROFILE = "home_edit_profile"
HOME_OPEN_DIRECTORY = "home_open_directory"
HOME_CONFIGURE_COHORT = "home_configure_cohort"  # value: the cohort slug
HOME_RUNS_PAGE_BLOCK = "home_runs_page"  # ":<first>|<last>": the slugs of the cohorts its page shows
HOME_RUNS_PAGE = "home_runs_page"  # buttons ":prev" and ":next"; value: the page of "Cohorts you run"

# Joining
JOIN_ROLE_BLOCK = "join_role"
JOIN_AS_ROLE = "join_as_role"  # value: "<slug>:<role>"

# Leaving
LEAVE_ERASE = "leave_erase"  # value: the cohort slug

# Cohort configuration modal
COHORT_CONFIG_VIEW = "cohort_config"  # private_metadata: see bot.views.cohort_config.opened_with
COHORT_FREE_TEXT_HINT = "free_text_hint"  # the hint under every free-text input of the cohort's forms
COHORT_WELLBEING_RESOURCES = "wellbeing_resources"  # where to turn when it cannot wait
COHORT_QUIET_HOURS = "cohort_quiet_hours"  # checkboxes: evenings, nights, weekends
COHORT_BLACKOUT_DATES = "cohort_blackout_dates"  # one "YYYY-MM-DD..YYYY-MM-DD" per line
COHORT_CONFIG_NOTE = "cohort_config_note"  # the section saying what a saved change will do
COHORT_SURVEYS = "cohort_surveys"  # one multi-select per phase: "cohort_surveys:<phase>"
COHORT_RESEARCH_STATEMENT = "cohort_research_statement"  # what members consent to

# Profile modal and directory (bot/listeners/actions/profiles.py, directory.py)
PROFILE_VIEW = "profile_edit"
DIRECTORY_REQUEST = "directory_request"  # value: "<slug>:<coach user id>"
DIRECTORY_SEE_ALL = "directory_see_all"  # value: "<topic>:<page>", opens every coach and mentor, paged
DIRECTORY_PAGE = "directory_page"  # directory_page:previous / :next; value: "<topic>:<page>"
DIRECTORY_VIEW = "directory_list"
REQUEST_ACCEPT = "coach_request_accept"  # value: the request id
REQUEST_DECLINE = "coach_request_decline"  # value: the request id
REQUEST_WITHDRAW = "coach_request_withdraw"  # value: the cohort's slug; the learner withdraws their own
REQUEST_WITHDRAW_BLOCK = "coach_request_withdraw_block"

# Profile modal inputs (block_ids; every input's action_id is PROFILE_INPUT) and the directory
PROFILE_NOTE_BLOCK = "profile_note"
PROFILE_INTERESTS = "profile_interests"
PROFILE_SKILLS = "profile_skills"
PROFILE_ASPIRATIONS = "profile_aspirations"
PROFILE_DEPARTMENT = "profile_department"
PROFILE_SENIORITY = "profile_seniority"
PROFILE_AVAILABILITY = "profile_availability"
PROFILE_OFFERS = "profile_offers"
PROFILE_CAPACITY = "profile_capacity"
INPUT = "value"  # the action_id of every form input; forms are read with bot.views.form_values
PROFILE_INPUT = INPUT
PROFILE_CARD_BLOCK = "profile_card"
DIRECTORY_INTRO_BLOCK = "directory_intro"
DIRECTORY_MORE_BLOCK = "directory_more"
DIRECTORY_PAGES_BLOCK = "directory_pages"  # ":<first>|<last>": the people its page shows, "<user id>:<slug>"
REQUEST_ANSWER_BLOCK = "coach_request_answer"
PROFILE_AVOID = "profile_avoid"  # the private "never match me with" list

# Matching
MATCH_CONFIRM = "match_confirm"  # value: the match run id
MATCH_PREVIEW_BLOCK = "match_preview"
MATCH_CONFLICT_OPEN = "match_conflict_open"  # value: the cohort slug
MATCH_CONFLICT_VIEW = "match_conflict"  # private_metadata: the cohort slug
MATCH_CONFLICT_ONE = "match_conflict_one"
MATCH_CONFLICT_OTHER = "match_conflict_other"
MATCH_CONFLICT_KIND = "match_conflict_kind"
MATCH_CONFLICT_INPUT = INPUT
# An ended pair kept apart, on a preview: one block per pair, "match_kept_apart:<n>", with its button
MATCH_KEPT_APART_BLOCK = "match_kept_apart"
# value: "<slug>:<member id>:<member id>[:<re-matched user id>]#<partnership id of the ending shown>"
MATCH_ALLOW_AGAIN = "match_allow_again"
MATCH_SEE_ALL = "match_see_all"  # value: the match run id; opens the whole round in a modal
MATCH_LIST_VIEW = "match_list"  # the whole round, read-only; private_metadata: the match run id
MATCH_LIST_PAGE = "match_list_page"  # match_list_page:previous / :next; value: "<run id>:<page>"
MATCH_LIST_PAGES_BLOCK = "match_list_pages"

# A partner's own partnership: pause, resume, end (value: the partnership id)
PARTNERSHIP_BLOCK = "partnership_actions"
PARTNERSHIP_PAUSE = "partnership_pause"
PARTNERSHIP_RESUME = "partnership_resume"
PARTNERSHIP_END_OPEN = "partnership_end_open"
PARTNERSHIP_END_VIEW = "partnership_end"  # private_metadata: the partnership id
PARTNERSHIP_END_REASON = "partnership_end_reason"
PARTNERSHIP_END_INPUT = INPUT
REMATCH_OFFER = "rematch_offer"  # value: "<cohort slug>:<user id>", on a facilitator's ending report
REMATCH_OFFER_BLOCK = "rematch_offer"

# Every partner of a person in one cohort, when status or Home shows only the first few
RELATIONSHIPS_MORE_BLOCK = "relationships_more"  # one per cohort: "relationships_more:<slug>"
RELATIONSHIPS_MORE = "relationships_more"  # value: the cohort slug; opens the list of all partners
RELATIONSHIPS_VIEW = "relationships"  # private_metadata: the cohort slug
RELATIONSHIPS_PAGE = "relationships_page"  # relationships_page:previous / :next; value: "<slug>:<page>"
RELATIONSHIPS_PAGES_BLOCK = "relationships_pages"  # ":<first>|<last>": the partnership ids its page shows

# Coaches' daily digest
NUDGE_BLOCK = "nudge_actions"
NUDGE_MUTE = "nudge_mute"  # value: "<member id>:<weeks>"
DIGEST_MORE_BLOCK = "digest_more"
DIGEST_MORE = "digest_more"  # opens everything the person's digest would hold now
DIGEST_LIST_VIEW = "digest_list"
DIGEST_DAYS_OPEN = "digest_days_open"  # opens the form choosing the days digests may come
DIGEST_DAYS_VIEW = "digest_days"
DIGEST_DAYS_BLOCK = "digest_days"
DIGEST_DAYS_INPUT = INPUT

# Check-ins (bot/listeners/actions/checkins.py, views/checkins.py)
CHECKIN_RATE_BLOCK = "checkin_quick_rating"
CHECKIN_RATE = "checkin_rate"  # buttons checkin_rate_1 … checkin_rate_5; value: "<check-in id>:<rating>"
CHECKIN_MORE_BLOCK = "checkin_more"
CHECKIN_OPEN = "checkin_open"  # value: the check-in id; opens the full form
CHECKIN_OPEN_SUPPORT = "checkin_open_support"  # value: the check-in id; the form with support ticked
CHECKIN_DONE_BLOCK = "checkin_done"
CHECKIN_CHOOSE_BLOCK = "checkin_choose"  # block_id: "checkin_choose_<partnership id>"
# value: the partnership id; in the choice, for a pair with no check-in waiting: opens one, then its form
CHECKIN_START = "checkin_start"
CHECKIN_VIEW = "checkin_form"  # private_metadata: see bot.views.checkin_form.FormOrigin
CHECKIN_RATING = "checkin_rating"  # the form's blocks; every input's action_id is CHECKIN_INPUT
CHECKIN_MET = "checkin_met"
CHECKIN_NOTE = "checkin_note"
CHECKIN_SHARE = "checkin_share"
CHECKIN_SUPPORT = "checkin_support"
CHECKIN_INPUT = INPUT

# Workflow Builder steps: each callback_id is a function's key in manifest.yml (`functions:`)
STEP_ADD_TO_COHORT = "add_to_cohort"
STEP_ASK_FOR_CHECKIN = "ask_for_checkin"
STEP_MESSAGE_FACILITATORS = "message_facilitators"
WORKFLOW_NOTE_BLOCK = "workflow_note"

# Support (`/circles support`) and the support form
SUPPORT_REQUEST_BLOCK = "support_request"
# value: "" (the cohort is chosen in the form), "c:<cohort slug>" or "p:<partnership id>"
SUPPORT_OPEN = "support_open"
SUPPORT_VIEW = "support_form"  # private_metadata: the SUPPORT_OPEN value it was opened with
SUPPORT_COHORT = "support_cohort"  # the form's blocks; every input's action_id is SUPPORT_INPUT
SUPPORT_PARTNERSHIP = "support_partnership"
SUPPORT_MESSAGE = "support_message"
SUPPORT_INPUT = INPUT
SUPPORT_SENT_BLOCK = "support_sent"

# The answer to a message typed in the app's DM
DIRECT_ANSWER_BLOCK = "direct_answer"
DIRECT_ANSWER_ACTIONS = "direct_answer_actions"
# Escalations: a facilitator's private alert about one partnership (value: the escalation id)
ESCALATION_BLOCK = "escalation_actions"
ESCALATION_STATUS_BLOCK = "escalation_status"
ESCALATION_NOTES_BLOCK = "escalation_notes"
ESCALATION_CLAIM = "escalation_claim"
ESCALATION_SNOOZE = "escalation_snooze"  # a static select; each option's value: "<escalation id>:<days>"
ESCALATION_RESOLVE_OPEN = "escalation_resolve_open"
ESCALATION_PAUSE = "escalation_pause"
ESCALATION_REMATCH = "escalation_rematch"
ESCALATION_END = "escalation_end"
ESCALATION_RESOLVE_VIEW = "escalation_resolve"  # private_metadata: the escalation id
ESCALATION_OUTCOME = "escalation_outcome"
ESCALATION_COMMENT = "escalation_comment"
ESCALATION_INPUT = INPUT

# Health board (/circles health) and its summary on the home tab
HEALTH_SUMMARY_BLOCK = "health_summary"
HEALTH_SURVEYS_BLOCK = "health_surveys"  # response rates of the cohort's surveys
HEALTH_MORE_BLOCK = "health_more"
HEALTH_SEE_ALL = "health_see_all"  # value: the cohort slug; opens every partnership in a modal
HEALTH_LIST_VIEW = "health_list"  # every partnership, read-only
HEALTH_LIST_PAGE = "health_list_page"  # health_list_page:previous / :next; value: "<slug>:<page>"
HEALTH_LIST_PAGES_BLOCK = "health_list_pages"  # ":<first>|<last>*<shown>": partnership ids, pairs shown
HOME_HEALTH_BLOCK = "home_health"  # one per cohort: "home_health:<slug>"

# Reports (/circles report): the summary sent to the facilitator's DM
REPORT_SUMMARY_BLOCK = "report_summary"

# Availability: away and back, working hours and quiet hours (Home and its forms)
HOME_AVAILABILITY_BLOCK = "home_availability"
HOME_AVAILABILITY_ACTIONS = "home_availability_actions"
HOME_AWAY_OPEN = "home_away_open"  # opens the away form
HOME_BACK = "home_back"
HOME_HOURS_OPEN = "home_hours_open"  # opens the working hours form
AWAY_VIEW = "away_form"
AWAY_WEEKS = "away_weeks"  # the forms' blocks; every input's action_id is INPUT
AWAY_UNTIL = "away_until"
HOURS_VIEW = "hours_form"
HOURS_PATTERN = "hours_pattern"
HOURS_ROTA_PATTERN = "hours_rota_pattern"
HOURS_ROTA_OFF = "hours_rota_off"
HOURS_ROTA_FROM = "hours_rota_from"
HOURS_ROTA_UNTIL = "hours_rota_until"
HOURS_QUIET = "hours_quiet"

# Research consent (/circles consent): one message per cohort; the buttons' value is the cohort slug
CONSENT_BLOCK = "consent"  # one per cohort: "consent:<slug>"
CONSENT_GIVE = "consent_give"
CONSENT_WITHDRAW = "consent_withdraw"

# Research export: a button under the report's summary in the facilitator's DM; its value is the cohort slug
RESEARCH_EXPORT_BLOCK = "research_export_actions"
RESEARCH_EXPORT = "research_export"

# Surveys (bot/views/surveys.py): the DM's button, the form and its inputs
SURVEY_INVITE_BLOCK = "survey_invite"
SURVEY_OPEN = "survey_open"  # value: the survey request id; opens its form
SURVEY_DONE_BLOCK = "survey_done"
SURVEY_VIEW = "survey_form"  # private_metadata: see bot.views.surveys.SurveyOrigin
SURVEY_ITEM = "survey_item:"  # block_id prefix of each question's input, then the item id
SURVEY_RESEARCH = "survey_research:"  # block_id prefix of a free-text answer's research checkbox
SURVEY_INPUT = INPUT
