import { randomBytes, randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `C` + 9 uppercase letters and digits, and the like for D, G, F, V ids. */
export function slackId(prefix: string, length: number, taken: (id: string) => boolean = () => false): string {
  for (;;) {
    let id = prefix;
    for (let i = 0; i < length; i += 1) id += ALNUM[randomInt(ALNUM.length)];
    if (!taken(id)) return id;
  }
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Shaped like Slack's: `12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3`. */
export function triggerId(now: Date): string {
  return `${Math.floor(now.getTime() / 1000)}${randomInt(100, 999)}.${randomInt(1e11, 1e12 - 1)}.${randomHex(16)}`;
}

/** Slack's `<unix seconds>.<6 digits>`, from microseconds. */
export function formatTs(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

export function parseTs(ts: string): number {
  const match = /^(\d+)\.(\d{6})$/.exec(ts);
  return match ? Number(match[1]) * 1e6 + Number(match[2]) : Number.NaN;
}

/**
 * Message timestamps as Slack makes them: from the clock, and strictly
 * increasing even when the clock stands still or goes back.
 */
export class TsClock {
  private last = 0;

  constructor(private readonly now: () => Date) {}

  /** Never issue a ts at or below one already in use (after a reload). */
  observe(ts: string): void {
    const micros = parseTs(ts);
    if (micros > this.last) this.last = micros;
  }

  next(): string {
    const micros = Math.max(this.now().getTime() * 1000, this.last + 1);
    this.last = micros;
    return formatTs(micros);
  }
}

/**
 * Slack gives every block without a block_id a short random one when it
 * stores a message or view; interactions carry it. Copies, never mutates.
 */
export function withBlockIds<T extends { block_id?: string }>(blocks: T[]): T[] {
  return blocks.map((block) => {
    const copy = structuredClone(block);
    if (copy.block_id === undefined)
      copy.block_id = randomBytes(4).toString('base64').replace(/[+/=]/g, '').slice(0, 5) || 'blk';
    return copy;
  });
}
