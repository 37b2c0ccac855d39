"""The one vocabulary, English and Chinese: verbs, nouns, moods, platforms, transitions, motions,
units, fillers and ordinary words. Data only — every matcher of the pipeline and the typo repair are
built from these tables, so growing the vocabulary is a table edit (docs/agent.md, "Adding a request").

Entries are either plain words/phrases (lists, turned into patterns by ``alternation``) or, where the
wording needs it, regular expressions over lower-cased, number-normalised text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nemo_nb.style import COLORS as STYLE_COLORS


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex matching any of ``words`` (phrases: any spacing; English ones as whole words)."""
    en = sorted((w for w in words if w.isascii()), key=len, reverse=True)
    zh = sorted((w for w in words if not w.isascii()), key=len, reverse=True)
    parts = []
    if en:
        parts.append(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in en) + r")\b")
    if zh:
        parts.append("(?:" + "|".join(re.escape(w) for w in zh) + ")")
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


# --- verbs -----------------------------------------------------------------------------------------
#: Verb frames: the verbs that do one thing to whatever object they take. ONE list per frame — the
#: music, text, transition, fade and photo matchers all use these (docs/agent.md lists them).
VERBS: dict[str, tuple[list[str], list[str]]] = {
    # take something out: "lose the soundtrack", "kill the song", "把音乐关了"
    "remove": (["remove", "delete", "drop", "get rid of", "take out", "take off", "take away", "lose", "ditch",
                "kill", "cut", "skip", "exclude", "leave out", "erase", "hide", "clear", "disable", "turn off",
                "switch off", "scrap", "nix", "strip", "stop", "shut off", "del"],
               ["去掉", "删除", "删掉", "删了", "删去", "去了", "拿掉", "移除", "取消", "关掉", "关闭", "关了", "隐藏",
                "拿走", "撤掉", "去个", "去一下",
                "删一下", "去除", "删下", "剪掉", "撤了", "撤下"]),
    # "no music", "without transitions", "I don't want any text"
    "negate": (["no", "without", "don't want", "don't need", "don't use", "don't add", "don't put", "do not want",
                "do not need", "do not use", "don't include", "no more"],
               ["不要", "无", "没有", "不加", "不用", "别加", "别用", "别要"]),
    # put something back: "put the song back in", "音乐加回来"
    "restore": (["put back", "bring back", "add back", "re-add", "restore", "unmute", "reinstate"],
                ["加回来", "加回去", "放回来", "恢复", "取消静音", "重新加上"]),
    "mute": (["mute", "silence"], ["静音"]),
    "add": (["add", "insert", "include", "create", "write", "put", "place", "overlay", "slap", "stick", "throw in",
             "give it"],
            ["加上", "加个", "加一个", "添加", "写上", "加", "写", "放上", "配上"]),
    "swap": (["swap", "switch", "exchange", "trade", "interchange", "flip"], ["交换", "调换", "对调", "互换"]),
    "louder": (["louder", "raise", "increase", "boost", "pump up", "crank up", "crank", "more volume", "turn up",
                "bring up"],
               ["大声", "调大", "提高", "调高", "响一点", "大一点", "高一点", "大一倍", "开大", "大点", "大些", "响点"]),
    "quieter": (["lower", "reduce", "decrease", "soften", "dim", "quieter", "softer", "less loud", "not so loud",
                 "too loud", "turn down", "bring down", "tone down", "take down", "quieten", "quiet down"],
                ["小声", "调小", "降低", "调低", "轻一点", "小一点", "低一点", "太大声", "太吵", "弱一点", "太大", "关小", "小点", "小些",
                 "轻点", "低点"]),
}


#: Words between a Chinese object and its verb ("标题先不要了", "音乐也关掉", "bgm给我mute了"): one list for every frame.
ZH_BETWEEN = r"\s*(?:(?:也|都|先|就|给我|帮我|直接|全部|全都|统统|暂时)\s*)?"
#: The first / the last photos said in Chinese ("前两张", "前面2张", "开头那两张"; "后面三张", "最后那2张", "末尾两张").
ZH_HEAD = r"(?:最?前面?|开头|一开始|头)\s*(?:的|那|那几)?"
ZH_TAIL = r"(?:最?后面?|末尾|结尾)\s*(?:的|那|那几)?"


#: After a negation, the verbs that make it "leave X as it is" (不要动 / 不要改 / 别换), not "no X":
#: "第一张照片不要动" keeps the photo (and stills it), "标题不要动" keeps the title. Never a removal.
HANDS_OFF = ["动(?![画效态感])", "移", "晃", "缩", "放大", "变", "改", "删", "碰", "管", "换", "调"]
#: Negations before a removal verb: "don't delete photo 3", "please don't remove the music", "我不想删掉音乐",
#: "别把第二张删了" keep what they name (intents/keep.py) — a removal is never read out of its negation.
NEGATION_EN = ["don't", "dont", "do not", "never", "no need to", "not", "please don't", "i don't want to",
               "i dont want to", "we don't want to", "don't want to", "wouldn't", "shouldn't", "can't", "mustn't"]
NEGATION_ZH = ["不要", "别", "不想", "不用", "没说要", "不准", "不许", "勿", "千万别", "不能", "不必", "无需", "不需要"]
#: Chinese removal verbs said short after a negation ("音乐别关", "照片别删").
REMOVE_SHORT_ZH = ["删", "关", "去掉", "拿掉", "撤"]
#: What a photo or a text has, not what it is: "去掉第一张的动效", "第二张去掉动画", "删掉标题的阴影" remove that, never
#: the photo or the text.
ATTRIBUTE_ZH = r"\s*的?\s*(?:动效|动画|运动|动态|效果|特效|缩放|平移|推拉|镜头|转场|过渡|文字|字幕|滤镜|边框|阴影|投影|描边|背景|底色|底框|颜色|字体)"
#: "音乐不要了", "第三张不要": not wanted any more (a removal) — but never "不要动" (``HANDS_OFF``).
NOT_WANTED = rf"(?:不要了?|不用了?|不需要了?)(?!\s*(?:{'|'.join(HANDS_OFF)}|zoom|pan|move|motion|ken|推拉|平移|晃))"


#: Phrasal removal verbs split around their object: "take the transitions out", "turn the music off".
SPLIT_REMOVE = (["take", "pull", "get", "cut", "leave", "turn", "switch", "shut", "strip", "knock", "rip"],
                ["out", "off", "away"])


def split_remove(noun: str) -> str:
    """A regex for ``SPLIT_REMOVE`` verb + ``noun`` (with determiners) + particle."""
    verbs, particles = SPLIT_REMOVE
    return rf"\b(?:{'|'.join(verbs)})\s+{DET}(?:{noun})\s+(?:{'|'.join(particles)})\b"


#: Places on the screen, shared by a text's position ("title at the bottom") and its style ("move it to the top").
SCREEN_POSITIONS = [
    (r"\b(?:at|on|to|in|along|across)\s+(?:the\s+)?(?:very\s+)?top\b|\bup\s+top\b|\btop\s+of\s+the\s+(?:screen|frame|video)\b|"
     r"顶部|上方|上面|上边|最上面|顶上|(?:放|放到|放在|移到|在)\s*top\b", "top"),
    (r"\blower\s+third\b|下三分之一", "lower_third"),
    (r"\b(?:at|on|to|in|along|across)\s+(?:the\s+)?(?:very\s+)?bottom\b|\bdown\s+below\b|"
     r"\bbottom\s+of\s+the\s+(?:screen|frame|video)\b|底部|下方|下面|下边|底下|最下面|(?:放|放到|放在|移到|在)\s*bottom\b", "bottom"),
    (r"\b(?:in\s+the\s+|to\s+the\s+)?(?:center|centre|middle)\b|\bcentered\b|\bcentred\b|居中|中间|正中", "center"),
]


@lru_cache(maxsize=64)
def verb(*frames: str) -> str:
    """A regex for the verbs of ``frames`` ("remove", "negate"…), built from ``VERBS``."""
    words: list[str] = []
    for frame in frames:
        en, zh = VERBS[frame]
        words += en + zh
    words += [w.replace("'", "") for w in words if "'" in w]  # "dont want"
    if "negate" in frames:  # "标题不要动", "音乐别改": leave it as it is — never "no title"
        return alternation(words) + rf"(?!\s*(?:{'|'.join(HANDS_OFF)}))"
    return alternation(words)


#: Words that say "make it better" without saying how (the reply says it needs a concrete change).
VAGUE = re.compile(
    r"\b(?:better|nicer|prettier|cooler|good|great|amazing|awesome|professional|pro|pop|stunning|"
    r"beautiful|improve|enhance|fix|polish|magic|wow|fancy|perfect|viral|engaging|cool|something)\b|好看|漂亮|高级|优化|更好|酷")

#: Words that start a new request after "and" ("add music and make it vertical": two clauses).
CLAUSE_VERBS = ("make|add|put|set|change|remove|delete|use|turn|lower|raise|increase|decrease|reduce|move|swap|"
                "switch|show|give|apply|include|fade|zoom|cut|shorten|lengthen|extend|trim|keep|export|download|"
                "drop|mute|boost|replace|insert|write|place|bring|speed|slow|let|get|take|try|do|start|end|finish|"
                "open|close|shuffle|reverse|no|without|with|i|we|it|render|send|save|undo|redo|lose|kill|play|"
                "have|go|can|could|would|please")

#: Verbs that make a video out of the uploads ("turn these into…", "stitch", "compile", "animate").
BUILD_VERB = (r"\b(?:turn|turning|convert|converting|make|making|create|creating|build|generate|produce|put\s+together|"
              r"put\s+(?:these|them|those|it|all|my\s+\w+|the\s+\w+)\s+together|"
              r"compile|combine|stitch|assemble|transform|animate|bring\s+(?:it|them|this|these)\s+to\s+life|"
              r"change|edit|cut|give\s+me|i\s+want|i\s+need|want|need|do|prepare|render|slideshow|montage|pick|choose|select)\b")

#: Determiners between a verb and its object ("remove *all the* music").
DET = r"(?:(?:the|any|all|all\s+of|that|this|those|these|my|our|of|some|every|each)\s+)*"

# --- nouns ---------------------------------------------------------------------------------------
PHOTO_NOUN = r"(?:photos?|fotos?|images?|pictures?|pics?|slides?|shots?|snaps?|frames?|imgs?|jpe?gs?|pngs?|clips?|照片|图片|相片|图|张)"
VIDEO_NOUN = (r"(?:video|videos|clip|slideshow|slide\s*show|movie|film|reel|mp4|montage|animation|"
              r"story|short|edit|compilation|presentation|视频|短片|短视频|影片|动画|幻灯片|相册)")
MUSIC_NOUN = (r"(?:🎵|🎶|🎧|🎼|背景乐|background\s+music|music|piano|guitar|songs?|soundtrack|bgm|background\s+track|background\s+audio|"
              r"music\s+track|(?<!video\s)(?<!text\s)(?<!title\s)(?<!photo\s)(?<!timeline\s)\btrack\b|tunes?|beats?|audio|sound|"
              r"背景音乐|音乐|配乐|歌曲|歌|bgm|纯音乐|乐曲|曲子|钢琴曲|轻音乐)")
#: How loud the music is ("音量调小一点"); also what the homophone repair knows (音亮 → 音量).
VOLUME_NOUN = r"\bvolume\b|\bloudness\b|音量|声音"
TEXT_NOUN = (r"(?:title|titles|caption|captions|subtitle|subtitles|heading|headline|tagline|text|texts|"
             r"words|label|banner|overlay|slogan|call\s+to\s+action|cta|intro\s+card|标题|字幕|文字|文案|标语|一行字|一句话|几个字)")

# --- platforms and aspect ratios -----------------------------------------------------------------
#: The shapes by name, for "square not vertical" (resolve.py drops the one not wanted).
ASPECT_WORDS = ["vertical", "horizontal", "square", "landscape", "portrait", "widescreen", "竖屏", "横屏", "方形", "竖版",
                "横版"]
#: An aspect ratio said as numbers ("4:5", "9x16", "4比5", "ins feed的4:5"): always counts, before any platform name.
#: Digits are bounded by lookarounds, not ``\b`` (a ratio touching Chinese has no word boundary).
ASPECT_RATIO = r"(?<![\d.:])(?P<w>\d{1,2}(?:\.\d+)?)\s*(?:[:x×/]|比)\s*(?P<h>\d{1,2})(?![\d.:])"
#: Ratios people name; one the renderer does not make ("2:3", "3:4") becomes the nearest it does, said so.
KNOWN_RATIOS = ("1:1", "4:5", "5:4", "9:16", "16:9", "2:3", "3:2", "3:4", "4:3", "21:9", "1.91:1")
#: (pattern, aspect, English label, Chinese label). First match wins, so specific before general. An aspect
#: outside the renderer's sizes ("2:3" for a Pinterest pin) is made the nearest one, with a note.
PLATFORMS: list[tuple[str, str, str, str]] = [
    (r"\b1080\s*[x×*]\s*1920\b|\b720\s*[x×*]\s*1280\b", "9:16", "vertical (9:16)", "竖屏 (9:16)"),
    (r"\b1920\s*[x×*]\s*1080\b|\b1280\s*[x×*]\s*720\b", "16:9", "landscape (16:9)", "横屏 (16:9)"),
    (r"\b1080\s*[x×*]\s*1080\b", "1:1", "square (1:1)", "方形 (1:1)"),
    (r"\b1080\s*[x×*]\s*1350\b", "4:5", "4:5", "4:5"),
    (r"\b(?:youtube|yt)\s+shorts?\b", "9:16", "YouTube Shorts", "YouTube Shorts"),
    (r"\b(?:insta(?:gram)?|ig|ins)\s+(?:stories|story|reels?)\b", "9:16", "Instagram Reels/Stories", "Instagram 快拍/Reels"),
    (r"\b(?:insta(?:gram)?|ig|ins)\s+(?:feed|post|posts|portrait)\b|\bportrait\s+post\b",
     "4:5", "the Instagram feed (4:5)", "Instagram 动态 (4:5)"),
    (r"\b(?:for|in|on)\s+(?:the|my|our)\s+(?:main\s+)?feed\b|\bfeed\s+posts?\b", "4:5", "the feed (4:5)", "动态 (4:5)"),
    (r"\bpinterest(?:\s+pins?)?\b|\bidea\s+pins?\b", "2:3", "a Pinterest pin (2:3)", "Pinterest (2:3)"),
    (r"\b(?:tik\s*tok|tiktoks?|reels?|shorts|stories|story|snapchat|snap|whatsapp\s+status)\b", "9:16",
     "vertical (9:16)", "竖屏 (9:16)"),
    (r"限动|限时动态|抖音|快手|视频号|竖屏|竖版|竖向|竖的|竖过来|手机屏|竖着|竖起来|竖直|竖排|"
     r"(?:手机|朋友圈)\s*(?:上|里)?\s*(?:竖着|全屏|刷|看|播放?)|全屏(?:的)?手机|刷手机", "9:16", "vertical (9:16)", "竖屏 (9:16)"),
    (r"\bvertical(?:ly)?\b|\bportrait(?!\s+(?:photo|image|picture|pic|shot|of))"
     r"(?:\s+(?:mode|format|orientation|video))?\b|\bupright\b|\btall\b|\bphone\s+(?:format|screen|size)\b",
     "9:16", "vertical (9:16)", "竖屏 (9:16)"),
    (r"\bsquare\b|方形|正方形|方屏|朋友圈|(?:改成|改为|变成|弄成|做成|换成)方的|方方正正|四四方方|"
     r"(?:^|(?<=[\s,，要成是个那种]))方的", "1:1", "square (1:1)", "方形 (1:1)"),
    (r"\binsta(?:gram)?\b|\bins\b(?!\s+and\b)|\bfacebook\s+(?:feed|post)\b", "1:1", "Instagram square (1:1)", "Instagram 方形 (1:1)"),
    (r"\blinked\s*in\b", "1:1", "LinkedIn's feed (1:1)", "LinkedIn (1:1)"),
    (r"小红书", "4:5", "4:5", "小红书 (4:5)"),
    (r"\blandscape\b|\bhorizontal(?:ly)?\b|\bwide\s*screen\b|\bwide\b|\byoutube\b|\byt\b|"
     r"\btv\b|\bdesktop\b|\bcinema\s+format\b|横屏|横版|横向|宽屏|b\s*站|bilibili|西瓜视频|油管|"
     r"横着|横过来|横的|横起来|电脑(?:上|屏)|电视|投影|大屏幕?|宽幅",
     "16:9", "landscape (16:9)", "横屏 (16:9)"),
]

#: A format said by its shape, not by a platform: it wins over a platform's format said with it.
SHAPE_WORDS = (r"square|vertical(?:ly)?|horizontal(?:ly)?|landscape|portrait|upright|wide\s*screen|"
               r"竖屏|竖版|横屏|横版|方形|正方形|方屏")

# --- music ---------------------------------------------------------------------------------------
#: mood → (label, English words, Chinese words). Built-in moods the renderer makes (docs/draft.md).
MOODS: dict[str, tuple[str, list[str], list[str]]] = {
    "lofi": ("Lo-fi", ["lofi", "lo-fi", "lo fi", "chill", "chilled", "chillhop", "hip hop", "hiphop",
                       "jazzy", "jazz", "laid back", "laid-back", "cozy", "cosy", "vibey", "study"],
             ["低保真", "轻松", "慵懒", "悠闲", "爵士", "chill", "松弛", "随性", "惬意", "咖啡馆"]),
    "upbeat": ("Upbeat", ["upbeat", "happy", "energetic", "fun", "cheerful", "pop", "party", "dance",
                          "lively", "exciting", "bright", "summery", "summer", "bouncy", "groovy", "funky",
                          "electronic", "edm", "fast", "positive", "playful", "catchy", "hype", "punchy",
                          "happier", "livelier", "more energy", "energetic", "uplifting", "festive"],
               ["欢快", "动感", "活泼", "快节奏", "愉快", "开心", "热闹", "节奏感", "流行", "轻快", "嗨", "燃", "带劲", "有活力",
                "欢乐", "俏皮", "喜庆", "元气", "阳光", "青春", "嗨皮", "蹦迪", "炸场", "燃爆", "派对", "过节", "电音", "蹦迪曲"]),
    "cinematic": ("Cinematic", ["cinematic", "epic", "dramatic", "orchestral", "emotional", "inspiring",
                                "inspirational", "movie", "trailer", "heroic", "powerful", "intense",
                                "suspense", "majestic", "grand"],
                  ["电影", "史诗", "大气", "震撼", "激昂", "感人", "煽情",
                   "热血", "宏大", "磅礴", "大片"]),
    "calm": ("Calm", ["calm", "peaceful", "relaxing", "relaxed", "relax", "soft", "gentle", "ambient", "piano",
                      "acoustic", "mellow", "soothing", "romantic", "quiet", "serene", "dreamy", "slow",
                      "sad", "nostalgic", "warm", "elegant", "classical", "meditation", "spa"],
             ["舒缓", "安静", "平静", "温柔", "浪漫", "柔和", "钢琴", "抒情", "治愈", "温馨", "轻音乐",
              "伤感", "悲伤", "难过", "怀旧", "唯美", "文艺", "清新", "优雅", "高级感", "感动", "温暖", "走心"]),
}
#: Mood words that mean music even without the word "music" ("make it more upbeat").
#: The music's mood said as a complaint ("the music is kinda depressing", "song's too intense"): the mood
#: it moves to, and the words (said only with a music word).
MOOD_COMPLAINTS: dict[str, list[str]] = {
    "upbeat": ["depressing", "sad", "gloomy", "boring", "sleepy", "dull", "too slow", "too calm", "too mellow",
               "dreary", "a downer", "too sad", "too quiet a vibe", "lifeless", "flat"],
    "calm": ["too intense", "aggressive", "too hype", "too energetic", "harsh", "too busy", "too much going on",
             "stressful", "chaotic", "too fast", "too loud a vibe", "annoying"],
}
MUSIC_ONLY_MOODS = {"lofi", "lo-fi", "lo fi", "chillhop", "upbeat", "cinematic", "orchestral", "edm", "trailer",
                    "hip hop", "hiphop", "jazzy", "低保真", "配乐"}

#: A Chinese mood word said as a phrase of its own ("竖屏 15秒 燃", "温馨风", "要那种治愈系的感觉", "伤感一点"):
#: the music's mood even without the word 音乐, when nothing else in the clause is its object.
MOOD_ALONE_BEFORE = r"(?:^|(?<=[\s,，。!！🎵🎶]|要|点|个|种|成|偏|走|整))"
MOOD_ALONE_AFTER = (r"(?=\s*(?:强烈?|十足|满满|重)?\s*(?:一点|一些|点|些)?\s*(?:的|风格?|感|系|调|向)?\s*(?:的)?\s*(?:感觉|调调|氛围|那种|风格|曲子|歌)?"
                    r"\s*(?:吧|啊|呀|哈|哦)?\s*(?:$|[\s,，。!！?？🎵🎶]))")

# --- transitions ---------------------------------------------------------------------------------
#: (pattern, transition type). Checked in order inside a transition mention.
#: "photos fading into each other", "each pic blending into the next": a crossfade by another name.
INTO_EACH_OTHER = (r"\b(?:fad(?:e|es|ed|ing)|blend(?:s|ed|ing)?|melt(?:s|ed|ing)?|flow(?:s|ed|ing)?|merg(?:e|es|ed|ing)|"
                   r"dissolv(?:e|es|ed|ing))\s+into\s+(?:each\s+other|one\s+another|the\s+next(?:\s+one)?)\b|"
                   r"\bblend(?:s|ed|ing)?\s+(?:the\s+|all\s+the\s+)?(?:photos|pics|pictures|images|slides|them)\s+together\b")
#: Cuts with no transition: "hard cuts", "just do simple cuts", "cuts only", 硬切.
PLAIN_CUTS = (r"\b(?:hard|straight|jump|simple|plain|normal|basic|regular|clean)\s+cuts?\b|\bjust\s+cuts?\b|"
              r"\bcuts?\s+only\b|直接切|硬切")
#: "smoother cuts", "the cuts feel kinda abrupt", "less jumpy cuts": soften the cuts, i.e. a crossfade.
SOFT_CUTS = (r"\b(?:smooth(?:er)?|soft(?:er)?|gentler|nicer|less\s+(?:jumpy|abrupt|harsh|jarring|choppy))\s+cuts?\b|"
             r"\bcuts?\s+(?:\w+\s+){0,2}(?:abrupt|jumpy|harsh|jarring|choppy|sudden)\b|\bsmooth(?:en)?\s+(?:out\s+)?the\s+cuts?\b|"
             r"(?:切换|转场|过渡)(?:得|的)?(?:太|有点)?(?:生硬|突兀)")
TRANSITION_TYPES: list[tuple[str, str]] = [
    (SOFT_CUTS, "crossfade"),
    (r"\bfade\s+(?:to|through|via)\s+black\b|\bdip\s+to\s+black\b|\bblack\s+fades?\b|黑场|闪黑", "fade_black"),
    (r"\bdissolv(?:e|es|ed|ing)\s+into\b", "dissolve"),
    (r"\bcross\s*-?\s*fades?\b|\bcross\s*-?\s*fad(?:ed|ing)\b|\bcross\s*-?\s*dissolves?\b|交叉淡化|叠化|淡入淡出|"
     + INTO_EACH_OTHER, "crossfade"),
    (r"\bdissolves?\b|\bdissolving\b|溶解", "dissolve"),
    # "slide in from the right" moves leftwards; "slide to the right" moves rightwards.
    (r"\bslid(?:e|es|ing)\s+(?:transitions?\s+)?(?:in\s+)?(?:to\s+the\s+right|right(?:wards?)?|from\s+(?:the\s+)?left)\b"
     r"|向右滑|从左", "slide_right"),
    (r"\bslid(?:e|es|ing)\s+(?:transitions?\s+)?(?:in\s+)?(?:up(?:wards?)?|from\s+(?:the\s+)?bottom)\b|向上滑|从下", "slide_up"),
    (r"\bslid(?:e|es|ing)\s+(?:transitions?\s+)?(?:in\s+)?(?:down(?:wards?)?|from\s+(?:the\s+)?top)\b|向下滑|从上", "slide_down"),
    (r"(?<!\bthe\s)(?<!\bbetween\s)(?<!\ball\s)\bslides?\b(?!\s*show)|\bsliding\b|\bswipes?\b|\bpush(?:es)?\b|滑动|滑入|推移|推入|划入", "slide_left"),
    (r"\bwip(?:e|es|ing)\s+(?:transitions?\s+)?(?:to\s+the\s+right|right(?:wards?)?|from\s+(?:the\s+)?left)\b|向右擦",
     "wipe_right"),
    (r"\bwip(?:e|es|ing)\s+(?:transitions?\s+)?(?:up(?:wards?)?|from\s+(?:the\s+)?bottom)\b|向上擦", "wipe_up"),
    (r"\bwip(?:e|es|ing)\s+(?:transitions?\s+)?(?:down(?:wards?)?|from\s+(?:the\s+)?top)\b|向下擦", "wipe_down"),
    (r"\bwipes?\b|擦除|擦拭", "wipe_left"),
    (r"\bzoom(?:s|ing)?\s+(?:transitions?|effects?\s+between|between)\b|缩放(?:转场|过渡)|^\s*zoom\s*$", "zoom"),
    (r"\bfades?\b|\bfading\b|渐变|淡化", "crossfade"),
    (PLAIN_CUTS, "none"),
]
TRANSITION_NOUN = r"(?:transitions?|transitons?|transistions?|effects?\s+between|转场|过渡|切换效果|切换)"

# --- cuts on the beat ---------------------------------------------------------------------------
#: "cut on the beat", "sync the cuts to the music", "photos change with the beat", 卡点, 跟着音乐节奏切换.
BEAT_SYNC = (r"\b(?:sync(?:ed|ing|s)?|match(?:ed|ing)?|tim(?:e|ed|ing)|cut(?:s|ting)?)\s+(?:up\s+)?(?:the\s+)?"
             r"(?:cuts?\s+|photos?\s+|pics?\s+|slides?\s+|it\s+|everything\s+)?(?:to|with|on)\s+(?:the\s+)?"
             r"(?:beats?|music|rhythm|song)\b|\b(?:follow|hit|land\s+on)\s+(?:the\s+)?(?:beats?|rhythm)\b|\b(?:chang(?:e|es|ing)|switch(?:es|ing)?|flip(?:s|ping)?)\s+(?:on|with|to)\s+"
             r"(?:the\s+|every\s+|each\s+)?(?:beats?|rhythm)\b|\bbeat[\s-]*sync(?:ed|ing)?\b|\bon\s+the\s+beats?\b|卡点|踩点|"
             r"(?:跟着|跟随|配合|随着|对齐)(?:音乐|bgm)?(?:的)?(?:节奏|节拍|鼓点)|(?:卡|踩|对)在?\S{0,4}?(?:节奏|节拍|鼓点)上|"
             # a verb of timing, then to/with/on the beat a few words later: "sync the photo changes to the music beat"
             r"\b(?:sync\w*|match\w*|tim(?:e|ed|ing)|line\s+up|align\w*|cut\w*|chang\w*|switch\w*|flip\w*|follow\w*|"
             r"land\w*|mov(?:e|es|ing))\b[^.,;]{0,40}?\b(?:to|with|on)\s+(?:the\s+|each\s+|every\s+)?(?:music'?s?\s+|song'?s?\s+)?"
             r"(?:beats?|rhythm|tempo)\b|\bmatch(?:es|ing)?\s+(?:the\s+)?(?:music'?s?\s+|song'?s?\s+)?(?:beats?|rhythm|tempo)\b")
#: Said next to it, it turns the cuts on the beat off ("don't cut on the beat", 不要卡点, "beat sync关掉").
BEAT_SYNC_OFF = r"\b(?:stop|don'?t|do\s+not|not|off|no|without|disable|cancel|shouldn'?t|won'?t|doesn'?t)\b|别|不用|不要|取消|关掉|关了|关闭|去掉"

# --- motion --------------------------------------------------------------------------------------
#: A sweep across each photo with no direction said: the photos pan, alternating right and left.
PAN_WORDS = (["pan across", "pan over", "pan along", "pans across", "panning across", "panning shot", "sweep across",
              "sweep over", "sweeping", "sweeps", "glide across", "glide over", "gliding", "glides", "drift across",
              "drift sideways", "drifting", "drifts", "slide across", "slides across", "sliding across", "side to side",
              "sideways", "tracking shot", "pan", "pans", "panning"],
             ["平移", "横移", "左右移动", "左右平移", "摇镜", "横摇", "扫过", "滑过", "平移效果"])
#: Photos that hold still: "别晃", "画面定住", "the photos didn't move" (with MOTION_OFF's phrases).
STILL_WORDS = (["didn't move", "doesn't move", "don't move", "did not move", "does not move", "not moving",
                "wouldn't move", "shouldn't move", "should not move", "stand still", "frozen", "no motion", "no movement",
                "no ken burns", "no zoom", "no zooming", "no panning", "still photos", "still images"],
               ["静止", "不要动", "别动", "不动", "别晃", "不要晃", "不晃", "别抖", "定住", "固定住", "静态", "不要运动",
                "去掉动态", "关闭动态", "不要缩放", "不要平移", "别乱动", "动得太厉害", "太晃", "晃得厉害", "看着晕", "头晕",
                "镜头别动",
                "有点晕", "好晕", "看晕了", "看得晕", "眼花", "晃眼", "一直在动", "动来动去", "老在动"])
MOTIONS: list[tuple[str, str]] = [
    (r"\bzoom(?:s|ing)?\s+in(?:to|wards?)?\b|\bslow\s+zoom\b(?!\s+out)|\bpush(?:es|ing)?\s+in\b|\bzoom\s+closer\b|放大|推近|推进|拉近", "zoom_in"),
    (r"\bzoom(?:s|ing)?\s+out\b|\bpull(?:s|ing)?\s+(?:back|out)\b|缩小|拉远", "zoom_out"),
    (r"\bpan(?:s|ning)?\s+(?:to\s+the\s+)?left\b|\bleftwards?\s+pan\b|向左平移|左移|向左移", "pan_left"),
    (r"\bpan(?:s|ning)?\s+(?:to\s+the\s+)?right\b|\brightwards?\s+pan\b|向右平移|右移|向右移", "pan_right"),
    (r"\bpan(?:s|ning)?\s+up(?:wards?)?\b|\btilt\s+up\b|向上平移|上移", "pan_up"),
    (r"\bpan(?:s|ning)?\s+down(?:wards?)?\b|\btilt\s+down\b|向下平移|下移", "pan_down"),
    (alternation(PAN_WORDS[0] + PAN_WORDS[1]), "pan"),
    (r"\bken\s*burns?\b|\banimat(?:e|ed|ion)\b|\bmov(?:e|ing|ement)\b|\bmotion\b|\bpan(?:s|ning)?\b|"
     r"\bdynamic\b|\bzoom(?:s|ing)?\b|\bslow\s+zoom\b|\bparallax\b|动态|动起来|动画|运动|镜头运动|推拉", "auto"),
]
#: Words of a complaint about the motion ("the zooming makes me dizzy", "all that moving is distracting").
_MOTION_NOUN = r"ken\s*burns?(?:\s+effect)?|motion|movement|moving(?:\s+around)?|zoom(?:s|ing)?|pan(?:s|ning)?|animation"
_COMPLAINT = (r"dizzy|distracting|annoying|nauseous|seasick|sick|too\s+much|a\s+lot|busy|overwhelming|(?:a\s+)?headache|"
              r"queasy|motion\s*sick")
MOTION_OFF = (rf"\b(?:{_MOTION_NOUN})\s+(?:is|are|'s|makes?|making|feels?|gets?|getting|looks?|giv(?:es|ing))\s+(?:\w+\s+){{0,3}}?"
              rf"(?:{_COMPLAINT})\b|\btoo\s+much\s+(?:going\s+on\s+)?(?:with\s+)?(?:the\s+|all\s+(?:the\s+|that\s+)?)?(?:{_MOTION_NOUN})\b|"
              rf"\b(?:they|them|(?:the\s+)?{PHOTO_NOUN})\s+(?:\w+\s+){{0,2}}?(?:sit|stay|hold|keep)\s+(?:there|put|still)\b|"
              r"\b(?:sit|stay|hold|keep)\s+still\b|" + split_remove(_MOTION_NOUN) + "|"
              rf"(?:{verb('remove', 'negate')}|\bless\b)\s+(?:more\s+)?(?:the\s+|any\s+|all\s+(?:the\s+)?)?"
              r"(?:ken\s*burns?(?:\s+effect)?|motion|movement|zoom(?:s|ing)?|pan(?:s|ning)?|animation|camera\s+movement)\b|"
              r"\bstop\s+(?:the\s+)?(?:photos?|pics?|pictures?|images?)?\s*(?:from\s+)?(?:zooming|moving|panning)\b|"
              r"\b(?:stay|be|remain)\s+(?:completely\s+)?still\b|^\s*static\s+(?:pics|photos|images|pictures)\s*$|"
              rf"(?:{_MOTION_NOUN}|动态|运动|缩放)\s*(?:效果)?\s*(?:都|也)?(?:关掉|关闭|去掉|不要|取消|关了)|"
              r"\b(?:ken\s*burns?|motion|movement|zoom(?:s|ing)?|animation)\s+off\b|"
              r"\b(?:keep|make|leave|hold)\s+(?:[\w']+\s+){0,4}?(?:completely\s+|totally\s+)?(?:still|static|stationary)\b|"
              r"\b(?:don'?t|do\s+not)\s+(?:want|need|like)\s+(?:any\s+|the\s+|all\s+the\s+)?(?:motion|movement|zoom(?:s|ing)?|"
              r"animation|ken\s*burns?|panning)\b|"
              r"\b(?:not|no|without)\s+(?:move|moving|movement|animated|animating|zooming|panning)\b|"
              r"\bstatic\b(?!\s+(?:images?|photos?|pictures?|pics?|shots?|content|files?|graphics?))|\bno\s+ken\b|"
              r"\bdon'?t\s+(?:move|zoom|pan|animate)\b|(?:不要|别|不用|去掉|关掉|取消)\s*(?:推拉|缩放|平移|动态|运动|镜头运动|动画)(?:效果)?|"
              r"(?:不要|别|不用)\s*(?:zoom|pan|ken\s*burns?)\b|(?:去掉|关掉|取消|删掉)[^，,。]{0,8}?的?(?:动效|特效|动画|运动|动态|缩放|推拉|平移)|"
              r"(?:动效|特效)\s*(?:都|也)?(?:去掉|关掉|不要|取消)|\b(?:don'?t|do\s+not)\s+want\s+(?:the\s+|my\s+)?"
              rf"(?:{PHOTO_NOUN})\s+(?:to\s+move|moving|zooming|panning)\b|" + alternation(STILL_WORDS[0] + STILL_WORDS[1]))

# --- things this editor does not do ---------------------------------------------------------------
#: (pattern, what): features people ask for by name that this photo-slideshow editor does not have. The
#: reply names what it cannot do and the nearest thing it can (reply.unsupported_line), changing nothing.
#: Where people post, said after 发到/上传到 ("要发到B站"): the place names a format, it is not a request to post.
_PLATFORM_ZH = r"朋友圈|抖音|快手|视频号|小红书|微博|b\s*站|bilibili|油管|西瓜|ins|ig|instagram|tiktok|youtube|reels?|shorts"
UNSUPPORTED: list[tuple[str, str]] = [
    (r"\b(?:as|in|to|into)\s+(?:an?\s+)?(?:animated\s+)?(?:gif|webm|mov|avi|mkv|wmv)\b|\b(?:gif|webm)s?\b|动图", "export_format"),
    (r"\b(?:remove|erase|delete|cut\s+out|get\s+rid\s+of|take\s+out|drop|replace|change)\s+(?:the\s+)?background\s+"
     r"(?:from|of|in|on|behind)\b|\bbackground\s+remov\w*|\b(?:cut|crop)\s+out\s+(?:the\s+)?(?:person|people|subject|guy|"
     r"girl|man|woman|product|cat|dog|kid|kids)\b|\b(?:transparent|green\s*screen)\b|"
     r"\b(?:remove|erase|delete|get\s+rid\s+of|take\s+out|edit\s+out)\s+(?:the\s+)?(?:people|person|guy|strangers?|tourists?|"
     r"cars?|objects?|crowd|photobomber)\s+(?:in|from|behind)\b|抠图|抠出|抠一下|抠掉|"
     r"(?:照片|图片|图|张)的?背景\S{0,2}?(?:去掉|删掉|换掉|抠掉|换成)|(?:照片|图片|图|张)\S{0,4}?(?:换|抠掉|去掉|删掉)(?:个|一个|掉)?背景|(?:把)?(?:第\d+张)?(?:照片|图片|图)?(?:里|中)?的?"
     r"(?:路人|人物|杂物|人)?\s*\bp\s*掉|(?:去掉|删掉|抹掉)(?:照片|图片|图)?里?的?(?:路人|人物|杂物)",
     "cutout"),
    (r"\bblur\s+(?:out\s+)?(?:the\s+|their\s+|his\s+|her\s+)?(?:faces?|people|(?:license\s+)?plates?)\b|打码|马赛克|(?:人脸|脸)模糊",
     "face_blur"),
    (r"\btranslat(?:e|ed|ion)\b|翻译", "translate"),
    (r"\bvoice\s*-?\s*overs?\b|\bnarrat(?:e|ion|or)\b|\bvoice\b|\bspeech\b|\btext\s*-?\s*to\s*-?\s*speech\b|配音|旁白|解说",
     "voice"),
    (r"\bauto(?:matic(?:ally)?)?[\s-]*(?:generat\w*\s+)?(?:captions?|subtitles?)\b|\b(?:captions?|subtitles?)\s+"
     r"(?:automatically|from\s+(?:the\s+)?(?:audio|speech|voice))\b|\btranscri(?:be|bed|ption)\b|自动(?:生成|加|识别)?字幕|"
     r"语音(?:识别|转)(?:成)?字幕|自动识别|语音识别", "auto_captions"),
    (r"\bstickers?\b|\bemojis?\b|贴纸|表情包", "overlay"),
    (r"\bsound\s+effects?\b|\bsfx\b|\bwhoosh(?:es)?\b|音效", "sfx"),
    (r"\bsparkles?\b|\bconfetti\b|\bglitter\b|\bparticles?\b|\bsnow\s+effect\b|\blight\s+leaks?\b|粒子|撒花|(?:闪光|下雪|飘雪|烟花)(?:特效|效果)",
     "effects"),
    (r"\bcount\s*down(?:\s+timer)?\b|\btimer\b|倒计时", "countdown"),
    (r"\bqr\s*codes?\b|\bqrcode\b|二维码", "qr"),
    (r"\bblack\s+and\s+white\b|\bb&w\b|\bgr[ae]yscale\b|\bsepia\b|\bfilters?\b|\bcolou?r\s+grad(?:e|ing)\b|"
     r"\bbrightness\b|\bcontrast\b|\bsaturation\b|\bbrighter\b|\bdarker\b|\bvintage\s+look\b|滤镜|黑白|调色|亮度|对比度|"
     r"调亮|调暗|提亮|(?:照片|图片|画面|图)\S{0,3}?(?:亮|暗)一?点|饱和度",
     "filter"),
    (r"\b\d+\s*fps\b|\bframe\s*-?\s*rate\b|帧率|\d+\s*帧", "fps"),
    (r"\bschedul\w*\b|\b(?:upload|publish|share|send|e-?mail|dm|tweet|whatsapp|text)\s+(?:it|this|that|the\s+(?:video|clip|"
     r"final(?:\s+\w+)?|reel|mp4))\b(?!\s+(?:look|be|feel)\b)(?:\s+\w+){0,3}?\s+(?:to|on|at|via|with|for)\b|\b(?:e-?mail|send)\s+(?:it|this)\b|"
     rf"定时发布|定时发|(?:(?:帮我|给我|替我|直接)\s*)(?:发到|发布到|上传到|分享到)|(?:发到|发布到|上传到|分享到)(?!\s*(?:{_PLATFORM_ZH}))|"
     r"发给", "publish"),
    (r"\blook\s+(?:\w+\s+)?(?:thinner|slimmer|skinnier|younger|taller|prettier|hotter)\b|\b(?:whiten|retouch\w*|photoshop\w*|"
     r"airbrush\w*|face\s*tune|facetune|beautify|slim\s+down)\b|\b(?:wrinkles?|blemish\w*|acne|pimples?|double\s+chin)\b|"
     r"\b(?:sky|grass|sea|water|skin|face|teeth|eyes?)\s+(?:\w+\s+)?(?:bluer|greener|brighter|whiter|smoother|clearer)\b|"
     r"美颜|磨皮|瘦脸|美白|修图|[pP]图|瘦一点|瘦点", "retouch"),
    (r"(?:照片|图片|相片|图)\s*(?:上|里|中)\s*(?:的|自带的?|原来的?)?\s*水印|去水印", "retouch"),
    (r"\bred[\s-]*eyes?\b|\bface\s*-?\s*swap\w*|\bswap\s+(?:\w+\s+)?faces?\b|\bdeep\s*fake\b|红眼|换脸|换头", "retouch"),
    (r"\b(?:burn|write|put|copy)\s+(?:it|this|the\s+video)?\s*(?:on|onto|to)\s+(?:an?\s+)?(?:dvd|blu-?ray|cd|disc|disk)s?\b|"
     r"\b(?:dvd|blu-?ray)s?\b|刻(?:成|录|到)?\s*(?:光盘|dvd)|光盘", "disc"),
    (r"\b(?:songs?|tracks?|music|mix|audio|tunes?|sound)\b[^.,;]{0,30}?\b(?:soundcloud|spotify|apple\s+music|youtube|bandcamp)\b|"
     r"\b(?:soundcloud|spotify|bandcamp)\b|\b(?:youtube|tiktok)\s+(?:link|url)\b|(?:网易云|QQ音乐|酷狗|抖音)\S{0,4}?(?:的|里的)?"
     r"(?:歌|音乐|链接)", "music_link"),
    (r"压缩|文件(?:大小|太大|小一点|小点)|体积|码率|\bcompress(?:ed|ion)?\b|\bfile\s*size\b|\bbit\s*rate\b", "file_size"),
    # "要发到B站", "发到朋友圈和抖音": can't post, but the platform counts
    (rf"\bpost\s+(?:it|this|that|the\s+(?:video|clip|reel))\b|(?:发到|发布到|上传到|分享到)(?=\s*(?:{_PLATFORM_ZH}))", "post"),
    (r"\b(?:dancing|animated|cartoon|flying|walking|running|waving|3d)\s+(?:\w+\s+)?(?:animations?|characters?|cats?|dogs?|"
     r"mascots?|avatars?|hearts?|balloons?|birds?|people)\b|\bholograms?\b|\bavatars?\b", "overlay"),
]

# --- shorthand people type on a phone ------------------------------------------------------------
#: (pattern, replacement) applied to the lower-cased request before parsing ("bg music" → "background
#: music", "vid" → "video"). Only whole words; the words of titles are already set aside.
ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\bbg\b", "background"), (r"\bvids?\b", "video"), (r"\bvol\b", "volume"), (r"\btxt\b", "text"),
    (r"\bdel\b", "delete"), (r"\brm\b", "remove"), (r"\bw/o\b", "without"), (r"\bw/", "with "),
    (r"\bw\b(?=\s+(?:bg|background|music|some|a|an|the|transitions?|fades?|upbeat|calm|chill))", "with"),
    (r"\bb4\b", "before"), (r"\bu\b", "you"), (r"\bur\b", "your"), (r"\bthru\b", "through"),
    (r"\bpic\s*#", "photo #"), (r"\bimg\b", "image"), (r"\btrans\b", "transitions"), (r"\bxfade\b", "crossfade"),
    (r"\bmak\b", "make"), (r"🔇", " mute "), (r"配个乐", "配乐"),
    (r"\bsecs?\.", "sec"), (r"\b(?:ppl|pple)\b", "people"), (r"\bmusik\b", "music"), (r"\bmsuic\b", "music"),
    # A-not-A questions are polite requests, never a negation: "能不能做成竖屏", "要不要加个音乐", "可不可以删掉第3张"
    (r"能不能|可不可以|可以不可以|能否|要不要|行不行|好不好|可否", " 请 "),
    # "how do I …" asks for it done: "音乐怎么关掉啊", "怎么才能把标题变大"
    (r"(?:我|我们)?(?:该|要|应该)?怎么(?:样)?(?:才能|才可以|能|可以)?(?=\s*(?:把|将|给)?\S{0,8}?[关去删加改换调弄做放拿变])", ""),
]


# --- punctuation said aloud -----------------------------------------------------------------------
#: Voice dictation says its punctuation: "title Summer Sale period" is the title "Summer Sale".
DICTATED_PUNCTUATION = ["period", "full stop", "fullstop", "exclamation mark", "exclamation point", "question mark",
                        "comma", "句号", "逗号", "感叹号", "问号", "句点"]

# --- words that carry no request -----------------------------------------------------------------
FILLER_RE = re.compile(
    r"\b(?:much\s+appreciated|(?:it'?s\s+)?appreciated|many\s+thanks|thanks\s+(?:a\s+lot|so\s+much|in\s+advance)|"
    r"thank\s+you\s+(?:so|very)\s+much|cheers|if\s+(?:it'?s|it\s+is)\s+not\s+too\s+much\s+trouble|"
    r"if\s+you\s+don'?t\s+mind|would\s+you\s+mind|would\s+you\s+be\s+(?:so\s+kind\s+as|able)\s+to|"
    r"(?:i\s+was\s+)?wondering\s+if|(?:would|is)\s+it\s+(?:be\s+)?possible\s+to|it\s+might\s+be\s+possible\s+to|"
    r"when\s+you\s+(?:have|get)\s+a\s+(?:moment|chance|sec)|i'?d\s+love\s+(?:it\s+)?(?:for|if)|i'?d\s+prefer\s+(?:if|that)?|"
    r"i\s+think|sorry|excuse\s+me|no\s+worries|much\s+obliged|"
    r"please|pls|plz|kindly|could\s+you|can\s+you|would\s+you|will\s+you|i\s+would\s+like(?:\s+you)?\s+to|"
    r"i'?d\s+like(?:\s+you)?\s+to|i\s+want(?:\s+you)?\s+to|i\s+need(?:\s+you)?\s+to|i\s+want|i\s+need|"
    r"let'?s|thanks|thank\s+you|thx|ty|hey|hi|hello|ok(?:ay)?|so|now|just|maybe|actually|also|"
    r"quickly|for\s+me|if\s+possible|if\s+you\s+can|go\s+ahead\s+and|try\s+to|then|yeah|yes|great|cool|"
    r"awesome|nice|perfect|alright|well|um+|uh+|hmm+)\b"
    r"|请|帮我|帮忙|麻烦|谢谢|一下|好的|吧|呢|啊|呀|哦|嗯|能不能|可以|给我"
)

#: The shape of a request (fillers, then an imperative verb): one that matches no frame is answered
#: "I can't do that here" (reply.cant_line), not "I didn't understand" — and nothing is changed.
REQUEST_VERBS = ["make", "add", "put", "remove", "delete", "change", "fix", "turn", "give", "show", "edit", "retouch",
                 "schedule", "post", "share", "send", "email", "upload", "publish", "tag", "translate", "record", "draw",
                 "write", "generate", "create", "crop", "rotate", "flip", "erase", "replace", "swap", "move", "set",
                 "get", "apply", "use", "whiten", "brighten", "sharpen", "enhance", "clean", "smooth", "slim", "cut",
                 "insert", "attach", "link", "print", "mirror", "straighten", "colorize", "colourize", "animate",
                 "blur", "hide", "sing", "call", "buy", "track", "boost", "promote", "remind", "download", "save",
                 "convert", "compress", "resize", "stretch", "merge", "combine", "split", "duplicate", "copy",
                 "upscale", "restore", "photoshop", "cover", "paint", "color", "colour", "recolor", "dub", "sync",
                 "transcribe", "caption", "include", "bring", "let", "zoom", "play", "open", "order",
                 "我想", "我要", "加", "把", "给", "做", "弄", "换", "改", "帮"]
REQUEST_SHAPE = re.compile(rf"^(?:[\W_]*(?:{FILLER_RE.pattern}))*[\W_]*{alternation(REQUEST_VERBS)}")



#: Ordinary English words that are not typos of a keyword (the typo fixer leaves them alone).
COMMON_WORDS = set(["slot", "slots", "spot", "spots", "shot", "shots", "read", "reads", "lost", "copy", "quit", "grant", "boots", "slip", "hike", "fact", "fist", "relay", "plate", "kiln", "drip", "cost", "lone", "nose", "fist", "ship", "notch", "flip", "sped", "shop", "a", "about", "above", "across", "add", "added", "adding", "after", "again", "against", "all", "almost", "along", "already", "also", "although", "always", "am", "an", "and", "another", "any", "anything", "are", "around", "as", "at", "away", "back", "bad", "be", "because", "been", "before", "being", "below", "best", "better", "between", "big", "bit", "both", "but", "by", "can", "cannot", "change", "changed", "could", "day", "did", "different", "do", "does", "doing", "done", "down", "during", "each", "early", "either", "else", "end", "enough", "even", "ever", "every", "everything", "few", "file", "files", "final", "find", "fine", "first", "for", "from", "full", "get", "gets", "give", "go", "goes", "going", "good", "got", "great", "had", "half", "has", "have", "having", "he", "her", "here", "high", "him", "his", "how", "however", "i", "if", "in", "instead", "into", "is", "it", "its", "it's", "just", "keep", "kind", "know", "large", "last", "later", "least", "left", "less", "let", "like", "little", "long", "look", "looks", "lot", "lots", "low", "made", "main", "make", "makes", "making", "many", "may", "me", "mine", "more", "most", "much", "must", "my", "need", "needs", "never", "new", "next", "nice", "no", "none", "nor", "not", "nothing", "now", "of", "off", "often", "old", "on", "once", "one", "only", "onto", "or", "other", "our", "out", "over", "own", "part", "per", "place", "please", "put", "quite", "rather", "real", "really", "right", "same", "say", "says", "see", "seem", "set", "she", "should", "show", "side", "since", "so", "some", "something", "still", "such", "sure", "take", "than", "that", "the", "their", "them", "then", "there", "these", "they", "thing", "things", "this", "those", "though", "through", "time", "times", "to", "too", "top", "try", "turn", "turns", "two", "under", "until", "up", "upon", "us", "use", "used", "using", "very", "want", "wants", "was", "way", "we", "well", "were", "what", "when", "where", "which", "while", "who", "whole", "why", "will", "with", "within", "without", "would", "yes", "yet", "you", "your", "yours", "it's", "i'm", "don't", "can't", "won't", "isn't", "that's", "let's", "i'd", "i'll", "you're", "we're", "what's", "cat", "dog", "car", "beach", "sunset", "city", "food", "coffee", "cup", "product", "products", "sale", "shop", "store", "brand", "logo", "summer", "winter", "spring", "fall", "autumn", "christmas", "holiday", "vacation", "trip", "travel", "family", "friend", "friends", "party", "wedding", "birthday", "baby", "kids", "team", "office", "event", "events", "launch", "rocket", "plane", "jet", "bird", "tree", "flower", "flowers", "book", "books", "bar", "beer", "night", "day", "morning", "evening", "mountain", "mountains", "sea", "ocean", "lake", "river", "rocks", "rock", "desert", "dunes", "sand", "house", "home", "portrait", "portraits", "person", "people", "man", "woman", "girl", "boy", "chair", "red", "blue", "green", "yellow", "black", "white", "pink", "orange", "purple", "gold", "silver", "dark", "light", "bright", "warm", "cool", "cold", "hot", "new", "old", "nice", "pretty", "beautiful", "cute", "amazing", "great", "awesome", "cool", "good", "better", "best", "worse", "worst", "look", "looks", "feel", "feels", "vibe", "style", "styled", "modern", "classic", "clean", "simple", "fancy", "professional", "pro", "quality", "resolution", "hd", "full", "format", "formats", "jpg", "jpeg", "png", "mp4", "mov", "gif", "webp", "heic", "thing", "stuff", "kind", "sort", "bit", "lot", "everything", "something", "anything", "nothing", "wizard", "magic", "banana", "quantum", "apple", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "also", "then", "than", "them", "those", "these", "there", "here", "where", "video", "videos", "clip", "clips", "photo", "photos", "image", "images", "picture", "pictures", "pic", "pics", "hello", "hi", "hey", "thanks", "thank", "okay", "ok", "yeah", "yep", "nope", "sorry", "wait", "actually", "maybe", "perhaps", "probably", "definitely", "camera", "phone", "screen", "social", "media", "post", "posts", "feed", "account", "channel", "page", "site", "website", "online", "offline", "create", "creating", "created", "convert", "converting", "converted", "build", "building", "built", "generate", "make", "made", "look", "like", "want", "need", "give", "show", "tell", "ask", "says", "said", "think", "know", "see", "watch", "play", "stop", "start", "begin"])

# More ordinary words (verbs and nouns people use around the keywords), kept as text for easy editing.
_MORE_WORDS = """
move moves moved moving swap switch put puts set sets lower raise increase decrease reduce shorten lengthen
extend trim drop boost replace insert write place bring speed slow get take try save send render open
close finish end ends ending shuffle kill lose apply include cut cuts mute rename update edit fix sort
order ordered first second third last next previous before after behind front back top bottom middle
center centre left right up down over under across during between from until till into onto around
music song songs sound sounds tune tunes beat beats track tracks audio volume loud louder quiet quieter
title titles text texts caption captions word words name named called saying says reads reading
slide slides slow slower fast faster quick quicker long longer short shorter length size ratio aspect
minute minutes second seconds hour hours moment bit little much many more most less least few lot
make made makes making turn turns turned turning zoom pan pans tilt hold holds stay stays linger
each every all both either neither other others another same different new old own only just even
still static motion moving animation animate animated life alive dynamic energy mood vibe feel
story stories reel reels shorts feed post tiktok instagram youtube facebook twitter snapchat whatsapp
wide tall square vertical horizontal portrait landscape format version copy draft timeline project
mode modes mood moods movie movies mute muted note notes image images
feels felt feeling rushed rush slowly quickly really very pretty quite too also again please thanks
bigger smaller larger big small huge tiny bold font color colour white yellow clear sharp crisp blurry
anything everything nothing something someone anyone everyone way ways kind sort type types style styles
happy sad fun funny cute lovely nice clean fresh modern retro vintage minimal simple elegant calm loud
promo promotion ad ads advert advertisement campaign marketing brand client customer customers business
bakery restaurant cafe shop store hotel gym salon studio real estate house apartment property listing
launch drop collection season sale sales deal deals offer offers discount product products item items
friends family wedding birthday party trip travel vacation holiday weekend summer winter spring autumn
work works working worked done finish finished ready okay fine good bad better worse best worst sure
thing things stuff part parts piece pieces whole half full empty same keep kept let lets seem seems
maybe perhaps probably basically actually literally honestly kinda sorta gonna wanna gotta need needs
should would could might must shall will can may cannot don't doesn't didn't isn't aren't wasn't weren't
i'm i've i'd i'll you're you've we're they're it's that's there's what's let's here's who's how's
marketer marketers creator creators influencer influencers content workflow workflows flow social media
shareable share sharing audience followers viewers channel channels platform platforms online web website
collection collections album albums gallery memories moments highlights recap showcase portfolio catalog
illustration illustrations illustrated scene scenes artwork art drawing drawings render renders animated
short shorts clip clips quick simple easy professional polished engaging eye catching stunning
"""
# Words around polite or explanatory phrasing ("it doesn't fit", "much appreciated").
_PHRASING_WORDS = """
doesn't don't won't wouldn't shouldn't couldn't can't isn't fit fits fitting belong belongs match matches
appreciated appreciate trouble mind wondering possible able kind kindly moment chance love prefer rather
think guess hope wish wonder lovely gentle final finished version instead around approximately roughly
perhaps maybe somewhat slightly bit tiny touch abit hmm hey sorry oh ah anyway though however because since
looks look seems seem weird odd off wrong right okay fine honestly remaining left over very so too much
flashy showy tacky cheesy distracting jarring jumpy abrupt choppy smooth smoother smoothly
"""
#: Who and what a video is for ("for my mom's birthday"): context, not an instruction.
_OCCASION_WORDS = ("face faces subject mom mum mother dad father parents grandma grandpa grandmother grandfather sister brother wife "
                   "husband son daughter boss client clients customer customers fans followers anniversary graduation "
                   "reunion celebration together memories memory")
COMMON_WORDS |= set(_MORE_WORDS.split()) | set(_PHRASING_WORDS.split()) | set(_OCCASION_WORDS.split())


# --- the words typo repair corrects towards ------------------------------------------------------------
#: Keywords a misspelling is repaired to: the hand-picked ones below plus every single English word of
#: the verb frames and moods above (``keywords()``), so the matchers and the repair share one source.
_KEYWORDS_EXTRA = set(["position", "positions", "add", "adjust", "animate", "animated", "animation", "aspect", "audio", "background", "backwards", "balance", "beginning", "blur", "bgm", "burns", "calm", "caption", "captions", "change", "cinematic", "clip", "credits", "crop", "crossfade", "delete", "dissolve", "download", "duration", "ending", "energetic", "epic", "export", "faster", "fade", "fades", "feed", "first", "fifth", "fourth", "horizontal", "images", "image", "instagram", "landscape", "length", "lofi", "longer", "louder", "lower", "minute", "minutes", "montage", "motion", "movie", "music", "mute", "order", "pacing", "percent", "photo", "photos", "picture", "pictures", "portrait", "quieter", "quicker", "redo", "reels", "remove", "reverse", "second", "seconds", "shorter", "shorts", "shuffle", "slideshow", "slide", "slides", "slower", "softer", "soundtrack", "square", "status", "stories", "story", "subtitle", "subtitles", "swap", "tiktok", "third", "title", "titles", "transition", "transitions", "undo", "unmute", "upbeat", "vertical", "video", "volume", "widescreen", "wipe", "youtube", "zoom", "ken", "caption", "headline", "beginning", "ending", "music", "remove", "still", "static", "opening", "closing", "cinematic", "dramatic", "peaceful", "relaxing", "happy", "chill", "slowly", "slower", "dissolve", "crossfade", "seconds", "instead"])


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """Every word the typo repair may correct towards (derived from the tables above)."""
    out = set(_KEYWORDS_EXTRA)
    for en, _zh in VERBS.values():
        out |= {w for w in en if re.fullmatch(r"[a-z]{4,}", w)}
    for _label, en, _zh in MOODS.values():
        out |= {w for w in en if re.fullmatch(r"[a-z]{4,}", w)}
    return frozenset(out)


# --- connectors between requests (clauses.py, spans.py) ------------------------------------------------
#: Chinese words that start another request: a clause ends there and so do unquoted screen words
#: ("加个标题：周末特惠 然后改成12秒" → the title "周末特惠"). ``ZH_CONNECTORS_SPACED`` only after a space
#: or a comma ("好吃不贵 还有音乐小声点"), since they also occur inside a title ("再见夏天", "我和你").
ZH_CONNECTORS = ["然后", "并且", "同时", "接着", "另外", "以及", "顺便", "而且", "还要", "之后再", "完了再"]
ZH_CONNECTORS_SPACED = ["还有", "再", "并", "和", "跟", "也", "把"]


# --- corrections inside one message (resolve.py) ---------------------------------------------------------
#: Cues that take back what was just said: "改成竖屏 哦不 square就行", "配个欢快的 算了 还是舒缓的吧", "15 no wait 20".
#: A bare value after one replaces the value before it; a whole request after one replaces the request of the
#: same kind before it (resolve.superseded). ``CORRECTION_WEAK`` only corrects a bare value ("改成竖屏 不是 …"
#: and "no music" say other things too).
CORRECTION_ZH = ["等等", "说错了", "搞错了", "打错了", "我是说", "我的意思是", "哦不对", "哦不", "不对", "啊不是", "啊不", "算了",
                 "呃不对", "嗯不对", "额不对", "呃不", "不不", "改主意了", "换个想法"]
CORRECTION_EN = ["no wait", "wait no", "oops i meant", "oops i mean", "i meant", "scratch that", "or rather", "actually no",
                 "no actually", "sorry i meant", "on second thought", "change of plan"]
CORRECTION_WEAK = ["wait", "actually", "make that", "sorry", "no", "不是", "i mean"]
#: "…算了 还是方形吧": 还是 before a choice that ends in 吧 is the choice taken back to.
CORRECTION_CHOICE_ZH = r"还是(?=[^,，。；;]{1,14}?吧)"


# --- relative lengths (entities.py, intents/timing.py, clauses.py) -----------------------------------
#: Chinese words right before a length that make it a change, not the new length: "再长5秒", "缩短6秒",
#: "每张照片再多1秒", "减掉5秒". One list for the entity roles and the video's length.
ZH_LENGTH_MORE = ["再长", "再多", "多加", "加长", "延长", "拉长", "增加", "再加", "长了", "多", "加", "再来", "多来"]
ZH_LENGTH_LESS = ["再短", "缩短", "减少", "减掉", "减去", "砍掉", "去掉", "短了", "少", "减", "缩"]
#: … but not after 最 ("最多60秒", "最长60秒" is a limit someone set: entities.distractors).
ZH_LENGTH_NOT_AFTER = r"(?<![最至])"
#: After 再 these say "more of it" ("视频再长5秒", "再大一倍"), not a new request ("…再配个音乐").
ZH_AFTER_ZAI = r"(?:长|短|多|少|大|小|快|慢|高|低|减|延|缩|拉|加\s*[\d半一二两三四五六七八九十几]|来\s*[\d一二两三四五六七八九十几])"
#: A length by a factor without "longer"/"shorter": "两倍长", "拉长一倍", "长度翻倍".
ZH_LENGTH_TIMES = (r"(?P<zt>\d+(?:\.\d+)?)\s*倍\s*(?:的)?(?:长|时长|长度)|(?:拉长|延长|加长|增加|长|加|翻)\s*(?:了|到)?\s*"
                   r"(?:(?P<zt2>[2-9])|1)\s*倍")
#: Between a change word and its length: "再缩短个4秒", "每张图多停1秒", "少放半秒".
ZH_LENGTH_FILL = r"\s*(?:了|个)?\s*(?:停留|停|放|显示|展示|留|播)?\s*(?:个)?\s*"


# --- complaints that imply a change (intents/music.py, intents/timing.py) -------------------------------
#: What people say when something is off, as (English, Chinese) phrases: each implies one step the
#: other way ("声音太大了" → quieter, "the photos go by too fast" → slower) and the reply says how to adjust.
COMPLAINTS: dict[str, tuple[list[str], list[str]]] = {
    "too_loud": (["too loud", "so loud", "way too loud", "really loud", "very loud", "overpowering", "overpowers",
                  "overpower", "drowns out", "drowning out", "drowns", "drowning", "drowned out", "deafening", "blasting", "too much music",
                  "too strong", "hurts my ears", "ear splitting", "loud af", "too noisy", "too high"],
                 ["太大声", "太吵", "有点吵", "好吵", "很吵", "吵死", "太响", "有点响", "太大了", "刺耳", "震耳", "有点大声",
                  "声音太大", "音量太大", "太大声了", "盖过", "有点大", "大了点", "太大了吧", "别那么大声", "不要那么大声",
                  "别这么大声", "别那么吵", "不要那么吵", "没必要那么大声",
                  "太炸", "炸耳", "耳朵疼", "耳朵受不了", "吵得慌", "抢戏", "喧宾夺主", "盖住了"]),
    "too_quiet": (["too quiet", "too soft", "too low", "barely hear", "can barely hear", "can't hear", "cannot hear",
                   "cant hear", "hard to hear", "can hardly hear", "hardly hear", "inaudible", "so quiet", "way too quiet",
                   "too faint", "not loud enough"],
                  ["太小声", "太小了", "听不见", "听不到", "听不清", "声音太小", "音量太小", "太轻", "有点小声", "太弱",
                   "不够大声", "小声了", "听不太清", "听不清楚", "有点小", "小了点", "太小"]),
    "too_fast": (["too fast", "too quick", "too rushed", "way too fast", "go by too fast", "goes by too fast",
                  "goes by so fast", "go by so fast", "so fast i can't", "can't read anything", "cant read anything",
                  "flash by", "flashes by", "can't keep up", "cant keep up", "rushed", "hurried", "too hectic"],
                 ["太快", "快了点", "有点快", "换得太快", "节奏快了", "太赶", "有点赶", "赶了点", "看不过来"]),
    "too_slow": (["too slow", "way too slow", "drags", "draggy", "sluggish", "so slow", "boring pace", "kinda slow",
                  "kind of slow", "a bit slow", "slow and boring"],
                 ["太慢", "慢了点", "有点慢", "节奏慢了", "拖沓", "太拖", "有点拖", "拖拉", "拖了点",
                  "停太久", "停那么久", "停这么久", "别停那么久", "放太久", "放那么久"]),
    "too_long": (["too long", "way too long", "drags on", "feels long", "a bit long", "kind of long", "too lengthy",
                  "feels like forever", "takes forever", "goes on forever", "lasts forever", "sit through",
                  "attention span", "nobody will watch", "no one will watch", "way longer than it needs"],
                 ["太长", "有点长", "长了点", "太久", "有点久", "长了些"]),
    "too_short": (["too short", "way too short", "a bit short", "kind of short", "over too quickly"],
                  ["太短", "有点短", "短了点", "短了些"]),
}


def complaint(kind: str) -> str:
    """A regex for the phrases of one complaint (``COMPLAINTS``)."""
    en, zh = COMPLAINTS[kind]
    return alternation(en + zh)


#: Fractions of the current value, as normalise writes them ("a quarter" → 1/4, 三分之一 → 1/3).
FRACTION = r"(?<![\d./])(?P<fa>\d{1,2})\s*/\s*(?P<fb>\d{1,2})(?![\d/])"
#: "… of what it is (now)", "现在的…", "原来的…": the amount is a share of the current value.
OF_CURRENT = (r"\bof\s+(?:what\s+it\s+is|where\s+it\s+is|what\s+it'?s\s+at|the\s+current|current|its\s+current|"
              r"it|that|the\s+(?:present|existing)|how\s+loud\s+it\s+is)\b|(?:现在|原来|当前|目前|之前)的")


# --- language (lang.py) ---------------------------------------------------------------------------------
#: Words that say nothing about the language a person writes in: "export", "ok", "undo" after Chinese
#: turns are answered in Chinese (the conversation's language, engine/turn.py).
NEUTRAL_WORDS = frozenset({"export", "ok", "okay", "k", "kk", "status", "undo", "redo", "yes", "yep", "yeah", "no", "nope",
                           "thanks", "thx", "ty", "cool", "nice", "great", "perfect", "good", "done", "lol", "go", "save",
                           "download", "help", "hi", "hello", "hey", "wow", "omg", "haha", "hmm", "again", "credits"})


# --- Chinese homophone typos ----------------------------------------------------------------------
#: Characters a pinyin keyboard confuses (same syllable, any tone; in/ing and a few near sounds joined). The
#: repair (normalise.repair_homophones) is derived: every Chinese word of this vocabulary, with one of its
#: characters swapped for a homophone, is repaired to that word (标提 → 标题, 音月 → 音乐, 树屏 → 竖屏, 字母 → 字幕).
HOMOPHONES = ["乐月悦越阅约", "题提体替", "竖树数书输舒", "屏平瓶评凭频品屛", "幕母木目慕", "场厂常唱长", "缓换幻环",
              "入如", "淡蛋但", "底低抵", "渡度", "过国果", "白百摆败", "音因阴引印", "景静镜境", "背被倍贝", "横衡恒",
              "转专砖", "动冬东懂", "感敢", "视是事试", "片篇偏", "标表", "卡咖", "点电典", "方芳", "形型", "速宿诉",
              "节洁结", "奏揍", "配佩陪", "色涩", "黄皇煌", "蓝兰篮", "粗醋", "描瞄", "影营", "框狂",
              "掉调吊钓", "关管官观", "删山闪衫", "量亮谅", "快块筷", "红洪宏虹鸿"]
#: Sounds too common to repair inside short words: only in words of four characters (背景音了 → 背景音乐,
#: while "没有声音了" stays).
HOMOPHONES_LONG = ["乐了"]
#: Real words that one swap away from a keyword must stay as they are ("时常" is "often", not 时长).
HOMOPHONE_KEEP = {"书的", "数的", "树的", "时常", "专场", "视点", "配色", "事件", "但是", "过度曝光", "方式", "节目", "结果", "国家", "木头", "目标",
                  "东西", "懂得", "数字", "书本", "输入", "舒服", "如果", "表示", "表情", "电话", "电影院", "引入",
                  "调整", "调节", "调一", "调下", "不管", "管了", "管理", "官方", "观看", "闪光", "山上", "亮点",
                  "闪了", "调音", "调量"}


@lru_cache(maxsize=1)
def zh_words() -> frozenset[str]:
    """Every Chinese word of 2–4 characters said anywhere in this vocabulary (its lists and patterns)."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(re.findall(r"[\u4e00-\u9fff]{2,4}", value))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                walk(item)

    for name, value in list(globals().items()):
        if name.isupper() and name not in ("HOMOPHONES", "HOMOPHONE_KEEP", "HOMOPHONES_LONG"):
            walk(value)
    found.update(f"{name}色" for name in STYLE_COLORS if len(name) == 1 and not name.isascii())
    return frozenset(found)


@lru_cache(maxsize=1)
def homophone_repairs() -> dict[str, str]:
    """Misspelling → the vocabulary word it was meant to be (one character swapped for a homophone)."""
    sounds = {ch: group for group in HOMOPHONES for ch in group}
    long_sounds = {ch: group for group in HOMOPHONES_LONG for ch in group}
    words = zh_words()
    out: dict[str, str] = {}
    for word in sorted(words):
        for i, ch in enumerate(word):
            for other in sounds.get(ch, "") + (long_sounds.get(ch, "") if len(word) >= 4 else ""):
                typo = word[:i] + other + word[i + 1:]
                if other != ch and typo not in words and typo not in HOMOPHONE_KEEP:
                    out.setdefault(typo, word)
    return out


# --- brand: text style, logo, end card (intents/brand.py) ------------------------------------------------
#: Colour words: the names of nemo_nb.style.COLORS (English, and Chinese with or without 色) and hex.
COLOR_WORD = (r"(?:#[0-9a-f]{6}\b|#[0-9a-f]{3}\b|\b(?:" + "|".join(sorted((k for k in STYLE_COLORS if k.isascii()),
                                                                           key=len, reverse=True)) + r")\b|(?:"
              + "|".join(sorted((k for k in STYLE_COLORS if not k.isascii()), key=len, reverse=True)) + r")色?(?!体))")  # 黑体 is a font
SIZE_UP = (r"\b(?:bigger|larger|big|large|huge|enlarge|increase\s+the\s+size)\b|大一?点|大些|放大|加大|更大|大一号|大号|"
           r"(?:字|字号|字体|标题|字幕|文字)\s*(?:再)?\s*(?:调|变|弄|搞)大")
SIZE_DOWN = (r"\b(?:smaller|tinier|small|tiny|shrink|reduce\s+the\s+size)\b|小一?点|小些|缩小|更小|小一号|小号|"
             r"(?:字|字号|字体|标题|字幕|文字)\s*(?:再)?\s*(?:调|变|弄|搞)小")
FONT_WORDS = [
    (r"\bbold(?:er)?\b|粗体|加粗|粗一点", {"weight": "bold"}),
    (r"\b(?:regular|normal|thin|light|lighter)\s+(?:font|weight|text|type)\b|\bnot\s+bold\b|\bunbold\b|细体|常规字体|不要加粗",
     {"weight": "regular"}),
    (r"\bserif\b|\bgaramond\b|\belegant\s+font\b|\bclassic\s+font\b|衬线|宋体", {"font": "serif"}),
    (r"\bsans(?:[\s-]*serif)?\b|\bnoto\b|无衬线|黑体", {"font": "sans"}),
    (r"\binter\b|\bmodern\s+font\b|\bclean\s+font\b", {"font": "inter"}),
]
#: The card behind a text ("the box behind the title", 标题的底), never the background music.
BG_NOUN = (r"(?:\b(?:background|backdrop|box|card|plate|banner|bg)\b(?:\s+(?:box|card|colou?r))?"
           r"|背景框|背景色|背景|底框|底色|底板|衬底|底)(?!\s*(?:music|track|audio|song|sound|音乐|音|乐|歌))")
#: Chinese verbs that take a text's outline or shadow off ("标题去掉描边", "不要阴影"): the look becomes none.
DECOR_OFF_ZH = ["去掉", "不要", "取消", "删掉", "去除", "别要"]
_NOT_OFF_ZH = "".join(f"(?<!{w})" for w in DECOR_OFF_ZH)
BG_WORDS_NONE = (rf"\bjust\s+the\s+text\b|\btext\s+only\b|(?:{verb('remove', 'negate')})\s*(?:the\s+|a\s+|any\s+|its\s+)?"
                 rf"(?:{TEXT_NOUN}\s*(?:'s\s+|的\s*)?)?(?:{COLOR_WORD}\s*)?{BG_NOUN}|{BG_NOUN}\s*(?:\bbehind\b[^,，]{{0,24}})?"
                 rf"{ZH_BETWEEN}\s*(?:{verb('remove', 'negate')}|不要了|去掉吧|\boff\b)|无背景|透明背景|" + alternation(DECOR_OFF_ZH) + r"\s*(?:描边|阴影|投影)")
#: A complaint about a text's size asks for the other way: "the title is tiny", "标题太小了" → bigger.
SIZE_TOO_SMALL = (r"\b(?:is|are|looks?|'s|so|too|really|way\s+too|kinda|a\s+bit)\s+(?:\w+\s+)?(?:tiny|small|little)\b|"
                  r"\b(?:can'?t|can\s+barely|barely|hard\s+to|difficult\s+to)\s+(?:read|see)\b|太小|小了|看不清|看不见")
SIZE_TOO_BIG = r"\b(?:is|are|looks?|'s|so|too|way\s+too|a\s+bit)\s+(?:\w+\s+)?(?:huge|big|large|massive)\b|太大了?|大了"
BG_WORDS = [
    (r"\boutlined?\b|\bstroke\b|" + _NOT_OFF_ZH + "描边", "outline"),
    (r"\b(?:drop\s+)?shadow\b|" + _NOT_OFF_ZH + "(?:阴影|投影)", "shadow"),
    (BG_WORDS_NONE, "none"),
    (r"\b(?:on|in|with)\s+(?:a\s+)?(?:box|card|background)\b|背景框|底框|加背景", "box"),
]
ANIM_WORDS = [
    (r"\btype\s*-?\s*writer\b|\btyped\s+out\b|\btype\s+(?:it\s+)?(?:in|out)\b|打字机|打字效果|逐字|"
     r"一个字一个字|一个一个字|一字一字|(?:一个个|逐个)字|打出来|敲出来", "typewriter"),
    (r"\bslides?\s+up\b|\bslide\s+in\b|向上滑|上滑|(?:从|由)(?:下面|下方|底部|底下|下)\S{0,3}?(?:滑|飘|升|冒)|"
     r"(?:滑|飘|升)(?:上来|进来|入)", "slide_up"),
    (r"\bpops?(?:\s+(?:in|up))?\b|\bbounce\b|弹出|弹跳|弹一下|弹一弹|弹进来|弹出来|[qQ]\s*弹|蹦出来|蹦一下|蹦出|跳一下|跳出来|"
     r"跳出|蹦", "pop"),
    (r"\bno\s+animation\b|\bnot\s+animated\b|\bjust\s+appears?\b|不要动画|无动画|别要?动画|不用动画|取消动画|"
     r"直接(?:出来|出现|显示)", "none"),
]
#: A text moved by a step, not to a named place: "put the title lower", "标题往上一点".
TEXT_NUDGES = [
    (r"\b(?:lower|further\s+down|down\s+a\s+(?:bit|little))\b|往下(?:一点|点|移)?|下移", "bottom"),
    (r"\b(?:higher|further\s+up|up\s+a\s+(?:bit|little))\b|往上(?:一点|点|移)?|上移", "top"),
]
CORNER_WORDS = [
    (r"\b(?:top|upper)[\s-]*left\b|\bleft[\s-]*top\b|左上角?", "top_left"),
    (r"\b(?:top|upper)[\s-]*right\b|\bright[\s-]*top\b|右上角?", "top_right"),
    (r"\b(?:bottom|lower)[\s-]*left\b|\bleft[\s-]*bottom\b|左下角?", "bottom_left"),
    (r"\b(?:bottom|lower)[\s-]*right\b|\bright[\s-]*bottom\b|右下角?", "bottom_right"),
]
LOGO_NOUN = r"\blogos?\b|\bwatermarks?\b|\bbrand\s+mark\b|水印|标志|商标|logo"
END_CARD_NOUN = (r"\b(?:end|ending|closing|outro|final|last)\s+(?:card|slate|screen|frame)\b|\bcard\s+at\s+the\s+end\b|"
                 r"\b(?:end|finish|close|wrap\s+up)\s+(?:it\s+|the\s+video\s+)?(?:with|on)\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:card|screen|slate)\b|"
                 r"\b(?:end|finish|close|wrap\s+up)\s+(?:it\s+|the\s+video\s+)?(?:with|on)\s+(?:our|my|the|your)\s+"
                 r"(?:(?:instagram|insta|ig|tiktok|twitter)\s+)?(?:account|website|site|web\s+address|url|link|handle|phone\s+number|number|e-?mail|address|shop|store)\b|"
                 r"(?:片尾|结尾|最后)[^，,。；;]{0,6}?\bcard\b|(?:片尾|结尾|最后)\S{0,4}?(?:我们|店铺|店)?的?(?:网址|网站|官网|链接|联系方式|微信号|抖音号|账号)|片尾卡(?!点)片?|结尾卡(?!点)片?|结束卡(?!点)片?|结束页|片尾页|尾页|(?:结尾|片尾|最后)[^，,。；;]{0,16}?卡片|卡片[^，,。；;]{0,6}?结尾|以.{0,12}卡片结尾")
