/**
 * Where a piece of a model method is in the user's own file. Under tsx (esbuild) a method's
 * `Function.prototype.toString` is minified onto one line, so lines counted in it mean nothing to the user;
 * the JavaScript engine still knows where the function starts in the script it ran, and that script's
 * source map (tsx and `node --enable-source-maps` keep one) leads back to the original file, line and column.
 *
 * Node only, and only on the rare path of a compile error: the inspector is reached through
 * `process.getBuiltinModule` (Node ≥ 20.16), never imported, so this module stays safe in a browser bundle,
 * where locate() simply returns null.
 */
export interface SourceLocation { file: string; line: number; column: number; text: string }

type Pos = { scriptId: string; lineNumber: number; columnNumber: number };
let session: any = null;
const scripts = new Map<string, string>();

function builtin(name: string): any {
  const p = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  return p?.getBuiltinModule?.(name) ?? null;
}

function functionPosition(fn: Function): Pos | null {
  const inspector = builtin('node:inspector');
  if (!inspector) return null;
  if (!session) {
    session = new inspector.Session();
    session.connect();
    session.on('Debugger.scriptParsed', (m: { params: { scriptId: string; url: string } }) => scripts.set(m.params.scriptId, m.params.url));
    session.post('Debugger.enable', () => {});
  }
  let pos: Pos | null = null;
  const g = globalThis as { __bwLocate?: Function };
  g.__bwLocate = fn;
  // the inspector answers these synchronously on the same thread
  session.post('Runtime.evaluate', { expression: 'globalThis.__bwLocate', objectGroup: 'bw' }, (_e: unknown, r: any) => {
    if (!r?.result?.objectId) return;
    session.post('Runtime.getProperties', { objectId: r.result.objectId, ownProperties: true }, (_e2: unknown, p: any) => {
      pos = p?.internalProperties?.find((x: any) => x.name === '[[FunctionLocation]]')?.value?.value ?? null;
    });
  });
  session.post('Runtime.releaseObjectGroup', { objectGroup: 'bw' }, () => {});
  delete g.__bwLocate;
  return pos;
}

/** The user's file, line and column (1-based) of character `offset` of `fn.toString()`, or null. */
export function locate(fn: Function, offset: number): SourceLocation | null {
  try {
    const pos = functionPosition(fn);
    if (!pos) return null;
    const url = scripts.get(pos.scriptId);
    if (!url) return null;
    const src = Function.prototype.toString.call(fn).slice(0, offset).split('\n');
    const genLine = pos.lineNumber + src.length - 1;
    const genCol = src.length === 1 ? pos.columnNumber + offset : src[src.length - 1].length;
    const mod = builtin('node:module'), urlMod = builtin('node:url');
    const path = url.startsWith('file://') && urlMod ? urlMod.fileURLToPath(url) : url;
    const map = mod?.findSourceMap?.(path) ?? mod?.findSourceMap?.(url);
    const entry = map?.findEntry?.(genLine, genCol);
    if (entry && entry.originalSource !== undefined && entry.originalLine !== undefined) {
      const file = entry.originalSource.startsWith('file://') && urlMod ? urlMod.fileURLToPath(entry.originalSource) : entry.originalSource;
      return { file, line: entry.originalLine + 1, column: entry.originalColumn + 1, text: lineOf(file, entry.originalLine, map) };
    }
    return { file: path, line: genLine + 1, column: genCol + 1, text: lineOf(path, genLine, null) };
  } catch {
    return null; // locating is a courtesy: never let it hide the real error
  }
}

function lineOf(file: string, line0: number, map: any): string {
  const i = map?.payload?.sources?.findIndex((s: string) => s.endsWith(file.split('/').pop()!));
  let text: string | undefined = (i >= 0 ? map.payload.sourcesContent?.[i] : undefined) ?? undefined;
  if (typeof text !== 'string') {
    try { text = builtin('node:fs')?.readFileSync(file, 'utf8'); } catch { text = undefined; }
  }
  return (text?.split('\n')[line0] ?? '').trim();
}
