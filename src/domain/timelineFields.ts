import { z } from 'zod';
import { INCIDENT_STATUSES } from './incident.js';
import { SEVERITIES } from './severity.js';

/** The field types the timeline's kinds are built from (timeline.ts); a described one reads so in the README. */
export const text = z.string();
export const count = z.number();
export const flag = z.boolean().optional();
/** A moment, written as an ISO 8601 string. */
export const instant = z.string().describe('time (ISO 8601)');
export const user = z.string().describe('Slack user id');
export const users = z.array(z.string()).describe('list of Slack user ids');
export const usergroups = z.array(z.string()).describe('list of Slack user group ids');
export const status = z.enum(INCIDENT_STATUSES);
export const severity = z.enum(SEVERITIES);

/** What a kind's `data` holds, and when the bot writes one. */
export interface KindSpec<S extends z.ZodRawShape> {
  when: string;
  shape: S;
}
export const kind = <S extends z.ZodRawShape>(when: string, shape: S): KindSpec<S> => ({ when, shape });
