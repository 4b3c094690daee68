import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const root = resolve(import.meta.dirname, '../..');

/**
 * Slack's app manifest format (docs.slack.dev/reference/app-manifest; the
 * same constraints as SchemaStore's slack-app-manifest.json), for the parts
 * this app uses. Unknown keys are errors, as in the JSON Schema.
 */
const manifestSchema = z.strictObject({
  _metadata: z.strictObject({ major_version: z.number().int(), minor_version: z.number().int() }).optional(),
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().max(140).optional(),
    long_description: z.string().max(4_000).optional(),
    background_color: z
      .string()
      .regex(/^#(?:[\da-fA-F]{3}){1,2}$/)
      .optional(),
  }),
  features: z.strictObject({
    bot_user: z.strictObject({
      display_name: z
        .string()
        .max(80)
        .regex(/^[\w\-.]+$/),
      always_online: z.boolean().optional(),
    }),
    slash_commands: z.array(
      z.strictObject({
        command: z
          .string()
          .max(32)
          .regex(/^\/.*$/),
        description: z.string().max(2_000),
        should_escape: z.boolean().optional(),
        url: z.string().optional(),
        usage_hint: z.string().max(1_000).optional(),
      }),
    ),
  }),
  oauth_config: z.strictObject({
    scopes: z.strictObject({ bot: z.array(z.string()).max(255), user: z.array(z.string()).optional() }),
  }),
  settings: z.strictObject({
    interactivity: z.strictObject({ is_enabled: z.boolean(), request_url: z.string().optional() }),
    org_deploy_enabled: z.boolean().optional(),
    socket_mode_enabled: z.boolean().optional(),
    token_rotation_enabled: z.boolean().optional(),
  }),
});

/** The scope each Web API method the bot may call needs (docs.slack.dev method pages). */
const SCOPE_OF: Record<string, string | null> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'conversations.create': 'channels:manage',
  'conversations.setPurpose': 'channels:manage',
  'conversations.list': 'channels:read',
  'conversations.invite': 'channels:manage',
  'conversations.join': 'channels:join',
  'conversations.info': 'channels:read',
  'conversations.members': 'channels:read',
  'conversations.open': 'im:write',
  'conversations.history': 'channels:history',
  'conversations.replies': 'channels:history',
  'users.info': 'users:read',
  'users.list': 'users:read',
  'usergroups.users.list': 'usergroups:read',
  'usergroups.users.update': 'usergroups:write',
  'pins.add': 'pins:write',
  'files.uploadV2': 'files:write',
  'views.open': null,
  'views.update': null,
  'apps.connections.open': null,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'playground' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('manifest.yml', () => {
  const manifest = manifestSchema.parse(parse(readFileSync(resolve(root, 'manifest.yml'), 'utf8')));

  it('declares /incident with a usage hint, interactivity and Socket Mode', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/incident', usage_hint: expect.stringContaining('<playbook>') }),
    ]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('asks for exactly the scopes of the Web API methods the bot calls, and commands', () => {
    const called = new Set<string>();
    for (const file of sourceFiles(resolve(root, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/client\.((?:[a-z]+\.)+[a-zA-Z0-9]+)\(/g))
        called.add(match[1]!);
      for (const match of readFileSync(file, 'utf8').matchAll(/paginate\('([a-z.]+)'/g)) called.add(match[1]!);
      if (/client\.filesUploadV2\(/.test(readFileSync(file, 'utf8'))) called.add('files.uploadV2');
    }
    expect(called.size).toBeGreaterThan(3);
    const unknown = [...called].filter((method) => !(method in SCOPE_OF));
    expect(unknown, 'methods called without a known scope').toEqual([]);
    const needed = new Set(['commands', ...[...called].map((m) => SCOPE_OF[m]).filter((s): s is string => s !== null)]);
    const declared = manifest.oauth_config.scopes.bot;
    expect(
      [...needed].filter((s) => !declared.includes(s)),
      'missing scopes',
    ).toEqual([]);
    // Direct messages are read back with im:history, the DM twin of channels:history.
    const planned = new Set([
      'commands',
      'im:history',
      ...Object.values(SCOPE_OF).filter((s): s is string => s !== null),
    ]);
    expect(
      declared.filter((s) => !planned.has(s)),
      'scopes nothing uses',
    ).toEqual([]);
  });
});
