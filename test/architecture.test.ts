// The shape of the code, enforced: each context under functions/ is used by others only through its door
// (functions/<context>/index.ts), shared/ never depends on a context, and no module imports one that imports it
// back. docs/architecture.md draws what this allows.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The repository-relative files a module imports (static and dynamic), resolving `#shared/` and friends. */
function importsOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] as string);
  return specifiers.flatMap((s) => {
    const alias = /^#(shared|functions|infra)\/(.*)$/.exec(s);
    if (alias) return [normalize(`${alias[1]}/${alias[2]}`)];
    if (s.startsWith('.')) return [normalize(relative(ROOT, resolve(ROOT, dirname(file), s)))];
    return [];
  });
}

const isTest = (f: string) => /\.test\.ts$/.test(f);
const contextOf = (f: string) => /^functions\/([^/]+)\//.exec(f)?.[1];

/** A file in one context importing another context's module other than its door. */
function boundaryViolations(files: Map<string, string[]>): string[] {
  const found: string[] = [];
  for (const [file, imports] of files) {
    if (isTest(file)) continue; // tests may build fixtures with any context's internals
    const from = contextOf(file);
    for (const target of imports) {
      const to = contextOf(target);
      if (file.startsWith('shared/') && target.startsWith('functions/'))
        found.push(`${file} → ${target} (shared/ must not depend on a context)`);
      if (from && to && from !== to && target !== `functions/${to}/index.ts`)
        found.push(`${file} → ${target} (use functions/${to}/index.ts)`);
    }
  }
  return found;
}

/** Import cycles between non-test modules, each as the path that closes it. */
function cycles(files: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    path.push(f);
    for (const next of files.get(f) ?? []) {
      if (!files.has(next)) continue;
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(f, 'done');
  };
  for (const f of files.keys()) if (!state.has(f)) visit(f);
  return found;
}

const graph = new Map(
  ['functions', 'shared', 'infra']
    .flatMap(sources)
    .filter((f) => !isTest(f))
    .map((f) => [f, importsOf(f)] as const),
);

describe('context boundaries', () => {
  it('every context has a door', () => {
    const contexts = readdirSync(join(ROOT, 'functions')).filter((d) =>
      statSync(join(ROOT, 'functions', d)).isDirectory(),
    );
    const doorless = contexts.filter((c) => !graph.has(`functions/${c}/index.ts`));
    expect(doorless).toEqual([]);
  });

  it('no context reaches past another context’s door, and shared/ depends on none', () => {
    expect(boundaryViolations(graph)).toEqual([]);
  });

  it('no import cycles', () => {
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('the rule catches what it forbids (so the checks above can fail)', () => {
    const bad = new Map([
      [
        'functions/billing/claims.ts',
        importsOf('functions/billing/claims.ts', "import { x } from '#functions/charting/store.ts';"),
      ],
      [
        'functions/billing/ok.ts',
        importsOf('functions/billing/ok.ts', "import { x } from '../charting/index.ts';"),
      ],
      ['shared/x.ts', importsOf('shared/x.ts', "import { y } from '../functions/patients/index.ts';")],
    ]);
    expect(boundaryViolations(bad)).toEqual([
      'functions/billing/claims.ts → functions/charting/store.ts (use functions/charting/index.ts)',
      'shared/x.ts → functions/patients/index.ts (shared/ must not depend on a context)',
    ]);
    const loop = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts']],
    ]);
    expect(cycles(loop)).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });
});
