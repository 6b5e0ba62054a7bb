// A Map holding only its `capacity` most recently set keys. WorkspaceModel keeps the schema before
// each checked file in one (schemaBefore): a fork of the nearest checkpoint with up to 31 earlier
// files replayed into it, ~120 KB each on a repository of 2,000 migrations. They serve the checks,
// hovers and code actions of the file being worked on until the next rebuild; keeping one per file
// ever checked made 200 open files cost 8 MB of heap for answers no one asked again.
export class RecentMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    // Set again goes last: the oldest key is the one set longest ago.
    super.delete(key);
    super.set(key, value);
    while (this.size > this.capacity) super.delete(this.keys().next().value as K);
    return this;
  }
}
