import { DateTime } from 'luxon';
import { presentProps } from '../../domain/defined.js';
import type { Channel, FileRef, Message, StoredFile, User, Usergroup, Workspace } from './state.js';

/** The JSON objects Slack's Web API answers with, built from the stored state. */

export function apiChannel(
  workspace: Workspace,
  channel: Channel,
  viewer = workspace.bot.user_id,
): Record<string, unknown> {
  if (channel.kind === 'im') {
    return {
      id: channel.id,
      created: channel.created,
      is_im: true,
      is_org_shared: false,
      user: channel.im_user,
      is_user_deleted: false,
      priority: 0,
      is_open: true,
    };
  }
  return {
    id: channel.id,
    name: channel.name,
    is_channel: channel.kind !== 'mpim',
    is_group: false,
    is_im: false,
    is_mpim: channel.kind === 'mpim',
    is_private: channel.kind !== 'public',
    created: channel.created,
    is_archived: channel.is_archived,
    is_general: false,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: workspace.team.id,
    creator: channel.creator,
    is_member: channel.members.includes(viewer),
    topic: { value: channel.topic, creator: '', last_set: 0 },
    purpose: { value: channel.purpose, creator: '', last_set: 0 },
    previous_names: [],
    num_members: channel.members.length,
  };
}

export function apiUser(user: User): Record<string, unknown> {
  return {
    id: user.id,
    team_id: user.team_id,
    name: user.name,
    deleted: user.deleted,
    real_name: user.real_name,
    tz: user.tz,
    // As Slack: the zone's long name and its offset from UTC in seconds, now.
    tz_label: DateTime.now().setZone(user.tz).toFormat('ZZZZZ', { locale: 'en-US' }),
    tz_offset: DateTime.now().setZone(user.tz).offset * 60,
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.is_bot,
    is_app_user: false,
    updated: 1_767_225_600,
    profile: {
      ...user.profile,
      real_name_normalized: user.profile.real_name,
      display_name_normalized: user.profile.display_name,
      team: user.team_id,
    },
  };
}

export function apiUsergroup(group: Usergroup, includeUsers: boolean): Record<string, unknown> {
  return {
    id: group.id,
    team_id: group.team_id,
    is_usergroup: true,
    is_subteam: true,
    name: group.name,
    description: group.description,
    handle: group.handle,
    is_external: false,
    date_create: group.date_create,
    date_update: group.date_create,
    date_delete: 0,
    auto_type: null,
    created_by: group.created_by,
    updated_by: group.created_by,
    deleted_by: null,
    prefs: { channels: [], groups: [] },
    user_count: group.users.length,
    ...(includeUsers ? { users: [...group.users] } : {}),
  };
}

export function fileUrl(baseUrl: string, file: FileRef): string {
  return `${baseUrl}/emulator/files/${file.id}/${encodeURIComponent(file.name)}`;
}

export function apiFile(
  workspace: Workspace,
  baseUrl: string,
  file: FileRef & Partial<StoredFile>,
): Record<string, unknown> {
  const url = fileUrl(baseUrl, file);
  const channels = file.channels ?? [];
  const owner = file.user ?? workspace.bot.user_id;
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype,
    user: file.user,
    user_team: workspace.team.id,
    editable: false,
    size: file.size,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: true,
    public_url_shared: false,
    display_as_bot: false,
    url_private: url,
    url_private_download: `${url}?download=1`,
    permalink: `https://${workspace.team.domain}.slack.com/files/${owner}/${file.id}/${encodeURIComponent(file.name)}`,
    channels: channels.filter((c) => c.startsWith('C')),
    groups: channels.filter((c) => c.startsWith('G')),
    ims: channels.filter((c) => c.startsWith('D')),
    has_rich_preview: false,
    ...presentProps({ alt_txt: file.alt_txt }),
  };
}

export function apiMessage(workspace: Workspace, baseUrl: string, message: Message): Record<string, unknown> {
  const { channel: _channel, files, ...rest } = message;
  const stored = (ref: FileRef) => workspace.files.find((f) => f.id === ref.id) ?? ref;
  return {
    type: 'message',
    ...rest,
    team: workspace.team.id,
    ...(files ? { files: files.map((f) => apiFile(workspace, baseUrl, stored(f))), upload: true } : {}),
    ...(message.bot_id
      ? {
          bot_profile: {
            id: message.bot_id,
            app_id: workspace.bot.app_id,
            name: workspace.bot.name,
            deleted: false,
            team_id: workspace.team.id,
          },
        }
      : {}),
  };
}

export function permalink(workspace: Workspace, message: Message): string {
  const base = `https://${workspace.team.domain}.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
  return message.thread_ts && message.thread_ts !== message.ts
    ? `${base}?thread_ts=${message.thread_ts}&cid=${message.channel}`
    : base;
}
