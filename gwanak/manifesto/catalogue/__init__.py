"""Import and export of the whole pledge catalogue, as JSON and as CSV.

JSON is the catalogue nested as it reads (areas → goals → groups → pledges); CSV is the
same catalogue flattened for the district's spreadsheet, one record a row, its kind in
the `record` column (area, goal, group, pledge, indicator, figure, budget, milestone).

Both go the same way: parse → `clean` (every row checked, every problem reported with
where it is) → `apply_catalogue` in one transaction. A file with any problem changes
nothing. Import updates records by code and replaces each imported pledge's (and
group's) indicators, budget and milestones with the file's; pledges keep their ids, so
their history and comments survive an import.

The modules follow those steps: file_format (columns, record kinds, problems), parsing,
checking, applying (and import_catalogue, the three in a row) and exporting.
"""

from gwanak.manifesto.catalogue.applying import apply_catalogue, import_catalogue
from gwanak.manifesto.catalogue.checking import clean
from gwanak.manifesto.catalogue.exporting import export_catalogue, to_csv, to_json
from gwanak.manifesto.catalogue.file_format import (
    CSV_COLUMNS,
    FORMAT,
    RECORDS,
    CatalogueError,
    ImportProblem,
    ImportReport,
)
from gwanak.manifesto.catalogue.parsing import parse_csv, parse_json

__all__ = [
    "CSV_COLUMNS",
    "FORMAT",
    "RECORDS",
    "CatalogueError",
    "ImportProblem",
    "ImportReport",
    "apply_catalogue",
    "clean",
    "export_catalogue",
    "import_catalogue",
    "parse_csv",
    "parse_json",
    "to_csv",
    "to_json",
]
