"""공지사항 as a feature: its rules, who may fetch its attachments, and a feed per board
with the boards' notices in the sitemap and 통합 검색. Its pages are mounted by the
menus that have a board (budget, governance, autonomy)."""

from gwanak.core.features import Feature, UploadRule
from gwanak.notices import operations, outward

FEATURE = Feature(
    name="notices",
    settings=operations.SETTINGS,
    upload_rules=(UploadRule("notices.files", operations.notice_file_is_public),),
    feeds=outward.FEEDS,
    sitemap=(outward.notice_sitemap,),
    search=(outward.SEARCH,),
)
