"""The exercise model: field types, exercise definitions and their checks, translations, and
what participant texts may not reveal. The bottom layer: imports nothing above it."""
