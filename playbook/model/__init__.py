"""The exercise model, the engine's bottom layer (it imports nothing above it).

`fields` (field types and what a valid answer is), `conditions`, `rubric`, `metrics`,
`rules`, `report` (the parts of a definition), `exercise` (the whole), `checks/` (the
cross-checks, one module per concern), `concealment` (what participants may not read yet),
`loading` (files to models), `i18n` (translations). `exercises` gathers the models and the
loading functions for callers.
"""
