/**
 * The ```ts blocks of the READMEs, for test/readme.test.ts (type-checked against the sources) and
 * test/package.slow.test.ts (type-checked and run against the packed package).
 *
 * Fence info after `ts` marks what a block is:
 *   ```ts            a whole program: type-checked and run (as an ES module, so top-level await works)
 *   ```ts no-run     a whole program that needs something CI does not make (say, a NEURON run's output):
 *                    type-checked only
 */
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

export interface Block { file: string; line: number; code: string; run: boolean; name: string }

/** The documentation files whose ```ts blocks are checked. */
export function docFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f));
  return [join(root, 'README.md'), join(root, 'models/README.md'), join(root, 'connectors/README.md'), ...docs];
}

export function extractBlocks(root: string): Block[] {
  const out: Block[] = [];
  for (const path of docFiles(root)) {
    const lines = readFileSync(path, 'utf8').split('\n');
    const file = relative(root, path);
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(ts|typescript)\b\s*(.*)$/.exec(lines[i]);
      if (!open) continue;
      const marks = open[2].trim().split(/\s+/).filter(Boolean);
      for (const m of marks) if (m !== 'no-run') throw new Error(`${file}:${i + 1}: unknown mark '${m}' on a ts block (known: no-run)`);
      const start = i + 1;
      let j = start;
      while (j < lines.length && !/^```\s*$/.test(lines[j])) j++;
      if (j === lines.length) throw new Error(`${file}:${i + 1}: ts block never closed`);
      const name = `${file.replace(/[^A-Za-z0-9]+/g, '-').replace(/-md$/, '')}-L${start}`;
      out.push({ file, line: start, code: lines.slice(start, j).join('\n') + '\n', run: !marks.includes('no-run'), name });
      i = j;
    }
  }
  return out;
}
