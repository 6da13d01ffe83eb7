"""공지사항 as a feature: its rules and who may fetch its attachments. Its pages are
mounted by the menus that have a board (budget, governance, autonomy)."""

from gwanak.core.features import Feature, UploadRule
from gwanak.notices import operations

FEATURE = Feature(
    name="notices",
    settings=operations.SETTINGS,
    upload_rules=(UploadRule("notices.files", operations.notice_file_is_public),),
)
