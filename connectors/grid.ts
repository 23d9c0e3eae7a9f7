import { RNG } from '../src/core/rng';
import type { Allocator } from '../src/core/arena';
import { Connector, CSRData, IntBuffer, checkBool, checkCount, checkOptions } from './base';

export interface GridOptions {
  /** Connect a cell to itself (default false, as in BrainPy's grid connectors). */
  includeSelf?: boolean;
  /** Wrap around the borders (torus). Default false: cells near a border have fewer neighbours. */
  periodic?: boolean;
}

/**
 * Base of the 2-D lattice connectors. Pre and post must have the same 2-D shape [rows, cols]
 * (flat index = r * cols + c, row-major). Cell (r, c) connects to the *distinct* cells (r+dr, c+dc) for
 * every offset of the neighbourhood that lands on the grid (or, with `periodic`, wraps around it; on a grid
 * smaller than the neighbourhood, wrapped offsets that land on the same cell give one synapse, and a wrap
 * onto the cell itself counts as a self edge).
 */
export abstract class GridConnector extends Connector {
  readonly includeSelf: boolean;
  readonly periodic: boolean;
  constructor(cls: string, opts: GridOptions) {
    super();
    checkOptions(cls, opts, ['includeSelf', 'periodic']);
    this.includeSelf = checkBool(cls, 'includeSelf', opts.includeSelf ?? false);
    this.periodic = checkBool(cls, 'periodic', opts.periodic ?? false);
  }
  protected optsLabel(): string {
    const o = [this.includeSelf ? 'includeSelf=true' : '', this.periodic ? 'periodic=true' : ''].filter(Boolean);
    return o.join(', ');
  }
  /** Neighbourhood offsets [dr, dc] excluding (0, 0). */
  protected abstract offsets(): Array<[number, number]>;

  protected connect(preNum: number, postNum: number, _rng: RNG, preShape: number[], postShape: number[], alloc: Allocator): CSRData {
    if (preShape.length !== 2 || postShape.length !== 2) {
      this.fail(`needs 2-D groups (size [rows, cols]), got preShape ${JSON.stringify(preShape)} and postShape ${JSON.stringify(postShape)}`);
    }
    if (preShape[0] !== postShape[0] || preShape[1] !== postShape[1]) {
      this.fail(`pre and post must have the same shape, got ${JSON.stringify(preShape)} and ${JSON.stringify(postShape)}`);
    }
    const [R, C] = preShape;
    const offs = this.offsets();
    if (this.includeSelf) offs.push([0, 0]);
    const indptr = alloc.array(Int32Array, preNum + 1);
    const buf = new IntBuffer(preNum * offs.length, alloc);
    const row = new Int32Array(offs.length);
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) {
        const i = r * C + c;
        let k = 0;
        for (const [dr, dc] of offs) {
          let rr = r + dr, cc = c + dc;
          if (this.periodic) { rr = ((rr % R) + R) % R; cc = ((cc % C) + C) % C; }
          else if (rr < 0 || rr >= R || cc < 0 || cc >= C) continue;
          const j = rr * C + cc;
          if (j === i && !this.includeSelf) continue;
          row[k++] = j;
        }
        const sorted = row.subarray(0, k).sort();
        let prev = -1;
        for (let t = 0; t < k; t++) { const j = sorted[t]; if (j !== prev) { buf.push(j); prev = j; } }
        indptr[i + 1] = buf.length;
      }
    }
    return { indptr, indices: buf.finish() };
  }
}

/** Von Neumann neighbourhood: the 4 cells sharing an edge (up, down, left, right). */
export class GridFour extends GridConnector {
  readonly name: string;
  constructor(opts: GridOptions = {}) {
    super('GridFour', opts);
    const o = this.optsLabel();
    this.name = o ? `GridFour(${o})` : 'GridFour';
  }
  protected offsets(): Array<[number, number]> { return [[-1, 0], [0, -1], [0, 1], [1, 0]]; }
}

/** Moore neighbourhood of radius N: all cells with |dr| ≤ N and |dc| ≤ N, i.e. (2N+1)² − 1 neighbours. */
export class GridN extends GridConnector {
  readonly name: string;
  readonly N: number;
  constructor(N = 1, opts: GridOptions = {}, cls = 'GridN') {
    super(cls, opts);
    this.N = checkCount(cls, 'N', N, 1);
    const o = this.optsLabel();
    this.name = `GridN(N=${N}${o ? ', ' + o : ''})`;
  }
  protected offsets(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let dr = -this.N; dr <= this.N; dr++) for (let dc = -this.N; dc <= this.N; dc++) if (dr || dc) out.push([dr, dc]);
    return out;
  }
}

/** Moore neighbourhood of radius 1: the 8 surrounding cells (= GridN(1)). */
export class GridEight extends GridN {
  constructor(opts: GridOptions = {}) {
    super(1, opts, 'GridEight');
    const o = this.optsLabel();
    (this as { name: string }).name = o ? `GridEight(${o})` : 'GridEight';
  }
}
