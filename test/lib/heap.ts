// Heap measured after full collections: what a test can compare before and after some work.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Used heap in MB after two full collections (the second clears what the first's finalizers freed). */
export function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
}
