import type { Command } from 'commander'
import { applicationPolicy, MESSAGING_OPERATIONS, type MessagingOperation } from '../../iam/applicationPolicy.js'
import { printJson } from '../output.js'

/** `iam-policy`: prints applicationPolicy's document for a table ARN; reads and writes nothing. */
export function registerIamPolicy(program: Command): void {
  program
    .command('iam-policy')
    .summary("print the application role's least-privilege IAM policy")
    .description(
      'print, as JSON, the IAM policy your application needs for the operations it calls (default: all): only the ' +
        'DynamoDB actions the library sends, on the table and its indexes, no wildcard action; contacts nothing'
    )
    .argument('<table-arn>', 'the table ARN, e.g. arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages')
    .option('--operations <list>', `comma-separated, from: ${MESSAGING_OPERATIONS.join(', ')}`)
    .addHelpText(
      'after',
      '\nExample:\n  $ npx dynamo-messaging iam-policy arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages' +
        '\n  $ npx dynamo-messaging iam-policy arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages --operations listMessages,listMessageGroups'
    )
    .action((tableArn: string, options: { operations?: string }) => {
      const operations = options.operations?.split(',').map((operation) => operation.trim()) as MessagingOperation[] | undefined
      printJson(applicationPolicy({ tableArn, ...(operations && { operations }) }))
    })
}
