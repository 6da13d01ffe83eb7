"""공지사항: one notice board component for every menu that needs one.

A board is a configuration (`NoticeBoard`: key, name, owner department, optional 동).
`mount_notice_board(bp, ...)` adds its pages to a menu blueprint: 주민참여예산 and
협치관악 mount one each at /<menu>/notices, and every 동 page of 주민자치회 has its own
at /autonomy/dongs/<slug>/notices. Pinned notices come first, attachments go through
the shared upload store, and views are counted with one atomic UPDATE.
"""
