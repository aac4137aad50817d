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
    """Wall time (s) and peak RSS (MiB) of one process; output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024


def measure(commands, runs):
    """Median time and max peak memory per command, runs alternating between commands."""
    for cmd in commands.values():  # warm-up (page cache, interpreters)
        run_once(cmd)
    times = {name: [] for name in commands}
    memory = {name: 0.0 for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            t, m = run_once(cmd)
            times[name].append(t)
            memory[name] = max(memory[name], m)
    return {name: (statistics.median(ts), memory[name]) for name, ts in times.items()}


def table(title, results, ours="valuesmith"):
    print(f"\n### {title}\n")
    print("| tool | median time | peak memory | valuesmith is faster by |")
    print("| --- | ---: | ---: | ---: |")
    base = results[ours][0]
    for name, (t, m) in results.items():
        ratio = "" if name == ours else f"{t / base:.0f}x"
        print(f"| {name} | {t * 1000:.1f} ms | {m:.1f} MiB | {ratio} |")


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
    args = p.parse_args()
    corpus = Path(args.corpus)
    bin_dir = Path(args.venv) / "bin"
    new = corpus / KPS.format("88.5.3")
    old = corpus / KPS.format("88.0.0")
    if not old.exists():
        old = sorted(corpus.glob(KPS.format("*")))[-2]
    vs = args.valuesmith
    print(f"machine: {os.cpu_count()} cores; file: {new.relative_to(corpus)} "
          f"({new.stat().st_size} bytes, {len(new.read_text().splitlines())} lines); "
          f"{args.runs} runs per tool")
    env_node = dict(os.environ, NODE_PATH=args.node_modules)
    os.environ["NODE_PATH"] = args.node_modules

    table("validate vs yamllint", measure({
        "valuesmith": [vs, "validate", str(new)],
        "yamllint": [str(bin_dir / "yamllint"), "-d", "relaxed", str(new)],
    }, args.runs))
    table("diff vs yamlpath yaml-diff", measure({
        "valuesmith": [vs, "diff", str(old), str(new)],
        "yaml-diff": [str(bin_dir / "yaml-diff"), str(old), str(new)],
    }, args.runs))
    path = ["prometheus", "prometheusSpec", "retention"]
    table("one-value set vs ruamel.yaml and npm yaml", measure({
        "valuesmith": [vs, "set", str(new), vs_path(path), "30d"],
        "ruamel.yaml": [str(bin_dir / "python"), str(Path(args.peers) / "ruamel_set.py"), str(new), json.dumps(path), "30d"],
        "npm yaml": ["node", str(Path(args.peers) / "yaml_set.mjs"), str(new), json.dumps(path), "30d"],
    }, args.runs))

    files = sorted(corpus.glob("charts/*/*/values.yaml"))
    all_files = measure({"valuesmith": [vs, "validate", *map(str, files)]}, args.runs)
    t, m = all_files["valuesmith"]
    print(f"\n### validate all {len(files)} corpus values files in one invocation\n")
    print(f"valuesmith: {t * 1000:.1f} ms median, {m:.1f} MiB peak")

    churn(args, files)


if __name__ == "__main__":
    sys.exit(main())
