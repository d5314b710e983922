/**
 * Pure text formatting for the CLI: no I/O, so it is unit-tested without an engine.
 * Widths count code points; wide characters (CJK, most emoji) can shift a column by one.
 */

/** One column of {@link renderTable}. */
export interface Column {
  header: string
  /** Longer cells are cut with `…`. The last column is never padded, so it can be left unbounded. */
  maxWidth?: number
  align?: 'left' | 'right'
}

const GAP = '  '

/**
 * Renders rows as aligned columns under a header and a rule of dashes. Cells are flattened to one line first, so a
 * message with newlines cannot break the layout.
 *
 * @example
 * ```ts
 * renderTable([{ header: 'from' }, { header: 'message' }], [['ada', 'hi'], ['ben', 'hello']])
 * // 'from  message\n----  -------\nada   hi\nben   hello'
 * ```
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => columns.map((column, i) => truncate(oneLine(row[i] ?? ''), column.maxWidth)))
  const widths = columns.map((column, i) =>
    Math.max(length(column.header), ...cells.map((row) => length(row[i]!)))
  )
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => {
        const last = i === values.length - 1
        if (columns[i]!.align === 'right') return padStart(value, widths[i]!)
        return last ? value : padEnd(value, widths[i]!)
      })
      .join(GAP)
      .trimEnd()
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.map(line)
  ].join('\n')
}

/** Newlines become ` ⏎ `, tabs a space, other control characters are dropped. */
export function oneLine(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ⏎ ')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
}

/** Cuts `text` to `maxWidth` code points, the last one being `…`. */
export function truncate(text: string, maxWidth?: number): string {
  if (maxWidth === undefined) return text
  const points = [...text]
  if (points.length <= maxWidth) return text
  return maxWidth <= 1 ? '…'.slice(0, maxWidth) : `${points.slice(0, maxWidth - 1).join('')}…`
}

/** Capacity units as the console shows them: at most two decimals, no trailing zeros. */
export function formatUnits(units: number): string {
  return String(Math.round(units * 100) / 100)
}

/**
 * The capacity line the seeds' pattern scripts print, from summed `ConsumedCapacity.CapacityUnits`.
 *
 * @example
 * ```ts
 * formatCapacity({ readUnits: 1.5, writeUnits: 0 }) // 'consumed capacity: 1.5 RCU'
 * ```
 */
export function formatCapacity(usage: { readUnits: number; writeUnits: number }): string {
  const parts = [`${formatUnits(usage.readUnits)} RCU`]
  if (usage.writeUnits > 0) parts.push(`${formatUnits(usage.writeUnits)} WCU`)
  return `consumed capacity: ${parts.join(', ')}`
}

/** `1 message`, `3 messages`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`
}

/** Commander's error text on one line: its suggestions ("Did you mean …?") come after a newline. */
export function singleLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ')
}

const length = (text: string) => [...text].length
const padEnd = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - length(text)))
const padStart = (text: string, width: number) => ' '.repeat(Math.max(0, width - length(text))) + text
