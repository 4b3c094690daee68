/**
 * The emoji shortcodes the bot and the playbooks use, and the common ones
 * people type. An unknown shortcode stays as written, as Slack shows a
 * custom emoji it does not have.
 */
const EMOJI: Record<string, string> = {
  alarm_clock: '⏰', arrow_forward: '▶️', bell: '🔔', bulb: '💡', calendar: '📆', clipboard: '📋', eyes: '👀', fast_forward: '⏩',
  fire: '🔥', heavy_check_mark: '✔️', hourglass: '⌛', hourglass_flowing_sand: '⏳', information_source: 'ℹ️', key: '🔑',
  large_blue_circle: '🔵', large_green_circle: '🟢', large_yellow_circle: '🟡', lock: '🔒', mag: '🔍', memo: '📝', no_entry: '⛔',
  pager: '📟', point_right: '👉', raised_hand: '✋', red_circle: '🔴', rocket: '🚀', rotating_light: '🚨', scroll: '📜',
  small_blue_diamond: '🔹', small_orange_diamond: '🔸', sos: '🆘', stopwatch: '⏱️', tada: '🎉', thumbsup: '👍', '+1': '👍',
  thumbsdown: '👎', '-1': '👎', warning: '⚠️', wave: '👋', white_check_mark: '✅', white_large_square: '⬜', wrench: '🔧', x: '❌',
  zap: '⚡', smile: '😄', slightly_smiling_face: '🙂', hammer_and_wrench: '🛠️', chart_with_upwards_trend: '📈', link: '🔗',
  busts_in_silhouette: '👥', bust_in_silhouette: '👤', speech_balloon: '💬', page_facing_up: '📄', arrows_counterclockwise: '🔄',
};

/** Replaces `:name:` with the emoji; safe on escaped HTML (names are [a-z0-9_+-] only). */
export function replaceEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (match, name: string) => EMOJI[name] ?? match);
}
