/** One line for an error, as a run's `failed` reports it: its name and first line, never a stack. */
export function describeError(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown }
  const first = typeof message === 'string' ? message.split('\n', 1)[0]! : String(error)
  return typeof name === 'string' && name !== 'Error' && !first.startsWith(name) ? `${name}: ${first}` : first
}
