"""The agent against the way people actually ask: many phrasings per request, English and Chinese,
typos, polite filler, several requests in one sentence. Written from how people talk about edits,
not from the cases file; each row is (starting state, request, result words — see docs/agent.md).
"""

from __future__ import annotations

import pytest

from nemo_nb.draft import Draft
from nemo_nb.engine.agent import AgentContext, respond
from tests.test_agent_docs import check, context, media

PHRASINGS: list[tuple[str, str, str]] = [
    # --- building -------------------------------------------------------------------------------------
    ("photos", "Make me a video out of these pictures", "photos 6; length 18 s"),
    ("photos", "can you put these together into a slideshow?", "photos 6"),
    ("photos", "create a 20 sec clip from my photos", "length 20 s; photos 6"),
    ("photos", "I need a 45-second promo video from these images", "length 45 s"),
    ("photos", "turn my pics into a reel", "size 1080x1920; photos 6"),
    ("photos", "make a tiktok from these photos, 15s", "size 1080x1920; length 15 s"),
    ("photos", "stitch these photos together into a one minute montage", "length 60 s"),
    ("photos", "generate a short video (thirty seconds) with music", "length 30 s; music Lo-fi 35%"),
    ("photos", "make a video from the first 4 photos", "photos 4; length 12 s"),
    ("photos", "a 12s video please", "length 12 s; photos 6"),
    ("photos", "photos to video, 24 seconds, landscape", "length 24 s; size 1920x1080"),
    ("photos", "Make a slideshow with music and transitions", "music Lo-fi 35%; transition crossfade 0.6 s"),
    ("photos", "put together a quick 10 second story for instagram", "length 10 s; size 1080x1920"),
    ("photos", "turn these into a square video with calm piano music", "size 1080x1080; music Calm 35%"),
    ("photos", "I'd like a video with a crossfade between each photo", "transition crossfade 0.6 s"),
    ("one photo", "animate this photo", "photos 1; length 5 s; motion auto"),
    ("one photo", "bring this picture to life as a 7s clip", "length 7 s; photos 1"),
    ("one photo", "make a 15 second animated clip out of this image", "length 15 s; motion auto"),
    ("one photo", "turn the product shot into an eight-second video for stories", "length 8 s; size 1080x1920"),
    ("one photo", "turn this illustration into a twenty-second animation", "length 20 s"),
    ("photos", "把这些图片做成一个视频", "photos 6; reply zh"),
    ("photos", "用这些照片做一个15秒的抖音视频", "length 15 s; size 1080x1920; reply zh"),
    ("photos", "帮我把照片做成一分钟的幻灯片", "length 60 s; reply zh"),
    ("one photo", "把这张照片做成十秒的动画", "length 10 s; photos 1; reply zh"),
    ("photos", "做一个三十秒的视频，要有背景音乐", "length 30 s; music Lo-fi 35%; reply zh"),
    # --- length -----------------------------------------------------------------------------------------
    ("slideshow", "can you make it 25 seconds long", "length 25 s"),
    ("slideshow", "I want the whole thing to be 12s", "length 12 s"),
    ("slideshow", "trim it to 9 seconds", "length 9 s"),
    ("slideshow", "make the video thirty seconds", "length 30 s"),
    ("slideshow", "make it a 40-second video", "length 40 s"),
    ("slideshow", "cut it down to 10", "length 10 s"),
    ("slideshow", "shorten to 0:12", "length 12 s"),
    ("slideshow", "make it a minute and a half", "length 90 s"),
    ("slideshow", "change the length to 1.5 minutes", "length 90 s"),
    ("slideshow", "total duration 21 s", "length 21 s"),
    ("slideshow", "add 6 more seconds", "length 24 s"),
    ("slideshow", "make it 4 seconds shorter", "length 14 s"),
    ("slideshow", "it's too long", "length 14 s"),
    ("slideshow", "make it a bit longer", "length 24 s"),
    ("slideshow", "double the length", "length 36 s"),
    ("slideshow", "make it 20 secs", "length 20 s"),
    ("slideshow", "20sec", "length 20 s"),
    ("slideshow", "twenty five seconds please", "length 25 s"),
    ("slideshow", "时长改成25秒", "length 25 s; reply zh"),
    ("slideshow", "视频太长了，改成十二秒", "length 12 s; reply zh"),
    ("slideshow", "做成半分钟", "length 30 s; reply zh"),
    ("slideshow", "短一点", "length 14 s; reply zh"),
    # --- per-photo timing and pacing ----------------------------------------------------------------------
    ("slideshow", "give each photo 2.5 seconds", "photo 1 2.5 s; length 15 s"),
    ("slideshow", "each image for 4s", "photo 3 4 s; length 24 s"),
    ("slideshow", "show every picture for 1 second", "length 6 s"),
    ("slideshow", "hold the last photo longer", "photo 6 4.5 s"),
    ("slideshow", "make photo 3 shorter", "photo 3 2 s"),
    ("slideshow", "the third picture should be 6 seconds", "photo 3 6 s; length 21 s"),
    ("slideshow", "keep the cat photo on screen for 5 seconds", "photo 3 5 s"),
    ("slideshow", "linger on the 2nd photo", "photo 2 4.5 s"),
    ("slideshow", "speed it up", "photo 1 2.1 s"),
    ("slideshow", "make the pacing quicker", "photo 2 2.1 s"),
    ("slideshow", "it feels rushed, slow it down", "photo 1 4.2 s"),
    ("slideshow", "每张照片2秒", "photo 1 2 s; length 12 s; reply zh"),
    ("slideshow", "第二张照片显示5秒", "photo 2 5 s; reply zh"),
    ("slideshow", "放慢节奏", "photo 1 4.2 s; reply zh"),
    # --- order ------------------------------------------------------------------------------------------------
    ("slideshow", "swap photo 1 and photo 2", "order 2 1 3 4 5 6"),
    ("slideshow", "switch the first and last photos", "order 6 2 3 4 5 1"),
    ("slideshow", "exchange the 2nd and 4th pictures", "order 1 4 3 2 5 6"),
    ("slideshow", "swap the last two", "order 1 2 3 4 6 5"),
    ("slideshow", "put the coffee picture at the beginning", "order 5 1 2 3 4 6"),
    ("slideshow", "open with the coffee cup", "order 5 1 2 3 4 6"),
    ("slideshow", "end with the astronaut", "order 2 3 4 5 6 1"),
    ("slideshow", "move the beer photo to the front", "order 6 1 2 3 4 5"),
    ("slideshow", "make the book photo last", "order 1 3 4 5 6 2"),
    ("slideshow", "move photo 2 after photo 4", "order 1 3 4 2 5 6"),
    ("slideshow", "put the last photo before the second one", "order 1 6 2 3 4 5"),
    ("slideshow", "play them in reverse", "order 6 5 4 3 2 1"),
    ("slideshow", "reverse the photos", "order 6 5 4 3 2 1"),
    ("slideshow", "把最后一张放到最前面", "order 6 1 2 3 4 5; reply zh"),
    ("slideshow", "交换第一张和第三张", "order 3 2 1 4 5 6; reply zh"),
    ("slideshow", "倒序播放", "order 6 5 4 3 2 1; reply zh"),
    # --- removing photos -----------------------------------------------------------------------------------
    ("slideshow", "get rid of the last photo", "photos 5; length 15 s"),
    ("slideshow", "drop the 2nd picture", "photos 5"),
    ("slideshow", "take out the beer photo", "photos 5"),
    ("slideshow", "remove the first and second photos", "photos 4; order 3 4 5 6"),
    ("slideshow", "just use the first 2 photos", "photos 2"),
    ("slideshow", "keep only the last 3 pictures", "photos 3; order 4 5 6"),
    ("slideshow", "去掉最后一张", "photos 5; reply zh"),
    # --- transitions ---------------------------------------------------------------------------------------
    ("slideshow", "add some smooth transitions", "transition crossfade 0.6 s"),
    ("slideshow", "use dissolves between the photos", "transition dissolve 0.6 s"),
    ("slideshow", "wipe transitions please", "transition wipe_left 0.6 s"),
    ("slideshow", "zoom transitions", "transition zoom 0.6 s"),
    ("slideshow", "slide transitions from the left", "transition slide_right 0.6 s"),
    ("slideshow", "make the transitions 0.3 seconds", "transition crossfade 0.3 s"),
    ("slideshow", "transitions of half a second", "transition crossfade 0.5 s"),
    ("slideshow", "slow transitions", "transition crossfade 1 s"),
    ("slideshow", "remove the transitions", "no transitions"),
    ("slideshow", "just hard cuts please", "no transitions"),
    ("slideshow", "no fancy transitions", "no transitions"),
    ("slideshow", "用滑动转场", "transition slide_left 0.6 s; reply zh"),
    ("slideshow", "去掉转场", "no transitions; reply zh"),
    ("slideshow", "加一个溶解过渡", "transition dissolve 0.6 s; reply zh"),
    # --- motion and fit ------------------------------------------------------------------------------------
    ("slideshow", "no ken burns", "motion still"),
    ("slideshow", "stop the zooming", "motion still"),
    ("slideshow", "I don't want any movement", "motion still"),
    ("slideshow", "make the photos static", "motion still"),
    ("slideshow", "zoom out slowly on every photo", "motion zoom_out"),
    ("slideshow", "pan left across the photos", "motion pan_left"),
    ("slideshow", "make the last photo still", "photo 6 motion still; photo 1 motion auto"),
    ("slideshow", "zoom in on photo 2", "photo 2 motion zoom_in"),
    ("slideshow", "show the whole photo, don't cut anything off", "fit blur"),
    ("slideshow", "use a blurred background instead of cropping", "fit blur"),
    ("slideshow", "照片不要动", "motion still; reply zh"),
    ("slideshow", "加上放大效果", "motion zoom_in; reply zh"),
    # --- format --------------------------------------------------------------------------------------------
    ("slideshow", "vertical please", "size 1080x1920"),
    ("slideshow", "I need it in portrait mode", "size 1080x1920"),
    ("slideshow", "make it for instagram stories", "size 1080x1920"),
    ("slideshow", "format it for tiktok", "size 1080x1920"),
    ("slideshow", "make it 1:1", "size 1080x1080"),
    ("slideshow", "make it square", "size 1080x1080"),
    ("slideshow", "4:5 for an instagram post", "size 1080x1350"),
    ("slideshow", "widescreen", "size 1920x1080"),
    ("slideshow", "switch to horizontal", "size 1920x1080"),
    ("slideshow", "I'm posting it on YouTube", "size 1920x1080"),
    ("slideshow", "改成抖音的尺寸", "size 1080x1920; reply zh"),
    ("slideshow", "做成竖版", "size 1080x1920; reply zh"),
    ("slideshow", "改成正方形", "size 1080x1080; reply zh"),
    # --- text --------------------------------------------------------------------------------------------------
    ("slideshow", "put \"Spring Collection\" at the beginning", "text \"Spring Collection\" 0-3 s"),
    ("slideshow", "add the words 'Link in bio' at the end", "text \"Link in bio\" 15-18 s"),
    ("slideshow", "write 'Thanks for watching' at the end", "text \"Thanks for watching\" 15-18 s"),
    ("slideshow", "add a caption 'Fresh roast' over the coffee photo", "text \"Fresh roast\" 12-15 s"),
    ("slideshow", "caption: 50% off today", "text \"50% off today\" 0-18 s"),
    ("slideshow", "add a subtitle 'Made with love' for the whole video", "text \"Made with love\" 0-18 s"),
    ("slideshow", "add text 'Sale ends Sunday' from 10 to 14 seconds", "text \"Sale ends Sunday\" 10-14 s"),
    ("slideshow", "show 'New arrivals' between 2 and 6 seconds", "text \"New arrivals\" 2-6 s"),
    ("slideshow", "add the caption 'Hi' at 7 seconds", "text \"Hi\" 7-10 s"),
    ("slideshow", "rename the title to 'Winter Sale'", "text \"Winter Sale\" 0-3 s; no text \"Summer Sale\""),
    ("slideshow", "the title should say Autumn Deals", "text \"Autumn Deals\" 0-3 s"),
    ("slideshow", "get rid of the title", "no title"),
    ("slideshow", "remove all the text", "no text"),
    ("slideshow", "put the title at the end instead", "text \"Summer Sale\" 15-18 s"),
    ("photos", "a 20 second video with the title 'Open House' at the start", "length 20 s; text \"Open House\" 0-3 s"),
    ("slideshow", "加字幕“限时优惠”", "text \"限时优惠\" 0-18 s; reply zh"),
    ("slideshow", "标题改成“冬季特卖”", "text \"冬季特卖\" 0-3 s; reply zh"),
    ("slideshow", "去掉标题", "no title; reply zh"),
    # --- music ------------------------------------------------------------------------------------------------
    ("photos", "put some music on it", "music Lo-fi 35%"),
    ("slideshow", "change the music to something more energetic", "music Upbeat 35%"),
    ("slideshow", "I want epic music", "music Cinematic 35%"),
    ("slideshow", "use relaxing background music", "music Calm 35%"),
    ("slideshow", "lofi beats", "music Lo-fi 35%"),
    ("slideshow", "happy music please", "music Upbeat 35%"),
    ("slideshow", "set the volume to 50%", "volume 50%"),
    ("slideshow", "music at 10 percent", "volume 10%"),
    ("slideshow", "the music is too loud", "volume 20%"),
    ("slideshow", "make the song quieter", "volume 20%"),
    ("slideshow", "louder music", "volume 50%"),
    ("slideshow", "turn up the volume", "volume 50%"),
    ("slideshow", "reduce the music volume by 15%", "volume 30%"),
    ("slideshow", "music volume 80", "volume 80%"),
    ("slideshow", "no music please", "no music"),
    ("slideshow", "mute the music", "no music"),
    ("slideshow", "I don't want any music", "no music"),
    ("slideshow", "make it silent", "no music"),
    ("slideshow", "换成欢快的音乐", "music Upbeat 35%; reply zh"),
    ("slideshow", "音乐小声一点", "volume 20%; reply zh"),
    ("slideshow", "背景音乐大声一点", "volume 50%; reply zh"),
    ("slideshow", "不要背景音乐", "no music; reply zh"),
    ("photos", "配上舒缓的音乐", "music Calm 35%; reply zh"),
    # --- fades ---------------------------------------------------------------------------------------------------
    ("slideshow", "fade in from black", "fade in 1 s"),
    ("slideshow", "fade to black at the end", "fade out 1 s"),
    ("slideshow", "add a 3 second fade out", "fade out 3 s"),
    ("slideshow", "fade in & out", "fade in 1 s; fade out 1 s"),
    ("slideshow", "结尾淡出", "fade out 1 s; reply zh"),
    # --- actions --------------------------------------------------------------------------------------------------
    ("slideshow", "ok export it", "action export"),
    ("slideshow", "download the mp4", "action export"),
    ("slideshow", "render it", "action export"),
    ("slideshow", "I'm done, send me the video", "action export"),
    ("slideshow", "undo that", "action undo"),
    ("slideshow", "go back", "action undo"),
    ("slideshow", "never mind, undo", "action undo"),
    ("slideshow", "redo please", "action redo"),
    ("slideshow", "what's in the timeline?", "action status"),
    ("slideshow", "what's my balance", "action credits"),
    ("slideshow", "查看积分", "action credits; reply zh"),
    ("slideshow", "状态", "action status; reply zh"),
    ("slideshow", "导出视频", "action export; reply zh"),
    # --- several at once, filler ---------------------------------------------------------------------------------
    ("slideshow", "hey, could you make it 15 seconds and vertical? thanks!", "length 15 s; size 1080x1920"),
    ("slideshow", "make it square, no music, and fade out at the end", "size 1080x1080; no music; fade out 1 s"),
    ("photos", "10 second vertical video with upbeat music and a title 'Drop 02'",
     "length 10 s; size 1080x1920; music Upbeat 35%; text \"Drop 02\" 0-3 s"),
    ("slideshow", "swap the first two, then make the music quieter", "order 2 1 3 4 5 6; volume 20%"),
    ("slideshow", "remove the title and add a caption 'Shop now' at the end",
     "no title; text \"Shop now\" 15-18 s"),
    ("slideshow", "make it 12 seconds with slide transitions and cinematic music",
     "length 12 s; transition slide_left 0.6 s; music Cinematic 35%"),
    ("slideshow", "please please make it landscape", "size 1920x1080"),
    ("slideshow", "Make it 20 seconds. Then export.", "length 20 s; action export"),
    ("slideshow", "把视频改成竖屏并且去掉音乐", "size 1080x1920; no music; reply zh"),
    ("slideshow", "改成20秒，然后导出", "length 20 s; action export; reply zh"),
    # --- typos --------------------------------------------------------------------------------------------------------
    ("slideshow", "make it verticle", "size 1080x1920"),
    ("slideshow", "add transitons", "transition crossfade 0.6 s"),
    ("slideshow", "lower the volumn to 20%", "volume 20%"),
    ("slideshow", "remove the musci", "no music"),
    ("slideshow", "make it 20 secodns", "length 20 s"),
    ("slideshow", "swpa the first two", "order 2 1 3 4 5 6"),
    ("slideshow", "make it sqaure for instagarm", "size 1080x1080"),
    ("slideshow", "landscpae please", "size 1920x1080"),
    ("photos", "add backgound music", "music Lo-fi 35%"),
    # --- found while trying other people's wording ------------------------------------------------------------
    ("slideshow", "I want a slideshow of these pics with a fade between each one", "transition crossfade 0.6 s"),
    ("slideshow", "please make the video shorter, like 10 seconds", "length 10 s"),
    ("slideshow", "make the first slide 5 seconds and the rest 2 seconds", "photo 1 5 s; photo 2 2 s; length 15 s"),
    ("slideshow", "delete the last two photos", "photos 4; order 1 2 3 4"),
    ("slideshow", "speed up the video 2x", "photo 1 1.5 s; length 9 s"),
    ("slideshow", "Let's go with a calmer soundtrack", "music Calm 35%"),
    ("slideshow", "put the coffee photo in the middle", "order 1 2 5 3 4 6"),
    ("slideshow", "export as vertical 1080x1920", "size 1080x1920; action export"),
    ("slideshow", "第三张照片删掉", "photos 5; order 1 2 4 5 6; reply zh"),
    ("slideshow", "背景音乐关掉", "no music; reply zh"),
    ("slideshow", "加一个标题 春季上新", "text \"春季上新\" 0-3 s; reply zh"),
    ("photos", "convert my static images", "photos 6; motion auto"),
    ("photos", "a 9:16 video, 30s, a title 'Sale' at the beginning and 'Shop now' at the end",
     "size 1080x1920; length 30 s; text \"Sale\" 0-3 s; text \"Shop now\" 27-30 s"),
    ("photos", "make it vertical", "size 1080x1920; photos 6; length 18 s"),
    ("slideshow", "hi", "unchanged"),
    ("slideshow", "make it black and white", "not understood; unchanged"),
    ("slideshow", "add a watermark", "unchanged"),  # understood; no logo uploaded, so it says how
    ("slideshow", "make the title bigger", "title size large"),
    # --- not understood / unchanged -----------------------------------------------------------------------------------
    ("slideshow", "make it pop", "not understood; unchanged"),
    ("slideshow", "do your magic", "not understood; unchanged"),
    ("slideshow", "asdfgh qwerty", "not understood; unchanged"),
    ("slideshow", "what is the capital of France", "not understood; unchanged"),
    ("slideshow", "make it more professional", "not understood; unchanged"),
    ("slideshow", "哈哈哈", "not understood; unchanged; reply zh"),
    ("slideshow", "it's already square? make it square", "size 1080x1080"),
    ("slideshow", "remove the music", "no music"),
]


def test_enough_phrasings() -> None:
    assert len(PHRASINGS) >= 150
    assert sum(1 for _, text, _ in PHRASINGS if any("\u4e00" <= ch <= "\u9fff" for ch in text)) >= 30


@pytest.mark.parametrize(("state", "request_text", "spec"), PHRASINGS, ids=[p[1][:60] for p in PHRASINGS])
def test_phrasing(state: str, request_text: str, spec: str) -> None:
    ctx = context(state)
    reply = respond(request_text, ctx)
    check(reply, ctx, spec)


# --- properties that are not one request's result ------------------------------------------------------------
def test_length_is_exact_for_awkward_totals() -> None:
    for n in (3, 6, 7):
        for seconds in (7, 10, 11, 13.3, 29.9, 30):
            ctx = AgentContext(Draft(), media(n) if n <= 6 else media(6) + media(6)[:1])
            reply = respond(f"turn these photos into a {seconds}-second video", ctx)
            assert reply.draft.duration_ms == round(seconds * 1000)
            assert sum(s.duration_ms for s in reply.draft.video.segments) == round(seconds * 1000)


def test_length_change_keeps_per_photo_weights() -> None:
    ctx = context("slideshow")
    longer = respond("make the second photo 6 seconds", ctx).draft
    ctx2 = AgentContext(longer, ctx.media)
    reply = respond("make it 42 seconds", ctx2)
    segs = reply.draft.video.segments
    assert reply.draft.duration_ms == 42000
    assert segs[1].duration_ms == 2 * segs[0].duration_ms


def test_title_at_end_follows_length_changes() -> None:
    ctx = context("slideshow")
    step = respond("add text 'Bye' at the end", ctx).draft
    step = respond("make it 30 seconds", AgentContext(step, ctx.media)).draft
    spans = [(s.start_ms, s.duration_ms) for t in step.tracks for s in t.segments if s.text == "Bye"]
    assert spans == [(27000, 3000)]
    music = [s for t in step.tracks if t.type == 1 for s in t.segments]
    assert [(m.start_ms, m.duration_ms) for m in music] == [(0, 30000)]


def test_caption_over_a_photo_follows_the_photo() -> None:
    ctx = context("slideshow")
    step = respond("add a caption 'Coffee' over the coffee photo", ctx).draft
    step = respond("put the coffee photo first", AgentContext(step, ctx.media)).draft
    spans = [(s.start_ms, s.duration_ms) for t in step.tracks for s in t.segments if s.text == "Coffee"]
    assert spans == [(0, 3000)]


def test_ambiguous_photo_name_says_which_it_picked() -> None:
    ctx = context("slideshow")
    reply = respond("put the portrait photo last", ctx)
    assert "portrait" in reply.closing and "photo 1" in reply.closing
    assert [s.source for s in reply.draft.video.segments][-1] == "med_0"


def test_undo_with_nothing_to_undo_says_so() -> None:
    ctx = AgentContext(context("slideshow").draft, media(6))
    reply = respond("undo", ctx)
    assert reply.action is None and reply.draft == ctx.draft and "nothing to undo" in reply.intro.lower()


def test_no_photos_says_to_upload() -> None:
    reply = respond("turn these photos into a 30-second video", AgentContext(Draft(), []))
    assert not reply.operations and reply.cost == 0 and "upload" in reply.closing.lower()


def test_title_words_are_never_read_as_requests() -> None:
    ctx = context("slideshow")
    reply = respond("add a title 'Make it vertical, no music' at the start", ctx)
    assert reply.draft.size == (1920, 1080)
    assert any(s.text == "Make it vertical, no music" for t in reply.draft.tracks for s in t.segments)
    assert any(t.type == 1 for t in reply.draft.tracks)


def test_partly_understood_says_what_it_skipped() -> None:
    reply = respond("make it 20 seconds and flurb the wizzle", context("slideshow"))
    assert reply.draft.duration_ms == 20000
    assert "flurb" in reply.closing


def test_typo_fix_is_mentioned() -> None:
    reply = respond("make it verticle", context("slideshow"))
    assert "vertical" in reply.closing and "verticle" in reply.closing


def test_latency_is_small() -> None:
    """Not a benchmark: benchmarks/understanding.py measures turn latency (p50/p95). This is only a
    generous guard against a pathological slow path (e.g. a backtracking regex), loose enough that a
    shared, loaded machine does not fail it."""
    import time

    ctx = context("slideshow")
    respond("make it 20 seconds", ctx)
    start = time.perf_counter()
    for _ in range(5):
        respond("make it vertical, 15 seconds, with upbeat music and a title 'New Drop' at the start", ctx)
    assert (time.perf_counter() - start) / 5 < 0.5
