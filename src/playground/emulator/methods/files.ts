import { extname } from 'node:path';
import { z } from 'zod';
import { slackId } from '../ids.js';
import { count, id, idList, text, ts } from '../params.js';
import { apiFile } from '../shapes.js';
import type { FileRef, StoredFile } from '../state.js';
import type { WorkspaceStore } from '../store.js';
import { isReply } from '../messageStore.js';
import { type MethodRun, content, defineMethod, fail, memberChannel } from './method.js';
import { presentProps } from '../../../domain/defined.js';

const TYPES: Record<string, [mimetype: string, filetype: string]> = {
  '.md': ['text/markdown', 'markdown'],
  '.markdown': ['text/markdown', 'markdown'],
  '.txt': ['text/plain', 'text'],
  '.log': ['text/plain', 'text'],
  '.json': ['application/json', 'json'],
  '.csv': ['text/csv', 'csv'],
  '.yml': ['text/yaml', 'yaml'],
  '.yaml': ['text/yaml', 'yaml'],
  '.html': ['text/html', 'html'],
  '.png': ['image/png', 'png'],
  '.jpg': ['image/jpeg', 'jpg'],
  '.jpeg': ['image/jpeg', 'jpg'],
  '.gif': ['image/gif', 'gif'],
  '.pdf': ['application/pdf', 'pdf'],
};

export function fileTypeOf(name: string): { mimetype: string; filetype: string } {
  const [mimetype, filetype] = TYPES[extname(name).toLowerCase()] ?? ['application/octet-stream', 'binary'];
  return { mimetype, filetype };
}

export function fileRef(file: StoredFile): FileRef {
  const { id: fileId, name, title, mimetype, filetype, size } = file;
  return { id: fileId, name, title, mimetype, filetype, size };
}

/** The upload URL received the bytes (raw body or the file part of a multipart form). */
export function receiveUpload(store: WorkspaceStore, fileId: string, bytes: Buffer): StoredFile | undefined {
  const file = store.workspace.files.find((f) => f.id === fileId);
  if (!file || file.completed) return undefined;
  file.content_base64 = bytes.toString('base64');
  file.size = bytes.length;
  store.changed({ type: 'file_uploaded', id: file.id });
  return file;
}

const getUploadURLExternal = defineMethod(
  z.object({
    filename: z.string().min(1),
    length: count,
    alt_txt: z.string().optional(),
    alt_text: z.string().optional(),
    snippet_type: z.string().optional(),
  }),
  (ctx, p) => {
    const fileId = slackId('F', 10, (candidate) => ctx.workspace.files.some((f) => f.id === candidate));
    const altText = p.alt_txt ?? p.alt_text;
    const file: StoredFile = {
      id: fileId,
      name: p.filename,
      title: p.filename,
      ...fileTypeOf(p.filename),
      size: p.length,
      declared_length: p.length,
      user: ctx.store.botUserId,
      created: ctx.store.nowSeconds(),
      completed: false,
      channels: [],
      ...presentProps({ alt_txt: altText, snippet_type: p.snippet_type }),
    };
    ctx.workspace.files.push(file);
    return { upload_url: `${ctx.baseUrl}/emulator/upload/${fileId}`, file_id: fileId };
  },
);

const completeUploadExternal = defineMethod(
  z.object({
    files: z.array(z.object({ id, title: text.optional() })).min(1),
    channel_id: id.optional(),
    channels: idList.optional(),
    thread_ts: ts.optional(),
    initial_comment: text.optional(),
    blocks: z.unknown().optional(),
  }),
  (ctx, p) => {
    const files = p.files.map((f) => {
      const stored = ctx.workspace.files.find((s) => s.id === f.id);
      if (!stored || stored.content_base64 === undefined) fail('file_not_found');
      return { stored, title: f.title };
    });
    const target = p.channel_id ?? p.channels?.[0];
    const channel = target ? memberChannel(ctx, target) : undefined;
    let threadTs: string | undefined;
    if (channel && p.thread_ts) {
      const parent = ctx.store.message(channel.id, p.thread_ts) ?? fail('thread_not_found');
      threadTs = isReply(parent) ? parent.thread_ts : parent.ts;
    }
    const checked = channel ? content({ text: p.initial_comment, blocks: p.blocks }, false) : undefined;
    for (const { stored, title } of files) {
      if (title) stored.title = title;
      stored.completed = true;
      if (channel && !stored.channels.includes(channel.id)) stored.channels.push(channel.id);
    }
    if (channel && checked) {
      ctx.store.post({
        channel: channel.id,
        user: ctx.store.botUserId,
        ...checked,
        files: files.map((f) => fileRef(f.stored)),
        ...presentProps({ thread_ts: threadTs }),
      });
      for (const { stored } of files) ctx.store.changed({ type: 'file_shared', id: stored.id, channel: channel.id });
    }
    return { files: files.map(({ stored }) => ({ id: stored.id, title: stored.title })) };
  },
);

const info = defineMethod(
  z.object({ file: id }),
  (ctx, p) => {
    const file = ctx.workspace.files.find((f) => f.id === p.file && f.completed) ?? fail('file_not_found');
    const textual = file.mimetype.startsWith('text/') || file.mimetype === 'application/json';
    return {
      file: apiFile(ctx.workspace, ctx.baseUrl, file),
      ...(textual && file.content_base64 !== undefined
        ? { content: Buffer.from(file.content_base64, 'base64').toString('utf8') }
        : {}),
      comments: [],
      response_metadata: { next_cursor: '' },
    };
  },
  { file: 'file_not_found' },
);

export const filesMethods: Record<string, MethodRun> = {
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
  'files.info': info,
};
