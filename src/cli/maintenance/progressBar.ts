import type { MaintenanceProgress } from '../../admin/index.js'

const LABELS: Record<MaintenanceProgress['phase'], string> = {
  table: 'waiting for the table',
  find: 'reading the table',
  conversations: 'conversations',
  pairs: 'pair links'
}

/**
 * A progress bar on stderr for a person watching (cli-progress), one phase after another; nothing when stderr is not
 * a terminal, so logs and CI get only the summary.
 */
export async function progressBar(stream: NodeJS.WriteStream = process.stderr): Promise<{
  onProgress?: (progress: MaintenanceProgress) => void
  stop: () => void
}> {
  if (!stream.isTTY) return { stop: () => {} }
  const { default: cliProgress } = await import('cli-progress')
  let bar: InstanceType<typeof cliProgress.SingleBar> | undefined
  let phase: MaintenanceProgress['phase'] | undefined
  const stop = () => {
    bar?.stop()
    bar = undefined
  }
  return {
    stop,
    onProgress: (progress) => {
      if (progress.phase !== phase) {
        stop()
        phase = progress.phase
        const format =
          progress.phase === 'table'
            ? `${LABELS.table} to be ACTIVE… {value} s`
            : `${LABELS[progress.phase].padEnd(20)} [{bar}] {value}/{total} {eta_formatted}`
        bar = new cliProgress.SingleBar({ stream, format, hideCursor: true }, cliProgress.Presets.shades_classic)
        bar.start(progress.total ?? 0, 0)
      }
      const value = progress.phase === 'table' ? Math.round(progress.done / 1000) : progress.done
      // The item count DynamoDB reports is approximate: the bar's total grows when the scan passes it.
      if (progress.total !== undefined || value > bar!.getTotal()) bar!.setTotal(Math.max(progress.total ?? 0, value))
      bar!.update(value)
    }
  }
}
