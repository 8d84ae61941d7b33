// Small DOM helpers, and what the widget remembers in the visitor's storage.
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export const stored = (area: Storage | undefined, key: string): string[] => {
  try {
    return JSON.parse(area?.getItem(key) ?? '[]');
  } catch {
    return [];
  }
};
export const remember = (area: Storage | undefined, key: string, id: string) => {
  try {
    area?.setItem(key, JSON.stringify([...stored(area, key), id].slice(-20)));
  } catch {
    /* private mode */
  }
};
