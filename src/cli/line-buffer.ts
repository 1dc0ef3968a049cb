/**
 * Collects log lines and writes them in batches: when `maxBytes` have piled up or `maxDelayMs`
 * after the first unwritten line, so a busy server makes one write per batch, not per request.
 */
export class LineBuffer {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (text: string) => void,
    private readonly maxBytes = 64 * 1024,
    private readonly maxDelayMs = 100,
  ) {}

  push(line: string): void {
    this.pending += line;
    if (this.pending.length >= this.maxBytes) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.write(text);
  }
}
