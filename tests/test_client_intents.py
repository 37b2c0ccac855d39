"""Intent shortcuts and GUI translation (pure functions), English and Chinese."""

from __future__ import annotations

import pytest

from nemo_nb.client import detect_intent, translate_gui


@pytest.mark.parametrize("text,intent", [
    ("export", "export"), ("Export it.", "export"), ("please export the video", "export"),
    ("download", "export"), ("send me the video", "export"), ("导出", "export"), ("请导出一下", "export"),
    ("下载视频", "export"),
    ("credits", "credits"), ("my balance?", "credits"), ("how many credits do I have", "credits"),
    ("积分", "credits"), ("余额", "credits"), ("查询积分", "credits"),
    ("status", "status"), ("show tracks", "status"), ("show me the timeline", "status"), ("状态", "status"),
    ("upload", "upload"), ("upload photos", "upload"), ("上传", "upload"), ("上传照片", "upload"),
    ("/home/me/pics/a.JPG", "upload"), ("a.png b.heic", "upload"), ("https://x.org/clip.mp4", "upload"),
    ("'/tmp/my file.mov'", None),  # a quoted path with a space is not split into media names
])
def test_shortcuts(text: str, intent: str | None) -> None:
    assert detect_intent(text) == intent


@pytest.mark.parametrize("text", [
    "turn these photos into a 30-second video with transitions and background music",
    "add a title saying export sale", "make it vertical for TikTok", "lower the music to 20%",
    "export it as a square video for instagram", "把音乐调低到20%", "导出之前把标题改成夏日特卖", "", "   ",
    "what's the status of my order title?", "a.txt",
])
def test_everything_else_goes_to_the_agent(text: str) -> None:
    assert detect_intent(text) is None


@pytest.mark.parametrize("text,expected", [
    ("Click the Export button to download it.", 'Say "export" to download it.'),
    ("Done. Press Export when ready.", 'Done. Say "export" when ready.'),
    ("Preview it in the timeline.", 'Say "status" to see the track summary.'),
    ("Open the music panel to change it.", "Ask me to change it."),
    ("Drag and drop the clip to reorder.", "Ask me to move the clip to reorder."),
    ("Click the Add Text button.", 'Ask me to "Add Text".'),
    ("点击导出按钮下载。", "输入“导出”下载。"),
    ("在时间线上预览效果。", "输入“状态”查看轨道摘要。"),
    ("拖拽片段即可调整顺序。", "告诉我片段的新顺序。"),
    ("Your 30-second video is ready: 10 photos, lo-fi music.", "Your 30-second video is ready: 10 photos, lo-fi music."),
    ("Open-air concert vibes, dropped beats.", "Open-air concert vibes, dropped beats."),
    ("I'll drop the music to 20% and open with the sunset.", "I'll drop the music to 20% and open with the sunset."),
])
def test_gui_translation(text: str, expected: str) -> None:
    assert translate_gui(text) == expected
