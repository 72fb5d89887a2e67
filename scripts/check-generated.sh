#!/usr/bin/env bash
# Regenerates every @generated file and fails when the result differs from what is committed,
# so a schema change without its migration (or a stale embedded copy) cannot land.
set -euo pipefail
cd "$(dirname "$0")/.."
npx drizzle-kit generate >/dev/null
npx tsx scripts/embed-migrations.ts >/dev/null
npx tsx scripts/embed-fonts.ts >/dev/null
npx tsx scripts/generate-sdk-schema.ts >/dev/null
if [ -n "$(git status --porcelain -- migrations sdk/src/schema.d.ts sdk/src/operations.ts sdk/src/models.ts gateway/src/domain/settlement/fonts.ts)" ]; then
  echo "Generated files are stale; run 'npm run db:generate', 'npm run sdk:generate' and 'npm run pdf:fonts', and commit the result:" >&2
  git status --short -- migrations sdk/src/schema.d.ts sdk/src/operations.ts sdk/src/models.ts gateway/src/domain/settlement/fonts.ts >&2
  exit 1
fi
echo "generated files are up to date"
