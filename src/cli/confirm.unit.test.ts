import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { confirmByTableName } from './confirm.js'
import { CliError } from './errors.js'

const target = { prod: true, region: 'eu-west-1', tableName: 'cruddur-messages' }
const action = { warning: 'This writes to table "cruddur-messages".', verb: 'adopt', nothingDone: 'nothing was written' }

/** A fake terminal: what is typed goes to `input`, what is shown collects in `shown()`. */
function fakeTerminal(typed: string | null) {
  const input = new PassThrough()
  const output = new PassThrough()
  let shown = ''
  output.on('data', (chunk: Buffer) => (shown += chunk.toString()))
  setImmediate(() => (typed === null ? input.end() : input.write(typed)))
  return { io: { input, output, interactive: true }, shown: () => shown }
}

describe('confirmByTableName', () => {
  it('goes on once the table name is typed, after showing the warning', async () => {
    const terminal = fakeTerminal('cruddur-messages\n')
    await expect(confirmByTableName(target, action, terminal.io)).resolves.toBeUndefined()
    expect(terminal.shown()).toContain('This writes to table "cruddur-messages".\nType the table name to confirm: ')
  })

  it('refuses anything else, and an input closed without an answer (Ctrl+D)', async () => {
    await expect(confirmByTableName(target, action, fakeTerminal('cruddur\n').io)).rejects.toThrow(new CliError('not confirmed; nothing was written'))
    await expect(confirmByTableName(target, action, fakeTerminal(null).io)).rejects.toThrow('not confirmed')
  })

  it('refuses without a terminal, naming --yes', async () => {
    const io = { input: new PassThrough(), output: new PassThrough(), interactive: false }
    await expect(confirmByTableName(target, action, io)).rejects.toThrow(
      'refusing to adopt table "cruddur-messages" in AWS region eu-west-1 without confirmation: no terminal to ask on; pass --yes to adopt it'
    )
  })
})
