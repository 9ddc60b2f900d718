#!/bin/sh
# Runs a command as on a machine without Java: PATH becomes one temporary folder of links to every
# executable of the current PATH except `java` (the first of each name, as a PATH lookup finds it),
# and JAVA_HOME is unset. For example, `tools/without-java.sh npm test` must pass, with the
# DynamoDB Local suites shown as skipped with the reason, and `CI=true tools/without-java.sh npm test`
# must fail, saying that Java is missing.
set -eu
if [ "$#" -eq 0 ]; then
  echo "usage: tools/without-java.sh <command> [arguments...]" >&2
  exit 2
fi
bin=$(mktemp -d "${TMPDIR:-/tmp}/projectionkit-without-java.XXXXXX")
trap 'rm -rf "$bin"' EXIT INT TERM
old_ifs=$IFS
IFS=:
for dir in $PATH; do
  IFS=$old_ifs
  [ -d "$dir" ] || continue
  for file in "$dir"/*; do
    name=${file##*/}
    if [ "$name" != java ] && [ -f "$file" ] && [ -x "$file" ] && [ ! -e "$bin/$name" ]; then
      ln -s "$file" "$bin/$name"
    fi
  done
done
IFS=$old_ifs
if PATH="$bin" command -v java >/dev/null 2>&1; then
  echo "tools/without-java.sh: java is still on PATH" >&2
  exit 1
fi
env -u JAVA_HOME PATH="$bin" "$@"
