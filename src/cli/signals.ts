/**
 * Termination signals, as docker 28's main handles them.
 *
 * docker traps SIGINT and SIGTERM from its first instant (its notify context): the first one cancels
 * the command's context — a command waiting on the engine ends and docker exits 128+signal (130,
 * 143), silently — unless the command handles the signal itself (attach and run forward it to the
 * container with --sig-proxy and go on waiting); the third one forces the exit ("got 3 SIGTERM/SIGINTs,
 * forcefully exiting", status 1). SIGHUP and SIGQUIT are not trapped: they end the process.
 *
 * tdocker holds all four from the start of the process (bin/launch.cjs, then holdSignals; node would
 * die of one while still loading): a command that takes signals (attach) receives the held ones when
 * it is ready; for every other command they take effect as soon as it is known they are nobody's.
 */
const HELD: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
const TERMINATION: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
const NUMBER: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 };

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

let exiting: ((code: number) => void) | undefined;
let terminations = 0;
let cancelInstalled = false;

/** How the process ends on a termination signal nobody handles (the entry point flushes its output). */
export function onSignalExit(fn: (code: number) => void): void {
  exiting = fn;
}

function exitNow(code: number): void {
  if (exiting) exiting(code);
  else process.exit(code);
}

/** docker's command-context cancellation and its forced exit on the third signal. */
function cancelled(s: NodeJS.Signals): void {
  terminations++;
  if (terminations >= 3) {
    process.stderr.write('\ngot 3 SIGTERM/SIGINTs, forcefully exiting\n');
    process.exit(1);
  }
  // a command listening itself (forwarding to a container, cancelling a build) decides what follows
  if (process.listenerCount(s) > 1) return;
  if (terminations === 1) exitNow(128 + NUMBER[s]);
}

function installCancel(): void {
  if (cancelInstalled) return;
  cancelInstalled = true;
  for (const s of TERMINATION) process.on(s, cancelled);
}

/**
 * Stop holding; returns the signals that came meanwhile, in order, for the caller to act on. From
 * now on SIGINT and SIGTERM are docker's (see above), unless `plain`: a CLI plugin's run counts the
 * signals itself, as docker does before its own handling starts.
 */
export function takeHeldSignals(plain = false): NodeJS.Signals[] {
  if (!plain) installCancel();
  if (holding) {
    holding = false;
    for (const s of HELD) process.off(s, hold);
  }
  const p = pending;
  pending = [];
  return p;
}

/** Stop holding and let what came meanwhile take effect: nothing but the defaults listen yet. */
export function releaseSignals(plain = false): void {
  for (const s of takeHeldSignals(plain)) {
    if (!plain && TERMINATION.includes(s)) cancelled(s);
    else process.kill(process.pid, s);
  }
}

let forwarding = 0;

/**
 * A command forwards every signal to a container (docker's notifyAllSignals, run and attach with
 * --sig-proxy): SIGPIPE is caught too then, so a closed stdout is an error docker prints. Returns the undo.
 */
export function forwardingSignals(): () => void {
  forwarding++;
  let done = false;
  return () => {
    if (!done) forwarding--;
    done = true;
  };
}

/**
 * The reader of stdout went away. docker dies of the SIGPIPE (the shell's status 141), or, while it
 * forwards signals to a container, prints the write error and exits 1.
 */
export function brokenPipe(stream: 'stdout' | 'stderr', exit: (code: number) => void): void {
  if (forwarding > 0) {
    if (stream === 'stdout') process.stderr.write('write /dev/stdout: broken pipe\n');
    exit(1);
    return;
  }
  // node ignores SIGPIPE; a listener added and removed puts back the default action, which ends us
  const noop = (): void => {};
  process.on('SIGPIPE', noop);
  process.off('SIGPIPE', noop);
  process.kill(process.pid, 'SIGPIPE');
  exit(141);
}

/**
 * End the process by `s` as an untrapped signal ends a Go program (SIGHUP, SIGQUIT: docker traps
 * neither): for a command that was listening to it, nobody listens any more, and it is raised again.
 */
export function endBySignal(s: NodeJS.Signals): void {
  process.removeAllListeners(s);
  process.kill(process.pid, s);
}
