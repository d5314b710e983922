import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Command } from 'commander'
import type { MaintenanceOptions, MaintenanceResult } from '../../admin/index.js'
import { openCliCache, withCacheOption } from '../cacheOption.js'
import { meterCapacity, type CapacityUsage } from '../capacityMeter.js'
import { confirmByTableName, refuseWithoutTerminal } from '../confirm.js'
import { integerOption, withClient } from '../connection.js'
import { CliError, describeTarget, type Target } from '../errors.js'
import { formatCapacity, plural } from '../format.js'
import { note, print, printJson } from '../output.js'
import { progressBar } from './progressBar.js'

/** The options `adopt` and `repair` share, parsed. */
export interface MaintenanceFlags {
  dryRun?: boolean
  json?: boolean
  yes?: boolean
  concurrency?: number
  pageSize?: number
  redisUrl?: string
}

/** Adds `--dry-run`, `--json`, `--yes`, `--concurrency`, `--page-size` and `--redis-url`. */
export function withMaintenanceOptions(command: Command): Command {
  return withCacheOption(command, "mark what the run changes stale in this Redis cache, the API's (needs ioredis)")
    .option('--dry-run', 'read everything and print what would be written, writing nothing')
    .option('--json', 'print the result as JSON (with the consumed capacity) instead of the summary')
    .option('-y, --yes', 'with --prod, do not ask before writing')
    .option('--concurrency <n>', 'conversations worked on at once (default 4; lower it for a small provisioned table)', integerOption(1, 64))
    .option('--page-size <n>', 'items per read request (default 100)', integerOption(1, 1000))
}

/**
 * Runs an adopt or repair: asks first with `--prod` (unless `--yes` or `--dry-run`: nothing is written then), shows a
 * progress bar on a terminal, prints the summary (or `--json`) and the consumed capacity, and fails with one line when
 * some conversation could not be finished.
 */
export async function runMaintenance<R extends MaintenanceResult>(
  target: Target,
  flags: MaintenanceFlags,
  command: { verb: string; warning: string },
  run: (client: DynamoDBClient, options: Omit<MaintenanceOptions, 'client'>) => Promise<R>,
  render: (result: R, where: string) => string
): Promise<void> {
  const where = `table ${target.tableName} at ${describeTarget(target)}`
  const ask = target.prod && !flags.yes && !flags.dryRun
  // Decided before any client exists: a run that cannot be confirmed never contacts AWS.
  if (ask) refuseWithoutTerminal(target, command)
  // The API's cache, when given: each conversation the run changes is marked stale there.
  const cache = await openCliCache(flags.redisUrl)
  const { result, usage } = await withClient(target, async (client) => {
    // Asked after the account and region are shown (withClient), so the person knows what they confirm.
    if (ask) await confirmByTableName(target, { warning: command.warning, verb: command.verb, nothingDone: 'nothing was written' })
    const meter = meterCapacity(client)
    const bar = await progressBar()
    try {
      const result = await run(client, {
        tableName: target.tableName,
        dryRun: flags.dryRun === true,
        ...(cache.options.cache && { cache: cache.options.cache }),
        ...(cache.options.onCacheError && { onCacheError: cache.options.onCacheError }),
        ...(flags.concurrency !== undefined && { concurrency: flags.concurrency }),
        ...(flags.pageSize !== undefined && { pageSize: flags.pageSize }),
        ...(bar.onProgress && { onProgress: bar.onProgress })
      })
      return { result, usage: meter.snapshot() }
    } finally {
      bar.stop()
    }
  }, { writes: true }).finally(cache.close)
  if (flags.json) printJson({ ...result, capacity: capacityOf(usage) })
  else print(render(result, where))
  note(formatCapacity(usage))
  if (result.failed.length > 0) {
    throw new CliError(`${plural(result.failed.length, 'conversation')} not finished; run ${command.verb} again to finish them`)
  }
}

const capacityOf = (usage: CapacityUsage) => ({ readUnits: usage.readUnits, writeUnits: usage.writeUnits })
