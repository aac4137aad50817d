"""Driver of bench/compare.sh: times whole processes, measures peak memory, counts churn."""
import argparse
import difflib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

KPS = "charts/kube-prometheus-stack/{}/values.yaml"


def run_once(cmd, env=None):
    """Wall time (s), CPU time (user + system, s) and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(commands, runs):
    """Median wall and CPU time and max peak memory per command, runs alternating between
    commands. A command is a list, or (list, extra environment)."""
    def split(cmd):
        return (cmd[0], dict(os.environ, **cmd[1])) if isinstance(cmd, tuple) else (cmd, None)

    for cmd in commands.values():  # warm-up (page cache, interpreters)
        run_once(*split(cmd))
    walls = {name: [] for name in commands}
    cpus = {name: [] for name in commands}
    memory = {name: 0.0 for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            w, c, m = run_once(*split(cmd))
            walls[name].append(w)
            cpus[name].append(c)
            memory[name] = max(memory[name], m)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name]), memory[name])
            for name in commands}


ROWS = []


def record(case, results, base, target=None, ratio_of=None):
    """Adds a case's rows to the one table. Ratios divide each row's time by the `base` row's
    (CPU time, which the shared machine disturbs least; wall in brackets)."""
    bw, bc, _ = results[base]
    for name, (w, c, m) in results.items():
        if name == base:
            ratio = ""
        else:
            ratio = f"{c / bc:.1f}x ({w / bw:.1f}x)"
        ROWS.append((case, name, w, c, m, ratio, target if name == (ratio_of or name) else ""))


def print_table():
    print("\n| case | command | wall | CPU | peak memory | ratio to the first row (CPU, wall) | target |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    last = None
    for case, name, w, c, m, ratio, target in ROWS:
        shown = case if case != last else ""
        last = case
        print(f"| {shown} | {name} | {w * 1000:.1f} ms | {c * 1000:.1f} ms | {m:.1f} MiB | {ratio} | {target or ''} |")


def vs_path(segments):
    """A path in valuesmith's syntax (PRODUCT.md section 3)."""
    out = ""
    for seg in segments:
        if isinstance(seg, int):
            out += f"[{seg}]"
        else:
            needs = seg == "" or any(c in seg for c in '.[]"=') or any(c.isspace() for c in seg)
            text = json.dumps(seg, ensure_ascii=False) if needs else seg
            out += ("." if out else "") + text
    return out


def leaves(node, path=()):
    """Scalar leaves (mapping values and sequence items) with string keys only."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, str):
                yield from leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, path + (i,))
    elif path:
        yield path


def changed_lines(old, new):
    """Lines of OLD replaced or deleted, plus lines of NEW inserted."""
    sm = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")


def churn(args, files, count=30, seed=20261122):
    from ruamel.yaml import YAML

    rng = random.Random(seed)
    picked = []
    while len(picked) < count:
        file = rng.choice(files)
        data = YAML(typ="safe").load(file.read_text())
        candidates = list(leaves(data))
        if candidates:
            picked.append((file, list(rng.choice(candidates))))
    python = Path(args.venv) / "bin" / "python"
    env = dict(os.environ, NODE_PATH=args.node_modules)
    print(f"\n### Edit churn: lines changed by a one-value set ({count} random corpus leaves, seed {seed})\n")
    print("| file | path | valuesmith | ruamel.yaml | npm yaml |")
    print("| --- | --- | ---: | ---: | ---: |")
    totals = {"valuesmith": [], "ruamel.yaml": [], "npm yaml": []}
    for file, path in picked:
        old = file.read_text()
        value = "valuesmith-churn"
        outputs = {
            "valuesmith": [args.valuesmith, "set", "--string", str(file), vs_path(path), value],
            "ruamel.yaml": [str(python), str(Path(args.peers) / "ruamel_set.py"), str(file), json.dumps(path), value],
            "npm yaml": ["node", str(Path(args.peers) / "yaml_set.mjs"), str(file), json.dumps(path), value],
        }
        row = []
        for tool, cmd in outputs.items():
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
            n = changed_lines(old, proc.stdout) if proc.returncode == 0 else None
            totals[tool].append(n)
            row.append("error" if n is None else str(n))
        rel = file.relative_to(args.corpus)
        print(f"| {rel.parent} | `{vs_path(path)}` | " + " | ".join(row) + " |")
    print()
    for tool, ns in totals.items():
        ok = [n for n in ns if n is not None]
        exact = sum(1 for n in ok if n == 1)
        med = statistics.median(ok) if ok else float("nan")
        print(f"- {tool}: median {med} lines, exactly one line for {exact}/{len(ns)} leaves, {len(ns) - len(ok)} errors")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--valuesmith", required=True)
    p.add_argument("--venv", required=True)
    p.add_argument("--node-modules", required=True)
    p.add_argument("--peers", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--generated", required=True)
    p.add_argument("--repo", required=True)
    args = p.parse_args()
    corpus = Path(args.corpus)
    bin_dir = Path(args.venv) / "bin"
    new = corpus / KPS.format("88.5.3")
    old = corpus / KPS.format("88.0.0")
    if not old.exists():
        old = sorted(corpus.glob(KPS.format("*")))[-2]
    vs = args.valuesmith
    load = os.getloadavg()[0]
    commit = subprocess.run(["git", "-C", args.repo, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    print(f"commit {commit}; load average {load:.1f} at the start")
    print(f"machine: {os.cpu_count()} cores; file: {new.relative_to(corpus)} "
          f"({new.stat().st_size} bytes, {len(new.read_text().splitlines())} lines); "
          f"{args.runs} runs per tool")
    env_node = dict(os.environ, NODE_PATH=args.node_modules)
    os.environ["NODE_PATH"] = args.node_modules

    gen = Path(args.generated)
    rules = measure({
        "valuesmith validate": [vs, "validate", str(new)],
        "yamllint -d relaxed": [str(bin_dir / "yamllint"), "-d", "relaxed", str(new)],
    }, args.runs)
    record("validate kube-prometheus-stack", rules, "valuesmith validate",
           "yamllint at least 150x", "yamllint -d relaxed")
    record("diff kube-prometheus-stack 88.0.0 -> 88.5.3", measure({
        "valuesmith diff": [vs, "diff", str(old), str(new)],
        "yaml-diff": [str(bin_dir / "yaml-diff"), str(old), str(new)],
    }, args.runs), "valuesmith diff", "yaml-diff at least 150x", "yaml-diff")
    path = ["prometheus", "prometheusSpec", "retention"]
    record("one-value set kube-prometheus-stack", measure({
        "valuesmith validate": [vs, "validate", str(new)],
        "valuesmith set": [vs, "set", str(new), vs_path(path), "30d"],
        "ruamel.yaml": [str(bin_dir / "python"), str(Path(args.peers) / "ruamel_set.py"), str(new), json.dumps(path), "30d"],
        "npm yaml": ["node", str(Path(args.peers) / "yaml_set.mjs"), str(new), json.dumps(path), "30d"],
    }, args.runs), "valuesmith validate", None)
    ROWS[-3] = ROWS[-3][:6] + ("set at most 1.3x validate",)
    ROWS[-2] = ROWS[-2][:6] + ("ruamel.yaml at least 100x set",)
    example = Path(args.repo) / "examples" / "cluedin"
    values = example / "values-dev-2024-12-02.yml"
    record("validate with the example catalog", measure({
        "validate --no-config (no catalog found)": [vs, "validate", "--no-config", str(gen.parent / "plain" / "values-dev-2024-12-02.yml")],
        "validate with examples/cluedin/releases.yml": [vs, "validate", "--no-config", str(values)],
    }, args.runs), "validate --no-config (no catalog found)", "at most 1.3x",
        "validate with examples/cluedin/releases.yml")
    out = gen / "out"
    record("migrate generated 50 releases x 40 rules", measure({
        "valuesmith validate (same file, no catalog)": [vs, "validate", "--no-config", str(gen.parent / "plain" / "values-bench-1.0.0.yml")],
        "valuesmith migrate --to 1.50.0": [vs, "migrate", str(gen / "values-bench-1.0.0.yml"), "--to", "1.50.0", "--from", "1.0.0", "--env", "bench",
                                           "--out-dir", str(out), "--force"],
    }, args.runs), "valuesmith validate (same file, no catalog)", "under 100 ms; at most 3x validate (one step)",
        "valuesmith migrate --to 1.50.0")
    for kind, target in (("scalars", "under 2 s"), ("keyed", "under 1 s")):
        results = measure({f"valuesmith diff (100k {kind}, reordered)":
                           [vs, "diff", str(gen / f"{kind}-old.yaml"), str(gen / f"{kind}-new.yaml")]}, 3)
        size = 2 * (gen / f"{kind}-old.yaml").stat().st_size / 2**20
        name = next(iter(results))
        record(f"diff 100k {kind} ({size:.1f} MiB both inputs)", results, name,
               f"{target}; peak under 8x inputs ({8 * size:.0f} MiB)")
    files = sorted(corpus.glob("charts/*/*/values.yaml"))
    thousand = [str(files[i % len(files)]) for i in range(1000)]
    record("validate 1,000 corpus files", measure({
        "RAYON_NUM_THREADS=1": ([vs, "validate", "--no-config", *thousand], {"RAYON_NUM_THREADS": "1"}),
        "RAYON_NUM_THREADS=2": ([vs, "validate", "--no-config", *thousand], {"RAYON_NUM_THREADS": "2"}),
    }, args.runs), "RAYON_NUM_THREADS=1", "2 threads at least 1.7x faster (wall, idle machine)",
        "RAYON_NUM_THREADS=2")
    print_table()

    churn(args, files)


if __name__ == "__main__":
    sys.exit(main())
