import { describe, expect, it } from 'vitest'
import { readConfig } from '../../examples/api-server/src/config.js'

describe('readConfig', () => {
  it('defaults to Cruddur’s port and table, dev auth, AWS, no stream worker', () => {
    expect(readConfig({})).toMatchObject({ port: 4567, host: '127.0.0.1', tableName: 'cruddur-messages', streamWorker: false, logLevel: 'info' })
    expect(readConfig({}).cognito).toBeUndefined()
    expect(readConfig({}).endpoint).toBeUndefined()
  })

  it('runs the stream worker against a DynamoDB endpoint unless told not to', () => {
    expect(readConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000' })).toMatchObject({ endpoint: 'http://localhost:8000', region: 'local', streamWorker: true })
    expect(readConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000', STREAM_WORKER: 'off' }).streamWorker).toBe(false)
    expect(readConfig({ STREAM_WORKER: 'on', AWS_REGION: 'eu-west-1' })).toMatchObject({ streamWorker: true, region: 'eu-west-1' })
  })

  it('allows the FRONTEND_URL and BACKEND_URL origins for CORS, as the Flask app does, and refuses a non-URL', () => {
    expect(readConfig({}).corsOrigins).toEqual([])
    expect(readConfig({ FRONTEND_URL: 'http://localhost:3000/', BACKEND_URL: 'https://4567-x.gitpod.io/api' }).corsOrigins).toEqual([
      'http://localhost:3000',
      'https://4567-x.gitpod.io'
    ])
    expect(() => readConfig({ FRONTEND_URL: 'localhost:3000' })).toThrow(/FRONTEND_URL must be an http\(s\) URL/)
    expect(() => readConfig({ BACKEND_URL: 'not a url' })).toThrow(/BACKEND_URL must be a URL/)
  })

  it('reads Cognito settings, and refuses half of them or dev auth in production', () => {
    expect(readConfig({ COGNITO_USER_POOL_ID: 'eu-west-1_Abc', COGNITO_CLIENT_ID: 'client' }).cognito).toEqual({ userPoolId: 'eu-west-1_Abc', clientId: 'client' })
    expect(() => readConfig({ COGNITO_USER_POOL_ID: 'eu-west-1_Abc' })).toThrow(/both/)
    expect(() => readConfig({ COGNITO_CLIENT_ID: 'client' })).toThrow(/both/)
    expect(() => readConfig({ NODE_ENV: 'production' })).toThrow(/dev auth/)
    expect(readConfig({ NODE_ENV: 'production', COGNITO_USER_POOL_ID: 'eu-west-1_Abc', COGNITO_CLIENT_ID: 'c' }).cognito).toBeDefined()
  })

  it('gives DynamoDB 3 attempts of 1 s each by default, and reads DYNAMODB_MAX_ATTEMPTS and DYNAMODB_TIMEOUT_MS', () => {
    expect(readConfig({}).dynamoDb).toEqual({ maxAttempts: 3, timeoutMs: 1000 })
    expect(readConfig({ DYNAMODB_MAX_ATTEMPTS: '5', DYNAMODB_TIMEOUT_MS: '750' }).dynamoDb).toEqual({ maxAttempts: 5, timeoutMs: 750 })
    expect(() => readConfig({ DYNAMODB_MAX_ATTEMPTS: '0' })).toThrow(/DYNAMODB_MAX_ATTEMPTS must be a whole number from 1 to 10/)
    expect(() => readConfig({ DYNAMODB_TIMEOUT_MS: '2.5' })).toThrow(/DYNAMODB_TIMEOUT_MS/)
  })

  it('rejects a PORT that is not a port', () => {
    expect(() => readConfig({ PORT: 'http' })).toThrow(/PORT/)
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/)
    expect(readConfig({ PORT: '0' }).port).toBe(0)
  })
})
