"""Hostile input for the sweep in tests/test_hostile_input.py.

Every payload carries the marker `x7q` where it would run if it were executed, so a
page can be searched for the marker in an event handler, a script, a javascript:/data:
address or a tag the payload brought — and `49x7q` is what a template that evaluated
`{{7*7}}x7q` would show.
"""

from __future__ import annotations

MARK = "x7q"

MARKUP = [
    "<script>x7q()</script>",
    "<SCRIPT SRC=//evil.example/x7q.js></SCRIPT>",
    "<img src=x onerror=x7q()>",
    '<img src="x" onerror="x7q()">',
    "<IMG SRC=JaVaScRiPt:x7q()>",
    "<svg onload=x7q()>",
    "<svg><script>x7q()</script></svg>",
    '<svg><a xlink:href="javascript:x7q()"><text>x</text></a></svg>',
    "<body onload=x7q()>",
    '<iframe src="javascript:x7q()"></iframe>',
    '<iframe srcdoc="<script>x7q()</script>"></iframe>',
    "<details open ontoggle=x7q()>",
    '<a href="javascript:x7q()">클릭</a>',
    '<a href="jav&#x09;ascript:x7q()">클릭</a>',
    '<a href=" javascript:x7q()">클릭</a>',
    '<a href="data:text/html,<script>x7q()</script>">클릭</a>',
    '<form action="javascript:x7q()"><button>보내기</button></form>',
    '<input autofocus onfocus="x7q()">',
    '<video><source onerror="x7q()"></video>',
    '<object data="javascript:x7q()"></object>',
    '<embed src="javascript:x7q()">',
    "<math><mtext><table><mglyph><style><img src=x onerror=x7q()>",
    '"><script>x7q()</script>',
    "'><img src=x onerror=x7q()>",
    '" onmouseover="x7q()" x="',
    "' onmouseover='x7q()' x='",
    "</textarea><script>x7q()</script>",
    "</title><script>x7q()</script>",
    "</style><script>x7q()</script>",
    "<!--<script>x7q()</script>-->",
    "<![CDATA[<script>x7q()</script>]]>",
    '<div style="background:url(javascript:x7q())">',
    '<meta http-equiv="refresh" content="0;url=javascript:x7q()">',
    '<base href="javascript:x7q()//">',
    '<link rel="stylesheet" href="javascript:x7q()">',
    '<div hx-get="/x7q" hx-trigger="load">',
    '<div data-hx-get="/x7q" data-hx-trigger="load">',
    '<button hx-post="/auth/logout" hx-trigger="load">x7q</button>',
    "<template><script>x7q()</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=x7q()>">',
    '<a href="vbscript:x7q()">클릭</a>',
    "<scr<script>ipt>x7q()</scr</script>ipt>",
    "&lt;script&gt;x7q()&lt;/script&gt;",
    "%3Cscript%3Ex7q()%3C/script%3E",
    "\\u003cscript\\u003ex7q()\\u003c/script\\u003e",
]
MARKDOWN = [
    "[클릭](javascript:x7q())",
    "[클릭](JAVASCRIPT:x7q())",
    "[클릭](data:text/html;base64,PHNjcmlwdD54N3EoKTwvc2NyaXB0Pg==)",
    "![x](javascript:x7q())",
    "![x](/uploads/%2e%2e/auth/account) x7q",
    '[클릭](https://evil.example "onmouseover=x7q()")',
    "<https://evil.example/x7q>",
    "[a]: javascript:x7q()\n\n[클릭][a]",
    "```html\n<script>x7q()</script>\n```",
    "**<img src=x onerror=x7q()>**",
    "> <script>x7q()</script>",
    "| a | b |\n|---|---|\n| <script>x7q()</script> | 2 |",
    "[<img src=x onerror=x7q()>](https://example.com)",
    "<a href='#' onclick='x7q()'>링크</a>",
]
TEMPLATE = [
    "{{7*7}}x7q",
    "{{ config }}x7q",
    "{% for x in range(3) %}x7q{% endfor %}",
    "${7*7}x7q",
    "#{7*7}x7q",
    "<%= 7*7 %>x7q",
    "{{ self.__init__.__globals__ }}x7q",
    "{{''.__class__.__mro__}}x7q",
]
UNICODE = [
    "사진\u202egnp.exe x7q",
    "\u202ex7q\u202c 오른쪽에서 왼쪽",
    "\u2066x7q\u2069 격리",
    "제\u200b안\u200c x7q\u200d",
    "\ufeffx7q 바이트 순서 표시",
    "x7q\u00ad 부드러운 하이픈",
    "ｘ７ｑ 전각 ＜script＞",
    "\uff1cscript\uff1ex7q()\uff1c/script\uff1e",
    "x7q" + "\u0301" * 30,
    "𝕩𝟕𝕢 수학 글꼴",
    "😀👨‍👩‍👧 x7q 이모지",
    "\U0001f4a9" * 20 + "x7q",
    "Ａ＠ｅｘａｍｐｌｅ．ｃｏｍ x7q",
    "010-1234-5678 연락 x7q",
    "900101-1234567 x7q",
    "kim [at] naver [dot] com x7q",
]
CSV = [
    '=HYPERLINK("http://evil.example/x7q","보기")',
    "+cmd|' /C calc'!A0 x7q",
    "-2+3 x7q",
    "@SUM(1+1)*cmd|' /C calc'!A0 x7q",
    "\t=x7q()",
    "\r=x7q()",
    '＝HYPERLINK("x7q")',
    "  =1+1 x7q",
    "=cmd|'/c calc'!A1",
    '","=x7q()',
]
CONTROL = [
    "x7q\x00널 문자",
    "x7q\x1b[31m 터미널 색",
    "x7q\x07\x08\x0b\x0c",
    "x7q\x7f 삭제",
    "x7q\x85 다음 줄",
    "제목\r\nBcc: evil@example.com x7q",
    "줄\nx7q\n바꿈",
    "x7q\u2028줄\u2029구분",
]
SIZE = [
    "가" * 100 + "x7q",
    "가" * 101 + "x7q",
    "x7q" + "a" * 1000,
    "x7q" + "나" * 5001,
    "x7q" + "<" * 2000,
    "",
    " ",
    "x7q" + "\n" * 500,
]
NUMBERS = [
    "0",
    "-1",
    "1e309",
    "NaN",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999",
    "1.5",
    "0x10",
    "１２３",
    "٣",
]
PATHS = [
    "../../etc/passwd x7q",
    "..\\..\\windows\\win.ini x7q",
    "%00x7q",
    "x7q%0d%0aSet-Cookie:a=b",
    "/\\evil.example/x7q",
    "//evil.example/x7q",
    "https://evil.example/x7q",
]

ALL = MARKUP + MARKDOWN + TEMPLATE + UNICODE + CSV + CONTROL + SIZE + NUMBERS + PATHS
TEXT = [p for p in ALL if p not in NUMBERS]
