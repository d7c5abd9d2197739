"""Research use of members' answers: consent (`consent_status`, `decide`)."""
