"""Workflow Builder steps: what a workspace's workflows ask of Circles, with their inputs already checked.

Slack does not say who built or ran the workflow, so nothing here can check that person: who may use the
steps is set in Slack's permissions for the app's workflow steps. Every rule a person meets on their own
(`/circles join`, `/circles checkin`) still holds.
"""
