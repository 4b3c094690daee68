import { describe, expect, it } from 'vitest';
import { SEVERITIES, parseSeverity, severityLabel } from '../../src/domain/severity.js';

describe('severity', () => {
  it('reads sev1..sev4 however it is typed', () => {
    for (const typed of ['sev1', 'SEV1', ' sev-1 ', 'Sev-1', '1']) expect(parseSeverity(typed)).toBe('sev1');
    expect(parseSeverity('4')).toBe('sev4');
  });

  it('refuses anything else', () => {
    for (const typed of ['sev5', '0', 'sev', '', 'critical', '12', 'sev 1'])
      expect(parseSeverity(typed)).toBeUndefined();
  });

  it('has a label for each, most severe first', () => {
    expect(SEVERITIES.map(severityLabel)).toEqual(['SEV1 critical', 'SEV2 major', 'SEV3 minor', 'SEV4 low']);
  });
});
