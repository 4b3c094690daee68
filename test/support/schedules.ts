const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';
const LIN = 'U0LEAD0005';
const SAM = 'U0STAKE003';

/** Wednesday 9 December 2026, 10:00 in London: Ada's week (she took over on Monday at 09:00). */
export const WEDNESDAY = new Date('2026-12-09T10:00:00Z');

/** Two schedules (written as in incidentbot.yml) and a policy whose levels page them. */
export const SCHEDULES = {
  schedules: {
    auth: {
      title: 'Auth on-call',
      time_zone: 'Europe/London',
      layers: [{ users: [ADA, GRACE], length: '1w', handoff: 'Mon 09:00', start: '2026-01-05' }],
      channel: 'C0ENGINEER',
      usergroup: 'S0AUTHNOW',
      handoff_notice: '10m',
    },
    nights: {
      time_zone: 'Europe/London',
      layers: [
        {
          users: [SAM],
          length: '1w',
          handoff: 'Mon 09:00',
          start: '2026-01-05',
          restrictions: [{ from: '22:00', to: '06:00' }],
        },
      ],
    },
  },
  escalation: {
    policies: {
      default: {
        levels: [
          {
            name: 'Auth on-call',
            responders: { schedules: ['auth'] },
            fallback: { users: [LIN] },
            acknowledged_within: '15m',
          },
          {
            name: 'Nights',
            responders: { schedules: ['nights'] },
            fallback: { users: [LIN] },
            acknowledged_within: '15m',
          },
        ],
      },
    },
  },
};
