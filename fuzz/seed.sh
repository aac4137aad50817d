#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from the shared corpus beside the repository
# (yaml-test-suite inputs, chart values files, dyff's assets) and the project's examples and
# fixtures.
# The corpora live in fuzz/corpus/ (ignored by git: they are regenerated, and grow as the
# fuzzer runs). Usage: fuzz/seed.sh [SHARED_CORPUS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${1:-$here/../../shared/corpus}"
[ -d "$shared" ] || { echo "no shared corpus at $shared" >&2; exit 1; }
mkdir -p "$here/corpus/read" "$here/corpus/edit" "$here/corpus/path" "$here/corpus/diff" "$here/corpus/catalog"
python3 - "$shared" "$here" <<'PY'
import hashlib, os, random, sys
shared, here = sys.argv[1], sys.argv[2]
roots = [os.path.join(shared, "yaml-test-suite", "data"), os.path.join(shared, "charts"),
         os.path.join(shared, "dyff"), os.path.join(here, "..", "examples")]
files = []
for root in roots:
    for folder, dirs, names in os.walk(root):
        # The suite's tags/ and name/ folders are links back to the cases: skip them.
        dirs[:] = sorted(d for d in dirs if d not in ("tags", "name"))
        for name in sorted(names):
            if name == "in.yaml" or name.endswith((".yaml", ".yml")):
                files.append(os.path.join(folder, name))
rng = random.Random(1)
def put(target, data):
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(here, "corpus", target, name), "wb") as f:
        f.write(data)
for path in files:
    data = open(path, "rb").read()
    if len(data) > 256 * 1024:
        continue
    put("read", data)
    # An edit program after a NUL: see valuesmith_fuzz::edit.
    for _ in range(2):
        put("edit", data + b"\0" + bytes(rng.randrange(256) for _ in range(24)))
# Diff: pairs of documents that belong together (dyff's from/to, the diff fixtures' old/new).
pairs = []
for folder, dirs, names in os.walk(shared):
    dirs[:] = sorted(d for d in dirs if d not in ("tags", "name"))
    for a, b in (("from.yml", "to.yml"), ("from.yaml", "to.yaml"), ("old.yml", "new.yml"),
                 ("old.yaml", "new.yaml")):
        if a in names and b in names:
            pairs.append((os.path.join(folder, a), os.path.join(folder, b)))
for folder, dirs, names in os.walk(os.path.join(here, "..", "fixtures")):
    dirs.sort()
    for a, b in (("old.yml", "new.yml"), ("old.yaml", "new.yaml"), ("input.yml", "expected.yml")):
        if a in names and b in names:
            pairs.append((os.path.join(folder, a), os.path.join(folder, b)))
for a, b in pairs:
    put("diff", open(a, "rb").read() + b"\0" + open(b, "rb").read())
# Catalogs: every catalog of the examples and fixtures, with the values files beside them.
os.makedirs(os.path.join(here, "corpus", "diff"), exist_ok=True)
catalogs = 0
for root in (os.path.join(here, "..", "examples"), os.path.join(here, "..", "fixtures")):
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            if name in ("releases.yml", "catalog.yml", "catalog.yaml"):
                text = open(os.path.join(folder, name), "rb").read()
                put("catalog", text)
                catalogs += 1
                for other in sorted(names):
                    if other != name and other.endswith((".yml", ".yaml")):
                        put("catalog", text + b"\0" + open(os.path.join(folder, other), "rb").read())
print(f"{len(pairs)} diff pairs, {catalogs} catalogs")
for text in ["global.image.tag", 'podAnnotations."prometheus.io/port"', "args[0]",
             "packages[name=CluedIn.Connector.Http].version", 'env[name="A]B"]',
             '"grafana.ini".server', '""', "a[0][1].b", '[name=" x "]']:
    put("path", text.encode())
print(f"seeded from {len(files)} files")
PY
for target in read edit path diff catalog; do
    echo "$target: $(ls "$here/corpus/$target" | wc -l) seeds"
done
