// The `ledgerlint` command runs on V8's baseline tiers only, for JavaScript and WebAssembly alike.
// A batch run is short and its hot code is spread over ~70 rules, the replay and the parser: the
// optimizing compiler's work (on background threads, but CPU all the same) did not pay back.
// - WebAssembly (the parser), measured alternating on a loaded machine: 1 file 0.93 -> 0.34 s CPU,
//   100 files 1.44 -> 0.90 s, 1,000 files ~5.2 -> ~4.6 s, 5,000 files about even.
// - JavaScript without TurboFan (on top of that), same method, best of 3-4 at load 12-15: 100 files
//   0.89 -> 0.69 s CPU, 1,000 files 3.60 -> 2.43 s; but 5,000 files 10.8 -> 12.1 s: past
//   TURBOFAN_FROM_FILES files a run turns TurboFan back on before linting, and WebAssembly tier-up
//   before the parser is compiled (the parser's baseline code is ~3x slower per statement): 5,000
//   files 14.5 / 14.4 -> 12.9 / 11.7 s CPU against TurboFan alone, peak RSS 626 -> ~400 MB.
// The editor's long-lived server keeps V8's defaults.
import * as v8 from 'node:v8';

/** Files to check from which the optimizing compilers pay back within the run. */
export const TURBOFAN_FROM_FILES = 2500;

/**
 * Must run before the parser compiles its WebAssembly (the flags are read then), and before the
 * CLI bundle is loaded through the code cache: V8 rejects cached code made under other flags.
 * Worker threads share the process's flags.
 */
export function useBatchTiering(): void {
  v8.setFlagsFromString('--no-wasm-tier-up');
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
  // Interpreter and Sparkplug (baseline) code; Maglev where the node version has it on by default.
  v8.setFlagsFromString('--no-turbofan');
}

let optimizing = false;

/**
 * For a run long enough to pay the optimizing compilers back: on from now (WebAssembly: for a parser
 * not compiled yet). Back to the batch flags before the code cache is written at exit (exit
 * listeners added first run first), so the cache keeps the flags the next run loads it under.
 */
export function allowOptimizingCompiler(): void {
  if (optimizing) return;
  optimizing = true;
  v8.setFlagsFromString('--turbofan');
  v8.setFlagsFromString('--wasm-tier-up');
  v8.setFlagsFromString('--wasm-dynamic-tiering');
  process.prependOnceListener('exit', useBatchTiering);
}
