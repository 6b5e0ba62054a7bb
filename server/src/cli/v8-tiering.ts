// The `ledgerlint` command runs on V8's baseline tiers only, for JavaScript and WebAssembly alike.
// A batch run is short and its hot code is spread over ~70 rules, the replay and the parser: the
// optimizing compiler's work (on background threads, but CPU all the same) did not pay back.
// - WebAssembly (the parser), measured alternating on a loaded machine: 1 file 0.93 -> 0.34 s CPU,
//   100 files 1.44 -> 0.90 s, 1,000 files ~5.2 -> ~4.6 s, 5,000 files about even.
// - JavaScript without TurboFan (on top of that), same method, best of 4 at load ~15: 1,000 files
//   3.82 -> 2.81 s CPU; 5,000 files about even (13.2-15.8 s either way, wall 46-60 -> 40-49 s).
// The editor's long-lived server keeps V8's defaults.
import * as v8 from 'node:v8';

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
