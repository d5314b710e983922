/**
 * Results go to stdout, notes (counts, capacity, progress) to stderr: `scan --json > items.json` stays valid JSON and
 * `get-conversation … | less` shows just the conversation.
 */

export const print = (text: string): void => void process.stdout.write(`${text}\n`)

export const note = (text: string): void => void process.stderr.write(`${text}\n`)

/** JSON with Sets as arrays (the document client returns string sets as `Set`). */
export const printJson = (value: unknown): void =>
  print(JSON.stringify(value, (_key, item: unknown) => (item instanceof Set ? [...item] : item), 2))
