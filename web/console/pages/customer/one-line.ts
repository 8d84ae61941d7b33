// A free text cut to one short line for a table cell (the whole text goes in the cell's title).
export function oneLine(text: string | null | undefined, max = 80): string {
  const s = (text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
