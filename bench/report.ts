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
  for (const section of sections) {
    lines.push(`## ${section}`, '', '| figure | measured | goal | met |', '|---|---|---|---|')
    for (const f of figures.filter((x) => x.section === section)) {
      lines.push(`| ${f.figure} | ${f.measured} | ${f.goal} | ${f.met === undefined ? '—' : f.met ? 'yes' : '**no**'} |`)
    }
    lines.push('')
  }
  return lines.join('\n')
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export const fmt = (value: number, digits = 2): string => Number(value.toFixed(digits)).toString()
