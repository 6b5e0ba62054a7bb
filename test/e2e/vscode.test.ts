/**
 * Ledgerlint in a real VS Code (code-server 4.100.3 = VS Code 1.100.3, in Debian's Chromium).
 * One file, so the two scenarios run one after the other: each starts its own code-server and
 * Chromium, and two at once on a 2-core CI machine only make both slow.
 * Prerequisites: scripts/e2e-setup.sh and npm run build (see prerequisites.ts).
 */
import { test } from 'node:test';
import { extensionHostScenario, HOST_TIMEOUT_MS } from './scenarios/extension-host';
import { uiScenario } from './scenarios/ui';

test('extension-host tests pass in code-server (@vscode/test-electron runTests)', { timeout: HOST_TIMEOUT_MS + 60_000 }, extensionHostScenario);

test('UI: squiggle, hover and Problems panel in code-server (Playwright)', { timeout: 240_000 }, uiScenario);
