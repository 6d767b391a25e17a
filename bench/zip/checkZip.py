"""checkZip.py ARCHIVE FOLDER: Python's zipfile reads ARCHIVE (testzip: every entry's CRC), then every file
under FOLDER must be in it, under its relative name, with the same bytes, and nothing else (directory
entries aside). Prints "ok N" or the first problem, and exits non-zero on one."""
import os
import sys
import zipfile

archive, folder = sys.argv[1], sys.argv[2]
expected = {}
for dirpath, _, files in os.walk(folder):
    for name in files:
        path = os.path.join(dirpath, name)
        expected[os.path.relpath(path, folder).replace(os.sep, "/")] = path

with zipfile.ZipFile(archive) as z:
    bad = z.testzip()
    if bad is not None:
        sys.exit(f"bad CRC in {bad!r}")
    names = [i.filename for i in z.infolist() if not i.is_dir()]
    if len(names) != len(set(names)):
        sys.exit("duplicate names")
    missing, extra = sorted(set(expected) - set(names)), sorted(set(names) - set(expected))
    if missing or extra:
        # A UTF-8 name without the UTF-8 flag (bit 11) is read as code page 437: say so rather than list mojibake.
        unflagged = [n for n in extra if n.encode("cp437", "replace").decode("utf-8", "replace") in missing]
        if unflagged and len(unflagged) == len(extra) == len(missing):
            sys.exit(f"{len(unflagged)} non-ASCII name(s) without the UTF-8 flag, read as cp437")
        sys.exit(f"names differ: {len(missing)} missing, {len(extra)} unexpected, e.g. {(missing + extra)[0]!r}")
    for name in names:
        with z.open(name) as entry, open(expected[name], "rb") as original:
            while True:
                a, b = entry.read(1 << 20), original.read(1 << 20)
                if a != b:
                    sys.exit(f"bytes differ in {name!r}")
                if not a:
                    break
print("ok", len(names))
