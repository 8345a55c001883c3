"""The workshop folder: workshop.yml (config), rosters, per-team access links, team ids.

The package's face re-exports what callers use most: `Folder` (one object owns every path
of a folder), `load`/`parse`/`write_config` for workshop.yml and its model.
"""

from playbook.workshop.config import (
    WORKSHOP_FILE,
    Branding,
    Folder,
    Team,
    Workshop,
    load,
    parse,
    write_config,
)

__all__ = ["WORKSHOP_FILE", "Branding", "Folder", "Team", "Workshop", "load", "parse", "write_config"]
