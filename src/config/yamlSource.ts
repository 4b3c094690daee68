import { LineCounter, isNode, isScalar, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import type { SourceProblem } from '../errors.js';

export interface YamlFile<T> {
  file: string;
  doc: Document;
  /** The parsed value when the schema accepted the file. */
  value?: T;
  problems: SourceProblem[];
  /** A problem located at `path` in this file (the nearest node that exists). */
  problemAt: (path: Array<string | number>, message: string) => SourceProblem;
  /** Every string scalar with its location: for scans such as the credential check. */
  strings(): Array<{ text: string; path: string; line: number; column: number }>;
}

/**
 * Parses YAML and a zod schema in one pass and reports every problem with
 * file, line, column and path, so an operator fixes a file in one go.
 */
export function parseYaml<S extends z.ZodType>(file: string, text: string, schema: S): YamlFile<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problemAt = (path: Array<string | number>, message: string): SourceProblem => ({
    file,
    ...at(offsetOf(doc, path.map(String))),
    path: path.join('.'),
    message,
  });
  const strings = () => {
    const found: Array<{ text: string; path: string; line: number; column: number }> = [];
    visit(doc, {
      Scalar(_key, node, ancestors) {
        if (typeof node.value !== 'string' || !node.range) return;
        const path = ancestors
          .filter((a) => 'key' in a && isScalar((a as { key: unknown }).key))
          .map((a) => String((a as { key: { value: unknown } }).key.value));
        found.push({ text: node.value, path: path.join('.'), ...at(node.range[0]) });
      },
    });
    return found;
  };
  const base = { file, doc, problemAt, strings };
  if (doc.errors.length > 0) {
    return {
      ...base,
      problems: doc.errors.map((e) => ({
        file,
        ...at(e.pos[0]),
        path: '',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    };
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) return { ...base, value: result.data, problems: [] };
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.map(String) : [];
    const offset = keys.length ? offsetOf(doc, [...path, keys[0]!], true) : offsetOf(doc, path);
    return { file, ...at(offset), path: [...path, ...keys.slice(0, 1)].join('.'), message: issue.message };
  });
  return { ...base, problems: dedupe(problems) };
}

const segment = (s: string): string | number => (/^\d+$/.test(s) ? Number(s) : s);

/** The offset of the deepest node on `path` that exists; with `wantKey`, of the last key itself. */
export function offsetOf(doc: Document, path: string[], wantKey = false): number {
  if (wantKey && path.length > 0) {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1).map(segment), true);
    if (isNode(parent) && 'items' in parent) {
      const pair = (parent.items as Array<{ key?: unknown }>).find(
        (item) => isScalar(item.key) && String(item.key.value) === path.at(-1),
      );
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
  }
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth).map(segment), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return isNode(doc.contents) && doc.contents.range ? doc.contents.range[0] : 0;
}

function dedupe(problems: SourceProblem[]): SourceProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.path}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
