/** One measured figure beside its goal. `met` is undefined for figures reported without a goal. */
export interface Figure {
  section: string
  figure: string
  measured: string
  goal: string
  met?: boolean
}

export function toMarkdown(figures: Figure[], header: { command: string; quick: boolean; environment: string }): string {
  const sections = [...new Set(figures.map((f) => f.section))]
  const lines = [
    '# Benchmarks',
    '',
    `Produced by \`${header.command}\`${header.quick ? ' (quick mode: smaller data sets and fewer iterations)' : ''}.`,
    `Environment: ${header.environment}. Capacity units are DynamoDB Local's \`ReturnConsumedCapacity: INDEXES\` figures`,
    "(index writes included); section 11 also bills every request by DynamoDB's rules (item sizes, 1 KB writes, 4 KB",
    "reads, each index's key schema and projection) and checks the two agree, and [costs.md](costs.md) explains them.",
    'Latencies are medians on a noisy 2-core machine; compare ratios, not milliseconds.',
    ''
  ]
  for (const section of sections) lines.push(...sectionLines(section, figures))
  return lines.join('\n')
}

/** One section's heading and table, `note` (how it was produced) under the heading. */
function sectionLines(section: string, figures: readonly Figure[], note?: string): string[] {
  const lines = [`## ${section}`, '', ...(note ? [note, ''] : []), '| figure | measured | goal | met |', '|---|---|---|---|']
  for (const f of figures.filter((x) => x.section === section)) {
    lines.push(`| ${f.figure} | ${f.measured} | ${f.goal} | ${f.met === undefined ? '—' : f.met ? 'yes' : '**no**'} |`)
  }
  lines.push('')
  return lines
}

/**
 * `doc` (a report {@link toMarkdown} wrote) with the sections of `figures` replaced by these, or added at the end:
 * for a run of some sections only (`--only=… --write`), each marked with `note`.
 */
export function replaceSections(doc: string, figures: readonly Figure[], note: string): string {
  let lines = doc.trimEnd().split('\n')
  for (const section of [...new Set(figures.map((f) => f.section))]) {
    const start = lines.indexOf(`## ${section}`)
    const fresh = sectionLines(section, figures, note)
    if (start < 0) {
      lines = [...lines, '', ...fresh]
      continue
    }
    const next = lines.findIndex((line, i) => i > start && line.startsWith('## '))
    lines = [...lines.slice(0, start), ...fresh, ...(next < 0 ? [] : lines.slice(next))]
  }
  return `${lines.join('\n').trimEnd()}\n`
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export const fmt = (value: number, digits = 2): string => Number(value.toFixed(digits)).toString()
