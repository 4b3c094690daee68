import { withBlockIds } from './ids.js';
import { MessageStore } from './messageStore.js';
import type { Block, EphemeralMessage, EphemeralSource } from './state.js';
import { presentProps } from '../../domain/defined.js';

/**
 * Reads and changes the workspace. Every change goes through here, so every
 * change is announced (and, with a data dir, persisted). In layers: people and
 * channels (channelStore.ts), messages (messageStore.ts), then ephemerals here.
 */
export class WorkspaceStore extends MessageStore {
  addEphemeral(o: {
    channel: string;
    user: string;
    text: string;
    blocks?: Block[];
    thread_ts?: string;
    source: EphemeralSource;
  }): EphemeralMessage {
    const ephemeral: EphemeralMessage = {
      ts: this.ts.next(),
      channel: o.channel,
      user: o.user,
      text: o.text,
      ...(o.blocks ? { blocks: withBlockIds(o.blocks) } : {}),
      ...presentProps({ thread_ts: o.thread_ts }),
      source: o.source,
      at: this.now().toISOString(),
    };
    this.workspace.ephemerals.push(ephemeral);
    this.announce({ type: 'ephemeral', channel: o.channel, user: o.user, ts: ephemeral.ts });
    return ephemeral;
  }

  ephemeral(ts: string): EphemeralMessage | undefined {
    return this.workspace.ephemerals.find((e) => e.ts === ts);
  }

  replaceEphemeral(ephemeral: EphemeralMessage, patch: { text: string; blocks?: Block[] }): void {
    ephemeral.text = patch.text;
    if (patch.blocks) ephemeral.blocks = withBlockIds(patch.blocks);
    else delete ephemeral.blocks;
    this.announce({ type: 'ephemeral', channel: ephemeral.channel, user: ephemeral.user, ts: ephemeral.ts });
  }

  removeEphemeral(ephemeral: EphemeralMessage): void {
    const index = this.workspace.ephemerals.indexOf(ephemeral);
    if (index >= 0) this.workspace.ephemerals.splice(index, 1);
    this.announce({ type: 'ephemeral_deleted', channel: ephemeral.channel, user: ephemeral.user, ts: ephemeral.ts });
  }
}
