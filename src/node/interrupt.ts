/**
 * Ctrl-C as an AbortSignal: `net.run(d, { signal: abortOnInterrupt() })` stops at the next chunk
 * boundary on the first SIGINT and returns what was recorded; a second Ctrl-C exits at once (code 130).
 */
export function abortOnInterrupt(): AbortSignal {
  const ac = new AbortController();
  const onSigint = () => {
    if (ac.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: stopping at the next chunk (Ctrl-C again to quit now)\n');
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  return ac.signal;
}
