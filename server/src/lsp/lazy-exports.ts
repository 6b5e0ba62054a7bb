// A module's exports that load the module on first use. The language server bundle requires the
// TypeScript compiler (3.5 MB, ~150 ms of CPU to read, hash, deserialize and run) as it starts, for
// the Drizzle checks; a SQL file opened with the editor does not need it, and its first diagnostics
// waited for it. On the first property read, write or `in` test the stand-in takes the module's
// exports as its prototype, so later reads are ordinary prototype-chain loads (no proxy).

/** An object that stands for `load()`'s exports; `load` runs once, on first use. */
export function lazyExports(load: () => object): Record<PropertyKey, unknown> {
  const stub: Record<PropertyKey, unknown> = {};
  let real: object | undefined;
  function materialize(): object {
    if (real) return real;
    real = load();
    Object.setPrototypeOf(stub, real);
    return real;
  }
  // The stub has no own properties: until the module is loaded every use reaches this prototype.
  const trap = new Proxy(Object.create(null) as object, {
    get: (_target, key) => Reflect.get(materialize(), key),
    has: (_target, key) => key in materialize(),
    set: (_target, key, value) => Reflect.set(materialize(), key, value),
  });
  Object.setPrototypeOf(stub, trap);
  return stub;
}
