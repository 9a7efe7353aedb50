import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';

/** One line of any process's output, kept for the secrets check and written to the run's log folder. */
export interface LogLine {
  source: string;
  at: number;
  line: string;
}

/**
 * A real child process (node dist/...) whose stdout and stderr are captured line by line. Each start
 * is a new incarnation (`gateway-a#2`), so the logs of killed processes are kept too.
 */
export class SoakProcess {
  private child?: ChildProcess;
  private incarnation = 0;
  private exitedAt?: number;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
    private readonly sink: (line: LogLine) => void,
    private readonly file: WriteStream,
  ) {}

  static logFile(path: string): WriteStream {
    return createWriteStream(path, { flags: 'a' });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.incarnation++;
    const source = `${this.name}#${this.incarnation}`;
    const child = spawn(process.execPath, [this.script], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitedAt = undefined;
    const collect = (stream: NodeJS.ReadableStream | null) => {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.emit(source, line);
      });
      stream?.on('end', () => partial && this.emit(source, partial));
    };
    collect(child.stdout);
    collect(child.stderr);
    child.once('exit', () => (this.exitedAt = Date.now()));
  }

  private emit(source: string, line: string): void {
    const entry = { source, at: Date.now(), line };
    this.sink(entry);
    this.file.write(`${new Date(entry.at).toISOString()} ${source} ${line}\n`);
  }

  /** SIGKILL: no shutdown hooks, no finally blocks, sockets cut. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const timer = setTimeout(() => this.running && child.kill('SIGKILL'), 15_000);
    await this.signal('SIGTERM');
    clearTimeout(timer);
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** Poll `url` until it answers 200 (or the process dies). */
  async waitHealthy(url: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited while starting`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(150);
    }
    throw new Error(`${this.name} did not answer 200 at ${url} within ${timeoutMs} ms`);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
