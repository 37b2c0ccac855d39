# Build-time tool (not imported): python make_subset.py OUT_DIR
# Needs fontTools and Debian's fonts-noto-cjk, fonts-inter, fonts-ebgaramond (all SIL OFL 1.1).
"""Build the bundled fonts (see LICENSE-OFL.txt for each family's copyright and licence).

- Noto Sans CJK SC Regular/Bold: subset to Latin + common CJK (GB2312 hanzi, kana, punctuation).
- Inter Regular/Bold: subset to Latin, Latin-1 and Latin Extended-A (Inter has no Reserved Font Name).
- EB Garamond 12 Regular/Bold: copied unmodified (its licence reserves the name "EB Garamond", so a
  subset could not keep it).
"""
import contextlib
import shutil
import sys
from pathlib import Path

from fontTools import subset

LATIN = [(0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2100, 0x214F), (0x2190, 0x21FF)]
CJK_EXTRA = [(0x3000, 0x303F), (0x3040, 0x30FF), (0xFF00, 0xFFEF), (0x25A0, 0x25FF), (0x2600, 0x26FF)]


def chars(ranges: list[tuple[int, int]], gb2312: bool) -> list[int]:
    found = set()
    for lo, hi in ranges:
        found.update(range(lo, hi + 1))
    if gb2312:
        for a in range(0xA1, 0xF8):
            for b in range(0xA1, 0xFF):
                with contextlib.suppress(UnicodeDecodeError):
                    found.add(ord(bytes([a, b]).decode("gb2312")))
    return sorted(found)


def build(src: str, out: Path, unicodes: list[int], font_number: int = 0) -> None:
    opts = subset.Options()
    opts.font_number = font_number
    opts.layout_features = ["kern", "liga", "vert", "palt"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    font = subset.load_font(src, opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    subset.save_font(font, str(out), opts)
    print(out.name, out.stat().st_size)


def main(out_dir: Path) -> None:
    from fontTools.ttLib import TTCollection

    cjk = chars(LATIN + CJK_EXTRA, gb2312=True)
    for weight in ("Regular", "Bold"):
        ttc = f"/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc"
        idx = next(i for i, f in enumerate(TTCollection(ttc).fonts) if "SC" in f["name"].getDebugName(4))
        build(ttc, out_dir / f"NotoSansCJKsc-{weight}-subset.otf", cjk, idx)
        build(f"/usr/share/fonts/opentype/inter/Inter-{weight}.otf", out_dir / f"Inter-{weight}-subset.otf",
              chars(LATIN, gb2312=False))
        name = f"EBGaramond12-{weight}.otf"
        shutil.copyfile(f"/usr/share/fonts/opentype/ebgaramond/{name}", out_dir / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
