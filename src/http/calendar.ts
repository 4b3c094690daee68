import type { AppDeps } from '../app/deps.js';
import { scheduleCalendar } from '../app/calendar.js';
import { type Route, sendJson } from './server.js';

/** `GET /schedules/<id>.ics?token=…`: a schedule's next shifts for a calendar app (app/calendar.ts). */
export function calendarRoute(deps: () => AppDeps | undefined): Route {
  return {
    method: 'GET',
    path: '/schedules/*',
    handler: async (req, res, url) => {
      const match = /^\/schedules\/([a-z0-9][a-z0-9_-]{0,62})\.ics$/.exec(url.pathname);
      if (!match) return sendJson(res, 404, { error: 'not_found' });
      const app = deps();
      if (!app) return sendJson(res, 503, { error: 'starting' });
      const answer = await scheduleCalendar(app, match[1]!, url.searchParams.get('token'));
      if (!answer.ok) return sendJson(res, answer.status, { error: 'not_found', message: answer.message });
      res.writeHead(200, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-length': Buffer.byteLength(answer.ics),
        'cache-control': 'private, max-age=300',
      });
      res.end(answer.ics);
    },
  };
}
