export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export type Severity = (typeof SEVERITIES)[number];

const LABELS: Record<Severity, string> = {
  sev1: 'SEV1 critical',
  sev2: 'SEV2 major',
  sev3: 'SEV3 minor',
  sev4: 'SEV4 low',
};

export function severityLabel(severity: Severity): string {
  return LABELS[severity];
}

export function parseSeverity(text: string): Severity | undefined {
  const normalized = text
    .trim()
    .toLowerCase()
    .replace(/^sev-?/, 'sev');
  const candidate = /^\d$/.test(normalized) ? `sev${normalized}` : normalized;
  return SEVERITIES.find((severity) => severity === candidate);
}
