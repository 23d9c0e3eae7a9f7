/** Errors that name the object and field at fault, so a user can find the line to fix. */
export class BrainweaveError extends Error {
  constructor(message: string) { super(message); this.name = 'BrainweaveError'; }
}
/** The compiler could not translate a construct in a model method. */
export class CompileError extends BrainweaveError {
  /** The user's file, line and column (1-based) and the text of that line, where they could be found. */
  readonly location?: { file: string; line: number; column: number; text: string };
  constructor(message: string, location?: { file: string; line: number; column: number; text: string }) {
    super(message); this.name = 'CompileError';
    if (location) this.location = location;
  }
}
/** A state value became NaN or ±Inf during a run. */
export class SimulationError extends BrainweaveError {
  constructor(message: string, readonly step: number, readonly target: string, readonly index: number) {
    super(message); this.name = 'SimulationError';
  }
}

export function checkFiniteNumber(owner: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new BrainweaveError(`${owner}: parameter '${field}' must be a finite number, got ${String(v)}`);
  }
  return v;
}
