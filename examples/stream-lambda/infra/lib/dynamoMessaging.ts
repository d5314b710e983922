// The library as built at the repository's root (run `npm run build` there first). In your own CDK app this file is
// not needed: `npm install dynamo-messaging` and import from 'dynamo-messaging'.
export * from '../../../../dist/index.js'
