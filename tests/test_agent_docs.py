"""docs/agent.md's examples, run: every table row (request, starting state, result) is a test.

The result words ("length 20 s; size 1080x1920; music Upbeat 35%") are checked on the draft the agent
returns, plus invariants every reply must keep (exact lengths, music spanning the video, texts inside
it, a summary line after a change, no charge for a turn that changed nothing). The helpers here are
shared with tests/test_agent_phrasings.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nemo_nb.draft import Draft, TrackType
from nemo_nb.engine.agent import AgentContext, AgentReply, MediaItem, respond

DOC = Path(__file__).resolve().parents[1] / "docs" / "agent.md"
PHOTO_NAMES = ["astronaut_portrait.png", "book_beside_flowers_vertical.jpg", "cat_on_red_chair_phone.jpg",
               "chelsea_cat.png", "coffee_cup_food.png", "craft_beer_bar_portrait.jpg"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def media(n: int = 6) -> list[MediaItem]:
    return [MediaItem(f"med_{i}", PHOTO_NAMES[i], "photo", 1600, 1200) for i in range(n)]


def slideshow_draft() -> Draft:
    """The documented "slideshow" state, written by hand in the docs/draft.md layout."""
    segs = [{"d": 3000, "m": {"type": "photo", "src": f"med_{i}", "name": PHOTO_NAMES[i], "motion": "auto",
                              "fit": "cover"}} for i in range(6)]
    return Draft.from_json({
        "m": {"aspect": "16:9", "w": 1920, "h": 1080, "fps": 30, "fade_in": 0, "fade_out": 0},
        "t": [
            {"tt": 0, "m": {"role": "main"}, "sg": segs},
            {"tt": 1, "m": {"role": "bgm"}, "sg": [{"d": 18000, "s": 0, "m": {
                "type": "music", "mood": "lofi", "name": "Lo-fi", "volume": 0.35, "fade_in": 1000, "fade_out": 2000,
                "seed": 7}}]},
            {"tt": 7, "m": {"role": "title"}, "sg": [{"d": 3000, "s": 0, "m": {
                "type": "text", "role": "title", "text": "Summer Sale", "position": "center", "anim": "fade",
                "anchor": "start"}}]},
        ],
    })


def context(state: str) -> AgentContext:
    """A starting state by its docs name: "photos", "one photo", "slideshow"."""
    if state == "photos":
        return AgentContext(Draft(), media(6))
    if state == "one photo":
        return AgentContext(Draft(), media(1))
    if state == "brand":  # the slideshow, plus an uploaded logo.png
        ctx = context("slideshow")
        ctx.media.append(MediaItem("med_logo", "logo.png", "photo", 600, 300))
        return ctx
    if state == "slideshow":
        draft = slideshow_draft()
        undo = draft.copy()
        undo.tracks = undo.tracks[:2]
        redo = draft.copy()
        redo.set_aspect("9:16")
        return AgentContext(draft, media(6), undo_draft=undo, redo_draft=redo)
    raise ValueError(f"unknown starting state {state!r}")


# --- checks ----------------------------------------------------------------------------------------------
def _segs(d: Draft):
    return d.video.segments if d.video is not None else []


def _texts(d: Draft):
    out = []
    for track in d.tracks_of(TrackType.TEXT):
        for start, end, seg in track.spans():
            out.append((seg.text, start, end, str(seg.meta.get("role") or track.role)))
    return out


def _music(d: Draft):
    return [seg for t in d.tracks_of(TrackType.AUDIO) if t.role == "bgm" for seg in t.segments]


def _ms(value: str) -> int:
    return round(float(value) * 1000)


def check(reply: AgentReply, ctx: AgentContext, spec: str) -> None:
    """Assert every result word of ``spec`` ("length 20 s; size 1080x1920") on ``reply``."""
    d = reply.draft
    wants = [w.strip() for w in spec.split(";") if w.strip()]
    for want in wants:
        what = f"{want!r} — reply: {reply.intro} | {reply.closing}"
        if m := re.fullmatch(r"length ([\d.]+) s", want):
            assert d.duration_ms == _ms(m.group(1)), f"{what}: length {d.duration_ms}"
        elif m := re.fullmatch(r"size (\d+)x(\d+)", want):
            assert d.size == (int(m.group(1)), int(m.group(2))), f"{what}: size {d.size}"
        elif m := re.fullmatch(r"photos (\d+)", want):
            assert len(_segs(d)) == int(m.group(1)), f"{what}: {len(_segs(d))} photos"
            assert len({s.source for s in _segs(d)}) == int(m.group(1))
        elif m := re.fullmatch(r"photo (\d+) ([\d.]+) s", want):
            assert _segs(d)[int(m.group(1)) - 1].duration_ms == _ms(m.group(2)), what
        elif m := re.fullmatch(r"order ([\d ]+)", want):
            got = [int(s.source.split("_")[1]) + 1 for s in _segs(d)]
            assert got == [int(x) for x in m.group(1).split()], f"{what}: order {got}"
        elif m := re.fullmatch(r"transition (\w+) ([\d.]+) s", want):
            for seg in _segs(d)[1:]:
                assert seg.meta.get("transition") == {"type": m.group(1), "d": _ms(m.group(2))}, \
                    f"{what}: {seg.meta.get('transition')}"
        elif want == "no transitions":
            for seg in _segs(d):
                assert (seg.meta.get("transition") or {"type": "none"}).get("type") == "none", what
        elif m := re.fullmatch(r"motion (\w+)", want):
            assert {s.meta.get("motion") for s in _segs(d)} == {m.group(1)}, what
        elif m := re.fullmatch(r"photo (\d+) motion (\w+)", want):
            assert _segs(d)[int(m.group(1)) - 1].meta.get("motion") == m.group(2), what
        elif m := re.fullmatch(r"fit (\w+)", want):
            assert {s.meta.get("fit") for s in _segs(d)} == {m.group(1)}, what
        elif m := re.fullmatch(r"music (\S+) (\d+)%", want):
            music = _music(d)
            assert len(music) == 1, f"{what}: {len(music)} music segments"
            assert music[0].meta.get("name") == m.group(1), f"{what}: {music[0].meta.get('name')}"
            assert abs(music[0].volume - int(m.group(2)) / 100) < 1e-6, f"{what}: {music[0].volume}"
        elif want == "no music":
            assert not _music(d), what
        elif m := re.fullmatch(r"volume ([\d.]+)%", want):  # as many decimals as written ("volume 11.7%")
            music = _music(d)
            places = len(m.group(1).partition(".")[2])
            assert music and round(music[0].volume * 100, places) == float(m.group(1)), \
                f"{what}: {[s.volume for s in music]}"
        elif m := re.fullmatch(r'text "(.+)" ([\d.]+)-([\d.]+) s', want):
            texts = _texts(d)
            assert (m.group(1), _ms(m.group(2)), _ms(m.group(3))) in [t[:3] for t in texts], f"{what}: {texts}"
        elif m := re.fullmatch(r'no text "(.+)"', want):
            assert m.group(1) not in [t[0] for t in _texts(d)], what
        elif want == "no text":
            assert not _texts(d), what
        elif want == "no title":
            assert "title" not in [t[3] for t in _texts(d)], what
        elif m := re.fullmatch(r"fade (in|out) ([\d.]+) s", want):
            assert int(d.meta.get(f"fade_{m.group(1)}", 0)) == _ms(m.group(2)), f"{what}: {d.meta}"
        elif want == "beat sync":
            assert d.meta.get("beat_sync") is True, what
        elif want == "no beat sync":
            assert d.meta.get("beat_sync") is False, what
        elif m := re.fullmatch(r"(title|caption|text) (color|size|position|font|weight|bg|anim) (\S+)", want):
            _check_style(d, m.group(1), m.group(2), m.group(3), what)
        elif m := re.fullmatch(r"default (color|size|font|weight|bg) (\S+)", want):
            assert str((d.meta.get("text_style") or {}).get(m.group(1))) == m.group(2), f"{what}: {d.meta}"
        elif m := re.fullmatch(r"logo (\w+)", want):
            logo = d.meta.get("logo")
            assert isinstance(logo, dict) and logo.get("corner") == m.group(1) and logo.get("src"), f"{what}: {logo}"
        elif want == "no logo":
            assert d.meta.get("logo") is False, what
        elif m := re.fullmatch(r'end card "(.+)"(?: on (\S+))?', want):
            card = d.meta.get("end_card") or {}
            assert card.get("text") == m.group(1) and card.get("bg") == (m.group(2) or "blur"), f"{what}: {card}"
        elif want == "no end card":
            assert "end_card" not in d.meta, what
        elif m := re.fullmatch(r"action (\w+)", want):
            assert reply.action == m.group(1), f"{what}: action {reply.action}"
            if reply.action == "undo":
                assert d == ctx.undo_draft
            if reply.action == "redo":
                assert d == ctx.redo_draft
        elif want == "unchanged":
            assert d == ctx.draft and not reply.operations and reply.cost == 0, what
            assert reply.intro or reply.closing
        elif want == "not understood":
            assert reply.understood is False, what
            assert "- " in reply.closing, "suggests requests that would work"
        elif want == "reply zh":
            assert reply.language == "zh" and CJK.search(reply.intro + reply.closing), what
        else:
            raise AssertionError(f"unknown result word {want!r}")
    if "not understood" not in wants:
        assert "didn't understand" not in reply.closing and "没有理解" not in reply.closing, \
            f"{spec}: {reply.closing}"
    if "reply zh" not in wants:
        assert reply.language == "en", f"replied in {reply.language}: {reply.intro}"
    invariants(reply, ctx)


def invariants(reply: AgentReply, ctx: AgentContext) -> None:
    """What every reply keeps, whatever was asked."""
    assert reply.language in ("en", "zh")
    assert (reply.cost > 0) == bool(reply.operations), "charged only when something changed"
    if not reply.operations and reply.action not in ("undo", "redo"):
        assert reply.draft == ctx.draft
    if reply.operations:
        assert reply.operations[-1].draft == reply.draft
        assert reply.closing.rstrip().endswith(reply.draft.summary(reply.language)), reply.closing
    for op in reply.operations:
        assert op.summary and "\n" not in op.summary
        d = op.draft
        total = d.duration_ms
        segs = _segs(d)
        assert sum(s.duration_ms for s in segs) == total
        assert all(s.duration_ms > 0 for s in segs)
        for seg in _music(d):
            assert (seg.start_ms or 0) == 0 and seg.duration_ms == total, "music spans the video"
        for _text, start, end, _role in _texts(d):
            assert 0 <= start < end <= total, "texts inside the video"
        for i, seg in enumerate(segs):
            tr = seg.meta.get("transition")
            if tr and i > 0:
                assert tr["d"] <= min(seg.duration_ms, segs[i - 1].duration_ms) // 2 + 1
        assert d.size[0] % 2 == 0 and d.size[1] % 2 == 0


def _check_style(d: Draft, role: str, key: str, value: str, what: str) -> None:
    """Every text of ``role`` ("text": every text) has style ``key`` = ``value`` (colours as hex)."""
    from nemo_nb.style import color_hex

    segs = [seg for t in d.tracks_of(TrackType.TEXT) for seg in t.segments
            if role == "text" or str(seg.meta.get("role") or t.role) == role]
    assert segs, what
    for seg in segs:
        got = seg.meta.get(key)
        if key == "color":
            assert color_hex(got) == color_hex(value), f"{what}: {seg.meta}"
        else:
            assert str(got) == value, f"{what}: {seg.meta}"


# --- the docs' tables ---------------------------------------------------------------------------------------
def doc_examples() -> list[tuple[str, str, str]]:
    rows = []
    text = DOC.read_text(encoding="utf-8")
    body = text.split("## Examples", 1)[1]
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1] in ("photos", "one photo", "slideshow", "brand"):
            rows.append((cells[0], cells[1], cells[2]))
    return rows


EXAMPLES = doc_examples()


def test_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 100


@pytest.mark.parametrize(("request_text", "state", "spec"), EXAMPLES, ids=[e[0][:60] for e in EXAMPLES])
def test_doc_example(request_text: str, state: str, spec: str) -> None:
    ctx = context(state)
    before = ctx.draft.copy()
    reply = respond(request_text, ctx)
    assert ctx.draft == before, "respond never mutates the context's draft"
    check(reply, ctx, spec)


def test_same_request_same_answer() -> None:
    for request_text, state, _spec in EXAMPLES[:40]:
        a, b = respond(request_text, context(state)), respond(request_text, context(state))
        assert (a.intro, a.closing, a.draft.to_json()) == (b.intro, b.closing, b.draft.to_json())


def test_docs_vocabulary_is_the_vocabulary() -> None:
    """The verb table of docs/agent.md ("Vocabulary") is vocab.VERBS, row for row, word for word."""
    from nemo_nb.engine.agent.vocab import VERBS

    section = DOC.read_text(encoding="utf-8").split("## Vocabulary", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in VERBS:
            rows[cells[0]] = ([w.strip() for w in cells[1].split(",")], [w.strip() for w in cells[2].split(",")])
    assert rows == {frame: (list(en), list(zh)) for frame, (en, zh) in VERBS.items()}
