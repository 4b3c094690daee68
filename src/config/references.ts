import { closestNames } from '../domain/text.js';
import { pagingProblems } from './paging.js';

/**
 * Names in the config that point elsewhere in it must exist there. Checked on
 * the raw document, so these problems are reported together with schema
 * problems instead of only once the rest of the file is valid.
 */
type Raw = Record<string, unknown>;
export interface ReferenceProblem {
  path: Array<string | number>;
  message: string;
}

const record = (value: unknown): Raw =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function referenceProblems(raw: unknown): ReferenceProblem[] {
  const root = record(raw);
  const checks = record(root.checks);
  const groups = record(root.groups);
  const tokens = record(root.tokens);
  const escalation = record(root.escalation);
  const policies = record(escalation.policies);
  const stakeholders = record(root.stakeholders);
  const stakeholderGroups = record(stakeholders.groups);
  const problems: ReferenceProblem[] = [];

  for (const [groupName, group] of Object.entries(groups)) {
    list(record(group).checks).forEach((check, i) => {
      if (typeof check === 'string' && !(check in checks))
        problems.push({ path: ['groups', groupName, 'checks', i], message: `no check named "${check}" in checks:` });
    });
    if (groupName in checks)
      problems.push({
        path: ['groups', groupName],
        message: `"${groupName}" is both a check and a group; /incident health would be ambiguous`,
      });
  }
  for (const [checkName, check] of Object.entries(checks)) {
    const { kind, provider } = record(check);
    if (kind === 'token' && typeof provider === 'string' && !(provider in tokens)) {
      problems.push({
        path: ['checks', checkName, 'provider'],
        message: `no token provider named "${provider}" in tokens:`,
      });
    }
  }
  for (const [severity, policy] of Object.entries(record(escalation.by_severity))) {
    if (typeof policy === 'string' && !(policy in policies))
      problems.push({
        path: ['escalation', 'by_severity', severity],
        message: `no escalation policy named "${policy}"`,
      });
  }
  problems.push(...scheduleReferenceProblems(policies, record(root.schedules), record(root.people)));
  for (const [severity, names] of Object.entries(record(stakeholders.by_severity))) {
    list(names).forEach((group, i) => {
      if (typeof group === 'string' && !(group in stakeholderGroups))
        problems.push({
          path: ['stakeholders', 'by_severity', severity, i],
          message: `no stakeholder group named "${group}"`,
        });
    });
  }
  problems.push(...pagingProblems(root));
  return problems;
}

/** "; did you mean …" for the names closest to `typed` (ids compared without case), or nothing. */
function didYouMean(typed: string, names: string[]): string {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const close = closestNames(typed, byLower.keys()).map((n) => `"${byLower.get(n)}"`);
  return close.length ? `; did you mean ${close.join(' or ')}?` : '';
}

/**
 * Each schedule an escalation level pages must be in `schedules:`; when `people:` declares anyone, each person in a
 * schedule's layers must be declared there (a typo in a rotation pages nobody). The closest names are suggested.
 */
function scheduleReferenceProblems(policies: Raw, schedules: Raw, people: Raw): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const known = Object.keys(schedules);
  for (const [policyName, policy] of Object.entries(policies)) {
    list(record(policy).levels).forEach((level, i) => {
      list(record(record(level).responders).schedules).forEach((schedule, j) => {
        if (typeof schedule !== 'string' || schedule in schedules) return;
        const hint = known.length ? ` (schedules: ${known.join(', ')})` : '; add it under schedules:';
        problems.push({
          path: ['escalation', 'policies', policyName, 'levels', i, 'responders', 'schedules', j],
          message: `no schedule named "${schedule}"${didYouMean(schedule, known)}${hint}`,
        });
      });
    });
  }
  const declared = Object.keys(people);
  if (declared.length === 0) return problems;
  for (const [scheduleName, schedule] of Object.entries(schedules)) {
    list(record(schedule).layers).forEach((layer, i) => {
      list(record(layer).users).forEach((user, j) => {
        if (typeof user !== 'string' || user in people) return;
        problems.push({
          path: ['schedules', scheduleName, 'layers', i, 'users', j],
          message: `schedule "${scheduleName}" names ${user}, who is not in people:${didYouMean(user, declared)}`,
        });
      });
    });
  }
  return problems;
}
