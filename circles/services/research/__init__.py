"""Research use of members' answers: consent (`consent_status`, `decide`), the export (`research_export`)."""
