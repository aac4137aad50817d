"""Set one value with ruamel.yaml's round-trip mode, as a user script would: FILE PATH_JSON VALUE."""
import json
import sys

from ruamel.yaml import YAML

yaml = YAML()  # round-trip mode: keeps comments and most formatting
yaml.preserve_quotes = True
with open(sys.argv[1]) as f:
    data = yaml.load(f)
path = json.loads(sys.argv[2])
node = data
for key in path[:-1]:
    node = node[key]
node[path[-1]] = sys.argv[3]
yaml.dump(data, sys.stdout)
