"""Surveys: requests planned at a cohort's phases with their invitation and one reminder; a member answers
their own, once; facilitators see response rates only."""
