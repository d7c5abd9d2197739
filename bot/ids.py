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

# Joining
JOIN_ROLE_BLOCK = "join_role"
JOIN_AS_ROLE = "join_as_role"  # value: "<slug>:<role>"

# Leaving
LEAVE_ERASE = "leave_erase"  # value: the cohort slug

# Cohort configuration modal
COHORT_CONFIG_VIEW = "cohort_config"  # private_metadata: the cohort slug

# Profile modal and directory (bot/listeners/profiles)
PROFILE_VIEW = "profile_edit"
DIRECTORY_REQUEST = "directory_request"  # value: "<slug>:<coach user id>"
REQUEST_ACCEPT = "coach_request_accept"  # value: the request id
REQUEST_DECLINE = "coach_request_decline"  # value: the request id

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
PROFILE_INPUT = "value"
PROFILE_CARD_BLOCK = "profile_card"
DIRECTORY_INTRO_BLOCK = "directory_intro"
REQUEST_ANSWER_BLOCK = "coach_request_answer"
PROFILE_AVOID = "profile_avoid"  # the private "never match me with" list

# Matching
MATCH_CONFIRM = "match_confirm"  # value: the match run id
MATCH_PREVIEW_BLOCK = "match_preview"

# Health board (/circles health) and its summary on the home tab
HEALTH_SUMMARY_BLOCK = "health_summary"
HEALTH_MORE_BLOCK = "health_more"
HOME_HEALTH_BLOCK = "home_health"  # one per cohort: "home_health:<slug>"
