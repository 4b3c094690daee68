import type { Workspace } from '../emulator/state.js';
import type { HandoffStep, OnCallNow } from '../oncallShape.js';
import { type ClockState, getOnCall, post } from './api.js';
import type { Page } from './app.js';
import { byId, toast } from './dom.js';

/**
 * Who is on call, as the bot answers it (GET /playground/oncall at the bot's clock), beside each person in the
 * "Acting as" switcher; the members of the user groups the schedules keep, as the emulator holds them; and the
 * "Next handoff" clock control. The page computes none of it.
 */

let onCall: OnCallNow | undefined;

/** One fresh read; a failed one keeps the last answer (the bot may be restarting). */
export async function loadOnCall(): Promise<void> {
  onCall = await getOnCall().catch(() => onCall);
}

/** " — on call: auth, platform" for a person on call now, else "". */
export function onCallSuffix(user: string): string {
  const schedules = (onCall?.schedules ?? []).filter((s) => s.user === user).map((s) => s.id);
  return schedules.length ? ` — on call: ${schedules.join(', ')}` : '';
}

const nameOf = (workspace: Workspace, user: string) => workspace.users.find((u) => u.id === user)?.real_name ?? user;

function describeStep(workspace: Workspace, step: HandoffStep): string {
  const who = step.to ? nameOf(workspace, step.to) : 'nobody';
  const at = new Date(step.at).toLocaleString('en-US', { weekday: 'short', hour: 'numeric', minute: '2-digit' });
  return step.phase === 'notice'
    ? `Next: ${step.schedule}'s handoff notice to ${who} (${at})`
    : `Next: ${step.schedule} hands off to ${who} (${at})`;
}

/** The schedules' user groups and their members, read from the workspace itself (what Slack would show). */
export function renderOnCall(workspace: Workspace): void {
  const groups = (onCall?.schedules ?? []).flatMap((s) => {
    const group = workspace.usergroups.find((g) => g.id === s.usergroup);
    if (!group) return [];
    const members = group.users.map((u) => nameOf(workspace, u)).join(', ') || 'nobody';
    return [`@${group.handle}: ${members}`];
  });
  byId('oncall-groups').textContent = groups.join(' · ');
  const button = byId<HTMLButtonElement>('next-handoff');
  button.title = onCall?.next ? describeStep(workspace, onCall.next) : 'This bot has no on-call schedules';
  button.disabled = !onCall?.next;
}

export function wireOnCall(page: Page): void {
  byId<HTMLButtonElement>('next-handoff').addEventListener('click', () => {
    void (async () => {
      const moved = await page.act(() =>
        post<ClockState & { step: HandoffStep }>('/playground/clock/next-handoff', {}),
      );
      if (!moved) return;
      page.clock = moved;
      await loadOnCall();
      const step = moved.step;
      const who = step.to && page.workspace ? nameOf(page.workspace, step.to) : (step.to ?? 'nobody');
      toast(
        step.phase === 'notice'
          ? `The bot's clock moved past ${step.schedule}'s handoff notice: ${who} has a direct message.`
          : `The bot's clock moved past ${step.schedule}'s handoff: ${who} is on call now.`,
      );
      page.render();
    })();
  });
}
