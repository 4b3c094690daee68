/**
 * The outline of a source runbook (a seed in ../shared/seeds): its section headings, checklist items
 * (`- [ ]`, `- [x]`), numbered items (`1. …`) and bullets that lead with a bold name (`- **Error rates**: …`),
 * each named by a short key the coverage map uses. Other bullets belong to the item or heading above them.
 *
 * A key is the item's own words, shortened so that no command, path or address from the seed ends up in the
 * map: a bold lead (`**Config file exists**: …`) is the key; otherwise the text before the first `: `, with short
 * code spans kept as words and a longer one (a command) ending the key. Headings lose their emoji (some seeds
 * carry them mis-encoded) and their ✅ marks. Lines inside code fences are not items.
 */
export interface SeedItem {
  /** "Section > Subsection" for a heading; "Section > Subsection > item" for an item (its parents' keys first). */
  key: string;
  kind: 'heading' | 'item';
  line: number;
}

export function seedOutline(text: string): SeedItem[] {
  const items: SeedItem[] = [];
  const headings: string[] = []; // by depth: [h2, h3, h4]
  const lists: Array<{ indent: number; key: string }> = []; // the open list items an indented one sits under
  let fenced = false;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const heading = /^(#{2,4})\s+(.*)$/.exec(raw);
    if (heading) {
      const depth = heading[1]!.length - 2;
      headings.length = depth;
      headings.push(clean(heading[2]!));
      lists.length = 0;
      items.push({ key: headings.join(' > '), kind: 'heading', line });
      return;
    }
    const item = /^(\s*)(?:[-*]\s+\[[ xX]\]|\d+\.|[-*](?=\s+\*\*))\s+(.*)$/.exec(raw);
    if (!item || headings.length === 0) return;
    const indent = item[1]!.length;
    while (lists.length && lists[lists.length - 1]!.indent >= indent) lists.pop();
    const key = itemKey(item[2]!);
    if (!key) return;
    items.push({ key: [...headings, ...lists.map((l) => l.key), key].join(' > '), kind: 'item', line });
    lists.push({ indent, key });
  });
  return items;
}

/** Printable ASCII only (drops emoji and ✅), single spaces. */
function clean(text: string): string {
  return text
    .replace(/[^\x20-\x7e]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function itemKey(text: string): string {
  const bold = /^\*\*(.+?)\*\*/.exec(text);
  if (bold) return clean(bold[1]!.replace(/`/g, ''));
  const code = /^`([^`]+)`$/.exec(text.trim());
  if (code) return clean(code[1]!);
  // The words before a colon; a short code span (a name, a flag) stays, a longer one (a command) ends the key.
  const words = text.split(': ')[0]!.replace(/\*\*/g, '');
  const cut = words.replace(/`([^`\s]{1,30})`/g, '$1').split('`')[0]!;
  return clean(cut).replace(/:$/, '');
}
