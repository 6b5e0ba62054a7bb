// Writes the report, given in pieces (strings, or UTF-8 bytes read from the cache), through one
// reused 64 KiB buffer: a few large writes instead of one per piece, and no new memory per piece
// (a 5,000-file JSON report is 31 MB; building it as strings and buffers was fresh memory to map).
import * as fs from 'node:fs';

const SIZE = 1 << 16;

class OutputBuffer {
  private buf = Buffer.allocUnsafe(SIZE);
  private used = 0;

  constructor(private readonly sink: (bytes: Buffer) => void) {}

  string(s: string): void {
    // At most 3 UTF-8 bytes per UTF-16 code unit.
    if (s.length * 3 > SIZE - this.used) this.flush();
    if (s.length * 3 > SIZE) this.sink(Buffer.from(s, 'utf8'));
    else this.used += this.buf.write(s, this.used, 'utf8');
  }

  bytes(b: Uint8Array): void {
    if (b.length > SIZE - this.used) this.flush();
    if (b.length > SIZE) this.sink(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    else {
      this.buf.set(b, this.used);
      this.used += b.length;
    }
  }

  /** Hands over what is buffered; the sink must be done with it on return (the buffer is reused). */
  flush(): void {
    if (this.used > 0) this.sink(this.buf.subarray(0, this.used));
    this.used = 0;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done);
}

function pour(chunks: Iterable<string | Uint8Array>, sink: (bytes: Buffer) => void): void {
  const out = new OutputBuffer(sink);
  for (const chunk of chunks) {
    if (typeof chunk === 'string') out.string(chunk);
    else out.bytes(chunk);
  }
  out.flush();
}

/** Writes the report to `file` piece by piece (a large JSON report is never one string; see jsonChunks). */
export function writeReportFile(file: string, chunks: Iterable<string | Uint8Array>): void {
  const fd = fs.openSync(file, 'w');
  try {
    pour(chunks, (bytes) => writeAll(fd, bytes));
  } finally {
    fs.closeSync(fd);
  }
}

/** Hands the report to `out` as strings of up to 64 KiB (each flush holds whole pieces, so whole characters). */
export function writeReportTo(out: (s: string) => void, chunks: Iterable<string | Uint8Array>): void {
  pour(chunks, (bytes) => out(bytes.toString('utf8')));
}
