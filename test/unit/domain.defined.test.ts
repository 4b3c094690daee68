import { describe, expect, expectTypeOf, it } from 'vitest';
import { definedProps, presentProps } from '../../src/domain/defined.js';

describe('definedProps: optional properties without `undefined`', () => {
  it('leaves out a key whose value is undefined', () => {
    const summary: string | undefined = undefined;
    const result = definedProps({ summary, step: 2 });
    expect(result).toStrictEqual({ step: 2 });
    expect('summary' in result).toBe(false);
  });

  it('keeps every other value, falsy ones included', () => {
    expect(definedProps({ empty: '', zero: 0, no: false, none: null })).toStrictEqual({
      empty: '',
      zero: 0,
      no: false,
      none: null,
    });
  });

  it('spreads into an object literal with the keys in their written order', () => {
    const link: string | undefined = 'https://example.com';
    const level: number | undefined = undefined;
    const page = { kind: 'page', ...definedProps({ level, link, title: 'Down' }), at: 1 };
    expect(Object.keys(page)).toEqual(['kind', 'link', 'title', 'at']);
  });

  it('copies: the argument is left as it was', () => {
    const props = { a: 1, b: undefined };
    const result = definedProps(props);
    expect(result).not.toBe(props);
    expect(props).toStrictEqual({ a: 1, b: undefined });
  });

  it('gives an empty object when nothing is set', () => {
    expect(definedProps({ a: undefined, b: undefined })).toStrictEqual({});
    expect({ kind: 'x', ...definedProps({ a: undefined }) }).toStrictEqual({ kind: 'x' });
  });

  it('types each key as optional, without undefined', () => {
    const props = (a: number | undefined, b: string | null) => definedProps({ a, b });
    expectTypeOf(props).returns.toEqualTypeOf<{ a?: number; b?: string | null }>();
  });
});

describe('presentProps: optional properties that drop an empty value too', () => {
  it("leaves out undefined, null and '' (what `...(x ? { x } : {})` left out for a text)", () => {
    expect(presentProps({ a: undefined, b: null, c: '', d: 'set' })).toStrictEqual({ d: 'set' });
  });

  it('keeps 0, false, whitespace and objects', () => {
    const date = new Date(0);
    expect(presentProps({ zero: 0, no: false, space: ' ', date, list: [] })).toStrictEqual({
      zero: 0,
      no: false,
      space: ' ',
      date,
      list: [],
    });
  });

  it('types each key as optional, without undefined or null', () => {
    const props = (a: string | null | undefined, b: Date | undefined) => presentProps({ a, b });
    expectTypeOf(props).returns.toEqualTypeOf<{ a?: string; b?: Date }>();
  });
});
