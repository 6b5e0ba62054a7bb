// The `ledgerlint` command runs the parser's WebAssembly on V8's baseline code only: tiering hot
// functions up to the optimizing compiler cost ~0.55 s of CPU per run and did not pay back within
// a batch run (CPU per run with and without, alternating, on a loaded machine: 1 file 0.93 ->
// 0.34 s, 100 files 1.44 -> 0.90 s, 1,000 files ~5.2 -> ~4.6 s, 5,000 files about even). The
// editor's long-lived server keeps V8's defaults.
import * as v8 from 'node:v8';

/**
 * Must run before the parser compiles its WebAssembly (the flags are read then), and before the
 * CLI bundle is loaded through the code cache: V8 rejects cached code made under other flags.
 */
export function useBaselineWasm(): void {
  v8.setFlagsFromString('--no-wasm-tier-up');
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
}
