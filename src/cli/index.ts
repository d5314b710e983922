#!/usr/bin/env node
// The `dynamo-messaging` command: wiring only; each command lives in ./commands. The library never imports this.
import { readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Command } from 'commander'
import { registerAddMembers } from './commands/addMembers.js'
import { registerAdopt } from './commands/adopt.js'
import { registerCreateGroup } from './commands/createGroup.js'
import { registerDrop } from './commands/drop.js'
import { registerGetConversation } from './commands/getConversation.js'
import { registerIamPolicy } from './commands/iamPolicy.js'
import { registerListConversations } from './commands/listConversations.js'
import { registerListMembers } from './commands/listMembers.js'
import { registerListTables } from './commands/listTables.js'
import { registerLocal } from './commands/local.js'
import { registerRemoveMember } from './commands/removeMember.js'
import { registerRepair } from './commands/repair.js'
import { registerMarkRead } from './commands/markRead.js'
import { registerScan } from './commands/scan.js'
import { registerSchemaLoad } from './commands/schemaLoad.js'
import { registerSeed } from './commands/seed.js'
import { resolveProdRegion, resolveTarget } from './connection.js'
import { describeError, type Target } from './errors.js'
import { singleLine } from './format.js'

// The package supports Node 20; the SDK's multi-line "upgrade Node" notice would break the one-line error contract.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
// `scan | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
}

const program = new Command('dynamo-messaging')
  .description('Create, seed and inspect the direct-messaging table of dynamo-messaging, locally or on AWS.')
  .version(packageVersion())
  // Commander puts "(Did you mean …?)" on a second line; errors stay on one.
  .configureOutput({ outputError: (text, write) => write(`${singleLine(text)}\n`) })
  .addHelpText(
    'after',
    '\nTable commands take --endpoint, --region, --table and --prod after the command name (see <command> --help).' +
      '\nGetting started:\n  $ npx dynamo-messaging local        # in one terminal' +
      '\n  $ npx dynamo-messaging schema-load  # in another\n  $ npx dynamo-messaging seed' +
      '\n  $ npx dynamo-messaging list-conversations ada' +
      '\nComing from the bootcamp (a table its schema-load and seed made):\n  $ npx dynamo-messaging adopt --dry-run' +
      '\n  $ npx dynamo-messaging adopt'
  )

for (const register of [
  registerLocal,
  registerSchemaLoad,
  registerDrop,
  registerListTables,
  registerSeed,
  registerScan,
  registerGetConversation,
  registerListConversations,
  registerAdopt,
  registerRepair,
  registerMarkRead,
  registerCreateGroup,
  registerAddMembers,
  registerRemoveMember,
  registerListMembers,
  registerIamPolicy
]) {
  register(program)
}

// Runtime errors: one line, `error: …`, exit code 1, never a stack trace. The process then ends on its own, so
// everything already written to stdout is flushed.
let target: Target | undefined
program.hook('preAction', async (_program, command) => {
  if (!command.options.some((option) => option.long === '--table')) return
  target = resolveTarget(command) // usage errors (--prod with --endpoint) before anything is read
  await resolveProdRegion(command)
  target = resolveTarget(command) // with the region --prod resolved
})
program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${describeError(error, target)}\n`)
  process.exitCode = 1
})

/** The version in the package.json next to `dist/`, found from the running file (no import.meta: also built as CJS). */
function packageVersion(): string {
  try {
    const file = join(dirname(realpathSync(process.argv[1] ?? '')), '..', 'package.json')
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
    return manifest.name === 'dynamo-messaging' && manifest.version ? manifest.version : 'unknown'
  } catch {
    return 'unknown'
  }
}
