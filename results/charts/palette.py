"""The colours of LevelCheck's charts and reports, in one place."""

DEPARTMENT_COLOUR = "#0f5c73"
ORGANISATION_COLOUR = "#d08a2e"
PREVIOUS_COLOUR = "#8a94a3"
