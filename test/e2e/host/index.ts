/** Entry VS Code's extension host loads as `extensionTestsPath`: registers the tests, runs them. */
import './extension.spec';
import { runAll } from './runner';

export function run(): Promise<void> {
  return runAll();
}
