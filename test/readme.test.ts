/**
 * Every ```ts block of the READMEs and docs/ type-checks against the sources, as a user would write it
 * (imports from 'brainweave', 'brainweave/models', ...; top-level await). Running them against the packed
 * package is test/package.slow.test.ts.
 */
import * as ts from 'typescript';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { extractBlocks } from './readme-blocks';

const ROOT = resolve(__dirname, '..');

test('README blocks: found, marked sparingly', () => {
  const blocks = extractBlocks(ROOT);
  const files = new Set(blocks.map((b) => b.file));
  for (const f of ['README.md', 'models/README.md', 'connectors/README.md', 'docs/beyond-one-machine.md']) expect(files).toContain(f);
  // most blocks run; no-run is for the few that need an outside engine's output
  expect(blocks.filter((b) => !b.run).length).toBeLessThanOrEqual(Math.floor(blocks.length / 4));
  for (const b of blocks) expect(b.code).toMatch(/^import .* from 'brainweave(\/\w+)?';$/m);
});

test('README blocks type-check against the sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-readme-'));
  try {
    const blocks = extractBlocks(ROOT);
    const files = blocks.map((b) => { const p = join(dir, `${b.name}.ts`); writeFileSync(p, b.code); return p; });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true,
      useDefineForClassFields: true, noImplicitOverride: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')],
      baseUrl: ROOT,
      paths: {
        brainweave: ['src/index.ts'], 'brainweave/connectors': ['connectors/index.ts'],
        'brainweave/models': ['models/index.ts'], 'brainweave/node': ['src/node/index.ts'],
      },
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file) return msg;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      const b = blocks[files.indexOf(d.file.fileName)];
      return b ? `${b.file}:${b.line + line}: ${msg}` : `${d.file.fileName}:${line + 1}: ${msg}`;
    });
    expect(diags).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
