import type { TestProject } from 'vitest/node'
import { type Stack, startStack } from './stack'

// One `npm start` stack (fresh state) for every end-to-end file of this project; it is stopped,
// its process group killed and its ports freed at the end, even when tests fail.
let stack: Stack | undefined

export async function setup(_project: TestProject): Promise<void> {
  stack = await startStack()
  if (!stack.output().includes('Press Ctrl-C to stop.')) {
    const output = stack.output()
    await stack.cleanup()
    throw new Error(`npm start did not become ready:\n${output}`)
  }
}

export async function teardown(): Promise<void> {
  await stack?.cleanup()
}
