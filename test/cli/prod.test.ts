// `--prod` picks the region as the AWS SDK does (flag, AWS_REGION, then the profile's `region`), and a command that
// writes names the account and region before it writes. AWS itself is never reached: the SDK's standard
// AWS_ENDPOINT_URL_DYNAMODB points at a trap (which records the region each request was signed for) or at DynamoDB
// Local standing in for AWS, and the config file is a temporary one.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { awsEnv, awsTrap, on, oneErrorLine, runCli, uniqueTableName } from './runCli.js'

const dir = mkdtempSync(join(tmpdir(), 'cli-prod-'))
const configFile = join(dir, 'config')
const keys = 'aws_access_key_id = local\naws_secret_access_key = local\n'
writeFileSync(
  configFile,
  `[default]\nregion = ap-south-1\n${keys}\n[profile demo]\nregion = eu-west-1\n${keys}\n` +
    `[profile named]\nregion = eu-west-1\n${keys}aws_account_id = 111122223333\n`
)

/** `--prod` against `endpoint`, with the temporary config file (credentials included) and no AWS_REGION, plus `extra`. */
const profileEnv = (endpoint: string, extra: Record<string, string | undefined> = {}) => ({
  ...awsEnv(endpoint),
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_REGION: undefined,
  AWS_CONFIG_FILE: configFile,
  ...extra
})

const traps: Array<Awaited<ReturnType<typeof awsTrap>>> = []
const trap = async () => {
  const made = await awsTrap()
  traps.push(made)
  return made
}
afterAll(async () => {
  await Promise.all(traps.map((made) => made.close()))
})

describe('--prod region', () => {
  it("is the AWS profile's region (AWS_PROFILE), named before asking, and the one requests are signed for", async () => {
    const aws = await trap()
    const refused = await runCli(['drop', '--prod', '--table', 'cruddur-messages'], { env: profileEnv(aws.url, { AWS_PROFILE: 'demo' }) })
    expect(refused.code).toBe(1)
    expect(oneErrorLine(refused)).toMatch(/^error: refusing to drop table "cruddur-messages" in AWS region eu-west-1 without confirmation/)
    expect(aws.requests()).toBe(0)

    const listed = await runCli(['list-tables', '--prod'], { env: profileEnv(aws.url, { AWS_PROFILE: 'demo' }) })
    expect(listed.code).toBe(1) // the trap answers 500
    expect(aws.regions()).toEqual(['eu-west-1'])
  })

  it("is the default profile's region without AWS_PROFILE; AWS_REGION wins over the profile, --region over both", async () => {
    const region = async (env: Record<string, string | undefined>, args: string[] = []) => {
      const result = await runCli(['drop', '--prod', '--table', 'cruddur-messages', ...args], { env: profileEnv('http://127.0.0.1:9', env) })
      return /in AWS region (\S+) without confirmation/.exec(result.stderr)?.[1]
    }
    expect(await region({})).toBe('ap-south-1')
    expect(await region({ AWS_PROFILE: 'demo', AWS_REGION: 'ca-central-1' })).toBe('ca-central-1')
    expect(await region({ AWS_PROFILE: 'demo', AWS_REGION: 'ca-central-1' }, ['--region', 'sa-east-1'])).toBe('sa-east-1')
  })

  it('is an error when none is configured anywhere, before contacting AWS', async () => {
    const aws = await trap()
    const result = await runCli(['schema-load', '--prod'], { env: profileEnv(aws.url, { AWS_CONFIG_FILE: join(dir, 'none') }) })
    expect(result.code).toBe(1)
    expect(oneErrorLine(result)).toBe(
      'error: no AWS region: pass --region, set AWS_REGION, or set `region` in your AWS profile (~/.aws/config; AWS_PROFILE picks the profile)'
    )
    expect(aws.requests()).toBe(0)
  })
})

describe('--prod account', () => {
  const engine = () => inject('dynamodbEndpoint')

  it('a command that writes names the account (from the table ARN) and the region first', async () => {
    const tableName = uniqueTableName('prod-account')
    expect((await runCli(['schema-load', '--on-demand', ...on(tableName)])).code).toBe(0)
    const seeded = await runCli(['seed', '--prod', '--table', tableName], { env: profileEnv(engine(), { AWS_PROFILE: 'demo' }) })
    expect(seeded.code).toBe(0)
    // DynamoDB Local's table ARNs name account 000000000000.
    expect(seeded.stderr).toBe(`AWS account 000000000000, region eu-west-1, table ${tableName}\n`)
    expect(seeded.stdout).toContain(`seeding table ${tableName} at AWS region eu-west-1`)
  })

  it('for a table that does not exist yet, from the credentials when they name it, else says it is unknown', async () => {
    const named = uniqueTableName('prod-new')
    const created = await runCli(['schema-load', '--prod', '--table', named], { env: profileEnv(engine(), { AWS_PROFILE: 'named' }) })
    expect(created.code).toBe(0)
    expect(created.stderr).toBe(`AWS account 111122223333, region eu-west-1, table ${named}\n`)

    const unnamed = uniqueTableName('prod-new')
    const unknown = await runCli(['schema-load', '--prod', '--table', unnamed], { env: profileEnv(engine()) })
    expect(unknown.code).toBe(0)
    expect(unknown.stderr).toBe(
      `AWS account unknown (the table does not exist yet, and the credentials do not name it), region ap-south-1, table ${unnamed}\n`
    )
  })

  it('a command that only reads does not announce anything', async () => {
    const tableName = uniqueTableName('prod-read')
    expect((await runCli(['schema-load', '--on-demand', ...on(tableName)])).code).toBe(0)
    const scanned = await runCli(['scan', '--prod', '--table', tableName], { env: profileEnv(engine(), { AWS_PROFILE: 'demo' }) })
    expect(scanned.code).toBe(0)
    expect(scanned.stderr).not.toContain('AWS account')
  })
})
