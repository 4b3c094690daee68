import type { ChangeView, Reply } from '../../app/replies.js';
import { type SlackMessage, section } from '../../blockKit/blocks.js';
import { codeSpan } from '../../domain/text.js';

/** One open change as `/incident change status` lists it: where it is, its phase, its gate or its watch. */
export function changeLine({ change, progress, watch }: ChangeView): string {
  const gateTitle = (n: number) => change.playbook.gates[n - 1]?.title ?? `gate ${n}`;
  const where = change.channelId ? ` in <#${change.channelId}>` : '';
  const head = `*${change.key}* · ${codeSpan(change.playbookId)}${where}`;
  switch (progress.kind) {
    case 'in-phase': {
      const phase = progress.phase ? `${progress.phase}, ` : '';
      const next = progress.gate ? ` before gate ${progress.gate} (${gateTitle(progress.gate)})` : '';
      return `${head}: ${phase}steps ${progress.stepsLeft.join(', ')} to do${next}`;
    }
    case 'at-gate':
      return `${head}: at gate ${progress.gate} (${gateTitle(progress.gate)}), waiting for GO or NO-GO`;
    case 'halted':
      return `${head}: halted by NO-GO at gate ${progress.gate} (${gateTitle(progress.gate)})`;
    case 'completed':
      if (watch === 'watching') return `${head}: every gate GO, the post-deploy watch running`;
      if (watch === 'tripped') return `${head}: the post-deploy watch tripped and opened an incident`;
      return `${head}: every gate GO, every step done`;
  }
}

const plain = (text: string): SlackMessage => ({ text, blocks: [section(text)] });

/** What the change commands answer: started, the open changes, aborted. */
export function changeReplyMessage(
  reply: Extract<Reply, { kind: 'change-started' | 'changes' | 'change-aborted' }>,
): SlackMessage {
  switch (reply.kind) {
    case 'change-started': {
      const where = reply.channelId
        ? `: follow it in <#${reply.channelId}>`
        : ' (its message is being posted; Slack is not answering yet)';
      return plain(`*${reply.key}* started from ${codeSpan(reply.runbook)}${where}.`);
    }
    case 'changes':
      if (reply.changes.length === 0)
        return plain('No change is open. Start one with `/incident change <runbook> [summary]`.');
      return plain(`*Open changes*\n${reply.changes.map((view) => `• ${changeLine(view)}`).join('\n')}`);
    case 'change-aborted':
      if (reply.alreadyEnded) return plain(`${reply.key} has already ended.`);
      return plain(`${reply.key} is aborted${reply.withReason ? '; the reason is in its timeline' : ''}.`);
  }
}
