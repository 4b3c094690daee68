import { renderText } from './blocks.js';
import { textOf } from './elements.js';
import { type Json, type RenderContext, asObject } from './html.js';
import { plainText } from './mrkdwn.js';

/** Small DOM helpers for the page; the HTML itself comes from the pure renderers. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const rendered = new WeakMap<Element, string>();

/** Replaces an element's content only when it changed, so focus and hover inside it survive unrelated updates. */
export function setHtml(element: HTMLElement, html: string): void {
  if (rendered.get(element) === html) return;
  rendered.set(element, html);
  element.innerHTML = html;
}

/**
 * Makes `container`'s children the given keyed items, in order. An item whose
 * HTML did not change is left alone; one that changed is updated in place
 * (same element, new attributes and content), so a chat.update re-renders the
 * message where it stands and focus or scroll elsewhere is kept.
 */
export function syncChildren(container: HTMLElement, items: Array<{ key: string; html: string }>): void {
  const existing = new Map<string, Element>();
  for (const child of Array.from(container.children)) {
    const key = (child as HTMLElement).dataset.key;
    if (key) existing.set(key, child);
  }
  let cursor: Element | null = container.firstElementChild;
  for (const item of items) {
    let element = existing.get(item.key);
    existing.delete(item.key);
    if (!element) {
      const template = document.createElement('template');
      template.innerHTML = item.html;
      element = template.content.firstElementChild ?? document.createElement('div');
      (element as HTMLElement).dataset.key = item.key;
    } else if (rendered.get(element) !== item.html) {
      const template = document.createElement('template');
      template.innerHTML = item.html;
      const fresh = template.content.firstElementChild;
      if (fresh) {
        for (const attr of Array.from(element.attributes))
          if (attr.name !== 'data-key' && !fresh.hasAttribute(attr.name)) element.removeAttribute(attr.name);
        for (const attr of Array.from(fresh.attributes)) element.setAttribute(attr.name, attr.value);
        element.replaceChildren(...Array.from(fresh.childNodes));
      }
    }
    rendered.set(element, item.html);
    if (element !== cursor) container.insertBefore(element, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const stale of existing.values()) stale.remove();
}

/** A Block Kit confirm object as a modal <dialog>; resolves true when confirmed. */
export function confirmDialog(confirm: Json, ctx: RenderContext): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm');
  byId('confirm-title').innerHTML = plainText(textOf(confirm.title) || 'Are you sure?');
  byId('confirm-text').innerHTML = renderText(asObject(confirm.text) ?? { type: 'plain_text', text: '' }, ctx);
  const yes = byId<HTMLButtonElement>('confirm-yes');
  const no = byId<HTMLButtonElement>('confirm-no');
  yes.innerHTML = plainText(textOf(confirm.confirm) || 'Yes');
  no.innerHTML = plainText(textOf(confirm.deny) || 'Cancel');
  yes.className = `bk-button ${confirm.style === 'danger' ? 'bk-danger' : 'bk-primary'}`;
  return new Promise((resolve) => {
    const done = (answer: boolean) => {
      yes.onclick = null;
      no.onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    yes.onclick = () => done(true);
    no.onclick = () => done(false);
    dialog.onclose = () => done(false);
    dialog.showModal();
  });
}

/** A message for a few seconds, announced to screen readers. */
export function toast(text: string): void {
  const item = document.createElement('div');
  item.className = 'toast';
  item.textContent = text;
  byId('toasts').append(item);
  setTimeout(() => item.remove(), 6_000);
}
