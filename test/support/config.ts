import { type Config, configSchema } from '../../src/config/schema.js';

/**
 * The example config with some of its checks, groups, tokens, actions or
 * settings replaced: `fragment` is written as in incidentbot.yml and parsed
 * with the real schema (with `env` for its ${VAR} references).
 */
export function overrideConfig(
  base: Config,
  fragment: Record<string, unknown>,
  env: Record<string, string> = {},
): Config {
  const parsed = configSchema(env).parse(fragment);
  const given = (key: string) => key in fragment;
  return {
    ...base,
    ...Object.fromEntries(
      ['incident_channel', 'channel_prefix', 'dry_run', 'playground', 'deadline_reminder']
        .filter(given)
        .map((k) => [k, parsed[k as keyof Config]]),
    ),
    checks: { ...base.checks, ...parsed.checks },
    groups: { ...base.groups, ...parsed.groups },
    tokens: given('tokens') ? { ...base.tokens, ...parsed.tokens } : base.tokens,
    actions: { ...base.actions, ...parsed.actions },
    escalation: given('escalation') ? parsed.escalation : base.escalation,
    // Pacing stays the base's (none in tests) unless the fragment sets it.
    stakeholders: given('stakeholders')
      ? {
          ...parsed.stakeholders,
          min_interval:
            'min_interval' in Object(fragment.stakeholders)
              ? parsed.stakeholders.min_interval
              : base.stakeholders.min_interval,
        }
      : base.stakeholders,
    alerts: given('alerts') ? parsed.alerts : base.alerts,
    storm: given('storm') ? parsed.storm : base.storm,
    people: given('people') ? parsed.people : base.people,
    paging: given('paging') ? parsed.paging : base.paging,
    schedules: given('schedules') ? parsed.schedules : base.schedules,
    access: given('access')
      ? { ...parsed.access, max_opens_per_person: base.access.max_opens_per_person }
      : base.access,
  };
}
