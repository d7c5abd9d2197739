"""Workflow Builder steps: what a workspace's workflows ask of Circles, with their inputs already checked.

A workflow runs as the app's install in the workspace of its builder, who is a workspace admin or a
collaborator they chose; its inputs are trusted as an admin's. Every rule a person meets on their own
(`/circles join`, `/circles checkin`) still holds.
"""
