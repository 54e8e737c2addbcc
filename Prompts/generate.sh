#!/bin/sh
# Regenerates every prompt WAV of a prompt folder from its catalog.yaml (run by `make prompts`).
#
#   Prompts/generate.sh Prompts/en-US
#
# Each prompt is spoken by espeak-ng (voice en-us, 150 words a minute) and converted by sox to
# 8 kHz mono 16-bit (`sox -R`: repeatable dither), so the same catalog gives the same bytes. The
# work is done by `hotline prompts generate`, which reads the catalog with the same loader the
# player uses; this script builds it first. Needs: swift, espeak-ng, sox.
set -eu
folder="${1:?usage: Prompts/generate.sh PROMPT_FOLDER (e.g. Prompts/en-US)}"
catalog="$folder/catalog.yaml"
[ -f "$catalog" ] || { echo "generate.sh: $catalog: no such file" >&2; exit 1; }
root="$(cd "$(dirname "$0")/.." && pwd)"
swift="${SWIFT:-swift}"
(cd "$root" && "$swift" build --product hotline >/dev/null) || { echo "generate.sh: building hotline failed" >&2; exit 1; }
bin="$(cd "$root" && "$swift" build --product hotline --show-bin-path)/hotline"
exec "$bin" prompts generate --catalog "$catalog"
