#!/usr/bin/env node
// Placeholder entry: the CLI is being built (issue: utility CLI).
console.error('dynamo-messaging CLI: not built yet')
process.exit(1)
