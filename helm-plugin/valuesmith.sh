#!/bin/sh
# What `helm valuesmith ...` runs: the installed valuesmith command with every argument, or,
# when there is none on PATH, how to install it (exit 2: could not run).
if ! command -v valuesmith >/dev/null 2>&1; then
  echo "error: helm valuesmith runs the valuesmith command, which is not on PATH" >&2
  echo "hint: install it with \`cargo install --locked valuesmith-cli\`, or from a clone of the repository with \`cargo install --locked --path crates/valuesmith-cli\`" >&2
  exit 2
fi
exec valuesmith "$@"
