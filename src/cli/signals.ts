/**
 * Termination signals that arrive before a command is ready for them. docker traps them from its
 * first instant (its notify context), so a SIGINT sent to `docker attach` while it is still starting
 * is forwarded to the container like any later one. tdocker holds them from the start of the process
 * (node would otherwise die of them while loading): a command that takes signals (attach's
 * --sig-proxy) receives the held ones when it is ready; for every other command they are raised
 * again, with node's default action, as soon as it is known they are nobody's.
 */
const HELD: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

let pending: NodeJS.Signals[] = [];
let holding = false;
const hold = (s: NodeJS.Signals): void => {
  pending.push(s);
};

/** Start holding SIGINT, SIGTERM, SIGHUP and SIGQUIT (the process entry point calls this first). */
export function holdSignals(): void {
  if (holding) return;
  holding = true;
  for (const s of HELD) process.on(s, hold);
  // bin/launch.cjs held them already, from before the bundle was loaded: take its list over
  const launcher = (globalThis as Record<symbol, unknown>)[Symbol.for('tdocker.heldSignals')] as { pending: NodeJS.Signals[]; stop(): void } | undefined;
  if (launcher) {
    launcher.stop();
    pending.unshift(...launcher.pending.splice(0));
  }
}

/** Whether signals are being held (a command may still take them). */
export function holdingSignals(): boolean {
  return holding;
}

/** Stop holding; returns the signals that came meanwhile, in order, for the caller to act on. */
export function takeHeldSignals(): NodeJS.Signals[] {
  if (holding) {
    holding = false;
    for (const s of HELD) process.off(s, hold);
  }
  const p = pending;
  pending = [];
  return p;
}

/**
 * Stop holding and deliver what came meanwhile again, now to whatever listens (node's default
 * action, ending the process, when nothing does).
 */
export function releaseSignals(): void {
  for (const s of takeHeldSignals()) process.kill(process.pid, s);
}
