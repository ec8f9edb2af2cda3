#!/usr/bin/env bash
# Checks that every tracked C++ file (*.cc, *.h) is formatted as .clang-format says, without
# changing anything: clang-format --dry-run --Werror prints each difference and fails on one.
#   scripts/check-format.sh [FILE...]            default: every tracked *.cc and *.h
#   scripts/check-format.sh --report [FILE...]   count the files and lines that would change;
#                                                exit 0 either way
# To reformat instead: git ls-files -z -- '*.cc' '*.h' | xargs -0 clang-format-14 -i
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

report=0
if [[ ${1:-} == --report ]]; then report=1; shift; fi

clang_format=${CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format || true)}
if [[ -z "$clang_format" ]]; then
  echo "check-format: no clang-format (apt-get install clang-format-14)" >&2
  exit 1
fi
export clang_format

if (($#)); then
  files=("$@")
else
  mapfile -d '' files < <(git ls-files -z -- '*.cc' '*.h')
fi

if ((report)); then
  # One line per file that would change: "LINES FILE", LINES counting the file's own lines
  # that the formatter would rewrite or remove.
  changes=$(printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P "$(nproc)" bash -c '
    n=$("$clang_format" "$1" | diff -U0 "$1" - | grep -c "^-[^-]" || true)
    if ((n > 0)); then echo "$n $1"; fi' _ | sort -rn)
  if [[ -z "$changes" ]]; then
    echo "check-format: ${#files[@]} files formatted as .clang-format says"
  else
    echo "$changes" | head -n 10 | sed 's/^/  /'
    echo "$changes" | awk -v total="${#files[@]}" '{ lines += $1; files++ }
      END { printf "check-format: %d of %d files, %d lines, differ from .clang-format\n", files, total, lines }'
  fi
  exit 0
fi

if printf '%s\0' "${files[@]}" | xargs -0 -n 16 -P "$(nproc)" "$clang_format" --dry-run --Werror; then
  echo "check-format: ${#files[@]} files formatted as .clang-format says"
else
  echo "check-format: the files above differ from .clang-format; reformat with:" >&2
  echo "  git ls-files -z -- '*.cc' '*.h' | xargs -0 $(basename "$clang_format") -i" >&2
  exit 1
fi
