// The sample outputs of the docs, read, compared and rewritten. A sample is a fenced block right after a marker line:
//
//   <!-- sample: npx dynamo-messaging seed -->   the output of that command (of the run the test makes)
//   <!-- sample -->                              the output of the one command in the ```sh block just above
//
// Outputs are compared after what changes from run to run is masked (times, ULIDs, uuids the seed does not fix,
// cursors, durations). A line `…` in a sample stands for the lines left out there. With UPDATE_DOC_SAMPLES=1 the test
// writes the outputs it got into the blocks instead, keeping each block's cuts: run it that way after a change to what
// the seed or the commands print, and review the diff.
import { readFileSync, writeFileSync } from 'node:fs'

export interface Sample {
  /** The command whose output this is. */
  command: string
  /** The fence's language (`json`, or '' for text). */
  lang: string
  /** The block's lines, without the fences. */
  lines: string[]
  /** Index (in the file's lines) of the block's first line after the opening fence. */
  start: number
}

const MARKER = /^<!-- sample(?:: (.+))? -->$/
const FENCE = /^```(\w*)$/

/** The samples of a markdown file, in document order. */
export function readSamples(markdown: string): Sample[] {
  const lines = markdown.split('\n')
  const samples: Sample[] = []
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]!)
    if (!marker) continue
    const fence = FENCE.exec(lines[i + 1] ?? '')
    if (!fence) throw new Error(`line ${i + 1}: a sample marker must be followed by a fenced block`)
    const start = i + 2
    const end = lines.indexOf('```', start)
    samples.push({ command: marker[1] ?? commandAbove(lines, i), lang: fence[1]!, lines: lines.slice(start, end), start })
    i = end
  }
  return samples
}

/** The commands of a ```sh block: continuation lines joined, comments and blank lines dropped. */
export function shellCommands(block: readonly string[]): string[] {
  return block
    .join('\n')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/** The ```sh block that a marker follows (only blank lines and prose between): it must hold exactly one command. */
function commandAbove(lines: readonly string[], marker: number): string {
  const close = lines.lastIndexOf('```', marker - 1)
  const open = lines.lastIndexOf('```sh', close)
  if (close < 0 || open < 0 || lines.slice(close + 1, marker).some((line) => line.startsWith('```'))) {
    throw new Error(`line ${marker + 1}: "<!-- sample -->" needs a \`\`\`sh block above it`)
  }
  const commands = shellCommands(lines.slice(open + 1, close))
  if (commands.length !== 1) throw new Error(`line ${marker + 1}: the sh block above holds ${commands.length} commands, not one`)
  return commands[0]!
}

/** A shell command line split into words: single and double quotes, no expansion. */
export function shellWords(command: string): string[] {
  const words: string[] = []
  const pattern = /'([^']*)'|"([^"]*)"|(\S+)/g
  for (const match of command.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3]!)
  return words
}

/** What differs from run to run, masked. `known` are the uuids the seed fixes (users, conversations): kept. */
export function masked(text: string, known: ReadonlySet<string>): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})/g, '<time>')
    .replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, '<ulid>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, (uuid) => (known.has(uuid) ? uuid : '<uuid>'))
    .replace(/\bin \d+(?:\.\d+)? s\b/g, 'in <n> s')
    .replace(/^(x-next-cursor: ).*$/gm, '$1<cursor>')
}

/**
 * `actual` cut the way `documented` is: with one `…` line, the same number of lines before and after it; without,
 * all of it. So that a comparison shows the difference line by line, and an update keeps the block's cuts.
 */
export function cutLike(documented: readonly string[], actual: readonly string[]): string[] {
  const cuts = documented.filter((line) => line === '…').length
  if (cuts === 0) return [...actual]
  if (cuts > 1) throw new Error('a sample may leave lines out at one place only')
  const head = documented.indexOf('…')
  const tail = documented.length - head - 1
  return [...actual.slice(0, head), '…', ...actual.slice(actual.length - tail)]
}

/**
 * JSON as the docs write it: an object on as few lines as fit in 118 columns, continuation lines indented; an array
 * of objects one object (or more lines) per item.
 */
export function formatJson(value: unknown): string[] {
  if (Array.isArray(value)) {
    const items = value.map((item) => formatObject(item, '  '))
    return ['[', ...items.flatMap((lines, i) => (i < items.length - 1 ? [...lines.slice(0, -1), `${lines.at(-1)!},`] : lines)), ']']
  }
  return formatObject(value, '')
}

function formatObject(value: unknown, indent: string): string[] {
  if (typeof value !== 'object' || value === null) return [`${indent}${JSON.stringify(value)}`]
  const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`)
  const lines: string[] = []
  let line = `${indent}{ `
  for (const [i, entry] of entries.entries()) {
    const piece = `${entry}${i < entries.length - 1 ? ',' : ' }'}`
    if (line.trim() !== '{' && line.length + piece.length + 1 > 118) {
      lines.push(line.trimEnd())
      line = `${indent}  `
    }
    line += `${piece} `
  }
  lines.push(line.trimEnd())
  return lines
}

/** Replaces each sample's block in `file` with `outputs` (by sample, in order). */
export function writeSamples(file: string, samples: readonly Sample[], outputs: ReadonlyArray<readonly string[]>): void {
  const lines = readFileSync(file, 'utf8').split('\n')
  // From the last to the first, so earlier starts stay valid.
  for (let i = samples.length - 1; i >= 0; i--) lines.splice(samples[i]!.start, samples[i]!.lines.length, ...outputs[i]!)
  writeFileSync(file, lines.join('\n'))
}
