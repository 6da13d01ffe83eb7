"""주민참여예산: participatory budgeting (see gwanak/data/menus.json)."""
