import { triggerId } from './ids.js';
import { presentProps } from '../../domain/defined.js';

/** Slack lets an app exchange a trigger_id once, within 3 seconds of the interaction. */
export const TRIGGER_TTL_MS = 3000;

interface Issued {
  user: string;
  at: number;
  used: boolean;
  /** Set when the interaction happened inside a modal (views.push stacks on it). */
  viewId?: string;
}

export type TriggerResult =
  | { ok: true; user: string; viewId?: string }
  | { ok: false; error: 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id' };

export class Triggers {
  private readonly issued = new Map<string, Issued>();

  constructor(private readonly now: () => Date) {}

  issue(user: string, viewId?: string): string {
    const at = this.now().getTime();
    for (const [id, t] of this.issued) if (at - t.at > 60_000) this.issued.delete(id);
    const id = triggerId(this.now());
    this.issued.set(id, { user, at, used: false, ...presentProps({ viewId }) });
    return id;
  }

  /** Re-registers a trigger id the test wants to reuse (a retried delivery carries the same one). */
  reuse(id: string, user: string): void {
    if (!this.issued.has(id)) this.issued.set(id, { user, at: this.now().getTime(), used: false });
  }

  exchange(id: string): TriggerResult {
    const issued = this.issued.get(id);
    if (!issued) return { ok: false, error: 'invalid_trigger_id' };
    if (this.now().getTime() - issued.at > TRIGGER_TTL_MS) return { ok: false, error: 'expired_trigger_id' };
    if (issued.used) return { ok: false, error: 'exchanged_trigger_id' };
    issued.used = true;
    return { ok: true, user: issued.user, ...presentProps({ viewId: issued.viewId }) };
  }
}
