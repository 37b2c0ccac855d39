"""Pull the words of titles and captions out of a request before anything else reads it.

Quoted text ('Summer Sale', “夏日促销”, 「夏日特卖」) and unquoted text after a cue ("title: Black
Friday Deals", "a caption saying Shop now", "put Grand Opening as the title") keep their case and
are replaced by placeholder tokens (``qqa``, ``qqb``…), so the rest of the parser never mistakes
the words of a title for a request ("add a title 'Make it vertical'" adds a title).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .spans import DICTATED, request_nouns, style_only, trim
from .vocab import CORRECTION_ZH, alternation

#: Opening quote → its closing quote. Straight quotes close themselves.
_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "„": "“", "«": "»"}
_WORDISH = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")


def _is_apostrophe(text: str, i: int) -> bool:
    """``text[i]`` (' or ’) sits inside a word ("Mother's", "don’t"), so it is not a quote."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return bool(before and after and _WORDISH.match(before) and _WORDISH.match(after))


def _closing(text: str, open_at: int) -> int | None:
    """Index of the quote closing the one opened at ``open_at``, or None when it is never closed.

    Other kinds of quote inside are part of the words ('50% off "today"'); an apostrophe inside a
    word ("Mother's", or escaped as \\') does not close a single-quoted text.
    """
    opener = text[open_at]
    closer = _PAIRS[opener]
    i = open_at + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in ("'", '"', "’"):
            i += 2
            continue
        if char == closer:
            if closer in ("'", "’") and _is_apostrophe(text, i):
                i += 1
                continue
            return i
        i += 1
    return None


def quoted_spans(text: str) -> list[tuple[int, int, str]]:
    """Outermost quoted texts as (start, end, words), left to right; quotes nest inside others."""
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in _PAIRS and not (char in ("'", "’") and i > 0 and _WORDISH.match(text[i - 1])):
            end = _closing(text, i)
            if end is not None and end > i + 1:
                words = re.sub(r"\\(['\"’])", r"\1", text[i + 1: end])
                spans.append((i, end + 1, words))
                i = end + 1
                continue
        i += 1
    return spans


_KIND = (r"(?:title|caption|subtitle|heading|headline|tagline|text|banner|label|slogan|overlay|"
         r"words|call\s+to\s+action|(?:end\s+|ending\s+|closing\s+|outro\s+|final\s+)?(?:card|screen|slate))")
# An unquoted text runs to the end of its sentence here; ``spans.trim`` then applies the boundary rules
# (emoji, "and" + another request, a place, …).
# Every span is bounded (at most 160 characters) so a 100,000-character message is still read in linear time.
#: One character of unquoted words: not sentence punctuation, but a dot inside a word is ("06.14.2026",
#: "luckycatcoffee.com", "hello@bloom.co", "$19.99", "https://shop.example.com/sale").
_CH = r"(?:[^;.!?\n]|(?<=\S)\.(?=\w))"
_END = r"(?=\s*$|\s*(?:[;!?。；！？\n]|\.(?!\w))|,\s|(?<=[^;.!?\n]{160}))"
#: An end card's words go on past a comma unless a request follows it ("… saying 20% off, code SPRING20").
_END_CARD = r"(?=\s*$|\s*(?:[;!?。；！？\n]|\.(?!\w))|(?<=[^;.!?\n]{160}))"
_T = rf"(?P<t>{_CH}{{1,160}}?)"
#: (cue pattern with the words as group ``t``, "place" when the words must end at a place: "put X on it";
#: "zh" when they must not name something we edit: "最后3秒显示 关注我们").
_UNQUOTED_EN: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.I), "place" if place else "") for p, place in [
    (rf"\b{_KIND}\s*[:=]\s*{_T}{_END}", False),
    (rf"\b(?:card|screen|slate)\s+(?:that\s+|which\s+)?(?:says|reads|saying|reading)\s+{_T}{_END_CARD}", False),
    (rf"\b(?:(?:{_KIND})\s+(?:that\s+|which\s+)?(?:says|reads|saying|reading)|saying|that\s+says|which\s+says|reading|"
     rf"that\s+reads|with\s+the\s+words?)\s+{_T}{_END}", False),
    (rf"\b(?:titled|entitled|called|named|(?:call|name|title)\s+it)\s+(?P<title>){_T}{_END}", False),
    (rf"\b(?:add|put|set|use|make|write|show|display|place|insert|have)\s+(?P<t>(?:(?!\b(?:add|put|set|use|make|write|"
     rf"show|display|place|insert|have)\b)[^,;.!?\n]){{1,120}}?)\s+as\s+(?:the\s+|a\s+|an\s+|my\s+)?(?:big\s+|main\s+)?{_KIND}\b", False),
    (rf",\s*(?P<t>[^,;.!?\n]{{1,120}}?),?\s+as\s+(?:the\s+|a\s+|an\s+|my\s+|our\s+)?(?:big\s+|main\s+)?{_KIND}\b", False),
    (rf"\b(?:change|set|rename|update|switch|replace|edit|make)\s+(?:the\s+|my\s+)?{_KIND}"
     rf"(?:\s+text)?\s+(?:to|with|into|as|say|read)\s+{_T}{_END}", False),
    (rf"\b{_KIND}\s+(?:should\s+|would\s+|could\s+|to\s+)?(?:say|says|said|read|reads|be|is)\s+(?!(?:wrong|off|bad|incorrect|misspelled|hard|difficult|unreadable|illegible|tiny|small|big|huge|blurry|hidden|"
     rf"weird|ugly|too\s+\w+|not\s+\w+|broken|missing|fine|ok|okay|good|great|perfect|little|invisible|barely|so\s+\w+|"
     rf"really\s+\w+|a\s+bit\s+\w+|kinda\s+\w+)\b){_T}{_END}", False),
    (rf"\brename\s+(?:the\s+|my\s+)?{_KIND}\s+(?!to\b|as\b){_T}{_END}", False),
    (rf"\b(?:add|put|insert|include|place|create|write|show|display|overlay|slap|with|and)\s+"
     rf"(?:a\s+|an\s+|the\s+|some\s+|my\s+)?(?:big\s+|large\s+|small\s+|bold\s+|short\s+|main\s+|"
     rf"opening\s+|closing\s+|intro\s+|ending\s+)?{_KIND}\s+(?:of\s+)?"
     rf"(?!(?:at|on|over|during|from|in|for|to|that|which|saying|reading|with|and|qq[a-z]+|"
     rf"the|a|an|it|this|here|there|too|as|please|now|again|back|only|somewhere|between|"
     rf"throughout|near|across|after|before|until|under|below|above|beneath|each|every|per|describing|"
     rf"explaining|about|of|size|font|color|colour|style|bigger|smaller|larger|up|down|off|is|should|"
     rf"longer|shorter)\b){_T}{_END}", False),
    (rf"(?-i:\b(?:[Tt]itle|[Cc]aption|[Hh]eadline|[Hh]eading|[Tt]agline|[Bb]anner|[Ss]logan|[Tt]ext|[Oo]verlay)\s+(?P<t>[A-Z0-9]{_CH}{{0,160}}?)){_END}",
     False),
    (rf"\b(?:put|slap|stick|show|display|add|overlay)\s+{_T}{_END}", True),
    # "end with our website luckycat.com": the end card's words
    (rf"\b(?:end|finish|close|wrap\s+up)\s+(?:it\s+|the\s+video\s+)?(?:with|on)\s+(?:our|my|the|your)\s+(?:(?:instagram|insta|ig|tiktok|twitter)\s+)?(?:account|website|site|"
     rf"web\s+address|url|link|handle|phone\s+number|number|e-?mail|address|shop|store)\s*:?\s+{_T}{_END}", False),
    # "a card with our website, bloomandbrew.co", "our insta is @bloom": a web address or handle after its noun
    (r"\b(?:our|my|the|your)\s+(?:(?:instagram|insta|ig|tiktok|twitter)\s+)?(?:account|website|site|web\s+address|url|link|"
     r"handle|e-?mail|shop|store)\s*(?:is|at|on\s+it)?\s*[:,]?\s+(?P<t>(?:visit\s+|at\s+)?(?:@[\w.]+|[\w-]+(?:\.[\w-]+)+(?:/\S*)?|"
     r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+))(?=\s*$|[\s,;!?]|\.(?!\w))", False),
    # "last slide should say visit tacotruck.net"
    (rf"\b(?:last|final|closing|end(?:ing)?)\s+(?:slide|photo|pic|picture|frame|screen|shot)\s+(?:should\s+|could\s+|must\s+|can\s+)?"
     rf"(?:say|says|read|reads|show|shows)\s+{_T}{_END}", False),
    # "closing card with Only $19.99 this week"
    (rf"\bcard\s+with\s+(?:the\s+(?:text|words?)\s+)?(?!(?:the|a|an|our|my|your|its|logo|blur|blurred|white|black|"
     rf"no|some)\b){_T}{_END}", False),
    # Dictated: "caption free shipping on all orders full stop" (said punctuation marks the end of the words)
    (rf"\b{_KIND}\s+(?P<t>[a-z0-9][^;.!?\n]{{0,160}}?\s+{DICTATED.pattern})", False),
    (rf"\bwrite\s+(?:down\s+)?(?!(?:a|an|the|some|it|this|that)\b){_T}{_END}", False),
    (rf"\b{_KIND}\b[^:;.!?\n]{{0,30}}?:\s*{_T}{_END}", False),
    (rf"(?-i:\b(?:change|rename)\s+it\s+to\s+(?P<t>[A-Z]{_CH}{{0,160}}?)){_END}", False),
]]
_ZH_CUES = [
    # the end card first: "结尾加一个卡片写 扫码下单", "最后放个结束页：关注我们", "加个end card：Link in bio"
    re.compile(r"(?:卡片|片尾卡|结尾卡|结束卡|结束页|片尾页|尾页|end\s*card|card)[^，,。；;:：写]{0,8}?\s*[，,]?\s*(?:[:：]|写着|写上|写|显示|内容是|说)\s*"
               r"(?P<t>[^，,；;！!？?\n]{1,100}?)(?=$|[，,；;！!？?\n]|。(?!\w))", re.I),
    re.compile(r"(?:标题|字幕|文字|文案|标语|title|caption|text)(?:内容)?\s*(?:的话|呢|啊|嘛)?\s*(?:就|就是|可以|要|想)?\s*(?:[:：]|为|是|写着|写上|写|改成|改为|换成|叫做|叫)\s*"
               r"(?P<t>[^，,。；;！!？?\n]{1,100}?)(?=$|[，,。；;！!？?\n]|(?:在|放在|放到)|的标题|的字幕)", re.I),
    re.compile(r"(?:加上?|添加|写上?|放上?)(?P<t>[^，,。；;！!？?\s]{2,60}?)(?:这几个字|这句话)?(?:作为|当作|当)(?:标题|字幕|文字)"),
    re.compile(r"(?:加上?|添加|写上?|放上?|打上?|出现|显示)(?:(?:一个|个|一行|一句)?(?:标题|字幕|文字|文案|title|caption)|一行字|一句话|几个字)\s*[:：]?\s*(?P<t>[^，,。；;！!？?\n]{1,100})",
               re.I),
    re.compile(r"(?:写上|加一句|写一句|打上)\s*[:：]?\s*(?P<t>[^，,。；;！!？?\n]{2,100})"),
    re.compile(r"(?:标题|字幕|文案)\s*(?P<t>[A-Za-z][^，,。；;！!？?\n]{0,100})"),
    # "标题 妈妈生日快乐🎂 接着…": the words after a space, unless they say what to do with the title
    re.compile(r"(?:^|\s|加个|加上?|来个)(?:标题|字幕|文案)\s+(?![改换放移删去不别要用加调大小变位颜字居在也都的就先还再往放]|qq)"
               r"(?P<t>[\u4e00-\u9fff\d][^，,。；;！!？?\n]{0,100})"),
    # The end card's address: "片尾放我们的网址 www.abc.com", "结尾留个官网：shop.cn".
    re.compile(r"(?:片尾|结尾|最后)\S{0,4}?(?:我们|店铺|店)?的?(?:网址|网站|官网|链接|联系方式|微信号|抖音号|账号)\s*(?:是|[:：])?\s*"
               r"(?P<t>[^，,；;！!？?\s][^，,；;！!？?\n]{0,100}?)(?=$|[，,；;！!？?\n]|。(?!\w))"),
    # "视频叫 我们的十年", "名字就叫 小宝一周岁啦": the video's name is its title.
    re.compile(r"(?:视频|片子|短片|影片|名字|题目)\s*(?:就)?(?:叫做|叫|名为|取名为?)\s*(?P<t>[^，,。；;！!？?\n]{1,100})"),
    # Words said again after a correction: "标题改成 新品上市 哦不 新品到店" (resolve.corrections swaps them in).
    re.compile(r"qq[a-z]+\s*[,，]?\s*(?:" + alternation([*CORRECTION_ZH, "不是"]) + r")\s*[,，]?\s*(?:是|改成|换成|应该是)?\s*"
               r"(?!不|别|去掉|删|加|改|换|把|要|用|配|做|还是)(?P<t>[^\s，,。；;！!？?][^，,。；;！!？?\n]{0,99})"),
    # The words after a colon that ends the request: "字幕放在最后三秒：立即购买".
    re.compile(r"(?:标题|字幕|文字|文案|标语)[^：:，,。；;！!？?]{1,24}?[:：]\s*(?P<t>[^，,。；;！!？?\s]{1,100})\s*$"),
]
#: A text at a time or on a photo with no text noun ("最后3秒显示 关注我们", "在第二张照片上写 买一送一"): taken
#: only when the words name nothing we edit ("最后3秒加上音乐淡出" is no text).
_ZH_AT = re.compile(r"(?:(?:最后|前|开头|结尾)\s*[\d一两二三四五六七八九十.]+\s*秒钟?|(?:照片|图片|图|张)上|上面|上头|画面上|视频上|屏幕上)\s*(?:都)?"
                    r"(?:显示|放上?|出现|打上|加上?|写上?|写着)(?:个|一个|一句)?\s*(?P<t>[^，,。；;！!？?\n]{1,100})")
_UNQUOTED_ZH: list[tuple[re.Pattern[str], str]] = [*((p, "") for p in _ZH_CUES), (_ZH_AT, "zh")]
#: Words an unquoted "put X on it" text never starts with (then X is a photo, music, the title…).
_NOT_START = re.compile(r"^(?:the|a|an|it|them|this|that|these|those|my|our|all|every|each|some|photo|pic|music|"
                        r"qq[a-z]+|\d)\b", re.I)
# Values that are a place or a style, not words to show ("change the caption to the bottom").
_NOT_TEXT = re.compile(
    r"^\s*(?:the\s+|a\s+)?(?:top|bottom|center|centre|middle|start|end|beginning|ending|left|right|"
    r"lower\s+third|upper|lower|higher|font|size|color|colour|"
    r"one|it|that|this|fade|faster|slower|longer|shorter|\d+(?:\.\d+)?\s*(?:more\s+|less\s+|fewer\s+)?"
    r"(?:s|sec|secs|seconds?|%))"
    r"(?:\s+(?:one|please|instead|now|again|too|of\s+the\s+(?:screen|frame|video)))*\s*$", re.I)
#: Chinese words that are a request, not words to show ("最后3秒加上音乐淡出" is no text).
_ZH_REQUEST = re.compile(r"音乐|配乐|音量|转场|过渡|淡入|淡出|照片|图片|视频|标题|字幕|logo|卡片")
#: A colon said aloud after a text noun ("title colon Fall Collection period").
_SAID_COLON = re.compile(r"(?<=\w)\s+colon\b(?=\s+\w)", re.I)
_PLACEHOLDER = "qq{}"


def placeholder(index: int) -> str:
    """qqa, qqb, … (letters only, so number and typo handling leave it alone)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(97 + rem) + letters
    return _PLACEHOLDER.format(letters)


PLACEHOLDER_RE = re.compile(r"\bqq([a-z]+)\b")


def placeholder_index(token: str) -> int:
    index = 0
    for char in token[2:]:
        index = index * 26 + (ord(char) - 96)
    return index - 1


def extract_texts(text: str) -> tuple[str, list[str], list[int]]:
    """``text`` with quoted/cued screen words replaced by placeholders, those words in order, and which
    of them were not quoted (their boundary was guessed by ``spans.trim``)."""
    found: list[str] = []
    guessed: list[int] = []

    def keep(value: str, quoted: bool = False) -> str:
        # Quoted words keep their "!" and "?" ("Hurry!"); a sentence's own punctuation is not a title's.
        value = value.strip().strip(",.;:，。；：" if quoted else ",.;:!?，。；：！？").strip()
        if not value.strip("'\"“”‘’「」『』` "):  # "add a caption ''": no words given
            value = ""
        if not value:
            return " "
        found.append(value)
        if not quoted:
            guessed.append(len(found) - 1)
        return f" {placeholder(len(found) - 1)} "

    pieces: list[str] = []
    last = 0
    for start, end, words in quoted_spans(text):
        pieces.append(text[last:start])
        pieces.append(keep(words, quoted=True))
        last = end
    text = "".join(pieces) + text[last:]
    text = _SAID_COLON.sub(":", text) if re.search(_KIND, text, re.I) else text  # dictated "title colon Fall Sale"
    for pattern, place in [*_UNQUOTED_EN, *_UNQUOTED_ZH]:
        text = pattern.sub(lambda m, place=place: _replace(m, place, keep), text)
    return text, found, guessed


def _replace(m: re.Match[str], place: str, keep: Callable[[str], str]) -> str:
    """The cue match with its words (cut at their boundary) replaced by a placeholder."""
    value = m.group("t")
    words, why = trim(value, exact=m.string[: m.start("t")].rstrip().endswith((":", "：")))
    if (PLACEHOLDER_RE.search(words) or not words.strip() or _NOT_TEXT.match(words) or style_only(words)
            or (place == "zh" and _ZH_REQUEST.search(words))
            or (place == "place" and (why != "place" or _NOT_START.match(words) or _has_request(words)))):
        return m.group(0)
    start, end = m.span("t")
    at = value.find(words)
    whole, base = m.group(0), m.start()
    named = "title " if "title" in m.groupdict() else ""  # "call it Taco Tuesday": a title
    cue = re.sub(r"[，,]\s*((?:写着|写上|写|显示|说)\s*)$", r" \1", whole[: start - base])  # "卡片，写 欢迎光临": one request
    return cue + value[:at] + named + keep(words) + value[at + len(words):] + whole[end - base:]


def _has_request(words: str) -> bool:
    """Whether "put X on it" names something we edit (then X is not words to show)."""
    return any(w.lower() in request_nouns() for w in words.split())


#: Said before words already on screen, they ask for those words again ("add another 'Sale'").
_ADD_AGAIN = re.compile(r"\b(?:add|another|again|second|also|too|duplicate|copy)\b|加|再|另|复制")


def screen_words_as_roles(text: str, on_screen: list[tuple[str, str]]) -> str:
    """Words already on screen, named in a request, are that text ("remove Grand Opening", "make 'Sale' red",
    "change Grand Opening to Happy Birthday"): they become "the title" / "the caption", so no later stage
    reads them as new words to add. ``on_screen``: (words, role) of the draft's texts. Not when the request
    asks to add them again, not inside longer quoted words, and a single word only when quoted (unquoted, it
    may be an ordinary word of the request: "the coffee photo")."""
    if _ADD_AGAIN.search(text.lower()):
        return text
    for words, role in on_screen:
        plain = words.strip()
        single = " " not in plain and plain.isascii()
        if len(plain) < 2:
            continue
        for m in re.finditer(r"(['\"“‘「『]\s*)?" + re.escape(plain) + r"(\s*['\"”’」』])?", text, flags=re.I):
            quoted = bool(m.group(1) and m.group(2))
            inside = any(a <= m.start() and m.end() <= b and not quoted for a, b, _w in quoted_spans(text))
            edges = plain.isascii() and re.search(r"\w", text[m.start() - 1: m.start()] + text[m.end(): m.end() + 1])
            if inside or edges or (single and not quoted):
                continue
            text = text[: m.start()] + ("the caption" if role == "caption" else "the title") + text[m.end():]
            break
    return text
