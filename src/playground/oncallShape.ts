/** What GET /playground/oncall answers (shared by the server and the page, which imports types only). */

export interface OnCallNow {
  /** The bot's clock when answered (ISO). */
  now: string;
  schedules: Array<{ id: string; user: string | null; until: string; usergroup?: string }>;
  /** The next step of any schedule's handoff: what "Next handoff" moves the clock past. */
  next?: HandoffStep;
}

export interface HandoffStep {
  schedule: string;
  /** `notice`: the incoming person's DM; `start`: the handoff (the channel post, the user group's new members). */
  phase: 'notice' | 'start';
  at: string;
  /** Who takes over. */
  to: string | null;
}
