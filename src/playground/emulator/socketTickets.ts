import { randomHex } from './ids.js';

/** The single-use tickets apps.connections.open hands out: each opens one Socket Mode connection, within its ttl. */
export class SocketTickets {
  /** Each unused ticket's expiry (epoch ms). */
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs: number,
  ) {}

  /** A fresh ticket; the expired ones are forgotten. */
  issue(): string {
    const now = this.now().getTime();
    for (const [ticket, expires] of this.expiries) if (expires < now) this.expiries.delete(ticket);
    const ticket = randomHex(16);
    this.expiries.set(ticket, now + this.ttlMs);
    return ticket;
  }

  /** Uses the ticket up: true when it was issued and has not expired. */
  redeem(ticket: string): boolean {
    const expires = this.expiries.get(ticket);
    this.expiries.delete(ticket);
    return expires !== undefined && this.now().getTime() <= expires;
  }

  clear(): void {
    this.expiries.clear();
  }
}
