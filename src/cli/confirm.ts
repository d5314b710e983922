import { createInterface } from 'node:readline/promises'
import { CliError, describeTarget, type Target } from './errors.js'

/** Where a confirmation is asked: the process's terminal, or fakes in tests. */
export interface PromptIO {
  input: NodeJS.ReadableStream
  output: NodeJS.WritableStream
  /** Whether a person can answer: both stdin and stderr are terminals. */
  interactive: boolean
}

const terminal = (): PromptIO => ({
  input: process.stdin,
  output: process.stderr,
  interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY)
})

/**
 * Refuses at once, naming `--yes`, when there is no terminal to ask on (CI, a pipe): call it before contacting AWS,
 * so that a command that cannot be confirmed sends nothing.
 */
export function refuseWithoutTerminal(target: Target, action: { verb: string }, io: PromptIO = terminal()): void {
  if (!io.interactive) {
    throw new CliError(
      `refusing to ${action.verb} table "${target.tableName}" in ${describeTarget(target)} without confirmation: ` +
        `no terminal to ask on; pass --yes to ${action.verb} it`
    )
  }
}

/**
 * Asks the person at the terminal to type the table name before a command changes a production table. Without a
 * terminal to ask on it refuses (see {@link refuseWithoutTerminal}). Anything but the name (Ctrl+D included) is a no.
 */
export async function confirmByTableName(
  target: Target,
  action: { warning: string; verb: string; nothingDone: string },
  io: PromptIO = terminal()
): Promise<void> {
  refuseWithoutTerminal(target, action, io)
  const prompt = createInterface({ input: io.input, output: io.output })
  try {
    const closed = new Promise<string>((resolve) => prompt.once('close', () => resolve('')))
    const asked = prompt.question(`${action.warning}\nType the table name to confirm: `).catch(() => '')
    const answer = await Promise.race([asked, closed])
    if (answer.trim() !== target.tableName) throw new CliError(`not confirmed; ${action.nothingDone}`)
  } finally {
    prompt.close()
  }
}
