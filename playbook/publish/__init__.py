"""Everything the kit writes for people to read: reports, handouts, the facilitator guide,
charts, the index page and PDFs."""
