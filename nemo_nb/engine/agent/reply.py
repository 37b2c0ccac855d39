"""What the agent says, in English or Chinese: per-operation lines, notes, refusals, suggestions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nemo_nb.draft import fmt_seconds

from .vocab import MOOD_COMPLAINTS, MOODS

MOTION_EN = {"auto": "gentle Ken Burns motion", "zoom_in": "a slow zoom in", "zoom_out": "a slow zoom out",
             "pan_left": "a pan to the left", "pan_right": "a pan to the right", "pan_up": "a pan upwards",
             "pan_down": "a pan downwards", "pan": "a slow pan across each photo (alternating right and left)",
             "still": "no motion (still)"}
MOTION_ZH = {"auto": "缓慢推拉（Ken Burns）", "zoom_in": "缓慢放大", "zoom_out": "缓慢缩小", "pan_left": "向左平移",
             "pan_right": "向右平移", "pan_up": "向上平移", "pan_down": "向下平移", "pan": "每张缓慢平移（左右交替）",
             "still": "静止（无运动）"}
TRANSITION_EN = {"crossfade": "crossfade", "dissolve": "dissolve", "fade_black": "fade-through-black",
                 "slide_left": "slide", "slide_right": "slide-right", "slide_up": "slide-up", "slide_down": "slide-down",
                 "wipe_left": "wipe", "wipe_right": "wipe-right", "wipe_up": "wipe-up", "wipe_down": "wipe-down",
                 "zoom": "zoom"}
TRANSITION_ZH = {"crossfade": "交叉淡化", "dissolve": "溶解", "fade_black": "黑场过渡", "slide_left": "滑动",
                 "slide_right": "向右滑动", "slide_up": "向上滑动", "slide_down": "向下滑动", "wipe_left": "擦除",
                 "wipe_right": "向右擦除", "wipe_up": "向上擦除", "wipe_down": "向下擦除", "zoom": "缩放"}
MOOD_ZH = {"lofi": "Lo-fi 轻松", "upbeat": "欢快", "cinematic": "电影感", "calm": "舒缓"}
ROLE_EN = {"title": "title", "caption": "caption", None: "text", "text": "text"}
ROLE_ZH = {"title": "标题", "caption": "字幕", None: "文字", "text": "文字"}

SUGGESTIONS_EN = [
    "turn these photos into a 30-second video with transitions and background music",
    "make it vertical for TikTok",
    "add a title 'Summer Sale' at the start",
    "make it 15 seconds",
    "lower the music to 20%",
    "swap the first two photos",
]
SUGGESTIONS_ZH = [
    "把这些照片做成30秒的视频，加上转场和背景音乐",
    "把视频改成竖屏",
    "在开头加上标题“夏日促销”",
    "改成15秒",
    "音乐音量调到20%",
    "导出",
]


def s(ms: int | float) -> str:
    return fmt_seconds(int(ms))


def span(ms: int | float, zh: bool) -> str:
    """A length people read easily: "20 s", "11 min", "3 h" (Chinese: 20秒, 11分钟, 3小时)."""
    ms = int(ms)
    if abs(ms) >= 3_600_000 and ms % 3_600_000 == 0:
        return f"{ms // 3_600_000}小时" if zh else f"{ms // 3_600_000} h"
    if abs(ms) >= 60_000 and ms % 60_000 == 0:
        return f"{ms // 60_000}分钟" if zh else f"{ms // 60_000} min"
    return f"{s(ms)}秒" if zh else f"{s(ms)} s"


def pct(volume: float | None) -> str:
    return f"{round((volume or 0) * 100)}%"


def _photo(f: dict, zh: bool) -> str:
    name = f.get("name") or ""
    if zh:
        return f"第{f.get('n')}张（{name}）" if name else f"第{f.get('n')}张"
    return f"photo {f.get('n')} ({name})" if name else f"photo {f.get('n')}"


def op_line(name: str, args: dict, f: dict, zh: bool) -> str:
    """One line saying what an operation did."""
    fn = _LINES.get(name)
    if fn is None:
        return name
    return fn(args, f, zh)


def _build(a: dict, f: dict, zh: bool) -> str:
    n, total = f["photos"], f["total_ms"]
    if f.get("relength"):
        return (f"视频时长改为{s(total)}秒（每张约{s(f['per_ms'])}秒）。" if zh
                else f"The video is now {s(total)} s (about {s(f['per_ms'])} s per photo).")
    if f.get("rebuilt"):
        return (f"加入了{f['added']}张新照片，现在共{n}张，{s(total)}秒。" if zh
                else f"Added {f['added']} new photo{'s' if f['added'] != 1 else ''}: {n} in all, {s(total)} s.")
    if f.get("single"):
        return (f"用你的照片做了一个{s(total)}秒的动态短片（缓慢推拉镜头）。" if zh
                else f"Made {_a(s(total))} {s(total)}-second animated clip from your photo (gentle Ken Burns motion).")
    return (f"用你的{n}张照片做成了{s(total)}秒的幻灯片视频（每张约{s(f['per_ms'])}秒）。" if zh
            else f"Built {_a(s(total))} {s(total)}-second slideshow from your {n} photo{'s' if n != 1 else ''} "
                 f"(about {s(f['per_ms'])} s each).")


def _duration(a: dict, f: dict, zh: bool) -> str:
    return (f"时长从{s(f['before_ms'])}秒改为{s(f['total_ms'])}秒（每张约{s(f['per_ms'])}秒）。" if zh
            else f"Length {s(f['before_ms'])} s → {s(f['total_ms'])} s (about {s(f['per_ms'])} s per photo).")


def _photo_duration(a: dict, f: dict, zh: bool) -> str:
    if f.get("all"):
        return (f"每张照片显示{s(f['ms'])}秒，视频现在{s(f['total_ms'])}秒。" if zh
                else f"Each photo now shows for {s(f['ms'])} s; the video is {s(f['total_ms'])} s.")
    if a.get("rest_ms"):
        return (f"{_photo(f, True)}显示{s(f['ms'])}秒，其他每张{s(a['rest_ms'])}秒，视频现在{s(f['total_ms'])}秒。" if zh
                else f"{_photo(f, False).capitalize()} shows for {s(f['ms'])} s and the others {s(a['rest_ms'])} s each; "
                     f"the video is {s(f['total_ms'])} s.")
    return (f"{_photo(f, True)}显示时间从{s(f['before'])}秒改为{s(f['ms'])}秒，视频现在{s(f['total_ms'])}秒。" if zh
            else f"{_photo(f, False).capitalize()} now shows for {s(f['ms'])} s (was {s(f['before'])} s); "
                 f"the video is {s(f['total_ms'])} s.")


def _pacing(a: dict, f: dict, zh: bool) -> str:
    if zh:
        return f"节奏{'加快' if f['faster'] else '放慢'}：每张约{s(f['per_ms'])}秒，视频现在{s(f['total_ms'])}秒。"
    return (f"{'Faster' if f['faster'] else 'Slower'} pacing: about {s(f['per_ms'])} s per photo; "
            f"the video is now {s(f['total_ms'])} s.")


def _reorder(a: dict, f: dict, zh: bool) -> str:
    mode = f.get("mode")
    if mode == "reverse":
        return "照片顺序已倒过来。" if zh else "Reversed the order of the photos."
    if mode == "shuffle":
        return "打乱了照片顺序。" if zh else "Shuffled the order of the photos."
    if mode == "sort":
        return "按文件名排好了顺序。" if zh else "Sorted the photos by file name."
    if mode == "set":
        order = " ".join(str(n) for n in a.get("order", []))
        if a.get("at") in ("first", "last"):
            zh_at, en_at = ("开头", "the start") if a["at"] == "first" else ("最后", "the end")
            said = [str(n) for n in a.get("order", [])]
            return (f"把第{'、'.join(said)}张移到了{zh_at}。" if zh
                    else f"Moved photos {', '.join(said[:-1])} and {said[-1]} to {en_at}.")
        return f"照片顺序改成了 {order}。" if zh else f"Put the photos in the order {order}."
    if mode == "swap":
        return (f"交换了第{f['a']}张和第{f['b']}张。" if zh
                else f"Swapped photo {f['a']} ({f['a_name']}) and photo {f['b']} ({f['b_name']}).")
    if zh:
        where = "开头" if f["to"] == 1 else "最后" if f["to"] == f["count"] else f"第{f['to']}个位置"
        return f"把{f['name']}移到了{where}。"
    where = "the start" if f["to"] == 1 else "the end" if f["to"] == f["count"] else f"position {f['to']}"
    return f"Moved {f['name']} to {where}."


def _remove_photos(a: dict, f: dict, zh: bool) -> str:
    names = "、".join(f["removed"]) if zh else ", ".join(f["removed"])
    return (f"删除了{f['count']}张照片（{names}），剩{f['photos']}张，视频现在{s(f['total_ms'])}秒。" if zh
            else f"Removed {names}: {f['photos']} photo{'s' if f['photos'] != 1 else ''} left, "
                 f"{s(f['total_ms'])} s.")


def _transition(a: dict, f: dict, zh: bool) -> str:
    if f["type"] == "none":
        return "去掉了转场（直接切换）。" if zh else "Removed the transitions (straight cuts)."
    return (f"照片之间使用{TRANSITION_ZH.get(f['type'], f['type'])}转场（{s(f['ms'])}秒）。" if zh
            else f"{TRANSITION_EN.get(f['type'], f['type']).capitalize()} transitions between photos "
                 f"({s(f['ms'])} s each).")


def _motion(a: dict, f: dict, zh: bool) -> str:
    m = f["motion"]
    if f.get("all"):
        return f"所有照片：{MOTION_ZH[m]}。" if zh else f"All photos: {MOTION_EN[m]}."
    return f"{_photo(f, True)}：{MOTION_ZH[m]}。" if zh else f"{_photo(f, False).capitalize()}: {MOTION_EN[m]}."


def _fit(a: dict, f: dict, zh: bool) -> str:
    if f["fit"] == "blur":
        return "照片完整显示，背景用模糊填充（不裁剪）。" if zh else "Whole photos shown over a blurred fill (no cropping)."
    return "照片裁剪填满画面。" if zh else "Photos cropped to fill the frame."


def _aspect(a: dict, f: dict, zh: bool) -> str:
    return (f"画面改为{f['label_zh']}，{f['w']}x{f['h']}。" if zh
            else f"Format: {f['label_en']}, {f['w']}x{f['h']}.")


def _resolution(a: dict, f: dict, zh: bool) -> str:
    return f"输出尺寸 {f['w']}x{f['h']}。" if zh else f"Output size {f['w']}x{f['h']}."


def _fade(a: dict, f: dict, zh: bool) -> str:
    fi, fo = f["fade_in"], f["fade_out"]
    if zh:
        parts = [f"开头从黑场淡入{s(fi)}秒" if fi else "开头无淡入", f"结尾淡出到黑场{s(fo)}秒" if fo else "结尾无淡出"]
        return "，".join(parts) + "。"
    parts = [f"fade in from black over {s(fi)} s" if fi else "no fade in",
             f"fade out to black over {s(fo)} s" if fo else "no fade out"]
    return parts[0].capitalize() + "; " + parts[1] + "."


def _beat(a: dict, f: dict, zh: bool) -> str:
    if zh:
        return "照片切换对齐音乐节拍。" if f["on"] else "照片切换不再对齐节拍。"
    return "Photo cuts now land on the music's beats." if f["on"] else "Photo cuts no longer follow the beat."


def _add_text(a: dict, f: dict, zh: bool) -> str:
    role = ROLE_ZH[f["role"]] if zh else ROLE_EN[f["role"]]
    span = f"{s(f['start_ms'])}-{s(f['end_ms'])}"
    return (f"加上了{role}“{f['text']}”（{span}秒）。" if zh else f"Added the {role} \"{f['text']}\" ({span} s).")


def _edit_text(a: dict, f: dict, zh: bool) -> str:
    if f.get("added"):
        return _add_text(a, f, zh)
    role = ROLE_ZH.get(f.get("role")) if zh else ROLE_EN.get(f.get("role"))
    return (f"{role}从“{f['old']}”改成了“{f['text']}”。" if zh
            else f"Changed the {role} from \"{f['old']}\" to \"{f['text']}\".")


def _move_text(a: dict, f: dict, zh: bool) -> str:
    span = f"{s(f['start_ms'])}-{s(f['end_ms'])}"
    return (f"“{f['text']}”现在显示在{span}秒。" if zh else f"\"{f['text']}\" now shows at {span} s"
            + (f", {f['position'].replace('_', ' ')}." if f.get("position") else "."))


def _remove_text(a: dict, f: dict, zh: bool) -> str:
    texts = "、".join(f"“{t}”" for t in f["texts"]) if zh else ", ".join(f'"{t}"' for t in f["texts"])
    return f"删除了{texts}。" if zh else f"Removed {texts}."


def _music(a: dict, f: dict, zh: bool) -> str:
    name = f.get("name") or ""
    mood = f.get("mood")
    label = MOOD_ZH.get(mood or "", name) if zh else name
    word = f.get("mood_word")
    read_as = ""
    if word and mood and word.lower() not in (mood, MOODS[mood][0].lower()):
        read_as = f"（“{word}”对应{label}风格）" if zh else f" (closest to \"{word}\")"
        if any(word in words for words in MOOD_COMPLAINTS.values()):  # "the music is kinda depressing"
            read_as = f"（你说现在的音乐“{word}”）" if zh else f" (you said it felt \"{word}\")"
    if f.get("added"):
        return (f"加上了{label}背景音乐{read_as}，音量{pct(f['volume'])}。" if zh
                else f"Added {label} background music{read_as} at {pct(f['volume'])}.")
    if f.get("unmuted"):
        return f"恢复了音乐，音量{pct(f['volume'])}。" if zh else f"Music back on at {pct(f['volume'])}."
    if f.get("variation"):
        return f"换了一首{label}音乐。" if zh else f"Switched to a different {label} track."
    return (f"音乐换成了{label}风格{read_as}。" if zh else f"Switched the music to {label}{read_as}.")


def _remove_music(a: dict, f: dict, zh: bool) -> str:
    return "去掉了背景音乐，视频现在没有声音。" if zh else "Removed the music: the video is now silent."


def _volume(a: dict, f: dict, zh: bool) -> str:
    if f.get("added"):
        return (f"原来没有背景音乐，所以加上了{f.get('name')}背景音乐，音量{pct(f['volume'])}。" if zh
                else f"There was no music, so I added {f.get('name')} background music at {pct(f['volume'])}.")
    return (f"音乐音量从{pct(f['before'])}调到{pct(f['volume'])}。" if zh
            else f"Music volume {pct(f['before'])} → {pct(f['volume'])}.")


def _music_fade(a: dict, f: dict, zh: bool) -> str:
    fi, fo = f.get("fade_in") or 0, f.get("fade_out") or 0
    return (f"音乐淡入{s(fi)}秒、淡出{s(fo)}秒。" if zh else f"Music fades in over {s(fi)} s and out over {s(fo)} s.")


COLOR_ZH = {"#ffffff": "白色", "#000000": "黑色", "#e11d2a": "红色", "#f97316": "橙色", "#facc15": "黄色", "#d4a017": "金色",
            "#16a34a": "绿色", "#2563eb": "蓝色", "#1e3a8a": "藏青色", "#7c3aed": "紫色", "#ec4899": "粉色",
            "#6b7280": "灰色"}
SIZE_ZH = {"small": "小号", "medium": "中号", "large": "大号", "xlarge": "特大号"}
FONT_ZH = {"sans": "黑体（无衬线）", "inter": "Inter 字体", "serif": "衬线字体"}
BG_EN = {"box": "on a card", "none": "with no background", "shadow": "with a drop shadow", "outline": "with an outline"}
BG_ZH = {"box": "带底框", "none": "无背景", "shadow": "带阴影", "outline": "带描边"}
ANIM_EN = {"typewriter": "typed out", "slide_up": "sliding up", "pop": "popping in", "fade": "fading in",
           "none": "without animation"}
ANIM_ZH = {"typewriter": "打字机效果", "slide_up": "向上滑入", "pop": "弹出", "fade": "淡入", "none": "无动画"}
CORNER_ZH = {"top_left": "左上角", "top_right": "右上角", "bottom_left": "左下角", "bottom_right": "右下角",
             "top": "顶部", "bottom": "底部", "center": "居中", "lower_third": "下三分之一"}


def _style_parts(f: dict, zh: bool) -> list[str]:
    """The style as words: "red (#e11d2a)", "large", "bold", "serif", "at the bottom"…"""
    st = f.get("style") or {}
    parts = []
    if st.get("color"):
        word = f.get("color_word") or ""
        parts.append(COLOR_ZH.get(st["color"], st["color"]) if zh
                     else st["color"] if not word or word.startswith("#") else f"{word} ({st['color']})")
    if st.get("size") is not None:
        size = st["size"]
        parts.append(SIZE_ZH.get(size, f"{size}像素") if zh else (f"{size} px" if isinstance(size, int) else str(size)))
    if st.get("weight"):
        parts.append(("粗体" if st["weight"] == "bold" else "常规粗细") if zh else st["weight"])
    if st.get("font"):
        parts.append(FONT_ZH.get(st["font"], st["font"]) if zh else f"{st['font']} font")
    if st.get("bg"):
        parts.append(BG_ZH.get(st["bg"], "") if zh else BG_EN.get(st["bg"], ""))
    if st.get("position"):
        parts.append(CORNER_ZH.get(st["position"], "") if zh else "at the " + st["position"].replace("_", " "))
    if st.get("anim"):
        parts.append(ANIM_ZH.get(st["anim"], "") if zh else ANIM_EN.get(st["anim"], ""))
    return [p for p in parts if p]


def _text_style(a: dict, f: dict, zh: bool) -> str:
    parts = _style_parts(f, zh)
    if f.get("default"):
        return (f"之后加的文字会用：{'、'.join(parts)}。" if zh else f"New texts will be {', '.join(parts)}.")
    texts = "、".join(f"“{t}”" for t in f["texts"]) if zh else ", ".join(f'"{t}"' for t in f["texts"])
    return f"{texts}的样式：{'、'.join(parts)}。" if zh else f"Styled {texts}: {', '.join(parts)}."


def _logo(a: dict, f: dict, zh: bool) -> str:
    if f.get("removed"):
        return "这个视频不显示 Logo。" if zh else "No logo on this video."
    corner = CORNER_ZH.get(f["corner"], f["corner"]) if zh else f["corner"].replace("_", " ")
    return (f"Logo（{f['name']}）显示在{corner}，每一帧都有。" if zh
            else f"Your logo ({f['name']}) shows in the {corner} corner of every frame.")


def _end_card(a: dict, f: dict, zh: bool) -> str:
    if f.get("removed"):
        return "去掉了片尾卡片。" if zh else "Removed the end card."
    bg = ("模糊背景" if f["bg"] == "blur" else COLOR_ZH.get(f["bg"], f["bg"]) + "背景") if zh else \
        ("over the blurred video" if f["bg"] == "blur" else f"on {f.get('bg_word') or f['bg']}")
    return (f"最后{s(f['ms'])}秒是片尾卡片：“{f['text']}”，{bg}，带 Logo（如有）。" if zh
            else f"The last {s(f['ms'])} s are an end card saying \"{f['text']}\" {bg}, with your logo if there is one.")


_LINES = {
    "build": _build, "set_duration": _duration, "set_photo_duration": _photo_duration, "set_pacing": _pacing,
    "reorder": _reorder, "remove_photos": _remove_photos, "set_transition": _transition, "set_motion": _motion,
    "set_fit": _fit, "set_aspect": _aspect, "set_resolution": _resolution, "set_fade": _fade,
    "set_beat_sync": _beat, "add_text": _add_text, "edit_text": _edit_text, "move_text": _move_text,
    "remove_text": _remove_text, "set_music": _music, "remove_music": _remove_music, "set_volume": _volume,
    "music_fade": _music_fade, "set_text_style": _text_style, "set_logo": _logo, "set_end_card": _end_card,
}


# --- the intro's plan: a short phrase per operation ------------------------------------------------------
def plan_phrase(name: str, args: dict, f: dict, draft: Any, zh: bool) -> str:
    """"building a 30-second video from your 10 photos", "switching to vertical (9:16)"… for the intro."""
    n = len(draft.video.segments) if draft.video is not None else 0
    phrases = _plan_table(args, f, draft, n, s(draft.duration_ms)).get(name)
    return "" if phrases is None else phrases[0 if zh else 1]


def _plan_table(args: dict, f: dict, draft: Any, n: int, total: str) -> dict[str, tuple[str, str]]:
    """The intro's phrase per operation: (Chinese, English)."""
    kind = f.get("type")
    return {
        "build": (f"用你的{n}张照片做一个{total}秒的视频",
                 f"making {_a(total)} {total}-second video from " + (f"your {n} photos" if n != 1 else "one photo")),
        "set_duration": (f"把时长改成{total}秒",
                        f"setting the length to {total} s"),
        "set_photo_duration": ("调整照片显示时间",
                              "changing how long a photo shows"),
        "set_pacing": ("加快节奏" if f.get("faster") else "放慢节奏",
                      "speeding up the pacing" if f.get("faster") else "slowing down the pacing"),
        "reorder": ("调整照片顺序",
                   "reordering the photos"),
        "remove_photos": ("删除照片",
                         "removing photos"),
        "set_transition": ("去掉转场" if kind == "none" else _retime_zh(args, f) or f"加上{TRANSITION_ZH.get(kind or '', '')}转场",
                          "removing the transitions" if kind == "none" else _retime_en(args, f) or f"adding {TRANSITION_EN.get(kind or '', '')} transitions"),
        "set_motion": (f"设置{MOTION_ZH.get(f.get('motion', 'auto'), '')}",
                      f"setting {MOTION_EN.get(f.get('motion', 'auto'), 'motion')}"),
        "set_fit": ("调整画面填充方式",
                   "changing how photos fill the frame"),
        "set_aspect": (f"改成{f.get('label_zh', draft.aspect)}",
                      f"switching to {f.get('label_en', draft.aspect)}"),
        "set_resolution": ("设置输出尺寸",
                          "setting the output size"),
        "set_fade": ("设置淡入淡出",
                    "setting the fades"),
        "set_beat_sync": ("让切换对齐节拍" if f.get("on") else "取消卡点",
                         "syncing cuts to the beat" if f.get("on") else "turning off cuts on the beat"),
        "add_text": (f"加上“{f.get('text', '')}”",
                    f"adding the {ROLE_EN.get(f.get('role'), 'text')} \"{f.get('text', '')}\""),
        "edit_text": (f"把文字改成“{f.get('text', '')}”",
                     f"changing the text to \"{f.get('text', '')}\""),
        "move_text": ("调整文字显示时长" if args.get("dur_factor") or args.get("dur_delta_ms") else "移动文字",
                     "changing how long the text shows" if args.get("dur_factor") or args.get("dur_delta_ms") else "moving the text"),
        "remove_text": ("删除文字",
                       "removing the text"),
        "set_music": (f"加上{MOOD_ZH.get(f.get('mood') or '', f.get('name') or '')}背景音乐",
                     f"adding {f.get('name')} background music" if f.get("added") else f"switching the music to {f.get('name')}"),
        "remove_music": ("去掉背景音乐",
                        "removing the music"),
        "set_volume": (f"加上音量{pct(f.get('volume'))}的背景音乐" if f.get("added") else f"把音乐音量调到{pct(f.get('volume'))}",
                      f"adding background music at {pct(f.get('volume'))}" if f.get("added") else f"setting the music to {pct(f.get('volume'))}"),
        "music_fade": ("设置音乐淡入淡出",
                      "fading the music"),
        "set_text_style": ("修改文字样式",
                          "styling the text"),
        "set_logo": ("去掉 Logo" if args.get("remove") else "加上 Logo",
                    "removing the logo" if args.get("remove") else "adding your logo"),
        "set_end_card": ("去掉片尾卡片" if args.get("remove") else "加上片尾卡片",
                        "removing the end card" if args.get("remove") else "adding an end card"),
    }


def _a(number: object) -> str:
    """The article before a spoken number: "an 8-second", "an 18-second", "a 30-second"."""
    whole = str(number).split(".")[0]
    return "an" if whole.startswith("8") or whole in ("11", "18") or (len(whole) in (5, 6) and whole[:2] in ("11", "18")) \
        else "a"


def _retime_en(args: dict, f: dict) -> str:
    """Intro phrase when only the transitions' length changes ("make the transitions quicker")."""
    if args.get("type"):
        return ""
    if args.get("speed"):
        return "making the transitions " + ("quicker" if args["speed"] == "faster" else "slower")
    return f"setting the transitions to {s(f['ms'])} s" if args.get("ms") and f.get("ms") else ""


def _retime_zh(args: dict, f: dict) -> str:
    if args.get("type"):
        return ""
    if args.get("speed"):
        return "加快转场" if args["speed"] == "faster" else "放慢转场"
    return f"把转场时长改成{s(f['ms'])}秒" if args.get("ms") and f.get("ms") else ""


# --- "already so" lines for operations that changed nothing ----------------------------------------------
def already_line(name: str, args: dict, f: dict, zh: bool) -> str:
    if name == "build":
        return (f"你的{f.get('photos')}张照片已经都在时间线上了。" if zh
                else f"All your photos are already on the timeline ({f.get('photos')}).")
    if name == "set_duration":
        return f"视频已经是{s(f['total_ms'])}秒了。" if zh else f"The video is already {s(f['total_ms'])} s long."
    if name == "set_aspect":
        return f"画面已经是{f['label_zh']}了。" if zh else f"It is already {f['label_en']}."
    if name == "set_music":
        return (f"已经有背景音乐了（{f.get('name')}，{pct(f.get('volume'))}）。" if zh
                else f"There is already background music ({f.get('name')}, {pct(f.get('volume'))}).")
    if name == "remove_music":
        return "现在没有背景音乐。" if zh else "There is no music to remove."
    if name == "set_volume":
        return f"音乐音量已经是{pct(f.get('volume'))}。" if zh else f"The music is already at {pct(f.get('volume'))}."
    if name == "set_transition":
        return "转场已经是这样设置的。" if zh else "The transitions are already set that way."
    if name == "set_motion":
        return "照片的运动效果已经是这样了。" if zh else "The photos already move that way."
    if name == "add_text":
        return f"“{f.get('text')}”已经在视频里了。" if zh else f"\"{f.get('text')}\" is already in the video."
    if name == "remove_photos":
        return "照片数量已经是这样了。" if zh else "Those are already all the photos in the video."
    if name == "reorder":
        return "照片已经是这个顺序了。" if zh else "The photos are already in that order."
    if name in ("set_photo_duration", "set_pacing"):
        return "照片时长已经是这样了。" if zh else "The photos already show for that long."
    if name in ("set_fade", "music_fade"):
        return "淡入淡出已经是这样设置的。" if zh else "The fades are already set that way."
    if name == "set_text_style":
        return "文字已经是这个样式了。" if zh else "The text already looks like that."
    if name == "set_logo":
        return "Logo 已经是这样了。" if zh else "The logo is already like that."
    if name == "set_end_card":
        return "片尾卡片已经是这样了。" if zh else "The end card is already like that."
    return "这一项已经是这样了。" if zh else "That is already the case."


# --- errors and notes -------------------------------------------------------------------------------------
UPLOAD_FIRST_EN = ("Upload photos first — in the widget's Media panel, with `%nemo upload photo.jpg`, or with "
                   "`studio.upload('photo.jpg')` — then tell me what to make, e.g. \"turn these photos into a "
                   "30-second video\".")
UPLOAD_FIRST_ZH = ("请先上传照片：在小部件的 Media 面板上传，或用 `%nemo upload photo.jpg`，或 "
                   "`studio.upload('photo.jpg')`，然后告诉我要做什么，例如“把这些照片做成30秒的视频”。")


def error_line(key: str, p: dict[str, Any], zh: bool) -> str:
    en = {
        "no_media": UPLOAD_FIRST_EN,
        "empty": UPLOAD_FIRST_EN,
        "bad_length": f"I can't make a video {span(p.get('ms', 0), False)} long: a video can be "
                      f"{span(p.get('min_ms', 0), False)} to {span(p.get('max_ms', 0), False)} long. Say e.g. "
                      "\"make it 30 seconds\".",
        "too_much_shorter": f"The video is only {span(p.get('before_ms', 0), False)} long, so it can't be "
                            f"{span(p.get('ms', 0), False)} shorter. Say the length you want, e.g. \"make it 10 "
                            "seconds\".",
        "bad_photo_length": f"A photo can't show for {s(p.get('ms', 0))} s: say e.g. \"2 seconds per photo\" "
                            f"(up to {s(p.get('max_ms', 0))} s).",
        "no_photo_named": f"I couldn't find a photo matching \"{p.get('word')}\" among the {p.get('count')} "
                          "on the timeline.",
        "no_such_photo": f"There is no photo {p.get('n')}: the timeline has {p.get('count')}.",
        "no_text_saying": f"No title or caption says \"{p.get('text')}\"; say e.g. \"change the title to 'Big Sale'\".",
        "one_photo": "There is only one photo, so there is nothing to reorder.",
        "one_photo_transition": "There is only one photo, so there are no transitions to set.",
        "same_photo": "Those are the same photo, so nothing moved.",
        "no_destination": "I didn't catch where to move it (e.g. \"put the cat photo last\").",
        "remove_all": "I can't remove every photo: a video needs at least one.",
        "no_text": f"There is no {ROLE_EN.get(p.get('role'), 'text')} to change.",
        "no_music": "There is no music yet: say \"add background music\" first.",
        "no_audio_upload": "There is no uploaded audio file: upload an MP3/WAV/M4A first, or pick a built-in mood "
                           "(lo-fi, upbeat, cinematic, calm).",
        "no_logo": "There is no logo yet: set your brand kit with studio.brand(logo='logo.png'), or upload a file "
                   "named like logo.png (a PNG with transparency works best).",
        "need_card_text": "What should the end card say? E.g. \"end with a card saying 'Order at example.com'\".",
        "no_end_card": "There is no end card to remove.",
    }
    zh_t = {
        "no_media": UPLOAD_FIRST_ZH,
        "empty": UPLOAD_FIRST_ZH,
        "bad_length": f"不能做{span(p.get('ms', 0), True)}的视频：时长可以是{span(p.get('min_ms', 0), True)}到"
                      f"{span(p.get('max_ms', 0), True)}。例如说“改成30秒”。",
        "too_much_shorter": f"视频只有{span(p.get('before_ms', 0), True)}，不能再缩短{span(p.get('ms', 0), True)}。"
                            "请直接说想要的时长，例如“改成10秒”。",
        "bad_photo_length": f"照片不能显示{s(p.get('ms', 0))}秒：例如说“每张2秒”（最长{s(p.get('max_ms', 0))}秒）。",
        "no_photo_named": f"时间线上的{p.get('count')}张照片里没有找到“{p.get('word')}”。",
        "no_such_photo": f"没有第{p.get('n')}张照片：时间线上只有{p.get('count')}张。",
        "no_text_saying": f"没有写着“{p.get('text')}”的标题或字幕；可以说：把标题改成“大促”。",
        "one_photo": "只有一张照片，没有顺序可调。",
        "one_photo_transition": "只有一张照片，没有转场可设置。",
        "same_photo": "这是同一张照片，顺序没有变化。",
        "no_destination": "没听清要移到哪里（例如“把第一张放到最后”）。",
        "remove_all": "不能删除所有照片：视频至少需要一张。",
        "no_text": f"视频里还没有{ROLE_ZH.get(p.get('role'), '文字')}。",
        "no_music": "还没有背景音乐：请先说“加上背景音乐”。",
        "no_audio_upload": "还没有上传音频文件：请先上传 MP3/WAV/M4A，或选择内置风格（轻松、欢快、电影感、舒缓）。",
        "no_logo": "还没有 Logo：请用 studio.brand(logo='logo.png') 设置品牌，或上传名字里带 logo 的图片（透明背景的 PNG 最好）。",
        "need_card_text": "片尾卡片要写什么？例如：结尾加一张写着“官网下单”的卡片。",
        "no_end_card": "没有片尾卡片可以去掉。",
    }
    return (zh_t if zh else en).get(key, key)


def kept_line(words: str, zh: bool) -> str:
    """Said for "标题不要动" / "leave the music alone": it stays as it is (nothing was removed)."""
    return f"好的，保持不变（“{words}”）。" if zh else f"OK, leaving that as it is (\"{words}\")."


def unsupported_line(what: str, zh: bool) -> str:
    """Said for a feature this editor does not have (it never pretends to have done it)."""
    en = {
        "filter": "I can't apply colour filters or adjust brightness/contrast in this editor.",
        "overlay": "I can't add stickers or emoji overlays; a logo yes: upload it (named like logo.png) or set "
                   "studio.brand(logo=...), then say \"put our logo in the corner\".",
        "voice": "I can't record or generate a voice-over; upload an audio file and say \"use my audio\".",
        "auto_captions": "I can't generate subtitles from audio; add captions with their words, e.g. "
                         "\"add a caption 'Hello' at the start\".",
        "text_style": "I can't make text italic or underlined; I can change its colour, size, font (sans, inter, "
                      "serif; bold or regular), background (box, none, shadow, outline), place and animation, e.g. "
                      "\"make the title red\".",
        "fps": "Videos are made at 30 frames per second; the frame rate can't be changed here.",
        "text_anim": "How fast titles fade can't be changed here; I can make them type out, slide up or pop "
                     "(e.g. \"make the title pop\"), or change when they show.",
        "export_format": "I can't export GIFs or other formats here — only MP4 (H.264 + AAC), which every platform "
                         "takes; say \"export\" for the MP4.",
        "cutout": "I can't cut out or remove a photo's background here; I can fit the whole photo on a blurred "
                  "background (\"don't crop\") or leave a photo out (\"remove photo 2\").",
        "face_blur": "I can't blur faces or parts of a photo here; I can leave a photo out (\"remove photo 3\").",
        "sfx": "I can't add sound effects; one music track plays under the video (lo-fi, upbeat, cinematic, calm, "
               "or your own upload).",
        "effects": "I can't add visual effects like sparkles or confetti; I can change the transitions, the photos' "
                   "motion and how texts appear (fade, slide up, pop, typewriter).",
        "countdown": "I can't add a running countdown or timer; I can put a text on screen, e.g. \"add a caption "
                     "'Sale ends Sunday' at the end\".",
        "qr": "I can't make a QR code here; upload the QR code as an image and it becomes a photo of the video, or put "
              "the link on an end card (\"end with a card saying 'example.com'\").",
        "translate": "I can't translate texts; give me the words and I'll put them on screen, e.g. "
                     "\"change the title to 'Gran Venta'\".",
        "publish": "I can't post, schedule or send the video from here; say \"export\" for the MP4 and upload it "
                   "yourself (I can fit it to the platform first, e.g. \"make it for Instagram\").",
        "post": "I can't post it for you; say \"export\" for the MP4 and upload it yourself.",
        "retouch": "I can't retouch people or change colours inside a photo here; I can leave a photo out "
                   "(\"remove photo 3\"), fit it whole on a blurred background, or change how it moves.",
        "disc": "I can't burn a DVD or disc here; say \"export\" for the MP4 — a disc-burning app or a USB stick "
                "takes it from there.",
        "music_link": "I can't fetch music from a streaming link; download the track (if its licence allows) and "
                      "upload the audio file, then say \"use my music\".",
        "file_size": "I can't aim at a file size; a 720p video is a smaller file (say \"make it 720p\"), and a shorter "
                     "one too.",
        "music_span": "The music always plays over the whole video (fading in and out); I can't play it over only "
                      "part of it. You can change its fades, e.g. \"fade the music out over 3 seconds\".",
    }
    zh_t = {
        "filter": "这个编辑器不能加滤镜或调整亮度、对比度。",
        "overlay": "不能加贴纸或表情；可以加 Logo：上传名字带 logo 的图片或用 studio.brand(logo=...) 设置，然后说“把 Logo 放在角落”。",
        "voice": "不能录制或生成配音；可以上传音频文件，然后说“用我的音乐”。",
        "auto_captions": "不能根据音频自动生成字幕；可以直接告诉我字幕内容，例如：在开头加上字幕“你好”。",
        "text_style": "不能设置斜体或下划线；可以改文字的颜色、大小、字体（黑体、Inter、衬线；粗体或常规）、背景（底框、无、阴影、描边）、位置和动画，例如“标题改成红色”。",
        "fps": "视频固定为每秒30帧，这里不能修改帧率。",
        "text_anim": "淡入淡出的速度不能调整；可以用打字机、上滑或弹出动画（例如“标题用打字机效果”），或修改显示时间。",
        "export_format": "这里不能导出 GIF 或其他格式，只能导出 MP4（H.264 + AAC），各平台都支持；说“导出”即可。",
        "cutout": "这里不能抠图或去掉照片背景；可以完整显示照片并用模糊背景填充（说“不要裁剪”），或者去掉某张照片（“删掉第2张”）。",
        "face_blur": "这里不能给人脸或照片局部打码；可以去掉那张照片（“删掉第3张”）。",
        "sfx": "不能加音效；视频下面只有一条背景音乐（轻松、欢快、电影感、舒缓，或你上传的音频）。",
        "effects": "不能加闪光、撒花之类的特效；可以改转场、照片的运动效果和文字动画（淡入、上滑、弹出、打字机）。",
        "countdown": "不能加会走的倒计时；可以加一行文字，例如：结尾加上字幕“周日截止”。",
        "qr": "这里不能生成二维码；可以把二维码图片上传，它会作为一张照片放进视频，或者把链接写在片尾卡片上（例如：结尾加一张写着“example.com”的卡片）。",
        "translate": "不能自动翻译文字；告诉我要显示的文字即可，例如：把标题改成“Summer Sale”。",
        "publish": "这里不能直接发布、定时发布或发送视频；说“导出”拿到 MP4 后自己上传即可（可以先按平台调整画面，例如“改成抖音竖屏”）。",
        "post": "我不能替你发布；说“导出”拿到 MP4 后自己上传即可。",
        "retouch": "这里不能美颜、修图或改照片里的颜色；可以去掉某张照片（“删掉第3张”）、用模糊背景完整显示，或改照片的运动效果。",
        "disc": "这里不能刻录光盘或 DVD；说“导出”拿到 MP4，再用刻录软件或 U 盘即可。",
        "music_link": "不能从音乐平台的链接取歌；请把音频文件下载下来（注意版权）再上传，然后说“用我的音乐”。",
        "file_size": "不能指定文件大小；可以改成720p让文件更小（说“改成720p”），或者把视频改短一些。",
        "music_span": "背景音乐总是覆盖整个视频（开头淡入、结尾淡出），不能只放其中一段；可以调整淡入淡出，例如：音乐淡出3秒。",
    }
    return (zh_t if zh else en).get(what, "")


def cant_line(said: str, zh: bool) -> str:
    """Said for a request that matches nothing this editor does: plainly "can't", never a guess."""
    return (f"这个我做不到：“{said}”不是我会做的修改。我可以改照片（顺序、时长、运动）、文字、音乐、转场、淡入淡出和画面比例。" if zh
            else f"I can't do that here: \"{said}\" isn't a change I know how to make. I can change the photos "
                 "(order, length, motion), texts, music, transitions, fades and the format.")


def _note_vague_length(p: dict[str, Any], zh: bool) -> str:
    change = "longer" if p["factor"] > 1 else "shorter"
    return (f"你没有说具体时长，我改成了{s(p['ms'])}秒。" if zh
            else f"You didn't say how much {change}, so I went for {s(p['ms'])} s — say e.g. \"make it 20 seconds\" "
                 "for an exact length.")


def _note_text_default_place(p: dict[str, Any], zh: bool) -> str:
    if p["anchor"] == "start":
        return ("你没说放在哪里，我把它放在开头。" if zh
                else "You didn't say when, so it shows at the start — say \"at the end\" or \"from 5 to 8 seconds\" "
                     "to move it.")
    return ("你没说放在哪里，我让它全程显示。" if zh
            else "You didn't say when, so it shows for the whole video — say \"at the end\" or "
                 "\"from 5 to 8 seconds\" to place it.")


def _note_typos(p: dict[str, Any], zh: bool) -> str:
    pairs = ", ".join(f"\"{a}\" as \"{b}\"" for a, b in p["fixes"])
    return f"（我把 {pairs} 理解了。）" if zh else f"(I read {pairs}.)"


def _note_partly_unknown(p: dict[str, Any], zh: bool) -> str:
    parts = "”、“".join(p["parts"]) if zh else "\", \"".join(p["parts"])
    return f"我没有理解“{parts}”，这部分没有改动。" if zh else f"I didn't understand \"{parts}\", so I left that out."


def _note_assumed_default(p: dict[str, Any], zh: bool) -> str:
    return (f"你没有说具体要求，我用{p['n']}张照片做了一个默认视频（交叉淡化转场、Lo-fi 背景音乐）——可以告诉我时长、平台或音乐风格来调整。"
            if zh else f"You didn't say what you wanted, so I assumed a slideshow of your {p['n']} photos with "
                       "crossfades and Lo-fi music — tell me a length, a platform or a music mood to change it.")


def _note_conflict(p: dict[str, Any], zh: bool) -> str:
    return (f"你同时提到了{p['first']}和{p['second']}，我用了后面的{p['second']}。" if zh
            else f"You mentioned both {p['first']} and {p['second']}; I went with {p['second']}.")


def _complaint_line(p: dict[str, Any], zh: bool) -> str:
    """After "声音太大了" / "the photos go by too fast": how to go further or set it exactly."""
    if p["what"] == "volume":
        again = ("再小声点" if p["step"] < 0 else "再大声点") if zh else ("quieter" if p["step"] < 0 else "louder")
        return (f"还要调整可以说“{again}”，或者直接说“音乐调到20%”。" if zh
                else f"Say \"{again}\" again for another step, or a number like \"music at 20%\".")
    again = ("再慢一点" if p["step"] > 0 else "再快一点") if zh else ("slower" if p["step"] > 0 else "faster")
    return (f"还要调整可以说“{again}”，或者直接说“每张照片2秒”。" if zh
            else f"Say \"{again}\" again for another step, or an exact length like \"each photo 2 seconds\".")


#: Notes the reply adds after the edits, by key: (params, zh) → the sentence.
_NOTES: dict[str, Callable[[dict[str, Any], bool], str]] = {
    "complaint": lambda p, zh: _complaint_line(p, zh),
    "pace_meant_transitions": lambda p, zh: ("我理解为刚加的转场；要让照片换得快慢，可以说“每张照片2秒”或“节奏快一点”。" if zh
                else "I took that to mean the transitions just added; for the photos' pace, say e.g. \"each photo "
                     "2 seconds\" or \"faster pacing\"."),
    "fades_meant_transitions": lambda p, zh: ("我理解为照片之间的转场；要改开头结尾的淡入淡出，可以说“淡入淡出2秒”。" if zh
                else "I took the fades to be the transitions between the photos; for the fade in and out at the "
                     "start and end, say e.g. \"fade in and out over 2 seconds\"."),
    "implicit_build": lambda p, zh: (f"（先用你的{p['n']}张照片做成了视频。）" if zh
                else f"I started from a slideshow of your {p['n']} photo{'s' if p['n'] != 1 else ''}."),
    "ambiguous_photo": lambda p, zh: (f"有{p['count']}张照片都和“{p['word']}”相符，我用了第{p['n']}张（{p['name']}）。" if zh
                else f"{p['count']} photos match \"{p['word']}\"; I used photo {p['n']} ({p['name']}) — "
                     "say \"photo N\" to pick another."),
    "used_first_n": lambda p, zh: (f"你说了{p['n']}张，我用了前{p['n']}张（共{p['total']}张）。" if zh
                else f"You said {p['n']} photos, so I used the first {p['n']} of your {p['total']}."),
    "fewer_photos": lambda p, zh: (f"你说了{p['n']}张，但只上传了{p['total']}张，我全部用上了。" if zh
                else f"You mentioned {p['n']} photos but there are {p['total']}; I used all of them."),
    "picked_latest": lambda p, zh: (f"你说的是“这张”，我用了最后上传的{p['name']}。" if zh
                else f"You said \"this image\", so I used the latest upload, {p['name']}."),
    "bad_length": lambda p, zh: (f"不能做{span(p['ms'], True)}的视频（时长可以是{span(p['min_ms'], True)}到{span(p['max_ms'], True)}），"
                "所以用了默认时长。" if zh
                else f"A video can be {span(p['min_ms'], False)} to {span(p['max_ms'], False)} long, not "
                     f"{span(p['ms'], False)}, so I used the default length."),
    "photo_length_clamped": lambda p, zh: (f"每张照片可以显示{s(p['min_ms'])}到{s(p['max_ms'])}秒，所以用了{s(p['ms'])}秒。" if zh
                else f"A photo can show for {s(p['min_ms'])} s to {s(p['max_ms'])} s, so I used {s(p['ms'])} s."),
    "text_cut": lambda p, zh: (f"文字有{p['length']}个字符，屏幕上最多放{p['limit']}个（汉字算两个），所以截短了；可以改成更短的文字。" if zh
                else f"That text is {p['length']} characters; on screen I keep at most {p['limit']}, so I cut it — "
                     "a shorter text reads better."),
    "text_undrawable": lambda p, zh: (f"视频字体里没有 {p['chars']}，这些字符不会显示在画面上。" if zh
                else f"The video's font has no {p['chars']}, so those characters are left out on screen."),
    "text_wraps": lambda p, zh: ("这段文字比较长，会换成几行显示，字也会小一些。" if zh
                else f"That text is long ({p['length']} characters), so it will wrap onto more than "
                     "one line."),
    "too_long": lambda p, zh: (f"最长{span(p['ms'], True)}，所以用了{span(p['ms'], True)}。" if zh
                else f"The longest I make is {span(p['ms'], False)}, so I used that."),
    "too_short": lambda p, zh: (f"{p['photos']}张照片最短需要{s(p['ms'])}秒。" if zh
                else f"With {p['photos']} photos the shortest I can go is {s(p['ms'])} s."),
    "fast_photos": lambda p, zh: (f"每张照片只有约{s(p['per_ms'])}秒，会很快。" if zh
                else f"That is only about {s(p['per_ms'])} s per photo — quick cuts."),
    "transition_clamped": lambda p, zh: (f"转场不能超过最短照片的一半，设为{s(p['ms'])}秒。" if zh
                else f"Transitions can't be longer than half the shortest photo, so I used {s(p['ms'])} s."),
    "text_past_end": lambda p, zh: (f"视频只有{s(p['total_ms'])}秒，所以放在了结尾。" if zh
                else f"The video is only {s(p['total_ms'])} s long, so I put it at the end."),
    "used_own_audio": lambda p, zh: f"用了你上传的音频 {p['name']}。" if zh else f"I used your uploaded audio, {p['name']}.",
    "volume_capped": lambda p, zh: "音量最高100%，所以用了100%。" if zh else "Volume goes up to 100%, so I used 100%.",
    "beat_sync_no_music": lambda p, zh: "还没有音乐，加上音乐后会对齐节拍。" if zh else "There is no music yet; cuts will follow the beat once you add some.",
    "nearest_aspect": lambda p, zh: (f"没有{p['asked_zh']}这个比例，用了最接近的{p['used']}。" if zh
                else f"I can't make {p['asked']}; I used the nearest format I make, {p['used']}."),
    "unwanted_format": lambda p, zh: (f"视频现在就是{p['now']}，所以改成了{p['used']}；想要别的比例可以直接说，例如“方形”或“4:5”。" if zh
                else f"The video was {p['now']}, so I made it {p['used']} — name another format (\"square\", \"4:5\") "
                     "if you meant that."),
    "max_1080": lambda p, zh: "最高输出1080p。" if zh else "The highest output is 1080p, so I kept it at 1080p.",
    "replaced_title": lambda p, zh: (f"开头已有标题“{p['old']}”，我把它换成了新标题。" if zh
                else f"There was already an opening title (\"{p['old']}\"), so I replaced it."),
    "edited_first_text": lambda p, zh: "有多段文字，我改了第一段。" if zh else "There are several texts; I changed the first one.",
    "clipped": lambda p, zh: (f"消息太长，我只读了前{p['n']}个要求；其余的请分开发送。" if zh
                             else f"That message is long: I read its first {p['n']} requests — send the rest separately."),
    "reading": lambda p, zh: (
        (f"我把{s(p['ms'])}秒理解为每张照片的时长；如果是指整个视频，请说“视频{s(p['ms'])}秒”。" if p["as"] == "per_photo"
         else f"我把{s(p['ms'])}秒理解为整个视频的时长；如果是指每张照片，请说“每张{s(p['ms'])}秒”。") if zh
        else (f"I read {s(p['ms'])} s as each photo's length — say \"make the video {s(p['ms'])} seconds\" if you meant "
              "the whole video." if p["as"] == "per_photo" else
              f"I read {s(p['ms'])} s as the whole video's length — say \"{s(p['ms'])} seconds per photo\" if you meant "
              "each photo.")),
    "long_span": lambda p, zh: (f"我把“{p['text']}”当作要显示的文字；如果不对，请把文字放在引号里。" if zh
                else f"I took \"{p['text']}\" as the words to show — if part of it was meant as a request, "
                     "put the words in quotes."),
    "distractor": lambda p, zh: (f"“{p['words']}”里的数字我没有用。" if zh
                else f"I didn't use the number in \"{p['words']}\"."),
    "vague_length": _note_vague_length,
    "text_default_place": _note_text_default_place,
    "typos": _note_typos,
    "partly_unknown": _note_partly_unknown,
    "assumed_default": _note_assumed_default,
    "conflict": _note_conflict,
}


def note_line(key: str, p: dict[str, Any], zh: bool) -> str:
    """The sentence for note ``key`` (empty when there is none)."""
    note = _NOTES.get(key)
    return note(p, zh) if note else ""
