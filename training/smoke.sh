#!/usr/bin/env bash
# CI smoke run of the training kit (< 2 min on 2 cores): its unit tests, then a few images, one epoch, 2 folds per
# model (the CNN path, so torch training and ONNX export run), `pulmo models add` of both, and a CAD run on the
# bundled sample that must carry both models' outputs. Needs `npm run build` first and Debian's python3-torch,
# python3-torchvision, python3-nibabel, python3-pil, python3-sklearn, python3-scipy.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
DATA=${PULMO_SHARED_DATA:-$(cd .. && pwd)/../shared/data}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export OMP_NUM_THREADS=2

echo "== training kit: unit tests"
$PY -m unittest discover -s tests

echo "== smoke training (tiny data, 1 epoch)"
$PY -m pulmo_train.train_malignancy --data "$DATA/lidc-vois" --out "$OUT/mal" --limit 30 --folds 2 --epochs 1 \
  --model cnn --id smoke-malignancy --version 0.0.1
$PY -m pulmo_train.train_cancer_type --data "$DATA/ldfc/BMP_classification/train" --out "$OUT/ct" --limit 4 --folds 2 \
  --epochs 1 --model cnn --id smoke-cancer-type --version 0.0.1

echo "== install and classify"
pulmo() { node ../bin/pulmo.js "$@" --data "$OUT/data"; }
pulmo models add "$OUT/mal"
pulmo models add "$OUT/ct"
pulmo import ../resources/sample --json > "$OUT/import.json"
series=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).series[0].seriesInstanceUID)' "$OUT/import.json")
pulmo analyze "$series" --models pulmo-classical,smoke-cancer-type,smoke-malignancy --json > "$OUT/analyze.json"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
const ids = r.models.map((m) => m.id).join(",");
if (ids !== "pulmo-classical,smoke-cancer-type,smoke-malignancy") throw new Error("models of the run: " + ids);
if (!r.findings.length) throw new Error("no findings on the sample");
for (const f of r.findings) {
  if (!f.malignancy || !(f.malignancy.probability >= 0 && f.malignancy.probability <= 1)) throw new Error("finding without malignancy: " + JSON.stringify(f));
  const s = f.classProbs.benign + f.classProbs.AC + f.classProbs.SCC;
  if (Math.abs(s - 1) > 1e-4 || f.classModel.id !== "smoke-cancer-type") throw new Error("bad cancer-type output: " + JSON.stringify(f));
}
console.log(`smoke OK: ${r.findings.length} findings classified by ${ids}`);
' "$OUT/analyze.json"
