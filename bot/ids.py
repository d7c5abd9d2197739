"""Every action_id, block_id and callback_id the app uses, in one place."""

# App Home
HOME_HELP_BLOCK = "home_help"
HOME_COHORTS_BLOCK = "home_cohorts"
HOME_FACILITATES_BLOCK = "home_facilitates"

# Help
HELP_MEMBER_BLOCK = "help_member"
HELP_FACILITATOR_BLOCK = "help_facilitator"
