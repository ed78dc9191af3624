// ESLint rule `pulmo/no-cycles`: no import cycles in src-main or src-renderer, type-only imports included (a
// type cycle still ties two modules into one unit a newcomer cannot read or move alone). The module graph is
// scanned once per lint run from the import specifiers; each file reports the import that enters its cycle.
import fs from 'node:fs';
import path from 'node:path';

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]/g;
const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

function resolveSpec(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const ext of ['', ...EXTENSIONS]) {
    const p = base + ext;
    if (fs.existsSync(p) && fs.statSync(p).isFile()) return p;
  }
  return null;
}

function listSources(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listSources(p, out);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Strongly connected components (Tarjan); returns file -> id of its component, for components of 2+ files. */
function cyclicComponents(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const comp = new Map();
  let next = 0;
  let compId = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const members = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        members.push(w);
      } while (w !== v);
      if (members.length > 1) {
        compId++;
        for (const m of members) comp.set(m, compId);
      }
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return comp;
}

let cache = null; // { signature, graph, comp }

function analyse(cwd) {
  // Rescan only when a source file was added, removed or changed (an editor's long-lived ESLint stays right).
  const files = [...listSources(path.join(cwd, 'src-main')), ...listSources(path.join(cwd, 'src-renderer'))];
  const signature = files.map((f) => { const st = fs.statSync(f); return `${f}:${st.mtimeMs}:${st.size}`; }).join('|');
  if (cache && cache.signature === signature) return cache;
  const graph = new Map();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const deps = new Set();
    for (const m of text.matchAll(IMPORT_RE)) {
      const target = resolveSpec(file, m[1]);
      if (target) deps.add(target);
    }
    graph.set(file, deps);
  }
  cache = { signature, graph, comp: cyclicComponents(graph) };
  return cache;
}

export const cycleRule = {
  meta: { type: 'problem', docs: { description: 'no import cycles (type-only imports included)' }, schema: [] },
  create(context) {
    const file = context.filename;
    const { comp } = analyse(context.cwd);
    const mine = comp.get(file);
    if (mine === undefined) return {};
    return {
      ImportDeclaration(node) {
        const spec = node.source.value;
        if (typeof spec !== 'string' || !spec.startsWith('.')) return;
        const target = resolveSpec(file, spec);
        if (target && comp.get(target) === mine) {
          context.report({ node, message: `Import cycle: ${path.relative(context.cwd, file)} -> ${path.relative(context.cwd, target)} leads back here; move the shared part into a module both can import` });
        }
      },
    };
  },
};
