# Build-time tool (not imported): python make_subset.py OUT.otf  (needs fontTools; apt-get install fonts-noto-cjk).
"""Subset Noto Sans CJK SC Bold to Latin + common CJK (GB2312 + kana + punctuation)."""
import sys

sys.path.insert(0, "/tmp/ft")
import contextlib

from fontTools import subset
from fontTools.ttLib import TTCollection

chars = set()
for rng in [(0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2100, 0x214F), (0x3000, 0x303F),
            (0x3040, 0x30FF), (0xFF00, 0xFFEF), (0x2190, 0x21FF), (0x25A0, 0x25FF), (0x2600, 0x26FF)]:
    chars.update(range(rng[0], rng[1] + 1))
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        with contextlib.suppress(UnicodeDecodeError):
            chars.add(ord(bytes([hi, lo]).decode("gb2312")))
coll = TTCollection("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
idx = next(i for i, f in enumerate(coll.fonts) if "SC" in f["name"].getDebugName(4))
print("font", coll.fonts[idx]["name"].getDebugName(4), len(chars))
opts = subset.Options()
opts.font_number = idx
opts.layout_features = ["kern", "liga", "vert", "palt"]
opts.name_IDs = ["*"]
opts.notdef_outline = True
opts.hinting = False
opts.desubroutinize = False
font = subset.load_font("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", opts)
s = subset.Subsetter(opts)
s.populate(unicodes=sorted(chars))
s.subset(font)
subset.save_font(font, sys.argv[1], opts)
