// Where one incoming C-STORE data set goes while it arrives: straight to a file in the spool (Part 10 meta
// header first), never accumulated in memory; past the size limit the rest is discarded and the instance refused.
import fs from 'node:fs';
import { Writable } from 'node:stream';

export class SpoolWriter extends Writable {
  bytes = 0;
  tooLarge = false;
  private fd: number;
  constructor(
    readonly file: string,
    header: Buffer,
    private readonly maxBytes: number,
  ) {
    super();
    this.fd = fs.openSync(file, 'w', 0o600);
    fs.writeSync(this.fd, header);
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.tooLarge || this.bytes > this.maxBytes) {
      this.tooLarge = true;
      done();
      return;
    }
    fs.write(this.fd, chunk, 0, chunk.length, null, (err) => done(err));
  }
  override _final(done: (e?: Error | null) => void): void {
    fs.close(this.fd, (err) => done(err));
  }
  /** Ends the stream and resolves once the file is closed. */
  finished(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.writableFinished) return resolve();
      this.once('finish', () => resolve());
      this.once('error', reject);
      this.end();
    });
  }
  discard(): void {
    fs.rmSync(this.file, { force: true });
  }
}
