#!/usr/bin/env bash
# Includes point one way, cli -> core -> idl -> base: a folder includes
# nothing from the folders above it. Prints each include that points up.
# usage: layering_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"
status=0
check() {  # FOLDER, then the folders it must not include from
  local folder=$1
  shift
  for above in "$@"; do
    if grep -rnE "^#include \"$above/" "$folder" --include='*.h' --include='*.cpp'; then
      echo "layering: $folder/ includes from $above/ (above it)" >&2
      status=1
    fi
  done
}
check base idl core cli
check idl core cli
check core cli
exit $status
