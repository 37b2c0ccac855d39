"""The agent against phrasings nobody tuned it for: how different people actually type requests.

Written before looking at the grammar, by persona: a busy marketer on a phone (lowercase, no
punctuation, "vid", "pls", "bg music", "15s", "ig", "yt"), a non-native English speaker, a verbose
polite person, and Chinese users in several styles (with/without punctuation, mixed English words
like TikTok and BGM). Each row is (starting state, request, result words — see docs/agent.md).
"""

from __future__ import annotations

import pytest

from nemo_nb.engine.agent import respond
from tests.test_agent_docs import check, context

UNSEEN: list[tuple[str, str, str]] = [
    # --- busy marketer on a phone ------------------------------------------------------------------------
    ("photos", "make a 15s vid for ig reels pls", "length 15 s; size 1080x1920; photos 6"),
    ("photos", "vid from these 20s w bg music", "length 20 s; music Lo-fi 35%"),
    ("photos", "add music", "music Lo-fi 35%; photos 6"),
    ("slideshow", "make it 15s", "length 15 s"),
    ("slideshow", "cut to 10 sec pls", "length 10 s"),
    ("slideshow", "30s version for yt", "length 30 s; size 1920x1080"),
    ("slideshow", "yt shorts version", "size 1080x1920"),
    ("slideshow", "ig square pls", "size 1080x1080"),
    ("slideshow", "tiktok format", "size 1080x1920"),
    ("slideshow", "ig feed 4:5", "size 1080x1350"),
    ("slideshow", "no bg music", "no music"),
    ("slideshow", "bg music lower pls", "volume 20%"),
    ("slideshow", "music louder", "volume 50%"),
    ("slideshow", "bgm 10%", "volume 10%"),
    ("slideshow", "set music vol to 60", "volume 60%"),
    ("slideshow", "music at 25 percent", "volume 25%"),
    ("slideshow", "upbeat music pls", "music Upbeat 35%"),
    ("slideshow", "mute it", "no music"),
    ("slideshow", "turn off the bg music", "no music"),
    ("slideshow", "swap 1 and 3", "order 3 2 1 4 5 6"),
    ("slideshow", "pic 4 first", "order 4 1 2 3 5 6"),
    ("slideshow", "reverse it", "order 6 5 4 3 2 1"),
    ("slideshow", "remove pic 2", "photos 5; length 15 s"),
    ("slideshow", "del the last pic", "photos 5"),
    ("slideshow", "get rid of the coffee pic", "photos 5"),
    ("slideshow", "add txt 'shop now' at the end", 'text "shop now" 15-18 s'),
    ("slideshow", "caption 'Best seller' on photo 2", 'text "Best seller" 3-6 s'),
    ("slideshow", "title 'Flash Sale' first 3 sec", 'text "Flash Sale" 0-3 s'),
    ("slideshow", "put 'Link in bio' at the end", 'text "Link in bio" 15-18 s'),
    ("slideshow", "text at 10s saying 'New arrivals'", 'text "New arrivals" 10-13 s'),
    ("slideshow", "remove all text", "no text"),
    ("slideshow", "no transitions pls", "no transitions"),
    ("slideshow", "hard cuts only", "no transitions"),
    ("slideshow", "add fade transitions", "transition crossfade 0.6 s"),
    ("slideshow", "slide transitions 0.5s", "transition slide_left 0.5 s"),
    ("slideshow", "wipe transitions", "transition wipe_left 0.6 s"),
    ("slideshow", "use zoom transitions between pics", "transition zoom 0.6 s"),
    ("slideshow", "no zoom", "motion still"),
    ("slideshow", "ken burns off", "motion still"),
    ("slideshow", "slow pan right on all photos", "motion pan_right"),
    ("slideshow", "zoom out on the last pic", "photo 6 motion zoom_out; photo 1 motion auto"),
    ("slideshow", "fade out end", "fade out 1 s"),
    ("slideshow", "fade to black at the end pls", "fade out 1 s; no transitions"),
    ("slideshow", "faster pls", "photo 1 2.1 s"),
    ("slideshow", "each pic 2s", "photo 1 2 s; length 12 s"),
    ("slideshow", "undo that", "action undo"),
    ("slideshow", "redo pls", "action redo"),
    ("slideshow", "export pls", "action export"),
    ("slideshow", "download the mp4 pls", "action export"),
    ("slideshow", "whats the status", "action status"),
    ("slideshow", "how many credits left", "action credits"),
    ("one photo", "animate this 10s", "length 10 s; photos 1"),
    ("one photo", "make this pic a 12s clip for ig stories", "length 12 s; size 1080x1920; photos 1"),
    # --- non-native English speaker -------------------------------------------------------------------------
    ("photos", "please make video with this photos, long 20 second", "length 20 s; photos 6"),
    ("slideshow", "i want the video more short, 12 second", "length 12 s"),
    ("slideshow", "please change to vertical format for tiktok", "size 1080x1920"),
    ("slideshow", "put the music more low", "volume 20%"),
    ("slideshow", "the music is too loud", "volume 20%"),
    ("slideshow", "delete music please", "no music"),
    ("slideshow", "change the photo 3 to be first", "order 3 1 2 4 5 6"),
    ("slideshow", "i want change position of photo 2 and photo 4", "order 1 4 3 2 5 6"),
    ("slideshow", "please to add the text 'Welcome' in the begin", 'text "Welcome" 0-3 s'),
    ("slideshow", "make the photos not moving", "motion still"),
    ("slideshow", "add effect of transition between photos", "transition crossfade 0.6 s"),
    ("slideshow", "make the video more fast", "photo 1 2.1 s"),
    ("slideshow", "i need make it for instagram story", "size 1080x1920"),
    ("slideshow", "put a music more happy", "music Upbeat 35%"),
    ("slideshow", "remove the title please", "no title"),
    ("slideshow", "go back", "action undo"),
    ("slideshow", "show me the timeline", "action status"),
    ("one photo", "this photo video 20 second with zoom in", "length 20 s; motion zoom_in"),
    # --- verbose and polite -----------------------------------------------------------------------------------
    ("photos", "Hi there! Would you be so kind as to turn my photos into a lovely 25-second slideshow with "
               "some calm music? Thank you so much!", "length 25 s; music Calm 35%; photos 6"),
    ("slideshow", "I was wondering if it might be possible to make the whole video a little bit shorter, "
                  "perhaps around 12 seconds?", "length 12 s"),
    ("slideshow", "Could you kindly change the aspect ratio to 9:16 so that it works on TikTok? "
                  "Much appreciated.", "size 1080x1920"),
    ("slideshow", "If it's not too much trouble, I'd love for the background music to be a bit quieter.",
     "volume 20%"),
    ("slideshow", "Would you mind adding a caption that says 'Thank you for watching' at the very end of "
                  "the video?", 'text "Thank you for watching" 15-18 s'),
    ("slideshow", "I think it would look nicer without the zooming effect on the pictures, if you could "
                  "remove it please.", "motion still"),
    ("slideshow", "Please could you swap the order of the second and the fourth pictures?",
     "order 1 4 3 2 5 6"),
    ("slideshow", "I would really appreciate it if you could add a gentle fade in at the beginning and a "
                  "fade out at the end.", "fade in 1 s; fade out 1 s"),
    ("slideshow", "When you have a moment, please export the final video for me. Thanks!", "action export"),
    ("slideshow", "Sorry, could you undo the last change?", "action undo"),
    ("slideshow", "Could you please tell me how many credits I have remaining?", "action credits"),
    ("slideshow", "Would it be possible to use more cinematic music instead?", "music Cinematic 35%"),
    ("slideshow", "Please add a title saying 'Our Summer Collection' over the first photo.",
     'text "Our Summer Collection" 0-3 s'),
    ("slideshow", "I'd prefer if each photo stayed on screen for about 4 seconds.", "photo 1 4 s; length 24 s"),
    ("slideshow", "Could you please remove the fourth picture? It doesn't fit.", "photos 5"),
    ("slideshow", "Please place a caption reading 'Limited time only' from 10 to 14 seconds.",
     'text "Limited time only" 10-14 s'),
    ("slideshow", "Would you be able to add transitions and make them a little slower, maybe one second each?",
     "transition crossfade 1 s"),
    ("one photo", "Could you please animate this single photo into a 6 second video?", "length 6 s; photos 1"),
    # --- Chinese, several styles ----------------------------------------------------------------------------------
    ("photos", "帮我用这些照片做个15秒的TikTok视频", "length 15 s; size 1080x1920; reply zh"),
    ("photos", "做个视频 加BGM", "music Lo-fi 35%; photos 6; reply zh"),
    ("one photo", "把这张图做成8秒的动态视频", "length 8 s; photos 1; reply zh"),
    ("slideshow", "视频改成10秒", "length 10 s; reply zh"),
    ("slideshow", "缩短到十五秒吧", "length 15 s; reply zh"),
    ("slideshow", "视频长一点", "length 24 s; reply zh"),
    ("slideshow", "每张图片停留2秒", "photo 1 2 s; length 12 s; reply zh"),
    ("slideshow", "节奏慢一点", "photo 1 4.2 s; reply zh"),
    ("slideshow", "改成竖版的 发抖音", "size 1080x1920; reply zh"),
    ("slideshow", "改成Instagram方形", "size 1080x1080; reply zh"),
    ("slideshow", "换成16:9横屏", "size 1920x1080; reply zh"),
    ("slideshow", "BGM小声一点", "volume 20%; reply zh"),
    ("slideshow", "音乐大声点", "volume 50%; reply zh"),
    ("slideshow", "音量50%", "volume 50%; reply zh"),
    ("slideshow", "不要背景音乐了", "no music; reply zh"),
    ("slideshow", "换一个欢快点的BGM", "music Upbeat 35%; reply zh"),
    ("slideshow", "换成安静的钢琴曲", "music Calm 35%; reply zh"),
    ("slideshow", "把BGM换成cinematic风格", "music Cinematic 35%; reply zh"),
    ("slideshow", "第一张和第三张换一下位置", "order 3 2 1 4 5 6; reply zh"),
    ("slideshow", "把最后一张放到最前面", "order 6 1 2 3 4 5; reply zh"),
    ("slideshow", "删掉第四张图", "photos 5; reply zh"),
    ("slideshow", "去掉转场", "no transitions; reply zh"),
    ("slideshow", "加溶解转场", "transition dissolve 0.6 s; reply zh"),
    ("slideshow", "照片不要动", "motion still; reply zh"),
    ("slideshow", "第一张照片慢慢放大", "photo 1 motion zoom_in; photo 2 motion auto; reply zh"),
    ("slideshow", "开头加个标题：新品上市", 'text "新品上市" 0-3 s; reply zh'),
    ("slideshow", "最后3秒加字幕 感谢观看", 'text "感谢观看" 15-18 s; reply zh'),
    ("slideshow", '在第5秒到第8秒加上文字"限时优惠"', 'text "限时优惠" 5-8 s; reply zh'),
    ("slideshow", "标题去掉", "no title; reply zh"),
    ("slideshow", "结尾淡出", "fade out 1 s; reply zh"),
    ("slideshow", "撤回", "action undo; reply zh"),
    ("slideshow", "重做", "action redo; reply zh"),
    ("slideshow", "导出视频吧", "action export; reply zh"),
    ("slideshow", "现在是什么状态", "action status; reply zh"),
    ("slideshow", "我还有多少积分", "action credits; reply zh"),
    ("slideshow", "改成youtube横屏", "size 1920x1080; reply zh"),
    ("slideshow", "音乐关掉，然后导出", "no music; action export; reply zh"),
    # --- a second batch, written after the first fixes and run once before any further change --------------------
    ("slideshow", "swap 2 & 5", "order 1 5 3 4 2 6"),
    ("slideshow", "photo 1 last", "order 2 3 4 5 6 1"),
    ("slideshow", "the music is too low", "volume 50%"),
    ("slideshow", "use slide transitions and make them 1 second", "transition slide_left 1 s"),
    ("slideshow", "每张照片停留三秒", "photo 1 3 s; reply zh"),
    ("slideshow", "vid too long, make it 12s pls", "length 12 s"),
    ("slideshow", "no bgm", "no music"),
    ("slideshow", "bg music 15%", "volume 15%"),
    ("slideshow", "add a title 'Mom's Kitchen' at the start", 'text "Mom\'s Kitchen" 0-3 s'),
    ("slideshow", "在第3秒加字幕“欢迎光临”", 'text "欢迎光临" 3-6 s; reply zh'),
    ("slideshow", "把背景音乐换成轻音乐", "music Calm 35%; reply zh"),
    ("slideshow", "make it for ig story pls", "size 1080x1920"),
    ("slideshow", "i want the photos not move", "motion still"),
    ("slideshow", "make it more slow", "photo 1 4.2 s"),
    ("slideshow", "标题都删掉", "no title; reply zh"),
    ("slideshow", "reverse the pics", "order 6 5 4 3 2 1"),
    ("photos", "make vid 20s w music pls", "length 20 s; music Lo-fi 35%"),
    ("slideshow", "Thanks a lot! Could you export it now?", "action export"),
    ("slideshow", "change places of photo 1 and photo 6", "order 6 2 3 4 5 1"),
    ("slideshow", "第2张和第4张位置互换", "order 1 4 3 2 5 6; reply zh"),
    ("slideshow", "换成YouTube横屏", "size 1920x1080; reply zh"),
    ("slideshow", "做成抖音竖屏15秒", "size 1080x1920; length 15 s; reply zh"),
    ("slideshow", "BGM音量调到10%", "volume 10%; reply zh"),
    # --- a number said after the direction, in its own clause ------------------------------------------
    ("slideshow", "Could you please make the background music louder, maybe 60%?", "volume 60%"),
    ("slideshow", "turn the music down, like 20 percent", "volume 20%"),
    ("slideshow", "把音乐调大一点，大概60%", "volume 60%; reply zh"),
    ("slideshow", "make transitions quicker", "transition crossfade 0.3 s"),
    ("slideshow", "dissolve transitions, 1 second", "transition dissolve 1 s; length 18 s"),
    ("slideshow", "加上溶解转场，1秒", "transition dissolve 1 s; length 18 s; reply zh"),
    ("slideshow", "cinematic music at 40%", "music Cinematic 40%"),
    ("slideshow", "加上欢快的音乐，音量30%", "music Upbeat 30%; reply zh"),
    # --- Chinese word orders without 把 ---------------------------------------------------------------
    ("slideshow", "第一张照片放到最后", "order 2 3 4 5 6 1; reply zh"),
    ("slideshow", "第3张移到最前面", "order 3 1 2 4 5 6; reply zh"),
    ("slideshow", "转场去掉", "no transitions; reply zh"),
    ("slideshow", "转场效果都不要了", "no transitions; reply zh"),
    # --- one photo's pace -------------------------------------------------------------------------------
    ("slideshow", "speed up the 3rd photo", "photo 3 2 s; photo 1 3 s"),
    ("slideshow", "slow down on the second photo", "photo 2 4.5 s; photo 1 3 s"),
]


def test_table_is_big_enough() -> None:
    assert len(UNSEEN) >= 80


@pytest.mark.parametrize(("state", "request_text", "spec"), UNSEEN, ids=[r[1][:50] for r in UNSEEN])
def test_unseen_phrasing(state: str, request_text: str, spec: str) -> None:
    ctx = context(state)
    check(respond(request_text, ctx), ctx, spec)
