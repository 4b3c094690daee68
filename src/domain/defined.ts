/**
 * Optional properties, written plainly: `{ kind, ...definedProps({ summary, step: offered.step }) }` has `summary`
 * and `step` only when they are set, instead of one `...(x ? { x } : {})` per property.
 */

/** Every key optional, and never present as `undefined`. */
export type DefinedProps<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** Every key optional, and never present as `undefined`, `null` or `''`. */
export type PresentProps<T> = { [K in keyof T]?: Exclude<T[K], undefined | null> };

/** A copy of `props` without the keys whose value is `undefined` (`null`, `''`, `0` and `false` are kept). */
export function definedProps<T extends Record<string, unknown>>(props: T): DefinedProps<T> {
  return keep(props, (value) => value !== undefined) as DefinedProps<T>;
}

/**
 * A copy of `props` without the keys whose value is `undefined`, `null` or `''`: what `...(x ? { x } : {})` kept
 * for a value that may be an empty string (an unset text field). `0` and `false` are kept.
 */
export function presentProps<T extends Record<string, unknown>>(props: T): PresentProps<T> {
  return keep(props, (value) => value !== undefined && value !== null && value !== '') as PresentProps<T>;
}

function keep(props: Record<string, unknown>, wanted: (value: unknown) => boolean): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) if (wanted(value)) kept[key] = value;
  return kept;
}
