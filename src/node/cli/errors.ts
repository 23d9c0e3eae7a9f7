/** Exit codes of the `brainweave` command (listed in its --help). */
export const EXIT = { ok: 0, internal: 1, usage: 2, script: 3, simulation: 4, output: 5, interrupted: 130 } as const;

/** A failure with its exit code; the CLI prints `brainweave: <message>` and exits with `code`. */
export class CliError extends Error {
  constructor(readonly code: number, message: string, override readonly cause?: unknown) { super(message); this.name = 'CliError'; }
}

/** First line of an error's message, prefixed by its class when that says something (SimulationError: ...). */
export function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const first = e.message.split('\n')[0];
  return e.name && e.name !== 'Error' ? `${e.name}: ${first}` : first;
}
