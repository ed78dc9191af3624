// ESLint rule `pulmo/layers`: a file in src-main/<layer>/ may import (relatively) only from the layers LAYERS
// allows. Specifiers are resolved to paths, so `../cad` from services/cad/ and `../../cad` are told apart.
import path from 'node:path';
import { LAYERS } from './layers.mjs';

function layerOf(file, srcMain) {
  const rel = path.relative(srcMain, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const [first, ...rest] = rel.split(path.sep);
  return rest.length ? first : null; // files directly in src-main/ belong to no layer
}

export const layerRule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the src-main layer map (scripts/lint/layers.mjs, docs/ARCHITECTURE.md)' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const srcMain = path.join(context.cwd, 'src-main');
    const from = layerOf(file, srcMain);
    if (!from) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(file), spec), srcMain);
      if (!to || to === from) return;
      const allowed = LAYERS[from];
      if (!allowed) {
        context.report({ node, message: `src-main/${from} is not in the layer map: add it to scripts/lint/layers.mjs and docs/ARCHITECTURE.md` });
      } else if (!allowed.includes(to)) {
        context.report({
          node,
          message: `src-main/${from} may not import src-main/${to} (it may import: ${allowed.join(', ') || 'nothing outside itself'}; see docs/ARCHITECTURE.md)`,
        });
      }
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};
