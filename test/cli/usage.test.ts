import { describe, expect, it } from 'vitest'
import { on, oneErrorLine, runCli, uniqueTableName } from './runCli.js'

const tableCommands = ['schema-load', 'drop', 'list-tables', 'seed', 'scan', 'get-conversation', 'list-conversations', 'mark-read']

describe('help', () => {
  it.each(tableCommands)('%s --help lists the connection options', async (command) => {
    const result = await runCli([command, '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Usage: dynamo-messaging ${command}`)
    for (const option of ['--endpoint <url>', '--region <region>', '--table <name>', '--prod', 'Example']) {
      expect(result.stdout).toContain(option)
    }
  })

  it('local --help and the program help', async () => {
    const local = await runCli(['local', '--help'])
    expect(local.code).toBe(0)
    expect(local.stdout).toContain('--port <port>')
    const program = await runCli(['--help'])
    for (const command of [...tableCommands, 'local']) expect(program.stdout).toContain(command)
  })

  it('list-conversations --help says that a handle is found by scanning', async () => {
    const result = await runCli(['list-conversations', '--help'])
    expect(result.stdout.replace(/\s+/g, ' ')).toMatch(/looked up by SCANNING the GSI inbox-index/)
  })
})

describe('bad input: exit code 1, one line on stderr, no stack trace', () => {
  const table = uniqueTableName('missing')
  const cases: [string, () => string[], RegExp][] = [
    ['an unknown command', () => ['sed'], /^error: unknown command 'sed' \(Did you mean seed\?\)$/],
    ['an unknown option', () => ['scan', '--jsn', ...on(table)], /^error: unknown option '--jsn'/],
    ['an invalid conversation uuid', () => ['get-conversation', 'not-a-uuid', ...on(table)], /invalid for argument 'message_group_uuid'. expected a UUID/],
    ['neither uuid nor handle', () => ['list-conversations', 'no spaces!', ...on(table)], /expected a user uuid or a handle/],
    ['a missing argument', () => ['get-conversation', ...on(table)], /missing required argument 'message_group_uuid'/],
    ['a bad --up-to', () => ['mark-read', 'ada', '00000000-0000-4000-8000-000000000000', '--up-to', '#MEMBERS', ...on(table)], /'--up-to <sort_key>' argument '#MEMBERS' is invalid. expected a message's sort key/],
    ['a bad --messages', () => ['seed', '--messages', '-3', ...on(table)], /'--messages <n>' argument '-3' is invalid/],
    ['a bad --table', () => ['scan', '--table', 'x'], /'--table <name>' argument 'x' is invalid/],
    ['a bad --endpoint', () => ['scan', '--endpoint', 'localhost'], /'--endpoint <url>' argument 'localhost' is invalid/],
    ['--prod with --endpoint', () => ['scan', '--prod', '--endpoint', 'http://localhost:8000'], /^error: --prod and --endpoint cannot be used together$/],
    ['a table that does not exist', () => ['scan', ...on(table)], new RegExp(`^error: table "${table}" not found at http.*schema-load`)],
    ['an endpoint nobody listens on', () => ['list-tables', '--endpoint', 'http://127.0.0.1:9'], /^error: cannot reach DynamoDB at http:\/\/127.0.0.1:9 \(ECONNREFUSED\)/]
  ]
  it.each(cases)('%s', async (_name, args, expected) => {
    const result = await runCli(args())
    expect(result.code).toBe(1)
    expect(oneErrorLine(result)).toMatch(expected)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})
