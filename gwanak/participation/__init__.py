"""The participation engine: one set of parts every menu uses.

- A **Discussion** is a comment thread attached to any subject (a proposal, an agenda
  of 관악구가 묻습니다!, a pledge…). It counts comments and distinct commenters exactly
  and, when distinct commenters reach the subject's mayor-answer threshold, enters the
  mayor's queue. To attach one to a new kind of subject:

      from gwanak.participation.subjects import register_subject, SubjectType
      register_subject(SubjectType("agenda", title=..., url=..., closed_reason=...))
      discussion = open_discussion("agenda", rules="asks", owner_department="기획예산과")

  and render `participation/_comments.html` with `comments_context(discussion)`.
- A **board** is a configuration (gwanak/participation/boards.py): name, owner department,
  the menu it lives in, categories, and thresholds that are admin settings
  (`board.<slug>.review_gonggam`, `….mayor_commenters`, …). `register_board_views`
  mounts its pages under /<menu>/proposals.
- **Operations** (operations.py) own every state change, its transaction, the timeline
  entry, the audit entry and the mail. Routes only parse, check and call them.
"""
