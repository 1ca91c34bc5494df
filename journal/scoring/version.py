"""The scorer version: stored with every score so history can be re-scored when it changes."""

#: Bump whenever any score or measure would change for the same landmarks.
#: tests/test_scorer_version.py holds golden numbers for this version and fails if they drift.
SCORER_VERSION = "tonus-scorer/4"
