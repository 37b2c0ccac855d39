"""Draft → Plan: the timeline resolved to concrete clips, text layers, audio layers and times.

Read leniently (docs/draft.md): missing keys get defaults — motion ``auto``, fit ``cover``, a 500 ms
crossfade into every clip after the first when no transition is given (``{"type": "none"}`` for hard
cuts), music volume 0.35, title ``center``/``fade``. Transitions are centred on the cut and clamped
so two never overlap, so the length is exactly the end of the video track. The plan holds no pixels:
sources are decoded lazily (and cached a few at a time), which keeps memory flat for any length.
"""

from __future__ import annotations

import hashlib
import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..draft import DEFAULT_MUSIC_VOLUME, Draft, TrackType
from ..protocol import RENDER_QUALITIES, quality_problem
from ..style import TextStyle, resolve_style
from .errors import MediaError, RenderError
from .media import MediaInfo, probe
from .motion import MOTIONS
from .overlay import EndCard, LogoLayer, end_card, logo_layer
from .transitions import resolve

DEFAULT_TRANSITION_MS = 500
PREVIEW_SHORT_SIDE = 540
QUALITIES = RENDER_QUALITIES


@dataclass(frozen=True)
class Clip:
    """One video-track segment: shown from ``vis_in`` to ``vis_out`` (cut ± half the transitions)."""

    index: int
    kind: str  # photo | gif | video
    path: str
    info: MediaInfo
    cut_in: float
    cut_out: float
    vis_in: float
    vis_out: float
    trans_in: str  # transition name into this clip ("none" for the first / hard cuts)
    trans_in_s: float
    motion: str
    fit: str
    focus: tuple[float, float] | None
    src_in: float
    volume: float = 1.0


@dataclass(frozen=True)
class TextLayer:
    text: str
    role: str  # title | caption | text
    position: str  # center | top | bottom | lower_third | top_left | top_right | bottom_left | bottom_right
    anim: str  # fade | slide_up | pop | typewriter | none (the entrance; style.anim_out is the exit)
    start: float
    end: float
    index: int = 0
    style: TextStyle = field(default_factory=TextStyle)


@dataclass(frozen=True)
class AudioLayer:
    kind: str  # music | file
    start: float
    end: float
    volume: float
    fade_in: float
    fade_out: float
    mood: str = "lofi"
    seed: int = 0
    path: str | None = None
    loop: bool = False
    src_in: float = 0.0


@dataclass
class Plan:
    """Everything :func:`frame_at` and the encoder need; a pure description (plus a decode cache)."""

    width: int
    height: int
    fps: int
    duration_s: float
    quality: str
    clips: list[Clip]
    texts: list[TextLayer]
    audio: list[AudioLayer]
    fade_in: float = 0.0
    fade_out: float = 0.0
    cache: Any = field(default=None, repr=False, compare=False)
    logo: LogoLayer | None = None  # the brand's watermark (draft m.logo)
    end_card: EndCard | None = None  # the last seconds on a card (draft m.end_card)

    @property
    def frames_total(self) -> int:
        return max(1, round(self.duration_s * self.fps))

    @property
    def has_audio(self) -> bool:
        return bool(self.audio) or any(c.kind == "video" and c.info.has_audio and c.volume > 0 for c in self.clips)


def output_size(draft: Draft, quality: str) -> tuple[int, int]:
    """The draft's size, or for ``preview`` the same aspect with a 540-pixel short side (even)."""
    w, h = draft.size
    if quality == "preview":
        return preview_size(w, h)
    return max(16, w - w % 2), max(16, h - h % 2)


def preview_size(w: int, h: int) -> tuple[int, int]:
    """A preview of a ``w`` x ``h`` video: the same aspect with a 540-pixel short side (even)."""
    if min(w, h) > PREVIEW_SHORT_SIDE:
        k = PREVIEW_SHORT_SIDE / min(w, h)
        w, h = round(w * k / 2) * 2, round(h * k / 2) * 2
    return max(16, w - w % 2), max(16, h - h % 2)


def _ms(value: Any, default: float = 0.0) -> float:
    try:
        return max(0.0, float(value)) / 1000.0
    except (TypeError, ValueError):
        return default


def _float(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def stable_seed(*parts: object) -> int:
    """A seed from values, identical across runs and machines (``hash()`` is salted per process)."""
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:4], "big")


def _resolve_path(src: str | None, name: str, media: dict[str, Any]) -> str:
    if src and src in media:
        return str(media[src])
    if name and name in media:
        return str(media[name])
    if src and Path(src).is_file():
        return src
    raise RenderError(f"The draft uses media '{src or name}' but no file was given for it; "
                      "upload it again or remove that clip.")


def build_plan(draft: Draft | dict, media: dict[str, Any], quality: str = "high") -> Plan:
    """Resolve a draft into a :class:`Plan`. Probes every file (MediaError names a bad one)."""
    problem = quality_problem(quality)
    if problem:
        raise RenderError(problem)
    draft = draft if isinstance(draft, Draft) else Draft.from_json(draft)
    width, height = output_size(draft, quality)
    fps = draft.fps
    duration = draft.duration_ms / 1000.0
    if duration <= 0:
        raise RenderError("The timeline is empty: add photos or clips before rendering.")
    video = draft.video
    spans = list(video.spans()) if video is not None else []
    spans = [(s, e, seg) for s, e, seg in spans if e > s]
    probes = _probe_all([_resolve_path(seg.source, seg.name, media) for _s, _e, seg in spans])

    def info_of(path: str) -> MediaInfo:
        if path not in probes:
            probes[path] = _probe(path)
        return probes[path]

    clips: list[Clip] = []
    cuts = [(s / 1000.0, e / 1000.0) for s, e, _ in spans]
    cuts = _snap_to_beats(draft, cuts, media, info_of)
    durations = [b - a for a, b in cuts]
    trans: list[tuple[str, float]] = []
    for i, (_s, _e, seg) in enumerate(spans):
        spec = seg.meta.get("transition")
        if isinstance(spec, str):
            spec = {"type": spec}
        if i == 0:
            trans.append(("none", 0.0))
            continue
        if spec is None:
            name, d = "crossfade", DEFAULT_TRANSITION_MS / 1000.0
        elif isinstance(spec, dict):
            name = resolve(spec.get("type") or spec.get("name"))
            d = _ms(spec.get("d", spec.get("duration", DEFAULT_TRANSITION_MS)), DEFAULT_TRANSITION_MS / 1000.0)
        else:
            name, d = "crossfade", DEFAULT_TRANSITION_MS / 1000.0
        d = min(d, durations[i - 1], durations[i])  # half-windows of neighbours can never overlap
        if name == "none" or d < 1.0 / fps:
            name, d = "none", 0.0
        trans.append((name, d))
    for i, ((_s, _e, seg), (cut_in, cut_out)) in enumerate(zip(spans, cuts, strict=True)):
        path = _resolve_path(seg.source, seg.name, media)
        info = info_of(path)
        kind = seg.kind or info.kind
        if info.kind == "audio":
            raise MediaError(f"{Path(path).name}: this is an audio file on the video track. "
                             "Put it on a music/audio track instead.", path)
        if info.kind == "video":
            kind = "video"
        elif info.frames > 1:
            kind = "gif"
        else:
            kind = "photo"
        tin = trans[i][1]
        tout = trans[i + 1][1] if i + 1 < len(trans) else 0.0
        motion = str(seg.meta.get("motion") or ("still" if kind != "photo" else "auto")).lower()
        motion = motion if motion in MOTIONS else "auto"
        fit = "blur" if str(seg.meta.get("fit") or "cover").lower() in ("blur", "contain", "fit") else "cover"
        focus = seg.meta.get("focus")
        focus_xy = None
        if isinstance(focus, (list, tuple)) and len(focus) == 2:
            focus_xy = (min(1.0, max(0.0, _float(focus[0], 0.5))), min(1.0, max(0.0, _float(focus[1], 0.5))))
        vol = seg.meta.get("volume")
        clips.append(Clip(
            index=i, kind=kind, path=path, info=info, cut_in=cut_in, cut_out=cut_out,
            vis_in=max(0.0, cut_in - tin / 2), vis_out=min(duration, cut_out + tout / 2),
            trans_in=trans[i][0], trans_in_s=tin, motion=motion, fit=fit, focus=focus_xy,
            src_in=_ms(seg.meta.get("in")), volume=1.0 if vol is None else max(0.0, _float(vol, 1.0)),
        ))

    texts: list[TextLayer] = []
    audio: list[AudioLayer] = []
    for track in draft.tracks:
        if track.type == TrackType.TEXT:
            for s, e, seg in track.spans():
                words = (seg.text or "").strip()
                if not words or e <= s or s / 1000.0 >= duration:
                    continue
                role = "title" if str(seg.meta.get("role") or track.role) == "title" else "caption"
                style = _text_style(seg.meta, draft.meta.get("text_style"), width / draft.size[0])
                position = style.position or ("center" if role == "title" else "lower_third")
                texts.append(TextLayer(words, role, position, style.anim_in, s / 1000.0, min(duration, e / 1000.0),
                                       len(texts), style))
        elif track.type == TrackType.AUDIO:
            for s, e, seg in track.spans():
                if e <= s or s / 1000.0 >= duration:
                    continue
                kind = seg.kind or ("audio" if seg.source else "music")
                vol = seg.volume
                vol = DEFAULT_MUSIC_VOLUME if vol is None else min(2.0, max(0.0, vol))
                common = {
                    "start": s / 1000.0, "end": min(duration, e / 1000.0), "volume": vol,
                    "fade_in": _ms(seg.meta.get("fade_in")), "fade_out": _ms(seg.meta.get("fade_out")),
                }
                if kind == "music" or not seg.source:
                    from .music import resolve_mood

                    seed = seg.meta.get("seed")
                    audio.append(AudioLayer("music", mood=resolve_mood(seg.meta.get("mood")),
                                            seed=int(_float(seed, 0)) if seed is not None else 0, **common))
                else:
                    path = _resolve_path(seg.source, seg.name, media)
                    info = info_of(path)
                    if not info.has_audio:
                        raise MediaError(f"{Path(path).name}: this file has no sound to use on an audio track.", path)
                    audio.append(AudioLayer("file", path=path, loop=track.role == "bgm",
                                            src_in=_ms(seg.meta.get("in")), **common))
    return Plan(width, height, fps, duration, quality, clips, texts, audio,
                fade_in=_ms(draft.meta.get("fade_in")), fade_out=_ms(draft.meta.get("fade_out")),
                logo=_logo(draft, media), end_card=_end_card(draft, duration))


def _logo(draft: Draft, media: dict[str, Any]) -> LogoLayer | None:
    spec = draft.meta.get("logo")
    if not isinstance(spec, dict) or not (spec.get("src") or spec.get("path")):
        return None
    return logo_layer(spec, _resolve_path(str(spec.get("src") or spec.get("path")), "logo", media))


def _end_card(draft: Draft, duration: float) -> EndCard | None:
    card = end_card(draft.meta.get("end_card"), duration, draft.meta.get("text_style"))
    if card is None or not card.text:
        return card
    layer = TextLayer(card.text, "title", "center", "none", card.start, card.end, style=card.style)
    return replace(card, layer=layer)


def _text_style(meta: dict[str, Any], default: Any, scale: float) -> TextStyle:
    """The segment's style over the draft's default; pixel sizes scaled to this output (a preview is
    smaller than the export)."""
    style = resolve_style(meta, default if isinstance(default, dict) else None)
    if isinstance(style.size, int):
        style = replace(style, size=max(8, round(style.size * scale)))
    return style


def _probe(path: str) -> MediaInfo:
    """Headers only for photos: the compositor decodes each one anyway, and that decode fails naming
    the file if its data is bad (a second, verification decode here cost ~10% of a preview)."""
    return probe(path, verify=False)


def _probe_all(paths: list[str]) -> dict[str, MediaInfo]:
    """Probe each distinct file, two at a time (video probes decode a frame, releasing the GIL); the
    first bad file in timeline order raises, as a one-by-one probe would."""
    unique = list(dict.fromkeys(paths))
    if len(unique) < 2:
        return {p: _probe(p) for p in unique}
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="nemo-probe") as pool:
        return dict(zip(unique, pool.map(_probe, unique), strict=True))


def beat_sync_on(draft: Draft, mood: str | None) -> bool:
    """``m.beat_sync`` when set; otherwise on for upbeat built-in music (cuts on the beat suit it)."""
    flag = draft.meta.get("beat_sync")
    if flag is None:
        return mood == "upbeat"
    if isinstance(flag, str):
        return flag.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(flag)


def _music_beats(draft: Draft, media: dict[str, Any], info_of: Any, until: float) -> tuple[list[float], str | None]:
    """Beat times (s, on the timeline) of the first music on an audio track, and its built-in mood
    (None for a file): the built-in music's own grid, or onsets detected in the uploaded file."""
    from .beats import file_beats
    from .music import beat_period, resolve_mood

    for track in draft.tracks_of(TrackType.AUDIO):
        for s, _e, seg in track.spans():
            start = s / 1000.0
            if (seg.kind or "music") == "music" and not seg.source:
                mood = resolve_mood(seg.meta.get("mood"))
                period = beat_period(mood)
                return [start + k * period for k in range(int((until - start) / period) + 2)], mood
            if seg.source and track.role == "bgm":
                path = _resolve_path(seg.source, seg.name, media)
                found = [start + b - _ms(seg.meta.get("in")) for b in file_beats(path)]
                length = info_of(path).duration_ms / 1000.0
                beats = [b for b in found if b >= start]
                while beats and length > 1.0 and beats[-1] < until:  # a looping track: its beats repeat
                    beats += [b + length for b in found if b + length > beats[-1] + 0.05]
                    found = [b + length for b in found]
                return beats, None
    return [], None


def _snap_to_beats(draft: Draft, cuts: list[tuple[float, float]], media: dict[str, Any],
                   info_of: Any) -> list[tuple[float, float]]:
    """Move inner cuts to the nearest beat of the music (``m.beat_sync``, default on for upbeat
    music); the first and last edges stay, so the length is what was asked; every clip keeps at
    least half a second."""
    if len(cuts) < 2:
        return cuts
    edges = [cuts[0][0]] + [b for _, b in cuts]
    if draft.meta.get("beat_sync") is False:
        return cuts
    beats, mood = _music_beats(draft, media, info_of, edges[-1])
    if not beats or not beat_sync_on(draft, mood):
        return cuts
    out = [edges[0]]
    for i in range(1, len(edges) - 1):
        lo = out[-1] + 0.5
        hi = edges[-1] - 0.5 * (len(edges) - 1 - i)
        near = [b for b in beats if lo <= b <= hi]
        out.append(min(near, key=lambda b: abs(b - edges[i])) if near else min(max(edges[i], lo), hi))
    out.append(edges[-1])
    return list(itertools.pairwise(out))
