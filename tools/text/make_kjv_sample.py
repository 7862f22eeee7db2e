"""Regenerates data/text/kjv-genesis-leviticus.txt from Debian's bible-kjv (run: python3 tools/text/make_kjv_sample.py)."""
import re, subprocess

raw = subprocess.run(["bible", "-l0", "Gen1:1-Rev22:21"], capture_output=True, text=True, check=True).stdout
chapters, cur = [], []
for line in raw.split("\n"):
    if re.match(r"^\S.* \d+$", line):          # "Genesis 1": a chapter heading
        if cur: chapters.append(cur)
        cur = [line]
    elif line.strip():
        m = re.match(r"^\s*\d+ (.*)$", line)      # "  1 In the beginning…": drop the verse number
        cur.append(m.group(1) if m else line.strip())
chapters.append(cur)
text = ""
for c in chapters:
    block = c[0] + "\n\n" + "\n".join(c[1:]) + "\n\n"
    if len((text + block).encode()) > 495000: break
    text += block
open("data/text/kjv-genesis-leviticus.txt", "w").write(text)
